//! The JavaScript surface (wasm-bindgen): load a model file, pick an engine (WebGPU with
//! the CPU engine as fallback), run a batch a supervision step at a time. Every function
//! returns a JS Error whose `name` says which kind of input was wrong (ModelError,
//! InputError, PuzzleError, GpuError); the panic hook covers whatever remains.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use wasm_bindgen::prelude::*;

use crate::cpu::CpuEngine;
use crate::engine::AnyEngine;
use crate::error::TrmError;
use crate::gpu::GpuEngine;
use crate::recursion::{Batch, Engine, Options, Run};
use crate::weights::Model;

fn js_err(e: TrmError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name(e.kind());
    err.into()
}

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

struct Inner {
    model: Arc<Model>,
    engine: AnyEngine,
    run: Option<Run>,
    fallback_reason: Option<String>,
}

/// A model on an engine. Methods that wait on the GPU return Promises; calling one while
/// another is pending gives an InputError ("solver busy") instead of corrupting state.
#[wasm_bindgen]
pub struct Solver {
    inner: Rc<RefCell<Inner>>,
}

fn busy() -> JsValue {
    js_err(TrmError::Input("the solver is busy with another call; await it first".into()))
}

#[wasm_bindgen]
impl Solver {
    /// `backend`: "auto" (WebGPU on a hardware adapter, else CPU with the reason in
    /// `fallbackReason`),
    /// "webgpu" (error when WebGPU is missing) or "cpu".
    pub async fn create(model_bytes: Vec<u8>, backend: String) -> Result<Solver, JsValue> {
        let model = Arc::new(Model::from_bytes(&model_bytes).map_err(js_err)?);
        let (engine, fallback_reason) = match backend.as_str() {
            "cpu" => (AnyEngine::Cpu(CpuEngine::new(model.clone())), None),
            "webgpu" => (AnyEngine::Gpu(Box::new(GpuEngine::new(model.clone()).await.map_err(js_err)?)), None),
            "auto" => match GpuEngine::new(model.clone()).await {
                Ok(g) if g.context().software => (
                    AnyEngine::Cpu(CpuEngine::new(model.clone())),
                    Some(format!(
                        "the only WebGPU adapter here is a software renderer ({}); the CPU engine is faster on this machine",
                        g.name()
                    )),
                ),
                Ok(g) => (AnyEngine::Gpu(Box::new(g)), None),
                Err(e) => (AnyEngine::Cpu(CpuEngine::new(model.clone())), Some(e.to_string())),
            },
            other => {
                return Err(js_err(TrmError::Options(format!(
                    "backend must be \"auto\", \"webgpu\" or \"cpu\", not {other:?}"
                ))))
            }
        };
        Ok(Solver { inner: Rc::new(RefCell::new(Inner { model, engine, run: None, fallback_reason })) })
    }

    /// "CPU" or the WebGPU adapter's name.
    #[wasm_bindgen(getter)]
    pub fn engine(&self) -> String {
        self.inner.try_borrow().map(|i| i.engine.name()).unwrap_or_default()
    }

    #[wasm_bindgen(getter, js_name = isGpu)]
    pub fn is_gpu(&self) -> bool {
        self.inner.try_borrow().map(|i| i.engine.is_gpu()).unwrap_or(false)
    }

    /// Why "auto" fell back to the CPU, if it did.
    #[wasm_bindgen(getter, js_name = fallbackReason)]
    pub fn fallback_reason(&self) -> Option<String> {
        self.inner.try_borrow().ok().and_then(|i| i.fallback_reason.clone())
    }

    /// GPU command submissions so far (one per supervision step); 0 on the CPU.
    #[wasm_bindgen(getter)]
    pub fn submissions(&self) -> f64 {
        match self.inner.try_borrow().as_deref() {
            Ok(Inner { engine: AnyEngine::Gpu(g), .. }) => g.submissions() as f64,
            _ => 0.0,
        }
    }

