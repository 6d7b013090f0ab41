use std::path::PathBuf;
use std::sync::Arc;

use clap::ValueEnum;
use trm::config::Config;
use trm::cpu::CpuEngine;
use trm::engine::AnyEngine;
use trm::gpu::ops::matmul::Tile;
use trm::gpu::{GpuContext, GpuEngine};
use trm::search::SearchOptions;
use trm::solve::SolveOptions;
use trm::{block_on, Engine, Model, Options, PuzzleKind};

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Backend {
    Cpu,
    /// wgpu on the system's GPU (Vulkan, Metal or DX12; Mesa's lavapipe works too).
    Gpu,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum RandomPreset {
    /// TRM-MLP Sudoku: D=512, T=3, n=6, seq 81 + 16 prefix.
    Sudoku,
    /// TRM-Att ARC: D=512, 8 heads, T=3, n=4, seq 900 + 16 prefix.
    Arc,
    /// TRM-Att maze: as ARC with vocabulary 6.
    Maze,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum GenerateKind {
    Sudoku,
    Maze,
}

#[derive(clap::Args)]
pub(crate) struct ModelArgs {
    /// A trm-web model file (.safetensors).
    #[arg(long, conflicts_with = "random")]
    model: Option<PathBuf>,
    /// Use random weights in the paper's configuration instead of a file.
    #[arg(long)]
    random: Option<RandomPreset>,
}

/// Thinking harder with hypotheses (Sudoku, `trm::search`).
#[derive(clap::Args)]
pub(crate) struct SearchArgs {
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
    /// With --search-budget: doubted cells one tally branches on, one after another, before
    /// the bare puzzle runs again.
    #[arg(long, default_value_t = trm::search::CELLS, requires = "search_budget")]
    cells: usize,
    /// With --search-budget: copies a round on hypotheses runs (0: as many as --copies).
    #[arg(long, default_value_t = trm::search::BRANCH_COPIES, requires = "search_budget")]
    branch_copies: usize,
    /// With --search-budget: layers of hypotheses before a branch that finds nothing is
    /// withdrawn.
    #[arg(long, default_value_t = trm::search::DEPTH, requires = "search_budget")]
    depth: usize,
}

impl SearchArgs {
    /// The search's options around a round of `round`, when --search-budget asks for one.
    pub(crate) fn options(&self, mut round: SolveOptions, run: &RunArgs) -> Option<SearchOptions> {
        let budget = self.search_budget?;
        // A round's steps: --steps where given, else the measured choice (not the model's 16).
        round.run.max_steps = run.steps.unwrap_or(trm::search::ROUND_STEPS);
        Some(SearchOptions { round: SolveOptions { stop_when_verified: true, restart_after: 0, ..round }, budget, agree: self.agree, branch: self.branch, cells: self.cells, branch_copies: self.branch_copies, depth: self.depth })
    }
}

#[derive(clap::Args)]
pub(crate) struct RunArgs {
    /// Supervision steps (default: the model's halt_max_steps, 16 for the paper's models; with
    /// --search-budget, a round's steps, default the measured choice).
    #[arg(long)]
    steps: Option<usize>,
    /// Stop a puzzle once sigmoid(q_halt) passes the threshold.
    #[arg(long)]
    early_halt: bool,
    #[arg(long, default_value_t = 0.5)]
    threshold: f32,
    #[arg(long, value_enum, default_value = "cpu")]
    pub(crate) backend: Backend,
}

pub(crate) fn preset(p: RandomPreset) -> (Config, PuzzleKind) {
    let kind = match p {
        RandomPreset::Sudoku => PuzzleKind::Sudoku,
        RandomPreset::Arc => PuzzleKind::Arc,
        RandomPreset::Maze => PuzzleKind::Maze,
    };
    (kind.paper_config(), kind)
}

pub(crate) fn load_model(a: &ModelArgs) -> Result<Arc<Model>, String> {
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

pub(crate) fn options(cfg: &Config, r: &RunArgs) -> Options {
    Options {
        max_steps: r.steps.unwrap_or(cfg.halt_max_steps),
        early_halt: r.early_halt,
        halt_threshold: r.threshold,
        cycle_answers: false,
        latent: false,
    }
}

pub(crate) fn engine(model: Arc<Model>, backend: Backend) -> Result<AnyEngine, String> {
    engine_with_tile(model, backend, Tile::DEFAULT)
}

/// The engine with the GPU's matmul on `tile` (`trm bench --tile`; the CPU engine has none).
pub(crate) fn engine_with_tile(model: Arc<Model>, backend: Backend, tile: Tile) -> Result<AnyEngine, String> {
    Ok(match backend {
        Backend::Cpu => AnyEngine::Cpu(CpuEngine::new(model)),
        Backend::Gpu => {
            let ctx = Arc::new(block_on(GpuContext::new()).map_err(|e| e.to_string())?);
            AnyEngine::Gpu(Box::new(GpuEngine::with_tile(ctx, model, tile).map_err(|e| e.to_string())?))
        }
    })
}

/// Evaluates `items` in contiguous parts, one per thread, each on its own engine: the CPU
/// engine computes on one core, so every core takes a share of the batches (the GPU backend
/// takes them all in one part). Gives the engine's description and each part's result, in
/// input order.
pub(crate) fn in_parts<T: Sync, R: Send>(
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
pub(crate) fn submissions(e: &AnyEngine) -> Option<u64> {
    match e {
        AnyEngine::Gpu(g) => Some(g.submissions()),
        AnyEngine::Cpu(_) => None,
    }
}

/// GPU dispatches recorded so far (the CPU engine has none).
pub(crate) fn dispatches(e: &AnyEngine) -> Option<u64> {
    match e {
        AnyEngine::Gpu(g) => Some(g.dispatches()),
        AnyEngine::Cpu(_) => None,
    }
}

pub(crate) fn need_sudoku(model: &Model) -> Result<(), String> {
    model.expect_kind(PuzzleKind::Sudoku).map_err(|e| e.to_string())
}

pub(crate) fn read_text(p: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

pub(crate) fn window<T>(items: &[T], skip: usize, limit: Option<usize>) -> &[T] {
    let items = &items[skip.min(items.len())..];
    &items[..limit.unwrap_or(items.len()).min(items.len())]
}
