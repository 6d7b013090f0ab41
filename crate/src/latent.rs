//! The latent view: each cell's answer state y (z_H) and latent z (z_L), D numbers each,
//! shown as a colour. A model file may carry a fixed projection per state (the three
//! leading principal directions of that state over a set of example runs, with their mean
//! and spread), so that a colour means the same thing at every step and for every puzzle.
//! `trm latent-basis` computes it and writes it into the model file as six optional tensors
//! (`latent_basis.{y,z}.{mean,components,scale}`).
//!
//! Engines only project: after an answer update they can read, per cell, the dot products
//! of y and z with the three directions (`Engine::read_latent`), a [B, seq_len, 3] read-back
//! instead of [B, seq_len, D]. Centring and scaling to a colour happen here.

use crate::error::{Result, TrmError};
use crate::tensor::{StoredAs, Tensor};

/// Principal directions per state: red, green and blue.
pub const COMPONENTS: usize = 3;

/// One state's projection: colour channel k of a cell with state h is
/// `0.5 + ((h - mean) . components[k]) / (4 scale[k])`, clamped to [0, 1], so two standard
/// deviations either side of the mean span the channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// [D]
    pub mean: Vec<f32>,
    /// [COMPONENTS, D], unit rows.
    pub components: Vec<f32>,
    /// [COMPONENTS]: the standard deviation along each direction over the examples.
    pub scale: Vec<f32>,
}

impl Projection {
    /// mean . components[k]: subtracted from an engine's raw dot products.
    pub fn offsets(&self) -> [f32; COMPONENTS] {
        let d = self.mean.len();
        std::array::from_fn(|k| self.components[k * d..(k + 1) * d].iter().zip(&self.mean).map(|(c, m)| c * m).sum())
    }

    /// Raw dot products h . components[k], as the engines compute them (for one state).
    pub fn dots(&self, h: &[f32]) -> [f32; COMPONENTS] {
        let d = self.mean.len();
        std::array::from_fn(|k| self.components[k * d..(k + 1) * d].iter().zip(h).map(|(c, x)| c * x).sum())
    }

    /// An RGB colour from an engine's raw dot products.
    pub fn colour(&self, dots: &[f32], offsets: &[f32; COMPONENTS]) -> [u8; 3] {
        std::array::from_fn(|k| {
            let t = 0.5 + (dots[k] - offsets[k]) / (4.0 * self.scale[k]);
            (t.clamp(0.0, 1.0) * 255.0).round() as u8
        })
    }
}

/// The projections of y and z.
#[derive(Debug, Clone, PartialEq)]
pub struct LatentBasis {
    pub y: Projection,
    pub z: Projection,
}

const PARTS: [&str; 3] = ["mean", "components", "scale"];

/// Tensor names and shapes of a basis for width `d`, in file order.
pub fn tensor_names(d: usize) -> Vec<(String, Vec<usize>)> {
    let mut v = Vec::new();
    for state in ["y", "z"] {
        for (part, shape) in PARTS.iter().zip([vec![d], vec![COMPONENTS, d], vec![COMPONENTS]]) {
            v.push((format!("latent_basis.{state}.{part}"), shape));
        }
    }
    v
}

impl LatentBasis {
    /// From the file's tensors (already shape-checked against `tensor_names`): all six or none.
    pub fn from_tensors(mut take: impl FnMut(&str) -> Option<Tensor>, d: usize) -> Result<Option<LatentBasis>> {
        let mut found: Vec<Option<Tensor>> = tensor_names(d).iter().map(|(n, _)| take(n)).collect();
        let present = found.iter().filter(|t| t.is_some()).count();
        if present == 0 {
            return Ok(None);
        }
        if present < found.len() {
            let missing = tensor_names(d).into_iter().zip(&found).find(|(_, t)| t.is_none()).map(|((n, _), _)| n);
            return Err(TrmError::MissingTensor(format!(
                "{} (a latent basis needs all six latent_basis.* tensors; run `trm latent-basis` again)",
                missing.unwrap_or_default()
            )));
        }
        let mut next = || found.remove(0).expect("all present").data;
        let mut projection = || -> Result<Projection> {
            let (mean, components, scale) = (next(), next(), next());
            if let Some(k) = scale.iter().position(|s| *s <= 0.0) {
                return Err(TrmError::ModelFile(format!("latent basis scale {k} is {}, not positive", scale[k])));
            }
            Ok(Projection { mean, components, scale })
        };
        Ok(Some(LatentBasis { y: projection()?, z: projection()? }))
    }

