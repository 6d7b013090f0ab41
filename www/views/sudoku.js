// The Sudoku view: an editor, the solver in its worker (through the shell's ModelSlot), and a
// timeline of every supervision step. Each step arrives decoded and judged by the Rust rules
// (crate::solve); this file only draws it. Plain ES module, no framework.
import { $, ModelSlot, animatedGif, download, fmtBytes, fmtMs, latentNote, layerSwitch, plural, readRun, readableInk, sentence, showCanDo, writeAddressChoice } from '../shell.js';
import { Timeline } from '../timeline.js';
import { drawHaltChart } from './halt-chart.js';
import { puzzleSeed } from './puzzle-seed.js';
import { linkOfRun, readLink } from './sudoku-link.js';
import { FRAME_HEIGHT, FRAME_WIDTH, drawFrame } from './sudoku-frame.js';
import { hypothesisAt, hypothesisLabel, isSearch, roundRows, roundSentence, searchSummary } from './hypotheses.js';

const N = 81;
/** An example's puzzle as the page writes puzzles ('.' for a blank; the examples use '0'). */
const exampleText = (ex) => ex.puzzle.replace(/0/g, '.');
const THRESHOLD = 0.5;
// Thinking harder, each attempt of a copy gets this many steps before a copy whose answer
// the rules reject starts over under a fresh augmentation: the shipped model solves what it
// will solve within a few steps, so the step limit buys more attempts (MODEL_CARD.md).
const RESTART_AFTER = 8;

// ---------------------------------------------------------------------------------------
// State. Everything the page shows is drawn from here by render().
// ---------------------------------------------------------------------------------------
const S = {
  examples: [],
  example: -1, // index into examples, -1 for the visitor's own puzzle
  cells: new Array(N).fill(0), // the puzzle being edited (0 = blank)
  bad: new Map(), // cell -> a character that is not a digit or blank (from a paste)
  missing: [], // cells a too-short paste left out
  lengthError: null,
  invalid: new Set(), // cells to mark as invalid input
  message: '',
  selected: 0,
  mode: 'edit', // 'edit' (the puzzle) or 'result' (the model's answers)
  puzzle: null, // the cells sent to the model
  solution: null,
  solutionFrom: null, // 'example' or 'backtracking'
  solutions: 1, // of the puzzle being solved, counted up to 2
  steps: [], // the solver's steps (crate::solve::SolveStep, as JSON)
  views: [], // per step: what the page derived from it (changes, clashes, ...)
  solving: false,
  solveSeq: 0,
  running: null,
  status: 'Loading the model…',
  verdict: '',
  verdictKind: '',
};

let slot;
const solverOf = () => slot?.solver ?? null;

// ---------------------------------------------------------------------------------------
// Timeline: play, pause, step, scrub (timeline.js). Its current step is the one drawn.
// ---------------------------------------------------------------------------------------
const timeline = new Timeline(
  '',
  () => {
    S.mode = 'result';
    renderAll();
  },
  {
    live: () => S.solving,
    label: (current, n, live) => {
      const max = S.maxSteps ?? 16;
      if (!n) return live ? 'Waiting for step 1…' : 'No steps yet';
      return `Step ${current + 1} of ${n}${live ? ` (of up to ${max}, running…)` : ''}`;
    },
  },
);

// Read-only view of the state for tests and the curious.
window.__trm = Object.freeze({
  get ready() { return Boolean(slot?.ready); },
  get engine() { return solverOf()?.engine ?? null; },
  get isGpu() { return solverOf()?.isGpu ?? null; },
  get fallbackReason() { return solverOf()?.fallbackReason ?? null; },
  get notice() { return slot?.engineNote() ?? ''; },
  get error() { return slot?.error ?? ''; },
  // The fields the page tests read, from the solver's steps.
  get steps() {
    // grid and probs as drawn: the shown answer, or the followed copy's after a think-harder solve.
    return S.steps.map((s, k) => ({
      step: s.step, ms: s.ms, haltedAt: s.haltedAt, haltProbability: s.haltProbability, verdict: s.verdict,
      grid: S.views[k]?.grid, probs: S.views[k]?.confidence, cycleGrids: s.cycles.map((c) => c?.cells ?? null),
      copies: s.copies.length, networkSteps: s.networkSteps, chosen: s.chosen, verified: s.verified,
      ...(isSearch(s) ? { round: s.round, hypotheses: s.hypotheses, added: s.added, withdrawn: s.withdrawn } : {}),
    }));
  },
  get currentStep() { return timeline.current; },
  /** What the grid shows: 'answer', 'y' or 'z'. */
  get layer() { return S.layer; },
  /** The step on screen's latent colours ({ y, z }, 3 bytes per cell) or null. */
  get latent() { return S.views[timeline.current]?.latent ?? null; },
  /** The step on screen's latent colours after each H cycle (the chosen copy's). */
  get cycleLatent() { return S.steps[timeline.current]?.cycleLatent ?? []; },
  get status() { return S.status; },
  get verdict() { return currentVerdict()[0]; },
  get message() { return S.message; },
  get invalidCells() { return [...S.invalid].sort((a, b) => a - b); },
  get solving() { return S.solving; },
  /** How many solves have started (a one pass and the thinking harder after it count two). */
  get runs() { return S.solveSeq; },
  get mode() { return S.mode; },
  get puzzle() { return S.puzzle ? S.puzzle.slice() : null; },
  get solution() { return S.solution ? S.solution.slice() : null; },
  /** The copy the timeline follows after a think-harder solve (null before the end or with one copy). */
  get track() { return S.track; },
  /** Settings of the last solve, as a link carries them. */
  get run() { return S.run ? { ...S.run } : null; },
  get gpuFailure() { return slot?.gpuFailure ?? null; },
  /** Destroys the engine's GPU device mid-run, as a driver crash would (tests). */
  loseDevice() { solverOf()?.loseDevice?.(); },
  /** The worker's counts (stepsStarted: steps its solves were let start), for tests. */
  stats() { return solverOf()?.stats?.() ?? null; },
});

