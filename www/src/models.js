// Where a model comes from: the bundled files by name, URLs, model-url imports and bytes, and
// how each is fetched (with progress, the Cache API and a SHA-256 check) or, in Node.js, read.
import { DEFAULT_MODEL_SHA256, SHIPPED_SHA256 } from './default-model.js';
import { InputError, ModelError, abortReason, checkSignal, isAbort } from './errors.js';

export const DEFAULT_MODEL_URL = new URL('../models/sudoku.safetensors', import.meta.url).href;
/** Each bundled model by name (models/<name>.safetensors: 'sudoku', 'arc' for any ARC task,
 * 'arc10' for tasks within 10x10, 'maze' for 30x30 Maze-Hard, 'maze11' and 'maze15' for 11x11
 * and 15x15 corridor mazes), with the SHA-256 loadSolver checks it against.
 * Only the default (Sudoku) URL is written so that bundlers see it; the others sit next to it
 * where the package is served unbundled. A bundled app imports 'trm-web/model-url/<name>',
 * which makes the bundler emit that file. (Derived from the default's URL, not written with
 * `import.meta.url`: webpack puts the build machine's path in place of a bare one.) */
export const SHIPPED_MODELS = Object.fromEntries(Object.entries(SHIPPED_SHA256).map(([name, sha256]) => [
  name, { url: name === 'sudoku' ? DEFAULT_MODEL_URL : new URL(`./${name}.safetensors`, DEFAULT_MODEL_URL).href, sha256 },
]));
const CACHE_NAME = 'trm-models-v1';

/** Node.js, set by the package's Node.js entry: `read` reads `file:` URLs, which Node's `fetch`
 * cannot, `base` (the working directory) resolves relative paths, and `wasm` reads the package's
 * own wasm module. */
export const local = { read: null, base: undefined, wasm: null };
const here = () => globalThis.location?.href ?? local.base;

/** Removes every model file this package cached with the Cache API; true if there were any. */
export async function clearCache() {
  return globalThis.caches ? caches.delete(CACHE_NAME) : false;
}

const describe = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? `an object (${Object.prototype.toString.call(v)})` : `${typeof v} ${JSON.stringify(v)}`);

/**
 * Every form `model` takes, as what loading needs: `{ bytes }`, or `{ url, sha256, name }`
 * (`name` for a bundled model asked for by name). Relative URLs resolve against `base`.
 */
export function modelSource(model, sha256, base = here()) {
  if (sha256 !== undefined && !(typeof sha256 === 'string' && /^[0-9a-fA-F]{64}$/.test(sha256))) {
    throw new InputError(`sha256 must be 64 hexadecimal digits, not ${describe(sha256)}`);
  }
  if (model === undefined) return { url: DEFAULT_MODEL_URL, sha256: sha256 ?? DEFAULT_MODEL_SHA256, name: 'sudoku' };
  if (model instanceof Uint8Array) return { bytes: model };
  if (model instanceof ArrayBuffer) return { bytes: new Uint8Array(model) };
  if (ArrayBuffer.isView(model)) return { bytes: new Uint8Array(model.buffer, model.byteOffset, model.byteLength) };
  if (typeof model === 'string' && Object.hasOwn(SHIPPED_MODELS, model)) {
    // The bundled model is checked against its recorded hash unless the caller gives one.
    return { url: SHIPPED_MODELS[model].url, sha256: sha256 ?? SHIPPED_MODELS[model].sha256, name: model };
  }
  const url = model instanceof URL ? model.href
    : typeof model === 'string' ? model
      // { url, sha256 }: a 'trm-web/model-url/<name>' import.
      : model && typeof model === 'object' && typeof model.url === 'string' ? model.url : null;
  if (url === null || url === '') {
    throw new InputError(`model must be a bundled model's name (${Object.keys(SHIPPED_MODELS).join(', ')}), a URL, `
      + `a model-url import ({ url, sha256 }) or the file's bytes, not ${describe(model)}`);
  }
  let href;
  try {
    href = new URL(url, base).href;
  } catch {
    throw new InputError(`model ${JSON.stringify(url)} is neither a bundled model's name (${Object.keys(SHIPPED_MODELS).join(', ')}) nor a URL`);
  }
  return { url: href, sha256: sha256 ?? (typeof model === 'object' ? model.sha256 : undefined) };
}