    /// "sudoku", "arc" or "maze".
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.inner.try_borrow().map(|i| i.model.kind.as_str().to_string()).unwrap_or_default()
    }

    /// The model's configuration as a JS object (docs/MODEL.md names).
    #[wasm_bindgen(getter)]
    pub fn config(&self) -> Result<JsValue, JsValue> {
        let i = self.inner.try_borrow().map_err(|_| busy())?;
        serde_wasm_bindgen::to_value(&i.model.config).map_err(|e| js_err(TrmError::Input(e.to_string())))
    }

    /// Puzzle-table row names, when the model has them.
    #[wasm_bindgen(getter, js_name = puzzleRows)]
    pub fn puzzle_rows(&self) -> Option<Vec<String>> {
        self.inner.try_borrow().ok().and_then(|i| i.model.puzzle_rows.clone())
    }

    /// Starts a run of a batch: `tokens` is [batch * seq_len], `puzzle_ids` [batch].
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        &self,
        tokens: Vec<u32>,
        puzzle_ids: Vec<u32>,
        steps: u32,
        early_halt: bool,
        halt_threshold: f32,
        cycle_answers: bool,
    ) -> Result<(), JsValue> {
        let mut i = self.inner.try_borrow_mut().map_err(|_| busy())?;
        let opts = Options { max_steps: steps as usize, early_halt, halt_threshold, cycle_answers };
        let batch = Batch { tokens, puzzle_ids };
        i.run = None;
        let run = Run::start(&mut i.engine, &batch, opts).map_err(js_err)?;
        i.run = Some(run);
        Ok(())
    }

    /// The next supervision step: `{ step, puzzles: [{ tokens, probs, q_halt, cycles,
    /// halted_at }] }`, or null when the run is over.
    pub fn step(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let mut guard = inner.try_borrow_mut().map_err(|_| busy())?;
            let i = &mut *guard;
            let run = i.run.as_mut().ok_or_else(|| js_err(TrmError::Input("call start() before step()".into())))?;
            match run.step(&mut i.engine).await {
                Ok(Some(report)) => serde_wasm_bindgen::to_value(&report).map_err(|e| js_err(TrmError::Input(e.to_string()))),
                Ok(None) => Ok(JsValue::NULL),
                Err(e) => {
                    // A failed step leaves the engine's state unknown: end the run.
                    i.run = None;
                    Err(js_err(e))
                }
            }
        })
    }

    /// Logits of the last step [batch * seq_len * vocab] (for tests and tools).
    pub fn logits(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let guard = inner.try_borrow().map_err(|_| busy())?;
            let v = match &guard.engine {
                AnyEngine::Cpu(c) => c.logits().to_vec(),
                AnyEngine::Gpu(g) => g.read_logits().await.map_err(js_err)?,
            };
            Ok(js_sys::Float32Array::from(v.as_slice()).into())
        })
    }
}

/// A Sudoku error as a JS Error named "PuzzleError", with `cells` (0-based indices of the
/// offending cells) so a page can mark them.
fn sudoku_err(e: crate::puzzle::sudoku::SudokuError) -> JsValue {
    use crate::puzzle::sudoku::SudokuError as S;
    let cells: Vec<u32> = match &e {
        S::BadChar { index, .. } | S::BadValue { index, .. } => vec![*index as u32],
        S::Clash { a, b, .. } => vec![((a.0 - 1) * 9 + a.1 - 1) as u32, ((b.0 - 1) * 9 + b.1 - 1) as u32],
        _ => vec![],
    };
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("PuzzleError");
    let _ = js_sys::Reflect::set(&err, &"cells".into(), &js_sys::Uint32Array::from(cells.as_slice()).into());
    err.into()
}

/// Parses a Sudoku (81 characters with '.' or '0' for blanks, or 9 lines of 9) and checks
/// its givens for clashes; returns the 81 cells (0 = blank).
#[wasm_bindgen(js_name = parseSudoku)]
pub fn parse_sudoku(text: &str) -> Result<Vec<u8>, JsValue> {
    use crate::puzzle::sudoku;
    let g = sudoku::parse(text).map_err(sudoku_err)?;
    sudoku::validate(&g).map_err(sudoku_err)?;
    Ok(g.cells.to_vec())
}

