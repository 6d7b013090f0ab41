// The ARC and Maze views. Each has its own ModelSlot (the shell's loader, with the same
// GPU-to-CPU recovery as the Sudoku view), started the first time its tab is shown, and keeps
// every supervision step so the visitor can step through them. Steps arrive decoded, voted
// and judged in Rust (crate::solve); nothing here reads a token.
import { $, ModelSlot, animatedGif, download, fetchJson, fmtMs, h, latentNote, layerSwitch, plural, readRun, sentence, showCanDo, showResultOnPhone, writeAddressChoice } from '../shell.js';
import { MODEL_SHORT } from '../model-notes.js';
import { Timeline } from '../timeline.js';

/**
 * The Maze view's sizes, each with its bundled model (models/<id>.safetensors) and example
 * mazes: a maze model reads mazes of the one side it was trained on (its seq_len is side * side).
 * What each model solves is in model-notes.js. The first size is the one the view opens with.
 */
const MAZE_SIZES = [
  { id: 'maze11', side: 11, label: '11x11 corridor mazes', examples: 'examples/maze11.json' },
  { id: 'maze15', side: 15, label: '15x15 corridor mazes', examples: 'examples/maze15.json' },
  { id: 'maze', side: 30, label: '30x30 Maze-Hard', examples: 'examples/maze.json' },
];

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

/** A view's latent note under its grid: what the colours mean, hidden on the answer layer. */
function renderLayerNote(id, layer, slot, extra = '') {
  const note = $(id);
  note.hidden = layer === 'answer';
  if (!note.hidden) note.textContent = `${latentNote(layer, slot?.solver?.config?.hidden_size)}${extra}`;
}

/** The engine and model lines of a view, from its slot. */
function renderEngineLines(prefix, slot) {
  $(`${prefix}-model-info`).textContent = slot ? [slot.describe({ engine: true }), slot.engineNote()].filter(Boolean).join(' ') : '';
  showCanDo($(`${prefix}-model-can`), slot);
  $(`${prefix}-engine-error`).textContent = slot?.error ?? '';
  $(`${prefix}-engine-error`).hidden = !slot?.error;
}

/**
 * Streams a solve into a view's state (`steps`, `solving`, `message`): every step kept, the
 * timeline following, a status line per step; a GPU that fails hands the view's slot to the
 * CPU engine and says so.
 */
async function streamSolve(state, slot, timeline, status, render, run, stepText) {
  state.steps = [];
  state.solving = true;
  state.message = '';
  timeline.reset();
  let error = null;
  try {
    for await (const st of run()) {
      state.steps.push(st);
      timeline.set(state.steps.length);
      status(stepText(st));
    }
    const n = plural(state.steps.length, 'step');
    status(state.stopping ? `Stopped by you after ${n}.` : `Done: ${n}.`);
  } catch (e) {
    error = e;
  } finally {
    state.solving = false;
    state.stopping = false;
  }
  if (error) {
    const switched = await slot.recover(error);
    state.message = switched ? `The GPU failed during the solve (${error.message}); the view switched to the CPU engine: press Solve to run again.` : error.message;
    status('The solve failed.');
  }
  render();
}

/** The Stop button: no step after the ones on screen is drawn, and the status says so until the
 * worker has stopped (after the step under way), when streamSolve says what was stopped. */
function userStop(state, slot, status, render) {
  if (!state.solving || state.stopping) return;
  state.stopping = true;
  status(`Stopping after ${plural(state.steps.length, 'step')}: the model finishes the step under way…`);
  slot.solver?.cancel();
  render();
}

/** Loads the model file the visitor picks in `input` into `slot`, then redraws the view
 * (`render` may be async: the Maze view fits its board to the model first). */
function watchModelFile(input, slot, render) {
  input.addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) {
      const buf = await file.arrayBuffer();
      await slot.load({ source: buf, name: file.name, shipped: false, bytes: buf.byteLength });
    }
    await render();
  });
}

