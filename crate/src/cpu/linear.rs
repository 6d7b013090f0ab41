//! Matrix products. `matrixmultiply` gives cache-blocked SIMD GEMM with arbitrary
//! strides in pure Rust (it builds for wasm32 too), so transposed operands, such as the
//! token-mixing MLP's view of h as [D, S], cost no copy. It does pack both operands on every
//! call, and packs fast only where a side is contiguous along its output axis, which is why
//! the CPU engine keeps its weights [in, out].

use super::packed::{gemm_packed, Packed};
use crate::tensor::Tensor;

/// Strided view of a matrix inside a slice: element (i, j) is at `i * rs + j * cs`.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub data: &'a [f32],
    pub rs: usize,
    pub cs: usize,
}

impl<'a> View<'a> {
    pub fn rows(data: &'a [f32], width: usize) -> Self {
        View { data, rs: width, cs: 1 }
    }
    /// A row-major [r, c] matrix read as its transpose [c, r].
    pub fn transposed(data: &'a [f32], width: usize) -> Self {
        View { data, rs: 1, cs: width }
    }
    pub(crate) fn fits(&self, rows: usize, cols: usize) -> bool {
        rows == 0 || cols == 0 || (rows - 1) * self.rs + (cols - 1) * self.cs < self.data.len()
    }
}

/// C[m, n] = alpha * A[m, k] @ B[k, n] + beta * C, with C at strides (rsc, csc).
#[allow(clippy::too_many_arguments)]
pub fn gemm(
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: View,
    b: View,
    beta: f32,
    c: &mut [f32],
    rsc: usize,
    csc: usize,
) {
    // The bounds checks make the unsafe call below sound; sizes come from a validated
    // config, so a failure here is a bug in the engine, never bad user input.
    assert!(a.fits(m, k) && b.fits(k, n), "gemm operand out of bounds");
    assert!(m == 0 || n == 0 || (m - 1) * rsc + (n - 1) * csc < c.len(), "gemm output out of bounds");
    if m == 0 || n == 0 {
        return;
    }
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            alpha,
            a.data.as_ptr(),
            a.rs as isize,
            a.cs as isize,
            b.data.as_ptr(),
            b.rs as isize,
            b.cs as isize,
            beta,
            c.as_mut_ptr(),
            rsc as isize,
            csc as isize,
        );
    }
}

/// A weight matrix, held in the layout its products read fastest: [in, out] row-major
/// for matrixmultiply (natively), or packed panels for our own kernel (WebAssembly; see
/// packed.rs). matrixmultiply packs its operands on every call and copies the right-hand
/// side only when it is contiguous along `out`; read in PyTorch's [out, in] order, packing
/// gathered strided floats and took about a quarter of a batch-1 Sudoku step.
pub enum Weight {
    Kn { data: Vec<f32>, k: usize, n: usize },
    Packed(Packed),
}

impl Weight {
    /// From PyTorch's [out, in] layout. Both sizes are given because either may be 0 (a
    /// valid config can make a SwiGLU's inner width 0), and then `w` is empty.
    pub fn new(w: &[f32], d_out: usize, d_in: usize, packed: bool) -> Weight {
        assert_eq!(w.len(), d_out * d_in, "weight size");
        if packed {
            return Weight::Packed(Packed::from_out_in(w, d_out, d_in));
        }
        let n = d_out;
        let mut data = vec![0.0; w.len()];
        for o in 0..n {
            for i in 0..d_in {
                data[i * n + o] = w[o * d_in + i];
            }
        }
        Weight::Kn { data, k: d_in, n }
    }

    /// From a model tensor: stored [out, in], shape checked against the config at load.
    pub fn from_tensor(t: &Tensor, packed: bool) -> Weight {
        Weight::new(&t.data, t.shape[0], t.shape[1], packed)
    }

    pub fn d_in(&self) -> usize {
        match self {
            Weight::Kn { k, .. } => *k,
            Weight::Packed(p) => p.k,
        }
    }

    /// C[m, out] = A[m, in] @ W^T (in PyTorch's terms), C at strides (rsc, csc).
    pub fn matmul(&self, m: usize, a: View, c: &mut [f32], rsc: usize, csc: usize, apack: &mut Vec<f32>) {
        match self {
            Weight::Kn { data, k, n } => gemm(m, *k, *n, 1.0, a, View::rows(data, *n), 0.0, c, rsc, csc),
            Weight::Packed(p) => gemm_packed(m, a, p, c, rsc, csc, apack),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_weight_layouts_match_naive() {
        let (rows, d_in, d_out) = (5, 7, 3);
        let x: Vec<f32> = (0..rows * d_in).map(|i| (i as f32 * 0.37).sin()).collect();
        // w is [d_out, d_in], as PyTorch stores it.
        let w: Vec<f32> = (0..d_out * d_in).map(|i| (i as f32 * 0.11).cos()).collect();
        for packed in [false, true] {
            let mut out = vec![0.0; rows * d_out];
            Weight::new(&w, d_out, d_in, packed).matmul(rows, View::rows(&x, d_in), &mut out, d_out, 1, &mut Vec::new());
            for r in 0..rows {
                for o in 0..d_out {
                    let want: f32 = (0..d_in).map(|i| x[r * d_in + i] * w[o * d_in + i]).sum();
                    assert!((out[r * d_out + o] - want).abs() < 1e-5, "packed {packed}");
                }
            }
        }
    }
}
