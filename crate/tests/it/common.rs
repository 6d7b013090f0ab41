//! Helpers shared by the integration tests: fixture paths and the parity measure.
#![allow(dead_code)]

use std::path::PathBuf;

use safetensors::SafeTensors;

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Outputs of the paper's own code on its checkpoints (tests/reference/README.md).
pub fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/reference")
}

pub fn read(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// max|a - b| / max|b|, the parity measure of the issue.
pub fn rel_err(a: &[f32], b: &[f32]) -> f64 {
    assert_eq!(a.len(), b.len(), "length mismatch");
    let num = a.iter().zip(b).map(|(x, y)| (*x as f64 - *y as f64).abs()).fold(0.0, f64::max);
    let den = b.iter().map(|y| (*y as f64).abs()).fold(0.0, f64::max).max(1e-30);
    num / den
}

pub struct Io {
    bytes: Vec<u8>,
}

impl Io {
    pub fn open(name: &str) -> Io {
        Io { bytes: read(&fixtures().join(format!("{name}.io.safetensors"))) }
    }
    fn st(&self) -> SafeTensors<'_> {
        SafeTensors::deserialize(&self.bytes).expect("fixture parses")
    }
    pub fn f32(&self, name: &str) -> Vec<f32> {
        let st = self.st();
        let t = st.tensor(name).unwrap_or_else(|_| panic!("fixture lacks {name}"));
        t.data().chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().unwrap())).collect()
    }
    pub fn u32(&self, name: &str) -> Vec<u32> {
        let st = self.st();
        let t = st.tensor(name).unwrap_or_else(|_| panic!("fixture lacks {name}"));
        t.data().chunks_exact(4).map(|b| i32::from_le_bytes(b.try_into().unwrap()) as u32).collect()
    }
}

/// Argmax per row, first maximum winning (as torch.argmax).
pub fn argmax_rows(x: &[f32], width: usize) -> Vec<u32> {
    x.chunks_exact(width)
        .map(|r| {
            let mut best = 0;
            for (i, v) in r.iter().enumerate() {
                if *v > r[best] {
                    best = i;
                }
            }
            best as u32
        })
        .collect()
}

/// One supervision step by hand (T cycles of n latent updates and an answer update).
pub fn engine_step<E: trm::Engine>(e: &mut E) -> trm::Readout {
    let (t, n) = (e.config().h_cycles, e.config().l_cycles);
    for _ in 0..t {
        for _ in 0..n {
            e.update_z().unwrap();
        }
        e.update_y(false).unwrap();
    }
    trm::block_on(e.finish_step()).unwrap()
}

/// Restarting one slot is loading that puzzle fresh, and leaves every other slot alone: on a
/// batch of `batch.size()` puzzles, the last slot is restarted with `fresh` (one puzzle)
/// before the first step and again after two steps; after the third, the last slot reads as
/// `fresh` after one step and the others as the batch after three. `make` builds an engine
/// on the model (the engine under test for every run, so that the comparisons are exact up
/// to `tol`).
pub fn check_restart<E: trm::Engine>(mut make: impl FnMut() -> E, batch: &trm::Batch, fresh: &trm::Batch, tol: f64) {
    let (b, l) = (batch.size(), batch.tokens.len() / batch.size());
    let last = b - 1;
    let mut e = make();
    e.load_batch(batch).unwrap();
    // Before the first step: a pending initialisation must not undo the restart.
    e.restart_slot(last, &fresh.tokens, fresh.puzzle_ids[0]).unwrap();
    let first = engine_step(&mut e);
    engine_step(&mut e);
    e.restart_slot(last, &fresh.tokens, fresh.puzzle_ids[0]).unwrap();
    let got = engine_step(&mut e);

    let mut whole = make();
    whole.load_batch(batch).unwrap();
    let mut want = trm::Readout::default();
    for _ in 0..3 {
        want = engine_step(&mut whole);
    }
    let mut one = make();
    one.load_batch(fresh).unwrap();
    let want_fresh = engine_step(&mut one);

    for (name, got, want) in [("first step", &first, &want_fresh), ("after the second restart", &got, &want_fresh)] {
        let s = last * l..b * l;
        assert!(rel_err(&got.probs[s.clone()], &want.probs) <= tol, "{name}: restarted slot's probabilities");
        assert_eq!(&got.tokens[s], &want.tokens[..], "{name}: restarted slot's answer");
        assert!((got.q_halt[last] - want.q_halt[0]).abs() as f64 <= tol * 10.0, "{name}: restarted slot's q_halt");
    }
    let others = 0..last * l;
    assert!(rel_err(&got.probs[others.clone()], &want.probs[others.clone()]) <= tol, "the other slots' probabilities moved");
    assert_eq!(&got.tokens[others.clone()], &want.tokens[others], "the other slots' answers moved");
    assert!(e.restart_slot(b, &fresh.tokens, 0).is_err(), "a slot past the batch is refused");
    assert!(e.restart_slot(0, &fresh.tokens[1..], 0).is_err(), "a short puzzle is refused");
}

/// `model` with a random latent basis (unit directions, spread 1..3), for tests of the
/// latent read-out where no trained basis exists.
pub fn with_random_basis(mut model: trm::Model, seed: u64) -> trm::Model {
    use trm::latent::{LatentBasis, Projection};
    let d = model.config.hidden_size;
    let mut rng = trm::rng::Rng::new(seed);
    let mut projection = || {
        let mut components: Vec<f32> = (0..3 * d).map(|_| rng.normal()).collect();
        for row in components.chunks_exact_mut(d) {
            let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
            row.iter_mut().for_each(|x| *x /= norm);
        }
        Projection { mean: (0..d).map(|_| rng.normal() * 0.1).collect(), components, scale: vec![1.0, 2.0, 3.0] }
    };
    model.latent = Some(LatentBasis { y: projection(), z: projection() });
    model
}
