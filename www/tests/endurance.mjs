// Endurance: N consecutive solves in one worker (default 200 x 16 steps on WebGPU), printing the
// worker's wasm memory, JS heap and live GPU buffers at the start and along the way. Not part
// of the test suite (it runs for many minutes on a software GPU); run it with
//   node www/tests/endurance.mjs [--backend webgpu|cpu] [--solves 200] [--steps 16] [--model URL]
// after scripts/build-wasm.sh. Exits non-zero when the live buffers or wasm memory keep growing
// after the first solve.
import { browser, serve } from './harness.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const backend = arg('backend', 'webgpu');
const solves = Number(arg('solves', 200));
const steps = Number(arg('steps', 16));
const model = arg('model', null);

const site = await serve();
const b = await browser({ webgpu: backend !== 'cpu' });
const page = await b.newPage();
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
// The worker's JS heap is not visible from inside it (performance.memory is page-only), so ask
// DevTools: attach to the worker target (non-flattened sessions, answered by events).
const cdp = await page.context().newCDPSession(page);
const workerSessions = [];
const replies = new Map();
cdp.on('Target.attachedToTarget', (e) => { if (e.targetInfo.type === 'worker') workerSessions.push(e.sessionId); });
cdp.on('Target.receivedMessageFromTarget', (e) => {
  const m = JSON.parse(e.message);
  replies.get(m.id)?.(m.result);
});
await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
let msgId = 1;
const toWorker = async (method) => {
  const sessionId = workerSessions.at(-1);
  if (!sessionId) return null;
  const id = msgId++;
  const reply = new Promise((ok) => { replies.set(id, ok); setTimeout(() => ok(null), 10_000); });
  await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
  return reply;
};
// Heaps are read after a full collection in both the page and the worker, so the figures are
// what is still reachable, not how much garbage happens to be waiting.
await page.exposeFunction('collectGarbage', async () => {
  await cdp.send('HeapProfiler.collectGarbage');
  await toWorker('HeapProfiler.collectGarbage');
});
await page.exposeFunction('workerHeap', async () => (await toWorker('Runtime.getHeapUsage'))?.usedSize ?? null);
const query = new URLSearchParams({ backend, solves, steps, ...(model ? { model } : {}) });
await page.goto(`${site.url}/www/tests/endurance.html?${query}`);
const timer = setInterval(async () => {
  const p = await page.evaluate(() => window.progress).catch(() => null);
  if (p) process.stderr.write(`\r${p.done} / ${solves} solves`);
}, 10_000);
const r = await page.evaluate(() => window.result);
clearInterval(timer);
await b.close();
site.server.close();
process.stderr.write('\n');
if (r.error) {
  console.error(r.error, errors);
  process.exit(1);
}
const mb = (x) => (x === null ? 'n/a' : (x / 2 ** 20).toFixed(1));
console.log(`engine: ${r.engine}; ${r.solves} solves x ${r.steps} steps in ${r.seconds.toFixed(0)} s`);
console.log('| after solve | wasm memory (MiB) | worker JS heap (MiB) | page JS heap (MiB) | live GPU buffers | GPU buffers created |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const s of r.samples) {
  console.log(`| ${s.solve} | ${mb(s.wasmMemoryBytes)} | ${mb(s.jsHeapBytes)} | ${mb(s.pageHeapBytes)} | ${s.gpuBuffersLive} | ${s.gpuBuffersCreated} |`);
}
if (errors.length) console.log('console errors:', errors);
// After the first solve has set up the engine's buffers, nothing should keep growing.
const first = r.samples.find((s) => s.solve === 1);
const last = r.samples.at(-1);
const grew = last.gpuBuffersLive > first.gpuBuffersLive || last.wasmMemoryBytes > first.wasmMemoryBytes;
console.log(grew ? 'GROWTH after the first solve' : 'stable after the first solve');
process.exit(grew || errors.length ? 1 : 0);
