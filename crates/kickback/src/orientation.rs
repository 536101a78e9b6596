//! Orientation: where "up" is in the sensor frame, and how far the leg is
//! raised from its rest pose.
//!
//! Two pieces, both hand-written for this domain:
//!
//! - [`GravityTracker`] fuses gyroscope and accelerometer (a complementary
//!   filter on the gravity direction, with an online gyroscope bias estimate
//!   taken while the leg is still). The gyroscope carries the fast motion; the
//!   accelerometer pulls the estimate back to gravity, trusted only when the
//!   measured specific force is close to 1 g, i.e. when the leg is not
//!   accelerating. Without a gyroscope the low-passed accelerometer direction
//!   is used, which is biased during fast kicks (the README states the cost).
//! - [`ElevationFrame`] holds the rest pose (gravity direction when the leg
//!   hangs still) and the leg's rotation axis, and turns the current gravity
//!   direction into a signed elevation angle. Only angles between gravity
//!   directions are used, so the result does not depend on how the strap sits.

use crate::filter::LowPass3;
use nalgebra::{Matrix3, Vector3};

/// Degrees per radian.
pub(crate) const DEG: f64 = 180.0 / std::f64::consts::PI;

/// Tracks the direction of "up" (the specific force at rest) in the sensor frame.
#[derive(Debug, Clone)]
pub(crate) struct GravityTracker {
    up: Option<Vector3<f64>>,
    bias: Vector3<f64>,
    /// Seconds of continuous stillness (for the bias estimate).
    still_for: f64,
    /// Accelerometer correction time constant, s.
    tau: f64,
    /// Low-pass on the accelerometer for the no-gyroscope path.
    acc_lp: LowPass3,
    /// Slow low-pass on the accelerometer: the reference stillness is
    /// judged against.
    acc_slow: LowPass3,
    g: f64,
    /// [`sqrt_bound`] of [`STILL_RATE`].
    still_rate_sq: f64,
}

/// Accelerometer trust falls off with |‖f‖ − g| on this scale (m/s²): 0.05 g.
const TRUST_SCALE: f64 = 0.05 * crate::STANDARD_GRAVITY;
/// Gyroscope rates below this count as still for the bias estimate (rad/s):
/// 5 °/s (BIOMECHANICS §5.2 "gyro bias handling"), plus the largest turn-on
/// bias we expect (3 °/s), since the raw rate includes the bias.
const STILL_RATE: f64 = 8.0 / DEG;
/// ‖f‖ within this of its recent mean counts as still, m/s² (0.03 g).
const STILL_ACC: f64 = 0.03 * crate::STANDARD_GRAVITY;
/// The specific force within 1° of its recent mean counts as still (sway is
/// 0.3–0.4° RMS, §3.4); kept as tan²(1°).
const STILL_TILT_TAN2: f64 = 3.046_254_729_235_161e-4;
/// Corner of the "recent mean" low-pass, Hz.
const STILL_CORNER_HZ: f64 = 0.5;
/// Stillness needed before the bias estimate updates, s (§5.2: 0.5 s).
const STILL_BIAS_AFTER: f64 = 0.5;
/// Time constant of the bias estimate while still, s.
const BIAS_TAU: f64 = 2.0;
/// Corner of the accelerometer low-pass used without a gyroscope, Hz: the
/// kick's own content is below ~3 Hz (a 0.5 s minimum-jerk phase).
const NO_GYRO_CORNER_HZ: f64 = 3.0;

impl GravityTracker {
    pub(crate) fn new(tau: f64, fs: f64) -> Self {
        GravityTracker {
            up: None,
            bias: Vector3::zeros(),
            still_for: 0.0,
            tau,
            acc_lp: LowPass3::new(fs, NO_GYRO_CORNER_HZ),
            acc_slow: LowPass3::new(fs, STILL_CORNER_HZ),
            g: crate::STANDARD_GRAVITY,
            still_rate_sq: sqrt_bound(STILL_RATE),
        }
    }

    /// Forgets the state (after a long gap).
    pub(crate) fn reset(&mut self) {
        self.up = None;
        self.still_for = 0.0;
        self.acc_lp.reset();
        self.acc_slow.reset();
    }

    /// Current gravity-up estimate, unit length.
    pub(crate) fn up(&self) -> Option<Vector3<f64>> {
        self.up
    }

