//! Small helpers over the seeded ChaCha8 generator.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

/// U(a, b).
pub(crate) fn uniform(rng: &mut ChaCha8Rng, a: f64, b: f64) -> f64 {
    if b <= a {
        return a;
    }
    rng.random_range(a..b)
}

/// N(mean, sd).
pub(crate) fn normal(rng: &mut ChaCha8Rng, mean: f64, sd: f64) -> f64 {
    if sd <= 0.0 {
        return mean;
    }
    Normal::new(mean, sd).map(|d| d.sample(rng)).unwrap_or(mean)
}

/// N(mean, sd) clipped to [lo, hi].
pub(crate) fn normal_clipped(rng: &mut ChaCha8Rng, mean: f64, sd: f64, lo: f64, hi: f64) -> f64 {
    normal(rng, mean, sd).clamp(lo, hi)
}

/// Integer in [a, b] inclusive.
pub(crate) fn int(rng: &mut ChaCha8Rng, a: usize, b: usize) -> usize {
    rng.random_range(a..=b)
}

/// One element of a slice.
pub(crate) fn pick<T: Copy>(rng: &mut ChaCha8Rng, xs: &[T]) -> T {
    xs[rng.random_range(0..xs.len())]
}
