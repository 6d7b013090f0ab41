// The WebGPU engine in headless Chromium (SwiftShader) against the CPU engine compiled to
// wasm, in the same page on the same inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, open, serve } from './harness.mjs';

test('WebGPU and CPU engines agree in Chromium', { timeout: 600_000 }, async () => {
  const { server, url } = await serve();
  const b = await browser({ webgpu: true });
  try {
    const { page, errors } = await open(b, url, '/www/tests/gpu-parity.html');
    const r = await page.evaluate(() => window.result);
    assert.ok(r.ok, r.error);
    for (const run of r.runs) {
      console.log(`${run.name} on ${run.engine}:`, JSON.stringify(run.steps));
      assert.notEqual(run.engine, 'CPU', 'the WebGPU engine must run on a WebGPU adapter');
      for (const s of run.steps) {
        assert.ok(s.logits_rel <= 1e-3, `${run.name}: logits differ by ${s.logits_rel}`);
        assert.ok(s.q_rel <= 1e-3, `${run.name}: q_halt differs by ${s.q_rel}`);
        assert.ok(s.agree >= 0.999, `${run.name}: argmax agrees on ${s.agree}`);
        assert.ok(s.cycles_ok, `${run.name}: per-cycle answers`);
      }
    }
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
    server.close();
  }
});
