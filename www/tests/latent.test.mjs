// The latent view of the Sudoku grid (views/sudoku.js: the Answer / y / z switch) in headless
// Chromium on the CPU engine: switching to y or z recolours every cell from the step's latent
// colours (crate::latent, read in Rust) and keeps the timeline where it was; scrubbing keeps
// the layer; y and z differ; a link carries the layer. Saves the board at steps 1, 4 and 16 of
// a solved Sudoku in y for docs/LATENT.md (www/tests/artifacts/latent-y-step{1,4,16}.png).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, browser, openView, serve } from './harness.mjs';

const EXAMPLES = JSON.parse(readFileSync(join(ROOT, 'www/examples/sudoku.json'), 'utf8'));
const ARTIFACTS = join(ROOT, 'www/tests/artifacts');
let site;
after(() => site?.server.close());

// Reduced motion: cells change colour at once, so computed colours are the final ones.
async function open(b, path, api) {
  site ??= await serve(join(ROOT, 'www/dist'));
  return openView(b, site, path, { api, reducedMotion: 'reduce' });
}

const finished = (page) => page.waitForFunction(() => __trm.run && !__trm.solving && __trm.steps.length > 0, null, { timeout: 600_000 });
/** Every cell's computed background colour, as `rgb(r, g, b)`. */
const colours = (page) => page.$$eval('#board .cell', (els) => els.map((el) => getComputedStyle(el).backgroundColor));
const scrub = (page, step) => page.$eval('#scrub', (el, v) => { el.value = String(v); el.dispatchEvent(new Event('input')); }, step);
const layer = (page, value) => page.check(`input[name="layer"][value="${value}"]`);

