//! Thinking harder with hypotheses: rounds of augmented copies ([`Solve`]) on a Sudoku whose
//! givens grow by the model's own answers, withdrawn when they lead nowhere.
//!
//! Copies alone stop paying on the hardest puzzles (MODEL_CARD.md): the copies keep making the
//! same wrong guess, or none. A round runs `copies` copies of the *working puzzle* (the puzzle
//! plus the current hypotheses as givens) for a few supervision steps and ends at the first
//! copy the rules accept. When none passes, the copies' answers are tallied cell by cell:
//!
//! - **consensus**: cells where at least `agree` of the copies give the same digit become
//!   hypotheses for the next round, so the model faces an easier puzzle of its own making;
//! - **doubt**: among the blank cells the copies disagree on, the one whose `branch` most-voted
//!   digits cover the most copies (the model's version of a solver's cell with the fewest
//!   candidates) is tried with each of those digits, one child per digit, the most-voted first;
//!   then the next most doubted cell, `cells` cells from one tally. A round on hypotheses runs
//!   `branch_copies` copies: a right digit is found out by few, and fewer copies a round buy
//!   more rounds, so more hypotheses, within the budget.
//!
//! The children are searched depth first. A child that still finds nothing after `depth`
//! layers of hypotheses is withdrawn, and the search goes back to its sibling, or starts the
//! bare puzzle over under fresh augmentations when every branch is spent. Every digit of a
//! hypothesis is one the model wrote; the rules judge only complete answers, as everywhere.

use serde::Serialize;

use crate::error::Result;
use crate::puzzle::{sudoku, Puzzle};
use crate::recursion::{Always, Engine, Pace};
use crate::solve::{PuzzleInfo, Solve, SolveOptions, SolveStep};
use crate::weights::Model;
use crate::TrmError;

/// The measured choice of the options below (MODEL_CARD.md, "Thinking harder with hypotheses":
/// tuned on Sudoku-Extreme lines 577-676, then read once on the held-out set).
pub const AGREE: f32 = 2.0;
/// Supervision steps of a round, where the caller does not choose them.
pub const ROUND_STEPS: usize = 4;
pub const BRANCH: usize = 2;
pub const CELLS: usize = 8;
pub const BRANCH_COPIES: usize = 2;
pub const DEPTH: usize = 1;

/// How the search spends its network steps.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Each round: its copies, their seed (varied per round) and its supervision steps
    /// (`run.max_steps`); restarts inside a round are off, as rounds are the restarts.
    pub round: SolveOptions,
    /// Network steps per puzzle at most, over all rounds (a copy's supervision step is one).
    pub budget: usize,
    /// Share of the copies (0-1] that must give a cell the same digit for it to become a
    /// hypothesis; above 1, no consensus.
    pub agree: f32,
    /// Digits tried at the most doubted cell, one child each; 0, no branching.
    pub branch: usize,
    /// Doubted cells one tally branches on, one after another (the most doubted first), before
    /// the bare puzzle runs again for a fresh tally.
    pub cells: usize,
    /// Copies a round on hypotheses runs (0: as many as the bare puzzle's rounds): the tally
    /// wants many copies, while a right hypothesis may need few to be found out.
    pub branch_copies: usize,
    /// Layers of hypotheses at most: a node this deep that finds nothing is withdrawn.
    pub depth: usize,
}

/// Why a cell holds a hypothesis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    /// Enough copies of the round before gave this digit.
    Consensus,
    /// One of the digits tried at the cell the copies doubted most.
    Branch,
}

/// A digit the model wrote, given back to it as if it were a given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Hypothesis {
    /// Row-major cell, 0-80.
    pub cell: usize,
    pub digit: u8,
    /// 1 for the first layer of hypotheses.
    pub layer: usize,
    pub reason: Reason,
    /// The round whose copies wrote this digit here (a branch's second digit is tried after
    /// the first one's rounds, from the same evidence).
    pub round: usize,
}

impl std::fmt::Display for Hypothesis {
    /// As a person names it: "r3c4 = 7 (branch, round 2)", rows and columns from 1.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self.reason {
            Reason::Consensus => "agreed",
            Reason::Branch => "branch",
        };
        write!(f, "r{}c{} = {} ({why}, round {})", self.cell / 9 + 1, self.cell % 9 + 1, self.digit, self.round)
    }
}

