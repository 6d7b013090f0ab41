//! Everything sized by (model, batch): buffers, the dispatches of each phase of a supervision
//! step (reset, z update, y update, heads, per-cycle read-outs) composed from the ops in
//! ops/, and the layout of what a step reads back. Built once; a step then only records
//! prebuilt dispatches.
//!
//! Batches larger than one chunk are split: each chunk has its own x, y, z, while the
//! scratch buffers (the MLP's gated activations, q/k/v, attention output) are shared and
//! sized for one chunk, so that no binding exceeds the device's limit (128 MiB by default).

use std::ops::Range;

use super::context::GpuContext;
use super::ops::{attention, elementwise, embed, heads, matmul, rope, u, Builder, Dispatch, Kernels};
use super::weights::GpuWeights;
use crate::config::Config;
use crate::error::{Result, TrmError};

pub struct Chunk {
    pub start: usize,
    pub size: usize,
    pub x: wgpu::Buffer,
    pub y: wgpu::Buffer,
    pub z: wgpu::Buffer,
    pub tokens: wgpu::Buffer,
    pub ids: wgpu::Buffer,
}

/// Scratch shared by the chunks: SwiGLU's gated activations ([gate | up] itself never leaves
/// the gated matmul), and the attention's q/k/v and output.
struct Scratch {
    act: wgpu::Buffer,
    qkv: wgpu::Buffer,
    attn: wgpu::Buffer,
}

/// Where a step's read-outs lie in the staging buffer it maps, in bytes: every cell's token
/// and its probability, each puzzle's (q_halt, q_continue), then the per-H-cycle answers and
/// the latent read-outs the step asked for. Both the plan (the buffer's size) and the engine
/// (the copies and the parsing) read it from here.
pub struct Readback {
    batch: usize,
    cells: usize,
    seq: usize,
}

impl Readback {
    /// A block of one u32 or f32 per cell of the batch.
    pub fn cell_block(&self) -> u64 {
        (self.batch * self.cells * 4) as u64
    }
    pub fn tokens(&self) -> u64 {
        0
    }
    pub fn probs(&self) -> u64 {
        self.cell_block()
    }
    pub fn q(&self) -> u64 {
        2 * self.cell_block()
    }
    pub fn q_bytes(&self) -> u64 {
        (self.batch * 2 * 4) as u64
    }
    /// The first of `cycles` per-cycle answer blocks.
    pub fn cycles(&self) -> u64 {
        self.q() + self.q_bytes()
    }
    /// One latent read-out: [y, z] of [batch, S, 3] f32.
    pub fn latent_bytes(&self) -> u64 {
        (2 * self.batch * self.seq * 3 * 4) as u64
    }
    pub fn latent(&self, cycles: usize) -> u64 {
        self.cycles() + cycles as u64 * self.cell_block()
    }
    /// All of it, with `cycles` answer blocks and `latent` latent read-outs.
    pub fn bytes(&self, cycles: usize, latent: usize) -> u64 {
        self.latent(cycles) + latent as u64 * self.latent_bytes()
    }
}

pub struct Plan {
    pub batch: usize,
    pub chunks: Vec<Chunk>,
    pub dispatches: Vec<Dispatch>,
    pub init: Range<usize>,
    pub update_z: Range<usize>,
    pub update_y: Range<usize>,
    pub heads: Range<usize>,
    pub cycles: Vec<Range<usize>>,
    /// Projections of y and z on the latent basis, one range per read-out slot (an H cycle).
    pub latent: Vec<Range<usize>>,
    pub logits: wgpu::Buffer,
    pub tokens_out: wgpu::Buffer,
    pub probs_out: wgpu::Buffer,
    pub q_out: wgpu::Buffer,
    pub cycles_out: wgpu::Buffer,
    /// [slot][y, z][batch, S, 3]: latent read-outs, prefix rows included.
    pub latent_out: wgpu::Buffer,
    pub readback: Readback,
    pub staging: wgpu::Buffer,
    _uniforms: wgpu::Buffer,
}

/// Bytes one puzzle needs in each chunk-sized buffer; the largest decides the chunk.
pub fn per_puzzle_bytes(cfg: &Config) -> u64 {
    let (s, d) = (cfg.full_seq_len() as u64, cfg.hidden_size as u64);
    let mut most = s * d * 4;
    most = most.max(s * 2 * cfg.mlp_inner() as u64 * 4);
    if cfg.mlp_t {
        most = most.max(d * 2 * cfg.mlp_t_inner() as u64 * 4);
    } else {
        most = most.max(s * 3 * d * 4);
    }
    most
}

fn storage(ctx: &GpuContext, label: &str, bytes: u64, extra: wgpu::BufferUsages) -> wgpu::Buffer {
    ctx.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: bytes.max(16).div_ceil(4) * 4,
        usage: wgpu::BufferUsages::STORAGE | extra,
        mapped_at_creation: false,
    })
}

