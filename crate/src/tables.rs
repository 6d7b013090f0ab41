//! What both engines compute from a model outside the network's matrix products: a puzzle's
//! input x (its embedding) and the rotary position tables. One definition, so that the CPU
//! and GPU engines cannot embed or rotate differently.

use crate::config::{Config, PosEncoding};
use crate::weights::Model;

/// x for one puzzle, [S, D]: the puzzle vector in the prefix rows, token embeddings after,
/// learned positions mixed in, scaled by sqrt(D). Both engines use it
/// (the GPU engine when it restarts a single slot), so a restarted copy is embedded exactly
/// as a loaded one.
pub fn embed_one(model: &Model, tokens: &[u32], puzzle_id: u32, xb: &mut [f32]) {
    let cfg = &model.config;
    let w = &model.weights;
    let (d, k) = (cfg.hidden_size, cfg.prefix_len());
    xb.fill(0.0);
    if let Some(table) = &w.puzzle_emb {
        // The puzzle vector fills the prefix rows in order, the rest stays zero.
        let p = cfg.puzzle_emb_ndim;
        let id = puzzle_id as usize;
        xb[..p].copy_from_slice(&table.data[id * p..(id + 1) * p]);
    }
    for (i, &tok) in tokens.iter().enumerate() {
        let t = tok as usize;
        xb[(k + i) * d..(k + i + 1) * d].copy_from_slice(&w.embed_tokens.data[t * d..(t + 1) * d]);
    }
    if let Some(pos) = &w.embed_pos {
        for (v, p) in xb.iter_mut().zip(&pos.data) {
            *v = std::f32::consts::FRAC_1_SQRT_2 * (*v + p);
        }
    }
    let scale = (d as f32).sqrt();
    xb.iter_mut().for_each(|v| *v *= scale);
}

/// cos/sin tables [S, head_dim] of the rotate-half RoPE: freqs = pos * theta^(-2i/hd),
/// duplicated across both halves. Computed in f32 as the reference does.
pub fn rope_tables(seq: usize, head_dim: usize, theta: f32) -> (Vec<f32>, Vec<f32>) {
    let half = head_dim / 2;
    let inv_freq: Vec<f32> = (0..half).map(|i| 1.0 / theta.powf((2 * i) as f32 / head_dim as f32)).collect();
    let mut cos = vec![0.0; seq * head_dim];
    let mut sin = vec![0.0; seq * head_dim];
    for p in 0..seq {
        for i in 0..head_dim {
            let f = p as f32 * inv_freq[i % half];
            cos[p * head_dim + i] = f.cos();
            sin[p * head_dim + i] = f.sin();
        }
    }
    (cos, sin)
}

/// cos/sin tables [S, head_dim] of 2-D RoPE in the same rotate-half layout: of the head_dim/2
/// rotation pairs, the first half turn with the cell's row and the second with its column, at
/// freqs theta^(-j/(head_dim/4)). Cells sit at rows and columns 1..=side; the prefix rows at
/// (0, 0), unrotated.
pub fn rope2d_tables(prefix: usize, side: usize, head_dim: usize, theta: f32) -> (Vec<f32>, Vec<f32>) {
    let (half, quarter) = (head_dim / 2, head_dim / 4);
    let inv_freq: Vec<f32> = (0..quarter).map(|j| 1.0 / theta.powf(j as f32 / quarter as f32)).collect();
    let seq = prefix + side * side;
    let mut cos = vec![0.0; seq * head_dim];
    let mut sin = vec![0.0; seq * head_dim];
    for p in 0..seq {
        let (row, col) = if p < prefix { (0, 0) } else { ((p - prefix) / side + 1, (p - prefix) % side + 1) };
        for i in 0..head_dim {
            let k = i % half;
            let f = if k < quarter { row as f32 * inv_freq[k] } else { col as f32 * inv_freq[k - quarter] };
            cos[p * head_dim + i] = f.cos();
            sin[p * head_dim + i] = f.sin();
        }
    }
    (cos, sin)
}

/// The rotary tables a model's attention uses; None when it has no rotary positions (or no
/// attention). `Config::validate` has checked head_dim and, for 2-D, the square grid.
pub fn rope_tables_for(cfg: &Config) -> Option<(Vec<f32>, Vec<f32>)> {
    if cfg.mlp_t {
        return None;
    }
    match cfg.pos_encodings {
        PosEncoding::Rope => Some(rope_tables(cfg.full_seq_len(), cfg.head_dim(), cfg.rope_theta)),
        PosEncoding::Rope2d => {
            let side = cfg.grid_side()?;
            Some(rope2d_tables(cfg.prefix_len(), side, cfg.head_dim(), cfg.rope_theta))
        }
        PosEncoding::Learned | PosEncoding::None => None,
    }
}
