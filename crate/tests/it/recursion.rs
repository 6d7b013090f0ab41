//! The recursion driver: call pattern, early halting, per-cycle answers, batching, and
//! the checks on its inputs.

use crate::common;

use std::sync::Arc;

use crate::common::*;
use trm::config::{Config, PosEncoding};
use trm::cpu::CpuEngine;
use trm::recursion::sigmoid;
use trm::{block_on, Batch, Engine, Model, Options, PuzzleKind, Readout, Recursion, TrmError};

fn small(mlp_t: bool) -> Config {
    Config {
        vocab_size: 11,
        seq_len: 16,
        hidden_size: 32,
        num_heads: 2,
        expansion: 2.0,
        l_layers: 2,
        h_cycles: 3,
        l_cycles: 2,
        halt_max_steps: 16,
        pos_encodings: if mlp_t { PosEncoding::None } else { PosEncoding::Rope },
        mlp_t,
        puzzle_emb_ndim: 32,
        puzzle_emb_len: 2,
        num_puzzle_identifiers: 3,
        rms_norm_eps: 1e-5,
        rope_theta: 10000.0,
    }
}

fn batch(cfg: &Config, n: usize, seed: u32) -> Batch {
    let tokens = (0..n * cfg.seq_len).map(|i| (i as u32 * 7 + seed * 13) % cfg.vocab_size as u32).collect();
    Batch { tokens, puzzle_ids: (0..n as u32).map(|i| i % 3).collect() }
}

/// Records the order of calls the driver makes, delegating the work to the CPU engine.
struct Recorder {
    inner: CpuEngine,
    log: Vec<char>,
}

impl Engine for Recorder {
    fn config(&self) -> &Config {
        self.inner.config()
    }
    fn load_batch(&mut self, b: &Batch) -> trm::Result<()> {
        self.log.push('L');
        self.inner.load_batch(b)
    }
    fn restart_slot(&mut self, slot: usize, tokens: &[u32], puzzle_id: u32) -> trm::Result<()> {
        self.log.push('R');
        self.inner.restart_slot(slot, tokens, puzzle_id)
    }
    fn update_z(&mut self) -> trm::Result<()> {
        self.log.push('z');
        self.inner.update_z()
    }
    fn update_y(&mut self, read: bool) -> trm::Result<()> {
        self.log.push('y');
        self.inner.update_y(read)
    }
    fn read_latent(&mut self) -> trm::Result<()> {
        self.log.push('p');
        self.inner.read_latent()
    }
    fn has_latent_basis(&self) -> bool {
        self.inner.has_latent_basis()
    }
    async fn finish_step(&mut self) -> trm::Result<Readout> {
        self.log.push('|');
        self.inner.finish_step().await
    }
    fn name(&self) -> String {
        "recorder".into()
    }
}

#[test]
fn one_step_is_t_cycles_of_n_latent_updates_then_an_answer_update() {
    let cfg = small(true);
    let model = Arc::new(Model::random(cfg.clone(), PuzzleKind::Sudoku, 1).unwrap());
    let mut rec = Recorder { inner: CpuEngine::new(model), log: vec![] };
    let opts = Options { max_steps: 2, ..Options::full(&cfg) };
    let out = block_on(Recursion::new(&mut rec, &batch(&cfg, 1, 0), opts).unwrap().run()).unwrap();
    assert_eq!(out.len(), 1);
    let log: String = rec.log.iter().collect();
    assert_eq!(log, "Lzzyzzyzzy|zzyzzyzzy|");

    // The latent read-out comes after the step's last answer update, or after every one with
    // the per-cycle answers.
    let model = Arc::new(common::with_random_basis(Model::random(cfg.clone(), PuzzleKind::Sudoku, 1).unwrap(), 9));
    for (cycles, want) in [(false, "Lzzyzzyzzyp|"), (true, "Lzzypzzypzzyp|")] {
        let mut rec = Recorder { inner: CpuEngine::new(model.clone()), log: vec![] };
        let opts = Options { max_steps: 1, latent: true, cycle_answers: cycles, ..Options::full(&cfg) };
        let out = block_on(Recursion::new(&mut rec, &batch(&cfg, 1, 0), opts).unwrap().run()).unwrap();
        assert_eq!(out[0].latent.len(), if cycles { cfg.h_cycles } else { 1 });
        assert_eq!(rec.log.iter().collect::<String>(), want);
    }
}

/// Says go on `left` times, then stop, logging each question into the engine's log as 'P'.
struct StopAfter {
    left: usize,
    asked: usize,
}

