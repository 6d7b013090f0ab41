// The demo page's shell, shared by its three views (Sudoku, ARC, Maze): the engine choice
// from the address, one model loader per view with the same GPU-to-CPU recovery, tabs that
// keep the address, and small DOM helpers. A view implements { kind, tab, start() } and draws
// its own panel; everything it knows of the model comes from its ModelSlot.
import { createWorkerSolver } from './src/worker-client.js';
import { DOC_LINKS, MODEL_NOTES, MODEL_WAIT } from './model-notes.js';

export const $ = (id) => document.getElementById(id);

export function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

export const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
export const fmtBytes = (n) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.round(n / 1024)} kB`);
export const plural = (n, one, many = /[^aeiou]y$/.test(one) ? `${one.slice(0, -1)}ies` : `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** On a phone a view's Solve button is docked at the bottom of the screen, below the result's
 * place: a solve brings the result (the grid and its verdict) into view as it starts. */
export function showResultOnPhone(el) {
  if (matchMedia('(max-width: 520px)').matches) el.scrollIntoView({ block: 'start' });
}

/** Next to a view's Solve button: what its model can do, with links to where that was measured. */
export function showCanDo(el, slot) {
  const wait = slot?.model.shipped ? MODEL_WAIT[slot.model.id] : '';
  const text = slot?.solver ? [slot.canDo(), wait].filter(Boolean).join(' ') : '';
  el.hidden = !text;
  const link = (href, words) => h('a', { href, target: '_blank', rel: 'noopener' }, words);
  el.replaceChildren(...(text ? [`${text} `, link(DOC_LINKS.glance, 'Model card'), ' · ', link(DOC_LINKS.modelFiles, 'Other models'), ' · ', link(DOC_LINKS.readme, 'About trm-web')] : []));
}

/** Black or white, whichever reads better on the colour `rgb` (WCAG contrast: at least 4.6:1
 * on any colour), for digits drawn on the latent views' colours. */
