use crate::rng::Rng;

use super::{ArcError, Grid, COLOURS, COLOUR_TOKEN_BASE, EOS_TOKEN, PAD_TOKEN, SIDE};

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/// Paints `g` with its top-left cell at (`r0`, `c0`) on a `side` x `side` canvas. Callers
/// guarantee `r0, c0 <= side`. Hand-built grids are clamped to the canvas and their bad cells
/// read as colour 0, so the embedding never sees an id >= VOCAB_SIZE.
fn paint(g: &Grid, r0: usize, c0: usize, side: usize) -> Vec<u32> {
    let mut t = vec![PAD_TOKEN; side * side];
    let h = g.h.min(side - r0);
    let w = g.w.min(side - c0);
    for r in 0..h {
        for c in 0..w {
            let v = g.get(r, c).filter(|&v| (v as usize) < COLOURS).unwrap_or(0);
            t[(r0 + r) * side + c0 + c] = v as u32 + COLOUR_TOKEN_BASE;
        }
    }
    // The EOS row spans only the grid's columns and the EOS column only its rows, so the
    // corner (r0 + h, c0 + w) stays PAD, as in the reference.
    let (eos_row, eos_col) = (r0 + h, c0 + w);
    if eos_row < side {
        for c in c0..eos_col {
            t[eos_row * side + c] = EOS_TOKEN;
        }
    }
    if eos_col < side {
        for r in r0..eos_row {
            t[r * side + eos_col] = EOS_TOKEN;
        }
    }
    t
}

/// The side of the square canvas `n` tokens make, where that is an ARC canvas (1..=30).
pub fn canvas_side(n: usize) -> Option<usize> {
    let side = (n as f64).sqrt().round() as usize;
    (side * side == n && (1..=SIDE).contains(&side)).then_some(side)
}

/// The `side * side` tokens of `g` at the top-left, as the model sees test inputs: colour `c`
/// is `c + 2`, an EOS row under the grid and an EOS column right of it (where they fit), PAD
/// elsewhere. The paper's canvas is 30x30; a smaller one holds only grids that fit it (a
/// model for small tasks). A grid larger than the canvas, or a hand-built grid that fails
/// [`Grid::check`], is clamped to it with bad cells as colour 0.
pub fn encode(g: &Grid, side: usize) -> Vec<u32> {
    paint(g, 0, 0, side.clamp(1, SIDE))
}

/// Like [`encode`] on the 30x30 canvas with the grid's top-left cell at row `r0`, column `c0`
/// (0-based), the translation augmentation of training. Fails when the grid is not a valid ARC
/// grid or does not fit.
pub fn encode_at(g: &Grid, r0: usize, c0: usize) -> Result<Vec<u32>, ArcError> {
    g.check()?;
    if r0 > SIDE - g.h || c0 > SIDE - g.w {
        return Err(ArcError::DoesNotFit {
            h: g.h,
            w: g.w,
            r0,
            c0,
        });
    }
    Ok(paint(g, r0, c0, SIDE))
}

/// A random offset at which every grid in `grids` fits, uniform over the possible ones: the
/// reference translates an input and its output together, by the same offset. Grids larger
/// than the canvas count as 30 per side.
pub fn random_offset(rng: &mut Rng, grids: &[&Grid]) -> (usize, usize) {
    let h = grids.iter().map(|g| g.h.min(SIDE)).max().unwrap_or(0);
    let w = grids.iter().map(|g| g.w.min(SIDE)).max().unwrap_or(0);
    let r0 = rng.below(SIDE - h + 1);
    let c0 = rng.below(SIDE - w + 1);
    (r0, c0)
}

fn is_colour_token(t: u32) -> bool {
    (COLOUR_TOKEN_BASE..COLOUR_TOKEN_BASE + COLOURS as u32).contains(&t)
}

/// The grid in a model's output tokens (a square canvas, 30x30 or smaller), by the reference's
/// crop rule:
///
/// `width` starts at the canvas side. For each row `r` from the top, `width` shrinks to the number of leading
/// colour tokens of row `r` within the current `width` (so it never grows again), and the
/// rectangle `(r + 1) x width` is a candidate. The answer is the candidate of largest area, the
/// earliest one on ties; a properly framed grid yields exactly itself because its EOS row makes
/// every later candidate empty. Tokens other than 2..=11 (PAD, EOS, out of vocabulary) end a
/// row's run.
///
/// None when `tokens` is no square canvas of 1..=30 per side or the top-left token is not a
/// colour (the model drew no grid at all).
pub fn decode(tokens: &[u32]) -> Option<Grid> {
    let side = canvas_side(tokens.len())?;
    let mut width = side;
    let (mut best_area, mut best) = (0, (0, 0));
    for r in 0..side {
        let row = &tokens[r * side..r * side + width];
        width = row
            .iter()
            .position(|&t| !is_colour_token(t))
            .unwrap_or(width);
        if width == 0 {
            break;
        }
        let area = (r + 1) * width;
        if area > best_area {
            best_area = area;
            best = (r + 1, width);
        }
    }
    let (h, w) = best;
    if h == 0 {
        return None;
    }
    let mut cells = Vec::with_capacity(h * w);
    for r in 0..h {
        for &t in &tokens[r * side..r * side + w] {
            cells.push((t - COLOUR_TOKEN_BASE) as u8);
        }
    }
    Some(Grid { h, w, cells })
}
