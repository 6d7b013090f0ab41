// Our CPU engine as built for the browser (www/pkg, wasm), timed in Node.js: ms per
// supervision step on the shipped Sudoku model, without a browser. For profiling the wasm
// engine: `node --cpu-prof www/bench/node-cpu.mjs 16 6` writes a .cpuprofile with wasm
// function names.
//
//   node www/bench/node-cpu.mjs [batch=16] [steps=8] [model=models/sudoku.safetensors]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync, Solver } from '../pkg/trm.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
initSync({ module: readFileSync(resolve(ROOT, 'www/pkg/trm_bg.wasm')) });
const [batch, steps] = [+(process.argv[2] || 16), +(process.argv[3] || 8)];
const model = readFileSync(resolve(ROOT, process.argv[4] || 'models/sudoku.safetensors'));
const solver = await Solver.create(model, 'cpu');
const { seq_len: len, vocab_size: vocab } = solver.config;
// Any tokens do for timing: the work per step does not depend on them.
const tokens = new Uint32Array(batch * len).map((_, i) => 1 + ((i * 7) % (vocab - 1)));
solver.start(tokens, new Uint32Array(batch), steps, false, 0.5, false);
await solver.step(); // the first step grows the work buffers
const t0 = performance.now();
let n = 0;
while (await solver.step()) n++;
console.log(`batch ${batch}: ${((performance.now() - t0) / n).toFixed(1)} ms per supervision step over ${n} steps`);
