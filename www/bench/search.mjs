// Thinking harder with hypotheses as the page does it, timed in Node.js on the wasm CPU engine
// (www/pkg) on one thread, the way one worker of the page runs a search: the shipped Sudoku
// model, `copies` copies a round, a budget of copies x steps network steps, the search's own
// round length and the puzzle's own seed (www/views/puzzle-seed.js, as the page draws it).
// Per puzzle: wall time from the first step asked to the last one received, network steps,
// solved or not. Prints the medians, means and worst case.
//
//   node www/bench/search.mjs [--skip 776] [--limit 20] [--copies 8] [--steps 128]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadSolver } from '../src/index.js';
import { puzzleSeed } from '../views/puzzle-seed.js';
import { median } from './stats.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const { values: a } = parseArgs({
  options: {
    skip: { type: 'string', default: '776' },
    limit: { type: 'string', default: '20' },
    copies: { type: 'string', default: '8' },
    steps: { type: 'string', default: '128' },
    puzzles: { type: 'string', default: 'data/sudoku/sudoku_extreme_train_subsample.txt' },
  },
});
const [skip, limit, copies, steps] = [a.skip, a.limit, a.copies, a.steps].map(Number);


const puzzles = readFileSync(resolve(ROOT, a.puzzles), 'utf8').split('\n').filter(Boolean).slice(skip, skip + limit);
if (!puzzles.length) {
  console.error(`no puzzles in ${a.puzzles} after line ${skip} (--limit ${limit})`);
  process.exit(2);
}
const solver = await loadSolver({
  backend: 'cpu',
  wasm: readFileSync(resolve(ROOT, 'www/pkg/trm_bg.wasm')),
  model: readFileSync(resolve(ROOT, 'models/sudoku.safetensors')),
});
const rows = [];
for (const [i, p] of puzzles.entries()) {
  const t0 = performance.now();
  let last = null;
  for await (const s of solver.solve(p, { copies, seed: puzzleSeed(p), stopWhenVerified: true, hypotheses: { budget: copies * steps } })) last = s;
  const row = { line: skip + i + 1, s: (performance.now() - t0) / 1000, networkSteps: last.networkSteps, rounds: last.round, solved: last.verdict.verdict === 'solved' };
  rows.push(row);
  console.log(`line ${row.line}: ${row.solved ? 'solved' : 'not solved'}, ${row.networkSteps} network steps, ${row.rounds} rounds, ${row.s.toFixed(2)} s`);
}
const mean = (xs) => xs.reduce((x, y) => x + y, 0) / xs.length;
const secs = rows.map((r) => r.s);
console.log(`${rows.length} puzzles, ${copies} copies a round, budget ${copies * steps}: solved ${rows.filter((r) => r.solved).length}; `
  + `s per puzzle median ${median(secs).toFixed(2)}, mean ${mean(secs).toFixed(2)}, worst ${Math.max(...secs).toFixed(2)}; `
  + `network steps mean ${mean(rows.map((r) => r.networkSteps)).toFixed(1)}; ms per network step ${(1000 * secs.reduce((x, y) => x + y, 0) / rows.reduce((x, r) => x + r.networkSteps, 0)).toFixed(1)}`);
