use std::fmt;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// The kind of unit two clashing cells share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Row,
    Column,
    Box,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unit::Row => "row",
            Unit::Column => "column",
            Unit::Box => "box",
        })
    }
}

/// Everything that can be wrong with a Sudoku given by a person or a file.
/// Rows and columns in fields and messages are 1-based; `index` fields are 0-based cell indices.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SudokuError {
    #[error("no sudoku given: the text is empty")]
    Empty,
    #[error("expected 81 cells, found {found} (digits 1-9, '.' or '0' for blanks; whitespace is ignored)")]
    WrongLength { found: usize },
    #[error(
        "unexpected character {ch:?} at row {row}, column {col}: use 1-9 for digits and '.' or '0' for blanks"
    )]
    BadChar {
        ch: char,
        index: usize,
        row: usize,
        col: usize,
    },
    #[error(
        "the cell at row {row}, column {col} holds {value}, which is not 0 (blank) or a digit 1-9"
    )]
    BadValue {
        index: usize,
        row: usize,
        col: usize,
        value: u8,
    },
    #[error(
        "digit {digit} appears twice in the same {unit}: at row {}, column {} and at row {}, column {}",
        .a.0, .a.1, .b.0, .b.1
    )]
    Clash {
        digit: u8,
        a: (usize, usize),
        b: (usize, usize),
        unit: Unit,
    },
    #[error("this sudoku has no solution")]
    Unsolvable,
    #[error("this sudoku has more than one solution; add givens until only one is left")]
    MultipleSolutions,
    #[error("the solution still has {blanks} blank cell(s)")]
    Incomplete { blanks: usize },
    #[error(
        "the solution puts {found} at row {row}, column {col}, where the puzzle gives {given}"
    )]
    GivenChanged {
        row: usize,
        col: usize,
        given: u8,
        found: u8,
    },
    #[error("expected 2 comma-separated fields (puzzle,solution), found {found}")]
    CsvFields { found: usize },
    #[error(
        "the puzzle file has {puzzles} line(s) but the solution file has {solutions}; they must be line-aligned"
    )]
    CountMismatch { puzzles: usize, solutions: usize },
    /// An error on one line of a file. `field` is "puzzle", "solution" or "line".
    #[error("line {line} ({field}): {error}")]
    Line {
        line: usize,
        field: &'static str,
        error: Box<SudokuError>,
    },
    #[error("unknown difficulty {name:?}: use easy, medium, hard or minimal")]
    UnknownDifficulty { name: String },
}

impl SudokuError {
    /// The cells (0-based, row-major) this error points at, for a page to mark.
    pub fn cells(&self) -> Vec<u32> {
        match self {
            SudokuError::BadChar { index, .. } | SudokuError::BadValue { index, .. } => vec![*index as u32],
            SudokuError::Clash { a, b, .. } => vec![((a.0 - 1) * 9 + a.1 - 1) as u32, ((b.0 - 1) * 9 + b.1 - 1) as u32],
            _ => vec![],
        }
    }
}

impl From<SudokuError> for crate::error::TrmError {
    fn from(e: SudokuError) -> Self {
        crate::error::TrmError::Puzzle { cells: e.cells(), message: e.to_string() }
    }
}
