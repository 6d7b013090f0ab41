use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use trm::eval::{evaluate, evaluate_arc, evaluate_copies, evaluate_search, CopiesOptions, Example, Report};
use trm::search::SearchOptions;
use trm::puzzle::{self, arc, maze, sudoku, Puzzle};
use trm::{block_on, Model, Options, PuzzleKind};

use crate::args::{in_parts, need_sudoku, options, read_text, window, RunArgs};

pub(crate) fn eval(
    model: Arc<Model>,
    run: &RunArgs,
    puzzles: PathBuf,
    solutions: Option<PathBuf>,
    skip: usize,
    limit: Option<usize>,
    batch: usize,
    threads: usize,
) -> Result<(), String> {
    need_sudoku(&model)?;
    let pairs = read_pairs_as_puzzles(&model, &puzzles, solutions.as_ref())?;
    let pairs = window(&pairs, skip, limit);
    if pairs.is_empty() {
        return Err("no puzzles to evaluate".into());
    }
    let examples: Vec<Example> = pairs.iter().map(|(p, a)| Example::new(p, a, None)).collect();
    let (name, opts, r) = run_examples(model, run, &examples, batch, threads)?;
    println!("engine: {name}, puzzles: {}, steps: {}, early halt: {}", r.puzzles, opts.max_steps, opts.early_halt);
    println!("exact accuracy: {:.2}% ({} / {})", 100.0 * r.exact_accuracy(), r.exact, r.puzzles);
    println!("cell accuracy on blanks: {:.2}%", 100.0 * r.cell_accuracy());
    print_steps_and_halting(&r, &opts);
    println!("puzzles/s: {:.2} ({:.1} s)", r.puzzles as f64 / r.seconds, r.seconds);
    Ok(())
}

/// Runs examples through the chosen engine; gives the engine's name, the options used and the report.
fn run_examples(
    model: Arc<Model>,
    run: &RunArgs,
    examples: &[Example],
    batch: usize,
    threads: usize,
) -> Result<(String, Options, Report), String> {
    let opts = options(&model.config, run);
    let t0 = Instant::now();
    let (name, parts) = in_parts(&model, run.backend, threads, examples, |e, part| {
        block_on(evaluate(e, part, &opts, batch, || t0.elapsed().as_secs_f64())).map_err(|e| e.to_string())
    })?;
    let mut r = Report::default();
    parts.into_iter().for_each(|p| r.absorb(p));
    r.seconds = t0.elapsed().as_secs_f64();
    Ok((name, opts, r))
}

/// A Sudoku (puzzle and solution files, or one CSV) or maze (question,answer CSV) set as
/// puzzles with their known answers.
pub(crate) fn read_pairs_as_puzzles(model: &Model, puzzles: &PathBuf, solutions: Option<&PathBuf>) -> Result<Vec<(Puzzle, puzzle::Answer)>, String> {
    Ok(match model.kind {
        PuzzleKind::Sudoku => match solutions {
            Some(s) => sudoku::read_pairs(&read_text(puzzles)?, &read_text(s)?),
            None => sudoku::read_csv_pairs(&read_text(puzzles)?),
        }
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(p, s)| (Puzzle::Sudoku(p), puzzle::Answer::Sudoku(s)))
        .collect(),
        PuzzleKind::Maze if solutions.is_none() => {
            let pairs: Vec<_> = maze::read_csv(&read_text(puzzles)?)
                .map_err(|e| format!("{}: {e}", puzzles.display()))?
                .into_iter()
                .map(|(q, a)| (Puzzle::Maze(q), puzzle::Answer::Maze(a)))
                .collect();
            // A model reads one side only; say so before any engine sees the wrong shape.
            for (k, (q, _)) in pairs.iter().enumerate() {
                q.check_model(model.kind, &model.config).map_err(|e| format!("{}, maze {}: {e}", puzzles.display(), k + 1))?;
            }
            pairs
        }
        PuzzleKind::Maze => return Err("--solutions is for Sudoku; mazes come as one question,answer CSV".into()),
        PuzzleKind::Arc => return Err("--copies is for Sudoku and mazes; ARC evaluation votes over --augmentations".into()),
    })
}