// ---------------------------------------------------------------------------------------
// The board: 81 cells in 9 rows, one tab stop (roving tabindex).
// ---------------------------------------------------------------------------------------
const board = $('board');
const cellEls = [];
for (let r = 0; r < 9; r++) {
  const row = document.createElement('div');
  row.setAttribute('role', 'row');
  row.className = 'board-row';
  for (let c = 0; c < 9; c++) {
    const i = r * 9 + c;
    const el = document.createElement('div');
    el.setAttribute('role', 'gridcell');
    el.className = 'cell';
    el.dataset.index = String(i);
    if (r % 3 === 2 && r < 8) el.classList.add('bb');
    if (c % 3 === 2 && c < 8) el.classList.add('br');
    el.tabIndex = i === 0 ? 0 : -1;
    el.addEventListener('focus', () => select(i, false));
    el.addEventListener('click', () => select(i, true));
    row.append(el);
    cellEls.push(el);
  }
  board.append(row);
}

function select(i, focus) {
  if (S.selected !== i) {
    cellEls[S.selected].tabIndex = -1;
    S.selected = i;
  }
  cellEls[i].tabIndex = 0;
  for (const el of cellEls) el.classList.toggle('selected', el === cellEls[i]);
  if (focus && document.activeElement !== cellEls[i]) cellEls[i].focus();
}

// The cell a digit was just typed into, the selection having moved on to the next one.
let typedBefore = null;
board.addEventListener('pointerdown', () => { typedBefore = null; });
board.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return; // leave Ctrl+V and friends alone
  const i = S.selected;
  const [r, c] = [Math.floor(i / 9), i % 9];
  const move = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
  if (move) {
    const nr = Math.min(8, Math.max(0, r + move[0]));
    const nc = Math.min(8, Math.max(0, c + move[1]));
    select(nr * 9 + nc, true);
  } else if (e.key === 'Home') select(r * 9, true);
  else if (e.key === 'End') select(r * 9 + 8, true);
  else if (/^[1-9]$/.test(e.key)) {
    setCell(i, Number(e.key));
    // Typing a puzzle row by row: the next cell is where the next digit goes.
    if (i < N - 1) select(i + 1, true);
    typedBefore = i < N - 1 ? i : null;
    e.preventDefault();
    return;
  } else if (e.key === 'Backspace' && typedBefore === i - 1) {
    // As in a text field: Backspace right after typing takes back the digit just typed.
    select(i - 1, true);
    setCell(i - 1, 0);
  } else if (['Backspace', 'Delete', '0', '.'].includes(e.key)) setCell(i, 0);
  else return;
  typedBefore = null;
  e.preventDefault();
});

board.addEventListener('paste', (e) => {
  const text = e.clipboardData?.getData('text') ?? '';
  e.preventDefault();
  const t = text.trim();
  if (/^[0-9.]$/.test(t)) setCell(S.selected, t === '.' ? 0 : Number(t));
  else if (t) loadText(text, 'grid');
});

for (const b of $('pad').querySelectorAll('button')) {
  b.addEventListener('click', () => setCell(S.selected, Number(b.dataset.digit)));
}

// ---------------------------------------------------------------------------------------
// The latent view: the grid coloured by each cell's y or z (crate::latent: the model's fixed
// projection, so a colour means the same state at every step and in every puzzle).
// ---------------------------------------------------------------------------------------
S.layer = 'answer';

/** The cell's colour in the chosen layer, or null (answer layer, or no latent read-out). */
function layerColour(view, i) {
  const c = S.layer !== 'answer' && view?.latent?.[S.layer];
  return c ? [c[i * 3], c[i * 3 + 1], c[i * 3 + 2]] : null;
}

const showLayer = layerSwitch('layer', (layer) => {
  S.layer = layer;
  renderAll();
});

function renderLayer(view) {
  showLayer(S.layer, Boolean(solverOf()?.hasLatentBasis));
  const note = $('layer-note');
  note.hidden = S.layer === 'answer';
  if (note.hidden) return;
  const step = view ? S.steps[timeline.current] : null;
  const copy = step?.copies[S.track ?? step.chosen];
  let text = latentNote(S.layer, solverOf()?.config?.hidden_size);
  if (view && !view.latent) text += ' This step has no answer to colour.';
  // A relabelled copy's y codes its own digits: the same digit may take another colour.
  if (copy && copy.augmentation !== 'identity') text += ` The copy shown is ${copy.augmentation}, so its digits are relabelled and take other colours than in the puzzle as given.`;
  note.textContent = text;
}

const shade = (p) => `rgba(37, 99, 235, ${(0.05 + 0.3 * Math.max(0, Math.min(1, p))).toFixed(3)})`;
const where = (i) => `row ${Math.floor(i / 9) + 1}, column ${(i % 9) + 1}`;

