// What the ARC and Maze views share: the engine lines and latent note, a solve streamed onto a
// timeline with its Stop, a model file loaded by hand, links (base64url, deflate, the address
// checked field by field), the run's GIF and JSON buttons, a frame's title, and the view entry
// the shell calls. Steps arrive decoded, voted and judged in Rust (crate::solve); nothing here
// reads a token.
import { $, download, h, latentNote, plural, showCanDo } from '../shell.js';
import { MODEL_SHORT } from '../model-notes.js';

/** A view's latent note under its grid: what the colours mean, hidden on the answer layer. */
export function renderLayerNote(id, layer, slot, extra = '') {
  const note = $(id);
  note.hidden = layer === 'answer';
  if (!note.hidden) note.textContent = `${latentNote(layer, slot?.solver?.config?.hidden_size)}${extra}`;
}

/** The engine and model lines of a view, from its slot. */
export function renderEngineLines(prefix, slot) {
  $(`${prefix}-model-info`).textContent = slot ? [slot.describe({ engine: true }), slot.engineNote()].filter(Boolean).join(' ') : '';
  showCanDo($(`${prefix}-model-can`), slot);
  $(`${prefix}-engine-error`).textContent = slot?.error ?? '';
  $(`${prefix}-engine-error`).hidden = !slot?.error;
}

/**
 * Streams a solve into a view's state (`steps`, `solving`, `message`): every step kept, the
 * timeline following, a status line per step; a GPU that fails hands the view's slot to the
 * CPU engine and says so.
 */
export async function streamSolve(state, slot, timeline, status, render, run, stepText) {
  state.steps = [];
  state.solving = true;
  state.message = '';
  timeline.reset();
  let error = null;
  try {
    for await (const st of run()) {
      state.steps.push(st);
      timeline.set(state.steps.length);
      status(stepText(st));
    }
    const n = plural(state.steps.length, 'step');
    status(state.stopping ? `Stopped by you after ${n}.` : `Done: ${n}.`);
  } catch (e) {
    error = e;
  } finally {
    state.solving = false;
    state.stopping = false;
  }
  if (error) {
    const switched = await slot.recover(error);
    state.message = switched ? `The GPU failed during the solve (${error.message}); the view switched to the CPU engine: press Solve to run again.` : error.message;
    status('The solve failed.');
  }
  render();
}

/** The side of the square grid `slot`'s model reads (its seq_len is side * side), or null
 * before a model is in or when its sequence is not a square. */
export function modelSide(slot) {
  const n = slot?.solver?.config?.seq_len ?? 0;
  const side = Math.round(Math.sqrt(n));
  return side > 0 && side * side === n ? side : null;
}

/** Stops `state`'s solve under way and waits for it to end, so that no step of it lands on a
 * model loaded next. */
export async function stopAndWait(state, slot) {
  if (!state.solving) return;
  slot.solver?.cancel();
  while (state.solving) await new Promise((r) => { setTimeout(r, 50); });
}

/** The Stop button: no step after the ones on screen is drawn, and the status says so until the
 * worker has stopped (after the step under way), when streamSolve says what was stopped. */
export function userStop(state, slot, status, render) {
  if (!state.solving || state.stopping) return;
  state.stopping = true;
  status(`Stopping after ${plural(state.steps.length, 'step')}: the model finishes the step under way…`);
  slot.solver?.cancel();
  render();
}

/** Loads the model file the visitor picks in `input` into `slot`, then redraws the view
 * (`render` may be async: the Maze view fits its board to the model first). */
export function watchModelFile(input, slot, render) {
  input.addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) {
      const buf = await file.arrayBuffer();
      await slot.load({ source: buf, name: file.name, shipped: false, bytes: buf.byteLength });
    }
    await render();
  });
}

// ---------------------------------------------------------------------------------------
// Links to a run, as the Sudoku view's (views/sudoku.js): the address holds the puzzle and
// the settings that change the result; opening it solves again and shows the step. A maze
// travels as 2 bits per cell; an ARC task as its example's id or, the visitor's own, as its
// JSON deflated, when the link stays under GRID_LINK_MAX characters. A maze link names its
// bundled model, and the model its maze's side.
// ---------------------------------------------------------------------------------------
const GRID_LINK_MAX = 2000;
export const b64url = {
  encode: (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  decode: (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
};

async function pipeBytes(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}
export const deflate = async (text) => b64url.encode(await pipeBytes(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));
export async function inflate(text) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await pipeBytes(b64url.decode(text), new DecompressionStream('deflate-raw')));
  } catch {
    throw new Error('its task (t=) does not decompress: the link was cut or changed');
  }
}

export const linkTo = (kind, params) => `${location.origin}${location.pathname}${location.search}#${kind}?${new URLSearchParams(params)}`;

