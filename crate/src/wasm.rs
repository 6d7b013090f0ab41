//! The JavaScript surface (wasm-bindgen): load a model file, pick an engine (WebGPU with
//! the CPU engine as fallback), run a batch a supervision step at a time. Every function
//! returns a JS Error whose `name` says which kind of input was wrong (ModelError,
//! InputError, PuzzleError, GpuError); the panic hook covers whatever remains.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use wasm_bindgen::prelude::*;

use crate::cpu::CpuEngine;
use crate::engine::AnyEngine;
use crate::error::TrmError;
use crate::gpu::GpuEngine;
use crate::puzzle::Puzzle;
use crate::recursion::{Batch, Engine, Options, Pace, Run};
use crate::search::{Search, SearchOptions};
use crate::solve::{Solve, SolveOptions};
use crate::weights::Model;

/// A JS Error whose `name` is the error's family; a puzzle error also carries `cells` (0-based
/// indices of the cells at fault, empty where none is known) so that a page can mark them.
fn js_err(e: TrmError) -> JsValue {
    let err = js_sys::Error::new(&e.message());
    err.set_name(e.kind());
    if let TrmError::Puzzle { cells, .. } = &e {
        let _ = js_sys::Reflect::set(&err, &"cells".into(), &js_sys::Uint32Array::from(cells.as_slice()).into());
    }
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
    /// A puzzle-level solve (`begin`/`next`); starting either kind of run ends the other.
    solve: Option<Solving>,
    fallback_reason: Option<String>,
}

/// What `begin` started: copies, or copies with hypotheses (Sudoku).
enum Solving {
    Copies(Solve),
    Hypotheses(Box<Search>),
}

/// `begin`'s `hypotheses` option: crate::search's knobs; the round's copies and steps are
/// `copies` and `steps`. Unknown names are refused by the package, as for `BeginOptions`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct HypothesesOptions {
    /// Network steps per puzzle at most.
    budget: usize,
    agree: Option<f32>,
    branch: Option<usize>,
    cells: Option<usize>,
    branch_copies: Option<usize>,
    depth: Option<usize>,
}

/// `begin`'s options, as the npm package documents them (it refuses unknown names: serde
/// here only reads the fields it knows).
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct BeginOptions {
    steps: Option<usize>,
    #[serde(default)]
    early_halt: bool,
    threshold: Option<f32>,
    #[serde(default)]
    h_cycles: bool,
    copies: Option<usize>,
    seed: Option<f64>,
    #[serde(default)]
    stop_when_verified: bool,
    /// Run copies firstCopy .. firstCopy + copies of the plan (a worker pool's share).
    #[serde(default)]
    first_copy: usize,
    /// Steps each attempt of a copy gets before a failing copy starts over (0: never).
    #[serde(default)]
    restart_after: usize,
    /// Each step also carries the shown answer's y and z as colours (`latent`), for models
    /// with a latent basis.
    #[serde(default)]
    latent: bool,
    /// ARC: which test input of the task, and the task's name (its file's stem, which picks
    /// the model's puzzle-table rows).
    #[serde(default)]
    test: usize,
    task: Option<String>,
    /// Sudoku: think harder with hypotheses (crate::search) instead of copies alone.
    hypotheses: Option<HypothesesOptions>,
}

