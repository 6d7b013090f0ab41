//! One puzzle, solved and watched: its copies (the plan of [`Puzzle::plan`], each under an
//! augmentation) run as one batch through the recursion, and after every supervision step
//! each copy's tokens are read back into an answer in the puzzle's own frame, judged by the
//! puzzle's rules, and voted on. Front ends (the CLI, the wasm `Solver`, the evaluators) stream
//! [`SolveStep`]s and never read a token.
//!
//! Which answer is shown: the first copy whose answer passes the check (it freezes there: a
//! verified answer is never replaced), else the vote of the copies (most copies, then the
//! higher mean sigmoid(q_halt)), as the paper scores ARC. The rules judge; they never fill,
//! fix or prune a cell.

use std::hash::Hash;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::puzzle::{self, Answer, Augment, Copy, Puzzle, Verdict};
use crate::latent::LatentBasis;
use crate::recursion::{sigmoid, Always, Engine, LatentRead, Options, Pace, PuzzleStep, Run};
use crate::weights::Model;

/// What a solve runs: the recursion's options, how many augmented copies, their seed.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    pub run: Options,
    /// Copies of the puzzle in one batch (mazes have at most 8 symmetries; ARC takes its plan).
    pub copies: usize,
    pub seed: u64,
    /// Run copies `first_copy .. first_copy + copies` of the plan for `first_copy + copies`
    /// copies, so that workers splitting one puzzle's copies run disjoint parts of the same
    /// plan (the identity copy is copy 0).
    pub first_copy: usize,
    /// End the solve at the first step where some copy's answer passes the check.
    pub stop_when_verified: bool,
    /// Steps each attempt of a copy gets before it starts over if its answer has not passed
    /// the check ([`Restarts`]); 0 never restarts.
    pub restart_after: usize,
}

/// An answer as a person reads it: `rows` of characters for every kind (Sudoku digits with
/// '.' for blanks, a maze's '#', ' ', 'S', 'G' and 'o' for the path, ARC colour digits), and
/// `cells` as numbers where a cell is one (Sudoku 0-9 with 0 blank, ARC colours 0-9).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GridView {
    pub width: usize,
    pub height: usize,
    pub rows: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cells: Option<Vec<u8>>,
}

impl From<&Answer> for GridView {
    fn from(a: &Answer) -> GridView {
        let digit = |c: u8| char::from(b'0' + c.min(9));
        match a {
            Answer::Sudoku(g) => GridView {
                width: 9,
                height: 9,
                rows: g.cells.chunks(9).map(|r| r.iter().map(|&c| if c == 0 { '.' } else { digit(c) }).collect()).collect(),
                cells: Some(g.cells.to_vec()),
            },
            Answer::Maze(m) => GridView {
                width: m.side(),
                height: m.side(),
                rows: m.rows().map(|r| r.iter().map(|c| c.char()).collect()).collect(),
                cells: None,
            },
            Answer::Arc(g) => GridView {
                width: g.w,
                height: g.h,
                rows: g.rows().iter().map(|r| r.iter().map(|&c| digit(c)).collect()).collect(),
                cells: Some(g.cells.clone()),
            },
        }
    }
}

/// What a solve starts from, for a front end to draw before the first step.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PuzzleInfo {
    pub kind: &'static str,
    /// The puzzle as given: a Sudoku's givens, a maze's question, an ARC test input.
    pub puzzle: GridView,
    /// The copies' augmentations, identity first.
    pub augmentations: Vec<String>,
    /// The model's puzzle-table row each copy reads (ARC: the task's own rows where the model
    /// has them; 0, the shared row, otherwise).
    pub puzzle_ids: Vec<u32>,
    /// ARC: the test's known output, when the task file has one. Sudoku: a solution, the first
    /// the backtracking search finds (the only one when `solutions` is 1), None without one.
    pub expected: Option<GridView>,
    /// Sudoku: solutions counted up to 2 (1: unique; 2: several, so a correct answer may
    /// differ from any one solution shown). Maze: the path cells ('o') of a shortest route.
    pub solutions: Option<usize>,
    pub shortest_path: Option<usize>,
}

