//! Sudoku: parsing, validation, an exact solver, a puzzle generator, validity-preserving
//! augmentations and the token encoding the model reads and writes.
//!
//! This is plain CPU code with no dependencies beyond `thiserror`, so it behaves the same
//! natively and in wasm32 (the generator's PRNG is internal and seeded, so no `getrandom`).
//! Every text entry point returns a [`SudokuError`] whose message says what to fix; nothing
//! here panics on user input.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

/// Cells in a grid.
pub const CELLS: usize = 81;
/// Token for padding. The model never sees it in a Sudoku, but a raw answer may contain it.
pub const PAD_TOKEN: u32 = 0;
/// Token for a blank cell; digit `d` is token `d + 1`.
pub const BLANK_TOKEN: u32 = 1;
/// PAD, blank and the nine digits.
pub const VOCAB_SIZE: usize = 11;

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

// ---------------------------------------------------------------------------------------------
// Parsing and validation
// ---------------------------------------------------------------------------------------------

/// Parses 81 cells given as digits 1-9 with '.' or '0' for blanks. All whitespace is ignored,
/// so one line of 81 and nine lines of nine (or any other layout) both work.
pub fn parse(text: &str) -> Result<Grid, SudokuError> {
    let mut cells = [0u8; CELLS];
    let mut n = 0usize;
    for ch in text.chars() {
        // A byte-order mark is invisible in editors, so treat it like whitespace.
        if ch.is_whitespace() || ch == '\u{feff}' {
            continue;
        }
        let value = match ch {
            '.' | '0' => 0,
            '1'..='9' => ch as u8 - b'0',
            _ if n < CELLS => {
                return Err(SudokuError::BadChar {
                    ch,
                    index: n,
                    row: n / 9 + 1,
                    col: n % 9 + 1,
                });
            }
            // Past the 81st cell the real problem is the length, which the count below reports.
            _ => 0,
        };
        if n < CELLS {
            cells[n] = value;
        }
        n += 1;
    }
    match n {
        0 => Err(SudokuError::Empty),
        CELLS => Ok(Grid { cells }),
        found => Err(SudokuError::WrongLength { found }),
    }
}

const fn row_of(i: usize) -> usize {
    i / 9
}
const fn col_of(i: usize) -> usize {
    i % 9
}
const fn box_of(i: usize) -> usize {
    (i / 27) * 3 + (i % 9) / 3
}

/// The unit two distinct cells share, preferring row, then column, then box.
fn shared_unit(i: usize, j: usize) -> Option<Unit> {
    if row_of(i) == row_of(j) {
        Some(Unit::Row)
    } else if col_of(i) == col_of(j) {
        Some(Unit::Column)
    } else if box_of(i) == box_of(j) {
        Some(Unit::Box)
    } else {
        None
    }
}

const fn rc(i: usize) -> (usize, usize) {
    (row_of(i) + 1, col_of(i) + 1)
}

/// Every pair `(i, j)`, `i < j`, of cells holding the same digit in a shared row, column or
/// box. Works on partial and full grids alike, so it can mark rule breaks in a model's answer.
pub fn clashes(g: &Grid) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..CELLS {
        let d = g.cells[i];
        if !(1..=9).contains(&d) {
            continue;
        }
        for j in i + 1..CELLS {
            if g.cells[j] == d && shared_unit(i, j).is_some() {
                out.push((i, j));
            }
        }
    }
    out
}

/// Checks that every cell holds 0..=9 and no digit repeats in a row, column or box.
/// Reports the first problem in reading order. Does not check solvability (see [`solve_unique`]).
pub fn validate(g: &Grid) -> Result<(), SudokuError> {
    if let Some(index) = g.cells.iter().position(|&v| v > 9) {
        let (row, col) = rc(index);
        return Err(SudokuError::BadValue {
            index,
            row,
            col,
            value: g.cells[index],
        });
    }
    if let Some(&(i, j)) = clashes(g).first() {
        return Err(SudokuError::Clash {
            digit: g.cells[i],
            a: rc(i),
            b: rc(j),
            unit: shared_unit(i, j).unwrap_or(Unit::Box),
        });
    }
    Ok(())
}

/// Checks that `answer` is a complete, clash-free grid that keeps every given of `puzzle`.
/// This accepts any valid completion, not only the stored one, which matters when a puzzle
/// (e.g. one typed in by a person) has several solutions.
pub fn check_solution(puzzle: &Grid, answer: &Grid) -> Result<(), SudokuError> {
    validate(answer)?;
    let blanks = CELLS - answer.givens();
    if blanks > 0 {
        return Err(SudokuError::Incomplete { blanks });
    }
    for i in 0..CELLS {
        let (given, found) = (puzzle.cells[i], answer.cells[i]);
        if given != 0 && given != found {
            let (row, col) = rc(i);
            return Err(SudokuError::GivenChanged {
                row,
                col,
                given,
                found,
            });
        }
    }
    Ok(())
}

/// `check_solution(puzzle, answer).is_ok()`.
pub fn is_solution_of(puzzle: &Grid, answer: &Grid) -> bool {
    check_solution(puzzle, answer).is_ok()
}

// ---------------------------------------------------------------------------------------------
// Solver
// ---------------------------------------------------------------------------------------------

const ALL: u16 = 0x1FF;

const fn make_units() -> [[u8; 9]; 27] {
    let mut units = [[0u8; 9]; 27];
    let mut k = 0;
    while k < 9 {
        let mut j = 0;
        while j < 9 {
            units[k][j] = (k * 9 + j) as u8; // row k
            units[9 + k][j] = (j * 9 + k) as u8; // column k
            units[18 + k][j] = (((k / 3) * 3 + j / 3) * 9 + (k % 3) * 3 + j % 3) as u8; // box k
            j += 1;
        }
        k += 1;
    }
    units
}

static UNITS: [[u8; 9]; 27] = make_units();

