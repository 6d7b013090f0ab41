//! Sudoku: parsing, validation, an exact solver, a puzzle generator, validity-preserving
//! augmentations and the token encoding the model reads and writes.
//!
//! This is plain CPU code with no dependencies beyond `thiserror`, so it behaves the same
//! natively and in wasm32 (the generator's PRNG is internal and seeded, so no `getrandom`).
//! Every text entry point returns a [`SudokuError`] whose message says what to fix; nothing
//! here panics on user input.

mod augment;
mod error;
mod files;
mod generate;
mod grid;
mod parse;
mod solver;
mod tokens;

pub use augment::Augmentation;
pub use error::{SudokuError, Unit};
pub use files::{read_csv_pairs, read_pairs};
pub use generate::{generate, generate_difficulty, generate_minimal, random_solution, vicinity, Difficulty, Rng};
pub use grid::Grid;
pub use parse::{check_solution, clashes, is_solution_of, parse, validate};
pub use solver::{
    blanks_after_singles, count_solutions, exhaustive_guesses, guesses, has_single_at_start, solutions_up_to, solve,
    solve_unique,
};
pub use tokens::{from_tokens, to_tokens};

/// Cells in a grid.
pub const CELLS: usize = 81;
/// Token for padding. The model never sees it in a Sudoku, but a raw answer may contain it.
pub const PAD_TOKEN: u32 = 0;
/// Token for a blank cell; digit `d` is token `d + 1`.
pub const BLANK_TOKEN: u32 = 1;
/// PAD, blank and the nine digits.
pub const VOCAB_SIZE: usize = 11;

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests;