function renderBoard() {
  const view = S.mode === 'result' && timeline.current >= 0 ? S.views[timeline.current] : null;
  const step = view ? S.steps[timeline.current] : null;
  const showWrong = $('show-wrong').checked;
  board.classList.toggle('result', Boolean(view));
  for (let i = 0; i < N; i++) {
    const el = cellEls[i];
    const cls = ['cell'];
    if (el.classList.contains('bb')) cls.push('bb');
    if (el.classList.contains('br')) cls.push('br');
    if (i === S.selected) cls.push('selected');
    let text = '';
    let label;
    let bg = '';
    if (!view) {
      const v = S.cells[i];
      if (S.bad.has(i)) {
        text = S.bad.get(i);
        cls.push('bad');
        label = `${where(i)}: the character ${JSON.stringify(text)} is not a digit`;
      } else {
        text = v ? String(v) : '';
        if (v) cls.push('given');
        label = `${where(i)}: ${v ? `${v}, given` : 'blank'}`;
      }
      if (S.invalid.has(i)) cls.push('invalid');
      if (S.missing.includes(i)) { cls.push('missing'); label = `${where(i)}: missing from the pasted text`; }
      delete el.dataset.prob;
    } else {
      const d = view.grid[i];
      const given = S.puzzle[i] !== 0;
      const hypothesis = hypothesisAt(step, i);
      text = d ? String(d) : '';
      const p = view.confidence[i] ?? 0;
      const pct = Math.round(p * 100);
      if (given) {
        cls.push('given');
        if (d !== S.puzzle[i]) cls.push('overwrote');
        label = `${where(i)}: ${S.puzzle[i]}, given${d !== S.puzzle[i] ? `, but the model wrote ${d || 'nothing'}` : ''}`;
      } else if (hypothesis) {
        cls.push('hypothesis');
        label = `${where(i)}: ${d || 'blank'}, ${hypothesisLabel(hypothesis)}`;
      } else if (d) {
        cls.push('model');
        bg = shade(p);
        label = `${where(i)}: ${d}, the model's answer (${pct}% sure)`;
      } else {
        label = `${where(i)}: blank in the model's answer`;
      }
      const rgb = layerColour(view, i);
      if (rgb) {
        bg = `rgb(${rgb.join(', ')})`;
        // Digits stay readable on any colour: dark on light, light on dark.
        el.style.color = readableInk(rgb);
        label += `, ${S.layer} colour rgb(${rgb.join(', ')})`;
      } else {
        el.style.color = '';
      }
      if (view.changed.has(i)) { cls.push('changed'); label += ', changed since the previous step'; }
      if (view.clash.has(i)) {
        cls.push('clash');
        label += ', breaks a rule';
        // The rule break's tint alone: under it the confidence shade would leave red on purple.
        if (!rgb) bg = '';
      }
      if (showWrong && S.solution && d !== S.solution[i]) { cls.push('wrong'); label += `, the solution has ${S.solution[i]}`; }
      el.dataset.prob = p.toFixed(3);
    }
    el.className = cls.join(' ');
    el.textContent = text;
    el.style.backgroundColor = bg;
    el.setAttribute('aria-label', label);
    el.dataset.given = String(view ? S.puzzle[i] !== 0 : S.cells[i] !== 0);
  }
  board.classList.toggle('latent', Boolean(view && layerColour(view, 0)));
  if (!view) for (const el of cellEls) el.style.color = '';
  renderLayer(view);
  $('board-mode').textContent = view ? `model's ${S.layer === 'answer' ? 'answer' : S.layer}, step ${S.steps[timeline.current].step}` : 'editing';
  $('board-mode').classList.toggle('pill-result', Boolean(view));
  $('board-title').textContent = view ? 'Model answer' : 'Puzzle';
}

// ---------------------------------------------------------------------------------------
// Editing and validation. Nothing reaches the model before parseSudoku accepts it.
// ---------------------------------------------------------------------------------------
const gridString = () => S.cells.map((v, i) => (S.bad.has(i) ? S.bad.get(i) : v ? String(v) : '.')).join('');

function markCustom() {
  S.example = -1;
  $('example').value = 'custom';
  $('puzzle-source').textContent = 'Your own puzzle.';
}

async function setCell(i, v) {
  if (S.mode === 'result') await leaveResults();
  S.cells[i] = v;
  S.bad.delete(i);
  S.lengthError = null;
  S.missing = [];
  $('paste').removeAttribute('aria-invalid');
  markCustom();
  renderBoard();
  if (/grid is empty|Example loaded|Puzzle loaded/.test(S.status)) setStatus('Editing the puzzle: press Solve when it is ready.');
  await validateLive();
}

let validateSeq = 0;
/** Re-checks the grid after an edit: marks every clashing cell and any bad character. */
async function validateLive() {
  const seq = ++validateSeq;
  let message = '';
  const cells = new Set();
  try {
    await slot.call('parseSudoku', gridString());
  } catch (e) {
    message = e.message;
    for (const c of e.cells ?? []) cells.add(c);
  }
  try {
    for (const c of await slot.call('sudokuClashes', S.cells)) cells.add(c);
  } catch { /* no model yet: the parse message above says enough */ }
  if (seq !== validateSeq) return;
  S.invalid = cells;
  showMessage(message);
  renderBoard();
}

function showMessage(text) {
  S.message = text;
  const el = $('message');
  el.textContent = text;
  el.hidden = !text;
}

/** Shows why input is invalid, at the cells. */
function showInvalid(e, fromPaste = false) {
  const cells = new Set(e.cells ?? []);
  for (const c of S.missing) cells.add(c);
  S.invalid = cells;
  let text = e.message ?? String(e);
  if (S.missing.length) text += `. The ${S.missing.length} highlighted cell${S.missing.length > 1 ? 's are' : ' is'} missing.`;
  else if (cells.size) text += ` (the highlighted cell${cells.size > 1 ? 's' : ''})`;
  showMessage(sentence(text));
  if (fromPaste) $('paste').setAttribute('aria-invalid', 'true');
  renderBoard();
}

/** Loads a puzzle from text (the paste field or a paste on the grid), showing errors at the cells. */
async function loadText(text, origin) {
  await leaveResults();
  const chars = [...text].filter((ch) => !/\s/u.test(ch) && ch !== '\ufeff');
  S.cells = new Array(N).fill(0);
  S.bad = new Map();
  S.missing = [];
  S.lengthError = null;
  S.invalid = new Set();
  chars.slice(0, N).forEach((ch, i) => {
    if (ch >= '1' && ch <= '9') S.cells[i] = Number(ch);
    else if (ch !== '.' && ch !== '0') S.bad.set(i, ch);
  });
  markCustom();
  $('paste').removeAttribute('aria-invalid');
  try {
    const cells = await slot.call('parseSudoku', text);
    showMessage('');
    // One of the examples, typed or from a link: named as such, with its true solution.
    const puzzle = cells.map((v) => v || '.').join('');
    const k = S.examples.findIndex((ex) => exampleText(ex) === puzzle);
    if (k >= 0) loadExample(k);
    renderBoard();
    setStatus(`${k >= 0 ? `${S.examples[k].name}, loaded` : 'Puzzle loaded'} from the ${{ grid: 'clipboard', link: 'link' }[origin] ?? 'text field'}. Press Solve.`);
    return true;
  } catch (e) {
    if (e.name === 'PuzzleError' && !e.cells.length && chars.length !== N) {
      S.lengthError = e;
      if (chars.length < N) S.missing = Array.from({ length: N - chars.length }, (_, k) => chars.length + k);
    }
    showInvalid(e, origin === 'field');
    setStatus('That puzzle is not valid: see the message under the grid.');
    return false;
  }
}

function loadExample(k) {
  const ex = S.examples[k];
  if (!ex) return;
  S.example = k;
  S.cells = [...ex.puzzle].map((ch) => (ch === '.' ? 0 : Number(ch)));
  S.bad = new Map();
  S.missing = [];
  S.lengthError = null;
  S.invalid = new Set();
  $('example').value = String(k);
  $('paste').removeAttribute('aria-invalid');
  $('puzzle-source').textContent = `${ex.name}: ${ex.source}.`;
  showMessage('');
  renderBoard();
}

