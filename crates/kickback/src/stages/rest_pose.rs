//! The rest pose and the kick's axis ([`ElevationFrame`]): found from the
//! first stillness, followed while the leg rests between reps, and turned
//! into a signed elevation at each grid point.

use super::grid::DT;
use crate::orientation::ElevationFrame;
use nalgebra::Vector3;

/// Stillness that first fixes the rest pose, s.
const FIRST_STILL_S: f64 = 0.3;
/// If nothing is still by then, the pose at this time is taken
/// provisionally, s.
const PROVISIONAL_AT_S: f64 = 2.0;
/// Stillness that confirms a provisional rest pose, s.
const CONFIRM_S: f64 = 1.0;
/// Stillness after which the rest pose follows the leg's pose, s (a short
/// bottom pause is enough), if no rep is under way.
const SETTLE_S: f64 = 0.2;
/// Time constant with which the rest pose follows, s.
const SETTLE_TAU_S: f64 = 0.3;
/// The leg within this of the rest pose is back at rest, deg: a rep rises
/// at least `reps.min_rise_deg` (10°) from it and comes back to it.
const NEAR_DEG: f64 = 10.0;
/// A rest pose the leg has not been back near for this long, moving, is
/// no longer known to be the rest pose, s. Every rep of a set starts at
/// rest, so a rise from elsewhere this long after the leg left it did not
/// start from rest: longer than the slowest rep with a long hold (2 s up,
/// 5 s held, 2 s down; PT prone hip extension), so that a rep not quite
/// back down before the next does not make it stale.
const STALE_S: f64 = 9.0;

/// A leg that dwelt this long, slower than `reps.bottom_velocity_dps`, at
/// the valley a rise starts from was resting there, s: a rep's bottom pause,
/// or the slow end of its lowering (minimum-jerk speed stays low for the
/// last tenth of it). A swing through a valley turns round at once
/// (a pedal stroke of ±40° at 1 Hz is under 15 °/s for 0.03 s).
pub(crate) const DWELL_S: f64 = 0.2;

/// What the rest pose did at a grid point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RestUpdate {
    /// Nothing to do.
    Unchanged,
    /// The leg has rested long enough for the rest pose to follow it; the
    /// caller decides whether a rep under way keeps it from doing so, and
    /// then calls [`RestPose::settle`].
    Settling,
}

/// Whether the kick's axis is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Axis {
    Unknown,
    /// Found at this grid point.
    Found,
    Known,
}

/// A signed elevation read at one grid point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reading {
    /// Elevation from the rest pose, deg (+ is the kick's direction).
    pub(crate) e: f64,
    /// The kick's sign flipped at this point: elevations kept from before
    /// are in the old sign.
    pub(crate) flipped: bool,
    pub(crate) axis: Axis,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RestPose {
    frame: ElevationFrame,
    /// The rest pose was taken without stillness, as a guess.
    provisional: bool,
    /// Whether the leg's axis was known at the last grid point.
    axis_known: bool,
    /// The last time the leg read within NEAR_DEG of the rest pose (`None`
    /// for a rest pose just set: the next reading counts as near).
    near_t: Option<f64>,
}

impl RestPose {
    #[inline]
    pub(crate) fn frame(&self) -> &ElevationFrame {
        &self.frame
    }

    /// Whether the rest pose is still a guess (or unknown).
    pub(crate) fn is_guess(&self) -> bool {
        self.frame.rest().is_none() || self.provisional
    }

    /// Fixes the rest pose from the first stillness (or a guess after
    /// [`PROVISIONAL_AT_S`]); once fixed, says when it may follow the leg.
    #[inline]
    pub(crate) fn check(&mut self, t: f64, up: &Vector3<f64>, still_for: f64) -> RestUpdate {
        if self.frame.rest().is_none() {
            if still_for >= FIRST_STILL_S {
                self.set_rest(*up);
                self.provisional = false;
            } else if t >= PROVISIONAL_AT_S {
                self.set_rest(*up);
                self.provisional = true;
            }
            return RestUpdate::Unchanged;
        }
        if still_for < SETTLE_S {
            RestUpdate::Unchanged
        } else {
            RestUpdate::Settling
        }
    }