/// Indices of the cells that break a rule (same digit twice in a row, column or box).
#[wasm_bindgen(js_name = sudokuClashes)]
pub fn sudoku_clashes(cells: &[u8]) -> Result<Vec<u32>, JsValue> {
    use crate::puzzle::sudoku;
    let g = grid(cells)?;
    let mut out: Vec<u32> = sudoku::clashes(&g).into_iter().flat_map(|(a, b)| [a as u32, b as u32]).collect();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Whether `answer` (81 cells) completes `puzzle` without breaking a rule.
#[wasm_bindgen(js_name = isSudokuSolution)]
pub fn is_sudoku_solution(puzzle: &[u8], answer: &[u8]) -> Result<bool, JsValue> {
    Ok(crate::puzzle::sudoku::is_solution_of(&grid(puzzle)?, &grid(answer)?))
}

/// Number of solutions, counted up to `limit` (2 tells unique from ambiguous).
#[wasm_bindgen(js_name = sudokuSolutionCount)]
pub fn sudoku_solution_count(cells: &[u8], limit: u32) -> Result<u32, JsValue> {
    Ok(crate::puzzle::sudoku::count_solutions(&grid(cells)?, limit as usize) as u32)
}

/// Solves a Sudoku exactly (backtracking), for showing the expected answer.
#[wasm_bindgen(js_name = solveSudoku)]
pub fn solve_sudoku(cells: &[u8]) -> Result<Option<Vec<u8>>, JsValue> {
    Ok(crate::puzzle::sudoku::solve(&grid(cells)?).map(|g| g.cells.to_vec()))
}

fn grid(cells: &[u8]) -> Result<crate::puzzle::sudoku::Grid, JsValue> {
    if cells.len() != 81 || cells.iter().any(|&c| c > 9) {
        return Err(js_err(TrmError::Input("a Sudoku is 81 cells of 0 (blank) to 9".into())));
    }
    let mut g = crate::puzzle::sudoku::Grid::empty();
    g.cells.copy_from_slice(cells);
    Ok(g)
}

// -------------------------------------------------------------------------------------------
// ARC and mazes: thin wrappers over crate::puzzle, so the page runs the same codecs, voting
// and path checks as `trm eval`.
// -------------------------------------------------------------------------------------------

fn puzzle_err(message: String) -> JsValue {
    let err = js_sys::Error::new(&message);
    err.set_name("PuzzleError");
    err.into()
}

fn to_js<T: serde::Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    // Plain objects (not Maps), so the page can read fields and post them between threads.
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_err(TrmError::Input(e.to_string())))
}

/// Parses an ARC task file's JSON: `{ train: [{ input, output }], test: [{ input, output? }] }`
/// with grids as arrays of rows. Errors name the pair and cell.
#[wasm_bindgen(js_name = parseArcTask)]
pub fn parse_arc_task(json: &str) -> Result<JsValue, JsValue> {
    let task = crate::puzzle::arc::parse_task(json).map_err(|e| puzzle_err(e.to_string()))?;
    to_js(&task)
}

#[derive(serde::Serialize)]
struct ArcCopy {
    /// The reference's name of the task under this augmentation (what `arcAnswer` reads back).
    name: String,
    dihedral: &'static str,
    colours: Vec<u8>,
    #[serde(rename = "puzzleId")]
    puzzle_id: u32,
    tokens: Vec<u32>,
}

/// The augmented copies of an ARC test input (`grid_json`: its rows as JSON) to run as one
/// batch, identity first: the model's own puzzle rows for `task` when `puzzle_rows` has them,
/// else the dihedral set and colour permutations on row 0. `[{ name, dihedral, colours,
/// puzzleId, tokens }]`.
#[wasm_bindgen(js_name = arcPlan)]
pub fn arc_plan(grid_json: &str, puzzle_rows: Option<Vec<String>>, task: &str, k: u32) -> Result<JsValue, JsValue> {
    use crate::puzzle::arc;
    let g = arc::parse_grid(grid_json).map_err(|e| puzzle_err(e.to_string()))?;
    if k == 0 || k > 1024 {
        return Err(js_err(TrmError::Options(format!("augmentations must be in 1..=1024, not {k}"))));
    }
    let copies: Vec<ArcCopy> = arc::test_plan(puzzle_rows.as_deref(), task, k as usize, 0)
        .into_iter()
        .map(|(aug, id)| ArcCopy {
            name: aug.puzzle_name(task),
            dihedral: aug.dihedral.name(),
            colours: aug.colours.0.to_vec(),
            puzzle_id: id,
            tokens: arc::encode(&aug.apply(&g)).to_vec(),
        })
        .collect();
    to_js(&copies)
}