async function leaveResults() {
  await stopSolve();
  timeline.reset();
  if (S.mode === 'result' && S.puzzle) S.cells = S.puzzle.slice();
  S.mode = 'edit';
  S.steps = [];
  S.views = [];
  S.verdict = '';
  renderAll();
}

// ---------------------------------------------------------------------------------------
// Solving: the worker streams supervision steps; each one is drawn as it arrives.
// ---------------------------------------------------------------------------------------
function setStatus(text) {
  S.status = text;
  $('status').textContent = text;
}

/** The think-harder settings on screen. */
const thinkChoice = () => ({ copies: Number($('copies').value), steps: Number($('max-steps').value), hypotheses: $('think-hypotheses').checked });

/**
 * Solves the puzzle on the grid. `think`: null for one pass (one copy over the model's own
 * steps, the refinement the page is for), or { copies, steps } to think harder. `auto`: after
 * a one pass whose answer the rules reject, think harder by itself (the option, on by default).
 * `seed`: the copies' shuffles (a link's), else the seed field. `before`: what the one pass
 * that led here ended with, said while thinking harder.
 */
async function solve({ seed, think = null, auto = false, before = '' } = {}) {
  const solver = solverOf();
  if (!solver || !slot.ready) return;
  let cells;
  if (before) {
    // Thinking harder right after a one pass: the puzzle is parsed and its solution known, and
    // nothing waits on the worker in between, so no click falls between the two runs.
    cells = S.puzzle.slice();
  } else {
    try {
      if (S.lengthError) throw S.lengthError;
      cells = await slot.call('parseSudoku', gridString());
    } catch (e) {
      showInvalid(e);
      setStatus(S.invalid.size ? 'Not sent to the model: fix the highlighted cells first.' : 'Not sent to the model: see the message under the grid.');
      return;
    }
  }
  await stopSolve();
  timeline.reset();
  const id = ++S.solveSeq;
  const ex = S.examples[S.example];
  const text = cells.map((v) => v || '.').join('');
  // Thinking harder after a one pass keeps the solution that pass found. Otherwise an
  // example's own, or the one the solve's uniqueness search finds (onPuzzle, below): the
  // puzzle is searched once per solve.
  if (!before) {
    const example = ex && exampleText(ex) === text;
    S.solution = example ? [...ex.solution].map(Number) : null;
    S.solutionFrom = example ? 'example' : null;
  }
  S.cells = cells.slice();
  S.bad = new Map();
  S.invalid = new Set();
  showMessage('');
  S.puzzle = cells;
  S.steps = [];
  S.views = [];
  S.mode = 'result';
  S.solving = true;
  S.verdict = '';
  S.solutions = 1;
  S.earlyHalt = $('early-halt').checked;
  // Thinking harder: augmented copies in one batch, steps past the model's 16, and the solve
  // ends at the first copy whose answer the rules accept.
  S.think = think;
  S.before = before;
  S.track = null;
  if (seed === undefined) {
    // The visitor's seed while they keep one in the field, else the puzzle's own.
    const typed = $('think-seed').value.trim() === '' ? NaN : Number($('think-seed').value);
    seed = S.seedTyped && Number.isSafeInteger(typed) && typed >= 0 ? typed : puzzleSeed(text);
  }
  $('think-seed').value = String(seed);
  // What a link needs to replay this run (runLink): the seed of the copies' augmentations.
  S.run = { puzzle: text, think: S.think, earlyHalt: S.earlyHalt, seed, shipped: slot.model.shipped };
  const max = S.think?.steps ?? solver.config.halt_max_steps;
  S.maxSteps = max;
  S.started = performance.now();
  const options = {
    earlyHalt: S.earlyHalt, threshold: THRESHOLD, hCycles: true,
    // y and z as colours for the latent view: a few hundred bytes a step (BENCHMARKS.md).
    latent: Boolean(solver.hasLatentBasis),
    ...(S.think ? {
      copies: S.think.copies, stopWhenVerified: true, seed: S.run.seed,
      // With hypotheses, a round's steps are the search's measured choice (crate::search), and
      // the step limit is the search's, spent over its rounds.
      ...(S.think.hypotheses
        ? { hypotheses: { budget: S.think.copies * S.think.steps } }
        : { steps: S.think.steps, restartAfter: RESTART_AFTER }),
    } : {}),
    onPuzzle: (info) => {
      S.solutions = info.solutions;
      if (!S.solution && info.expected) {
        S.solution = info.expected.cells;
        S.solutionFrom = 'backtracking';
      }
      // Several solutions: the rules still judge the answer, but "differs from the solution"
      // compares with one of them only.
      if (info.solutions > 1) showMessage('This puzzle has more than one solution: the model\'s answer is judged by the rules, and the cells marked as differing compare it with just one of the solutions.');
    },
  };
  const thinking = S.think ? `Thinking harder, ${plural(S.think.copies, 'copy')}${S.think.hypotheses ? ' a round, with hypotheses,' : ''} for up to ${S.think.steps} steps` : 'One pass';
  const doing = `${before ? `${before} ` : ''}${thinking} on ${solver.engine}`;
  setStatus(`${doing}: waiting for step 1 of ${max}…`);
  renderAll();
  S.running = (async () => {
    let error = null;
    try {
      for await (const step of solver.solve(text, options)) {
        if (id !== S.solveSeq) continue; // stopped: let the worker finish its step
        addStep(step);
        const avg = S.steps.reduce((a, st) => a + st.ms, 0) / S.steps.length;
        const copies = step.copies.length > 1 ? `, ${step.copies.length} copies${isSearch(step) ? ` in round ${step.round}` : ''}, ${plural(step.networkSteps, 'network step')} so far` : '';
        setStatus(`${doing}: step ${step.step} of up to ${max} done (${fmtMs(avg)} per step${copies})…`);
      }
    } catch (e) {
      error = e;
    }
    if (id !== S.solveSeq) return;
    S.solving = false;
    S.running = null;
    await finish(error);
    // One pass ended, the rules reject its answer, and the puzzle has a solution to find:
    // think harder, saying why. A stop, an error or a puzzle without a solution does not.
    const last = S.views.at(-1);
    if (auto && !error && id === S.solveSeq && S.ending !== 'stopped' && last && !last.solved && S.solution) {
      const why = last.clash.size ? `${plural(last.clash.size, 'cell')} ${last.clash.size === 1 ? 'breaks' : 'break'} a rule` : `${plural(last.blanks, 'cell')} still blank`;
      await solve({ think: thinkChoice(), before: `One pass of ${plural(S.steps.length, 'step')} ended with an answer the rules reject (${why}), so the model thinks harder.` });
    }
  })();
}

