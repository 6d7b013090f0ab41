//! SwiGLU: [gate | up] = x @ gate_up^T, out = (silu(gate) * up) @ down^T, with the weights
//! held transposed ([in, out]) by the CPU engine.

use super::attention::exp_nonpositive;
use super::linear::{gemm, View};
use multiversion::multiversion;

/// x * sigmoid(x) from e^-|x|, so the exponential is the branch-free one that vectorises:
/// libm's scalar `expf` here was 13% of a batch-1 Sudoku step.
#[inline(always)]
fn silu(x: f32) -> f32 {
    let e = exp_nonpositive(-x.abs());
    let r = 1.0 / (1.0 + e);
    x * if x >= 0.0 { r } else { e * r }
}

/// Collapse [rows, 2I] of [gate | up] into the first I columns of each row: silu(gate) * up.
#[multiversion(targets("x86_64+avx2+fma"))]
pub fn gate_in_place(gu: &mut [f32], rows: usize, inner: usize) {
    for r in 0..rows {
        let row = &mut gu[r * 2 * inner..(r + 1) * 2 * inner];
        let (gate, up) = row.split_at_mut(inner);
        for (g, u) in gate.iter_mut().zip(up.iter()) {
            *g = silu(*g) * u;
        }
    }
}

/// out (strided, [rows, width]) = SwiGLU(x) where x is a strided [rows, width] view.
/// `gate_up` is [width, 2 * inner] and `down` [inner, width], both row-major;
/// `gu` is scratch of at least rows * 2 * inner.
#[allow(clippy::too_many_arguments)]
pub fn swiglu(
    x: View,
    rows: usize,
    width: usize,
    gate_up: &[f32],
    down: &[f32],
    inner: usize,
    gu: &mut [f32],
    out: &mut [f32],
    rs_out: usize,
    cs_out: usize,
) {
    gemm(rows, width, 2 * inner, 1.0, x, View::rows(gate_up, 2 * inner), 0.0, gu, 2 * inner, 1);
    gate_in_place(gu, rows, inner);
    // The gated activations sit in the first half of each 2I-wide row.
    let act = View { data: &gu[..rows * 2 * inner], rs: 2 * inner, cs: 1 };
    gemm(rows, inner, width, 1.0, act, View::rows(down, width), 0.0, out, rs_out, cs_out);
}
