use std::fmt;
use std::str::FromStr;

use super::{parse, SudokuError, CELLS};
#[cfg(doc)]
use super::validate;

// ---------------------------------------------------------------------------------------------
// Grid
// ---------------------------------------------------------------------------------------------

/// A 9x9 grid, row-major. 0 is blank, 1..=9 are digits. The field is public, so other values
/// can appear; every function here tolerates them (see [`validate`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Grid {
    pub cells: [u8; CELLS],
}

impl Grid {
    pub const fn empty() -> Grid {
        Grid { cells: [0; CELLS] }
    }

    /// The digit at 0-based `row`, `col` (0 when blank or out of range).
    pub fn get(&self, row: usize, col: usize) -> u8 {
        if row < 9 && col < 9 {
            self.cells[row * 9 + col]
        } else {
            0
        }
    }

    /// Number of filled cells.
    pub fn givens(&self) -> usize {
        self.cells.iter().filter(|&&v| v != 0).count()
    }

    /// True when no cell is blank (says nothing about clashes).
    pub fn is_full(&self) -> bool {
        self.cells.iter().all(|&v| v != 0)
    }

    /// The 81-character line form, '.' for blanks.
    pub fn to_line(&self) -> String {
        self.to_string()
    }

    /// Nine lines of nine with a space between boxes, for people to read.
    pub fn to_pretty(&self) -> String {
        let mut s = String::with_capacity(9 * 12);
        for r in 0..9 {
            for c in 0..9 {
                if c == 3 || c == 6 {
                    s.push(' ');
                }
                s.push(cell_char(self.cells[r * 9 + c]));
            }
            s.push('\n');
        }
        s
    }
}

impl Default for Grid {
    fn default() -> Self {
        Grid::empty()
    }
}

fn cell_char(v: u8) -> char {
    match v {
        0 => '.',
        1..=9 => (b'0' + v) as char,
        // Only reachable through the public field; shown rather than hidden so it gets noticed.
        _ => '?',
    }
}

impl fmt::Display for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &v in &self.cells {
            fmt::Write::write_char(f, cell_char(v))?;
        }
        Ok(())
    }
}

// The derived Debug would print 81 separate numbers; the line form is what people compare.
impl fmt::Debug for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Grid({self})")
    }
}

impl FromStr for Grid {
    type Err = SudokuError;
    fn from_str(s: &str) -> Result<Grid, SudokuError> {
        parse(s)
    }
}

pub(super) const fn row_of(i: usize) -> usize {
    i / 9
}
pub(super) const fn col_of(i: usize) -> usize {
    i % 9
}
pub(super) const fn box_of(i: usize) -> usize {
    (i / 27) * 3 + (i % 9) / 3
}
