//! Products against weights packed once, at load, into the panel layout a register tile
//! reads: the CPU engine's path in WebAssembly.
//!
//! Why not matrixmultiply there: it packs both operands on every call (the weights are
//! re-copied for every product, every supervision step) and its wasm SIMD kernel is an 8x8
//! tile of sixteen 4-lane accumulators, which with its operands needs more than the 16
//! vector registers V8 has on x86-64, so the tile spills. Measured in node on the Sudoku
//! model at batch 16, that kernel ran at about 18 GFLOP/s and was 80% of a step. Here the
//! tile is MR x NR = 4 x 8 (eight accumulators, two weight vectors and one broadcast), the
//! weights are never copied again, and only the activations are packed per call.
//! Natively matrixmultiply's AVX2+FMA kernel stays the faster choice (see `Weight`).

use super::linear::View;

/// Columns of a weight panel: two 4-lane vectors.
pub const NR: usize = 8;
/// Rows of the register tile.
pub const MR: usize = 4;
/// Rows of activations packed at a time: MC x K floats (128 KiB at K = 512) stay in cache
/// while every weight panel passes over them.
const MC: usize = 16 * MR;

/// A [k, n] right-hand side stored as ceil(n / NR) panels of [k, NR], zero-padded.
#[derive(Clone)]
pub struct Packed {
    pub k: usize,
    pub n: usize,
    data: Vec<f32>,
}

impl Packed {
    /// From PyTorch's [out, in] layout: the product is then x @ W^T, with k = in, n = out.
    pub fn from_out_in(w: &[f32], d_out: usize, d_in: usize) -> Packed {
        let (k, n) = (d_in, d_out);
        let mut data = vec![0.0; n.div_ceil(NR) * k * NR];
        for j in 0..n {
            let panel = &mut data[(j / NR) * k * NR..(j / NR + 1) * k * NR];
            for (kk, &v) in w[j * k..(j + 1) * k].iter().enumerate() {
                panel[kk * NR + j % NR] = v;
            }
        }
        Packed { k, n, data }
    }
}

/// acc[i][j] = sum over kk of a[kk * MR + i] * b[kk * NR + j].
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn kernel(a: &[f32], b: &[f32]) -> [[f32; NR]; MR] {
    use core::arch::wasm32::*;
    let mut acc = [[f32x4_splat(0.0); 2]; MR];
    for (av, bv) in a.chunks_exact(MR).zip(b.chunks_exact(NR)) {
        // SAFETY: bv has exactly NR = 8 floats, so both 16-byte loads are in bounds; wasm
        // loads need no alignment.
        let (b0, b1) = unsafe { (v128_load(bv.as_ptr() as *const v128), v128_load(bv.as_ptr().add(4) as *const v128)) };
        for i in 0..MR {
            let s = f32x4_splat(av[i]);
            acc[i][0] = f32x4_add(acc[i][0], f32x4_mul(s, b0));
            acc[i][1] = f32x4_add(acc[i][1], f32x4_mul(s, b1));
        }
    }
    let mut out = [[0.0f32; NR]; MR];
    for i in 0..MR {
        for h in 0..2 {
            for l in 0..4 {
                out[i][h * 4 + l] = match l {
                    0 => f32x4_extract_lane::<0>(acc[i][h]),
                    1 => f32x4_extract_lane::<1>(acc[i][h]),
                    2 => f32x4_extract_lane::<2>(acc[i][h]),
                    _ => f32x4_extract_lane::<3>(acc[i][h]),
                };
            }
        }
    }
    out
}

/// The same tile in plain Rust, for every other target (and the native unit tests).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn kernel(a: &[f32], b: &[f32]) -> [[f32; NR]; MR] {
    let mut acc = [[0.0f32; NR]; MR];
    for (av, bv) in a.chunks_exact(MR).zip(b.chunks_exact(NR)) {
        for i in 0..MR {
            for j in 0..NR {
                acc[i][j] += av[i] * bv[j];
            }
        }
    }
    acc
}

