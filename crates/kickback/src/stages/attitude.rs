//! Gravity-up in the sensor frame at each grid point: the gyroscope fused
//! with the accelerometer ([`GravityTracker`]), or, without a gyroscope and
//! once the plane of the kick is known, a pendulum model of the leg
//! ([`LegFilter`]) fitted to the accelerometer.

use super::grid::{GridPoint, DT};
use super::history::History;
use crate::leg::LegFilter;
use crate::orientation::{ElevationFrame, GravityTracker, LeverArm};
use crate::sample::STANDARD_GRAVITY;
use nalgebra::Vector3;

/// The leg model restarts when the rest pose or the axis moves by more than
/// 2° between grid points (cosine): it was re-anchored or flipped.
const LEG_BASIS_COS: f64 = 0.999_390_827;

/// The plane a [`LegFilter`] runs in: unit vectors from the strap towards
/// the hip and along the ankle's path as the leg rises (sensor frame).
type LegPlane = (Vector3<f64>, Vector3<f64>);

/// The sensor's attitude at a grid point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pose {
    /// Unit gravity-up, sensor frame.
    pub(crate) up: Vector3<f64>,
    /// Angular rate with the gyroscope's bias removed, rad/s.
    pub(crate) rate: Option<Vector3<f64>>,
    /// |specific force|, m/s².
    pub(crate) norm: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Attitude {
    gravity: GravityTracker,
    /// Without a gyroscope: the leg model, and the (hip, motion) directions
    /// it was run in.
    leg: Option<(LegFilter, LegPlane)>,
    /// With a gyroscope: the fit of where the strap sits on the leg, and
    /// the long axis it last gave (refreshed every [`LONG_AXIS_EVERY`]).
    lever: LeverArm,
    long_axis: Option<Vector3<f64>>,
    since_axis: u32,
}

/// Grid points between refreshes of the leg's long axis.
const LONG_AXIS_EVERY: u32 = 10;

/// Unit "up" at angle `th` in the plane `(n, t)`, with the part along the
/// axis taken from `lp_up` (a kick with abduction leaves the plane a little).
fn leg_pose(th: f64, (n, t): LegPlane, axis: Vector3<f64>, lp_up: Vector3<f64>) -> Vector3<f64> {
    let up = n * th.cos() + t * th.sin() + axis * lp_up.dot(&axis);
    let m = up.norm();
    if m > 1e-9 {
        up * (1.0 / m)
    } else {
        lp_up
    }
}

/// The plane of the kick for [`LegFilter`], once the rest pose and the
/// kick's axis are known: n towards the hip (the rest "up", made square to
/// the axis), t where the ankle goes as the leg rises.
fn leg_plane(frame: &ElevationFrame) -> Option<(LegPlane, Vector3<f64>)> {
    let (rest, axis) = (frame.rest()?, frame.axis()?);
    let n = rest - axis * rest.dot(&axis);
    let nn = n.norm();
    if nn < 1e-6 {
        return None;
    }
    let n = n * (1.0 / nn);
    Some(((n, axis.cross(&n)), axis))
}

impl Attitude {
    pub(crate) fn new(fusion_time_constant_s: f64) -> Self {
        Attitude {
            gravity: GravityTracker::new(fusion_time_constant_s, super::grid::GRID_HZ),
            leg: None,
            lever: LeverArm::default(),
            long_axis: None,
            since_axis: 0,
        }
    }

    /// After a long gap: start over.
    pub(crate) fn reset(&mut self) {
        self.gravity.reset();
        self.leg = None;
        self.lever.reset();
        self.long_axis = None;
    }

    /// The leg's long axis in the sensor frame, when the motion has shown it.
    pub(crate) fn long_axis(&self) -> Option<Vector3<f64>> {
        self.long_axis
    }

    /// One grid point. `frame` is the rest pose and axis so far, `g_rest`
    /// gravity as this accelerometer reads it. `None` until "up" is known.
    #[inline]
    pub(crate) fn step(
        &mut self,
        g: &GridPoint,
        frame: &ElevationFrame,
        g_rest: f64,
    ) -> Option<Pose> {
        let norm = g.acc.norm();
        self.gravity.update(&g.acc, norm, g.gyro.as_ref(), DT);
        let up = self.gravity.up()?;
        let rate = g.gyro.map(|w| self.gravity.corrected_rate(&w));
        // Without a gyroscope, the leg's angle comes from a model of the
        // swinging leg once the plane of the kick is known.
        let up = match rate {
            None => self.leg_up(&g.acc, up, frame, g_rest),
            Some(w) => {
                self.lever.update(&w, &(g.acc - up * g_rest), DT);
                self.since_axis += 1;
                if self.since_axis >= LONG_AXIS_EVERY {
                    self.since_axis = 0;
                    self.long_axis = self.lever.long_axis();
                }
                up
            }
        };
        Some(Pose { up, rate, norm })
    }

