// The package in the tools people build with: each example app under www/apps (Vite,
// webpack, a plain page with an import map) gets the packed tarball installed offline (the
// npm cache holds the tools: `npm ci` in www fills it), is built with its tool's defaults,
// served as static files and opened in headless Chromium, where it must solve the README's
// Sudoku with the worker client and log no console error.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browser, serve } from './harness.mjs';
import { MAZE_SEED } from '../apps/common/show-steps.js';

const WWW = resolve(fileURLToPath(import.meta.url), '../..');
const dir = mkdtempSync(join(tmpdir(), 'trm-apps-'));
let tarball;
let devServer = null;

function stopDevServer() {
  if (!devServer) return;
  try { process.kill(-devServer.pid, 'SIGTERM'); } catch { /* already gone */ }
  devServer.stdout.destroy();
  devServer.stderr.destroy();
  devServer = null;
}
// Also after a test that timed out (its `finally` never runs), so a server left behind cannot
// keep this file from ending.
after(stopDevServer);

/** Polls `ready` until it returns true, failing with `why()` after `ms`. */
async function until(ms, ready, why) {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) assert.fail(why());
    await new Promise((r) => setTimeout(r, 250));
  }
}

function pack() {
  tarball ??= join(dir, JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: WWW, encoding: 'utf8' }))[0].filename);
  return tarball;
}

/** A copy of the apps folder (the apps import ../common) with `app` installed and built. */
function build(app, buildArgs) {
  const root = join(dir, app);
  cpSync(join(WWW, 'apps'), root, { recursive: true, filter: (p) => !p.includes('node_modules') && !p.includes('/dist') });
  const cwd = join(root, app);
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', pack()], { cwd, encoding: 'utf8', stdio: 'pipe' });
  if (buildArgs) execFileSync('npx', ['--offline', ...buildArgs], { cwd, encoding: 'utf8', stdio: 'pipe' });
  return { root, cwd };
}

/** Bytes of every file under `path`. */
function files(path) {
  return readdirSync(path, { recursive: true }).map((f) => join(path, f)).filter((f) => statSync(f).isFile());
}

async function runInChromium(serveRoot, path, url = null) {
  const site = url ? { url, server: { close() {} } } : await serve(serveRoot);
  const b = await browser({ webgpu: false });
  try {
    const page = await b.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.url()}: HTTP ${r.status()}`); });
    await page.goto(site.url + path);
    await page.waitForFunction(() => window.__trmApp?.done, null, { timeout: 240_000 });
    return { result: await page.evaluate(() => window.__trmApp), errors };
  } finally {
    await b.close();
    site.server.close();
  }
}

/** A bundled model asked for by name, in an app whose bundler emitted no such file: the same
 * ModelError, with the same advice, in every bundler. */
const BY_NAME_IN_BUNDLE = /^ModelError: could not fetch the model \S+\/arc\.safetensors: .* \(in an app built with a bundler, import the model from 'trm-web\/model-url\/arc' and pass it as `model`\)$/;

function assertSolved({ result, errors }, app, { bundled = true } = {}) {
  assert.equal(result.error, null, `${app}: ${result.error}`);
  assert.match(result.engine, /^CPU/, `${app}: no WebGPU in this browser, so the CPU engine`);
  assert.equal(result.verdict, 'solved', `${app}: the README puzzle is solved`);
  assert.ok(result.steps.length >= 1 && result.steps.length <= 16);
  assert.match(result.answer, /^[1-9]{81}$/);
  // The README's worker example with a model-url import: the 11x11 model, emitted and loaded.
  assert.deepEqual(result.maze?.steps, Array.from({ length: 16 }, (_, i) => i + 1), `${app}: the maze11 solve`);
  assert.equal(result.maze.verdict, 'solved', `${app}: the maze11 model finds the path of generateMaze(${MAZE_SEED}, 11, 11)`);
  if (bundled) assert.match(result.byName, BY_NAME_IN_BUNDLE, app);
  else assert.equal(result.byName, 'loaded arc', app);
  // A bundled app's failed fetch of the missing file is the one console error allowed.
  assert.deepEqual(errors.filter((e) => !(bundled && /arc\.safetensors/.test(e))), [], `${app}: console errors`);
}

/** No bundle may hold the build machine's paths (webpack writes one for a bare import.meta.url). */
function assertNoBuildPaths(dist, app) {
  for (const f of files(dist).filter((x) => /\.(m?js|html)$/.test(x))) {
    assert.doesNotMatch(readFileSync(f, 'utf8'), /file:\/\/\//, `${app}: ${f} holds a file:/// URL`);
  }
}

