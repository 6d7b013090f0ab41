//! The WebGPU engine (wgpu: Vulkan/Metal/DX12 natively, WebGPU in the browser). Same
//! Engine trait as the CPU engine: the driver records network calls into one command
//! encoder and `finish_step` submits it once and reads back only predictions,
//! probabilities, q_halt and, when asked, the per-H-cycle answers.

pub mod context;
pub mod ops;
pub mod plan;
pub mod profile;
pub mod weights;

use std::sync::Arc;

use crate::config::Config;
use crate::error::{Result, TrmError};
use crate::recursion::{Batch, Engine, LatentRead, Readout};
use crate::weights::Model;
pub use context::GpuContext;
use ops::Kernels;
use plan::Plan;
use profile::{OpTime, Profiler};
use weights::GpuWeights;

pub struct GpuEngine {
    ctx: Arc<GpuContext>,
    model: Arc<Model>,
    kernels: Kernels,
    weights: GpuWeights,
    plan: Option<Plan>,
    encoder: Option<wgpu::CommandEncoder>,
    cycles_pending: usize,
    latent_pending: usize,
    submissions: u64,
    dispatches: u64,
    /// Per-op GPU time, while profiling (`profile`).
    profiler: Option<Profiler>,
}

impl GpuEngine {
    /// Opens the default adapter and builds the engine for `model`.
    pub async fn new(model: Arc<Model>) -> Result<GpuEngine> {
        let ctx = Arc::new(GpuContext::new().await?);
        GpuEngine::with_context(ctx, model)
    }

    pub fn with_context(ctx: Arc<GpuContext>, model: Arc<Model>) -> Result<GpuEngine> {
        GpuEngine::with_tile(ctx, model, ops::matmul::Tile::DEFAULT)
    }

    /// The engine with another matmul tile than the engine's own (`trm bench --tile`: tiling
    /// studies); an error that names the limit where the device cannot run it.
    pub fn with_tile(ctx: Arc<GpuContext>, model: Arc<Model>, tile: ops::matmul::Tile) -> Result<GpuEngine> {
        tile.check(&ctx.device.limits())?;
        let cfg = &model.config;
        if !cfg.mlp_t && cfg.head_dim() > ops::attention::MAX_HD as usize {
            let max = ops::attention::MAX_HD;
            return Err(TrmError::Gpu(format!("head dim {} is above the attention kernel's {max}", cfg.head_dim())));
        }
        let f16 = ctx.shader_f16 && weights::all_f16(&model);
        let kernels = Kernels::new(&ctx, f16, tile, cfg);
        let weights = GpuWeights::upload(&ctx, &model, f16)?;
        Ok(GpuEngine { ctx, model, kernels, weights, plan: None, encoder: None, cycles_pending: 0, latent_pending: 0, submissions: 0, dispatches: 0, profiler: None })
    }

    pub fn context(&self) -> &Arc<GpuContext> {
        &self.ctx
    }

    /// The matmul's tile.
    pub fn tile(&self) -> ops::matmul::Tile {
        self.kernels.tile()
    }

    /// Whether weights live on the GPU as f16.
    pub fn f16_weights(&self) -> bool {
        self.weights.f16
    }

    /// Command submissions made so far by the recursion (debug reads not counted): one per
    /// supervision step.
    pub fn submissions(&self) -> u64 {
        self.submissions
    }

    /// Compute dispatches recorded so far by the recursion (the kernel-fusion count: fewer
    /// per step means fewer passes over memory and less per-dispatch overhead).
    pub fn dispatches(&self) -> u64 {
        self.dispatches
    }

    /// Times every dispatch from the next step on, one compute pass each (profile.rs); an error
    /// where the device has no timestamp queries.
    pub fn profile(&mut self) -> Result<()> {
        self.profiler = Some(Profiler::new(&self.ctx)?);
        Ok(())
    }

    /// GPU time per kernel and size over the steps profiled, the costliest first, with the steps counted
    /// and the dispatches that ran untimed; None when not profiling.
    pub fn op_times(&self) -> Option<(Vec<OpTime>, u64, u64)> {
        self.profiler.as_ref().map(Profiler::report)
    }

