// The ARC and Maze views of the demo page. Each loads its own model in its own worker the
// first time its tab is shown, runs a solve, and keeps every supervision step so the visitor
// can step through them. Plain ES module; the Sudoku view lives in app.js.
import {
  arcAnswer, arcPlan, arcVote, checkMazePath, generateMaze, MAZE_CHARS, parseArcTask, parseMaze,
} from './src/index.js';
import { createWorkerSolver } from './src/worker-client.js';
import { Timeline } from './timeline.js';

const $ = (id) => document.getElementById(id);
// The palette the ARC viewers use, so grids look as people know them.
const ARC_COLOURS = ['#000000', '#0074d9', '#ff4136', '#2ecc40', '#ffdc00', '#aaaaaa', '#f012be', '#ff851b', '#7fdbff', '#870c25'];
const COLOUR_NAMES = ['black', 'blue', 'red', 'green', 'yellow', 'grey', 'magenta', 'orange', 'sky', 'maroon'];
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const backendParam = () => {
  const b = new URLSearchParams(location.search).get('backend');
  return ['auto', 'webgpu', 'cpu'].includes(b) ? b : 'auto';
};

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** A small ARC grid; `label` is read out instead of the cells. */
function arcGrid(rows, label, { size } = {}) {
  if (!rows) return h('div', { class: 'arc-grid none', role: 'img', 'aria-label': `${label}: no grid` }, 'no grid');
  const hgt = rows.length;
  const w = rows[0]?.length ?? 0;
  const cell = size ?? Math.max(6, Math.min(22, Math.floor(200 / Math.max(hgt, w, 1))));
  const g = h('div', {
    class: 'arc-grid', role: 'img', 'aria-label': `${label}: ${hgt} by ${w}`,
    style: `grid-template-columns: repeat(${w}, ${cell}px); grid-auto-rows: ${cell}px`,
  });
  for (const r of rows) for (const c of r) g.append(h('span', { style: `background:${ARC_COLOURS[c] ?? '#fff'}` }));
  return g;
}

async function fetchJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

const sameGrid = (a, b) => Boolean(a && b) && a.length === b.length && a.every((r, i) => r.length === b[i].length && r.every((c, j) => c === b[i][j]));

/** One solver per view, started on first use; keeps the last good one if a new load fails. */
class ViewSolver {
  constructor(kind, onChange) {
    this.kind = kind;
    this.onChange = onChange;
    this.solver = null;
    this.name = `${kind}.safetensors (shipped)`;
    this.error = '';
    this.loading = null;
  }

  ensure() {
    this.loading ??= this.load('shipped');
    return this.loading;
  }

  async load(source, name) {
    this.error = '';
    this.onChange(`Loading the ${this.kind === 'arc' ? 'ARC' : 'maze'} model…`);
    try {
      const s = await createWorkerSolver({ model: source === 'shipped' ? this.kind : source, backend: backendParam() });
      if (s.kind !== this.kind) {
        s.terminate();
        throw new Error(`${name ?? 'the file'} is a ${s.kind} model, not ${this.kind === 'arc' ? 'an ARC' : 'a maze'} model`);
      }
      this.solver?.terminate();
      this.solver = s;
      if (name) this.name = name;
      this.onChange('Ready.');
      return true;
    } catch (e) {
      this.error = this.solver ? `${e.message}. Still using ${this.name}.` : `Could not load the model: ${e.message}`;
      this.onChange(this.solver ? 'Ready.' : 'No model is loaded, so this view cannot solve.');
      return false;
    }
  }

  /** Loads the model file the visitor picks in `input`, then redraws the view. */
  watchFileInput(input, render) {
    input.addEventListener('change', async (e) => {
      const file = e.target.files?.[0];
      if (file) await this.load(await file.arrayBuffer(), file.name);
      render();
    });
  }

