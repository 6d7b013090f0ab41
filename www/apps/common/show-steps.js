// What every example app does with trm-web: start the worker client on the bundled Sudoku
// model, solve one puzzle, and draw each supervision step as it arrives. The apps differ only
// in how `createWorkerSolver` reaches them (a bundler, or an import map). The outcome goes to
// `window.__trmApp` for the package's tests (www/tests/apps.test.mjs).

// The example puzzle of the package README, which the bundled model solves.
export const PUZZLE = '..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..';

export async function showSteps(createWorkerSolver, root = document.body) {
  const state = (window.__trmApp = { engine: null, steps: [], verdict: null, answer: null, error: null, done: false });
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
    solver.terminate();
  } catch (e) {
    state.error = `${e.name}: ${e.message}`;
    status.textContent = state.error;
  }
  state.done = true;
}
