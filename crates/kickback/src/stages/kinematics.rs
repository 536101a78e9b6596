//! From elevation and sensor readings to a [`Point`]: the elevation's rate,
//! the angular rate about the kick's axis and the linear acceleration, all
//! through the same low-pass so they stay aligned in time.

use super::grid::GRID_HZ;
use crate::filter::{LowPass, LowPass3};
use crate::sample::STANDARD_GRAVITY;
use nalgebra::Vector3;

/// Corner of the low-pass used before differentiating angles, Hz: voluntary
/// movement is below ~10 Hz, and §5 applies detector thresholds after a
/// 6 Hz low-pass.
const VELOCITY_CORNER_HZ: f64 = 6.0;

/// One point of the grid, as the rep detector sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    pub(crate) t: f64,
    /// Signed elevation from rest, deg.
    pub(crate) e: f64,
    /// Elevation rate (low-passed), deg/s.
    pub(crate) v: f64,
    /// Angular rate about the leg's axis, rad/s (0 without a gyroscope).
    pub(crate) w: f64,
    /// Specific force minus gravity, sensor frame, low-passed, m/s².
    pub(crate) lin: Vector3<f64>,
    /// The same, unfiltered (for impacts), m/s².
    pub(crate) raw_lin: Vector3<f64>,
    /// Gravity-up in the sensor frame (to re-read elevations if the rest
    /// pose turns out to have moved).
    pub(crate) up: Vector3<f64>,
}

#[derive(Debug, Clone)]
pub(crate) struct Kinematics {
    e_lp: LowPass,
    e_lp_prev: Option<f64>,
    w_lp: LowPass,
    w_lp_prev: Option<f64>,
    lin_lp: LowPass3,
}

impl Kinematics {
    pub(crate) fn new() -> Self {
        Kinematics {
            e_lp: LowPass::new(GRID_HZ, VELOCITY_CORNER_HZ),
            e_lp_prev: None,
            w_lp: LowPass::new(GRID_HZ, VELOCITY_CORNER_HZ),
            w_lp_prev: None,
            lin_lp: LowPass3::new(GRID_HZ, VELOCITY_CORNER_HZ),
        }
    }

    /// After a long gap: every filter starts over.
    pub(crate) fn reset(&mut self) {
        self.restart_elevation();
        self.w_lp.reset();
        self.w_lp_prev = None;
        self.lin_lp.reset();
    }

    /// The elevation jumped with the rest pose: its filter restarts so the
    /// jump is not read as a velocity.
    pub(crate) fn restart_elevation(&mut self) {
        self.e_lp.reset();
        self.e_lp_prev = None;
    }

    /// The kick's sign flipped: the filters' memory is negated with it.
    pub(crate) fn negate(&mut self) {
        self.e_lp.negate();
        self.e_lp_prev = self.e_lp_prev.map(|x| -x);
        self.w_lp.negate();
        self.w_lp_prev = self.w_lp_prev.map(|x| -x);
    }

    /// One grid point: elevation `e` (deg), the specific force `acc`, "up",
    /// the angular rate and the kick's axis where known.
    #[inline]
    pub(crate) fn step(
        &mut self,
        t: f64,
        e: f64,
        acc: &Vector3<f64>,
        up: Vector3<f64>,
        rate: Option<Vector3<f64>>,
        axis: Option<Vector3<f64>>,
    ) -> Point {
        let e_f = self.e_lp.step(e);
        let v = self.e_lp_prev.map_or(0.0, |p| (e_f - p) * GRID_HZ);
        self.e_lp_prev = Some(e_f);
        let w = match (rate, axis) {
            (Some(r), Some(a)) => {
                // Rate and linear acceleration pass the same low-pass, so they
                // stay aligned in time for the pivot fit.
                let wf = self.w_lp.step(r.dot(&a));
                let prev = self.w_lp_prev.unwrap_or(wf);
                self.w_lp_prev = Some(wf);
                0.5 * (wf + prev)
            }
            _ => 0.0,
        };
        let raw_lin = acc - up * STANDARD_GRAVITY;
        let lin = self.lin_lp.step(&raw_lin);
        Point {
            t,
            e,
            v,
            w,
            lin,
            raw_lin,
            up,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rate of a steady ramp, and what resets and negation do to it.
    #[test]
    fn rates_follow_the_elevation() {
        let up = Vector3::z();
        let acc = up * STANDARD_GRAVITY;
        let axis = Some(Vector3::x());
        // (deg/s of the ramp, rad/s about x, then: 0 nothing, 1 restart the
        // elevation, 2 negate the memory and the next input; expected v and
        // w at the next point)
        let cases: &[(f64, f64, u8, f64, f64)] = &[
            (20.0, 1.0, 0, 20.0, 1.0),
            (-30.0, 0.5, 0, -30.0, 0.5),
            // A restarted elevation filter reads no rate at first.
            (20.0, 1.0, 1, 0.0, 1.0),
            // Negated memory and input: the same rates, negated.
            (20.0, 1.0, 2, -20.0, -1.0),
        ];
        for &(dps, w, action, want_v, want_w) in cases {
            let mut k = Kinematics::new();
            let rate = Some(Vector3::new(w, 0.0, 0.0));
            let mut e = 0.0;
            for i in 0..300 {
                e = dps * i as f64 / GRID_HZ;
                k.step(i as f64, e, &acc, up, rate, axis);
            }
            let mut next = e + dps / GRID_HZ;
            let mut rate = rate;
            match action {
                1 => k.restart_elevation(),
                2 => {
                    k.negate();
                    next = -next;
                    rate = rate.map(|r| -r);
                }
                _ => {}
            }
            let p = k.step(3.0, next, &acc, up, rate, axis);
            assert_eq!(p.e, next);
            assert!((p.v - want_v).abs() < 1e-6, "{dps} {action}: {}", p.v);
            assert!((p.w - want_w).abs() < 1e-9, "{w} {action}: {}", p.w);
            assert!(p.lin.norm() < 1e-9 && p.raw_lin.norm() < 1e-9);
        }
    }

    #[test]
    fn without_an_axis_there_is_no_rate_about_it() {
        let mut k = Kinematics::new();
        let p = k.step(
            0.0,
            1.0,
            &Vector3::zeros(),
            Vector3::z(),
            Some(Vector3::x()),
            None,
        );
        assert_eq!(p.w, 0.0);
        assert!((p.raw_lin + Vector3::z() * STANDARD_GRAVITY).norm() < 1e-12);
    }
}
