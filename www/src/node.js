// Node.js entry (package.json "exports", condition "node"): the same API as index.js. Node's
// fetch reads no file: URLs, so the wasm module, the bundled models and model files given as
// paths are read from disk here; Node has no WebGPU, so 'auto' runs the CPU engine and says why.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { local } from './models.js';

local.read = (href) => readFile(new URL(href));
local.base = pathToFileURL(`${process.cwd()}/`).href;
local.wasm = () => readFile(new URL('../pkg/trm_bg.wasm', import.meta.url));

export * from './index.js';
