//! What a copy's augmentation means outside the network, for any kind: its name, and its
//! inverse on per-cell values (each codec's own geometry maps a token back to its cell).

use super::{arc, sudoku, Answer, Augment};

impl Augment {
    /// A person's name for the augmentation.
    pub fn name(&self) -> String {
        match self {
            Augment::Sudoku(s) if *s == sudoku::Augmentation::identity() => "identity".into(),
            Augment::Sudoku(_) => "relabelled and shuffled".into(),
            Augment::Maze(d) => d.name().into(),
            Augment::Arc(a) if a.is_identity() => "identity".into(),
            Augment::Arc(a) => {
                let colours: String = a.colours.0.iter().map(|c| c.to_string()).collect();
                format!("{} colours {colours}", a.dihedral.name())
            }
        }
    }

    /// Per-token values of a copy under this augmentation (probabilities, latent colours)
    /// brought to the cells of `answer` in the puzzle's frame, row-major: the cell that moved
    /// to token position k takes per_token[k].
    pub fn to_frame<T: Copy + Default>(&self, answer: &Answer, per_token: &[T]) -> Vec<T> {
        let at = |k: usize| per_token.get(k).copied().unwrap_or_default();
        match (self, answer) {
            (Augment::Sudoku(a), Answer::Sudoku(_)) => {
                let mut out = vec![T::default(); sudoku::CELLS];
                for k in 0..sudoku::CELLS {
                    out[a.source(k)] = at(k);
                }
                out
            }
            (Augment::Maze(d), Answer::Maze(m)) => {
                let side = m.side();
                let mut out = vec![T::default(); side * side];
                for i in 0..side {
                    for j in 0..side {
                        let (r, c) = d.source(i, j, side, side);
                        out[r * side + c] = at(i * side + j);
                    }
                }
                out
            }
            (Augment::Arc(a), Answer::Arc(g)) => {
                // The answer was decoded at the top-left of the canvas in the copy's frame, where
                // it is (h, w) or (w, h); the inverse transform brings it back.
                let side = arc::canvas_side(per_token.len()).unwrap_or(arc::SIDE);
                let inv = a.dihedral.inverse();
                let (ah, aw) = if inv.swaps_sides() { (g.w, g.h) } else { (g.h, g.w) };
                let mut out = Vec::with_capacity(g.h * g.w);
                for i in 0..g.h {
                    for j in 0..g.w {
                        let (r, c) = inv.source(i, j, ah, aw);
                        out.push(at(r * side + c));
                    }
                }
                out
            }
            _ => Vec::new(),
        }
    }
}
