// The panels beside the Sudoku view's grid, all of the step on screen: its figures, the halting
// chart over the steps, the answers after each H cycle, and the copies of a think-harder solve.
import { $, fmtMs, plural, readableInk } from '../shell.js';
import { drawHaltChart } from './halt-chart.js';
import { roundRows } from './hypotheses.js';
import { N, S, THRESHOLD, solverOf, page } from './sudoku-state.js';

export function renderStepInfo() {
  const dl = $('step-info');
  dl.replaceChildren();
  if (S.mode !== 'result' || page.timeline.current < 0) return;
  const s = S.steps[page.timeline.current];
  const v = S.views[page.timeline.current];
  const rows = [
    ['Time', fmtMs(s.ms)],
    ['Halting probability', `${s.haltProbability.toFixed(3)}${s.haltedAt ? ` (halted at step ${s.haltedAt})` : ''}`],
    ['Changed cells', page.timeline.current ? String(v.changed.size) : '(first answer)'],
    ['Cells breaking a rule', String(v.clash.size)],
    ['Blank cells', String(v.blanks)],
  ];
  if (v.differ !== null) rows.push([S.solutionFrom === 'example' ? 'Differ from the solution' : 'Differ from a solution', String(v.differ)]);
  rows.push(['Answer', v.solved ? 'complete, breaks no rule' : 'not a solution']);
  rows.push(...roundRows(s));
  for (const [k, val] of rows) {
    const d = document.createElement('div');
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = k;
    dd.textContent = val;
    d.dataset.key = k;
    d.append(dt, dd);
    dl.append(d);
  }
}

export function renderChart() {
  drawHaltChart($('chart'), { steps: S.steps, maxSteps: S.maxSteps, current: page.timeline.current, threshold: THRESHOLD, onPick: (k) => page.timeline.goto(k) });
}

// ---------------------------------------------------------------------------------------
// The answers after each H cycle of the shown step.
// ---------------------------------------------------------------------------------------
export function renderCycles() {
  const box = $('cycle-grids');
  box.replaceChildren();
  const T = solverOf()?.config?.H_cycles;
  const L = solverOf()?.config?.L_cycles;
  $('cycles-note').textContent = T
    ? `Each step runs T = ${T} H cycles (each: n = ${L} updates of the latent z, then one update of the answer y). The last cycle's answer is the step's answer. Shaded: changed since the cycle before.`
    : '';
  if (S.mode !== 'result' || page.timeline.current < 0) {
    box.textContent = 'Solve a puzzle to see the answers inside each step.';
    return;
  }
  const step = S.steps[page.timeline.current];
  let prev = page.timeline.current ? S.views[page.timeline.current - 1].grid : null;
  step.cycles.map((c) => c?.cells ?? new Array(N).fill(0)).forEach((g, c) => {
    // In the latent view, each cycle's y or z as colours (the step's H-cycle read-outs).
    const colours = S.layer !== 'answer' ? step.cycleLatent?.[c]?.[S.layer] : null;
    const fig = document.createElement('figure');
    fig.className = 'mini';
    const grid = document.createElement('div');
    grid.className = 'mini-grid';
    grid.dataset.cycle = String(c + 1);
    for (let i = 0; i < N; i++) {
      const d = document.createElement('span');
      const cls = ['m'];
      if (S.puzzle[i]) cls.push('given');
      else if (g[i]) cls.push('model');
      if (prev && g[i] !== prev[i]) cls.push('changed');
      if (Math.floor(i / 9) % 3 === 2 && i < 72) cls.push('bb');
      if (i % 9 % 3 === 2 && i % 9 < 8) cls.push('br');
      d.className = cls.join(' ');
      d.textContent = g[i] ? String(g[i]) : '';
      if (colours) {
        const rgb = colours.slice(i * 3, i * 3 + 3);
        d.style.background = `rgb(${rgb.join(', ')})`;
        d.style.color = readableInk(rgb);
      }
      grid.append(d);
    }
    const cap = document.createElement('figcaption');
    cap.textContent = `H cycle ${c + 1} of ${step.cycles.length}`;
    fig.append(grid, cap);
    box.append(fig);
    prev = g;
  });
}

/** The copies of a think-harder solve, small, at the step on screen; the verified one marked. */
export function renderCopies() {
  const box = $('copies-box');
  const step = S.mode === 'result' && page.timeline.current >= 0 ? S.steps[page.timeline.current] : null;
  box.hidden = !step || step.copies.length < 2;
  if (box.hidden) return;
  const strip = $('copies-strip');
  const shown = S.track ?? step.chosen;
  const verified = step.copies.filter((c) => c.verifiedAt !== null).length;
  $('copies-note').textContent = `${step.copies.length} copies of the puzzle (relabelled and shuffled, mapped back), at step ${step.step}: ${verified ? `${plural(verified, 'copy')} the rules accept (green)` : 'none the rules accept yet'}; the grid above shows copy ${shown + 1}. ${plural(step.networkSteps, 'network step')} spent so far.`;
  strip.replaceChildren(...step.copies.map((c, k) => {
    const fig = document.createElement('figure');
    fig.className = `mini copy${c.verifiedAt !== null ? ' verified' : ''}${k === shown ? ' shown' : ''}`;
    fig.dataset.copy = String(k);
    const grid = document.createElement('div');
    grid.className = 'mini-grid small';
    const cells = c.answer?.cells ?? new Array(N).fill(0);
    for (let i = 0; i < N; i++) {
      const d = document.createElement('span');
      d.className = `m${S.puzzle[i] ? ' given' : cells[i] ? ' model' : ''}`;
      d.textContent = cells[i] ? String(cells[i]) : '';
      grid.append(d);
    }
    const cap = document.createElement('figcaption');
    // A copy that started over shows which attempt its grid belongs to.
    cap.textContent = `${k + 1}${c.attempt ? ` (try ${c.attempt + 1})` : ''}${c.verifiedAt !== null ? ` ✓ step ${c.verifiedAt}` : ''}`;
    fig.append(grid, cap);
    return fig;
  }));
}