// ---------------------------------------------------------------------------------------
// Links to a run, as the Sudoku view's (views/sudoku.js): the address holds the puzzle and
// the settings that change the result; opening it solves again and shows the step. A maze
// travels as 2 bits per cell; an ARC task as its example's id or, the visitor's own, as its
// JSON deflated, when the link stays under GRID_LINK_MAX characters. A maze link names its
// bundled model, and the model its maze's side.
// ---------------------------------------------------------------------------------------
const GRID_LINK_MAX = 2000;
const MAZE_CHARS = '# SG';
const b64url = {
  encode: (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  decode: (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
};

/** A maze's cells ('#', ' ', 'S', 'G'), 4 to a byte, as base64url (300 characters at 30x30,
 * 42 at 11x11). */
function encodeMaze(rows) {
  const cells = rows.join('');
  const bytes = new Uint8Array(Math.ceil(cells.length / 4));
  [...cells].forEach((ch, i) => { bytes[i >> 2] |= Math.max(0, MAZE_CHARS.indexOf(ch)) << ((i & 3) * 2); });
  return b64url.encode(bytes);
}

/** The maze text of `encodeMaze` for a maze of `side` (the side of the link's `model`), or
 * throws with what is wrong. */
function decodeMaze(text, side, model) {
  let bytes;
  try {
    bytes = b64url.decode(text);
  } catch {
    throw new Error('its maze (m=) is not base64url');
  }
  const cells = side * side;
  if (bytes.length !== Math.ceil(cells / 4)) {
    throw new Error(`its maze (m=) holds ${bytes.length * 4} cells, not ${cells} (the model "${model}" reads ${side}x${side} mazes)`);
  }
  return Array.from({ length: cells }, (_, i) => MAZE_CHARS[(bytes[i >> 2] >> ((i & 3) * 2)) & 3]).join('');
}

async function pipeBytes(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}
const deflate = async (text) => b64url.encode(await pipeBytes(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));
async function inflate(text) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await pipeBytes(b64url.decode(text), new DecompressionStream('deflate-raw')));
  } catch {
    throw new Error('its task (t=) does not decompress: the link was cut or changed');
  }
}

const linkTo = (kind, params) => `${location.origin}${location.pathname}${location.search}#${kind}?${new URLSearchParams(params)}`;

/**
 * The parameters of a link to `kind`'s view: null when the address holds none, else
 * { q, model, settings } or { error } a person can act on. `selects` names the whole-number
 * settings and the <select> whose choices they must be; `step` must lie within `steps`;
 * `models`, the view's bundled models (a link without model= names the first).
 */
function readGridLink(kind, hash, selects, models = [kind]) {
  if (!hash.startsWith(`#${kind}?`)) return null;
  if (hash.length > GRID_LINK_MAX) return { error: `The link is ${hash.length} characters long, more than a link of this page can be (${GRID_LINK_MAX}): it was cut or changed.` };
  const q = new URLSearchParams(hash.slice(kind.length + 2));
  const model = q.get('model') ?? models[0];
  if (!models.includes(model)) {
    const have = new Intl.ListFormat('en').format(models.map((m) => JSON.stringify(m)));
    return { error: `The link names the model ${JSON.stringify(model)}; this view has the bundled model${models.length > 1 ? 's' : ''} ${have} (a model file loaded by hand cannot travel in a link).` };
  }
  const settings = {};
  for (const [name, id] of Object.entries(selects)) {
    const choices = [...$(id).options].map((o) => o.value).filter((v) => /^\d+$/.test(v));
    const v = q.get(name);
    if (!choices.includes(v)) return { error: `The link's ${name}=${JSON.stringify(v)} is not one of the page's choices (${choices.join(', ')}).` };
    settings[name] = Number(v);
  }
  const step = Number(q.get('step') ?? '1');
  if (!Number.isInteger(step) || step < 1 || step > settings.steps) return { error: `The link's step=${JSON.stringify(q.get('step'))} is not a step from 1 to ${settings.steps}.` };
  return { q, model, settings: { ...settings, step } };
}

/** The "copy a link" button of a view: the link in its field, selected and copied. */
async function copyGridLink(prefix, slot, timeline, makeLink) {
  const field = $(`${prefix}-share-link`);
  const note = $(`${prefix}-link-note`);
  if (!slot.model.shipped) {
    field.hidden = true;
    note.textContent = 'This run used a model file loaded by hand: a link can only name the bundled model.';
    return;
  }
  const link = await makeLink();
  if (link.length - link.indexOf('#') > GRID_LINK_MAX) {
    field.hidden = true;
    note.textContent = `This task is too large for a link (${link.length} characters; at most ${GRID_LINK_MAX} travel): share the task file instead.`;
    return;
  }
  field.value = link;
  field.hidden = false;
  field.select();
  let copied = false;
  try {
    await navigator.clipboard.writeText(link);
    copied = true;
  } catch { /* no clipboard permission: the link is selected in the field */ }
  note.textContent = `${copied ? 'Copied. ' : ''}It replays this run to step ${timeline.current + 1} on the engine the visitor has; WebGPU and the CPU engine can round a last digit differently, which can change a late step.`;
}

