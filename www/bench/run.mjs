// Runs bench.html in headless Chromium (WebGPU on) and prints a markdown report: median ms
// per supervision step of each engine, the ratios, and how far the engines' outputs are
// apart. Not part of the test suite (minutes on a software GPU).
//
//   node www/bench/run.mjs [--model models/sudoku.safetensors] [--onnx target/onnx/sudoku-step.onnx]
//                          [--steps 16 | --steps 16,4] [--batches 1,16]
//                          [--engines ours-webgpu,ort-webgpu,ours-cpu,ort-wasm] [--json FILE]
//
// Exports the ONNX graph with train/export_onnx.py when it is missing or older than the
// model file. Exits 1 when an engine failed or two engines' logits differ by more than 1e-3
// (relative to the largest logit) after the first step.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { browser, open, ROOT, serve } from '../tests/harness.mjs';

const { values: a } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/sudoku.safetensors' },
    onnx: { type: 'string' },
    steps: { type: 'string', default: '16' },
    batches: { type: 'string', default: '1,16' },
    engines: { type: 'string', default: 'ours-webgpu,ort-webgpu,ours-cpu,ort-wasm' },
    json: { type: 'string' },
  },
});

const model = resolve(a.model);
const onnx = resolve(a.onnx ?? `target/onnx/${model.split('/').pop().replace(/\.safetensors$/, '')}-step.onnx`);
for (const p of [model, onnx]) {
  if (!p.startsWith(ROOT + '/')) throw new Error(`${p}: must lie inside the repository (${ROOT}), which the page is served from`);
}
if (!existsSync(onnx) || statSync(onnx).mtimeMs < statSync(model).mtimeMs) {
  console.error(`== exporting ${relative(ROOT, onnx)}`);
  mkdirSync(dirname(onnx), { recursive: true });
  const r = spawnSync('python3', [resolve(ROOT, 'train/export_onnx.py'), '--model', model, '--out', onnx], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const urlPath = (p) => '/' + relative(ROOT, p);
const params = new URLSearchParams({ model: urlPath(model), onnx: urlPath(onnx), steps: a.steps, batches: a.batches, engines: a.engines });
const { server, url } = await serve();
const b = await browser({ webgpu: true });
let r;
try {
  const { page, errors } = await open(b, url, `/www/bench/bench.html?${params}`);
  page.on('console', (m) => { if (m.text().startsWith('[bench]')) console.error(m.text().slice(8)); });
  page.setDefaultTimeout(0);
  r = await page.evaluate(() => window.result);
  r.consoleErrors = errors;
  r.browser = b.version();
} finally {
  await b.close();
  server.close();
}
if (a.json) writeFileSync(a.json, JSON.stringify(r, null, 1));
if (!r.ok) {
  console.error(`benchmark page failed: ${r.error}\n${r.stack ?? ''}`);
  process.exit(1);
}

const STEP1_TOL = 1e-3;
const f = (x, d = 1) => (x == null ? '-' : x.toFixed(d));
const e = (x) => (x == null ? '-' : x.toExponential(1));
const c = r.config;
const out = [];
out.push(`Model ${relative(ROOT, model)} (D=${c.hidden_size}, T=${c.H_cycles}, n=${c.L_cycles}, ` +
  `seq ${c.seq_len} + ${c.puzzle_emb_ndim ? c.puzzle_emb_len || Math.ceil(c.puzzle_emb_ndim / c.hidden_size) : 0} prefix), ` +
  `Chromium ${r.browser}, WebGPU adapter: ${r.adapter || 'none'}, ONNX Runtime Web ${r.ortVersion}, ` +
  `crossOriginIsolated ${r.crossOriginIsolated}.`);
out.push('');
out.push('| batch | engine | median ms/step | min-max ms | first step ms | load ms | x fastest | solved |');
out.push('|---:|---|---:|---:|---:|---:|---:|---:|');
let bad = false;
for (const bt of r.batches) {
  const fastest = Math.min(...bt.engines.filter((x) => x.medianMs != null).map((x) => x.medianMs));
  for (const x of bt.engines) {
    if (x.error) {
      bad = true;
      out.push(`| ${bt.batch} | ${x.label} | failed: ${x.error.replace(/\|/g, '/')} | | | | | |`);
      continue;
    }
    out.push(`| ${bt.batch} | ${x.label} | ${f(x.medianMs)} | ${f(Math.min(...x.ms))}-${f(Math.max(...x.ms))} | ` +
      `${f(x.firstMs)} | ${f(x.loadMs, 0)} | ${f(x.medianMs / fastest, 2)} | ${x.solved}/${bt.puzzles} |`);
  }
}
out.push('');
out.push('Ratios of median ms per step (above 1: the first named is slower):');
out.push('');
const RATIOS = [['ort-webgpu', 'ours-webgpu'], ['ort-wasm', 'ours-cpu'], ['ours-webgpu', 'ours-cpu'], ['ort-webgpu', 'ort-wasm']];
out.push('| batch | steps | ' + RATIOS.map(([x, y]) => `${x} / ${y}`).join(' | ') + ' |');
out.push('|---:|---:|' + RATIOS.map(() => '---:').join('|') + '|');
for (const bt of r.batches) {
  const m = Object.fromEntries(bt.engines.map((x) => [x.key, x.medianMs]));
  out.push(`| ${bt.batch} | ${bt.steps} | ` + RATIOS.map(([x, y]) => (m[x] && m[y] ? f(m[x] / m[y], 2) : '-')).join(' | ') + ' |');
}
out.push('');
out.push('Agreement (logits, q_halt: max abs difference; argmax: cells whose answer differs, summed over steps):');
out.push('');
out.push('| batch | pair | logits, step 1 (relative) | logits, any step | q_halt, any step | argmax cells differing | first step with one | puzzles differing at the last step |');
out.push('|---:|---|---:|---:|---:|---:|---:|---|');
const unstable = new Set();
for (const bt of r.batches) {
  for (const p of bt.pairs) {
    // A discrepancy between correct engines cannot show at step 1, before rounding has been
    // fed back through the recursion: the bound is the GPU engine's parity tolerance.
    if (!(p.step1.rel <= STEP1_TOL)) bad = true;
    p.puzzlesDifferingAtLastStep.forEach((i) => unstable.add(`${bt.batch}:${i}`));
    out.push(`| ${bt.batch} | ${p.a} vs ${p.b} | ${e(p.step1.maxAbsLogit)} (${e(p.step1.rel)}) | ${e(p.maxAbsLogit)} | ${e(p.maxAbsQHalt)} | ` +
      `${p.argmaxDiffCells} of ${bt.puzzles * c.seq_len * p.steps} | ${p.firstArgmaxDiffStep ?? '-'} | ` +
      `${p.puzzlesDifferingAtLastStep.length ? p.puzzlesDifferingAtLastStep.join(', ') : 'none'} |`);
  }
}
if (unstable.size) {
  out.push('');
  out.push('Puzzles whose answers differ between engines at the last step (0-based index in the batch): ' +
    [...unstable].map((k) => { const [bt, i] = k.split(':').map(Number); return `batch ${bt} #${i} ${r.batches.find((x) => x.batch === bt).puzzleNames[i]}`; }).join('; ') + '.');
}
out.push('');
for (const x of r.batches[0].engines) out.push(`- ${x.label}: ${x.engine ?? '-'}; ${x.state ?? '-'}`);
if (r.consoleErrors.length) out.push('', `Console errors: ${r.consoleErrors.join(' / ')}`);
console.log(out.join('\n'));
process.exit(bad ? 1 : 0);