export function readableInk(rgb) {
  const lin = (c) => { const v = c / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const l = 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000' : '#fff';
}

/** A message as a sentence: the engine's errors start lowercase and may end without a stop,
 * as Rust's do, and the page shows them as they would be written. */
export function sentence(text) {
  const t = String(text ?? '').trim();
  if (!t) return '';
  return (t.charAt(0).toUpperCase() + t.slice(1)).replace(/([^.?!…])$/, '$1.');
}

export async function fetchJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

// ---------------------------------------------------------------------------------------
// The engine: ?backend=auto|webgpu|cpu (shareable, used by tests). Anything else is named in
// a notice rather than ignored.
// ---------------------------------------------------------------------------------------
const BACKENDS = ['auto', 'webgpu', 'cpu'];
const asked = new URLSearchParams(location.search).get('backend');
export const ADDRESS_BACKEND = BACKENDS.includes(asked) ? asked : 'auto';
export const ADDRESS_NOTICE = asked !== null && !BACKENDS.includes(asked)
  ? `The address asks for the engine ${JSON.stringify(asked)}, which does not exist: use backend=auto, webgpu or cpu. The page uses auto.`
  : '';
const engineName = (b) => (b === 'auto' ? 'the best engine available' : b === 'cpu' ? 'the CPU' : 'WebGPU');

/** Keeps a choice of the visitor's in the address's query (the engine, the maze size), so that
 * a reload or a copied address opens with it; the default leaves the address without it. */
export function writeAddressChoice(name, value, fallback) {
  const u = new URL(location.href);
  if (value === fallback) u.searchParams.delete(name);
  else u.searchParams.set(name, value);
  history.replaceState(history.state, '', u);
}

/** CPU workers a view's solve may use: one per core, up to 4 (each holds the model). */
const POOL = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
const shippedName = (id) => `${id}.safetensors (shipped)`;
const KIND_NAMES = { sudoku: 'a Sudoku', arc: 'an ARC', maze: 'a maze' };
const VIEW_NAMES = { sudoku: 'Sudoku', arc: 'ARC', maze: 'Maze' };

/**
 * One view's model in its worker. Loads the shipped model or a visitor's file, on the
 * address's engine; recovers from WebGPU being missing (CPU instead, with a notice), from a
 * GPU failing mid-solve (`recover`), and keeps the last good model when a new load fails.
 * `notice` says what the visitor should know about the engine (software renderer, fallback).
 */
export class ModelSlot {
  /** `pool`: on the CPU engine, run this many workers that split a solve's copies (by default one
   * per core, up to 4: a solve of one copy runs on one of them, so more workers buy nothing there).
   * `model`: the name of the bundled model to load first (a view may offer several of its kind,
   * as the Maze view does one per maze size). */
  constructor(kind, { model = kind, onChange = () => {}, onProgress, onWrongKind, pool = POOL } = {}) {
    this.pool = pool;
    this.kind = kind;
    this.onChange = onChange;
    this.onProgress = onProgress;
    this.onWrongKind = onWrongKind;
    this.solver = null;
    this.backend = ADDRESS_BACKEND;
    // `id`: the bundled model's name when `source` is 'shipped'.
    this.model = { source: 'shipped', id: model, name: shippedName(model), shipped: true, bytes: 0 };
    this.error = '';
    this.notice = ADDRESS_NOTICE;
    this.gpuFailure = null;
    this.loading = null;
  }

  get ready() { return Boolean(this.solver) && !this.busy; }

  /** The shipped model, loaded once, on first use; or the load under way. */
  ensure() {
    this.loading ??= this.load();
    return this.loading;
  }

  /** Resolves true when `source` ('shipped', a URL or bytes) runs, false with `error` set. */
  load(opts = {}) {
    // Whoever needs the model meanwhile (ensure, call) waits for this load, not a second one.
    this.loading = this.#load(opts);
    return this.loading;
  }

  /** Loads the bundled model `id` in place of the current one (the Maze view's size choice). */
  useShipped(id) {
    return this.load({ source: 'shipped', id, name: shippedName(id) });
  }

  async #load({ source = this.model.source, id = this.model.id, name = this.model.name, shipped = source === 'shipped', backend = this.backend, bytes = 0 } = {}) {
    this.busy = true;
    const model = source === 'shipped' ? id : source;
    this.error = '';
    this.onChange(`Loading ${shipped ? 'the model' : name} on ${engineName(backend)}…`);
    let s;
    let notice = backend === this.backend ? this.notice : '';
    try {
      try {
        // On the CPU engine a pool of workers shares a solve's copies, a core each; on WebGPU
        // the one worker's GPU runs them as one batch (createWorkerSolver decides after its first).
        s = await createWorkerSolver({ model, backend, onProgress: this.onProgress, workers: this.pool });
      } catch (e) {
        if (backend !== 'webgpu' || e.name !== 'NoWebGPUError') throw e;
        // Asked for WebGPU where there is none: the CPU engine still solves.
        notice = `WebGPU was asked for but cannot run here (${e.message}), so the page uses the CPU engine.`;
        backend = 'cpu';
        s = await createWorkerSolver({ model, backend, onProgress: this.onProgress, workers: this.pool });
      }
      if (s.kind !== this.kind) {
        s.terminate();
        const err = new Error(`${name} is ${KIND_NAMES[s.kind]} model, not ${KIND_NAMES[this.kind]} model`);
        err.otherKind = s.kind;
        throw err;
      }
    } catch (e) {
      this.busy = false;
      if (e.otherKind && this.onWrongKind && !shipped) {
        this.error = `${e.message}: it was loaded in the ${VIEW_NAMES[e.otherKind]} view instead.`;
        this.onChange(`${name} opened in the ${VIEW_NAMES[e.otherKind]} view. ${this.solver ? `This view still solves with ${this.model.name}.` : 'This view has no model loaded: load one of its kind.'}`);
        this.onWrongKind(e.otherKind, source, name, bytes);
        return false;
      }
      const msg = sentence(`Could not load ${name} on ${engineName(backend)}: ${e.message}`);
      this.error = this.solver ? `${msg} Still using ${this.model.name} on ${this.solver.engine}.` : msg;
      this.onChange(this.solver ? `${name} did not load (see “Engine and model”); ${this.model.name} still solves here.` : 'No model could be loaded, so this view cannot solve. See “Engine and model”.');
      return false;
    }
    if (s.isGpu && s.softwareAdapter) {
      notice = `This WebGPU adapter, ${s.engine}, is a software renderer: a solve runs many times slower on it than on the CPU engine. Choose Auto or CPU to run faster.`;
    }
    this.solver?.terminate();
    this.solver = s;
    this.backend = backend;
    this.notice = notice;
    // A reload of the same model (another engine) keeps the size known of it; another model starts afresh.
    const same = source === this.model.source && (!shipped || id === this.model.id);
    this.model = { source, id: shipped ? id : null, name, shipped, bytes: bytes || (same ? this.model.bytes : 0) };
    this.busy = false;
    this.onChange('Ready.');
    return true;
  }

  /** After a failed solve: a GPU that failed is left for the CPU engine. True when it switched. */
  async recover(error) {
    if (!this.solver?.isGpu) return false;
    this.gpuFailure = error.message;
    await this.load({ backend: 'cpu' });
    this.notice = `WebGPU is not in use: the GPU failed during a solve (${this.gpuFailure}), so the page switched to the CPU engine.`;
    this.onChange('Ready.');
    return true;
  }

  /** A puzzle helper run in the model's worker (the page keeps no wasm of its own). */
  async call(name, ...args) {
    await this.ensure();
    if (!this.solver) throw new Error(this.error || 'no model is loaded');
    return this.solver.call(name, ...args);
  }

  /** The model in one sentence (on which engine, when asked); what it can do is canDo(). */
  describe({ engine = false } = {}) {
    const s = this.solver;
    if (!s) return '';
    const c = s.config;
    const size = this.model.bytes ? `, ${fmtBytes(this.model.bytes)}` : '';
    const on = engine ? ` on ${s.isGpu ? `WebGPU: ${s.engine}` : s.engine}` : '';
    return `${this.model.name}${size}${on}: hidden size ${c.hidden_size}, ${c.L_layers} layers, T = ${c.H_cycles} H cycles of n = ${c.L_cycles} latent updates per step, up to ${c.halt_max_steps} steps.`;
  }

  /** What the loaded model can do, measured (the model card), or that nobody here measured it. */
  canDo() {
    if (this.model.shipped) return MODEL_NOTES[this.model.id] ?? '';
    return `${this.model.name} is your own model file: this page has no measured figures for it, so each answer is judged by the puzzle's rules alone.`;
  }

  engineText() {
    const s = this.solver;
    if (!s) return '…';
    return s.isGpu && !/webgpu/i.test(s.engine) ? `WebGPU: ${s.engine}` : s.engine;
  }

  /** Why the CPU engine runs, or what to know about the GPU one; '' when nothing to say. */
  engineNote() {
    const s = this.solver;
    if (!s) return this.notice;
    if (this.notice) return this.notice;
    if (!s.isGpu) return s.fallbackReason ? `WebGPU is not in use: ${s.fallbackReason}` : 'The CPU engine was chosen.';
    return '';
  }
}