/** Wires a view's "Download the run" buttons and its "Load a saved run" input. */
function wireExports(prefix, { gif, json, load, onError }) {
  $(`${prefix}-download-gif`).addEventListener('click', async () => download(`trm-${prefix}-run.gif`, 'image/gif', await gif()));
  $(`${prefix}-download-json`).addEventListener('click', () => download(`trm-${prefix}-run.json`, 'application/json', json()));
  $(`${prefix}-run-file`).addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    try {
      await load(file);
    } catch (err) {
      onError(err.message);
    }
  });
}

/** A frame's title line: the step and how it stands, green when solved. */
function frameTitle(ctx, text, ok) {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.fillStyle = ok ? '#15803d' : '#b91c1c';
  ctx.font = 'bold 16px sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillText(text, 8, 20);
}

// ---------------------------------------------------------------------------------------
// ARC
// ---------------------------------------------------------------------------------------
const A = {
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
  arcStatus(arcSlot.solver ? `Task ${name} loaded: press Solve.` : A.status);
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
  A.run = { example: A.example, text: A.text, name: A.name, test: A.test, copies, steps, shipped: arcSlot.model.shipped };
  arcStatus(`Running ${copies} augmented copies as one batch…`);
  showResultOnPhone($('arc-top').closest('.card'));
  await streamSolve(A, arcSlot, arcTimeline, arcStatus, renderArc,
    () => s.solve(A.text, { steps, copies, test: A.test, task: A.name, latent: Boolean(s.hasLatentBasis), onPuzzle: (info) => { A.info = info; } }),
    (st) => `Step ${st.step} of ${steps}: ${fmtMs(st.ms)} for ${st.copies.length} copies.`);
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
  const example = A.examples.findIndex((ex) => ex.name === r.run.name && JSON.stringify(ex.task) === r.run.text);
  await setArcTask(r.run.text, r.run.name, `a saved run (${file.name})`, example);
  if (!A.task) return;
  if (r.run.test >= A.task.test.length) throw new Error(`${file.name}: its test input ${r.run.test} is not one of the task's.`);
  Object.assign(A, { test: r.run.test, info: r.info, steps: r.steps, run: { ...r.run, example, shipped: true }, copy: 0 });
  arcTimeline.set(A.steps.length);
  arcStatus(`Loaded a saved run of ${A.steps.length} steps from ${file.name}: nothing was recomputed.`);
}

async function arcLink() {
  const r = A.run;
  const params = { model: 'arc' };
  if (r.example >= 0) params.task = A.examples[r.example].name;
  else Object.assign(params, { name: r.name, t: await deflate(r.text) });
  return linkTo('arc', { ...params, test: String(r.test), copies: String(r.copies), steps: String(r.steps), step: String(arcTimeline.current + 1) });
}

/** The ARC run the address links to: its task loaded, solved with its settings, at its step. */
async function openArcLink() {
  const link = readGridLink('arc', location.hash, { copies: 'arc-augmentations', steps: 'arc-steps' });
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
  $('arc-copy-link').addEventListener('click', () => copyGridLink('arc', arcSlot, arcTimeline, arcLink));
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
  watchModelFile($('arc-model-file'), arcSlot, renderArc);
  try {
    A.examples = await fetchJson('examples/arc.json');
  } catch (e) {
    A.message = `Could not load the example tasks (${e.message}); load a task file instead.`;
  }
  $('arc-example').replaceChildren(...A.examples.map((ex, i) => h('option', { value: String(i), text: ex.name })));
  await arcSlot.ensure();
  const message = (await openArcLink()) ? null : A.message;
  if (message === null) return;
  if (A.examples.length) await setArcTask(JSON.stringify(A.examples[0].task), A.examples[0].name, A.examples[0].source, 0);
  A.message = message;
  renderArc();
}

