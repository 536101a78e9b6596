//! The gait gate: tells steps of walking from reps, and holds a measured rep
//! back for a moment in case the leg goes straight on into a step.

use super::grid::DT;
use super::history::History;
use super::kinematics::Point;
use super::measure::Measured;
use super::rise::Candidate;
use super::sets::Rise;
use crate::orientation::ElevationFrame;
use crate::report::{Rep, Walk};
use crate::sample::STANDARD_GRAVITY;
use crate::settings::Settings;
use nalgebra::Vector3;
use std::collections::VecDeque;

/// A finished rep is held back until this long after its end, s, in case
/// the leg goes straight on into a step; with up to 80 ms between samples
/// (12.5 Hz) a rep is still reported within 0.5 s of its end (the
/// product's latency promise).
const PENDING_S: f64 = 0.45;
/// A rep is reported at most this long after it ends, s.
const REPORT_WITHIN_S: f64 = 0.5;
/// A return from a kick from still to well in front of rest within this is
/// a swing of gait, s: a passive fall from the top to rest takes ~0.3 s
/// (a quarter pendulum period, §2.3), and the leg then has to swing on.
const FIRST_STEP_RETURN_S: f64 = 0.4;
/// The fastest a leg falls from the top of a kick back to where it started
/// under gravity alone, s: a quarter period of the leg as a pendulum, 0.39
/// s at its natural 0.64 Hz (§2.3). A return faster than this was driven
/// forward (the swing of a stride takes 0.25-0.35 s).
const FREE_FALL_S: f64 = 0.35;
/// A rise slower than this many times its return, with no pause at the
/// top and a driven return, is a stride: the stance leg rolls back over
/// its planted foot for ~60% of the stride and swings forward in ~40%,
/// most of it in the fast forward part (BIOMECHANICS §2.4); a kick is
/// lowered at least as slowly as it is lifted, or thrown up fast.
const STANCE_OVER_SWING: f64 = 2.0;
/// The longest pause at the top of a stride, s: toe-off turns straight
/// into the swing.
const STRIDE_TOP_S: f64 = 0.1;
/// The shortest and longest stance, s: 60% of a stride, 0.7 s at the
/// brisk end of level walking (strides of 1.0-1.4 s, §2.4), 1.2 s for a
/// 2 s stride on stairs, plus up to a second of weight shift before the
/// first step from standing. A kick lifted faster than the shortest is
/// thrown (§2.1: < 0.6 s), not rolled over a planted foot; a rise slower
/// than the longest is no stance.
const STANCE_S: std::ops::RangeInclusive<f64> = 0.7..=2.5;
/// The shortest stance when a gyroscope shows the rise was not thrown, s:
/// 60% of a brisk 1.0 s stride (real HuGaDB strides of 0.93-0.96 s roll
/// over the stance foot in 0.64-0.69 s). Below [`STANCE_S`]'s 0.7 s only
/// the rise's own turning tells a stance, rolling slowly over the planted
/// foot through the first half of its rise (1.6-1.8 rad/s there), from a
/// kick thrown in as little time ([`THROWN_RAD_S`]: a 0.6 s throw turns
/// at 3-4 rad/s there).
const BRISK_STANCE_S: f64 = 0.6;
/// A rise held still at its top this long is no stride, s: the stance leg
/// rolls over its foot without stopping (stance 0.6-0.8 s in all, §2.4;
/// STRIDE_TOP_S, 0.1 s, is the longest pause at a stride's top), while a
/// squeeze is held ~1 s (§2.1) and even a fast knee extension pauses
/// 0.25-0.45 s at its top (real PT e1 "fast" sets).
const HELD_TOP_S: f64 = 0.2;
/// A rise that starts this soon after a step ended is a step too, s.
const STEP_CONTEXT_S: f64 = 0.3;
/// A rise that starts this soon after the last step of a walk (of
/// [`WALK_MIN_STEPS`] or more) carries the walk on, unless it is held at
/// its top, s: a stride of the instrumented leg takes 0.9-1.4 s (§2.4),
/// so a rise within 1.5 s of the last keeps the walk's rhythm (shuffling,
/// turning, stopping in a step or two: the real NCSU sessions' walks begin
/// and end with such rises), while a set begins from standing (the lifter
/// stops, takes the handle or clips the cable and hinges forward; the
/// simulator stands 6 s or more) and a squeezed rep pauses where no stride
/// does.
const WALK_SETTLE_S: f64 = 1.5;
/// The rise after a held-back rep is judged once it has risen this far, deg.
const PENDING_MIN_RISE_DEG: f64 = 10.0;
/// The pivot fit skips this long after a rise starts, s: a heel strike
/// rings through the (6 Hz low-passed) acceleration for about that long.
const IMPACT_SETTLE_S: f64 = 0.1;
/// A heel strike is looked for this close to where a rise starts or ends,
/// s: the shank is furthest forward at the end of the swing, and the heel
/// lands 0.1-0.2 s later, after the terminal-swing retraction (measured on
/// the real NCSU strides).
const HEEL_STRIKE_WINDOW_S: f64 = 0.25;
/// Half-width of the centred mean an impact stands out from, grid points
/// (3 → a 70 ms window).
const IMPACT_HALF_WINDOW: usize = 3;
/// Without a gyroscope, a rise whose acceleration leaves its own plane by
/// more than this (root mean square over the rise, m/s²) ...
const SHAKEN_MS2: f64 = 2.0;
/// ... and by more than this fraction of what lies in that plane was
/// shaken, not swung (see [`is_shaken`]). On the real recordings with
/// the gyroscope left out, the rises of walking, stairs and standing
/// leave the plane by 2.0-5.6 m/s² (5th-95th percentile; 0.27-0.59 of
/// the in-plane part), the physiotherapy reps by 0.06-1.34 m/s² (ratio
/// 0.06-0.30); the simulator's kicks, thrown ones included, by less.
const SHAKEN_FRACTION: f64 = 0.25;
/// The farthest the hip is from an ankle sensor, m (0.6–0.9 m, §4): bounds
/// the centripetal acceleration of a leg turning about the hip.
const HIP_RADIUS_M: f64 = 0.9;
/// A pivot at least this far from an ankle sensor is the hip, m: halfway
/// between the knee, 0.28–0.45 m above a sensor strapped 3–10 cm above the
/// ankle, and the hip, 0.69–0.93 m (§4: shank 0.246 H, hip to ankle
/// 0.491 H, H 1.55–1.95 m).
const HIP_PIVOT_MIN_M: f64 = 0.55;
/// A leg turning this fast over the first half of its rise is thrown, not
/// controlled, rad/s: a rep is warned of momentum above a 120 °/s peak and
/// flagged above 150 °/s (§5.2); over the first half of a minimum-jerk
/// rise the rate [`Turn`] gives is 0.90 of the peak, so 108–135 °/s there.
/// Midway, 126 °/s.
const THROWN_RAD_S: f64 = 2.2;

/// The least turning (root mean square of |ω² − iα|, rad/s²) from which
/// the pivot's direction is read (see [`pivot_direction`]): 1 rad/s² pulls
/// on a sensor 0.7 m from the hip with 0.7 m/s², twice the error of the
/// linear acceleration (a controlled rep speeding up at 1-3 rad/s² gives
/// that; a slow drift does not).
const TOWARD_PIVOT_MIN_RAD_S2: f64 = 1.0;
/// A pivot fitted this far below level (sine of 10°, the fit's error)
/// all through a rise is no leg's (see [`pivot_direction`]).
const PIVOT_BELOW_SIN: f64 = 0.17;
/// The rest pose is only checked against a rise of at least this, deg:
/// the pivot's direction is good to ~10°, and the check asks which end of
/// the rise it is nearer.
const CHECK_MIN_RANGE_DEG: f64 = 20.0;