// ---------------------------------------------------------------------------------------
// Tabs: one per view; the address's #sudoku, #arc or #maze opens that view, and choosing a
// tab writes it there as a new history entry, so that Back returns to the tab before.
// ---------------------------------------------------------------------------------------
export function initTabs(views) {
  const tabs = views.map((v) => $(v.tab));
  const byHash = Object.fromEntries(views.map((v, k) => [`#${v.kind}`, k]));
  function show(k, { focus = false, write = true } = {}) {
    tabs.forEach((t, j) => {
      const on = j === k;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    });
    if (focus) tabs[k].focus();
    if (write && location.hash !== `#${views[k].kind}`) history.pushState(null, '', `${location.pathname}${location.search}#${views[k].kind}`);
    views[k].start();
  }
  tabs.forEach((t, k) => {
    t.addEventListener('click', () => show(k));
    t.addEventListener('keydown', (e) => {
      const d = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (d) { e.preventDefault(); show((k + d + tabs.length) % tabs.length, { focus: true }); }
      else if (e.key === 'Home') { e.preventDefault(); show(0, { focus: true }); }
      else if (e.key === 'End') { e.preventDefault(); show(tabs.length - 1, { focus: true }); }
    });
  });
  // A link to a run (#arc?task=...) opens its view; the view reads the rest.
  const viewOf = (hash) => byHash[hash.split('?')[0]];
  const follow = () => show(viewOf(location.hash) ?? 0, { write: false });
  // Back and Forward between tabs (popstate), and a link followed within the page (hashchange).
  addEventListener('popstate', follow);
  addEventListener('hashchange', () => { if (viewOf(location.hash) !== undefined) follow(); });
  const first = viewOf(location.hash) ?? 0;
  show(first, { write: false });
  return { show: (kind) => show(views.findIndex((v) => v.kind === kind)) };
}