// ---------------------------------------------------------------------------------------
// Maze
// ---------------------------------------------------------------------------------------
const M = {
  examples: [],
  size: undefined, // the MAZE_SIZES entry the view offers (its examples), null for a model loaded by hand of another side
  side: MAZE_SIZES[0].side, // the board's side, the side the view's model reads
  name: '',
  question: null, // the maze's text
  rows: null, // the question as parsed, `side` strings
  answer: null, // a known shortest path, `side` strings with 'o', when the example has one
  info: null,
  steps: [], // the solver's steps
  solving: false,
  status: '',
  message: '',
  seed: 1,
  run: null, // what a link needs to replay the last solve
  layer: 'answer', // what the grid shows: answer, y or z
};
let mazeSlot;
let mazeTimeline;
const mazeCells = [];
const mazeExamples = new Map(); // size id -> its examples, fetched once
const showMazeLayer = layerSwitch('maze-layer', (layer) => {
  M.layer = layer;
  renderMaze();
});
// A maze's text as one line: examples are stored so, pasted and linked ones in rows.
const flat = (text) => text.replace(/\r?\n/g, '');
// "an 11x11", "an 8x8", "an 18x18", "a 30x30": the article goes by how the side is said.
const aSize = (side) => `${/^(8|11|18)$/.test(String(side)) ? 'an' : 'a'} ${side}x${side}`;
const mazeSizeOf = (id) => MAZE_SIZES.find((s) => s.id === id);

/** The side the view's model reads (its seq_len is side * side), or null before one is in. */
function modelSide() {
  const n = mazeSlot?.solver?.config?.seq_len ?? 0;
  const side = Math.round(Math.sqrt(n));
  return side >= 3 && side * side === n ? side : null;
}

function mazeStatus(text) {
  M.status = text;
  $('maze-status').textContent = text;
  renderMaze();
}

/** A new board of `side` x `side` cells; the board keeps its size on the page, so cells shrink
 * as the side grows. */
function setBoard(side) {
  M.side = side;
  mazeCells.length = 0;
  for (let i = 0; i < side * side; i++) mazeCells.push(h('span', { class: 'mc open' }));
  const board = $('maze-board');
  board.style.setProperty('--side', String(side));
  board.replaceChildren(...mazeCells);
}

/** `size`'s example mazes, fetched once; [] with a message when they cannot be fetched. */
async function examplesOf(size) {
  if (!mazeExamples.has(size.id)) mazeExamples.set(size.id, fetchJson(size.examples));
  try {
    return await mazeExamples.get(size.id);
  } catch (e) {
    mazeExamples.delete(size.id);
    M.message = `Could not load the example mazes (${e.message}); generate or paste one instead.`;
    return [];
  }
}

/**
 * Puts the view at `side`: a new board, and a maze of another side dropped (its steps too);
 * `size`'s examples in the picker. With `first`, a dropped maze makes way for the first example.
 */
async function applySide(side, size, { first = true } = {}) {
  if (side !== M.side) {
    setBoard(side);
    Object.assign(M, { question: null, rows: null, answer: null, name: '', steps: [], info: null, run: null });
    mazeTimeline.reset();
  }
  if (size !== M.size) {
    M.size = size;
    // The bundled size in use, kept in the address over a reload.
    if (size) writeAddressChoice('maze', size.id, MAZE_SIZES[0].id);
    M.examples = size ? await examplesOf(size) : [];
    $('maze-example-label').textContent = size ? `Example (${size.label}, held out from training)` : 'Example (none for this model\'s size)';
    $('maze-example').replaceChildren(...M.examples.map((ex, i) => h('option', { value: String(i), text: `${ex.name} (path ${ex.path_length})` })));
  }
  if (!first || M.question) return;
  if (M.examples.length) await setMaze(M.examples[0].question, M.examples[0].answer, M.examples[0].name);
  else M.message ||= `This model reads ${side}x${side} mazes: generate or paste one of that size.`;
}

/** Stops a solve under way and waits for it to end, so that no step of it lands on a new model. */
async function stopMazeSolve() {
  if (!M.solving) return;
  mazeSlot.solver?.cancel();
  while (M.solving) await new Promise((r) => { setTimeout(r, 50); });
}

/**
 * Loads `size`'s bundled model and shows its side (with `first`, its first example). False
 * when the model did not load and the view keeps the model and maze it had.
 */
