//! The native command line: run a model on a puzzle, evaluate it on a puzzle set, time a
//! supervision step, generate Sudoku puzzles. A thin adapter over the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use trm::config::{paper_config, Config};
use trm::cpu::CpuEngine;
use trm::engine::AnyEngine;
use trm::gpu::GpuEngine;
use trm::eval::{evaluate, evaluate_arc, evaluate_copies, evaluate_search, CopiesOptions, Example, Report};
use trm::search::{Search, SearchOptions};
use trm::puzzle::{self, arc, maze, sudoku, Puzzle};
use trm::solve::{GridView, Solve, SolveOptions};
use trm::{block_on, Batch, Engine, Model, Options, PuzzleKind, Recursion};

#[derive(Parser)]
#[command(name = "trm", version, about = "Tiny Recursive Model: solve, evaluate, benchmark")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum)]
enum Backend {
    Cpu,
    /// wgpu on the system's GPU (Vulkan, Metal or DX12; Mesa's lavapipe works too).
    Gpu,
}

#[derive(Clone, Copy, ValueEnum)]
enum RandomPreset {
    /// TRM-MLP Sudoku: D=512, T=3, n=6, seq 81 + 16 prefix.
    Sudoku,
    /// TRM-Att ARC: D=512, 8 heads, T=3, n=4, seq 900 + 16 prefix.
    Arc,
    /// TRM-Att maze: as ARC with vocabulary 6.
    Maze,
}

#[derive(Clone, Copy, ValueEnum)]
enum GenerateKind {
    Sudoku,
    Maze,
}

#[derive(clap::Args)]
struct ModelArgs {
    /// A trm-web model file (.safetensors).
    #[arg(long, conflicts_with = "random")]
    model: Option<PathBuf>,
    /// Use random weights in the paper's configuration instead of a file.
    #[arg(long)]
    random: Option<RandomPreset>,
}

/// Thinking harder with hypotheses (Sudoku, `trm::search`).
#[derive(clap::Args)]
struct SearchArgs {
    /// Think harder with hypotheses: rounds of --copies copies for --steps steps each; after a
    /// round no copy of which passed the rules, the most doubted cell's most-voted digits (and
    /// the digits enough copies agreed on, with --agree of 1 or less) are given back as
    /// hypotheses, searched depth first and withdrawn when a branch finds nothing; this many
    /// network steps per puzzle at most.
    #[arg(long, requires = "copies")]
    search_budget: Option<usize>,
    /// With --search-budget: share of copies that must agree on a cell's digit to make it a
    /// hypothesis (above 1: no consensus).
    #[arg(long, default_value_t = trm::search::AGREE, requires = "search_budget")]
    agree: f32,
    /// With --search-budget: digits tried at the most doubted cell (0: no branching).
    #[arg(long, default_value_t = trm::search::BRANCH, requires = "search_budget")]
    branch: usize,
    /// With --search-budget: layers of hypotheses before a branch that finds nothing is
    /// withdrawn.
    #[arg(long, default_value_t = trm::search::DEPTH, requires = "search_budget")]
    depth: usize,
}

impl SearchArgs {
    /// The search's options around a round of `round`, when --search-budget asks for one.
    fn options(&self, round: SolveOptions) -> Option<SearchOptions> {
        let budget = self.search_budget?;
        Some(SearchOptions { round: SolveOptions { stop_when_verified: true, restart_after: 0, ..round }, budget, agree: self.agree, branch: self.branch, depth: self.depth })
    }
}

