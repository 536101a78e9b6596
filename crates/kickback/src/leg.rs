//! The leg as a pendulum, for recordings without a gyroscope.
//!
//! Without a gyroscope the only clue to the leg's angle is the accelerometer,
//! and during a kick it measures far more than gravity: the ankle swings on a
//! radius r about the hip, so the specific force carries a tangential r·α and
//! a centripetal r·ω² besides gravity (up to 5–7 g on a thrown rep). Reading
//! the angle straight off the force's direction bends a thrown rep's trace
//! by tens of degrees.
//!
//! [`LegFilter`] models the kick as a rotation θ(t) of a rigid leg about the
//! hip axis, and fits that model to the accelerometer with an extended
//! Kalman filter. In the plane of the kick, with `n` the direction from the
//! strap up to the hip (the rest pose's "up" for a hanging leg) and `t` the
//! direction the ankle moves as θ grows, the specific force is
//!
//! ```text
//! f·n = g·cos θ + r·ω²        f·t = g·sin θ + r·α
//! ```
//!
//! with ω = θ' and α = θ''. The state is (θ, ω, α, g): the angle and its
//! rates, driven by white jerk, and the accelerometer's reading of gravity,
//! which drifts slowly.
//!
//! One motion is invisible to an accelerometer: a leg swinging freely at the
//! pendulum frequency √(g/r) reads g·θ + r·θ'' = 0 along `t`, like a still
//! one (the strap is in free fall along its path). Left alone, the filter
//! would let such a swing grow out of noise; the angular rate is therefore
//! damped towards zero with [`RATE_DAMPING_S`], which a driven kick
//! overcomes and a phantom swing does not.

use nalgebra::{Matrix2, Matrix2x4, Matrix4, Vector2, Vector4};

/// Effective radius of the strap's path, m. The hip-to-strap distance is
/// about 0.8 m (hip to ankle 0.49 H, BIOMECHANICS §4, at H = 1.75 m, less the
/// strap's height above the ankle), but a swung leg also bends at the knee,
/// which turns the shank about a point nearer the strap. On simulated
/// recordings without a gyroscope, 0.6–0.8 m count best; 0.7 m is between.
const RADIUS_M: f64 = 0.7;
/// Spectral density of the jerk driving the model, (rad/s³)²·s: enough to
/// follow a controlled rep (peak jerk near 60 rad/s³) closely and a thrown
/// one (near 2000 rad/s³ for 60° in 0.3 s, minimum jerk) at all. Tuned on
/// simulated recordings (3·10⁴ to 3·10⁵ count alike; outside that, worse).
const JERK_PSD: f64 = 1.0e5;
/// Standard deviation of what the model leaves out, per axis, m/s²: strap
/// wobble (about 1° + 0.5°/g, §3.4), the knee's bend moving the hip off the
/// rest "up" (up to 12°, §4), the hip itself moving with the pelvis.
const MISFIT_MS2: f64 = 2.5;
/// How fast the accelerometer's reading of gravity may drift, m/s² per √s
/// (temperature). It is a state so that a scale error of a few percent is
/// not read as the leg swinging.
const G_DRIFT: f64 = 0.05;
/// Time constant with which the angular rate decays unless driven, s. See
/// the module docs; 0.3–0.5 s counts best on simulated recordings, 2 s lets
/// phantom swings through.
const RATE_DAMPING_S: f64 = 0.5;

/// The extended Kalman filter on (θ, ω, α, g). See the module docs.
///
/// Cost: a handful of 4×4 products per step, only for recordings without a
/// gyroscope.
#[derive(Debug, Clone)]
pub(crate) struct LegFilter {
    x: Vector4<f64>,
    p: Matrix4<f64>,
    f: Matrix4<f64>,
    q: Matrix4<f64>,
    r: Matrix2<f64>,
}

