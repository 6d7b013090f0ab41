// Not part of the test suite (minutes on a software GPU): runs full-solve.html on a model
// and prints the result. Usage: node www/tests/full-solve.mjs /target/bench-models/x.safetensors
import { browser, open, serve } from './harness.mjs';

const model = process.argv[2];
const { server, url } = await serve();
const b = await browser({ webgpu: true });
try {
  const { page, errors } = await open(b, url, `/www/tests/full-solve.html?model=${encodeURIComponent(model)}`);
  page.setDefaultTimeout(0);
  const r = await page.evaluate(() => window.result);
  console.log(JSON.stringify({ ...r, console_errors: errors }));
} finally {
  await b.close();
  server.close();
}