/// Search state: digits placed so far plus, per unit, the set of digits already used
/// (bit d-1 for digit d), so a cell's candidates are one OR and a NOT away.
#[derive(Clone, Copy)]
struct State {
    cells: [u8; CELLS],
    rows: [u16; 9],
    cols: [u16; 9],
    boxes: [u16; 9],
    filled: usize,
}

impl State {
    /// None when the grid holds a bad value or clashing givens, i.e. it cannot have a solution.
    fn from_grid(g: &Grid) -> Option<State> {
        let mut s = State {
            cells: [0; CELLS],
            rows: [0; 9],
            cols: [0; 9],
            boxes: [0; 9],
            filled: 0,
        };
        for (i, &v) in g.cells.iter().enumerate() {
            if v > 9 || (v != 0 && !s.place(i, v)) {
                return None;
            }
        }
        Some(s)
    }

    #[inline]
    fn candidates(&self, i: usize) -> u16 {
        !(self.rows[row_of(i)] | self.cols[col_of(i)] | self.boxes[box_of(i)]) & ALL
    }

    /// Places `d` at `i`; false if that breaks a rule. Placing the same digit twice is a no-op,
    /// which lets hidden-single detection re-find a cell without special cases.
    #[inline]
    fn place(&mut self, i: usize, d: u8) -> bool {
        if self.cells[i] != 0 {
            return self.cells[i] == d;
        }
        let bit = 1u16 << (d - 1);
        let (r, c, b) = (row_of(i), col_of(i), box_of(i));
        if (self.rows[r] | self.cols[c] | self.boxes[b]) & bit != 0 {
            return false;
        }
        self.cells[i] = d;
        self.rows[r] |= bit;
        self.cols[c] |= bit;
        self.boxes[b] |= bit;
        self.filled += 1;
        true
    }

    /// Applies naked and hidden singles until neither finds anything. False on contradiction.
    /// Hidden singles are what keep 17-clue puzzles cheap: without them MRV alone still
    /// branches a lot on sparse grids.
    fn propagate(&mut self) -> bool {
        loop {
            let mut progress = false;
            for i in 0..CELLS {
                if self.cells[i] != 0 {
                    continue;
                }
                let c = self.candidates(i);
                if c == 0 {
                    return false;
                }
                if c & (c - 1) == 0 {
                    if !self.place(i, c.trailing_zeros() as u8 + 1) {
                        return false;
                    }
                    progress = true;
                }
            }
            if self.filled == CELLS {
                return true;
            }
            // Naked singles change candidates everywhere; redo them before the costlier pass.
            if progress {
                continue;
            }
            for unit in &UNITS {
                let (mut once, mut twice, mut placed) = (0u16, 0u16, 0u16);
                for &i in unit {
                    let i = i as usize;
                    match self.cells[i] {
                        0 => {
                            let c = self.candidates(i);
                            twice |= once & c;
                            once |= c;
                        }
                        d => placed |= 1 << (d - 1),
                    }
                }
                if once | placed != ALL {
                    return false; // some digit has nowhere to go in this unit
                }
                let mut singles = once & !twice & !placed;
                while singles != 0 {
                    let bit = singles & singles.wrapping_neg();
                    singles &= singles - 1;
                    let d = bit.trailing_zeros() as u8 + 1;
                    // The cell may have just taken another digit in this loop; then `d` has
                    // no home left and this branch is dead.
                    let home = unit
                        .iter()
                        .map(|&i| i as usize)
                        .find(|&i| self.cells[i] == 0 && self.candidates(i) & bit != 0);
                    match home {
                        Some(i) if self.place(i, d) => progress = true,
                        _ => return false,
                    }
                }
            }
            if !progress {
                return true;
            }
        }
    }
}

struct Search<'a> {
    limit: usize,
    count: usize,
    first: Option<[u8; CELLS]>,
    /// When present, digits are tried in random order (used to build random full grids).
    rng: Option<&'a mut Rng>,
    /// Placements tried at branch points, the solver's measure of how hard a puzzle is.
    guesses: usize,
}

impl Search<'_> {
    fn run(&mut self, mut s: State) {
        if !s.propagate() {
            return;
        }
        if s.filled == CELLS {
            self.count += 1;
            if self.first.is_none() {
                self.first = Some(s.cells);
            }
            return;
        }
        // Most-constrained cell: fewest candidates means the smallest fan-out.
        let (mut best, mut best_n) = (0usize, u32::MAX);
        for i in 0..CELLS {
            if s.cells[i] == 0 {
                let n = s.candidates(i).count_ones();
                if n < best_n {
                    best = i;
                    best_n = n;
                    if n == 2 {
                        break; // propagation already took every single, so 2 is the floor
                    }
                }
            }
        }
        let mut digits = [0u8; 9];
        let mut len = 0;
        let mut c = s.candidates(best);
        while c != 0 {
            digits[len] = c.trailing_zeros() as u8 + 1;
            len += 1;
            c &= c - 1;
        }
        if let Some(rng) = self.rng.as_deref_mut() {
            rng.shuffle(&mut digits[..len]);
        }
        for &d in &digits[..len] {
            let mut next = s;
            self.guesses += 1;
            if next.place(best, d) {
                self.run(next);
            }
            if self.count >= self.limit {
                return;
            }
        }
    }
}

/// Counts solutions up to `limit` and returns the first one found.
fn search(g: &Grid, limit: usize, rng: Option<&mut Rng>) -> (usize, Option<Grid>) {
    let s = run_search(g, limit, rng);
    (s.count, s.first.map(|cells| Grid { cells }))
}

fn run_search<'a>(g: &Grid, limit: usize, rng: Option<&'a mut Rng>) -> Search<'a> {
    let mut s = Search {
        limit,
        count: 0,
        first: None,
        rng,
        guesses: 0,
    };
    if limit > 0 {
        if let Some(state) = State::from_grid(g) {
            s.run(state);
        }
    }
    s
}

/// How many placements the backtracking solver (naked and hidden singles, then the
/// most-constrained cell) tries at branch points before it finds the first solution; 0 when
/// the singles alone solve the puzzle. Sudoku-Extreme was drawn from puzzles that need many
/// guesses, while most random minimal puzzles need none, so this rates training data.
/// None when the grid has no solution.
pub fn guesses(g: &Grid) -> Option<usize> {
    let s = run_search(g, 1, None);
    s.first.map(|_| s.guesses)
}

