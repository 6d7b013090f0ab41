// solve() through the npm API (Node.js, the wasm CPU engine) for each kind with its shipped
// model: the steps arrive decoded and judged, and every streamed verdict agrees with the
// library's own judge applied independently to the streamed answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PuzzleError, checkMazePath, isSudokuSolution, loadSolver, parseSudoku } from '../src/index.js';

const WWW = resolve(fileURLToPath(import.meta.url), '../..');
const wasm = readFileSync(resolve(WWW, 'pkg/trm_bg.wasm'));
const model = (kind) => readFileSync(resolve(WWW, `../models/${kind}.safetensors`));
const examples = (kind) => JSON.parse(readFileSync(resolve(WWW, `examples/${kind}.json`), 'utf8'));

async function run(solver, puzzle, options) {
  let info = null;
  const steps = [];
  for await (const s of solver.solve(puzzle, { ...options, onPuzzle: (i) => { info = i; } })) steps.push(s);
  return { info, steps };
}

test('Sudoku: answers, confidences and verdicts arrive decoded, and agree with the rules', async () => {
  const solver = await loadSolver({ backend: 'cpu', wasm, model: model('sudoku') });
  const ex = examples('sudoku')[0];
  const { info, steps } = await run(solver, ex.puzzle, { steps: 6, copies: 4, seed: 3 });
  assert.equal(info.kind, 'sudoku');
  assert.equal(info.solutions, 1);
  // The uniqueness search's solution comes with it, so a page need not search again.
  assert.ok(Array.isArray(info.expected.cells), 'the solution is a plain array (it goes into saved runs as JSON)');
  assert.deepEqual(info.expected.cells, [...ex.solution].map(Number));
  assert.deepEqual(info.augmentations.length, 4);
  assert.equal(info.puzzle.rows.join(''), ex.puzzle.replace(/0/g, '.'));
  const givens = await parseSudoku(ex.puzzle);
  assert.equal(steps.length, 6);
  for (const s of steps) {
    assert.equal(s.copies.length, 4);
    assert.equal(s.confidence.length, 81);
    assert.ok(s.confidence.every((p) => p >= 0 && p <= 1));
    const solved = await isSudokuSolution(givens, s.answer.cells);
    assert.equal(s.verdict.verdict === 'solved', solved, `step ${s.step}`);
    assert.deepEqual(s.grid, s.answer.cells);
    for (const c of s.copies) {
      if (c.answer) assert.equal(c.verdict.verdict === 'solved', await isSudokuSolution(givens, c.answer.cells));
    }
  }
  assert.equal(steps.at(-1).done, true);
});

test('Sudoku with hypotheses: each step says its round and the hypotheses given, within the budget, and bad options are refused by name', async () => {
  const solver = await loadSolver({ backend: 'cpu', wasm, model: model('sudoku') });
  const ex = examples('sudoku').find((e) => e.name.startsWith('Extreme #2'));
  const budget = 48;
  const { info, steps } = await run(solver, ex.puzzle, { steps: 3, copies: 4, seed: 3, hypotheses: { budget } });
  assert.equal(info.kind, 'sudoku');
  const givens = await parseSudoku(ex.puzzle);
  let given = new Map();
  for (const [k, s] of steps.entries()) {
    assert.equal(s.step, k + 1);
    assert.ok(s.networkSteps <= budget, `step ${s.step}: ${s.networkSteps} network steps`);
    assert.deepEqual(new Map(s.hypotheses.map((h) => [h.cell, h.digit])), given, `round ${s.round}`);
    for (const h of s.hypotheses) assert.equal(givens[h.cell], 0, 'a hypothesis sits on a blank');
    if (s.answer) assert.equal(s.verdict.verdict === 'solved', await isSudokuSolution(givens, s.answer.cells));
    for (const h of s.withdrawn) given.delete(h.cell);
    for (const h of s.added) given.set(h.cell, h.digit);
  }
  assert.equal(steps.at(-1).done, true);
  assert.ok(steps.at(-1).round > 1 || steps.at(-1).verdict.verdict === 'solved', 'a failed round is followed by another');
  await assert.rejects(async () => { for await (const _ of solver.solve(ex.puzzle, { copies: 4, hypotheses: { budget: 48, depht: 2 } })); }, /depht/);
  await assert.rejects(async () => { for await (const _ of solver.solve(ex.puzzle, { copies: 8, hypotheses: { budget: 4 } })); }, /budget/);
});

test('Maze: the streamed path verdict is the path checker\'s', async () => {
  const solver = await loadSolver({ backend: 'cpu', wasm, model: model('maze') });
  const ex = examples('maze')[0];
  const { info, steps } = await run(solver, ex.question, { steps: 2, copies: 2 });
  assert.equal(info.kind, 'maze');
  assert.equal(info.shortestPath, ex.path_length);
  assert.deepEqual(info.augmentations, ['identity', 'rot90']);
  for (const s of steps) {
    assert.equal(s.answer.rows.length, 30);
    const v = await checkMazePath(ex.question, s.answer.rows.join('\n'));
    assert.equal(s.verdict.verdict === 'solved', v.reason === null, `step ${s.step}`);
    if (v.reason !== null) assert.equal(s.verdict.reason, v.reason);
  }
});

test('Maze 11x11: the maze11 model solves an example at its side, and a 30x30 maze is refused naming both sides', async () => {
  const solver = await loadSolver({ backend: 'cpu', wasm, model: model('maze11') });
  assert.equal(solver.kind, 'maze');
  assert.equal(solver.config.seq_len, 121);
  const ex = examples('maze11')[0];
  const { info, steps } = await run(solver, ex.question, { steps: 4, copies: 2 });
  assert.equal(info.shortestPath, ex.path_length);
  assert.equal(steps.length, 4);
  for (const s of steps) {
    assert.equal(s.answer.rows.length, 11);
    assert.equal(s.confidence.length, 121);
    // The verdict, whatever it is, is the path checker's.
    const v = await checkMazePath(ex.question, s.answer.rows.join('\n'));
    assert.equal(s.verdict.verdict === 'solved', v.reason === null, `step ${s.step}`);
  }
  await assert.rejects(run(solver, examples('maze')[0].question, { steps: 1 }), (e) => {
    assert.ok(e instanceof PuzzleError, `${e.name}: ${e.message}`);
    assert.match(e.message, /this maze is 30x30, but the model was trained on 11x11 mazes/);
    return true;
  });
});

test('ARC: copies are voted, and verdicts compare with the known output', async () => {
  const solver = await loadSolver({ backend: 'cpu', wasm, model: model('arc') });
  const ex = examples('arc')[0];
  const { info, steps } = await run(solver, ex.task, { steps: 1, copies: 3, task: ex.name });
  assert.equal(info.kind, 'arc');
  const expected = ex.task.test[0].output.map((r) => r.join(''));
  assert.deepEqual(info.expected.rows, expected);
  const [s] = steps;
  assert.equal(s.copies.length, 3);
  assert.ok(s.ranked.length <= 2);
  for (const r of s.ranked) {
    const same = r.answer.rows.join('\n') === expected.join('\n');
    assert.equal(r.verdict.verdict === 'solved', same);
  }
  if (s.answer) {
    assert.deepEqual(s.answer, s.copies[s.chosen].answer);
    assert.equal(s.votes, s.copies.filter((c) => JSON.stringify(c.answer) === JSON.stringify(s.answer)).length);
  }
});
