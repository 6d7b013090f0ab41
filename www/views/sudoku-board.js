// The Sudoku view's grid: 81 cells in 9 rows, one tab stop (roving tabindex), drawn from the
// view's state as the puzzle being edited or the model's answer at the step on screen, in
// digits or, in the latent view, in the colours of each cell's y or z.
import { $, latentNote, layerSwitch, readableInk } from '../shell.js';
import { hypothesisAt, hypothesisLabel } from './hypotheses.js';
import { N, S, solverOf, page } from './sudoku-state.js';

// ---------------------------------------------------------------------------------------
// The board: 81 cells in 9 rows, one tab stop (roving tabindex).
// ---------------------------------------------------------------------------------------
export const board = $('board');
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

/** Selects cell i (and moves the focus to it when `focus`). */
export function select(i, focus) {
  if (S.selected !== i) {
    cellEls[S.selected].tabIndex = -1;
    S.selected = i;
  }
  cellEls[i].tabIndex = 0;
  for (const el of cellEls) el.classList.toggle('selected', el === cellEls[i]);
  if (focus && document.activeElement !== cellEls[i]) cellEls[i].focus();
}


// ---------------------------------------------------------------------------------------
// The latent view: the grid coloured by each cell's y or z (crate::latent: the model's fixed
// projection, so a colour means the same state at every step and in every puzzle).
// ---------------------------------------------------------------------------------------
/** The cell's colour in the chosen layer, or null (answer layer, or no latent read-out). */
function layerColour(view, i) {
  const c = S.layer !== 'answer' && view?.latent?.[S.layer];
  return c ? [c[i * 3], c[i * 3 + 1], c[i * 3 + 2]] : null;
}

const showLayer = layerSwitch('layer', (layer) => {
  S.layer = layer;
  page.renderAll();
});

function renderLayer(view) {
  showLayer(S.layer, Boolean(solverOf()?.hasLatentBasis));
  const note = $('layer-note');
  note.hidden = S.layer === 'answer';
  if (note.hidden) return;
  const step = view ? S.steps[page.timeline.current] : null;
  const copy = step?.copies[S.track ?? step.chosen];
  let text = latentNote(S.layer, solverOf()?.config?.hidden_size);
  if (view && !view.latent) text += ' This step has no answer to colour.';
  // A relabelled copy's y codes its own digits: the same digit may take another colour.
  if (copy && copy.augmentation !== 'identity') text += ` The copy shown is ${copy.augmentation}, so its digits are relabelled and take other colours than in the puzzle as given.`;
  note.textContent = text;
}

const shade = (p) => `rgba(37, 99, 235, ${(0.05 + 0.3 * Math.max(0, Math.min(1, p))).toFixed(3)})`;
const where = (i) => `row ${Math.floor(i / 9) + 1}, column ${(i % 9) + 1}`;

export function renderBoard() {
  const view = S.mode === 'result' && page.timeline.current >= 0 ? S.views[page.timeline.current] : null;
  const step = view ? S.steps[page.timeline.current] : null;
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
  $('board-mode').textContent = view ? `model's ${S.layer === 'answer' ? 'answer' : S.layer}, step ${S.steps[page.timeline.current].step}` : 'editing';
  $('board-mode').classList.toggle('pill-result', Boolean(view));
  $('board-title').textContent = view ? 'Model answer' : 'Puzzle';
}
