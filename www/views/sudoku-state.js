// The Sudoku view's state, which its parts (sudoku.js: solving and wiring; sudoku-board.js: the
// grid; sudoku-editor.js: typing a puzzle; sudoku-panels.js: the panels beside it) read and
// draw from, and the few things every part does to it.
import { $ } from '../shell.js';

export const N = 81;
/** An example's puzzle as the page writes puzzles ('.' for a blank; the examples use '0'). */
export const exampleText = (ex) => ex.puzzle.replace(/0/g, '.');
export const THRESHOLD = 0.5;

// ---------------------------------------------------------------------------------------
// State. Everything the page shows is drawn from here by render().
// ---------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------
// State. Everything the page shows is drawn from here by render().
// ---------------------------------------------------------------------------------------
export const S = {
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
  layer: 'answer', // what the grid shows: 'answer', or the latent 'y' or 'z' as colours
};

/** What the parts call across: the view's model slot and timeline, the redraw of everything,
 * and leaving the results for the editor. sudoku.js sets them when it loads. */
export const page = { slot: null, timeline: null, renderAll: () => {}, leaveResults: async () => {} };
export const solverOf = () => page.slot?.solver ?? null;

/** The puzzle on the grid as text ('.' for a blank), bad characters as typed. */
export const gridString = () => S.cells.map((v, i) => (S.bad.has(i) ? S.bad.get(i) : v ? String(v) : '.')).join('');

export function setStatus(text) {
  S.status = text;
  $('status').textContent = text;
}

/** The message under the grid (why a puzzle is not accepted, what a link could not do). */
export function showMessage(text) {
  S.message = text;
  const el = $('message');
  el.textContent = text;
  el.hidden = !text;
}
