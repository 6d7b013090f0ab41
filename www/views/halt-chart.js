// The Sudoku view's halting chart: sigmoid(q_halt) per supervision step against the threshold
// at which the model would stop, with a search's rounds marked. Drawn from the steps it is
// given; it holds no state.
import { roundStarts } from './hypotheses.js';

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Step labels for an axis of `max` steps: at most about 9, so that none overlap (the chart
 * is 320 units wide): 1, the multiples of a power of two, and the last step when it has room. */
export function stepTicks(max) {
  let every = 4;
  while (max / every > 8) every *= 2;
  const ticks = [1];
  for (let k = every; k <= max; k += every) ticks.push(k);
  // The last step, unless it would sit on the label before it (6% of the axis is about 17 units).
  if (max > ticks.at(-1) && (max - ticks.at(-1)) / (max - 1) >= 0.06) ticks.push(max);
  return ticks;
}

/**
 * Draws the halting chart into the SVG `el`: sigmoid(q_halt) of each of `steps` against the
 * supervision step, on an axis of `maxSteps` (at least the steps drawn), the `threshold` line,
 * where each round of a search starts, and the cursor at step index `current`; `onPick(k)` is
 * called with a step's index when its point is clicked.
 */
export function drawHaltChart(el, { steps, maxSteps, current, threshold, onPick }) {
  el.replaceChildren();
  const W = 320, H = 150, L = 34, R = 10, T = 10, B = 26;
  const max = Math.max(maxSteps ?? 16, steps.length, 2);
  const x = (k) => L + ((k - 1) / (max - 1)) * (W - L - R);
  const y = (p) => T + (1 - p) * (H - T - B);
  el.append(svg('rect', { x: L, y: T, width: W - L - R, height: H - T - B, class: 'plot-bg' }));
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    el.append(svg('line', { x1: L, x2: W - R, y1: y(p), y2: y(p), class: 'grid-line' }));
    el.append(svg('text', { x: L - 6, y: y(p) + 3.5, class: 'tick', 'text-anchor': 'end' }, p.toFixed(p === 0.25 || p === 0.75 ? 2 : 1)));
  }
  for (const k of stepTicks(max)) el.append(svg('text', { x: x(k), y: H - B + 14, class: 'tick', 'text-anchor': 'middle' }, k));
  el.append(svg('text', { x: (L + W - R) / 2, y: H - 2, class: 'axis-label', 'text-anchor': 'middle' }, 'supervision step'));
  el.append(svg('line', { x1: L, x2: W - R, y1: y(threshold), y2: y(threshold), class: 'threshold', 'data-threshold': threshold }));
  el.append(svg('text', { x: W - R - 3, y: y(threshold) - 4, class: 'threshold-label', 'text-anchor': 'end' }, `halt at ${threshold}`));
  if (!steps.length) return;
  // A search's rounds: a line where each starts, dashed when the round before withdrew hypotheses.
  for (const r of roundStarts(steps)) {
    const line = svg('line', { x1: x(r.k + 0.5), x2: x(r.k + 0.5), y1: T, y2: H - B, class: `round-line${r.withdrew ? ' withdrew' : ''}`, 'data-round': r.round });
    line.append(svg('title', {}, `round ${r.round} starts${r.withdrew ? ', after the model withdrew hypotheses' : ''}`));
    el.append(line);
    el.append(svg('text', { x: x(r.k + 0.5) + 2, y: T + 9, class: 'round-label' }, `r${r.round}`));
  }
  if (current >= 0) el.append(svg('line', { x1: x(current + 1), x2: x(current + 1), y1: T, y2: H - B, class: 'cursor' }));
  const pts = steps.map((s, k) => `${x(k + 1).toFixed(1)},${y(s.haltProbability).toFixed(1)}`).join(' ');
  el.append(svg('polyline', { points: pts, class: 'series' }));
  steps.forEach((s, k) => {
    const c = svg('circle', {
      cx: x(k + 1), cy: y(s.haltProbability), r: k === current ? 5 : 3,
      class: `point${k === current ? ' current' : ''}${s.haltProbability > threshold ? ' over' : ''}`,
      'data-step': k + 1,
    });
    c.append(svg('title', {}, `step ${s.step}: ${s.haltProbability.toFixed(3)}`));
    c.addEventListener('click', () => onPick(k));
    el.append(c);
  });
}