/// The dispatches `record` adds, as a range of the plan's list.
fn phase(b: &mut Builder, record: impl FnOnce(&mut Builder)) -> Range<usize> {
    let start = b.len();
    record(b);
    start..b.len()
}

impl Plan {
    pub fn new(ctx: &GpuContext, kernels: &Kernels, w: &GpuWeights, cfg: &Config, batch: usize) -> Result<Plan> {
        let (s, d, l, v) = (cfg.full_seq_len(), cfg.hidden_size, cfg.seq_len, cfg.vocab_size);
        let per = per_puzzle_bytes(cfg);
        let max = ctx.max_binding();
        if per > max {
            return Err(TrmError::Gpu(format!("one puzzle of this model needs a {per}-byte buffer; this device allows {max} bytes per binding")));
        }
        let chunk = ((max / per) as usize).min(batch).max(1);
        // Everything the heads write covers the whole batch and must fit one binding too.
        let logits_bytes = (batch * l * v * 4) as u64;
        if logits_bytes > max {
            return Err(TrmError::Gpu(format!("batch {batch} needs {logits_bytes} bytes of logits; the device allows {max}")));
        }
        let copy = wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC;
        let mut chunks = Vec::new();
        let mut start = 0;
        while start < batch {
            let size = chunk.min(batch - start);
            let n = (size * s * d * 4) as u64;
            chunks.push(Chunk {
                start,
                size,
                x: storage(ctx, "x", n, copy),
                y: storage(ctx, "y", n, copy),
                z: storage(ctx, "z", n, copy),
                tokens: storage(ctx, "tokens", (size * l * 4) as u64, copy),
                ids: storage(ctx, "puzzle ids", (size * 4) as u64, copy),
            });
            start += size;
        }
        let none = wgpu::BufferUsages::empty();
        let act_floats = (chunk * s * cfg.mlp_inner()).max(if cfg.mlp_t { chunk * d * cfg.mlp_t_inner() } else { 0 });
        let attention_floats = if cfg.mlp_t { 0 } else { chunk * s * d };
        let scratch = Scratch {
            act: storage(ctx, "act", (act_floats * 4) as u64, none),
            qkv: storage(ctx, "qkv", (3 * attention_floats * 4) as u64, none),
            attn: storage(ctx, "attn", (attention_floats * 4) as u64, none),
        };
        let out = wgpu::BufferUsages::COPY_SRC;
        let logits = storage(ctx, "logits", logits_bytes, out);
        let tokens_out = storage(ctx, "tokens_out", (batch * l * 4) as u64, out);
        let probs_out = storage(ctx, "probs_out", (batch * l * 4) as u64, out);
        let q_out = storage(ctx, "q_out", (batch * 2 * 4) as u64, out);
        let cycles_out = storage(ctx, "cycles_out", (cfg.h_cycles * batch * l * 4) as u64, out);
        let readback = Readback { batch, cells: l, seq: s };
        let latent_slots = if w.latent.is_some() { cfg.h_cycles } else { 0 };
        let latent_out = storage(ctx, "latent_out", latent_slots as u64 * readback.latent_bytes(), out);
        let staging = ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("staging"),
            size: readback.bytes(cfg.h_cycles, latent_slots),
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });

        let mut b = Builder::new(ctx, kernels);
        let tables = embed::Tables { tokens: &w.embed_tokens, puzzles: &w.puzzle_emb, positions: &w.embed_pos };
        // Reset: x from tokens and puzzle ids, y = H_init, z = L_init.
        let init = phase(&mut b, |b| {
            for c in &chunks {
                embed::embed(b, cfg, &tables, &c.tokens, &c.ids, &c.x, c.size);
                elementwise::broadcast(b, &c.y, &w.h_init, c.size * s * d, d);
                elementwise::broadcast(b, &c.z, &w.l_init, c.size * s * d, d);
            }
        });
        // z <- net(z + (y + x)) and y <- net(y + z), chunk by chunk.
        let update_z = phase(&mut b, |b| {
            for c in &chunks {
                elementwise::add3(b, &c.z, &c.y, &c.x, c.size * s * d);
                network(b, cfg, w, &scratch, &c.z, c.size);
            }
        });
        let update_y = phase(&mut b, |b| {
            for c in &chunks {
                elementwise::add2(b, &c.y, &c.z, c.size * s * d);
                network(b, cfg, w, &scratch, &c.y, c.size);
            }
        });
        let lm_head = |b: &mut Builder, c: &Chunk, tokens: &wgpu::Buffer, out_offset: usize| {
            let p = heads::Params { out_offset: out_offset as u32, logits_offset: (c.start * l * v) as u32, ..heads::Params::new(cfg, c.size) };
            heads::lm_head(b, p, &c.y, &w.lm_head, &logits, tokens, &probs_out);
        };
        let heads = phase(&mut b, |b| {
            for c in &chunks {
                lm_head(b, c, &tokens_out, c.start * l);
                let p = heads::Params { out_offset: c.start as u32, ..heads::Params::new(cfg, c.size) };
                heads::q_head(b, p, &c.y, &w.q_head_w, &w.q_head_b, &q_out);
            }
        });
        // Per-cycle answers go to their own slice of cycles_out; their probabilities are
        // not read back, but the kernel writes them, so they go to probs_out, which the
        // step's own heads overwrite afterwards.
        let cycles = (0..cfg.h_cycles)
            .map(|cyc| phase(&mut b, |b| chunks.iter().for_each(|c| lm_head(b, c, &cycles_out, (cyc * batch + c.start) * l))))
            .collect();
        // Latent read-outs: [S, D] @ basis^T [D, 3] per puzzle, one small matmul per state.
        let latent = match &w.latent {
            None => Vec::new(),
            Some((basis_y, basis_z)) => (0..latent_slots)
                .map(|slot| {
                    phase(&mut b, |b| {
                        for c in &chunks {
                            for (state, (h, basis)) in [(&c.y, basis_y), (&c.z, basis_z)].into_iter().enumerate() {
                                let off = ((slot * 2 + state) * batch + c.start) * s * 3;
                                let p = matmul::Params { c_off: off as u32, ..matmul::rows(c.size * s, d, 3, false) };
                                matmul::matmul(b, h, basis, &latent_out, p, 1);
                            }
                        }
                    })
                })
                .collect(),
        };

        let (uniforms, dispatches) = b.finish(ctx, kernels);
        Ok(Plan {
            batch,
            chunks,
            dispatches,
            init,
            update_z,
            update_y,
            heads,
            cycles,
            latent,
            logits,
            tokens_out,
            probs_out,
            q_out,
            cycles_out,
            latent_out,
            readback,
            staging,
            _uniforms: uniforms,
        })
    }
}

