//! SwiGLU: [gate | up] = x @ gate_up^T, out = (silu(gate) * up) @ down^T, with the weights
//! held transposed ([in, out]) by the CPU engine.

use super::attention::exp_nonpositive;
use super::linear::{View, Weight};
use multiversion::multiversion;

/// x * sigmoid(x) from e^-|x|, so the exponential is the branch-free one that vectorises:
/// libm's scalar `expf` here was 13% of a batch-1 Sudoku step.
#[inline(always)]
fn silu(x: f32) -> f32 {
    let e = exp_nonpositive(-x.abs());
    let r = 1.0 / (1.0 + e);
    x * if x >= 0.0 { r } else { e * r }
}

/// gate = silu(gate) * up, element-wise over two equal slices.
#[multiversion(targets("x86_64+avx2+fma"))]
pub fn gate_in_place(gate: &mut [f32], up: &[f32]) {
    for (g, u) in gate.iter_mut().zip(up) {
        *g = silu(*g) * u;
    }
}

/// Rows per pass: a chunk's [gate | up] (2I x 128 floats, 512 KiB at I = 512) stays in
/// cache between the two products and the gate, instead of a batch's worth of it (4 MiB for
/// 16 Sudoku puzzles) going out to memory and back. The weights are packed again per chunk,
/// a copy that is small next to a chunk's products.
const CHUNK_ROWS: usize = 128;

/// out (strided, [rows, width]) = SwiGLU(x) where x is a strided [rows, width] view and
/// `gate_up` maps width to 2 * inner, `down` inner to width. `gu` is scratch of at least
/// min(rows, CHUNK_ROWS) * 2 * inner floats, `apack` the packed kernel's.
#[allow(clippy::too_many_arguments)]
pub fn swiglu(
    x: View,
    rows: usize,
    gate_up: &Weight,
    down: &Weight,
    gu: &mut [f32],
    out: &mut [f32],
    rs_out: usize,
    cs_out: usize,
    apack: &mut Vec<f32>,
) {
    let inner = down.d_in();
    for r0 in (0..rows).step_by(CHUNK_ROWS) {
        let m = CHUNK_ROWS.min(rows - r0);
        let xc = View { data: &x.data[r0 * x.rs..], rs: x.rs, cs: x.cs };
        // [gate | up] written column-major ([2I, m] in memory): gate and up are then two
        // contiguous blocks, and the activations are a left operand that matrixmultiply packs
        // by copying (row-major, it gathers one float per row).
        let gu = &mut gu[..2 * inner * m];
        gate_up.matmul(m, xc, gu, 1, m, apack);
        let (gate, up) = gu.split_at_mut(inner * m);
        gate_in_place(gate, up);
        let act = View { data: gate, rs: 1, cs: m };
        down.matmul(m, act, &mut out[r0 * rs_out..], rs_out, cs_out, apack);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SwiGLU straight from its definition, in f64, on row-major x.
    fn naive(x: &[f32], rows: usize, width: usize, gate_up: &[f32], down: &[f32], inner: usize) -> Vec<f32> {
        let mut out = vec![0.0; rows * width];
        for r in 0..rows {
            let h: Vec<f64> = (0..2 * inner)
                .map(|j| (0..width).map(|k| x[r * width + k] as f64 * gate_up[k * 2 * inner + j] as f64).sum())
                .collect();
            let act: Vec<f64> = (0..inner).map(|j| h[j] / (1.0 + (-h[j]).exp()) * h[inner + j]).collect();
            for c in 0..width {
                out[r * width + c] = (0..inner).map(|j| act[j] * down[j * width + c] as f64).sum::<f64>() as f32;
            }
        }
        out
    }

    #[test]
    fn chunked_and_strided_swiglu_matches_its_definition() {
        // 300 rows: two full chunks and a partial one; x and out also read/written transposed,
        // as the token-mixing block does.
        let (rows, width, inner) = (300, 5, 7);
        let x: Vec<f32> = (0..rows * width).map(|i| (i as f32 * 0.37).sin() * 3.0).collect();
        // [in, out] here, as `naive` reads them; the weights are built from their transposes.
        let gate_up: Vec<f32> = (0..width * 2 * inner).map(|i| (i as f32 * 0.11).cos()).collect();
        let down: Vec<f32> = (0..inner * width).map(|i| (i as f32 * 0.23).sin()).collect();
        let want = naive(&x, rows, width, &gate_up, &down, inner);
        let transpose = |w: &[f32], r: usize, c: usize| -> Vec<f32> {
            (0..c).flat_map(|j| (0..r).map(move |i| w[i * c + j])).collect()
        };
        let (gu_t, down_t) = (transpose(&gate_up, width, 2 * inner), transpose(&down, inner, width));
        let mut gu = vec![0.0; CHUNK_ROWS * 2 * inner];
        let mut apack = Vec::new();
        for packed in [false, true] {
            let (gu_w, down_w) = (Weight::new(&gu_t, 2 * inner, width, packed), Weight::new(&down_t, width, inner, packed));
            let mut out = vec![0.0; rows * width];
            swiglu(View::rows(&x, width), rows, &gu_w, &down_w, &mut gu, &mut out, width, 1, &mut apack);
            let x_t: Vec<f32> =
                (0..width).flat_map(|c| (0..rows).map(|r| x[r * width + c]).collect::<Vec<_>>()).collect();
            let mut out_t = vec![0.0; rows * width];
            swiglu(View::transposed(&x_t, rows), rows, &gu_w, &down_w, &mut gu, &mut out_t, 1, rows, &mut apack);
            for r in 0..rows {
                for c in 0..width {
                    let w = want[r * width + c];
                    assert!((out[r * width + c] - w).abs() < 1e-4 * (1.0 + w.abs()), "packed {packed} row {r} col {c}");
                    assert!((out_t[c * rows + r] - w).abs() < 1e-4 * (1.0 + w.abs()), "packed {packed} transposed {r} {c}");
                }
            }
        }
    }

    #[test]
    fn silu_matches_its_definition_across_the_range() {
        let mut x = -100.0f32;
        while x < 100.0 {
            let want = x as f64 / (1.0 + (-(x as f64)).exp());
            assert!((silu(x) as f64 - want).abs() <= 1e-6 * (1.0 + want.abs()), "silu({x})");
            x += 0.0137;
        }
    }
}