  describe() {
    const s = this.solver;
    if (!s) return '';
    const c = s.config;
    const engine = s.isGpu ? `WebGPU: ${s.engine}` : s.engine;
    return `${this.name} on ${engine}${s.fallbackReason ? ` (${s.fallbackReason})` : ''}: hidden size ${c.hidden_size}, ${c.L_layers} layers, T = ${c.H_cycles}, n = ${c.L_cycles}, up to ${c.halt_max_steps} steps.`;
  }
}

// ---------------------------------------------------------------------------------------
// ARC
// ---------------------------------------------------------------------------------------
const A = {
  examples: [],
  name: '', // task id (the model's puzzle rows are named by it)
  source: '',
  task: null,
  test: 0,
  plan: [],
  steps: [], // { step, ms, answers: [rows|null], confidences: [..], ranked: [{ grid, count, confidence }] }
  copy: 0,
  solving: false,
  cancel: null,
  status: '',
  verdict: '',
  message: '',
};
let arcSolver;
/** The ids of a view's timeline controls (index.html names them `${view}-back` and so on). */
const timelineIds = (view) => ({
  back: `${view}-back`, play: `${view}-play`, forward: `${view}-forward`, scrub: `${view}-scrub`, label: `${view}-step-label`,
});

let arcTimeline;

function arcStatus(text) {
  A.status = text;
  $('arc-status').textContent = text;
  renderArc();
}

function dihedralText(c) {
  const moved = c.colours.map((to, from) => (to === from ? null : `${COLOUR_NAMES[from]}→${COLOUR_NAMES[to]}`)).filter(Boolean);
  return `${c.dihedral}${moved.length ? `, colours ${moved.join(' ')}` : ''}`;
}

async function setArcTask(task, name, source) {
  if (A.solving) await stopArc();
  A.task = task;
  A.name = name;
  A.source = source;
  A.test = 0;
  A.steps = [];
  A.plan = [];
  A.verdict = '';
  A.message = '';
  arcTimeline.reset();
  arcStatus(arcSolver.solver ? `Task ${name} loaded: press Solve.` : A.status);
}

