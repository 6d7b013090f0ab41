//! The reference engine: plain Rust, f32, one file per op family. Every other engine is
//! tested against this one, and this one against PyTorch (tests/fixtures).

pub mod attention;
pub mod linear;
pub mod norm;
pub mod packed;
pub mod swiglu;

use std::sync::Arc;

use crate::config::Config;
use crate::error::{Result, TrmError};
use crate::recursion::{Batch, Engine, LatentRead, Readout};
use crate::tensor::Tensor;
use crate::weights::{LayerWeights, Model};
use attention::{attention, AttnScratch};
use crate::tables::{embed_one, rope_tables_for};
use linear::{View, Weight};
use norm::{add_rms_columns, add_rms_rows};
use swiglu::swiglu;

/// Work buffers, sized once per (model, batch size).
struct Scratch {
    tmp: Vec<f32>,
    gu: Vec<f32>,
    qkv: Vec<f32>,
    attn_out: Vec<f32>,
    attn: AttnScratch,
    sumsq: Vec<f32>,
    /// Packed activations for `packed::gemm_packed`.
    apack: Vec<f32>,
}

/// A layer's matrices, prepared once at load (see `Weight`).
struct LayerMats {
    qkv: Option<Weight>,
    o: Option<Weight>,
    mlp_t_gate_up: Option<Weight>,
    mlp_t_down: Option<Weight>,
    mlp_gate_up: Weight,
    mlp_down: Weight,
}

impl LayerMats {
    fn new(l: &LayerWeights, packed: bool) -> LayerMats {
        let w = |t: &Tensor| Weight::from_tensor(t, packed);
        LayerMats {
            qkv: l.qkv_proj.as_ref().map(w),
            o: l.o_proj.as_ref().map(w),
            mlp_t_gate_up: l.mlp_t_gate_up.as_ref().map(w),
            mlp_t_down: l.mlp_t_down.as_ref().map(w),
            mlp_gate_up: w(&l.mlp_gate_up),
            mlp_down: w(&l.mlp_down),
        }
    }
}

pub struct CpuEngine {
    model: Arc<Model>,
    layers: Vec<LayerMats>,
    lm_head: Weight,
    batch: usize,
    /// Input embeddings x, answer y (z_H) and latent z (z_L), each [B, S, D].
    x: Vec<f32>,
    y: Vec<f32>,
    z: Vec<f32>,
    scratch: Scratch,
    rope: Option<(Vec<f32>, Vec<f32>)>,
    logits: Vec<f32>,
    q: Vec<[f32; 2]>,
    cycles: Vec<Vec<u32>>,
    latent: Vec<LatentRead>,
}

impl CpuEngine {
    /// Packed weights and our own kernel in WebAssembly, matrixmultiply natively: the faster
    /// of the two on each (BENCHMARKS.md).
    pub fn new(model: Arc<Model>) -> CpuEngine {
        Self::with_packed_weights(model, cfg!(target_arch = "wasm32"))
    }

    /// Either product path on any target, so that native tests and benchmarks can run the
    /// one WebAssembly uses.
    pub fn with_packed_weights(model: Arc<Model>, packed: bool) -> CpuEngine {
        let cfg = &model.config;
        let rope = rope_tables_for(cfg);
        let layers = model.weights.layers.iter().map(|l| LayerMats::new(l, packed)).collect();
        let lm_head = Weight::from_tensor(&model.weights.lm_head, packed);
        CpuEngine {
            model,
            layers,
            lm_head,
            batch: 0,
            x: Vec::new(),
            y: Vec::new(),
            z: Vec::new(),
            scratch: Scratch {
                tmp: Vec::new(),
                gu: Vec::new(),
                qkv: Vec::new(),
                attn_out: Vec::new(),
                attn: AttnScratch { scores: Vec::new() },
                sumsq: Vec::new(),
                apack: Vec::new(),
            },
            rope,
            logits: Vec::new(),
            q: Vec::new(),
            cycles: Vec::new(),
            latent: Vec::new(),
        }
    }

    pub fn model(&self) -> &Arc<Model> {
        &self.model
    }

    fn resize(&mut self, batch: usize) {
        if batch == self.batch {
            return;
        }
        let cfg = &self.model.config;
        let (s, d) = (cfg.full_seq_len(), cfg.hidden_size);
        let n = batch * s * d;
        for v in [&mut self.x, &mut self.y, &mut self.z, &mut self.scratch.tmp, &mut self.scratch.attn_out] {
            *v = vec![0.0; n];
        }
        let gu_rows = (batch * s).max(d);
        let gu_width = 2 * cfg.mlp_inner().max(if cfg.mlp_t { cfg.mlp_t_inner() } else { 0 });
        self.scratch.gu = vec![0.0; gu_rows * gu_width];
        if !cfg.mlp_t {
            self.scratch.qkv = vec![0.0; 3 * n];
            self.scratch.attn.scores = vec![0.0; s * s];
        }
        self.scratch.sumsq = vec![0.0; d];
        self.logits = vec![0.0; batch * cfg.seq_len * cfg.vocab_size];
        self.q = vec![[0.0; 2]; batch];
        self.batch = batch;
    }

