//! The rise detector: a state machine over the elevation that finds a rise
//! from a valley (`Idle → Rising`), its return (`Rising → Falling`) and its
//! bottom (`Falling → Idle`, the candidate [`Finished`](RiseStep::Finished)).
//! It also notices when a "rise" was really a change of pose.

use super::grid::DT;
use super::history::History;
use super::kinematics::Point;
use super::stillness::Held;
use crate::settings::RepSettings;
use nalgebra::Vector3;
use std::collections::VecDeque;

/// The valley a rep rises from is the lowest point of this trailing
/// window, s (a wind-up plus the slowest concentric, 2 s, fit in it).
pub(crate) const VALLEY_WINDOW_S: f64 = 4.0;
/// A rise that has not gone on by this much since the leg was last still
/// is holding a pose, deg (sway and fidgets stay within it).
const RISE_PROGRESS_DEG: f64 = 2.0;
/// A rise that starts this soon after a rep's end is chained to it, s.
const CHAINED_WITHIN_S: f64 = 0.3;
/// Stillness during a "rise" after which it is a new pose, not a rep, s.
/// Longer than any squeeze at the top (0.5–1.5 s, §5.1).
const REANCHOR_S: f64 = 3.0;
/// Stillness at a pose a rise came to, s, after which going up from it by
/// a rep's worth and back makes it the rest pose (the pause before a set,
/// longer than a pause on the way up a rep).
const POSE_HELD_S: f64 = 1.0;
/// Back at such a pose: within this fraction of the rise above it (a rep
/// comes back by 70%, `reps.return_fraction`) and not more than
/// POSE_BELOW_DEG below it, deg (a rep that paused on its way up comes back
/// past the pause by its whole rise, at least `reps.min_rise_deg`); turning
/// round for the next rep: up again by POSE_TURN_DEG.
const POSE_RETURN_FRACTION: f64 = 0.3;
const POSE_BELOW_DEG: f64 = 6.0;
pub(crate) const POSE_TURN_DEG: f64 = 3.0;
/// A rep is over once the leg, after coming back down, rises this much from
/// its lowest point (the next rep or a wind-up has begun), deg...
const END_RISE_DEG: f64 = 3.0;
/// ... or has stayed at or above its lowest point this long, s. Keeps the
/// report within 0.3 s of the rep's end.
const END_SETTLE_S: f64 = 0.25;
/// Creeping further down by less than this does not delay the end, deg.
const END_CREEP_DEG: f64 = 0.5;
/// A fall this far below where the rise started (or half the rise, if
/// larger) ends a "rise" that was a change of pose, deg. A rep ends near its
/// start, and a swing that overshoots it (5–20°, §5.1) held no pose first.
const PAST_START_DEG: f64 = 10.0;
/// Passing the start level faster than this is sweeping through it, deg/s
/// (a rep's eccentric ends at rest: minimum-jerk velocity falls to zero).
const SWEEP_SPEED_DPS: f64 = 30.0;

/// A rise under way: where it started, peaked and came down to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    /// The id it was announced with.
    pub(crate) id: u64,
    pub(crate) start_t: f64,
    pub(crate) start_e: f64,
    pub(crate) peak_t: f64,
    pub(crate) peak_e: f64,
    pub(crate) low_t: f64,
    pub(crate) low_e: f64,
    /// The elevation at `low_t`: the leg counts as still going down only
    /// while it gets more than END_CREEP_DEG below this.
    low_mark: f64,
    /// Speed (deg/s) at which the falling leg passed the start level.
    cross_speed: Option<f64>,
    /// Since when the falling leg has been slow (arrived at the bottom).
    bottom_t: Option<f64>,
    /// Since when (and at what elevation) the leg has been within the end
    /// tolerance of its lowest point: where the rep's end will be placed.
    near: Option<(f64, f64)>,
}

impl Candidate {
    pub(crate) fn new(id: u64, start_t: f64, start_e: f64, t: f64, e: f64) -> Self {
        Candidate {
            id,
            start_t,
            start_e,
            peak_t: t,
            peak_e: e,
            low_t: t,
            low_e: e,
            low_mark: e,
            cross_speed: None,
            bottom_t: None,
            near: None,
        }
    }

