// What the latent view costs in the browser: the same solve with and without `latent: true`
// (y and z read on the model's latent basis and sent as colours with every step), in headless
// Chromium, one page per (setting, round), rounds alternating the settings. Each solve runs
// the model's kind example puzzle as `copies` copies for `steps` steps with no early stop, so
// both settings do the same network work; model load and one warm-up solve are not timed.
//   node www/bench/latent.mjs [--model sudoku|maze] [--backend cpu|webgpu] [--copies 8] [--steps 16] [--rounds 3]
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { browser, ROOT, serve } from '../tests/harness.mjs';
import { median } from './stats.mjs';

const { values: a } = parseArgs({
  options: {
    model: { type: 'string', default: 'sudoku' },
    backend: { type: 'string', default: 'cpu' },
    copies: { type: 'string', default: '8' },
    steps: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '3' },
  },
});
if (!existsSync(resolve(ROOT, 'www/dist/src/index.js'))) {
  console.error('www/dist is not built: run ./scripts/build-site.sh first');
  process.exit(1);
}
const examples = JSON.parse(readFileSync(resolve(ROOT, `www/examples/${a.model}.json`), 'utf8'));
const puzzle = a.model === 'sudoku' ? examples[8].puzzle : examples[0].question;
const site = await serve(resolve(ROOT, 'www/dist'));
const b = await browser({ webgpu: a.backend === 'webgpu' });
const times = { off: [], on: [] };
let bytes = {};
try {
  for (let r = 0; r < Number(a.rounds); r++) {
    for (const setting of ['off', 'on']) {
      const page = await b.newPage();
      await page.goto(`${site.url}/index.html?backend=cpu#${a.model}`);
      const out = await page.evaluate(async ({ model, backend, puzzle, copies, steps, latent }) => {
        const { loadSolver } = await import('./src/index.js');
        const solver = await loadSolver({ backend, model });
        const options = { copies, steps, latent };
        for await (const _ of solver.solve(puzzle, { ...options, steps: 1 })) { /* warm-up */ }
        const t0 = performance.now();
        let size = 0;
        for await (const step of solver.solve(puzzle, options)) size += JSON.stringify(step).length;
        return { ms: performance.now() - t0, size, engine: solver.engine };
      }, { model: a.model, backend: a.backend, puzzle, copies: Number(a.copies), steps: Number(a.steps), latent: setting === 'on' });
      times[setting].push(out.ms);
      bytes[setting] = out.size;
      console.log(`round ${r + 1}, latent ${setting}: ${out.ms.toFixed(0)} ms on ${out.engine}`);
      await page.close();
    }
  }
} finally {
  await b.close();
  site.server.close();
}
const [off, on] = [median(times.off), median(times.on)];
console.log(`${a.model}, ${a.copies} copies x ${a.steps} steps on ${a.backend}: latent off ${off.toFixed(0)} ms, on ${on.toFixed(0)} ms (${((on / off - 1) * 100).toFixed(1)}%); steps as JSON ${(bytes.off / 1024).toFixed(0)} KiB off, ${(bytes.on / 1024).toFixed(0)} KiB on`);
