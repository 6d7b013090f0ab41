//! The hypothesis search (crate::search) with the shipped Sudoku model on the CPU engine: its
//! hypotheses are digits the model's copies wrote, rounds follow from what the steps say was
//! added and withdrawn, and the budget of network steps holds.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use trm::cpu::CpuEngine;
use trm::puzzle::{Answer, Puzzle};
use trm::search::{Hypothesis, Reason, Search, SearchOptions, SearchStep};
use trm::solve::SolveOptions;
use trm::{block_on, Model, Options, PuzzleKind};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn model() -> Arc<Model> {
    Arc::new(Model::from_bytes(&std::fs::read(root().join("models/sudoku.safetensors")).unwrap()).unwrap())
}

fn line(file: &str, i: usize) -> String {
    std::fs::read_to_string(root().join("data/sudoku").join(file)).unwrap().lines().nth(i).unwrap().to_string()
}

fn options(copies: usize, steps: usize, budget: usize, agree: f32) -> SearchOptions {
    let run = Options { max_steps: steps, early_halt: false, halt_threshold: 0.5, cycle_answers: false, latent: false };
    let round = SolveOptions { run, copies, seed: 3, first_copy: 0, stop_when_verified: true, restart_after: 0 };
    SearchOptions { round, budget, agree, branch: 2, cells: 1, branch_copies: 0, depth: 2 }
}

fn search(model: &Arc<Model>, puzzle: &Puzzle, opts: SearchOptions) -> Vec<SearchStep> {
    let mut engine = CpuEngine::new(model.clone());
    let mut s = Search::start(&mut engine, model, puzzle.clone(), opts).unwrap();
    let mut out = Vec::new();
    while let Some(step) = block_on(s.step(&mut engine, model)).unwrap() {
        out.push(step);
    }
    assert!(s.is_done());
    out
}

fn cells_of(step: &SearchStep) -> Vec<Vec<u8>> {
    step.solve.copies.iter().filter_map(|c| c.answer.as_ref()?.cells.clone()).collect()
}

#[test]
fn an_easy_puzzle_is_solved_in_the_first_round_on_its_own_givens() {
    let model = model();
    let puzzle = Puzzle::parse(PuzzleKind::Sudoku, &line("tdoku_unbiased_first1000.txt", 0)).unwrap();
    let steps = search(&model, &puzzle, options(2, 8, 64, 0.75));
    let last = steps.last().unwrap();
    assert!(last.solve.done && last.solve.verdict.is_solved());
    assert!(steps.iter().all(|s| s.round == 1 && s.hypotheses.is_empty()));
    assert_eq!(last.solve.network_steps, 2 * steps.len());
}

