// The ARC and Maze views of the demo page in headless Chromium, served from www/dist with the
// shipped ARC and maze models. ARC runs its augmented copies as one batch on WebGPU
// (SwiftShader here); the maze view runs on the CPU engine. Checks what the page draws against
// what the engine returned, the voting and path verdicts against the library's own functions,
// and the bad-input messages. Screenshots go to www/tests/artifacts/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, browser, serve, ensureSite } from './harness.mjs';
import { readGlance } from '../tools/model-card.mjs';

const GLANCE = readGlance(readFileSync(join(ROOT, 'models/MODEL_CARD.md'), 'utf8'));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const DIST = join(ROOT, 'www/dist');
const ARTIFACTS = join(ROOT, 'www/tests/artifacts');
const STEP_TIMEOUT = 240_000;

let site;
before(() => {
  ensureSite();
  mkdirSync(ARTIFACTS, { recursive: true });
});
after(() => site?.server.close());

async function openPage(b, path) {
  site ??= await serve(DIST);
  const page = await b.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(site.url + path);
  return { page, errors };
}


test('maze view: solve step by step, path verdicts, generate, bad input', async () => {
  const b = await browser({ webgpu: false });
  try {
    const { page, errors } = await openPage(b, '/?backend=cpu#maze');
    await page.waitForFunction(() => (window.__trmMaze?.ready && __trmMaze.question) || window.__trmMaze?.error, null, { timeout: 300_000 });
    assert.equal(await page.evaluate(() => __trmMaze.error), '');
    // The view opens at 11x11 corridor mazes, with that size's model and examples.
    assert.deepEqual(await page.evaluate(() => [__trmMaze.size, __trmMaze.side, __trmMaze.model]), ['maze11', 11, 'maze11']);
    assert.equal(await page.isChecked('input[name="maze-size"][value="maze11"]'), true);
    assert.match(await page.textContent('#maze-model-info'), /maze11\.safetensors \(shipped\)[^:]* on CPU/);
    // The view says what the shipped model can do, measured.
    // Beside Solve, what the model can do, with the model card's figure.
    assert.match(await page.textContent('#maze-model-can'), new RegExp(`^The shipped model for 11x11 corridor mazes solves ${escape(GLANCE['maze11.one'].solved)} `));
    assert.doesNotMatch(await page.textContent('#maze-model-can'), /converted paper checkpoint/);
    const question = await page.evaluate(() => __trmMaze.question);
    const example = JSON.parse(readFileSync(join(ROOT, 'www/examples/maze11.json'), 'utf8'))[0];
    assert.equal(question, example.question);

    await page.selectOption('#maze-steps', '4');
    // One copy, so that the solve runs all 4 steps whatever the model gets right.
    await page.selectOption('#maze-copies', '1');
    await page.click('#maze-solve');
    await page.waitForFunction(() => __trmMaze.steps.length === 4 && !__trmMaze.solving, null, { timeout: 4 * STEP_TIMEOUT });
    const steps = await page.evaluate(() => __trmMaze.steps);
    assert.deepEqual(steps.map((s) => s.step), [1, 2, 3, 4]);
    // Each step's verdict is the library's path check of that step's answer.
    for (const s of steps) {
      const v = await page.evaluate(async ([q, a]) => (await import('./src/index.js')).checkMazePath(q, a), [question, s.answer.rows.join('\n')]);
      assert.equal(s.verdict.verdict === 'solved', v.reason === null);
      if (v.reason !== null) assert.equal(s.verdict.reason, v.reason);
    }
    // The board shows the last step: path cells where the model wrote 'o' on open floor.
    const classes = await page.$$eval('#maze-board .mc', (els) => els.map((e) => e.className));
    assert.equal(classes.length, 121);
    const last = steps.at(-1).answer.rows.join('');
    classes.forEach((c, i) => {
      const isPath = c.split(' ').includes('path');
      assert.equal(isPath, last[i] === 'o' && question[i] === ' ', `cell ${i}: ${c}`);
      if (question[i] === '#' && last[i] !== '#') assert.ok(c.includes('miswritten'), `cell ${i} overwrote a wall`);
    });
    // After the last step the verdict says the run is over, not "yet"; only the 30x30 model's
    // failures point to a paper checkpoint.
    assert.match(await page.textContent('#maze-verdict'), /^After the last step \(4\): (a valid shortest path|the model found no valid shortest path)/);
    assert.doesNotMatch(await page.textContent('#maze-verdict'), /converted paper checkpoint/);
    // Going back shows step 1 again.
    await page.click('#maze-back');
    await page.click('#maze-back');
    await page.click('#maze-back');
    assert.match(await page.textContent('#maze-step-label'), /^Step 1 of 4/);
    assert.match(await page.textContent('#maze-verdict'), /^At step 1:/);
    // The known shortest path can be overlaid.
    await page.check('#maze-show-truth');
    const truth = await page.$$eval('#maze-board .mc.truth', (els) => els.length);
    assert.equal(truth, example.path_length);
    await page.screenshot({ path: join(ARTIFACTS, 'maze-cpu.png'), fullPage: true });

    // Thinking harder: four copies run the maze turned and mirrored, and the verdict names the
    // copy the grid shows.
    assert.ok(steps.every((s) => s.copies.length === 1));
    await page.selectOption('#maze-copies', '4');
    await page.click('#maze-solve');
    // The first copy whose path passes the check ends the solve, so it may stop before step 4.
    await page.waitForFunction(() => __trmMaze.steps.length > 0 && !__trmMaze.solving && __trmMaze.steps[0].copies.length === 4, null, { timeout: 16 * STEP_TIMEOUT });
    const four = await page.evaluate(() => __trmMaze.steps);
    assert.deepEqual(four[0].copies.map((c) => c.augmentation), ['identity', ...four[0].copies.slice(1).map((c) => c.augmentation)]);
    assert.equal(new Set(four[0].copies.map((c) => c.augmentation)).size, 4, 'four different symmetries');
    assert.match(await page.textContent('#maze-verdict'), /The grid shows copy [1-4] of 4 \(/);
    // "auto" at 11x11 runs all 8 symmetries even on the CPU (a step costs little there); it may
    // stop early, at the first verified copy.
    await page.selectOption('#maze-copies', 'auto');
    await page.click('#maze-solve');
    await page.waitForFunction(() => !__trmMaze.solving && __trmMaze.steps.length > 0 && __trmMaze.steps[0].copies.length === 8, null, { timeout: 16 * STEP_TIMEOUT });

    // A generated maze replaces the board and clears the steps; it is 11x11 like the model.
    await page.click('#maze-generate');
    await page.waitForFunction((q) => JSON.stringify(__trmMaze.question) !== JSON.stringify(q), question);
    assert.equal(await page.evaluate(() => __trmMaze.steps.length), 0);
    assert.match(await page.textContent('#maze-source'), /Generated maze/);
    assert.match(await page.$eval('#maze-example', (el) => el.selectedOptions[0].textContent), /^Generated maze \(seed \d+\)$/, 'the example menu names the maze on the board');
    assert.deepEqual((await page.evaluate(() => __trmMaze.question)).split('\n').filter(Boolean).map((r) => r.length), new Array(11).fill(11));
    assert.equal(await page.$$eval('#maze-board .mc', (els) => els.length), 121);

    // Bad pasted mazes get a message naming the problem, and the board keeps the last maze.
    const before = await page.evaluate(() => __trmMaze.question);
    await page.fill('#maze-paste', 'S  G\n###');
    await page.click('#maze-paste-form button[type=submit]');
    await page.waitForFunction(() => __trmMaze.message !== '');
    assert.match(await page.textContent('#maze-message'), /30/);
    // Written as a sentence, whatever the engine's error looks like.
    assert.match(await page.textContent('#maze-message'), /^[A-Z].*[.?!]$/s);
    // A maze that is not square says so, in the words of the rule.
    // Both messages name the square, so wait for this paste's message, not any that says 'square'.
    const lineCountMessage = await page.evaluate(() => __trmMaze.message);
    await page.fill('#maze-paste', 'S   G\n#####\n     ');
    await page.click('#maze-paste-form button[type=submit]');
    await page.waitForFunction((m) => __trmMaze.message !== m, lineCountMessage);
    assert.equal(await page.textContent('#maze-message'), 'A maze is square: its 3 lines need 3 characters each, but line 1 has 5 characters (spaces are open cells, so trailing spaces count).');
    await page.fill('#maze-paste', `${'S'}${'x'}${' '.repeat(897)}G`);
    await page.click('#maze-paste-form button[type=submit]');
    await page.waitForFunction(() => /'x'/.test(__trmMaze.message));
    assert.match(await page.textContent('#maze-message'), /row 1, column 2/);
    assert.deepEqual(await page.evaluate(() => __trmMaze.question), before);
    // A maze whose goal cannot be reached is refused when it is pasted, not at Solve.
    await page.fill('#maze-paste', `S#G${' '.repeat(27)}${'#'.repeat(870)}`);
    await page.click('#maze-paste-form button[type=submit]');
    await page.waitForFunction(() => /no route from S to G/.test(__trmMaze.message));
    assert.deepEqual(await page.evaluate(() => __trmMaze.question), before);
    // A miswritten goal is marked in a colour that shows on the goal's red.
    const marks = await page.evaluate(() => {
      const el = document.createElement('span');
      document.getElementById('maze-board').append(el);
      const style = (cls) => { el.className = cls; return getComputedStyle(el).boxShadow; };
      const r = { open: style('mc open miswritten'), goal: style('mc goal miswritten'), goalBg: getComputedStyle(el).backgroundColor };
      el.remove();
      return r;
    });
    assert.notEqual(marks.goal, marks.open);
    assert.ok(!marks.goal.includes(marks.goalBg), `the goal's mark (${marks.goal}) is not its own colour (${marks.goalBg})`);

    // 30x30 Maze-Hard: its own model, examples and board (the same size on the page, smaller
    // cells), and its note on the model's failures.
    const boardBox = await page.$eval('#maze-board', (el) => [el.offsetWidth, el.offsetHeight]);
    const big = JSON.parse(readFileSync(join(ROOT, 'www/examples/maze.json'), 'utf8'));
    await page.check('input[name="maze-size"][value="maze"]');
    await page.waitForFunction((q) => __trmMaze.ready && __trmMaze.side === 30 && __trmMaze.question === q, big[0].question, { timeout: 300_000 });
    // The size is in the address: a reload opens it again.
    assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get('maze')), 'maze');
    await page.reload();
    await page.waitForFunction((q) => window.__trmMaze?.ready && __trmMaze.side === 30 && __trmMaze.question === q, big[0].question, { timeout: 300_000 });
    assert.equal(await page.isChecked('input[name="maze-size"][value="maze"]'), true);
    assert.deepEqual(await page.evaluate(() => [__trmMaze.size, __trmMaze.model, __trmMaze.examples, __trmMaze.message]), ['maze', 'maze', big.length, '']);
    assert.equal(await page.$$eval('#maze-board .mc', (els) => els.length), 900);
    assert.deepEqual(await page.$eval('#maze-board', (el) => [el.offsetWidth, el.offsetHeight]), boardBox);
    assert.match(await page.textContent('#maze-model-info'), /maze\.safetensors \(shipped\)[^:]* on CPU/);
    assert.match(await page.textContent('#maze-model-can'), /^The shipped model for 30x30 Maze-Hard solves none of the 200 held-out mazes .*load a converted paper checkpoint/);
    await page.selectOption('#maze-steps', '4');
    await page.selectOption('#maze-copies', '1');
    await page.click('#maze-solve');
    await page.waitForFunction(() => __trmMaze.steps.length === 4 && !__trmMaze.solving, null, { timeout: 4 * STEP_TIMEOUT });
    const bigLast = await page.evaluate(() => __trmMaze.steps.at(-1));
    assert.equal(bigLast.answer.rows.length, 30);
    if (bigLast.verdict.verdict !== 'solved') assert.match(await page.textContent('#maze-verdict'), /The shipped model for 30x30 Maze-Hard solves none .*converted paper checkpoint/);
    await page.click('#maze-generate');
    await page.waitForFunction(() => /Generated maze/.test(__trmMaze.status) && __trmMaze.question?.split('\n')[0].length === 30);
    assert.equal(await page.$$eval('#maze-board .mc', (els) => els.length), 900);

    // A pasted maze of the other size brings that size's model.
    await page.fill('#maze-paste', example.question.match(/.{11}/g).join('\n'));
    await page.click('#maze-paste-form button[type=submit]');
    await page.waitForFunction((q) => __trmMaze.ready && __trmMaze.side === 11 && __trmMaze.question?.replace(/\n/g, '') === q, example.question, { timeout: 300_000 });
    assert.deepEqual(await page.evaluate(() => [__trmMaze.size, __trmMaze.model, __trmMaze.message]), ['maze11', 'maze11', '']);
    assert.match(await page.evaluate(() => __trmMaze.status), /switched to 11x11 corridor mazes/);
    assert.equal(await page.isChecked('input[name="maze-size"][value="maze11"]'), true);
    assert.equal(await page.$$eval('#maze-board .mc', (els) => els.length), 121);
    // And back and forth with the size choice.
    await page.check('input[name="maze-size"][value="maze"]');
    await page.waitForFunction(() => __trmMaze.ready && __trmMaze.side === 30 && __trmMaze.question);
    await page.check('input[name="maze-size"][value="maze11"]');
    await page.waitForFunction((q) => __trmMaze.ready && __trmMaze.side === 11 && __trmMaze.question === q, example.question);
    await page.selectOption('#maze-steps', '4');
    await page.click('#maze-solve');
    await page.waitForFunction(() => __trmMaze.steps.length === 4 && !__trmMaze.solving, null, { timeout: 4 * STEP_TIMEOUT });
    assert.equal((await page.evaluate(() => __trmMaze.steps.at(-1))).answer.rows.length, 11);

    // The 15x15 size: its own model, examples, board and note, and its first example (held out
    // from training) solved in one pass of 16 steps.
    await page.check('input[name="maze-size"][value="maze15"]');
    const example15 = JSON.parse(readFileSync(join(ROOT, 'www/examples/maze15.json'), 'utf8'))[0];
    await page.waitForFunction((q) => __trmMaze.ready && __trmMaze.side === 15 && __trmMaze.question === q, example15.question, { timeout: 300_000 });
    assert.deepEqual(await page.evaluate(() => [__trmMaze.size, __trmMaze.model]), ['maze15', 'maze15']);
    assert.equal(await page.$$eval('#maze-board .mc', (els) => els.length), 225);
    assert.match(await page.textContent('#maze-model-can'), new RegExp(`^The shipped model for 15x15 corridor mazes solves ${escape(GLANCE['maze15.one'].solved)} `));
    await page.selectOption('#maze-steps', '16');
    await page.click('#maze-solve');
    await page.waitForFunction(() => __trmMaze.steps.length === 16 && !__trmMaze.solving, null, { timeout: 16 * STEP_TIMEOUT });
    const last15 = await page.evaluate(() => __trmMaze.steps.at(-1));
    assert.equal(last15.answer.rows.length, 15);
    assert.equal(last15.verdict.verdict, 'solved', `the 15x15 model finds the shortest path of ${example15.name}`);

    // A 30x30 model file loaded by hand: the board takes its side, and a pasted maze of
    // another side is refused with a message rather than swapping the visitor's model.
    await page.setInputFiles('#maze-model-file', join(ROOT, 'models/maze.safetensors'));
    await page.waitForFunction(() => __trmMaze.ready && __trmMaze.side === 30 && /maze\.safetensors, /.test(document.getElementById('maze-model-info').textContent), null, { timeout: 300_000 });
    assert.equal(await page.evaluate(() => __trmMaze.model), null);
    await page.fill('#maze-paste', example.question.match(/.{11}/g).join('\n'));
    await page.click('#maze-paste-form button[type=submit]');
    await page.waitForFunction(() => /is 11x11, but the model in this view reads 30x30 mazes/.test(__trmMaze.message));
    assert.equal(await page.evaluate(() => __trmMaze.side), 30);
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

test('ARC view: augmented copies as one WebGPU batch, voting, copies, own task files', async () => {
  const b = await browser({ webgpu: true });
  try {
    // The 30x30 model, chosen in the address: on SwiftShader its steps are slow enough that Stop
    // lands after the first one.
    const { page, errors } = await openPage(b, '/?backend=webgpu&arc=arc#arc');
    await page.waitForFunction(() => (window.__trmArc?.ready && __trmArc.task) || window.__trmArc?.error, null, { timeout: 300_000 });
    assert.equal(await page.evaluate(() => __trmArc.error), '');
    assert.match(await page.textContent('#arc-model-info'), /arc\.safetensors \(shipped\)[^:]* on WebGPU/);
    assert.match(await page.textContent('#arc-model-can'), /solves none of the 400 ARC-AGI-1 evaluation tasks.*converted paper checkpoint/);
    // How long a solve takes, measured (BENCHMARKS.md's page-times table), before Solve.
    assert.match(await page.textContent('#arc-model-can'), /On the CPU engine a solve of 8 copies for 16 steps took \d+(\.\d)? s on a \d+-core/);
    const task = await page.evaluate(() => __trmArc.task);
    assert.equal(await page.$$eval('#arc-demos .arc-pair', (e) => e.length), task.train.length);

    // Two copies, stopped after the first step: on SwiftShader a step takes a minute or two.
    await page.selectOption('#arc-augmentations', '2');
    await page.selectOption('#arc-steps', '4');
    await page.click('#arc-solve');
    // The status is written with each step as it arrives: after step k of 4, the time the rest takes at this pace.
    const status = await (await page.waitForFunction(() => __trmArc.steps.length >= 1 && [__trmArc.steps.length, __trmArc.status], null, { timeout: 2 * STEP_TIMEOUT })).jsonValue();
    if (status[0] < 4) assert.match(status[1], new RegExp(`^Step ${status[0]} of 4: .* for 2 copies\\. About \\d+ s to go at this pace\\.$`));
    await page.click('#arc-stop');
    await page.waitForFunction(() => !__trmArc.solving, null, { timeout: 2 * STEP_TIMEOUT });
    const { info, steps } = await page.evaluate(() => ({ info: __trmArc.info, steps: __trmArc.steps }));
    // The shipped model has its own puzzle rows for every evaluation task: the copies use them.
    assert.equal(info.augmentations.length, 2);
    assert.ok(steps.length >= 1 && steps.length < 4, 'Stop ends the solve early');
    assert.match(await page.textContent('#arc-step-label'), new RegExp(`^Step ${steps.length} of ${steps.length}`));
    assert.equal(info.augmentations[0], 'identity', 'the identity copy first');
    assert.ok(info.puzzleIds.every((id) => id > 0));
    const last = steps.at(-1);
    assert.equal(last.copies.length, 2);
    // The top two shown are the first two ranked, and right/wrong marks follow the expected output.
    const shown = await page.$$eval('#arc-top figure', (els) => els.map((e) => ({ cls: e.className, cap: e.textContent })));
    assert.equal(shown.length, Math.min(2, last.ranked.length) || 0);
    const rows = (g) => g.map((r) => r.join(''));
    shown.forEach((s, i) => {
      const right = JSON.stringify(last.ranked[i].answer.rows) === JSON.stringify(rows(task.test[0].output));
      assert.equal(last.ranked[i].verdict.verdict === 'solved', right);
      assert.ok(s.cls.includes(right ? 'ok' : 'bad'), s.cls);
      assert.match(s.cap, new RegExp(`attempt ${i + 1}: ${last.ranked[i].votes} of 2 copies`));
    });
    const verdict = await page.evaluate(() => __trmArc.verdict);
    const rank = last.ranked.findIndex((r) => JSON.stringify(r.answer.rows) === JSON.stringify(rows(task.test[0].output)));
    assert.match(verdict, rank === 0 ? /pass@1/ : rank === 1 ? /pass@2/ : /^Not solved/);
    // Any copy's answers can be viewed, back in the original frame.
    assert.equal(await page.$$eval('#arc-copy option', (o) => o.length), 2);
    await page.selectOption('#arc-copy', '1');
    const label = await page.getAttribute('#arc-copy-view .arc-grid', 'aria-label');
    const a = last.copies[1].answer;
    assert.equal(label, a ? `copy 2 answer: ${a.height} by ${a.width}` : 'copy 2 answer: no grid');
    // A grid is as wide as its cells, not a bar across the card.
    if (a) {
      const [w, cellW] = await page.$eval('#arc-copy-view .arc-grid', (g) => [g.getBoundingClientRect().width, g.firstElementChild.getBoundingClientRect().width]);
      assert.ok(w <= a.width * (cellW + 1) + 3, `the copy's grid is ${w}px wide for ${a.width} cells of ${cellW}px`);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'arc-webgpu.png'), fullPage: true });

    // A visitor's own task file; a broken one gets a message naming the pair and cell.
    const own = join(ARTIFACTS, 'own-task.json');
    writeFileSync(own, JSON.stringify({ train: [{ input: [[1, 0]], output: [[0, 1]] }], test: [{ input: [[2, 0]], output: [[0, 2]] }] }));
    await page.setInputFiles('#arc-file', own);
    await page.waitForFunction(() => __trmArc.task?.test[0].input[0][0] === 2);
    assert.match(await page.textContent('#arc-source'), /own-task \(your file\)/);
    // The same file name again, fixed or broken, loads again.
    writeFileSync(own, JSON.stringify({ train: [{ input: [[1, 12]], output: [[0]] }], test: [{ input: [[1]] }] }));
    await page.setInputFiles('#arc-file', own);
    await page.waitForFunction(() => __trmArc.message !== '');
    assert.match(await page.textContent('#arc-message'), /train pair 1, input: cell \(row 1, column 2\) holds 12/);
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

test('ARC view: opens on the 10x10 model, whose first example it solves in front of the visitor; a larger task brings the 30x30 model', async () => {
  const b = await browser({ webgpu: false });
  try {
    const { page, errors } = await openPage(b, '/?backend=cpu#arc');
    // Ready, with its first example on the board (the picker fills after the model loads).
    await page.waitForFunction(() => (window.__trmArc?.ready && __trmArc.task) || window.__trmArc?.error, null, { timeout: 300_000 });
    assert.deepEqual(await page.evaluate(() => [__trmArc.model, __trmArc.size, __trmArc.error]), ['arc10', 'arc10', '']);
    const first = JSON.parse(readFileSync(join(ROOT, 'www/examples/arc10.json'), 'utf8'))[0];
    assert.deepEqual(await page.evaluate(() => __trmArc.task), first.task);
    assert.match(await page.textContent('#arc-model-can'), new RegExp(`answers ${escape(GLANCE['arc10.eval'].solved)} of their 88 held-out test inputs`));
    assert.equal(await page.isChecked('input[name="arc-size"][value="arc10"]'), true);
    // The view's defaults (8 copies, 16 steps): the model card's one solved task, solved here.
    await page.click('#arc-solve');
    await page.waitForFunction(() => __trmArc.steps.length > 0 && !__trmArc.solving, null, { timeout: 16 * STEP_TIMEOUT });
    const steps = await page.evaluate(() => __trmArc.steps);
    assert.equal(steps.length, 16);
    assert.equal(steps.at(-1).ranked[0].verdict.verdict, 'solved');
    assert.match(await page.evaluate(() => __trmArc.verdict), /^Solved: the top voted answer is the expected output \(pass@1\)/);

    // A task with a grid over 10x10 cannot be read by the 10x10 model: the view switches to the
    // 30x30 one, says so, and shows what that model can do (none, and how long a solve takes).
    const side = (t) => Math.max(...[...t.train, ...t.test].flatMap((p) => [p.input, p.output]).filter(Boolean).map((g) => Math.max(g.length, g[0].length)));
    const big = JSON.parse(readFileSync(join(ROOT, 'www/examples/arc.json'), 'utf8')).find((ex) => side(ex.task) > 10);
    await page.setInputFiles('#arc-file', { name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(big.task)) });
    await page.waitForFunction(() => __trmArc.model === 'arc' && __trmArc.status.startsWith('Task big'), null, { timeout: 300_000 });
    assert.match(await page.evaluate(() => __trmArc.status), /larger than 10x10, so the view switched to “Any task \(up to 30x30\)”/);
    assert.equal(await page.isChecked('input[name="arc-size"][value="arc"]'), true);
    assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get('arc')), 'arc', 'the address keeps the choice');
    assert.match(await page.textContent('#arc-model-can'), /solves none of the 400 ARC-AGI-1 evaluation tasks.*On the CPU engine a solve of 8 copies for 16 steps took/);
    assert.deepEqual(await page.evaluate(() => __trmArc.task), big.task);

    // Back to 10x10 by its choice: its first example again, and the address drops the choice.
    await page.check('input[name="arc-size"][value="arc10"]');
    await page.waitForFunction(() => __trmArc.model === 'arc10' && __trmArc.size === 'arc10' && !__trmArc.status.startsWith('Task big') && __trmArc.status.startsWith('Task'), null, { timeout: 300_000 });
    assert.deepEqual(await page.evaluate(() => __trmArc.task), first.task);
    assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get('arc')), null);
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

test('on a phone, a solve in the Maze and ARC views brings the result into view', { timeout: 600_000 }, async () => {
  const b = await browser({ webgpu: false });
  try {
    const { page, errors } = await openPage(b, '/?backend=cpu#maze');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => window.__trmMaze?.ready && window.__trmMaze.question, null, { timeout: 300_000 });
    await page.selectOption('#maze-steps', '4');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    // Solve stays on screen wherever the visitor scrolled (docked at the bottom).
    const solve = await page.evaluate(() => document.getElementById('maze-solve').getBoundingClientRect().toJSON());
    assert.ok(solve.top >= 0 && solve.bottom <= 844, 'Solve is on screen');
    await page.click('#maze-solve');
    await page.waitForFunction(() => !__trmMaze.solving && __trmMaze.steps.length > 0, null, { timeout: 300_000 });
    const r = await page.evaluate(() => Object.fromEntries(['maze-board', 'maze-verdict', 'maze-solve', 'maze-scrub'].map((id) => [id, document.getElementById(id).getBoundingClientRect().toJSON()])));
    const controls = Math.min(r['maze-solve'].top, r['maze-scrub'].top);
    assert.ok(r['maze-board'].top >= -1 && r['maze-board'].bottom <= controls, `the maze is in view above the controls (${JSON.stringify(r['maze-board'])})`);
    assert.ok(r['maze-verdict'].top >= 0 && r['maze-verdict'].top < controls, 'the verdict begins above the controls');
    await page.screenshot({ path: join(ARTIFACTS, 'maze-phone.png') });
    // ARC: the voted answers' card comes into view when the solve starts.
    await page.click('#tab-arc');
    await page.waitForFunction(() => window.__trmArc?.ready && window.__trmArc.task, null, { timeout: 300_000 });
    await page.selectOption('#arc-augmentations', '1');
    await page.selectOption('#arc-steps', '4');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.click('#arc-solve');
    await page.waitForFunction(() => __trmArc.solving || __trmArc.steps?.length, null, { timeout: 60_000 });
    const top = await page.evaluate(() => document.getElementById('arc-top').closest('.card').getBoundingClientRect().top);
    assert.ok(Math.abs(top) <= 1, `the voted answers' card is at the top of the screen (${top})`);
    await page.click('#arc-stop').catch(() => {});
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});