/// A leg hangs from the point it turns about when that point is within
/// this of straight above the sensor, deg: the pivot's direction is good
/// to ~10°, and a standing leg's rest pose hangs within ~15° of plumb
/// (the cable pulls the ankle forward a little). A lying leg's pivot is
/// level with the sensor at rest; its rest pose is not checked this way.
const HANGS_WITHIN_DEG: f64 = 25.0;
/// The peak's pose is the rest pose only when the pivot is nearer straight
/// above it than above the first still pose by more than this, deg: the
/// error of the pivot's direction. (Asking for half the rise instead, as
/// if the fit were exact, kept the simulator's mid-set starts upside down
/// whenever the fit leaned 15–25° towards the way the leg moved: pivot
/// 41° from the rest pose and 14° from the peak of a 56° rise.)
const NEARER_BY_DEG: f64 = 10.0;

/// Which end of a rise the leg rests at, as far as the pivot tells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RestEnd {
    /// Too slow or too small a rise to tell.
    Unknown,
    /// The rise lifted the ankle: the rest pose is its low end.
    Low,
    /// The rise lowered the ankle: the rest pose is the top of a kick,
    /// and the leg rests at the rise's peak (this pose).
    Top(Vector3<f64>),
}

/// Whether the rest pose `rest` is the low end of the rise `c` (whose
/// kept points are `body`, and whose peak pose is `peak_up`): a kick lifts
/// the ankle against gravity, whatever the variation (standing, seated,
/// prone, on its side, on all fours), so the leg rests where the point it
/// turns about (hip or knee) is most nearly straight above the sensor. A
/// recording that starts mid-set finds its first stillness at the top of a
/// rep (the squeeze), and then reads every rep upside down. Only a leg
/// found hanging at the rise's peak ([`HANGS_WITHIN_DEG`]), and nearer
/// it than the rest pose by more than the fit's error ([`NEARER_BY_DEG`]),
/// is said to rest there.
pub(crate) fn rest_end<'a>(
    body: impl IntoIterator<Item = &'a Point>,
    c: &Candidate,
    peak_up: Vector3<f64>,
    leg: Leg<'_>,
) -> RestEnd {
    let range = c.peak_e - c.start_e;
    let (Some(rest), true) = (leg.frame.rest(), range >= CHECK_MIN_RANGE_DEG) else {
        return RestEnd::Unknown;
    };
    let Some(p) = pivot_direction(body, c, leg) else {
        return RestEnd::Unknown;
    };
    let from_rest = rest.angle(&p).to_degrees();
    let from_peak = peak_up.angle(&p).to_degrees();
    debug_log!(
        "DBG rest end: pivot {from_rest:.0}° from rest, {from_peak:.0}° from the peak (range {range:.0}°)"
    );
    if from_peak <= HANGS_WITHIN_DEG && from_rest - from_peak > NEARER_BY_DEG {
        RestEnd::Top(peak_up)
    } else {
        RestEnd::Low
    }
}

/// Which way the point the shank turned about lies from the sensor over
/// the rise `c` up to its peak (unit, sensor frame, across the axis), or
/// `None` when the turn was too slow to tell. About a fixed pivot p the
/// linear acceleration is ω²·p − α·(axis × p): in the plane across the
/// axis, with p = x·e₁ + y·e₂ and e₂ = axis × e₁, that is the complex
/// product (u + iv) = (x + iy)(ω² − iα), so p is the least-squares ratio
/// Σ w·conj(z) / Σ |z|² with z = ω² − iα. The tangential part is fitted,
/// not assumed to cancel (it cancels over a symmetric rise, not over one
/// thrown up and slowed gently, and [`turn`]'s first half, where the leg
/// only speeds up, leans towards the way it moves: 15-35° on simulated
/// kicks). The rate's sign convention is settled by the fit: the sign of
/// α that leaves the smaller residual.
fn pivot_direction<'a>(
    body: impl IntoIterator<Item = &'a Point>,
    c: &Candidate,
    leg: Leg<'_>,
) -> Option<Vector3<f64>> {
    let axis = leg.frame.axis()?;
    if !leg.gyro {
        return None;
    }
    let rest = leg.frame.rest()?;
    let e1 = rest - axis * rest.dot(&axis);
    if e1.norm() < 1e-6 {
        return None;
    }
    let e1 = e1.normalize();
    let e2 = axis.cross(&e1);
    let pts: Vec<&Point> = body
        .into_iter()
        .filter(|q| q.t >= c.start_t + IMPACT_SETTLE_S && q.t <= c.peak_t)
        .collect();
    if pts.len() < 5 {
        return None;
    }
    // (u, v, ω², α) at each point, α from the rate two points either side.
    let rows: Vec<(f64, f64, f64, f64)> = (2..pts.len() - 2)
        .map(|i| {
            let (a, b) = (pts[i - 2], pts[i + 2]);
            let alpha = (b.w - a.w) / (b.t - a.t).max(1e-6);
            let q = pts[i];
            (q.lin.dot(&e1), q.lin.dot(&e2), q.w * q.w, alpha)
        })
        .collect();
    // What the fit reads the pivot from: |z| = |ω² − iα|, rad/s².
    let strength = (rows
        .iter()
        .map(|&(_, _, w2, al)| w2 * w2 + al * al)
        .sum::<f64>()
        / rows.len().max(1) as f64)
        .sqrt();
    if strength < TOWARD_PIVOT_MIN_RAD_S2 {
        return None;
    }
    let fit = |sign: f64| {
        let (mut nx, mut ny, mut den) = (0.0, 0.0, 0.0);
        for &(u, v, w2, al) in &rows {
            let (zr, zi) = (w2, -sign * al);
            // (u + iv)·conj(z)
            nx += u * zr + v * zi;
            ny += v * zr - u * zi;
            den += zr * zr + zi * zi;
        }
        if den <= 0.0 {
            return None;
        }
        let (x, y) = (nx / den, ny / den);
        let resid: f64 = rows
            .iter()
            .map(|&(u, v, w2, al)| {
                let (zr, zi) = (w2, -sign * al);
                let (pu, pv) = (x * zr - y * zi, x * zi + y * zr);
                (u - pu).powi(2) + (v - pv).powi(2)
            })
            .sum();
        Some((x, y, resid))
    };
    // Both signs share Σ |z|², so both fits stand or fall together.
    let (a, b) = (fit(1.0)?, fit(-1.0)?);
    // The hip or knee a leg turns about is above an ankle sensor, or
    // level with it where a lying leg rests (the lift then raises the
    // ankle above it): a fit that puts the pivot below the sensor all
    // through the rise, by more than the fit's error, has the wrong sign,
    // whatever its residual (when α dominates ω², the two fits lie ~180°
    // apart and their residuals close).
    let above = |&(x, y, _): &(f64, f64, f64)| {
        let p = (e1 * x + e2 * y).normalize();
        pts.iter().any(|q| p.dot(&q.up) >= -PIVOT_BELOW_SIN)
    };
    let (x, y, _) = match (above(&a), above(&b)) {
        (true, false) => a,
        (false, true) => b,
        _ if a.2 <= b.2 => a,
        _ => b,
    };
    let p = e1 * x + e2 * y;
    (p.norm() > 1e-3).then(|| p.normalize())
}

/// Steps this far apart, s, belong to one walk: a stride of the
/// instrumented leg takes 0.9-1.4 s (BIOMECHANICS §2.4), and a step or two
/// may go unrecognised (a turn, a stair landing).
const WALK_GAP_S: f64 = 3.0;
/// A walk is reported from this many steps on: one lone "step" may be a
/// misjudged rise; strides come in runs.
const WALK_MIN_STEPS: u32 = 2;
/// A step is judged when it ends, up to this long after it started, s (a
/// stride's rise takes under 1.5 s): the walk is over once no step has
/// started within WALK_GAP_S and none can still be under judgement.
const LONGEST_STEP_S: f64 = 2.0;

/// What the gate made of a measured rise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A rep.
    Rep,
    /// A step of walking: the foot planted (`planted`), a rise straight
    /// after a step or carrying a walk on, the first step from standing,
    /// or a heel strike.
    Step,
}

