use std::sync::Arc;
use std::time::Instant;

use trm::engine::AnyEngine;
use trm::{block_on, Batch, Engine, Model, Options, Recursion};

use crate::args::{engine, submissions, Backend};

pub(crate) fn bench(model: Arc<Model>, backend: Backend, batch: usize, steps: usize, latent: bool) -> Result<(), String> {
    if batch == 0 || steps == 0 {
        return Err("--batch and --steps must be at least 1".into());
    }
    let cfg = model.config.clone();
    let tokens: Vec<u32> = (0..batch * cfg.seq_len).map(|i| 1 + (i * 7919 % (cfg.vocab_size - 1)) as u32).collect();
    let b = Batch { tokens, puzzle_ids: vec![0; batch] };
    let mut e = engine(model, backend)?;
    let opts = Options { max_steps: steps + 1, latent, ..Options::full(&cfg) };
    let mut rec = Recursion::new(&mut e, &b, opts).map_err(|e| e.to_string())?;
    block_on(rec.step()).map_err(|e| e.to_string())?; // warm-up: first-touch of buffers
    let t0 = Instant::now();
    for _ in 0..steps {
        block_on(rec.step()).map_err(|e| e.to_string())?;
    }
    let per_step = t0.elapsed().as_secs_f64() / steps as f64;
    let subs = submissions(rec.engine());
    let dispatches = match rec.engine() {
        AnyEngine::Gpu(g) => Some(g.dispatches()),
        AnyEngine::Cpu(_) => None,
    };
    drop(rec);
    println!("engine: {}", e.name());
    if let (Some(n), Some(d)) = (subs, dispatches) {
        println!("GPU submissions: {n} for {} supervision steps", steps + 1);
        println!("GPU dispatches per supervision step: {}", d / (steps as u64 + 1));
    }
    println!(
        "config: D={} S={} T={} n={} {} batch={}{}",
        cfg.hidden_size,
        cfg.full_seq_len(),
        cfg.h_cycles,
        cfg.l_cycles,
        if cfg.mlp_t { "mlp_t" } else { "attention" },
        batch,
        if latent { ", y and z read back on the latent basis" } else { "" }
    );
    println!("seconds per supervision step: {per_step:.4}");
    println!("puzzles per second (one step each): {:.2}", batch as f64 / per_step);
    println!("puzzles per second (16-step solve): {:.3}", batch as f64 / (16.0 * per_step));
    println!("GFLOP/s: {:.2}", cfg.flops_per_step() * batch as f64 / per_step / 1e9);
    Ok(())
}
