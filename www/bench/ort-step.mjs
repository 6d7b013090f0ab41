// ONNX Runtime Web running one TRM supervision step per session.run on the graph of
// train/export_onnx.py, with y and z carried between steps: shared by bench.mjs (per-step
// parity and timing against our engines) and pool.mjs (the worker pool against ORT's wasm
// threads).

export /** H_init and L_init straight from the model file: the ONNX graph takes y, z as inputs. */
function readInitVectors(bytes) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const tensor = (name) => {
    const { dtype, data_offsets: [a, b] } = header[name];
    const raw = bytes.slice(8 + n + a, 8 + n + b);
    const v = new DataView(raw.buffer);
    if (dtype === 'F32') return new Float32Array(raw.buffer);
    if (dtype === 'BF16') return Float32Array.from({ length: raw.length / 2 }, (_, i) => {
      const w = new DataView(new ArrayBuffer(4));
      w.setUint16(2, v.getUint16(2 * i, true));
      return w.getFloat32(0);
    });
    if (dtype === 'F16') return Float32Array.from({ length: raw.length / 2 }, (_, i) => {
      const h = v.getUint16(2 * i, true);
      const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
      if (e === 0) return s * m * 2 ** -24;
      if (e === 31) return m ? NaN : s * Infinity;
      return s * (1 + m / 1024) * 2 ** (e - 15);
    });
    throw new Error(`${name}: dtype ${dtype} not handled`);
  };
  return { H: tensor('H_init'), L: tensor('L_init') };
}

/** setup() of an ORT engine: { name, state, step(), read() -> { logits, qHalt }, close() }.
 * ctx: { onnxBytes, tokens, ids, init: readInitVectors(model), batch, S, D, seqLen }. */
export async function ort(ortMod, ep, ctx) {
  const { batch, S, D, seqLen } = ctx;
  // Severity 3 (errors): ORT otherwise warns on every session that it keeps shape ops on
  // the CPU, by design.
  const opts = { executionProviders: [ep], graphOptimizationLevel: 'all', logSeverityLevel: 3 };
  // y and z stay on the GPU between steps; logits and q_halt come back to the CPU, the
  // counterpart of our engine reading back its answers.
  if (ep === 'webgpu') opts.preferredOutputLocation = { y_out: 'gpu-buffer', z_out: 'gpu-buffer', logits: 'cpu', q_halt: 'cpu' };
  const sess = await ortMod.InferenceSession.create(ctx.onnxBytes, opts);
  const feeds = { tokens: new ortMod.Tensor('int32', Int32Array.from(ctx.tokens), [batch, seqLen]) };
  if (sess.inputNames.includes('puzzle_ids')) feeds.puzzle_ids = new ortMod.Tensor('int32', Int32Array.from(ctx.ids), [batch]);
  const broadcast = (v) => {
    const a = new Float32Array(batch * S * D);
    for (let r = 0; r < batch * S; r++) a.set(v, r * D);
    return a;
  };
  let y = new ortMod.Tensor('float32', broadcast(ctx.init.H), [batch, S, D]);
  let z = new ortMod.Tensor('float32', broadcast(ctx.init.L), [batch, S, D]);
  let out = null;
  const drop = (t) => { if (t.location === 'gpu-buffer') t.dispose(); };
  return {
    name: `ONNX Runtime Web ${ortMod.env.versions?.web ?? ''} (${ep})`,
    // Where ORT actually left the carried state (it may ignore the preference).
    get state() { return out ? `y, z carried in ${out.y_out.location}` : null; },
    async step() {
      out = await sess.run({ ...feeds, y, z });
      drop(y); drop(z);
      y = out.y_out; z = out.z_out;
    },
    async read() { return { logits: out.logits.data, qHalt: out.q_halt.data }; },
    async close() { drop(y); drop(z); await sess.release(); },
  };
}

