//! One error type for the library: every way user input (model files, puzzles, options)
//! can be wrong, with a message a person can act on. The wasm layer turns it into a JS
//! Error whose `name` is `kind()`.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum TrmError {
    #[error("bad model config: {0}")]
    Config(String),
    #[error("bad model file: {0}")]
    ModelFile(String),
    #[error("model file lacks tensor `{0}`")]
    MissingTensor(String),
    #[error("model file has unexpected tensor `{0}` (is this a model of another variant?)")]
    UnexpectedTensor(String),
    #[error("tensor `{name}` has shape {found:?}, the config needs {expected:?}")]
    WrongShape { name: String, expected: Vec<usize>, found: Vec<usize> },
    #[error("tensor `{name}` is stored as {dtype}; only F32, F16 and BF16 are supported")]
    WrongDtype { name: String, dtype: String },
    #[error("tensor `{name}` holds a non-finite value at index {index}")]
    NonFinite { name: String, index: usize },
    #[error("bad input: {0}")]
    Input(String),
    #[error("bad option: {0}")]
    Options(String),
    /// `cells`: the 0-based, row-major cells at fault where the codec knows them (a page marks
    /// them), else empty.
    #[error("puzzle: {message}")]
    Puzzle { message: String, cells: Vec<u32> },
    #[error("GPU: {0}")]
    Gpu(String),
}

impl TrmError {
    /// A stable name per variant family, for JS `error.name` and CLI exit messages.
    pub fn kind(&self) -> &'static str {
        match self {
            TrmError::Config(_)
            | TrmError::ModelFile(_)
            | TrmError::MissingTensor(_)
            | TrmError::UnexpectedTensor(_)
            | TrmError::WrongShape { .. }
            | TrmError::WrongDtype { .. }
            | TrmError::NonFinite { .. } => "ModelError",
            TrmError::Input(_) | TrmError::Options(_) => "InputError",
            TrmError::Puzzle { .. } => "PuzzleError",
            TrmError::Gpu(_) => "GpuError",
        }
    }

    /// A puzzle error that points at no cell in particular.
    pub fn puzzle(message: impl Into<String>) -> TrmError {
        TrmError::Puzzle { message: message.into(), cells: Vec::new() }
    }

    /// The message without the family prefix that `Display` adds (a JS error's `name` says it).
    pub fn message(&self) -> String {
        match self {
            TrmError::Puzzle { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

pub type Result<T, E = TrmError> = std::result::Result<T, E>;
