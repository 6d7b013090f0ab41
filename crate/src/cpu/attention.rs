//! Non-causal multi-head self-attention with rotary positions (rotate-half layout),
//! no mask: every position, PAD and prefix included, attends to every other.

use super::linear::{gemm, View};

/// Rotate one head vector in place: q' = q*cos + rotate_half(q)*sin, rotate_half([a,b]) = [-b,a].
pub fn rope_apply(v: &mut [f32], cos: &[f32], sin: &[f32]) {
    let half = v.len() / 2;
    for i in 0..half {
        let (a, b) = (v[i], v[i + half]);
        v[i] = a * cos[i] - b * sin[i];
        v[i + half] = b * cos[i + half] + a * sin[i + half];
    }
}

/// e^x for the shifted scores of a softmax (x <= 0), within about 1 ulp of `f32::exp`.
/// ARC's S = 916 makes 840k exponentials per head and call, and libm's `expf` is a scalar call
/// that cost more than both attention GEMMs together; this branch-free form vectorises.
/// x = n ln2 + r with |r| <= ln2/2; e^r by its Taylor polynomial to r^6 (remainder below
/// 1.2e-7 relative); 2^n built in the exponent bits. Below -87 the result would leave the
/// normal range, and there e^x < 2e-38 counts as 0 next to the row's maximum term of 1.
#[inline(always)]
pub fn exp_nonpositive(x: f32) -> f32 {
    const LOG2_E: f32 = std::f32::consts::LOG2_E;
    // ln 2 split so that n * LN2_HI is exact for |n| < 2^8.
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // Adding and subtracting 1.5 * 2^23 rounds to the nearest integer without a call.
    const ROUND: f32 = 12_582_912.0;
    // Computed on the clamped value and selected after, so the loop has no branch.
    // A comparison, not `f32::max`: on wasm32 that is a call to libm's fmaxf (for its NaN
    // rules), and a call in the loop stops it vectorising.
    let xc = if x > -87.0 { x } else { -87.0 };
    let t = xc * LOG2_E + ROUND;
    let n = t - ROUND;
    let r = xc - n * LN2_HI - n * LN2_LO;
    let p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    // t's bits are ROUND's plus n (two's complement), so 2^n's exponent field is had with
    // integer adds alone: `n as i32` is a saturating scalar conversion that stops vectorising.
    let two_n = f32::from_bits(t.to_bits().wrapping_sub(ROUND.to_bits()).wrapping_add(127) << 23);
    let e = p * two_n;
    if x < -87.0 {
        0.0
    } else {
        e
    }
}

/// Lanes for the row reductions: eight independent partial maxima and sums let the compiler
/// use vector registers (a single running sum is one long dependency chain).
const LANES: usize = 8;

/// softmax over one row of scores, in place. Compiled for the baseline and AVX2+FMA (see
/// norm.rs).
#[multiversion::multiversion(targets("x86_64+avx2+fma"))]
fn softmax_in_place(row: &mut [f32]) {
    let mut m = [f32::NEG_INFINITY; LANES];
    let mut chunks = row.chunks_exact(LANES);
    for c in &mut chunks {
        for i in 0..LANES {
            m[i] = if c[i] > m[i] { c[i] } else { m[i] };
        }
    }
    let mut max = chunks.remainder().iter().fold(f32::NEG_INFINITY, |a, &v| if v > a { v } else { a });
    for v in m {
        max = if v > max { v } else { max };
    }
    row.iter_mut().for_each(|v| *v = exp_nonpositive(*v - max));
    let mut s = [0.0f32; LANES];
    let mut chunks = row.chunks_exact(LANES);
    for c in &mut chunks {
        for i in 0..LANES {
            s[i] += c[i];
        }
    }
    let sum: f32 = s.iter().sum::<f32>() + chunks.remainder().iter().sum::<f32>();
    let inv = 1.0 / sum;
    row.iter_mut().for_each(|v| *v *= inv);
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
            softmax_in_place(row);
        }
        let v = View { data: &qkv[(2 * heads + h) * head_dim..], rs: w, cs: 1 };
        gemm(seq, seq, head_dim, 1.0, View::rows(scores, seq), v, 0.0, &mut out[h * head_dim..], d, 1);
    }
}

#[cfg(test)]
mod tests {
    use super::exp_nonpositive;

    #[test]
    fn exp_matches_libm_on_the_softmax_range() {
        let mut worst = 0.0f64;
        let mut x = 0.0f32;
        while x > -90.0 {
            let (got, want) = (exp_nonpositive(x) as f64, (x as f64).exp());
            if want > 1e-37 {
                worst = worst.max((got - want).abs() / want);
            } else {
                assert!(got < 1e-36, "e^{x} = {got}");
            }
            x -= 0.000_37;
        }
        // f32 has 6e-8 relative resolution; 3e-7 is a few ulp.
        assert!(worst < 3e-7, "worst relative error {worst}");
        assert_eq!(exp_nonpositive(0.0), 1.0);
    }
}