test('the latent switch recolours the grid by y or z and keeps the timeline', { timeout: 1_200_000 }, async () => {
  const b = await browser({ webgpu: false });
  try {
    const { page, errors } = await open(b, '/?backend=cpu');
    const k = 0; // Easy: the shipped model solves it, and without thinking harder it runs all 16 steps
    assert.match(EXAMPLES[k].name, /^Easy/);
    await page.selectOption('#example', String(k));
    await page.uncheck('#think-harder');
    await page.click('#solve');
    await finished(page);
    const steps = await page.evaluate(() => __trm.steps.map((s) => s.verdict.verdict));
    assert.equal(steps.length, 16);
    assert.equal(steps.at(-1), 'solved');

    await scrub(page, 4);
    const answer = await colours(page);
    await layer(page, 'y');
    assert.equal(await page.evaluate(() => __trm.layer), 'y');
    assert.equal(await page.evaluate(() => __trm.currentStep), 3, 'the switch keeps the step on screen');
    const y4 = await colours(page);
    const latent = await page.evaluate(() => __trm.latent);
    assert.equal(latent.y.length, 81 * 3);
    // Each cell shows its own colour from the step's read-out.
    y4.forEach((c, i) => assert.equal(c, `rgb(${latent.y[i * 3]}, ${latent.y[i * 3 + 1]}, ${latent.y[i * 3 + 2]})`, `cell ${i}`));
    assert.notDeepEqual(y4, answer);
    assert.ok(new Set(y4).size > 9, `y varies over the grid: ${new Set(y4).size} colours`);
    assert.match(await page.textContent('#layer-note'), /answer state/);
    assert.match(await page.getAttribute('#board .cell', 'aria-label'), /y colour rgb\(/);
    // The answers inside the step, one small grid per H cycle, take each cycle's colours.
    const cycles = await page.evaluate(() => __trm.cycleLatent);
    assert.equal(cycles.length, await page.$$eval('#cycle-grids .mini-grid', (g) => g.length));
    for (const [c, colours] of cycles.entries()) {
      const mini = await page.$$eval(`#cycle-grids .mini-grid[data-cycle="${c + 1}"] span`, (els) => els.map((el) => getComputedStyle(el).backgroundColor));
      mini.forEach((bg, i) => assert.equal(bg, `rgb(${colours.y[i * 3]}, ${colours.y[i * 3 + 1]}, ${colours.y[i * 3 + 2]})`, `cycle ${c + 1}, cell ${i}`));
    }
    assert.deepEqual(cycles.at(-1).y, latent.y, 'the last cycle is the step');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('#board').screenshot({ path: join(ARTIFACTS, 'latent-y-step4.png') });
    await scrub(page, 1);
    assert.equal(await page.evaluate(() => __trm.layer), 'y', 'scrubbing keeps the layer');
    const y1 = await colours(page);
    assert.notDeepEqual(y1, y4, 'y moves between steps 1 and 4');
    await page.locator('#board').screenshot({ path: join(ARTIFACTS, 'latent-y-step1.png') });
    await scrub(page, 16);
    await page.locator('#board').screenshot({ path: join(ARTIFACTS, 'latent-y-step16.png') });

    await layer(page, 'z');
    const z16 = await colours(page);
    assert.notDeepEqual(z16, await (async () => { await layer(page, 'y'); return colours(page); })(), 'z is not y');
    await layer(page, 'z');
    assert.match(await page.textContent('#layer-note'), /latent reasoning state/);

    // The link carries the layer; opened, it shows z at step 16 in the same colours.
    await page.click('#copy-link');
    const link = await page.inputValue('#share-link');
    assert.match(link, /&step=16&layer=z$/);
    const { page: again, errors: errors2 } = await open(b, link.slice(link.indexOf('/?')));
    await finished(again);
    await again.waitForFunction(() => __trm.currentStep === 15);
    assert.equal(await again.evaluate(() => __trm.layer), 'z');
    assert.deepEqual(await colours(again), z16);

    await layer(again, 'answer');
    assert.equal(await again.isHidden('#layer-note'), true);
    assert.deepEqual(errors, []);
    assert.deepEqual(errors2, []);
  } finally {
    await b.close();
  }
});

test('the maze and ARC views colour their grids by y or z too', { timeout: 1_200_000 }, async () => {
  const b = await browser({ webgpu: false });
  try {
    const { page, errors } = await open(b, '/?backend=cpu#maze', '__trmMaze');
    await page.selectOption('#maze-steps', '4');
    await page.selectOption('#maze-copies', '1');
    await page.click('#maze-solve');
    await page.waitForFunction(() => __trmMaze.steps.length === 4 && !__trmMaze.solving, null, { timeout: 600_000 });
    const cells = () => page.$$eval('#maze-board .mc', (els) => els.map((el) => getComputedStyle(el).backgroundColor));
    const answer = await cells();
    await page.check('input[name="maze-layer"][value="y"]');
    const y = await cells();
    const latent = await page.evaluate(() => __trmMaze.latent);
    // The view opens at 11x11: a colour for each of its 121 cells.
    assert.equal(y.length, 121);
    assert.equal(latent.y.length, 121 * 3);
    y.forEach((c, i) => assert.equal(c, `rgb(${latent.y[i * 3]}, ${latent.y[i * 3 + 1]}, ${latent.y[i * 3 + 2]})`, `cell ${i}`));
    assert.notDeepEqual(y, answer);
    assert.equal(await page.isHidden('#maze-layer-note'), false);
    await page.check('input[name="maze-layer"][value="z"]');
    assert.notDeepEqual(await cells(), y);

    await page.click('#tab-arc');
    await page.waitForFunction(() => window.__trmArc?.ready && window.__trmArc.task, null, { timeout: 300_000 });
    await page.selectOption('#arc-augmentations', '2');
    await page.selectOption('#arc-steps', '4');
    await page.click('#arc-solve');
    await page.waitForFunction(() => __trmArc.steps.length === 4 && !__trmArc.solving, null, { timeout: 600_000 });
    const copyCells = () => page.$$eval('#arc-copy-view .arc-grid span', (els) => els.map((el) => getComputedStyle(el).backgroundColor));
    await page.selectOption('#arc-copy', '1');
    const palette = await copyCells();
    await page.check('input[name="arc-layer"][value="y"]');
    const copy = (await page.evaluate(() => __trmArc.steps.at(-1).copies[1]));
    const ys = await copyCells();
    assert.equal(ys.length, copy.answer.width * copy.answer.height);
    ys.forEach((c, i) => assert.equal(c, `rgb(${copy.latent.y[i * 3]}, ${copy.latent.y[i * 3 + 1]}, ${copy.latent.y[i * 3 + 2]})`, `cell ${i}`));
    assert.notDeepEqual(ys, palette);
    assert.match(await page.textContent('#arc-layer-note'), /relabelled/, 'copy 2 runs under an augmentation');
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});
