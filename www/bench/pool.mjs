// The worker pool against one worker and against ONNX Runtime Web's wasm EP at each thread
// count, in headless Chromium on the CPU, all in one run on one machine: an 8-copy, 16-step
// solve of the Sudoku example "Extreme 1" (no early stop, so every contender does the same
// network work). Ours is the whole solve (each copy read back, judged and voted after every
// step); ORT is `steps` session.run calls on a batch of `copies` puzzles (the graph of
// train/export_onnx.py), network only. The page is cross-origin isolated (www/serve.mjs sends
// the headers), so ORT may use threads. Each (contender, round) runs in a fresh page, rounds
// alternate contenders, and setup (model load, session creation, worker start, one warm-up
// step) is not timed.
//   node www/bench/pool.mjs [--workers 1,2] [--copies 8] [--steps 16] [--ort-threads 1,2] [--rounds 3]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { browser, ROOT, serve } from '../tests/harness.mjs';
import { median } from './stats.mjs';

const { values: a } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,2' },
    copies: { type: 'string', default: '8' },
    steps: { type: 'string', default: '16' },
    'ort-threads': { type: 'string', default: '1,2' },
    rounds: { type: 'string', default: '3' },
  },
});
const list = (s) => s.split(',').filter(Boolean).map(Number);
const [copies, steps, rounds] = [Number(a.copies), Number(a.steps), Number(a.rounds)];
const onnx = resolve(ROOT, 'target/onnx/sudoku-step.onnx');
const model = resolve(ROOT, 'models/sudoku.safetensors');
if (list(a['ort-threads']).length && (!existsSync(onnx) || statSync(onnx).mtimeMs < statSync(model).mtimeMs)) {
  mkdirSync(resolve(ROOT, 'target/onnx'), { recursive: true });
  const r = spawnSync('python3', [resolve(ROOT, 'train/export_onnx.py'), '--model', model, '--out', onnx], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!existsSync(resolve(ROOT, 'www/dist/src/worker-client.js'))) {
  console.error('www/dist is not built: run ./scripts/build-site.sh first');
  process.exit(1);
}

const contenders = [
  ...list(a.workers).map((n) => ({ label: `ours, pool of ${n} worker${n > 1 ? 's' : ''}`, kind: 'pool', n })),
  ...list(a['ort-threads']).map((n) => ({ label: `ORT Web wasm EP, ${n} thread${n > 1 ? 's' : ''}`, kind: 'ort', n })),
];
const site = await serve(ROOT);
const b = await browser({ webgpu: false });

/** One timed solve in a fresh page; gives seconds and what the page saw. */
async function once(c, round) {
  const page = await b.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${site.url}/www/bench/bench-host.html`);
    const r = await page.evaluate(async ({ c, copies, steps, round }) => {
      const ex = (await (await fetch('/www/examples/sudoku.json')).json())[8].puzzle;
      if (c.kind === 'pool') {
        const { createWorkerSolver } = await import('/www/dist/src/worker-client.js');
        const s = await createWorkerSolver({ backend: 'cpu', workers: c.n });
        // Warm-up, as for ORT below: each worker's first step compiles and allocates.
        for await (const _ of s.solve(ex, { copies, steps: 1 })) { /* one step */ }
        const t0 = performance.now();
        let last;
        for await (const st of s.solve(ex, { copies, steps, seed: round })) last = st;
        const secs = (performance.now() - t0) / 1000;
        s.terminate();
        return { secs, networkSteps: last.networkSteps, isolated: self.crossOriginIsolated };
      }
      const ort = await import('/www/node_modules/onnxruntime-web/dist/ort.wasm.min.mjs');
      const { ort: ortEngine, readInitVectors } = await import('/www/bench/ort-step.mjs');
      const { default: init, Solver, puzzleTokens } = await import('/www/pkg/trm.js');
      await init();
      ort.env.wasm.numThreads = c.n;
      ort.env.logLevel = 'error';
      const modelBytes = new Uint8Array(await (await fetch('/models/sudoku.safetensors')).arrayBuffer());
      const probe = await Solver.create(modelBytes, 'cpu');
      const cfg = probe.config;
      probe.free();
      const one = puzzleTokens('sudoku', ex);
      const tokens = new Uint32Array(copies * cfg.seq_len);
      for (let i = 0; i < copies; i++) tokens.set(one, i * cfg.seq_len);
      const S = (cfg.puzzle_emb_ndim ? cfg.puzzle_emb_len || Math.ceil(cfg.puzzle_emb_ndim / cfg.hidden_size) : 0) + cfg.seq_len;
      const e = await ortEngine(ort, 'wasm', {
        onnxBytes: new Uint8Array(await (await fetch('/target/onnx/sudoku-step.onnx')).arrayBuffer()),
        tokens, ids: new Uint32Array(copies), init: readInitVectors(modelBytes),
        batch: copies, S, D: cfg.hidden_size, seqLen: cfg.seq_len,
      });
      // Warm-up: ORT's first run plans and allocates; the timed steps continue from it.
      await e.step();
      await e.read();
      const t0 = performance.now();
      for (let k = 0; k < steps; k++) {
        await e.step();
        await e.read();
      }
      const secs = (performance.now() - t0) / 1000;
      await e.close();
      return { secs, networkSteps: copies * steps, isolated: self.crossOriginIsolated, threads: ort.env.wasm.numThreads };
    }, { c, copies, steps, round });
    if (errors.length) throw new Error(errors.join('\n'));
    return r;
  } finally {
    await page.close();
  }
}

const times = contenders.map(() => []);
let isolated = null;
for (let round = 0; round < rounds; round++) {
  for (const [i, c] of contenders.entries()) {
    const r = await once(c, round);
    times[i].push(r.secs);
    isolated = r.isolated;
    // The solver counts network steps of copies not yet verified or halted (what the page shows);
    // the batch still runs every copy, so both contenders do copies x steps of network work.
    const counted = c.kind === 'pool' ? `, ${r.networkSteps} of them on unfinished copies` : '';
    console.error(`round ${round + 1}: ${c.label}: ${r.secs.toFixed(2)} s (${copies * steps} copy-steps${counted})`);
  }
}
await b.close();
site.server.close();
const base = median(times[0]);
console.log(`${copies} copies x ${steps} steps of Sudoku "Extreme 1", ${rounds} rounds, cross-origin isolated: ${isolated}\n`);
console.log(`| contender | median s | all runs (s) | speed vs ${contenders[0].label} |\n|---|---:|---|---:|`);
for (const [i, c] of contenders.entries()) {
  const m = median(times[i]);
  console.log(`| ${c.label} | ${m.toFixed(2)} | ${times[i].map((t) => t.toFixed(2)).join(', ')} | ${(base / m).toFixed(2)}x |`);
}
