//! A long hold: a rise that stayed still at its top far longer than a
//! squeeze (3 s) is taken as a new pose, and the rest pose follows the leg
//! there. But physiotherapy prescribes isometric holds of 5 s and more
//! (prone hip extension, "hold 5 s"), and a person may hold a kickback's
//! squeeze as long. A new pose and a long hold differ in what comes next:
//! from a new pose the leg does not come back, within a rep's time, to
//! where the rise started; from a hold it does, and then it was a rep.
//!
//! So the rise set aside as a new pose is watched, against the rest pose it
//! rose from, until it either comes back there (the orchestrator restores
//! that rest pose and measures the rep) or runs out of time (it was a new
//! pose after all).

use super::grid::DT;
use crate::orientation::ElevationFrame;
use crate::stages::rest_pose::RestPose;
use crate::stages::rise::Candidate;
use nalgebra::Vector3;

/// The longest a rep with a hold takes, s: isometric holds are prescribed
/// for 5-10 s (physiotherapy's "hold 5 s"), plus up to 2 s each way. A
/// "rise" that comes back later was a pose held, then left.
const LONGEST_HELD_REP_S: f64 = 14.0;
/// Having come back, the leg rests there within this long, s: a leg
/// lowered from a hold comes to rest (on the floor, the bench, or hanging
/// from the cable), while one that sweeps through the old rest pose without
/// stopping is walking on from a pose it had stood in.
const REST_AFTER_S: f64 = 3.0;
/// Resting there means still this long, s, within the return tolerance of
/// where the rise started (a rep moving on from the held pose passes
/// through that level, but does not rest there).
const REST_S: f64 = 0.3;
/// Or staying back there this long, s, still or not: a leg settling
/// slowly onto the floor or the bench after a hold never reads still
/// until it has long been down (real prone and supine sets), while one
/// that walks on sweeps through that band in well under 0.1 s. Short
/// enough that the rep is reported within 1.0 s of its end.
const SETTLED_S: f64 = 0.5;

/// What the watch made of a grid point.
#[derive(Debug, Clone)]
pub(crate) enum HoldStep {
    /// Still held, or on the way back.
    Waiting,
    /// The leg came back to where the rise started and reached its bottom
    /// at `low_t`: the rise was a rep with a long hold. Restore `rest` and
    /// measure it.
    Returned { c: Candidate, rest: Box<RestPose> },
    /// Longer than any rep: the pose was new.
    Expired(Candidate),
}

/// The leg back below the return level since `t`; its lowest point since.
#[derive(Debug, Clone, Copy)]
struct Back {
    t: f64,
    low_t: f64,
    low_e: f64,
    /// Seconds resting where the rise started, so far.
    rest_s: f64,
    /// Seconds back there, still or not, so far.
    band_s: f64,
}

/// A rise set aside as a new pose, watched against the rest pose it rose
/// from.
#[derive(Debug, Clone)]
pub(crate) struct LongHold {
    c: Candidate,
    /// The rest pose (and kick axis) the rise was measured from.
    rest: RestPose,
    /// When the leg came back below the return level, and the lowest
    /// elevation since, and when: `None` while it is still up.
    back: Option<Back>,
}

impl LongHold {
    /// Watches `c`, which rose from `rest`.
    pub(crate) fn new(c: Candidate, rest: &RestPose) -> Self {
        LongHold {
            c,
            rest: rest.clone(),
            back: None,
        }
    }

    /// When the held rise started, s.
    pub(crate) fn start_t(&self) -> f64 {
        self.c.start_t
    }

    /// The rise watched.
    pub(crate) fn candidate(&self) -> &Candidate {
        &self.c
    }

    /// One grid point: the leg points `up` at `t`. A rep comes back by
    /// `return_fraction` of its rise and is over within `max_duration_s`
    /// (and [`LONGEST_HELD_REP_S`]) of its start.
    pub(crate) fn step(
        &mut self,
        t: f64,
        up: &Vector3<f64>,
        still_now: bool,
        return_fraction: f64,
        max_duration_s: f64,
    ) -> HoldStep {
        if t - self.c.start_t > max_duration_s.min(LONGEST_HELD_REP_S) {
            return HoldStep::Expired(self.c);
        }
        let Some(e) = self.frame().elevation_now(up) else {
            return HoldStep::Expired(self.c);
        };
        let c = &self.c;
        let back_at = c.peak_e - return_fraction * (c.peak_e - c.start_e);
        let Some(b) = &mut self.back else {
            if e <= back_at {
                self.back = Some(Back {
                    t,
                    low_t: t,
                    low_e: e,
                    rest_s: 0.0,
                    band_s: 0.0,
                });
            }
            return HoldStep::Waiting;
        };
        if e < b.low_e {
            b.low_t = t;
            b.low_e = e;
        }
        // Where the leg rests must be where the rise started, within what a
        // rep comes back by: not merely below the return level (a leg that
        // went on past the old rest pose is somewhere else).
        let tol = (1.0 - return_fraction) * (c.peak_e - c.start_e);
        if (e - c.start_e).abs() <= tol {
            b.band_s += DT;
            b.rest_s = if still_now { b.rest_s + DT } else { 0.0 };
        } else {
            b.band_s = 0.0;
            b.rest_s = 0.0;
        }
        if b.rest_s >= REST_S || b.band_s >= SETTLED_S {
            let mut c = self.c;
            c.low_t = b.low_t;
            c.low_e = b.low_e;
            return HoldStep::Returned {
                c,
                rest: Box::new(self.rest.clone()),
            };
        }
        if t - b.t > REST_AFTER_S {
            return HoldStep::Expired(self.c);
        }
        HoldStep::Waiting
    }