#[derive(clap::Args)]
struct RunArgs {
    /// Supervision steps (default: the model's halt_max_steps, 16 for the paper's models).
    #[arg(long)]
    steps: Option<usize>,
    /// Stop a puzzle once sigmoid(q_halt) passes the threshold.
    #[arg(long)]
    early_halt: bool,
    #[arg(long, default_value_t = 0.5)]
    threshold: f32,
    #[arg(long, value_enum, default_value = "cpu")]
    backend: Backend,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run a model on one puzzle of its kind and print the answer after every supervision
    /// step, with the puzzle's verdict on it.
    Solve {
        #[command(flatten)]
        model: ModelArgs,
        #[command(flatten)]
        run: RunArgs,
        /// The puzzle, or a file that holds it: a Sudoku (81 characters, '.' or '0' blank, or 9
        /// lines of 9), a maze (900 characters or 30 lines of 30: '#' wall, ' ' open, 'S', 'G')
        /// or an ARC task's JSON.
        #[arg(long, conflicts_with = "file")]
        puzzle: Option<String>,
        /// Read the puzzle from this file (as --puzzle FILE does).
        #[arg(long)]
        file: Option<PathBuf>,
        /// ARC: which test input of the task, counting from 0.
        #[arg(long, default_value_t = 0)]
        test: usize,
        /// Copies of the puzzle under augmentations of its kind, run as one batch, mapped back
        /// and voted (default: 8 for ARC, 1 otherwise).
        #[arg(long)]
        copies: Option<usize>,
        /// Seed of the augmentations.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Also print the answer after every H cycle (of the first copy).
        #[arg(long)]
        cycles: bool,
        /// Steps each attempt of a copy gets: a copy whose answer has not passed the rules by
        /// then starts over under a fresh augmentation (Sudoku; 0: never).
        #[arg(long, default_value_t = 0)]
        restart_after: usize,
        #[command(flatten)]
        search: SearchArgs,
    },
    /// Accuracy on a puzzle set, by the model's kind. Sudoku: puzzle/solution files
    /// (line-aligned, or one `puzzle,solution` CSV). Maze: a `question,answer` CSV. ARC: a task
    /// JSON file or a folder of them (pass@1 and pass@2 over voted augmentations).
    Eval {
        #[command(flatten)]
        model: ModelArgs,
        #[command(flatten)]
        run: RunArgs,
        #[arg(long)]
        puzzles: PathBuf,
        /// ARC: augmentations per test input (the model's own rows for the task when it has them).
        #[arg(long, default_value_t = 8)]
        augmentations: usize,
        #[arg(long)]
        solutions: Option<PathBuf>,
        /// Skip the first N puzzles (to evaluate a held-out tail of a file).
        #[arg(long, default_value_t = 0)]
        skip: usize,
        /// Only N puzzles (after --skip).
        #[arg(long)]
        limit: Option<usize>,
        #[arg(long, default_value_t = 16)]
        batch: usize,
        /// CPU: threads, each with its own engine and an equal share of the puzzles in
        /// batches of --batch (0: one per core). The GPU backend uses one.
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Run each puzzle as this many augmented copies. Sudoku and mazes: judged by the rules
        /// after every step; a puzzle is solved once a copy passes, else it answers with the
        /// copies' vote; `--batch` then counts puzzles, each K copies. ARC: the same as
        /// --augmentations (voted, pass@1 and pass@2 after each step).
        #[arg(long)]
        copies: Option<usize>,
        /// With --copies: a puzzle stops spending steps at its first verified copy.
        #[arg(long, requires = "copies")]
        stop_when_verified: bool,
        /// With --copies: seed of the augmentations.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// With --copies: steps each attempt of a copy gets; a copy whose answer has not passed
        /// the rules by then starts over under a fresh augmentation (Sudoku; 0: never).
        #[arg(long, default_value_t = 0, requires = "copies")]
        restart_after: usize,
        #[command(flatten)]
        search: SearchArgs,
    },
    /// Time supervision steps: seconds per step and puzzles per second.
    Bench {
        #[command(flatten)]
        model: ModelArgs,
        #[arg(long, value_enum, default_value = "cpu")]
        backend: Backend,
        #[arg(long, default_value_t = 1)]
        batch: usize,
        /// Supervision steps to time (after one untimed warm-up step).
        #[arg(long, default_value_t = 4)]
        steps: usize,
        /// Also read y and z back on the model's latent basis every step (the latent view).
        #[arg(long)]
        latent: bool,
    },
    /// Write a model file with random weights in one of the paper's configurations (for
    /// benchmarks and engine checks where no trained model of that size exists).
    RandomModel {
        #[arg(long, value_enum)]
        preset: RandomPreset,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// Rate Sudoku puzzles by the backtracking solver's guesses: the distribution over a file
    /// of puzzle lines (or `puzzle,solution` CSV lines), to compare training data with a test set.
    Rate {
        #[arg(long)]
        file: PathBuf,
    },
    /// Add the latent view's fixed projection to a model file: run the model on example
    /// puzzles (the demo's www/examples/<kind>.json) for its supervision steps, take the three
    /// leading principal directions of every cell's y and of its z over all steps, and write
    /// the model with them (its own tensors and metadata unchanged) to --out.
    LatentBasis {
        #[arg(long)]
        model: PathBuf,
        /// A JSON list of examples as the demo's: Sudoku `puzzle`, maze `question`, ARC `task`.
        #[arg(long)]
        examples: PathBuf,
        #[arg(long)]
        steps: Option<usize>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Print a model file's configuration and size.
    Info {
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Generate puzzles with their answers as CSV lines: unique-solution Sudoku
    /// (`puzzle,solution`) or mazes (`question,answer`, as Maze-Hard's files): hard 30x30 ones
    /// like Maze-Hard, or corridor mazes of a smaller odd side (`--side`).
    Generate {
        #[arg(long, value_enum, default_value = "sudoku")]
        kind: GenerateKind,
        #[arg(long, default_value_t = 10)]
        count: usize,
        /// Mazes: the shortest path must be longer than this many cells (default: 110 at side
        /// 30, as Maze-Hard; the side itself at smaller sides).
        #[arg(long)]
        min_len: Option<usize>,
        /// Mazes: the side of the square. 30 gives Maze-Hard-like mazes (random walls); an odd
        /// side from 5 to 29 gives corridor mazes with exactly one route between any two cells.
        #[arg(long, default_value_t = maze::SIDE)]
        side: usize,
        /// easy, medium, hard or minimal.
        #[arg(long, default_value = "hard", conflicts_with = "givens")]
        difficulty: String,
        /// Remove clues down to this many givens instead of a difficulty.
        #[arg(long)]
        givens: Option<usize>,
        /// Sudoku: keep only puzzles whose backtracking solve needs at least this many
        /// guesses (see `sudoku::guesses`); 0 keeps every puzzle.
        #[arg(long, default_value_t = 0)]
        min_guesses: usize,
        /// Sudoku: keep only puzzles whose whole search tree (the uniqueness proof) takes at
        /// least this many guesses (see `sudoku::exhaustive_guesses`; Sudoku-Extreme's median
        /// is 160, minimal puzzles' 2); 0 keeps every puzzle.
        #[arg(long, default_value_t = 0)]
        min_tree_guesses: usize,
        /// Sudoku: neighbours of the puzzles in this file (one per line, or CSV with the
        /// puzzle first) instead of fresh grids: `--swaps` givens of a random source moved to
        /// other cells of its solution, then made minimal (`sudoku::vicinity`).
        #[arg(long, conflicts_with = "givens")]
        vicinity_of: Option<PathBuf>,
        /// With --vicinity-of: draw sources from its first this many puzzles only (e.g. 576:
        /// the Sudoku-Extreme lines before the tuning lines 577-776 and the held-out 777-976).
        #[arg(long, requires = "vicinity_of")]
        vicinity_lines: Option<usize>,
        /// With --vicinity-of: how many givens each neighbour moves.
        #[arg(long, default_value_t = 1, requires = "vicinity_of")]
        swaps: usize,
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
}

fn preset(p: RandomPreset) -> (Config, PuzzleKind) {
    let kind = match p {
        RandomPreset::Sudoku => PuzzleKind::Sudoku,
        RandomPreset::Arc => PuzzleKind::Arc,
        RandomPreset::Maze => PuzzleKind::Maze,
    };
    (paper_config(kind), kind)
}

fn load_model(a: &ModelArgs) -> Result<Arc<Model>, String> {
    match (&a.model, a.random) {
        (Some(path), _) => {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            Model::from_bytes(&bytes).map(Arc::new).map_err(|e| format!("{}: {e}", path.display()))
        }
        (None, Some(p)) => {
            let (cfg, kind) = preset(p);
            Model::random(cfg, kind, 0).map(Arc::new).map_err(|e| e.to_string())
        }
        (None, None) => Err("give --model FILE or --random PRESET".into()),
    }
}

fn options(cfg: &Config, r: &RunArgs) -> Options {
    Options {
        max_steps: r.steps.unwrap_or(cfg.halt_max_steps),
        early_halt: r.early_halt,
        halt_threshold: r.threshold,
        cycle_answers: false,
        latent: false,
    }
}

fn engine(model: Arc<Model>, backend: Backend) -> Result<AnyEngine, String> {
    Ok(match backend {
        Backend::Cpu => AnyEngine::Cpu(CpuEngine::new(model)),
        Backend::Gpu => AnyEngine::Gpu(Box::new(block_on(GpuEngine::new(model)).map_err(|e| e.to_string())?)),
    })
}

/// Evaluates `items` in contiguous parts, one per thread, each on its own engine: the CPU
/// engine computes on one core, so every core takes a share of the batches (the GPU backend
/// takes them all in one part). Gives the engine's description and each part's result, in
/// input order.
fn in_parts<T: Sync, R: Send>(
    model: &Arc<Model>,
    backend: Backend,
    threads: usize,
    items: &[T],
    f: impl Fn(&mut AnyEngine, &[T]) -> Result<R, String> + Sync,
) -> Result<(String, Vec<R>), String> {
    let threads = match backend {
        Backend::Gpu => 1,
        Backend::Cpu if threads == 0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        Backend::Cpu => threads,
    };
    let parts: Vec<&[T]> = items.chunks(items.len().div_ceil(threads).max(1)).collect();
    if parts.len() <= 1 {
        let mut e = engine(model.clone(), backend)?;
        let r = f(&mut e, items)?;
        return Ok((e.name(), vec![r]));
    }
    let results = std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .iter()
            .map(|part| {
                let (f, model) = (&f, model.clone());
                s.spawn(move || f(&mut engine(model, backend)?, part))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("an evaluation thread panicked".into())))
            .collect::<Result<Vec<R>, String>>()
    })?;
    Ok((format!("CPU, {} threads", parts.len()), results))
}

/// GPU submissions so far, to show that a step is one submission.
fn submissions(e: &AnyEngine) -> Option<u64> {
    match e {
        AnyEngine::Gpu(g) => Some(g.submissions()),
        AnyEngine::Cpu(_) => None,
    }
}

fn need_sudoku(model: &Model) -> Result<(), String> {
    model.expect_kind(PuzzleKind::Sudoku).map_err(|e| e.to_string())
}

/// The puzzle text of `--puzzle` (the text itself, or a file of that name) or `--file`, with the
/// file's stem as the puzzle's name (ARC's puzzle-table rows are named after task files).
fn puzzle_text(puzzle: Option<String>, file: Option<PathBuf>) -> Result<(String, String), String> {
    let path = match (puzzle, file) {
        (_, Some(f)) => f,
        (Some(t), None) => {
            let p = PathBuf::from(&t);
            // A Sudoku line or a maze is never a file name worth trying (and may be too long for one).
            if t.len() > 255 || t.contains('\n') || !p.is_file() {
                return Ok((t, "task".into()));
            }
            p
        }
        (None, None) => return Err("give --puzzle TEXT|FILE".to_string()),
    };
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "task".into());
    Ok((read_text(&path)?, name))
}

#[allow(clippy::too_many_arguments)]
fn solve(model: Arc<Model>, run: &RunArgs, puzzle: Puzzle, solve_opts: SolveOptions) -> Result<(), String> {
    let mut e = engine(model.clone(), run.backend)?;
    let mut s = Solve::start(&mut e, &model, puzzle, solve_opts).map_err(|e| e.to_string())?;
    let n = s.copies().len();
    let kind = s.puzzle().kind();
    println!("engine: {}, {} kind, {n} cop{}", e.name(), s.puzzle().kind().as_str(), if n == 1 { "y" } else { "ies" });
    let mut last = None;
    loop {
        let t0 = Instant::now();
        let Some(step) = block_on(s.step(&mut e)).map_err(|e| e.to_string())? else { break };
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        let solved = step.copies.iter().filter(|c| c.verdict.is_solved()).count();
        let subs = submissions(&e).map(|n| format!("  GPU submissions so far: {n}")).unwrap_or_default();
        let copies_note = if n > 1 { format!("  copies solved: {solved}/{n}") } else { String::new() };
        println!("step {:2}  sigmoid(q_halt) {:.3}  {:.1} ms{copies_note}{subs}", step.step, step.halt_probability, ms);
        for (c, answer) in step.cycles.iter().enumerate() {
            let shown = match answer {
                Some(a) => format!("\n{}", show(kind, a)),
                None => " (no answer)".into(),
            };
            println!("  after H cycle {}:{shown}", c + 1);
        }
        if let Some(a) = &step.answer {
            print!("{}", show(kind, a));
        }
        // The answer a verified copy gave, else the one most copies agree on (ARC's scoring).
        let votes = if n > 1 { format!(" ({} of {n} copies)", step.votes) } else { String::new() };
        println!("verdict{votes}: {}", describe(&step.verdict));
        last = Some(step.verdict);
    }
    if let Some(v) = last {
        println!("final verdict: {}", describe(&v));
    }
    Ok(())
}

/// `trm solve --search-budget`: each step's round and shown answer, and at each round's end
/// the hypotheses the next round adds and withdraws.
fn solve_search(model: Arc<Model>, run: &RunArgs, puzzle: Puzzle, so: SearchOptions) -> Result<(), String> {
    let mut e = engine(model.clone(), run.backend)?;
    let (copies, budget) = (so.round.copies, so.budget);
    let mut s = Search::start(&mut e, &model, puzzle, so).map_err(|e| e.to_string())?;
    println!("engine: {}, sudoku, hypotheses: rounds of {copies} copies, at most {budget} network steps", e.name());
    let list = |hs: &[trm::search::Hypothesis]| hs.iter().map(|h| h.to_string()).collect::<Vec<_>>().join(", ");
    let mut last = None;
    while let Some(step) = block_on(s.step(&mut e, &model)).map_err(|e| e.to_string())? {
        let on = if step.hypotheses.is_empty() { "the puzzle as given".to_string() } else { list(&step.hypotheses) };
        println!("step {:2}  round {} step {} on {on}  network steps {}", step.solve.step, step.round, step.round_step, step.solve.network_steps);
        if let Some(a) = &step.solve.answer {
            print!("{}", show(PuzzleKind::Sudoku, a));
        }
        println!("verdict ({} of {copies} copies): {}", step.solve.votes, describe(&step.solve.verdict));
        if !step.withdrawn.is_empty() {
            println!("withdrawn: {}", list(&step.withdrawn));
        }
        if !step.added.is_empty() {
            println!("next round adds: {}", list(&step.added));
        }
        last = Some(step.solve.verdict);
    }
    if let Some(v) = last {
        println!("final verdict: {}", describe(&v));
    }
    Ok(())
}

/// A grid as `trm solve` prints it: Sudoku with box rules, mazes and ARC as their rows.
fn show(kind: PuzzleKind, g: &GridView) -> String {
    if kind == PuzzleKind::Sudoku {
        if let Ok(grid) = sudoku::parse(&g.rows.concat()) {
            return grid.to_pretty();
        }
    }
    g.rows.iter().map(|r| format!("{r}\n")).collect()
}

fn describe(v: &puzzle::Verdict) -> String {
    match v {
        puzzle::Verdict::Solved => "solved (checked by the rules or the known output)".into(),
        puzzle::Verdict::Wrong { reason, .. } => format!("not solved: {reason}"),
        puzzle::Verdict::Unreadable { reason } => format!("no answer yet: {reason}"),
        puzzle::Verdict::Unknown => "unverified (no known output to compare with)".into(),
    }
}

fn eval(
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
fn read_pairs_as_puzzles(model: &Model, puzzles: &PathBuf, solutions: Option<&PathBuf>) -> Result<Vec<(Puzzle, puzzle::Answer)>, String> {
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
                q.check_model(model).map_err(|e| format!("{}, maze {}: {e}", puzzles.display(), k + 1))?;
            }
            pairs
        }
        PuzzleKind::Maze => return Err("--solutions is for Sudoku; mazes come as one question,answer CSV".into()),
        PuzzleKind::Arc => return Err("--copies is for Sudoku and mazes; ARC evaluation votes over --augmentations".into()),
    })
}