    /// Angular rate with the bias estimate removed.
    pub(crate) fn corrected_rate(&self, gyro: &Vector3<f64>) -> Vector3<f64> {
        gyro - self.bias
    }

    /// Updates with one uniformly spaced sample (`dt` seconds after the
    /// last); `norm` is `acc.norm()`, which the caller needs too.
    pub(crate) fn update(
        &mut self,
        acc: &Vector3<f64>,
        norm: f64,
        gyro: Option<&Vector3<f64>>,
        dt: f64,
    ) {
        debug_assert_eq!(norm, acc.norm());
        match gyro {
            Some(w_raw) => {
                // The accelerometer direction, computed only where it is used.
                let acc_dir = || {
                    if norm > 1e-6 {
                        Some(acc * (1.0 / norm))
                    } else {
                        None
                    }
                };
                let Some(mut up) = self.up else {
                    self.up = acc_dir();
                    return;
                };
                // Bias: while the leg is still, the true rate is zero. Still
                // means the specific force holds its direction and size (a
                // slow part of a rep turns it by degrees per second) and the
                // gyroscope reads little.
                let slow = self.acc_slow.step(acc);
                // Within STILL_TILT of the recent mean: |a × s| < tan(tilt)·(a · s),
                // without the cost of an inverse cosine.
                let dot = acc.dot(&slow);
                let steady = dot > 0.0
                    && acc.cross(&slow).norm_squared() < STILL_TILT_TAN2 * dot * dot
                    && (norm - slow.norm()).abs() < STILL_ACC;
                // ‖ω − b‖ < STILL_RATE, decided on the squared norm (no square
                // root) against the exactly equivalent bound.
                let still = steady && (w_raw - self.bias).norm_squared() < self.still_rate_sq;
                self.still_for = if still { self.still_for + dt } else { 0.0 };
                if self.still_for >= STILL_BIAS_AFTER {
                    let k = (dt / BIAS_TAU).min(1.0);
                    self.bias += (w_raw - self.bias) * k;
                }
                // Propagate: a world-fixed vector seen from a frame rotating at ω
                // turns at −ω.
                let w = w_raw - self.bias;
                up = rotate_small(&up, &(-w), dt);
                // Correct towards the accelerometer, trusted only near 1 g.
                let dev = (norm - self.g) * (1.0 / TRUST_SCALE);
                // Beyond 4 scales the trust is below 1e-7: skip the exp.
                if dev.abs() < 4.0 {
                    if let Some(a) = acc_dir() {
                        let trust = (-dev * dev).exp();
                        let k = (trust * (dt / self.tau)).min(1.0);
                        up += (a - up) * k;
                    }
                }
                let n = up.norm();
                if n > 1e-9 {
                    self.up = Some(up * (1.0 / n));
                }
            }
            None => {
                let f = self.acc_lp.step(acc);
                let n = f.norm();
                if n > 1e-6 {
                    self.up = Some(f * (1.0 / n));
                }
            }
        }
    }
}

/// The smallest `x` whose correctly rounded square root is at least `c`
/// (`c` > 0): for every `x`, `x.sqrt() < c` exactly when `x < sqrt_bound(c)`,
/// since the rounded square root is monotonic.
fn sqrt_bound(c: f64) -> f64 {
    let next_up = |x: f64| f64::from_bits(x.to_bits() + 1);
    let next_down = |x: f64| f64::from_bits(x.to_bits() - 1);
    let mut t = c * c;
    while t > 0.0 && next_down(t).sqrt() >= c {
        t = next_down(t);
    }
    while t.sqrt() < c {
        t = next_up(t);
    }
    t
}

