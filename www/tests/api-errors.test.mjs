// The catalog of bad inputs at the JS API (Node.js, CPU engine): each gives a typed error
// whose message says what is wrong and where, and the solver keeps working afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import {
  DEFAULT_MODEL_SHA256, fetchModel, InputError, ModelError, NoWebGPUError, PuzzleError, loadSolver, parseSudoku,
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
  // A Sudoku string is not ARC tokens: 81 characters are not 36 tokens.
  await rejects((async () => { for await (const _ of s.solve([1, 2, 3])) { /* none */ } })(), InputError, /3 tokens for 1 puzzles of 36 cells/);
});

test('options and backends', async () => {
  await rejects(loadSolver({ backend: 'gpu', wasm, model }), InputError, /backend must be/);
  if (!globalThis.navigator?.gpu) {
    await rejects(loadSolver({ backend: 'webgpu', wasm, model }), NoWebGPUError, /WebGPU is not available/);
  }
  const s = await loadSolver({ backend: 'cpu', wasm, model });
  await rejects((async () => { for await (const _ of s.solve(EASY, { steps: 0 })) { /* none */ } })(), InputError, /steps must be in 1\.\.=1024/);
  await rejects((async () => { for await (const _ of s.solve(EASY, { threshold: 2 })) { /* none */ } })(), InputError, /threshold/);
  await rejects((async () => { for await (const _ of s.solve(EASY, { puzzleId: 5 })) { /* none */ } })(), InputError, /puzzle id 5/);
  // After all of that the solver still solves.
  const steps = [];
  for await (const st of s.solve(EASY, { steps: 2 })) steps.push(st.step);
  assert.deepEqual(steps, [1, 2]);
});

test('the shipped model matches its recorded SHA-256, and a mismatch is a ModelError', async () => {
  assert.equal(createHash('sha256').update(model).digest('hex'), DEFAULT_MODEL_SHA256,
    'models/sudoku.safetensors changed: record its hash in www/src/default-model.js');
  // fetchModel checks integrity on bytes it fetched; a data: URL stands in for the server.
  const url = `data:application/octet-stream;base64,${Buffer.from('not the model').toString('base64')}`;
  await rejects(fetchModel(url, { cache: false, sha256: DEFAULT_MODEL_SHA256 }), ModelError, /SHA-256/);
  await rejects(fetchModel('http://127.0.0.1:9/none.safetensors', { cache: false }), ModelError, /could not fetch/);
});
