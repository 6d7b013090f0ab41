// A link to a Sudoku run (views/sudoku.js: runLink, readLink) in headless Chromium on the CPU
// engine: a run's "copy a link" address, opened in a new page, solves the same puzzle with
// the same settings and shows the same answer at the same step; a malformed link, one too
// long and one naming an unknown model open the page with a message and the default puzzle.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import omggif from 'omggif';
import { ROOT, browser, openView, serve } from './harness.mjs';

const { GifReader } = omggif;

const EXAMPLES = JSON.parse(readFileSync(join(ROOT, 'www/examples/sudoku.json'), 'utf8'));
let site;
after(() => site?.server.close());

async function open(b, path, api) {
  site ??= await serve(join(ROOT, 'www/dist'));
  return openView(b, site, path, { api });
}

const finished = (page) => page.waitForFunction(() => __trm.run && !__trm.solving && __trm.steps.length > 0, null, { timeout: 600_000 });

test('a copied link replays the run to the same step; bad links say why', { timeout: 1_200_000 }, async () => {
  const b = await browser({ webgpu: false });
  try {
    const { page, errors } = await open(b, '/?backend=cpu');
    const k = 8; // Extreme #1: hard enough that the copies run every step
    assert.match(EXAMPLES[k].name, /^Extreme #1/);
    await page.selectOption('#example', String(k));
    await page.selectOption('#copies', '4');
    await page.selectOption('#max-steps', '16');
    await page.click('#think');
    await finished(page);
    assert.equal(await page.isDisabled('#copy-link'), false);
    // A step before the last on the timeline (a verified copy may end the solve early), then the link.
    const n = await page.evaluate(() => __trm.steps.length);
    const at = Math.max(1, Math.min(3, n - 1));
    await page.$eval('#scrub', (el, v) => { el.value = String(v); el.dispatchEvent(new Event('input')); }, at);
    await page.check('#show-wrong');
    await page.click('#copy-link');
    const link = await page.inputValue('#share-link');
    assert.match(link, new RegExp(`#sudoku\\?p=[1-9.]{81}&think=4x16h&halt=0&seed=\\d+&model=sudoku&step=${at}&wrong=1$`));
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
    // The link restores what the page showed: the example by name, its true solution, the marks.
    assert.equal(await again.inputValue('#example'), String(k));
    assert.match(await again.textContent('#puzzle-source'), /^Extreme #1/);
    assert.equal(await again.isChecked('#show-wrong'), true);
    assert.equal(await again.inputValue('#think-seed'), String(made.run.seed));
    if (!replay.steps[at - 1].verified) assert.match(await again.textContent('#verdict'), /from the true solution|Solved/);
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
const gridDone = (page, api, n) => page.waitForFunction(([a, k]) => window[a].steps.length === k && !window[a].solving, [api, n], { timeout: 600_000 });
/** Clicks a view's "copy a link" and waits for the new link (an ARC task is deflated first). */
async function copiedLink(page, prefix) {
  const before = await page.inputValue(`#${prefix}-share-link`);
  await page.click(`#${prefix}-copy-link`);
  await page.waitForFunction(([id, old]) => { const v = document.getElementById(id).value; return v !== '' && v !== old; }, [`${prefix}-share-link`, before]);
  return page.inputValue(`#${prefix}-share-link`);
}
/** A maze's cells as the page's links carry them: 2 bits a cell ('# SG'), base64url. */
function encodeMaze(question) {
  const bytes = Buffer.alloc(Math.ceil(question.length / 4));
  [...question].forEach((ch, i) => { bytes[i >> 2] |= '# SG'.indexOf(ch) << ((i & 3) * 2); });
  return bytes.toString('base64url');
}

const scrubGrid = (page, prefix, step) => page.$eval(`#${prefix}-scrub`, (el, v) => { el.value = String(v); el.dispatchEvent(new Event('input')); }, step);

test('maze and ARC links replay the run to the same step; bad ones say why and show the first example', { timeout: 1_800_000 }, async () => {
  const b = await browser({ webgpu: false });
  const mazes = JSON.parse(readFileSync(join(ROOT, 'www/examples/maze11.json'), 'utf8'));
  const hard = JSON.parse(readFileSync(join(ROOT, 'www/examples/maze.json'), 'utf8'));
  const tasks = JSON.parse(readFileSync(join(ROOT, 'www/examples/arc.json'), 'utf8'));
  const tasks10 = JSON.parse(readFileSync(join(ROOT, 'www/examples/arc10.json'), 'utf8'));
  try {
    // Maze: the maze travels in the link (2 bits a cell), with the model that gives its side.
    const { page, errors } = await open(b, '/?backend=cpu#maze', '__trmMaze');
    await page.selectOption('#maze-example', '2');
    await page.waitForFunction((q) => __trmMaze.question === q, mazes[2].question);
    await page.selectOption('#maze-steps', '4');
    await page.selectOption('#maze-copies', '1');
    await page.click('#maze-solve');
    await gridDone(page, '__trmMaze', 4);
    await scrubGrid(page, 'maze', 2);
    const mazeLink = await copiedLink(page, 'maze');
    assert.match(mazeLink, /#maze\?model=maze11&m=[A-Za-z0-9_-]{42}&copies=1&steps=4&step=2$/);
    const mazeRun = await page.evaluate(() => __trmMaze.steps);
    const { page: m2, errors: e2 } = await open(b, mazeLink.slice(mazeLink.indexOf('/?')), '__trmMaze');
    await gridDone(m2, '__trmMaze', 4);
    assert.equal(await m2.evaluate(() => __trmMaze.question.replace(/\n/g, '')), mazes[2].question);
    // The link's maze is the example it was: named so, in the menu and above the board.
    assert.equal(await m2.inputValue('#maze-example'), '2');
    assert.equal(await m2.textContent('#maze-source'), mazes[2].name);
    assert.equal(await m2.evaluate(() => __trmMaze.currentStep), 1, 'at the linked step');
    assert.deepEqual(await m2.evaluate(() => __trmMaze.steps), mazeRun, 'the same answers and verdicts');
    assert.equal(await m2.inputValue('#maze-steps'), '4');
    assert.equal(await m2.evaluate(() => __trmMaze.side), 11);
    // A 30x30 link as the page made them before it had sizes (model=maze) opens at 30x30.
    const old = `/?backend=cpu#maze?model=maze&m=${encodeMaze(hard[1].question)}&copies=1&steps=4&step=3`;
    const { page: m3, errors: e3 } = await open(b, old, '__trmMaze');
    await gridDone(m3, '__trmMaze', 4);
    assert.equal(await m3.evaluate(() => __trmMaze.currentStep), 2);
    assert.equal(await m3.evaluate(() => __trmMaze.question), hard[1].question);
    assert.deepEqual(await m3.evaluate(() => [__trmMaze.side, __trmMaze.model, __trmMaze.message]), [30, 'maze', '']);
    assert.equal((await m3.evaluate(() => __trmMaze.steps))[0].answer.rows.length, 30);
    assert.deepEqual([...errors, ...e2, ...e3], []);
    await m3.close();

    // ARC: a bundled task by its id, and the visitor's own task deflated into the link.
    // The 30x30 model, chosen in the address (the view opens on the 10x10 one otherwise).
    const { page: a1, errors: ea } = await open(b, '/?backend=cpu&arc=arc#arc', '__trmArc');
    await a1.waitForFunction(() => __trmArc.task, null, { timeout: 120_000 });
    const own = { ...tasks[3].task, test: tasks[3].task.test.slice(0, 1) };
    await a1.setInputFiles('#arc-file', { name: 'my-task.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(own)) });
    await a1.waitForFunction(() => __trmArc.status.startsWith('Task my-task'));
    await a1.selectOption('#arc-augmentations', '1');
    await a1.selectOption('#arc-steps', '4');
    await a1.click('#arc-solve');
    await gridDone(a1, '__trmArc', 4);
    await scrubGrid(a1, 'arc', 3);
    const arcLink = await copiedLink(a1, 'arc');
    assert.match(arcLink, /#arc\?model=arc&name=my-task&t=[A-Za-z0-9_-]+&test=0&copies=1&steps=4&step=3$/);
    const arcRun = await a1.evaluate(() => __trmArc.steps);
    const { page: a2, errors: ea2 } = await open(b, arcLink.slice(arcLink.indexOf('/?')), '__trmArc');
    await gridDone(a2, '__trmArc', 4);
    assert.deepEqual(await a2.evaluate(() => __trmArc.task), own);
    assert.equal(await a2.evaluate(() => __trmArc.currentStep), 2);
    assert.deepEqual(await a2.evaluate(() => __trmArc.steps), arcRun);

    await a2.selectOption('#arc-example', '1');
    await a2.waitForFunction((n) => __trmArc.status.startsWith(`Task ${n}`), tasks[1].name);
    await a2.click('#arc-solve');
    await gridDone(a2, '__trmArc', 4);
    assert.match(await copiedLink(a2, 'arc'), new RegExp(`#arc\\?model=arc&task=${tasks[1].name}&test=0&copies=1&steps=4&step=4$`));
    assert.deepEqual([...ea, ...ea2], []);

    // Broken links: the message, and the view's first example instead of a blank view.
    // A maze link that names a model but not a maze of its side shows that size's first example.
    const bad = [
      ['#maze?model=maze&m=abc&copies=1&steps=4&step=1', '__trmMaze', /maze \(m=\) holds 8 cells, not 900/, hard[0].question],
      ['#maze?model=maze11&m=abc&copies=1&steps=4&step=1', '__trmMaze', /maze \(m=\) holds 8 cells, not 121 \(the model "maze11" reads 11x11 mazes\)/],
      [`#maze?model=maze11&m=${encodeMaze(hard[0].question)}&copies=1&steps=4&step=1`, '__trmMaze', /holds 900 cells, not 121/],
      ['#maze?model=maze&m=&copies=3&steps=4&step=1', '__trmMaze', /copies="3" is not one of the page's choices/],
      ['#maze?model=maze30&m=abc&copies=1&steps=4&step=1', '__trmMaze', /names the model "maze30"; this view has the bundled models "maze11", "maze15", and "maze"/],
      ['#arc?model=arc&task=nope&test=0&copies=1&steps=4&step=1', '__trmArc', /task "nope" is not one of the page's example tasks/],
      ['#arc?model=arc&name=x&t=%21%21&test=0&copies=1&steps=4&step=1', '__trmArc', /does not decompress/],
      // A link that names no model of the view opens on the view's first model (10x10) and its first example.
      ['#arc?model=sudoku&task=x&copies=1&steps=4&step=1', '__trmArc', /names the model "sudoku"; this view has the bundled models "arc10" and "arc"/, tasks10[0].task],
      // A link readGridLink refuses opens, as a maze link does, on the view's first model.
      ['#arc?model=arc&task=' + tasks[0].name + '&test=0&copies=1&steps=4&step=9', '__trmArc', /step="9" is not a step from 1 to 4/, tasks10[0].task],
    ];
    for (const [hash, api, why, first = mazes[0].question] of bad) {
      const { page: p, errors: e } = await open(b, `/?backend=cpu${hash}`, api);
      await p.waitForFunction((a) => window[a].message !== '' && (window[a].question || window[a].task), api, { timeout: 120_000 });
      const shown = await p.evaluate((a) => ({ message: window[a].message, question: window[a].question, task: window[a].task }), api);
      assert.match(shown.message, why, hash);
      assert.match(shown.message, /Showing the first example instead/);
      if (api === '__trmMaze') assert.equal(shown.question, first, hash);
      else assert.deepEqual(shown.task, first === mazes[0].question ? tasks[0].task : first, hash);
      assert.deepEqual(e, [], hash);
      await p.close();
    }
  } finally {
    await b.close();
  }
});

test('maze and ARC runs download as an animated GIF (a frame a step) and as JSON that loads back', { timeout: 1_800_000 }, async () => {
  const b = await browser({ webgpu: false });
  try {
    for (const [kind, api, pick] of [['maze', '__trmMaze', '#maze-copies'], ['arc', '__trmArc', '#arc-augmentations']]) {
      const { page, errors } = await open(b, `/?backend=cpu#${kind}`, api);
      await page.waitForFunction((a) => window[a].question || window[a].task, api);
      await page.selectOption(`#${kind}-steps`, '4');
      await page.selectOption(pick, '1');
      await page.click(`#${kind}-solve`);
      await gridDone(page, api, 4);
      const [gif] = await Promise.all([page.waitForEvent('download'), page.click(`#${kind}-download-gif`)]);
      const bytes = readFileSync(await gif.path());
      mkdirSync(join(ROOT, 'www/tests/artifacts'), { recursive: true });
      writeFileSync(join(ROOT, `www/tests/artifacts/${kind}-run.gif`), bytes);
      const reader = new GifReader(new Uint8Array(bytes));
      assert.equal(reader.numFrames(), 4, `${kind}: a frame per step`);
      // The maze view opens at 11x11: 32-pixel cells under a 40-pixel title line.
      if (kind === 'maze') assert.deepEqual([reader.width, reader.height], [11 * 32, 40 + 11 * 32]);
      const [json] = await Promise.all([page.waitForEvent('download'), page.click(`#${kind}-download-json`)]);
      const saved = await json.path();
      if (kind === 'maze') assert.deepEqual((({ model, side }) => ({ model, side }))(JSON.parse(readFileSync(saved, 'utf8'))), { model: 'maze11', side: 11 });
      const made = await page.evaluate((a) => ({ steps: window[a].steps, question: window[a].question ?? null, task: window[a].task ?? null }), api);

      // A fresh page loads the file and shows the same run, without solving.
      const { page: again, errors: e2 } = await open(b, `/?backend=cpu#${kind}`, api);
      await again.waitForFunction((a) => window[a].question || window[a].task, api);
      if (kind === 'maze') {
        // A saved 11x11 run loads back at 11x11 in a view showing 30x30.
        await again.check('input[name="maze-size"][value="maze"]');
        await again.waitForFunction(() => __trmMaze.ready && __trmMaze.side === 30 && __trmMaze.question, null, { timeout: 300_000 });
      }
      await again.setInputFiles(`#${kind}-run-file`, saved);
      await again.waitForFunction((a) => window[a].steps.length === 4 && /Loaded a saved run/.test(window[a].status), api);
      const loaded = await again.evaluate((a) => ({ steps: window[a].steps, question: window[a].question ?? null, task: window[a].task ?? null }), api);
      assert.deepEqual(loaded, made, `${kind}: the same run`);
      if (kind === 'maze') assert.deepEqual(await again.evaluate(() => [__trmMaze.side, __trmMaze.model, __trmMaze.size]), [11, 'maze11', 'maze11']);
      // Something else is refused with a message, and the run stays.
      await again.setInputFiles(`#${kind}-run-file`, { name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"x"}') });
      await again.waitForFunction((a) => /is not a saved (maze|ARC) run of this page/.test(window[a].message), api);
      assert.equal(await again.evaluate((a) => window[a].steps.length, api), 4);
      assert.deepEqual([...errors, ...e2], []);
      await page.close();
      await again.close();
    }
  } finally {
    await b.close();
  }
});