impl PuzzleInfo {
    pub fn new(puzzle: &Puzzle, plan: &[Copy]) -> PuzzleInfo {
        let (view, expected, solutions, shortest_path) = match puzzle {
            Puzzle::Sudoku(g) => {
                let (count, first) = puzzle::sudoku::solutions_up_to(g, 2);
                let first = first.map(|s| GridView::from(&Answer::Sudoku(s)));
                (GridView::from(&Answer::Sudoku(*g)), first, Some(count), None)
            }
            Puzzle::Maze(m) => (GridView::from(&Answer::Maze(m.clone())), None, None, puzzle::maze::shortest_len(m)),
            Puzzle::Arc { task, test, .. } => {
                let t = &task.test[*test];
                (GridView::from(&Answer::Arc(t.input.clone())), t.output.clone().map(|o| GridView::from(&Answer::Arc(o))), None, None)
            }
        };
        PuzzleInfo {
            kind: puzzle.kind().as_str(),
            puzzle: view,
            augmentations: plan.iter().map(|c| c.augment.name()).collect(),
            puzzle_ids: plan.iter().map(|c| c.puzzle_id).collect(),
            expected,
            solutions,
            shortest_path,
        }
    }
}

/// One copy after a step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CopyStep {
    /// How the copy's current attempt was transformed ("identity" for the puzzle as given).
    pub augmentation: String,
    /// How many times this copy has started over (0: its first attempt).
    pub attempt: usize,
    pub answer: Option<GridView>,
    /// The model's probability for each cell of this copy's answer, in the puzzle's frame.
    pub confidence: Vec<f32>,
    pub verdict: Verdict,
    pub q_halt: f32,
    /// The step at which the model's halting head stopped this copy (early halting only).
    pub halted_at: Option<usize>,
    /// The step at which its answer first passed the check; frozen from then on.
    pub verified_at: Option<usize>,
    /// Its y and z as colours (when asked for and it has an answer), cell by cell as `answer`.
    pub latent: Option<LatentColours>,
}

/// y and z of each cell as RGB, 3 bytes per cell, in the puzzle's frame and the shown
/// answer's row-major order (crate::latent says what a colour means).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatentColours {
    pub y: Vec<u8>,
    pub z: Vec<u8>,
}

/// An answer of the copies' vote.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ranked {
    pub answer: GridView,
    pub votes: usize,
    /// Mean sigmoid(q_halt) of the copies that gave it.
    pub confidence: f32,
    pub verdict: Verdict,
}

/// The puzzle after one supervision step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SolveStep {
    /// 1-based supervision step.
    pub step: usize,
    /// The shown answer (see the module's doc), None when no copy's tokens spell one.
    pub answer: Option<GridView>,
    /// The probability the model gave each cell of the shown answer (row-major, as `answer`),
    /// from the copy it came from, mapped back to the puzzle's frame.
    pub confidence: Vec<f32>,
    pub verdict: Verdict,
    /// True when `verdict` comes from the rules or a known output (not a vote of unverified
    /// answers): Solved, or any verdict on a single copy.
    pub verified: bool,
    /// The copy the shown answer (and `confidence`, `cycles`, `q_halt`) comes from.
    pub chosen: usize,
    /// How many copies gave the shown answer.
    pub votes: usize,
    pub q_halt: f32,
    pub halt_probability: f32,
    pub halted_at: Option<usize>,
    /// The chosen copy's answers after each H cycle of this step (when asked for).
    pub cycles: Vec<Option<GridView>>,
    /// The chosen copy's y and z as colours after this step (when asked for and the shown
    /// answer exists), cell by cell as `answer`.
    pub latent: Option<LatentColours>,
    /// The same after each H cycle of this step (when cycles and the latent view are asked for).
    pub cycle_latent: Vec<LatentColours>,
    /// The vote's two leading answers, best first (ARC is scored on two attempts).
    pub ranked: Vec<Ranked>,
    pub copies: Vec<CopyStep>,
    /// Network steps spent so far over all copies (a frozen copy spends none).
    pub network_steps: usize,
    /// True on the last step of the solve.
    pub done: bool,
}

