//! The TRM recursion, written once for every engine. Per supervision step:
//!
//! ```text
//! repeat T times:
//!     repeat n times: z = net(z, y + x)     // latent reasoning
//!     y = net(y, z)                         // answer update
//! logits = lm_head(y), q_halt = q_head(y[0])
//! ```
//!
//! Engines only know how to run one network call and the heads; this file is the only
//! place that knows T, n and the supervision steps. Engines record calls as the driver
//! makes them (the GPU engine into one command encoder) and `finish_step` executes what
//! is pending and reads back, so a step is one GPU submission.

use crate::config::Config;
use crate::error::{Result, TrmError};

/// Puzzles in token form: `tokens` is [size, seq_len] row-major.
#[derive(Debug, Clone)]
pub struct Batch {
    pub tokens: Vec<u32>,
    pub puzzle_ids: Vec<u32>,
}

impl Batch {
    pub fn size(&self) -> usize {
        self.puzzle_ids.len()
    }

    /// Checks a batch against a config, so engines may index without checks.
    pub fn validate(&self, cfg: &Config) -> Result<()> {
        let b = self.size();
        if b == 0 {
            return Err(TrmError::Input("empty batch".into()));
        }
        if self.tokens.len() != b * cfg.seq_len {
            return Err(TrmError::Input(format!(
                "{} tokens for {b} puzzles of {} cells",
                self.tokens.len(),
                cfg.seq_len
            )));
        }
        if let Some(i) = self.tokens.iter().position(|&t| t as usize >= cfg.vocab_size) {
            return Err(TrmError::Input(format!(
                "token {} at puzzle {}, cell {} is outside the vocabulary (0..{})",
                self.tokens[i],
                i / cfg.seq_len,
                i % cfg.seq_len,
                cfg.vocab_size
            )));
        }
        let rows = if cfg.puzzle_emb_ndim > 0 { cfg.num_puzzle_identifiers } else { 1 };
        if let Some(i) = self.puzzle_ids.iter().position(|&p| p as usize >= rows) {
            return Err(TrmError::Input(format!(
                "puzzle id {} of puzzle {i} is outside the model's puzzle table (0..{rows})",
                self.puzzle_ids[i]
            )));
        }
        Ok(())
    }
}

/// Checks one slot's restart against the loaded batch and the model, as `Batch::validate`
/// checks a whole batch.
pub fn check_slot(cfg: &Config, batch_size: usize, slot: usize, tokens: &[u32], puzzle_id: u32) -> Result<()> {
    if slot >= batch_size {
        return Err(TrmError::Input(format!("slot {slot} is outside the loaded batch of {batch_size}")));
    }
    Batch { tokens: tokens.to_vec(), puzzle_ids: vec![puzzle_id] }.validate(cfg)
}

/// What an engine reads back after a supervision step, for every slot of the batch.
#[derive(Debug, Clone, Default)]
pub struct Readout {
    /// argmax token per cell, [B, seq_len].
    pub tokens: Vec<u32>,
    /// softmax probability of that token, [B, seq_len].
    pub probs: Vec<f32>,
    /// q_halt logit per puzzle, [B].
    pub q_halt: Vec<f32>,
    /// argmax tokens after each answer update of the step that asked for one, [cycles][B * seq_len].
    pub cycles: Vec<Vec<u32>>,
    /// y and z projected on the model's latent basis, one per `read_latent` of the step.
    pub latent: Vec<LatentRead>,
}

/// Each cell's y and z as dot products with the model's three latent directions
/// (crate::latent): [B, seq_len, 3] each in a Readout, [seq_len, 3] in a PuzzleStep.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct LatentRead {
    pub y: Vec<f32>,
    pub z: Vec<f32>,
}

