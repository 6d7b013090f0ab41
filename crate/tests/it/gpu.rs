//! The GPU engine against the CPU engine (and PyTorch's fixtures), natively on whatever
//! adapter wgpu finds: Mesa's lavapipe in CI (`mesa-vulkan-drivers`). No adapter is a
//! failure, not a skip: install lavapipe (scripts/test.sh does, as root).

use std::sync::{Arc, OnceLock};

use crate::common::*;
use trm::config::{Config, PosEncoding};
use trm::cpu::CpuEngine;
use trm::gpu::ops::matmul::{Blocks, Tile};
use trm::gpu::ops::Kernel;
use trm::gpu::{GpuContext, GpuEngine};
use trm::{block_on, Batch, Engine, Model, Options, PuzzleKind, Recursion};

fn context() -> Arc<GpuContext> {
    static CTX: OnceLock<Arc<GpuContext>> = OnceLock::new();
    CTX.get_or_init(|| {
        let ctx = block_on(GpuContext::new())
            .unwrap_or_else(|e| panic!("{e}\nInstall a Vulkan driver (Debian: apt-get install mesa-vulkan-drivers)."));
        eprintln!("GPU tests on {} ({}), shader-f16: {}", ctx.adapter_name, ctx.backend, ctx.shader_f16);
        Arc::new(ctx)
    })
    .clone()
}

fn cfg(mlp_t: bool, prefix: bool, pos: PosEncoding) -> Config {
    Config {
        vocab_size: 11,
        seq_len: 36,
        hidden_size: 64,
        num_heads: 4,
        expansion: 4.0,
        l_layers: 2,
        h_cycles: 2,
        l_cycles: 2,
        halt_max_steps: 16,
        pos_encodings: pos,
        mlp_t,
        puzzle_emb_ndim: if prefix { 64 } else { 0 },
        puzzle_emb_len: if prefix { 4 } else { 0 },
        num_puzzle_identifiers: 3,
        rms_norm_eps: 1e-5,
        rope_theta: 10000.0,
    }
}

fn random_batch(cfg: &Config, n: usize, seed: u64) -> Batch {
    let mut s = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = || {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (s >> 33) as u32
    };
    let tokens = (0..n * cfg.seq_len).map(|_| next() % cfg.vocab_size as u32).collect();
    let rows = if cfg.puzzle_emb_ndim > 0 { cfg.num_puzzle_identifiers as u32 } else { 1 };
    Batch { tokens, puzzle_ids: (0..n).map(|_| next() % rows).collect() }
}

fn step<E: Engine>(e: &mut E) -> trm::Readout {
    let (t, n) = (e.config().h_cycles, e.config().l_cycles);
    for _ in 0..t {
        for _ in 0..n {
            e.update_z().unwrap();
        }
        e.update_y(false).unwrap();
    }
    block_on(e.finish_step()).unwrap()
}

/// Two supervision steps on both engines: logits, states and q within 1e-3, argmax equal
/// on at least 99.9% of cells.
fn compare(model: Model, batch: &Batch, ctx: Arc<GpuContext>) -> GpuEngine {
    compare_tile(model, batch, ctx, Tile::DEFAULT)
}

fn compare_tile(model: Model, batch: &Batch, ctx: Arc<GpuContext>, tile: Tile) -> GpuEngine {
    let model = Arc::new(model);
    let mut cpu = CpuEngine::new(model.clone());
    let mut gpu = GpuEngine::with_tile(ctx, model.clone(), tile).unwrap();
    cpu.load_batch(batch).unwrap();
    gpu.load_batch(batch).unwrap();
    for s in 1..=2 {
        let rc = step(&mut cpu);
        let rg = step(&mut gpu);
        let logits = block_on(gpu.read_logits()).unwrap();
        let e = rel_err(&logits, cpu.logits());
        assert!(e <= 1e-3, "step {s}: logits relative error {e:.2e}");
        let (y, z) = block_on(gpu.read_state()).unwrap();
        assert!(rel_err(&y, cpu.y()) <= 1e-3 && rel_err(&z, cpu.z()) <= 1e-3, "step {s}: states differ");
        let q: Vec<f32> = block_on(gpu.read_q()).unwrap().iter().flatten().copied().collect();
        let qc: Vec<f32> = cpu.q_logits().iter().flatten().copied().collect();
        assert!(rel_err(&q, &qc) <= 1e-3, "step {s}: q differs");
        assert!(rel_err(&rg.q_halt, &rc.q_halt) <= 1e-3);
        let same = rg.tokens.iter().zip(&rc.tokens).filter(|(a, b)| a == b).count();
        assert!(same as f64 >= 0.999 * rc.tokens.len() as f64, "step {s}: argmax agrees on {same}/{}", rc.tokens.len());
        assert!(rel_err(&rg.probs, &rc.probs) <= 1e-3);
    }
    gpu
}