async function stopSolve({ hard = false } = {}) {
  if (!S.running) return;
  const running = S.running;
  S.solveSeq++;
  S.running = null;
  S.solving = false;
  if (!hard) {
    solverOf()?.cancel();
    await running;
  }
}

async function userStop() {
  if (!S.running || S.stopping) return;
  // What is on screen is what was stopped: a step the worker finishes after this is not drawn.
  const n = S.steps.length;
  S.stopping = true;
  S.ending = 'stopped';
  setStatus(`Stopping after ${plural(n, 'step')}: the model finishes the step under way…`);
  $('stop').disabled = true;
  await stopSolve();
  S.stopping = false;
  $('stop').disabled = false;
  S.verdict = '';
  setStatus(`Stopped by you after ${plural(n, 'step')}.`);
  renderAll();
}

/** What the page draws of one answer (the shown one, or one copy's): all from the answer,
 * its confidences and the rules' verdict on it. */
function viewOf(answer, confidence, verdict, prev, latent = null) {
  const grid = answer?.cells ?? new Array(N).fill(0);
  const changed = new Set();
  if (prev) grid.forEach((d, i) => { if (d !== prev.grid[i]) changed.add(i); });
  // The rules' verdict names clashing, blank and overwritten cells; the blank and overwritten
  // ones have their own marks.
  const faulty = verdict.cells ?? [];
  const clash = new Set(faulty.filter((i) => grid[i] !== 0 && !(S.puzzle[i] && grid[i] !== S.puzzle[i])));
  const solved = verdict.verdict === 'solved';
  const blanks = grid.filter((d) => d === 0).length;
  const differ = S.solution ? grid.filter((d, i) => d !== S.solution[i]).length : null;
  return { grid, confidence, changed, clash, solved, blanks, differ, latent };
}

function addStep(step) {
  S.steps.push(step);
  S.views.push(viewOf(step.answer, step.confidence, step.verdict, S.views.at(-1), step.latent));
  S.ending = null;
  timeline.set(S.steps.length);
  renderAll();
}

/** Once a copy is verified, the timeline follows that copy's reasoning from its first step. */
function followCopy(c) {
  S.track = c;
  S.views = [];
  for (const st of S.steps) {
    const copy = st.copies[c];
    S.views.push(viewOf(copy.answer, copy.confidence, copy.verdict, S.views.at(-1), copy.latent));
  }
}

/** Says in words how the answer after step k stands; `how` says how the run ended. */
function describe(k, how) {
  const step = S.steps[k];
  const v = S.views[k];
  const n = step.step;
  const last = k === S.steps.length - 1;
  const firstHalt = S.steps.findIndex((st) => st.haltProbability > THRESHOLD);
  if (v.solved) {
    let t = `Solved${last ? '' : ` at step ${n}`}: after ${plural(n, 'step')} the answer is complete and breaks no Sudoku rule.`;
    if (step.haltedAt) t += ` The model halted itself at step ${step.haltedAt}.`;
    else if (firstHalt >= 0 && firstHalt <= k) t += ` Its halting head was sure enough to stop from step ${S.steps[firstHalt].step}.`;
    return t;
  }
  const ending = !last ? `At step ${n} of ${S.steps.length}, the model's answer`
    : how === 'stopped' ? `You stopped the model after ${plural(n, 'step')}, and its answer`
      : how === 'error' ? `The engine failed after ${plural(n, 'step')}, and the answer`
        : how === 'running' ? `After step ${n} (still running), the model's answer`
          : step.haltedAt ? `The model halted itself at step ${step.haltedAt}, and its answer`
            : `The model ran all ${plural(n, 'step')}, and its answer`;
  const parts = [];
  if (v.differ !== null) {
    parts.push(`${plural(v.differ, 'cell')} ${v.differ === 1 ? 'differs' : 'differ'} from ${S.solutionFrom === 'example' ? 'the true solution' : 'the solution a backtracking solver finds'}`);
  }
  if (v.blanks) parts.push(`${plural(v.blanks, 'cell')} ${v.blanks === 1 ? 'is' : 'are'} still blank`);
  if (v.clash.size) parts.push(`${plural(v.clash.size, 'cell')} ${v.clash.size === 1 ? 'breaks' : 'break'} a rule`);
  let t = `Not solved. ${ending} is ${v.blanks ? 'incomplete' : 'wrong'}`;
  t += parts.length ? `: ${parts.join(', ')}.` : '.';
  if (!S.solution) t += ' This puzzle has no solution, so no answer can be right.';
  if (last && how !== 'running' && slot.model.shipped) t += ` ${slot.canDo()}`;
  return t;
}

/** The verdict box always speaks of the step on screen, so it never contradicts the grid. */
function currentVerdict() {
  if (S.mode !== 'result' || timeline.current < 0 || !S.steps.length) return S.verdict ? [S.verdict, S.verdictKind] : ['', ''];
  const k = timeline.current;
  const how = S.solving ? 'running' : S.ending ?? 'done';
  const round = roundSentence(S.steps[k]);
  const text = describe(k, how) + (round ? ` ${round}` : '') + (S.verdict && k === S.steps.length - 1 ? ` ${S.verdict}` : '');
  return [text, S.views[k].solved ? 'ok' : 'bad'];
}

function setVerdict(text, kind) {
  S.verdict = text;
  S.verdictKind = kind;
}

