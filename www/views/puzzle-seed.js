// The Sudoku view's seed for a puzzle's copies, in a module of its own so that the benchmark of
// the page's search (www/bench/search.mjs) runs the very copies the page runs.

/** The puzzle's own seed for the copies' shuffles (FNV-1a of its text), so that thinking harder
 * about the same puzzle runs the same copies, on every visit and from a link. */
export function puzzleSeed(text) {
  let x = 0x811c9dc5;
  for (const ch of text) x = Math.imul(x ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return x;
}