/// A supervision step of the search: the round's step and where the search stands.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchStep {
    /// The round's step; its `network_steps` counts the whole search so far, its `step` the
    /// search's supervision steps so far, and `done` the search's end.
    #[serde(flatten)]
    pub solve: SolveStep,
    /// 1-based round (a round is one run of copies on one working puzzle).
    pub round: usize,
    /// Step within the round, 1-based.
    pub round_step: usize,
    /// The hypotheses this round's copies were given.
    pub hypotheses: Vec<Hypothesis>,
    /// On a round's last step: the hypotheses the next round drops (withdrawn) and the ones it
    /// adds, so a viewer can draw the move before it happens.
    pub withdrawn: Vec<Hypothesis>,
    pub added: Vec<Hypothesis>,
}

#[derive(Debug, Clone)]
struct Node {
    hypotheses: Vec<Hypothesis>,
    depth: usize,
}

/// A search in progress, apart from its engine, like [`Solve`].
pub struct Search {
    givens: sudoku::Grid,
    opts: SearchOptions,
    /// Nodes still to try, the next on top.
    stack: Vec<Node>,
    node: Node,
    solve: Solve,
    round: usize,
    round_step: usize,
    /// Steps and network steps of the rounds before this one.
    steps_before: usize,
    network_before: usize,
    finished: bool,
}

impl Search {
    pub fn start<E: Engine>(engine: &mut E, model: &Model, puzzle: Puzzle, opts: SearchOptions) -> Result<Search> {
        let Puzzle::Sudoku(givens) = puzzle else {
            return Err(TrmError::Options("hypotheses are for Sudoku: a maze or an ARC task thinks harder with copies".into()));
        };
        if opts.round.copies == 0 || opts.budget < opts.round.copies {
            return Err(TrmError::Options(format!(
                "a search needs at least one copy and a budget of at least one step for each ({} copies, budget {})",
                opts.round.copies, opts.budget
            )));
        }
        let node = Node { hypotheses: Vec::new(), depth: 0 };
        let solve = Self::round_solve(engine, model, &givens, &node, &opts, 1, opts.budget)?;
        Ok(Search {
            givens,
            opts,
            stack: Vec::new(),
            node,
            solve,
            round: 1,
            round_step: 0,
            steps_before: 0,
            network_before: 0,
            finished: false,
        })
    }

    /// The solve of one round: the working puzzle's copies for at most the round's steps, cut to
    /// what is left of the budget.
    fn round_solve<E: Engine>(
        engine: &mut E,
        model: &Model,
        givens: &sudoku::Grid,
        node: &Node,
        opts: &SearchOptions,
        round: usize,
        left: usize,
    ) -> Result<Solve> {
        let working = working(givens, &node.hypotheses);
        let mut o = opts.round.clone();
        o.copies = copies_for(node, opts);
        o.seed = opts.round.seed.wrapping_add(0x9e37_79b9_7f4a_7c15u64.wrapping_mul(round as u64 - 1));
        o.stop_when_verified = true;
        o.restart_after = 0;
        o.first_copy = 0;
        o.run.max_steps = o.run.max_steps.min(left / o.copies).max(1);
        Ok(Solve::start(engine, model, Puzzle::Sudoku(working), o)?.judged_by(Puzzle::Sudoku(*givens)))
    }

    pub fn is_done(&self) -> bool {
        self.finished
    }

    /// The puzzle as given, for a front end to draw before the first step.
    pub fn info(&self) -> PuzzleInfo {
        self.solve.info()
    }

    /// Runs the next supervision step; None once the search is over.
    pub async fn step<E: Engine>(&mut self, engine: &mut E, model: &Model) -> Result<Option<SearchStep>> {
        self.step_paced(engine, model, &mut Always).await
    }

