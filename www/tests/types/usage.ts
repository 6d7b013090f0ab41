// Every export of trm-web used as an app would, type-checked with `tsc --noEmit` under
// moduleResolution "bundler" against the installed package (www/tests/apps.test.mjs).
import {
  TrmError, NoWebGPUError, PuzzleError, ModelError, GpuError, InputError,
  loadSolver, clearCache, fetchModel, initWasm, typed,
  parseSudoku, sudokuClashes, isSudokuSolution, sudokuSolutionCount, solveSudoku,
  parseArcTask, parseMaze, generateMaze, checkMazePath, puzzleTokens, puzzleText, mergeSteps,
  SHIPPED_SHA256, SHIPPED_MODELS, DEFAULT_MODEL_URL, DEFAULT_MODEL_SHA256,
  type Backend, type PuzzleKind, type Progress, type ModelConfig, type LoadOptions, type SolveOptions,
  type GridView, type Verdict, type PuzzleInfo, type CopyStep, type Step, type Solver, type BatchOptions,
  type BatchStep, type ArcGrid, type ArcTask, type MazeVerdict, TrmSolver, type LatentColours, type ShippedModel, type Hypothesis,
} from 'trm-web';
import { createWorkerSolver, type WorkerSolver } from 'trm-web/worker-client';
import maze from 'trm-web/model-url/maze';
import maze11 from 'trm-web/model-url/maze11';

export async function everything(): Promise<string[]> {
  const out: string[] = [];
  const backend: Backend = 'cpu';
  const onProgress = (p: Progress) => out.push(`${p.loaded}/${p.total}`);
  const load: LoadOptions = { backend, onProgress, cache: true };
  await initWasm();
  const bytes: Uint8Array = await fetchModel(DEFAULT_MODEL_URL, { sha256: DEFAULT_MODEL_SHA256 });
  const solver: Solver = await loadSolver({ ...load, model: bytes });
  const also: TrmSolver = await loadSolver({ model: maze });
  const config: ModelConfig = solver.config;
  const kind: PuzzleKind = also.kind;
  out.push(kind, String(config.hidden_size), SHIPPED_SHA256.sudoku, SHIPPED_MODELS.sudoku.url, maze.url);
  const options: SolveOptions = {
    steps: 32, copies: 8, stopWhenVerified: true, restartAfter: 8, latent: solver.hasLatentBasis, onPuzzle: (i: PuzzleInfo) => out.push(i.kind),
  };
  for await (const step of solver.solve('..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..', options)) {
    const s: Step = step;
    const grid: GridView | null = s.answer;
    const verdict: Verdict = s.verdict;
    const copies: CopyStep[] = s.copies;
    const latent: LatentColours | null = s.latent ?? copies[s.chosen].latent;
    out.push(String(latent?.y.length), String(s.cycleLatent.length));
    out.push(`${grid?.rows.join('')} ${verdict.verdict} ${copies.map((c) => c.attempt).join(',')}`);
  }
  const search: SolveOptions = { copies: 4, steps: 8, hypotheses: { budget: 64, branch: 2, depth: 3 } };
  for await (const step of solver.solve('..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..', search)) {
    const given: Hypothesis[] = step.hypotheses ?? [];
    out.push(`${step.round}.${step.roundStep} ${given.map((h) => `${h.cell}=${h.digit} ${h.reason} ${h.layer} ${h.round}`).join(',')} ${step.added?.length} ${step.withdrawn?.length}`);
  }
  const shares: Step[] = [];
  for await (const step of solver.solve('..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..', { steps: 1, copies: 2 })) shares.push(step);
  const merged: Step = await mergeSteps([shares[0], shares[0]]);
  out.push(String(merged.copies.length));
  const batch: BatchOptions = { steps: 2 };
  for await (const b of solver.solveBatch([await puzzleTokens('sudoku', puzzleText(new Array(81).fill(0)))], batch)) {
    const bs: BatchStep = b;
    out.push(String(bs.step));
  }
  const cells: number[] = await parseSudoku('..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..');
  out.push(String(await sudokuClashes(cells)), String(await isSudokuSolution(cells, cells)), String(await sudokuSolutionCount(cells, 2)));
  out.push(String(await solveSudoku(cells)));
  const task: ArcTask = await parseArcTask('{"train":[],"test":[{"input":[[1]]}]}');
  const g: ArcGrid = task.test[0].input;
  const { question, answer } = await generateMaze(1, 40);
  const named: ShippedModel = 'maze11';
  const small: Solver = await loadSolver({ model: named });
  const corridors = await generateMaze(1, 11, 11);
  out.push(maze11.kind, maze11.url, String(small.config.seq_len), corridors.question);
  const mv: MazeVerdict = await checkMazePath(question, answer);
  const mg: GridView = await parseMaze(question);
  out.push(String(g.length), String(mv.valid), String(mg.width));
  const w: WorkerSolver = await createWorkerSolver({ backend: 'auto', workers: 2, model: maze });
  out.push(String(await w.call('parseSudoku', '1'.repeat(81))), String(w.busy));
  w.cancel();
  w.terminate();
  try {
    await loadSolver({ backend: 'webgpu' });
  } catch (e) {
    const t: TrmError = typed(e);
    if (t instanceof NoWebGPUError || t instanceof PuzzleError || t instanceof ModelError || t instanceof GpuError || t instanceof InputError) out.push(t.name);
    if (t instanceof PuzzleError) out.push(String(t.cells.length));
  }
  // Stopping, and the error constructors as the code takes them.
  const controller = new AbortController();
  for await (const step of solver.solve('1'.repeat(81), { signal: controller.signal })) {
    if (solver.busy) solver.cancel();
    out.push(String(step.answer?.width));
  }
  const batchAbort: BatchOptions = { signal: controller.signal };
  await loadSolver({ model: bytes, signal: controller.signal, cache: false });
  const bad = new PuzzleError('bad', [0, 1]);
  out.push(String(bad.cells), new InputError('x').name, new TrmError('y', 'Custom').name, String(batchAbort.signal?.aborted));
  if (solver instanceof TrmSolver) solver.dispose();
  const pooled: WorkerSolver = await createWorkerSolver({ model: maze11, cache: false, signal: controller.signal });
  out.push(String((await pooled.stats()).stepsStarted));
  pooled.dispose();
  out.push(String(await clearCache()));
  return out;
}
