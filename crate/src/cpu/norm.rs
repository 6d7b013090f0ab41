//! RMSNorm without a learned gain (TRM_SPEC.md), over the channel axis of [rows, D], or
//! over the sequence axis for the token-mixing block (h viewed as [D, S]).

/// Each row of `x` ([rows, width]) divided by sqrt(mean(row^2) + eps).
pub fn rms_rows(x: &mut [f32], width: usize, eps: f32) {
    for row in x.chunks_exact_mut(width) {
        let ms = row.iter().map(|v| v * v).sum::<f32>() / width as f32;
        let inv = 1.0 / (ms + eps).sqrt();
        row.iter_mut().for_each(|v| *v *= inv);
    }
}

/// x is [S, D] row-major; normalise each channel d over the S positions.
pub fn rms_columns(x: &mut [f32], seq: usize, width: usize, eps: f32, sumsq: &mut [f32]) {
    let sumsq = &mut sumsq[..width];
    sumsq.fill(0.0);
    for row in x.chunks_exact(width).take(seq) {
        for (acc, v) in sumsq.iter_mut().zip(row) {
            *acc += v * v;
        }
    }
    for acc in sumsq.iter_mut() {
        *acc = 1.0 / (*acc / seq as f32 + eps).sqrt();
    }
    for row in x.chunks_exact_mut(width).take(seq) {
        for (v, inv) in row.iter_mut().zip(sumsq.iter()) {
            *v *= inv;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_equal_rows_of_transpose() {
        let (s, d) = (4, 3);
        let mut x: Vec<f32> = (0..s * d).map(|i| i as f32 - 5.0).collect();
        let mut t: Vec<f32> = (0..d).flat_map(|c| (0..s).map(move |r| (r * d + c) as f32 - 5.0)).collect();
        rms_columns(&mut x, s, d, 1e-5, &mut vec![0.0; d]);
        rms_rows(&mut t, s, 1e-5);
        for r in 0..s {
            for c in 0..d {
                assert!((x[r * d + c] - t[c * s + r]).abs() < 1e-6);
            }
        }
    }
}