    /// y (z_H), [B, S, D]: exposed for parity tests.
    pub fn y(&self) -> &[f32] {
        &self.y
    }
    /// z (z_L), [B, S, D].
    pub fn z(&self) -> &[f32] {
        &self.z
    }
    /// Logits of the last finished step, [B, seq_len, vocab].
    pub fn logits(&self) -> &[f32] {
        &self.logits
    }
    /// (q_halt, q_continue) of the last finished step, per puzzle.
    pub fn q_logits(&self) -> &[[f32; 2]] {
        &self.q
    }

    fn embed(&mut self, batch: &Batch) {
        let cfg = &self.model.config;
        let (s, d, l) = (cfg.full_seq_len(), cfg.hidden_size, cfg.seq_len);
        for b in 0..batch.size() {
            let tokens = &batch.tokens[b * l..(b + 1) * l];
            embed_one(&self.model, tokens, batch.puzzle_ids[b], &mut self.x[b * s * d..(b + 1) * s * d]);
        }
    }

    /// Logits into self.logits and the argmax/probability per cell.
    fn lm_head(&mut self) -> (Vec<u32>, Vec<f32>) {
        let cfg = &self.model.config;
        let (s, d, k, l, v) = (cfg.full_seq_len(), cfg.hidden_size, cfg.prefix_len(), cfg.seq_len, cfg.vocab_size);
        for b in 0..self.batch {
            let rows = &self.y[(b * s + k) * d..(b * s + s) * d];
            self.lm_head.matmul(
                l,
                View::rows(rows, d),
                &mut self.logits[b * l * v..(b + 1) * l * v],
                v,
                1,
                &mut self.scratch.apack,
            );
        }
        let mut tokens = Vec::with_capacity(self.batch * l);
        let mut probs = Vec::with_capacity(self.batch * l);
        for row in self.logits.chunks_exact(v) {
            // First maximum wins, as torch.argmax does.
            let (arg, max) = row.iter().enumerate().fold(
                (0, f32::NEG_INFINITY),
                |acc, (i, &x)| {
                    if x > acc.1 {
                        (i, x)
                    } else {
                        acc
                    }
                },
            );
            let sum: f32 = row.iter().map(|x| (x - max).exp()).sum();
            tokens.push(arg as u32);
            probs.push(1.0 / sum);
        }
        (tokens, probs)
    }
}

/// One block, in place on h ([B, S, D]); post-norm as the reference.
fn block(cfg: &Config, l: &LayerMats, h: &mut [f32], batch: usize, rope: Option<(&[f32], &[f32])>, sc: &mut Scratch) {
    let (s, d) = (cfg.full_seq_len(), cfg.hidden_size);
    let eps = cfg.rms_norm_eps;
    let n = batch * s * d;
    if let (Some(gu_w), Some(down_w)) = (&l.mlp_t_gate_up, &l.mlp_t_down) {
        // Token mixing: read h [S, D] as [D, S], write the MLP's [D, S] result back as [S, D].
        for b in 0..batch {
            let hb = &mut h[b * s * d..(b + 1) * s * d];
            let tb = &mut sc.tmp[b * s * d..(b + 1) * s * d];
            swiglu(View::transposed(hb, d), d, gu_w, down_w, &mut sc.gu, tb, 1, d, &mut sc.apack);
            add_rms_columns(hb, tb, s, d, eps, &mut sc.sumsq);
        }
    } else {
        let (qkv_w, o_w) = (l.qkv.as_ref().expect("attention block"), l.o.as_ref().expect("attention block"));
        qkv_w.matmul(batch * s, View::rows(h, d), &mut sc.qkv[..3 * n], 3 * d, 1, &mut sc.apack);
        for b in 0..batch {
            attention(
                &mut sc.qkv[b * s * 3 * d..(b + 1) * s * 3 * d],
                s,
                cfg.num_heads,
                cfg.head_dim(),
                rope,
                &mut sc.attn,
                &mut sc.attn_out[b * s * d..(b + 1) * s * d],
            );
        }
        o_w.matmul(batch * s, View::rows(&sc.attn_out[..n], d), &mut sc.tmp[..n], d, 1, &mut sc.apack);
        add_rms_rows(h, &sc.tmp[..n], d, eps);
    }
    swiglu(View::rows(h, d), batch * s, &l.mlp_gate_up, &l.mlp_down, &mut sc.gu, &mut sc.tmp[..n], d, 1, &mut sc.apack);
    add_rms_rows(h, &sc.tmp[..n], d, eps);
}