/// The rises before a step, newest first, that were steps of the same walk
/// (see [`StepsBefore::was_step`]): the first strides after standing still,
/// or a weight shift straight into the walk, read as reps before the walk
/// showed. On the real HuGaDB walks with 5 s of stillness in front, the
/// first 2-4 strides each went straight on from the last, the last
/// straight into a step that was rejected; one NCSU session shifted its
/// weight and went straight on into a walk.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StepsBefore {
    /// The step the walk back started from.
    step: Rise,
    /// The last rise found a step (the step first).
    next: Rise,
    /// No rise asked about yet.
    first: bool,
}

impl StepsBefore {
    /// Walking back from the step `step`.
    pub(crate) fn from(step: Rise) -> Self {
        StepsBefore {
            step,
            next: step,
            first: true,
        }
    }

    /// Whether `rise`, the newest not yet asked about, was a step too: the
    /// rise after it (the step first) started within [`STEP_CONTEXT_S`] of
    /// its end, as a rise that starts so soon after a step is a step too;
    /// the newest whatever its size (a kickback set ends with the leg at
    /// rest, and the lifter lets go of the cable and turns before walking
    /// off), those before it only if alike to the step itself as two reps
    /// of a set are ([`Rise::is_like`]): strides of the same walk. Reps of
    /// a set done without a pause are not taken along: a controlled rep
    /// (2-5 s) is nothing like a stride (under 1 s), and thrown rises are
    /// left out (see [`GaitGate::was_thrown`]).
    pub(crate) fn was_step(&mut self, rise: &Rise) -> bool {
        let straight_on = self.next.start_s - rise.end_s < STEP_CONTEXT_S;
        let step = straight_on && (self.first || rise.is_like(&self.step));
        self.first = false;
        if step {
            self.next = *rise;
        }
        step
    }
}

/// What became of the rep held back.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Review {
    /// Nothing held, or not yet due.
    Waiting,
    /// Its time is up: report it.
    Due(Rep),
    /// The leg went straight on into a step: it was a step too.
    Dropped(Rep),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct GaitGate {
    /// End of the last rise rejected as a walking step.
    last_step_end: Option<f64>,
    /// A measured rep held back for at most [`PENDING_S`] after its end.
    pending: Option<Rep>,
    /// The walk under way: steps seen so far.
    walk: Option<Walk>,
    /// Ids of the newest rises judged (at most [`THROWN_KEPT`]) that a
    /// gyroscope showed thrown.
    thrown: VecDeque<u64>,
}

/// How many of the newest thrown rises the gate remembers: more than a
/// set's reps can lead straight into a step.
const THROWN_KEPT: usize = 64;

/// What the gate needs to know of the leg: the frame (rest pose and kick
/// axis) and whether there is a gyroscope.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Leg<'a> {
    pub(crate) frame: &'a ElevationFrame,
    pub(crate) gyro: bool,
}

impl GaitGate {
    /// Start of the rep held back, if any.
    #[inline]
    pub(crate) fn pending_start(&self) -> Option<f64> {
        self.pending.as_ref().map(|r| r.start_s)
    }

    /// Takes the rep held back (at the end of the stream).
    pub(crate) fn take_pending(&mut self) -> Option<Rep> {
        self.pending.take()
    }

    /// Whether the rise `id` (judged here) turned as fast as a thrown kick
    /// about a point as far as the hip: a first stride after standing
    /// turns far slower (the stance leg shifts its weight and bends the
    /// knee first: real first steps turned at a median 0.85 rad/s over the
    /// first half of their rise, 31 of 33 under 1.8 rad/s), so a thrown
    /// rise is neither taken for the start of a walk nor, judged a step,
    /// makes the reps before it one. (On the simulator a thrown rep
    /// misread as a stride otherwise took a whole set of thrown reps
    /// with it.)
    pub(crate) fn was_thrown(&self, id: u64) -> bool {
        self.thrown.contains(&id)
    }

    /// Takes the rep held back if `back` finds it a step too and it was
    /// not thrown.
    pub(crate) fn take_pending_step(&mut self, back: &mut StepsBefore) -> Option<Rep> {
        let thrown = &self.thrown;
        self.pending
            .take_if(|rep| !thrown.contains(&rep.id) && back.was_step(&Rise::of(rep)))
    }

    /// Counts a step from `start` to `end` into the walk under way (or
    /// starts one).
    fn step_seen(&mut self, start: f64, end: f64) {
        self.last_step_end = Some(end);
        match &mut self.walk {
            Some(w) if start - w.end_s <= WALK_GAP_S => {
                w.end_s = w.end_s.max(end);
                w.steps += 1;
            }
            _ => self.walk = Some(Walk::new(start, end, 1)),
        }
    }

    /// The walk under way, once no step can follow it at `t` (or whatever
    /// the time, with `t` infinite at the end of the stream); `None` for a
    /// lone step.
    pub(crate) fn walk_over(&mut self, t: f64) -> Option<Walk> {
        if self
            .walk
            .is_some_and(|w| t - w.end_s > WALK_GAP_S + LONGEST_STEP_S)
        {
            return self.walk.take().filter(|w| w.steps >= WALK_MIN_STEPS);
        }
        None
    }

    /// Holds `rep` back; returns the rep held before, to be reported now.
    pub(crate) fn hold(&mut self, rep: Rep) -> Option<Rep> {
        self.pending.replace(rep)
    }

    /// Judges the measured rise `c`: a rep, or a step of walking.
    pub(crate) fn judge(
        &mut self,
        m: &Measured,
        c: &Candidate,
        leg: Leg<'_>,
        settings: &Settings,
    ) -> Verdict {
        let rs = &settings.reps;
        let (start, end) = (m.rep.start_s, m.rep.end_s);
        let after_step = self
            .last_step_end
            .is_some_and(|g| start - g < STEP_CONTEXT_S);
        // A leg held still at its top (HELD_TOP_S) is no stance phase: a
        // stance leg rolls over its foot without stopping. (A knee
        // extension turns the shank about the knee, as close to the sensor
        // as a planted foot; its hold tells it apart.)
        let held = m.rep.hold_s >= HELD_TOP_S;
        // Moving again straight after a walk, with no squeeze: still
        // walking (WALK_SETTLE_S).
        let after_walk = !held
            && self
                .walk
                .is_some_and(|w| w.steps >= WALK_MIN_STEPS && start - w.end_s < WALK_SETTLE_S);
        let turn = turn(m.body(c), c.peak_t, c.peak_e, c, leg);
        // A lying leg has no foot to plant.
        let planted =
            !held && !leg.frame.lying() && turn.is_some_and(|t| t.planted(rs.min_pivot_radius_m));
        // A leg turning as fast as a thrown rep about a point as far away
        // as the hip was kicked, not stepped, held at its top or not: a
        // first step shifts the weight and bends the knee before it swings
        // (the real first steps turned at a median 0.85 rad/s over the
        // first half of their rise, 31 of 33 under 1.8 rad/s).
        let thrown = turn.is_some_and(|t| t.thrown());
        if thrown {
            if self.thrown.len() == THROWN_KEPT {
                self.thrown.pop_front();
            }
            self.thrown.push_back(c.id);
        }
        let from_still = m.rep.windup_deg < rs.still_start_deg;
        let no_gyro = !leg.gyro;
        // A kickback never lands the foot: a jolt along the shank while it
        // is well in front of rest, where the rise starts or where it comes
        // back to, is a heel strike, whatever the rise looked like (real
        // strides start and end with one; the rise itself may be slow, the
        // stance leg rolling over its planted foot).
        let strike = is_heel_strike(&m.pts, c, leg.frame, settings);
        // A swing from standing still that comes back within about a
        // dropped leg's fall time and carries on well in front of the rest
        // pose is the first step of a walk (the stance leg rolling over its
        // foot, then its swing to heel strike), strike or not: a kick from
        // still comes back to rest (a thrown rep starts from a wind-up and
        // overshoots after a fast drop, §2.3). Not without a gyroscope: the
        // accelerometer alone reads a thrown rep's forward overshoot far too
        // deep (a whole set of swings would go as one walk); strikes remain.
        let first_step = !no_gyro
            && !thrown
            && from_still
            && m.rep.eccentric_s < FIRST_STEP_RETURN_S
            && c.low_e <= -rs.gait_forward_deg;
        // Without a gyroscope: a shank shaken out of the plane of its swing
        // by heel strikes and the body's sway, not swung about the hip.
        let shaken = no_gyro && is_shaken(m.body(c));
        // A slow roll back, no pause, and a return faster than a leg falls:
        // the stance and swing of a stride (walking, stairs), whatever the
        // rest pose. A kick is lifted at least as fast as it is lowered
        // unless it is held or lowered under control.
        // (Down to BRISK_STANCE_S when it starts where a heel lands, well
        // in front of the rest pose, and a gyroscope shows it was not
        // thrown.)
        let r = &m.rep;
        let heel_down = c.start_e <= -rs.gait_forward_deg;
        let shortest_stance = if heel_down && turn.is_some() && !thrown {
            BRISK_STANCE_S
        } else {
            *STANCE_S.start()
        };
        let stride = r.hold_s <= STRIDE_TOP_S
            && r.eccentric_s <= FREE_FALL_S
            && (shortest_stance..=*STANCE_S.end()).contains(&r.concentric_s)
            && r.concentric_s >= STANCE_OVER_SWING * r.eccentric_s;
        if planted || after_step || after_walk || first_step || strike || stride || shaken {
            // Walking goes on: a rise right after this one is a step too.
            self.step_seen(start, end);
            debug_log!(
                "DBG reject gait {:.2}-{:.2} con {:.2} hold {:.2} ecc {:.2} peak {:.1} planted {planted} after_step {after_step} after_walk {after_walk} strike {strike} first_step {first_step} stride {stride} shaken {shaken} last_step_end {:?}",
                start,
                end,
                r.concentric_s,
                r.hold_s,
                r.eccentric_s,
                c.peak_e,
                self.last_step_end
            );
            return Verdict::Step;
        }
        Verdict::Rep
    }

