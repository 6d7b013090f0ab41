//! Either engine behind one type, for callers that choose at run time (CLI flag, the
//! page's engine switch, WebGPU missing).

use crate::config::Config;
use crate::cpu::CpuEngine;
use crate::error::Result;
use crate::gpu::GpuEngine;
use crate::recursion::{Batch, Engine, Readout};

pub enum AnyEngine {
    Cpu(CpuEngine),
    Gpu(Box<GpuEngine>),
}

impl AnyEngine {
    pub fn is_gpu(&self) -> bool {
        matches!(self, AnyEngine::Gpu(_))
    }
}

impl Engine for AnyEngine {
    fn config(&self) -> &Config {
        match self {
            AnyEngine::Cpu(e) => e.config(),
            AnyEngine::Gpu(e) => e.config(),
        }
    }
    fn load_batch(&mut self, batch: &Batch) -> Result<()> {
        match self {
            AnyEngine::Cpu(e) => e.load_batch(batch),
            AnyEngine::Gpu(e) => e.load_batch(batch),
        }
    }
    fn restart_slot(&mut self, slot: usize, tokens: &[u32], puzzle_id: u32) -> Result<()> {
        match self {
            AnyEngine::Cpu(e) => e.restart_slot(slot, tokens, puzzle_id),
            AnyEngine::Gpu(e) => e.restart_slot(slot, tokens, puzzle_id),
        }
    }
    fn update_z(&mut self) -> Result<()> {
        match self {
            AnyEngine::Cpu(e) => e.update_z(),
            AnyEngine::Gpu(e) => e.update_z(),
        }
    }
    fn update_y(&mut self, read_answer: bool) -> Result<()> {
        match self {
            AnyEngine::Cpu(e) => e.update_y(read_answer),
            AnyEngine::Gpu(e) => e.update_y(read_answer),
        }
    }
    fn read_latent(&mut self) -> Result<()> {
        match self {
            AnyEngine::Cpu(e) => e.read_latent(),
            AnyEngine::Gpu(e) => e.read_latent(),
        }
    }
    fn has_latent_basis(&self) -> bool {
        match self {
            AnyEngine::Cpu(e) => e.has_latent_basis(),
            AnyEngine::Gpu(e) => e.has_latent_basis(),
        }
    }
    async fn finish_step(&mut self) -> Result<Readout> {
        match self {
            AnyEngine::Cpu(e) => e.finish_step().await,
            AnyEngine::Gpu(e) => e.finish_step().await,
        }
    }
    fn name(&self) -> String {
        match self {
            AnyEngine::Cpu(e) => e.name(),
            AnyEngine::Gpu(e) => e.name(),
        }
    }
}
