//! trm: the Tiny Recursive Model ("Less is More: Recursive Reasoning with Tiny Networks",
//! 2025) for Sudoku, ARC-AGI and mazes, with a CPU engine and a WebGPU engine behind one
//! recursion driver. See ARCHITECTURE.md at the repository root for the why.

pub mod config;
pub mod cpu;
pub mod engine;
pub mod error;
pub mod eval;
pub mod gpu;
pub mod latent;
pub mod puzzle;
pub mod recursion;
pub mod rng;
pub mod search;
pub mod solve;
pub mod tables;
pub mod tensor;
pub mod weights;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use config::Config;
pub use error::{Result, TrmError};
pub use recursion::{Batch, Engine, Options, PuzzleStep, Readout, Recursion, StepReport};
pub use puzzle::PuzzleKind;
pub use weights::Model;

/// Run a future that never waits on anything outside itself (the CPU engine's steps) to
/// completion, so native callers need no async runtime.
pub fn block_on<F: std::future::Future>(fut: F) -> F::Output {
    use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
    fn noop(_: *const ()) {}
    fn clone(p: *const ()) -> RawWaker {
        RawWaker::new(p, &VTABLE)
    }
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
    let waker = unsafe { Waker::from_raw(RawWaker::new(std::ptr::null(), &VTABLE)) };
    let mut cx = Context::from_waker(&waker);
    let mut fut = std::pin::pin!(fut);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::yield_now();
    }
}
