//! Accuracy of a model on puzzles with known answers: exact puzzles, cells, per
//! supervision step, halting step. Used by `trm eval` and the tests; the Python
//! evaluator (train/trm/evaluate.py) computes the same figures.

use crate::error::Result;
use crate::recursion::{sigmoid, Batch, Engine, Options, Recursion};

/// One puzzle as tokens with its answer tokens; `scored` marks the cells that count for
/// cell accuracy (Sudoku: the blanks).
#[derive(Debug, Clone)]
pub struct Example {
    pub tokens: Vec<u32>,
    pub answer: Vec<u32>,
    pub scored: Vec<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub puzzles: usize,
    /// Puzzles whose final answer equals the solution in every cell.
    pub exact: usize,
    pub cells_scored: usize,
    pub cells_right: usize,
    /// Exact puzzles after each supervision step (halted puzzles keep their answer).
    pub exact_per_step: Vec<usize>,
    /// Sum over puzzles of the first step with sigmoid(q_halt) > threshold (max steps if none).
    pub halt_step_sum: usize,
    pub seconds: f64,
}

impl Report {
    pub fn exact_accuracy(&self) -> f64 {
        self.exact as f64 / self.puzzles.max(1) as f64
    }
    pub fn cell_accuracy(&self) -> f64 {
        self.cells_right as f64 / self.cells_scored.max(1) as f64
    }
    pub fn mean_halt_step(&self) -> f64 {
        self.halt_step_sum as f64 / self.puzzles.max(1) as f64
    }
}

/// Runs `examples` through `engine` in batches of `batch_size`. `now` gives seconds (the
/// caller's clock, so this also runs where std::time does not).
pub async fn evaluate<E: Engine>(
    engine: &mut E,
    examples: &[Example],
    opts: &Options,
    batch_size: usize,
    now: impl Fn() -> f64,
) -> Result<Report> {
    let mut rep = Report { exact_per_step: vec![0; opts.max_steps], ..Default::default() };
    let start = now();
    for chunk in examples.chunks(batch_size.max(1)) {
        let batch = Batch {
            tokens: chunk.iter().flat_map(|e| e.tokens.iter().copied()).collect(),
            puzzle_ids: vec![0; chunk.len()],
        };
        let mut run = Recursion::new(engine, &batch, opts.clone())?;
        let mut halt_step: Vec<Option<usize>> = vec![None; chunk.len()];
        let mut last = Vec::new();
        let mut exact_now = 0;
        while let Some(step) = run.step().await? {
            exact_now = 0;
            for (i, p) in step.puzzles.iter().enumerate() {
                if halt_step[i].is_none() && sigmoid(p.q_halt) > opts.halt_threshold {
                    halt_step[i] = Some(step.step);
                }
                exact_now += usize::from(p.tokens == chunk[i].answer);
            }
            rep.exact_per_step[step.step - 1] += exact_now;
            last = step.puzzles;
        }
        // Under early halting the run stops once every puzzle has halted: later steps would
        // have shown the same frozen answers.
        for s in run.steps_done()..opts.max_steps {
            rep.exact_per_step[s] += exact_now;
        }
        for (i, p) in last.iter().enumerate() {
            let ex = &chunk[i];
            rep.puzzles += 1;
            rep.exact += usize::from(p.tokens == ex.answer);
            for ((t, a), s) in p.tokens.iter().zip(&ex.answer).zip(&ex.scored) {
                if *s {
                    rep.cells_scored += 1;
                    rep.cells_right += usize::from(t == a);
                }
            }
            rep.halt_step_sum += halt_step[i].unwrap_or(opts.max_steps);
        }
    }
    rep.seconds = now() - start;
    Ok(rep)
}