pub(crate) fn eval_copies(
    model: Arc<Model>,
    run: &RunArgs,
    pairs: &[(Puzzle, puzzle::Answer)],
    co: &CopiesOptions,
    batch: usize,
    threads: usize,
) -> Result<(), String> {
    if co.copies == 0 {
        return Err("--copies must be at least 1".into());
    }
    if pairs.is_empty() {
        return Err("no puzzles to evaluate".into());
    }
    if let Some((p, _)) = pairs.first() {
        p.check_model(model.kind, &model.config).map_err(|e| e.to_string())?;
    }
    let opts = options(&model.config, run);
    let rows = model.puzzle_rows.clone();
    let t0 = Instant::now();
    let (name, parts) = in_parts(&model, run.backend, threads, pairs, |e, part| {
        block_on(evaluate_copies(e, part, rows.as_deref(), co, &opts, batch, || t0.elapsed().as_secs_f64()))
            .map_err(|e| e.to_string())
    })?;
    let mut r = trm::eval::CopiesReport::default();
    parts.into_iter().for_each(|p| r.absorb(p));
    r.seconds = t0.elapsed().as_secs_f64();
    let pct = |n: usize| 100.0 * n as f64 / r.puzzles.max(1) as f64;
    println!(
        "engine: {name}, puzzles: {}, copies: {}, steps: {}, stop when verified: {}, restart after: {}",
        r.puzzles,
        r.copies,
        opts.max_steps,
        co.stop_when_verified,
        co.restart_after
    );
    let verified = r.verified_per_step.last().copied().unwrap_or(0);
    println!("solved (a copy passed the rules): {:.2}% ({verified} / {})", pct(verified), r.puzzles);
    println!("right answer (verified copy, else the copies' vote): {:.2}% ({}; {} by the vote alone)", pct(r.right), r.right, r.right_unverified);
    let per_step: Vec<String> = r.verified_per_step.iter().map(|&n| format!("{:.1}", pct(n))).collect();
    println!("solved after each step (%): {}", per_step.join(" "));
    println!("network steps per puzzle: {:.1} (a step for each copy that ran it: a verified copy freezes, a halted one stops)", r.network_steps as f64 / r.puzzles as f64);
    println!("restarts per puzzle: {:.2}", r.restarts as f64 / r.puzzles as f64);
    println!("puzzles/s: {:.3} ({:.1} s)", r.puzzles as f64 / r.seconds, r.seconds);
    Ok(())
}

pub(crate) fn eval_search(model: Arc<Model>, run: &RunArgs, pairs: &[(Puzzle, puzzle::Answer)], so: &SearchOptions, threads: usize) -> Result<(), String> {
    if pairs.is_empty() {
        return Err("no puzzles to evaluate".into());
    }
    let puzzles: Vec<Puzzle> = pairs.iter().map(|(p, _)| p.clone()).collect();
    let t0 = Instant::now();
    let (name, parts) = in_parts(&model, run.backend, threads, &puzzles, |e, part| {
        block_on(evaluate_search(e, &model, part, so, || t0.elapsed().as_secs_f64())).map_err(|e| e.to_string())
    })?;
    let mut r = trm::eval::SearchReport::default();
    parts.into_iter().for_each(|p| r.absorb(p));
    r.seconds = t0.elapsed().as_secs_f64();
    let pct = |n: usize| 100.0 * n as f64 / r.puzzles.max(1) as f64;
    println!(
        "engine: {name}, puzzles: {}, search: {} copies x {} steps a round, budget {} network steps, agree {}, branch {}, cells {}, branch copies {}, depth {}",
        r.puzzles, so.round.copies, so.round.run.max_steps, so.budget, so.agree, so.branch, so.cells, so.branch_copies, so.depth
    );
    println!("solved (a copy passed the rules): {:.2}% ({} / {}; {} on hypotheses)", pct(r.solved_at.len()), r.solved_at.len(), r.puzzles, r.solved_on_hypotheses);
    let marks: Vec<usize> = [64, 128, 256, 512, 1024, 2048].into_iter().filter(|&b| b < so.budget).chain([so.budget]).collect();
    let curve: Vec<String> = marks.iter().map(|&b| format!("{b}: {:.1}", pct(r.solved_within(b)))).collect();
    println!("solved within network steps (%): {}", curve.join(", "));
    println!("network steps per puzzle: {:.1}; rounds per puzzle: {:.2}; withdrawals per puzzle: {:.2}", r.network_steps as f64 / r.puzzles as f64, r.rounds as f64 / r.puzzles as f64, r.withdrawals as f64 / r.puzzles as f64);
    println!("puzzles/s: {:.3} ({:.1} s)", r.puzzles as f64 / r.seconds, r.seconds);
    Ok(())
}

