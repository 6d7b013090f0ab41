// A link to a Sudoku run (views/sudoku.js: runLink, readLink) in headless Chromium on the CPU
// engine: a run's "copy a link" address, opened in a new page, solves the same puzzle with
// the same settings and shows the same answer at the same step; a malformed link, one too
// long and one naming an unknown model open the page with a message and the default puzzle.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import omggif from 'omggif';
import { ROOT, browser, serve } from './harness.mjs';

const { GifReader } = omggif;

const EXAMPLES = JSON.parse(readFileSync(join(ROOT, 'www/examples/sudoku.json'), 'utf8'));
let site;
after(() => site?.server.close());

async function open(b, path) {
  site ??= await serve(join(ROOT, 'www/dist'));
  const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(site.url + path);
  await page.waitForFunction(() => window.__trm?.ready, null, { timeout: 300_000 });
  return { page, errors };
}

const finished = (page) => page.waitForFunction(() => __trm.run && !__trm.solving && __trm.steps.length > 0, null, { timeout: 600_000 });

test('a copied link replays the run to the same step; bad links say why', { timeout: 1_200_000 }, async () => {
  const b = await browser({ webgpu: false });
  try {
    const { page, errors } = await open(b, '/?backend=cpu');
    const k = 8; // Extreme #1: hard enough that the copies run every step
    assert.match(EXAMPLES[k].name, /^Extreme #1/);
    await page.selectOption('#example', String(k));
    await page.check('#think-harder');
    await page.selectOption('#copies', '4');
    await page.selectOption('#max-steps', '16');
    await page.click('#solve');
    await finished(page);
    assert.equal(await page.isDisabled('#copy-link'), false);
    // A step before the last on the timeline (a verified copy may end the solve early), then the link.
    const n = await page.evaluate(() => __trm.steps.length);
    const at = Math.max(1, Math.min(3, n - 1));
    await page.$eval('#scrub', (el, v) => { el.value = String(v); el.dispatchEvent(new Event('input')); }, at);
    await page.click('#copy-link');
    const link = await page.inputValue('#share-link');
    assert.match(link, new RegExp(`#sudoku\\?p=[1-9.]{81}&think=4x16&halt=0&seed=\\d+&model=sudoku&step=${at}$`));
    const made = await page.evaluate(() => ({ run: __trm.run, steps: __trm.steps, current: __trm.currentStep }));
    assert.equal(made.current, at - 1);
    assert.match(await page.textContent('#link-note'), new RegExp(`replays this run to step ${at}`));

    // The run as an animated GIF: one frame per step, the size the page draws.
    const [gif] = await Promise.all([page.waitForEvent('download'), page.click('#download-gif')]);
    const bytes = readFileSync(await gif.path());
    mkdirSync(join(ROOT, 'www/tests/artifacts'), { recursive: true });
    writeFileSync(join(ROOT, 'www/tests/artifacts/sudoku-run.gif'), bytes);
    const reader = new GifReader(new Uint8Array(bytes));
    assert.equal(reader.numFrames(), made.steps.length, 'a frame per step');
    assert.deepEqual([reader.width, reader.height], [326, 366]);
    // As JSON, loaded back into a fresh page: the same steps, nothing recomputed.
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    const jsonPath = await json.path();
    assert.deepEqual(errors, []);
    const { page: loaded, errors: errors3 } = await open(b, '/?backend=cpu');
    await loaded.setInputFiles('#run-file', jsonPath);
    await loaded.waitForFunction(() => __trm.steps.length > 0 && /Loaded a saved run/.test(__trm.status));
    const back = await loaded.evaluate(() => ({ run: __trm.run, steps: __trm.steps }));
    const same = (s) => s.map((x) => ({ grid: x.grid, verdict: x.verdict, chosen: x.chosen, copies: x.copies, probs: x.probs }));
    assert.deepEqual(same(back.steps), same(made.steps));
    assert.equal(back.run.puzzle, made.run.puzzle);
    // Not a run: a message, and the page keeps what it had.
    await loaded.setInputFiles('#run-file', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something else"}') });
    await loaded.waitForFunction(() => /notes\.json is not a saved Sudoku run/.test(__trm.message));
    assert.equal(await loaded.evaluate(() => __trm.steps.length), made.steps.length);
    assert.deepEqual(errors3, []);
    await loaded.close();

    const { page: again, errors: errors2 } = await open(b, link.replace(/^https?:\/\/[^/]+/, '').replace('/#', '/?backend=cpu#'));
    await finished(again);
    const replay = await again.evaluate(() => ({ run: __trm.run, steps: __trm.steps, current: __trm.currentStep }));
    assert.deepEqual({ ...replay.run }, { ...made.run }, 'the same puzzle and settings');
    assert.equal(replay.current, at - 1, 'the link opens at its step');
    const view = (s) => s.map((x) => ({ grid: x.grid, verdict: x.verdict, chosen: x.chosen, copies: x.copies, networkSteps: x.networkSteps }));
    assert.deepEqual(view(replay.steps), view(made.steps), 'every step as the run that made the link');
    assert.match(await again.textContent('#step-label'), new RegExp(`^Step ${at} of `));
    assert.deepEqual(errors2, []);
    await again.close();

    const bad = [
      ['#sudoku?p=123&model=sudoku', /puzzle \(p=\) must be 81 characters/],
      [`#sudoku?p=${EXAMPLES[k].puzzle.replace(/0/g, '.')}&model=gpt&step=1`, /names the model "gpt"/],
      [`#sudoku?p=${'.'.repeat(81)}&pad=${'x'.repeat(500)}`, /more than a link of this page can be/],
      [`#sudoku?p=${EXAMPLES[k].puzzle.replace(/0/g, '.')}&think=5x16`, /think="5x16" is not/],
      [`#sudoku?p=${EXAMPLES[k].puzzle.replace(/0/g, '.')}&think=8x32&step=40`, /step="40" is not a step from 1 to 32/],
    ];
    for (const [hash, why] of bad) {
      const { page: p, errors: e } = await open(b, `/?backend=cpu${hash}`);
      await p.waitForFunction(() => __trm.message !== '', null, { timeout: 60_000 });
      const { message, puzzle, steps } = await p.evaluate(() => ({ message: __trm.message, puzzle: __trm.puzzle, steps: __trm.steps.length }));
      assert.match(message, why, hash.slice(0, 60));
      assert.match(message, /Showing the default puzzle instead\.$/);
      assert.equal(await p.isVisible('#message'), true);
      assert.equal(steps, 0, 'nothing was solved');
      assert.equal(puzzle, null);
      assert.equal(await p.inputValue('#example'), '0', 'the default puzzle is on the grid');
      assert.deepEqual(e, []);
      await p.close();
    }
  } finally {
    await b.close();
  }
});

test('the vendored GIF encoder is the npm package\'s file', () => {
  const vendored = readFileSync(join(ROOT, 'www/vendor/gifenc.esm.js'));
  const npm = readFileSync(join(ROOT, 'www/node_modules/gifenc/dist/gifenc.esm.js'));
  assert.ok(vendored.equals(npm), 'www/vendor/gifenc.esm.js differs from gifenc in node_modules: copy it again');
});
