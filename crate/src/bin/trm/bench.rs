use std::sync::Arc;
use std::time::Instant;

use trm::engine::AnyEngine;
use trm::gpu::ops::matmul::Tile;
use trm::{block_on, Batch, Engine, Model, Options, Recursion, TrmError};

use crate::args::{dispatches, engine_with_tile, submissions, Backend};

/// Steps profiled after the timed ones with `--profile`.
const PROFILE_STEPS: usize = 2;

pub(crate) fn bench(model: Arc<Model>, backend: Backend, batch: usize, steps: usize, latent: bool, profile: bool, tile: Option<&str>) -> Result<(), String> {
    if batch == 0 || steps == 0 {
        return Err("--batch and --steps must be at least 1".into());
    }
    if profile && !matches!(backend, Backend::Gpu) {
        return Err("--profile times the GPU engine's ops: add --backend gpu".into());
    }
    let cfg = model.config.clone();
    let tokens: Vec<u32> = (0..batch * cfg.seq_len).map(|i| 1 + (i * 7919 % (cfg.vocab_size - 1)) as u32).collect();
    let b = Batch { tokens, puzzle_ids: vec![0; batch] };
    if tile.is_some() && !matches!(backend, Backend::Gpu) {
        return Err("--tile sizes the GPU engine's matmul: add --backend gpu".into());
    }
    let tile: Tile = tile.map_or(Ok(Tile::DEFAULT), str::parse).map_err(|e: TrmError| e.to_string())?;
    let mut e = engine_with_tile(model, backend, tile)?;
    let opts = Options { max_steps: steps + 1 + if profile { PROFILE_STEPS } else { 0 }, latent, ..Options::full(&cfg) };
    let mut rec = Recursion::new(&mut e, &b, opts).map_err(|e| e.to_string())?;
    block_on(rec.step()).map_err(|e| e.to_string())?; // warm-up: first-touch of buffers
    // Counted over the timed steps only: the warm-up's also hold the reset's dispatches.
    let before = dispatches(rec.engine());
    let t0 = Instant::now();
    for _ in 0..steps {
        block_on(rec.step()).map_err(|e| e.to_string())?;
    }
    let per_step = t0.elapsed().as_secs_f64() / steps as f64;
    let subs = submissions(rec.engine());
    let per_step_dispatches = dispatches(rec.engine()).zip(before).map(|(after, before)| (after - before) / steps as u64);
    // Profiled apart from the timed steps: a pass per dispatch is not how a step runs.
    let ops = match (profile, rec.engine_mut()) {
        (true, AnyEngine::Gpu(g)) => {
            g.profile().map_err(|e| e.to_string())?;
            for _ in 0..PROFILE_STEPS {
                block_on(rec.step()).map_err(|e| e.to_string())?;
            }
            let AnyEngine::Gpu(g) = rec.engine() else { unreachable!() };
            g.op_times()
        }
        _ => None,
    };
    drop(rec);
    println!("engine: {}", e.name());
    if let AnyEngine::Gpu(g) = &e {
        println!("matmul tile: {}", g.tile());
    }
    if let (Some(n), Some(d)) = (subs, per_step_dispatches) {
        println!("GPU submissions: {n} for {} supervision steps", steps + 1);
        println!("GPU dispatches per supervision step: {d}");
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
    if let Some((times, profiled, untimed)) = ops {
        let total: f64 = times.iter().map(|t| t.ms).sum();
        let per = profiled.max(1) as f64;
        // Rates over the op's own GPU time: against the GPU's peak FLOP/s and memory bandwidth,
        // they say which ops are far from what the hardware can do, and whether by arithmetic
        // or by traffic.
        let rate = |amount: u64, ms: f64| if ms > 0.0 { format!("{:.1}", amount as f64 / (ms * 1e6)) } else { "-".into() };
        println!("GPU time per op and size over {profiled} profiled steps (one pass per dispatch), per step:");
        println!(
            "  {:<12} {:<24} {:>10} {:>10} {:>11} {:>7} {:>9} {:>8}",
            "op", "size", "workgroups", "dispatches", "ms", "share", "GFLOP/s", "GB/s"
        );
        for t in &times {
            println!(
                "  {:<12} {:<24} {:>10} {:>10} {:>11.3} {:>6.1}% {:>9} {:>8}",
                format!("{:?}", t.kernel),
                t.size,
                t.workgroups,
                t.dispatches as f64 / per,
                t.ms / per,
                100.0 * t.ms / total.max(f64::MIN_POSITIVE),
                rate(t.flops, t.ms),
                rate(t.bytes, t.ms)
            );
        }
        let (flops, bytes) = (times.iter().map(|t| t.flops).sum(), times.iter().map(|t| t.bytes).sum());
        let all_dispatches = times.iter().map(|t| t.dispatches).sum::<u64>() as f64 / per;
        println!(
            "  {:<12} {:<24} {:>10} {:>10} {:>11.3} {:>7} {:>9} {:>8}",
            "all",
            "",
            "",
            all_dispatches,
            total / per,
            "",
            rate(flops, total),
            rate(bytes, total)
        );
        if untimed > 0 {
            println!("  ({untimed} dispatches ran untimed: more in a step than one query set holds)");
        }
        // What the ops leave of a timed step's wall time is the host's: recording, the
        // submission, launches and the read-back the next step waits for.
        println!(
            "GPU busy per supervision step: {:.3} ms of the {:.3} ms a timed step takes ({:.0}%)",
            total / per,
            per_step * 1e3,
            100.0 * total / per / (per_step * 1e3)
        );
    }
    Ok(())
}
