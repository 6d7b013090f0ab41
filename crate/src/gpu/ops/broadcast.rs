//! The state reset over flat f32 buffers: rows <- H_init or L_init. (The input injections,
//! z + (y + x) and y + z, ride on the network's first products: matmul.rs.)
//! shaders/broadcast.wgsl has the kernel.

use bytemuck::{Pod, Zeroable};

use super::{grid, u, Builder, Kernel, Shader};

/// Invocations a workgroup, one element each.
pub const WG: u32 = 256;

pub const SHADER: Shader =
    Shader { name: "broadcast", source: include_str!("../../../../shaders/broadcast.wgsl"), consts: &[("WG", WG)], weights: false };

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
pub struct Params {
    pub n: u32,
    pub width: u32,
    pub _pad: [u32; 2],
}

/// Every `width`-wide row of the first `n` elements of dst <- the vector `row`.
pub fn broadcast(b: &mut Builder, dst: &wgpu::Buffer, row: &wgpu::Buffer, n: usize, width: usize) {
    b.push(Kernel::Broadcast, Params { n: u(n), width: u(width), _pad: [0; 2] }, &[(1, dst), (2, row)], grid(Kernel::Broadcast, n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_match_the_shaders_uniform_block() {
        assert_eq!(super::super::testing::wgsl_params(&SHADER), rust_params!(Params { n, width }));
    }
}
