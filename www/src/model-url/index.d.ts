/** A bundled model: its kind (maze for 'maze', 'maze11' and 'maze15'; arc for 'arc' and 'arc10'), its URL as the bundler
 * emitted it, and its SHA-256. */
declare const model: { kind: 'sudoku' | 'maze' | 'arc'; url: string; sha256: string };
export default model;
