//! Puzzle codecs: parse, validate, encode to and decode from tokens, augment. Nothing
//! here touches tensors or engines.

pub mod sudoku;
pub mod arc;
pub mod maze;
