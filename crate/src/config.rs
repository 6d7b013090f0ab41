//! Model hyper-parameters (docs/MODEL.md), read from the model file's metadata and
//! validated before any tensor is touched, so later code may trust them.

use serde::{Deserialize, Serialize};

use crate::error::{Result, TrmError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PosEncoding {
    /// Rotary positions over the flattened sequence (the paper's).
    Rope,
    /// Rotary positions by grid row and column: half of each head's rotation pairs turn with
    /// the row, half with the column, so a score depends on the (row, column) offset between
    /// two cells, where 1-D positions make cells a row apart `side` positions apart.
    Rope2d,
    Learned,
    None,
}

impl PosEncoding {
    /// Applied to Q and K from cos/sin tables (`tables::rope_tables_for`).
    pub fn is_rotary(self) -> bool {
        matches!(self, PosEncoding::Rope | PosEncoding::Rope2d)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub vocab_size: usize,
    pub seq_len: usize,
    pub hidden_size: usize,
    #[serde(default = "default_heads")]
    pub num_heads: usize,
    pub expansion: f32,
    #[serde(rename = "L_layers")]
    pub l_layers: usize,
    /// T: outer cycles per supervision step.
    #[serde(rename = "H_cycles")]
    pub h_cycles: usize,
    /// n: latent (z) updates per cycle.
    #[serde(rename = "L_cycles")]
    pub l_cycles: usize,
    pub halt_max_steps: usize,
    pub pos_encodings: PosEncoding,
    pub mlp_t: bool,
    pub puzzle_emb_ndim: usize,
    pub puzzle_emb_len: usize,
    pub num_puzzle_identifiers: usize,
    #[serde(default = "default_eps")]
    pub rms_norm_eps: f32,
    #[serde(default = "default_theta")]
    pub rope_theta: f32,
}

fn default_heads() -> usize {
    8
}
fn default_eps() -> f32 {
    1e-5
}
fn default_theta() -> f32 {
    10000.0
}

/// Sizes past these are not TRM models and would only serve to exhaust memory.
const MAX_WIDTH: usize = 1 << 14;
const MAX_SEQ: usize = 1 << 14;

impl Config {
    pub fn from_json(text: &str) -> Result<Config> {
        let cfg: Config =
            serde_json::from_str(text).map_err(|e| TrmError::Config(format!("config JSON: {e}")))?;
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("config serialises")
    }

    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(TrmError::Config(m));
        if self.vocab_size < 2 || self.vocab_size > 1 << 16 {
            return bad(format!("vocab_size {} is outside 2..=65536", self.vocab_size));
        }
        if self.seq_len == 0 || self.seq_len > MAX_SEQ {
            return bad(format!("seq_len {} is outside 1..={MAX_SEQ}", self.seq_len));
        }
        if self.hidden_size == 0 || self.hidden_size > MAX_WIDTH {
            return bad(format!("hidden_size {} is outside 1..={MAX_WIDTH}", self.hidden_size));
        }
        if !(self.expansion.is_finite() && self.expansion > 0.0 && self.expansion <= 64.0) {
            return bad(format!("expansion {} is outside (0, 64]", self.expansion));
        }
        if self.l_layers == 0 || self.l_layers > 64 {
            return bad(format!("L_layers {} is outside 1..=64", self.l_layers));
        }
        if self.h_cycles == 0 || self.h_cycles > 64 || self.l_cycles == 0 || self.l_cycles > 64 {
            return bad(format!(
                "H_cycles {} and L_cycles {} must be in 1..=64",
                self.h_cycles, self.l_cycles
            ));
        }
        if self.halt_max_steps == 0 || self.halt_max_steps > 1024 {
            return bad(format!("halt_max_steps {} is outside 1..=1024", self.halt_max_steps));
        }
        if !self.mlp_t {
            if self.num_heads == 0 || !self.hidden_size.is_multiple_of(self.num_heads) {
                return bad(format!(
                    "hidden_size {} is not a multiple of num_heads {}",
                    self.hidden_size, self.num_heads
                ));
            }
            if self.pos_encodings == PosEncoding::Rope && !self.head_dim().is_multiple_of(2) {
                return bad(format!("RoPE needs an even head dim, not {}", self.head_dim()));
            }
            if self.pos_encodings == PosEncoding::Rope2d {
                if !self.head_dim().is_multiple_of(4) {
                    return bad(format!("2-D RoPE needs a head dim divisible by 4, not {}", self.head_dim()));
                }
                if self.grid_side().is_none() {
                    return bad(format!("2-D RoPE needs a square grid, and seq_len {} is not a square", self.seq_len));
                }
            }
        } else if self.pos_encodings.is_rotary() {
            return bad("the mlp_t variant has no attention, so RoPE cannot apply".into());
        }
        if self.puzzle_emb_ndim > MAX_WIDTH * 16 {
            return bad(format!("puzzle_emb_ndim {} is too large", self.puzzle_emb_ndim));
        }
        if self.puzzle_emb_ndim > self.prefix_len() * self.hidden_size {
            return bad(format!(
                "puzzle_emb_ndim {} does not fit in {} prefix rows of width {}",
                self.puzzle_emb_ndim,
                self.prefix_len(),
                self.hidden_size
            ));
        }
        if self.full_seq_len() > MAX_SEQ {
            return bad(format!("sequence with prefix ({}) exceeds {MAX_SEQ}", self.full_seq_len()));
        }
        if self.puzzle_emb_ndim > 0 && self.num_puzzle_identifiers == 0 {
            return bad("a puzzle embedding needs at least one puzzle row".into());
        }
        if !(self.rms_norm_eps.is_finite() && self.rms_norm_eps > 0.0) {
            return bad(format!("rms_norm_eps {} must be positive", self.rms_norm_eps));
        }
        if !(self.rope_theta.is_finite() && self.rope_theta > 1.0) {
            return bad(format!("rope_theta {} must be above 1", self.rope_theta));
        }
        Ok(())
    }

    /// K: prefix rows holding the puzzle embedding. No puzzle embedding, no prefix.
    pub fn prefix_len(&self) -> usize {
        match (self.puzzle_emb_ndim, self.puzzle_emb_len) {
            (0, _) => 0,
            (p, 0) => p.div_ceil(self.hidden_size),
            (_, k) => k,
        }
    }

    /// S = K + seq_len: the sequence the network sees.
    pub fn full_seq_len(&self) -> usize {
        self.prefix_len() + self.seq_len
    }

    /// The side of the square grid the sequence spells row by row, if seq_len is a square.
    pub fn grid_side(&self) -> Option<usize> {
        let side = (self.seq_len as f64).sqrt().round() as usize;
        (side * side == self.seq_len).then_some(side)
    }

    pub fn head_dim(&self) -> usize {
        self.hidden_size / self.num_heads.max(1)
    }

    /// Inner width of the channel SwiGLU.
    pub fn mlp_inner(&self) -> usize {
        swiglu_inner(self.hidden_size, self.expansion)
    }

    /// Inner width of the token-mixing SwiGLU (mlp_t variant).
    pub fn mlp_t_inner(&self) -> usize {
        swiglu_inner(self.full_seq_len(), self.expansion)
    }

    /// Network calls per supervision step: T x (n + 1).
    pub fn net_calls_per_step(&self) -> usize {
        self.h_cycles * (self.l_cycles + 1)
    }

    /// Multiply-adds x2 of one supervision step for one puzzle (the products, attention's two
    /// and the heads; not the norms and adds), for benchmarks' FLOP/s figures. The GPU
    /// engine's profile counts its dispatches' (gpu/ops `Work`); a test holds the two equal.
    pub fn flops_per_step(&self) -> f64 {
        let (s, d) = (self.full_seq_len() as f64, self.hidden_size as f64);
        let i = self.mlp_inner() as f64;
        let mix = if self.mlp_t {
            let it = self.mlp_t_inner() as f64;
            2.0 * d * s * (3.0 * it)
        } else {
            2.0 * s * d * (4.0 * d) + 2.0 * 2.0 * s * s * d
        };
        let block = mix + 2.0 * s * d * (3.0 * i);
        let net = block * self.l_layers as f64;
        // lm_head on every cell, q_head's two values on the first row.
        let heads = 2.0 * self.seq_len as f64 * d * self.vocab_size as f64 + 2.0 * d * 2.0;
        net * self.net_calls_per_step() as f64 + heads
    }
}

/// I = round(expansion * w * 2/3) rounded up to a multiple of 256, as the reference sizes SwiGLU.
pub fn swiglu_inner(width: usize, expansion: f32) -> usize {
    let inner = (expansion as f64 * width as f64 * 2.0 / 3.0).round() as usize;
    inner.div_ceil(256) * 256
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sudoku() -> Config {
        crate::puzzle::PuzzleKind::Sudoku.paper_config()
    }

    #[test]
    fn swiglu_sizes_match_the_spec() {
        assert_eq!(swiglu_inner(512, 4.0), 1536);
        assert_eq!(swiglu_inner(256, 4.0), 768);
        assert_eq!(swiglu_inner(128, 4.0), 512);
        assert_eq!(swiglu_inner(97, 4.0), 512);
    }

    #[test]
    fn derived_sizes() {
        let c = sudoku();
        c.validate().unwrap();
        assert_eq!(c.prefix_len(), 16);
        assert_eq!(c.full_seq_len(), 97);
        assert_eq!(c.net_calls_per_step(), 21);
        let mut c2 = c.clone();
        c2.puzzle_emb_len = 0;
        assert_eq!(c2.prefix_len(), 1);
        c2.puzzle_emb_ndim = 0;
        assert_eq!(c2.prefix_len(), 0);
    }

    #[test]
    fn json_round_trip_and_rejections() {
        let c = sudoku();
        assert_eq!(Config::from_json(&c.to_json()).unwrap(), c);
        let mut bad = c.clone();
        bad.mlp_t = false;
        bad.num_heads = 7;
        assert!(matches!(bad.validate(), Err(TrmError::Config(m)) if m.contains("num_heads")));
        let mut bad = c.clone();
        bad.puzzle_emb_ndim = 512 * 17;
        assert!(bad.validate().is_err());
        assert!(Config::from_json("{}").is_err());
        assert!(Config::from_json("not json").is_err());
        let unknown = c.to_json().replace("\"seq_len\"", "\"seq_length\"");
        assert!(Config::from_json(&unknown).is_err());
    }

    #[test]
    fn rope2d_needs_attention_a_square_grid_and_quarters_of_a_head() {
        let mut c = crate::puzzle::PuzzleKind::Maze.paper_config();
        c.pos_encodings = PosEncoding::Rope2d;
        c.validate().unwrap();
        assert_eq!(c.grid_side(), Some(30));
        assert!(c.to_json().contains("\"rope2d\""));
        let mut bad = c.clone();
        bad.seq_len = 899;
        assert!(matches!(bad.validate(), Err(TrmError::Config(m)) if m.contains("square grid")));
        let mut bad = c.clone();
        bad.num_heads = 256; // head dim 2
        assert!(matches!(bad.validate(), Err(TrmError::Config(m)) if m.contains("divisible by 4")));
        let mut bad = c.clone();
        bad.mlp_t = true;
        assert!(matches!(bad.validate(), Err(TrmError::Config(m)) if m.contains("no attention")));
    }
}