/// Placements the same solver tries to search the whole tree, which proves the solution
/// unique (the uniqueness check's work). Unlike [`guesses`] it does not depend on whether
/// the first digit tried at a branch happens to be right. None when there is no solution; a
/// puzzle with several solutions is searched up to its second.
pub fn exhaustive_guesses(g: &Grid) -> Option<usize> {
    let s = run_search(g, 2, None);
    s.first.map(|_| s.guesses)
}

/// Whether the puzzle offers a naked or a hidden single before anything is placed: a blank
/// with one candidate, or a digit with one place left in a row, column or box. A third of
/// Sudoku-Extreme's puzzles offer neither, so the first placement already takes reasoning
/// beyond singles (or a guess), against fewer than one in a thousand random minimal puzzles.
/// None when the givens clash.
pub fn has_single_at_start(g: &Grid) -> Option<bool> {
    let s = State::from_grid(g)?;
    let naked = (0..CELLS).any(|i| s.cells[i] == 0 && s.candidates(i).count_ones() == 1);
    let hidden = UNITS.iter().any(|unit| {
        let (mut once, mut twice, mut placed) = (0u16, 0u16, 0u16);
        for &i in unit {
            let i = i as usize;
            match s.cells[i] {
                0 => {
                    let c = s.candidates(i);
                    twice |= once & c;
                    once |= c;
                }
                d => placed |= 1 << (d - 1),
            }
        }
        once & !twice & !placed != 0
    });
    Some(naked || hidden)
}

/// Blanks left once naked and hidden singles have placed all they can (0: singles solve
/// it). None when the givens clash or the singles reach a contradiction.
pub fn blanks_after_singles(g: &Grid) -> Option<usize> {
    let mut s = State::from_grid(g)?;
    s.propagate().then(|| CELLS - s.filled)
}

/// A solution of `g`, or None if it has none (including grids with clashing givens or bad
/// values). When several exist, returns one of them.
pub fn solve(g: &Grid) -> Option<Grid> {
    search(g, 1, None).1
}

/// Number of solutions, counting no further than `limit`. `count_solutions(g, 2) == 1`
/// is the uniqueness check.
pub fn count_solutions(g: &Grid, limit: usize) -> usize {
    search(g, limit, None).0
}

/// The unique solution, or the reason there is none: a rule break in the givens,
/// [`SudokuError::Unsolvable`] or [`SudokuError::MultipleSolutions`].
pub fn solve_unique(g: &Grid) -> Result<Grid, SudokuError> {
    validate(g)?;
    match search(g, 2, None) {
        (1, Some(solution)) => Ok(solution),
        (0, _) | (_, None) => Err(SudokuError::Unsolvable),
        _ => Err(SudokuError::MultipleSolutions),
    }
}

// ---------------------------------------------------------------------------------------------
// Random generation
// ---------------------------------------------------------------------------------------------

pub use crate::rng::Rng;

/// A fixed valid full grid, used only if the random search were ever to come back empty.
fn pattern_solution() -> Grid {
    let mut cells = [0u8; CELLS];
    for (i, cell) in cells.iter_mut().enumerate() {
        let (r, c) = (row_of(i), col_of(i));
        *cell = ((r * 3 + r / 3 + c) % 9) as u8 + 1;
    }
    Grid { cells }
}

/// A random full grid (a search that tries digits in random order). Not exactly uniform over
/// all solutions, but varied enough for training data, especially with [`Augmentation`].
pub fn random_solution(rng: &mut Rng) -> Grid {
    // The empty grid always has a solution; the fallback only keeps this panic-free.
    search(&Grid::empty(), 1, Some(rng))
        .1
        .unwrap_or_else(pattern_solution)
}

/// A puzzle with a unique solution: starts from a random full grid and removes clues in random
/// order, putting back any whose removal would allow a second solution, until `target_givens`
/// remain or nothing more can go. The result can therefore have more givens than asked for.
/// Returns `(puzzle, solution)`.
pub fn generate(rng: &mut Rng, target_givens: usize) -> (Grid, Grid) {
    let solution = random_solution(rng);
    (remove_clues(solution, rng, target_givens), solution)
}

/// Removes givens of a unique puzzle in random order, putting back any whose removal would
/// allow a second solution, until `target_givens` remain or nothing more can go.
fn remove_clues(mut puzzle: Grid, rng: &mut Rng, target_givens: usize) -> Grid {
    let mut order: [u8; CELLS] = std::array::from_fn(|i| i as u8);
    rng.shuffle(&mut order);
    let mut givens = puzzle.givens();
    for &i in &order {
        if givens <= target_givens {
            break;
        }
        let i = i as usize;
        let kept = puzzle.cells[i];
        if kept == 0 {
            continue;
        }
        puzzle.cells[i] = 0;
        if count_solutions(&puzzle, 2) == 1 {
            givens -= 1;
        } else {
            puzzle.cells[i] = kept;
        }
    }
    puzzle
}

/// A neighbour of a hard puzzle: `swaps` of its givens removed, as many other cells of its
/// solution given instead, then made minimal (no given can go). None when the swap loses
/// uniqueness (then try another draw). This is how collections of very hard puzzles were
/// grown (searches "{-n+n}" around known hard ones): neighbours tend to share what makes the
/// source hard, which random minimal puzzles mostly lack (models/MODEL_CARD.md). The result
/// has the source's solution.
pub fn vicinity(puzzle: &Grid, solution: &Grid, swaps: usize, rng: &mut Rng) -> Option<Grid> {
    if !is_solution_of(puzzle, solution) {
        return None;
    }
    let mut givens: Vec<usize> = (0..CELLS).filter(|&i| puzzle.cells[i] != 0).collect();
    let mut blanks: Vec<usize> = (0..CELLS).filter(|&i| puzzle.cells[i] == 0).collect();
    if swaps == 0 || swaps > givens.len() || swaps > blanks.len() {
        return None;
    }
    rng.shuffle(&mut givens);
    rng.shuffle(&mut blanks);
    let mut next = *puzzle;
    for k in 0..swaps {
        next.cells[givens[k]] = 0;
        next.cells[blanks[k]] = solution.cells[blanks[k]];
    }
    if count_solutions(&next, 2) != 1 {
        return None;
    }
    Some(remove_clues(next, rng, 0))
}