struct CopyState {
    /// The augmentation the answer was read through (the attempt that gave it).
    augment: Augment,
    attempt: usize,
    answer: Option<Answer>,
    verdict: Verdict,
    step: PuzzleStep,
    verified_at: Option<usize>,
}

/// One puzzle's copies through the supervision steps, the copy lifecycle in one place: after
/// each step every copy's tokens are read back and judged, a copy whose answer passes freezes
/// there, a copy whose attempt used its steps starts over ([`Restarts`]), and a network step is
/// counted for each copy that ran (not frozen, not halted). [`Solve`] runs one puzzle's copies as
/// its own batch; [`crate::eval::evaluate_copies`] runs several puzzles' copies as slices of one.
pub struct Copies {
    puzzle: Puzzle,
    /// The puzzle whose rules judge the answers: `puzzle` itself, unless the copies run on a
    /// puzzle with more givens than the person's ([`Solve::judged_by`]).
    rules: Option<Puzzle>,
    plan: Vec<Copy>,
    states: Vec<Option<CopyState>>,
    restarts: Restarts,
    network_steps: usize,
    seed: u64,
    first_copy: usize,
}

impl Copies {
    /// Copies `first_copy .. first_copy + copies` of the puzzle's plan for `first_copy + copies`
    /// copies ([`SolveOptions::first_copy`]); `rows`: the model's puzzle-table row names.
    pub fn new(puzzle: Puzzle, rows: Option<&[String]>, copies: usize, seed: u64, first_copy: usize, restart_after: usize) -> Result<Copies> {
        let mut plan = puzzle.plan(rows, first_copy + copies.max(1), seed);
        // Mazes have only 8 symmetries: a part past them is empty, which the caller must not ask.
        if first_copy >= plan.len() {
            return Err(crate::TrmError::Options(format!("first copy {first_copy} is past the {} copies this puzzle has", plan.len())));
        }
        plan.drain(..first_copy);
        let states = plan.iter().map(|_| None).collect();
        let restarts = Restarts::new(plan.len(), restart_after);
        Ok(Copies { puzzle, rules: None, plan, states, restarts, network_steps: 0, seed, first_copy })
    }

    fn rules(&self) -> &Puzzle {
        self.rules.as_ref().unwrap_or(&self.puzzle)
    }

    pub fn plan(&self) -> &[Copy] {
        &self.plan
    }

    /// Network steps spent so far: one per copy per supervision step it ran.
    pub fn network_steps(&self) -> usize {
        self.network_steps
    }

    pub fn any_verified(&self) -> bool {
        self.states.iter().flatten().any(|s| s.verified_at.is_some())
    }

    /// Takes this puzzle's outputs of supervision step `step` (its slice of the batch, in plan
    /// order) and returns the copies whose attempt has used its steps without passing.
    pub fn absorb(&mut self, step: usize, outs: impl IntoIterator<Item = PuzzleStep>) -> Vec<usize> {
        // The copies that ran this step: those not frozen by a pass or stopped by halting before it.
        self.network_steps +=
            self.states.iter().filter(|s| !matches!(s, Some(s) if s.verified_at.is_some() || s.step.halted_at.is_some())).count();
        let rules = self.rules.as_ref().unwrap_or(&self.puzzle);
        let mut spent = Vec::new();
        for (i, (state, p)) in self.states.iter_mut().zip(outs).enumerate() {
            if matches!(state, Some(s) if s.verified_at.is_some()) {
                continue; // a verified copy keeps the answer that passed
            }
            let augment = self.plan[i].augment;
            let (answer, verdict) = rules.judge_tokens(&augment, &p.tokens);
            let verified_at = verdict.is_solved().then_some(step);
            if self.restarts.spent(i, verified_at.is_some()) {
                spent.push(i);
            }
            *state = Some(CopyState { augment, attempt: self.restarts.attempt(i), answer, verdict, step: p, verified_at });
        }
        spent
    }