    /// Puzzles per chunk for the current batch (a batch beyond one chunk is split).
    pub fn chunks(&self) -> Vec<usize> {
        self.plan.as_ref().map(|p| p.chunks.iter().map(|c| c.size).collect()).unwrap_or_default()
    }

    fn plan(&self) -> Result<&Plan> {
        self.plan.as_ref().ok_or_else(|| TrmError::Input("no batch loaded".into()))
    }

    /// Records the plan's dispatches `which` into this step's encoder, in one compute pass
    /// (WebGPU orders dispatches in a pass and makes each one's writes visible to the next).
    fn record(&mut self, which: impl Fn(&Plan) -> std::ops::Range<usize>) -> Result<()> {
        let plan = self.plan.as_ref().ok_or_else(|| TrmError::Input("no batch loaded".into()))?;
        let dispatches = &plan.dispatches[which(plan)];
        self.dispatches += dispatches.len() as u64;
        let enc = self.encoder.get_or_insert_with(|| self.ctx.device.create_command_encoder(&Default::default()));
        let dispatch = |pass: &mut wgpu::ComputePass, d: &ops::Dispatch| {
            pass.set_pipeline(self.kernels.get(d.kernel));
            pass.set_bind_group(0, &d.bind, &[]);
            pass.dispatch_workgroups(d.groups[0], d.groups[1], d.groups[2]);
        };
        match &mut self.profiler {
            None => {
                let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor { label: None, timestamp_writes: None });
                dispatches.iter().for_each(|d| dispatch(&mut pass, d));
            }
            // Profiling: a pass per dispatch, stamped at its start and end.
            Some(p) => {
                for d in dispatches {
                    let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor { label: None, timestamp_writes: p.next(d) });
                    dispatch(&mut pass, d);
                }
            }
        }
        Ok(())
    }

    /// Logits of the last finished step [B, seq_len, vocab] (a separate submission; for tests).
    pub async fn read_logits(&self) -> Result<Vec<f32>> {
        let p = self.plan()?;
        let cfg = &self.model.config;
        let n = (p.batch * cfg.seq_len * cfg.vocab_size * 4) as u64;
        Ok(bytemuck::cast_slice(&self.read_buffer(&p.logits, n).await?).to_vec())
    }

    /// (y, z) [B, S, D] after the last finished step (for tests).
    pub async fn read_state(&self) -> Result<(Vec<f32>, Vec<f32>)> {
        let p = self.plan()?;
        let (mut y, mut z) = (Vec::new(), Vec::new());
        let per = (self.model.config.full_seq_len() * self.model.config.hidden_size * 4) as u64;
        for c in &p.chunks {
            y.extend_from_slice(bytemuck::cast_slice(&self.read_buffer(&c.y, per * c.size as u64).await?));
            z.extend_from_slice(bytemuck::cast_slice(&self.read_buffer(&c.z, per * c.size as u64).await?));
        }
        Ok((y, z))
    }

    /// (q_halt, q_continue) per puzzle after the last step (for tests).
    pub async fn read_q(&self) -> Result<Vec<[f32; 2]>> {
        let p = self.plan()?;
        let raw = self.read_buffer(&p.q_out, (p.batch * 8) as u64).await?;
        let f: &[f32] = bytemuck::cast_slice(&raw);
        Ok(f.chunks_exact(2).map(|c| [c[0], c[1]]).collect())
    }

    async fn read_buffer(&self, src: &wgpu::Buffer, size: u64) -> Result<Vec<u8>> {
        let staging = self.ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("debug read"),
            size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut enc = self.ctx.device.create_command_encoder(&Default::default());
        enc.copy_buffer_to_buffer(src, 0, &staging, 0, size);
        self.ctx.queue.submit([enc.finish()]);
        map_read(&self.ctx.device, &staging, size).await
    }
}

