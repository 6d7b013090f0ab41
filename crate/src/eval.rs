//! Accuracy of a model on puzzles with known answers: exact puzzles, cells, per
//! supervision step, halting step. Used by `trm eval` and the tests; the Python
//! evaluator (train/trm/evaluate.py) computes the same figures.

use crate::error::Result;
use crate::puzzle::{arc, Answer, Puzzle};
use crate::recursion::{sigmoid, Batch, Engine, Options, Recursion};
use crate::solve::Copies;

/// One puzzle as tokens with its answer tokens; `scored` marks the cells that count for
/// cell accuracy (Sudoku: the blanks).
#[derive(Debug, Clone)]
pub struct Example {
    pub tokens: Vec<u32>,
    /// Row of the model's puzzle table (ARC: task x augmentation; 0 for Sudoku and mazes).
    pub puzzle_id: u32,
    pub answer: Vec<u32>,
    pub scored: Vec<bool>,
    /// A token whose cells get recall and precision per step (mazes: the path), because exact
    /// match alone says nothing about a model that finds most of a path.
    pub mark: Option<u32>,
}

impl Example {
    /// A puzzle with its known answer, through the puzzle layer: the untransformed copy's
    /// tokens and puzzle row, the answer's tokens, the cells that count.
    pub fn new(puzzle: &Puzzle, answer: &Answer, rows: Option<&[String]>) -> Example {
        let copy = puzzle.plan(rows, 1, 0).swap_remove(0);
        let mark = matches!(puzzle, Puzzle::Maze(_)).then(|| crate::puzzle::maze::Cell::Path.token());
        Example { tokens: copy.tokens, puzzle_id: copy.puzzle_id, answer: puzzle.target_tokens(answer), scored: puzzle.scored_cells(), mark }
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
    /// For examples with a `mark` token, after each supervision step: cells where both the
    /// answer and the prediction hold it, cells where the prediction does, cells where the
    /// answer does. Recall is [0] / [2], precision [0] / [1].
    pub marked_per_step: Vec<[usize; 3]>,
    /// Sum over puzzles of the first step with sigmoid(q_halt) > threshold (max steps if none).
    pub halt_step_sum: usize,
    pub seconds: f64,
    /// Each example's final answer and q_halt logit, in input order, for scoring that needs
    /// more than token equality (maze path checks, ARC voting over augmentations).
    pub finals: Vec<(Vec<u32>, f32)>,
}

impl Report {
    /// Adds another part's counts (a thread's share of the puzzles, which came after this
    /// part's in input order); `seconds` is the caller's to set.
    pub fn absorb(&mut self, o: Report) {
        self.puzzles += o.puzzles;
        self.exact += o.exact;
        self.cells_scored += o.cells_scored;
        self.cells_right += o.cells_right;
        add_counts(&mut self.exact_per_step, &o.exact_per_step);
        if self.marked_per_step.len() < o.marked_per_step.len() {
            self.marked_per_step.resize(o.marked_per_step.len(), [0; 3]);
        }
        for (a, b) in self.marked_per_step.iter_mut().zip(&o.marked_per_step) {
            (0..3).for_each(|k| a[k] += b[k]);
        }
        self.halt_step_sum += o.halt_step_sum;
        self.finals.extend(o.finals);
    }

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

fn add_counts(into: &mut Vec<usize>, from: &[usize]) {
    if into.len() < from.len() {
        into.resize(from.len(), 0);
    }
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
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
    evaluate_watched(engine, examples, opts, batch_size, now, |_, _, _| {}).await
}

/// [`evaluate`], calling `on_step(example index, step, state)` for every example after every
/// supervision step (a halted example's state is its frozen one; steps after an early-halted
/// batch ended are not reported).
pub async fn evaluate_watched<E: Engine>(
    engine: &mut E,
    examples: &[Example],
    opts: &Options,
    batch_size: usize,
    now: impl Fn() -> f64,
    mut on_step: impl FnMut(usize, usize, &crate::recursion::PuzzleStep),
) -> Result<Report> {
    let mut rep = Report { exact_per_step: vec![0; opts.max_steps], marked_per_step: vec![[0; 3]; opts.max_steps], ..Default::default() };
    let start = now();
    for (k, chunk) in examples.chunks(batch_size.max(1)).enumerate() {
        let first = k * batch_size.max(1);
        let batch = Batch {
            tokens: chunk.iter().flat_map(|e| e.tokens.iter().copied()).collect(),
            puzzle_ids: chunk.iter().map(|e| e.puzzle_id).collect(),
        };
        let mut run = Recursion::new(engine, &batch, opts.clone())?;
        let mut halt_step: Vec<Option<usize>> = vec![None; chunk.len()];
        let mut last = Vec::new();
        let mut exact_now = 0;
        let mut marked_now = [0; 3];
        while let Some(step) = run.step().await? {
            exact_now = 0;
            marked_now = [0; 3];
            for (i, p) in step.puzzles.iter().enumerate() {
                if let Some(m) = chunk[i].mark {
                    for (t, a) in p.tokens.iter().zip(&chunk[i].answer) {
                        marked_now[0] += usize::from(*t == m && *a == m);
                        marked_now[1] += usize::from(*t == m);
                        marked_now[2] += usize::from(*a == m);
                    }
                }
                if halt_step[i].is_none() && sigmoid(p.q_halt) > opts.halt_threshold {
                    halt_step[i] = Some(step.step);
                }
                exact_now += usize::from(p.tokens == chunk[i].answer);
                on_step(first + i, step.step, p);
            }
            rep.exact_per_step[step.step - 1] += exact_now;
            (0..3).for_each(|k| rep.marked_per_step[step.step - 1][k] += marked_now[k]);
            last = step.puzzles;
        }
        // Under early halting the run stops once every puzzle has halted: later steps would
        // have shown the same frozen answers.
        for s in run.steps_done()..opts.max_steps {
            rep.exact_per_step[s] += exact_now;
            (0..3).for_each(|k| rep.marked_per_step[s][k] += marked_now[k]);
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
    /// The names of the tasks counted in `tasks_pass_at_2`, so that a solve can be watched.
    pub tasks_solved: Vec<String>,
    /// Augmentations run per test input (fewer where a model's table has fewer rows).
    pub augmentations: usize,
    /// pass@1 and pass@2 had the vote been taken after each supervision step.
    pub pass_at_1_per_step: Vec<usize>,
    pub pass_at_2_per_step: Vec<usize>,
    /// Per augmented copy: exact tokens, cells, steps (as for Sudoku).
    pub per_copy: Report,
}

impl ArcReport {
    /// Adds another part's tasks (see [`Report::absorb`]).
    pub fn absorb(&mut self, o: ArcReport) {
        self.test_inputs += o.test_inputs;
        self.pass_at_1 += o.pass_at_1;
        self.pass_at_2 += o.pass_at_2;
        self.tasks += o.tasks;
        self.tasks_pass_at_2 += o.tasks_pass_at_2;
        self.tasks_solved.extend(o.tasks_solved);
        self.augmentations = self.augmentations.max(o.augmentations);
        add_counts(&mut self.pass_at_1_per_step, &o.pass_at_1_per_step);
        add_counts(&mut self.pass_at_2_per_step, &o.pass_at_2_per_step);
        self.per_copy.absorb(o.per_copy);
    }
}

/// Runs every test input of `tasks` under its [`arc::test_plan`] (`k` augmentations) on a
/// `side` x `side` canvas, maps each answer back to the original orientation and colours,
/// votes, and scores pass@1 and pass@2.
#[allow(clippy::too_many_arguments)]
pub async fn evaluate_arc<E: Engine>(
    engine: &mut E,
    rows: Option<&[String]>,
    tasks: &[(String, arc::Task)],
    side: usize,
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
                let answer = arc::encode(&y, side);
                examples.push(Example {
                    tokens: arc::encode(&x, side),
                    puzzle_id: id,
                    scored: answer.iter().map(|&t| t != arc::PAD_TOKEN).collect(),
                    answer,
                    mark: None,
                });
                meta.push((truths.len(), aug));
            }
            truths.push((ti, output.clone()));
        }
    }
    if examples.is_empty() {
        return Err(crate::TrmError::Input("no ARC test inputs with known outputs to score".into()));
    }
    // Each example's answer (in the task's frame) after each step it was run; an answer with
    // no readable grid cannot be voted for: it is simply a miss.
    let mut history: Vec<Vec<Option<(arc::Grid, f32)>>> = vec![Vec::new(); examples.len()];
    let per_copy = evaluate_watched(engine, &examples, opts, batch_size, now, |e, _, p| {
        let aug = &meta[e].1;
        history[e].push(arc::decode(&p.tokens).map(|g| (aug.inverse().apply(&g), sigmoid(p.q_halt))));
    })
    .await?;
    let vote_at = |step: usize| -> Vec<Vec<arc::Grid>> {
        let mut candidates: Vec<Vec<(arc::Grid, f32)>> = vec![Vec::new(); truths.len()];
        for ((t, _), h) in meta.iter().zip(&history) {
            // An early-halted batch ended before `step`: its examples keep their last answer.
            if let Some(Some(c)) = h.get(step.min(h.len()).saturating_sub(1)) {
                candidates[*t].push(c.clone());
            }
        }
        candidates.iter().map(|c| arc::vote(c).into_iter().map(|(g, _, _)| g).collect()).collect()
    };
    let (mut p1_steps, mut p2_steps) = (Vec::new(), Vec::new());
    for step in 1..=opts.max_steps {
        let ranked = vote_at(step);
        p1_steps.push(truths.iter().zip(&ranked).filter(|((_, t), r)| arc::pass_at_k(r, t, 1)).count());
        p2_steps.push(truths.iter().zip(&ranked).filter(|((_, t), r)| arc::pass_at_k(r, t, 2)).count());
    }
    let final_ranked = vote_at(opts.max_steps);
    let mut rep = ArcReport {
        test_inputs: truths.len(),
        augmentations: augs_max,
        pass_at_1_per_step: p1_steps,
        pass_at_2_per_step: p2_steps,
        ..Default::default()
    };
    let mut task_ok = vec![true; tasks.len()];
    let mut task_seen = vec![false; tasks.len()];
    for ((ti, truth), ranked) in truths.iter().zip(&final_ranked) {
        let p1 = arc::pass_at_k(ranked, truth, 1);
        let p2 = arc::pass_at_k(ranked, truth, 2);
        rep.pass_at_1 += usize::from(p1);
        rep.pass_at_2 += usize::from(p2);
        task_seen[*ti] = true;
        task_ok[*ti] &= p2;
    }
    rep.tasks = task_seen.iter().filter(|&&s| s).count();
    rep.tasks_solved = tasks.iter().zip(task_seen.iter().zip(&task_ok)).filter(|(_, (s, o))| **s && **o).map(|((n, _), _)| n.clone()).collect();
    rep.tasks_pass_at_2 = rep.tasks_solved.len();
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
    /// Network supervision steps summed over puzzles, counted as a [`crate::solve::Solve`] counts
    /// them: a step for each copy that ran it (a verified copy freezes, a halted one stops; under
    /// `stop_when_verified` a puzzle stops at its first verified copy).
    pub network_steps: usize,
    /// Copies that started over (see [`crate::solve::Restarts`]).
    pub restarts: usize,
    pub seconds: f64,
}

impl CopiesReport {
    /// Adds another part's puzzles (see [`Report::absorb`]).
    pub fn absorb(&mut self, o: CopiesReport) {
        self.puzzles += o.puzzles;
        self.copies = self.copies.max(o.copies);
        add_counts(&mut self.verified_per_step, &o.verified_per_step);
        self.right += o.right;
        self.right_unverified += o.right_unverified;
        self.network_steps += o.network_steps;
        self.restarts += o.restarts;
    }
}

/// How [`evaluate_copies`] runs each puzzle (the fields of [`crate::solve::SolveOptions`]
/// that are not the recursion's).
#[derive(Debug, Clone)]
pub struct CopiesOptions {
    pub copies: usize,
    pub seed: u64,
    pub stop_when_verified: bool,
    /// See [`crate::solve::Restarts`]; 0 never restarts.
    pub restart_after: usize,
}

/// Runs every puzzle as `copies` augmented copies in one batch ([`Puzzle::plan`]), each puzzle's
/// copies going through the same lifecycle as a [`crate::solve::Solve`]'s ([`Copies`]: judged
/// after every step by the puzzle's rules, a verified copy frozen, a copy whose attempt used its
/// steps started over, network steps counted per copy that ran), and counts a puzzle solved at
/// the first step a copy passes. With `stop_when_verified` a verified puzzle stops spending steps
/// (the batch ends once all of its puzzles have); a puzzle that never verifies answers with the
/// vote of its copies ([`crate::puzzle::vote`]). `puzzles` holds each puzzle's true answer.
pub async fn evaluate_copies<E: Engine>(
    engine: &mut E,
    puzzles: &[(Puzzle, Answer)],
    rows: Option<&[String]>,
    co: &CopiesOptions,
    opts: &Options,
    puzzles_per_batch: usize,
    now: impl Fn() -> f64,
) -> Result<CopiesReport> {
    let mut rep = CopiesReport { verified_per_step: vec![0; opts.max_steps], ..Default::default() };
    let start = now();
    for chunk in puzzles.chunks(puzzles_per_batch.max(1)) {
        let mut sets = chunk
            .iter()
            .map(|(p, _)| Copies::new(p.clone(), rows, co.copies, co.seed, 0, co.restart_after))
            .collect::<Result<Vec<_>>>()?;
        rep.copies = rep.copies.max(sets.iter().map(|c| c.plan().len()).max().unwrap_or(0));
        let first_slot: Vec<usize> = sets.iter().scan(0, |n, c| Some(std::mem::replace(n, *n + c.plan().len()))).collect();
        let batch = crate::puzzle::batch(sets.iter().flat_map(|c| c.plan()));
        let mut run = Recursion::new(engine, &batch, opts.clone())?;
        let mut verified_at: Vec<Option<usize>> = vec![None; chunk.len()];
        while let Some(step) = run.step().await? {
            let mut outs = step.puzzles.into_iter();
            let mut spent = Vec::new();
            for (i, copies) in sets.iter_mut().enumerate() {
                let mine: Vec<_> = outs.by_ref().take(copies.plan().len()).collect();
                if co.stop_when_verified && verified_at[i].is_some() {
                    continue; // stopped: it spends no more steps
                }
                spent.extend(copies.absorb(step.step, mine).into_iter().map(|c| (i, c)));
                if verified_at[i].is_none() && copies.any_verified() {
                    verified_at[i] = Some(step.step);
                }
            }
            rep.verified_per_step[step.step - 1] += verified_at.iter().flatten().count();
            if co.stop_when_verified && verified_at.iter().all(Option::is_some) {
                break;
            }
            if run.steps_done() < opts.max_steps {
                for (i, c) in spent {
                    if co.stop_when_verified && verified_at[i].is_some() {
                        continue; // another copy of it passed in the same step
                    }
                    if let Some(copy) = sets[i].restart(c) {
                        run.restart(first_slot[i] + c, &copy.tokens, copy.puzzle_id)?;
                        rep.restarts += 1;
                    }
                }
            }
        }
        let done = run.steps_done();
        for s in done..opts.max_steps {
            rep.verified_per_step[s] += verified_at.iter().flatten().count();
        }
        for ((copies, (_, truth)), verified) in sets.iter().zip(chunk).zip(&verified_at) {
            rep.puzzles += 1;
            rep.network_steps += copies.network_steps();
            let right = copies.answer() == Some(truth);
            rep.right += usize::from(right);
            rep.right_unverified += usize::from(right && verified.is_none());
        }
    }
    rep.seconds = now() - start;
    Ok(rep)
}

/// Accuracy of the hypothesis search ([`crate::search`]) with the rules as judge.
#[derive(Debug, Clone, Default)]
pub struct SearchReport {
    pub puzzles: usize,
    /// Network steps spent by each puzzle the search solved, when it passed the rules: the
    /// solved share at any smaller budget is the share of these within it (the search's choices
    /// do not depend on its budget, which only cuts its last round).
    pub solved_at: Vec<usize>,
    /// Network steps over all puzzles.
    pub network_steps: usize,
    pub rounds: usize,
    /// Rounds that dropped hypotheses of the round before (withdrawals).
    pub withdrawals: usize,
    /// Of the solved puzzles, those solved in a round that ran on hypotheses.
    pub solved_on_hypotheses: usize,
    pub seconds: f64,
}

impl SearchReport {
    pub fn absorb(&mut self, o: SearchReport) {
        self.puzzles += o.puzzles;
        self.solved_at.extend(o.solved_at);
        self.network_steps += o.network_steps;
        self.rounds += o.rounds;
        self.withdrawals += o.withdrawals;
        self.solved_on_hypotheses += o.solved_on_hypotheses;
    }