/// C[m, n] = A[m, k] @ B, with A a strided view and C at strides (rsc, csc). `apack` is
/// scratch, grown as needed.
pub fn gemm_packed(m: usize, a: View, b: &Packed, c: &mut [f32], rsc: usize, csc: usize, apack: &mut Vec<f32>) {
    let (k, n) = (b.k, b.n);
    assert!(a.fits(m, k), "gemm operand out of bounds");
    assert!(m == 0 || n == 0 || (m - 1) * rsc + (n - 1) * csc < c.len(), "gemm output out of bounds");
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        // An empty sum: the product is zero (as matrixmultiply writes it).
        for i in 0..m {
            for j in 0..n {
                c[i * rsc + j * csc] = 0.0;
            }
        }
        return;
    }
    if apack.len() < MC * k {
        apack.resize(MC * k, 0.0);
    }
    for i0 in (0..m).step_by(MC) {
        let mc = MC.min(m - i0);
        let panels = mc.div_ceil(MR);
        // Rows past m are zeros: their results are computed and never stored.
        for p in 0..panels {
            let dst = &mut apack[p * k * MR..(p + 1) * k * MR];
            let row0 = i0 + p * MR;
            if a.rs == 1 && row0 + MR <= m {
                // Column-major A (SwiGLU's activations, the token-mixing view of h): a
                // panel's MR values at each kk are adjacent, one slice copy.
                for (kk, d) in dst.chunks_exact_mut(MR).enumerate() {
                    let at = row0 + kk * a.cs;
                    d.copy_from_slice(&a.data[at..at + MR]);
                }
                continue;
            }
            for i in 0..MR {
                let row = i0 + p * MR + i;
                if row < m {
                    for (kk, d) in dst.iter_mut().skip(i).step_by(MR).enumerate() {
                        *d = a.data[row * a.rs + kk * a.cs];
                    }
                } else {
                    dst.iter_mut().skip(i).step_by(MR).for_each(|d| *d = 0.0);
                }
            }
        }
        for (jp, bpanel) in b.data.chunks_exact(k * NR).enumerate() {
            let nr = NR.min(n - jp * NR);
            for p in 0..panels {
                let acc = kernel(&apack[p * k * MR..(p + 1) * k * MR], bpanel);
                let mr = MR.min(mc - p * MR);
                for (i, acc_row) in acc.iter().enumerate().take(mr) {
                    let base = (i0 + p * MR + i) * rsc + jp * NR * csc;
                    for (j, &v) in acc_row.iter().enumerate().take(nr) {
                        c[base + j * csc] = v;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_products_match_naive_for_ragged_shapes_and_strides() {
        // m crosses MC and leaves a partial MR tile, n a partial NR panel; A is read both
        // row-major and transposed, C written both ways.
        for &(m, k, n) in &[(1, 1, 1), (3, 5, 7), (70, 13, 9), (129, 64, 17), (64, 8, 16), (5, 0, 3)] {
            let x: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
            let w: Vec<f32> = (0..n * k).map(|i| (i as f32 * 0.11).cos()).collect();
            let b = Packed::from_out_in(&w, n, k);
            let want = |r: usize, o: usize| (0..k).map(|i| x[r * k + i] as f64 * w[o * k + i] as f64).sum::<f64>();
            let x_t: Vec<f32> = (0..k).flat_map(|i| (0..m).map(|r| x[r * k + i]).collect::<Vec<_>>()).collect();
            let mut apack = Vec::new();
            let mut c = vec![f32::NAN; m * n];
            gemm_packed(m, View::rows(&x, k), &b, &mut c, n, 1, &mut apack);
            let mut c_t = vec![f32::NAN; m * n];
            gemm_packed(m, View::transposed(&x_t, m), &b, &mut c_t, 1, m, &mut apack);
            for r in 0..m {
                for o in 0..n {
                    let w = want(r, o);
                    assert!((c[r * n + o] as f64 - w).abs() < 1e-4, "{m}x{k}x{n} at ({r}, {o})");
                    assert!((c_t[o * m + r] as f64 - w).abs() < 1e-4, "{m}x{k}x{n} transposed at ({r}, {o})");
                }
            }
        }
    }
}
