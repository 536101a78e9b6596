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
//!
//! A third ending: the leg comes down from the hold but settles somewhere
//! else than where it rose from. That is how the first rep of a
//! real set often ends: the leg lay one way before the set and rests a
//! little differently between reps (real physiotherapy sets: the pose
//! before the set is 10° off the one between reps). Alone, that is a pose
//! left; but if the next rep repeats it (the same top pose, a like rise
//! and a like time), it was the set's first rep ([`Strayed`]).

use super::grid::DT;
use crate::orientation::ElevationFrame;
use crate::stages::rest_pose::RestPose;
use crate::stages::rise::{Candidate, POSE_TURN_DEG};
use crate::stages::sets;
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
/// Or staying back there this long, s, still or not, ...
const SETTLED_S: f64 = 0.5;
/// ... and within this many degrees meanwhile: a leg settling slowly onto
/// the floor, a chair or a bench after a hold never reads still until it
/// has long been down (real prone, supine and seated sets), but it hardly
/// moves; a stance leg walking on rolls over its foot at 60-100 °/s, 30°
/// or more in that time. Short enough that the rep is reported within
/// 1.0 s of its end, after the gait gate's last look.
const SETTLED_SPREAD_DEG: f64 = 8.0;
/// Going up again by this much from where the leg came back to is turning
/// round for the next rep, deg (as for reps from a new pose in the rise
/// detector).
const TURN_DEG: f64 = POSE_TURN_DEG;
/// A held rise that has come down by this fraction of its rise has left
/// the hold (a hold sags by a few degrees, not by half).
const LEFT_FRACTION: f64 = 0.5;
/// A rep repeats a strayed hold if their tops are within this fraction of
/// the rep's rise of each other (angle between the two top poses): reps of
/// one set reach the same top within their rep-to-rep variation (5-8%,
/// BIOMECHANICS §5.1), and one short of it by more than 40% is already a
/// partial rep (`partial.fraction`, 0.6); and if their rises and times are
/// alike as two reps of a set are ([`sets::alike`]).
const REPEAT_TOP_FRACTION: f64 = 0.4;

/// A pose a held rise came to and stayed in is where the set's reps
/// peaked if the rise was the set's range within this fraction of it
/// (reps of one set vary by 5-8%, BIOMECHANICS) ...
const PEAKED_RISE_FRACTION: f64 = 0.25;
/// ... and the pose is within this fraction of the set's range of the last
/// rep's top: between sets a lifter stands up, and the shank hangs 10-15°
/// from where it hung with the torso hinged (simulated recordings begun
/// mid-set, read from a squeeze: 4-14° for sets of 30-35°) ...
const PEAKED_POSE_FRACTION: f64 = 0.5;
/// ... and the leg has been still there this long, s (a rise held still
/// this long is a new pose, not a squeeze: the rise detector's 3 s).
const RESTING_S: f64 = 3.0;

/// Whether the rise `c`, held longer than any rep and still there, came to
/// rest where the set's reps (of median `range` deg) peaked: the pose is
/// `apart_deg` from the last rep's top and the leg has been still there
/// for `still_s`. A leg does not rest raised (between sets it hangs, or
/// lies where it lay), so the reps were read from their top: a recording
/// begun mid-set whose first still pose was a squeeze, or a kick's return
/// read as the rise. The kick's sign then turns over, so that the sets
/// after are read from where the leg rests; the reps already reported
/// stay as they were (the drops between the set's tops, one fewer than
/// its reps), and the orchestrator reads the set's last rep again, the
/// right way up, from the points kept.
///
/// (Not when the pose only passes the last top: a leg that comes down
/// from standing onto all fours and kicks from there has not been still
/// at a rep's top for [`RESTING_S`].)
pub(crate) fn rests_where_reps_peaked(
    c: &Candidate,
    range: f64,
    apart_deg: Option<f64>,
    still_s: f64,
) -> bool {
    let rise = c.peak_e - c.start_e;
    (rise - range).abs() <= PEAKED_RISE_FRACTION * range
        && apart_deg.is_some_and(|a| a <= PEAKED_POSE_FRACTION * range)
        && still_s >= RESTING_S
}

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
    /// Came down from the hold, but did not come to rest where it rose
    /// from: a pose left, unless the next rep repeats it.
    Strayed(Strayed),
}

