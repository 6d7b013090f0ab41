use super::grid::{box_of, col_of, row_of};
use super::{Grid, SudokuError, Unit, CELLS};
#[cfg(doc)]
use super::solve_unique;

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