fn eval_copies(
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
        p.check_model(&model).map_err(|e| e.to_string())?;
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
    println!("network steps per puzzle: {:.1} (copies x steps until the puzzle stopped)", r.network_steps as f64 / r.puzzles as f64);
    println!("restarts per puzzle: {:.2}", r.restarts as f64 / r.puzzles as f64);
    println!("puzzles/s: {:.3} ({:.1} s)", r.puzzles as f64 / r.seconds, r.seconds);
    Ok(())
}

fn eval_search(model: Arc<Model>, run: &RunArgs, pairs: &[(Puzzle, puzzle::Answer)], so: &SearchOptions, threads: usize) -> Result<(), String> {
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
        "engine: {name}, puzzles: {}, search: {} copies x {} steps a round, budget {} network steps, agree {}, branch {}, depth {}",
        r.puzzles, so.round.copies, so.round.run.max_steps, so.budget, so.agree, so.branch, so.depth
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

fn read_text(p: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn window<T>(items: &[T], skip: usize, limit: Option<usize>) -> &[T] {
    let items = &items[skip.min(items.len())..];
    &items[..limit.unwrap_or(items.len()).min(items.len())]
}

fn eval_maze(
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

fn eval_arc(
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

fn bench(model: Arc<Model>, backend: Backend, batch: usize, steps: usize, latent: bool) -> Result<(), String> {
    if batch == 0 || steps == 0 {
        return Err("--batch and --steps must be at least 1".into());
    }
    let cfg = model.config.clone();
    let tokens: Vec<u32> = (0..batch * cfg.seq_len).map(|i| 1 + (i * 7919 % (cfg.vocab_size - 1)) as u32).collect();
    let b = Batch { tokens, puzzle_ids: vec![0; batch] };
    let mut e = engine(model, backend)?;
    let opts = Options { max_steps: steps + 1, latent, ..Options::full(&cfg) };
    let mut rec = Recursion::new(&mut e, &b, opts).map_err(|e| e.to_string())?;
    block_on(rec.step()).map_err(|e| e.to_string())?; // warm-up: first-touch of buffers
    let t0 = Instant::now();
    for _ in 0..steps {
        block_on(rec.step()).map_err(|e| e.to_string())?;
    }
    let per_step = t0.elapsed().as_secs_f64() / steps as f64;
    let subs = submissions(rec.engine());
    let dispatches = match rec.engine() {
        AnyEngine::Gpu(g) => Some(g.dispatches()),
        AnyEngine::Cpu(_) => None,
    };
    drop(rec);
    println!("engine: {}", e.name());
    if let (Some(n), Some(d)) = (subs, dispatches) {
        println!("GPU submissions: {n} for {} supervision steps", steps + 1);
        println!("GPU dispatches per supervision step: {}", d / (steps as u64 + 1));
    }
    println!(
        "config: D={} S={} T={} n={} {} batch={}{}",
        cfg.hidden_size,
        cfg.full_seq_len(),
        cfg.h_cycles,
        cfg.l_cycles,
        if cfg.mlp_t { "mlp_t" } else { "attention" },
        batch,
        if latent { ", y and z read back on the latent basis" } else { "" }
    );
    println!("seconds per supervision step: {per_step:.4}");
    println!("puzzles per second (one step each): {:.2}", batch as f64 / per_step);
    println!("puzzles per second (16-step solve): {:.3}", batch as f64 / (16.0 * per_step));
    println!("GFLOP/s: {:.2}", cfg.flops_per_step() * batch as f64 / per_step / 1e9);
    Ok(())
}

fn latent_basis(path: &PathBuf, examples: &PathBuf, steps: Option<usize>, out: &PathBuf) -> Result<(), String> {
    use trm::latent::{principal_projection, LatentBasis, Moments};
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let model = Arc::new(Model::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))?);
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&read_text(examples)?).map_err(|e| format!("{}: not a JSON list ({e})", examples.display()))?;
    let field = match model.kind {
        PuzzleKind::Sudoku => "puzzle",
        PuzzleKind::Maze => "question",
        PuzzleKind::Arc => "task",
    };
    let mut copies = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let text = match e.get(field) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(v @ serde_json::Value::Object(_)) => v.to_string(),
            _ => return Err(format!("{}: example {i} has no `{field}`", examples.display())),
        };
        let name = e.get("name").and_then(|n| n.as_str()).unwrap_or("example").to_string();
        let p = Puzzle::read(model.kind, model.config.seq_len, &text, &name, 0).map_err(|e| format!("example {i} ({name}): {e}"))?;
        copies.extend(p.plan(model.puzzle_rows.as_deref(), 1, 0).into_iter().take(1));
    }
    if copies.is_empty() {
        return Err(format!("{}: no examples", examples.display()));
    }
    let cfg = model.config.clone();
    let (s, d, k) = (cfg.full_seq_len(), cfg.hidden_size, cfg.prefix_len());
    let mut engine = CpuEngine::new(model.clone());
    let max_steps = steps.unwrap_or(cfg.halt_max_steps);
    let opts = Options { max_steps, ..Options::full(&cfg) };
    let mut run = Recursion::new(&mut engine, &puzzle::batch(&copies), opts).map_err(|e| e.to_string())?;
    let (mut my, mut mz) = (Moments::new(d), Moments::new(d));
    while block_on(run.step()).map_err(|e| e.to_string())?.is_some() {
        let e = run.engine();
        for b in 0..copies.len() {
            my.add(&e.y()[(b * s + k) * d..(b + 1) * s * d]);
            mz.add(&e.z()[(b * s + k) * d..(b + 1) * s * d]);
        }
    }
    let basis = LatentBasis {
        y: principal_projection(&my).map_err(|e| e.to_string())?,
        z: principal_projection(&mz).map_err(|e| e.to_string())?,
    };
    // The model's own tensors go back byte for byte (an f16 file stays f16); any old basis is
    // replaced.
    let st = safetensors::SafeTensors::deserialize(&bytes).map_err(|e| e.to_string())?;
    let (_, header) = safetensors::SafeTensors::read_metadata(&bytes).map_err(|e| e.to_string())?;
    let latent = basis.tensors();
    let latent_bytes: Vec<(String, Vec<u8>, Vec<usize>)> = latent
        .iter()
        .map(|(n, t)| (n.clone(), t.data.iter().flat_map(|x| x.to_le_bytes()).collect(), t.shape.clone()))
        .collect();
    let mut views: Vec<(String, safetensors::tensor::TensorView)> =
        st.tensors().into_iter().filter(|(n, _)| !n.starts_with("latent_basis.")).collect();
    for (n, b, shape) in &latent_bytes {
        views.push((n.clone(), safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), b).map_err(|e| e.to_string())?));
    }
    let written = safetensors::serialize(views, header.metadata().clone()).map_err(|e| e.to_string())?;
    let check = Model::from_bytes(&written).map_err(|e| format!("the written model does not load: {e}"))?;
    if check.latent.as_ref() != Some(&basis) {
        return Err("the written model's basis differs from the computed one".into());
    }
    std::fs::write(out, written).map_err(|e| format!("{}: {e}", out.display()))?;
    let spread = |p: &trm::latent::Projection| p.scale.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join(" ");
    println!(
        "{} examples x {} steps, {} cell states each for y and z; standard deviations along the directions: y {}, z {}",
        copies.len(),
        max_steps,
        my.count(),
        spread(&basis.y),
        spread(&basis.z)
    );
    Ok(())
}

