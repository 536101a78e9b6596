//! A second-order Butterworth low-pass, designed by the `biquad` crate.
//!
//! Its numbers are checked against scipy (`butter(2, fc, fs=fs)` +
//! `lfilter`) in the tests below; the reference vectors are committed in
//! `testdata/scipy_butter2.json` (made by `testdata/scipy_butter2.py`).

use biquad::{Coefficients, ToHertz, Type, Q_BUTTERWORTH_F64};
use nalgebra::Vector3;

/// Causal second-order Butterworth low-pass.
///
/// The coefficients come from `biquad`; the filter itself is its transposed
/// direct form II, written out here (same operations in the same order) so
/// that a step inlines into its caller.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LowPass {
    coeffs: Coefficients<f64>,
    s1: f64,
    s2: f64,
    primed: bool,
}

impl LowPass {
    /// A low-pass with corner `corner_hz` for samples at `fs` Hz. The corner
    /// is clamped below Nyquist.
    pub(crate) fn new(fs: f64, corner_hz: f64) -> Self {
        let corner = corner_hz.min(0.45 * fs).max(1e-3);
        let coeffs = Coefficients::<f64>::from_params(
            Type::LowPass,
            fs.hz(),
            corner.hz(),
            Q_BUTTERWORTH_F64,
        )
        .expect("corner below Nyquist by construction");
        LowPass {
            coeffs,
            s1: 0.0,
            s2: 0.0,
            primed: false,
        }
    }

    /// Forgets the past; the next sample starts the filter at steady state.
    pub(crate) fn reset(&mut self) {
        self.s1 = 0.0;
        self.s2 = 0.0;
        self.primed = false;
    }

    /// Negates the filter's memory, as if every past input had been negated.
    pub(crate) fn negate(&mut self) {
        self.s1 = -self.s1;
        self.s2 = -self.s2;
    }

    /// One step of the transposed direct form II.
    #[inline(always)]
    fn run(&mut self, x: f64) -> f64 {
        let c = &self.coeffs;
        let y = self.s1 + c.b0 * x;
        self.s1 = self.s2 + c.b1 * x - c.a1 * y;
        self.s2 = c.b2 * x - c.a2 * y;
        y
    }

    /// Starts the filter at rest on `x`: for a constant input, s1 and s2
    /// have closed forms (DC gain is 1, so the output is `x`).
    #[cold]
    #[inline(never)]
    fn prime(&mut self, x: f64) {
        self.primed = true;
        let c = self.coeffs;
        let y = x;
        self.s2 = c.b2 * x - c.a2 * y;
        self.s1 = c.b1 * x - c.a1 * y + self.s2;
    }

    /// Filters one sample. The first sample after a reset initialises the
    /// filter at rest on that value (no start-up transient).
    #[inline]
    pub(crate) fn step(&mut self, x: f64) -> f64 {
        if !self.primed {
            self.prime(x);
        }
        self.run(x)
    }

    /// Filters a whole slice from rest at zero (as scipy's `lfilter` does).
    #[cfg(test)]
    fn lfilter(fs: f64, corner_hz: f64, xs: &[f64]) -> Vec<f64> {
        let mut f = LowPass::new(fs, corner_hz);
        f.primed = true;
        xs.iter().map(|&x| f.run(x)).collect()
    }
}

/// The same low-pass on each axis of a vector: one set of coefficients, the
/// same operations as three [`LowPass`]es (so the same numbers), in one step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LowPass3 {
    coeffs: Coefficients<f64>,
    s1: Vector3<f64>,
    s2: Vector3<f64>,
    primed: bool,
}

impl LowPass3 {
    /// As [`LowPass::new`].
    pub(crate) fn new(fs: f64, corner_hz: f64) -> Self {
        LowPass3 {
            coeffs: LowPass::new(fs, corner_hz).coeffs,
            s1: Vector3::zeros(),
            s2: Vector3::zeros(),
            primed: false,
        }
    }

    /// As [`LowPass::reset`].
    pub(crate) fn reset(&mut self) {
        self.s1 = Vector3::zeros();
        self.s2 = Vector3::zeros();
        self.primed = false;
    }

    /// As [`LowPass::step`] on each axis.
    #[inline]
    pub(crate) fn step(&mut self, x: &Vector3<f64>) -> Vector3<f64> {
        let c = self.coeffs;
        if !self.primed {
            self.primed = true;
            self.s2 = x * c.b2 - x * c.a2;
            self.s1 = x * c.b1 - x * c.a1 + self.s2;
        }
        let y = self.s1 + x * c.b0;
        self.s1 = self.s2 + x * c.b1 - y * c.a1;
        self.s2 = x * c.b2 - y * c.a2;
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[derive(serde::Deserialize)]
    struct Case {
        fs: f64,
        corner_hz: f64,
        b: [f64; 3],
        a: [f64; 3],
        x: Vec<f64>,
        y: Vec<f64>,
    }

    #[test]
    fn matches_scipy_butter_lfilter() {
        let text = include_str!("../../../testdata/scipy_butter2.json");
        let cases: Vec<Case> = serde_json::from_str(text).unwrap();
        assert!(cases.len() >= 3);
        for c in cases {
            let f = LowPass::new(c.fs, c.corner_hz);
            assert_relative_eq!(f.coeffs.b0, c.b[0], max_relative = 1e-9);
            assert_relative_eq!(f.coeffs.b1, c.b[1], max_relative = 1e-9);
            assert_relative_eq!(f.coeffs.b2, c.b[2], max_relative = 1e-9);
            assert_relative_eq!(f.coeffs.a1, c.a[1], max_relative = 1e-9);
            assert_relative_eq!(f.coeffs.a2, c.a[2], max_relative = 1e-9);
            let y = LowPass::lfilter(c.fs, c.corner_hz, &c.x);
            for (got, want) in y.iter().zip(&c.y) {
                assert!(
                    (got - want).abs() < 1e-9 * (1.0 + want.abs()),
                    "{got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn the_vector_filter_gives_the_numbers_of_three_scalar_ones() {
        let mut v = LowPass3::new(100.0, 6.0);
        let mut f = [LowPass::new(100.0, 6.0); 3];
        for i in 0..300 {
            let x = Vector3::new(
                (i as f64 * 0.1).sin(),
                9.8 - i as f64 * 0.01,
                (i % 7) as f64,
            );
            let y = v.step(&x);
            for k in 0..3 {
                assert_eq!(
                    y[k].to_bits(),
                    f[k].step(x[k]).to_bits(),
                    "step {i} axis {k}"
                );
            }
            if i == 150 {
                v.reset();
                f.iter_mut().for_each(LowPass::reset);
            }
        }
    }

    #[test]
    fn primed_filter_has_no_start_transient() {
        let mut f = LowPass::new(100.0, 6.0);
        for _ in 0..50 {
            assert_relative_eq!(f.step(3.5), 3.5, epsilon = 1e-9);
        }
    }
}