/// Maps `buf` and copies out its first `size` bytes. On the web the callback fires only
/// once control returns to the browser, so this awaits a channel and never spins.
async fn map_read(device: &wgpu::Device, buf: &wgpu::Buffer, size: u64) -> Result<Vec<u8>> {
    let slice = buf.slice(..size);
    let (tx, rx) = futures_channel::oneshot::channel();
    slice.map_async(wgpu::MapMode::Read, move |r| {
        let _ = tx.send(r);
    });
    #[cfg(not(target_arch = "wasm32"))]
    device.poll(wgpu::PollType::wait_indefinitely()).map_err(|e| TrmError::Gpu(format!("waiting for the GPU failed: {e}")))?;
    #[cfg(target_arch = "wasm32")]
    let _ = device;
    rx.await
        .map_err(|_| TrmError::Gpu("the GPU read-back was dropped (device lost?)".into()))?
        .map_err(|e| TrmError::Gpu(format!("GPU read-back failed: {e}")))?;
    let bytes = slice.get_mapped_range().map_err(|e| TrmError::Gpu(format!("GPU read-back could not be mapped: {e}")))?.to_vec();
    buf.unmap();
    Ok(bytes)
}

impl Engine for GpuEngine {
    fn config(&self) -> &Config {
        &self.model.config
    }

    fn load_batch(&mut self, batch: &Batch) -> Result<()> {
        batch.validate(&self.model.config)?;
        self.ctx.check()?;
        if self.plan.as_ref().map(|p| p.batch) != Some(batch.size()) {
            self.plan = None; // free the old buffers before making new ones
            self.plan = Some(Plan::new(&self.ctx, &self.kernels, &self.weights, &self.model.config, batch.size())?);
        }
        let l = self.model.config.seq_len;
        let plan = self.plan.as_ref().expect("made above");
        for c in &plan.chunks {
            let toks = &batch.tokens[c.start * l..(c.start + c.size) * l];
            let ids = &batch.puzzle_ids[c.start..c.start + c.size];
            self.ctx.queue.write_buffer(&c.tokens, 0, bytemuck::cast_slice(toks));
            self.ctx.queue.write_buffer(&c.ids, 0, bytemuck::cast_slice(ids));
        }
        self.encoder = None;
        self.cycles_pending = 0;
        self.latent_pending = 0;
        self.record(|p| p.init.clone())
    }

    fn restart_slot(&mut self, slot: usize, tokens: &[u32], puzzle_id: u32) -> Result<()> {
        let cfg = &self.model.config;
        let plan = self.plan()?;
        crate::recursion::check_slot(cfg, plan.batch, slot, tokens, puzzle_id)?;
        let c = plan.chunks.iter().find(|c| (c.start..c.start + c.size).contains(&slot)).expect("chunks cover the batch");
        let i = (slot - c.start) as u64;
        let (s, d, l) = (cfg.full_seq_len(), cfg.hidden_size, cfg.seq_len);
        // x is made here rather than by a one-slot Embed dispatch: it is one puzzle's rows, and
        // writes land before the next submission. The slot's tokens and id are written too, so
        // an init pass still pending from load_batch embeds the new puzzle as well.
        let mut x = vec![0.0f32; s * d];
        crate::tables::embed_one(&self.model, tokens, puzzle_id, &mut x);
        let row = (s * d * 4) as u64;
        let w = &self.model.weights;
        let y: Vec<f32> = w.h_init.data.iter().copied().cycle().take(s * d).collect();
        let z: Vec<f32> = w.l_init.data.iter().copied().cycle().take(s * d).collect();
        let q = &self.ctx.queue;
        q.write_buffer(&c.tokens, i * (l * 4) as u64, bytemuck::cast_slice(tokens));
        q.write_buffer(&c.ids, i * 4, bytemuck::cast_slice(&[puzzle_id]));
        q.write_buffer(&c.x, i * row, bytemuck::cast_slice(&x));
        q.write_buffer(&c.y, i * row, bytemuck::cast_slice(&y));
        q.write_buffer(&c.z, i * row, bytemuck::cast_slice(&z));
        Ok(())
    }

    fn update_z(&mut self) -> Result<()> {
        self.record(|p| p.update_z.clone())
    }