async function finish(error) {
  const n = S.steps.length;
  S.ending = error ? 'error' : null;
  if (error && await slot.recover(error)) {
    // The GPU failed (device lost, driver error): the slot now runs the CPU engine.
    setStatus(`The GPU failed during the solve: ${error.message}. Switched to the CPU engine: press Solve to run again.`);
    setVerdict(n ? '' : 'The GPU failed before the first step. The page switched to the CPU engine: press Solve to run again.', 'bad');
    renderEngine();
    renderAll();
    return;
  }
  if (error) {
    setStatus(`The engine failed: ${error.message}`);
    setVerdict(n ? '' : `The engine failed before the first step: ${error.message}. Try the CPU engine.`, 'bad');
  } else if (!n) {
    setStatus('The model returned no steps.');
  } else {
    const last = S.steps[n - 1];
    // A search's copies start afresh each round: the verified copy has no earlier steps to follow.
    if (S.think && last.copies.length > 1 && !isSearch(last)) followCopy(last.chosen);
    const avg = S.steps.reduce((a, st) => a + st.ms, 0) / n;
    const v = S.views[n - 1];
    const restarts = last.copies.reduce((a, c) => a + c.attempt, 0);
    const spent = S.think ? ` It spent ${plural(last.networkSteps, 'network step')} (copies x steps${restarts ? `; copies started over ${plural(restarts, 'time')}` : ''}) in ${fmtMs(performance.now() - S.started)}${last.copies.length > 1 ? `; the answer shown is copy ${last.chosen + 1}'s${last.verified ? ', which the rules accept' : `, the one ${last.votes} of ${last.copies.length} copies gave (not verified)`}` : ''}.` : '';
    const how = S.think ? `thinking harder (${plural(S.think.copies, 'copy')}${isSearch(last) ? ` a round, ${searchSummary(last)}` : ''}, seed ${S.run.seed})` : 'one pass';
    setStatus(`${S.before ? `${S.before} ` : ''}${v.solved ? 'Solved' : 'Finished, not solved'} by ${how}: ${plural(n, 'step')} on ${solverOf()?.engine ?? 'the engine'}, ${fmtMs(avg)} per step.${spent}`);
  }
  renderAll();
}

function renderStepInfo() {
  const dl = $('step-info');
  dl.replaceChildren();
  if (S.mode !== 'result' || timeline.current < 0) return;
  const s = S.steps[timeline.current];
  const v = S.views[timeline.current];
  const rows = [
    ['Time', fmtMs(s.ms)],
    ['Halting probability', `${s.haltProbability.toFixed(3)}${s.haltedAt ? ` (halted at step ${s.haltedAt})` : ''}`],
    ['Changed cells', timeline.current ? String(v.changed.size) : '(first answer)'],
    ['Cells breaking a rule', String(v.clash.size)],
    ['Blank cells', String(v.blanks)],
  ];
  if (v.differ !== null) rows.push([S.solutionFrom === 'example' ? 'Differ from the solution' : 'Differ from a solution', String(v.differ)]);
  rows.push(['Answer', v.solved ? 'complete, breaks no rule' : 'not a solution']);
  rows.push(...roundRows(s));
  for (const [k, val] of rows) {
    const d = document.createElement('div');
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = k;
    dd.textContent = val;
    d.dataset.key = k;
    d.append(dt, dd);
    dl.append(d);
  }
}

function renderChart() {
  drawHaltChart($('chart'), { steps: S.steps, maxSteps: S.maxSteps, current: timeline.current, threshold: THRESHOLD, onPick: (k) => timeline.goto(k) });
}

// ---------------------------------------------------------------------------------------
// The answers after each H cycle of the shown step.
// ---------------------------------------------------------------------------------------
function renderCycles() {
  const box = $('cycle-grids');
  box.replaceChildren();
  const T = solverOf()?.config?.H_cycles;
  const L = solverOf()?.config?.L_cycles;
  $('cycles-note').textContent = T
    ? `Each step runs T = ${T} H cycles (each: n = ${L} updates of the latent z, then one update of the answer y). The last cycle's answer is the step's answer. Shaded: changed since the cycle before.`
    : '';
  if (S.mode !== 'result' || timeline.current < 0) {
    box.textContent = 'Solve a puzzle to see the answers inside each step.';
    return;
  }
  const step = S.steps[timeline.current];
  let prev = timeline.current ? S.views[timeline.current - 1].grid : null;
  step.cycles.map((c) => c?.cells ?? new Array(N).fill(0)).forEach((g, c) => {
    // In the latent view, each cycle's y or z as colours (the step's H-cycle read-outs).
    const colours = S.layer !== 'answer' ? step.cycleLatent?.[c]?.[S.layer] : null;
    const fig = document.createElement('figure');
    fig.className = 'mini';
    const grid = document.createElement('div');
    grid.className = 'mini-grid';
    grid.dataset.cycle = String(c + 1);
    for (let i = 0; i < N; i++) {
      const d = document.createElement('span');
      const cls = ['m'];
      if (S.puzzle[i]) cls.push('given');
      else if (g[i]) cls.push('model');
      if (prev && g[i] !== prev[i]) cls.push('changed');
      if (Math.floor(i / 9) % 3 === 2 && i < 72) cls.push('bb');
      if (i % 9 % 3 === 2 && i % 9 < 8) cls.push('br');
      d.className = cls.join(' ');
      d.textContent = g[i] ? String(g[i]) : '';
      if (colours) {
        const rgb = colours.slice(i * 3, i * 3 + 3);
        d.style.background = `rgb(${rgb.join(', ')})`;
        d.style.color = readableInk(rgb);
      }
      grid.append(d);
    }
    const cap = document.createElement('figcaption');
    cap.textContent = `H cycle ${c + 1} of ${step.cycles.length}`;
    fig.append(grid, cap);
    box.append(fig);
    prev = g;
  });
}