/**
 * What a latent colour means, for the views' Answer / y / z switches (crate::latent: the
 * model's fixed projection of each state, stored in its file).
 */
export function latentNote(layer, width) {
  const what = layer === 'y' ? 'y, the answer state (z_H)' : 'z, the latent reasoning state (z_L)';
  return `Colour = each cell's ${what}: its ${width ?? 'D'} numbers projected on the three directions along which ${layer} varies most over the demo's examples, as red, green and blue. Equal colours mean equal states, at any step and in any puzzle.`;
}

/** Wires a view's Answer / y / z radio group (`name`): `onChange(layer)` on a pick; returns a
 * function that shows the current layer and enables y and z only where the model has a basis. */
export function layerSwitch(name, onChange) {
  const radios = [...document.querySelectorAll(`input[name="${name}"]`)];
  for (const r of radios) r.addEventListener('change', () => { if (r.checked) onChange(r.value); });
  return (layer, hasBasis) => {
    for (const r of radios) {
      r.checked = r.value === layer;
      r.disabled = r.value !== 'answer' && !hasBasis;
      r.parentElement.title = r.disabled ? 'This model file has no latent basis (add one with `trm latent-basis`).' : '';
    }
  };
}

/** Hands `data` to the browser as a file download. */
export function download(name, type, data) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([data], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** An animated GIF (gifenc, vendored) of `count` frames that `draw(ctx, k)` paints on a
 * width x height canvas, 0.4 s each, the last held 2 s. */
export async function animatedGif(width, height, count, draw) {
  const { GIFEncoder, quantize, applyPalette } = await import('./vendor/gifenc.esm.js');
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [width, height];
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const gif = GIFEncoder();
  for (let k = 0; k < count; k++) {
    draw(ctx, k);
    const { data } = ctx.getImageData(0, 0, width, height);
    const palette = quantize(data, 64);
    gif.writeFrame(applyPalette(data, palette), width, height, { palette, delay: k === count - 1 ? 2000 : 400 });
  }
  gif.finish();
  return gif.bytes();
}

/** A saved run of `format` (version 1) read from `file`, or an Error saying why it is not
 * one; `valid` checks the view's own fields, `what` names the view in the message. */
export async function readRun(file, format, what, valid) {
  let r;
  try {
    r = JSON.parse(await file.text());
  } catch (e) {
    throw new Error(`${file.name} is not JSON (${e.message}): load a run saved with "Download the run (JSON)".`);
  }
  const steps = r?.steps;
  const ok = r?.format === format && r.version === 1 && Array.isArray(steps) && steps.length
    && steps.every((st) => st && Number.isInteger(st.step) && st.verdict && Array.isArray(st.copies)) && valid(r);
  if (!ok) throw new Error(`${file.name} is not a saved ${what} run of this page (format ${format}, version 1).`);
  return r;
}
