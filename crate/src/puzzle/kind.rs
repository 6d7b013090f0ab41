//! What a model file says it was trained for, and what each kind asks of a model's
//! configuration: its codec's vocabulary and grid, and the paper's configuration for it.

use serde::{Deserialize, Serialize};

use super::{arc, maze, sudoku};
use crate::config::{Config, PosEncoding};
use crate::error::{Result, TrmError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PuzzleKind {
    Sudoku,
    Arc,
    Maze,
}

impl PuzzleKind {
    pub fn parse(s: &str) -> Result<PuzzleKind> {
        match s {
            "sudoku" => Ok(PuzzleKind::Sudoku),
            "arc" => Ok(PuzzleKind::Arc),
            "maze" => Ok(PuzzleKind::Maze),
            other => Err(TrmError::ModelFile(format!(
                "puzzle kind `{other}` is not sudoku, arc or maze"
            ))),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            PuzzleKind::Sudoku => "sudoku",
            PuzzleKind::Arc => "arc",
            PuzzleKind::Maze => "maze",
        }
    }
    /// An error unless `cfg` can read this kind's tokens: the vocabulary must be the codec's,
    /// and the grid must be the kind's (Sudoku 9x9; mazes and ARC a square of at most 30x30,
    /// so models for smaller canvases load, and solving checks the size against the puzzle).
    pub fn check_config(self, cfg: &Config) -> Result<()> {
        let (vocab, tokens) = match self {
            PuzzleKind::Sudoku => (sudoku::VOCAB_SIZE, "0 pad, 1 blank, 2-10 digits"),
            PuzzleKind::Maze => (maze::VOCAB_SIZE, "0 pad, 1 wall, 2 open, 3 start, 4 goal, 5 path"),
            PuzzleKind::Arc => (arc::VOCAB_SIZE, "0 pad, 1 end of row or column, 2-11 colours"),
        };
        if cfg.vocab_size != vocab {
            return Err(TrmError::ModelFile(format!(
                "a {} model needs vocab_size {vocab} ({tokens}), this one has {}",
                self.as_str(),
                cfg.vocab_size
            )));
        }
        let side = (cfg.seq_len as f64).sqrt().round() as usize;
        let fits = match self {
            PuzzleKind::Sudoku => cfg.seq_len == sudoku::CELLS,
            PuzzleKind::Maze | PuzzleKind::Arc => side * side == cfg.seq_len && (1..=arc::SIDE).contains(&side),
        };
        if !fits {
            let need = match self {
                PuzzleKind::Sudoku => "81 (9x9)",
                _ => "a square grid of at most 30x30 cells (900 for the benchmarks)",
            };
            return Err(TrmError::ModelFile(format!(
                "a {} model needs seq_len {need}, this one has {}",
                self.as_str(),
                cfg.seq_len
            )));
        }
        Ok(())
    }

    /// An error unless this is `needed`: a Sudoku model fed maze tokens would run and answer
    /// nonsense, so callers check first.
    pub fn expect(self, needed: PuzzleKind) -> Result<()> {
        if self != needed {
            return Err(TrmError::ModelFile(format!(
                "this is a {} model; a {} model is needed",
                self.as_str(),
                needed.as_str()
            )));
        }
        Ok(())
    }

    /// The paper's configurations (docs/MODEL.md): TRM-MLP for Sudoku, TRM-Att for ARC
    /// (vocabulary 12) and mazes (vocabulary 6), each with a one-row puzzle table.
    pub fn paper_config(self) -> Config {
        let att = |vocab| Config {
            vocab_size: vocab,
            seq_len: 900,
            hidden_size: 512,
            num_heads: 8,
            expansion: 4.0,
            l_layers: 2,
            h_cycles: 3,
            l_cycles: 4,
            halt_max_steps: 16,
            pos_encodings: PosEncoding::Rope,
            mlp_t: false,
            puzzle_emb_ndim: 512,
            puzzle_emb_len: 16,
            num_puzzle_identifiers: 1,
            rms_norm_eps: 1e-5,
            rope_theta: 10000.0,
        };
        match self {
            PuzzleKind::Sudoku => Config {
                seq_len: 81,
                l_cycles: 6,
                pos_encodings: PosEncoding::None,
                mlp_t: true,
                ..att(11)
            },
            PuzzleKind::Arc => att(12),
            PuzzleKind::Maze => att(6),
        }
    }
}