    fn frame(&self) -> &ElevationFrame {
        self.rest.frame()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{go, profile, stay, Seg};
    use super::*;

    /// Runs the watch over a profile that starts at the top of a rise of
    /// 20° (from 0° at t = 0) held from t = 1 s; what it says, and when.
    fn run(segs: &[Seg]) -> Option<(String, f64)> {
        let mut rest = RestPose::default();
        let _ = rest.check(0.0, &Vector3::z(), 1.0);
        // Teach the frame the kick's axis with one excursion.
        let pts = profile(segs);
        for (p, _) in &pts {
            let _ = rest.read(&p.up);
        }
        let c = Candidate::between(
            &super::super::testing::history(pts.iter().map(|(p, _)| *p)),
            0.0,
            1.0,
            7,
        )
        .expect("a rise");
        let mut w = LongHold::new(c, &rest);
        for (p, still) in pts.iter().filter(|(p, _)| p.t > 1.0) {
            match w.step(p.t, &p.up, *still, 0.7, 20.0) {
                HoldStep::Waiting => {}
                HoldStep::Returned { c, .. } => {
                    return Some((format!("rep low {:.0}", c.low_e), p.t))
                }
                HoldStep::Expired(c) => return Some((format!("new pose {}", c.id), p.t)),
            }
        }
        None
    }

    #[test]
    fn a_hold_that_comes_back_is_a_rep_and_one_that_stays_is_a_pose() {
        type Case = (&'static str, Vec<Seg>, Option<(&'static str, f64)>);
        let cases: Vec<Case> = vec![
            (
                "5 s hold, then down",
                vec![go(20.0, 1.0), stay(20.0, 5.0), go(0.0, 1.0), stay(0.0, 1.0)],
                Some(("rep low 0", 7.3)),
            ),
            (
                "10 s hold, then down",
                vec![
                    go(20.0, 1.0),
                    stay(20.0, 10.0),
                    go(0.0, 1.0),
                    stay(0.0, 1.0),
                ],
                Some(("rep low 0", 12.3)),
            ),
            (
                "15 s hold, then down: a pose, left",
                vec![
                    go(20.0, 1.0),
                    stay(20.0, 15.0),
                    go(0.0, 1.0),
                    stay(0.0, 1.0),
                ],
                Some(("new pose 7", 14.0)),
            ),
            (
                "stays up",
                vec![go(20.0, 1.0), stay(20.0, 25.0)],
                Some(("new pose 7", 14.0)),
            ),
            (
                "sweeps back through without resting",
                vec![
                    go(20.0, 1.0),
                    stay(20.0, 5.0),
                    go(-20.0, 1.0),
                    go(20.0, 1.0),
                    go(-20.0, 1.0),
                    go(20.0, 1.0),
                ],
                Some(("new pose 7", 9.35)),
            ),
            (
                "goes on past the old rest pose and rests there",
                vec![
                    go(20.0, 1.0),
                    stay(20.0, 5.0),
                    go(-20.0, 1.0),
                    stay(-20.0, 5.0),
                ],
                Some(("new pose 7", 9.35)),
            ),
            (
                "settles slowly onto the floor, never still",
                vec![go(20.0, 1.0), stay(20.0, 5.0), go(3.0, 1.0), go(0.0, 3.0)],
                Some(("rep low 3", 7.3)),
            ),
            (
                "comes down only half way",
                vec![
                    go(20.0, 1.0),
                    stay(20.0, 5.0),
                    go(10.0, 1.0),
                    stay(10.0, 20.0),
                ],
                Some(("new pose 7", 14.0)),
            ),
        ];
        for (name, segs, want) in cases {
            let got = run(&segs);
            match (got, want) {
                (Some((what, t)), Some((w, wt))) => {
                    assert_eq!(what, w, "{name}");
                    assert!((t - wt).abs() < 0.35, "{name}: at {t:.2}, want ~{wt}");
                }
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
    }
}