async function useMazeSize(size, { first = true } = {}) {
  await stopMazeSolve();
  if (!(await mazeSlot.useShipped(size.id)) && mazeSlot.solver) {
    renderMaze();
    return false;
  }
  await applySide(size.side, size, { first });
  renderMaze();
  return true;
}

/** After a model file loaded by hand: the board takes the side that model reads. */
async function fitMazeToModel() {
  const side = modelSide();
  if (side && side !== M.side) await applySide(side, MAZE_SIZES.find((s) => s.side === side) ?? null);
  renderMaze();
}

async function setMaze(text, answer, name) {
  if (M.solving) mazeSlot.solver?.cancel();
  let parsed;
  try {
    parsed = await mazeSlot.call('parseMaze', text);
  } catch (e) {
    M.message = e.message;
    renderMaze();
    return false;
  }
  const side = parsed.width;
  let switched = '';
  if (side !== M.side) {
    // A model reads mazes of one side. A maze of another bundled size brings that size's model;
    // a model the visitor loaded is never swapped behind their back.
    const size = MAZE_SIZES.find((s) => s.side === side);
    const fail = (why) => {
      M.message = `${name} is ${side}x${side}, but ${why}`;
      renderMaze();
      return false;
    };
    if (!size || !mazeSlot.model.shipped) {
      return fail(`the model in this view reads ${M.side}x${M.side} mazes: ${size ? `choose “${size.label}” to load its model, or give` : 'give'} ${aSize(M.side)} maze.`);
    }
    if (!(await useMazeSize(size, { first: false }))) return fail(`the model for ${size.label} did not load (see “Engine and model”).`);
    switched = ` (the view switched to ${size.label} for it)`;
  }
  M.question = text;
  M.rows = parsed.rows;
  // The example menu names what is on the board: an example, or this maze by its own name.
  const sel = $('maze-example');
  sel.querySelector('option[value="other"]')?.remove();
  const k = M.examples.findIndex((ex) => flat(ex.question) === flat(text));
  if (k < 0) sel.append(h('option', { value: 'other', text: name }));
  sel.value = k < 0 ? 'other' : String(k);
  // A known answer, as `side` rows, whichever way its text was laid out.
  M.answer = answer ? flat(answer).match(new RegExp(`.{${side}}`, 'g')) : null;
  M.name = name;
  M.steps = [];
  M.info = null;
  M.message = '';
  M.run = null;
  mazeTimeline.reset();
  mazeStatus(mazeSlot.solver ? `${name} loaded${switched}: press Solve.` : M.status);
  return true;
}

async function solveMaze() {
  if (!M.question || M.solving) return;
  await mazeSlot.ensure();
  const s = mazeSlot.solver;
  if (!s) return;
  const steps = Number($('maze-steps').value);
  // A 30x30 maze step is about 4 GFLOP per copy: all 8 symmetries are cheap on a GPU and
  // slow on the CPU engine, so "auto" runs them there only on WebGPU. An 11x11 step is 0.43
  // GFLOP per copy (`trm info`), so its 8 copies cost the CPU less than one 30x30 copy.
  const pick = $('maze-copies').value;
  const copies = pick === 'auto' ? (s.isGpu || M.side <= 15 ? 8 : 1) : Number(pick);
  M.run = { rows: M.rows, copies, steps, model: mazeSlot.model.id };
  mazeStatus(copies > 1 ? `Solving ${copies} copies (the maze turned and mirrored) as one batch…` : 'Solving…');
  showResultOnPhone($('maze-title'));
  await streamSolve(M, mazeSlot, mazeTimeline, mazeStatus, renderMaze,
    () => s.solve(M.question, { steps, copies, stopWhenVerified: copies > 1, latent: Boolean(s.hasLatentBasis), onPuzzle: (info) => { M.info = info; } }),
    (st) => `Step ${st.step} of up to ${steps}: ${fmtMs(st.ms)}${copies > 1 ? ` for ${copies} copies, ${st.networkSteps} network steps so far` : ''}.`);
}

function verdictText(st) {
  const v = st.verdict;
  const last = st === M.steps.at(-1) && !M.solving;
  const when = last ? `After the last step (${st.step})` : `At step ${st.step}`;
  if (v.verdict === 'solved') return `${when}: a valid shortest path from S to G (${M.info?.shortestPath ?? '?'} cells).`;
  const reason = v.reason ?? 'no path';
  let t = last ? `${when}: the model found no valid shortest path (${reason}).` : `${when}: not a valid shortest path yet (${reason}).`;
  if (last && mazeSlot.model.shipped) t += ` ${mazeSlot.canDo()}`;
  return t;
}

