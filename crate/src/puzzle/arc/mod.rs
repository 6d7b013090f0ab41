//! ARC-AGI tasks: parsing task JSON, the 30x30 token encoding the model reads and writes, the
//! dihedral and colour augmentations, and the vote that turns many augmented runs of one test
//! input into a ranked list of guesses.
//!
//! Wherever it matters for running checkpoints trained by the paper's reference code, this
//! follows that code rather than a cleaner design: the token ids and the EOS frame, the crop rule
//! of [`decode`], the numbering and direction of the dihedral transforms, the names of augmented
//! puzzles and the order of the vote. Plain CPU code with no randomness of its own (callers pass
//! a `FnMut() -> u64`), so it behaves the same natively and in wasm32. Nothing here panics on
//! user input; text entry points return an [`ArcError`] that says where the problem is.

use std::fmt;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::Value;

/// Side of the token canvas; ARC grids are 1..=30 per side.
pub const SIDE: usize = 30;
/// Tokens per example: the 30x30 canvas, row-major.
pub const SEQ_LEN: usize = SIDE * SIDE;
/// Outside the grid and its EOS frame.
pub const PAD_TOKEN: u32 = 0;
/// The row under and the column right of the grid, so the model can say how big its answer is.
pub const EOS_TOKEN: u32 = 1;
/// Colour `c` is token `c + COLOUR_TOKEN_BASE`.
pub const COLOUR_TOKEN_BASE: u32 = 2;
/// PAD, EOS and the ten colours.
pub const VOCAB_SIZE: usize = 12;
/// Colours are 0..=9; 0 is black, which colour permutations keep fixed.
pub const COLOURS: usize = 10;
/// Joins a task id, a dihedral id and a colour map in the reference's augmented puzzle names.
pub const PUZZLE_ID_SEPARATOR: &str = "|||";

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
fn describe(v: &Value) -> String {
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
    fn is_consistent(&self) -> bool {
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

/// An input grid and, for demonstrations always and for test pairs when known, its output.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Pair {
    pub input: Grid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Grid>,
}

/// A task: demonstration pairs and test pairs. `serde_json::to_string` writes it back in the
/// ARC file format.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Task {
    pub train: Vec<Pair>,
    pub test: Vec<Pair>,
}

impl Task {
    /// Whether every grid of the task (demonstrations and tests, inputs and known outputs)
    /// is within `side` x `side`: the subset a model on a smaller canvas is trained and
    /// measured on (train/trm/arc_data.py `fits` is the same rule).
    pub fn fits(&self, side: usize) -> bool {
        self.train.iter().chain(&self.test).all(|p| {
            std::iter::once(&p.input).chain(&p.output).all(|g| g.h <= side && g.w <= side)
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

fn parse_json(text: &str) -> Result<Value, ArcError> {
    // Editors on some systems prepend a byte-order mark, which serde_json rejects.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ArcError::Empty);
    }
    serde_json::from_str(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let full = e.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
        ArcError::Json {
            line,
            column,
            message,
        }
    })
}

fn grid_from_value(v: &Value) -> Result<Grid, GridProblem> {
    let rows = v
        .as_array()
        .ok_or_else(|| GridProblem::NotAList { found: describe(v) })?;
    let h = rows.len();
    if h == 0 || h > SIDE {
        return Err(GridProblem::Height { h });
    }
    let mut w = 0;
    let mut cells = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let row_values = row.as_array().ok_or_else(|| GridProblem::RowNotAList {
            row: r + 1,
            found: describe(row),
        })?;
        if r == 0 {
            w = row_values.len();
            if w == 0 || w > SIDE {
                return Err(GridProblem::Width { w });
            }
            cells.reserve(h * w);
        } else if row_values.len() != w {
            return Err(GridProblem::Ragged {
                row: r + 1,
                len: row_values.len(),
                expected: w,
            });
        }
        for (c, x) in row_values.iter().enumerate() {
            // as_u64 is None for negative numbers and for floats, even 1.0: ARC files hold
            // integers, so anything else is more likely a mistake than a colour.
            match x.as_u64() {
                Some(n) if (n as usize) < COLOURS => cells.push(n as u8),
                _ => {
                    return Err(GridProblem::BadCell {
                        row: r + 1,
                        col: c + 1,
                        value: describe(x),
                    })
                }
            }
        }
    }
    Ok(Grid { h, w, cells })
}

fn pairs_from(
    obj: &serde_json::Map<String, Value>,
    key: &'static str,
    split: Split,
) -> Result<Vec<Pair>, ArcError> {
    let list = obj.get(key).ok_or(ArcError::MissingList { key })?;
    let list = list.as_array().ok_or_else(|| ArcError::NotAList {
        key,
        found: describe(list),
    })?;
    if list.is_empty() {
        let needed = match split {
            Split::Train => "demonstration pair",
            Split::Test => "test input",
        };
        return Err(ArcError::EmptyList { key, needed });
    }
    let mut out = Vec::with_capacity(list.len());
    for (k, item) in list.iter().enumerate() {
        let pair = k + 1;
        let fields = item.as_object().ok_or_else(|| ArcError::NotAPair {
            split,
            pair,
            found: describe(item),
        })?;
        // Unknown keys are ignored: other ARC dumps add their own (e.g. ids or notes).
        let grid = |field: Field| -> Result<Option<Grid>, ArcError> {
            let name = match field {
                Field::Input => "input",
                Field::Output => "output",
            };
            match fields.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => grid_from_value(v)
                    .map(Some)
                    .map_err(|problem| ArcError::InPair {
                        place: Place { split, pair, field },
                        problem,
                    }),
            }
        };
        let missing = |field| ArcError::MissingGrid {
            place: Place { split, pair, field },
        };
        let input = grid(Field::Input)?.ok_or_else(|| missing(Field::Input))?;
        let output = grid(Field::Output)?;
        if output.is_none() && split == Split::Train {
            return Err(missing(Field::Output));
        }
        out.push(Pair { input, output });
    }
    Ok(out)
}