    /// Copy `i`'s next attempt under a fresh augmentation, now in the plan, for the caller to
    /// load into its batch slot; None when the puzzle has no other (a maze's 8 symmetries).
    pub fn restart(&mut self, i: usize) -> Option<&Copy> {
        let copy = self.puzzle.restart_copy(self.seed, self.first_copy + i, self.restarts.attempt(i) + 1)?;
        self.plan[i] = copy;
        self.restarts.restarted(i);
        Some(&self.plan[i])
    }

    /// The answer the copies give: the first that passed, else the vote's ([`choose`]); None
    /// before a step or when no copy's tokens spell one.
    pub fn answer(&self) -> Option<&Answer> {
        let states: Vec<&CopyState> = self.states.iter().flatten().collect();
        let Choice { chosen, .. } = choose(states.iter().map(|s| (s.answer.as_ref(), s.step.q_halt, s.verified_at)));
        states.get(chosen).and_then(|s| s.answer.as_ref())
    }
}

/// A solve in progress, apart from its engine (as [`Run`] is), so that the wasm `Solver` can
/// own both. Always pass the engine the solve was started with.
pub struct Solve {
    copies: Copies,
    run: Run,
    opts: SolveOptions,
    finished: bool,
    /// The model's latent basis with its offsets, when the solve reads y and z.
    latent: Option<(LatentBasis, [f32; 3], [f32; 3])>,
}

impl Solve {
    /// Checks that the model fits the puzzle, plans the copies and loads them on the engine.
    pub fn start<E: Engine>(engine: &mut E, model: &Model, puzzle: Puzzle, opts: SolveOptions) -> Result<Solve> {
        puzzle.check_model(model.kind, &model.config)?;
        let copies = Copies::new(puzzle, model.puzzle_rows.as_deref(), opts.copies, opts.seed, opts.first_copy, opts.restart_after)?;
        let run = Run::start(engine, &puzzle::batch(&copies.plan), opts.run.clone())?;
        let latent = model.latent.clone().filter(|_| opts.run.latent).map(|b| {
            let (oy, oz) = (b.y.offsets(), b.z.offsets());
            (b, oy, oz)
        });
        Ok(Solve { copies, run, opts, finished: false, latent })
    }

    /// Judges the answers by `rules` instead of the puzzle the copies run on: a search gives the
    /// model more givens than the person did (crate::search), and an answer that writes over
    /// one of those but solves the person's puzzle is a solution.
    pub fn judged_by(mut self, rules: Puzzle) -> Solve {
        self.copies.rules = Some(rules);
        self
    }

    pub fn puzzle(&self) -> &Puzzle {
        &self.copies.puzzle
    }

    pub fn copies(&self) -> &[Copy] {
        &self.copies.plan
    }

    pub fn info(&self) -> PuzzleInfo {
        PuzzleInfo::new(&self.copies.puzzle, &self.copies.plan)
    }

    pub fn is_done(&self) -> bool {
        self.finished || self.run.is_done()
    }

    /// Runs the next supervision step; None once the solve is over.
    pub async fn step<E: Engine>(&mut self, engine: &mut E) -> Result<Option<SolveStep>> {
        self.step_paced(engine, &mut Always).await
    }

    /// `step`, asking `pace` between H cycles whether to go on (crate::recursion::Pace); None
    /// also once it said stop.
    pub async fn step_paced<E: Engine, P: Pace>(&mut self, engine: &mut E, pace: &mut P) -> Result<Option<SolveStep>> {
        if self.is_done() {
            return Ok(None);
        }
        let Some(report) = self.run.step_paced(engine, pace).await? else { return Ok(None) };
        let spent = self.copies.absorb(report.step, report.puzzles);
        if self.opts.stop_when_verified && self.copies.any_verified() {
            self.finished = true;
        }
        if !self.is_done() {
            for i in spent {
                if let Some(copy) = self.copies.restart(i) {
                    self.run.restart(engine, i, &copy.tokens, copy.puzzle_id)?;
                }
            }
        }
        Ok(Some(self.report(report.step)))
    }

