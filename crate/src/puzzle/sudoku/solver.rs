use super::grid::{box_of, col_of, row_of};
use super::{validate, Grid, Rng, SudokuError, CELLS};

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

    /// A unit's digits as bit sets: those placed in it or with a blank cell to go to, and its
    /// hidden singles (digits not placed with exactly one blank cell that takes them).
    fn unit_digits(&self, unit: &[u8; 9]) -> (u16, u16) {
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
        (once | placed, once & !twice & !placed)
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
                let (homed, mut singles) = self.unit_digits(unit);
                if homed != ALL {
                    return false; // some digit has nowhere to go in this unit
                }
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
pub(super) fn search(g: &Grid, limit: usize, rng: Option<&mut Rng>) -> (usize, Option<Grid>) {
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
    let hidden = UNITS.iter().any(|unit| s.unit_digits(unit).1 != 0);
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

/// Solutions counted no further than `limit`, with the first one found: one search gives both
/// the uniqueness check and a solution to show.
pub fn solutions_up_to(g: &Grid, limit: usize) -> (usize, Option<Grid>) {
    search(g, limit, None)
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
