//! Square mazes: the 30x30 Maze-Hard benchmark of HRM and TRM, and smaller corridor mazes
//! (side 5 to 29) that a CPU-trained model can learn. Parsing, the token encoding, a BFS
//! solver, a checker for a model's path, and generators for both styles.
//!
//! A maze of side n is n*n cells: `#` wall, space open, `S` start, `G` goal, and in answers
//! `o` for the cells of the path from S to G (S and G themselves stay `S` and `G`). "Path
//! length" everywhere here is the number of `o` cells, as in the dataset's README; moves from S
//! to G are one more. The token format is the same at every side, so one codec serves all; a
//! model is trained for one side (its `seq_len` is side * side).
//!
//! Plain CPU code: randomness comes from the caller as a `FnMut() -> u64`, so the same seed gives
//! the same maze natively and in wasm32. Nothing here panics on user input.

mod augment;
mod cell;
mod check;
mod csv;
mod error;
mod generate;
mod grid;
mod parse;
mod path;
mod tokens;

pub use augment::transform;
pub use cell::{side_of, Cell};
pub use check::{check_path, check_tokens, PathVerdict};
pub use csv::read_csv;
pub use error::MazeError;
pub use generate::{
    corridor_max_len, corridor_side_ok, generate, generate_corridors, GenerateError, GenerateRequest, MAX_MIN_LEN,
};
pub use grid::Maze;
pub use parse::{parse, parse_cells, parse_side};
pub use path::{shortest_len, shortest_path, solve};
pub use tokens::{decode, encode};

use super::arc;

/// Side of Maze-Hard's grid, and the largest side a maze may have.
pub const SIDE: usize = 30;
/// Cells in a Maze-Hard maze.
pub const CELLS: usize = SIDE * SIDE;
/// The smallest side accepted: below it no maze has room for a path.
pub const MIN_SIDE: usize = 3;
/// Padding token; never part of a maze, but a model's raw answer may contain it.
pub const PAD_TOKEN: u32 = 0;
/// PAD and the five cell kinds.
pub const VOCAB_SIZE: usize = 6;
/// Maze-Hard keeps mazes whose shortest path is long; the Maze-Hard training split has 108..=145
/// path cells. [`generate`] called with this gives mazes of 111 path cells or more.
pub const HARD_MIN_LEN: usize = 110;

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests;
