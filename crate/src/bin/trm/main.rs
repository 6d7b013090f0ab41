//! The native command line: run a model on a puzzle, evaluate it on a puzzle set, time a
//! supervision step, generate Sudoku puzzles. A thin adapter over the library.

mod args;
mod bench;
mod eval;
mod generate;
mod info;
mod latent;
mod solve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use trm::eval::CopiesOptions;
use trm::puzzle::{maze, Puzzle};
use trm::solve::SolveOptions;
use trm::{Model, PuzzleKind};

use args::{load_model, need_sudoku, options, preset, window, Backend, GenerateKind, ModelArgs, RandomPreset, RunArgs, SearchArgs};
use bench::bench;
use eval::{eval, eval_arc, eval_copies, eval_maze, eval_search, read_pairs_as_puzzles};
use generate::{generate, generate_mazes, generate_vicinity, rate, MinWork};
use info::info;
use latent::latent_basis;
use solve::{puzzle_text, solve, solve_search};

#[derive(Parser)]
#[command(name = "trm", version, about = "Tiny Recursive Model: solve, evaluate, benchmark")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
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
        /// GPU: after the timed steps, profile two more with a compute pass per dispatch and
        /// print the GPU time of each op at each size (timestamp queries), with its GFLOP/s
        /// and GB/s, and how much of a step the GPU is busy.
        #[arg(long)]
        profile: bool,
        /// GPU: the matmul's tile, rows x columns x K-step, then `v4` for each invocation's
        /// block read as vec4s or nothing for strided blocks (the engine's own is 64x64x16v4),
        /// for tiling studies; a tile the device cannot run is refused with the limit it breaks.
        #[arg(long)]
        tile: Option<String>,
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
            match search.options(round.clone(), &run) {
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
                if let Some(so) = search.options(round.clone(), &run) {
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
        Cmd::Bench { model, backend, batch, steps, latent, profile, tile } => {
            load_model(&model).and_then(|m| bench(m, backend, batch, steps, latent, profile, tile.as_deref()))
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