    /// The rest pose follows the resting leg: wherever the leg rests while
    /// no rep is under way is the rest pose (standing, hanging from the
    /// cable, on all fours). A guessed pose is confirmed by stillness.
    #[inline]
    pub(crate) fn settle(&mut self, up: &Vector3<f64>, still_for: f64) {
        if self.provisional && still_for >= CONFIRM_S {
            self.provisional = false;
        }
        self.frame.nudge_rest(up, DT / SETTLE_TAU_S);
    }

    /// The leg's long axis, when known (see [`ElevationFrame::set_long_axis`]).
    pub(crate) fn set_long_axis(&mut self, l: Option<Vector3<f64>>) {
        self.frame.set_long_axis(l);
    }

    /// Makes `up` the rest pose at once.
    pub(crate) fn set_rest(&mut self, up: Vector3<f64>) {
        self.frame.set_rest(up);
        self.near_t = None;
    }

    /// The last time the leg read within NEAR_DEG of the rest pose.
    pub(crate) fn near_t(&self) -> Option<f64> {
        self.near_t
    }

    /// Whether, at `t`, the leg has been away from the rest pose (further
    /// than NEAR_DEG) for longer than STALE_S: a rise from there did not
    /// start from this rest pose.
    pub(crate) fn is_stale(&self, t: f64) -> bool {
        self.near_t.is_some_and(|n| t - n > STALE_S)
    }

    /// Counts a kick of `deg` just seen from the rest pose (see
    /// [`ElevationFrame::seed_excursion`]).
    pub(crate) fn seed_excursion(&mut self, deg: f64) {
        self.frame.seed_excursion(deg);
    }

    /// Turns the kick's sign over (see [`ElevationFrame::turn_over`]).
    pub(crate) fn turn_over(&mut self) {
        self.frame.turn_over();
    }

    /// Keeps the kick's sign from now on (a rep has been found).
    pub(crate) fn freeze_sign(&mut self) {
        self.frame.freeze_sign();
    }

    /// The elevation of `up` with the frame as it is, learning nothing.
    pub(crate) fn elevation_now(&self, up: &Vector3<f64>) -> Option<f64> {
        self.frame.elevation_now(up)
    }

