//! ARC-AGI tasks: parsing task JSON, the 30x30 token encoding the model reads and writes, the
//! dihedral and colour augmentations, and the vote that turns many augmented runs of one test
//! input into a ranked list of guesses.
//!
//! Wherever it matters for running checkpoints trained by the paper's reference code, this
//! follows that code rather than a cleaner design: the token ids and the EOS frame, the crop rule
//! of [`decode`], the numbering and direction of the dihedral transforms, the names of augmented
//! puzzles and the order of the vote. Plain CPU code with no randomness of its own (callers pass
//! the crate's seeded [`crate::rng::Rng`]), so it behaves the same natively and in wasm32. Nothing here panics on
//! user input; text entry points return an [`ArcError`] that says where the problem is.

mod augment;
mod error;
mod grid;
mod parse;
mod task;
mod tokens;

pub use augment::{test_plan, Augmentation, ColourPerm, Dihedral};
pub use error::{ArcError, Field, GridProblem, Place, Split};
pub use grid::Grid;
pub use parse::{parse_grid, parse_task};
pub use task::{Pair, Task};
pub use tokens::{canvas_side, decode, encode, encode_at, random_offset};

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
mod tests;