/**
 * The parameters of a link to `kind`'s view: null when the address holds none, else
 * { q, model, settings } or { error } a person can act on. `selects` names the whole-number
 * settings and the <select> whose choices they must be; `step` must lie within `steps`;
 * `models`, the view's bundled models (a link without model= names the first).
 */
export function readGridLink(kind, hash, selects, models = [kind]) {
  if (!hash.startsWith(`#${kind}?`)) return null;
  if (hash.length > GRID_LINK_MAX) return { error: `The link is ${hash.length} characters long, more than a link of this page can be (${GRID_LINK_MAX}): it was cut or changed.` };
  const q = new URLSearchParams(hash.slice(kind.length + 2));
  const model = q.get('model') ?? models[0];
  if (!models.includes(model)) {
    const have = new Intl.ListFormat('en').format(models.map((m) => JSON.stringify(m)));
    return { error: `The link names the model ${JSON.stringify(model)}; this view has the bundled model${models.length > 1 ? 's' : ''} ${have} (a model file loaded by hand cannot travel in a link).` };
  }
  const settings = {};
  for (const [name, id] of Object.entries(selects)) {
    const choices = [...$(id).options].map((o) => o.value).filter((v) => /^\d+$/.test(v));
    const v = q.get(name);
    if (!choices.includes(v)) return { error: `The link's ${name}=${JSON.stringify(v)} is not one of the page's choices (${choices.join(', ')}).` };
    settings[name] = Number(v);
  }
  const step = Number(q.get('step') ?? '1');
  if (!Number.isInteger(step) || step < 1 || step > settings.steps) return { error: `The link's step=${JSON.stringify(q.get('step'))} is not a step from 1 to ${settings.steps}.` };
  return { q, model, settings: { ...settings, step } };
}

/** The "copy a link" button of a view: the link in its field, selected and copied. */
export async function copyGridLink(prefix, slot, timeline, makeLink) {
  const field = $(`${prefix}-share-link`);
  const note = $(`${prefix}-link-note`);
  if (!slot.model.shipped) {
    field.hidden = true;
    note.textContent = 'This run used a model file loaded by hand: a link can only name the bundled model.';
    return;
  }
  const link = await makeLink();
  if (link.length - link.indexOf('#') > GRID_LINK_MAX) {
    field.hidden = true;
    note.textContent = `This task is too large for a link (${link.length} characters; at most ${GRID_LINK_MAX} travel): share the task file instead.`;
    return;
  }
  field.value = link;
  field.hidden = false;
  field.select();
  let copied = false;
  try {
    await navigator.clipboard.writeText(link);
    copied = true;
  } catch { /* no clipboard permission: the link is selected in the field */ }
  note.textContent = `${copied ? 'Copied. ' : ''}It replays this run to step ${timeline.current + 1} on the engine the visitor has; WebGPU and the CPU engine can round a last digit differently, which can change a late step.`;
}

/** Wires a view's "Download the run" buttons and its "Load a saved run" input. */
export function wireExports(prefix, { gif, json, load, onError }) {
  $(`${prefix}-download-gif`).addEventListener('click', async () => download(`trm-${prefix}-run.gif`, 'image/gif', await gif()));
  $(`${prefix}-download-json`).addEventListener('click', () => download(`trm-${prefix}-run.json`, 'application/json', json()));
  $(`${prefix}-run-file`).addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    try {
      await load(file);
    } catch (err) {
      onError(err.message);
    }
  });
}

/** A frame's title line: the step and how it stands, green when solved. */
export function frameTitle(ctx, text, ok) {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.fillStyle = ok ? '#15803d' : '#b91c1c';
  ctx.font = 'bold 16px sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillText(text, 8, 20);
}

/** A view's entry for the shell. `start` runs the first time its tab opens; `refit` redraws the
 * view after a model file of its kind, dropped in another view, is loaded into its slot. */
export function gridView(kind, tab, start, getSlot, refit) {
  let started = null;
  return {
    kind,
    tab,
    start() {
      started ??= start();
      return started;
    },
    /** A model file dropped in another view that turned out to be of this kind. */
    async adopt(source, name, bytes) {
      await this.start();
      await getSlot().load({ source, name, shipped: false, bytes });
      await refit();
    },
  };
}

/** A view's choice of its bundled models (the Maze view's sizes, the ARC view's canvases):
 * radios named `name` in `container`, each labelled with what its model does (MODEL_SHORT),
 * `current` checked; `onPick(entry)` when the visitor picks another. */
export function modelChoice(container, name, entries, current, onPick) {
  $(container).replaceChildren(...entries.map((e) => h('label', { class: 'size-choice' },
    h('input', { type: 'radio', name, value: e.id, checked: e === current }),
    ` ${e.label} `, h('span', { class: 'muted small', text: `(the model ${MODEL_SHORT[e.id]})` }))));
  for (const r of document.querySelectorAll(`input[name="${name}"]`)) {
    r.addEventListener('change', () => { if (r.checked) onPick(entries.find((e) => e.id === r.value)); });
  }
}
