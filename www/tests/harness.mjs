// Shared by the browser tests: a static server over the repository root (WebGPU needs a
// secure context, so http://127.0.0.1, never file://) and Debian's Chromium driven by
// playwright-core (never a browser download).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve as serveDir } from '../serve.mjs';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** The production static server (www/serve.mjs) over the repository root by default. */
export function serve(root = ROOT, port = 0) {
  return serveDir(root, port);
}

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function browser({ webgpu = true } = {}) {
  const args = ['--no-sandbox', '--enable-precise-memory-info', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
  if (webgpu) args.push('--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader');
  else args.push('--disable-webgpu', '--disable-gpu');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

/** Opens `path` and collects console errors and page errors; `options` go to newPage. */
export async function open(b, url, path, options = {}) {
  const page = await b.newPage(options);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url + path);
  return { page, errors };
}

/** Opens a view of the demo page (www/dist) at 1280 x 900 and waits until its model is
 * loaded (a maze or ARC view: with its first maze or task on the board, which it shows after the
 * load) or has failed: `api` is the view's test handle (__trm, __trmMaze, __trmArc). */
export async function openView(b, site, path, { api = '__trm', ...options } = {}) {
  const opened = await open(b, site.url, path, { viewport: { width: 1280, height: 900 }, ...options });
  await opened.page.waitForFunction((a) => window[a]?.error || (window[a]?.ready && (a === '__trm' || window[a].question || window[a].task)), api, { timeout: 300_000 });
  return opened;
}

/** Builds www/dist unless scripts/test.sh already has (TRM_SITE_BUILT): test files run two at a
 * time there, and one rebuilding the site would pull it from under another's pages. */
export function ensureSite() {
  if (process.env.TRM_SITE_BUILT) return;
  execFileSync(resolve(ROOT, 'scripts/build-site.sh'), { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