    fn report(&self, step: usize) -> SolveStep {
        let states: Vec<&CopyState> = self.copies.states.iter().flatten().collect();
        let Choice { chosen, votes, ranked } =
            choose(states.iter().map(|s| (s.answer.as_ref(), s.step.q_halt, s.verified_at)));
        let c = states[chosen];
        let answer = c.answer.as_ref().map(GridView::from);
        let confidence = c.answer.as_ref().map(|a| c.augment.to_frame(a, &c.step.probs)).unwrap_or_default();
        let cycles =
            c.step.cycles.iter().map(|t| self.copies.puzzle.answer(&c.augment, t).ok().as_ref().map(GridView::from)).collect();
        let latent = c.step.latent.last().and_then(|r| self.colours(c, r));
        let cycle_latent = if self.opts.run.cycle_answers {
            c.step.latent.iter().filter_map(|r| self.colours(c, r)).collect()
        } else {
            Vec::new()
        };
        let copies = states
            .iter()
            .map(|s| CopyStep {
                augmentation: s.augment.name(),
                attempt: s.attempt,
                answer: s.answer.as_ref().map(GridView::from),
                confidence: s.answer.as_ref().map(|a| s.augment.to_frame(a, &s.step.probs)).unwrap_or_default(),
                verdict: s.verdict.clone(),
                q_halt: s.step.q_halt,
                halted_at: s.step.halted_at,
                verified_at: s.verified_at,
                latent: s.step.latent.last().and_then(|r| self.colours(s, r)),
            })
            .collect();
        let ranked = ranked
            .iter()
            .take(2)
            .map(|(a, votes, confidence)| Ranked {
                answer: GridView::from(*a),
                votes: *votes,
                confidence: *confidence,
                verdict: self.copies.rules().judge(a),
            })
            .collect();
        SolveStep {
            step,
            ranked,
            answer,
            confidence,
            verdict: c.verdict.clone(),
            verified: c.verdict.is_solved() || states.len() == 1,
            chosen,
            votes,
            q_halt: c.step.q_halt,
            halt_probability: sigmoid(c.step.q_halt),
            halted_at: c.step.halted_at,
            cycles,
            latent,
            cycle_latent,
            copies,
            network_steps: self.copies.network_steps,
            done: self.is_done(),
        }
    }
}

impl Solve {
    /// A copy's latent read-out as colours in the puzzle's frame, over the cells of its answer.
    fn colours(&self, c: &CopyState, read: &LatentRead) -> Option<LatentColours> {
        let ((basis, oy, oz), answer) = (self.latent.as_ref()?, c.answer.as_ref()?);
        let rgb = |dots: &[f32], p: &crate::latent::Projection, o: &[f32; 3]| -> Vec<u8> {
            let per_token: Vec<[u8; 3]> = dots.chunks_exact(3).map(|d| p.colour(d, o)).collect();
            c.augment.to_frame(answer, &per_token).concat()
        };
        Some(LatentColours { y: rgb(&read.y, &basis.y, oy), z: rgb(&read.z, &basis.z, oz) })
    }
}

/// Which copy a step shows, and the vote: the first copy whose answer passed (earliest step,
/// then first in the plan), else the most confident copy (q_halt; ties: the first) among those
/// that gave the vote's winner ([`puzzle::vote`]: most copies, then mean sigmoid(q_halt)).
struct Choice<T> {
    chosen: usize,
    /// Copies that gave the chosen copy's answer.
    votes: usize,
    ranked: Vec<(T, usize, f32)>,
}

