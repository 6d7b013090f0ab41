use super::{Grid, SudokuError, BLANK_TOKEN, CELLS};

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