impl Engine for CpuEngine {
    fn config(&self) -> &Config {
        &self.model.config
    }

    fn load_batch(&mut self, batch: &Batch) -> Result<()> {
        batch.validate(&self.model.config)?;
        self.resize(batch.size());
        self.embed(batch);
        let d = self.model.config.hidden_size;
        let w = &self.model.weights;
        for row in self.y.chunks_exact_mut(d) {
            row.copy_from_slice(&w.h_init.data);
        }
        for row in self.z.chunks_exact_mut(d) {
            row.copy_from_slice(&w.l_init.data);
        }
        self.cycles.clear();
        self.latent.clear();
        Ok(())
    }

    fn restart_slot(&mut self, slot: usize, tokens: &[u32], puzzle_id: u32) -> Result<()> {
        let cfg = &self.model.config;
        crate::recursion::check_slot(cfg, self.batch, slot, tokens, puzzle_id)?;
        let (s, d) = (cfg.full_seq_len(), cfg.hidden_size);
        let span = slot * s * d..(slot + 1) * s * d;
        embed_one(&self.model, tokens, puzzle_id, &mut self.x[span.clone()]);
        let w = &self.model.weights;
        for row in self.y[span.clone()].chunks_exact_mut(d) {
            row.copy_from_slice(&w.h_init.data);
        }
        for row in self.z[span].chunks_exact_mut(d) {
            row.copy_from_slice(&w.l_init.data);
        }
        Ok(())
    }

    fn update_z(&mut self) -> Result<()> {
        // net(z, y + x): the injection is summed first, as the reference does.
        for ((z, y), x) in self.z.iter_mut().zip(&self.y).zip(&self.x) {
            *z += *y + *x;
        }
        let rope = self.rope.as_ref().map(|(c, s)| (c.as_slice(), s.as_slice()));
        for l in &self.layers {
            block(&self.model.config, l, &mut self.z, self.batch, rope, &mut self.scratch);
        }
        Ok(())
    }

    fn update_y(&mut self, read_answer: bool) -> Result<()> {
        for (y, z) in self.y.iter_mut().zip(&self.z) {
            *y += *z;
        }
        let rope = self.rope.as_ref().map(|(c, s)| (c.as_slice(), s.as_slice()));
        for l in &self.layers {
            block(&self.model.config, l, &mut self.y, self.batch, rope, &mut self.scratch);
        }
        if read_answer {
            let (tokens, _) = self.lm_head();
            self.cycles.push(tokens);
        }
        Ok(())
    }

    fn read_latent(&mut self) -> Result<()> {
        let basis = self.model.latent.as_ref().ok_or_else(|| TrmError::Options("this model file has no latent basis".into()))?;
        let cfg = &self.model.config;
        let (s, d, k) = (cfg.full_seq_len(), cfg.hidden_size, cfg.prefix_len());
        let project = |h: &[f32], p: &crate::latent::Projection| -> Vec<f32> {
            let mut out = Vec::with_capacity(self.batch * (s - k) * 3);
            for b in 0..self.batch {
                for cell in h[(b * s + k) * d..(b + 1) * s * d].chunks_exact(d) {
                    out.extend(p.dots(cell));
                }
            }
            out
        };
        let read = LatentRead { y: project(&self.y, &basis.y), z: project(&self.z, &basis.z) };
        self.latent.push(read);
        Ok(())
    }

    fn has_latent_basis(&self) -> bool {
        self.model.latent.is_some()
    }

    async fn finish_step(&mut self) -> Result<Readout> {
        let (tokens, probs) = self.lm_head();
        let cfg = &self.model.config;
        let (s, d) = (cfg.full_seq_len(), cfg.hidden_size);
        let w = &self.model.weights;
        for b in 0..self.batch {
            let y0 = &self.y[b * s * d..b * s * d + d];
            for (j, q) in self.q[b].iter_mut().enumerate() {
                *q = y0.iter().zip(&w.q_head_w.data[j * d..(j + 1) * d]).map(|(a, b)| a * b).sum::<f32>()
                    + w.q_head_b.data[j];
            }
        }
        Ok(Readout {
            tokens,
            probs,
            q_halt: self.q.iter().map(|q| q[0]).collect(),
            cycles: std::mem::take(&mut self.cycles),
            latent: std::mem::take(&mut self.latent),
        })
    }

    fn name(&self) -> String {
        "CPU".into()
    }
}
