// What the Sudoku view says and draws of thinking harder with hypotheses (crate::search): a
// step's round, the model's own digits given back to it as if given, and the ones it
// withdraws. Words only; sudoku.js places them.
import { plural } from '../shell.js';

/** A cell as the page names it in lists: r5c7 (rows and columns from 1). */
export const cellName = (i) => `r${Math.floor(i / 9) + 1}c${(i % 9) + 1}`;

/** True when a step comes from a search (it carries its round). */
export const isSearch = (step) => Number.isInteger(step?.round);

/** The hypothesis a step's round gave at cell i, if any. */
export const hypothesisAt = (step, i) => step?.hypotheses?.find((h) => h.cell === i);

/** "r5c7 = 3, r2c3 = 6" */
export const listHypotheses = (hs) => hs.map((h) => `${cellName(h.cell)} = ${h.digit}`).join(', ');

/** Where a hypothesis came from, for a cell's label. */
export function hypothesisLabel(h) {
  const why = h.reason === 'branch'
    ? `one of the digits round ${h.round}'s copies wrote where they agreed least`
    : `the digit most of round ${h.round}'s copies agreed on`;
  return `a hypothesis: the model's own ${h.digit}, ${why}, given back to it as if given`;
}

/** A sentence on the round a step belongs to, and on what the next round changes. */
export function roundSentence(step) {
  if (!isSearch(step)) return '';
  const hs = step.hypotheses;
  let t = hs.length
    ? `Round ${step.round} (its step ${step.roundStep}) runs on ${plural(hs.length, 'hypothesis', 'hypotheses')}, the model's own digits given back to it: ${listHypotheses(hs)}.`
    : `Round ${step.round} (its step ${step.roundStep}) runs on the puzzle as given.`;
  if (step.withdrawn.length) {
    t += ` No copy found an answer the rules accept, so the model withdraws ${listHypotheses(step.withdrawn)}.`;
  }
  if (step.added.length) {
    t += ` ${step.withdrawn.length ? 'It' : 'No copy found an answer the rules accept, so it'} tries ${listHypotheses(step.added)} next.`;
  }
  return t;
}

/** Rows for the step's details. */
export function roundRows(step) {
  if (!isSearch(step)) return [];
  const rows = [
    ['Round', `${step.round} (its step ${step.roundStep})`],
    ['Hypotheses', step.hypotheses.length ? listHypotheses(step.hypotheses) : 'none: the puzzle as given'],
  ];
  if (step.withdrawn.length) rows.push(['Withdrawn after this step', listHypotheses(step.withdrawn)]);
  if (step.added.length) rows.push(['Tried next', listHypotheses(step.added)]);
  return rows;
}

/** The steps (0-based) where a new round starts, with the round and whether the previous
 * round ended by withdrawing hypotheses. */
export function roundStarts(steps) {
  const out = [];
  steps.forEach((s, k) => {
    if (k > 0 && isSearch(s) && s.round !== steps[k - 1].round) out.push({ k, round: s.round, withdrew: steps[k - 1].withdrawn.length > 0 });
  });
  return out;
}

/** The search as the finished status says it. A round on hypotheses may run fewer copies than
 * the bare puzzle's (crate::search, branch_copies), so the last round says its own. */
export function searchSummary(last) {
  return `${plural(last.round, 'round')} of copies${last.hypotheses.length ? `, the last (${plural(last.copies.length, 'copy')}) on ${listHypotheses(last.hypotheses)}` : ''}`;
}