/// Rotates `v` by the angle |ω|·dt about ω (Rodrigues). Per grid step the
/// angle is small (< 0.4 rad even at 2000 °/s), so the rotation's
/// coefficients come from Taylor series in θ² = |ω|²·dt², exact to 1e-9
/// there, with no square root or division:
///
/// v·cos θ + (ω × v)·dt·(sin θ / θ) + ω·(ω · v)·dt²·((1 − cos θ) / θ²).
pub(crate) fn rotate_small(v: &Vector3<f64>, w: &Vector3<f64>, dt: f64) -> Vector3<f64> {
    let n2 = w.norm_squared();
    if n2 < 1e-30 {
        return *v;
    }
    let t2 = n2 * dt * dt;
    // sin θ / θ and (1 − cos θ) / θ²
    let (sinc, versc) = if t2 < 0.16 {
        (
            1.0 - t2 * (1.0 / 6.0) * (1.0 - t2 * (1.0 / 20.0) * (1.0 - t2 * (1.0 / 42.0))),
            0.5 * (1.0 - t2 * (1.0 / 12.0) * (1.0 - t2 * (1.0 / 30.0) * (1.0 - t2 * (1.0 / 56.0)))),
        )
    } else {
        let th = t2.sqrt();
        let (s, c) = th.sin_cos();
        (s / th, (1.0 - c) / t2)
    };
    let cos = 1.0 - t2 * versc;
    v * cos + w.cross(v) * (dt * sinc) + w * (w.dot(v) * (dt * dt * versc))
}

/// Where the strap sits on the leg, from how the sensor moves: the sensor
/// is carried on a rigid segment turning about a centre (knee or hip), so
/// its linear acceleration is α × r + ω × (ω × r), with r the vector from
/// that centre to the sensor. A least-squares fit of r, forgetting slowly,
/// gives the direction of the leg's long axis in the sensor frame.
#[derive(Debug, Clone)]
pub(crate) struct LeverArm {
    prev_rate: Option<Vector3<f64>>,
    /// Normal equations of the fit (forgetting).
    n: Matrix3<f64>,
    b: Vector3<f64>,
    /// Seconds of motion in the fit.
    moving_s: f64,
}

/// Memory of the lever-arm fit, s.
const LEVER_TAU_S: f64 = 30.0;
/// A fitted centre nearer the sensor than this is no leg swing (the ankle
/// strap is ≥ 0.3 m from the knee, ~0.8 m from the hip): a twist of the
/// shank, or the body moving as a whole (walking), m.
const LEVER_MIN_M: f64 = 0.2;
/// ... and farther than this no joint of the leg, m.
const LEVER_MAX_M: f64 = 1.2;
/// Least excitation (smallest eigenvalue of the normal matrix, s⁻⁴·s) for
/// the fit to be trusted: rotations across the leg must have been seen.
const LEVER_MIN_EXCITATION: f64 = 30.0;

/// The fit needs this much motion, s: more than one swing of the leg.
const LEVER_MIN_MOVING_S: f64 = 2.0;
/// Motion: turning faster than this, rad/s (20 °/s).
const LEVER_MOVING_RATE: f64 = 20.0 / DEG;

fn skew(v: &Vector3<f64>) -> Matrix3<f64> {
    Matrix3::new(0.0, -v.z, v.y, v.z, 0.0, -v.x, -v.y, v.x, 0.0)
}

impl Default for LeverArm {
    fn default() -> Self {
        LeverArm {
            prev_rate: None,
            n: Matrix3::zeros(),
            b: Vector3::zeros(),
            moving_s: 0.0,
        }
    }
}

impl LeverArm {
    /// One sample: `rate` (bias removed), `lin` the specific force less
    /// gravity, `dt` s.
    pub(crate) fn update(&mut self, rate: &Vector3<f64>, lin: &Vector3<f64>, dt: f64) {
        if let Some(p) = self.prev_rate {
            let alpha = (rate - p) * (1.0 / dt);
            let w = skew(rate);
            let m = skew(&alpha) + w * w;
            let k = 1.0 - dt / LEVER_TAU_S;
            self.n = self.n * k + m.transpose() * m * dt;
            self.b = self.b * k + m.transpose() * lin * dt;
            if rate.norm_squared() > LEVER_MOVING_RATE * LEVER_MOVING_RATE {
                self.moving_s += dt;
            }
        }
        self.prev_rate = Some(*rate);
    }

    pub(crate) fn reset(&mut self) {
        *self = LeverArm::default();
    }

    /// Unit vector from the centre of rotation towards the sensor, once the
    /// fit is trusted and its length is a leg's.
    pub(crate) fn long_axis(&self) -> Option<Vector3<f64>> {
        let eig = self.n.symmetric_eigenvalues();
        if eig.min() < LEVER_MIN_EXCITATION || self.moving_s < LEVER_MIN_MOVING_S {
            return None;
        }
        let r = self.n.try_inverse()? * self.b;
        let l = r.norm();
        (LEVER_MIN_M..=LEVER_MAX_M)
            .contains(&l)
            .then(|| r * (1.0 / l))
    }
}

