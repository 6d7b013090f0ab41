// What every example app does with trm-web: start the worker client on the bundled Sudoku
// model, solve one puzzle, and draw each supervision step as it arrives; then the same with a
// second bundled model, imported from 'trm-web/model-url/maze11' as the package README says
// (which makes a bundler emit that model file), on an 11x11 maze. The apps differ only in how
// `createWorkerSolver` and the model import reach them (a bundler, or an import map). The
// outcome goes to `window.__trmApp` for the package's tests (www/tests/apps.test.mjs).

// The example puzzle of the package README, which the bundled model solves.
export const PUZZLE = '..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..';
// generateMaze(MAZE_SEED, 11, 11): an 11x11 corridor maze the bundled 'maze11' model solves.
export const MAZE_SEED = 7;

/**
 * @param {typeof import('trm-web/worker-client').createWorkerSolver} createWorkerSolver
 * @param {{ url: string, sha256: string }} maze11 the 'trm-web/model-url/maze11' import
 */
export async function showSteps(createWorkerSolver, maze11, root = document.body) {
  /** @type {{ engine: string | null, steps: number[], verdict: string | null, answer: string | null, maze: { steps: number[], verdict: string | null } | null, byName: string | null, error: string | null, done: boolean }} */
  const state = { engine: null, steps: [], verdict: null, answer: null, maze: null, byName: null, error: null, done: false };
  /** @type {any} */ (window).__trmApp = state;
  const status = root.appendChild(document.createElement('p'));
  const board = root.appendChild(document.createElement('pre'));
  try {
    status.textContent = 'Loading the model…';
    const solver = await createWorkerSolver({ backend: 'auto' });
    state.engine = solver.engine;
    for await (const step of solver.solve(PUZZLE, { steps: 16 })) {
      state.steps.push(step.step);
      state.verdict = step.verdict.verdict;
      state.answer = step.answer?.rows.join('') ?? null;
      board.textContent = step.answer ? step.answer.rows.join('\n') : '(no answer yet)';
      status.textContent = `${solver.engine}: step ${step.step}, ${step.verdict.verdict}`;
    }
    solver.dispose();

    status.textContent = 'Loading the 11x11 maze model…';
    const mazes = await createWorkerSolver({ model: maze11 });
    const { question } = await mazes.call('generateMaze', MAZE_SEED, 11, 11);
    /** @type {{ steps: number[], verdict: string | null }} */
    const maze = { steps: [], verdict: null };
    state.maze = maze;
    for await (const step of mazes.solve(question, { steps: 16 })) {
      maze.steps.push(step.step);
      maze.verdict = step.verdict.verdict;
      board.textContent = step.answer ? step.answer.rows.join('\n') : '(no answer yet)';
      status.textContent = `${mazes.engine}: maze step ${step.step}, ${step.verdict.verdict}`;
    }
    mazes.dispose();

    // A bundled model by name: where the package is served as it is (the import-map app) it
    // loads; in a bundled app, whose bundler emitted no such file, the error says what to import.
    try {
      const arc = await createWorkerSolver({ model: 'arc' });
      state.byName = `loaded ${arc.kind}`;
      arc.dispose();
    } catch (e) {
      state.byName = `${/** @type {Error} */ (e).name}: ${/** @type {Error} */ (e).message}`;
    }
  } catch (e) {
    const err = /** @type {Error} */ (e);
    state.error = `${err.name}: ${err.message}`;
    status.textContent = state.error;
  }
  state.done = true;
}
