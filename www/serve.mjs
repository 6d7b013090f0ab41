// A static file server for the built demo, on Node's built-ins alone, so that a copy of
// www/dist with no node_modules anywhere above it serves as is:
//   node www/serve.mjs [DIR] [PORT]
// WebGPU needs a secure context: http://127.0.0.1 qualifies, file:// does not. The browser
// tests import `serve` from here; this file imports nothing of theirs.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Browsers compile a module with WebAssembly.instantiateStreaming only when it comes as
// application/wasm. safetensors has no registered type; the package reads it as bytes.
export const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8', '.safetensors': 'application/octet-stream',
  '.onnx': 'application/octet-stream', '.gif': 'image/gif', '.webp': 'image/webp',
};

/** Cross-origin isolation: with these two headers a page may share memory between threads
 * (SharedArrayBuffer), which multi-threaded WebAssembly such as ONNX Runtime Web's threads
 * needs. trm-web's own worker pool passes messages and works without them; everything the
 * demo loads is same-origin, so they cost it nothing. */
export const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** Serves the files under `root` on 127.0.0.1:`port` (0 picks a free port). */
export async function serve(root, port = 0) {
  root = resolve(root);
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    try {
      const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
      let file = join(root, path);
      if (file !== root && !file.startsWith(root + sep)) throw new Error('outside root');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        ...ISOLATION,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = resolve(process.argv[2] ?? join(fileURLToPath(import.meta.url), '../dist'));
  const port = Number(process.argv[3] ?? 8080);
  try {
    if (!(await stat(join(dir, 'index.html'))).isFile()) throw new Error();
  } catch {
    console.error(`trm-web: ${dir} has no index.html; build the site first (./scripts/build-site.sh)`);
    process.exit(1);
  }
  try {
    const { url } = await serve(dir, port);
    console.log(`trm-web demo: ${url}/  (serving ${dir}; Ctrl-C stops)`);
  } catch (e) {
    const why = e.code === 'EADDRINUSE' ? `port ${port} is in use; set PORT to another` : e.message;
    console.error(`trm-web: cannot serve on 127.0.0.1:${port}: ${why}`);
    process.exit(1);
  }
}