    /// While a rep is held back: report it once its time is up, or drop it
    /// if the leg has gone straight on into the stance phase of a step (so
    /// the "rep" was a step too). `rising` is the rise under way, if any;
    /// `mean_dt` the mean step between samples.
    #[inline]
    pub(crate) fn review(
        &mut self,
        t: f64,
        rising: Option<&Candidate>,
        history: &History,
        leg: Leg<'_>,
        mean_dt: Option<f64>,
        settings: &Settings,
    ) -> Review {
        let Some(end) = self.pending.as_ref().map(|r| r.end_s) else {
            return Review::Waiting;
        };
        if let Some(c) = rising {
            debug_log!(
                "DBG review t {t:.2} end {end:.2} cand start {:.2} rise {:.1}",
                c.start_t,
                c.peak_e - c.start_e
            );
            if c.start_t >= end - STEP_CONTEXT_S && c.peak_e - c.start_e >= PENDING_MIN_RISE_DEG {
                // The rise so far: the newest points of the history.
                let rise = history.iter().rev().take_while(|q| q.t >= c.start_t);
                if !leg.frame.lying()
                    && turn(rise, c.peak_t, c.peak_e, c, leg)
                        .is_some_and(|t| t.planted(settings.reps.min_pivot_radius_m))
                {
                    debug_log!("DBG drop pending rep ending {end:.2}: a step follows");
                    return match self.pending.take() {
                        Some(rep) => {
                            // A step like any other: the walk goes on, and
                            // a rise straight after it is a step too.
                            self.step_seen(rep.start_s, rep.end_s);
                            Review::Dropped(rep)
                        }
                        None => Review::Waiting,
                    };
                }
            }
        }
        // Samples arrive every mean_dt (runs of up to 3 go missing), and
        // events can only come out with a sample: keep the hold short enough
        // that a rep still comes out within REPORT_WITHIN_S of its end.
        let mean_dt = mean_dt.unwrap_or(DT);
        let hold = PENDING_S.min(REPORT_WITHIN_S - 4.5 * mean_dt).max(0.0);
        if t - end >= hold {
            if let Some(rep) = self.pending.take() {
                return Review::Due(rep);
            }
        }
        Review::Waiting
    }
}

/// How the shank turned while the leg rose, over the first half of the
/// rise (after a heel strike there would have rung out).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Turn {
    /// How fast, rad/s: the fourth root of the mean ω⁴ (the weights of the
    /// pivot fit).
    rate: f64,
    /// How far from the sensor the point it turned about was, m, when the
    /// turn was brisk enough to place it: a planted foot (a step of
    /// walking) is close to the sensor, the hip of a kick 0.69–0.93 m
    /// away (§4).
    pivot_m: Option<f64>,
}

impl Turn {
    /// A foot planted: the shank turned about a point close to the sensor.
    fn planted(&self, min_pivot_radius_m: f64) -> bool {
        self.pivot_m.is_some_and(|r| r < min_pivot_radius_m)
    }

    /// A leg thrown: turning faster than a controlled kick, about a point
    /// as far from the sensor as the hip.
    fn thrown(&self) -> bool {
        self.rate >= THROWN_RAD_S && self.pivot_m.is_some_and(|r| r >= HIP_PIVOT_MIN_M)
    }
}

/// How the shank turned while the leg rose (see [`Turn`]); `None` without a
/// gyroscope or a kick axis, or with no point in the first half of the rise.
/// For a shank turning about a fixed pivot p (sensor frame, ⊥ the axis),
/// the linear acceleration is ω²·p − α·(axis × p). Over the middle of a
/// rise the tangential part cancels (α changes sign around the peak
/// velocity, ω² is symmetric), so p ≈ Σ ω²·lin / Σ ω⁴. Leaving α out also
/// keeps soft-tissue wobble (fast rotation about the strap itself) from
/// pulling the estimate to zero. Needs a gyroscope and a brisk rise.
fn turn<'a>(
    body: impl IntoIterator<Item = &'a Point>,
    peak_t: f64,
    peak_e: f64,
    c: &Candidate,
    leg: Leg<'_>,
) -> Option<Turn> {
    let axis = leg.frame.axis()?;
    if !leg.gyro {
        return None;
    }
    let range = peak_e - c.start_e;
    // The first part of the rise: in a step, the stance phase, when the
    // foot is planted (later the heel lifts and the knee swings).
    let lo = c.start_e + 0.1 * range;
    let hi = c.start_e + 0.6 * range;
    let mut num = Vector3::zeros();
    let mut den = 0.0;
    let mut n = 0usize;
    for q in body
        .into_iter()
        .filter(|q| q.t >= c.start_t + IMPACT_SETTLE_S && q.t <= peak_t && q.e >= lo && q.e <= hi)
    {
        let b = q.lin - axis * q.lin.dot(&axis);
        let w2 = q.w * q.w;
        num += b * w2;
        den += w2 * w2;
        n += 1;
    }
    if n == 0 {
        return None;
    }
    let rate = (den / n as f64).powf(0.25);
    // The pivot only if the rotation was brisk: mean ω⁴ of (1.5 rad/s)⁴
    // (≈ 86 °/s), where 0.3 m/s² of error moves the pivot by < 0.06 m, the
    // more so the faster; how precise it is follows from the rate, not the
    // number of points, and a fast throw spends only 30–40 ms in the
    // first half of its rise after a strike's ringing would have settled.
    // Three points, so that no one sample decides.
    let pivot_m = (n >= 3 && rate >= 1.5).then(|| (num / den).norm());
    debug_log!(
        "DBG turn at {:.2} n {} rate {:.2} pivot {:?}",
        c.peak_t,
        n,
        rate,
        pivot_m
    );
    Some(Turn { rate, pivot_m })
}

