//! Rotary position embedding on the Q and K heads of a fused qkv buffer, in place, from the
//! model's cos/sin tables (crate::tables, shared with the CPU engine). shaders/rope.wgsl.

use bytemuck::{Pod, Zeroable};

use super::{f32s, u, wide, Builder, Kernel, Shader, Work};
use crate::config::Config;

/// Invocations a workgroup, one (row, Q-or-K head, rotated pair) each.
pub const WG: u32 = 256;

pub const SHADER: Shader = Shader { name: "rope", source: include_str!("../../../../shaders/rope.wgsl"), consts: &[("WG", WG)], parts: &[], weights: false };

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
pub struct Params {
    pub rows: u32,
    pub seq: u32,
    pub heads: u32,
    pub head_dim: u32,
}

/// The qkv rows ([S, 3 * heads * head_dim] each) of `puzzles` puzzles.
pub fn rope(b: &mut Builder, cfg: &Config, qkv: &wgpu::Buffer, cos: &wgpu::Buffer, sin: &wgpu::Buffer, puzzles: usize) {
    let (rows, heads, head_dim) = (puzzles * cfg.full_seq_len(), cfg.num_heads, cfg.head_dim());
    let p = Params { rows: u(rows), seq: u(cfg.full_seq_len()), heads: u(heads), head_dim: u(head_dim) };
    // Q and K heads, half a head's width each: as many invocations as rows * heads * head_dim.
    // Q and K read and written in place; the cos and sin tables [S, head_dim] once.
    let work = Work::new(format!("{rows}x{heads}x{head_dim}"), 1, 0, f32s(4 * wide(rows) * wide(heads * head_dim) + 2 * wide(cfg.full_seq_len() * head_dim)));
    b.push(Kernel::Rope, p, &[(1, qkv), (2, cos), (3, sin)], b.grid(Kernel::Rope, rows * heads * head_dim), work);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_match_the_shaders_uniform_block() {
        assert_eq!(super::super::testing::wgsl_params(&SHADER), rust_params!(Params { rows, seq, heads, head_dim }));
    }
}