function renderMaze() {
  $('maze-solve').disabled = !M.question || M.solving || !mazeSlot?.ready;
  $('maze-copy-link').disabled = !M.run || !M.steps.length || M.solving;
  $('maze-download-gif').disabled = $('maze-download-json').disabled = !M.steps.length || M.solving;
  $('maze-stop').hidden = !M.solving;
  $('maze-stop').disabled = Boolean(M.stopping);
  $('maze-message').textContent = sentence(M.message);
  $('maze-message').hidden = !M.message;
  // While a model loads the radio keeps the visitor's pick, not the size still shown.
  const busy = Boolean(mazeSlot?.busy);
  for (const r of document.querySelectorAll('input[name="maze-size"]')) {
    if (!busy) r.checked = r.value === M.size?.id;
    r.disabled = M.solving || busy;
  }
  $('maze-paste-label').textContent = `Or paste a maze (${M.side} lines of ${M.side}: # wall, space open, S, G)`;
  renderEngineLines('maze', mazeSlot);
  $('maze-source').textContent = M.name;
  const st = M.steps[mazeTimeline?.current ?? -1];
  const showTruth = $('maze-show-truth').checked && M.answer;
  showMazeLayer(M.layer, Boolean(mazeSlot?.solver?.hasLatentBasis));
  const colours = M.layer !== 'answer' ? st?.latent?.[M.layer] : null;
  renderLayerNote('maze-layer-note', M.layer, mazeSlot, st && !st.latent ? ' This step has no answer to colour.' : '');
  const side = M.side;
  mazeCells.forEach((el, i) => {
    const [r, c] = [Math.floor(i / side), i % side];
    const q = M.rows?.[r]?.[c] ?? ' ';
    let cls = q === '#' ? 'wall' : q === 'S' ? 'start' : q === 'G' ? 'goal' : 'open';
    let style = '';
    const a = st?.answer?.rows[r]?.[c];
    if (a !== undefined) {
      if (a === 'o' && q === ' ') { cls = 'path'; style = `opacity:${(0.35 + 0.65 * (st.confidence[i] ?? 0)).toFixed(2)}`; }
      else if (a !== q && !(a === 'o' && q !== ' ')) cls += ' miswritten';
    }
    if (showTruth && M.answer[r]?.[c] === 'o') cls += ' truth';
    // The latent view colours every cell, walls too: the network holds a state for each.
    if (colours) style = `background: rgb(${colours[i * 3]}, ${colours[i * 3 + 1]}, ${colours[i * 3 + 2]})`;
    el.className = `mc ${cls}`;
    el.style.cssText = style;
  });
  const copyNote = st && st.copies.length > 1
    ? ` The grid shows copy ${st.chosen + 1} of ${st.copies.length} (${st.copies[st.chosen].augmentation})${st.verified ? '' : `, the answer ${st.votes} of them gave`}.`
    : '';
  $('maze-verdict').textContent = st ? `${verdictText(st)}${copyNote} Halting probability ${st.haltProbability.toFixed(2)}.` : '';
  $('maze-verdict').hidden = !st;
  $('maze-verdict').className = `verdict ${st?.verdict.verdict === 'solved' ? 'ok' : st ? 'bad' : ''}`;
}

const MAZE_RUN = 'trm-web-maze-run';
// The GIF's board in pixels at every side: 12 px cells at 30x30, as the page drew them before
// it had other sizes.
const MAZE_GIF_BOARD = 360;
const mazeGifCell = () => Math.floor(MAZE_GIF_BOARD / M.side);

/** One frame per step: the maze with the model's path (blue, darker where surer). */
function drawMazeFrame(ctx, k) {
  const st = M.steps[k];
  const solved = st.verdict.verdict === 'solved';
  const [side, cell] = [M.side, mazeGifCell()];
  frameTitle(ctx, `Step ${st.step} of ${M.steps.length}: ${solved ? 'a valid shortest path' : 'no valid shortest path'}`, solved);
  for (let i = 0; i < side * side; i++) {
    const [r, c] = [Math.floor(i / side), i % side];
    const q = M.rows[r][c];
    const onPath = q === ' ' && st.answer?.rows[r]?.[c] === 'o';
    ctx.fillStyle = q === '#' ? '#1f2937' : q === 'S' ? '#16a34a' : q === 'G' ? '#dc2626'
      : onPath ? `rgba(37, 99, 235, ${(0.35 + 0.65 * (st.confidence[i] ?? 0)).toFixed(2)})` : '#fff';
    ctx.fillRect(c * cell, 40 + r * cell, cell, cell);
  }
}