/// Whether the specific force over a rise (`body`, without a gyroscope:
/// less gravity as the leg model reads it) was shaken out of a plane
/// rather than swung in one. A leg turning about its hip (and knee) moves
/// the ankle in one plane, whatever the plane is (a kickback, an
/// abduction, a donkey kick), so the acceleration stays in it but for
/// strap wobble; walking jolts the shank in every direction (heel strikes
/// of 2.5-4 g, the body's sway over the stance foot). The plane is the
/// rise's own (the two largest principal directions of the acceleration),
/// not the kick's axis found so far, which a diagonal kick without a
/// gyroscope may not match.
fn is_shaken<'a>(body: impl IntoIterator<Item = &'a Point>) -> bool {
    let (mut m, mut n) = (nalgebra::Matrix3::<f64>::zeros(), 0usize);
    for q in body {
        m += q.raw_lin * q.raw_lin.transpose();
        n += 1;
    }
    if n == 0 {
        return false;
    }
    let e = (m / n as f64).symmetric_eigenvalues();
    let mut ev = [e[0], e[1], e[2]];
    ev.sort_by(f64::total_cmp);
    let out = ev[0].max(0.0).sqrt();
    let within = (ev[1] + ev[2]).max(0.0).sqrt();
    debug_log!("DBG shaken: out of plane {out:.2} m/s², in it {within:.2}");
    out > SHAKEN_MS2 && out > SHAKEN_FRACTION * within
}

/// A step of walking, not a rep: the rise began or ended with the heel
/// striking the floor in front of the rest pose. A strike is a jolt of
/// 2–4 g lasting some 10 ms; it is found as the part of the acceleration
/// that a centred 70 ms mean does not explain. A kick's own acceleration,
/// even the 5–7 g of a 0.3 s swing, is smooth and leaves well under 1 g
/// there; the weight stack touching down gives 0.3–1 g (§5.1). Works
/// with or without a gyroscope.
///
/// Both ends are checked, with or without a gyroscope, each only where it
/// lies well in front of rest (`reps.gait_forward_deg`): a kick starts
/// and ends near its rest pose, a stride's heel lands well in front of it.
/// What the leg's turning itself puts along the shank is not counted (see
/// below); a thrown rep's sharp turn-round at a bent knee can still read
/// over the limit there (on the simulator, once in a set of 14 at 53 Hz).
fn is_heel_strike(
    pts: &[Point],
    c: &Candidate,
    frame: &ElevationFrame,
    settings: &Settings,
) -> bool {
    let rs = &settings.reps;
    let half = IMPACT_HALF_WINDOW;
    // A strike jolts the shank along its length; the turn-round of a
    // swing jolts it across (tangentially, in the plane of the kick).
    // The part across is left out: the shank's length is close to the
    // rest "up", the plane's normal is the kick's axis.
    let across = match (frame.axis(), frame.rest()) {
        (Some(a), Some(r)) => {
            let t = a.cross(&r);
            let n = t.norm();
            (n > 1e-6).then(|| t / n)
        }
        _ => None,
    };
    let limit = rs.gait_impact_g * STANDARD_GRAVITY;
    // A leg turning about the hip has a centripetal acceleration along the
    // shank of ω²·r, which changes within the window when the turn speeds
    // up or slows down (a thrown rep passing rest at 300-500 °/s: 2-6 g).
    // What ω² alone can explain there, with the hip as far as it can be,
    // is not counted as impact; the rest of a jolt along the shank is. (A
    // real heel strike lands while the gyroscope still reads 100-370 °/s,
    // much of it the strike ringing through the strap.)
    let omega2 = |q: &Point| {
        let w = if q.w != 0.0 { q.w } else { q.v.to_radians() };
        w * w
    };
    let impact_near = |t0: f64| {
        let mut peak: f64 = 0.0;
        for i in half..pts.len().saturating_sub(half) {
            if (pts[i].t - t0).abs() > HEEL_STRIKE_WINDOW_S {
                continue;
            }
            let win = &pts[i - half..=i + half];
            let n = (2 * half + 1) as f64;
            let mean = win.iter().map(|q| q.raw_lin).sum::<Vector3<f64>>() / n;
            let mean_w2 = win.iter().map(omega2).sum::<f64>() / n;
            let mut r = pts[i].raw_lin - mean;
            if let Some(t) = across {
                r -= t * r.dot(&t);
            }
            let centripetal = HIP_RADIUS_M * (omega2(&pts[i]) - mean_w2).abs();
            peak = peak.max(r.norm() - centripetal);
        }
        peak
    };
    // Only in front of rest: a leg lowered onto a bench or the floor (prone
    // and side-lying variations) lands at rest, and is still a rep.
    let at_start = c.start_e <= -rs.gait_forward_deg && impact_near(c.start_t) > limit;
    let at_end = c.low_e <= -rs.gait_forward_deg && impact_near(c.low_t) > limit;
    debug_log!(
        "DBG impact start {:.2} g ({:.1}°) end {:.2} g ({:.1}°) at {:.2}",
        impact_near(c.start_t) / STANDARD_GRAVITY,
        c.start_e,
        impact_near(c.low_t) / STANDARD_GRAVITY,
        c.low_e,
        c.start_t
    );
    at_start || at_end
}

#[cfg(test)]
mod tests {
    use super::super::measure::measure;
    use super::super::testing::{go, history, profile, stay, Seg};
    use super::*;

    fn frame() -> ElevationFrame {
        let mut f = ElevationFrame::default();
        f.set_rest(Vector3::z());
        let a = 20f64.to_radians();
        let _ = f.elevation(&Vector3::new(0.0, a.sin(), a.cos()), true);
        assert!(f.axis().is_some());
        f
    }

    /// A leg turning `range` degrees in `dur` s (minimum jerk, after 1 s
    /// still, then held) about a pivot 0.8 m from the sensor that lies
    /// `pivot_deg` from the rest pose's "up", towards the way the ankle
    /// moves: the rates and linear accelerations a strapped sensor reads
    /// (ω²·p − α·(axis × p)), and the rise from the rest pose.
    fn turning(range: f64, dur: f64, pivot_deg: f64) -> (History, Candidate) {
        let up = |deg: f64| {
            let a = deg.to_radians();
            Vector3::new(0.0, a.sin(), a.cos())
        };
        let p = up(pivot_deg) * 0.8;
        let axis_x_p = Vector3::x().cross(&p);
        let th = range.to_radians();
        let pts = (1..=((1.5 + dur) / DT) as usize).map(|i| {
            let t = i as f64 * DT;
            let s = ((t - 1.0) / dur).clamp(0.0, 1.0);
            let moving = (0.0..1.0).contains(&s) && t > 1.0;
            let e = th * (10.0 * s.powi(3) - 15.0 * s.powi(4) + 6.0 * s.powi(5));
            let (w, alpha) = if moving {
                (
                    th / dur * (30.0 * s * s - 60.0 * s.powi(3) + 30.0 * s.powi(4)),
                    th / (dur * dur) * (60.0 * s - 180.0 * s * s + 120.0 * s.powi(3)),
                )
            } else {
                (0.0, 0.0)
            };
            let lin = p * (w * w) - axis_x_p * alpha;
            Point {
                t,
                e: e.to_degrees(),
                v: w.to_degrees(),
                w,
                lin,
                raw_lin: lin,
                up: up(e.to_degrees()),
            }
        });
        let h = history(pts);
        let end = h.back().expect("points").t;
        let c = Candidate::between(&h, 0.5, end, 1).expect("a rise");
        (h, c)
    }