/// Parses an ARC task file: `{"train": [{"input": grid, "output": grid}, ...], "test": [...]}`.
/// Demonstration pairs need an output; test pairs may leave it out (or give `null`). Both lists
/// must be non-empty. Keys other than these are ignored.
pub fn parse_task(json: &str) -> Result<Task, ArcError> {
    let v = parse_json(json)?;
    let obj = v.as_object().ok_or_else(|| ArcError::NotATask {
        found: describe(&v),
    })?;
    let train = pairs_from(obj, "train", Split::Train)?;
    let test = pairs_from(obj, "test", Split::Test)?;
    Ok(Task { train, test })
}

/// Parses one grid given as JSON, e.g. `[[0, 1], [2, 3]]`.
pub fn parse_grid(json: &str) -> Result<Grid, ArcError> {
    let v = parse_json(json)?;
    Ok(grid_from_value(&v)?)
}

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
pub fn random_offset(rng: &mut impl FnMut() -> u64, grids: &[&Grid]) -> (usize, usize) {
    let h = grids.iter().map(|g| g.h.min(SIDE)).max().unwrap_or(0);
    let w = grids.iter().map(|g| g.w.min(SIDE)).max().unwrap_or(0);
    let r0 = below(rng, SIDE - h + 1);
    let c0 = below(rng, SIDE - w + 1);
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

// ---------------------------------------------------------------------------------------------
// Augmentation
// ---------------------------------------------------------------------------------------------

use crate::rng::below;

/// The eight symmetries of the square, in the reference's order: `id()` is its `trans_id`, and
/// the directions match numpy (`Rot90` is `np.rot90(k=1)`, a quarter turn counter-clockwise;
/// `FlipHorizontal` is `np.fliplr`, mirroring left and right). Getting these wrong would still
/// round-trip but would mislabel every augmented puzzle of a reference checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dihedral {
    #[default]
    Identity,
    /// Counter-clockwise quarter turn: the top row becomes the left column, read bottom-up.
    Rot90,
    Rot180,
    /// Clockwise quarter turn.
    Rot270,
    /// Left and right swap.
    FlipHorizontal,
    /// Top and bottom swap.
    FlipVertical,
    /// Mirror in the main diagonal: row r becomes column r.
    Transpose,
    /// Mirror in the other diagonal (`np.fliplr(np.rot90(a))`).
    AntiTranspose,
}

impl Dihedral {
    /// In reference order, so `ALL[d.id() as usize] == d`.
    pub const ALL: [Dihedral; 8] = [
        Dihedral::Identity,
        Dihedral::Rot90,
        Dihedral::Rot180,
        Dihedral::Rot270,
        Dihedral::FlipHorizontal,
        Dihedral::FlipVertical,
        Dihedral::Transpose,
        Dihedral::AntiTranspose,
    ];

    /// The reference's `trans_id`, 0..=7.
    pub fn id(self) -> u8 {
        self as u8
    }

    pub fn from_id(id: u8) -> Option<Dihedral> {
        Dihedral::ALL.get(id as usize).copied()
    }

    pub fn name(self) -> &'static str {
        match self {
            Dihedral::Identity => "identity",
            Dihedral::Rot90 => "rot90",
            Dihedral::Rot180 => "rot180",
            Dihedral::Rot270 => "rot270",
            Dihedral::FlipHorizontal => "flip-horizontal",
            Dihedral::FlipVertical => "flip-vertical",
            Dihedral::Transpose => "transpose",
            Dihedral::AntiTranspose => "anti-transpose",
        }
    }

    /// Only the quarter turns are not their own inverse.
    pub fn inverse(self) -> Dihedral {
        match self {
            Dihedral::Rot90 => Dihedral::Rot270,
            Dihedral::Rot270 => Dihedral::Rot90,
            other => other,
        }
    }

    /// True when an h x w grid comes out w x h.
    pub fn swaps_sides(self) -> bool {
        matches!(
            self,
            Dihedral::Rot90 | Dihedral::Rot270 | Dihedral::Transpose | Dihedral::AntiTranspose
        )
    }

    /// The input cell that output cell (`i`, `j`) copies, for an `h` x `w` input.
    pub fn source(self, i: usize, j: usize, h: usize, w: usize) -> (usize, usize) {
        match self {
            Dihedral::Identity => (i, j),
            Dihedral::Rot90 => (j, w - 1 - i),
            Dihedral::Rot180 => (h - 1 - i, w - 1 - j),
            Dihedral::Rot270 => (h - 1 - j, i),
            Dihedral::FlipHorizontal => (i, w - 1 - j),
            Dihedral::FlipVertical => (h - 1 - i, j),
            Dihedral::Transpose => (j, i),
            Dihedral::AntiTranspose => (h - 1 - j, w - 1 - i),
        }
    }

    /// The transformed grid. Works for any size; a hand-built grid whose `cells` do not hold
    /// `h * w` values is returned unchanged.
    pub fn apply(self, g: &Grid) -> Grid {
        // An empty hand-built grid could claim usize::MAX rows; there is nothing to move anyway.
        if !g.is_consistent() || g.cells.is_empty() || self == Dihedral::Identity {
            return g.clone();
        }
        let (h, w) = (g.h, g.w);
        let (oh, ow) = if self.swaps_sides() { (w, h) } else { (h, w) };
        let mut cells = Vec::with_capacity(g.cells.len());
        for i in 0..oh {
            for j in 0..ow {
                let (r, c) = self.source(i, j, h, w);
                cells.push(g.cells[r * w + c]);
            }
        }
        Grid {
            h: oh,
            w: ow,
            cells,
        }
    }
}

impl fmt::Display for Dihedral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A relabelling of colours: colour `c` becomes `self.0[c]`. A valid one is a permutation that
/// keeps 0 (black, usually the background) fixed, as in the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ColourPerm(pub [u8; COLOURS]);

