//! Whether the leg is still at each grid point, for how long, and the last
//! pose it was held still in.

use super::grid::{DT, GRID_HZ};
use crate::filter::LowPass;
use crate::orientation::DEG;
use crate::sample::STANDARD_GRAVITY;
use nalgebra::Vector3;

/// Still: rate below this, deg/s. Strict, so that the slow ends of a
/// controlled rep (which pass 15 °/s) do not count: a hanging or standing
/// leg sways at ~1 °/s (0.3–0.4° RMS, §3.4), and the gyroscope's bias is
/// estimated and removed.
const STILL_DPS: f64 = 6.0;
/// [`STILL_DPS`] in rad/s, squared (compared with |ω|², no square root).
const STILL_RAD2: f64 = (STILL_DPS / DEG) * (STILL_DPS / DEG);
/// Still: ‖f‖ within this of its recent mean, m/s² (0.05 g). The magnitude
/// must be steady, not equal to 9.81: accelerometer bias and scale error
/// can move it by 0.1 g.
const STILL_ACC: f64 = 0.05 * STANDARD_GRAVITY;
/// Still: that recent mean within this fraction of standard gravity. A
/// sensor at rest reads gravity alone; bias and scale error move it by up
/// to 0.1 g (above), and a steady force further off is the leg being
/// accelerated, not held (or a recording's first, mid-stride sample held).
const STILL_G_OFF: f64 = 0.15;
/// Corner of the low-pass giving that recent mean, Hz.
const NORM_MEAN_CORNER_HZ: f64 = 0.5;
/// A pose held still this long is remembered as a possible rest pose, s.
const HELD_S: f64 = 0.5;

/// A pose the leg was held still in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Held {
    /// When it was last held, s.
    pub(crate) t: f64,
    /// Gravity-up there.
    pub(crate) up: Vector3<f64>,
    /// |f| there, m/s²: gravity as this accelerometer reads it.
    pub(crate) g: f64,
}

/// Stillness at one grid point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Still {
    /// Still at this point.
    pub(crate) now: bool,
    /// Still for this long without a break, s.
    pub(crate) for_s: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Stillness {
    norm_lp: LowPass,
    /// Without a gyroscope: "up" at the last grid point.
    prev_up: Option<Vector3<f64>>,
    still_for: f64,
    held: Option<Held>,
}

impl Stillness {
    pub(crate) fn new() -> Self {
        Stillness {
            norm_lp: LowPass::new(GRID_HZ, NORM_MEAN_CORNER_HZ),
            prev_up: None,
            still_for: 0.0,
            held: None,
        }
    }

    /// After a long gap: stillness starts over (the last held pose is kept).
    pub(crate) fn reset(&mut self) {
        self.norm_lp.reset();
        self.prev_up = None;
        self.still_for = 0.0;
    }

    /// How long the leg has been still without a break, s.
    #[inline]
    pub(crate) fn still_for(&self) -> f64 {
        self.still_for
    }

    /// The last pose held still for [`HELD_S`].
    #[inline]
    pub(crate) fn held(&self) -> Option<&Held> {
        self.held.as_ref()
    }

    /// Gravity as this accelerometer reads it, m/s² (standard gravity
    /// until the leg has been held still).
    #[inline]
    pub(crate) fn gravity(&self) -> f64 {
        self.held.as_ref().map_or(STANDARD_GRAVITY, |h| h.g)
    }

    /// One grid point: `norm` is |f|, `rate` the angular rate (None without
    /// a gyroscope: then the turn of `up` itself is the rate).
    #[inline]
    pub(crate) fn step(
        &mut self,
        t: f64,
        norm: f64,
        up: &Vector3<f64>,
        rate: Option<&Vector3<f64>>,
    ) -> Still {
        let norm_lp = self.norm_lp.step(norm);
        let acc_ok = (norm - norm_lp).abs() < STILL_ACC
            && (norm_lp - STANDARD_GRAVITY).abs() < STILL_G_OFF * STANDARD_GRAVITY;
        let slow = match rate {
            Some(w) => w.norm_squared() < STILL_RAD2,
            // The turn rate of "up" itself, not of the elevation: the rest
            // pose follows a still leg, so the elevation's rate would stay
            // small while the leg starts to rise.
            None => {
                let turn = self
                    .prev_up
                    .map_or(0.0, |p| p.cross(up).norm() * (DEG / DT));
                self.prev_up = Some(*up);
                turn < STILL_DPS
            }
        };
        let now = acc_ok && slow;
        self.still_for = if now { self.still_for + DT } else { 0.0 };
        if self.still_for >= HELD_S {
            self.held = Some(Held {
                t,
                up: *up,
                g: norm_lp,
            });
        }
        Still {
            now,
            for_s: self.still_for,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stillness_needs_a_steady_force_and_a_slow_turn() {
        let up = Vector3::new(0.0, 0.0, 1.0);
        // (rate, deg/s, or None; force wobble, m/s²; |f| in g; still at the
        // end; held)
        let cases: &[(Option<f64>, f64, f64, bool, bool)] = &[
            (Some(0.0), 0.0, 0.99, true, true),
            (Some(5.0), 0.0, 0.99, true, true),
            (Some(7.0), 0.0, 0.99, false, false),
            (Some(0.0), 2.0, 0.99, false, false),
            (None, 0.0, 0.99, true, true),
            // Bias and scale error of 0.1 g: still.
            (Some(0.0), 0.0, 1.1, true, true),
            (Some(0.0), 0.0, 0.9, true, true),
            // A steady 1.3 g or 0.7 g is acceleration, not rest.
            (Some(0.0), 0.0, 1.3, false, false),
            (None, 0.0, 0.7, false, false),
        ];
        for &(dps, wobble, g, still, held) in cases {
            let g = g * STANDARD_GRAVITY;
            let mut s = Stillness::new();
            let w = dps.map(|d| Vector3::new(d / DEG, 0.0, 0.0));
            let mut last = None;
            for i in 0..100 {
                let n = g + if i % 2 == 0 { wobble } else { -wobble };
                last = Some(s.step(i as f64 * DT, n, &up, w.as_ref()));
            }
            let last = last.expect("stepped");
            assert_eq!(last.now, still, "{dps:?} {wobble}");
            assert_eq!(s.held().is_some(), held, "{dps:?} {wobble}");
            if still {
                assert!((last.for_s - 1.0).abs() < 1e-9);
                assert!((s.gravity() - g).abs() < 1e-6);
            } else {
                assert_eq!(s.gravity(), STANDARD_GRAVITY);
            }
        }
    }

    #[test]
    fn without_a_gyroscope_a_turning_up_is_not_still() {
        let mut s = Stillness::new();
        // 10 °/s about x.
        let mut moving = false;
        for i in 0..50 {
            let a = (i as f64 * 10.0 * DT) / DEG;
            let up = Vector3::new(0.0, a.sin(), a.cos());
            moving |= !s.step(i as f64 * DT, 9.8, &up, None).now && i > 0;
        }
        assert!(moving);
        s.reset();
        assert!(s.step(1.0, 9.8, &Vector3::z(), None).now);
    }
}