/** The copies of a think-harder solve, small, at the step on screen; the verified one marked. */
function renderCopies() {
  const box = $('copies-box');
  const step = S.mode === 'result' && timeline.current >= 0 ? S.steps[timeline.current] : null;
  box.hidden = !step || step.copies.length < 2;
  if (box.hidden) return;
  const strip = $('copies-strip');
  const shown = S.track ?? step.chosen;
  const verified = step.copies.filter((c) => c.verifiedAt !== null).length;
  $('copies-note').textContent = `${step.copies.length} copies of the puzzle (relabelled and shuffled, mapped back), at step ${step.step}: ${verified ? `${plural(verified, 'copy')} the rules accept (green)` : 'none the rules accept yet'}; the grid above shows copy ${shown + 1}. ${plural(step.networkSteps, 'network step')} spent so far.`;
  strip.replaceChildren(...step.copies.map((c, k) => {
    const fig = document.createElement('figure');
    fig.className = `mini copy${c.verifiedAt !== null ? ' verified' : ''}${k === shown ? ' shown' : ''}`;
    fig.dataset.copy = String(k);
    const grid = document.createElement('div');
    grid.className = 'mini-grid small';
    const cells = c.answer?.cells ?? new Array(N).fill(0);
    for (let i = 0; i < N; i++) {
      const d = document.createElement('span');
      d.className = `m${S.puzzle[i] ? ' given' : cells[i] ? ' model' : ''}`;
      d.textContent = cells[i] ? String(cells[i]) : '';
      grid.append(d);
    }
    const cap = document.createElement('figcaption');
    // A copy that started over shows which attempt its grid belongs to.
    cap.textContent = `${k + 1}${c.attempt ? ` (try ${c.attempt + 1})` : ''}${c.verifiedAt !== null ? ` ✓ step ${c.verifiedAt}` : ''}`;
    fig.append(grid, cap);
    return fig;
  }));
}

function renderAll() {
  renderBoard();
  renderCopies();
  timeline.render();
  renderStepInfo();
  renderChart();
  renderCycles();
  const v = $('verdict');
  const [text, kind] = currentVerdict();
  v.textContent = text;
  v.hidden = !text;
  v.className = `verdict ${kind}`;
  $('solve').disabled = $('think').disabled = !slot?.ready;
  $('copy-link').disabled = !S.run || !S.steps.length || S.solving;
  $('download-gif').disabled = $('download-json').disabled = !S.steps.length || S.solving;
  $('stop').hidden = !S.solving;
  $('edit').hidden = S.mode !== 'result' || S.solving;
}

// ---------------------------------------------------------------------------------------
// Engine and model: the slot's worker, re-created to switch engine or model file.
// ---------------------------------------------------------------------------------------
function showLoader(on, text = 'Loading the model…') {
  // The card keeps its space (the grid does not jump when the model arrives) and, once the
  // model is in, says what to do next rather than what happened.
  $('loader').classList.toggle('done', !on);
  $('loader-text').textContent = text;
  $('loader-bytes').textContent = '';
  const p = $('load-progress');
  if (on) p.removeAttribute('value');
  else p.value = 1;
}

function onProgress({ loaded, total, cached }) {
  const p = $('load-progress');
  if (total) p.value = Math.min(1, loaded / total);
  else p.removeAttribute('value');
  slot.model.bytes = total || loaded;
  $('loader-bytes').textContent = `${fmtBytes(loaded)}${total ? ` of ${fmtBytes(total)}` : ''}${cached ? ' (from the browser cache)' : ''}`;
  if (total && loaded >= total) $('loader-text').textContent = 'Starting the engine…';
}

async function loadModel(opts = {}) {
  if (S.running) await stopSolve({ hard: true });
  if (S.mode === 'result') await leaveResults();
  showLoader(true, opts.source instanceof ArrayBuffer ? `Loading ${opts.name}…` : 'Loading the model…');
  renderAll();
  const ok = await slot.load(opts);
  const next = 'Pick an example or type a puzzle, then press Solve to watch the model refine its answer step by step.';
  showLoader(false, slot.solver ? 'Model loaded: press Solve to watch it refine its answer, step by step.' : 'No model is loaded: see “Engine and model” below.');
  $('backend').value = slot.backend;
  renderEngine();
  if (ok) setStatus(`Ready. ${next}`);
  renderAll();
  return ok;
}

function renderEngine() {
  $('engine').textContent = slot.engineText();
  const note = slot.engineNote();
  $('fallback').textContent = note;
  $('fallback').hidden = !note;
  $('model-info').textContent = slot.describe();
  showCanDo($('model-can'), slot);
  $('engine-error').textContent = slot.error;
  $('engine-error').hidden = !slot.error;
}

// ---------------------------------------------------------------------------------------
// Wiring.
// ---------------------------------------------------------------------------------------
$('solve').addEventListener('click', () => solve({ auto: $('think-harder').checked }));
$('think').addEventListener('click', () => solve({ think: thinkChoice() }));
$('think-seed').addEventListener('input', (e) => { S.seedTyped = e.target.value.trim() !== ''; });
$('stop').addEventListener('click', userStop);
$('edit').addEventListener('click', async () => { await leaveResults(); select(S.selected, true); setStatus('Editing the puzzle.'); });
$('clear').addEventListener('click', async () => {
  await leaveResults();
  S.cells = new Array(N).fill(0);
  S.bad = new Map();
  S.missing = [];
  S.lengthError = null;
  S.invalid = new Set();
  markCustom();
  showMessage('');
  renderAll();
  select(0, true);
  setStatus('The grid is empty: type a puzzle.');
});
$('paste-form').addEventListener('submit', (e) => {
  e.preventDefault();
  loadText($('paste').value, 'field');
});
$('example').addEventListener('change', async (e) => {
  if (e.target.value === 'custom') return;
  await leaveResults();
  loadExample(Number(e.target.value));
  setStatus('Example loaded. Press Solve.');
});
$('show-wrong').addEventListener('change', renderBoard);
$('early-halt').addEventListener('change', (e) => {
  // Halting changes how a run ends, so it takes effect on the next solve: say so now.
  if (S.mode === 'result' && S.steps.length && e.target.checked !== S.earlyHalt) {
    setStatus(`Early halting is now ${e.target.checked ? 'on' : 'off'}: press Solve to run again with it (the steps shown ran with it ${S.earlyHalt ? 'on' : 'off'}).`);
  }
});
$('backend').addEventListener('change', (e) => {
  writeAddressChoice('backend', e.target.value, 'auto');
  slot.gpuFailure = null;
  loadModel({ backend: e.target.value });
});
$('model-file').addEventListener('change', async (e) => {
  const file = e.target.files?.[0];
  if (!file) return;
  const buf = await file.arrayBuffer();
  const ok = await loadModel({ source: buf, name: file.name, shipped: false, bytes: buf.byteLength });
  if (!ok) e.target.value = '';
});