    /// The rise and return in the kept points from `since` to `until`
    /// (after the rest pose moved to where they began), as a finished
    /// candidate announced as `id`.
    pub(crate) fn between(history: &History, since: f64, until: f64, id: u64) -> Option<Candidate> {
        let pts = history.iter().filter(|q| q.t >= since && q.t <= until);
        let peak = pts.clone().max_by(|a, b| a.e.total_cmp(&b.e))?;
        let start = pts
            .clone()
            .filter(|q| q.t <= peak.t)
            .min_by(|a, b| a.e.total_cmp(&b.e))?;
        let low = pts
            .filter(|q| q.t >= peak.t)
            .min_by(|a, b| a.e.total_cmp(&b.e))?;
        let mut c = Candidate::new(id, start.t, start.e, peak.t, peak.e);
        c.low_t = low.t;
        c.low_e = low.e;
        c.low_mark = low.e;
        Some(c)
    }

    /// Whether the rise starts further below the rest pose than it rises
    /// above it: the leg swung through the rest pose rather than kicking
    /// from it. A kick rises from rest; its wind-up dips below rest by at
    /// most about half the kick (10-25° before 35-60°, §5.1), and the
    /// forward overshoot a rep after a thrown one starts from is smaller
    /// still (5-20°). A stride or a pedal stroke read against a rest pose
    /// taken mid-way swings as far to either side.
    pub(crate) fn swings_through_rest(&self) -> bool {
        self.start_e < -self.peak_e
    }

    /// Whether this rise starts straight after the rep that ended at
    /// `last_end`.
    pub(crate) fn chained_to(&self, last_end: Option<f64>) -> bool {
        last_end.is_some_and(|end| self.start_t - end < CHAINED_WITHIN_S)
    }
}

/// How close to its lowest point the leg counts as having arrived there,
/// for a rep of `range` degrees: 0.5° plus 2% of the range.
pub(crate) fn end_tolerance(range: f64) -> f64 {
    0.5 + 0.02 * range
}

/// A rise that came to rest at a pose on its way: the pose, and what the
/// leg has done since.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PoseWatch {
    /// The elevation at which the rise was first still, when, and "up".
    e: f64,
    t: f64,
    up: Vector3<f64>,
    /// Seconds still within RISE_PROGRESS_DEG of it, in total.
    still: f64,
    /// How far the rise has gone above the pose since, deg.
    above: f64,
    /// The lowest point since then, (t, deg): where the leg came back to.
    trough: Option<(f64, f64)>,
}

/// The rising part of a rep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rise {
    pub(crate) c: Candidate,
    /// Seconds of stillness, in total, since the rise last climbed by
    /// RISE_PROGRESS_DEG; and the elevation it climbed to.
    still: f64,
    ref_e: f64,
    pose: Option<PoseWatch>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Phase {
    /// Waiting for the leg to rise from a valley.
    Idle,
    /// Rising (or holding) above the valley by at least the minimum rise.
    Rising(Rise),
    /// Came back down by the return fraction; looking for the bottom.
    Falling(Candidate),
}

/// What the detector found at a grid point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RiseStep {
    Nothing,
    /// A rise, announced as `id`, began at `t_s` (the valley it rose from).
    Started {
        id: u64,
        t_s: f64,
    },
    /// A rise was given up: it went on longer than a rep can.
    TooLong(Candidate),
    /// The rise came to rest at a pose, went up from it by a rep's worth
    /// and came back: the leg is doing reps from a new pose (lying down, on
    /// all fours), which is the rest pose. The kick seen from it went
    /// `kick` degrees up, between `since` and `until`.
    NewPose {
        dropped: Candidate,
        up: Vector3<f64>,
        kick: f64,
        since: f64,
        until: f64,
    },
    /// The leg went far past where it rose from, after holding still up
    /// there: that was a change of pose (stepping into the hanging
    /// position), not a rep. The held pose is the rest pose.
    PoseChange {
        dropped: Candidate,
        up: Vector3<f64>,
    },
    /// The rise is over: measure it.
    Finished(Candidate),
}

/// Whether the rest pose may follow a resting leg.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Settle {
    /// No rise under way.
    Free,
    /// A rise is under way and keeps the rest pose where it is.
    Busy,
    /// Still far longer than any squeeze at the top: not a rep but a new
    /// pose. The rise was dropped.
    Dropped(Candidate),
}

/// Adds (t, e) to a monotonic deque whose front is the minimum of the last
/// VALLEY_WINDOW_S: O(1) amortised per point.
#[inline]
fn push_valley(valley: &mut VecDeque<(f64, f64)>, t: f64, e: f64) {
    while valley.back().is_some_and(|&(_, last)| last >= e) {
        valley.pop_back();
    }
    valley.push_back((t, e));
    while valley
        .front()
        .is_some_and(|&(tf, _)| t - tf > VALLEY_WINDOW_S)
    {
        valley.pop_front();
    }
}