fn info(model: Arc<Model>) {
    let c = &model.config;
    println!("kind: {}", model.kind.as_str());
    println!("config: {}", c.to_json());
    println!("parameters (puzzle table excluded): {}", model.parameter_count());
    println!("sequence: {} cells + {} prefix rows", c.seq_len, c.prefix_len());
    println!("network calls per supervision step: {}", c.net_calls_per_step());
    println!("GFLOP per supervision step per puzzle: {:.3}", c.flops_per_step() / 1e9);
    if let Some(rows) = &model.puzzle_rows {
        println!("puzzle rows: {}", rows.len());
    }
    println!("latent basis (for the latent view): {}", if model.latent.is_some() { "yes" } else { "no (add one with `trm latent-basis`)" });
}

/// The least work a kept Sudoku's search must take: guesses to the first solution and to
/// the end of the whole tree (0: no bound).
struct MinWork {
    guesses: usize,
    tree_guesses: usize,
}

fn generate(count: usize, difficulty: &str, givens: Option<usize>, min: MinWork, seed: u64) -> Result<(), String> {
    let mut rng = sudoku::Rng::new(seed);
    let diff = match givens {
        Some(g) if !(17..=80).contains(&g) => return Err(format!("--givens must be in 17..=80, not {g}")),
        Some(_) => None,
        None => Some(difficulty.parse::<sudoku::Difficulty>().map_err(|e| e.to_string())?),
    };
    let mut kept = 0;
    while kept < count {
        let (p, s) = match (givens, diff) {
            (Some(g), _) => sudoku::generate(&mut rng, g),
            (None, Some(d)) => sudoku::generate_difficulty(&mut rng, d),
            (None, None) => unreachable!("one of the two is set above"),
        };
        if min.admits(&p) {
            kept += 1;
            println!("{},{}", p.to_line(), s.to_line());
        }
    }
    Ok(())
}

