// The ARC view: a task (an example, a file or pasted JSON) for one of the bundled models
// (ARC_MODELS, each reading tasks up to its canvas), its test input solved as augmented copies
// voted at every step, the top two answers against the known output, links, GIF and JSON. Its
// own ModelSlot (the shell's loader, with the same GPU-to-CPU recovery as the Sudoku view)
// starts the first time its tab is shown.
import { $, ModelSlot, animatedGif, fmtMs, h, layerSwitch, plural, readRun, sentence, showResultOnPhone, writeAddressChoice } from '../shell.js';
import { Timeline } from '../timeline.js';
import { renderLayerNote, renderEngineLines, streamSolve, userStop, watchModelFile, fetchExamples, frameTitle, gridView, modelChoice, modelSide, stopAndWait } from './grid-common.js';
import { deflate, inflate, linkTo, readGridLink, copyLink, wireExports } from './share.js';

/**
 * The ARC view's bundled models, each with its example tasks: a model reads tasks whose every
 * grid fits its canvas (side x side; its seq_len is side * side). What each solves is in
 * model-notes.js. The first is the one the view opens with.
 */
const ARC_MODELS = [
  { id: 'arc10', side: 10, label: 'Tasks within 10x10', examples: 'examples/arc10.json' },
  { id: 'arc', side: 30, label: 'Any task (up to 30x30)', examples: 'examples/arc.json' },
];
const arcModelOf = (id) => ARC_MODELS.find((m) => m.id === id);

// The palette the ARC viewers use, so grids look as people know them.
const ARC_COLOURS = ['#000000', '#0074d9', '#ff4136', '#2ecc40', '#ffdc00', '#aaaaaa', '#f012be', '#ff851b', '#7fdbff', '#870c25'];

/** A small ARC grid; `label` is read out instead of the cells. */
function arcGrid(rows, label, { size, colours } = {}) {
  if (!rows) return h('div', { class: 'arc-grid none', role: 'img', 'aria-label': `${label}: no grid` }, 'no grid');
  const hgt = rows.length;
  const w = rows[0]?.length ?? 0;
  const cell = size ?? Math.max(6, Math.min(22, Math.floor(200 / Math.max(hgt, w, 1))));
  const g = h('div', {
    class: 'arc-grid', role: 'img', 'aria-label': `${label}: ${hgt} by ${w}`,
    style: `grid-template-columns: repeat(${w}, ${cell}px); grid-auto-rows: ${cell}px`,
  });
  // `colours`: the latent view's RGB per cell (3 bytes each, row-major) instead of the palette.
  let i = 0;
  for (const r of rows) {
    for (const c of r) {
      const bg = colours ? `rgb(${colours[i * 3]}, ${colours[i * 3 + 1]}, ${colours[i * 3 + 2]})` : ARC_COLOURS[Number(c)] ?? '#fff';
      g.append(h('span', { style: `background:${bg}` }));
      i++;
    }
  }
  return g;
}

// ---------------------------------------------------------------------------------------
// ARC
// ---------------------------------------------------------------------------------------
const A = {
  size: null, // the ARC_MODELS entry whose examples the view offers, null for a model loaded by hand
  examples: [],
  name: '', // task id (the model's puzzle rows are named by it)
  source: '',
  task: null,
  text: '', // the task's JSON as loaded, what the solver reads
  test: 0,
  info: null, // the solver's view of the puzzle (augmentations, expected output)
  steps: [], // the solver's steps (crate::solve::SolveStep)
  copy: 0,
  example: -1, // index of the bundled example loaded, -1 for the visitor's own task
  layer: 'answer', // what the copy view shows: answer, y or z
  run: null, // what a link needs to replay the last solve
  solving: false,
  status: '',
  message: '',
};
let arcSlot;
let arcTimeline;
const showArcLayer = layerSwitch('arc-layer', (layer) => {
  A.layer = layer;
  renderArc();
});

function arcStatus(text) {
  A.status = text;
  $('arc-status').textContent = text;
  renderArc();
}


/** The largest side of any of a task's grids: the canvas it needs. */
const taskSide = (task) => Math.max(...[...task.train, ...task.test]
  .flatMap((p) => [p.input, p.output]).filter(Boolean).map((g) => Math.max(g.length, g[0]?.length ?? 0)));


/** `size`'s example tasks in the picker (fetched once). With `chosen` (its bundled model is the
 * one loaded) its choice is checked and the address keeps it. */