/// The leg's long axis counts once it is this far from the rest "up"
/// (cosine): a leg lying rather than hanging (cos 60°), where a twist of the
/// leg about its own length turns gravity in the sensor frame.
const LYING_COS: f64 = 0.5;

/// How far the leg swung from its rest pose (see [`ElevationFrame::swing`]).
#[derive(Debug, Clone, Copy)]
struct Swing {
    /// Unsigned, deg.
    angle: f64,
    /// The axis to sign it with.
    axis: Option<Vector3<f64>>,
    /// For a lying leg: whether the ankle rose (the sign, whatever the axis).
    lift: Option<bool>,
}

impl Swing {
    fn signed(&self, positive: bool) -> f64 {
        if positive {
            self.angle
        } else {
            -self.angle
        }
    }
}

/// Rest pose and rotation axis: turns "up" into a signed elevation.
#[derive(Debug, Clone, Default)]
pub(crate) struct ElevationFrame {
    /// Gravity-up in the sensor frame when the leg hangs at rest.
    rest: Option<Vector3<f64>>,
    /// Unit rotation axis of the leg's excursions (sensor frame); its sign makes
    /// kicks positive. Unknown until the first large excursion.
    axis: Option<Vector3<f64>>,
    /// Largest excursion seen on each side of the rest pose since the axis
    /// was fixed, deg (positive side, negative side).
    extremes: (f64, f64),
    /// Once reps have been reported the sign must not change.
    sign_frozen: bool,
    /// Set when the sign flipped; taken by [`ElevationFrame::take_flip`].
    flipped: bool,
    /// The leg's long axis (sensor frame), when known.
    long_axis: Option<Vector3<f64>>,
}

/// An excursion larger than this fixes the leg's axis (and a first guess of
/// its sign), deg: above fidgets and sway (< 5°), below any rep (≥ 10°),
/// even the small ones of prone hip extension (10–20°).
const AXIS_FIX_DEG: f64 = 8.0;
/// Excursions larger than this refine the axis estimate, deg.
const AXIS_REFINE_DEG: f64 = 10.0;
/// Until the sign is frozen, it flips if the other side has shown
/// excursions larger by this much, deg: a kick (35–60°) outranges a wind-up
/// (10–25°) or the step into the hanging pose by 10° or more (§5.1).
const AXIS_FLIP_MARGIN_DEG: f64 = 5.0;

impl ElevationFrame {
    pub(crate) fn rest(&self) -> Option<Vector3<f64>> {
        self.rest
    }

    pub(crate) fn axis(&self) -> Option<Vector3<f64>> {
        self.axis
    }

    /// Whether the leg lies (prone, on all fours, on its side): its long
    /// axis, when known, is more than 60° from the rest pose's "up".
    pub(crate) fn lying(&self) -> bool {
        match (self.rest, self.long_axis) {
            (Some(r), Some(l)) => r.dot(&l).abs() < LYING_COS,
            _ => false,
        }
    }

    /// Sets the leg's long axis (see [`LeverArm`]).
    pub(crate) fn set_long_axis(&mut self, l: Option<Vector3<f64>>) {
        self.long_axis = l;
    }

    /// The angle from `r` to `up`, deg, less any twist of the leg about its
    /// long axis when the leg lies: a twist moves "up" on a cone about the
    /// long axis and leaves the leg's elevation (the angle between up and the
    /// long axis) as it was. Also the axis to sign it with, made square to
    /// the long axis (a swing turns the leg about an axis across it), and,
    /// when the leg lies, the sign itself: the leg's far end (the sensor,
    /// at the ankle) rising above where it rested is a lift, whatever way
    /// the leg turned (prone, on all fours or on its side, every variation
    /// lifts the ankle from where it lay; [`LeverArm`] gives the axis from
    /// the centre of rotation towards the sensor, so its sign is known).
    fn swing(&self, r: &Vector3<f64>, up: &Vector3<f64>) -> Swing {
        let c = r.cross(up);
        let angle = c.norm().atan2(r.dot(up)) * DEG;
        match self.long_axis {
            Some(l) if r.dot(&l).abs() < LYING_COS => {
                let tilt = |v: &Vector3<f64>| v.dot(&l).clamp(-1.0, 1.0).acos() * DEG;
                let a = self.axis.map(|a| {
                    let p = a - l * a.dot(&l);
                    let n = p.norm();
                    if n > 1e-6 {
                        p * (1.0 / n)
                    } else {
                        a
                    }
                });
                // the angle from the long axis to up shrinks as the ankle rises
                let rise = tilt(r) - tilt(up);
                Swing {
                    angle: rise.abs().min(angle),
                    axis: a,
                    lift: Some(rise >= 0.0),
                }
            }
            _ => Swing {
                angle,
                axis: self.axis,
                lift: None,
            },
        }
    }

