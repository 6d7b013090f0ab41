use super::cell::rc;
use super::{side_of, Cell, Maze, MazeError};
#[cfg(doc)]
use super::{check_path, parse::parse};

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/// `#`, space, `S`, `G`, `o` become 1..=5; one token per cell, row-major.
pub fn encode(maze: &Maze) -> Vec<u32> {
    maze.cells.iter().map(|c| c.token()).collect()
}

/// The maze in n*n tokens (900 for Maze-Hard). Strict: PAD (0) or a token above 5 is an error
/// naming the first such cell, because a maze cell has no "unknown" state to show it as. Unlike
/// [`parse`] this does not require one start and one goal: a model's answer can get them wrong,
/// and [`check_path`] says so in its verdict.
pub fn decode(tokens: &[u32]) -> Result<Maze, MazeError> {
    let side = side_of(tokens.len()).ok_or(MazeError::TokenCount { found: tokens.len() })?;
    let mut cells = Vec::with_capacity(tokens.len());
    for (i, &token) in tokens.iter().enumerate() {
        let (row, col) = rc(i, side);
        cells.push(Cell::from_token(token).ok_or(MazeError::BadToken { token, row, col })?);
    }
    Ok(Maze { side, cells })
}