    /// `step`, asking `pace` between H cycles whether to go on ([`Solve::step_paced`]); None
    /// also once it said stop.
    pub async fn step_paced<E: Engine, P: Pace>(&mut self, engine: &mut E, model: &Model, pace: &mut P) -> Result<Option<SearchStep>> {
        if self.finished {
            return Ok(None);
        }
        let Some(mut s) = self.solve.step_paced(engine, pace).await? else {
            self.finished = true;
            return Ok(None);
        };
        self.round_step += 1;
        let hypotheses = self.node.hypotheses.clone();
        let (round, round_step) = (self.round, self.round_step);
        let spent = self.network_before + s.network_steps;
        let (mut withdrawn, mut added) = (Vec::new(), Vec::new());
        if s.done {
            let left = self.opts.budget.saturating_sub(spent);
            let next = (!s.verdict.is_solved()).then(|| self.next_node(&s));
            if let Some(next) = next.filter(|n| left >= copies_for(n, &self.opts)) {
                withdrawn = hypotheses.iter().filter(|h| !next.hypotheses.contains(h)).copied().collect();
                added = next.hypotheses.iter().filter(|h| !hypotheses.contains(h)).copied().collect();
                self.steps_before += round_step;
                self.network_before = spent;
                self.round += 1;
                self.round_step = 0;
                self.solve = Self::round_solve(engine, model, &self.givens, &next, &self.opts, self.round, left)?;
                self.node = next;
            } else {
                self.finished = true;
            }
        }
        s.step = self.steps_before + if round == self.round { round_step } else { 0 };
        s.network_steps = spent;
        s.done = self.finished;
        Ok(Some(SearchStep { solve: s, round, round_step, hypotheses, withdrawn, added }))
    }

    /// After a round that found nothing: its children go on the stack (while the node is not
    /// too deep), and the next node to try comes off it; the bare puzzle again when it is empty.
    fn next_node(&mut self, last: &SolveStep) -> Node {
        let answers = last.copies.iter().filter_map(|c| Some((c.answer.as_ref()?.cells.as_deref()?, &c.confidence[..])));
        let children = Tally::of(&working(&self.givens, &self.node.hypotheses), answers).children(&self.node, &self.opts, self.round);
        self.stack.extend(children.into_iter().rev());
        self.stack.pop().unwrap_or(Node { hypotheses: Vec::new(), depth: 0 })
    }
}

/// The copies of a round on `node`.
fn copies_for(node: &Node, opts: &SearchOptions) -> usize {
    if !node.hypotheses.is_empty() && opts.branch_copies > 0 {
        opts.branch_copies
    } else {
        opts.round.copies
    }
}

/// The puzzle a round's copies run on: the givens with the hypotheses written in.
fn working(givens: &sudoku::Grid, hypotheses: &[Hypothesis]) -> sudoku::Grid {
    let mut g = *givens;
    for h in hypotheses {
        g.cells[h.cell] = h.digit;
    }
    g
}

/// The copies' digits cell by cell at a round's end.
struct Tally {
    /// For each blank cell of the working puzzle: (digit, votes, summed confidence), most
    /// votes first, then the higher confidence.
    cells: Vec<(usize, Vec<(u8, usize, f32)>)>,
    copies: usize,
}