    /// The elevation at a grid point; the axis is learnt only from a
    /// confirmed rest pose (excursions from a guessed one say nothing about
    /// which way the kick goes). `None` until there is a rest pose.
    #[inline]
    pub(crate) fn read(&mut self, t: f64, up: &Vector3<f64>) -> Option<Reading> {
        let learn = !self.provisional;
        let e = self.frame.elevation(up, learn)?;
        if e.abs() < NEAR_DEG || self.near_t.is_none() {
            self.near_t = Some(t);
        }
        let flipped = self.frame.take_flip();
        let axis = match (self.frame.axis().is_some(), self.axis_known) {
            (false, _) => Axis::Unknown,
            (true, false) => {
                self.axis_known = true;
                Axis::Found
            }
            (true, true) => Axis::Known,
        };
        Some(Reading { e, flipped, axis })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up_at(deg: f64) -> Vector3<f64> {
        let a = deg.to_radians();
        Vector3::new(0.0, a.sin(), a.cos())
    }

    #[test]
    fn the_rest_pose_comes_from_stillness_or_a_guess() {
        // (time, stillness so far, rest pose fixed, a guess, update)
        let cases: &[(f64, f64, bool, bool, RestUpdate)] = &[
            (0.5, 0.1, false, true, RestUpdate::Unchanged),
            (0.5, 0.3, true, false, RestUpdate::Unchanged),
            (2.0, 0.0, true, true, RestUpdate::Unchanged),
        ];
        for &(t, still, fixed, guess, update) in cases {
            let mut r = RestPose::default();
            assert_eq!(r.check(t, &up_at(0.0), still), update);
            assert_eq!(r.frame().rest().is_some(), fixed, "{t} {still}");
            assert_eq!(r.is_guess(), guess, "{t} {still}");
        }
    }

    #[test]
    fn a_fixed_rest_pose_settles_and_is_confirmed() {
        // (stillness, update, guess after settling)
        let cases: &[(f64, RestUpdate, bool)] = &[
            (0.1, RestUpdate::Unchanged, true),
            (0.2, RestUpdate::Settling, true),
            (1.0, RestUpdate::Settling, false),
        ];
        for &(still, update, guess) in cases {
            let mut r = RestPose::default();
            r.check(2.0, &up_at(0.0), 0.0);
            assert!(r.is_guess());
            assert_eq!(r.check(3.0, &up_at(10.0), still), update);
            if update == RestUpdate::Settling {
                r.settle(&up_at(10.0), still);
                // A step of DT / SETTLE_TAU_S towards the leg.
                let e = r.elevation_now(&up_at(10.0)).expect("rest is fixed");
                assert!((e - 10.0 * (1.0 - DT / SETTLE_TAU_S)).abs() < 0.01, "{e}");
            }
            assert_eq!(r.is_guess(), guess, "{still}");
        }
    }

    #[test]
    fn a_rest_pose_the_leg_stays_away_from_goes_stale() {
        // (time, elevation of the leg, stale then)
        let steps: &[(f64, f64, bool)] = &[
            (0.0, 0.0, false),
            (1.0, 9.0, false),
            // Away (a long hold, or walking from a rest pose taken
            // mid-stride) ...
            (2.0, 30.0, false),
            (1.0 + STALE_S, 40.0, false),
            // ... for longer than STALE_S since it was last near.
            (1.5 + STALE_S, 35.0, true),
            // Back within NEAR_DEG: fresh again, below rest as above.
            (2.0 + STALE_S, -8.0, false),
            (3.0 + 2.0 * STALE_S, 25.0, true),
        ];
        let mut r = RestPose::default();
        r.check(0.0, &up_at(0.0), 0.5);
        for &(t, deg, stale) in steps {
            r.read(t, &up_at(deg)).expect("rest is fixed");
            assert_eq!(r.is_stale(t), stale, "{t} {deg}");
        }
        // A rest pose set anew is near wherever the leg is next read.
        r.set_rest(up_at(60.0));
        assert!(!r.is_stale(3.0 + 2.0 * STALE_S));
        r.read(4.0 + 2.0 * STALE_S, &up_at(25.0))
            .expect("rest is fixed");
        assert!(!r.is_stale(4.0 + 2.0 * STALE_S));
        assert_eq!(r.near_t(), Some(4.0 + 2.0 * STALE_S));
    }

    #[test]
    fn the_axis_is_found_once_and_flips_are_reported() {
        let mut r = RestPose::default();
        r.check(0.0, &up_at(0.0), 0.5);
        // (elevation of the leg, axis state, flipped, signed reading)
        let steps: &[(f64, Axis, bool, f64)] = &[
            (5.0, Axis::Unknown, false, 5.0),
            (10.0, Axis::Found, false, 10.0),
            (12.0, Axis::Known, false, 12.0),
            (-8.0, Axis::Known, false, -8.0),
            // Larger the other way by the flip margin: the sign flips.
            (-20.0, Axis::Known, true, 20.0),
            (12.0, Axis::Known, false, -12.0),
        ];
        for &(deg, axis, flipped, e) in steps {
            let got = r.read(0.0, &up_at(deg)).expect("rest is fixed");
            assert_eq!((got.axis, got.flipped), (axis, flipped), "{deg}");
            assert!((got.e - e).abs() < 1e-9, "{deg}: {}", got.e);
        }
    }
}
