use std::fmt;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use super::{GridProblem, COLOURS, SIDE};

// ---------------------------------------------------------------------------------------------
// Grid
// ---------------------------------------------------------------------------------------------

/// An ARC grid: `h` rows of `w` colours, row-major in `cells`.
///
/// The fields are public so callers can build grids freely; [`Grid::check`] says whether one is
/// a real ARC grid (1..=30 per side, `h * w` cells, colours 0..=9). Every function here tolerates
/// grids that fail it without panicking, as documented on each.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Grid {
    pub h: usize,
    pub w: usize,
    pub cells: Vec<u8>,
}

impl Grid {
    /// A checked grid from row-major cells.
    pub fn new(h: usize, w: usize, cells: Vec<u8>) -> Result<Grid, GridProblem> {
        let g = Grid { h, w, cells };
        g.check()?;
        Ok(g)
    }

    /// A checked grid from rows, e.g. `&[vec![1, 2], vec![3, 4]]`.
    pub fn from_rows(rows: &[Vec<u8>]) -> Result<Grid, GridProblem> {
        let h = rows.len();
        if h == 0 || h > SIDE {
            return Err(GridProblem::Height { h });
        }
        let w = rows[0].len();
        let mut cells = Vec::with_capacity(h * w.min(SIDE));
        for (r, row) in rows.iter().enumerate() {
            if row.len() != w {
                return Err(GridProblem::Ragged {
                    row: r + 1,
                    len: row.len(),
                    expected: w,
                });
            }
            cells.extend_from_slice(row);
        }
        Grid::new(h, w, cells)
    }

    /// Checks the size, the cell count and the colours; reports the first problem.
    pub fn check(&self) -> Result<(), GridProblem> {
        if self.h == 0 || self.h > SIDE {
            return Err(GridProblem::Height { h: self.h });
        }
        if self.w == 0 || self.w > SIDE {
            return Err(GridProblem::Width { w: self.w });
        }
        if self.cells.len() != self.h * self.w {
            return Err(GridProblem::CellCount {
                h: self.h,
                w: self.w,
                len: self.cells.len(),
            });
        }
        if let Some(i) = self.cells.iter().position(|&v| v as usize >= COLOURS) {
            return Err(GridProblem::BadCell {
                row: i / self.w + 1,
                col: i % self.w + 1,
                value: self.cells[i].to_string(),
            });
        }
        Ok(())
    }

    pub fn is_valid(&self) -> bool {
        self.check().is_ok()
    }

    /// True when `cells` holds exactly `h * w` values, which is all that the transforms need.
    pub(super) fn is_consistent(&self) -> bool {
        self.h.checked_mul(self.w) == Some(self.cells.len())
    }

    /// The colour at 0-based `row`, `col`; None outside the grid.
    pub fn get(&self, row: usize, col: usize) -> Option<u8> {
        if row >= self.h || col >= self.w {
            return None;
        }
        self.cells
            .get(row.checked_mul(self.w)?.checked_add(col)?)
            .copied()
    }

    /// The rows as lists, the JSON shape of a grid.
    pub fn rows(&self) -> Vec<Vec<u8>> {
        if self.w == 0 {
            return Vec::new();
        }
        self.cells.chunks(self.w).map(<[u8]>::to_vec).collect()
    }
}

// The derived Debug would print a flat list of up to 900 numbers; rows of digits are what
// people compare when a test fails.
impl fmt::Debug for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Grid({}x{}", self.h, self.w)?;
        for (r, row) in self.rows().iter().enumerate() {
            f.write_str(if r == 0 { ": " } else { "/" })?;
            for &v in row {
                if v < 10 {
                    write!(f, "{v}")?;
                } else {
                    write!(f, "[{v}]")?;
                }
            }
        }
        f.write_str(")")
    }
}

/// Serialises as the ARC JSON shape, a list of rows.
impl Serialize for Grid {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rows = self.rows();
        let mut seq = serializer.serialize_seq(Some(rows.len()))?;
        for row in &rows {
            seq.serialize_element(row)?;
        }
        seq.end()
    }
}