fn print_steps_and_halting(r: &Report, opts: &Options) {
    let per_step: Vec<String> = r.exact_per_step.iter().map(|&n| format!("{:.1}", 100.0 * n as f64 / r.puzzles as f64)).collect();
    println!("exact accuracy after each step (%): {}", per_step.join(" "));
    println!("mean halting step (sigmoid(q_halt) > {}): {:.2}", opts.halt_threshold, r.mean_halt_step());
}

pub(crate) fn eval_maze(
    model: Arc<Model>,
    run: &RunArgs,
    puzzles: PathBuf,
    skip: usize,
    limit: Option<usize>,
    batch: usize,
    threads: usize,
) -> Result<(), String> {
    let pairs = read_pairs_as_puzzles(&model, &puzzles, None)?;
    let pairs = window(&pairs, skip, limit);
    if pairs.is_empty() {
        return Err("no mazes to evaluate".into());
    }
    let examples: Vec<Example> = pairs.iter().map(|(q, a)| Example::new(q, a, None)).collect();
    let (name, opts, r) = run_examples(model, run, &examples, batch, threads)?;
    let (mut valid, mut shortest) = (0, 0);
    for ((q, _), (tokens, _)) in pairs.iter().zip(&r.finals) {
        let Puzzle::Maze(q) = q else { continue };
        let v = maze::check_tokens(q, tokens);
        valid += usize::from(v.valid);
        shortest += usize::from(v.valid && v.shortest);
    }
    let pct = |n: usize| 100.0 * n as f64 / r.puzzles as f64;
    println!("engine: {name}, mazes: {}, steps: {}, early halt: {}", r.puzzles, opts.max_steps, opts.early_halt);
    println!("exact accuracy: {:.2}% ({} / {})", 100.0 * r.exact_accuracy(), r.exact, r.puzzles);
    println!("valid shortest paths: {:.2}% ({shortest}); valid paths: {:.2}% ({valid})", pct(shortest), pct(valid));
    println!("cell accuracy on open cells: {:.2}%", 100.0 * r.cell_accuracy());
    let ratio = |n: usize, d: usize| format!("{:.1}", 100.0 * n as f64 / d.max(1) as f64);
    let recall: Vec<String> = r.marked_per_step.iter().map(|m| ratio(m[0], m[2])).collect();
    let precision: Vec<String> = r.marked_per_step.iter().map(|m| ratio(m[0], m[1])).collect();
    println!("path-cell recall after each step (%): {}", recall.join(" "));
    println!("path-cell precision after each step (%): {}", precision.join(" "));
    print_steps_and_halting(&r, &opts);
    println!("mazes/s: {:.3} ({:.1} s)", r.puzzles as f64 / r.seconds, r.seconds);
    Ok(())
}

