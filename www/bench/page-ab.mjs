// The demo page's speed, A/B: a 16-step solve of the Sudoku example "Extreme 1" on the CPU
// engine (batch 1), alternating the builds given as dist folders, five solves each; prints
// each build's solve wall times (Solve click to last step) and ms per step.
//   node www/bench/page-ab.mjs OLD_DIST NEW_DIST
import { serve, browser } from '../tests/harness.mjs';
const dists = process.argv.slice(2);
const b = await browser({ webgpu: false });
const out = {};
const wall = {};
for (let run = 0; run < 5; run++) {
  for (const d of dists) {
    const srv = await serve(d);
    const page = await b.newPage();
    await page.goto(srv.url + '/?backend=cpu');
    await page.waitForFunction(() => window.__trm?.ready, null, { timeout: 120000 });
    await page.selectOption('#example', '8');
    const t0 = Date.now();
    await page.click('#solve');
    await page.waitForFunction(() => !__trm.solving && __trm.steps.length === 16, null, { timeout: 120000, polling: 5 });
    (wall[d] ??= []).push(Date.now() - t0);
    const ms = await page.evaluate(() => __trm.steps.map((s) => s.ms));
    (out[d] ??= []).push(...ms);
    await page.close();
    srv.server.close();
  }
}
for (const [d, ms] of Object.entries(out)) {
  ms.sort((a, b) => a - b);
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  const w = wall[d].slice().sort((a, b) => a - b);
  console.log(`${d}: solve wall ms ${w.join(' ')} (median ${w[w.length >> 1]}); ${ms.length} steps, mean ${mean.toFixed(1)} ms, median ${ms[ms.length >> 1].toFixed(1)} ms, min ${ms[0].toFixed(1)}, max ${ms.at(-1).toFixed(1)}`);
}
await b.close();