/// A minimal puzzle: no single given can be removed without losing uniqueness. One pass is
/// enough, because a clue that was needed stays needed once more clues are gone (fewer clues
/// only admit more solutions).
pub fn generate_minimal(rng: &mut Rng) -> (Grid, Grid) {
    generate(rng, 0)
}

/// Rough difficulty by number of givens. Givens are a weak proxy for how hard a puzzle is for
/// people, but they are what matters most for a learned model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
    Minimal,
}

impl Difficulty {
    pub const ALL: [Difficulty; 4] = [
        Difficulty::Easy,
        Difficulty::Medium,
        Difficulty::Hard,
        Difficulty::Minimal,
    ];

    /// Givens to aim for; 0 for `Minimal`, meaning "remove all you can".
    pub fn target_givens(self) -> usize {
        match self {
            Difficulty::Easy => 38,
            Difficulty::Medium => 31,
            Difficulty::Hard => 26,
            Difficulty::Minimal => 0,
        }
    }

    /// The number of givens a puzzle of this difficulty should have.
    pub fn givens_range(self) -> RangeInclusive<usize> {
        match self {
            Difficulty::Easy => 36..=40,
            Difficulty::Medium => 30..=32,
            Difficulty::Hard => 25..=27,
            // 17 is the proven minimum for a unique Sudoku.
            Difficulty::Minimal => 17..=CELLS,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
            Difficulty::Minimal => "minimal",
        }
    }
}

impl fmt::Display for Difficulty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Difficulty {
    type Err = SudokuError;
    fn from_str(s: &str) -> Result<Difficulty, SudokuError> {
        let t = s.trim();
        Difficulty::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| SudokuError::UnknownDifficulty {
                name: t.to_string(),
            })
    }
}

/// A unique puzzle of the given difficulty. Random removal sometimes gets stuck above the
/// target (most often for `Hard`), so this retries a few times and otherwise returns the
/// sparsest attempt.
pub fn generate_difficulty(rng: &mut Rng, difficulty: Difficulty) -> (Grid, Grid) {
    if difficulty == Difficulty::Minimal {
        return generate_minimal(rng);
    }
    let most = *difficulty.givens_range().end();
    let mut best = generate(rng, difficulty.target_givens());
    for _ in 0..16 {
        if best.0.givens() <= most {
            break;
        }
        let next = generate(rng, difficulty.target_givens());
        if next.0.givens() < best.0.givens() {
            best = next;
        }
    }
    best
}

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
            // `% 9` and `get` only matter for hand-built invalid values; they keep this panic-free.
            let r = self.row_order[row_of(i)] as usize % 9;
            let c = self.col_order[col_of(i)] as usize % 9;
            let src = if self.transpose {
                g.cells[c * 9 + r]
            } else {
                g.cells[r * 9 + c]
            };
            *cell = self.digit_perm.get(src as usize).copied().unwrap_or(0);
        }
        Grid { cells }
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

// ---------------------------------------------------------------------------------------------
// Model tokens
// ---------------------------------------------------------------------------------------------

/// Blank -> 1, digit d -> d + 1 (0 is PAD, unused here). Out-of-range cell values, only
/// possible through the public field, become blanks so the embedding never sees an id >= 11.
pub fn to_tokens(g: &Grid) -> [u32; CELLS] {
    g.cells.map(|v| {
        if (1..=9).contains(&v) {
            v as u32 + 1
        } else {
            BLANK_TOKEN
        }
    })
}

/// Tokens 2..=10 become digits 1..=9; anything else (PAD, blank, out of vocabulary) becomes a
/// blank, because a model's raw answer may contain such tokens and should still be shown.
/// Only a length other than 81 is an error.
pub fn from_tokens(tokens: &[u32]) -> Result<Grid, SudokuError> {
    if tokens.len() != CELLS {
        return Err(SudokuError::WrongLength {
            found: tokens.len(),
        });
    }
    let mut cells = [0u8; CELLS];
    for (cell, &t) in cells.iter_mut().zip(tokens) {
        if (2..=10).contains(&t) {
            *cell = (t - 1) as u8;
        }
    }
    Ok(Grid { cells })
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/// Lines of a file without a leading byte-order mark or trailing blank lines, which editors
/// add freely and which would otherwise break line alignment counts.
fn content_lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<&str> = text.lines().collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines
}

fn at_line(line: usize, field: &'static str) -> impl Fn(SudokuError) -> SudokuError {
    move |error| SudokuError::Line {
        line,
        field,
        error: Box::new(error),
    }
}

/// Reads line-aligned puzzle and solution files (one 81-character grid per line). Lines blank
/// in both files are skipped. Each solution must complete its puzzle without clashes.
pub fn read_pairs(puzzles: &str, solutions: &str) -> Result<Vec<(Grid, Grid)>, SudokuError> {
    let (p, s) = (content_lines(puzzles), content_lines(solutions));
    if p.len() != s.len() {
        return Err(SudokuError::CountMismatch {
            puzzles: p.len(),
            solutions: s.len(),
        });
    }
    let mut out = Vec::with_capacity(p.len());
    for (k, (pl, sl)) in p.iter().zip(&s).enumerate() {
        if pl.trim().is_empty() && sl.trim().is_empty() {
            continue;
        }
        let line = k + 1;
        let puzzle = parse(pl).map_err(at_line(line, "puzzle"))?;
        let solution = parse(sl).map_err(at_line(line, "solution"))?;
        check_solution(&puzzle, &solution).map_err(at_line(line, "solution"))?;
        out.push((puzzle, solution));
    }
    Ok(out)
}