impl LegFilter {
    /// Starts at rest at angle `theta` (rad), with gravity read as `g`
    /// (m/s²), for steps of `dt` s.
    pub(crate) fn new(theta: f64, g: f64, dt: f64) -> Self {
        let (d2, d3, d4, d5) = (dt * dt, dt * dt * dt, dt.powi(4), dt.powi(5));
        // White jerk integrated into (θ, ω, α) over one step.
        let jerk = [
            [d5 / 20.0, d4 / 8.0, d3 / 6.0],
            [d4 / 8.0, d3 / 3.0, d2 / 2.0],
            [d3 / 6.0, d2 / 2.0, dt],
        ];
        let mut q = Matrix4::zeros();
        for (i, row) in jerk.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                q[(i, j)] = v * JERK_PSD;
            }
        }
        q[(3, 3)] = G_DRIFT * G_DRIFT * dt;
        let mut f = Matrix4::identity();
        f[(0, 1)] = dt;
        f[(0, 2)] = 0.5 * d2;
        f[(1, 1)] = 1.0 - dt / RATE_DAMPING_S;
        f[(1, 2)] = dt;
        LegFilter {
            x: Vector4::new(theta, 0.0, 0.0, g),
            p: Matrix4::from_diagonal(&Vector4::new(0.05, 1.0, 10.0, 0.04)),
            f,
            q,
            r: Matrix2::identity() * (MISFIT_MS2 * MISFIT_MS2),
        }
    }

    /// The leg's angle from the rest pose, rad.
    pub(crate) fn theta(&self) -> f64 {
        self.x[0]
    }

    /// One step: `fn_` and `ft` are the specific force along the hip
    /// direction and the direction of motion, m/s².
    pub(crate) fn update(&mut self, fn_: f64, ft: f64) {
        // Predict.
        self.x = self.f * self.x;
        self.p = self.f * self.p * self.f.transpose() + self.q;
        // Correct.
        let (th, w, a, g) = (self.x[0], self.x[1], self.x[2], self.x[3]);
        let (s, c) = th.sin_cos();
        let h = Vector2::new(g * c + RADIUS_M * w * w, g * s + RADIUS_M * a);
        let jac = Matrix2x4::new(-g * s, 2.0 * RADIUS_M * w, 0.0, c, g * c, 0.0, RADIUS_M, s);
        let pht = self.p * jac.transpose();
        let Some(s_inv) = (jac * pht + self.r).try_inverse() else {
            return;
        };
        let k = pht * s_inv;
        self.x += k * (Vector2::new(fn_, ft) - h);
        self.p = (Matrix4::identity() - k * jac) * self.p;
        // Keep P symmetric against rounding.
        self.p = (self.p + self.p.transpose()) * 0.5;
        if !self.x.iter().chain(self.p.iter()).all(|v| v.is_finite()) {
            // Not reached with finite inputs; start over rather than carry
            // a NaN.
            let dt = self.f[(0, 1)];
            *self = LegFilter::new(ft.atan2(fn_), fn_.hypot(ft), dt);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DT: f64 = 0.01;
    const G: f64 = 9.81;

    /// The specific force (along n, along t) of the model leg.
    fn force(th: f64, w: f64, a: f64) -> (f64, f64) {
        (G * th.cos() + RADIUS_M * w * w, G * th.sin() + RADIUS_M * a)
    }

    /// Minimum-jerk rise by `amp` rad over `dur` s from `t0`, held for
    /// `hold` s, and back over `dur` s: (θ, ω, α) at `t`.
    fn rep(t: f64, t0: f64, amp: f64, dur: f64, hold: f64) -> (f64, f64, f64) {
        let mj = |u: f64| {
            let u = u.clamp(0.0, 1.0);
            (
                10.0 * u.powi(3) - 15.0 * u.powi(4) + 6.0 * u.powi(5),
                (30.0 * u * u - 60.0 * u.powi(3) + 30.0 * u.powi(4)) / dur,
                (60.0 * u - 180.0 * u * u + 120.0 * u.powi(3)) / (dur * dur),
            )
        };
        let down = t0 + dur + hold;
        if t < down {
            let (s, ds, dds) = mj((t - t0) / dur);
            (amp * s, amp * ds, amp * dds)
        } else {
            let (s, ds, dds) = mj((t - down) / dur);
            (amp * (1.0 - s), -amp * ds, -amp * dds)
        }
    }

    /// Over a rep: the largest error of the filter and of the force's
    /// direction, and the error of the filter's highest reading, degrees.
    fn errors(amp_deg: f64, dur: f64, hold: f64) -> (f64, f64, f64) {
        let mut f = LegFilter::new(0.0, G, DT);
        let (mut filter, mut direction, mut top): (f64, f64, f64) = (0.0, 0.0, 0.0);
        for i in 0..500 {
            let (th, w, a) = rep(i as f64 * DT, 1.0, amp_deg.to_radians(), dur, hold);
            let (fn_, ft) = force(th, w, a);
            f.update(fn_, ft);
            filter = filter.max((f.theta() - th).abs());
            direction = direction.max((ft.atan2(fn_) - th).abs());
            top = top.max(f.theta());
        }
        (
            filter.to_degrees(),
            direction.to_degrees(),
            top.to_degrees() - amp_deg,
        )
    }

    #[test]
    fn a_controlled_rep_is_followed_and_its_top_read_right() {
        // 45° in 1 s, held 1 s, lowered in 1 s: the force's direction is
        // 18° off at the start and end of each phase.
        let (filter, direction, top) = errors(45.0, 1.0, 1.0);
        assert!(direction > 15.0, "direction {direction:.2}°");
        assert!(filter < direction / 2.0, "filter {filter:.2}°");
        assert!(top.abs() < 1.0, "top {top:.2}°");
    }

    #[test]
    fn a_thrown_rep_is_read_far_better_than_from_the_force_direction() {
        // 60° in 0.3 s and straight back: up to 6 g of swing.
        let (filter, direction, top) = errors(60.0, 0.3, 0.0);
        assert!(direction > 30.0, "direction {direction:.2}°");
        assert!(filter < direction / 2.0, "filter {filter:.2}°");
        assert!(top.abs() < 15.0, "top {top:.2}°");
    }

    #[test]
    fn holds_still_at_the_measured_angle_whatever_the_accelerometer_scale() {
        // Started 6° off and with gravity read 2% low.
        let mut f = LegFilter::new(0.4, G * 0.98, DT);
        for _ in 0..1000 {
            let (fn_, ft) = force(0.5, 0.0, 0.0);
            f.update(fn_, ft);
        }
        assert!((f.theta() - 0.5).abs().to_degrees() < 0.3, "{}", f.theta());
        assert!((f.x[3] - G).abs() < 0.1, "{}", f.x[3]);
    }

    #[test]
    fn noise_at_rest_does_not_grow_into_a_swing() {
        // 0.05 m/s² of noise on both axes for a minute (deterministic LCG).
        let mut f = LegFilter::new(0.0, G, DT);
        let mut seed = 12345u64;
        let mut noise = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.17
        };
        let mut worst: f64 = 0.0;
        for _ in 0..6000 {
            let (fn_, ft) = force(0.0, 0.0, 0.0);
            f.update(fn_ + noise(), ft + noise());
            worst = worst.max(f.theta().abs());
        }
        assert!(worst.to_degrees() < 1.0, "{}", worst.to_degrees());
    }
}