impl ColourPerm {
    pub const IDENTITY: ColourPerm = ColourPerm([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    /// The map if it is valid, else None.
    pub fn new(map: [u8; COLOURS]) -> Option<ColourPerm> {
        let p = ColourPerm(map);
        p.is_valid().then_some(p)
    }

    pub fn is_valid(&self) -> bool {
        let mut sorted = self.0;
        sorted.sort_unstable();
        self.0[0] == 0 && sorted == ColourPerm::IDENTITY.0
    }

    /// 0 fixed, 1..=9 shuffled uniformly.
    pub fn random(rng: &mut impl FnMut() -> u64) -> ColourPerm {
        let mut map = ColourPerm::IDENTITY.0;
        for i in (2..COLOURS).rev() {
            // Fisher-Yates over indices 1..=i, leaving 0 alone.
            let j = 1 + below(rng, i);
            map.swap(i, j);
        }
        ColourPerm(map)
    }

    /// The relabelled grid. Cells outside 0..=9 (hand-built grids only) are left as they are.
    pub fn apply(&self, g: &Grid) -> Grid {
        Grid {
            h: g.h,
            w: g.w,
            cells: g
                .cells
                .iter()
                .map(|&c| self.0.get(c as usize).copied().unwrap_or(c))
                .collect(),
        }
    }

    /// The map undoing this one. For an invalid map the result is meaningless but well defined.
    pub fn inverse(&self) -> ColourPerm {
        let mut inv = [0u8; COLOURS];
        for (c, &to) in self.0.iter().enumerate() {
            inv[to as usize % COLOURS] = c as u8;
        }
        ColourPerm(inv)
    }
}

impl Default for ColourPerm {
    fn default() -> Self {
        ColourPerm::IDENTITY
    }
}

/// One augmentation of the reference: relabel colours, then apply a dihedral transform (the two
/// commute, so the order only matters for reading the code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Augmentation {
    pub dihedral: Dihedral,
    pub colours: ColourPerm,
}

impl Augmentation {
    pub const IDENTITY: Augmentation = Augmentation {
        dihedral: Dihedral::Identity,
        colours: ColourPerm::IDENTITY,
    };

    /// The eight dihedral transforms with colours unchanged, the usual test-time set.
    pub fn all_dihedral() -> [Augmentation; 8] {
        Dihedral::ALL.map(|dihedral| Augmentation {
            dihedral,
            colours: ColourPerm::IDENTITY,
        })
    }

    /// A uniform dihedral transform and colour permutation, as the reference draws them.
    pub fn random(rng: &mut impl FnMut() -> u64) -> Augmentation {
        let dihedral = Dihedral::ALL[below(rng, 8)];
        Augmentation {
            dihedral,
            colours: ColourPerm::random(rng),
        }
    }

    pub fn is_identity(&self) -> bool {
        *self == Augmentation::IDENTITY
    }

    pub fn apply(&self, g: &Grid) -> Grid {
        self.dihedral.apply(&self.colours.apply(g))
    }

    /// The augmentation undoing this one: `a.inverse().apply(&a.apply(g)) == g`.
    pub fn inverse(&self) -> Augmentation {
        Augmentation {
            dihedral: self.dihedral.inverse(),
            colours: self.colours.inverse(),
        }
    }

    /// The reference's name for `task` under this augmentation, which is how a reference
    /// checkpoint's `identifiers.json` finds the puzzle-embedding row:
    /// `{task}|||t{dihedral id}|||{colour map digits}`, and the bare task id for the identity.
    pub fn puzzle_name(&self, task: &str) -> String {
        if self.is_identity() {
            return task.to_string();
        }
        let digits: String = self.colours.0.iter().map(|c| c.to_string()).collect();
        format!(
            "{task}{sep}t{}{sep}{digits}",
            self.dihedral.id(),
            sep = PUZZLE_ID_SEPARATOR
        )
    }

    /// Splits a reference puzzle name into the task id and its augmentation; a name without the
    /// separator is the un-augmented task. None when the suffix is malformed.
    pub fn from_puzzle_name(name: &str) -> Option<(&str, Augmentation)> {
        let parts: Vec<&str> = name.split(PUZZLE_ID_SEPARATOR).collect();
        match parts.as_slice() {
            [task] => Some((task, Augmentation::IDENTITY)),
            [task, trans, map] => {
                let id: u8 = trans.strip_prefix('t')?.parse().ok()?;
                let dihedral = Dihedral::from_id(id)?;
                if map.len() != COLOURS {
                    return None;
                }
                let mut colours = [0u8; COLOURS];
                for (slot, ch) in colours.iter_mut().zip(map.chars()) {
                    *slot = ch.to_digit(10)? as u8;
                }
                Some((
                    task,
                    Augmentation {
                        dihedral,
                        colours: ColourPerm::new(colours)?,
                    },
                ))
            }
            _ => None,
        }
    }
}

/// The augmentations a task's test input runs under at evaluation, each with the puzzle-table
/// row it uses, identity first. A model trained the reference's way has a row for every
/// (task, augmentation) it saw, so those are taken, in table order, up to `k`. A model without
/// rows for the task (or without a puzzle table) runs the eight dihedral transforms and then
/// seeded random colour permutations, all on row 0, the reference's blank puzzle.
pub fn test_plan(rows: Option<&[String]>, task: &str, k: usize, seed: u64) -> Vec<(Augmentation, u32)> {
    let mut plan: Vec<(Augmentation, u32)> = rows
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(i, name)| match Augmentation::from_puzzle_name(name) {
            Some((t, aug)) if t == task => Some((aug, i as u32)),
            _ => None,
        })
        .collect();
    // Stable: identity first, the rest keep table order.
    plan.sort_by_key(|(aug, _)| !aug.is_identity());
    if plan.is_empty() {
        let mut rng = crate::rng::Rng::new(seed ^ task.bytes().fold(0u64, |h, b| h.wrapping_mul(131).wrapping_add(b as u64)));
        let mut next = || rng.next_u64();
        plan.extend(Augmentation::all_dihedral().into_iter().map(|a| (a, 0)));
        // Distinct draws only; the cap keeps a k beyond the 8 x 9! augmentations finite.
        let mut tries = 0;
        while plan.len() < k && tries < 64 * k {
            let a = Augmentation::random(&mut next);
            if !plan.iter().any(|(b, _)| *b == a) {
                plan.push((a, 0));
            }
            tries += 1;
        }
    }
    plan.truncate(k.max(1));
    plan
}

