use serde::Serialize;

use super::Grid;

/// An input grid and, for demonstrations always and for test pairs when known, its output.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Pair {
    pub input: Grid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Grid>,
}

/// A task: demonstration pairs and test pairs. `serde_json::to_string` writes it back in the
/// ARC file format.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Task {
    pub train: Vec<Pair>,
    pub test: Vec<Pair>,
}

impl Task {
    /// Whether every grid of the task (demonstrations and tests, inputs and known outputs)
    /// is within `side` x `side`: the subset a model on a smaller canvas is trained and
    /// measured on (train/trm/arc_data.py `fits` is the same rule).
    pub fn fits(&self, side: usize) -> bool {
        self.train.iter().chain(&self.test).all(|p| {
            std::iter::once(&p.input).chain(&p.output).all(|g| g.h <= side && g.w <= side)
        })
    }
}
