// A new visitor's first minutes on the demo, as screenshots in docs/screenshots/walk-*.jpg:
// the Sudoku view before and after the first Solve (one pass), thinking harder after a rejected
// one pass, the Maze and ARC views, a phone, and the model card as the page links to it.
// Serves www/dist (scripts/build-site.sh builds it) and drives the system Chromium:
//   node www/tools/walkthrough.mjs
// JPEG at quality 60, so that the set stays a few hundred kB in the history.
import { join } from 'node:path';
import { ROOT, browser, serve } from '../tests/harness.mjs';

const OUT = join(ROOT, 'docs/screenshots');
const site = await serve(join(ROOT, 'www/dist'));
const b = await browser({ webgpu: false });
const shot = (page, name, fullPage = false) => page.screenshot({ path: join(OUT, `walk-${name}.jpg`), type: 'jpeg', quality: 60, fullPage });
try {
  const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${site.url}/`);
  await page.waitForFunction(() => __trm.ready, null, { timeout: 300_000 });
  await shot(page, '1-first-visit');
  // The first Solve, with the page's defaults: one pass, 16 steps.
  await page.selectOption('#example', '0');
  await page.click('#solve');
  await page.waitForFunction(() => !__trm.solving && __trm.steps.length > 0, null, { timeout: 300_000 });
  await page.evaluate(() => { const s = document.querySelector('[data-part="scrub"]'); s.value = '2'; s.dispatchEvent(new Event('input')); });
  await shot(page, '2-one-pass-step-2');
  // Extreme #2: the one pass fails the rules, so the page thinks harder by itself.
  await page.selectOption('#example', '9');
  await page.click('#solve');
  await page.waitForFunction(() => !__trm.solving && __trm.run?.think, null, { timeout: 600_000 });
  await shot(page, '3-think-harder');
  await page.click('#tab-maze');
  await page.waitForFunction(() => window.__trmMaze?.ready, null, { timeout: 300_000 });
  await page.click('#maze-solve');
  await page.waitForFunction(() => !__trmMaze.solving && __trmMaze.steps.length > 0, null, { timeout: 300_000 });
  await shot(page, '4-maze');
  await page.click('#tab-arc');
  await page.waitForFunction(() => window.__trmArc?.ready, null, { timeout: 300_000 });
  await shot(page, '5-arc-before-solve');
  // A phone, after a one-pass solve.
  const phone = await b.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(`${site.url}/`);
  await phone.waitForFunction(() => __trm.ready, null, { timeout: 300_000 });
  await phone.uncheck('#think-harder');
  await phone.click('#solve');
  await phone.waitForFunction(() => !__trm.solving && __trm.steps.length > 0, null, { timeout: 300_000 });
  await phone.evaluate(() => document.getElementById('board').scrollIntoView({ block: 'start' }));
  await shot(phone, '6-phone');
  await page.goto(`${site.url}/docs.html?doc=models/MODEL_CARD.md#at-a-glance`);
  await page.waitForSelector('#at-a-glance');
  await shot(page, '7-model-card');
  console.log(`screenshots in ${OUT}`);
} finally {
  await b.close();
  site.server.close();
}