#[test]
fn mlp_t_with_prefix_batch_1_and_3() {
    for n in [1, 3] {
        let c = cfg(true, true, PosEncoding::None);
        compare(Model::random(c.clone(), PuzzleKind::Sudoku, 10 + n as u64).unwrap(), &random_batch(&c, n, 1), context());
    }
}

#[test]
fn attention_rope_with_and_without_prefix() {
    for (prefix, n) in [(true, 1), (true, 3), (false, 2)] {
        let c = cfg(false, prefix, PosEncoding::Rope);
        compare(Model::random(c.clone(), PuzzleKind::Arc, 20 + n as u64).unwrap(), &random_batch(&c, n, 2), context());
    }
}

#[test]
fn attention_learned_positions_and_mlp_t_without_prefix() {
    let c = cfg(false, false, PosEncoding::Learned);
    compare(Model::random(c.clone(), PuzzleKind::Maze, 31).unwrap(), &random_batch(&c, 2, 3), context());
    let c = cfg(true, false, PosEncoding::None);
    compare(Model::random(c.clone(), PuzzleKind::Sudoku, 32).unwrap(), &random_batch(&c, 2, 4), context());
}

/// The attention kernel works on head dims four at a time: head dims that are not a multiple
/// of 4 (10 with RoPE, 9 with learned positions) are padded with zeros and give what the CPU
/// engine gives, as does the largest head dim the kernel takes (64, the paper's).
#[test]
fn attention_head_dims_off_the_kernels_vector_width_and_at_its_limit() {
    for (hidden_size, num_heads, pos) in [(40, 4, PosEncoding::Rope), (36, 4, PosEncoding::Learned), (128, 2, PosEncoding::Rope)] {
        let c = Config { hidden_size, num_heads, ..cfg(false, true, pos) };
        assert!(c.head_dim() % 4 != 0 || c.head_dim() == trm::gpu::ops::attention::MAX_HD as usize, "{c:?}");
        compare(Model::random(c.clone(), PuzzleKind::Arc, 33).unwrap(), &random_batch(&c, 2, 7), context());
    }
}

/// An mlp_t model's head count is never used, and need not divide its width: more heads than
/// channels (a head dim of 0) still builds the engine's pipelines.
#[test]
fn an_mlp_t_model_with_more_heads_than_channels_runs() {
    let c = Config { num_heads: 128, ..cfg(true, true, PosEncoding::None) };
    assert_eq!(c.head_dim(), 0);
    compare(Model::random(c.clone(), PuzzleKind::Sudoku, 34).unwrap(), &random_batch(&c, 1, 8), context());
}

/// Each block's norm runs in its last product's dispatch, one workgroup per whole rows walking
/// their columns a tile at a time: rows wider than one tile, ending in a partial tile, on
/// both axes (the channel axis, D = 160; the sequence axis of the token-mixing block, S = 85),
/// with either layout of the blocks.
#[test]
fn norms_over_rows_wider_than_one_tile_match_the_cpu() {
    let wide = |mlp_t, pos| Config { hidden_size: 160, seq_len: 81, puzzle_emb_ndim: 160, ..cfg(mlp_t, true, pos) };
    let tn = trm::gpu::ops::matmul::TN as usize;
    for (mlp_t, pos, n) in [(true, PosEncoding::None, 2), (false, PosEncoding::Rope, 1)] {
        let c = wide(mlp_t, pos);
        assert!(c.hidden_size > tn && c.hidden_size % tn != 0 && c.full_seq_len() > tn && c.full_seq_len() % tn != 0);
        for tile in [Tile::DEFAULT, Tile { blocks: Blocks::Strided, ..Tile::DEFAULT }] {
            compare_tile(Model::random(c.clone(), PuzzleKind::Sudoku, 70 + n as u64).unwrap(), &random_batch(&c, n, 9), context(), tile);
        }
    }
}