impl MinWork {
    fn admits(&self, p: &sudoku::Grid) -> bool {
        (self.guesses == 0 || sudoku::guesses(p).unwrap_or(0) >= self.guesses)
            && (self.tree_guesses == 0 || sudoku::exhaustive_guesses(p).unwrap_or(0) >= self.tree_guesses)
    }
}

fn generate_vicinity(
    count: usize,
    file: &PathBuf,
    lines: Option<usize>,
    swaps: usize,
    min: MinWork,
    seed: u64,
) -> Result<(), String> {
    if swaps == 0 || swaps > 40 {
        return Err(format!("--swaps must be in 1..=40, not {swaps}"));
    }
    let mut sources = Vec::new();
    for (line, p) in read_sudoku_lines(file)?.into_iter().take(lines.unwrap_or(usize::MAX)) {
        let s = sudoku::solve_unique(&p).map_err(|e| format!("{}:{line}: {e}", file.display()))?;
        sources.push((p, s));
    }
    if sources.is_empty() {
        return Err(format!("{}: no puzzles", file.display()));
    }
    let mut rng = sudoku::Rng::new(seed);
    let (mut kept, mut tries) = (0, 0usize);
    while kept < count {
        tries += 1;
        // A source whose every neighbour loses uniqueness or work would loop forever.
        if tries > 1000 * (count + 100) {
            return Err(format!("only {kept} of {count} neighbours found in {} tries", tries - 1));
        }
        let (p, s) = &sources[rng.below(sources.len())];
        let Some(n) = sudoku::vicinity(p, s, swaps, &mut rng) else { continue };
        if min.admits(&n) {
            kept += 1;
            println!("{},{}", n.to_line(), s.to_line());
        }
    }
    Ok(())
}