    fn update_y(&mut self, read_answer: bool) -> Result<()> {
        self.record(|p| p.update_y.clone())?;
        if read_answer {
            let c = self.cycles_pending;
            if c >= self.plan()?.cycles.len() {
                return Err(TrmError::Input("more answer read-outs than H cycles in one step".into()));
            }
            self.record(|p| p.cycles[c].clone())?;
            self.cycles_pending += 1;
        }
        Ok(())
    }

    fn read_latent(&mut self) -> Result<()> {
        if self.weights.latent.is_none() {
            return Err(TrmError::Options("this model file has no latent basis".into()));
        }
        let slot = self.latent_pending;
        if slot >= self.plan()?.latent.len() {
            return Err(TrmError::Input("more latent read-outs than H cycles in one step".into()));
        }
        self.record(|p| p.latent[slot].clone())?;
        self.latent_pending += 1;
        Ok(())
    }

    fn has_latent_basis(&self) -> bool {
        self.weights.latent.is_some()
    }

    async fn finish_step(&mut self) -> Result<Readout> {
        self.record(|p| p.heads.clone())?;
        let plan = self.plan.as_ref().expect("record checked it");
        let (s, k) = (self.model.config.full_seq_len(), self.model.config.prefix_len());
        let (cyc, lat, at) = (self.cycles_pending, self.latent_pending, &plan.readback);
        let mut enc = self.encoder.take().expect("recorded above");
        enc.copy_buffer_to_buffer(&plan.tokens_out, 0, &plan.staging, at.tokens(), at.cell_block());
        enc.copy_buffer_to_buffer(&plan.probs_out, 0, &plan.staging, at.probs(), at.cell_block());
        enc.copy_buffer_to_buffer(&plan.q_out, 0, &plan.staging, at.q(), at.q_bytes());
        if cyc > 0 {
            enc.copy_buffer_to_buffer(&plan.cycles_out, 0, &plan.staging, at.cycles(), cyc as u64 * at.cell_block());
        }
        if lat > 0 {
            enc.copy_buffer_to_buffer(&plan.latent_out, 0, &plan.staging, at.latent(cyc), lat as u64 * at.latent_bytes());
        }
        if let Some(p) = &self.profiler {
            p.resolve(&mut enc);
        }
        self.ctx.queue.submit([enc.finish()]);
        self.submissions += 1;
        let read = map_read(&self.ctx.device, &plan.staging, at.bytes(cyc, lat)).await;
        if let Some(p) = &mut self.profiler {
            p.collect(&self.ctx).await?;
        }
        // A lost device or an uncaptured error is the real cause of a failed read-back.
        self.ctx.check()?;
        let raw = read?;
        let words = |from: u64, bytes: u64| -> &[u32] { bytemuck::cast_slice(&raw[from as usize..(from + bytes) as usize]) };
        let floats = |from: u64, bytes: u64| -> Vec<f32> { words(from, bytes).iter().map(|w| f32::from_bits(*w)).collect() };
        let tokens = words(at.tokens(), at.cell_block()).to_vec();
        let probs = floats(at.probs(), at.cell_block());
        let q = floats(at.q(), at.q_bytes());
        let cycles = (0..cyc).map(|c| words(at.cycles() + c as u64 * at.cell_block(), at.cell_block()).to_vec()).collect();
        // Each read-out is [y, z] of [B, S, 3]; the prefix rows are no cells, so they go.
        let cells_of = |block: Vec<f32>| -> Vec<f32> { block.chunks_exact(s * 3).flat_map(|puzzle| puzzle[k * 3..].iter().copied()).collect() };
        let latent = (0..lat)
            .map(|j| {
                let half = at.latent_bytes() / 2;
                let from = at.latent(cyc) + j as u64 * at.latent_bytes();
                LatentRead { y: cells_of(floats(from, half)), z: cells_of(floats(from + half, half)) }
            })
            .collect();
        self.cycles_pending = 0;
        self.latent_pending = 0;
        Ok(Readout { tokens, probs, q_halt: q.iter().step_by(2).copied().collect(), cycles, latent })
    }

    fn name(&self) -> String {
        format!("{} ({})", self.ctx.adapter_name, self.ctx.backend)
    }
}
