use super::SIDE;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

impl MazeError {
    /// The cells (0-based, row-major) this error points at, for a page to mark.
    pub fn cells(&self) -> Vec<u32> {
        match self {
            MazeError::BadChar { index, .. } => vec![*index as u32],
            MazeError::MarkerCount { cells, .. } => cells.iter().map(|&i| i as u32).collect(),
            _ => vec![],
        }
    }
}

impl From<MazeError> for crate::error::TrmError {
    fn from(e: MazeError) -> Self {
        crate::error::TrmError::Puzzle { cells: e.cells(), message: e.to_string() }
    }
}

/// "1 character", "900 characters".
fn characters(n: usize) -> String {
    format!("{n} character{}", if n == 1 { "" } else { "s" })
}

/// "none" or "2: at row 1, column 3 and row 5, column 6" for [`MazeError::MarkerCount`].
fn found_list(at: &[(usize, usize)]) -> String {
    if at.is_empty() {
        return "none".to_string();
    }
    let places: Vec<String> = at
        .iter()
        .take(5)
        .map(|(r, c)| format!("row {r}, column {c}"))
        .collect();
    let more = if at.len() > 5 { " and more" } else { "" };
    format!("{}: at {}{more}", at.len(), places.join(" and "))
}

/// Everything that can be wrong with a maze given by a person, a file or a model.
/// Rows, columns and lines in fields and messages are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MazeError {
    #[error("no maze given: the text is empty")]
    Empty,
    #[error("a maze is a square of 3x3 to 30x30 cells (n lines of n characters, or one line of n*n, e.g. 900 for 30x30), found {}", characters(*.found))]
    WrongLength { found: usize },
    #[error("a maze is a square of 3 to 30 lines, found {found} lines")]
    LineCount { found: usize },
    #[error("a maze is square: its {side} lines need {side} characters each, but line {line} has {} (spaces are open cells, so trailing spaces count)", characters(*.found))]
    LineLength { line: usize, found: usize, side: usize },
    #[error("unexpected character {ch:?} at row {row}, column {col}: use '#' for walls, a space for open cells, 'S' start, 'G' goal, 'o' path")]
    /// `index`: the 0-based cell, row-major.
    BadChar { ch: char, index: usize, row: usize, col: usize },
    /// `what` is "start 'S'" or "goal 'G'"; `at` lists where they were found.
    #[error("expected exactly one {what}, found {}", found_list(.at))]
    MarkerCount {
        what: &'static str,
        at: Vec<(usize, usize)>,
        /// The same places as 0-based cells, row-major.
        cells: Vec<usize>,
    },
    #[error("expected the tokens of a square maze from 3x3 to 30x30 (900 for 30x30), found {found}")]
    TokenCount { found: usize },
    #[error("token {token} at row {row}, column {col} is not a maze token (1 '#', 2 ' ', 3 'S', 4 'G', 5 'o')")]
    BadToken { token: u32, row: usize, col: usize },
    /// A maze of one side given where another is needed (a model is trained for one side).
    #[error("this maze is {found}x{found}, but {expected}x{expected} is needed{}", if *.expected == SIDE { " (the Maze-Hard size)" } else { "" })]
    WrongSide { expected: usize, found: usize },
    #[error("expected {expected} comma-separated fields, found {found}")]
    CsvFields { expected: usize, found: usize },
    #[error("the CSV header has no \"{column}\" column")]
    CsvColumn { column: &'static str },
    /// The answer of a (question, answer) pair is not a valid path; `reason` says why.
    #[error("the answer is not a valid path: {reason}")]
    InvalidAnswer { reason: String },
    /// An error on one line of a file. `field` is "question", "answer" or "line".
    #[error("line {line} ({field}): {error}")]
    Line {
        line: usize,
        field: &'static str,
        error: Box<MazeError>,
    },
}
