//! The matrix product of every projection and MLP: C = A @ W^T over strided views of A and
//! C, optionally accumulated into C; SwiGLU's gated first half in one dispatch; and a
//! post-norm block's end, C <- RMSNorm(C + A @ W^T) along each output row, in one dispatch.
//! shaders/matmul.wgsl has the kernels.

use bytemuck::{Pod, Zeroable};

use super::{u, Builder, Kernel, Shader};

/// Output rows, output columns and K-steps of one workgroup's tile; each invocation holds a
/// 4 x 4 block of it, so a workgroup is (TN/4) x (TM/4) invocations.
pub const TM: u32 = 64;
pub const TN: u32 = 64;
pub const TK: u32 = 16;

pub const SHADER: Shader =
    Shader { name: "matmul", source: include_str!("../../../../shaders/matmul.wgsl"), consts: &[("TM", TM), ("TN", TN), ("TK", TK)], weights: true };

/// The shader's `Params`: sizes, then the element offset and row, column and batch strides
/// of A and C, and the weight's element offset.
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable, Default)]
pub struct Params {
    pub m: u32,
    pub n: u32,
    pub k: u32,
    pub accumulate: u32,
    pub a_off: u32,
    pub a_rs: u32,
    pub a_cs: u32,
    pub a_bs: u32,
    pub c_off: u32,
    pub c_rs: u32,
    pub c_cs: u32,
    pub c_bs: u32,
    pub w_off: u32,
    /// RMSNorm's epsilon (`residual_norm` only).
    pub eps: f32,
    pub _pad: [u32; 2],
}

/// Row-major [m, k] @ W^T -> [m, n] (optionally accumulated), no batch dimension.
pub fn rows(m: usize, k: usize, n: usize, accumulate: bool) -> Params {
    Params { m: u(m), n: u(n), k: u(k), accumulate: u32::from(accumulate), a_rs: u(k), a_cs: 1, c_rs: u(n), c_cs: 1, ..Default::default() }
}

/// C = A @ W^T (+ C), `batch` times along the views' batch strides.
pub fn matmul(b: &mut Builder, a: &wgpu::Buffer, w: &wgpu::Buffer, c: &wgpu::Buffer, p: Params, batch: usize) {
    let [gx, gy] = Kernel::Matmul.per_group();
    let groups = [p.n.div_ceil(gx), p.m.div_ceil(gy), u(batch)];
    b.push(Kernel::Matmul, p, &[(1, a), (2, w), (3, c)], groups);
}

/// C <- RMSNorm(C + A @ W^T) along each of the `p.m` output rows of `p.n` values (RMSNorm
/// without gain, as every block of the model ends): one workgroup per TM whole rows.
pub fn residual_norm(b: &mut Builder, a: &wgpu::Buffer, w: &wgpu::Buffer, c: &wgpu::Buffer, p: Params, eps: f32, batch: usize) {
    let [_, gy] = Kernel::MatmulNorm.per_group();
    let groups = [1, p.m.div_ceil(gy), u(batch)];
    b.push(Kernel::MatmulNorm, Params { eps, ..p }, &[(1, a), (2, w), (3, c)], groups);
}

/// act = silu(A @ W_gate^T) * (A @ W_up^T), where `w` holds 2 * p.n rows (gate, then up)
/// and `p.n` is SwiGLU's inner width.
pub fn gated(b: &mut Builder, a: &wgpu::Buffer, w: &wgpu::Buffer, act: &wgpu::Buffer, p: Params, batch: usize) {
    let [gx, gy] = Kernel::MatmulGated.per_group();
    let groups = [p.n.div_ceil(gx), p.m.div_ceil(gy), u(batch)];
    b.push(Kernel::MatmulGated, p, &[(1, a), (2, w), (3, act)], groups);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A uniform block the shader reads at other offsets than the Rust side writes would
    /// silently feed the kernel wrong sizes.
    #[test]
    fn params_match_the_shaders_uniform_block() {
        let rust = rust_params!(Params { m, n, k, accumulate, a_off, a_rs, a_cs, a_bs, c_off, c_rs, c_cs, c_bs, w_off, eps });
        assert_eq!(super::super::testing::wgsl_params(&SHADER), rust);
    }

    /// The shader states what its 4 x 4 blocks need of the tile; a tile it cannot share out
    /// is refused when it compiles, not computed wrong.
    #[test]
    fn a_tile_the_shader_cannot_split_does_not_compile() {
        let ok = naga::front::wgsl::parse_str(&SHADER.wgsl(false));
        assert!(ok.is_ok(), "{:?}", ok.err());
        for consts in [&[("TM", 64), ("TN", 60), ("TK", 16)], &[("TM", 64), ("TN", 64), ("TK", 15)]] {
            let shader = Shader { consts, ..SHADER };
            assert!(naga::front::wgsl::parse_str(&shader.wgsl(false)).is_err(), "{consts:?} compiled");
        }
    }
}