#[test]
fn hypotheses_are_digits_the_copies_wrote_and_rounds_follow_what_the_steps_say() {
    let model = model();
    // A held-out Sudoku-Extreme puzzle that four copies do not solve in three steps.
    let Puzzle::Sudoku(givens) = Puzzle::parse(PuzzleKind::Sudoku, &line("sudoku_extreme_train_subsample.txt", 800)).unwrap() else {
        unreachable!()
    };
    let (copies, agree, budget) = (4, 0.75, 60);
    let steps = search(&model, &Puzzle::Sudoku(givens), options(copies, 3, budget, agree));
    assert!(steps.last().unwrap().round > 1, "the first round should fail on this puzzle, or the test checks nothing");
    let mut hypotheses: BTreeSet<(usize, u8)> = BTreeSet::new();
    let mut added_any = false;
    for (k, s) in steps.iter().enumerate() {
        assert_eq!(s.solve.step, k + 1, "the search numbers its steps across rounds");
        assert_eq!(s.solve.done, k + 1 == steps.len());
        assert!(s.solve.network_steps <= budget);
        if k > 0 {
            let before = &steps[k - 1];
            assert!(s.solve.network_steps > before.solve.network_steps);
            if s.round != before.round {
                assert_eq!(s.round, before.round + 1);
                assert_eq!(s.round_step, 1);
            } else {
                assert_eq!(s.round_step, before.round_step + 1);
            }
        }
        let now: BTreeSet<(usize, u8)> = s.hypotheses.iter().map(|h| (h.cell, h.digit)).collect();
        assert_eq!(now, hypotheses, "round {}: the hypotheses the previous round announced", s.round);
        for h in &s.hypotheses {
            assert_eq!(givens.cells[h.cell], 0, "a hypothesis sits on a blank of the puzzle");
        }
        if s.added.is_empty() && s.withdrawn.is_empty() {
            continue;
        }
        // The round's last step: what the next round adds, the copies of the round it names wrote.
        for h in &s.added {
            let end = steps.iter().rev().find(|e| e.round == h.round && e.solve.step <= s.solve.step).unwrap();
            assert!(end.added.len() + end.withdrawn.len() > 0, "{h:?} names a round that had not ended");
            let written = cells_of(end);
            let votes = written.iter().filter(|c| c[h.cell] == h.digit).count();
            assert!(votes > 0, "{h:?} was written by no copy");
            if h.reason == Reason::Consensus {
                assert!(votes as f32 >= agree * written.len() as f32, "{h:?}: {votes} of {} copies", written.len());
            }
        }
        added_any |= !s.added.is_empty();
        let drop: BTreeSet<(usize, u8)> = s.withdrawn.iter().map(|h: &Hypothesis| (h.cell, h.digit)).collect();
        hypotheses = hypotheses.difference(&drop).copied().collect();
        hypotheses.extend(s.added.iter().map(|h| (h.cell, h.digit)));
    }
    assert!(added_any, "a failed round gives the next one hypotheses");
    // What the search shows as solved, the rules accept for the puzzle as given.
    let last = steps.last().unwrap();
    if last.solve.verdict.is_solved() {
        let shown = trm::puzzle::sudoku::parse(&last.solve.answer.as_ref().unwrap().rows.concat()).unwrap();
        assert!(Puzzle::Sudoku(givens).judge(&Answer::Sudoku(shown)).is_solved());
    }
}

#[test]
fn a_maze_or_a_budget_below_one_step_per_copy_is_refused_before_any_step() {
    let model = model();
    let mut engine = CpuEngine::new(model.clone());
    let (maze, _) = trm::puzzle::maze::generate(&mut trm::rng::Rng::new(1), 10);
    let e = Search::start(&mut engine, &model, Puzzle::Maze(maze), options(4, 3, 60, 0.75)).err().unwrap();
    assert!(e.to_string().contains("Sudoku"), "{e}");
    let puzzle = Puzzle::parse(PuzzleKind::Sudoku, &line("tdoku_unbiased_first1000.txt", 0)).unwrap();
    let e = Search::start(&mut engine, &model, puzzle, options(8, 3, 7, 0.75)).err().unwrap();
    assert!(e.to_string().contains("budget"), "{e}");
}

#[test]
fn rounds_on_hypotheses_run_their_own_number_of_copies_and_try_the_next_doubted_cell() {
    let model = model();
    let Puzzle::Sudoku(givens) = Puzzle::parse(PuzzleKind::Sudoku, &line("sudoku_extreme_train_subsample.txt", 800)).unwrap() else {
        unreachable!()
    };
    let mut opts = options(4, 3, 80, 2.0);
    (opts.branch_copies, opts.cells, opts.depth) = (1, 3, 1);
    let steps = search(&model, &Puzzle::Sudoku(givens), opts);
    assert!(steps.last().unwrap().round > 3, "three rounds should fail on this puzzle, or the test checks less");
    let mut cells_tried = Vec::new();
    for (k, s) in steps.iter().enumerate() {
        let expected = if s.hypotheses.is_empty() { 4 } else { 1 };
        assert_eq!(s.solve.copies.len(), expected, "round {}: a round on hypotheses runs one copy", s.round);
        let spent = s.solve.network_steps - if k > 0 { steps[k - 1].solve.network_steps } else { 0 };
        assert!(spent <= expected, "a step costs at most one network step per copy");
        // Depth 1: one hypothesis a round, the bare puzzle's tally's cells one after another.
        assert!(s.hypotheses.len() <= 1);
        if let Some(h) = s.hypotheses.first() {
            if cells_tried.last() != Some(&h.cell) {
                cells_tried.push(h.cell);
            }
        }
    }
    assert!(cells_tried.len() >= 2, "after both digits of the first cell, the next doubted cell: {cells_tried:?}");
}
