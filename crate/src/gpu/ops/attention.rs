//! Non-causal multi-head attention over a fused qkv buffer, streaming softmax (no S x S
//! score matrix). shaders/attention.wgsl has the kernel.

use bytemuck::{Pod, Zeroable};

use super::{f32s, u, wide, Builder, Kernel, Shader, Work};
use crate::config::Config;

/// Invocations a workgroup, one query row each.
pub const WG: u32 = 64;
/// Keys and values shared through workgroup memory at a time, at the widest heads.
pub const TILE: u32 = 16;
/// The largest head width an invocation holds in registers (TRM's is 64).
pub const MAX_HD: u32 = 64;
/// The shared keys and values of a tile at most: TILE keys of MAX_HD (half WebGPU's default
/// 16 KiB of workgroup memory).
const TILE_BYTES: u32 = 2 * TILE * MAX_HD * 4;
/// Keys a tile at the narrowest heads (on lavapipe 32 keys of 16 dims ran about 12% faster
/// than 16, and 64 slower).
const MAX_TILE: u32 = 32;

pub const SHADER: Shader = Shader {
    name: "attention",
    source: include_str!("../../../../shaders/attention.wgsl"),
    consts: &[("WG", WG), ("TILE", TILE), ("HD4", MAX_HD / 4)],
    parts: &[],
    weights: false,
};

/// The host's constants for `cfg`'s pipelines. Its head dim in vec4s (rounded up), which
/// sizes each invocation's registers and the shared keys and values, so a model with narrow
/// heads does no work on padding (the engine refuses a head dim above [`MAX_HD`]); at least
/// one: an mlp_t model never runs attention and its head count is not checked, so its head
/// dim may be 0, and WGSL has no empty arrays. And the keys a tile shares: as many as fit in
/// [`TILE_BYTES`] up to [`MAX_TILE`], so that narrow heads walk the sequence in fewer tiles
/// (a global load and two barriers each).
pub fn consts(cfg: &Config) -> [(&'static str, u32); 2] {
    let hd4 = u(cfg.head_dim().min(MAX_HD as usize)).div_ceil(4).max(1);
    let tile = (TILE_BYTES / (2 * hd4 * 16)).clamp(TILE, MAX_TILE);
    [("HD4", hd4), ("TILE", tile)]
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
pub struct Params {
    pub seq: u32,
    pub heads: u32,
    pub head_dim: u32,
    pub _pad0: u32,
    pub scale: f32,
    pub _pad1: [u32; 3],
}

/// out [puzzles * S, heads * head_dim] from qkv [puzzles * S, 3 * heads * head_dim].
pub fn attention(b: &mut Builder, cfg: &Config, qkv: &wgpu::Buffer, out: &wgpu::Buffer, puzzles: usize) {
    let (seq, heads, head_dim) = (cfg.full_seq_len(), cfg.num_heads, cfg.head_dim());
    let p = Params { seq: u(seq), heads: u(heads), head_dim: u(head_dim), _pad0: 0, scale: 1.0 / (head_dim as f32).sqrt(), _pad1: [0; 3] };
    let groups = [u(seq).div_ceil(b.per_group(Kernel::Attention)[0]), u(heads), u(puzzles)];
    // Scores and their weighted sum: two S x S x hd products per head; q, k, v in, out out.
    let work = Work::new(
        format!("S={seq} heads={heads}x{head_dim}"),
        puzzles,
        4 * wide(seq * seq) * wide(heads * head_dim) * wide(puzzles),
        f32s(4 * wide(seq * heads * head_dim) * wide(puzzles)),
    );
    b.push(Kernel::Attention, p, &[(1, qkv), (2, out)], groups, work);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Narrow heads share more keys a tile, and no head width the engine takes puts more in
    /// workgroup memory than the widest heads' tile.
    #[test]
    fn narrow_heads_share_more_keys_in_no_more_memory() {
        let bytes = |hd: usize| {
            let cfg = Config { hidden_size: hd * 4, num_heads: 4, ..crate::puzzle::PuzzleKind::Arc.paper_config() };
            let [(_, hd4), (_, tile)] = consts(&cfg);
            (tile, 2 * tile * hd4 * 16)
        };
        assert_eq!(bytes(64), (TILE, TILE_BYTES));
        assert_eq!(bytes(16).0, 32);
        for hd in 1..=MAX_HD as usize {
            assert!(bytes(hd).1 <= TILE_BYTES, "head dim {hd}");
        }
    }

    #[test]
    fn params_match_the_shaders_uniform_block() {
        assert_eq!(super::super::testing::wgsl_params(&SHADER), rust_params!(Params { seq, heads, head_dim, scale }));
    }
}
