//! Matrix products. `matrixmultiply` gives cache-blocked SIMD GEMM with arbitrary
//! strides in pure Rust (it builds for wasm32 too), so transposed operands, such as the
//! token-mixing MLP's view of h as [D, S], cost no copy. It does pack both operands on every
//! call, and packs fast only where a side is contiguous along its output axis, which is why
//! the CPU engine keeps its weights [in, out].

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
    fn fits(&self, rows: usize, cols: usize) -> bool {
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

/// out[rows, d_out] = x[rows, d_in] @ W with W stored [d_in, d_out], the layout the CPU
/// engine keeps its weights in (see `KnLayer`).
pub fn linear_kn(x: &[f32], rows: usize, w: &[f32], d_in: usize, d_out: usize, out: &mut [f32]) {
    gemm(rows, d_in, d_out, 1.0, View::rows(x, d_in), View::rows(w, d_out), 0.0, out, d_out, 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_kn_matches_naive() {
        let (rows, d_in, d_out) = (5, 7, 3);
        let x: Vec<f32> = (0..rows * d_in).map(|i| (i as f32 * 0.37).sin()).collect();
        // w is [d_in, d_out].
        let w: Vec<f32> = (0..d_in * d_out).map(|i| (i as f32 * 0.11).cos()).collect();
        let mut out = vec![0.0; rows * d_out];
        linear_kn(&x, rows, &w, d_in, d_out, &mut out);
        for r in 0..rows {
            for o in 0..d_out {
                let want: f32 = (0..d_in).map(|i| x[r * d_in + i] * w[i * d_out + o]).sum();
                assert!((out[r * d_out + o] - want).abs() < 1e-5);
            }
        }
    }
}
