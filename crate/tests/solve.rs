//! The puzzle-level solve (crate::solve) with the shipped Sudoku model on the CPU engine:
//! every step's shown answer and verdict agree with the rules, a verified copy freezes, and
//! stopping at the first verified copy ends the solve there.

use std::path::PathBuf;
use std::sync::Arc;

use trm::cpu::CpuEngine;
use trm::puzzle::{Puzzle, Verdict};
use trm::solve::{Solve, SolveOptions, SolveStep};
use trm::{block_on, Model, Options, PuzzleKind};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn model() -> Arc<Model> {
    let bytes = std::fs::read(root().join("models/sudoku.safetensors")).unwrap();
    Arc::new(Model::from_bytes(&bytes).unwrap())
}

fn line(file: &str, i: usize) -> String {
    std::fs::read_to_string(root().join("data/sudoku").join(file)).unwrap().lines().nth(i).unwrap().to_string()
}

fn run(model: &Arc<Model>, text: &str, steps: usize, copies: usize, stop: bool) -> Vec<SolveStep> {
    run_part(model, text, steps, copies, stop, 0)
}

fn run_part(model: &Arc<Model>, text: &str, steps: usize, copies: usize, stop: bool, first_copy: usize) -> Vec<SolveStep> {
    let mut engine = CpuEngine::new(model.clone());
    let puzzle = Puzzle::parse(PuzzleKind::Sudoku, text).unwrap();
    let opts = SolveOptions {
        run: Options { max_steps: steps, early_halt: false, halt_threshold: 0.5, cycle_answers: false },
        copies,
        seed: 5,
        stop_when_verified: stop,
        first_copy,
    };
    let mut solve = Solve::start(&mut engine, model, puzzle, opts).unwrap();
    let mut out = Vec::new();
    while let Some(s) = block_on(solve.step(&mut engine)).unwrap() {
        out.push(s);
    }
    out
}

/// Reads a shown answer back into a grid and judges it with the library, independently of
/// the verdict the step carries.
fn judge(text: &str, s: &SolveStep) -> Verdict {
    let puzzle = Puzzle::parse(PuzzleKind::Sudoku, text).unwrap();
    let shown: String = s.answer.as_ref().unwrap().rows.concat();
    let grid = trm::puzzle::sudoku::parse(&shown).unwrap();
    puzzle.judge(&trm::puzzle::Answer::Sudoku(grid))
}

#[test]
fn an_easy_puzzle_is_verified_and_stops_there() {
    let model = model();
    let text = line("tdoku_unbiased_first1000.txt", 0);
    let all = run(&model, &text, 16, 1, false);
    assert_eq!(all.len(), 16);
    for s in &all {
        assert_eq!(s.verdict, judge(&text, s), "step {}", s.step);
        assert_eq!(s.confidence.len(), 81);
        assert!(s.verified, "one copy: its verdict is the rules' own");
    }
    let first = all.iter().position(|s| s.verdict == Verdict::Solved).expect("the shipped model solves this one");
    // Once verified, the copy's answer is frozen: every later step shows the same grid.
    for s in &all[first..] {
        assert_eq!(s.answer, all[first].answer);
        assert_eq!(s.copies[0].verified_at, Some(first + 1));
    }
    let stopped = run(&model, &text, 16, 1, true);
    assert_eq!(stopped.len(), first + 1, "the solve ends at the first verified step");
    assert!(stopped.last().unwrap().done);
    assert_eq!(stopped.last().unwrap().network_steps, first + 1);
}

#[test]
fn copies_vote_and_count_their_network_steps() {
    let model = model();
    // A held-out Sudoku-Extreme puzzle, hard for the shipped model.
    let text = line("sudoku_extreme_train_subsample.txt", 800);
    let steps = run(&model, &text, 4, 6, false);
    let last = steps.last().unwrap();
    assert!(last.done);
    assert_eq!(last.copies.len(), 6);
    assert_eq!(last.copies[0].augmentation, "identity");
    for s in &steps {
        assert_eq!(s.verdict, judge(&text, s), "step {}", s.step);
        // The shown answer is one that `votes` copies gave, the chosen copy among them.
        assert_eq!(s.copies[s.chosen].answer, s.answer);
        assert_eq!(s.votes, s.copies.iter().filter(|c| c.answer == s.answer).count());
        // A copy spends a network step per supervision step until it is verified.
        let spent: usize = s.copies.iter().map(|c| c.verified_at.unwrap_or(s.step)).sum();
        assert_eq!(s.network_steps, spent);
        if s.verdict != Verdict::Solved {
            assert!(!s.verified, "a vote over copies is not a check");
        }
    }
}

/// Workers that split a puzzle's copies run disjoint parts of one plan: the parts' copies are
/// the whole plan's, in order, with the same answers.
#[test]
fn parts_of_a_plan_are_the_plan() {
    let model = model();
    let text = line("sudoku_extreme_train_subsample.txt", 801);
    let whole = run(&model, &text, 2, 6, false);
    let a = run_part(&model, &text, 2, 4, false, 0);
    let b = run_part(&model, &text, 2, 2, false, 4);
    for (k, w) in whole.iter().enumerate() {
        let parts: Vec<_> = a[k].copies.iter().chain(&b[k].copies).collect();
        assert_eq!(parts.len(), 6);
        for (x, y) in w.copies.iter().zip(parts) {
            assert_eq!(x.augmentation, y.augmentation);
            assert_eq!(x.answer, y.answer, "step {}", k + 1);
        }
    }
    assert_eq!(b[0].copies[0].augmentation, "relabelled and shuffled", "the second part has no identity copy");
}
