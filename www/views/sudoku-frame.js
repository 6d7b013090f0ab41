// One frame of the Sudoku view's animated GIF, drawn from what it is given (no view state):
// the step number and verdict above the grid, the model's digits blue (darker where surer),
// givens black, cells breaking a rule on red.
const CELL = 36;
const TOP = 40;
/** The frame's size in pixels: the grid, its title band, 2 spare pixels for the outer lines. */
export const FRAME_WIDTH = 9 * CELL + 2;
export const FRAME_HEIGHT = TOP + 9 * CELL + 2;

/** `view`: the page's view of the step's answer ({ grid, confidence, clash, solved }); `step` of
 * `n` steps; `puzzle`: the 81 givens (0 blank). */
export function drawFrame(ctx, view, step, n, puzzle) {
  const w = ctx.canvas.width;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, ctx.canvas.height);
  ctx.save();
  ctx.translate(1, 0); // the outer grid lines fall inside the 2 spare pixels
  ctx.fillStyle = view.solved ? '#15803d' : '#b91c1c';
  ctx.font = 'bold 16px sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillText(`Step ${step} of ${n}: ${view.solved ? 'solved' : 'not solved'}`, 8, TOP / 2);
  ctx.font = '22px sans-serif';
  ctx.textAlign = 'center';
  for (let i = 0; i < 81; i++) {
    const [x, y] = [(i % 9) * CELL, TOP + Math.floor(i / 9) * CELL];
    if (view.clash.has(i)) { ctx.fillStyle = '#fee2e2'; ctx.fillRect(x, y, CELL, CELL); }
    const d = view.grid[i];
    if (!d) continue;
    const p = Math.max(0, Math.min(1, view.confidence[i] ?? 1));
    ctx.fillStyle = puzzle[i] ? '#111827' : `rgba(37, 99, 235, ${(0.35 + 0.65 * p).toFixed(2)})`;
    ctx.fillText(String(d), x + CELL / 2, y + CELL / 2 + 1);
  }
  ctx.strokeStyle = '#111827';
  for (let j = 0; j <= 9; j++) {
    ctx.lineWidth = j % 3 ? 1 : 2.5;
    ctx.beginPath(); ctx.moveTo(j * CELL, TOP); ctx.lineTo(j * CELL, TOP + 9 * CELL); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(0, TOP + j * CELL); ctx.lineTo(9 * CELL, TOP + j * CELL); ctx.stroke();
  }
  ctx.restore();
}