// ---------------------------------------------------------------------------------------------
// Voting
// ---------------------------------------------------------------------------------------------

/// Ranks candidate answers as the reference does (see [`super::vote`]): by how many
/// augmentations produced the answer, then by mean confidence. Returns `(answer, count, mean
/// confidence)`.
pub fn vote(candidates: &[(Grid, f32)]) -> Vec<(Grid, usize, f32)> {
    super::vote(candidates)
}

/// True when one of the first `k` answers equals `truth` (size included). ARC's official score
/// is pass@2.
pub fn pass_at_k(ranked: &[Grid], truth: &Grid, k: usize) -> bool {
    ranked.iter().take(k).any(|g| g == truth)
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// The crate's generator, seeded, as the closure the random functions take.
    fn rng(seed: u64) -> impl FnMut() -> u64 {
        let mut r = crate::rng::Rng::new(seed);
        move || r.next_u64()
    }

    fn random_grid(next: &mut impl FnMut() -> u64, h: usize, w: usize) -> Grid {
        let cells = (0..h * w).map(|_| below(next, COLOURS) as u8).collect();
        Grid::new(h, w, cells).unwrap()
    }

    fn grid(rows: &[&[u8]]) -> Grid {
        Grid::from_rows(&rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>()).unwrap()
    }

    /// The repository's copy of the data set (see data/README.md).
    fn arc_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/arc-agi-1")
    }

    #[test]
    fn encode_layout_matches_the_spec() {
        let g = grid(&[&[0, 1, 2], &[3, 4, 5]]);
        let t = encode(&g, SIDE);
        assert_eq!(&t[0..4], &[2, 3, 4, EOS_TOKEN]);
        assert_eq!(&t[30..34], &[5, 6, 7, EOS_TOKEN]);
        // EOS row under the grid, corner PAD.
        assert_eq!(&t[60..64], &[EOS_TOKEN, EOS_TOKEN, EOS_TOKEN, PAD_TOKEN]);
        assert_eq!(t.iter().filter(|&&x| x == EOS_TOKEN).count(), 5);
        assert_eq!(t.iter().filter(|&&x| x == PAD_TOKEN).count(), 900 - 6 - 5);

        // A full-width grid has no EOS column, a full-height one no EOS row.
        let wide = Grid::new(2, 30, vec![9; 60]).unwrap();
        let t = encode(&wide, SIDE);
        assert!(t[..60].iter().all(|&x| x == 11));
        assert!(t[60..90].iter().all(|&x| x == EOS_TOKEN));
        assert!(t[90..].iter().all(|&x| x == PAD_TOKEN));
        let full = Grid::new(30, 30, vec![0; 900]).unwrap();
        assert!(encode(&full, SIDE).iter().all(|&x| x == 2));

        let at = encode_at(&g, 27, 26).unwrap();
        assert_eq!(&at[27 * 30 + 26..27 * 30 + 30], &[2, 3, 4, EOS_TOKEN]);
        assert_eq!(
            &at[29 * 30 + 26..],
            &[EOS_TOKEN, EOS_TOKEN, EOS_TOKEN, PAD_TOKEN]
        );
        assert_eq!(
            encode_at(&g, 29, 0),
            Err(ArcError::DoesNotFit {
                h: 2,
                w: 3,
                r0: 29,
                c0: 0
            })
        );
        assert!(encode_at(&g, usize::MAX, 0).is_err());
        assert!(encode_at(&g, 0, 28).is_err());
        assert!(encode_at(&g, 28, 27).is_ok());
        assert_eq!(
            encode_at(&Grid::default(), 0, 0),
            Err(ArcError::Grid(GridProblem::Height { h: 0 }))
        );
    }

    #[test]
    fn random_offsets_fit_every_grid() {
        let mut next = rng(6);
        let big = Grid::new(30, 30, vec![0; 900]).unwrap();
        let small = Grid::new(3, 28, vec![0; 84]).unwrap();
        let tall = Grid::new(25, 1, vec![0; 25]).unwrap();
        assert_eq!(random_offset(&mut next, &[&small, &big]), (0, 0));
        let mut seen = std::collections::HashSet::new();
        for _ in 0..2000 {
            let (r0, c0) = random_offset(&mut next, &[&small, &tall]);
            assert!(r0 <= 5 && c0 <= 2, "({r0}, {c0})");
            assert!(encode_at(&small, r0, c0).is_ok() && encode_at(&tall, r0, c0).is_ok());
            seen.insert((r0, c0));
        }
        assert_eq!(seen.len(), 6 * 3);
        let (r0, c0) = random_offset(&mut next, &[]);
        assert!(r0 <= SIDE && c0 <= SIDE);
    }

    #[test]
    fn a_smaller_canvas_round_trips_every_grid_that_fits_and_frames_it_the_same() {
        let mut next = rng(4);
        for side in [10, 12] {
            for h in 1..=side {
                for w in 1..=side {
                    let g = random_grid(&mut next, h, w);
                    let small = encode(&g, side);
                    assert_eq!(small.len(), side * side);
                    assert_eq!(decode(&small).as_ref(), Some(&g), "{h}x{w} on {side}x{side}");
                    // The same picture as the 30x30 canvas's top-left corner, where the grid
                    // does not reach the canvas's edge (there the frame falls off).
                    let full = encode(&g, SIDE);
                    for r in 0..side {
                        for c in 0..side {
                            assert_eq!(small[r * side + c], full[r * SIDE + c], "{h}x{w} at ({r},{c})");
                        }
                    }
                }
            }
        }
        assert_eq!(canvas_side(100), Some(10));
        assert_eq!(canvas_side(99), None);
        assert_eq!(canvas_side(31 * 31), None);
    }

    #[test]
    fn codec_round_trips_every_size() {
        let mut next = rng(1);
        for h in 1..=SIDE {
            for w in 1..=SIDE {
                let g = random_grid(&mut next, h, w);
                let t = encode(&g, SIDE);
                assert_eq!(decode(&t).as_ref(), Some(&g), "{h}x{w}");
                let eos = usize::from(h < SIDE) * w + usize::from(w < SIDE) * h;
                assert_eq!(t.iter().filter(|&&x| x == EOS_TOKEN).count(), eos);

                // A translated copy is the same picture shifted, PAD where it came from.
                let (r0, c0) = random_offset(&mut next, &[&g]);
                let at = encode_at(&g, r0, c0).unwrap();
                for r in 0..SIDE {
                    for c in 0..SIDE {
                        let expected = if r >= r0 && c >= c0 {
                            t[(r - r0) * SIDE + c - c0]
                        } else {
                            PAD_TOKEN
                        };
                        assert_eq!(at[r * SIDE + c], expected, "{h}x{w} at ({r0},{c0})");
                    }
                }
            }
        }
    }

    #[test]
    fn augmented_codec_round_trips() {
        let mut next = rng(2);
        for k in 0..400 {
            let (h, w) = if k < 30 {
                (k + 1, k + 1)
            } else {
                (1 + below(&mut next, SIDE), 1 + below(&mut next, SIDE))
            };
            let g = random_grid(&mut next, h, w);
            for dihedral in Dihedral::ALL {
                let aug = Augmentation {
                    dihedral,
                    colours: ColourPerm::random(&mut next),
                };
                let seen = aug.apply(&g);
                assert!(seen.is_valid());
                let back = decode(&encode(&seen, SIDE)).map(|x| aug.inverse().apply(&x));
                assert_eq!(back.as_ref(), Some(&g), "{h}x{w} {aug:?}");
            }
        }
    }

    #[test]
    fn dihedral_transforms_match_numpy() {
        // 2x3 with distinct values separates all eight transforms.
        let g = grid(&[&[1, 2, 3], &[4, 5, 6]]);
        let expected: [&[&[u8]]; 8] = [
            &[&[1, 2, 3], &[4, 5, 6]],
            &[&[3, 6], &[2, 5], &[1, 4]], // np.rot90(a)
            &[&[6, 5, 4], &[3, 2, 1]],
            &[&[4, 1], &[5, 2], &[6, 3]], // np.rot90(a, 3)
            &[&[3, 2, 1], &[6, 5, 4]],    // np.fliplr
            &[&[4, 5, 6], &[1, 2, 3]],    // np.flipud
            &[&[1, 4], &[2, 5], &[3, 6]], // a.T
            &[&[6, 3], &[5, 2], &[4, 1]], // np.fliplr(np.rot90(a))
        ];
        for (d, rows) in Dihedral::ALL.into_iter().zip(expected) {
            assert_eq!(d.apply(&g), grid(rows), "{d}");
            assert_eq!(Dihedral::from_id(d.id()), Some(d));
            assert_eq!(Dihedral::ALL[d.id() as usize], d);
        }
        assert_eq!(Dihedral::from_id(8), None);
        // The reference's DIHEDRAL_INVERSE table.
        let inverse_ids: Vec<u8> = Dihedral::ALL.iter().map(|d| d.inverse().id()).collect();
        assert_eq!(inverse_ids, [0, 3, 2, 1, 4, 5, 6, 7]);

        let r90 = |x: &Grid| Dihedral::Rot90.apply(x);
        assert_eq!(r90(&r90(&g)), Dihedral::Rot180.apply(&g));
        assert_eq!(r90(&r90(&r90(&g))), Dihedral::Rot270.apply(&g));
        assert_eq!(r90(&r90(&r90(&r90(&g)))), g);
    }

    #[test]
    fn inverses_undo_transforms_and_permutations() {
        let mut next = rng(3);
        for _ in 0..50 {
            let (h, w) = (1 + below(&mut next, SIDE), 1 + below(&mut next, SIDE));
            let g = random_grid(&mut next, h, w);
            for d in Dihedral::ALL {
                assert_eq!(d.inverse().apply(&d.apply(&g)), g, "{d}");
                assert_eq!(d.apply(&d.inverse().apply(&g)), g, "{d}");
                let out = d.apply(&g);
                assert_eq!(
                    (out.h, out.w),
                    if d.swaps_sides() { (w, h) } else { (h, w) }
                );
            }
            let p = ColourPerm::random(&mut next);
            assert!(p.is_valid() && p.inverse().is_valid());
            assert_eq!(p.0[0], 0);
            assert_eq!(p.inverse().apply(&p.apply(&g)), g);
            let a = Augmentation::random(&mut next);
            assert_eq!(a.inverse().apply(&a.apply(&g)), g);
            assert_eq!(a.apply(&a.inverse().apply(&g)), g);
            // Black stays black.
            let zeros = g.cells.iter().filter(|&&c| c == 0).count();
            assert_eq!(a.apply(&g).cells.iter().filter(|&&c| c == 0).count(), zeros);
        }
        let all = Augmentation::all_dihedral();
        assert_eq!(all.map(|a| a.dihedral), Dihedral::ALL);
        assert!(all.iter().all(|a| a.colours == ColourPerm::IDENTITY));
        assert!(all[0].is_identity() && !all[1].is_identity());

        // Random permutations reach every colour in every slot.
        let mut seen = [[false; COLOURS]; COLOURS];
        for _ in 0..2000 {
            let p = ColourPerm::random(&mut next);
            for (c, &to) in p.0.iter().enumerate() {
                seen[c][to as usize] = true;
            }
        }
        for (c, targets) in seen.iter().enumerate().skip(1) {
            assert!(targets[1..].iter().all(|&hit| hit), "colour {c}");
        }
        assert!(ColourPerm::new([1, 0, 2, 3, 4, 5, 6, 7, 8, 9]).is_none());
        assert!(ColourPerm::new([0, 1, 1, 3, 4, 5, 6, 7, 8, 9]).is_none());
        assert!(ColourPerm::new([0, 2, 1, 3, 4, 5, 6, 7, 8, 9]).is_some());
    }

    #[test]
    fn hand_built_grids_do_not_panic() {
        let odd = [
            Grid::default(),
            Grid {
                h: 3,
                w: 4,
                cells: vec![1, 2],
            },
            Grid {
                h: usize::MAX,
                w: 2,
                cells: vec![0; 8],
            },
            Grid {
                h: usize::MAX,
                w: 0,
                cells: vec![],
            },
            Grid {
                h: 40,
                w: 40,
                cells: vec![200; 1600],
            },
        ];
        let wild = ColourPerm([9, 200, 3, 3, 4, 5, 6, 7, 8, 255]);
        for g in &odd {
            let t = encode(g, SIDE);
            assert!(t.iter().all(|&x| (x as usize) < VOCAB_SIZE));
            let _ = decode(&t);
            for d in Dihedral::ALL {
                let _ = d.apply(g);
            }
            let _ = wild.apply(g);
            let _ = wild.inverse().apply(g);
            let _ = format!("{g:?}");
            let _ = serde_json::to_string(g);
            let _ = g.get(usize::MAX, usize::MAX);
        }
        assert!(!wild.is_valid());
        assert_eq!(
            odd[1].check(),
            Err(GridProblem::CellCount { h: 3, w: 4, len: 2 })
        );
        assert_eq!(odd[4].check(), Err(GridProblem::Height { h: 40 }));
        let mut bad = Grid::new(2, 2, vec![0; 4]).unwrap();
        bad.cells[3] = 10;
        assert_eq!(
            bad.check().unwrap_err().to_string(),
            "cell (row 2, column 2) holds 10; colours are 0..9"
        );
    }

    fn canvas(rows: &[(usize, &[u32])]) -> Vec<u32> {
        let mut t = vec![PAD_TOKEN; SEQ_LEN];
        for &(r, row) in rows {
            t[r * SIDE..r * SIDE + row.len()].copy_from_slice(row);
        }
        t
    }

    #[test]
    fn decode_follows_the_reference_crop() {
        assert_eq!(decode(&[PAD_TOKEN; SEQ_LEN]), None);
        assert_eq!(decode(&canvas(&[(0, &[EOS_TOKEN, 2, 3])])), None);
        assert_eq!(decode(&canvas(&[(0, &[12, 2, 3])])), None);
        assert_eq!(decode(&[2; 899]), None);
        assert_eq!(decode(&[]), None);

        // No frame at all: the whole canvas.
        assert_eq!(
            decode(&[5; SEQ_LEN]),
            Some(Grid::new(30, 30, vec![3; 900]).unwrap())
        );

        // The first row's run sets the width; a longer later row does not widen it.
        let t = canvas(&[(0, &[2, 3, 1]), (1, &[4, 5, 6, 7]), (2, &[1, 1])]);
        assert_eq!(decode(&t), Some(grid(&[&[0, 1], &[2, 3]])));

        // Rows narrower than the width shrink it; the largest area wins: 2x5 = 10 beats 3x2 = 6.
        let t = canvas(&[
            (0, &[2, 2, 2, 2, 2, 1]),
            (1, &[3, 3, 3, 3, 3, 0]),
            (2, &[4, 4, 0]),
        ]);
        assert_eq!(decode(&t).map(|g| (g.h, g.w)), Some((2, 5)));

        // ...even when that means a taller, narrower rectangle: 10x1 beats 1x3.
        let mut rows: Vec<(usize, &[u32])> = vec![(0, &[2, 3, 4, 0])];
        rows.extend((1..10).map(|r| (r, &[5u32, 0][..])));
        assert_eq!(decode(&canvas(&rows)).map(|g| (g.h, g.w)), Some((10, 1)));

        // Equal areas keep the earlier (shorter) rectangle: 1x2 and 2x1.
        let t = canvas(&[(0, &[2, 3, 0]), (1, &[4, 0])]);
        assert_eq!(decode(&t), Some(grid(&[&[0, 1]])));

        // Out-of-vocabulary tokens end a run like PAD does.
        let t = canvas(&[(0, &[11, 11, u32::MAX]), (1, &[11, 11, 11])]);
        assert_eq!(decode(&t), Some(grid(&[&[9, 9], &[9, 9]])));
    }

    #[test]
    fn vote_ranks_by_count_then_mean_confidence() {
        let a = grid(&[&[1]]);
        let b = grid(&[&[2]]);
        let c = grid(&[&[3]]);
        let d = grid(&[&[1, 1]]); // same colour as `a`, other size: a different answer
        let ranked = vote(&[
            (c.clone(), 0.99),
            (a.clone(), 0.9),
            (b.clone(), 0.2),
            (b.clone(), 0.4),
            (a.clone(), 0.1),
            (d.clone(), 0.5),
            (b.clone(), 0.0),
        ]);
        let summary: Vec<(Grid, usize)> = ranked.iter().map(|(g, n, _)| (g.clone(), *n)).collect();
        assert_eq!(
            summary,
            vec![
                (b.clone(), 3),
                (a.clone(), 2),
                (c.clone(), 1),
                (d.clone(), 1)
            ]
        );
        assert!((ranked[0].2 - 0.2).abs() < 1e-6);
        assert!((ranked[1].2 - 0.5).abs() < 1e-6);
        assert!((ranked[2].2 - 0.99).abs() < 1e-6);

        // Equal counts: the higher mean wins, whatever the order of arrival.
        let ranked = vote(&[
            (a.clone(), 0.3),
            (b.clone(), 0.6),
            (a.clone(), 0.5),
            (b.clone(), 0.6),
        ]);
        assert_eq!(ranked[0].0, b);
        assert_eq!(ranked[1].0, a);
        // Fully tied answers keep their first-seen order; NaN confidence ranks last.
        let ranked = vote(&[(c.clone(), 0.5), (a.clone(), 0.5), (b.clone(), f32::NAN)]);
        let order: Vec<Grid> = ranked.into_iter().map(|(g, _, _)| g).collect();
        assert_eq!(order, vec![c.clone(), a.clone(), b.clone()]);
        assert!(vote(&[]).is_empty());
    }

    #[test]
    fn pass_at_k_counts_the_first_k() {
        let (a, b, c) = (grid(&[&[1]]), grid(&[&[2]]), grid(&[&[3]]));
        let ranked = vec![a.clone(), b.clone(), c.clone()];
        assert!(pass_at_k(&ranked, &a, 1));
        assert!(!pass_at_k(&ranked, &b, 1));
        assert!(pass_at_k(&ranked, &b, 2));
        assert!(!pass_at_k(&ranked, &c, 2));
        assert!(pass_at_k(&ranked, &c, 99));
        assert!(!pass_at_k(&ranked, &a, 0));
        assert!(!pass_at_k(&[], &a, 2));
        assert!(!pass_at_k(&ranked, &grid(&[&[1, 1]]), 3));
    }

    #[test]
    fn puzzle_names_follow_the_reference() {
        let a = Augmentation {
            dihedral: Dihedral::Rot270,
            colours: ColourPerm([0, 3, 1, 2, 4, 5, 6, 9, 8, 7]),
        };
        let name = a.puzzle_name("007bbfb7");
        assert_eq!(name, "007bbfb7|||t3|||0312456987");
        assert_eq!(Augmentation::from_puzzle_name(&name), Some(("007bbfb7", a)));
        assert_eq!(Augmentation::IDENTITY.puzzle_name("abc"), "abc");
        assert_eq!(
            Augmentation::from_puzzle_name("abc"),
            Some(("abc", Augmentation::IDENTITY))
        );
        for bad in [
            "abc|||t8|||0123456789",
            "abc|||3|||0123456789",
            "abc|||t3|||012345678",
            "abc|||t3|||1023456789",
            "abc|||t3|||01234567x9",
            "abc|||t3",
            "a|||t1|||0123456789|||x",
        ] {
            assert_eq!(Augmentation::from_puzzle_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn parse_reads_tasks_and_writes_them_back() {
        let text = r#"{"train": [{"input": [[0, 1], [2, 3]], "output": [[3]]}],
                       "test": [{"input": [[5]]}, {"input": [[6, 7]], "output": null}],
                       "name": "ignored"}"#;
        let task = parse_task(text).unwrap();
        assert_eq!(task.train.len(), 1);
        assert_eq!(task.train[0].input, grid(&[&[0, 1], &[2, 3]]));
        assert_eq!(task.train[0].output, Some(grid(&[&[3]])));
        assert_eq!(task.test[0].output, None);
        assert_eq!(task.test[1].input.w, 2);
        let json = serde_json::to_string(&task).unwrap();
        assert_eq!(
            json,
            r#"{"train":[{"input":[[0,1],[2,3]],"output":[[3]]}],"test":[{"input":[[5]]},{"input":[[6,7]]}]}"#
        );
        assert_eq!(parse_task(&json), Ok(task));
        assert_eq!(
            parse_task(&format!("\u{feff}{json}")).map(|t| t.test.len()),
            Ok(2)
        );
        assert_eq!(parse_grid("[[1, 2, 3]]"), Ok(grid(&[&[1, 2, 3]])));
    }

    fn err(json: &str) -> String {
        parse_task(json).unwrap_err().to_string()
    }

    #[test]
    fn parse_errors_say_where() {
        let ok_pair = r#"{"input": [[1]], "output": [[1]]}"#;
        let task = |train: &str, test: &str| format!(r#"{{"train": [{train}], "test": [{test}]}}"#);

        assert_eq!(parse_task(""), Err(ArcError::Empty));
        assert_eq!(parse_task(" \n"), Err(ArcError::Empty));
        let e = parse_task("{\"train\": [\n  1,\n  2,,\n]}").unwrap_err();
        assert!(
            matches!(
                &e,
                ArcError::Json {
                    line: 3,
                    column: 5,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "not valid JSON: expected value (line 3, column 5)"
        );
        assert_eq!(
            err("[1, 2]"),
            "an ARC task must be a JSON object {\"train\": [...], \"test\": [...]}, not a list"
        );
        assert_eq!(
            err(r#"{"test": []}"#),
            "the task has no \"train\" list of pairs"
        );
        assert_eq!(
            err(&format!(r#"{{"train": [{ok_pair}]}}"#)),
            "the task has no \"test\" list of pairs"
        );
        assert_eq!(
            err(r#"{"train": {"a": 1}, "test": []}"#),
            "\"train\" must be a list of pairs, not an object"
        );
        assert_eq!(
            err(&format!(r#"{{"train": [], "test": [{ok_pair}]}}"#)),
            "\"train\" is empty: a task needs at least one demonstration pair"
        );
        assert_eq!(
            err(&format!(r#"{{"train": [{ok_pair}], "test": []}}"#)),
            "\"test\" is empty: a task needs at least one test input"
        );
        assert_eq!(
            err(&task(ok_pair, "7")),
            "test pair 1 must be an object with \"input\" and \"output\" grids, not 7"
        );
        assert_eq!(
            err(&task(&format!(r#"{ok_pair}, {{"input": [[1]]}}"#), ok_pair)),
            "train pair 2 has no \"output\" grid"
        );
        assert_eq!(
            err(&task(ok_pair, r#"{"output": [[1]]}"#)),
            "test pair 1 has no \"input\" grid"
        );
        assert_eq!(
            err(&task(
                &format!(
                    r#"{ok_pair}, {{"input": [[1]], "output": [[1,1,1,1],[1,1,1,1],[1,1,1,1,1]]}}"#
                ),
                ok_pair
            )),
            "train pair 2, output: row 3 has 5 cells but row 1 has 4"
        );
        assert_eq!(
            err(&task(
                ok_pair,
                r#"{"input": [[0,0,0,0,0,0,0],[0,0,0,0,0,0,12]]}"#
            )),
            "test pair 1, input: cell (row 2, column 7) holds 12; colours are 0..9"
        );
        assert_eq!(
            err(&task(ok_pair, r#"{"input": [[0, -1]]}"#)),
            "test pair 1, input: cell (row 1, column 2) holds -1; colours are 0..9"
        );
        assert_eq!(
            err(&task(ok_pair, r#"{"input": [[0, 1.5]]}"#)),
            "test pair 1, input: cell (row 1, column 2) holds 1.5; colours are 0..9"
        );
        assert_eq!(
            err(&task(ok_pair, r#"{"input": [["3"]]}"#)),
            "test pair 1, input: cell (row 1, column 1) holds \"3\"; colours are 0..9"
        );
        assert_eq!(
            err(&task(ok_pair, r#"{"input": [[[1]]]}"#)),
            "test pair 1, input: cell (row 1, column 1) holds a list; colours are 0..9"
        );
        assert_eq!(
            err(&task(ok_pair, r#"{"input": [[1], 2]}"#)),
            "test pair 1, input: row 2 must be a list of colours 0..9, not 2"
        );
        assert_eq!(
            err(&task(ok_pair, r#"{"input": "[[1]]"}"#)),
            "test pair 1, input: a grid must be a list of rows, each a list of colours 0..9, not \"[[1]]\""
        );
        assert_eq!(
            err(&task(ok_pair, r#"{"input": []}"#)),
            "test pair 1, input: the grid is 0 rows high; ARC grids are 1..30 per side"
        );
        assert_eq!(
            err(&task(ok_pair, r#"{"input": [[]]}"#)),
            "test pair 1, input: the grid is 0 columns wide; ARC grids are 1..30 per side"
        );
        let tall = format!(r#"{{"input": [{}]}}"#, vec!["[0]"; 31].join(","));
        assert_eq!(
            err(&task(ok_pair, &tall)),
            "test pair 1, input: the grid is 31 rows high; ARC grids are 1..30 per side"
        );
        let wide = format!(
            r#"{{"input": [[{}]], "output": [[0]]}}"#,
            vec!["0"; 31].join(",")
        );
        assert_eq!(
            err(&task(&wide, ok_pair)),
            "train pair 1, input: the grid is 31 columns wide; ARC grids are 1..30 per side"
        );
        let edge = format!(
            r#"{{"input": [{}]}}"#,
            vec![format!("[{}]", vec!["9"; 30].join(",")); 30].join(",")
        );
        assert_eq!(
            parse_task(&task(ok_pair, &edge)).unwrap().test[0]
                .input
                .cells
                .len(),
            900
        );

        assert_eq!(
            parse_task(&task(ok_pair, r#"{"input": [[1, 2], [3]]}"#)),
            Err(ArcError::InPair {
                place: Place {
                    split: Split::Test,
                    pair: 1,
                    field: Field::Input
                },
                problem: GridProblem::Ragged {
                    row: 2,
                    len: 1,
                    expected: 2
                }
            })
        );
        assert_eq!(
            parse_grid("[[1], [1, 2]]").unwrap_err().to_string(),
            "row 2 has 2 cells but row 1 has 1"
        );
        assert!(matches!(parse_grid("[[1]"), Err(ArcError::Json { .. })));
    }

    #[test]
    fn nothing_panics_on_mangled_json() {
        let base = r#"{"train": [{"input": [[0, 1], [2, 3]], "output": [[3, 2, 1]]}], "test": [{"input": [[5, 9, 0]]}]}"#;
        let junk: Vec<char> = "[]{},:\"0123456789-.e truefalsnul\u{feff}é"
            .chars()
            .collect();
        let mut next = rng(4);
        for _ in 0..3000 {
            let mut chars: Vec<char> = base.chars().collect();
            for _ in 0..1 + below(&mut next, 4) {
                let i = below(&mut next, chars.len() + 1);
                match below(&mut next, 3) {
                    0 if i < chars.len() => {
                        chars.remove(i);
                    }
                    1 if i < chars.len() => chars[i] = junk[below(&mut next, junk.len())],
                    _ => chars.insert(i, junk[below(&mut next, junk.len())]),
                }
            }
            let text: String = chars.into_iter().collect();
            match parse_task(&text) {
                Ok(task) => {
                    for pair in task.train.iter().chain(&task.test) {
                        assert!(pair.input.is_valid());
                        assert_eq!(decode(&encode(&pair.input, SIDE)).as_ref(), Some(&pair.input));
                    }
                }
                Err(e) => assert!(!e.to_string().is_empty()),
            }
            let _ = parse_grid(&text);
        }
        // Deep nesting stays within serde_json's recursion limit instead of overflowing the stack.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_task(&deep).is_err());
        assert!(parse_grid(&deep).is_err());
    }

    #[test]
    fn all_arc_agi_1_tasks_parse_and_round_trip() {
        let root = arc_dir();
        let mut next = rng(5);
        // (tasks, demonstration pairs, test pairs) as listed in the data's README.
        for (split, expected) in [
            ("training", (400, 1302, 416)),
            ("evaluation", (400, 1363, 419)),
        ] {
            let dir = root.join(split);
            let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
                panic!(
                    "{}: {e}",
                    dir.display()
                )
            });
            let mut paths: Vec<PathBuf> = entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            paths.sort();
            let (mut tasks, mut demos, mut tests) = (0, 0, 0);
            for path in &paths {
                let text = std::fs::read_to_string(path).unwrap();
                let task = parse_task(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                tasks += 1;
                demos += task.train.len();
                tests += task.test.len();
                for pair in task.train.iter().chain(&task.test) {
                    let output = pair
                        .output
                        .as_ref()
                        .expect("every shared test pair has an output");
                    for g in [&pair.input, output] {
                        assert!(g.is_valid());
                        let aug = Augmentation {
                            dihedral: Dihedral::ALL[below(&mut next, 8)],
                            colours: ColourPerm::random(&mut next),
                        };
                        let back = decode(&encode(&aug.apply(g), SIDE)).map(|x| aug.inverse().apply(&x));
                        assert_eq!(back.as_ref(), Some(g), "{}", path.display());
                    }
                }
                // Writing a task back gives the same task.
                assert_eq!(
                    parse_task(&serde_json::to_string(&task).unwrap()).as_ref(),
                    Ok(&task)
                );
            }
            assert_eq!((tasks, demos, tests), expected, "{split}");
        }
    }
}
