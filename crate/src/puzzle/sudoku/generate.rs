use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use super::grid::{col_of, row_of};
use super::solver::search;
use super::{count_solutions, is_solution_of, Grid, SudokuError, CELLS};
#[cfg(doc)]
use super::Augmentation;

// ---------------------------------------------------------------------------------------------
// Random generation
// ---------------------------------------------------------------------------------------------

pub use crate::rng::Rng;

/// A fixed valid full grid, used only if the random search were ever to come back empty.
pub(super) fn pattern_solution() -> Grid {
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