    /// Named tensors for the model file, in `tensor_names` order.
    pub fn tensors(&self) -> Vec<(String, Tensor)> {
        let d = self.y.mean.len();
        let data = [&self.y.mean, &self.y.components, &self.y.scale, &self.z.mean, &self.z.components, &self.z.scale];
        tensor_names(d)
            .into_iter()
            .zip(data)
            .map(|((name, shape), data)| (name, Tensor { shape, data: data.clone(), stored: StoredAs::F32 }))
            .collect()
    }
}

/// Sums of states seen over example runs, from which a basis is computed: the mean and the
/// D x D second moment, accumulated in f64 so that a million cells lose nothing.
pub struct Moments {
    d: usize,
    count: u64,
    sum: Vec<f64>,
    /// Upper triangle of sum(h h^T), row-major [D, D].
    outer: Vec<f64>,
}

impl Moments {
    pub fn new(d: usize) -> Moments {
        Moments { d, count: 0, sum: vec![0.0; d], outer: vec![0.0; d * d] }
    }

    /// Adds states `rows`, [n, D] row-major.
    pub fn add(&mut self, rows: &[f32]) {
        let d = self.d;
        // sum(h h^T) over this block in f32 by matrixmultiply, then into the f64 total: blocks
        // are a few thousand rows, far from f32's limits.
        let n = rows.len() / d;
        let mut block = vec![0.0f32; d * d];
        unsafe {
            // C[D, D] = rows^T [D, n] @ rows [n, D]
            matrixmultiply::sgemm(
                d, n, d, 1.0,
                rows.as_ptr(), 1, d as isize,
                rows.as_ptr(), d as isize, 1,
                0.0, block.as_mut_ptr(), d as isize, 1,
            );
        }
        for (o, b) in self.outer.iter_mut().zip(&block) {
            *o += *b as f64;
        }
        for row in rows.chunks_exact(d) {
            for (s, x) in self.sum.iter_mut().zip(row) {
                *s += *x as f64;
            }
        }
        self.count += n as u64;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// The mean and the covariance, [D] and [D, D].
    pub fn mean_and_covariance(&self) -> (Vec<f64>, Vec<f64>) {
        let (d, n) = (self.d, self.count.max(1) as f64);
        let mean: Vec<f64> = self.sum.iter().map(|s| s / n).collect();
        let mut cov = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..d {
                cov[i * d + j] = self.outer[i * d + j] / n - mean[i] * mean[j];
            }
        }
        (mean, cov)
    }
}

/// The projection of the states summed in `m`: the covariance's three leading eigenvectors,
/// each signed so that its largest entry is positive (an eigenvector's sign is arbitrary, and
/// a basis recomputed from the same runs must give the same colours).
#[cfg(feature = "cli")]
pub fn principal_projection(m: &Moments) -> Result<Projection> {
    let (mean, cov) = m.mean_and_covariance();
    let d = mean.len();
    if m.count() < 2 {
        return Err(TrmError::Input("a latent basis needs at least two states".into()));
    }
    let eig = nalgebra::SymmetricEigen::new(nalgebra::DMatrix::from_row_slice(d, d, &cov));
    let mut order: Vec<usize> = (0..d).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
    let mut components = Vec::with_capacity(COMPONENTS * d);
    let mut scale = Vec::with_capacity(COMPONENTS);
    for &k in order.iter().take(COMPONENTS) {
        let v = eig.eigenvectors.column(k);
        let top = v.iter().copied().max_by(|a, b| a.abs().total_cmp(&b.abs())).unwrap_or(1.0);
        let sign = if top < 0.0 { -1.0 } else { 1.0 };
        components.extend(v.iter().map(|x| (sign * x) as f32));
        let variance = eig.eigenvalues[k].max(0.0);
        if !(variance > 0.0) {
            return Err(TrmError::Input("the example states do not vary in three directions".into()));
        }
        scale.push(variance.sqrt() as f32);
    }
    Ok(Projection { mean: mean.iter().map(|&x| x as f32).collect(), components, scale })
}