async function solveArc() {
  if (!A.task || A.solving) return;
  await arcSolver.ensure();
  const s = arcSolver.solver;
  if (!s) return;
  const pair = A.task.test[A.test];
  const k = Number($('arc-augmentations').value);
  try {
    A.plan = await arcPlan(pair.input, { task: A.name, augmentations: k, puzzleRows: s.puzzleRows });
  } catch (e) {
    A.message = e.message;
    renderArc();
    return;
  }
  A.steps = [];
  A.copy = 0;
  A.verdict = '';
  A.solving = true;
  arcTimeline.reset();
  const own = A.plan.filter((c) => c.puzzleId > 0).length;
  arcStatus(`Running ${A.plan.length} augmented copies as one batch${own ? ` (the model's own puzzle rows for ${A.name})` : ''}…`);
  const steps = Number($('arc-steps').value);
  const run = s.solveBatch(A.plan.map((c) => c.tokens), { puzzleIds: A.plan.map((c) => c.puzzleId), steps });
  A.cancel = () => s.cancel();
  try {
    for await (const st of run) {
      const answers = await Promise.all(st.puzzles.map((p, i) => arcAnswer(p.tokens, A.plan[i].name)));
      const confidences = st.puzzles.map((p) => p.haltProbability);
      const ranked = await arcVote(answers.map((grid, i) => ({ grid, confidence: confidences[i] })));
      A.steps.push({ step: st.step, ms: st.ms, answers, confidences, ranked });
      arcTimeline.set(A.steps.length);
      arcStatus(`Step ${st.step} of ${steps}: ${fmtMs(st.ms)} for ${A.plan.length} copies.`);
    }
    const last = A.steps.at(-1);
    const truth = pair.output;
    if (last && truth) {
      const rank = last.ranked.findIndex((r) => sameGrid(r.grid, truth));
      A.verdict = rank === 0 ? 'Solved: the top voted answer is the expected output (pass@1).'
        : rank === 1 ? 'Solved at the second attempt: the second voted answer is the expected output (pass@2).'
          : 'Not solved: neither of the top two voted answers is the expected output.';
    } else if (last) A.verdict = 'This task does not give the expected output, so the answer cannot be checked.';
    arcStatus(`Done: ${A.steps.length} steps.`);
  } catch (e) {
    A.message = e.message;
    arcStatus('The solve failed.');
  } finally {
    A.solving = false;
    A.cancel = null;
    renderArc();
  }
}

async function stopArc() {
  A.cancel?.();
}

function renderArc() {
  const t = A.task;
  $('arc-solve').disabled = !t || A.solving || !arcSolver?.solver;
  $('arc-stop').hidden = !A.solving;
  $('arc-message').textContent = A.message;
  $('arc-message').hidden = !A.message;
  $('arc-verdict').textContent = A.verdict;
  $('arc-verdict').hidden = !A.verdict;
  $('arc-verdict').className = `verdict ${/^Solved/.test(A.verdict) ? 'ok' : /^Not solved/.test(A.verdict) ? 'bad' : ''}`;
  $('arc-model-info').textContent = arcSolver?.describe() ?? '';
  $('arc-engine-error').textContent = arcSolver?.error ?? '';
  $('arc-engine-error').hidden = !arcSolver?.error;
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
  const st = A.steps[arcTimeline?.current ?? -1];
  $('arc-top').replaceChildren(...(st ? st.ranked.slice(0, 2).map((r, i) => {
    const right = pair?.output ? sameGrid(r.grid, pair.output) : null;
    return h('figure', { class: `arc-answer ${right === true ? 'ok' : right === false ? 'bad' : ''}` },
      arcGrid(r.grid, `attempt ${i + 1}`),
      h('figcaption', { text: `attempt ${i + 1}: ${r.count} of ${A.plan.length} copies, mean confidence ${r.confidence.toFixed(2)}${right === null ? '' : right ? ' ✓ right' : ' ✗ wrong'}` }));
  }) : [h('p', { class: 'muted small', text: A.steps.length ? 'No copy drew a grid at this step.' : 'Press Solve to run the model.' })]));
  if (st && !st.ranked.length) $('arc-top').replaceChildren(h('p', { class: 'muted small', text: 'No copy drew a grid at this step.' }));
  const sel = $('arc-copy');
  const opts = A.plan.map((c, i) => h('option', { value: String(i), text: `${i + 1}. ${dihedralText(c)}` }));
  if (sel.options.length !== opts.length || [...sel.options].some((o, i) => o.textContent !== opts[i].textContent)) {
    sel.replaceChildren(...opts);
  }
  sel.value = String(A.copy);
  sel.disabled = !A.plan.length;
  $('arc-copy-view').replaceChildren(...(st ? [
    arcGrid(st.answers[A.copy], `copy ${A.copy + 1} answer`),
    h('p', { class: 'muted small', text: `Answer of this copy at step ${st.step}, mapped back to the original orientation and colours; its halting probability is ${st.confidences[A.copy].toFixed(2)}.` }),
  ] : []));
}

async function initArc() {
  arcSolver = new ViewSolver('arc', (text) => arcStatus(text));
  arcTimeline = new Timeline(timelineIds('arc'), () => renderArc(), { live: () => A.solving });
  $('arc-solve').addEventListener('click', solveArc);
  $('arc-stop').addEventListener('click', stopArc);
  $('arc-copy').addEventListener('change', (e) => { A.copy = Number(e.target.value); renderArc(); });
  $('arc-example').addEventListener('change', (e) => {
    const ex = A.examples[Number(e.target.value)];
    if (ex) setArcTask(ex.task, ex.name, ex.source);
  });
  $('arc-file').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    // Cleared so that choosing the same file again (after fixing it) loads it again.
    e.target.value = '';
    if (!file) return;
    try {
      const task = await parseArcTask(await file.text());
      await setArcTask(task, file.name.replace(/\.json$/i, ''), 'your file');
    } catch (err) {
      A.message = `${file.name}: ${err.message}`;
      renderArc();
    }
  });
  arcSolver.watchFileInput($('arc-model-file'), renderArc);
  try {
    A.examples = await fetchJson('examples/arc.json');
  } catch (e) {
    A.message = `Could not load the example tasks (${e.message}); load a task file instead.`;
  }
  $('arc-example').replaceChildren(...A.examples.map((ex, i) => h('option', { value: String(i), text: ex.name })));
  if (A.examples.length) await setArcTask(A.examples[0].task, A.examples[0].name, A.examples[0].source);
  await arcSolver.ensure();
  renderArc();
}

