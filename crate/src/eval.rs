//! Accuracy of a model on puzzles with known answers: exact puzzles, cells, per
//! supervision step, halting step. Used by `trm eval` and the tests; the Python
//! evaluator (train/trm/evaluate.py) computes the same figures.

use crate::error::Result;
use crate::puzzle::{arc, vote, Answer, Puzzle, Verdict};
use crate::recursion::{sigmoid, Batch, Engine, Options, Recursion};

/// One puzzle as tokens with its answer tokens; `scored` marks the cells that count for
/// cell accuracy (Sudoku: the blanks).
#[derive(Debug, Clone)]
pub struct Example {
    pub tokens: Vec<u32>,
    /// Row of the model's puzzle table (ARC: task x augmentation; 0 for Sudoku and mazes).
    pub puzzle_id: u32,
    pub answer: Vec<u32>,
    pub scored: Vec<bool>,
}

impl Example {
    /// A puzzle with its known answer, through the puzzle layer: the untransformed copy's
    /// tokens and puzzle row, the answer's tokens, the cells that count.
    pub fn new(puzzle: &Puzzle, answer: &Answer, rows: Option<&[String]>) -> Example {
        let copy = puzzle.plan(rows, 1, 0).swap_remove(0);
        Example { tokens: copy.tokens, puzzle_id: copy.puzzle_id, answer: answer.tokens(), scored: puzzle.scored_cells() }
    }
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
    /// Each example's final answer and q_halt logit, in input order, for scoring that needs
    /// more than token equality (maze path checks, ARC voting over augmentations).
    pub finals: Vec<(Vec<u32>, f32)>,
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
            puzzle_ids: chunk.iter().map(|e| e.puzzle_id).collect(),
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
            rep.finals.push((p.tokens.clone(), p.q_halt));
        }
    }
    rep.seconds = now() - start;
    Ok(rep)
}

/// ARC scores over test inputs with known outputs, as the reference counts them: each test
/// input is one puzzle; a task counts as solved when all its test inputs are.
#[derive(Debug, Clone, Default)]
pub struct ArcReport {
    pub test_inputs: usize,
    pub pass_at_1: usize,
    pub pass_at_2: usize,
    pub tasks: usize,
    pub tasks_pass_at_2: usize,
    /// Augmentations run per test input (fewer where a model's table has fewer rows).
    pub augmentations: usize,
    /// Per augmented copy: exact tokens, cells, steps (as for Sudoku).
    pub per_copy: Report,
}

/// Runs every test input of `tasks` under its [`arc::test_plan`] (`k` augmentations), maps each
/// answer back to the original orientation and colours, votes, and scores pass@1 and pass@2.
pub async fn evaluate_arc<E: Engine>(
    engine: &mut E,
    rows: Option<&[String]>,
    tasks: &[(String, arc::Task)],
    k: usize,
    opts: &Options,
    batch_size: usize,
    now: impl Fn() -> f64,
) -> Result<ArcReport> {
    // (truth index, augmentation) per example, in example order.
    let mut meta: Vec<(usize, arc::Augmentation)> = Vec::new();
    let mut examples = Vec::new();
    let mut truths: Vec<(usize, arc::Grid)> = Vec::new();
    let mut augs_max = 0;
    for (ti, (name, task)) in tasks.iter().enumerate() {
        for pair in &task.test {
            let Some(output) = &pair.output else { continue };
            let plan = arc::test_plan(rows, name, k, 0);
            augs_max = augs_max.max(plan.len());
            for (aug, id) in plan {
                let x = aug.apply(&pair.input);
                let y = aug.apply(output);
                let answer = arc::encode(&y).to_vec();
                examples.push(Example {
                    tokens: arc::encode(&x).to_vec(),
                    puzzle_id: id,
                    scored: answer.iter().map(|&t| t != arc::PAD_TOKEN).collect(),
                    answer,
                });
                meta.push((truths.len(), aug));
            }
            truths.push((ti, output.clone()));
        }
    }
    if examples.is_empty() {
        return Err(crate::TrmError::Input("no ARC test inputs with known outputs to score".into()));
    }
    let per_copy = evaluate(engine, &examples, opts, batch_size, now).await?;
    let mut candidates: Vec<Vec<(arc::Grid, f32)>> = vec![Vec::new(); truths.len()];
    for ((t, aug), (tokens, q)) in meta.iter().zip(&per_copy.finals) {
        // An answer with no readable grid cannot be voted for; it is simply a miss.
        if let Some(g) = arc::decode(tokens) {
            candidates[*t].push((aug.inverse().apply(&g), sigmoid(*q)));
        }
    }
    let mut rep = ArcReport { test_inputs: truths.len(), augmentations: augs_max, ..Default::default() };
    let mut task_ok = vec![true; tasks.len()];
    let mut task_seen = vec![false; tasks.len()];
    for ((ti, truth), cands) in truths.iter().zip(&candidates) {
        let ranked: Vec<arc::Grid> = arc::vote(cands).into_iter().map(|(g, _, _)| g).collect();
        let p1 = arc::pass_at_k(&ranked, truth, 1);
        let p2 = arc::pass_at_k(&ranked, truth, 2);
        rep.pass_at_1 += usize::from(p1);
        rep.pass_at_2 += usize::from(p2);
        task_seen[*ti] = true;
        task_ok[*ti] &= p2;
    }
    rep.tasks = task_seen.iter().filter(|&&s| s).count();
    rep.tasks_pass_at_2 = task_seen.iter().zip(&task_ok).filter(|(s, o)| **s && **o).count();
    rep.per_copy = per_copy;
    Ok(rep)
}