/// Reads `puzzle,solution` lines. Blank lines are skipped, and so is a first line without any
/// digit (a header such as `quizzes,solutions`).
pub fn read_csv_pairs(text: &str) -> Result<Vec<(Grid, Grid)>, SudokuError> {
    let mut out = Vec::new();
    let mut seen_content = false;
    for (k, raw) in content_lines(text).into_iter().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let line = k + 1;
        let is_first = !seen_content;
        seen_content = true;
        if is_first && !raw.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let fields: Vec<&str> = raw.split(',').collect();
        let [p, s] = fields[..] else {
            return Err(at_line(line, "line")(SudokuError::CsvFields {
                found: fields.len(),
            }));
        };
        let puzzle = parse(p).map_err(at_line(line, "puzzle"))?;
        let solution = parse(s).map_err(at_line(line, "solution"))?;
        check_solution(&puzzle, &solution).map_err(at_line(line, "solution"))?;
        out.push((puzzle, solution));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    // (puzzle, solution) pairs copied from data/sudoku: the first two lines of
    // tdoku_17_clue_sample10k.txt and two lines of sudoku_extreme_train_subsample.txt
    // (line 1, and line 20, a 17-clue one).
    const KNOWN: [(&str, &str); 4] = [
        (
            ".................1.....2.3......3.2...4....5...6.1.....3......6.7..8...952.7.....",
            "143657982952438761867192435795863124314279658286514397438921576671385249529746813",
        ),
        (
            ".................1.....2.3......45.6..3.......17...8.....16......8....4..6.5..2..",
            "836491752724835961591672438982314576653789124417256893245167389178923645369548217",
        ),
        (
            "...7.2..5....95.8.19..8..67..4...6....79...2.26...1......5......39.....8....784..",
            "846712935372695184195483267984237651517964823263851749728549316439126578651378492",
        ),
        (
            "92.3.....1..9....6......4...........21.....9.....84.....4...5.8...2..........6...",
            "926341785148975236357862419483529167215637894769184352694713528571298643832456971",
        ),
    ];

    fn g(s: &str) -> Grid {
        parse(s).expect("test grid parses")
    }

    fn is_valid_full(grid: &Grid) -> bool {
        grid.is_full() && validate(grid).is_ok()
    }

    #[test]
    fn parse_line_format_with_dots_and_zeros() {
        let (p, _) = KNOWN[0];
        let a = g(p);
        let b = g(&p.replace('.', "0"));
        assert_eq!(a, b);
        assert_eq!(a.givens(), 17);
        assert_eq!(a.to_line(), p);
        assert_eq!(a.to_string().len(), 81);
        assert_eq!(format!("{a:?}"), format!("Grid({p})"));
        assert_eq!(p.parse::<Grid>().unwrap(), a);
    }

    #[test]
    fn parse_nine_lines_and_any_whitespace() {
        let (p, _) = KNOWN[2];
        let nine: String = p
            .as_bytes()
            .chunks(9)
            .map(|r| format!("  {} \r\n", std::str::from_utf8(r).unwrap()))
            .collect();
        assert_eq!(g(&nine), g(p));
        let pretty = g(p).to_pretty();
        assert_eq!(pretty.lines().count(), 9);
        assert_eq!(g(&pretty), g(p));
        let spaced: String = p.chars().flat_map(|c| [c, ' ', '\t']).collect();
        assert_eq!(g(&format!("\u{feff}{spaced}")), g(p));
    }

    #[test]
    fn parse_errors() {
        assert_eq!(parse(""), Err(SudokuError::Empty));
        assert_eq!(parse(" \n\t "), Err(SudokuError::Empty));
        assert_eq!(
            parse(&".".repeat(80)),
            Err(SudokuError::WrongLength { found: 80 })
        );
        assert_eq!(
            parse(&"1".repeat(82)),
            Err(SudokuError::WrongLength { found: 82 })
        );
        // A CSV line pasted whole: the comma is past cell 81, so length is the useful message.
        let (p, s) = KNOWN[0];
        assert_eq!(
            parse(&format!("{p},{s}")),
            Err(SudokuError::WrongLength { found: 163 })
        );

        let mut bad: Vec<char> = KNOWN[0].0.chars().collect();
        bad[13] = 'x'; // row 2, column 5
        let err = parse(&bad.iter().collect::<String>()).unwrap_err();
        assert_eq!(
            err,
            SudokuError::BadChar {
                ch: 'x',
                index: 13,
                row: 2,
                col: 5
            }
        );
        let msg = err.to_string();
        assert!(
            msg.contains("row 2, column 5") && msg.contains("'x'"),
            "{msg}"
        );

        let err = parse("é").unwrap_err();
        assert_eq!(
            err,
            SudokuError::BadChar {
                ch: 'é',
                index: 0,
                row: 1,
                col: 1
            }
        );
        assert!(SudokuError::WrongLength { found: 80 }
            .to_string()
            .contains("expected 81 cells, found 80"));
    }

    #[test]
    fn validate_reports_each_clash_kind() {
        let mut row = Grid::empty();
        row.cells[9 + 1] = 5;
        row.cells[9 + 7] = 5;
        let err = validate(&row).unwrap_err();
        assert_eq!(
            err,
            SudokuError::Clash {
                digit: 5,
                a: (2, 2),
                b: (2, 8),
                unit: Unit::Row
            }
        );
        assert!(
            err.to_string()
                .contains("same row: at row 2, column 2 and at row 2, column 8"),
            "{err}"
        );

        let mut col = Grid::empty();
        col.cells[4] = 3;
        col.cells[8 * 9 + 4] = 3;
        assert_eq!(
            validate(&col),
            Err(SudokuError::Clash {
                digit: 3,
                a: (1, 5),
                b: (9, 5),
                unit: Unit::Column
            })
        );

        let mut bx = Grid::empty();
        bx.cells[0] = 9;
        bx.cells[2 * 9 + 2] = 9;
        assert_eq!(
            validate(&bx),
            Err(SudokuError::Clash {
                digit: 9,
                a: (1, 1),
                b: (3, 3),
                unit: Unit::Box
            })
        );

        let mut bad = Grid::empty();
        bad.cells[80] = 12;
        assert_eq!(
            validate(&bad),
            Err(SudokuError::BadValue {
                index: 80,
                row: 9,
                col: 9,
                value: 12
            })
        );
        assert_eq!(solve(&bad), None);
        assert_eq!(bad.to_line().chars().last(), Some('?'));

        for (p, s) in KNOWN {
            assert_eq!(validate(&g(p)), Ok(()));
            assert_eq!(validate(&g(s)), Ok(()));
        }
    }

    #[test]
    fn clashes_on_hand_made_full_grid() {
        let solution = g(KNOWN[0].1);
        assert!(clashes(&solution).is_empty());
        // Overwrite cell (0,0) (a 1) with the 4 from (0,1): clashes with (0,1) in its row and
        // box, and with the 4 in column 1 further down; the row/box pair is listed once.
        let mut wrong = solution;
        assert_eq!((wrong.cells[0], wrong.cells[1]), (1, 4));
        wrong.cells[0] = 4;
        let col_four = (1..9)
            .map(|r| r * 9)
            .find(|&i| wrong.cells[i] == 4)
            .unwrap();
        assert_eq!(clashes(&wrong), vec![(0, 1), (0, col_four)]);
        assert!(validate(&wrong).is_err());
        assert_eq!(
            check_solution(&g(KNOWN[0].0), &wrong).unwrap_err(),
            validate(&wrong).unwrap_err()
        );
    }

    #[test]
    fn solver_solves_known_puzzles_uniquely() {
        for (p, s) in KNOWN {
            let (puzzle, solution) = (g(p), g(s));
            assert_eq!(solve(&puzzle), Some(solution), "{p}");
            assert_eq!(count_solutions(&puzzle, 2), 1, "{p}");
            assert_eq!(solve_unique(&puzzle), Ok(solution));
            assert!(is_solution_of(&puzzle, &solution));
            // A full, valid grid is its own (only) solution.
            assert_eq!(solve(&solution), Some(solution));
        }
    }

    #[test]
    fn solver_edge_cases() {
        let empty = Grid::empty();
        assert!(is_valid_full(&solve(&empty).unwrap()));
        assert_eq!(count_solutions(&empty, 2), 2);
        assert_eq!(count_solutions(&empty, 0), 0);
        assert_eq!(solve_unique(&empty), Err(SudokuError::MultipleSolutions));

        // No clash among the givens, but cell (0,0) sees 1-8 in its row and 9 in its column.
        let mut dead = Grid::empty();
        for c in 1..9 {
            dead.cells[c] = c as u8;
        }
        dead.cells[9 * 4] = 9;
        assert_eq!(validate(&dead), Ok(()));
        assert_eq!(solve(&dead), None);
        assert_eq!(count_solutions(&dead, 5), 0);
        assert_eq!(solve_unique(&dead), Err(SudokuError::Unsolvable));

        let mut clash = g(KNOWN[1].0);
        clash.cells[9] = clash.cells[17]; // same row
        assert_eq!(solve(&clash), None);
        assert!(matches!(
            solve_unique(&clash),
            Err(SudokuError::Clash { .. })
        ));

        // Removing one clue from a minimal-ish puzzle typically allows more solutions.
        let mut loose = g(KNOWN[0].0);
        let first = loose.cells.iter().position(|&v| v != 0).unwrap();
        loose.cells[first] = 0;
        let n = count_solutions(&loose, 10);
        assert!(n >= 2, "{n}");
    }

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let mut seen = [0usize; 7];
        for _ in 0..7000 {
            seen[a.below(7)] += 1;
        }
        assert!(seen.iter().all(|&n| n > 800), "{seen:?}");
        assert_eq!(a.below(0), 0);
        assert_eq!(a.below(1), 0);
        assert!(a.below(usize::MAX) < usize::MAX);
    }

    #[test]
    fn random_solutions_are_valid_and_varied() {
        let mut rng = Rng::new(1);
        let sols: Vec<Grid> = (0..50).map(|_| random_solution(&mut rng)).collect();
        assert!(sols.iter().all(is_valid_full));
        assert!(sols.windows(2).all(|w| w[0] != w[1]));
        assert!(is_valid_full(&pattern_solution()));
    }

    #[test]
    fn generator_hits_target_with_unique_solution() {
        for seed in 0..4 {
            let mut rng = Rng::new(seed);
            let (puzzle, solution) = generate(&mut rng, 30);
            assert_eq!(puzzle.givens(), 30, "seed {seed}");
            assert_eq!(count_solutions(&puzzle, 2), 1);
            assert_eq!(solve(&puzzle), Some(solution));
            assert!(is_solution_of(&puzzle, &solution));
        }
        // Same seed, same puzzle.
        assert_eq!(
            generate(&mut Rng::new(9), 35),
            generate(&mut Rng::new(9), 35)
        );
    }

    #[test]
    fn minimal_puzzles_are_minimal() {
        for seed in 10..13 {
            let (puzzle, solution) = generate_minimal(&mut Rng::new(seed));
            assert_eq!(solve_unique(&puzzle), Ok(solution));
            assert!(
                puzzle.givens() >= 17 && puzzle.givens() <= 30,
                "{}",
                puzzle.givens()
            );
            for i in (0..CELLS).filter(|&i| puzzle.cells[i] != 0) {
                let mut fewer = puzzle;
                fewer.cells[i] = 0;
                assert_eq!(count_solutions(&fewer, 2), 2, "clue {i} was removable");
            }
        }
    }

    #[test]
    fn guesses_rate_search_work() {
        let rows = "8........ ..36..... .7..9.2.. .5...7... ....457.. ...1...3. ..1....68 ..85...1. .9....4..";
        let extreme = parse(&rows.replace(' ', "")).unwrap();
        let solution = solve(&extreme).unwrap();
        assert_eq!(guesses(&solution), Some(0), "a full grid needs no guess");
        let hard = guesses(&extreme).unwrap();
        assert!(hard >= 10, "Arto Inkala's puzzle took {hard} guesses");
        // One blank is a naked single: no guess.
        let mut one = solution;
        one.cells[40] = 0;
        assert_eq!(guesses(&one), Some(0));
        let mut broken = extreme;
        broken.cells[1] = 8; // clashes with the 8 in the same row
        assert_eq!(guesses(&broken), None);
        // The whole tree holds the path to the first solution, and more.
        let all = exhaustive_guesses(&extreme).unwrap();
        assert!(all > hard, "{all} guesses for the whole tree, {hard} to the first solution");
        assert_eq!(exhaustive_guesses(&one), Some(0));
        assert_eq!(exhaustive_guesses(&broken), None);
    }

    #[test]
    fn singles_at_start_tell_puzzles_that_need_reasoning_from_the_first_move() {
        // Arto Inkala's puzzle offers no single at all; the first two 17-clue puzzles and
        // Extreme line 1 do, and one blank in a full grid is a naked single.
        let rows = "8........ ..36..... .7..9.2.. .5...7... ....457.. ...1...3. ..1....68 ..85...1. .9....4..";
        let inkala = parse(&rows.replace(' ', "")).unwrap();
        assert_eq!(has_single_at_start(&inkala), Some(false));
        assert_eq!(blanks_after_singles(&inkala), Some(inkala.cells.iter().filter(|&&v| v == 0).count()));
        for (puzzle, solution) in &KNOWN[..3] {
            let p = g(puzzle);
            assert_eq!(has_single_at_start(&p), Some(true), "{puzzle}");
            let left = blanks_after_singles(&p).unwrap();
            assert!(left < p.cells.iter().filter(|&&v| v == 0).count(), "{puzzle}: {left} blanks left");
            let mut one = g(solution);
            one.cells[7] = 0;
            assert_eq!(has_single_at_start(&one), Some(true));
            assert_eq!(blanks_after_singles(&one), Some(0));
        }
        let mut broken = inkala;
        broken.cells[1] = 8; // clashes with the 8 in the same row
        assert_eq!(has_single_at_start(&broken), None);
        assert_eq!(blanks_after_singles(&broken), None);
    }

    #[test]
    fn vicinity_moves_givens_and_keeps_a_unique_minimal_puzzle_of_the_same_solution() {
        let mut rng = Rng::new(5);
        let (source, solution) = generate_minimal(&mut rng);
        let mut found = 0;
        for _ in 0..200 {
            let Some(n) = vicinity(&source, &solution, 1, &mut rng) else { continue };
            found += 1;
            assert_ne!(n, source);
            assert_eq!(solve_unique(&n), Ok(solution), "{n}");
            for i in (0..CELLS).filter(|&i| n.cells[i] != 0) {
                let mut fewer = n;
                fewer.cells[i] = 0;
                assert_eq!(count_solutions(&fewer, 2), 2, "given {i} of {n} is not needed");
            }
        }
        assert!(found > 0, "no neighbour of {source} in 200 draws");
        // Not a neighbour of anything: a wrong solution, or more swaps than givens.
        let mut wrong = solution;
        wrong.cells.swap(0, 1);
        assert_eq!(vicinity(&source, &wrong, 1, &mut rng), None);
        assert_eq!(vicinity(&source, &solution, 0, &mut rng), None);
        assert_eq!(vicinity(&source, &solution, source.givens() + 1, &mut rng), None);
    }

    #[test]
    fn difficulty_names_and_ranges() {
        for d in Difficulty::ALL {
            assert_eq!(d.name().parse::<Difficulty>(), Ok(d));
            assert_eq!(d.to_string().to_uppercase().parse::<Difficulty>(), Ok(d));
            if d != Difficulty::Minimal {
                assert!(d.givens_range().contains(&d.target_givens()));
            }
        }
        assert!(matches!(
            "extreme".parse::<Difficulty>(),
            Err(SudokuError::UnknownDifficulty { .. })
        ));
        let mut rng = Rng::new(3);
        for d in Difficulty::ALL {
            let (puzzle, solution) = generate_difficulty(&mut rng, d);
            assert!(
                d.givens_range().contains(&puzzle.givens()),
                "{d}: {}",
                puzzle.givens()
            );
            assert_eq!(solve_unique(&puzzle), Ok(solution));
        }
    }

    #[test]
    fn augmentation_preserves_validity_and_round_trips() {
        let mut rng = Rng::new(42);
        let pairs: Vec<(Grid, Grid)> = KNOWN.iter().map(|&(p, s)| (g(p), g(s))).collect();
        for k in 0..300 {
            let aug = Augmentation::random(&mut rng);
            assert!(aug.is_valid(), "{aug:?}");
            assert!(aug.inverse().is_valid());
            let (puzzle, solution) = pairs[k % pairs.len()];
            let (ap, asol) = (aug.apply(&puzzle), aug.apply(&solution));
            assert!(is_valid_full(&asol));
            assert_eq!(ap.givens(), puzzle.givens());
            assert!(is_solution_of(&ap, &asol));
            assert_eq!(aug.inverse().apply(&ap), puzzle);
            assert_eq!(aug.inverse().apply(&asol), solution);
            assert_eq!(aug.apply(&aug.inverse().apply(&solution)), solution);
            if k < 8 {
                assert_eq!(solve(&ap), Some(asol)); // uniqueness survives too
            }
        }
    }

    #[test]
    fn augmentation_identity_transpose_and_invalid() {
        let s = g(KNOWN[1].1);
        assert_eq!(Augmentation::identity().apply(&s), s);
        assert_eq!(Augmentation::default(), Augmentation::identity());
        let t = Augmentation {
            transpose: true,
            ..Augmentation::identity()
        };
        let ts = t.apply(&s);
        assert_eq!(ts.get(2, 7), s.get(7, 2));
        assert_eq!(t.apply(&ts), s);

        // Swapping rows across bands breaks boxes, so it is not a symmetry; it must not panic.
        let mut bad = Augmentation::identity();
        bad.row_order.swap(0, 3);
        assert!(!bad.is_valid());
        let mut wild = Augmentation::identity();
        wild.row_order[0] = 200;
        wild.digit_perm[3] = 77;
        assert!(!wild.is_valid());
        let _ = wild.apply(&s);
        let _ = wild.inverse().apply(&s);
    }

    #[test]
    fn tokens_round_trip_and_tolerate_junk() {
        let p = g(KNOWN[2].0);
        let t = to_tokens(&p);
        assert!(t.iter().all(|&x| (1..=10).contains(&x)));
        assert_eq!(t[0], BLANK_TOKEN);
        assert_eq!(t[3], 8); // digit 7
        assert_eq!(from_tokens(&t), Ok(p));
        let s = g(KNOWN[2].1);
        assert_eq!(from_tokens(&to_tokens(&s)), Ok(s));

        let mut junk = [5u32; CELLS];
        junk[0] = PAD_TOKEN;
        junk[1] = BLANK_TOKEN;
        junk[2] = 11;
        junk[3] = u32::MAX;
        let grid = from_tokens(&junk).unwrap();
        assert_eq!(&grid.cells[..5], &[0, 0, 0, 0, 4]);
        assert_eq!(
            from_tokens(&junk[..80]),
            Err(SudokuError::WrongLength { found: 80 })
        );
        assert_eq!(from_tokens(&[]), Err(SudokuError::WrongLength { found: 0 }));

        let mut odd = Grid::empty();
        odd.cells[0] = 200;
        assert_eq!(to_tokens(&odd)[0], BLANK_TOKEN);
    }

    #[test]
    fn read_line_aligned_files() {
        let puzzles: String = KNOWN.iter().map(|(p, _)| format!("{p}\n")).collect();
        let solutions: String = KNOWN.iter().map(|(_, s)| format!("{s}\r\n")).collect();
        let pairs = read_pairs(&puzzles, &format!("\u{feff}{solutions}\n\n")).unwrap();
        assert_eq!(pairs.len(), 4);
        assert_eq!(pairs[3], (g(KNOWN[3].0), g(KNOWN[3].1)));

        assert_eq!(
            read_pairs(&puzzles, KNOWN[0].1),
            Err(SudokuError::CountMismatch {
                puzzles: 4,
                solutions: 1
            })
        );

        // Line 3's solution does not match line 3's puzzle.
        let shuffled: String = [0, 1, 3, 2]
            .iter()
            .map(|&k| format!("{}\n", KNOWN[k].1))
            .collect();
        let err = read_pairs(&puzzles, &shuffled).unwrap_err();
        match &err {
            SudokuError::Line {
                line: 3,
                field: "solution",
                error,
            } => {
                assert!(
                    matches!(**error, SudokuError::GivenChanged { .. }),
                    "{error}"
                )
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(
            err.to_string()
                .starts_with("line 3 (solution): the solution puts"),
            "{err}"
        );

        let broken = puzzles.replacen('.', "x", 1);
        let err = read_pairs(&broken, &solutions).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("line 1 (puzzle): unexpected character 'x'"),
            "{err}"
        );

        let blank_solution = solutions.replacen('1', ".", 1);
        let err = read_pairs(&puzzles, &blank_solution).unwrap_err();
        assert!(
            matches!(&err, SudokuError::Line { line: 1, error, .. } if **error == SudokuError::Incomplete { blanks: 1 }),
            "{err}"
        );
    }

    #[test]
    fn read_csv_files() {
        let body: String = KNOWN.iter().map(|(p, s)| format!("{p},{s}\n")).collect();
        let pairs = read_csv_pairs(&format!("quizzes,solutions\n{body}\n")).unwrap();
        assert_eq!(pairs.len(), 4);
        assert_eq!(pairs[0], (g(KNOWN[0].0), g(KNOWN[0].1)));
        assert_eq!(read_csv_pairs(&body).unwrap(), pairs);
        assert_eq!(read_csv_pairs("").unwrap(), vec![]);

        let three = format!("{body}{},{},x\n", KNOWN[0].0, KNOWN[0].1);
        assert_eq!(
            read_csv_pairs(&three),
            Err(SudokuError::Line {
                line: 5,
                field: "line",
                error: Box::new(SudokuError::CsvFields { found: 3 })
            })
        );
        let short = format!(
            "h,h\n{}\n{},{}\n",
            body.trim_end(),
            &KNOWN[1].0[..80],
            KNOWN[1].1
        );
        let err = read_csv_pairs(&short).unwrap_err();
        assert_eq!(err.to_string(), "line 6 (puzzle): expected 81 cells, found 80 (digits 1-9, '.' or '0' for blanks; whitespace is ignored)");
    }

    #[test]
    fn nothing_panics_on_random_text() {
        let charset: Vec<char> = "0123456789.........     \n\t\r,abcxyzXY#-|+éß€😀\u{feff}\u{0}"
            .chars()
            .collect();
        let mut rng = Rng::new(2024);
        for k in 0..200 {
            // Mostly lengths near 81 so that all parser paths get exercised.
            let len = if k % 4 == 0 {
                rng.below(200)
            } else {
                75 + rng.below(15)
            };
            let text: String = (0..len)
                .map(|_| charset[rng.below(charset.len())])
                .collect();
            if let Ok(grid) = parse(&text) {
                let _ = validate(&grid);
                let _ = clashes(&grid);
                let _ = solve_unique(&grid);
                let _ = from_tokens(&to_tokens(&grid));
            }
            let _ = read_csv_pairs(&text);
            let _ = read_pairs(&text, &text);
        }
        // Digit-only grids actually reach the solver with many (often clashing) givens.
        for _ in 0..200 {
            let text: String = (0..81)
                .map(|_| ['.', '.', '.', '1', '5', '9', '3'][rng.below(7)])
                .collect();
            let grid = parse(&text).unwrap();
            let solved = solve(&grid);
            assert!(solved.is_none() || is_solution_of(&grid, &solved.unwrap()));
            assert_eq!(clashes(&grid).is_empty(), validate(&grid).is_ok());
        }
    }
}