/// `trm bench --tile` runs the products with another tile: smaller than some of the products'
/// sides and larger than others, other K-steps, gated and normed ones included, on both kinds
/// of sequence mixing, with strided blocks and with blocks read as vec4s; the answers are the
/// engine's own. A tile the device cannot run is refused before anything is built, naming the
/// limit.
#[test]
fn other_matmul_tiles_match_the_cpu_and_a_tile_over_the_limits_is_refused() {
    for (text, mlp_t, pos) in [
        ("32x32x8", true, PosEncoding::None),
        ("16x64x32", false, PosEncoding::Rope),
        ("32x128x16", true, PosEncoding::None),
        ("64x64x16", true, PosEncoding::None),
        ("16x64x32v4", false, PosEncoding::Rope),
        ("32x128x8v4", true, PosEncoding::None),
    ] {
        let c = cfg(mlp_t, true, pos);
        let tile: Tile = text.parse().unwrap();
        let gpu = compare_tile(Model::random(c.clone(), PuzzleKind::Sudoku, 80).unwrap(), &random_batch(&c, 2, 10), context(), tile);
        assert_eq!(gpu.tile(), tile);
    }
    let c = cfg(true, true, PosEncoding::None);
    let model = Arc::new(Model::random(c, PuzzleKind::Sudoku, 80).unwrap());
    let huge = Tile { tm: 256, tn: 256, tk: 16, ..Tile::DEFAULT };
    let e = GpuEngine::with_tile(context(), model, huge).err().expect("refused").to_string();
    assert!(e.contains("4096 invocations"), "{e}");
}

/// The dispatches of a supervision step: per network call its injection, then per layer the
/// sequence mixing (mlp_t: its gated product and its product with the norm; attention: qkv,
/// RoPE where rotary, attention, o_proj with the norm) and the channel MLP's two products; then
/// the two heads. No norm or residual add of its own: they ride on the products.
#[test]
fn a_step_is_its_products_with_the_norms_riding_on_them() {
    for (mlp_t, pos, mixing) in [(true, PosEncoding::None, 2), (false, PosEncoding::Rope, 4), (false, PosEncoding::Learned, 3)] {
        let c = cfg(mlp_t, true, pos);
        let mut gpu = GpuEngine::with_context(context(), Arc::new(Model::random(c.clone(), PuzzleKind::Sudoku, 90).unwrap())).unwrap();
        gpu.load_batch(&random_batch(&c, 2, 11)).unwrap();
        let before = gpu.dispatches();
        step(&mut gpu);
        let per_call = 1 + c.l_layers * (mixing + 2);
        assert_eq!(gpu.dispatches() - before, (c.net_calls_per_step() * per_call + 2) as u64, "{pos:?}, mlp_t {mlp_t}");
    }
}

#[test]
fn large_batches_split_into_chunks_that_fit_the_binding_limit() {
    let c = cfg(false, true, PosEncoding::Rope);
    let mut small = (*context()).clone_for_test();
    // Room for two puzzles per binding: a batch of 5 runs as chunks of 2, 2, 1.
    small.binding_cap = Some(2 * trm::gpu::plan::per_puzzle_bytes(&c));
    let gpu = compare(Model::random(c.clone(), PuzzleKind::Arc, 40).unwrap(), &random_batch(&c, 5, 5), Arc::new(small));
    assert_eq!(gpu.chunks(), vec![2, 2, 1]);
}

#[test]
fn a_solve_is_one_submission_per_supervision_step_and_matches_the_cpu() {
    let c = cfg(true, true, PosEncoding::None);
    let model = Arc::new(Model::random(c.clone(), PuzzleKind::Sudoku, 50).unwrap());
    let batch = random_batch(&c, 2, 6);
    let opts = Options { cycle_answers: true, ..Options::full(&c) };
    let mut gpu = GpuEngine::with_context(context(), model.clone()).unwrap();
    let mut cpu = CpuEngine::new(model);
    let (mut rg, mut rc) = (Recursion::new(&mut gpu, &batch, opts.clone()).unwrap(), Recursion::new(&mut cpu, &batch, opts).unwrap());
    let mut steps = 0;
    while let (Some(g), Some(cc)) = (block_on(rg.step()).unwrap(), block_on(rc.step()).unwrap()) {
        steps += 1;
        for (pg, pc) in g.puzzles.iter().zip(&cc.puzzles) {
            assert_eq!(pg.cycles.len(), c.h_cycles);
            assert_eq!(pg.cycles.last().unwrap(), &pg.tokens);
            // Random weights amplify float noise about 6x per step (see parity.rs), so
            // answers are compared where both engines are still within 1e-3 of each other.
            if steps <= 2 {
                assert_eq!(pg.tokens, pc.tokens, "step {steps}");
                assert_eq!(pg.cycles, pc.cycles, "step {steps}");
            }
        }
    }
    assert_eq!(steps, 16);
    drop(rg);
    assert_eq!(gpu.submissions(), 16);
}

