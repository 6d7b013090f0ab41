// The Maze view: a maze of one of the bundled sizes (MAZE_SIZES), each with its own model and
// examples, solved as copies under the maze's symmetries, each path checked; the board follows
// the model's side; links carry the maze 4 cells to a byte. Its own ModelSlot starts the first
// time its tab is shown.
import { $, ModelSlot, animatedGif, fmtMs, h, layerSwitch, readRun, sentence, showResultOnPhone, writeAddressChoice } from '../shell.js';
import { Timeline } from '../timeline.js';
import { renderLayerNote, renderEngineLines, streamSolve, userStop, watchModelFile, fetchExamples, frameTitle, gridView, modelChoice, modelSide, stopAndWait } from './grid-common.js';
import { b64url, linkTo, readGridLink, copyLink, wireExports } from './share.js';

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

const MAZE_CHARS = '# SG';
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
const showMazeLayer = layerSwitch('maze-layer', (layer) => {
  M.layer = layer;
  renderMaze();
});
// A maze's text as one line: examples are stored so, pasted and linked ones in rows.
const flat = (text) => text.replace(/\r?\n/g, '');
// "an 11x11", "an 8x8", "an 18x18", "a 30x30": the article goes by how the side is said.
const aSize = (side) => `${/^(8|11|18)$/.test(String(side)) ? 'an' : 'a'} ${side}x${side}`;
const mazeSizeOf = (id) => MAZE_SIZES.find((s) => s.id === id);

/** The side the view's model reads, or null before one is in (mazes are 3x3 at least). */
function mazeModelSide() {
  const side = modelSide(mazeSlot);
  return side >= 3 ? side : null;
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
  try {
    return await fetchExamples(size.examples);
  } catch (e) {
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


/**
 * Loads `size`'s bundled model and shows its side (with `first`, its first example). False
 * when the model did not load and the view keeps the model and maze it had.
 */
async function useMazeSize(size, { first = true } = {}) {
  await stopAndWait(M, mazeSlot);
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
  const side = mazeModelSide();
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
  modelChoice('maze-sizes', 'maze-size', MAZE_SIZES, size, async (s) => { if (s !== M.size) await useMazeSize(s); });
  $('maze-solve').addEventListener('click', solveMaze);
  $('maze-stop').addEventListener('click', () => userStop(M, mazeSlot, mazeStatus, renderMaze));
  $('maze-show-truth').addEventListener('change', renderMaze);
  $('maze-copy-link').addEventListener('click', () => copyLink('maze', mazeSlot, mazeTimeline, mazeLink));
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

export function initMaze({ onWrongKind }) {
  mazeSlot = new ModelSlot('maze', { model: MAZE_SIZES[0].id, onWrongKind, onChange: (text) => mazeStatus(text) });
  return gridView('maze', 'tab-maze', startMaze, () => mazeSlot, fitMazeToModel);
}

// A read-only view for tests.
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
