//! Non-causal multi-head self-attention with rotary positions (rotate-half layout),
//! no mask: every position, PAD and prefix included, attends to every other.

use super::linear::{gemm, View};

/// cos/sin tables [S, head_dim] of the rotate-half RoPE: freqs = pos * theta^(-2i/hd),
/// duplicated across both halves. Computed in f32 as the reference does.
pub fn rope_tables(seq: usize, head_dim: usize, theta: f32) -> (Vec<f32>, Vec<f32>) {
    let half = head_dim / 2;
    let inv_freq: Vec<f32> =
        (0..half).map(|i| 1.0 / theta.powf((2 * i) as f32 / head_dim as f32)).collect();
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

/// Rotate one head vector in place: q' = q*cos + rotate_half(q)*sin, rotate_half([a,b]) = [-b,a].
pub fn rope_apply(v: &mut [f32], cos: &[f32], sin: &[f32]) {
    let half = v.len() / 2;
    for i in 0..half {
        let (a, b) = (v[i], v[i + half]);
        v[i] = a * cos[i] - b * sin[i];
        v[i + half] = b * cos[i + half] + a * sin[i + half];
    }
}

pub struct AttnScratch {
    pub scores: Vec<f32>,
}

/// qkv: [S, 3*H*hd] for one puzzle, Q heads first, then K, then V. RoPE (if given) is
/// applied to Q and K in place. Writes the heads' outputs to `out` [S, H*hd].
#[allow(clippy::too_many_arguments)]
pub fn attention(
    qkv: &mut [f32],
    seq: usize,
    heads: usize,
    head_dim: usize,
    rope: Option<(&[f32], &[f32])>,
    scratch: &mut AttnScratch,
    out: &mut [f32],
) {
    let d = heads * head_dim;
    let w = 3 * d;
    if let Some((cos, sin)) = rope {
        for p in 0..seq {
            let (c, s) = (&cos[p * head_dim..(p + 1) * head_dim], &sin[p * head_dim..(p + 1) * head_dim]);
            for h in 0..2 * heads {
                let off = p * w + h * head_dim;
                rope_apply(&mut qkv[off..off + head_dim], c, s);
            }
        }
    }
    let scale = 1.0 / (head_dim as f32).sqrt();
    let scores = &mut scratch.scores[..seq * seq];
    for h in 0..heads {
        let q = View { data: &qkv[h * head_dim..], rs: w, cs: 1 };
        let k_t = View { data: &qkv[(heads + h) * head_dim..], rs: 1, cs: w };
        gemm(seq, head_dim, seq, scale, q, k_t, 0.0, scores, seq, 1);
        for row in scores.chunks_exact_mut(seq) {
            let max = row.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
            let mut sum = 0.0;
            for v in row.iter_mut() {
                *v = (*v - max).exp();
                sum += *v;
            }
            let inv = 1.0 / sum;
            row.iter_mut().for_each(|v| *v *= inv);
        }
        let v = View { data: &qkv[(2 * heads + h) * head_dim..], rs: w, cs: 1 };
        gemm(seq, seq, head_dim, 1.0, View::rows(scores, seq), v, 0.0, &mut out[h * head_dim..], d, 1);
    }
}
