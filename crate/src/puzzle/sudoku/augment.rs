use super::grid::{col_of, row_of};
use super::{Grid, Rng, CELLS};

// ---------------------------------------------------------------------------------------------
// Augmentation
// ---------------------------------------------------------------------------------------------

/// A symmetry of Sudoku: relabel digits, optionally transpose, then reorder rows and columns
/// (bands/stacks as wholes and lines within each). Such maps send valid grids to valid grids
/// and keep a (puzzle, solution) pair consistent.
///
/// `apply` computes `out[r][c] = digit_perm[src[row_order[r]][col_order[c]]]`, where `src`
/// is the input, transposed first when `transpose` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Augmentation {
    /// `digit_perm[d]` replaces digit `d`; `digit_perm[0]` must be 0 so blanks stay blank.
    pub digit_perm: [u8; 10],
    pub transpose: bool,
    /// Output row `r` comes from source row `row_order[r]`.
    pub row_order: [u8; 9],
    /// Output column `c` comes from source column `col_order[c]`.
    pub col_order: [u8; 9],
}

const IDENTITY9: [u8; 9] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

impl Augmentation {
    pub fn identity() -> Augmentation {
        Augmentation {
            digit_perm: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
            transpose: false,
            row_order: IDENTITY9,
            col_order: IDENTITY9,
        }
    }

    pub fn random(rng: &mut Rng) -> Augmentation {
        let mut digits = [1u8, 2, 3, 4, 5, 6, 7, 8, 9];
        rng.shuffle(&mut digits);
        let mut digit_perm = [0u8; 10];
        digit_perm[1..].copy_from_slice(&digits);
        let transpose = rng.next_u64() & 1 == 1;
        Augmentation {
            digit_perm,
            transpose,
            row_order: random_line_order(rng),
            col_order: random_line_order(rng),
        }
    }

    /// True when the fields form a real Sudoku symmetry. Only a hand-built value can fail this;
    /// `apply` on such a value does not panic but gives a meaningless grid.
    pub fn is_valid(&self) -> bool {
        let mut digits = self.digit_perm;
        digits.sort_unstable();
        self.digit_perm[0] == 0
            && digits == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            && is_band_preserving(&self.row_order)
            && is_band_preserving(&self.col_order)
    }

    pub fn apply(&self, g: &Grid) -> Grid {
        let mut cells = [0u8; CELLS];
        for (i, cell) in cells.iter_mut().enumerate() {
            // `get` only matters for hand-built invalid values; it keeps this panic-free.
            *cell = self.digit_perm.get(g.cells[self.source(i)] as usize).copied().unwrap_or(0);
        }
        Grid { cells }
    }

    /// The cell of the source grid whose digit lands at cell `i` of the augmented one: row
    /// `row_order[r]`, column `col_order[c]`, transposed when asked. Reading a copy's per-cell
    /// values back to the puzzle's cells uses the same map.
    pub fn source(&self, i: usize) -> usize {
        // `% 9` only matters for hand-built invalid values; it keeps this panic-free.
        let r = self.row_order[row_of(i)] as usize % 9;
        let c = self.col_order[col_of(i)] as usize % 9;
        if self.transpose {
            c * 9 + r
        } else {
            r * 9 + c
        }
    }

    /// The map undoing this one: `aug.inverse().apply(&aug.apply(g)) == g`.
    pub fn inverse(&self) -> Augmentation {
        let mut digit_perm = [0u8; 10];
        for (d, &to) in self.digit_perm.iter().enumerate() {
            digit_perm[to as usize % 10] = d as u8;
        }
        let (inv_rows, inv_cols) = (invert9(&self.row_order), invert9(&self.col_order));
        // Transposing swaps the roles of the row and column orders: T then P(rows, cols)
        // equals P(cols, rows) then T. So the inverse of "T, then P" is "T, then P^-1 swapped".
        let (row_order, col_order) = if self.transpose {
            (inv_cols, inv_rows)
        } else {
            (inv_rows, inv_cols)
        };
        Augmentation {
            digit_perm,
            transpose: self.transpose,
            row_order,
            col_order,
        }
    }
}

impl Default for Augmentation {
    fn default() -> Self {
        Augmentation::identity()
    }
}

/// A row (or column) order that moves whole bands and shuffles lines within each band, so
/// boxes stay boxes.
fn random_line_order(rng: &mut Rng) -> [u8; 9] {
    let mut bands = [0u8, 1, 2];
    rng.shuffle(&mut bands);
    let mut order = [0u8; 9];
    for (k, &band) in bands.iter().enumerate() {
        let mut inner = [0u8, 1, 2];
        rng.shuffle(&mut inner);
        for (j, &line) in inner.iter().enumerate() {
            order[k * 3 + j] = band * 3 + line;
        }
    }
    order
}

fn is_band_preserving(order: &[u8; 9]) -> bool {
    let mut sorted = *order;
    sorted.sort_unstable();
    sorted == IDENTITY9 && (0..9).all(|i| order[i] / 3 == order[i - i % 3] / 3)
}

fn invert9(order: &[u8; 9]) -> [u8; 9] {
    let mut inv = [0u8; 9];
    for (i, &to) in order.iter().enumerate() {
        inv[to as usize % 9] = i as u8;
    }
    inv
}
