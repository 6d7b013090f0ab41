use std::fmt;

use serde_json::Value;

#[cfg(doc)]
use super::{encode_at, parse_grid};

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Which list of a task a pair comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Split {
    /// The demonstration pairs (`"train"` in the JSON).
    Train,
    Test,
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Split::Train => "train",
            Split::Test => "test",
        })
    }
}

/// Which grid of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Input,
    Output,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Input => "input",
            Field::Output => "output",
        })
    }
}

/// Where a grid sits in a task; `pair` is 1-based. Displays as "train pair 2, output".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Place {
    pub split: Split,
    pub pair: usize,
    pub field: Field,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} pair {}, {}", self.split, self.pair, self.field)
    }
}

/// What is wrong with one grid. Rows and columns are 1-based. `found` and `value` fields hold a
/// short rendering of the offending JSON value ("12", "-1", "1.5", "\"a\"", "a list").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GridProblem {
    #[error("a grid must be a list of rows, each a list of colours 0..9, not {found}")]
    NotAList { found: String },
    #[error("row {row} must be a list of colours 0..9, not {found}")]
    RowNotAList { row: usize, found: String },
    #[error("the grid is {h} rows high; ARC grids are 1..30 per side")]
    Height { h: usize },
    #[error("the grid is {w} columns wide; ARC grids are 1..30 per side")]
    Width { w: usize },
    #[error("row {row} has {len} cells but row 1 has {expected}")]
    Ragged {
        row: usize,
        len: usize,
        expected: usize,
    },
    #[error("cell (row {row}, column {col}) holds {value}; colours are 0..9")]
    BadCell {
        row: usize,
        col: usize,
        value: String,
    },
    #[error("{len} cells cannot make a grid of {h} rows by {w} columns")]
    CellCount { h: usize, w: usize, len: usize },
}

/// Everything that can be wrong with an ARC task given by a person or a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArcError {
    #[error("no task given: the text is empty")]
    Empty,
    /// `line` and `column` are serde_json's, both 1-based.
    #[error("not valid JSON: {message} (line {line}, column {column})")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "an ARC task must be a JSON object {{\"train\": [...], \"test\": [...]}}, not {found}"
    )]
    NotATask { found: String },
    #[error("the task has no \"{key}\" list of pairs")]
    MissingList { key: &'static str },
    #[error("\"{key}\" must be a list of pairs, not {found}")]
    NotAList { key: &'static str, found: String },
    #[error("\"{key}\" is empty: a task needs at least one {needed}")]
    EmptyList {
        key: &'static str,
        needed: &'static str,
    },
    #[error(
        "{split} pair {pair} must be an object with \"input\" and \"output\" grids, not {found}"
    )]
    NotAPair {
        split: Split,
        pair: usize,
        found: String,
    },
    #[error("{} pair {} has no \"{}\" grid", .place.split, .place.pair, .place.field)]
    MissingGrid { place: Place },
    #[error("{place}: {problem}")]
    InPair { place: Place, problem: GridProblem },
    /// A grid on its own (see [`parse_grid`], [`encode_at`]).
    #[error("{0}")]
    Grid(#[from] GridProblem),
    #[error("a grid of {h} rows by {w} columns placed at row {r0}, column {c0} (0-based) does not fit in the 30x30 canvas")]
    DoesNotFit {
        h: usize,
        w: usize,
        r0: usize,
        c0: usize,
    },
}

/// A short, human rendering of a JSON value for error messages.
pub(super) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let short: String = s.chars().take(20).collect();
            if short.len() < s.len() {
                format!("{short:?}...")
            } else {
                format!("{short:?}")
            }
        }
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}
