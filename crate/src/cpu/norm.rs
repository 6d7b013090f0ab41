//! RMSNorm without a learned gain (docs/MODEL.md), over the channel axis of [rows, D], or
//! over the sequence axis for the token-mixing block (h viewed as [D, S]), each fused with
//! the residual add before it so that h is read and written once.
//!
//! The loops are compiled twice, for the portable baseline and for AVX2+FMA, and the
//! variant is picked at run time, so a native build stays runnable on any x86-64.

use multiversion::multiversion;

/// Independent partial sums, so the compiler can keep them in vector lanes (one running
/// sum is a dependency chain it may not reorder).
const LANES: usize = 8;

#[inline(always)]
fn sum_of_squares(row: &[f32]) -> f32 {
    let mut s = [0.0f32; LANES];
    let mut chunks = row.chunks_exact(LANES);
    for c in &mut chunks {
        for i in 0..LANES {
            s[i] += c[i] * c[i];
        }
    }
    s.iter().sum::<f32>() + chunks.remainder().iter().map(|v| v * v).sum::<f32>()
}

/// h = rms_norm(h + t) along each row of width `width`.
#[multiversion(targets("x86_64+avx2+fma"))]
pub fn add_rms_rows(h: &mut [f32], t: &[f32], width: usize, eps: f32) {
    for (row, add) in h.chunks_exact_mut(width).zip(t.chunks_exact(width)) {
        row.iter_mut().zip(add).for_each(|(a, b)| *a += b);
        let inv = 1.0 / (sum_of_squares(row) / width as f32 + eps).sqrt();
        row.iter_mut().for_each(|v| *v *= inv);
    }
}

/// h, t are [S, D] row-major; h = h + t, then each channel d normalised over the S positions.
#[multiversion(targets("x86_64+avx2+fma"))]
pub fn add_rms_columns(h: &mut [f32], t: &[f32], seq: usize, width: usize, eps: f32, sumsq: &mut [f32]) {
    let sumsq = &mut sumsq[..width];
    sumsq.fill(0.0);
    for (row, add) in h.chunks_exact_mut(width).zip(t.chunks_exact(width)).take(seq) {
        for ((acc, v), b) in sumsq.iter_mut().zip(row.iter_mut()).zip(add) {
            *v += b;
            *acc += *v * *v;
        }
    }
    for acc in sumsq.iter_mut() {
        *acc = 1.0 / (*acc / seq as f32 + eps).sqrt();
    }
    for row in h.chunks_exact_mut(width).take(seq) {
        for (v, inv) in row.iter_mut().zip(sumsq.iter()) {
            *v *= inv;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_rows(x: &[f32], width: usize, eps: f32) -> Vec<f32> {
        x.chunks(width)
            .flat_map(|r| {
                let ms = r.iter().map(|v| (*v as f64).powi(2)).sum::<f64>() / width as f64;
                r.iter().map(move |v| (*v as f64 / (ms + eps as f64).sqrt()) as f32)
            })
            .collect()
    }

    #[test]
    fn rows_match_a_naive_norm_of_the_sum() {
        // 13 is not a multiple of the lane count, so the remainder path runs too.
        let (rows, width) = (5, 13);
        let h: Vec<f32> = (0..rows * width).map(|i| (i as f32 * 0.37).sin()).collect();
        let t: Vec<f32> = (0..rows * width).map(|i| (i as f32 * 0.11).cos()).collect();
        let sum: Vec<f32> = h.iter().zip(&t).map(|(a, b)| a + b).collect();
        let mut got = h.clone();
        add_rms_rows(&mut got, &t, width, 1e-5);
        for (g, w) in got.iter().zip(naive_rows(&sum, width, 1e-5)) {
            assert!((g - w).abs() < 1e-5, "{g} vs {w}");
        }
    }

    #[test]
    fn columns_equal_rows_of_transpose() {
        let (s, d) = (4, 3);
        let mut x: Vec<f32> = (0..s * d).map(|i| i as f32 - 5.0).collect();
        let zeros = vec![0.0; s * d];
        let mut t: Vec<f32> = (0..d).flat_map(|c| (0..s).map(move |r| (r * d + c) as f32 - 5.0)).collect();
        add_rms_columns(&mut x, &zeros, s, d, 1e-5, &mut vec![0.0; d]);
        add_rms_rows(&mut t, &zeros, s, 1e-5);
        for r in 0..s {
            for c in 0..d {
                assert!((x[r * d + c] - t[c * s + r]).abs() < 1e-6);
            }
        }
    }
}