/// The option names serde reads for the struct `T`, as JavaScript spells them (after
/// `rename_all`): serde hands a deserializer its struct's field list, which this one keeps and
/// then stops. The package refuses any other name, so the names are written once, here.
fn option_names<'de, T: serde::Deserialize<'de>>() -> Vec<String> {
    use serde::de::{Error, Visitor};
    struct Names(&'static [&'static str]);
    impl<'de> serde::Deserializer<'de> for &mut Names {
        type Error = serde::de::value::Error;
        fn deserialize_struct<V: Visitor<'de>>(self, _: &'static str, fields: &'static [&'static str], _: V) -> Result<V::Value, Self::Error> {
            self.0 = fields;
            Err(Error::custom("field names read"))
        }
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(Error::custom("not a struct"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let mut names = Names(&[]);
    let _ = T::deserialize(&mut names);
    names.0.iter().map(|n| n.to_string()).collect()
}

/// The names `Solver.begin` reads in its options and in their `hypotheses`, for the package to
/// check a caller's options against: `{ solve, hypotheses }`.
#[wasm_bindgen(js_name = solveOptionNames)]
pub fn solve_option_names() -> Result<JsValue, JsValue> {
    to_js(&serde_json::json!({
        "solve": option_names::<BeginOptions>(),
        "hypotheses": option_names::<HypothesesOptions>(),
    }))
}

/// A model on an engine. Methods that wait on the GPU return Promises; calling one while
/// another is pending gives an InputError ("solver busy") instead of corrupting state.
#[wasm_bindgen]
pub struct Solver {
    inner: Rc<RefCell<Inner>>,
    /// Set by `cancel()` while a step runs (outside `inner`, which the step holds), read
    /// between its H cycles; cleared when a run begins.
    stop: Rc<Cell<bool>>,
    /// `setPace`'s function: a Promise that resolves in a new task of the JS event loop.
    next_task: Rc<RefCell<Option<js_sys::Function>>>,
}

/// Between the H cycles of a CPU step: a turn of the JS event loop (so a page stays
/// responsive and a Stop lands within a cycle of a long step), then go on unless cancelled. The
/// GPU engine only records work between cycles, so it takes no turn there.
struct JsPace {
    next_task: Option<js_sys::Function>,
    stop: Rc<Cell<bool>>,
}

impl Pace for JsPace {
    async fn go_on(&mut self) -> bool {
        if let Some(f) = &self.next_task {
            if let Ok(p) = f.call0(&JsValue::UNDEFINED).and_then(|p| p.dyn_into::<js_sys::Promise>().map_err(JsValue::from)) {
                let _ = wasm_bindgen_futures::JsFuture::from(p).await;
            }
        }
        !self.stop.get()
    }
}

impl Solver {
    fn pace(&self, engine: &AnyEngine) -> JsPace {
        let next_task = if engine.is_gpu() { None } else { self.next_task.borrow().clone() };
        JsPace { next_task, stop: self.stop.clone() }
    }
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
        Ok(Solver {
            inner: Rc::new(RefCell::new(Inner { model, engine, run: None, solve: None, fallback_reason })),
            stop: Rc::new(Cell::new(false)),
            next_task: Rc::new(RefCell::new(None)),
        })
    }

    /// The function the CPU engine awaits between the H cycles of a step: it must return a
    /// Promise that resolves in a new task of the event loop (trm-web's `nextTask`).
    #[wasm_bindgen(js_name = setPace)]
    pub fn set_pace(&self, next_task: js_sys::Function) {
        *self.next_task.borrow_mut() = Some(next_task);
    }

    /// Stops the run under way at its next H cycle: the pending `step`/`next` gives null, and
    /// so does every later one until a run begins.
    pub fn cancel(&self) {
        self.stop.set(true);
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

    /// True when the engine runs on a software WebGPU adapter (SwiftShader, lavapipe), where
    /// a solve is far slower than on the CPU engine.
    #[wasm_bindgen(getter, js_name = softwareAdapter)]
    pub fn software_adapter(&self) -> bool {
        match self.inner.try_borrow().as_deref() {
            Ok(Inner { engine: AnyEngine::Gpu(g), .. }) => g.context().software,
            _ => false,
        }
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

    /// Whether the model file carries a latent basis, so that `begin` takes `latent: true`.
    #[wasm_bindgen(getter, js_name = hasLatentBasis)]
    pub fn has_latent_basis(&self) -> bool {
        self.inner.try_borrow().map(|i| i.model.latent.is_some()).unwrap_or(false)
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
        let opts = Options { max_steps: steps as usize, early_halt, halt_threshold, cycle_answers, latent: false };
        let batch = Batch { tokens, puzzle_ids };
        i.run = None;
        i.solve = None;
        self.stop.set(false);
        let run = Run::start(&mut i.engine, &batch, opts).map_err(js_err)?;
        i.run = Some(run);
        Ok(())
    }

    /// The next supervision step: `{ step, puzzles: [{ tokens, probs, q_halt, cycles,
    /// halted_at }] }`, or null when the run is over.
    pub fn step(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        let mut pace = inner.try_borrow().map(|i| self.pace(&i.engine)).ok();
        wasm_bindgen_futures::future_to_promise(async move {
            let mut guard = inner.try_borrow_mut().map_err(|_| busy())?;
            let mut pace = pace.take().ok_or_else(busy)?;
            let i = &mut *guard;
            let run = i.run.as_mut().ok_or_else(|| js_err(TrmError::Input("call start() before step()".into())))?;
            match run.step_paced(&mut i.engine, &mut pace).await {
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

    /// Starts solving one puzzle as a person gives it: Sudoku text (81 characters with '.' or
    /// '0' for blanks, or 9 lines), a maze (30 lines or 900 characters of '#', ' ', 'S', 'G')
    /// or an ARC task's JSON, for a model of that kind. `options`: { steps, earlyHalt,
    /// threshold, hCycles, copies, seed, stopWhenVerified, firstCopy, restartAfter, latent, test, task,
    /// hypotheses: { budget, agree, branch, cells, branchCopies, depth } }. Returns the puzzle as
    /// parsed (`{ kind, puzzle, augmentations, expected, solutions, shortestPath }`).
    pub fn begin(&self, puzzle: String, options: JsValue) -> Result<JsValue, JsValue> {
        let mut guard = self.inner.try_borrow_mut().map_err(|_| busy())?;
        let i = &mut *guard;
        let o: BeginOptions = if options.is_undefined() || options.is_null() {
            BeginOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(|e| js_err(TrmError::Options(format!("solve options: {e}"))))?
        };
        let copies = o.copies.unwrap_or(if i.model.kind == crate::PuzzleKind::Arc { 8 } else { 1 });
        if copies == 0 || copies > 1024 {
            return Err(js_err(TrmError::Options(format!("copies must be in 1..=1024, not {copies}"))));
        }
        let seed = o.seed.unwrap_or(0.0);
        if !(seed >= 0.0 && seed.fract() == 0.0 && seed < 9.007e15) {
            return Err(js_err(TrmError::Options(format!("seed must be a whole number from 0, not {seed}"))));
        }
        let p = Puzzle::read(i.model.kind, i.model.config.seq_len, &puzzle, o.task.as_deref().unwrap_or("task"), o.test).map_err(js_err)?;
        let opts = SolveOptions {
            run: Options {
                // With hypotheses, a round's steps (crate::search's measured choice).
                max_steps: o.steps.unwrap_or(if o.hypotheses.is_some() { crate::search::ROUND_STEPS } else { i.model.config.halt_max_steps }),
                early_halt: o.early_halt,
                halt_threshold: o.threshold.unwrap_or(0.5),
                cycle_answers: o.h_cycles,
                latent: o.latent,
            },
            copies,
            seed: seed as u64,
            stop_when_verified: o.stop_when_verified,
            first_copy: o.first_copy,
            restart_after: o.restart_after,
        };
        i.run = None;
        i.solve = None;
        self.stop.set(false);
        let solving = match o.hypotheses {
            None => Solving::Copies(Solve::start(&mut i.engine, &i.model, p, opts).map_err(js_err)?),
            Some(h) => {
                let so = SearchOptions {
                    round: opts,
                    budget: h.budget,
                    agree: h.agree.unwrap_or(crate::search::AGREE),
                    branch: h.branch.unwrap_or(crate::search::BRANCH),
                    cells: h.cells.unwrap_or(crate::search::CELLS),
                    branch_copies: h.branch_copies.unwrap_or(crate::search::BRANCH_COPIES),
                    depth: h.depth.unwrap_or(crate::search::DEPTH),
                };
                Solving::Hypotheses(Box::new(Search::start(&mut i.engine, &i.model, p, so).map_err(js_err)?))
            }
        };
        let info = match &solving {
            Solving::Copies(s) => s.info(),
            Solving::Hypotheses(s) => s.info(),
        };
        i.solve = Some(solving);
        to_js(&info)
    }

    /// The next supervision step of the solve `begin` started, with every copy's answer
    /// decoded, judged and voted (crate::solve::SolveStep), or null when it is over.
    pub fn next(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        let mut pace = inner.try_borrow().map(|i| self.pace(&i.engine)).ok();
        wasm_bindgen_futures::future_to_promise(async move {
            let mut guard = inner.try_borrow_mut().map_err(|_| busy())?;
            let mut pace = pace.take().ok_or_else(busy)?;
            let i = &mut *guard;
            let solve = i.solve.as_mut().ok_or_else(|| js_err(TrmError::Input("call begin() before next()".into())))?;
            let step = match solve {
                Solving::Copies(s) => s.step_paced(&mut i.engine, &mut pace).await.map(|s| s.map(|s| to_js(&s))),
                Solving::Hypotheses(s) => s.step_paced(&mut i.engine, &i.model, &mut pace).await.map(|s| s.map(|s| to_js(&s))),
            };
            match step {
                Ok(Some(step)) => step,
                Ok(None) => Ok(JsValue::NULL),
                Err(e) => {
                    i.solve = None;
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

/// One step of a puzzle whose copies ran as shares on several workers, each share a step of
/// `Solver.next` for its part of one plan, merged as one batch would have reported it
/// (crate::solve::merge): a pool of workers forwards its shares here and decides nothing.
#[wasm_bindgen(js_name = mergeSteps)]
pub fn merge_steps(parts: JsValue) -> Result<JsValue, JsValue> {
    let parts: Vec<crate::solve::SolveStep> = serde_wasm_bindgen::from_value(parts)
        .map_err(|e| js_err(TrmError::Input(format!("mergeSteps takes the shares' steps as Solver.next gives them: {e}"))))?;
    to_js(&crate::solve::merge(parts).map_err(js_err)?)
}

/// Parses a Sudoku (81 characters with '.' or '0' for blanks, or 9 lines of 9) and checks
/// its givens for clashes; returns the 81 cells (0 = blank).
#[wasm_bindgen(js_name = parseSudoku)]
pub fn parse_sudoku(text: &str) -> Result<Vec<u8>, JsValue> {
    match Puzzle::parse(crate::PuzzleKind::Sudoku, text).map_err(js_err)? {
        Puzzle::Sudoku(g) => Ok(g.cells.to_vec()),
        other => Err(js_err(TrmError::Input(format!("expected a sudoku, parsed a {}", other.kind().as_str())))),
    }
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
// ARC and mazes: thin wrappers over crate::puzzle, so the page runs the same codecs and
// path checks as `trm eval`.
// -------------------------------------------------------------------------------------------

fn puzzle_err(message: String) -> JsValue {
    js_err(TrmError::puzzle(message))
}

fn to_js<T: serde::Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    // Plain objects (not Maps), so the page can read fields and post them between threads.
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_err(TrmError::Input(e.to_string())))
}

/// The tokens a model of `kind` ("sudoku", "maze", "arc": an ARC task's first test input)
/// reads for a puzzle given as text, for tools that run token batches (`Solver.start`,
/// ONNX Runtime) without encoding anything themselves.
#[wasm_bindgen(js_name = puzzleTokens)]
pub fn puzzle_tokens(kind: &str, text: &str) -> Result<Vec<u32>, JsValue> {
    let kind = crate::PuzzleKind::parse(kind).map_err(js_err)?;
    let p = Puzzle::read(kind, crate::puzzle::arc::SEQ_LEN, text, "task", 0).map_err(js_err)?;
    Ok(p.plan(None, 1, 0).swap_remove(0).tokens)
}

/// Parses an ARC task file's JSON: `{ train: [{ input, output }], test: [{ input, output? }] }`
/// with grids as arrays of rows. Errors name the pair and cell.
#[wasm_bindgen(js_name = parseArcTask)]
pub fn parse_arc_task(json: &str) -> Result<JsValue, JsValue> {
    let task = crate::puzzle::arc::parse_task(json).map_err(|e| puzzle_err(e.to_string()))?;
    to_js(&task)
}

/// Parses a square maze (n lines of n characters `#`, space, `S`, `G`, optionally `o`, or one
/// line of n*n; n from 3 to 30, 30 for Maze-Hard) and gives it back as `{ width, height, rows }`
/// with any `o` path cells made open. A maze whose goal cannot be reached is refused here,
/// before any model runs on it.
#[wasm_bindgen(js_name = parseMaze)]
pub fn parse_maze(text: &str) -> Result<JsValue, JsValue> {
    match Puzzle::parse(crate::PuzzleKind::Maze, text).map_err(js_err)? {
        Puzzle::Maze(m) => to_js(&crate::solve::GridView::from(&crate::puzzle::Answer::Maze(m))),
        other => Err(js_err(TrmError::Input(format!("expected a maze, parsed a {}", other.kind().as_str())))),
    }
}

/// A new maze and its answer: `{ question, answer }` as `side` lines of text each, the answer
/// with its path in `o`. Side 30 (the default) gives a Maze-Hard-like maze whose shortest path
/// is longer than `min_len` (Maze-Hard uses 110); an odd side from 5 to 29 gives a corridor
/// maze (one route between any two cells) with a path longer than `min_len`.
#[wasm_bindgen(js_name = generateMaze)]
pub fn generate_maze(seed: f64, min_len: u32, side: Option<u32>) -> Result<JsValue, JsValue> {
    use crate::puzzle::maze;
    let side = side.map_or(maze::SIDE, |s| s as usize);
    let request =
        maze::GenerateRequest::new(side, Some(min_len as usize)).map_err(|e| js_err(TrmError::Options(e.to_string())))?;
    let mut rng = crate::rng::Rng::new(seed as u64);
    let (q, a) = request.generate(&mut rng);
    #[derive(serde::Serialize)]
    struct Pair {
        question: String,
        answer: String,
    }
    to_js(&Pair { question: q.to_text(), answer: a.to_text() })
}

/// Checks an answer (maze text with its path in `o`) against a question (maze text):
/// `{ valid, shortest, length, shortest_length, reason }` (reason is null exactly when the
/// path is valid and shortest).
#[wasm_bindgen(js_name = checkMazePath)]
pub fn check_maze_path(question: &str, answer: &str) -> Result<JsValue, JsValue> {
    use crate::puzzle::maze;
    let q = maze::parse(question).map_err(|e| puzzle_err(format!("question: {e}")))?.question();
    let a = maze::parse_cells(answer).map_err(|e| puzzle_err(format!("answer: {e}")))?;
    to_js(&maze::check_path(&q, &a))
}