    /// True once after the sign flipped: elevations kept by the caller must
    /// be negated.
    pub(crate) fn take_flip(&mut self) -> bool {
        std::mem::take(&mut self.flipped)
    }

    /// Turns the kick's sign over, frozen or not: the reps were read from
    /// their top (see [`crate::stages::hold::rests_where_reps_peaked`]).
    /// Flags the flip like [`ElevationFrame::elevation`] does.
    pub(crate) fn turn_over(&mut self) {
        if let Some(a) = self.axis {
            self.axis = Some(-a);
            self.extremes = (self.extremes.1, self.extremes.0);
            self.flipped = true;
        }
    }

    /// Keeps the current sign from now on (called once a rep is reported).
    pub(crate) fn freeze_sign(&mut self) {
        self.sign_frozen = true;
    }

    /// Sets the rest pose. Until the sign is frozen, excursions are counted
    /// afresh from it.
    pub(crate) fn set_rest(&mut self, up: Vector3<f64>) {
        self.rest = Some(up);
        if !self.sign_frozen {
            self.extremes = (0.0, 0.0);
        }
    }

    /// Counts an excursion of `deg` on the kick's side as seen, until the
    /// sign is frozen (after a new rest pose, a kick just seen from it).
    pub(crate) fn seed_excursion(&mut self, deg: f64) {
        if !self.sign_frozen {
            self.extremes.0 = self.extremes.0.max(deg);
        }
    }

    /// Signed elevation of `up` with the current rest pose and axis, learning
    /// nothing (for re-reading the recent past after the rest pose moved).
    pub(crate) fn elevation_now(&self, up: &Vector3<f64>) -> Option<f64> {
        let r = self.rest?;
        let c = r.cross(up);
        let sw = self.swing(&r, up);
        Some(match (sw.lift, sw.axis) {
            (Some(lift), _) => sw.signed(lift),
            (None, Some(a)) => sw.signed(c.dot(&a) >= 0.0),
            (None, None) => sw.angle,
        })
    }

    /// Moves the rest pose a fraction `k` of the way towards `up`.
    pub(crate) fn nudge_rest(&mut self, up: &Vector3<f64>, k: f64) {
        if let Some(r) = self.rest {
            let m = r + (up - r) * k.clamp(0.0, 1.0);
            let n = m.norm();
            if n > 1e-9 {
                self.rest = Some(m * (1.0 / n));
            }
        }
    }