impl Tally {
    /// `answers`: each copy's cells (digits, row-major) with its confidence per cell.
    fn of<'a>(working: &sudoku::Grid, answers: impl IntoIterator<Item = (&'a [u8], &'a [f32])>) -> Tally {
        let mut counts = vec![[(0usize, 0f32); 10]; 81];
        let mut copies = 0;
        for (cells, confidence) in answers {
            copies += 1;
            for (k, &d) in cells.iter().enumerate().take(81) {
                if working.cells[k] == 0 && (1..=9).contains(&d) {
                    counts[k][d as usize].0 += 1;
                    counts[k][d as usize].1 += confidence.get(k).copied().unwrap_or(0.0);
                }
            }
        }
        let cells = (0..81)
            .filter(|&k| working.cells[k] == 0)
            .map(|k| {
                let mut ds: Vec<(u8, usize, f32)> =
                    (1..=9u8).filter(|&d| counts[k][d as usize].0 > 0).map(|d| (d, counts[k][d as usize].0, counts[k][d as usize].1)).collect();
                ds.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
                (k, ds)
            })
            .collect();
        Tally { cells, copies }
    }

    /// The next layer's nodes: the agreed cells (if any) plus, when branching, one child per
    /// digit of the most doubted cell; a node with nothing new to try has no children.
    fn children(&self, node: &Node, opts: &SearchOptions, round: usize) -> Vec<Node> {
        if self.copies == 0 || node.depth >= opts.depth {
            return Vec::new();
        }
        let layer = node.depth + 1;
        let share = |votes: usize| votes as f32 / self.copies as f32;
        let top = |ds: &[(u8, usize, f32)]| ds.first().map(|d| (share(d.1), d.2 / d.1.max(1) as f32)).unwrap_or((0.0, 0.0));
        // The cell to branch on: of the cells the copies disagree on, the one whose `branch`
        // most-voted digits cover the most copies, so that the children most likely hold its
        // digit (MODEL_CARD.md: 3-4 points over the cell of least agreement, whose copies
        // often scatter over more digits than a branch tries); then the least agreement, the
        // least confidence. Unanimous cells come last.
        let cover = |ds: &[(u8, usize, f32)]| {
            if top(ds).0 >= 1.0 {
                -1.0
            } else {
                ds.iter().take(opts.branch).map(|d| share(d.1)).sum::<f32>()
            }
        };
        // The doubted cells in that order, as many as a tally branches on.
        let mut ranked: Vec<&(usize, Vec<(u8, usize, f32)>)> = if opts.branch > 0 {
            self.cells.iter().filter(|(_, ds)| !ds.is_empty()).collect()
        } else {
            Vec::new()
        };
        ranked.sort_by(|a, b| {
            let (sa, ca) = top(&a.1);
            let (sb, cb) = top(&b.1);
            cover(&b.1).total_cmp(&cover(&a.1)).then(sa.total_cmp(&sb)).then(ca.total_cmp(&cb)).then(a.0.cmp(&b.0))
        });
        ranked.truncate(opts.cells.max(1));
        let doubted: Vec<usize> = ranked.iter().map(|(k, _)| *k).collect();
        let agreed: Vec<Hypothesis> = self
            .cells
            .iter()
            .filter(|(k, ds)| !doubted.contains(k) && ds.first().is_some_and(|d| share(d.1) >= opts.agree))
            .map(|(k, ds)| Hypothesis { cell: *k, digit: ds[0].0, layer, reason: Reason::Consensus, round })
            .collect();
        let with = |extra: Option<Hypothesis>| {
            let mut h = node.hypotheses.clone();
            h.extend(agreed.iter().copied());
            h.extend(extra);
            Node { hypotheses: h, depth: layer }
        };
        // A child that fills every blank leaves the model nothing to think about: the copies
        // would write back the answer the rules just rejected.
        let blanks_left = |new: usize| new < self.cells.len();
        if ranked.is_empty() {
            return if !agreed.is_empty() && blanks_left(agreed.len()) { vec![with(None)] } else { Vec::new() };
        }
        if !blanks_left(agreed.len() + 1) {
            return Vec::new();
        }
        ranked
            .iter()
            .flat_map(|(cell, ds)| {
                ds.iter().take(opts.branch).map(|d| with(Some(Hypothesis { cell: *cell, digit: d.0, layer, reason: Reason::Branch, round })))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recursion::Options;

    fn opts(agree: f32, branch: usize, depth: usize) -> SearchOptions {
        let run = Options { max_steps: 8, early_halt: false, halt_threshold: 0.5, cycle_answers: false, latent: false };
        let round = SolveOptions { run, copies: 10, seed: 0, first_copy: 0, stop_when_verified: true, restart_after: 0 };
        SearchOptions { round, budget: 1000, agree, branch, cells: 1, branch_copies: 0, depth }
    }

    /// A solved grid with cells 0-4 blank, and ten copies' answers there: cell 0 all 5, cell 1
    /// six 3s and four 4s, cell 2 nine 7s and one 8, cell 3 seven 1s and three 2s, cell 4 two
    /// each of 1, 2, 3, 4 and 6 (the least agreement, but two digits cover only 4 copies).
    fn ten_copies() -> (sudoku::Grid, Vec<Vec<u8>>) {
        let (_, solution) = sudoku::generate(&mut crate::rng::Rng::new(1), 30);
        let mut working = solution;
        working.cells[..5].fill(0);
        let answers = (0..10)
            .map(|c| {
                let mut a = solution.cells.to_vec();
                a[0] = 5;
                a[1] = if c < 6 { 3 } else { 4 };
                a[2] = if c < 9 { 7 } else { 8 };
                a[3] = if c < 7 { 1 } else { 2 };
                a[4] = [1, 2, 3, 4, 6][c / 2];
                a
            })
            .collect();
        (working, answers)
    }

    fn tally(working: &sudoku::Grid, answers: &[Vec<u8>]) -> Tally {
        let confidence = vec![0.5f32; 81];
        Tally::of(working, answers.iter().map(|a| (&a[..], &confidence[..])))
    }

    fn cells(n: &Node) -> Vec<(usize, u8, Reason)> {
        n.hypotheses.iter().map(|h| (h.cell, h.digit, h.reason)).collect()
    }

    #[test]
    fn agreed_cells_go_with_each_digit_of_the_cell_whose_top_digits_cover_most_copies() {
        let (working, answers) = ten_copies();
        let root = Node { hypotheses: Vec::new(), depth: 0 };
        let children = tally(&working, &answers).children(&root, &opts(0.9, 2, 2), 1);
        assert_eq!(children.len(), 2);
        for (child, digit) in children.iter().zip([3, 4]) {
            assert_eq!(cells(child), vec![(0, 5, Reason::Consensus), (2, 7, Reason::Consensus), (1, digit, Reason::Branch)]);
            assert_eq!(child.depth, 1);
            assert!(child.hypotheses.iter().all(|h| h.layer == 1));
        }
    }

    #[test]
    fn a_tally_branches_on_several_cells_one_after_another_in_order_of_doubt() {
        let (working, answers) = ten_copies();
        let root = Node { hypotheses: Vec::new(), depth: 0 };
        let mut o = opts(2.0, 2, 1);
        o.cells = 3;
        let children = tally(&working, &answers).children(&root, &o, 1);
        // Cover by the two top digits: cell 1 all ten copies, cell 2 ten, cell 3 ten; cell 1
        // first (its top digit has the smallest share), then 3, then 2 (nine of ten agree).
        let tried: Vec<Vec<(usize, u8, Reason)>> = children.iter().map(cells).collect();
        assert_eq!(
            tried,
            vec![
                vec![(1, 3, Reason::Branch)],
                vec![(1, 4, Reason::Branch)],
                vec![(3, 1, Reason::Branch)],
                vec![(3, 2, Reason::Branch)],
                vec![(2, 7, Reason::Branch)],
                vec![(2, 8, Reason::Branch)],
            ]
        );
        assert!(children.iter().all(|c| c.depth == 1));
    }

    #[test]
    fn a_higher_bar_for_agreement_takes_fewer_cells_and_none_above_one() {
        let (working, answers) = ten_copies();
        let root = Node { hypotheses: Vec::new(), depth: 0 };
        // One digit a branch: the doubted cell whose top digit most copies wrote.
        let strict = tally(&working, &answers).children(&root, &opts(0.95, 1, 2), 1);
        assert_eq!(strict.iter().map(cells).collect::<Vec<_>>(), vec![vec![(0, 5, Reason::Consensus), (2, 7, Reason::Branch)]]);
        let branch_only = tally(&working, &answers).children(&root, &opts(2.0, 3, 2), 1);
        assert_eq!(branch_only.iter().map(cells).collect::<Vec<_>>(), vec![vec![(1, 3, Reason::Branch)], vec![(1, 4, Reason::Branch)]]);
        let consensus_only = tally(&working, &answers).children(&root, &opts(0.9, 0, 2), 1);
        assert_eq!(consensus_only.iter().map(cells).collect::<Vec<_>>(), vec![vec![(0, 5, Reason::Consensus), (2, 7, Reason::Consensus)]]);
    }

    #[test]
    fn a_node_at_the_depth_limit_or_a_unanimous_wrong_answer_has_no_children() {
        let (working, answers) = ten_copies();
        let deep = Node { hypotheses: Vec::new(), depth: 2 };
        assert!(tally(&working, &answers).children(&deep, &opts(0.9, 2, 2), 1).is_empty());
        // Every copy wrote the same answer (the rules rejected it): giving it all back would
        // only ask the model to write it again.
        let same = vec![answers[0].clone(); 10];
        let root = Node { hypotheses: Vec::new(), depth: 0 };
        assert!(tally(&working, &same).children(&root, &opts(0.9, 0, 2), 1).is_empty());
        assert!(tally(&working, &same).children(&root, &opts(0.9, 2, 2), 1).is_empty());
        // Nor does a bar so low that the agreed cells and the branch fill the grid.
        assert!(tally(&working, &answers).children(&root, &opts(0.2, 2, 2), 1).is_empty());
    }

    #[test]
    fn a_child_keeps_its_parents_hypotheses_and_adds_a_layer() {
        let (working, answers) = ten_copies();
        // Cell 40 holds the solution's digit in `working`, as a hypothesis of the layer before.
        let parent = Node { hypotheses: vec![Hypothesis { cell: 40, digit: working.cells[40], layer: 1, reason: Reason::Branch, round: 1 }], depth: 1 };
        let children = tally(&working, &answers).children(&parent, &opts(0.9, 2, 3), 1);
        assert_eq!(children.len(), 2);
        for c in &children {
            assert_eq!(c.hypotheses[0], parent.hypotheses[0]);
            assert!(c.hypotheses[1..].iter().all(|h| h.layer == 2));
            assert_eq!(c.depth, 2);
        }
    }
}
