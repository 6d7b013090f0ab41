// The demo's static server as a newcomer runs it (scripts/serve.sh: `node www/serve.mjs
// www/dist PORT`), from a copy of the built site in a temporary folder with no node_modules
// anywhere above it: a server or page module that reached for an npm package (as serve.mjs
// once did through the test harness) fails here, not on a fresh machine. Fetches the page,
// every module the page can import (followed from index.html), the wasm module and a model,
// and checks their bytes and content types.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHIPPED_SHA256 } from '../src/default-model.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
let work;
let server;
let url;

function noNodeModulesAbove(dir) {
  for (let d = dir; ; d = dirname(d)) {
    assert.ok(!existsSync(join(d, 'node_modules')), `${d} has a node_modules folder`);
    if (d === parse(d).root) return;
  }
}

before(async () => {
  // scripts/test.sh has built it (TRM_SITE_BUILT) before running test files two at a time.
  if (!process.env.TRM_SITE_BUILT) execFileSync(join(ROOT, 'scripts/build-site.sh'), { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  work = mkdtempSync(join(tmpdir(), 'trm-serve-'));
  noNodeModulesAbove(work);
  cpSync(join(ROOT, 'www/serve.mjs'), join(work, 'www/serve.mjs'));
  cpSync(join(ROOT, 'www/dist'), join(work, 'www/dist'), { recursive: true });
  server = spawn(process.execPath, ['www/serve.mjs', 'www/dist', '0'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  server.stderr.on('data', (d) => { err += d; });
  url = await new Promise((ok, fail) => {
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) ok(m[0]);
    });
    server.on('exit', (code) => fail(new Error(`the server exited with ${code}: ${err}`)));
  });
});

after(() => {
  server?.kill();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function get(path) {
  const res = await fetch(url + path);
  assert.equal(res.status, 200, `${path}: status ${res.status}`);
  return { type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

test('serves the page, the wasm module and the models with their types', async () => {
  const page = await get('/');
  assert.match(page.type, /^text\/html/);
  assert.deepEqual(page.body, readFileSync(join(ROOT, 'www/dist/index.html')));

  const wasm = await get('/pkg/trm_bg.wasm');
  assert.equal(wasm.type, 'application/wasm');
  assert.deepEqual(wasm.body.subarray(0, 4), Buffer.from([0, 0x61, 0x73, 0x6d]), 'not a wasm module');
  assert.deepEqual(wasm.body, readFileSync(join(ROOT, 'www/pkg/trm_bg.wasm')));

  for (const name of Object.keys(SHIPPED_SHA256)) {
    const model = await get(`/models/${name}.safetensors`);
    assert.equal(model.type, 'application/octet-stream');
    assert.deepEqual(model.body, readFileSync(join(ROOT, `models/${name}.safetensors`)));
  }
});

test('every module the page imports is served, and none is a bare npm specifier', async () => {
  const page = (await get('/')).body.toString();
  const pending = [...page.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => new URL(m[1], url + '/').href);
  assert.ok(pending.length > 0, 'index.html loads no module script');
  const seen = new Set();
  while (pending.length) {
    const href = pending.pop();
    if (seen.has(href)) continue;
    seen.add(href);
    const { type, body } = await get(new URL(href).pathname);
    assert.match(type, /^text\/javascript/, href);
    const src = body.toString();
    const specifiers = [
      ...src.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm),
      ...src.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
      ...src.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
      ...src.matchAll(/new URL\(\s*['"]([^'"]+\.m?js)['"]\s*,\s*import\.meta\.url\s*\)/g),
    ].map((m) => m[1]);
    for (const s of specifiers) {
      assert.ok(/^\.{0,2}\//.test(s), `${href} imports '${s}', which a static host cannot resolve`);
      pending.push(new URL(s, href).href);
    }
  }
  for (const m of ['/src/index.js', '/src/worker.js', '/pkg/trm.js']) {
    assert.ok(seen.has(url + m), `${m} is not reachable from the page`);
  }
});

test('a path outside the site is refused, a missing file is a 404', async () => {
  for (const path of ['/../serve.mjs', '/%2e%2e/serve.mjs', '/no-such-file.js']) {
    const res = await fetch(url + path);
    assert.equal(res.status, 404, path);
  }
});
