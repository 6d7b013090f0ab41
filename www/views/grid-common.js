// What the ARC and Maze views share: the engine lines and latent note, a solve streamed onto a
// timeline with its Stop, a model file loaded by hand, a frame's title, and the view entry the
// shell calls (links, GIF and JSON: views/share.js, which the Sudoku view uses too). Steps arrive decoded, voted and judged in Rust (crate::solve); nothing here
// reads a token.
import { $, fetchJson, h, latentNote, plural, showCanDo } from '../shell.js';
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

const exampleSets = new Map(); // examples URL -> its fetch, once per page

/** The bundled examples at `url` (one size's tasks or mazes), fetched once; a failed fetch is
 * forgotten, so that a later call tries again. */
export async function fetchExamples(url) {
  if (!exampleSets.has(url)) exampleSets.set(url, fetchJson(url));
  try {
    return await exampleSets.get(url);
  } catch (e) {
    exampleSets.delete(url);
    throw e;
  }
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