// ---------------------------------------------------------------------------------------
// Maze
// ---------------------------------------------------------------------------------------
const M = {
  examples: [],
  name: '',
  question: null, // 900 tokens
  answer: null, // known shortest path, tokens
  steps: [], // { step, ms, tokens, probs, haltProbability, verdict }
  solving: false,
  status: '',
  message: '',
  seed: 1,
};
let mazeSolver;
let mazeTimeline;
const mazeCells = [];

function mazeStatus(text) {
  M.status = text;
  $('maze-status').textContent = text;
  renderMaze();
}

async function setMaze(question, answer, name) {
  if (M.solving) mazeSolver.solver?.cancel();
  M.question = question;
  M.answer = answer;
  M.name = name;
  M.steps = [];
  M.message = '';
  mazeTimeline.reset();
  mazeStatus(mazeSolver.solver ? `${name} loaded: press Solve.` : M.status);
}

async function solveMaze() {
  if (!M.question || M.solving) return;
  await mazeSolver.ensure();
  const s = mazeSolver.solver;
  if (!s) return;
  M.steps = [];
  M.solving = true;
  mazeTimeline.reset();
  const steps = Number($('maze-steps').value);
  mazeStatus('Solving…');
  try {
    for await (const st of s.solve(M.question, { steps })) {
      const verdict = await checkMazePath(M.question, st.tokens);
      M.steps.push({ step: st.step, ms: st.ms, tokens: st.tokens, probs: st.probs, haltProbability: st.haltProbability, verdict });
      mazeTimeline.set(M.steps.length);
      mazeStatus(`Step ${st.step} of ${steps}: ${fmtMs(st.ms)}.`);
    }
    mazeStatus(`Done: ${M.steps.length} steps.`);
  } catch (e) {
    M.message = e.message;
    mazeStatus('The solve failed.');
  } finally {
    M.solving = false;
    renderMaze();
  }
}

function verdictText(v) {
  if (!v) return '';
  if (v.valid && v.shortest) return `A valid shortest path: ${v.length} cells from S to G.`;
  if (v.valid) return `A valid path of ${v.length} cells, but not shortest (${v.shortest_length} cells is): ${v.reason}.`;
  return `Not a valid path yet: ${v.reason}.`;
}

function renderMaze() {
  $('maze-solve').disabled = !M.question || M.solving || !mazeSolver?.solver;
  $('maze-stop').hidden = !M.solving;
  $('maze-message').textContent = M.message;
  $('maze-message').hidden = !M.message;
  $('maze-model-info').textContent = mazeSolver?.describe() ?? '';
  $('maze-engine-error').textContent = mazeSolver?.error ?? '';
  $('maze-engine-error').hidden = !mazeSolver?.error;
  $('maze-source').textContent = M.name;
  const st = M.steps[mazeTimeline?.current ?? -1];
  const showTruth = $('maze-show-truth').checked && M.answer;
  const q = M.question ?? new Array(900).fill(2);
  for (let i = 0; i < 900; i++) {
    const el = mazeCells[i];
    const kind = MAZE_CHARS[q[i]];
    let cls = kind === '#' ? 'wall' : kind === 'S' ? 'start' : kind === 'G' ? 'goal' : 'open';
    let style = '';
    if (st) {
      const t = st.tokens[i];
      if (t === 5 && kind === ' ') { cls = 'path'; style = `opacity:${(0.35 + 0.65 * st.probs[i]).toFixed(2)}`; }
      else if (t !== q[i] && !(t === 5 && kind !== ' ')) cls += ' miswritten';
    }
    if (showTruth && M.answer[i] === 5) cls += ' truth';
    el.className = `mc ${cls}`;
    el.style.cssText = style;
  }
  const v = st?.verdict;
  $('maze-verdict').textContent = st ? `Step ${st.step}: ${verdictText(v)} Halting probability ${st.haltProbability.toFixed(2)}.` : '';
  $('maze-verdict').hidden = !st;
  $('maze-verdict').className = `verdict ${v?.valid && v?.shortest ? 'ok' : st ? 'bad' : ''}`;
}

