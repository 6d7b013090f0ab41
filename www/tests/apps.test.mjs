// The package in the tools people build with: each example app under www/apps (Vite,
// webpack, a plain page with an import map) gets the packed tarball installed offline (the
// npm cache holds the tools: `npm ci` in www fills it), is built with its tool's defaults,
// served as static files and opened in headless Chromium, where it must solve the README's
// Sudoku with the worker client and log no console error.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browser, serve } from './harness.mjs';

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

function assertSolved({ result, errors }, app) {
  assert.equal(result.error, null, `${app}: ${result.error}`);
  assert.match(result.engine, /^CPU/, `${app}: no WebGPU in this browser, so the CPU engine`);
  assert.equal(result.verdict, 'solved', `${app}: the README puzzle is solved`);
  assert.ok(result.steps.length >= 1 && result.steps.length <= 16);
  assert.match(result.answer, /^[1-9]{81}$/);
  assert.deepEqual(errors, [], `${app}: console errors`);
}

test('Vite: vite build of the example app solves in the worker', { timeout: 600_000 }, async () => {
  const { cwd } = build('vite', ['vite', 'build']);
  const dist = join(cwd, 'dist');
  const emitted = files(dist).map((f) => f.slice(dist.length + 1));
  assert.ok(emitted.some((f) => /worker.*\.js$/.test(f)), `a bundled worker among ${emitted}`);
  // Only the model the app uses: the maze and ARC files come with 'trm-web/model-url/<kind>'.
  // Vite names an asset `<name>-<hash>.<ext>`, and its hash may itself hold a '-'.
  const models = emitted.filter((f) => f.endsWith('.safetensors')).map((f) => f.replace(/^.*\//, ''));
  assert.equal(models.length, 1, `one model file among ${models}`);
  assert.match(models[0], /^sudoku-[\w-]+\.safetensors$/);
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
    assertSolved(await runInChromium(null, '/', url), 'vite dev');
  } finally {
    stopDevServer();
  }
});

test('webpack 5: the default production build of the example app solves in the worker', { timeout: 600_000 }, async () => {
  const { cwd } = build('webpack', ['webpack', '--mode', 'production']);
  assert.ok(existsSync(join(cwd, 'dist/main.js')));
  assertSolved(await runInChromium(cwd, '/index.html'), 'webpack');
});

test('a plain page with an import map solves in the worker, no build step', { timeout: 600_000 }, async () => {
  const { root } = build('script-tag', null);
  assertSolved(await runInChromium(root, '/script-tag/index.html'), 'script-tag');
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