async function loadExamples() {
  const sel = $('example');
  try {
    const res = await fetch('examples/sudoku.json');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    S.examples = await res.json();
  } catch (e) {
    S.examples = [];
    showMessage(`Could not load the example puzzles (${e.message}); type or paste a puzzle instead.`);
  }
  const groups = new Map();
  S.examples.forEach((ex, k) => {
    if (!groups.has(ex.difficulty)) {
      const g = document.createElement('optgroup');
      g.label = ex.difficulty;
      groups.set(ex.difficulty, g);
      sel.append(g);
    }
    const o = document.createElement('option');
    o.value = String(k);
    o.textContent = ex.name;
    groups.get(ex.difficulty).append(o);
  });
  const custom = document.createElement('option');
  custom.value = 'custom';
  custom.textContent = 'Your own puzzle';
  sel.append(custom);
  if (S.examples.length) loadExample(0);
  else markCustom();
}

// ---------------------------------------------------------------------------------------
// A link that replays a run (the codec: views/sudoku-link.js).
// ---------------------------------------------------------------------------------------
const runLink = () => linkOfRun(S.run, { step: timeline.current + 1, layer: S.layer, wrong: $('show-wrong').checked });

/** Opens the run the address links to, if any: its puzzle and settings, solved, at its step. */
async function openLink() {
  const link = readLink(location.hash);
  if (!link) return;
  if (link.error) {
    showMessage(`${link.error} Showing the default puzzle instead.`);
    return;
  }
  if (!(await loadText(link.puzzle, 'link'))) return;
  if (link.think) {
    $('copies').value = String(link.think.copies);
    $('max-steps').value = String(link.think.steps);
    $('think-hypotheses').checked = link.think.hypotheses;
  }
  $('early-halt').checked = link.earlyHalt;
  $('show-wrong').checked = link.wrong;
  S.layer = link.layer;
  // The link's run exactly: a one pass stays one pass, however the think-harder option is set.
  await solve({ seed: link.seed, think: link.think });
  await S.running;
  // A solve that stopped earlier (a verified copy, early halting) shows its last step.
  if (S.steps.length) timeline.goto(Math.min(link.step, S.steps.length) - 1);
}

async function copyLink() {
  const field = $('share-link');
  if (!S.run || !S.steps.length) return;
  if (!S.run.shipped) {
    field.hidden = true;
    $('link-note').textContent = 'This run used a model file loaded by hand: a link can only name the bundled model.';
    return;
  }
  field.value = runLink();
  field.hidden = false;
  field.select();
  let copied = false;
  try {
    await navigator.clipboard.writeText(field.value);
    copied = true;
  } catch { /* no clipboard permission: the link is selected in the field */ }
  $('link-note').textContent = `${copied ? 'Copied. ' : ''}It replays this run to step ${timeline.current + 1} on the engine the visitor has; WebGPU and the CPU engine can round a last digit differently, which can change a late step.`;
}

// ---------------------------------------------------------------------------------------
// Taking a run away: an animated GIF of the grid over the steps (gifenc, vendored), and the
// run as JSON (puzzle, settings, every step as the solver gave it), which loads back.
// ---------------------------------------------------------------------------------------
const RUN_FORMAT = 'trm-web-sudoku-run';

/** The run as an animated GIF: one frame per step (the timeline's views), the last held longer. */
export const runGif = () => animatedGif(FRAME_WIDTH, FRAME_HEIGHT, S.steps.length, (ctx, k) => drawFrame(ctx, S.views[k], S.steps[k].step, S.steps.length, S.puzzle));

function runJson() {
  return JSON.stringify({ format: RUN_FORMAT, version: 1, run: S.run, solution: S.solution, solutionFrom: S.solutionFrom, track: S.track, steps: S.steps });
}

/** Shows a saved run (runJson) as if just solved; a file that is not one gets a message. */
async function loadRun(file) {
  let r;
  try {
    r = await readRun(file, RUN_FORMAT, 'Sudoku', (x) => /^[1-9.]{81}$/.test(x.run?.puzzle ?? '')
      && x.steps.every((st) => st.answer === null || Array.isArray(st.answer?.cells)));
  } catch (e) {
    showMessage(e.message);
    return;
  }
  await stopSolve();
  timeline.reset();
  const cells = [...r.run.puzzle].map((ch) => (ch === '.' ? 0 : Number(ch)));
  Object.assign(S, {
    cells: cells.slice(), puzzle: cells, bad: new Map(), invalid: new Set(), missing: [], lengthError: null,
    solution: Array.isArray(r.solution) && r.solution.length === N ? r.solution : null, solutionFrom: r.solutionFrom ?? null,
    run: { ...r.run, shipped: true }, think: r.run.think ?? null, earlyHalt: Boolean(r.run.earlyHalt),
    steps: [], views: [], mode: 'result', solving: false, verdict: '', track: null, started: performance.now(),
  });
  markCustom();
  showMessage('');
  for (const st of r.steps) addStep(st);
  if (Number.isInteger(r.track) && r.steps.at(-1).copies[r.track]) followCopy(r.track);
  setStatus(`Loaded a saved run of ${plural(r.steps.length, 'step')} from ${file.name}: nothing was recomputed.`);
  renderAll();
}

let started = null;
/** The view's entry for the shell: loads the examples and the model the first time. */
export const sudokuView = {
  kind: 'sudoku',
  tab: 'tab-sudoku',
  start() {
    started ??= (async () => {
      renderAll();
      await loadExamples();
      renderAll();
      await loadModel();
      $('copy-link').addEventListener('click', copyLink);
      $('download-gif').addEventListener('click', async () => download('trm-sudoku-run.gif', 'image/gif', await runGif()));
      $('download-json').addEventListener('click', () => download('trm-sudoku-run.json', 'application/json', runJson()));
      $('run-file').addEventListener('change', (e) => { const f = e.target.files?.[0]; if (f) loadRun(f); e.target.value = ''; });
      await openLink();
    })();
    return started;
  },
  /** A model file dropped in another view that turned out to be a Sudoku model. */
  async adopt(source, name, bytes) {
    await this.start();
    await loadModel({ source, name, shipped: false, bytes });
  },
};

/** Creates the view's model slot; `onWrongKind(kind, source, name, bytes)` hands a file on. */
export function initSudoku({ onWrongKind }) {
  slot = new ModelSlot('sudoku', {
    onProgress,
    onWrongKind,
    onChange: (text) => { if (text !== 'Ready.') setStatus(text); renderEngine(); renderAll(); },
  });
  return sudokuView;
}