impl trm::recursion::Pace for StopAfter {
    async fn go_on(&mut self) -> bool {
        self.asked += 1;
        let go = self.left > 0;
        self.left = self.left.saturating_sub(1);
        go
    }
}

#[test]
fn a_pace_is_asked_between_h_cycles_and_a_stop_ends_the_run_mid_step() {
    let cfg = small(true);
    let model = Arc::new(Model::random(cfg.clone(), PuzzleKind::Sudoku, 1).unwrap());
    let mut rec = Recorder { inner: CpuEngine::new(model), log: vec![] };
    let opts = Options { max_steps: 4, ..Options::full(&cfg) };
    let mut run = trm::recursion::Run::start(&mut rec, &batch(&cfg, 1, 0), opts).unwrap();
    // Asked T - 1 times a step (between cycles, not before the first or after the last).
    let mut pace = StopAfter { left: 3, asked: 0 };
    assert!(block_on(run.step_paced(&mut rec, &mut pace)).unwrap().is_some());
    assert_eq!(pace.asked, cfg.h_cycles - 1);
    // The second step's second question says stop: that step ends after its first cycle.
    assert!(block_on(run.step_paced(&mut rec, &mut pace)).unwrap().is_none());
    assert_eq!(pace.asked, 4);
    assert_eq!(rec.log.iter().collect::<String>(), "Lzzyzzyzzy|zzyzzy");
    // Half a step left y and z half-updated: the run is over, and stays so.
    assert!(run.is_done());
    assert_eq!(run.steps_done(), 1);
    assert!(block_on(run.step(&mut rec)).unwrap().is_none());
    assert_eq!(rec.log.iter().collect::<String>(), "Lzzyzzyzzy|zzyzzy");
}

#[test]
fn full_run_reports_every_step() {
    for mlp_t in [true, false] {
        let cfg = small(mlp_t);
        let mut e = CpuEngine::new(Arc::new(Model::random(cfg.clone(), PuzzleKind::Sudoku, 2).unwrap()));
        let mut r = Recursion::new(&mut e, &batch(&cfg, 2, 1), Options::full(&cfg)).unwrap();
        let mut steps = vec![];
        while let Some(rep) = block_on(r.step()).unwrap() {
            assert_eq!(rep.puzzles.len(), 2);
            for p in &rep.puzzles {
                assert_eq!(p.tokens.len(), cfg.seq_len);
                assert!(p.probs.iter().all(|&q| q > 0.0 && q <= 1.0));
                assert!(p.halted_at.is_none());
            }
            steps.push(rep.step);
        }
        assert_eq!(steps, (1..=16).collect::<Vec<_>>());
        assert!(r.is_done());
    }
}

#[test]
fn early_halting_follows_q_halt() {
    let cfg = small(true);
    let mut model = Model::random(cfg.clone(), PuzzleKind::Sudoku, 3).unwrap();
    model.weights.q_head_w.data.fill(0.0);
    model.weights.q_head_b.data[0] = 4.0; // sigmoid(4) = 0.98: halts at once
    let model = Arc::new(model);
    let mut e = CpuEngine::new(model.clone());
    let opts = Options { early_halt: true, ..Options::full(&cfg) };
    let mut r = Recursion::new(&mut e, &batch(&cfg, 2, 0), opts.clone()).unwrap();
    let first = block_on(r.step()).unwrap().unwrap();
    assert!(first.puzzles.iter().all(|p| p.halted_at == Some(1)));
    assert!(block_on(r.step()).unwrap().is_none(), "all halted, no more steps");
    // Same model with a threshold above sigmoid(4): runs all 16 steps.
    let mut e = CpuEngine::new(model);
    let opts = Options { halt_threshold: 0.99, ..opts };
    let out = block_on(Recursion::new(&mut e, &batch(&cfg, 1, 0), opts).unwrap().run()).unwrap();
    assert!(out[0].halted_at.is_none() && sigmoid(out[0].q_halt) < 0.99);
}