/// A backend that runs the TRM network. Calls are recorded in order; `finish_step`
/// makes them take effect (at once on the CPU, as one submission on the GPU).
#[allow(async_fn_in_trait)]
pub trait Engine {
    fn config(&self) -> &Config;
    /// Embed a batch (x) and reset y to H_init and z to L_init for every slot.
    fn load_batch(&mut self, batch: &Batch) -> Result<()>;
    /// Embed a new puzzle into one slot of the loaded batch and reset that slot's y and z,
    /// leaving the other slots' states as they are (a stalled copy starting over).
    fn restart_slot(&mut self, slot: usize, tokens: &[u32], puzzle_id: u32) -> Result<()>;
    /// z = net(z, y + x)
    fn update_z(&mut self) -> Result<()>;
    /// y = net(y, z); with `read_answer` the answer after this update is read back too.
    fn update_y(&mut self, read_answer: bool) -> Result<()>;
    /// Project y and z on the model's latent basis as they are now (an error when the model
    /// file has none); read back by `finish_step`.
    fn read_latent(&mut self) -> Result<()>;
    /// Heads on y, then everything recorded since the last step runs and is read back.
    async fn finish_step(&mut self) -> Result<Readout>;
    /// Human-readable engine name (adapter name on the GPU).
    fn name(&self) -> String;
    /// Whether `read_latent` can run: the model file carries a latent basis.
    fn has_latent_basis(&self) -> bool;
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Supervision steps to run at most (the reference evaluates 16).
    pub max_steps: usize,
    /// Stop a puzzle once sigmoid(q_halt) passes `halt_threshold`.
    pub early_halt: bool,
    pub halt_threshold: f32,
    /// Also read back the answer after every H cycle.
    pub cycle_answers: bool,
    /// Read back y and z projected on the model's latent basis after the step (and after every
    /// H cycle with `cycle_answers`); off, a step pays nothing for it.
    pub latent: bool,
}

impl Options {
    pub fn full(cfg: &Config) -> Options {
        Options { max_steps: cfg.halt_max_steps, early_halt: false, halt_threshold: 0.5, cycle_answers: false, latent: false }
    }

    pub fn validate(&self) -> Result<()> {
        if self.max_steps == 0 || self.max_steps > 1024 {
            return Err(TrmError::Options(format!("steps must be in 1..=1024, not {}", self.max_steps)));
        }
        if !(self.halt_threshold > 0.0 && self.halt_threshold < 1.0) {
            return Err(TrmError::Options(format!(
                "halt threshold must be strictly between 0 and 1, not {}",
                self.halt_threshold
            )));
        }
        Ok(())
    }
}

/// One puzzle's state after a supervision step.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PuzzleStep {
    pub tokens: Vec<u32>,
    pub probs: Vec<f32>,
    pub q_halt: f32,
    /// Answers after each H cycle of this step (when asked for).
    pub cycles: Vec<Vec<u32>>,
    /// y and z on the latent basis after each H cycle, or after the step only (when asked for).
    pub latent: Vec<LatentRead>,
    /// The step (1-based) at which this puzzle halted, if it has; its answer is frozen since.
    pub halted_at: Option<usize>,
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct StepReport {
    /// 1-based supervision step.
    pub step: usize,
    pub puzzles: Vec<PuzzleStep>,
}

/// Asked between the H cycles of a supervision step whether to go on. The wasm CPU engine's
/// front end gives the JS event loop a turn there (a step of a large batch takes seconds, and a
/// page must stay responsive and a Stop must land), and answers false once the caller stopped.
#[allow(async_fn_in_trait)]
pub trait Pace {
    async fn go_on(&mut self) -> bool;
}

/// Goes on at once: native callers, and engines that only record work between cycles.
pub struct Always;

impl Pace for Always {
    async fn go_on(&mut self) -> bool {
        true
    }
}

/// The state of one batch's run through the supervision steps, apart from the engine, so
/// that a caller may own the engine and the run side by side (the wasm Solver does).
/// Always pass the engine the run was started with.
pub struct Run {
    opts: Options,
    step: usize,
    /// A `Pace` said stop in the middle of a step: y and z are half-updated, so the run is over.
    stopped: bool,
    seq_len: usize,
    latest: Vec<Option<PuzzleStep>>,
}

impl Run {
    pub fn start<E: Engine>(engine: &mut E, batch: &Batch, opts: Options) -> Result<Run> {
        opts.validate()?;
        batch.validate(engine.config())?;
        if opts.latent && !engine.has_latent_basis() {
            return Err(TrmError::Options(
                "this model file has no latent basis, so y and z cannot be shown; add one with `trm latent-basis`".into(),
            ));
        }
        engine.load_batch(batch)?;
        let seq_len = engine.config().seq_len;
        Ok(Run { opts, step: 0, stopped: false, seq_len, latest: vec![None; batch.size()] })
    }

    pub fn steps_done(&self) -> usize {
        self.step
    }

    pub fn is_done(&self) -> bool {
        self.stopped
            || self.step >= self.opts.max_steps
            || (self.step > 0 && self.latest.iter().all(|p| matches!(p, Some(p) if p.halted_at.is_some())))
    }