/// Task files sorted by name; a task's name is its file stem, as in the reference's identifiers.
fn read_tasks(path: &PathBuf) -> Result<Vec<(String, arc::Task)>, String> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        v.sort();
        v
    } else {
        vec![path.clone()]
    };
    files
        .iter()
        .map(|f| {
            let name = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let task = arc::parse_task(&read_text(f)?).map_err(|e| format!("{}: {e}", f.display()))?;
            Ok((name, task))
        })
        .collect()
}

pub(crate) fn eval_arc(
    model: Arc<Model>,
    run: &RunArgs,
    tasks: PathBuf,
    k: usize,
    skip: usize,
    limit: Option<usize>,
    batch: usize,
    threads: usize,
) -> Result<(), String> {
    if k == 0 {
        return Err("--augmentations must be at least 1".into());
    }
    let all = read_tasks(&tasks)?;
    let side = arc::canvas_side(model.config.seq_len)
        .ok_or_else(|| format!("an ARC model reads a square canvas of up to 30x30, not {} tokens", model.config.seq_len))?;
    // Only tasks with an output to score, so that every thread's share has some; a model on a
    // smaller canvas is measured on the tasks whose every grid fits it, the subset it learned.
    let window = window(&all, skip, limit);
    let tasks: Vec<(String, arc::Task)> = window
        .iter()
        .filter(|(_, t)| t.test.iter().any(|p| p.output.is_some()) && t.fits(side))
        .cloned()
        .collect();
    if tasks.is_empty() {
        return Err(format!("no ARC test inputs with known outputs to score within the model's {side}x{side} canvas"));
    }
    if side < arc::SIDE {
        println!("canvas: {side}x{side}, tasks whose every grid fits it: {} of {}", tasks.len(), window.len());
    }
    let opts = options(&model.config, run);
    let rows = model.puzzle_rows.clone();
    let t0 = Instant::now();
    let (name, parts) = in_parts(&model, run.backend, threads, &tasks, |e, part| {
        block_on(evaluate_arc(e, rows.as_deref(), part, side, k, &opts, batch, || t0.elapsed().as_secs_f64()))
            .map_err(|e| e.to_string())
    })?;
    let mut r = trm::eval::ArcReport::default();
    parts.into_iter().for_each(|p| r.absorb(p));
    r.per_copy.seconds = t0.elapsed().as_secs_f64();
    let pct = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    println!(
        "engine: {name}, tasks: {}, test inputs: {}, augmentations: {}, steps: {}",
        r.tasks,
        r.test_inputs,
        r.augmentations,
        opts.max_steps
    );
    println!("pass@1: {:.2}% ({} / {})", pct(r.pass_at_1, r.test_inputs), r.pass_at_1, r.test_inputs);
    println!("pass@2: {:.2}% ({} / {})", pct(r.pass_at_2, r.test_inputs), r.pass_at_2, r.test_inputs);
    println!("tasks with every test input right within 2 attempts: {:.2}% ({} / {})", pct(r.tasks_pass_at_2, r.tasks), r.tasks_pass_at_2, r.tasks);
    if !r.tasks_solved.is_empty() {
        println!("  those tasks: {}", r.tasks_solved.join(", "));
    }
    let per_step = |v: &[usize]| v.iter().map(|&n| format!("{:.1}", pct(n, r.test_inputs))).collect::<Vec<_>>().join(" ");
    println!("pass@1 after each step (%): {}", per_step(&r.pass_at_1_per_step));
    println!("pass@2 after each step (%): {}", per_step(&r.pass_at_2_per_step));
    println!("network steps per test input: {} (augmentations x steps)", r.augmentations * opts.max_steps);
    let c = &r.per_copy;
    println!("augmented copies: {}, exact {:.2}%, cell accuracy inside the answer frame {:.2}%", c.puzzles, 100.0 * c.exact_accuracy(), 100.0 * c.cell_accuracy());
    println!("mean halting step (sigmoid(q_halt) > {}): {:.2}", opts.halt_threshold, c.mean_halt_step());
    println!("test inputs/s: {:.3} ({:.1} s)", r.test_inputs as f64 / c.seconds, c.seconds);
    Ok(())
}