async function showArcModel(size, { chosen = true } = {}) {
  A.size = size;
  for (const r of document.querySelectorAll('input[name="arc-size"]')) r.checked = chosen && r.value === size?.id;
  if (!size) {
    A.examples = [];
  } else {
    if (chosen) writeAddressChoice('arc', size.id, ARC_MODELS[0].id);
    try {
      A.examples = await fetchExamples(size.examples);
    } catch (e) {
      A.examples = [];
      A.message = `Could not load the example tasks (${e.message}); load a task file instead.`;
    }
  }
  $('arc-example-label').textContent = size ? `Example task (ARC-AGI-1 evaluation set${size.side < 30 ? `, within ${size.side}x${size.side}` : ''})` : 'Example task (none for this model)';
  $('arc-example').replaceChildren(...A.examples.map((ex, i) => h('option', { value: String(i), text: ex.name })));
}

/**
 * Loads `size`'s bundled model and offers its examples (with `first`, shows the first). False
 * when the model did not load and the view keeps the model and task it had.
 */
async function useArcModel(size, { first = true } = {}) {
  await stopAndWait(A, arcSlot);
  if (!(await arcSlot.useShipped(size.id)) && arcSlot.solver) {
    for (const r of document.querySelectorAll('input[name="arc-size"]')) r.checked = r.value === A.size?.id;
    renderArc();
    return false;
  }
  await showArcModel(size);
  if (first && A.examples.length) await setArcTask(JSON.stringify(A.examples[0].task), A.examples[0].name, A.examples[0].source, 0);
  renderArc();
  return true;
}

async function setArcTask(text, name, source, example = -1) {
  if (A.solving) arcSlot.solver?.cancel();
  let task;
  try {
    task = await arcSlot.call('parseArcTask', text);
  } catch (e) {
    A.message = `${name}: ${e.message}`;
    renderArc();
    return;
  }
  const side = taskSide(task);
  const have = modelSide(arcSlot);
  let switched = '';
  if (have && side > have) {
    // A task larger than the model's canvas brings a bundled model that reads it; a model the
    // visitor loaded is never swapped behind their back.
    const size = ARC_MODELS.find((m) => m.side >= side);
    const fail = (why) => {
      A.message = `${name} has a grid ${side} cells across, but ${why}`;
      renderArc();
    };
    if (!size || !arcSlot.model.shipped) {
      return fail(`the model in this view reads tasks within ${have}x${have}: ${size ? `choose “${size.label}” to load its model` : 'load a model with a larger canvas'}.`);
    }
    if (!(await useArcModel(size, { first: false }))) return fail(`the model for “${size.label}” did not load (see “Engine and model”).`);
    switched = ` It is larger than ${have}x${have}, so the view switched to “${size.label}”: read what that model can do below.`;
  }
  A.task = task;
  A.text = text;
  A.name = name;
  A.source = source;
  A.example = example;
  A.run = null;
  A.test = 0;
  A.steps = [];
  A.info = null;
  A.message = '';
  arcTimeline.reset();
  arcStatus(arcSlot.solver ? `Task ${name} loaded: press Solve.${switched}` : A.status);
}

/** Says how the vote at the shown step stands against the known output. */
function arcVerdict(st) {
  if (!st) return ['', ''];
  const [first, second] = st.ranked;
  const known = A.info?.expected;
  const at = !A.solving && st === A.steps.at(-1) ? '' : ` at step ${st.step}`;
  if (!known) return [`This task does not give the expected output, so the answer${at} cannot be checked.`, ''];
  if (first?.verdict.verdict === 'solved') return [`Solved${at}: the top voted answer is the expected output (pass@1).`, 'ok'];
  if (second?.verdict.verdict === 'solved') return [`Solved at the second attempt${at}: the second voted answer is the expected output (pass@2).`, 'ok'];
  const note = arcSlot.model.shipped ? ` ${arcSlot.canDo()}` : '';
  return [`Not solved${at}: ${first ? 'neither of the top two voted answers is' : 'no copy drew a grid, so nothing is'} the expected output.${note}`, 'bad'];
}

async function solveArc() {
  if (!A.task || A.solving) return;
  await arcSlot.ensure();
  const s = arcSlot.solver;
  if (!s) return;
  A.copy = 0;
  A.info = null;
  const copies = Number($('arc-augmentations').value);
  const steps = Number($('arc-steps').value);
  A.run = { example: A.example, text: A.text, name: A.name, test: A.test, copies, steps, shipped: arcSlot.model.shipped, model: arcSlot.model.id };
  arcStatus(`Running ${copies} augmented copies as one batch…`);
  showResultOnPhone($('arc-top').closest('.card'));
  await streamSolve(A, arcSlot, arcTimeline, arcStatus, renderArc,
    () => s.solve(A.text, { steps, copies, test: A.test, task: A.name, latent: Boolean(s.hasLatentBasis), onPuzzle: (info) => { A.info = info; } }),
    (st) => `Step ${st.step} of ${steps}: ${fmtMs(st.ms)} for ${plural(st.copies.length, 'copy')}.${timeToGo(st.step, steps)}`);
}

