//! The input embedding x: the puzzle's embedding in the prefix rows, then the token
//! embeddings, scaled by sqrt(D) (learned positions added where the model has them).
//! shaders/embed.wgsl has the kernel; crate::tables::embed_one is the same for one slot.

use bytemuck::{Pod, Zeroable};

use super::{f32s, u, wide, Builder, Kernel, Shader, Work};
use crate::config::{Config, PosEncoding};

/// Invocations a workgroup, one element of x each.
pub const WG: u32 = 256;

pub const SHADER: Shader = Shader { name: "embed", source: include_str!("../../../../shaders/embed.wgsl"), consts: &[("WG", WG)], parts: &[], weights: true };

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
pub struct Params {
    pub batch: u32,
    pub seq: u32,
    pub prefix: u32,
    pub width: u32,
    pub cells: u32,
    pub emb_dim: u32,
    pub learned_pos: u32,
    pub _pad0: u32,
    pub scale: f32,
    pub _pad1: [u32; 3],
}

/// The model's weights the embedding reads: token table, puzzle embeddings, positions.
pub struct Tables<'a> {
    pub tokens: &'a wgpu::Buffer,
    pub puzzles: &'a wgpu::Buffer,
    pub positions: &'a wgpu::Buffer,
}

/// x [puzzles, S, D] from their tokens [puzzles, cells] and puzzle ids [puzzles].
pub fn embed(b: &mut Builder, cfg: &Config, t: &Tables, tokens: &wgpu::Buffer, ids: &wgpu::Buffer, x: &wgpu::Buffer, puzzles: usize) {
    let (s, d) = (cfg.full_seq_len(), cfg.hidden_size);
    let p = Params {
        batch: u(puzzles),
        seq: u(s),
        prefix: u(cfg.prefix_len()),
        width: u(d),
        cells: u(cfg.seq_len),
        emb_dim: u(cfg.puzzle_emb_ndim),
        learned_pos: u32::from(cfg.pos_encodings == PosEncoding::Learned),
        _pad0: 0,
        scale: (d as f32).sqrt(),
        _pad1: [0; 3],
    };
    let bindings = [(1, tokens), (2, ids), (3, t.tokens), (4, t.puzzles), (5, t.positions), (6, x)];
    // Each element of x written once from one table row's element (token or puzzle row).
    let work = Work::new(format!("{s}x{d}"), puzzles, 0, f32s(wide(puzzles) * wide(s * d)) + b.weights(wide(puzzles) * wide(s * d)));
    b.push(Kernel::Embed, p, &bindings, b.grid(Kernel::Embed, puzzles * s * d), work);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_match_the_shaders_uniform_block() {
        let rust = rust_params!(Params { batch, seq, prefix, width, cells, emb_dim, learned_pos, scale });
        assert_eq!(super::super::testing::wgsl_params(&SHADER), rust);
    }
}
