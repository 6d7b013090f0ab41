// The Sudoku view's run links, as a codec with no view state: a link replays a run,
// #sudoku?p=<81 cells>&think=<copies>x<steps>[h]|off&halt=0|1&seed=N&model=sudoku&step=K
// [&layer=y|z][&wrong=1]. The recursion is deterministic for a model, engine kind and these
// settings, so opening the link solves again and shows step K. The choices a link may name are
// the page's own (its copies and step selects).
import { $ } from '../shell.js';

const LINK_MAX = 400;
const selectValues = (id) => [...$(id).options].map((o) => Number(o.value));

/** The link to `run` (the view's record of a solve: puzzle, think, earlyHalt, seed) at `step`,
 * showing `layer`, with the cells that differ marked when `wrong`. */
export function linkOfRun(run, { step, layer = 'answer', wrong = false }) {
  const q = new URLSearchParams({
    p: run.puzzle, think: run.think ? `${run.think.copies}x${run.think.steps}${run.think.hypotheses ? 'h' : ''}` : 'off', halt: run.earlyHalt ? '1' : '0',
    seed: String(run.seed), model: 'sudoku', step: String(step),
  });
  if (layer !== 'answer') q.set('layer', layer);
  if (wrong) q.set('wrong', '1');
  return `${location.origin}${location.pathname}${location.search}#sudoku?${q}`;
}

/** The run a link asks for, or { error } a person can act on; null when the address holds none. */
export function readLink(hash) {
  if (!hash.startsWith('#sudoku?')) return null;
  if (hash.length > LINK_MAX) return { error: `The link is ${hash.length} characters long, more than a link of this page can be (${LINK_MAX}): it was cut or changed.` };
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