    /// Signed elevation of `up` from the rest pose, degrees. Positive is the
    /// direction of the leg's first large excursion (the kick); before one has
    /// been seen the angle is unsigned.
    pub(crate) fn elevation(&mut self, up: &Vector3<f64>, learn: bool) -> Option<f64> {
        let r = self.rest?;
        let c = r.cross(up);
        let s = c.norm();
        let sw = self.swing(&r, up);
        let (angle, signing) = (sw.angle, sw.axis);
        match self.axis {
            None => {
                if learn && angle > AXIS_FIX_DEG {
                    self.axis = Some(c / s);
                    self.extremes = (angle, 0.0);
                }
                Some(angle)
            }
            Some(mut a) => {
                let mut along = c.dot(&signing.unwrap_or(a));
                if learn && !self.sign_frozen {
                    let signed = if along < 0.0 { -angle } else { angle };
                    self.extremes.0 = self.extremes.0.max(signed);
                    self.extremes.1 = self.extremes.1.max(-signed);
                    if self.extremes.1 > self.extremes.0 + AXIS_FLIP_MARGIN_DEG {
                        a = -a;
                        along = -along;
                        self.axis = Some(a);
                        self.extremes = (self.extremes.1, self.extremes.0);
                        self.flipped = true;
                    }
                }
                if learn && angle > AXIS_REFINE_DEG && s > 1e-9 {
                    // Slowly follow the actual axis (abduction variants tilt it).
                    let d = c * (along.signum() / s);
                    let m = a + (d - a) * 0.002;
                    self.axis = Some(m * (1.0 / m.norm()));
                }
                // Out-of-plane motion counts with the sign of its in-plane
                // part; a lying leg's lift is a lift.
                Some(sw.signed(sw.lift.unwrap_or(along >= 0.0)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use nalgebra::{Unit, UnitQuaternion};

    fn feed(gt: &mut GravityTracker, acc: Vector3<f64>, gyro: &Vector3<f64>) {
        gt.update(&acc, acc.norm(), Some(gyro), 0.01);
    }

    fn rotate(v: Vector3<f64>, axis: Vector3<f64>, deg: f64) -> Vector3<f64> {
        UnitQuaternion::from_axis_angle(&Unit::new_normalize(axis), deg / DEG) * v
    }

    #[test]
    fn small_rotation_matches_the_quaternion() {
        let v = Vector3::new(0.3, -0.5, 0.8);
        for (w, dt) in [
            (Vector3::new(1.0, 2.0, -0.5), 0.01),
            (Vector3::new(-30.0, 5.0, 10.0), 0.01),
            (Vector3::new(0.0, 0.0, 1e-9), 0.01),
            (Vector3::new(40.0, 0.0, 0.0), 0.02),
        ] {
            let exact = if w.norm() > 0.0 {
                UnitQuaternion::from_axis_angle(&Unit::new_normalize(w), w.norm() * dt) * v
            } else {
                v
            };
            assert!((rotate_small(&v, &w, dt) - exact).norm() < 1e-9, "{w:?}");
        }
    }

    #[test]
    fn the_squared_bound_decides_like_the_square_root() {
        for c in [STILL_RATE, 1.0, 0.1, 3.0, 1e-3, 7.7] {
            let t = sqrt_bound(c);
            let mut x = t;
            for _ in 0..64 {
                x = f64::from_bits(x.to_bits() - 1);
            }
            for _ in 0..128 {
                assert_eq!(x.sqrt() < c, x < t, "c {c} x {x}");
                x = f64::from_bits(x.to_bits() + 1);
            }
            for x in [0.0, t * 0.5, t * 0.999_999, t * 1.000_001, t * 2.0] {
                assert_eq!(x.sqrt() < c, x < t, "c {c} x {x}");
            }
        }
    }

    #[test]
    fn gyro_integration_follows_a_rotation() {
        // The sensor turns 60° about x at 60 °/s; "up" seen from the sensor
        // turns the other way. No accelerometer trust (norm far from g).
        let fs = 100.0;
        let mut gt = GravityTracker::new(1.0, fs);
        let up0 = Vector3::new(0.0, 0.0, 1.0);
        feed(&mut gt, up0 * 9.80665, &Vector3::zeros());
        let w = Vector3::new(60.0 / DEG, 0.0, 0.0);
        for _ in 0..100 {
            feed(&mut gt, Vector3::new(0.0, 0.0, 30.0), &w);
        }
        let expected = rotate(up0, Vector3::x(), -60.0);
        let got = gt.up().unwrap();
        assert_abs_diff_eq!(got.angle(&expected) * DEG, 0.0, epsilon = 0.01);
    }

    #[test]
    fn accelerometer_corrects_a_wrong_start_and_bias_is_learned() {
        let mut gt = GravityTracker::new(1.0, 100.0);
        let truth = Vector3::new(0.3, -0.5, 0.8).normalize();
        let bias = Vector3::new(2.0, -3.0, 1.0) / DEG; // deg/s
        feed(&mut gt, Vector3::new(1.0, 0.0, 0.0) * 9.80665, &bias);
        for _ in 0..3000 {
            feed(&mut gt, truth * 9.80665, &bias);
        }
        assert!(gt.up().unwrap().angle(&truth) * DEG < 0.2);
        assert!(
            (gt.bias - bias).norm() * DEG < 0.1,
            "bias {:?}",
            gt.bias * DEG
        );
    }

    #[test]
    fn elevation_is_signed_by_the_first_large_excursion_whatever_the_strap() {
        for strap in [Vector3::new(0.2, 0.9, -0.1), Vector3::new(-0.7, 0.1, 0.7)] {
            let mount = UnitQuaternion::from_axis_angle(&Unit::new_normalize(strap), 1.3);
            let up_world_in_sensor = |leg_deg: f64| {
                // Leg rotates about the world y axis; the sensor sees "up"
                // rotated back by the leg angle, then by the strap.
                mount * rotate(Vector3::z(), Vector3::y(), -leg_deg)
            };
            let mut f = ElevationFrame::default();
            f.set_rest(up_world_in_sensor(0.0));
            // A small movement before the axis is known reads unsigned.
            assert_abs_diff_eq!(
                f.elevation(&up_world_in_sensor(-8.0), true).unwrap(),
                8.0,
                epsilon = 1e-9
            );
            // The kick fixes the sign...
            assert_abs_diff_eq!(
                f.elevation(&up_world_in_sensor(45.0), true).unwrap(),
                45.0,
                epsilon = 1e-9
            );
            // ... so the next wind-up reads negative.
            assert_abs_diff_eq!(
                f.elevation(&up_world_in_sensor(-15.0), true).unwrap(),
                -15.0,
                epsilon = 1e-6
            );
            assert_abs_diff_eq!(
                f.elevation(&up_world_in_sensor(70.0), true).unwrap(),
                70.0,
                epsilon = 1e-6
            );
        }
    }

    #[test]
    fn a_wrong_first_guess_of_the_sign_is_corrected_until_frozen() {
        let up = |leg_deg: f64| rotate(Vector3::z(), Vector3::x(), leg_deg);
        let mut f = ElevationFrame::default();
        f.set_rest(up(0.0));
        // A 35° forward swing comes first and fixes the wrong sign...
        assert_abs_diff_eq!(f.elevation(&up(-35.0), true).unwrap(), 35.0, epsilon = 1e-9);
        // ... the kicks that follow are larger, so the sign flips.
        assert!(f.elevation(&up(50.0), true).unwrap() > 49.9);
        assert!(f.take_flip() && !f.take_flip());
        assert!(f.elevation(&up(-20.0), true).unwrap() < -19.9);
        f.freeze_sign();
        for _ in 0..3 {
            assert!(f.elevation(&up(-80.0), true).unwrap() < -79.9);
        }
        assert!(f.elevation(&up(50.0), true).unwrap() > 49.9);
    }

    /// The fit finds where the strap sits from a leg swinging about a joint
    /// `r` (sensor minus centre, body frame of the sensor) and says nothing
    /// when the motion cannot show it.
    #[test]
    fn the_lever_arm_gives_the_long_axis_of_a_swinging_leg() {
        let dt = 0.01;
        // (r, swing axes: (axis, amplitude rad/s), expected long axis)
        type Swings = &'static [([f64; 3], f64)];
        type Case = ([f64; 3], Swings, Option<[f64; 3]>);
        let cases: &[Case] = &[
            // Hip swings across the leg, 0.8 m up it.
            (
                [0.8, 0.0, 0.0],
                &[([0.0, 1.0, 0.0], 2.0), ([0.0, 0.0, 1.0], 1.5)],
                Some([1.0, 0.0, 0.0]),
            ),
            // Knee, 0.4 m, strap turned: the long axis is wherever r is.
            (
                [0.0, -0.4, 0.0],
                &[([1.0, 0.0, 0.0], 2.0), ([0.0, 0.0, 1.0], 1.5)],
                Some([0.0, -1.0, 0.0]),
            ),
            // Only a twist about the leg's own length: nothing to see.
            ([0.8, 0.0, 0.0], &[([1.0, 0.0, 0.0], 2.0)], None),
            // A centre 5 cm away is no joint of the leg.
            (
                [0.05, 0.0, 0.0],
                &[([0.0, 1.0, 0.0], 2.0), ([0.0, 0.0, 1.0], 1.5)],
                None,
            ),
            // Too little motion.
            (
                [0.8, 0.0, 0.0],
                &[([0.0, 1.0, 0.0], 0.1), ([0.0, 0.0, 1.0], 0.1)],
                None,
            ),
        ];
        for (k, &(r, swings, want)) in cases.iter().enumerate() {
            let r = Vector3::from(r);
            let mut fit = LeverArm::default();
            let rate = |t: f64| {
                swings
                    .iter()
                    .enumerate()
                    .fold(Vector3::zeros(), |acc, (i, &(a, amp))| {
                        let f = 0.5 + 0.37 * i as f64;
                        acc + Vector3::from(a) * (amp * (std::f64::consts::TAU * f * t).sin())
                    })
            };
            for i in 0..2000 {
                let t = i as f64 * dt;
                let w = rate(t);
                let alpha = (rate(t + dt / 2.0) - rate(t - dt / 2.0)) / dt;
                let lin = alpha.cross(&r) + w.cross(&w.cross(&r));
                fit.update(&w, &lin, dt);
            }
            match (fit.long_axis(), want) {
                (Some(l), Some(w)) => {
                    assert!((l - Vector3::from(w)).norm() < 0.05, "case {k}: {l:?}")
                }
                (got, want) => assert_eq!(got.is_some(), want.is_some(), "case {k}: {got:?}"),
            }
        }
    }

    /// A twist of the leg about its own length moves "up" in the sensor
    /// frame only when the leg lies; it never reads as elevation there.
    #[test]
    fn a_lying_leg_lifted_reads_positive_whatever_the_axis_learnt() {
        let (x, y, z) = (Vector3::x(), Vector3::y(), Vector3::z());
        // Lying, the sensor towards +x of the centre it turns about: "up"
        // turning towards +x in the sensor frame is the ankle rising.
        // (first excursion that fixed the axis, deg; then, deg; expected)
        let cases: &[(f64, f64, f64)] = &[
            (20.0, 15.0, 15.0),
            (-20.0, 15.0, 15.0),
            (20.0, -10.0, -10.0),
            (-20.0, -10.0, -10.0),
        ];
        for &(first, then, want) in cases {
            let mut f = ElevationFrame::default();
            f.set_rest(z);
            f.set_long_axis(Some(x));
            f.elevation(&rotate(z, y, first), true).unwrap();
            assert!(f.axis().is_some());
            let e = f.elevation(&rotate(z, y, then), true).unwrap();
            assert!((e - want).abs() < 1e-6, "first {first}, then {then}: {e}");
            let now = f.elevation_now(&rotate(z, y, then)).unwrap();
            assert!(
                (now - want).abs() < 1e-6,
                "first {first}, then {then}: {now}"
            );
        }
        // Hanging, the sign still follows the first large excursion.
        let mut f = ElevationFrame::default();
        f.set_rest(z);
        f.set_long_axis(Some(z));
        f.elevation(&rotate(z, y, -30.0), true).unwrap();
        let e = f.elevation(&rotate(z, y, -20.0), true).unwrap();
        assert!((e - 20.0).abs() < 1e-6, "{e}");
    }

    #[test]
    fn a_twist_of_a_lying_leg_is_no_elevation() {
        let x = Vector3::x();
        let (y, z) = (Vector3::y(), Vector3::z());
        // (rest up, long axis, turned about, by deg, expected |elevation|)
        type V = Vector3<f64>;
        let cases: &[(V, Option<V>, V, f64, f64)] = &[
            // Lying, long axis x: twists read 0, a lift across the leg reads.
            (z, Some(x), x, 38.0, 0.0),
            (z, Some(x), x, -38.0, 0.0),
            (z, Some(x), y, 12.0, 12.0),
            // Long axis unknown: the whole angle, as before.
            (z, None, x, 38.0, 38.0),
            // Hanging (long axis along up): every turn is a swing.
            (z, Some(z), y, 40.0, 40.0),
            (z, Some(z), x, 25.0, 25.0),
        ];
        for (k, &(rest, long, about, deg, want)) in cases.iter().enumerate() {
            let mut f = ElevationFrame::default();
            f.set_rest(rest);
            f.set_long_axis(long);
            let e = f.elevation(&rotate(rest, about, deg), false).unwrap();
            assert!((e.abs() - want).abs() < 1e-6, "case {k}: {e}");
            let now = f.elevation_now(&rotate(rest, about, deg)).unwrap();
            assert!((now.abs() - want).abs() < 1e-6, "case {k}: {now}");
        }
    }
}