/// `copies`: each copy's answer (None when its tokens spell none), q_halt and the step its
/// answer passed at. One rule for one batch ([`Solve`]) and for shares merged ([`merge`]).
fn choose<T: Hash + Eq + Clone>(copies: impl IntoIterator<Item = (Option<T>, f32, Option<usize>)>) -> Choice<T> {
    let copies: Vec<_> = copies.into_iter().collect();
    let verified = copies.iter().enumerate().filter_map(|(i, c)| c.2.map(|at| (at, i))).min();
    let candidates: Vec<(T, f32)> = copies.iter().filter_map(|c| c.0.clone().map(|a| (a, sigmoid(c.1)))).collect();
    let ranked = puzzle::vote(&candidates);
    let chosen = match (verified, ranked.first()) {
        (Some((_, i)), _) => i,
        (None, Some((top, _, _))) => (0..copies.len())
            .filter(|&i| copies[i].0.as_ref() == Some(top))
            .max_by(|&a, &b| copies[a].1.total_cmp(&copies[b].1).then(b.cmp(&a)))
            .unwrap_or(0),
        (None, None) => 0,
    };
    let votes = match copies.get(chosen) {
        Some((Some(a), _, _)) => copies.iter().filter(|c| c.0.as_ref() == Some(a)).count(),
        _ => 0,
    };
    Choice { chosen, votes, ranked }
}

/// One step of a puzzle whose copies ran as shares on several engines (a pool of workers, each
/// with its part of one plan: [`SolveOptions::first_copy`]), as [`Solve`] would have reported
/// it for the whole batch: the copies in plan order, the shown copy and the vote by the same
/// rule, network steps summed. H-cycle answers travel only with a share's own chosen copy, so
/// they are kept when the merged choice is that copy. `done` is left to the caller (a share may
/// end before the others).
pub fn merge(parts: Vec<SolveStep>) -> Result<SolveStep> {
    let step = parts.first().map(|p| p.step).ok_or_else(|| crate::TrmError::Input("merge needs at least one step".into()))?;
    if let Some(p) = parts.iter().find(|p| p.step != step) {
        return Err(crate::TrmError::Input(format!("the shares are at different steps ({step} and {})", p.step)));
    }
    let network_steps = parts.iter().map(|p| p.network_steps).sum();
    let Choice { chosen, votes, ranked } =
        choose(parts.iter().flat_map(|p| &p.copies).map(|c| (c.answer.as_ref(), c.q_halt, c.verified_at)));
    let ranked: Vec<Ranked> = {
        let copies: Vec<&CopyStep> = parts.iter().flat_map(|p| &p.copies).collect();
        ranked
            .iter()
            .take(2)
            .map(|(a, votes, confidence)| Ranked {
                answer: (*a).clone(),
                votes: *votes,
                confidence: *confidence,
                verdict: copies.iter().find(|c| c.answer.as_ref() == Some(*a)).map(|c| c.verdict.clone()).unwrap_or(Verdict::Unknown),
            })
            .collect()
    };
    let (mut owner, mut local) = (0, chosen);
    while owner + 1 < parts.len() && local >= parts[owner].copies.len() {
        local -= parts[owner].copies.len();
        owner += 1;
    }
    let mut parts = parts;
    let (cycles, cycle_latent) = if parts[owner].chosen == local {
        (std::mem::take(&mut parts[owner].cycles), std::mem::take(&mut parts[owner].cycle_latent))
    } else {
        (Vec::new(), Vec::new())
    };
    let copies: Vec<CopyStep> = parts.into_iter().flat_map(|p| p.copies).collect();
    let c = copies.get(chosen).cloned().ok_or_else(|| crate::TrmError::Input("the shares hold no copy".into()))?;
    Ok(SolveStep {
        step,
        verified: c.verdict.is_solved() || copies.len() == 1,
        answer: c.answer,
        confidence: c.confidence,
        verdict: c.verdict,
        chosen,
        votes,
        q_halt: c.q_halt,
        halt_probability: sigmoid(c.q_halt),
        halted_at: c.halted_at,
        cycles,
        latent: c.latent,
        cycle_latent,
        ranked,
        copies,
        network_steps,
        done: false,
    })
}