#[derive(Debug, Clone)]
pub(crate) struct RiseDetector {
    settings: RepSettings,
    phase: Phase,
    /// Monotonic deque of (t, e) for the trailing valley minimum.
    valley: VecDeque<(f64, f64)>,
    /// The id the next rise is announced with.
    next_id: u64,
}

impl RiseDetector {
    pub(crate) fn new(settings: RepSettings) -> Self {
        RiseDetector {
            settings,
            phase: Phase::Idle,
            valley: VecDeque::new(),
            next_id: 1,
        }
    }

    /// The id the next rise will be announced with.
    pub(crate) fn next_id(&self) -> u64 {
        self.next_id
    }

    /// Goes on numbering rises from `id` (a new stream in the same
    /// analyzer keeps ids unique).
    pub(crate) fn number_from(&mut self, id: u64) {
        self.next_id = id;
    }

    /// The rise in progress, rising or falling.
    #[inline]
    pub(crate) fn candidate(&self) -> Option<&Candidate> {
        match &self.phase {
            Phase::Idle => None,
            Phase::Rising(r) => Some(&r.c),
            Phase::Falling(c) => Some(c),
        }
    }

    /// The rise in progress if it is still rising.
    #[inline]
    pub(crate) fn rising(&self) -> Option<&Candidate> {
        match &self.phase {
            Phase::Rising(r) => Some(&r.c),
            _ => None,
        }
    }

    /// The rise in progress if it has come back down.
    pub(crate) fn falling(&self) -> Option<Candidate> {
        match self.phase {
            Phase::Falling(c) => Some(c),
            _ => None,
        }
    }

    /// Drops any rise and the valley (after a gap, or a new rest pose).
    pub(crate) fn reset(&mut self) -> Option<Candidate> {
        self.valley.clear();
        self.drop_rise()
    }

    fn drop_rise(&mut self) -> Option<Candidate> {
        let c = self.candidate().copied();
        self.phase = Phase::Idle;
        c
    }

    /// Until the leg's axis is known there is no telling a rise from a drop
    /// (stepping into the hanging pose moves the leg too): no valley.
    #[inline]
    pub(crate) fn clear_valley(&mut self) {
        self.valley.clear();
    }

    /// Restarts the valley from the kept history since `since`.
    pub(crate) fn rebuild_valley(&mut self, history: &History, since: f64) {
        self.valley.clear();
        for q in history.iter().filter(|q| q.t >= since) {
            push_valley(&mut self.valley, q.t, q.e);
        }
    }

    /// Counts stillness while rising (see [`Settle`]).
    #[inline]
    pub(crate) fn observe_still(&mut self, still_now: bool) {
        if let (Phase::Rising(r), true) = (&mut self.phase, still_now) {
            r.still += DT;
        }
    }

    /// Whether the rest pose may follow the leg, still for `still_for`
    /// seconds: not while a rep may be under way, unless the "rise" has
    /// been still far longer than any squeeze at the top (a rise that
    /// stopped climbing counts its stillness in total: standing with sway
    /// and fidgets after a walk, which ended with the foot in front, is a
    /// pose too).
    #[inline]
    pub(crate) fn settle(&mut self, still_for: f64) -> Settle {
        if matches!(self.phase, Phase::Idle) {
            return Settle::Free;
        }
        let held = matches!(self.phase, Phase::Rising(ref r) if r.still >= REANCHOR_S);
        if still_for < REANCHOR_S && !held {
            return Settle::Busy;
        }
        debug_log!("DBG rise dropped as a new pose");
        match self.drop_rise() {
            Some(c) => Settle::Dropped(c),
            None => Settle::Free,
        }
    }