/// A held rise that came down from the hold but did not come to rest where
/// it rose from. It was the first rep of a set if the next rep
/// repeats it ([`Strayed::is_repeated_by`]); else a pose, left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Strayed {
    /// The rise, its bottom where it came down to.
    pub(crate) c: Candidate,
    /// The pose it was held at ("up", sensor frame).
    top: Vector3<f64>,
    /// When it left the hold (came down by [`LEFT_FRACTION`]), s.
    pub(crate) back_t: f64,
}

impl Strayed {
    /// Whether the rep `c`, topping out at the pose `top`, repeats this
    /// held rise: it starts within `within_s` of this one coming back (the
    /// same set), reaches the same top, and rises as far and takes as long
    /// (see [`REPEAT_TOP_FRACTION`]). Judged by
    /// the poses, not by elevations: the rest pose moved in between.
    pub(crate) fn is_repeated_by(&self, c: &Candidate, top: &Vector3<f64>, within_s: f64) -> bool {
        let rise = c.peak_e - c.start_e;
        let own_rise = self.c.peak_e - self.c.start_e;
        let took = c.low_t - c.start_t;
        let own_took = self.back_t - self.c.start_t;
        let apart_deg = self.top.angle(top).to_degrees();
        debug_log!(
            "DBG strayed {:.2} vs rep {:.2}: tops {apart_deg:.1}° apart, rise {own_rise:.1} vs {rise:.1}, took {own_took:.2} vs {took:.2}",
            self.c.start_t,
            c.start_t
        );
        c.start_t >= self.back_t
            && c.start_t - self.back_t <= within_s
            && apart_deg <= REPEAT_TOP_FRACTION * rise
            && sets::alike((rise, own_rise), (took, own_took))
    }
}

/// The leg below a level since `t`; its lowest point since.
#[derive(Debug, Clone, Copy)]
struct Low {
    t: f64,
    low_t: f64,
    low_e: f64,
}

impl Low {
    fn new(t: f64, e: f64) -> Self {
        Low {
            t,
            low_t: t,
            low_e: e,
        }
    }

    /// The leg at `e` at `t`: a new lowest point?
    fn see(&mut self, t: f64, e: f64) {
        if e < self.low_e {
            self.low_t = t;
            self.low_e = e;
        }
    }

    /// `c` ending at this lowest point.
    fn ending(&self, mut c: Candidate) -> Candidate {
        c.low_t = self.low_t;
        c.low_e = self.low_e;
        c
    }
}

/// The leg back below the return level, and how long it has stayed where
/// the rise started.
#[derive(Debug, Clone, Copy)]
struct Back {
    low: Low,
    /// Seconds resting where the rise started, so far.
    rest_s: f64,
    /// Seconds back there, still or not, so far, and the lowest and
    /// highest elevation meanwhile.
    band_s: f64,
    band_lo: f64,
    band_hi: f64,
}

/// A rise set aside as a new pose, watched against the rest pose it rose
/// from.
#[derive(Debug, Clone)]
pub(crate) struct LongHold {
    c: Candidate,
    /// The pose it was held at.
    top: Vector3<f64>,
    /// The rest pose (and kick axis) the rise was measured from.
    rest: RestPose,
    /// When the leg came back below the return level, and the lowest
    /// elevation since, and when: `None` while it is still up.
    back: Option<Back>,
    /// The same for leaving the hold (down by [`LEFT_FRACTION`]).
    left: Option<Low>,
}

