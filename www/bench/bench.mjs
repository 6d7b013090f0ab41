// The same model and Sudoku puzzles through four engines in one page: our WebGPU engine,
// ONNX Runtime Web on its WebGPU execution provider, our CPU engine (wasm) and ONNX Runtime
// Web on its wasm provider. Times every supervision step, keeps every step's logits and
// q_halt, and compares the engines with each other. window.result resolves to the report;
// run.mjs drives the page and prints it.
//
// Query parameters: model, onnx (paths from the repository root), steps (one count, or one
// per batch: "16,4"), batches ("1,16"), engines (a comma list of the keys of ENGINES).
import init, { Solver, puzzleTokens } from '../pkg/trm.js';
// Each bundle carries its own copy of ONNX Runtime: the WebGPU one is the build a user takes
// for WebGPU, the wasm one the plain build (no asyncify) a user takes for the CPU.
import * as ortWebgpu from '../node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs';
import * as ortWasm from '../node_modules/onnxruntime-web/dist/ort.wasm.min.mjs';
import { ort, readInitVectors } from './ort-step.mjs';
import { median } from './stats.mjs';

const q = new URL(location.href).searchParams;
const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
const MODEL = q.get('model') ?? '/models/sudoku.safetensors';
const ONNX = q.get('onnx') ?? '/target/onnx/sudoku-step.onnx';
const BATCHES = list(q.get('batches') ?? '1,16').map(Number);
const STEPS = list(q.get('steps') ?? '16').map(Number);
const ENGINE_KEYS = list(q.get('engines') ?? 'ours-webgpu,ort-webgpu,ours-cpu,ort-wasm');

const logEl = document.getElementById('log');
function log(msg) {
  console.log(`[bench] ${msg}`);
  logEl.textContent += `${msg}\n`;
}

function prefixLen(cfg) {
  if (cfg.puzzle_emb_ndim === 0) return 0;
  return cfg.puzzle_emb_len || Math.ceil(cfg.puzzle_emb_ndim / cfg.hidden_size);
}

/** `batch` puzzles from www/examples/sudoku.json; past the 12 examples, the k-th repeat
 * relabels the digits (d -> d + k mod 9), which keeps a puzzle valid and its solution
 * known, so a batch of 16 holds 16 different puzzles. */
function makeBatch(examples, batch, seqLen) {
  const tokens = new Uint32Array(batch * seqLen);
  const solutions = [];
  for (let i = 0; i < batch; i++) {
    const ex = examples[i % examples.length];
    const k = Math.floor(i / examples.length);
    const relabel = (d) => ((d - 1 + k) % 9) + 1;
    const text = Array.from(ex.puzzle, (ch) => (ch === '.' || ch === '0' ? '.' : String(relabel(Number(ch))))).join('');
    // The Rust codec encodes (docs/MODEL.md); nothing here knows the token numbers.
    tokens.set(puzzleTokens('sudoku', text), i * seqLen);
    // The solution as the model's target tokens, from the same codec.
    solutions.push(puzzleTokens('sudoku', Array.from(ex.solution, (ch) => String(relabel(Number(ch)))).join('')));
  }
  return { tokens, ids: new Uint32Array(batch), solutions };
}

// Each engine: setup returns { name, step(), read() -> { logits, qHalt }, close() }.
// step() is what is timed: it must return only once the step's results are on the CPU.
async function ours(backend, ctx) {
  const s = await Solver.create(ctx.modelBytes, backend);
  s.start(ctx.tokens, ctx.ids, ctx.steps, false, 0.5, false);
  let last = null;
  return {
    name: s.engine,
    // Solver.step submits the step's one command buffer and awaits the read-back of the
    // answers and q_halt, so the GPU's work is done when it resolves.
    state: 'y, z stay inside the engine',
    async step() { last = await s.step(); },
    async read() {
      return { logits: await s.logits(), qHalt: Float32Array.from(last.puzzles, (p) => p.q_halt) };
    },
    async close() { s.free(); },
  };
}