    #[test]
    fn the_rest_pose_is_where_the_pivot_is_above_the_sensor() {
        #[derive(Debug, PartialEq)]
        enum Want {
            Low,
            Top,
            Unknown,
        }
        // (what, range deg, duration s, pivot from the rest pose deg,
        // gyroscope, verdict)
        let cases = [
            (
                "a kick from hanging: the hip above the rest pose",
                40.0,
                0.8,
                0.0,
                true,
                Want::Low,
            ),
            (
                "a slower kick, the cable pulling the ankle forward",
                50.0,
                1.5,
                -10.0,
                true,
                Want::Low,
            ),
            (
                "a drop to hanging, read from the top of a kick",
                40.0,
                0.8,
                40.0,
                true,
                Want::Top,
            ),
            (
                "the same, the fit leaning 14° towards the way the leg moved",
                56.0,
                0.8,
                42.0,
                true,
                Want::Top,
            ),
            (
                "a pivot barely nearer the peak than the rest pose tells nothing",
                40.0,
                0.8,
                24.0,
                true,
                Want::Low,
            ),
            (
                "a lying leg's lift: the hip level with the ankle",
                40.0,
                0.8,
                -90.0,
                true,
                Want::Low,
            ),
            (
                "a lying leg read upside down is not said to hang",
                40.0,
                0.8,
                90.0,
                true,
                Want::Low,
            ),
            ("too slow to tell", 40.0, 8.0, 40.0, true, Want::Unknown),
            ("too small to tell", 12.0, 0.3, 12.0, true, Want::Unknown),
            ("no gyroscope", 40.0, 0.8, 40.0, false, Want::Unknown),
        ];
        let f = frame();
        for (what, range, dur, pivot, gyro, want) in cases {
            let (h, c) = turning(range, dur, pivot);
            let peak_up = h.at(c.peak_t).expect("peak kept").up;
            let leg = Leg { frame: &f, gyro };
            let got = match rest_end(h.iter(), &c, peak_up, leg) {
                RestEnd::Low => Want::Low,
                RestEnd::Unknown => Want::Unknown,
                RestEnd::Top(up) => {
                    assert!(up.angle(&peak_up) < 1e-9, "{what}: rests at the peak");
                    Want::Top
                }
            };
            assert_eq!(got, want, "{what}");
            if want != Want::Unknown {
                // The pivot's direction itself, tangential pull and all.
                let a = pivot.to_radians();
                let truth = Vector3::new(0.0, a.sin(), a.cos());
                let p = pivot_direction(h.iter(), &c, leg).expect("brisk enough");
                assert!(
                    p.angle(&truth).to_degrees() < 3.0,
                    "{what}: pivot {:.1}° off",
                    p.angle(&truth).to_degrees()
                );
            }
        }
    }

    #[test]
    fn a_pivot_is_never_fitted_below_the_sensor() {
        // Accelerations that only a pivot straight below the sensor
        // explains (no leg's): the other sign of the turn is taken, which
        // puts the pivot above.
        let (h, c) = turning(40.0, 0.8, 180.0);
        let leg = Leg {
            frame: &frame(),
            gyro: true,
        };
        let p = pivot_direction(h.iter(), &c, leg).expect("brisk enough");
        let highest = h
            .iter()
            .map(|q| p.dot(&q.up))
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(highest >= -PIVOT_BELOW_SIN, "pivot below: {highest:.2}");
        // The same rise about a pivot above is read as it is.
        let (h, c) = turning(40.0, 0.8, 0.0);
        let p = pivot_direction(h.iter(), &c, leg).expect("brisk enough");
        assert!(p.angle(&Vector3::z()).to_degrees() < 3.0, "{p:?}");
    }

    /// Points of a rise from 1 s to 2 s turned at `w` rad/s about a pivot
    /// `r` m from the sensor (towards the hip).
    fn rising_about(w: f64, r: f64) -> impl Fn(&mut Point) {
        move |q: &mut Point| {
            if q.t > 1.0 && q.t < 2.0 {
                q.w = w;
                q.lin = Vector3::new(0.0, 0.0, w * w * r);
            }
        }
    }

    /// A rise measured from a profile, with its points changed by `touch`
    /// (turn rates, accelerations) first.
    fn measured(segs: &[Seg], touch: impl Fn(&mut Point)) -> (Measured, Candidate) {
        let mut pts: Vec<Point> = profile(segs).into_iter().map(|(p, _)| p).collect();
        pts.iter_mut().for_each(touch);
        let h = history(pts);
        let end = h.back().expect("points").t;
        let c = Candidate::between(&h, 0.9, end, 1).expect("a rise");
        let m = measure(&c, &h, &Settings::default(), None, 10.0, true).expect("a rep");
        (m, c)
    }

    /// A kick: 1 s up 40°, a short hold, 1 s back to `back_to` degrees.
    fn kick(back_to: f64, down_s: f64) -> Vec<Seg> {
        vec![
            stay(0.0, 1.0),
            go(40.0, 1.0),
            stay(40.0, 0.2),
            go(back_to, down_s),
            stay(back_to, 0.5),
        ]
    }

    /// Up 40° in `up_s`, a pause of `top_s`, back to rest in `down_s`.
    fn stride(up_s: f64, top_s: f64, down_s: f64) -> Vec<Seg> {
        vec![
            stay(0.0, 1.0),
            go(40.0, up_s),
            stay(40.0, top_s),
            go(0.0, down_s),
            stay(0.0, 0.5),
        ]
    }

    /// From `from` up to 40° in 0.65 s, no pause, forward again in 0.25 s
    /// to 10° in front of rest (a brisk stride's stance and swing, read
    /// from heel strike to the next swing's end).
    fn brisk(from: f64) -> Vec<Seg> {
        vec![
            stay(from, 1.0),
            go(40.0, 0.65),
            go(-10.0, 0.25),
            stay(-10.0, 0.5),
        ]
    }

    #[test]
    fn a_lying_leg_has_no_foot_to_plant() {
        let s = Settings::default();
        let close = |q: &mut Point| {
            if q.t > 1.0 && q.t < 2.0 {
                q.w = 2.0;
                q.lin = Vector3::new(0.0, 0.0, 0.4);
            }
        };
        // (long axis, verdict): hanging (along up), lying (across it)
        for (long, want) in [(Vector3::z(), Verdict::Step), (Vector3::x(), Verdict::Rep)] {
            let mut f = frame();
            f.set_long_axis(Some(long));
            assert_eq!(f.lying(), want == Verdict::Rep);
            let (m, c) = measured(&kick(0.0, 1.0), close);
            let leg = Leg {
                frame: &f,
                gyro: true,
            };
            assert_eq!(GaitGate::default().judge(&m, &c, leg, &s), want, "{long:?}");
        }
    }

    #[test]
    fn a_rise_thrown_about_the_hip_is_remembered_as_thrown() {
        let s = Settings::default();
        let f = frame();
        let leg = Leg {
            frame: &f,
            gyro: true,
        };
        // Turning at `w` rad/s about a pivot 0.8 m up (the hip) as it rises.
        let about_hip = |w: f64| rising_about(w, 0.8);
        // (rate, thrown?): a thrown kick turns at 3-4 rad/s over the first
        // half of its rise, a first stride at under 1.8
        for (w, want) in [(3.0, true), (1.0, false)] {
            let mut gate = GaitGate::default();
            let (m, c) = measured(&kick(0.0, 1.0), about_hip(w));
            gate.judge(&m, &c, leg, &s);
            assert_eq!(gate.was_thrown(c.id), want, "{w} rad/s");
            assert!(!gate.was_thrown(c.id + 1));
        }
        // Only the newest are remembered (memory stays flat).
        let mut gate = GaitGate::default();
        let (m, mut c) = measured(&kick(0.0, 1.0), about_hip(3.0));
        for id in 1..=(THROWN_KEPT as u64 + 1) {
            c.id = id;
            gate.judge(&m, &c, leg, &s);
        }
        assert!(!gate.was_thrown(1) && gate.was_thrown(2));
    }

