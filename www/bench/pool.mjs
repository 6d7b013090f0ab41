// The worker pool against one worker, in headless Chromium on the CPU engine: an 8-copy,
// 16-step solve of the Sudoku example "Extreme 1" (no early stop, so both do the same work),
// alternated, three solves each. Prints wall seconds per solve for each pool size.
//   node www/bench/pool.mjs [sizes=1,2] [copies=8] [steps=16]
import { resolve } from 'node:path';
import { browser, ROOT, serve } from '../tests/harness.mjs';

const sizes = (process.argv[2] ?? '1,2').split(',').map(Number);
const copies = Number(process.argv[3] ?? 8);
const steps = Number(process.argv[4] ?? 16);
const site = await serve(resolve(ROOT, 'www/dist'));
const b = await browser({ webgpu: false });
const page = await b.newPage();
await page.goto(`${site.url}/index.html?backend=cpu`);
const r = await page.evaluate(async ({ sizes, copies, steps }) => {
  const { createWorkerSolver } = await import('./src/worker-client.js');
  const ex = (await (await fetch('examples/sudoku.json')).json())[8].puzzle;
  const solvers = await Promise.all(sizes.map((workers) => createWorkerSolver({ backend: 'cpu', workers })));
  const out = Object.fromEntries(sizes.map((n) => [n, []]));
  for (let round = 0; round < 3; round++) {
    for (const [k, s] of solvers.entries()) {
      const t0 = performance.now();
      for await (const _ of s.solve(ex, { copies, steps, seed: round })) { /* all steps */ }
      out[sizes[k]].push((performance.now() - t0) / 1000);
    }
  }
  solvers.forEach((s) => s.terminate());
  return out;
}, { sizes, copies, steps });
for (const [n, t] of Object.entries(r)) {
  t.sort((a, b) => a - b);
  console.log(`${n} worker(s): ${t.map((x) => x.toFixed(2)).join(' ')} s per ${copies}x${steps} solve (median ${t[1].toFixed(2)} s)`);
}
await b.close();
site.server.close();