const ENGINES = {
  'ours-webgpu': { label: 'ours, WebGPU', setup: (ctx) => ours('webgpu', ctx) },
  'ort-webgpu': { label: 'ORT Web, WebGPU EP', setup: (ctx) => ort(ortWebgpu, 'webgpu', ctx) },
  'ours-cpu': { label: 'ours, CPU (wasm)', setup: (ctx) => ours('cpu', ctx) },
  'ort-wasm': { label: 'ORT Web, wasm EP', setup: (ctx) => ort(ortWasm, 'wasm', ctx) },
};

function argmaxCells(logits, vocab) {
  const out = new Uint8Array(logits.length / vocab);
  for (let c = 0; c < out.length; c++) {
    let best = 0;
    for (let v = 1; v < vocab; v++) if (logits[c * vocab + v] > logits[c * vocab + best]) best = v;
    out[c] = best;
  }
  return out;
}

/** How far two engines' outputs are apart, step by step. On puzzles where the model is
 * unstable, float32 rounding differences grow from step to step (PyTorch float32 against
 * float64 shows the same, see train/precision_drift.py), so step 1 is where a real
 * discrepancy would show and later steps measure the drift. */
function compare(a, b, vocab, seqLen) {
  const steps = Math.min(a.logits.length, b.logits.length);
  const byStep = [];
  let dQ = 0, cells = 0, firstDiffStep = null, finalPuzzles = [];
  for (let k = 0; k < steps; k++) {
    const [la, lb] = [a.logits[k], b.logits[k]];
    let d = 0, scale = 0;
    for (let i = 0; i < la.length; i++) {
      d = Math.max(d, Math.abs(la[i] - lb[i]));
      scale = Math.max(scale, Math.abs(lb[i]));
    }
    byStep.push({ maxAbsLogit: d, rel: d / Math.max(scale, 1e-30) });
    for (let i = 0; i < a.q[k].length; i++) dQ = Math.max(dQ, Math.abs(a.q[k][i] - b.q[k][i]));
    const [xa, xb] = [argmaxCells(la, vocab), argmaxCells(lb, vocab)];
    const puzzles = new Set();
    for (let i = 0; i < xa.length; i++) {
      if (xa[i] !== xb[i]) { cells++; puzzles.add(Math.floor(i / seqLen)); }
    }
    if (puzzles.size && firstDiffStep === null) firstDiffStep = k + 1;
    if (k === steps - 1) finalPuzzles = [...puzzles].sort((x, y) => x - y);
  }
  return {
    steps,
    step1: byStep[0],
    maxAbsLogit: Math.max(...byStep.map((s) => s.maxAbsLogit)),
    maxAbsLogitByStep: byStep.map((s) => s.maxAbsLogit),
    maxAbsQHalt: dQ,
    argmaxDiffCells: cells,
    firstArgmaxDiffStep: firstDiffStep,
    puzzlesDifferingAtLastStep: finalPuzzles,
  };
}

