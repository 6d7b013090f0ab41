//! The output heads on y: each cell's logits, argmax and its probability (lm_head), and
//! (q_halt, q_continue) from each puzzle's first row (q_head). shaders/heads.wgsl.

use bytemuck::{Pod, Zeroable};

use super::{f32s, u, Builder, Kernel, Shader, Work};
use crate::config::Config;

/// Invocations a workgroup, one cell (lm_head) or one q value (q_head) each.
pub const WG: u32 = 64;

pub const SHADER: Shader = Shader { name: "heads", source: include_str!("../../../../shaders/heads.wgsl"), consts: &[("WG", WG)], parts: &[], weights: true };

/// `out_offset`: where this dispatch's first cell (lm_head) or puzzle (q_head) goes in the
/// outputs; `logits_offset`: the same for logits (lm_head).
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
pub struct Params {
    pub batch: u32,
    pub seq: u32,
    pub prefix: u32,
    pub cells: u32,
    pub width: u32,
    pub vocab: u32,
    pub out_offset: u32,
    pub logits_offset: u32,
}

impl Params {
    /// `puzzles` of the model's shape, written from the start of the outputs.
    pub fn new(cfg: &Config, puzzles: usize) -> Params {
        Params {
            batch: u(puzzles),
            seq: u(cfg.full_seq_len()),
            prefix: u(cfg.prefix_len()),
            cells: u(cfg.seq_len),
            width: u(cfg.hidden_size),
            vocab: u(cfg.vocab_size),
            out_offset: 0,
            logits_offset: 0,
        }
    }
}

/// logits, argmax tokens and their probabilities of every cell of `p.batch` puzzles of y.
pub fn lm_head(b: &mut Builder, p: Params, y: &wgpu::Buffer, w: &wgpu::Buffer, logits: &wgpu::Buffer, tokens: &wgpu::Buffer, probs: &wgpu::Buffer) {
    let groups = b.grid(Kernel::LmHead, (p.batch * p.cells) as usize);
    let (batch, cells, d, v) = (u64::from(p.batch), u64::from(p.cells), u64::from(p.width), u64::from(p.vocab));
    // y's cells in; logits, the token and its probability out.
    let bytes = f32s(batch * cells * (d + v + 2)) + b.weights(v * d);
    let work = Work::new(format!("{cells}x{v}x{d}"), p.batch as usize, 2 * batch * cells * v * d, bytes);
    b.push(Kernel::LmHead, p, &[(1, y), (2, w), (3, logits), (4, tokens), (5, probs)], groups, work);
}

/// (q_halt, q_continue) of `p.batch` puzzles of y, to puzzle `p.out_offset` on in q_out.
pub fn q_head(b: &mut Builder, p: Params, y: &wgpu::Buffer, w: &wgpu::Buffer, bias: &wgpu::Buffer, q_out: &wgpu::Buffer) {
    let groups = b.grid(Kernel::QHead, (p.batch * 2) as usize);
    let (batch, d) = (u64::from(p.batch), u64::from(p.width));
    let work = Work::new(format!("1x2x{d}"), p.batch as usize, 2 * batch * 2 * d, f32s(batch * (d + 2) + 2) + b.weights(2 * d));
    b.push(Kernel::QHead, p, &[(1, y), (2, w), (6, bias), (7, q_out)], groups, work);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_match_the_shaders_uniform_block() {
        let rust = rust_params!(Params { batch, seq, prefix, cells, width, vocab, out_offset, logits_offset });
        assert_eq!(super::super::testing::wgsl_params(&SHADER), rust);
    }
}
