//! The recursion's element-wise steps over flat f32 buffers: the input injections
//! (z <- z + (y + x), y <- y + z) and the state reset (rows <- H_init or L_init).
//! shaders/elementwise.wgsl has the kernels.

use bytemuck::{Pod, Zeroable};

use super::{f32s, u, wide, Builder, Kernel, Shader, Work};

/// Invocations a workgroup, one element each.
pub const WG: u32 = 256;

pub const SHADER: Shader =
    Shader { name: "elementwise", source: include_str!("../../../../shaders/elementwise.wgsl"), consts: &[("WG", WG)], parts: &[], weights: false };

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
pub struct Params {
    pub n: u32,
    pub width: u32,
    pub _pad: [u32; 2],
}

/// dst += a + b over `n` elements, a + b summed first as the reference adds the injection.
pub fn add3(b: &mut Builder, dst: &wgpu::Buffer, a: &wgpu::Buffer, c: &wgpu::Buffer, n: usize) {
    let work = Work::new(n.to_string(), 1, 0, f32s(4 * wide(n)));
    b.push(Kernel::Add3, Params { n: u(n), width: 0, _pad: [0; 2] }, &[(1, dst), (2, a), (3, c)], b.grid(Kernel::Add3, n), work);
}

/// dst += a over `n` elements.
pub fn add2(b: &mut Builder, dst: &wgpu::Buffer, a: &wgpu::Buffer, n: usize) {
    let work = Work::new(n.to_string(), 1, 0, f32s(3 * wide(n)));
    b.push(Kernel::Add2, Params { n: u(n), width: 0, _pad: [0; 2] }, &[(1, dst), (2, a)], b.grid(Kernel::Add2, n), work);
}

/// Every `width`-wide row of the first `n` elements of dst <- the vector `row`.
pub fn broadcast(b: &mut Builder, dst: &wgpu::Buffer, row: &wgpu::Buffer, n: usize, width: usize) {
    let work = Work::new(n.to_string(), 1, 0, f32s(wide(n) + wide(width)));
    b.push(Kernel::Broadcast, Params { n: u(n), width: u(width), _pad: [0; 2] }, &[(1, dst), (2, row)], b.grid(Kernel::Broadcast, n), work);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_match_the_shaders_uniform_block() {
        assert_eq!(super::super::testing::wgsl_params(&SHADER), rust_params!(Params { n, width }));
    }
}
