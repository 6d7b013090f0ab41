// The CPU engine as compiled to WebAssembly (the packed-weight kernel that only the wasm build
// uses) against PyTorch's outputs in tests/fixtures, as crate/tests/it/parity.rs checks the
// native build: logits of two supervision steps within 1e-4 relative to the largest logit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync, Solver } from '../pkg/trm.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
initSync({ module: readFileSync(resolve(ROOT, 'www/pkg/trm_bg.wasm')) });

/** Tensors of a safetensors file (F32 and I32 only, as the fixtures hold). */
function readSafetensors(path) {
  const buf = readFileSync(path);
  const len = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + len).toString('utf8'));
  const out = {};
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [a, b] = t.data_offsets;
    const bytes = buf.subarray(8 + len + a, 8 + len + b);
    const copy = new Uint8Array(bytes).buffer;
    out[name] = t.dtype === 'F32' ? new Float32Array(copy) : new Int32Array(copy);
  }
  return out;
}

function relErr(got, want) {
  assert.equal(got.length, want.length);
  let num = 0;
  let den = 1e-30;
  for (let i = 0; i < want.length; i++) {
    num = Math.max(num, Math.abs(got[i] - want[i]));
    den = Math.max(den, Math.abs(want[i]));
  }
  return num / den;
}

for (const name of ['mlp_t_sudoku', 'mlp_t_f16', 'att_rope_6x6', 'att_rope2d_6x6', 'att_learned_noprefix']) {
  test(`wasm CPU engine matches PyTorch on ${name}`, async () => {
    const fixtures = resolve(ROOT, 'tests/fixtures');
    const io = readSafetensors(resolve(fixtures, `${name}.io.safetensors`));
    const solver = await Solver.create(readFileSync(resolve(fixtures, `${name}.safetensors`)), 'cpu');
    assert.equal(solver.engine, 'CPU');
    solver.start(Uint32Array.from(io.tokens), Uint32Array.from(io.puzzle_ids), 2, false, 0.5, false);
    for (const step of [1, 2]) {
      const r = await solver.step();
      assert.equal(r.step, step);
      const e = relErr(await solver.logits(), io[`step${step}_logits`]);
      assert.ok(e <= 1e-4, `${name} step ${step}: logits differ by ${e.toExponential(2)} relative`);
      const q = r.puzzles.map((p) => p.q_halt);
      const eq = relErr(q, io[`step${step}_q_halt`]);
      assert.ok(eq <= 1e-4, `${name} step ${step}: q_halt differs by ${eq.toExponential(2)} relative`);
    }
    solver.free();
  });
}