    #[test]
    fn steps_are_told_from_reps() {
        let s = Settings::default();
        let f = frame();
        // Turning at 2 rad/s about a pivot `r` m from the sensor (towards
        // the hip), during the rise.
        let turning = rising_about;
        let pivot = move |r: f64| turning(2.0, r);
        // A 3 g jolt along the shank on arriving at the bottom (the
        // centred mean needs a few points after it).
        let strike = |at: f64| {
            move |q: &mut Point| {
                if (q.t - at).abs() < 0.005 {
                    q.raw_lin = Vector3::new(0.0, 0.0, 3.0 * STANDARD_GRAVITY);
                }
            }
        };
        // (case, profile, gyroscope, pivot or strike, a step before ending
        // at, verdict)
        type Touch = Box<dyn Fn(&mut Point)>;
        type Case = (&'static str, Vec<Seg>, bool, Touch, Option<f64>, Verdict);
        let cases: Vec<Case> = vec![
            (
                "a kick",
                kick(0.0, 1.0),
                true,
                Box::new(|_| {}),
                None,
                Verdict::Rep,
            ),
            (
                "about the hip",
                kick(0.0, 1.0),
                true,
                Box::new(pivot(0.8)),
                None,
                Verdict::Rep,
            ),
            (
                "about the foot",
                kick(0.0, 1.0),
                true,
                Box::new(pivot(0.1)),
                None,
                Verdict::Step,
            ),
            (
                "about the foot, no pause at the top",
                stride(1.0, 0.0, 1.0),
                true,
                Box::new(pivot(0.1)),
                None,
                Verdict::Step,
            ),
            (
                "about a close pivot, then held a second (a knee extension)",
                stride(1.0, 1.2, 1.0),
                true,
                Box::new(pivot(0.1)),
                None,
                Verdict::Rep,
            ),
            (
                "about a close pivot, paused 0.35 s at the top (a fast knee extension)",
                stride(0.8, 0.35, 0.8),
                true,
                Box::new(pivot(0.1)),
                None,
                Verdict::Rep,
            ),
            (
                "the foot, no gyroscope",
                kick(0.0, 1.0),
                false,
                Box::new(pivot(0.1)),
                None,
                Verdict::Rep,
            ),
            (
                "right after a step",
                kick(0.0, 1.0),
                true,
                Box::new(|_| {}),
                Some(0.9),
                Verdict::Step,
            ),
            (
                "long after a step",
                kick(0.0, 1.0),
                true,
                Box::new(|_| {}),
                Some(0.1),
                Verdict::Rep,
            ),
            (
                "landing in front with a strike",
                kick(-20.0, 1.0),
                false,
                Box::new(strike(3.15)),
                None,
                Verdict::Step,
            ),
            (
                "landing at rest with a strike",
                kick(0.0, 1.0),
                false,
                Box::new(strike(3.15)),
                None,
                Verdict::Rep,
            ),
            (
                "a slow rise landing in front with a strike, gyroscope",
                kick(-20.0, 1.0),
                true,
                Box::new(strike(3.15)),
                None,
                Verdict::Step,
            ),
            (
                "landing in front with a stack's touchdown (0.8 g)",
                kick(-20.0, 1.0),
                true,
                Box::new(move |q: &mut Point| {
                    if (q.t - 3.15).abs() < 0.005 {
                        q.raw_lin = Vector3::new(0.0, 0.0, 0.8 * STANDARD_GRAVITY);
                    }
                }),
                None,
                Verdict::Rep,
            ),
            (
                "a quick swing from still well in front",
                kick(-20.0, 0.3),
                true,
                Box::new(|_| {}),
                None,
                Verdict::Step,
            ),
            (
                "a throw from still, no wind-up: fast about the hip, well in front",
                kick(-20.0, 0.3),
                true,
                Box::new(turning(3.0, 0.8)),
                None,
                Verdict::Rep,
            ),
            (
                "a first step: about as far, slower than a throw, well in front",
                kick(-20.0, 0.3),
                true,
                Box::new(turning(1.8, 0.8)),
                None,
                Verdict::Step,
            ),
            (
                "fast about the knee, well in front",
                kick(-20.0, 0.3),
                true,
                Box::new(turning(3.0, 0.4)),
                None,
                Verdict::Step,
            ),
            (
                "a slow return well in front",
                kick(-20.0, 1.0),
                true,
                Box::new(|_| {}),
                None,
                Verdict::Rep,
            ),
            (
                "a stride: rolled back slowly, swung forward fast, no pause",
                stride(0.9, 0.0, 0.3),
                false,
                Box::new(|_| {}),
                None,
                Verdict::Step,
            ),
            (
                "a thrown rep, dropped as fast",
                stride(0.4, 0.0, 0.3),
                false,
                Box::new(|_| {}),
                None,
                Verdict::Rep,
            ),
            (
                "a slow lift, squeezed, then dropped",
                stride(0.9, 0.3, 0.3),
                false,
                Box::new(|_| {}),
                None,
                Verdict::Rep,
            ),
            (
                "a slow lift with no pause, lowered as a leg falls",
                stride(0.9, 0.0, 0.45),
                false,
                Box::new(|_| {}),
                None,
                Verdict::Rep,
            ),
            (
                "a brisk stride: from where the heel lands, rolled back in 0.65 s, slower than a throw",
                brisk(-20.0),
                true,
                Box::new(turning(1.8, 0.8)),
                None,
                Verdict::Step,
            ),
            (
                "a throw as quick from as far in front, fast about the hip",
                brisk(-20.0),
                true,
                Box::new(turning(3.0, 0.8)),
                None,
                Verdict::Rep,
            ),
            (
                "the brisk stride without a gyroscope (no telling it from a throw)",
                brisk(-20.0),
                false,
                Box::new(|_| {}),
                None,
                Verdict::Rep,
            ),
            (
                "as brisk and as slow a turn, but from the rest pose",
                brisk(0.0),
                true,
                Box::new(turning(1.8, 0.8)),
                None,
                Verdict::Rep,
            ),
        ];
        for (name, segs, gyro, touch, step_before, want) in cases {
            let (m, c) = measured(&segs, touch);
            let mut gate = GaitGate::default();
            if let Some(end) = step_before {
                gate.last_step_end = Some(end);
            }
            let leg = Leg { frame: &f, gyro };
            assert_eq!(gate.judge(&m, &c, leg, &s), want, "{name}");
            assert_eq!(
                gate.last_step_end.is_some_and(|e| e == m.rep.end_s),
                want == Verdict::Step
            );
        }
    }

    #[test]
    fn without_a_gyroscope_a_shank_shaken_out_of_its_plane_is_walking() {
        let s = Settings::default();
        let f = frame();
        // Accelerations over the rise, m/s², as a function of time.
        type Shake = fn(f64) -> Vector3<f64>;
        let swung: Shake = |t| Vector3::new(0.0, 3.0 * (20.0 * t).sin(), 3.0 * (20.0 * t).cos());
        let swung_tilted: Shake = |t| {
            Vector3::new(1.0, 1.0, 0.0).normalize() * 4.0 * (13.0 * t).sin() + Vector3::z() * 2.0
        };
        let shaken: Shake = |t| {
            Vector3::new(
                3.0 * (37.0 * t).sin(),
                3.0 * (20.0 * t).sin(),
                3.0 * (29.0 * t).cos(),
            )
        };
        let wobbled: Shake = |t| {
            Vector3::new(
                1.0 * (37.0 * t).sin(),
                6.0 * (20.0 * t).sin(),
                6.0 * (20.0 * t).cos(),
            )
        };
        let thrown: Shake = |t| {
            Vector3::new(
                3.5 * (37.0 * t).sin(),
                20.0 * (20.0 * t).sin(),
                20.0 * (20.0 * t).cos(),
            )
        };
        // (case, acceleration, gyroscope, verdict)
        let cases: [(&str, Shake, bool, Verdict); 6] = [
            (
                "a thrown swing: 2.5 m/s² out of a 20 m/s² plane",
                thrown,
                false,
                Verdict::Rep,
            ),
            ("swung in one plane", swung, false, Verdict::Rep),
            (
                "swung in a plane across the axes",
                swung_tilted,
                false,
                Verdict::Rep,
            ),
            ("shaken in every direction", shaken, false, Verdict::Step),
            ("a swing with strap wobble", wobbled, false, Verdict::Rep),
            (
                "shaken, with a gyroscope (its own tests judge)",
                shaken,
                true,
                Verdict::Rep,
            ),
        ];
        for (name, acc, gyro, want) in cases {
            let (m, c) = measured(&stride(0.9, 0.0, 0.45), |q| q.raw_lin = acc(q.t));
            let leg = Leg { frame: &f, gyro };
            assert_eq!(GaitGate::default().judge(&m, &c, leg, &s), want, "{name}");
        }
    }

    #[test]
    fn a_rise_straight_after_a_walk_carries_it_on() {
        let s = Settings::default();
        let f = frame();
        let leg = Leg {
            frame: &f,
            gyro: true,
        };
        // (case, rise, steps in the walk, s from its last step to the
        // rise's start, verdict)
        let cases = [
            (
                "a lift with no pause, a second after a walk",
                stride(0.9, 0.0, 0.45),
                3,
                1.0,
                Verdict::Step,
            ),
            (
                "the same, two seconds after",
                stride(0.9, 0.0, 0.45),
                3,
                2.0,
                Verdict::Rep,
            ),
            (
                "a squeezed rep a second after a walk",
                stride(0.9, 0.5, 0.45),
                3,
                1.0,
                Verdict::Rep,
            ),
            (
                "a lift a second after one lone step",
                stride(0.9, 0.0, 0.45),
                1,
                1.0,
                Verdict::Rep,
            ),
        ];
        for (name, segs, steps, gap, want) in cases {
            let (m, c) = measured(&segs, |_| {});
            let mut gate = GaitGate::default();
            let last = m.rep.start_s - gap;
            gate.walk = Some(Walk::new(last - 5.0, last, steps));
            assert_eq!(gate.judge(&m, &c, leg, &s), want, "{name}");
            let now = gate.walk.map(|w| w.steps);
            let carried = if want == Verdict::Step {
                steps + 1
            } else {
                steps
            };
            assert_eq!(now, Some(carried), "{name}");
        }
    }

    #[test]
    fn a_held_rep_is_reported_in_time_or_dropped_for_a_step() {
        let s = Settings::default();
        let f = frame();
        let (m, _) = measured(&kick(0.0, 1.0), |_| {});
        let end = m.rep.end_s;
        // A step starting right at the rep's end: a brisk rise about the foot.
        let step: Vec<Point> = profile(&[go(30.0, 0.5)])
            .into_iter()
            .map(|(mut p, _)| {
                p.t += end;
                p.w = 2.0;
                p.lin = Vector3::new(0.0, 0.0, 0.4);
                p
            })
            .collect();
        let h = history(step.clone());
        let mut rising = Candidate::between(&h, end, end + 1.0, 2).expect("points");
        rising.peak_e = 30.0;
        // (seconds after the end, mean step between samples, rise under way, outcome)
        let cases: &[(f64, Option<f64>, bool, &str)] = &[
            (0.2, None, false, "waiting"),
            (0.46, None, false, "due"),
            (0.46, Some(0.01), false, "due"),
            // At 12.5 Hz the hold is shorter so that the report is in time.
            (0.2, Some(0.08), false, "due"),
            (0.2, None, true, "dropped"),
        ];
        for &(after, mean_dt, with_rise, want) in cases {
            let mut gate = GaitGate::default();
            assert!(gate.hold(m.rep.clone()).is_none());
            assert_eq!(gate.pending_start(), Some(m.rep.start_s));
            let leg = Leg {
                frame: &f,
                gyro: true,
            };
            let r = gate.review(
                end + after,
                with_rise.then_some(&rising),
                &h,
                leg,
                mean_dt,
                &s,
            );
            let got = match r {
                Review::Waiting => "waiting",
                Review::Due(_) => "due",
                Review::Dropped(_) => "dropped",
            };
            assert_eq!(got, want, "{after} {mean_dt:?} {with_rise}");
            assert_eq!(gate.pending_start().is_some(), want == "waiting");
        }
    }
}

#[cfg(test)]
mod walk_tests {
    use super::*;