/** An ARC solve takes seconds a step on a CPU: after each step, how long the rest takes at the
 * pace of the steps so far (on this visitor's machine, not a benchmark's). */
function timeToGo(done, steps) {
  const ms = A.steps.reduce((a, s) => a + s.ms, 0) / A.steps.length * (steps - done);
  return ms >= 2000 ? ` About ${Math.round(ms / 1000)} s to go at this pace.` : '';
}


function renderArc() {
  const t = A.task;
  $('arc-solve').disabled = !t || A.solving || !arcSlot?.ready;
  $('arc-copy-link').disabled = !A.run || !A.steps.length || A.solving;
  $('arc-download-gif').disabled = $('arc-download-json').disabled = !A.steps.length || A.solving;
  $('arc-stop').hidden = !A.solving;
  $('arc-stop').disabled = Boolean(A.stopping);
  $('arc-message').textContent = sentence(A.message);
  $('arc-message').hidden = !A.message;
  const st = A.steps[arcTimeline?.current ?? -1];
  const [verdict, kind] = arcVerdict(st);
  $('arc-verdict').textContent = verdict;
  $('arc-verdict').hidden = !verdict;
  $('arc-verdict').className = `verdict ${kind}`;
  renderEngineLines('arc', arcSlot);
  $('arc-source').textContent = t ? `${A.name}${A.source ? ` (${A.source})` : ''}` : '';
  const demos = $('arc-demos');
  demos.replaceChildren(...(t?.train ?? []).map((p, i) => h('div', { class: 'arc-pair' },
    arcGrid(p.input, `demonstration ${i + 1} input`), h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
    arcGrid(p.output, `demonstration ${i + 1} output`))));
  const pair = t?.test[A.test];
  $('arc-test').replaceChildren(...(pair ? [
    h('figure', {}, arcGrid(pair.input, 'test input'), h('figcaption', { text: 'test input' })),
    h('figure', {}, arcGrid(pair.output ?? null, 'expected output'), h('figcaption', { text: pair.output ? 'expected output' : 'expected output unknown' })),
  ] : []));
  const n = st?.copies.length ?? 0;
  $('arc-top').replaceChildren(...(st?.ranked.length ? st.ranked.map((r, i) => {
    const right = A.info?.expected ? r.verdict.verdict === 'solved' : null;
    return h('figure', { class: `arc-answer ${right === true ? 'ok' : right === false ? 'bad' : ''}` },
      arcGrid(r.answer.rows, `attempt ${i + 1}`),
      h('figcaption', { text: `attempt ${i + 1}: ${r.votes} of ${n} copies, mean confidence ${r.confidence.toFixed(2)}${right === null ? '' : right ? ' ✓ right' : ' ✗ wrong'}` }));
  }) : [h('p', { class: 'muted small', text: A.steps.length ? 'No copy drew a grid at this step.' : 'Press Solve to run the model.' })]));
  const sel = $('arc-copy');
  const names = A.info?.augmentations ?? [];
  const opts = names.map((name, i) => h('option', { value: String(i), text: `${i + 1}. ${name}` }));
  if (sel.options.length !== opts.length || [...sel.options].some((o, i) => o.textContent !== opts[i].textContent)) {
    sel.replaceChildren(...opts);
  }
  sel.value = String(A.copy);
  sel.disabled = !names.length;
  const c = st?.copies[A.copy];
  showArcLayer(A.layer, Boolean(arcSlot?.solver?.hasLatentBasis));
  const colours = A.layer !== 'answer' ? c?.latent?.[A.layer] : null;
  renderLayerNote('arc-layer-note', A.layer, arcSlot, c && c.augmentation !== 'identity' ? ` This copy's colours are relabelled (${c.augmentation}), so its y codes them with other colours than the task's own.` : '');
  $('arc-copy-view').replaceChildren(...(c ? [
    arcGrid(c.answer?.rows ?? null, `copy ${A.copy + 1} ${colours ? `${A.layer} colours` : 'answer'}`, { colours }),
    h('p', { class: 'muted small', text: `Answer of this copy at step ${st.step}, mapped back to the original orientation and colours; its halting probability is ${(1 / (1 + Math.exp(-c.qHalt))).toFixed(2)}.` }),
  ] : []));
}

