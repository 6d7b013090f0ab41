//! The integration tests, as one test binary: each file below was its own binary, and on a
//! 2-core machine linking twelve copies of the crate with wgpu cost minutes of a fresh
//! `cargo test` (docs/REHEARSAL.md). `cargo test --test it MODULE::` runs one file's tests.

mod common;

mod arc_eval;
mod catalog;
mod cli;
mod fuzz_corpus;
mod gpu;
mod grid_augment;
mod latent;
mod model_file;
mod parity;
mod recursion;
mod search;
mod solve;