// The run names its model (a bundled one's name, null for a file loaded by hand) and its side,
// so that a saved run loads back at its size.
const mazeRunJson = () => JSON.stringify({
  format: MAZE_RUN, version: 1, run: { copies: M.run.copies, steps: M.run.steps }, model: M.run.model ?? null, side: M.side,
  name: M.name, question: M.question, info: M.info, steps: M.steps,
});

/** Shows a saved maze run as if just solved: nothing recomputed. */
async function loadMazeRun(file) {
  const r = await readRun(file, MAZE_RUN, 'maze', (x) => typeof x.question === 'string' && Number.isInteger(x.run?.copies) && Number.isInteger(x.run?.steps));
  // The run's bundled model, where the view has another one of that side; else setMaze
  // switches by the maze's side, or says why it cannot.
  const size = mazeSizeOf(r.model);
  if (size && mazeSlot.model.shipped && mazeSlot.model.id !== size.id && !(await useMazeSize(size, { first: false }))) {
    throw new Error(`${file.name} is a run of the model for ${size.label}, which did not load (see “Engine and model”).`);
  }
  if (!(await setMaze(r.question, null, `${r.name ?? 'A maze'} (saved run)`))) return;
  Object.assign(M, { info: r.info, steps: r.steps, run: { rows: M.rows, copies: r.run.copies, steps: r.run.steps, model: mazeSlot.model.id } });
  mazeTimeline.set(M.steps.length);
  mazeStatus(`Loaded a saved run of ${M.steps.length} steps from ${file.name}: nothing was recomputed.`);
}

const mazeLink = () => linkTo('maze', {
  model: M.run.model, m: encodeMaze(M.run.rows), copies: String(M.run.copies), steps: String(M.run.steps), step: String(mazeTimeline.current + 1),
});

/** The maze run `link` (readGridLink's) names: its maze, solved with its settings, at its step.
 * The view already has the link's model (startMaze loads it first). */
async function openMazeLink(link) {
  const fail = (why) => {
    M.message = `${why} Showing the first example instead.`;
    return false;
  };
  if (link.error) return fail(link.error);
  const { side } = mazeSizeOf(link.model);
  let text;
  try {
    text = decodeMaze(link.q.get('m') ?? '', side, link.model);
  } catch (e) {
    return fail(`The link is broken: ${e.message}.`);
  }
  // One of the examples: named as such, with its known shortest path.
  const ex = M.examples.find((e) => flat(e.question) === flat(text));
  if (!(await setMaze(text, ex?.answer ?? null, ex?.name ?? 'A maze from a link'))) return fail(`The link's maze is not one: ${M.message}`);
  $('maze-copies').value = String(link.settings.copies);
  $('maze-steps').value = String(link.settings.steps);
  await solveMaze();
  if (M.steps.length) mazeTimeline.goto(Math.min(link.settings.step, M.steps.length) - 1);
  renderMaze();
  return true;
}

