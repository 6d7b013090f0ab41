// What each bundled model can do, in the page's words. Every figure comes from the model
// card's "At a glance" table (model-card.js, generated from models/MODEL_CARD.md when
// scripts/build-site.sh builds the site), so that the page and the card cannot disagree.
import { GLANCE } from './model-card.js';
// And every time it states, from BENCHMARKS.md's "page-times" table (page-times.js, generated too).
import { PAGE_TIMES } from './page-times.js';

/** Where the page's links to the documents go: docs.html shows those bundled with the site. */
export const DOC_LINKS = {
  glance: 'docs.html?doc=models/MODEL_CARD.md#at-a-glance',
  readme: 'docs.html?doc=README.md',
  modelFiles: 'docs.html?doc=docs/MODEL_FILES.md',
};

function row(key) {
  const r = GLANCE[key];
  if (!r) throw new Error(`the model card's "At a glance" table has no row ${key}`);
  return r;
}
/** The solved share as the card writes it, or "none" for a model that solves none. */
const share = (key) => (parseFloat(row(key).solved) === 0 ? 'none' : row(key).solved);
const paper = (key) => row(key).paper;

/** By bundled model name: what it solves, before a solve and in every not-solved verdict. */
export const MODEL_NOTES = {
  sudoku: `The shipped model is small and CPU-trained. In one pass of 16 steps it solves ${share('sudoku.easy')} of easy puzzles, ${share('sudoku.clue17')} of 17-clue ones and ${share('sudoku.extreme')} of the hardest (Sudoku-Extreme; the paper's model: ${paper('sudoku.extreme')}). Thinking harder (8 copies for up to 32 steps) it solves ${share('sudoku.think8x32')} of those, and ${share('sudoku.hypotheses')} with hypotheses, as this page thinks harder (8 copies a round, up to 1,024 network steps).`,
  arc: `The shipped ARC model is barely trained: it solves ${share('arc.eval')} of the 400 ARC-AGI-1 evaluation tasks (the paper's model: ${paper('arc.eval')}) and mostly does not draw a grid of the right size. A solve runs end to end, so you can watch it try; to see ARC tasks solved, load a converted paper checkpoint (the model files guide says how).`,
  arc10: `The shipped model for ARC tasks within 10x10 is small and CPU-trained: of the 77 ARC-AGI-1 evaluation tasks whose every grid fits 10x10 it answers ${share('arc10.eval')} of their 88 held-out test inputs within two attempts (the model card names the tasks it solves). It reads grids up to 10x10 only; a larger task brings the 30x30 model, which solves none.`,
  maze11: `The shipped model for 11x11 corridor mazes solves ${share('maze11.one')} of 1,000 held-out mazes in one 16-step pass, ${share('maze11.symmetries')} with its 8 symmetries checked.`,
  maze15: `The shipped model for 15x15 corridor mazes solves ${share('maze15.one')} of 1,000 held-out mazes in one 16-step pass, ${share('maze15.symmetries')} with its 8 symmetries checked.`,
  maze: `The shipped model for 30x30 Maze-Hard solves ${share('maze.hard')} of the 200 held-out mazes (the paper's model: ${paper('maze.hard')}): it copies the maze and marks no path. To see paths found, load a converted paper checkpoint (the model files guide says how).`,
};

function waited(key) {
  const t = PAGE_TIMES[key];
  if (!t) throw new Error(`BENCHMARKS.md's "page-times" table has no row ${key}`);
  return t;
}

/** Before a solve, by bundled model name, where a solve makes a visitor wait: how long this
 * view's default solve took on the CPU engine, measured. */
export const MODEL_WAIT = {
  arc: `On the CPU engine a solve of ${waited('arc.solve').producedBy} took ${waited('arc.solve').seconds} s on ${waited('arc.solve').machine}.`,
};

/** Beside the Maze view's size choice and the ARC view's model choice, by bundled model name. */
export const MODEL_SHORT = {
  arc10: `answers ${share('arc10.eval')} of held-out test inputs within 10x10`,
  arc: `solves ${share('arc.eval')} of the 400 evaluation tasks`,
  maze11: `solves ${share('maze11.one')} of held-out mazes in one pass`,
  maze15: `solves ${share('maze15.one')} of held-out mazes in one pass`,
  maze: `solves ${share('maze.hard')} of 200 held-out mazes`,
};