#[test]
fn halted_puzzle_keeps_its_answer_while_others_go_on() {
    let cfg = small(true);
    let mut model = Model::random(cfg.clone(), PuzzleKind::Sudoku, 4).unwrap();
    // q_halt reads y[0], the prefix row, which holds the puzzle embedding: give puzzle id
    // 1 a prefix that drives q_halt up and id 0 one that drives it down.
    let d = cfg.hidden_size;
    model.weights.q_head_b.data[0] = 0.0;
    let mut e = CpuEngine::new(Arc::new(model.clone()));
    let b = Batch { tokens: batch(&cfg, 2, 0).tokens, puzzle_ids: vec![0, 1] };
    let out = block_on(Recursion::new(&mut e, &b, Options::full(&cfg)).unwrap().run()).unwrap();
    let threshold = (sigmoid(out[0].q_halt) + sigmoid(out[1].q_halt)) / 2.0;
    assert!(out[0].q_halt != out[1].q_halt && d > 0);
    let opts = Options { early_halt: true, halt_threshold: threshold, ..Options::full(&cfg) };
    let mut e = CpuEngine::new(Arc::new(model));
    let mut r = Recursion::new(&mut e, &b, opts).unwrap();
    let mut reports = vec![];
    while let Some(rep) = block_on(r.step()).unwrap() {
        reports.push(rep);
    }
    // Whichever halted first keeps its halting step's answer in every later report.
    let last = reports.last().unwrap();
    for (i, p) in last.puzzles.iter().enumerate() {
        if let Some(h) = p.halted_at {
            assert_eq!(reports[h - 1].puzzles[i].tokens, p.tokens);
            for rep in &reports[h - 1..] {
                assert_eq!(rep.puzzles[i].halted_at, Some(h));
            }
        }
    }
}

#[test]
fn cycle_answers_end_with_the_step_answer() {
    let cfg = small(false);
    let mut e = CpuEngine::new(Arc::new(Model::random(cfg.clone(), PuzzleKind::Arc, 5).unwrap()));
    let opts = Options { cycle_answers: true, max_steps: 3, ..Options::full(&cfg) };
    let mut r = Recursion::new(&mut e, &batch(&cfg, 2, 2), opts).unwrap();
    while let Some(rep) = block_on(r.step()).unwrap() {
        for p in &rep.puzzles {
            assert_eq!(p.cycles.len(), cfg.h_cycles);
            assert_eq!(p.cycles.last().unwrap(), &p.tokens);
        }
    }
}

#[test]
fn batched_puzzles_give_the_same_answers_as_single_ones() {
    for mlp_t in [true, false] {
        let cfg = small(mlp_t);
        let model = Arc::new(Model::random(cfg.clone(), PuzzleKind::Sudoku, 6).unwrap());
        let b = batch(&cfg, 3, 3);
        let opts = Options { max_steps: 4, ..Options::full(&cfg) };
        let mut e = CpuEngine::new(model.clone());
        let all = block_on(Recursion::new(&mut e, &b, opts.clone()).unwrap().run()).unwrap();
        for i in 0..3 {
            let one = Batch {
                tokens: b.tokens[i * cfg.seq_len..(i + 1) * cfg.seq_len].to_vec(),
                puzzle_ids: vec![b.puzzle_ids[i]],
            };
            let mut e = CpuEngine::new(model.clone());
            let single = block_on(Recursion::new(&mut e, &one, opts.clone()).unwrap().run()).unwrap();
            assert_eq!(single[0].tokens, all[i].tokens);
            assert!(rel_err(&single[0].probs, &all[i].probs) < 1e-5);
        }
    }
}

#[test]
fn bad_batches_and_options_are_typed_errors() {
    let cfg = small(true);
    let model = Arc::new(Model::random(cfg.clone(), PuzzleKind::Sudoku, 7).unwrap());
    let mut e = CpuEngine::new(model);
    let good = batch(&cfg, 1, 0);
    let cases = [
        Batch { tokens: vec![], puzzle_ids: vec![] },
        Batch { tokens: vec![1; 15], puzzle_ids: vec![0] },
        Batch { tokens: vec![11; 16], puzzle_ids: vec![0] },
        Batch { tokens: good.tokens.clone(), puzzle_ids: vec![3] },
    ];
    for b in cases {
        assert!(matches!(Recursion::new(&mut e, &b, Options::full(&cfg)), Err(TrmError::Input(_))));
    }
    for opts in [
        Options { max_steps: 0, ..Options::full(&cfg) },
        Options { halt_threshold: 1.0, ..Options::full(&cfg) },
        Options { halt_threshold: f32::NAN, ..Options::full(&cfg) },
    ] {
        assert!(matches!(Recursion::new(&mut e, &good, opts), Err(TrmError::Options(_))));
    }
}

#[test]
fn restarting_a_slot_is_loading_its_puzzle_fresh_and_leaves_the_others_alone() {
    for mlp_t in [true, false] {
        let cfg = small(mlp_t);
        let model = Arc::new(Model::random(cfg.clone(), PuzzleKind::Sudoku, 8).unwrap());
        for packed in [false, true] {
            let fresh = Batch { tokens: batch(&cfg, 1, 9).tokens, puzzle_ids: vec![2] };
            check_restart(|| CpuEngine::with_packed_weights(model.clone(), packed), &batch(&cfg, 3, 4), &fresh, 1e-6);
        }
    }
}