    /// Gravity-up from [`LegFilter`] (no gyroscope): in the plane of the
    /// kick, the angle the model fits to the accelerometer; across it, the
    /// low-passed accelerometer's direction `lp_up`. Until the rest pose and
    /// the kick's axis are known, `lp_up` itself.
    fn leg_up(
        &mut self,
        acc: &Vector3<f64>,
        lp_up: Vector3<f64>,
        frame: &ElevationFrame,
        g_rest: f64,
    ) -> Vector3<f64> {
        let Some(((n, t), axis)) = leg_plane(frame) else {
            self.leg = None;
            return lp_up;
        };
        // A new rest pose or axis (re-anchored, flipped): start again there.
        let jumped = |(n0, t0): LegPlane| n0.dot(&n) < LEG_BASIS_COS || t0.dot(&t) < LEG_BASIS_COS;
        match &mut self.leg {
            Some((f, plane)) if !jumped(*plane) => {
                *plane = (n, t);
                f.update(acc.dot(&n), acc.dot(&t));
            }
            _ => {
                let f = LegFilter::new(lp_up.dot(&t).atan2(lp_up.dot(&n)), g_rest, DT);
                self.leg = Some((f, (n, t)));
            }
        }
        let th = self.leg.as_ref().map_or(0.0, |(f, _)| f.theta());
        leg_pose(th, (n, t), axis, lp_up)
    }

    /// The kick's axis was just found (no gyroscope): the leg model is run
    /// over the kept points from the oldest, so that the rise that showed the
    /// axis (and the pose before it) is read with the model too, and starts
    /// with its motion under way rather than from rest mid-swing.
    pub(crate) fn replay(&mut self, history: &mut History, frame: &ElevationFrame, g_rest: f64) {
        let Some(((n, t), axis)) = leg_plane(frame) else {
            return;
        };
        let mut filter: Option<LegFilter> = None;
        for q in history.iter_mut() {
            // The points keep "up" (here the accelerometer's direction) and
            // the specific force less gravity along it: together, the force.
            let acc = q.raw_lin + q.up * STANDARD_GRAVITY;
            let f = match &mut filter {
                Some(f) => {
                    f.update(acc.dot(&n), acc.dot(&t));
                    f
                }
                None => filter.insert(LegFilter::new(q.up.dot(&t).atan2(q.up.dot(&n)), g_rest, DT)),
            };
            q.up = leg_pose(f.theta(), (n, t), axis, q.up);
            q.raw_lin = acc - q.up * STANDARD_GRAVITY;
        }
        self.leg = filter.map(|f| (f, (n, t)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orientation::DEG;

    fn point(acc: [f64; 3], gyro: Option<[f64; 3]>) -> GridPoint {
        GridPoint {
            t: 0.0,
            acc: Vector3::from(acc),
            gyro: gyro.map(Vector3::from),
        }
    }

    /// Up after a few seconds of a constant reading, with and without a
    /// gyroscope, with and without a known plane of the kick.
    #[test]
    fn up_follows_a_steady_reading() {
        let g = STANDARD_GRAVITY;
        let tilted = [0.0, g * (30.0 / DEG).sin(), g * (30.0 / DEG).cos()];
        // (reading, gyroscope, frame known, expected up)
        let cases: &[([f64; 3], bool, bool, [f64; 3])] = &[
            ([0.0, 0.0, g], true, false, [0.0, 0.0, 1.0]),
            ([0.0, 0.0, g], false, false, [0.0, 0.0, 1.0]),
            ([0.0, 0.0, g], false, true, [0.0, 0.0, 1.0]),
            (tilted, true, false, [0.0, 0.5, 0.866_025_403_784_438_6]),
            (tilted, false, true, [0.0, 0.5, 0.866_025_403_784_438_6]),
        ];
        for &(acc, gyro, known, want) in cases {
            let mut frame = ElevationFrame::default();
            if known {
                // Rest hanging straight, kicks about x.
                frame.set_rest(Vector3::new(0.0, 0.0, 1.0));
                let _ = frame.elevation(&Vector3::new(0.0, 0.5, 0.866), true);
                assert!(frame.axis().is_some());
            }
            let mut a = Attitude::new(0.5);
            let mut last = None;
            for _ in 0..500 {
                last = a.step(&point(acc, gyro.then_some([0.0; 3])), &frame, g);
            }
            let pose = last.expect("up is known");
            assert_eq!(pose.rate.is_some(), gyro);
            assert!((pose.norm - g).abs() < 1e-9);
            let err = (pose.up - Vector3::from(want)).norm();
            assert!(
                err < 2e-3,
                "{acc:?} gyro {gyro} known {known}: {:?}",
                pose.up
            );
        }
    }

    #[test]
    fn after_a_reset_up_starts_from_the_next_reading() {
        let frame = ElevationFrame::default();
        let flat = point([0.0, 0.0, 9.8], Some([0.0; 3]));
        let side = point([0.0, 9.8, 0.0], Some([0.0; 3]));
        // (reset between the two readings, y of up after the second)
        for (reset, want_y) in [(false, 0.0), (true, 1.0)] {
            let mut a = Attitude::new(0.5);
            for _ in 0..100 {
                a.step(&flat, &frame, 9.8);
            }
            if reset {
                a.reset();
            }
            let up = a.step(&side, &frame, 9.8).expect("up is known").up;
            assert!((up.y - want_y).abs() < 0.05, "reset {reset}: {up:?}");
        }
    }
}