#[test]
fn fixtures_match_pytorch_on_the_gpu() {
    for name in ["mlp_t_sudoku", "mlp_t_f16", "att_rope_6x6", "att_rope2d_6x6", "att_learned_noprefix"] {
        let model = Model::from_bytes(&read(&fixtures().join(format!("{name}.safetensors")))).unwrap();
        let io = Io::open(name);
        let batch = Batch { tokens: io.u32("tokens"), puzzle_ids: io.u32("puzzle_ids") };
        let mut gpu = GpuEngine::with_context(context(), Arc::new(model)).unwrap();
        if name == "mlp_t_f16" {
            assert_eq!(gpu.f16_weights(), context().shader_f16, "f16 weights go up as f16 where the device has shader-f16");
        }
        gpu.load_batch(&batch).unwrap();
        for s in 1..=2 {
            step(&mut gpu);
            let e = rel_err(&block_on(gpu.read_logits()).unwrap(), &io.f32(&format!("step{s}_logits")));
            assert!(e <= 1e-3, "{name} step {s}: logits relative error {e:.2e} against PyTorch");
        }
    }
}

#[test]
fn the_arc_configuration_fits_eight_puzzles_per_chunk_in_webgpu_default_limits() {
    // S = 916, D = 512: the largest per-puzzle buffer (SwiGLU's [gate | up], 11.3 MB) must
    // fit at least 8 times in WebGPU's default 128 MiB storage binding.
    let cfg = PuzzleKind::Arc.paper_config();
    assert_eq!((cfg.full_seq_len(), cfg.hidden_size), (916, 512));
    let default_binding = wgpu::Limits::default().max_storage_buffer_binding_size;
    assert_eq!(default_binding, 128 << 20);
    let per = trm::gpu::plan::per_puzzle_bytes(&cfg);
    assert!(default_binding / per >= 8, "only {} ARC puzzles per chunk", default_binding / per);
}

#[test]
fn restarting_a_slot_on_the_gpu_is_loading_it_fresh_in_any_chunk() {
    for (mlp_t, pos) in [(true, PosEncoding::None), (false, PosEncoding::Rope), (false, PosEncoding::Learned)] {
        let c = cfg(mlp_t, true, pos);
        let model = Arc::new(Model::random(c.clone(), PuzzleKind::Sudoku, 60).unwrap());
        let mut small = (*context()).clone_for_test();
        // Two puzzles per binding: the restarted slot 3 is the second of the second chunk.
        small.binding_cap = Some(2 * trm::gpu::plan::per_puzzle_bytes(&c));
        let small = Arc::new(small);
        let fresh = random_batch(&c, 1, 8);
        check_restart(|| GpuEngine::with_context(small.clone(), model.clone()).unwrap(), &random_batch(&c, 4, 7), &fresh, 1e-4);
    }
}

#[test]
fn latent_read_outs_match_the_cpu_in_every_chunk_and_cycle() {
    let c = cfg(false, true, PosEncoding::Rope);
    let model = Arc::new(with_random_basis(Model::random(c.clone(), PuzzleKind::Arc, 60).unwrap(), 4));
    let mut small = (*context()).clone_for_test();
    small.binding_cap = Some(2 * trm::gpu::plan::per_puzzle_bytes(&c));
    let batch = random_batch(&c, 5, 7);
    let opts = Options { cycle_answers: true, latent: true, max_steps: 2, ..Options::full(&c) };
    let mut gpu = GpuEngine::with_context(Arc::new(small), model.clone()).unwrap();
    let mut cpu = CpuEngine::new(model);
    let mut rg = Recursion::new(&mut gpu, &batch, opts.clone()).unwrap();
    let mut rc = Recursion::new(&mut cpu, &batch, opts).unwrap();
    while let (Some(g), Some(cc)) = (block_on(rg.step()).unwrap(), block_on(rc.step()).unwrap()) {
        for (i, (pg, pc)) in g.puzzles.iter().zip(&cc.puzzles).enumerate() {
            assert_eq!(pg.latent.len(), c.h_cycles);
            for (j, (a, b)) in pg.latent.iter().zip(&pc.latent).enumerate() {
                assert_eq!(a.y.len(), c.seq_len * 3);
                let (ey, ez) = (rel_err(&a.y, &b.y), rel_err(&a.z, &b.z));
                assert!(ey <= 1e-3 && ez <= 1e-3, "step {} puzzle {i} cycle {j}: y {ey:.1e}, z {ez:.1e}", g.step);
            }
        }
    }
    drop(rg);
    assert_eq!(gpu.chunks(), vec![2, 2, 1]);
    // No basis in the file, no read-out: a clear error before anything runs.
    let mut plain = GpuEngine::with_context(context(), Arc::new(Model::random(c.clone(), PuzzleKind::Arc, 60).unwrap())).unwrap();
    let opts = Options { latent: true, ..Options::full(&c) };
    assert!(Recursion::new(&mut plain, &batch, opts).err().unwrap().to_string().contains("no latent basis"));
}