    /// Puzzles solved within `budget` network steps.
    pub fn solved_within(&self, budget: usize) -> usize {
        self.solved_at.iter().filter(|&&n| n <= budget).count()
    }
}

/// Runs the hypothesis search on each puzzle in turn (its copies are one batch) and counts the
/// puzzles whose search ends with an answer the rules accept.
pub async fn evaluate_search<E: Engine>(
    engine: &mut E,
    model: &crate::Model,
    puzzles: &[Puzzle],
    opts: &crate::search::SearchOptions,
    now: impl Fn() -> f64,
) -> Result<SearchReport> {
    let mut rep = SearchReport::default();
    let start = now();
    for p in puzzles {
        let mut search = crate::search::Search::start(engine, model, p.clone(), opts.clone())?;
        let mut last = None;
        while let Some(s) = search.step(engine, model).await? {
            rep.withdrawals += usize::from(!s.withdrawn.is_empty());
            last = Some(s);
        }
        rep.puzzles += 1;
        if let Some(s) = last {
            rep.rounds += s.round;
            rep.network_steps += s.solve.network_steps;
            if s.solve.verdict.is_solved() {
                rep.solved_at.push(s.solve.network_steps);
                rep.solved_on_hypotheses += usize::from(!s.hypotheses.is_empty());
            }
        }
    }
    rep.seconds = now() - start;
    Ok(rep)
}