/// When a copy starts over. Most puzzles the model solves, it solves within a few
/// supervision steps; on a hard puzzle a copy that has not passed by then mostly keeps
/// rewriting a wrong answer (MODEL_CARD.md: accuracy against steps and copies). So each
/// attempt gets `patience` steps: a copy whose answer has not passed the check by then starts
/// over under a fresh augmentation ([`Puzzle::restart_copy`]) with y and z reset, and the
/// remaining steps buy another independent attempt, as more copies would. Patience 0 never
/// restarts.
#[derive(Debug, Clone)]
pub struct Restarts {
    patience: usize,
    steps: Vec<usize>,
    attempts: Vec<usize>,
}

impl Restarts {
    pub fn new(copies: usize, patience: usize) -> Restarts {
        Restarts { patience, steps: vec![0; copies], attempts: vec![0; copies] }
    }

    /// Counts a step of copy `i`'s attempt; true when the attempt has used its steps without
    /// an answer that passes, and the copy should start over.
    pub fn spent(&mut self, i: usize, passed: bool) -> bool {
        self.steps[i] += 1;
        self.patience > 0 && !passed && self.steps[i] >= self.patience
    }

    /// Notes that copy `i` started over.
    pub fn restarted(&mut self, i: usize) {
        self.attempts[i] += 1;
        self.steps[i] = 0;
    }

    /// How many times copy `i` has started over.
    pub fn attempt(&self, i: usize) -> usize {
        self.attempts[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::puzzle::{arc, maze, sudoku};
    use crate::rng::Rng;

    /// Confidence mapping agrees with the answer mapping: put each cell's own (augmented) token
    /// index in `probs`, and the cell that index names must hold the same value in the answer
    /// as the copy's token there spells.
    #[test]
    fn confidence_follows_the_cells_back_through_every_augmentation() {
        let mut rng = Rng::new(7);
        let (p, s) = sudoku::generate(&mut rng, 30);
        let sp = Puzzle::Sudoku(p);
        for copy in sp.plan(None, 6, 3) {
            let Augment::Sudoku(a) = copy.augment else { unreachable!() };
            let tokens = sudoku::to_tokens(&a.apply(&s));
            let answer = sp.answer(&copy.augment, &tokens).unwrap();
            assert_eq!(answer, Answer::Sudoku(s));
            let probs: Vec<f32> = (0..81).map(|k| k as f32).collect();
            let conf = copy.augment.to_frame(&answer, &probs);
            for (cell, &k) in conf.iter().enumerate() {
                let digit = tokens[k as usize] - 1;
                assert_eq!(a.digit_perm[s.cells[cell] as usize] as u32, digit, "cell {cell}");
            }
        }
        let (q, solved) = maze::generate(&mut rng, 40);
        let mp = Puzzle::Maze(q);
        for copy in mp.plan(None, 8, 0) {
            let Augment::Maze(d) = copy.augment else { unreachable!() };
            let tokens = maze::encode(&maze::transform(&solved, d));
            let answer = mp.answer(&copy.augment, &tokens).unwrap();
            let probs: Vec<f32> = (0..900).map(|k| k as f32).collect();
            let conf = copy.augment.to_frame(&answer, &probs);
            for (cell, &k) in conf.iter().enumerate() {
                assert_eq!(maze::decode(&tokens).unwrap().cells()[k as usize], solved.cells()[cell]);
            }
        }
        let g = arc::Grid::from_rows(&[vec![1, 2, 3], vec![4, 5, 6]]).unwrap();
        for d in arc::Dihedral::ALL {
            let a = arc::Augmentation { dihedral: d, colours: arc::ColourPerm::IDENTITY };
            let tokens = arc::encode(&a.apply(&g), arc::SIDE);
            let answer = Answer::Arc(g.clone());
            let probs: Vec<f32> = (0..900).map(|k| k as f32).collect();
            let conf = Augment::Arc(a).to_frame(&answer, &probs);
            let aug = arc::decode(&tokens).unwrap();
            for (cell, &k) in conf.iter().enumerate() {
                let (r, c) = (k as usize / arc::SIDE, k as usize % arc::SIDE);
                assert_eq!(aug.cells[r * aug.w + c], g.cells[cell], "{d:?} cell {cell}");
            }
        }
    }
}