/// The puzzles of a file of lines (or CSV with the puzzle first; headers skipped), each
/// with its 1-based line number.
fn read_sudoku_lines(file: &PathBuf) -> Result<Vec<(usize, sudoku::Grid)>, String> {
    let mut out = Vec::new();
    for (i, line) in read_text(file)?.lines().enumerate() {
        let puzzle = line.split(',').next().unwrap_or("").trim();
        if puzzle.is_empty() || puzzle.starts_with("question") || puzzle.starts_with("puzzle") {
            continue;
        }
        let g = sudoku::parse(puzzle).map_err(|e| format!("{}:{}: {e}", file.display(), i + 1))?;
        out.push((i + 1, g));
    }
    Ok(out)
}

fn rate(file: &PathBuf) -> Result<(), String> {
    let (mut counts, mut whole, mut left, mut stalled) = (Vec::new(), Vec::new(), Vec::new(), 0);
    for (line, g) in read_sudoku_lines(file)? {
        counts.push(sudoku::guesses(&g).ok_or_else(|| format!("{}:{line}: no solution", file.display()))?);
        whole.push(sudoku::exhaustive_guesses(&g).unwrap_or(0));
        // A puzzle with a solution neither clashes nor dead-ends under singles.
        left.push(sudoku::blanks_after_singles(&g).unwrap_or(0));
        stalled += usize::from(sudoku::has_single_at_start(&g) == Some(false));
    }
    if counts.is_empty() {
        return Err(format!("{}: no puzzles", file.display()));
    }
    let none = counts.iter().filter(|&&c| c == 0).count();
    println!("puzzles: {}", counts.len());
    println!("solved by singles alone: {:.1}%", 100.0 * none as f64 / counts.len() as f64);
    println!("no naked or hidden single at the start: {:.1}%", 100.0 * stalled as f64 / counts.len() as f64);
    for (label, mut v) in [("guesses", counts), ("guesses to search the whole tree", whole), ("blanks left after singles", left)] {
        v.sort_unstable();
        let q = |f: f64| v[((v.len() - 1) as f64 * f).round() as usize];
        let mean = v.iter().sum::<usize>() as f64 / v.len() as f64;
        println!("{label}: mean {mean:.1}, median {}, p90 {}, max {}", q(0.5), q(0.9), q(1.0));
    }
    Ok(())
}

