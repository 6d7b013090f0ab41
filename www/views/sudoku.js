// The Sudoku view: the solver in its worker (through the shell's ModelSlot) and a timeline of
// every supervision step, with the verdict, the engine and model, and the run taken away. Each
// step arrives decoded and judged by the Rust rules (crate::solve); the view only draws it. Its
// parts: sudoku-state.js (the state), sudoku-board.js (the grid), sudoku-editor.js (typing a
// puzzle), sudoku-panels.js (the panels beside the grid), share.js (links, GIF, JSON). Plain
// ES module, no framework.
import { $, ModelSlot, animatedGif, fmtBytes, fmtMs, plural, readRun, showCanDo, writeAddressChoice } from '../shell.js';
import { Timeline } from '../timeline.js';
import { puzzleSeed } from './puzzle-seed.js';
import { copyLink, readSudokuLink, sudokuLink, wireExports } from './share.js';
import { FRAME_HEIGHT, FRAME_WIDTH, drawFrame } from './sudoku-frame.js';
import { isSearch, roundSentence, searchSummary } from './hypotheses.js';
import { N, S, THRESHOLD, exampleText, gridString, page, setStatus, showMessage, solverOf } from './sudoku-state.js';
import { renderBoard, select } from './sudoku-board.js';
import { loadExample, loadExamples, loadText, markCustom, showInvalid } from './sudoku-editor.js';
import { renderChart, renderCopies, renderCycles, renderStepInfo } from './sudoku-panels.js';

// Thinking harder, each attempt of a copy gets this many steps before a copy whose answer
// the rules reject starts over under a fresh augmentation: the shipped model solves what it
// will solve within a few steps, so the step limit buys more attempts (MODEL_CARD.md).
const RESTART_AFTER = 8;

let slot;

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
Object.assign(page, { timeline, renderAll, leaveResults });

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

// ---------------------------------------------------------------------------------------
// A link that replays a run (the codec: views/share.js).
// ---------------------------------------------------------------------------------------
const runLink = () => sudokuLink(S.run, { step: timeline.current + 1, layer: S.layer, wrong: $('show-wrong').checked });

/** Opens the run the address links to, if any: its puzzle and settings, solved, at its step. */
async function openLink() {
  const link = readSudokuLink(location.hash);
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

// ---------------------------------------------------------------------------------------
// Taking a run away: an animated GIF of the grid over the steps (gifenc, vendored), and the
// run as JSON (puzzle, settings, every step as the solver gave it), which loads back.
// ---------------------------------------------------------------------------------------
const RUN_FORMAT = 'trm-web-sudoku-run';

/** The run as an animated GIF: one frame per step (the timeline's views), the last held longer. */
const runGif = () => animatedGif(FRAME_WIDTH, FRAME_HEIGHT, S.steps.length, (ctx, k) => drawFrame(ctx, S.views[k], S.steps[k].step, S.steps.length, S.puzzle));

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
      $('copy-link').addEventListener('click', () => copyLink('', slot, timeline, runLink));
      wireExports('', { kind: 'sudoku', gif: runGif, json: runJson, load: loadRun, onError: showMessage });
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
  slot = page.slot = new ModelSlot('sudoku', {
    onProgress,
    onWrongKind,
    onChange: (text) => { if (text !== 'Ready.') setStatus(text); renderEngine(); renderAll(); },
  });
  return sudokuView;
}