async function startMaze() {
  mazeTimeline = new Timeline('maze-', () => renderMaze(), { live: () => M.solving });
  // The size to start with: a run link's (its model), else the address's ?maze= (the size the
  // visitor last chose, kept over a reload), else the first size.
  const link = readGridLink('maze', location.hash, { copies: 'maze-copies', steps: 'maze-steps' }, MAZE_SIZES.map((s) => s.id));
  const asked = new URLSearchParams(location.search).get('maze');
  const size = (link && !link.error && mazeSizeOf(link.model)) || mazeSizeOf(asked) || MAZE_SIZES[0];
  setBoard(size.side);
  $('maze-sizes').replaceChildren(...MAZE_SIZES.map((s) => h('label', { class: 'size-choice' },
    h('input', { type: 'radio', name: 'maze-size', value: s.id, checked: s === size }),
    ` ${s.label} `, h('span', { class: 'muted small', text: `(the model ${MODEL_SHORT[s.id]})` }))));
  for (const r of document.querySelectorAll('input[name="maze-size"]')) {
    r.addEventListener('change', async () => {
      const s = mazeSizeOf(r.value);
      if (r.checked && s !== M.size) await useMazeSize(s);
    });
  }
  $('maze-solve').addEventListener('click', solveMaze);
  $('maze-stop').addEventListener('click', () => userStop(M, mazeSlot, mazeStatus, renderMaze));
  $('maze-show-truth').addEventListener('change', renderMaze);
  $('maze-copy-link').addEventListener('click', () => copyGridLink('maze', mazeSlot, mazeTimeline, mazeLink));
  wireExports('maze', {
    gif: () => animatedGif(M.side * mazeGifCell(), 40 + M.side * mazeGifCell(), M.steps.length, drawMazeFrame),
    json: mazeRunJson,
    load: loadMazeRun,
    onError: (message) => { M.message = message; renderMaze(); },
  });
  $('maze-example').addEventListener('change', async (e) => {
    const ex = M.examples[Number(e.target.value)];
    if (ex) await setMaze(ex.question, ex.answer, ex.name);
  });
  $('maze-generate').addEventListener('click', async () => {
    const seed = M.seed++;
    // 30x30: Maze-Hard's rule (a shortest path over 110 cells); an odd side: a corridor maze
    // with a path longer than the side, so that no maze is a near-straight line.
    const side = M.side;
    try {
      const { question, answer } = await mazeSlot.call('generateMaze', seed, ...(side === 30 ? [110] : [side, side]));
      await setMaze(question, answer, `Generated maze (seed ${seed})`);
    } catch (e) {
      M.message = `Could not generate ${aSize(side)} maze: ${e.message}`;
      renderMaze();
    }
  });
  $('maze-paste-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    await setMaze($('maze-paste').value, null, 'Your maze');
  });
  watchModelFile($('maze-model-file'), mazeSlot, fitMazeToModel);
  await mazeSlot.useShipped(size.id);
  await applySide(size.side, size, { first: false });
  if (link && (await openMazeLink(link))) return;
  const message = M.message;
  if (M.examples.length) await setMaze(M.examples[0].question, M.examples[0].answer, M.examples[0].name);
  M.message = message;
  renderMaze();
}

// ---------------------------------------------------------------------------------------
// The views' entries for the shell.
// ---------------------------------------------------------------------------------------
function gridView(kind, tab, start, getSlot) {
  let started = null;
  return {
    kind,
    tab,
    start() {
      started ??= start();
      return started;
    },
    /** A model file dropped in another view that turned out to be of this kind. */
    async adopt(source, name, bytes) {
      await this.start();
      await getSlot().load({ source, name, shipped: false, bytes });
      await (kind === 'arc' ? renderArc : fitMazeToModel)();
    },
  };
}

export function initGrids({ onWrongKind }) {
  arcSlot = new ModelSlot('arc', { onWrongKind, onChange: (text) => arcStatus(text) });
  mazeSlot = new ModelSlot('maze', { model: MAZE_SIZES[0].id, onWrongKind, onChange: (text) => mazeStatus(text) });
  return [gridView('arc', 'tab-arc', startArc, () => arcSlot), gridView('maze', 'tab-maze', startMaze, () => mazeSlot)];
}

// Read-only views for tests.
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
  get currentStep() { return arcTimeline?.current ?? -1; },
  get layer() { return A.layer; },
});
window.__trmMaze = Object.freeze({
  get ready() { return Boolean(mazeSlot?.ready); },
  get solving() { return M.solving; },
  get status() { return M.status; },
  get message() { return M.message; },
  get error() { return mazeSlot?.error ?? ''; },
  get question() { return M.question; },
  get side() { return M.side; },
  get size() { return M.size?.id ?? null; },
  get model() { return mazeSlot?.model.id ?? null; },
  get examples() { return M.examples.length; },
  get currentStep() { return mazeTimeline?.current ?? -1; },
  get layer() { return M.layer; },
  get latent() { return M.steps[mazeTimeline?.current ?? -1]?.latent ?? null; },
  get steps() { return M.steps.map((s) => ({ step: s.step, answer: s.answer, verdict: s.verdict, chosen: s.chosen, copies: s.copies.map((c) => ({ augmentation: c.augmentation, verdict: c.verdict })) })); },
});
