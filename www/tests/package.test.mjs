// `npm pack` gives a tarball that a fresh project installs and uses with no other download:
// make the tarball, install it into an empty project, and solve a Sudoku with it (Node.js,
// CPU engine; the browser paths are covered by the page tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHIPPED_SHA256 } from '../src/default-model.js';

const WWW = resolve(fileURLToPath(import.meta.url), '../..');

test('the packed tarball installs into a fresh project and solves', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'trm-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: WWW, encoding: 'utf8' });
  const info = JSON.parse(out)[0];
  const files = info.files.map((f) => f.path);
  const bundled = Object.keys(SHIPPED_SHA256).flatMap((name) => [`models/${name}.safetensors`, `src/model-url/${name}.js`]);
  for (const f of ['src/index.js', 'src/index.d.ts', 'src/worker.js', 'src/worker-client.js', 'pkg/trm_bg.wasm', ...bundled]) {
    assert.ok(files.includes(f), `tarball lacks ${f}`);
  }
  const project = join(dir, 'app');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
  // --offline: the tarball must need nothing from the registry.
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, info.filename)], { cwd: project, encoding: 'utf8' });
  assert.ok(existsSync(join(project, 'node_modules/trm-web/src/index.d.ts')));
  writeFileSync(join(project, 'main.mjs'), `
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSolver, parseSudoku, PuzzleError, generateMaze, checkMazePath } from 'trm-web';
const file = (spec) => readFileSync(fileURLToPath(import.meta.resolve(spec)));
const solver = await loadSolver({ backend: 'cpu', wasm: file('trm-web/trm_bg.wasm'), model: file('trm-web/models/sudoku.safetensors') });
const steps = [];
for await (const s of solver.solve('${'.'.repeat(0)}' + process.argv[2], { steps: 3, hCycles: true })) steps.push(s);
let error = null;
try { await parseSudoku('12x'); } catch (e) { error = { isPuzzleError: e instanceof PuzzleError, name: e.name, message: e.message, cells: e.cells }; }
const maze = await loadSolver({ backend: 'cpu', wasm: file('trm-web/trm_bg.wasm'), model: file('trm-web/models/maze.safetensors') });
const { question, answer } = await generateMaze(3, 110);
const mazeSteps = [];
for await (const s of maze.solve(question, { steps: 1, copies: 2 })) mazeSteps.push(s.copies.length);
const verdict = await checkMazePath(question, answer);
// The 11x11 model through its model-url module: the URL resolves inside the package, to the
// file its recorded hash names.
const { default: maze11 } = await import('trm-web/model-url/maze11');
const { createHash } = await import('node:crypto');
const maze11Bytes = readFileSync(fileURLToPath(maze11.url));
const small = await loadSolver({ backend: 'cpu', wasm: file('trm-web/trm_bg.wasm'), model: maze11Bytes });
const corridors = await generateMaze(3, 11, 11);
const smallSteps = [];
for await (const s of small.solve(corridors.question, { steps: 1 })) smallSteps.push(s.answer.rows.length);
const maze11Info = { kind: maze11.kind, hashOk: createHash('sha256').update(maze11Bytes).digest('hex') === maze11.sha256, seqLen: small.config.seq_len, smallSteps };
console.log(JSON.stringify({ maze11: maze11Info, engine: solver.engine, kind: solver.kind, steps: steps.map((s) => ({ step: s.step, cells: s.grid.length, cycles: s.cycles.length, verdict: s.verdict.verdict, p: s.haltProbability })), error, mazeKind: maze.kind, mazeSteps, verdict }));
`);
  const puzzle = '..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..';
  const r = JSON.parse(execFileSync('node', ['main.mjs', puzzle], { cwd: project, encoding: 'utf8' }));
  assert.equal(r.kind, 'sudoku');
  assert.equal(r.engine, 'CPU (WebAssembly)');
  assert.deepEqual(r.steps.map((s) => s.step), [1, 2, 3]);
  assert.ok(r.steps.every((s) => s.cells === 81 && s.cycles > 0 && s.p > 0 && s.p < 1 && ['solved', 'wrong'].includes(s.verdict)));
  assert.equal(r.error.isPuzzleError, true);
  assert.match(r.error.message, /unexpected character 'x' at row 1, column 3/);
  assert.deepEqual(r.error.cells, [2]);
  assert.equal(r.mazeKind, 'maze');
  assert.deepEqual(r.mazeSteps, [2], 'one step of two copies of a maze');
  assert.ok(r.verdict.valid && r.verdict.shortest);
  assert.deepEqual(r.maze11, { kind: 'maze', hashOk: true, seqLen: 121, smallSteps: [11] }, "'trm-web/model-url/maze11' is the 11x11 model");
  // The package's model is the repository's shipped model, byte for byte.
  assert.deepEqual(readFileSync(join(project, 'node_modules/trm-web/models/sudoku.safetensors')), readFileSync(join(WWW, '../models/sudoku.safetensors')));
});