async function sha256Hex(bytes) {
  const d = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Why a bundled model asked for by name was not found, and what to do. */
function nameHint(href) {
  const name = Object.keys(SHIPPED_MODELS).find((k) => k !== 'sudoku' && SHIPPED_MODELS[k].url === href);
  return name ? ` (in an app built with a bundler, import the model from 'trm-web/model-url/${name}' and pass it as \`model\`)` : '';
}

/**
 * Fetches a model file with progress, keeping a copy in the Cache API for the next visit.
 * Options: onProgress({ loaded, total, cached }), cache (default true), sha256 (hex; the
 * file is rejected when it differs), maxBytes (default 256 MiB), signal (an AbortSignal).
 */
export async function fetchModel(url, { onProgress, cache = true, sha256, maxBytes = 256 << 20, signal } = {}) {
  checkSignal(signal);
  const href = new URL(url, here()).href;
  const bytes = href.startsWith('file:') ? await readLocal(href, maxBytes, onProgress) : await download(href, { onProgress, cache, maxBytes, signal });
  if (signal?.aborted) throw abortReason(signal);
  if (sha256) {
    const got = await sha256Hex(bytes);
    if (got !== sha256.toLowerCase()) {
      if (cache && globalThis.caches) await caches.open(CACHE_NAME).then((s) => s.delete(href), () => {});
      throw new ModelError(`the model's SHA-256 is ${got}, expected ${sha256}`);
    }
  }
  return bytes;
}

async function readLocal(href, maxBytes, onProgress) {
  if (!local.read) {
    throw new ModelError(`cannot read ${href} here: pass the model's bytes as \`model\` (a Uint8Array), or serve it over http(s)`);
  }
  let bytes;
  try {
    bytes = new Uint8Array(await local.read(href));
  } catch (e) {
    throw new ModelError(`could not read the model ${href}: ${e.message}`);
  }
  if (bytes.length > maxBytes) throw new ModelError(`the model is ${bytes.length} bytes, over the ${maxBytes}-byte limit`);
  onProgress?.({ loaded: bytes.length, total: bytes.length, cached: false });
  return bytes;
}

async function download(href, { onProgress, cache, maxBytes, signal }) {
  let store = null;
  if (cache && globalThis.caches) {
    try { store = await caches.open(CACHE_NAME); } catch { store = null; }
  }
  let res = store ? await store.match(href) : undefined;
  const cached = Boolean(res);
  if (!res) {
    try {
      res = await fetch(href, { signal });
    } catch (e) {
      if (isAbort(e)) throw e;
      throw new ModelError(`could not fetch the model ${href}: ${e.message}${nameHint(href)}`);
    }
    if (!res.ok) throw new ModelError(`could not fetch the model ${href}: HTTP ${res.status} ${res.statusText}${nameHint(href)}`);
  }
  const total = Number(res.headers.get('content-length')) || 0;
  if (total > maxBytes) throw new ModelError(`the model is ${total} bytes, over the ${maxBytes}-byte limit`);
  const chunks = [];
  let loaded = 0;
  const reader = res.clone().body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.length;
    if (loaded > maxBytes) throw new ModelError(`the model is over the ${maxBytes}-byte limit`);
    chunks.push(value);
    onProgress?.({ loaded, total, cached });
  }
  const bytes = new Uint8Array(loaded);
  let o = 0;
  for (const c of chunks) { bytes.set(c, o); o += c.length; }
  if (store && !cached) {
    try { await store.put(href, res); } catch { /* quota or opaque response: still usable */ }
  }
  return bytes;
}

/** The bytes of a model given in any form `modelSource` takes. */
export async function modelBytes(model, { sha256, onProgress, cache = true, signal } = {}) {
  const src = modelSource(model, sha256);
  return src.bytes ?? fetchModel(src.url, { onProgress, cache, sha256: src.sha256, signal });
}