/// An augmented copy's answer (900 tokens) as a grid in the original orientation and colours
/// (rows), or null when the tokens hold no grid. `name` is the copy's name from `arcPlan`.
#[wasm_bindgen(js_name = arcAnswer)]
pub fn arc_answer(tokens: &[u32], name: &str) -> Result<JsValue, JsValue> {
    use crate::puzzle::arc;
    let (_, aug) = arc::Augmentation::from_puzzle_name(name)
        .ok_or_else(|| js_err(TrmError::Input(format!("`{name}` is not an augmentation name from arcPlan"))))?;
    if tokens.len() != arc::SEQ_LEN {
        return Err(js_err(TrmError::Input(format!("an ARC answer is {} tokens, not {}", arc::SEQ_LEN, tokens.len()))));
    }
    match arc::decode(tokens) {
        Some(g) => to_js(&aug.inverse().apply(&g)),
        None => Ok(JsValue::NULL),
    }
}

#[derive(serde::Deserialize)]
struct Candidate {
    grid: Option<Vec<Vec<u8>>>,
    /// sigmoid(q_halt) of the copy that gave it.
    confidence: f32,
}

#[derive(serde::Serialize)]
struct Ranked {
    grid: crate::puzzle::arc::Grid,
    count: usize,
    confidence: f32,
}

/// Votes over the copies' answers (`[{ grid: rows | null, confidence }]`) as the reference
/// does: by count, then mean confidence. `[{ grid, count, confidence }]`, best first.
#[wasm_bindgen(js_name = arcVote)]
pub fn arc_vote(candidates: JsValue) -> Result<JsValue, JsValue> {
    use crate::puzzle::arc;
    let cands: Vec<Candidate> =
        serde_wasm_bindgen::from_value(candidates).map_err(|e| js_err(TrmError::Input(format!("candidates: {e}"))))?;
    let mut grids = Vec::new();
    for (i, c) in cands.into_iter().enumerate() {
        let Some(rows) = c.grid else { continue };
        let g = arc::Grid::from_rows(&rows).map_err(|e| js_err(TrmError::Input(format!("candidate {i}: {e}"))))?;
        grids.push((g, c.confidence));
    }
    let ranked: Vec<Ranked> =
        arc::vote(&grids).into_iter().map(|(grid, count, confidence)| Ranked { grid, count, confidence }).collect();
    to_js(&ranked)
}

/// Parses a 30x30 maze (30 lines of `#`, space, `S`, `G`, optionally `o`, or one 900-character
/// line) to its question tokens (any `o` path cells become open).
#[wasm_bindgen(js_name = parseMaze)]
pub fn parse_maze(text: &str) -> Result<Vec<u32>, JsValue> {
    use crate::puzzle::maze;
    let m = maze::parse(text).map_err(|e| puzzle_err(e.to_string()))?;
    Ok(maze::encode(&m.question()).to_vec())
}

/// A new hard maze (shortest path longer than `min_len`, Maze-Hard uses 110):
/// `{ question, answer }` as tokens.
#[wasm_bindgen(js_name = generateMaze)]
pub fn generate_maze(seed: f64, min_len: u32) -> Result<JsValue, JsValue> {
    use crate::puzzle::maze;
    if min_len as usize > maze::MAX_MIN_LEN {
        return Err(js_err(TrmError::Options(format!(
            "min_len {min_len} is beyond what 30x30 mazes reach ({})",
            maze::MAX_MIN_LEN
        ))));
    }
    let mut rng = crate::rng::Rng::new(seed as u64);
    let mut next = || rng.next_u64();
    let (q, a) = maze::generate(&mut next, min_len as usize);
    #[derive(serde::Serialize)]
    struct Pair {
        question: Vec<u32>,
        answer: Vec<u32>,
    }
    to_js(&Pair { question: maze::encode(&q).to_vec(), answer: maze::encode(&a).to_vec() })
}

/// Checks a model's answer tokens against the question tokens: `{ valid, shortest, length,
/// shortest_length, reason }` (reason is null exactly when the path is valid and shortest).
#[wasm_bindgen(js_name = checkMazePath)]
pub fn check_maze_path(question: &[u32], answer: &[u32]) -> Result<JsValue, JsValue> {
    use crate::puzzle::maze;
    let q = maze::decode(question).map_err(|e| puzzle_err(format!("question: {e}")))?;
    to_js(&maze::check_tokens(&q, answer))
}