/// One network call on h ([puzzles, S, D], its injection already added), in place: per
/// layer the sequence mixing (attention, or the token-mixing MLP across positions: mlp_t),
/// then the channel MLP, each added to h and followed by RMSNorm (post-norm): the block's
/// last product, its residual add and its norm are one dispatch.
fn network(b: &mut Builder, cfg: &Config, w: &GpuWeights, scratch: &Scratch, h: &wgpu::Buffer, puzzles: usize) {
    let (s, d, eps) = (cfg.full_seq_len(), cfg.hidden_size, cfg.rms_norm_eps);
    for lw in &w.layers {
        if cfg.mlp_t {
            let (gate_up, down) = (lw.mlp_t_gate_up.as_ref().unwrap(), lw.mlp_t_down.as_ref().unwrap());
            let i_t = cfg.mlp_t_inner();
            // [D, S] view of each puzzle's h through gate_up_t and the gate -> [D, I_t]
            let p = matmul::Params {
                m: u(d),
                n: u(i_t),
                k: u(s),
                a_rs: 1,
                a_cs: u(d),
                a_bs: u(s * d),
                c_rs: u(i_t),
                c_cs: 1,
                c_bs: u(d * i_t),
                ..Default::default()
            };
            matmul::gated(b, h, gate_up, &scratch.act, p, puzzles);
            // [D, I_t] @ down_t^T -> [D, S], added into h transposed back to [S, D], each
            // channel then normalized along the sequence (the reference norms the transpose)
            let p = matmul::Params {
                m: u(d),
                n: u(s),
                k: u(i_t),
                a_rs: u(i_t),
                a_cs: 1,
                a_bs: u(d * i_t),
                c_rs: 1,
                c_cs: u(d),
                c_bs: u(s * d),
                ..Default::default()
            };
            matmul::residual_norm(b, &scratch.act, down, h, p, eps, puzzles);
        } else {
            let (qkv, o) = (lw.qkv_proj.as_ref().unwrap(), lw.o_proj.as_ref().unwrap());
            matmul::matmul(b, h, qkv, &scratch.qkv, matmul::rows(puzzles * s, d, 3 * d, false), 1);
            if cfg.pos_encodings.is_rotary() {
                rope::rope(b, cfg, &scratch.qkv, &w.rope_cos, &w.rope_sin, puzzles);
            }
            attention::attention(b, cfg, &scratch.qkv, &scratch.attn, puzzles);
            matmul::residual_norm(b, &scratch.attn, o, h, matmul::rows(puzzles * s, d, d, false), eps, 1);
        }
        matmul::gated(b, h, &lw.mlp_gate_up, &scratch.act, matmul::rows(puzzles * s, d, cfg.mlp_inner(), false), 1);
        matmul::residual_norm(b, &scratch.act, &lw.mlp_down, h, matmul::rows(puzzles * s, cfg.mlp_inner(), d, false), eps, 1);
    }
}