async function initMaze() {
  mazeSolver = new ViewSolver('maze', (text) => mazeStatus(text));
  mazeTimeline = new Timeline(timelineIds('maze'), () => renderMaze(), { live: () => M.solving });
  const board = $('maze-board');
  for (let i = 0; i < 900; i++) {
    const c = h('span', { class: 'mc open' });
    mazeCells.push(c);
    board.append(c);
  }
  $('maze-solve').addEventListener('click', solveMaze);
  $('maze-stop').addEventListener('click', () => mazeSolver.solver?.cancel());
  $('maze-show-truth').addEventListener('change', renderMaze);
  $('maze-example').addEventListener('change', async (e) => {
    const ex = M.examples[Number(e.target.value)];
    if (ex) await setMaze(await parseMaze(ex.question), Array.from(ex.answer, (ch) => MAZE_CHARS.indexOf(ch)), ex.name);
  });
  $('maze-generate').addEventListener('click', async () => {
    const seed = M.seed++;
    const { question, answer } = await generateMaze(seed, 110);
    await setMaze(Array.from(question), Array.from(answer), `Generated maze (seed ${seed})`);
  });
  $('maze-paste-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await setMaze(await parseMaze($('maze-paste').value), null, 'Your maze');
    } catch (err) {
      M.message = err.message;
      renderMaze();
    }
  });
  mazeSolver.watchFileInput($('maze-model-file'), renderMaze);
  try {
    M.examples = await fetchJson('examples/maze.json');
  } catch (e) {
    M.message = `Could not load the example mazes (${e.message}); generate or paste one instead.`;
  }
  $('maze-example').replaceChildren(...M.examples.map((ex, i) => h('option', { value: String(i), text: `${ex.name} (path ${ex.path_length})` })));
  if (M.examples.length) {
    const ex = M.examples[0];
    await setMaze(await parseMaze(ex.question), Array.from(ex.answer, (ch) => MAZE_CHARS.indexOf(ch)), ex.name);
  }
  await mazeSolver.ensure();
  renderMaze();
}

// ---------------------------------------------------------------------------------------
// Entry: app.js calls this when a tab is first shown.
// ---------------------------------------------------------------------------------------
const started = {};
export function showMode(kind) {
  started[kind] ??= kind === 'arc' ? initArc() : initMaze();
  return started[kind];
}

// Read-only views for tests.
window.__trmArc = Object.freeze({
  get ready() { return Boolean(arcSolver?.solver); },
  get solving() { return A.solving; },
  get status() { return A.status; },
  get verdict() { return A.verdict; },
  get message() { return A.message; },
  get error() { return arcSolver?.error ?? ''; },
  get plan() { return A.plan.map((c) => ({ name: c.name, puzzleId: c.puzzleId })); },
  get steps() { return A.steps.map((s) => ({ step: s.step, ranked: s.ranked, answers: s.answers })); },
  get task() { return A.task; },
});
window.__trmMaze = Object.freeze({
  get ready() { return Boolean(mazeSolver?.solver); },
  get solving() { return M.solving; },
  get status() { return M.status; },
  get message() { return M.message; },
  get error() { return mazeSolver?.error ?? ''; },
  get question() { return M.question?.slice() ?? null; },
  get steps() { return M.steps.map((s) => ({ step: s.step, tokens: s.tokens, verdict: s.verdict })); },
});
