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
    run_with(model, text, steps, copies, stop, first_copy, 0)
}

fn run_with(
    model: &Arc<Model>,
    text: &str,
    steps: usize,
    copies: usize,
    stop: bool,
    first_copy: usize,
    restart_after: usize,
) -> Vec<SolveStep> {
    let mut engine = CpuEngine::new(model.clone());
    let puzzle = Puzzle::parse(PuzzleKind::Sudoku, text).unwrap();
    let opts = SolveOptions {
        run: Options { max_steps: steps, early_halt: false, halt_threshold: 0.5, cycle_answers: false, latent: false },
        copies,
        seed: 5,
        stop_when_verified: stop,
        first_copy,
        restart_after,
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

/// A pool's shares merged (crate::solve::merge, which the page's worker pool calls through
/// wasm) are the step one batch of the whole plan reports: the same copies, shown copy, votes,
/// vote ranking and network steps.
#[test]
fn shares_merged_are_the_whole_batch() {
    let model = model();
    for (file, line_no, stop) in [("sudoku_extreme_train_subsample.txt", 802, false), ("tdoku_unbiased_first1000.txt", 3, true)] {
        let text = line(file, line_no);
        let whole = run(&model, &text, 3, 6, stop);
        let a = run_part(&model, &text, 3, 4, stop, 0);
        let b = run_part(&model, &text, 3, 2, stop, 4);
        for (k, w) in whole.iter().enumerate() {
            let Some((x, y)) = a.get(k).zip(b.get(k)) else { break };
            let merged = trm::solve::merge(vec![x.clone(), y.clone()]).unwrap();
            let mut w = w.clone();
            w.done = false;
            assert_eq!(serde_json::to_value(&merged).unwrap(), serde_json::to_value(&w).unwrap(), "{file} line {line_no}, step {}", k + 1);
        }
    }
    let e = trm::solve::merge(Vec::new()).unwrap_err();
    assert!(e.to_string().contains("at least one"), "{e}");
}

/// Each attempt of a copy gets `restart_after` steps: a copy starts over exactly when its
/// attempt has used them without an answer that passes, a verified copy never does, and with
/// restarts off no copy ever does.
#[test]
fn copies_start_over_when_an_attempt_used_its_steps_and_verified_ones_never_do() {
    let m = model();
    let patience = 4;
    let mut restarted = 0;
    for i in 0..3 {
        let text = line("sudoku_extreme_train_subsample.txt", 900 + i);
        let steps = run_with(&m, &text, 14, 4, false, 0, patience);
        for c in 0..4 {
            let attempts: Vec<usize> = steps.iter().map(|s| s.copies[c].attempt).collect();
            // Steps reported under each attempt, in order.
            let mut runs: Vec<(usize, usize)> = Vec::new();
            for (t, &a) in attempts.iter().enumerate() {
                match runs.last_mut() {
                    Some((last, n)) if *last == a => *n += 1,
                    _ => {
                        assert_eq!(a, runs.len(), "copy {c}: attempts count up by one");
                        runs.push((a, 1));
                        if a > 0 {
                            let before = &steps[t - 1].copies[c];
                            assert!(before.verified_at.is_none() && !before.verdict.is_solved(), "copy {c} restarted after passing");
                        }
                    }
                }
            }
            restarted += runs.len() - 1;
            for (k, (_, n)) in runs.iter().enumerate() {
                if k + 1 < runs.len() {
                    assert_eq!(*n, patience, "puzzle {i}, copy {c}: attempt {k} ran {n} steps");
                } else if steps.last().unwrap().copies[c].verified_at.is_none() {
                    assert!(*n <= patience, "puzzle {i}, copy {c}: the last attempt overran");
                }
            }
        }
        let none = run_with(&m, &text, 14, 4, false, 0, 0);
        assert!(none.iter().all(|s| s.copies.iter().all(|c| c.attempt == 0)), "restart_after 0 restarts nothing");
    }
    assert!(restarted > 0, "no copy of three hard puzzles restarted in 14 steps");
}

#[test]
fn a_restart_copy_is_a_fresh_valid_augmentation_of_the_puzzle() {
    use trm::puzzle::{sudoku, Answer, Augment};
    let mut rng = trm::rng::Rng::new(3);
    let (p, solution) = sudoku::generate(&mut rng, 30);
    let puzzle = Puzzle::Sudoku(p);
    let mut seen = std::collections::HashSet::new();
    for index in 0..4 {
        for attempt in 1..5 {
            let copy = puzzle.restart_copy(7, index, attempt).expect("Sudoku copies can restart");
            assert_eq!(Some(copy.clone()), puzzle.restart_copy(7, index, attempt), "drawn from (seed, index, attempt) alone");
            assert!(seen.insert(copy.tokens.clone()), "copy {index}, attempt {attempt} repeats another");
            let Augment::Sudoku(a) = &copy.augment else { unreachable!() };
            assert_eq!(copy.tokens, sudoku::to_tokens(&a.apply(&p)).to_vec());
            let solved = sudoku::to_tokens(&a.apply(&solution));
            assert_eq!(puzzle.answer(&copy.augment, &solved).unwrap(), Answer::Sudoku(solution));
        }
    }
    assert_ne!(puzzle.restart_copy(7, 0, 1), puzzle.restart_copy(8, 0, 1), "the seed matters");
    let (maze, _) = trm::puzzle::maze::generate(&mut rng, 40);
    assert!(Puzzle::Maze(maze).restart_copy(0, 0, 1).is_none(), "a maze has nothing new to try");
}

/// `trm eval --copies` runs several puzzles' copies as one batch through the same copy lifecycle
/// as a solve (crate::solve::Copies): each puzzle's network steps, restarts and final answer are
/// what solving it alone reports, with and without stopping at the first verified copy.
#[test]
fn evaluation_counts_and_answers_as_solve_does() {
    use trm::eval::{evaluate_copies, CopiesOptions};
    use trm::puzzle::Answer;
    let model = model();
    let file = "sudoku_extreme_train_subsample.txt";
    let solutions = std::fs::read_to_string(root().join("data/sudoku/solutions").join(file)).unwrap();
    let rows: Vec<usize> = (800..805).collect();
    let puzzles: Vec<(Puzzle, Answer)> = rows
        .iter()
        .map(|&i| {
            let solution = trm::puzzle::sudoku::parse(solutions.lines().nth(i).unwrap()).unwrap();
            (Puzzle::parse(PuzzleKind::Sudoku, &line(file, i)).unwrap(), Answer::Sudoku(solution))
        })
        .collect();
    for stop in [false, true] {
        let (copies, steps, restart_after) = (3, 6, 2);
        let co = CopiesOptions { copies, seed: 5, stop_when_verified: stop, restart_after };
        let opts = Options { max_steps: steps, early_halt: false, halt_threshold: 0.5, cycle_answers: false, latent: false };
        let mut engine = CpuEngine::new(model.clone());
        let rep = block_on(evaluate_copies(&mut engine, &puzzles, model.puzzle_rows.as_deref(), &co, &opts, 2, || 0.0)).unwrap();
        let (mut network_steps, mut right, mut restarts) = (0, 0, 0);
        for (&i, (_, truth)) in rows.iter().zip(&puzzles) {
            let all = run_with(&model, &line(file, i), steps, copies, stop, 0, restart_after);
            let last = all.last().unwrap();
            network_steps += last.network_steps;
            right += usize::from(last.answer.as_ref() == Some(&trm::solve::GridView::from(truth)));
            restarts += last.copies.iter().map(|c| c.attempt).sum::<usize>();
        }
        assert_eq!(rep.puzzles, rows.len());
        assert_eq!(rep.network_steps, network_steps, "stop_when_verified {stop}");
        assert_eq!(rep.right, right, "stop_when_verified {stop}");
        assert_eq!(rep.restarts, restarts, "stop_when_verified {stop}");
        assert!(restarts > 0, "some copy started over, so the test covers restarts");
    }
}