const ARC_RUN = 'trm-web-arc-run';

/** An ARC grid drawn in a size x size square at (x0, y0), or "no grid". */
function drawArcGrid(ctx, rows, x0, y0, size, caption) {
  ctx.fillStyle = '#374151';
  ctx.font = '13px sans-serif';
  ctx.textAlign = 'left';
  ctx.fillText(caption, x0, y0 - 10);
  if (!rows?.length) {
    ctx.fillText('no grid', x0, y0 + 20);
    return;
  }
  const cell = Math.floor(size / Math.max(rows.length, rows[0].length));
  rows.forEach((row, r) => [...row].forEach((ch, c) => {
    ctx.fillStyle = ARC_COLOURS[Number(ch)] ?? '#fff';
    ctx.fillRect(x0 + c * cell, y0 + r * cell, cell - 1, cell - 1);
  }));
}

/** One frame per step: the top voted answer beside the expected output. */
function drawArcFrame(ctx, k) {
  const st = A.steps[k];
  const first = st.ranked[0];
  const right = first?.verdict.verdict === 'solved';
  const known = Boolean(A.info?.expected);
  frameTitle(ctx, `Step ${st.step} of ${A.steps.length}: attempt 1 ${!known ? '(no expected output)' : right ? 'is right' : 'is wrong'}`, right);
  drawArcGrid(ctx, first?.answer.rows, 8, 64, 300, `attempt 1 (${first?.votes ?? 0} of ${st.copies.length} copies)`);
  drawArcGrid(ctx, A.info?.expected?.rows, 324, 64, 300, known ? 'expected output' : 'expected output unknown');
}

const arcRunJson = () => JSON.stringify({ format: ARC_RUN, version: 1, run: { ...A.run, shipped: undefined }, info: A.info, steps: A.steps });

/** Shows a saved ARC run as if just solved: nothing recomputed. */
async function loadArcRun(file) {
  const r = await readRun(file, ARC_RUN, 'ARC', (x) => typeof x.run?.text === 'string' && Number.isInteger(x.run?.test) && x.info);
  // Runs saved before the view had several models were made with 'arc'.
  const size = arcModelOf(r.run.model ?? 'arc');
  if (size && size !== A.size && arcSlot.model.shipped) await useArcModel(size, { first: false });
  const example = A.examples.findIndex((ex) => ex.name === r.run.name && JSON.stringify(ex.task) === r.run.text);
  await setArcTask(r.run.text, r.run.name, `a saved run (${file.name})`, example);
  if (!A.task) return;
  if (r.run.test >= A.task.test.length) throw new Error(`${file.name}: its test input ${r.run.test} is not one of the task's.`);
  Object.assign(A, { test: r.run.test, info: r.info, steps: r.steps, run: { ...r.run, model: A.size?.id ?? 'arc', example, shipped: true }, copy: 0 });
  arcTimeline.set(A.steps.length);
  arcStatus(`Loaded a saved run of ${A.steps.length} steps from ${file.name}: nothing was recomputed.`);
}

async function arcLink() {
  const r = A.run;
  const params = { model: r.model };
  if (r.example >= 0) params.task = A.examples[r.example].name;
  else Object.assign(params, { name: r.name, t: await deflate(r.text) });
  return linkTo('arc', { ...params, test: String(r.test), copies: String(r.copies), steps: String(r.steps), step: String(arcTimeline.current + 1) });
}

/** The ARC run `link` (readGridLink's) names: its task loaded, solved with its settings, at its step. */
async function openArcLink(link) {
  if (!link) return false;
  const fail = (why) => {
    A.message = `${why} Showing the first example instead.`;
    renderArc();
    return false;
  };
  if (link.error) return fail(link.error);
  const { q, settings } = link;
  let text, name, source, example = -1;
  if (q.has('task')) {
    example = A.examples.findIndex((ex) => ex.name === q.get('task'));
    if (example < 0) return fail(`The link's task ${JSON.stringify(q.get('task'))} is not one of the page's example tasks.`);
    ({ name, source } = A.examples[example]);
    text = JSON.stringify(A.examples[example].task);
  } else if (q.has('t')) {
    try {
      text = await inflate(q.get('t'));
    } catch (e) {
      return fail(`The link is broken: ${e.message}.`);
    }
    name = q.get('name') || 'task';
    source = 'a link';
  } else {
    return fail('The link names no task (task= or t=).');
  }
  await setArcTask(text, name, source, example);
  if (!A.task) return fail(A.message);
  const test = Number(q.get('test') ?? '0');
  if (!Number.isInteger(test) || test < 0 || test >= A.task.test.length) return fail(`The link's test=${JSON.stringify(q.get('test'))} is not a test input of this task (0 to ${A.task.test.length - 1}).`);
  A.test = test;
  $('arc-augmentations').value = String(settings.copies);
  $('arc-steps').value = String(settings.steps);
  if (example >= 0) $('arc-example').value = String(example);
  await solveArc();
  if (A.steps.length) arcTimeline.goto(Math.min(settings.step, A.steps.length) - 1);
  renderArc();
  return true;
}