/// Accuracy of K augmented copies per puzzle with the rules as judge (`evaluate_copies`).
#[derive(Debug, Clone, Default)]
pub struct CopiesReport {
    pub puzzles: usize,
    pub copies: usize,
    /// Puzzles with a copy that passed the rules by each step (solved: the rules accept
    /// nothing else for a unique-solution puzzle).
    pub verified_per_step: Vec<usize>,
    /// Puzzles whose final answer equals the known answer: the verified copy's, else the vote.
    pub right: usize,
    /// Of those, the ones only the vote got right (no copy passed the rules).
    pub right_unverified: usize,
    /// Network supervision steps per puzzle summed over puzzles: copies x the steps until the
    /// puzzle stopped (its first verified copy under `stop_when_verified`, else the limit).
    pub network_steps: usize,
    pub seconds: f64,
}

/// Runs every puzzle as `copies` augmented copies in one batch ([`Puzzle::plan`]), judges
/// every copy after every step by the puzzle's rules, and counts a puzzle solved at the first
/// step a copy passes. With `stop_when_verified` a verified puzzle stops spending steps (the
/// batch ends once all of its puzzles have); a puzzle that never verifies answers with the
/// vote of its copies ([`crate::puzzle::vote`]). `known` holds each puzzle's true answer.
#[allow(clippy::too_many_arguments)]
pub async fn evaluate_copies<E: Engine>(
    engine: &mut E,
    puzzles: &[(Puzzle, Answer)],
    rows: Option<&[String]>,
    copies: usize,
    seed: u64,
    stop_when_verified: bool,
    opts: &Options,
    puzzles_per_batch: usize,
    now: impl Fn() -> f64,
) -> Result<CopiesReport> {
    let mut rep = CopiesReport { verified_per_step: vec![0; opts.max_steps], ..Default::default() };
    let start = now();
    for chunk in puzzles.chunks(puzzles_per_batch.max(1)) {
        let plans: Vec<_> = chunk.iter().map(|(p, _)| p.plan(rows, copies, seed)).collect();
        rep.copies = rep.copies.max(plans.iter().map(Vec::len).max().unwrap_or(0));
        let batch = crate::puzzle::batch(plans.iter().flatten());
        let mut run = Recursion::new(engine, &batch, opts.clone())?;
        let mut verified: Vec<Option<(usize, Answer)>> = vec![None; chunk.len()];
        let mut last = Vec::new();
        while let Some(step) = run.step().await? {
            let mut slot = 0;
            for (i, ((puzzle, _), plan)) in chunk.iter().zip(&plans).enumerate() {
                let outs = &step.puzzles[slot..slot + plan.len()];
                slot += plan.len();
                if verified[i].is_some() {
                    continue;
                }
                for (c, out) in plan.iter().zip(outs) {
                    if let (Some(a), Verdict::Solved) = puzzle.judge_tokens(&c.augment, &out.tokens) {
                        verified[i] = Some((step.step, a));
                        break;
                    }
                }
            }
            for v in verified.iter().flatten() {
                rep.verified_per_step[step.step - 1] += usize::from(v.0 <= step.step);
            }
            last = step.puzzles;
            if stop_when_verified && verified.iter().all(Option::is_some) {
                break;
            }
        }
        let done = run.steps_done();
        for s in done..opts.max_steps {
            rep.verified_per_step[s] += verified.iter().flatten().count();
        }
        let mut slot = 0;
        for (i, ((puzzle, truth), plan)) in chunk.iter().zip(&plans).enumerate() {
            let outs = &last[slot..slot + plan.len()];
            slot += plan.len();
            rep.puzzles += 1;
            let steps = match &verified[i] {
                Some((s, _)) if stop_when_verified => *s,
                _ => done,
            };
            rep.network_steps += plan.len() * steps;
            let answer = match &verified[i] {
                Some((_, a)) => Some(a.clone()),
                None => {
                    let candidates: Vec<(Answer, f32)> = plan
                        .iter()
                        .zip(outs)
                        .filter_map(|(c, o)| puzzle.answer(&c.augment, &o.tokens).ok().map(|a| (a, sigmoid(o.q_halt))))
                        .collect();
                    vote(&candidates).into_iter().next().map(|(a, _, _)| a)
                }
            };
            let right = answer.as_ref() == Some(truth);
            rep.right += usize::from(right);
            rep.right_unverified += usize::from(right && verified[i].is_none());
        }
    }
    rep.seconds = now() - start;
    Ok(rep)
}