async function runBatch(base, batch, steps) {
  const { cfg } = base;
  const ctx = { ...base, batch, steps, ...makeBatch(base.examples, batch, cfg.seq_len) };
  const runs = {};
  for (const key of ENGINE_KEYS) {
    const eng = ENGINES[key];
    if (!eng) throw new Error(`unknown engine ${key}; known: ${Object.keys(ENGINES).join(', ')}`);
    log(`batch ${batch}: ${eng.label}`);
    const run = { key, label: eng.label, ms: [], logits: [], q: [] };
    runs[key] = run;
    let r = null;
    try {
      const t0 = performance.now();
      r = await eng.setup(ctx);
      run.loadMs = performance.now() - t0;
      run.engine = r.name;
      for (let k = 0; k < steps; k++) {
        const t = performance.now();
        await r.step();
        run.ms.push(performance.now() - t);
        const { logits, qHalt } = await r.read();
        run.logits.push(Float32Array.from(logits));
        run.q.push(Float32Array.from(qHalt));
        log(`  step ${k + 1}/${steps}: ${run.ms[k].toFixed(1)} ms`);
      }
      run.state = r.state;
    } catch (e) {
      run.error = `${e?.name ?? 'Error'}: ${e?.message ?? e}`;
      log(`  failed: ${run.error}`);
    } finally {
      try { await r?.close(); } catch { /* the run's error, if any, is already recorded */ }
    }
  }

  const ok = Object.values(runs).filter((r) => !r.error && r.ms.length === steps);
  const solved = (r) => {
    const last = argmaxCells(r.logits[r.logits.length - 1], cfg.vocab_size);
    let n = 0;
    ctx.solutions.forEach((sol, i) => {
      if (sol.every((t, c) => last[i * cfg.seq_len + c] === t)) n++;
    });
    return n;
  };
  const engines = Object.values(runs).map((r) => ({
    key: r.key, label: r.label, engine: r.engine ?? null, state: r.state ?? null, error: r.error ?? null, loadMs: r.loadMs ?? null,
    ms: r.ms, medianMs: r.ms.length ? median(r.ms) : null, firstMs: r.ms[0] ?? null,
    solved: !r.error && r.ms.length === steps ? solved(r) : null,
  }));
  const pairs = [];
  for (let i = 0; i < ok.length; i++) {
    for (let j = i + 1; j < ok.length; j++) pairs.push({ a: ok[i].key, b: ok[j].key, ...compare(ok[i], ok[j], cfg.vocab_size, cfg.seq_len) });
  }
  const names = Array.from({ length: batch }, (_, i) => base.examples[i % base.examples.length].name + (i >= base.examples.length ? ` relabelled +${Math.floor(i / base.examples.length)}` : ''));
  return { batch, steps, puzzles: batch, puzzleNames: names, engines, pairs };
}

window.result = (async () => {
  try {
    await init();
    const modelBytes = new Uint8Array(await (await fetch(MODEL)).arrayBuffer());
    const onnxResp = await fetch(ONNX);
    if (!onnxResp.ok) throw new Error(`${ONNX}: HTTP ${onnxResp.status} (export it with train/export_onnx.py)`);
    const onnxBytes = new Uint8Array(await onnxResp.arrayBuffer());
    const examples = await (await fetch('../examples/sudoku.json')).json();
    const probe = await Solver.create(modelBytes, 'cpu');
    const cfg = probe.config;
    const kind = probe.kind;
    probe.free();
    if (kind !== 'sudoku') throw new Error(`the benchmark's puzzles are Sudoku; ${MODEL} is a ${kind} model`);
    for (const m of [ortWebgpu, ortWasm]) {
      // One thread, as our CPU engine runs (ORT's threads would need cross-origin isolation,
      // which the local server does not set up). ORT fetches its .wasm from the bundle's
      // own folder in node_modules.
      m.env.wasm.numThreads = 1;
      m.env.logLevel = 'warning';
    }
    const S = prefixLen(cfg) + cfg.seq_len;
    const base = { cfg, modelBytes, onnxBytes, examples, init: readInitVectors(modelBytes), S, D: cfg.hidden_size, seqLen: cfg.seq_len };
    const adapter = await navigator.gpu?.requestAdapter();
    const info = adapter?.info ?? {};
    const batches = [];
    for (const [i, batch] of BATCHES.entries()) {
      batches.push(await runBatch(base, batch, STEPS[Math.min(i, STEPS.length - 1)]));
    }
    return {
      ok: true,
      model: MODEL, onnx: ONNX,
      config: cfg,
      userAgent: navigator.userAgent,
      adapter: adapter ? `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`.trim() : null,
      ortVersion: ortWebgpu.env.versions?.web ?? null,
      crossOriginIsolated: self.crossOriginIsolated,
      batches,
    };
  } catch (e) {
    return { ok: false, error: `${e?.name ?? 'Error'}: ${e?.message ?? e}`, stack: e?.stack };
  }
})();
