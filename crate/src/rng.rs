//! The one pseudo-random generator of the crate: puzzles, augmentations, random weights and
//! tests all draw from it, so a seed means the same thing everywhere (and no OS entropy is
//! needed in wasm).

/// SplitMix64: tiny, seedable, and good enough for shuffling. Kept internal so the same seed
/// gives the same puzzles on every platform and no OS entropy source is needed in wasm.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`; 0 when `n <= 1`.
    pub fn below(&mut self, n: usize) -> usize {
        below(&mut || self.next_u64(), n)
    }

    /// Uniform in (0, 1), from the top 24 bits.
    pub fn uniform(&mut self) -> f32 {
        ((self.next_u64() >> 40) as f32 + 0.5) / (1u64 << 24) as f32
    }

    /// Standard normal (Box-Muller), for random weights.
    pub fn normal(&mut self) -> f32 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f32::consts::TAU * v).cos()
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Uniform in `0..n` from any u64 source (Lemire's multiply-and-reject, so no modulo bias);
/// 0 when `n <= 1`. The ARC and maze code take their randomness as such a closure.
pub fn below(rng: &mut impl FnMut() -> u64, n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    let n = n as u64;
    let threshold = n.wrapping_neg() % n;
    loop {
        let m = (rng() as u128) * (n as u128);
        if (m as u64) >= threshold {
            return (m >> 64) as usize;
        }
    }
}
