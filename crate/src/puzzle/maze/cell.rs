use super::{MIN_SIDE, SIDE};

// ---------------------------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------------------------

/// One cell. The token of a cell is its position in `# SGo` plus one, as in HRM's builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cell {
    Wall,
    Open,
    Start,
    Goal,
    /// On the path from S to G (answers only).
    Path,
}

impl Cell {
    /// In token order: `ALL[t - 1]` has token `t`.
    pub const ALL: [Cell; 5] = [Cell::Wall, Cell::Open, Cell::Start, Cell::Goal, Cell::Path];

    pub fn char(self) -> char {
        match self {
            Cell::Wall => '#',
            Cell::Open => ' ',
            Cell::Start => 'S',
            Cell::Goal => 'G',
            Cell::Path => 'o',
        }
    }

    pub fn from_char(ch: char) -> Option<Cell> {
        Cell::ALL.into_iter().find(|c| c.char() == ch)
    }

    /// 1..=5.
    pub fn token(self) -> u32 {
        self as u32 + 1
    }

    /// None for PAD and anything outside the vocabulary.
    pub fn from_token(t: u32) -> Option<Cell> {
        Cell::ALL.get((t as usize).wrapping_sub(1)).copied()
    }

    /// Walls block; every other cell, path cells included, can be walked on.
    pub fn is_passable(self) -> bool {
        self != Cell::Wall
    }

    /// For messages: "a wall", "open floor", ...
    pub fn describe(self) -> &'static str {
        match self {
            Cell::Wall => "a wall",
            Cell::Open => "open floor",
            Cell::Start => "the start",
            Cell::Goal => "the goal",
            Cell::Path => "a path cell",
        }
    }
}

/// 1-based (row, column) of a cell index in a grid of side `side`, as messages show it.
pub(super) fn rc(i: usize, side: usize) -> (usize, usize) {
    (i / side + 1, i % side + 1)
}

pub(super) fn at(i: usize, side: usize) -> String {
    let (r, c) = rc(i, side);
    format!("row {r}, column {c}")
}

/// The side of a square of `n` cells, if `n` is one of the sides a maze may have.
pub fn side_of(n: usize) -> Option<usize> {
    let side = (n as f64).sqrt().round() as usize;
    (side * side == n && (MIN_SIDE..=SIDE).contains(&side)).then_some(side)
}