    /// Runs the next supervision step; None when every puzzle has halted or all steps ran.
    pub async fn step<E: Engine>(&mut self, engine: &mut E) -> Result<Option<StepReport>> {
        self.step_paced(engine, &mut Always).await
    }

    /// `step`, asking `pace` between H cycles whether to go on; None also when it says stop
    /// (and from then on: the step was left half done).
    pub async fn step_paced<E: Engine, P: Pace>(&mut self, engine: &mut E, pace: &mut P) -> Result<Option<StepReport>> {
        if self.is_done() {
            return Ok(None);
        }
        let (t, n) = (engine.config().h_cycles, engine.config().l_cycles);
        for cycle in 0..t {
            if cycle > 0 && !pace.go_on().await {
                self.stopped = true;
                return Ok(None);
            }
            for _ in 0..n {
                engine.update_z()?;
            }
            engine.update_y(self.opts.cycle_answers)?;
            if self.opts.latent && (self.opts.cycle_answers || cycle + 1 == t) {
                engine.read_latent()?;
            }
        }
        let r = engine.finish_step().await?;
        self.step += 1;
        let l = self.seq_len;
        for (i, slot) in self.latest.iter_mut().enumerate() {
            if matches!(slot, Some(p) if p.halted_at.is_some()) {
                continue; // halted puzzles keep the answer they halted with
            }
            let q_halt = r.q_halt[i];
            let halts = self.opts.early_halt && sigmoid(q_halt) > self.opts.halt_threshold;
            *slot = Some(PuzzleStep {
                tokens: r.tokens[i * l..(i + 1) * l].to_vec(),
                probs: r.probs[i * l..(i + 1) * l].to_vec(),
                q_halt,
                cycles: r.cycles.iter().map(|c| c[i * l..(i + 1) * l].to_vec()).collect(),
                latent: r
                    .latent
                    .iter()
                    .map(|s| LatentRead { y: s.y[i * l * 3..(i + 1) * l * 3].to_vec(), z: s.z[i * l * 3..(i + 1) * l * 3].to_vec() })
                    .collect(),
                halted_at: halts.then_some(self.step),
            });
        }
        Ok(Some(StepReport { step: self.step, puzzles: self.latest.iter().flatten().cloned().collect() }))
    }

    /// Starts slot `slot` over on a new puzzle (tokens and puzzle row): y and z reset, its
    /// halting forgotten; until the next step it still reports its last state.
    pub fn restart<E: Engine>(&mut self, engine: &mut E, slot: usize, tokens: &[u32], puzzle_id: u32) -> Result<()> {
        engine.restart_slot(slot, tokens, puzzle_id)?;
        if let Some(Some(p)) = self.latest.get_mut(slot) {
            p.halted_at = None;
        }
        Ok(())
    }

    /// Each puzzle's latest state (its halting step's answer once it has halted).
    pub fn results(&self) -> Vec<PuzzleStep> {
        self.latest.iter().flatten().cloned().collect()
    }
}

/// A run together with the engine it drives: the usual way to solve a batch.
pub struct Recursion<'e, E: Engine> {
    engine: &'e mut E,
    run: Run,
}

impl<'e, E: Engine> Recursion<'e, E> {
    pub fn new(engine: &'e mut E, batch: &Batch, opts: Options) -> Result<Self> {
        let run = Run::start(engine, batch, opts)?;
        Ok(Recursion { engine, run })
    }

    /// The engine being driven (to read its counters between steps).
    pub fn engine(&self) -> &E {
        self.engine
    }

    /// The engine, to change how it records between steps (a benchmark's profiling).
    pub fn engine_mut(&mut self) -> &mut E {
        self.engine
    }

    pub fn steps_done(&self) -> usize {
        self.run.steps_done()
    }

    pub fn is_done(&self) -> bool {
        self.run.is_done()
    }

    pub async fn step(&mut self) -> Result<Option<StepReport>> {
        self.run.step(self.engine).await
    }

    pub fn restart(&mut self, slot: usize, tokens: &[u32], puzzle_id: u32) -> Result<()> {
        self.run.restart(self.engine, slot, tokens, puzzle_id)
    }

    /// Runs to the end and returns each puzzle's final state (its halting step's answer
    /// under early halting, else the last step's).
    pub async fn run(mut self) -> Result<Vec<PuzzleStep>> {
        while self.step().await?.is_some() {}
        Ok(self.run.results())
    }
}