    #[test]
    fn rises_the_leg_went_straight_on_from_into_a_step_were_steps() {
        let rise = |start_s: f64, end_s: f64, range_deg: f64| Rise {
            start_s,
            end_s,
            range_deg,
        };
        let step = rise(10.0, 10.9, 30.0);
        // (the rises before the step, oldest first; how many of the newest
        // were steps)
        let cases: &[(&[Rise], usize)] = &[
            // strides at the walk's rhythm, each straight into the next
            (
                &[
                    rise(7.3, 8.1, 25.0),
                    rise(8.2, 9.0, 28.0),
                    rise(9.1, 9.9, 28.0),
                ],
                3,
            ),
            // the newest straight into the step, whatever its size or time;
            // before it only rises alike to the step: a 28° one is (though
            // unlike the 12° one after it), a 60° one is not
            (
                &[
                    rise(6.5, 8.2, 60.0),
                    rise(8.3, 9.0, 28.0),
                    rise(9.1, 9.75, 12.0),
                ],
                2,
            ),
            // a set of controlled reps done without a pause, then straight
            // into a walk: only its last rep goes
            (
                &[
                    rise(0.0, 3.1, 40.0),
                    rise(3.2, 6.3, 40.0),
                    rise(6.4, 9.8, 40.0),
                ],
                1,
            ),
            (&[rise(3.0, 9.8, 14.0)], 1),
            // paused 0.3 s or more before the step, or between two rises
            (&[rise(9.0, 9.7, 28.0)], 0),
            (&[rise(7.0, 7.9, 28.0), rise(8.25, 9.8, 28.0)], 1),
            (&[], 0),
        ];
        for &(before, want) in cases {
            let mut back = StepsBefore::from(step);
            let found = before.iter().rev().take_while(|r| back.was_step(r)).count();
            assert_eq!(found, want, "{before:?}");
        }
    }

    #[test]
    fn steps_in_runs_are_walks() {
        // (case, steps as (start, end), walks reported as (start, end, steps))
        type Case = (&'static str, Vec<(f64, f64)>, Vec<(f64, f64, u32)>);
        let strides = |from: f64, n: usize| -> Vec<(f64, f64)> {
            (0..n)
                .map(|i| (from + i as f64 * 1.1, from + i as f64 * 1.1 + 1.0))
                .collect()
        };
        let cases: Vec<Case> = vec![
            ("no steps", vec![], vec![]),
            ("one lone step", vec![(5.0, 6.0)], vec![]),
            ("ten strides", strides(10.0, 10), vec![(10.0, 20.9, 10)]),
            (
                "two walks with a stand between",
                [strides(10.0, 5), strides(30.0, 4)].concat(),
                vec![(10.0, 15.4, 5), (30.0, 34.3, 4)],
            ),
            (
                "a missed step or two is still one walk",
                vec![(0.0, 1.0), (1.1, 2.1), (4.5, 5.5), (5.6, 6.6)],
                vec![(0.0, 6.6, 4)],
            ),
        ];
        for (name, steps, want) in cases {
            let mut g = GaitGate::default();
            let mut got = Vec::new();
            let mut t = 0.0;
            for (s, e) in steps {
                // time passes up to this step's end
                while t < e {
                    got.extend(g.walk_over(t));
                    t += 0.01;
                }
                g.step_seen(s, e);
            }
            got.extend(g.walk_over(f64::INFINITY));
            let got: Vec<(f64, f64, u32)> = got
                .iter()
                .map(|w| {
                    let r = |x: f64| (x * 10.0).round() / 10.0;
                    (r(w.start_s), r(w.end_s), w.steps)
                })
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }
}