    /// One grid point. `still_now`: the leg is still; `held`: the last pose
    /// held still; `last_rep_end`: the end of the last rep reported.
    #[inline]
    pub(crate) fn step(
        &mut self,
        p: &Point,
        still_now: bool,
        held: Option<&Held>,
        last_rep_end: Option<f64>,
        min_rise: f64,
    ) -> RiseStep {
        match &mut self.phase {
            Phase::Idle => {
                push_valley(&mut self.valley, p.t, p.e);
                let (vt, ve) = *self.valley.front().expect("just pushed");
                if p.e - ve >= min_rise {
                    debug_log!(
                        "DBG cand start {vt:.2} e {ve:.1} now {:.2} e {:.1}",
                        p.t,
                        p.e
                    );
                    let id = self.next_id;
                    self.next_id += 1;
                    self.phase = Phase::Rising(Rise {
                        c: Candidate::new(id, vt, ve, p.t, p.e),
                        still: 0.0,
                        ref_e: p.e,
                        pose: None,
                    });
                    return RiseStep::Started { id, t_s: vt };
                }
                RiseStep::Nothing
            }
            Phase::Rising(r) => {
                let c = &mut r.c;
                if p.e > c.peak_e {
                    c.peak_e = p.e;
                    c.peak_t = p.t;
                }
                if p.e > r.ref_e + RISE_PROGRESS_DEG {
                    r.ref_e = p.e;
                    r.still = 0.0;
                }
                // Where the rise first came to rest, and how long it has been
                // still there, in total (sway and fidgets stay within
                // RISE_PROGRESS_DEG).
                if still_now {
                    let w = r.pose.get_or_insert(PoseWatch {
                        e: p.e,
                        t: p.t,
                        up: p.up,
                        still: 0.0,
                        above: 0.0,
                        trough: None,
                    });
                    if (p.e - w.e).abs() < RISE_PROGRESS_DEG {
                        w.still += DT;
                    }
                }
                // A rise that came to rest at a pose for a while, then went
                // up from it by a rep's worth and came back there (to rest,
                // or turning round for the next one): the leg is doing reps
                // from a new pose (lying down, on all fours), which is the
                // rest pose. A rep that pauses on its way up comes back down
                // past the pause to where it started.
                if let Some(w) = &mut r.pose {
                    let pose = w.e;
                    if p.e - pose > w.above {
                        w.above = p.e - pose;
                        w.trough = None;
                    } else if !w.trough.is_some_and(|(_, e)| p.e >= e) {
                        w.trough = Some((p.t, p.e));
                    }
                    let back = w.trough.is_some_and(|(_, e)| {
                        e - pose <= POSE_RETURN_FRACTION * w.above && e - pose >= -POSE_BELOW_DEG
                    });
                    let settled = (still_now && (p.e - pose).abs() < RISE_PROGRESS_DEG)
                        || w.trough.is_some_and(|(_, e)| p.e >= e + POSE_TURN_DEG);
                    if back && settled && w.above >= min_rise && w.still >= POSE_HELD_S {
                        debug_log!("DBG reps from a new pose at {:.2}", p.t);
                        let step = RiseStep::NewPose {
                            dropped: r.c,
                            up: w.up,
                            kick: w.above,
                            since: w.t,
                            until: w.trough.map_or(p.t, |(t, _)| t),
                        };
                        self.phase = Phase::Idle;
                        return step;
                    }
                }
                // A rise straight after a rep starts from that rep's forward
                // swing past rest; it has come back once it is back at rest,
                // so the return is judged on the rise above the rest pose
                // (else a small partial rep after a swung one never "returns"
                // and runs into the next rep).
                let c = &mut r.c;
                let base = if c.chained_to(last_rep_end) {
                    c.start_e.max(0.0).min(c.peak_e)
                } else {
                    c.start_e
                };
                let drop_to = c.peak_e - self.settings.return_fraction * (c.peak_e - base);
                if p.e <= drop_to {
                    c.low_e = p.e;
                    c.low_t = p.t;
                    c.low_mark = p.e;
                    self.phase = Phase::Falling(*c);
                } else if p.t - c.start_t > self.settings.max_duration_s {
                    // Given up: the detector starts again from here.
                    let c = *c;
                    self.phase = Phase::Idle;
                    self.valley.clear();
                    push_valley(&mut self.valley, p.t, p.e);
                    return RiseStep::TooLong(c);
                }
                RiseStep::Nothing
            }
            Phase::Falling(c) => {
                // The lowest point; a leg creeping down by less than
                // END_CREEP_DEG does not hold the rep open.
                if p.e < c.low_mark - END_CREEP_DEG {
                    c.low_e = p.e;
                    c.low_t = p.t;
                    c.low_mark = p.e;
                } else if p.e < c.low_e {
                    c.low_e = p.e;
                }
                if c.cross_speed.is_none() && p.e <= c.start_e {
                    c.cross_speed = Some(p.v.abs());
                }
                let tol = end_tolerance(c.peak_e - c.start_e);
                match c.near {
                    Some((_, e0)) if e0 <= c.low_e + tol => {}
                    _ if p.e <= c.low_e + tol => c.near = Some((p.t, p.e)),
                    _ => c.near = None,
                }
                if p.v.abs() < self.settings.bottom_velocity_dps {
                    c.bottom_t.get_or_insert(p.t);
                } else {
                    c.bottom_t = None;
                }
                let c = *c;
                let past_start = c.start_e - p.e;
                // A rep comes to rest near its start (before any wind-up for
                // the next); a kick from a new pose sweeps through it.
                if past_start > PAST_START_DEG.max(0.5 * (c.peak_e - c.start_e))
                    && c.cross_speed.is_some_and(|v| v > SWEEP_SPEED_DPS)
                {
                    if let Some(h) = held.filter(|h| h.t >= c.start_t) {
                        self.phase = Phase::Idle;
                        return RiseStep::PoseChange {
                            dropped: c,
                            up: h.up,
                        };
                    }
                }
                if p.e >= c.low_e + END_RISE_DEG
                    || p.t - c.low_t >= END_SETTLE_S
                    || c.bottom_t.is_some_and(|b| p.t - b >= END_SETTLE_S)
                    || c.near.is_some_and(|(tn, _)| p.t - tn >= END_SETTLE_S)
                    || p.t - c.start_t > self.settings.max_duration_s
                {
                    // The bottom of this rep is where the next one may start
                    // (the caller rebuilds the valley from there).
                    self.phase = Phase::Idle;
                    return RiseStep::Finished(c);
                }
                RiseStep::Nothing
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{go, profile, stay, Seg};
    use super::*;

    #[test]
    fn a_swing_through_rest_is_told_from_a_kick() {
        // (start, peak, swings through rest)
        let cases: &[(f64, f64, bool)] = &[
            (0.0, 40.0, false),   // from rest
            (-20.0, 40.0, false), // from a wind-up
            (-8.0, 12.0, false),  // a small rep after a thrown one's overshoot
            (-35.0, 30.0, true),  // a pedal stroke about a rest pose mid-way
            (-25.0, 5.0, true),
            (30.0, 60.0, false), // above rest (see the stale rest pose)
        ];
        for &(start, peak, want) in cases {
            let c = Candidate::new(1, 0.0, start, 1.0, peak);
            assert_eq!(c.swings_through_rest(), want, "{start} {peak}");
        }
    }

    /// What the detector reports over a profile, in short, with times.
    fn run(segs: &[Seg], last_rep_end: Option<f64>, held: Option<(f64, f64)>) -> Vec<String> {
        let mut d = RiseDetector::new(RepSettings::default());
        let held = held.map(|(t, e)| Held {
            t,
            up: super::super::testing::point(t, e, 0.0).up,
            g: 9.8,
        });
        let mut out = Vec::new();
        for (p, still) in profile(segs) {
            d.observe_still(still);
            let s = match d.step(
                &p,
                still,
                held.as_ref(),
                last_rep_end,
                RepSettings::default().min_rise_deg,
            ) {
                RiseStep::Nothing => continue,
                RiseStep::Started { id, t_s } => format!("start {id} {t_s:.2}"),
                RiseStep::TooLong(c) => format!("too long {:.2}", c.start_t),
                RiseStep::NewPose { kick, since, .. } => format!("new pose {kick:.0} {since:.2}"),
                RiseStep::PoseChange { dropped, .. } => {
                    format!("pose change {:.2}", dropped.start_t)
                }
                RiseStep::Finished(c) => format!(
                    "finished {:.2} peak {:.0} at {:.2} low {:.2}",
                    c.start_t, c.peak_e, c.peak_t, c.low_t
                ),
            };
            out.push(format!("{s} @{:.2}", p.t));
        }
        out
    }

    #[test]
    fn rises_are_found_followed_and_finished() {
        type Case = (
            &'static str,
            Vec<Seg>,
            Option<f64>,
            Option<(f64, f64)>,
            Vec<&'static str>,
        );
        // Up 20°, still there, then 25° below the start.
        let far_fall = || {
            vec![
                stay(0.0, 1.0),
                go(20.0, 0.5),
                stay(20.0, 1.0),
                go(-25.0, 0.5),
                stay(-25.0, 1.0),
            ]
        };
        let cases: Vec<Case> = vec![
            (
                "a rep: up 30°, hold, back, rest",
                vec![
                    stay(0.0, 1.0),
                    go(30.0, 1.0),
                    stay(30.0, 0.5),
                    go(0.0, 1.0),
                    stay(0.0, 1.0),
                ],
                None,
                None,
                // Started once 10° up; finished 0.25 s after the bottom.
                vec![
                    "start 1 1.00 @1.34",
                    "finished 1.00 peak 30 at 2.00 low 3.50 @3.75",
                ],
            ),
            (
                "a fidget of 6° is no rise",
                vec![stay(0.0, 1.0), go(6.0, 0.5), go(0.0, 0.5), stay(0.0, 1.0)],
                None,
                None,
                vec![],
            ),
            (
                "a rise that never comes back is given up",
                vec![stay(0.0, 1.0), go(30.0, 1.0), stay(30.0, 20.5)],
                None,
                None,
                vec!["start 1 1.00 @1.34", "too long 1.00 @21.00"],
            ),
            (
                "a fall far past the start after holding still up there",
                far_fall(),
                None,
                Some((2.0, 20.0)),
                // Once 10° below the start.
                vec!["start 1 1.00 @1.25", "pose change 1.00 @2.84"],
            ),
            (
                "the same fall without a held pose is a rep",
                far_fall(),
                None,
                None,
                vec![
                    "start 1 1.00 @1.25",
                    "finished 1.00 peak 20 at 1.50 low 3.00 @3.26",
                ],
            ),
            (
                "reps from a pose the rise came to rest at",
                vec![
                    stay(0.0, 1.0),
                    go(20.0, 0.5),
                    stay(20.0, 1.5),
                    go(40.0, 0.5),
                    go(20.0, 0.5),
                    stay(20.0, 1.0),
                ],
                None,
                None,
                // (The caller re-reads the past against the new pose; left alone,
                // the old valley starts a rise again.)
                vec![
                    "start 1 1.00 @1.25",
                    "new pose 20 1.51 @4.01",
                    "start 2 1.00 @4.02",
                ],
            ),
        ];
        let mut bad = Vec::new();
        for (name, segs, last_end, held, want) in cases {
            let got = run(&segs, last_end, held);
            if got != want {
                bad.push(format!("{name}: got {got:?}, want {want:?}"));
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
    }

    #[test]
    fn a_rise_keeps_the_rest_pose_until_it_is_still_too_long() {
        // (stillness while rising, stillness now, what settling gives)
        let cases: &[(usize, f64, &str)] = &[
            (0, 0.5, "busy"),
            (0, 3.0, "dropped"),
            (301, 0.5, "dropped"),
            (290, 0.5, "busy"),
        ];
        for &(still_points, still_for, want) in cases {
            let mut d = RiseDetector::new(RepSettings::default());
            assert_eq!(d.settle(still_for), Settle::Free);
            for (p, _) in profile(&[go(15.0, 0.2)]) {
                d.step(&p, false, None, None, RepSettings::default().min_rise_deg);
            }
            assert!(d.rising().is_some());
            for _ in 0..still_points {
                d.observe_still(true);
            }
            let got = match d.settle(still_for) {
                Settle::Free => "free",
                Settle::Busy => "busy",
                Settle::Dropped(_) => "dropped",
            };
            assert_eq!(got, want, "{still_points} {still_for}");
            assert_eq!(d.candidate().is_some(), want == "busy");
        }
    }

    #[test]
    fn candidates_are_read_back_from_the_history() {
        let pts: Vec<_> = profile(&[
            stay(0.0, 0.5),
            go(25.0, 0.5),
            go(-2.0, 0.6),
            stay(-2.0, 0.5),
        ])
        .into_iter()
        .map(|(p, _)| p)
        .collect();
        let h = super::super::testing::history(pts);
        let c = Candidate::between(&h, 0.2, 1.8, 7).expect("points there");
        assert_eq!(c.id, 7);
        assert_eq!((c.start_e, c.peak_e, c.low_e), (0.0, 25.0, -2.0));
        assert!((c.peak_t - 1.0).abs() < 1e-9 && (c.low_t - 1.6).abs() < 1e-9);
        assert!(Candidate::between(&h, 5.0, 6.0, 8).is_none());
        // Chained: starting within CHAINED_WITHIN_S of the last rep's end.
        assert!(c.chained_to(Some(0.0)));
        assert!(!c.chained_to(Some(-0.5)));
        assert!(!c.chained_to(None));
    }
}
