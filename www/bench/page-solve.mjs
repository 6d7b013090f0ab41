// What a visitor waits for: the demo page's own Solve of the ARC view's first example (with
// each of its models: arc is the 30x30 one, arc10 the 10x10 one) and the Maze view's, with the
// view's default options, on the CPU engine (the engine a machine without a usable GPU gets),
// in headless Chromium. Per view: wall time from the Solve click to the solve's end (model
// load not included: the page loads the model when the tab opens), median over the runs, each
// in a fresh page. Prints rows for BENCHMARKS.md's "page-times" table, which the page reads
// when scripts/build-site.sh builds it (www/tools/page-times.mjs).
//
//   node www/bench/page-solve.mjs [--views arc,arc10,maze] [--runs 3] [--machine "2-core AMD EPYC"]
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { browser, ROOT, serve } from '../tests/harness.mjs';
import { median } from './stats.mjs';

const { values: a } = parseArgs({
  options: {
    views: { type: 'string', default: 'arc,arc10,maze' },
    runs: { type: 'string', default: '3' },
    // How the page names the machine: "a 2-core AMD EPYC server (Machine E, 2 workers)".
    machine: { type: 'string', default: `a ${cpus().length}-core ${cpus()[0]?.model.trim() ?? 'CPU'}` },
  },
});
const runs = Number(a.runs);

/** Per view: its tab, test handle, and what its default solve is (read from the page). */
const VIEWS = {
  arc10: { query: '', hash: '#arc', api: '__trmArc', example: '#arc-example', solve: '#arc-solve',
    options: () => `${document.getElementById('arc-augmentations').value} copies for ${document.getElementById('arc-steps').value} steps` },
  arc: { query: '&arc=arc', hash: '#arc', api: '__trmArc', example: '#arc-example', solve: '#arc-solve',
    options: () => `${document.getElementById('arc-augmentations').value} copies for ${document.getElementById('arc-steps').value} steps` },
  maze: { query: '', hash: '#maze', api: '__trmMaze', example: '#maze-example', solve: '#maze-solve',
    options: () => `one copy for up to ${document.getElementById('maze-steps').value} steps` },
};

const site = await serve(resolve(ROOT, 'www/dist'));
const b = await browser({ webgpu: false });
const rows = [];
try {
  for (const view of a.views.split(',')) {
    const v = VIEWS[view];
    if (!v) throw new Error(`no view ${view}: use ${Object.keys(VIEWS).join(', ')}`);
    const times = [];
    let what = null;
    for (let r = 0; r < runs; r++) {
      const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${site.url}/index.html?backend=cpu${v.query}${v.hash}`);
      // Ready, with the first example on the board (the ARC view fills its picker after the load).
      await page.waitForFunction((api) => window[api]?.ready && (window[api].task || window[api].question), v.api, { timeout: 300_000 });
      what ??= await page.evaluate(({ sel, options }) => ({
        example: document.querySelector(sel).selectedOptions[0]?.textContent ?? '',
        // eslint-disable-next-line no-new-func
        options: new Function(`return (${options})()`)(),
      }), { sel: v.example, options: v.options.toString() });
      const t0 = Date.now();
      await page.click(v.solve);
      await page.waitForFunction((api) => window[api].steps.length > 0 && !window[api].solving, v.api, { timeout: 600_000, polling: 50 });
      times.push((Date.now() - t0) / 1000);
      what.steps = await page.evaluate((api) => window[api].steps.length, v.api);
      await page.close();
    }
    const most = Number(what.options.match(/(\d+) steps/)?.[1]);
    const shown = what.steps < most ? ` (${what.steps} of them shown: the solve ended there)` : '';
    rows.push(`| ${view}.solve | ${view} | ${what.example} | ${what.options}${shown} | ${median(times).toFixed(1)} | ${a.machine} | \`node www/bench/page-solve.mjs --views ${view}\` |`);
    console.error(`${view}: ${times.map((t) => t.toFixed(1)).join(', ')} s`);
  }
} finally {
  await b.close();
  site.server.close();
}
console.log(rows.join('\n'));