impl LongHold {
    /// Watches `c`, which rose from `rest` and was held at the pose `top`.
    pub(crate) fn new(c: Candidate, rest: &RestPose, top: Vector3<f64>) -> Self {
        LongHold {
            c,
            top,
            rest: rest.clone(),
            back: None,
            left: None,
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

    /// The watch given up (a new rise was set aside, or a rep finished
    /// meanwhile): what it saw, as a [`Strayed`] hold if the leg had left
    /// the hold downwards, else `None`.
    pub(crate) fn strayed(&self) -> Option<Strayed> {
        self.left.map(|l| Strayed {
            c: l.ending(self.c),
            top: self.top,
            back_t: l.t,
        })
    }

    /// How the watch ends when time is up: strayed if the leg had left the
    /// hold downwards, else expired.
    fn ended(&self) -> HoldStep {
        match self.strayed() {
            Some(s) => HoldStep::Strayed(s),
            None => HoldStep::Expired(self.c),
        }
    }

    /// One grid point: the leg points `up` at `t`. A rep comes back by
    /// `return_fraction` of its rise and is over within `max_duration_s`
    /// (and [`LONGEST_HELD_REP_S`]) of its start; its top is at least
    /// `min_rise_deg` above the rest pose.
    pub(crate) fn step(
        &mut self,
        t: f64,
        up: &Vector3<f64>,
        still_now: bool,
        return_fraction: f64,
        max_duration_s: f64,
        min_rise_deg: f64,
    ) -> HoldStep {
        if t - self.c.start_t > max_duration_s.min(LONGEST_HELD_REP_S) {
            return self.ended();
        }
        let Some(e) = self.frame().elevation_now(up) else {
            return HoldStep::Expired(self.c);
        };
        let c = &self.c;
        let left_at = c.peak_e - LEFT_FRACTION * (c.peak_e - c.start_e);
        match &mut self.left {
            Some(l) => l.see(t, e),
            None if e <= left_at => self.left = Some(Low::new(t, e)),
            None => {}
        }
        let back_at = c.peak_e - return_fraction * (c.peak_e - c.start_e);
        let Some(b) = &mut self.back else {
            if e <= back_at {
                self.back = Some(Back {
                    low: Low::new(t, e),
                    rest_s: 0.0,
                    band_s: 0.0,
                    band_lo: e,
                    band_hi: e,
                });
            }
            return HoldStep::Waiting;
        };
        b.low.see(t, e);
        // Where the leg rests must be where the rise started, within what a
        // rep comes back by: not merely below the return level (a leg that
        // went on past the old rest pose is somewhere else).
        let tol = (1.0 - return_fraction) * (c.peak_e - c.start_e);
        let near = |x: f64| (x - c.start_e).abs() <= tol;
        if near(e) {
            if b.band_s == 0.0 {
                (b.band_lo, b.band_hi) = (e, e);
            }
            b.band_s += DT;
            b.band_lo = b.band_lo.min(e);
            b.band_hi = b.band_hi.max(e);
            b.rest_s = if still_now { b.rest_s + DT } else { 0.0 };
        } else {
            b.band_s = 0.0;
            b.rest_s = 0.0;
        }
        // Or it turned round there for the next rep with no rest between: a
        // leg let down from a hold swings through where it hangs (or lies)
        // and is raised again. Its lowest point and where it is now are both
        // within the return tolerance of where the rise started, and it is
        // going up again by a turn's worth. A step sweeping through the old
        // rest pose turns round well beyond it, in front or behind. Only
        // from a rep's top, at least `min_rise_deg` above the rest pose: a
        // "rise" from a step's forward reach to standing near rest is no
        // held rep, whatever comes next.
        let low = b.low;
        let turned =
            c.peak_e >= min_rise_deg && near(low.low_e) && near(e) && e >= low.low_e + TURN_DEG;
        let settled = b.band_s >= SETTLED_S && b.band_hi - b.band_lo <= SETTLED_SPREAD_DEG;
        if b.rest_s >= REST_S || settled || turned {
            return HoldStep::Returned {
                c: low.ending(self.c),
                rest: Box::new(self.rest.clone()),
            };
        }
        if t - low.t > REST_AFTER_S {
            return self.ended();
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
            let _ = rest.read(p.t, &p.up);
        }
        let c = Candidate::between(
            &super::super::testing::history(pts.iter().map(|(p, _)| *p)),
            0.0,
            1.0,
            7,
        )
        .expect("a rise");
        let top = pts.iter().find(|(p, _)| p.t >= 1.0).expect("points").0.up;
        let mut w = LongHold::new(c, &rest, top);
        for (p, still) in pts.iter().filter(|(p, _)| p.t > 1.0) {
            match w.step(p.t, &p.up, *still, 0.7, 20.0, 10.0) {
                HoldStep::Waiting => {}
                HoldStep::Returned { c, .. } => {
                    return Some((format!("rep low {:.0}", c.low_e), p.t))
                }
                HoldStep::Expired(c) => return Some((format!("new pose {}", c.id), p.t)),
                HoldStep::Strayed(s) => {
                    return Some((
                        format!(
                            "strayed {} low {:.0} left {:.2}",
                            s.c.id, s.c.low_e, s.back_t
                        ),
                        p.t,
                    ))
                }
            }
        }
        None
    }

    #[test]
    fn a_leg_resting_where_the_reps_peaked_was_read_from_their_top() {
        // (rise of the held candidate, deg; the set's range; the pose's
        // angle from the last rep's top; still for, s; turned over?)
        type Case = (&'static str, f64, f64, Option<f64>, f64, bool);
        let cases: &[Case] = &[
            (
                "hangs where a set of 35° read from a squeeze peaked",
                34.0,
                30.0,
                Some(14.0),
                5.0,
                true,
            ),
            (
                "the same, still only 2 s",
                34.0,
                30.0,
                Some(14.0),
                2.0,
                false,
            ),
            (
                "rose far less than the set's range",
                20.0,
                30.0,
                Some(5.0),
                5.0,
                false,
            ),
            (
                "rose far more (standing up from all fours)",
                45.0,
                30.0,
                Some(5.0),
                5.0,
                false,
            ),
            (
                "rose as far, but elsewhere (lying down)",
                30.0,
                30.0,
                Some(40.0),
                5.0,
                false,
            ),
            ("no rep's top known", 30.0, 30.0, None, 5.0, false),
        ];
        for &(name, rise, range, apart, still, want) in cases {
            let c = Candidate::new(1, 0.0, 0.0, 1.0, rise);
            assert_eq!(
                rests_where_reps_peaked(&c, range, apart, still),
                want,
                "{name}"
            );
        }
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
                "5 s hold, let down past the old rest pose and raised again at once",
                vec![go(20.0, 1.0), stay(20.0, 5.0), go(-4.0, 0.6), go(20.0, 1.0)],
                Some(("rep low -4", 6.73)),
            ),
            (
                "the same from a top 8° above rest (a step's reach to standing)",
                vec![
                    go(8.0, 1.0),
                    stay(8.0, 5.0),
                    go(-4.0, 0.6),
                    go(20.0, 1.0),
                    stay(20.0, 3.0),
                ],
                Some(("strayed 7 low -4 left 6.20", 9.28)),
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
                // (Left the hold at 10° on the way down, at 6.25 s.)
                "sweeps back through without resting",
                vec![
                    go(20.0, 1.0),
                    stay(20.0, 5.0),
                    go(-20.0, 1.0),
                    go(20.0, 1.0),
                    go(-20.0, 1.0),
                    go(20.0, 1.0),
                ],
                Some(("strayed 7 low -20 left 6.25", 9.35)),
            ),
            (
                "goes on past the old rest pose and rests there",
                vec![
                    go(20.0, 1.0),
                    stay(20.0, 5.0),
                    go(-20.0, 1.0),
                    stay(-20.0, 5.0),
                ],
                Some(("strayed 7 low -20 left 6.25", 9.35)),
            ),
            (
                "walks on: a stance rolls slowly back through where it started",
                vec![
                    go(20.0, 1.0),
                    stay(20.0, 5.0),
                    go(-15.0, 0.4),
                    go(15.0, 1.5),
                    go(-15.0, 0.4),
                    go(15.0, 1.5),
                    go(-15.0, 0.4),
                    go(15.0, 1.5),
                ],
                Some(("strayed 7 low -15 left 6.12", 9.3)),
            ),
            (
                "settles slowly onto the floor, never still",
                vec![go(20.0, 1.0), stay(20.0, 5.0), go(3.0, 1.0), go(0.0, 3.0)],
                Some(("rep low 3", 7.3)),
            ),
            (
                "comes down to 8° and rests there: strayed when time is up",
                vec![
                    go(20.0, 1.0),
                    stay(20.0, 5.0),
                    go(8.0, 1.0),
                    stay(8.0, 20.0),
                ],
                Some(("strayed 7 low 8 left 6.84", 14.0)),
            ),
            (
                "comes down by less than half",
                vec![
                    go(20.0, 1.0),
                    stay(20.0, 5.0),
                    go(12.0, 1.0),
                    stay(12.0, 20.0),
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

    #[test]
    fn a_strayed_hold_is_a_rep_when_the_next_rep_repeats_it() {
        // The strayed hold: rose 0 → 20° by 1 s (top at 20°), held, left at 7 s.
        let held = {
            let mut c = Candidate::between(
                &super::super::testing::history(
                    profile(&[go(20.0, 1.0), stay(20.0, 6.0), go(5.0, 1.0)])
                        .into_iter()
                        .map(|(p, _)| p),
                ),
                0.0,
                8.0,
                3,
            )
            .expect("a rise");
            c.low_t = 8.0;
            Strayed {
                c,
                top: super::super::testing::point(1.0, 20.0, 0.0).up,
                back_t: 7.0,
            }
        };
        // (the next rep: starts, rises from and to (deg, in its own rest
        // frame), top pose's elevation in the strayed one's frame, ends; then
        // whether it repeats the strayed hold)
        type Case = (&'static str, f64, f64, f64, f64, f64, bool);
        let cases: &[Case] = &[
            (
                "the same rep from a rest 5° higher",
                8.0,
                5.0,
                20.0,
                20.0,
                15.0,
                true,
            ),
            (
                "reaching a top 5° off (under 40% of 15°)",
                8.0,
                5.0,
                20.0,
                25.0,
                15.0,
                true,
            ),
            (
                "reaching a top 7° off (over 40% of 15°)",
                8.0,
                5.0,
                20.0,
                27.0,
                15.0,
                false,
            ),
            ("rising half as far", 8.0, 10.0, 20.0, 20.0, 15.0, false),
            ("in a third of the time", 8.0, 5.0, 20.0, 20.0, 10.5, false),
            (
                "after a rest that closes the set",
                16.0,
                5.0,
                20.0,
                20.0,
                23.0,
                false,
            ),
            (
                "starting before the hold was left",
                6.0,
                5.0,
                20.0,
                20.0,
                13.0,
                false,
            ),
        ];
        for &(name, start, from, to, top_e, end, want) in cases {
            let pts = profile(&[stay(from, start), go(to, 1.0), go(from, end - start - 1.0)]);
            let h = super::super::testing::history(pts.into_iter().map(|(p, _)| p));
            let c = Candidate::between(&h, start - 0.01, end, 4).expect("a rise");
            let top = super::super::testing::point(c.peak_t, top_e, 0.0).up;
            assert_eq!(held.is_repeated_by(&c, &top, 8.0), want, "{name}");
        }
    }
}