async function startArc() {
  arcTimeline = new Timeline('arc-', () => renderArc(), { live: () => A.solving });
  $('arc-solve').addEventListener('click', solveArc);
  $('arc-stop').addEventListener('click', () => userStop(A, arcSlot, arcStatus, renderArc));
  $('arc-copy').addEventListener('change', (e) => { A.copy = Number(e.target.value); renderArc(); });
  $('arc-copy-link').addEventListener('click', () => copyLink('arc', arcSlot, arcTimeline, arcLink));
  wireExports('arc', {
    gif: () => animatedGif(632, 380, A.steps.length, drawArcFrame),
    json: arcRunJson,
    load: loadArcRun,
    onError: (message) => { A.message = message; renderArc(); },
  });
  $('arc-example').addEventListener('change', (e) => {
    const k = Number(e.target.value);
    const ex = A.examples[k];
    if (ex) setArcTask(JSON.stringify(ex.task), ex.name, ex.source, k);
  });
  $('arc-file').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    // Cleared so that choosing the same file again (after fixing it) loads it again.
    e.target.value = '';
    if (file) await setArcTask(await file.text(), file.name.replace(/\.json$/i, ''), 'your file');
  });
  watchModelFile($('arc-model-file'), arcSlot, fitArcToModel);
  // The model to start with: a run link's, else the address's ?arc= (the one the visitor last
  // chose, kept over a reload), else the first.
  const link = readGridLink('arc', location.hash, { copies: 'arc-augmentations', steps: 'arc-steps' }, ARC_MODELS.map((m) => m.id));
  const asked = new URLSearchParams(location.search).get('arc');
  const size = (link && !link.error && arcModelOf(link.model)) || arcModelOf(asked) || ARC_MODELS[0];
  modelChoice('arc-sizes', 'arc-size', ARC_MODELS, size, async (m) => { if (m !== A.size) await useArcModel(m); });
  // The examples are fetched while the model loads.
  await Promise.all([arcSlot.useShipped(size.id), showArcModel(size)]);
  const message = (await openArcLink(link)) ? null : A.message;
  if (message === null) return;
  // A task the visitor loaded while the view was starting stays.
  if (A.examples.length && !A.task) await setArcTask(JSON.stringify(A.examples[0].task), A.examples[0].name, A.examples[0].source, 0);
  A.message = message;
  renderArc();
}

/** After a model file loaded by hand (or that failed, leaving the one before): the examples of
 * the bundled model, or of the largest bundled canvas the visitor's model reads. */
async function fitArcToModel() {
  if (arcSlot.model.shipped) {
    await showArcModel(arcModelOf(arcSlot.model.id) ?? null);
  } else {
    const side = modelSide(arcSlot) ?? 0;
    await showArcModel([...ARC_MODELS].sort((a, b) => b.side - a.side).find((m) => m.side <= side) ?? null, { chosen: false });
  }
  renderArc();
}

export function initArc({ onWrongKind }) {
  arcSlot = new ModelSlot('arc', { model: ARC_MODELS[0].id, onWrongKind, onChange: (text) => arcStatus(text) });
  return gridView('arc', 'tab-arc', startArc, () => arcSlot, fitArcToModel);
}

// A read-only view for tests.
window.__trmArc = Object.freeze({
  get ready() { return Boolean(arcSlot?.ready); },
  get solving() { return A.solving; },
  get status() { return A.status; },
  get verdict() { return $('arc-verdict').hidden ? '' : $('arc-verdict').textContent; },
  get message() { return A.message; },
  get error() { return arcSlot?.error ?? ''; },
  get info() { return A.info; },
  get steps() { return A.steps.map((s) => ({ step: s.step, ranked: s.ranked, copies: s.copies, verdict: s.verdict })); },
  get task() { return A.task; },
  get size() { return A.size?.id ?? null; },
  get model() { return arcSlot?.model.id ?? null; },
  get currentStep() { return arcTimeline?.current ?? -1; },
  get layer() { return A.layer; },
});
