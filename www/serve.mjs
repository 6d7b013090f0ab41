// A static file server for the built demo: node www/serve.mjs DIR [PORT]
import { resolve } from 'node:path';
import { serve } from './tests/harness.mjs';

const dir = resolve(process.argv[2] ?? 'www/dist');
const port = Number(process.argv[3] ?? 8080);
const { url } = await serve(dir, port);
console.log(`trm-web demo: ${url}/  (serving ${dir}; Ctrl-C stops)`);
