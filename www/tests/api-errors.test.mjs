// The catalog of bad inputs at the JS API (Node.js, CPU engine): each gives a typed error
// whose message says what is wrong and where, and the solver keeps working afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import {
  DEFAULT_MODEL_SHA256, SHIPPED_SHA256, fetchModel, InputError, ModelError, NoWebGPUError, PuzzleError, loadSolver,
  parseSudoku, parseArcTask, parseMaze, generateMaze, checkMazePath, mergeSteps,
} from '../src/index.js';

const WWW = resolve(fileURLToPath(import.meta.url), '../..');
const wasm = readFileSync(resolve(WWW, 'pkg/trm_bg.wasm'));
const model = readFileSync(resolve(WWW, '../models/sudoku.safetensors'));
const fixture = (n) => readFileSync(resolve(WWW, `../tests/fixtures/${n}.safetensors`));
const EASY = '..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..';

async function rejects(p, Type, pattern) {
  await assert.rejects(p, (e) => {
    assert.ok(e instanceof Type, `${e.name}: ${e.message} is not a ${Type.name}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('puzzle text', async () => {
  await loadSolver({ backend: 'cpu', wasm, model });
  await rejects(parseSudoku(''), PuzzleError, /empty/);
  await rejects(parseSudoku('1'.repeat(82)), PuzzleError, /found 82/);
  await rejects(parseSudoku(`..a${'.'.repeat(78)}`), PuzzleError, /'a' at row 1, column 3/);
  await assert.rejects(parseSudoku(`55${'.'.repeat(79)}`), (e) => {
    assert.ok(e instanceof PuzzleError);
    assert.match(e.message, /digit 5 appears twice in the same row/);
    assert.deepEqual(e.cells, [0, 1]);
    return true;
  });
});

test('a puzzle error from solve() points at the same cells as parseSudoku', async () => {
  const solver = await loadSolver({ backend: 'cpu', wasm, model });
  for (const [text, cells] of [[`55${'.'.repeat(79)}`, [0, 1]], [`..a${'.'.repeat(78)}`, [2]], ['1'.repeat(80), []]]) {
    const fromParse = await parseSudoku(text).catch((e) => e);
    const fromSolve = await (async () => { for await (const _ of solver.solve(text)) { /* refused first */ } })().catch((e) => e);
    for (const e of [fromParse, fromSolve]) {
      assert.ok(e instanceof PuzzleError, `${text}: ${e.name}: ${e.message}`);
      assert.deepEqual(e.cells, cells, text);
    }
    assert.equal(fromSolve.message, fromParse.message);
  }
});

test('model files', async () => {
  await rejects(loadSolver({ backend: 'cpu', wasm, model: new Uint8Array(0) }), ModelError, /truncated|not a readable/);
  await rejects(loadSolver({ backend: 'cpu', wasm, model: model.subarray(0, model.length / 2) }), ModelError, /truncated/);
  await rejects(loadSolver({ backend: 'cpu', wasm, model: new TextEncoder().encode('{"not": "a model"}') }), ModelError, /./);
  // NaN in a weight: find the q_head.bias bytes through the header and poison them.
  const bytes = new Uint8Array(model);
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const [start] = header['q_head.bias'].data_offsets;
  new DataView(bytes.buffer, bytes.byteOffset).setFloat32(8 + n + start, NaN, true);
  await rejects(loadSolver({ backend: 'cpu', wasm, model: bytes }), ModelError, /q_head\.bias.*non-finite/);
});

test('a model of the wrong kind for the puzzle', async () => {
  const s = await loadSolver({ backend: 'cpu', wasm, model: fixture('att_rope_6x6') });
  assert.equal(s.kind, 'arc');
  // A Sudoku given to an ARC model: the error names both kinds.
  await rejects((async () => { for await (const _ of s.solve(EASY)) { /* none */ } })(), PuzzleError, /looks like a sudoku, but the model is a arc model/);
  await rejects((async () => { for await (const _ of s.solve(null)) { /* none */ } })(), InputError, /not null/);
});

test('options and backends', async () => {
  await rejects(loadSolver({ backend: 'gpu', wasm, model }), InputError, /backend must be/);
  if (!globalThis.navigator?.gpu) {
    await rejects(loadSolver({ backend: 'webgpu', wasm, model }), NoWebGPUError, /WebGPU is not available/);
  }
  const s = await loadSolver({ backend: 'cpu', wasm, model });
  await rejects((async () => { for await (const _ of s.solve(EASY, { steps: 0 })) { /* none */ } })(), InputError, /steps must be in 1\.\.=1024/);
  await rejects((async () => { for await (const _ of s.solve(EASY, { threshold: 2 })) { /* none */ } })(), InputError, /threshold/);
  await rejects((async () => { for await (const _ of s.solve(EASY, { copies: 0 })) { /* none */ } })(), InputError, /copies must be in 1\.\.=1024/);
  await rejects((async () => { for await (const _ of s.solve(EASY, { seed: -1 })) { /* none */ } })(), InputError, /seed must be a whole number/);
  await rejects((async () => { for await (const _ of s.solve(EASY, { puzzleId: 5 })) { /* none */ } })(), InputError, /unknown solve option "puzzleId"/);
  await rejects(s.solveBatch([[1, 2]]).next(), InputError, /puzzle 0 has 2 tokens, not 81/);
  await rejects(mergeSteps([]), InputError, /at least one step/);
  await rejects(mergeSteps([{ step: 1 }]), InputError, /mergeSteps takes the shares' steps/);
  const share = [];
  for await (const st of s.solve(EASY, { steps: 1, copies: 2 })) share.push(st);
  await rejects(mergeSteps([share[0], { ...share[0], step: 2 }]), InputError, /different steps \(1 and 2\)/);
  const merged = await mergeSteps([share[0], share[0]]);
  assert.equal(merged.copies.length, 4, 'two shares of 2 copies are one step of 4');
  // After all of that the solver still solves.
  const steps = [];
  for await (const st of s.solve(EASY, { steps: 2 })) steps.push(st.step);
  assert.deepEqual(steps, [1, 2]);
});

test('ARC task JSON and grids', async () => {
  await loadSolver({ backend: 'cpu', wasm, model });
  await rejects(parseArcTask(''), PuzzleError, /empty/);
  await rejects(parseArcTask('{"train": ['), PuzzleError, /JSON/);
  const demo = '{"input": [[1]], "output": [[2]]}';
  await rejects(parseArcTask('{"train": [], "test": [{"input": [[1]]}]}'), PuzzleError, /"train" is empty/);
  await rejects(parseArcTask(`{"train": [${demo}], "test": [{"input": [[1, 2], [3]]}]}`), PuzzleError, /test pair 1.*row 2/);
  await rejects(parseArcTask('{"train": [{"input": [[10]], "output": [[1]]}], "test": []}'), PuzzleError, /train pair 1, input: cell \(row 1, column 1\) holds 10/);
  const big = JSON.stringify({ train: [JSON.parse(demo)], test: [{ input: Array.from({ length: 31 }, () => [0]) }] });
  await rejects(parseArcTask(big), PuzzleError, /31/);
  await rejects(parseArcTask(`{"train": [${demo}], "test": [{"input": []}]}`), PuzzleError, /test pair 1/);
  const task = await parseArcTask('{"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[1, 2]], "output": [[2, 1]]}]}');
  assert.deepEqual(task.test[0].output, [[2, 1]]);
});

test('maze text', async () => {
  await loadSolver({ backend: 'cpu', wasm, model });
  await rejects(parseMaze(''), PuzzleError, /empty/);
  await rejects(parseMaze('#'.repeat(899)), PuzzleError, /899/);
  const open = ' '.repeat(900);
  await rejects(parseMaze(open), PuzzleError, /exactly one start/);
  await rejects(parseMaze(`SS${'G'}${' '.repeat(897)}`), PuzzleError, /start/i);
  await rejects(parseMaze(`S G${'x'}${' '.repeat(896)}`), PuzzleError, /'x'/);
  // The cells at fault come with the error: the bad character; both starts.
  assert.deepEqual((await parseMaze(`S G${'x'}${' '.repeat(896)}`).catch((e) => e)).cells, [3]);
  assert.deepEqual((await parseMaze(`SS${'G'}${' '.repeat(897)}`).catch((e) => e)).cells, [0, 1]);
  // A wall between S and G: no route, refused before any model runs.
  await rejects(parseMaze(`S#G${' '.repeat(27)}${'#'.repeat(870)}`), PuzzleError, /no route from S to G/);
  const { question, answer } = await generateMaze(7, 110);
  const parsed = await parseMaze(question);
  assert.equal(`${parsed.rows.join('\n')}\n`, question);
  // The answer's path cells are read as open in a question.
  assert.equal(`${(await parseMaze(answer)).rows.join('\n')}\n`, question);
  const ok = await checkMazePath(question, answer);
  assert.ok(ok.valid && ok.shortest && ok.reason === null && ok.length > 110);
  const broken = answer.replace('o', ' ');
  const bad = await checkMazePath(question, broken);
  assert.equal(bad.valid, false);
  assert.match(bad.reason, /./);
  await rejects(checkMazePath('#S', answer), PuzzleError, /question/);
  // Other sides: an 11x11 corridor maze (the 'maze11' model's size) parses and checks the same
  // way; a side generateMaze has no mazes for is an InputError saying which sides it has.
  const small = await generateMaze(7, 11, 11);
  assert.equal(small.question.split('\n').filter(Boolean).length, 11);
  assert.equal((await parseMaze(small.question)).width, 11);
  const path = await checkMazePath(small.question, small.answer);
  assert.ok(path.valid && path.shortest && path.length > 11);
  await rejects(generateMaze(7, 11, 12), InputError, /odd side from 5 to 29/);
  await rejects(generateMaze(7, 500, 11), InputError, /beyond what 11x11 mazes reach/);
});

test('the shipped model matches its recorded SHA-256, and a mismatch is a ModelError', async () => {
  // Every models/*.safetensors has its hash recorded, and every recorded hash its file.
  const files = readdirSync(resolve(WWW, '../models')).filter((f) => f.endsWith('.safetensors')).sort();
  assert.deepEqual(files, Object.keys(SHIPPED_SHA256).map((k) => `${k}.safetensors`).sort());
  for (const [kind, sha] of Object.entries(SHIPPED_SHA256)) {
    const bytes = readFileSync(resolve(WWW, `../models/${kind}.safetensors`));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), sha, `models/${kind}.safetensors changed: record its hash in www/src/default-model.js`);
  }
  assert.equal(createHash('sha256').update(model).digest('hex'), DEFAULT_MODEL_SHA256,
    'models/sudoku.safetensors changed: record its hash in www/src/default-model.js');
  // fetchModel checks integrity on bytes it fetched; a data: URL stands in for the server.
  const url = `data:application/octet-stream;base64,${Buffer.from('not the model').toString('base64')}`;
  await rejects(fetchModel(url, { cache: false, sha256: DEFAULT_MODEL_SHA256 }), ModelError, /SHA-256/);
  await rejects(fetchModel('http://127.0.0.1:9/none.safetensors', { cache: false }), ModelError, /could not fetch/);
});
