// Typing a puzzle into the Sudoku view: keys, the digit pad, a paste on the grid or in the
// text field, the examples. Nothing reaches the model before parseSudoku accepts it; invalid
// input is marked at its cells.
import { $, sentence } from '../shell.js';
import { board, renderBoard, select } from './sudoku-board.js';
import { N, S, exampleText, gridString, setStatus, showMessage, page } from './sudoku-state.js';

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
// Editing and validation. Nothing reaches the model before parseSudoku accepts it.
// ---------------------------------------------------------------------------------------
export function markCustom() {
  S.example = -1;
  $('example').value = 'custom';
  $('puzzle-source').textContent = 'Your own puzzle.';
}

async function setCell(i, v) {
  if (S.mode === 'result') await page.leaveResults();
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
    await page.slot.call('parseSudoku', gridString());
  } catch (e) {
    message = e.message;
    for (const c of e.cells ?? []) cells.add(c);
  }
  try {
    for (const c of await page.slot.call('sudokuClashes', S.cells)) cells.add(c);
  } catch { /* no model yet: the parse message above says enough */ }
  if (seq !== validateSeq) return;
  S.invalid = cells;
  showMessage(message);
  renderBoard();
}

/** Shows why input is invalid, at the cells. */
export function showInvalid(e, fromPaste = false) {
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
export async function loadText(text, origin) {
  await page.leaveResults();
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
    const cells = await page.slot.call('parseSudoku', text);
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

export function loadExample(k) {
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

// The example puzzles, grouped by difficulty in the picker, the first one loaded; without them
// the view still takes a typed or pasted puzzle.
export async function loadExamples() {
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
