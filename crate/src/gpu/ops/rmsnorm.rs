//! RMSNorm without gain, in place, along either axis of each puzzle's [S, D] state: the
//! channel axis after every block, the sequence axis after the token-mixing MLP (mlp_t).
//! shaders/rmsnorm.wgsl has the kernel.

use bytemuck::{Pod, Zeroable};

use super::{grid, u, Builder, Kernel, Shader};

/// Invocations a workgroup; they reduce one vector together (a power of two for the
/// shader's tree reduction).
pub const WG: u32 = 64;

pub const SHADER: Shader =
    Shader { name: "rmsnorm", source: include_str!("../../../../shaders/rmsnorm.wgsl"), consts: &[("WG", WG)], weights: false };

/// Vector v is `count` elements `elem_stride` apart from
/// offset + (v / inner) * outer_stride + (v % inner) * inner_stride.
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
pub struct Params {
    pub n_vec: u32,
    pub count: u32,
    pub elem_stride: u32,
    pub inner: u32,
    pub inner_stride: u32,
    pub outer_stride: u32,
    pub offset: u32,
    pub eps: f32,
}

fn push(b: &mut Builder, h: &wgpu::Buffer, p: Params) {
    let groups = grid(Kernel::RmsNorm, p.n_vec as usize);
    b.push(Kernel::RmsNorm, p, &[(1, h)], groups);
}

/// Each of `rows` rows of `width` values.
pub fn rows(b: &mut Builder, h: &wgpu::Buffer, rows: usize, width: usize, eps: f32) {
    let p = Params { n_vec: u(rows), count: u(width), elem_stride: 1, inner: 1, inner_stride: 0, outer_stride: u(width), offset: 0, eps };
    push(b, h, p);
}

/// Each column of `puzzles` row-major [seq, width] blocks.
pub fn columns(b: &mut Builder, h: &wgpu::Buffer, puzzles: usize, seq: usize, width: usize, eps: f32) {
    let p = Params {
        n_vec: u(puzzles * width),
        count: u(seq),
        elem_stride: u(width),
        inner: u(width),
        inner_stride: 1,
        outer_stride: u(seq * width),
        offset: 0,
        eps,
    };
    push(b, h, p);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_match_the_shaders_uniform_block() {
        let rust = rust_params!(Params { n_vec, count, elem_stride, inner, inner_stride, outer_stride, offset, eps });
        assert_eq!(super::super::testing::wgsl_params(&SHADER), rust);
    }
}
