use std::fmt;

use super::parse::parse;
use super::{side_of, Cell, MazeError, MIN_SIDE, SIDE};

// ---------------------------------------------------------------------------------------------
// Maze
// ---------------------------------------------------------------------------------------------

/// A square maze, row-major. Its side is fixed at construction and its cells can be changed but
/// not added or removed, so `cells().len() == side() * side()` always holds. [`parse`]
/// guarantees one start and one goal; other mazes can be built, and every function here
/// tolerates them.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Maze {
    pub(super) side: usize,
    pub(super) cells: Vec<Cell>,
}

impl Maze {
    /// All open, no start or goal; `side` is clamped to `MIN_SIDE..=SIDE`.
    pub fn open(side: usize) -> Maze {
        let side = side.clamp(MIN_SIDE, SIDE);
        Maze {
            side,
            cells: vec![Cell::Open; side * side],
        }
    }

    /// A maze from its rows' cells; None unless `cells` is a square of an allowed side.
    pub fn from_cells(cells: Vec<Cell>) -> Option<Maze> {
        side_of(cells.len()).map(|side| Maze { side, cells })
    }

    pub fn side(&self) -> usize {
        self.side
    }

    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    pub fn cells_mut(&mut self) -> &mut [Cell] {
        &mut self.cells
    }

    /// The cell at 0-based `row`, `col`; None outside the grid.
    pub fn get(&self, row: usize, col: usize) -> Option<Cell> {
        (row < self.side && col < self.side).then(|| self.cells[row * self.side + col])
    }

    /// The rows, top to bottom.
    pub fn rows(&self) -> std::slice::Chunks<'_, Cell> {
        self.cells.chunks(self.side)
    }

    pub(super) fn all(&self, kind: Cell) -> Vec<usize> {
        (0..self.cells.len()).filter(|&i| self.cells[i] == kind).collect()
    }

    /// Index of the start when there is exactly one.
    pub fn start(&self) -> Option<usize> {
        only(&self.all(Cell::Start))
    }

    /// Index of the goal when there is exactly one.
    pub fn goal(&self) -> Option<usize> {
        only(&self.all(Cell::Goal))
    }

    /// Number of `o` cells.
    pub fn path_len(&self) -> usize {
        self.cells.iter().filter(|&&c| c == Cell::Path).count()
    }

    /// Fraction of cells that are walls.
    pub fn wall_fraction(&self) -> f64 {
        self.cells.iter().filter(|&&c| c == Cell::Wall).count() as f64 / self.cells.len() as f64
    }

    /// The maze without its path: `o` becomes open floor.
    pub fn question(&self) -> Maze {
        Maze {
            side: self.side,
            cells: self
                .cells
                .iter()
                .map(|&c| if c == Cell::Path { Cell::Open } else { c })
                .collect(),
        }
    }

    /// The one-line form of the dataset's CSV (900 characters for Maze-Hard).
    pub fn to_line(&self) -> String {
        self.cells.iter().map(|c| c.char()).collect()
    }

    /// `side` lines of `side`, each ending in a newline.
    pub fn to_text(&self) -> String {
        let mut s = String::with_capacity(self.cells.len() + self.side);
        for row in self.rows() {
            s.extend(row.iter().map(|c| c.char()));
            s.push('\n');
        }
        s
    }
}

fn only(found: &[usize]) -> Option<usize> {
    match found {
        [i] => Some(*i),
        _ => None,
    }
}

impl Default for Maze {
    fn default() -> Self {
        Maze::open(SIDE)
    }
}

impl fmt::Display for Maze {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

// A flat line of 900 is unreadable in a failed assertion; the rows, fenced so that trailing
// spaces show, are what people compare.
impl fmt::Debug for Maze {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Maze(\n")?;
        for row in self.rows() {
            let line: String = row.iter().map(|c| c.char()).collect();
            writeln!(f, "|{line}|")?;
        }
        f.write_str(")")
    }
}

impl std::str::FromStr for Maze {
    type Err = MazeError;
    fn from_str(s: &str) -> Result<Maze, MazeError> {
        parse(s)
    }
}