/// The profile's rates are counted per dispatch by each op (ops `Work`) and the benchmarks'
/// FLOP/s from the model's shape (`Config::flops_per_step`): over a step the two agree exactly,
/// on both kinds of sequence mixing, so an op that miscounts its arithmetic fails here. Every
/// dispatch moves memory; only the products, attention and the heads count arithmetic.
#[test]
fn a_profiled_steps_arithmetic_is_the_models_flop_count() {
    let ctx = context();
    if !ctx.timestamps {
        return; // the test above checks the error
    }
    for (mlp_t, pos) in [(true, PosEncoding::None), (false, PosEncoding::Rope), (false, PosEncoding::Learned)] {
        let c = cfg(mlp_t, true, pos);
        let mut gpu = GpuEngine::with_context(ctx.clone(), Arc::new(Model::random(c.clone(), PuzzleKind::Sudoku, 22).unwrap())).unwrap();
        let batch = 3;
        gpu.load_batch(&random_batch(&c, batch, 6)).unwrap();
        gpu.profile().unwrap();
        step(&mut gpu);
        let (times, _, _) = gpu.op_times().unwrap();
        let flops: u64 = times.iter().map(|t| t.flops).sum();
        assert_eq!(flops as f64, c.flops_per_step() * batch as f64, "mlp_t {mlp_t}, {pos:?}: {times:#?}");
        for t in &times {
            assert!(t.bytes > 0 && t.workgroups > 0, "{t:?}");
            let products =
                matches!(t.kernel, Kernel::Matmul | Kernel::MatmulGated | Kernel::MatmulNorm | Kernel::Attention | Kernel::LmHead | Kernel::QHead);
            assert_eq!(t.flops > 0, products, "{t:?}");
        }
    }
}

/// Profiling times every dispatch of the steps it covers, by kernel, and changes no answer: a
/// profiled step reads back exactly what the same step does unprofiled. Where the adapter has
/// no timestamp queries, asking for a profile is an error that says so.
#[test]
fn a_profiled_step_times_every_dispatch_and_answers_the_same() {
    let ctx = context();
    let c = cfg(false, true, PosEncoding::Rope);
    let model = Arc::new(Model::random(c.clone(), PuzzleKind::Sudoku, 21).unwrap());
    let batch = random_batch(&c, 2, 5);
    let mut plain = GpuEngine::with_context(ctx.clone(), model.clone()).unwrap();
    let mut profiled = GpuEngine::with_context(ctx.clone(), model).unwrap();
    if !ctx.timestamps {
        let e = profiled.profile().unwrap_err().to_string();
        assert!(e.contains("timestamp"), "{e}");
        return;
    }
    // On before the batch loads, so that the reset's dispatches are timed with step 1's.
    profiled.profile().unwrap();
    plain.load_batch(&batch).unwrap();
    profiled.load_batch(&batch).unwrap();
    assert!(profiled.op_times().is_some_and(|(t, steps, _)| t.is_empty() && steps == 0));
    for s in 1..=2 {
        let before = profiled.dispatches();
        let (a, b) = (step(&mut plain), step(&mut profiled));
        assert_eq!(a.tokens, b.tokens, "step {s}");
        assert_eq!(a.q_halt, b.q_halt, "step {s}");
        let (times, steps, untimed) = profiled.op_times().unwrap();
        assert_eq!((steps, untimed), (s, 0));
        // Every dispatch recorded so far is counted under its kernel (the reset's with step 1).
        let counted: u64 = times.iter().map(|t| t.dispatches).sum();
        assert_eq!(counted, profiled.dispatches(), "step {s}: {} dispatches this step", profiled.dispatches() - before);
        assert!(times.iter().all(|t| t.ms >= 0.0 && t.ms.is_finite()), "{times:?}");
        // An attention model with RoPE uses every kernel.
        let kernels: Vec<Kernel> = times.iter().map(|t| t.kernel).collect();
        for k in Kernel::ALL {
            assert!(kernels.contains(&k), "step {s}: no {k:?} in {kernels:?}");
        }
    }
}
