//! GPU time per op, for benchmarks (`trm bench --backend gpu --profile`). While it is on, every
//! dispatch runs in a compute pass of its own whose start and end the GPU stamps (WebGPU's
//! timestamp-query: the pass's own timestamp writes, so nothing beyond the standard feature is
//! needed), and each step's stamps are read back and summed by kernel and size, with the
//! arithmetic and memory traffic of those dispatches (ops `Work`), so each reads as a rate.
//! One pass per dispatch is not how a step normally runs (one pass per phase), so a
//! benchmark times the steps first and profiles others after.

use super::context::GpuContext;
use super::ops::{Dispatch, Kernel};
use crate::error::{Result, TrmError};

/// What the dispatches of one kernel at one size cost over the steps profiled.
#[derive(Clone, Debug)]
pub struct OpTime {
    pub kernel: Kernel,
    /// The sizes as the op names them (ops `Work::size`).
    pub size: String,
    /// Workgroups of one such dispatch.
    pub workgroups: u64,
    /// Dispatches of it, over all steps profiled.
    pub dispatches: u64,
    /// GPU time of those dispatches, in milliseconds.
    pub ms: f64,
    /// Their floating-point operations and least memory traffic in bytes, summed.
    pub flops: u64,
    pub bytes: u64,
}

pub struct Profiler {
    queries: wgpu::QuerySet,
    resolve: wgpu::Buffer,
    staging: wgpu::Buffer,
    /// Dispatches one step can time (two stamps each); later ones in the step run untimed.
    capacity: u32,
    /// Each dispatch timed in the step under way, in order, as its row of the report.
    pending: Vec<OpTime>,
    /// Dispatches recorded beyond `capacity` in the steps profiled.
    untimed: u64,
    totals: Vec<OpTime>,
    steps: u64,
}

impl Profiler {
    pub fn new(ctx: &GpuContext) -> Result<Profiler> {
        if !ctx.timestamps {
            return Err(TrmError::Gpu(format!("{} offers no timestamp queries, so its ops cannot be timed", ctx.adapter_name)));
        }
        let capacity = wgpu::QUERY_SET_MAX_QUERIES / 2;
        let bytes = u64::from(capacity) * 2 * u64::from(wgpu::QUERY_SIZE);
        let queries = ctx.device.create_query_set(&wgpu::QuerySetDescriptor {
            label: Some("op times"),
            ty: wgpu::QueryType::Timestamp,
            count: capacity * 2,
        });
        let buffer = |label, usage| ctx.device.create_buffer(&wgpu::BufferDescriptor { label: Some(label), size: bytes, usage, mapped_at_creation: false });
        Ok(Profiler {
            queries,
            resolve: buffer("op times resolved", wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC),
            staging: buffer("op times staging", wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST),
            capacity,
            pending: Vec::new(),
            untimed: 0,
            totals: Vec::new(),
            steps: 0,
        })
    }

    /// The timestamp writes of the pass that runs dispatch `d` next; None once the step has
    /// used up the query set.
    pub fn next(&mut self, d: &Dispatch) -> Option<wgpu::ComputePassTimestampWrites<'_>> {
        let i = self.pending.len() as u32;
        if i >= self.capacity {
            self.untimed += 1;
            return None;
        }
        self.pending.push(OpTime {
            kernel: d.kernel,
            size: d.work.size.clone(),
            workgroups: d.groups.iter().map(|&g| u64::from(g)).product(),
            dispatches: 1,
            ms: 0.0,
            flops: d.work.flops,
            bytes: d.work.bytes,
        });
        Some(wgpu::ComputePassTimestampWrites {
            query_set: &self.queries,
            beginning_of_pass_write_index: Some(2 * i),
            end_of_pass_write_index: Some(2 * i + 1),
        })
    }

    /// Adds to the step's encoder the copy of its stamps to where `collect` reads them.
    pub fn resolve(&self, enc: &mut wgpu::CommandEncoder) {
        let n = 2 * self.pending.len() as u32;
        if n > 0 {
            enc.resolve_query_set(&self.queries, 0..n, &self.resolve, 0);
            enc.copy_buffer_to_buffer(&self.resolve, 0, &self.staging, 0, u64::from(n) * u64::from(wgpu::QUERY_SIZE));
        }
    }

    /// After the step's submission: reads its stamps and adds each dispatch to its row.
    pub async fn collect(&mut self, ctx: &GpuContext) -> Result<()> {
        let n = 2 * self.pending.len() as u64;
        self.steps += 1;
        if n == 0 {
            return Ok(());
        }
        let raw = super::map_read(&ctx.device, &self.staging, n * u64::from(wgpu::QUERY_SIZE)).await?;
        let ticks: &[u64] = bytemuck::cast_slice(&raw);
        let ns_per_tick = f64::from(ctx.queue.get_timestamp_period());
        for (k, mut op) in self.pending.drain(..).enumerate() {
            op.ms = ticks[2 * k + 1].saturating_sub(ticks[2 * k]) as f64 * ns_per_tick / 1e6;
            match self.totals.iter_mut().find(|t| t.kernel == op.kernel && t.size == op.size) {
                Some(t) => {
                    t.dispatches += 1;
                    t.ms += op.ms;
                    t.flops += op.flops;
                    t.bytes += op.bytes;
                }
                None => self.totals.push(op),
            }
        }
        Ok(())
    }

    /// Each kernel and size's time over the steps profiled, the costliest first; the steps counted; and
    /// the dispatches that ran untimed (a step with more than the query set holds).
    pub fn report(&self) -> (Vec<OpTime>, u64, u64) {
        let mut t = self.totals.clone();
        t.sort_by(|a, b| b.ms.total_cmp(&a.ms));
        (t, self.steps, self.untimed)
    }
}
