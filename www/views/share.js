// Taking a run away, in every view: a link that replays it, its animated GIF and its JSON.
// A link's address holds the puzzle and the settings that change the result; the recursion is
// deterministic for a model, engine kind and these settings, so opening it solves again and
// shows the step. A Sudoku travels as its 81 cells, a maze as 2 bits per cell, an ARC task as
// its example's id or, the visitor's own, as its JSON deflated, when the link stays under
// GRID_LINK_MAX characters. A link names its bundled model (a maze's, its side too); the
// choices it may name are the page's own selects.
import { $, download } from '../shell.js';

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

/** A view's element `name`: the Sudoku view's ids have no prefix, the others' `arc-`, `maze-`. */
const idOf = (prefix, name) => $(prefix ? `${prefix}-${name}` : name);

/** The "copy a link" button of a view: the link in its field, selected and copied. */
export async function copyLink(prefix, slot, timeline, makeLink) {
  const field = idOf(prefix, 'share-link');
  const note = idOf(prefix, 'link-note');
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

/** Wires a view's "Download the run" buttons and its "Load a saved run" input; the files are
 * named trm-<kind>-run.gif and .json. */
export function wireExports(prefix, { kind = prefix, gif, json, load, onError }) {
  idOf(prefix, 'download-gif').addEventListener('click', async () => download(`trm-${kind}-run.gif`, 'image/gif', await gif()));
  idOf(prefix, 'download-json').addEventListener('click', () => download(`trm-${kind}-run.json`, 'application/json', json()));
  idOf(prefix, 'run-file').addEventListener('change', async (e) => {
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

// ---------------------------------------------------------------------------------------
// The Sudoku view's links: #sudoku?p=<81 cells>&think=<copies>x<steps>[h]|off&halt=0|1&seed=N
// &model=sudoku&step=K[&layer=y|z][&wrong=1].
// ---------------------------------------------------------------------------------------
const SUDOKU_LINK_MAX = 400;
const selectValues = (id) => [...$(id).options].map((o) => Number(o.value));

/** The link to `run` (the view's record of a solve: puzzle, think, earlyHalt, seed) at `step`,
 * showing `layer`, with the cells that differ marked when `wrong`. */
export function sudokuLink(run, { step, layer = 'answer', wrong = false }) {
  const q = new URLSearchParams({
    p: run.puzzle, think: run.think ? `${run.think.copies}x${run.think.steps}${run.think.hypotheses ? 'h' : ''}` : 'off', halt: run.earlyHalt ? '1' : '0',
    seed: String(run.seed), model: 'sudoku', step: String(step),
  });
  if (layer !== 'answer') q.set('layer', layer);
  if (wrong) q.set('wrong', '1');
  return linkTo('sudoku', q);
}

/** The run a link asks for, or { error } a person can act on; null when the address holds none. */
export function readSudokuLink(hash) {
  if (!hash.startsWith('#sudoku?')) return null;
  if (hash.length > SUDOKU_LINK_MAX) return { error: `The link is ${hash.length} characters long, more than a link of this page can be (${SUDOKU_LINK_MAX}): it was cut or changed.` };
  const q = new URLSearchParams(hash.slice('#sudoku?'.length));
  const p = q.get('p') ?? '';
  if (!/^[1-9.]{81}$/.test(p)) return { error: `The link's puzzle (p=) must be 81 characters of 1-9 and '.', not ${JSON.stringify(p.slice(0, 90))}.` };
  const model = q.get('model') ?? 'sudoku';
  if (model !== 'sudoku') return { error: `The link names the model ${JSON.stringify(model)}; this page has the bundled model "sudoku" (a model file loaded by hand cannot travel in a link).` };
  const think = q.get('think') ?? 'off';
  const m = /^(\d+)x(\d+)(h?)$/.exec(think);
  if (think !== 'off' && !(m && selectValues('copies').includes(Number(m[1])) && selectValues('max-steps').includes(Number(m[2])))) {
    return { error: `The link's think=${JSON.stringify(think)} is not "off" or copies x steps from the page's choices (${selectValues('copies').join(', ')} x ${selectValues('max-steps').join(', ')}), with h after it for hypotheses.` };
  }
  const seed = Number(q.get('seed') ?? '0');
  const halt = q.get('halt') ?? '0';
  const step = Number(q.get('step') ?? '1');
  const most = m ? Number(m[2]) : 16;
  if (!Number.isSafeInteger(seed) || seed < 0) return { error: `The link's seed=${JSON.stringify(q.get('seed'))} is not a whole number from 0.` };
  if (!['0', '1'].includes(halt)) return { error: `The link's halt=${JSON.stringify(halt)} is not 0 or 1.` };
  if (!Number.isInteger(step) || step < 1 || step > most) return { error: `The link's step=${JSON.stringify(q.get('step'))} is not a step from 1 to ${most}.` };
  const layer = q.get('layer') ?? 'answer';
  if (!['answer', 'y', 'z'].includes(layer)) return { error: `The link's layer=${JSON.stringify(layer)} is not answer, y or z.` };
  const wrong = q.get('wrong') ?? '0';
  if (!['0', '1'].includes(wrong)) return { error: `The link's wrong=${JSON.stringify(wrong)} is not 0 or 1.` };
  return { puzzle: p, think: m ? { copies: Number(m[1]), steps: Number(m[2]), hypotheses: m[3] === 'h' } : null, earlyHalt: halt === '1', seed, step, layer, wrong: wrong === '1' };
}
