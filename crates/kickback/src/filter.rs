//! A second-order Butterworth low-pass, from the `biquad` crate.
//!
//! Its numbers are checked against scipy (`butter(2, fc, fs=fs)` +
//! `lfilter`) in the tests below; the reference vectors are committed in
//! `testdata/scipy_butter2.json` (made by `testdata/scipy_butter2.py`).

use biquad::{Biquad, Coefficients, DirectForm2Transposed, ToHertz, Type, Q_BUTTERWORTH_F64};

/// Causal second-order Butterworth low-pass.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LowPass {
    coeffs: Coefficients<f64>,
    state: DirectForm2Transposed<f64>,
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
            state: DirectForm2Transposed::<f64>::new(coeffs),
            primed: false,
        }
    }

    /// Forgets the past; the next sample starts the filter at steady state.
    pub(crate) fn reset(&mut self) {
        self.state = DirectForm2Transposed::<f64>::new(self.coeffs);
        self.primed = false;
    }

    /// Negates the filter's memory, as if every past input had been negated.
    pub(crate) fn negate(&mut self) {
        self.state.s1 = -self.state.s1;
        self.state.s2 = -self.state.s2;
    }

    /// Filters one sample. The first sample after a reset initialises the
    /// filter at rest on that value (no start-up transient).
    pub(crate) fn step(&mut self, x: f64) -> f64 {
        if !self.primed {
            self.primed = true;
            // Run to steady state on the first value: DC gain is 1.
            for _ in 0..64 {
                self.state.run(x);
            }
            // Settle exactly: for a constant input, s1 and s2 have closed forms.
            let c = self.coeffs;
            let y = x;
            self.state.s2 = c.b2 * x - c.a2 * y;
            self.state.s1 = c.b1 * x - c.a1 * y + self.state.s2;
        }
        self.state.run(x)
    }

    /// Filters a whole slice from rest at zero (as scipy's `lfilter` does).
    #[cfg(test)]
    fn lfilter(fs: f64, corner_hz: f64, xs: &[f64]) -> Vec<f64> {
        let mut f = LowPass::new(fs, corner_hz);
        f.primed = true;
        xs.iter().map(|&x| f.state.run(x)).collect()
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
    fn primed_filter_has_no_start_transient() {
        let mut f = LowPass::new(100.0, 6.0);
        for _ in 0..50 {
            assert_relative_eq!(f.step(3.5), 3.5, epsilon = 1e-9);
        }
    }
}