fn generate_mazes(count: usize, side: usize, min_len: Option<usize>, seed: u64) -> Result<(), String> {
    let request = maze::GenerateRequest::new(side, min_len).map_err(|e| e.to_string())?;
    let mut rng = trm::rng::Rng::new(seed);
    let mut next = || rng.next_u64();
    println!("question,answer");
    for _ in 0..count {
        let (q, a) = request.generate(&mut next);
        println!("{},{}", q.to_line(), a.to_line());
    }
    Ok(())
}

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so printing into a closed pipe (`trm generate | head`) would panic;
    // the default action ends the process quietly, as other command-line tools do.
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any thread exists; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let result = match cli.cmd {
        Cmd::Solve { model, run, puzzle: text, file, test, copies, seed, cycles, restart_after, search } => (|| {
            let m = load_model(&model)?;
            let (text, name) = puzzle_text(text, file)?;
            let p = Puzzle::read(m.kind, m.config.seq_len, &text, &name, test).map_err(|e| e.to_string())?;
            let copies = copies.unwrap_or(if m.kind == PuzzleKind::Arc { 8 } else { 1 });
            if copies == 0 {
                return Err("--copies must be at least 1".into());
            }
            let mut opts = options(&m.config, &run);
            opts.cycle_answers = cycles;
            let round = SolveOptions { run: opts, copies, seed, stop_when_verified: false, first_copy: 0, restart_after };
            match search.options(round.clone()) {
                Some(so) => solve_search(m, &run, p, so),
                None => solve(m, &run, p, round),
            }
        })(),
        Cmd::Eval {
            model, run, puzzles, solutions, skip, limit, batch, copies: Some(copies), stop_when_verified, seed, restart_after, threads,
            search, ..
        } => {
            load_model(&model).and_then(|m| {
                let round = SolveOptions { run: options(&m.config, &run), copies, seed, first_copy: 0, stop_when_verified, restart_after };
                if let Some(so) = search.options(round) {
                    need_sudoku(&m)?;
                    let pairs = read_pairs_as_puzzles(&m, &puzzles, solutions.as_ref())?;
                    return eval_search(m, &run, window(&pairs, skip, limit), &so, threads);
                }
                if m.kind == PuzzleKind::Arc {
                    // ARC's copies are its augmentations, voted; no rules verify an answer.
                    if stop_when_verified || restart_after > 0 {
                        return Err("--stop-when-verified and --restart-after need rules to judge by: Sudoku and mazes".into());
                    }
                    return eval_arc(m, &run, puzzles, copies, skip, limit, batch, threads);
                }
                let pairs = read_pairs_as_puzzles(&m, &puzzles, solutions.as_ref())?;
                let co = CopiesOptions { copies, seed, stop_when_verified, restart_after };
                eval_copies(m, &run, window(&pairs, skip, limit), &co, batch, threads)
            })
        }
        Cmd::Eval { model, run, puzzles, augmentations, solutions, skip, limit, batch, threads, .. } => {
            load_model(&model).and_then(|m| match m.kind {
                PuzzleKind::Sudoku => eval(m, &run, puzzles, solutions, skip, limit, batch, threads),
                PuzzleKind::Maze if solutions.is_none() => eval_maze(m, &run, puzzles, skip, limit, batch, threads),
                PuzzleKind::Arc if solutions.is_none() => {
                    eval_arc(m, &run, puzzles, augmentations, skip, limit, batch, threads)
                }
                _ => Err("--solutions is for Sudoku; mazes come as one question,answer CSV and ARC tasks hold their outputs".into()),
            })
        }
        Cmd::Bench { model, backend, batch, steps, latent } => {
            load_model(&model).and_then(|m| bench(m, backend, batch, steps, latent))
        }
        Cmd::Rate { file } => rate(&file),
        Cmd::Info { model } => load_model(&model).map(info),
        Cmd::LatentBasis { model, examples, steps, out } => latent_basis(&model, &examples, steps, &out),
        Cmd::RandomModel { preset: p, out, seed } => (|| {
            let (cfg, kind) = preset(p);
            let bytes = Model::random(cfg, kind, seed).and_then(|m| m.to_bytes()).map_err(|e| e.to_string())?;
            std::fs::write(&out, bytes).map_err(|e| format!("{}: {e}", out.display()))
        })(),
        Cmd::Generate {
            kind: GenerateKind::Sudoku,
            count,
            difficulty,
            givens,
            min_guesses,
            min_tree_guesses,
            vicinity_of,
            vicinity_lines,
            swaps,
            seed,
            ..
        } => {
            let min = MinWork { guesses: min_guesses, tree_guesses: min_tree_guesses };
            match vicinity_of {
                Some(file) => generate_vicinity(count, &file, vicinity_lines, swaps, min, seed),
                None => generate(count, &difficulty, givens, min, seed),
            }
        }
        Cmd::Generate { kind: GenerateKind::Maze, count, side, min_len, seed, .. } => generate_mazes(count, side, min_len, seed),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