test('Vite: vite build of the example app solves in the worker', { timeout: 600_000 }, async () => {
  const { cwd } = build('vite', ['vite', 'build']);
  const dist = join(cwd, 'dist');
  const emitted = files(dist).map((f) => f.slice(dist.length + 1));
  assert.ok(emitted.some((f) => /worker.*\.js$/.test(f)), `a bundled worker among ${emitted}`);
  // Only the model the app uses: the maze and ARC files come with 'trm-web/model-url/<kind>'.
  // Vite names an asset `<name>-<hash>.<ext>`, and its hash may itself hold a '-'.
  const models = emitted.filter((f) => f.endsWith('.safetensors')).map((f) => f.replace(/^.*\//, '')).sort();
  assert.equal(models.length, 2, `two model files among ${models}`);
  assert.match(models[0], /^maze11-[\w-]+\.safetensors$/);
  assert.match(models[1], /^sudoku-[\w-]+\.safetensors$/);
  assertNoBuildPaths(dist, 'vite');
  assertSolved(await runInChromium(dist, '/index.html'), 'vite');
  // The dev server too (dependency pre-bundling must keep the package's URLs working).
  const port = 5200 + Math.floor(Math.random() * 700);
  // vite itself, in its own process group: killing an `npx` wrapper would leave the server
  // running, and this test file would never end. Its readiness is asked of the port, not read
  // from its banner: with CI set, vite colours the port number and the banner never matches.
  devServer = spawn(join(cwd, 'node_modules/.bin/vite'), ['--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  devServer.stdout.on('data', (d) => { output += d; });
  devServer.stderr.on('data', (d) => { output += d; });
  const url = `http://127.0.0.1:${port}`;
  try {
    await until(120_000, async () => {
      assert.equal(devServer.exitCode, null, `vite dev server exited with ${devServer.exitCode}: ${output}`);
      return (await fetch(url).catch(() => null))?.ok;
    }, () => `vite dev server not answering on ${url} after 120 s: ${output}`);
    // The dev server serves the package's own files, so a model by name loads there.
    assertSolved(await runInChromium(null, '/', url), 'vite dev', { bundled: false });
  } finally {
    stopDevServer();
  }
});

test('webpack 5: the default production build of the example app solves in the worker', { timeout: 600_000 }, async () => {
  const { cwd } = build('webpack', ['webpack', '--mode', 'production']);
  assert.ok(existsSync(join(cwd, 'dist/main.js')));
  assertNoBuildPaths(join(cwd, 'dist'), 'webpack');
  assertSolved(await runInChromium(cwd, '/index.html'), 'webpack');
});

test('a plain page with an import map solves in the worker, no build step', { timeout: 600_000 }, async () => {
  const { root } = build('script-tag', null);
  assertSolved(await runInChromium(root, '/script-tag/index.html'), 'script-tag', { bundled: false });
});

test('the model cache: a second load reads the Cache API, clearCache() empties it; model-url imports load', { timeout: 300_000 }, async () => {
  const site = await serve(join(WWW, 'dist'));
  const b = await browser({ webgpu: false });
  try {
    const page = await b.newPage();
    const fetched = [];
    page.on('request', (r) => { if (r.url().endsWith('.safetensors')) fetched.push(r.url().replace(/^.*\//, '')); });
    await page.goto(`${site.url}/index.html?backend=cpu#arc`);
    const r = await page.evaluate(async () => {
      const { loadSolver, clearCache } = await import('./src/index.js');
      await clearCache();
      const log = [];
      const load = async (model) => {
        let cached = null;
        const s = await loadSolver({ backend: 'cpu', model, onProgress: (p) => { cached = p.cached; } });
        log.push({ kind: s.kind, cached });
      };
      await load();
      await load();
      const cleared = await clearCache();
      await load();
      await load((await import('./src/model-url/maze.js')).default);
      return { log, cleared, emptyAgain: await clearCache() };
    });
    assert.deepEqual(r.log, [
      { kind: 'sudoku', cached: false }, { kind: 'sudoku', cached: true }, { kind: 'sudoku', cached: false }, { kind: 'maze', cached: false },
    ]);
    assert.equal(r.cleared, true);
    assert.equal(r.emptyAgain, true, 'the maze model was cached too');
    // The page's own load may fetch the ARC model; of Sudoku there are exactly the two uncached loads.
    assert.equal(fetched.filter((f) => f === 'sudoku.safetensors').length, 2, `requests: ${fetched}`);
  } finally {
    await b.close();
    site.server.close();
  }
});

test("a second maze model by name: loadSolver({ model: 'maze11' }) and its model-url solve 11x11 mazes and refuse 30x30 ones", { timeout: 300_000 }, async () => {
  const site = await serve(join(WWW, 'dist'));
  const b = await browser({ webgpu: false });
  try {
    const page = await b.newPage();
    await page.goto(`${site.url}/index.html?backend=cpu#arc`);
    const r = await page.evaluate(async () => {
      const { loadSolver, PuzzleError } = await import('./src/index.js');
      const [ex] = await (await fetch('examples/maze11.json')).json();
      const [big] = await (await fetch('examples/maze.json')).json();
      const run = async (model) => {
        const s = await loadSolver({ backend: 'cpu', model, cache: false });
        const steps = [];
        for await (const st of s.solve(ex.question, { steps: 2 })) steps.push({ rows: st.answer?.rows.length ?? 0, verdict: st.verdict.verdict });
        let refused = null;
        try {
          for await (const _ of s.solve(big.question, { steps: 1 })) { /* refused before a step */ }
        } catch (e) {
          refused = { typed: e instanceof PuzzleError, message: e.message };
        }
        return { kind: s.kind, seqLen: s.config.seq_len, steps, refused };
      };
      const urlModule = (await import('./src/model-url/maze11.js')).default;
      return { byName: await run('maze11'), byUrl: await run(urlModule), url: urlModule.url };
    });
    for (const got of [r.byName, r.byUrl]) {
      assert.equal(got.kind, 'maze');
      assert.equal(got.seqLen, 121);
      assert.equal(got.steps.length, 2);
      // The verdict is reported whatever it is: the model's accuracy is the model card's business.
      for (const st of got.steps) assert.ok(st.verdict === 'unreadable' || (st.rows === 11 && ['solved', 'wrong'].includes(st.verdict)), JSON.stringify(st));
      assert.equal(got.refused?.typed, true, JSON.stringify(got.refused));
      assert.match(got.refused.message, /this maze is 30x30, but the model was trained on 11x11 mazes/);
    }
    assert.match(r.url, /\/models\/maze11\.safetensors$/);
  } finally {
    await b.close();
    site.server.close();
  }
});

test('types: a TypeScript file using every export checks under moduleResolution "bundler"', { timeout: 300_000 }, async () => {
  const root = join(dir, 'types');
  cpSync(join(WWW, 'tests/types'), root, { recursive: true });
  execFileSync('npm', ['init', '-y'], { cwd: root, stdio: 'pipe' });
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', pack()], { cwd: root, stdio: 'pipe' });
  try {
    execFileSync(join(WWW, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail(`tsc --noEmit failed:\n${e.stdout}${e.stderr}`);
  }
  // usage.ts imports (and so tsc found declared) every export the package has at run time.
  const used = new Set(readFileSync(join(root, 'usage.ts'), 'utf8').match(/import \{([^}]*)\} from 'trm-web';/)[1]
    .split(',').map((s) => s.trim().replace(/^type /, '')));
  const runtime = Object.keys(await import(join(root, 'node_modules/trm-web/src/index.js')));
  assert.deepEqual(runtime.filter((n) => !used.has(n)), [], 'runtime exports usage.ts does not import');
});

/** The fenced ```js blocks of a Markdown file, in order. */
const jsBlocks = (path) => [...readFileSync(path, 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

/** A fresh project with the packed tarball installed, for code that imports 'trm-web'. */
function project(name) {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', pack()], { cwd: root, stdio: 'pipe' });
  return root;
}

function tsc(root, files, extra = {}) {
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], strict: true, noEmit: true,
      allowJs: true, checkJs: true, skipLibCheck: false, ...extra,
    },
    files,
  }));
  try {
    execFileSync(join(WWW, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail(`tsc --strict failed:\n${e.stdout}${e.stderr}`);
  }
}

test("Node.js: the README's script runs without a browser, on the package's own wasm and model", { timeout: 300_000 }, async () => {
  const root = project('node-app');
  const script = jsBlocks(join(WWW, 'README.md')).find((b) => b.startsWith('// solve.mjs'));
  assert.ok(script, 'the README has the Node.js script');
  writeFileSync(join(root, 'solve.mjs'), script);
  const out = execFileSync(process.execPath, ['solve.mjs'], { cwd: root, encoding: 'utf8' });
  const lines = out.trim().split('\n');
  assert.match(lines[0], /^CPU \(WebAssembly\): .*WebGPU is not available here/);
  assert.match(lines.at(-2), /^step 16: solved [1-9]{81}$/, out);
  assert.equal(lines.at(-1), 'refused: digit 5 appears twice in the same row: at row 1, column 1 and at row 1, column 2 (cells 0, 1)');
  // What Node.js cannot do is said, typed; a model path works; nothing ends the process.
  writeFileSync(join(root, 'more.mjs'), `
    import { loadSolver, TrmError, NoWebGPUError, ModelError } from 'trm-web';
    import { createWorkerSolver } from 'trm-web/worker-client';
    import { copyFileSync } from 'node:fs';
    const said = [];
    const kind = async (p) => { try { await p; said.push('ok'); } catch (e) { said.push(e.constructor.name + ': ' + e.message); } };
    await kind(createWorkerSolver());
    await kind(loadSolver({ backend: 'webgpu' }));
    await kind(loadSolver({ model: './missing.safetensors' }));
    copyFileSync(new URL('./node_modules/trm-web/models/maze11.safetensors', import.meta.url), 'mine.safetensors');
    const mine = await loadSolver({ model: 'mine.safetensors' });
    said.push(mine.kind + ' ' + mine.config.seq_len);
    console.log(JSON.stringify(said));
  `);
  const said = JSON.parse(execFileSync(process.execPath, ['more.mjs'], { cwd: root, encoding: 'utf8' }));
  assert.match(said[0], /^TrmError: createWorkerSolver needs Web Workers, which Node.js does not have: use loadSolver\(\)/);
  assert.match(said[1], /^NoWebGPUError: WebGPU is not available here/);
  assert.match(said[2], /^ModelError: could not read the model file:\/\/.*missing\.safetensors/);
  assert.equal(said[3], 'maze 121');
});

test('types: every README example and every example app type-checks under tsc --strict', { timeout: 300_000 }, async () => {
  const root = project('strict');
  const blocks = [...jsBlocks(join(WWW, 'README.md')), ...jsBlocks(join(WWW, '../README.md')).filter((b) => b.includes("from 'trm-web"))];
  assert.ok(blocks.length >= 5, `${blocks.length} examples`);
  const names = blocks.map((b, i) => {
    writeFileSync(join(root, `readme-${i}.js`), `${b}\nexport {};\n`);
    return `readme-${i}.js`;
  });
  // What the examples leave to the reader: a puzzle, a drawing function, a button, a solver.
  writeFileSync(join(root, 'reader.d.ts'), `
    declare const puzzleText: string;
    declare function render(step: import('trm-web').Step): void;
    declare function draw(...args: unknown[]): void;
    declare const stopButton: HTMLButtonElement;
    declare const solver: import('trm-web').Solver;
    declare const createWorkerSolver: typeof import('trm-web/worker-client').createWorkerSolver;
  `);
  cpSync(join(WWW, 'apps'), join(root, 'apps'), { recursive: true, filter: (p) => !p.includes('node_modules') && !p.includes('/dist') });
  const apps = ['apps/common/show-steps.js', 'apps/vite/main.js', 'apps/webpack/src/index.js'];
  tsc(root, ['reader.d.ts', ...names, ...apps]);
});

test('types: the steps, puzzles and errors that arrive, and the solve options, have exactly the declared fields', { timeout: 300_000 }, async () => {
  const root = project('shapes');
  // Every kind of answer from real solves in Node.js (copies, H cycles, latent colours,
  // restarts), written out as object literals of their declared types: tsc --strict fails on a
  // field the declarations lack (excess property), one they have that did not arrive, or a
  // value of another type.
  writeFileSync(join(root, 'collect.mjs'), `
    import { loadSolver, generateMaze, checkMazePath, parseArcTask, parseMaze, puzzleTokens } from 'trm-web';
    import { readFileSync, writeFileSync } from 'node:fs';
    const examples = (k) => JSON.parse(readFileSync(${JSON.stringify(join(WWW, 'examples'))} + '/' + k + '.json', 'utf8'));
    const out = [];
    const take = (type, value) => out.push([type, value]);
    async function solve(model, puzzle, options) {
      const s = await loadSolver({ model });
      for await (const step of s.solve(puzzle, { ...options, onPuzzle: (i) => take('PuzzleInfo', i) })) {
        if (step.step === 1 || step.done) take('Step', step);
      }
      return s;
    }
    const sudoku = await solve('sudoku', examples('sudoku')[8].puzzle, { steps: 3, copies: 2, hCycles: true, latent: true, restartAfter: 1, seed: 1 });
    await solve('maze11', examples('maze11')[0].question, { steps: 2, copies: 2, hCycles: true, latent: true });
    const arc = examples('arc')[0];
    await solve('arc', arc.task, { steps: 1, copies: 2, task: arc.name });
    for await (const b of sudoku.solveBatch([await puzzleTokens('sudoku', examples('sudoku')[0].puzzle)], { steps: 1 })) take('BatchStep', b);
    const maze = await generateMaze(3, 11, 11);
    take('MazeVerdict', await checkMazePath(maze.question, maze.answer));
    take('MazeVerdict', await checkMazePath(maze.question, maze.question));
    take('GridView', await parseMaze(maze.question));
    take('ArcTask', await parseArcTask(JSON.stringify(arc.task)));
    const cut = (v) => JSON.parse(JSON.stringify(v, (k, x) => (Array.isArray(x) && x.length > 12 && typeof x[0] === 'number' ? x.slice(0, 12) : x)));
    writeFileSync('shapes.ts', "import type { Step, PuzzleInfo, BatchStep, MazeVerdict, GridView, ArcTask } from 'trm-web';\\n"
      + out.map(([t, v], i) => 'export const v' + i + ': ' + t + ' = ' + JSON.stringify(cut(v)) + ';').join('\\n') + '\\n');
    console.log(out.map(([t]) => t).join(' '));
  `);
  const kinds = execFileSync(process.execPath, ['collect.mjs'], { cwd: root, encoding: 'utf8' }).trim().split(' ');
  assert.ok(kinds.filter((k) => k === 'Step').length === 5 && kinds.includes('PuzzleInfo') && kinds.includes('BatchStep'), kinds.join(' '));
  tsc(root, ['shapes.ts']);
  // The errors: their own fields are the declared ones (name; a PuzzleError's cells).
  const { PuzzleError, InputError, ModelError, loadSolver } = await import(join(root, 'node_modules/trm-web/src/node.js'));
  const caught = [];
  const s = await loadSolver();
  for (const [puzzle, options] of [['55' + '.'.repeat(79), {}], ['x', {}], ['.'.repeat(81), { steps: 0 }]]) {
    try {
      for await (const _ of s.solve(puzzle, options)) { /* refused before a step */ }
    } catch (e) {
      caught.push(e);
    }
  }
  await loadSolver({ model: new Uint8Array(8) }).catch((e) => caught.push(e));
  assert.deepEqual(caught.map((e) => e.constructor), [PuzzleError, PuzzleError, InputError, ModelError]);
  for (const e of caught) assert.deepEqual(Object.keys(e).sort(), e instanceof PuzzleError ? ['cells', 'name'] : ['name'], e.message);
  // PuzzleError.cells from a solve are parseSudoku's (the duplicate digits, the bad character).
  assert.deepEqual(caught[0].cells, [0, 1]);
  // The solve options: the declared ones are exactly those the Rust side reads (solveOptionNames,
  // which solve() checks a caller's names against), besides the package's own onPuzzle and signal.
  const { solveOptionNames } = await import(join(root, 'node_modules/trm-web/pkg/trm.js'));
  const names = solveOptionNames();
  assert.ok(names.solve.includes('copies') && names.hypotheses.includes('budget'), JSON.stringify(names));
  const record = (keys) => `{ ${keys.map((k) => `${k}: true`).join(', ')} }`;
  writeFileSync(join(root, 'options.ts'), "import type { SolveOptions } from 'trm-web';\n"
    + "type Own = Exclude<keyof SolveOptions, 'onPuzzle' | 'signal'>;\n"
    + `export const solve: Record<Own, true> = ${record(names.solve)};\n`
    + `export const hypotheses: Record<keyof NonNullable<SolveOptions['hypotheses']>, true> = ${record(names.hypotheses)};\n`);
  tsc(root, ['options.ts']);
});
