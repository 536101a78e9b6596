//! The pipeline behind [`crate::Analyzer`]: input checks, resampling onto a
//! uniform grid, orientation, rest pose, rep detection, metrics and sets.
//!
//! Every stage is online and keeps bounded state: the longest buffer is the
//! history of the rep in progress (at most `reps.max_duration_s` plus a
//! second, on a 100 Hz grid).

use crate::event::Event;
use crate::faults::{self, RangeReference, RepShape};
use crate::filter::{LowPass, LowPass3};
use crate::leg::LegFilter;
use crate::orientation::{ElevationFrame, GravityTracker, DEG};
use crate::report::{Rep, SetSummary, StreamStats, Warning};
use crate::sample::{Sample, STANDARD_GRAVITY};
use crate::settings::Settings;
use nalgebra::Vector3;
use std::collections::VecDeque;

/// Tuning traces on stderr, compiled in only with the `debug-log` feature
/// (never in normal builds: the engine prints nothing).
macro_rules! debug_log {
    ($($arg:tt)*) => {
        #[cfg(feature = "debug-log")]
        eprintln!($($arg)*);
    };
}

/// The internal grid rate, Hz. Inputs from 12.5 to 500 Hz are interpolated
/// onto it, so every threshold and filter works the same at any input rate.
pub(crate) const GRID_HZ: f64 = 100.0;
const DT: f64 = 1.0 / GRID_HZ;

/// Corner of the low-pass used before differentiating angles, Hz: voluntary
/// movement is below ~10 Hz, and §5 applies detector thresholds after a 6 Hz
/// low-pass.
const VELOCITY_CORNER_HZ: f64 = 6.0;
/// Still for the rest pose: rate below this, deg/s. Strict, so that the slow
/// ends of a controlled rep (which pass 15 °/s) do not count: a hanging or
/// standing leg sways at ~1 °/s (0.3–0.4° RMS, §3.4), and the gyroscope's
/// bias is estimated and removed.
const REST_STILL_DPS: f64 = 6.0;
/// [`REST_STILL_DPS`] in rad/s, squared (compared with |ω|², no square root).
const REST_STILL_RAD2: f64 = (REST_STILL_DPS / DEG) * (REST_STILL_DPS / DEG);
/// Still for the rest pose: ‖f‖ within this of its recent mean, m/s² (0.05 g).
const REST_STILL_ACC: f64 = 0.05 * STANDARD_GRAVITY;
/// The leg model restarts when the rest pose or the axis moves by more than
/// 2° between grid points (cosine): it was re-anchored or flipped.
const LEG_BASIS_COS: f64 = 0.999_390_827;
/// Corner of the low-pass giving that recent mean, Hz.
const NORM_MEAN_CORNER_HZ: f64 = 0.5;
/// Stillness that first fixes the rest pose, s.
const REST_FIRST_STILL_S: f64 = 0.3;
/// If nothing is still by then, the pose at this time is taken provisionally, s.
const REST_PROVISIONAL_AT_S: f64 = 2.0;
/// Stillness that confirms a provisional rest pose, s.
const REST_CONFIRM_S: f64 = 1.0;
/// Stillness, with no rep under way, after which the rest pose follows the
/// leg's pose, s (a short bottom pause is enough).
const REST_SETTLE_S: f64 = 0.2;
/// A rise that has not gone on by this much since the leg was last still
/// is holding a pose, deg (sway and fidgets stay within it).
const RISE_PROGRESS_DEG: f64 = 2.0;
/// A rise that starts this soon after a rep's end is chained to it, s.
const CHAINED_WITHIN_S: f64 = 0.3;
/// Time constant with which the rest pose follows, s.
const REST_SETTLE_TAU_S: f64 = 0.3;
/// Stillness during a "rise" after which it is a new pose, not a rep, s.
/// Longer than any squeeze at the top (0.5–1.5 s, §5.1).
const REST_REANCHOR_S: f64 = 3.0;
/// Stillness at a pose a rise came to, s, after which going up from it by a
/// rep's worth and back makes it the rest pose (the pause before a set,
/// longer than a pause on the way up a rep).
const POSE_HELD_S: f64 = 1.0;
/// Back at such a pose: within this fraction of the rise above it (a rep
/// comes back by 70%, `reps.return_fraction`) and not more than
/// POSE_BELOW_DEG below it, deg (a rep that paused on its way up comes back
/// past the pause by its whole rise, at least `reps.min_rise_deg`); turning
/// round for the next rep: up again by POSE_TURN_DEG.
const POSE_RETURN_FRACTION: f64 = 0.3;
const POSE_BELOW_DEG: f64 = 6.0;
const POSE_TURN_DEG: f64 = 3.0;
/// The valley a rep rises from is the lowest point of this trailing window, s
/// (a wind-up plus the slowest concentric, 2 s, fit in it).
const VALLEY_WINDOW_S: f64 = 4.0;
/// A rep is over once the leg, after coming back down, rises this much from
/// its lowest point (the next rep or a wind-up has begun), deg...
const END_RISE_DEG: f64 = 3.0;
/// ... or has stayed at or above its lowest point this long, s. Keeps the
/// report within 0.3 s of the rep's end.
const END_SETTLE_S: f64 = 0.25;
/// A fall this far below where the rise started (or half the rise, if
/// larger) ends a "rise" that was a change of pose, deg. A rep ends near its
/// start, and a swing that overshoots it (5–20°, §5.1) held no pose first.
const PAST_START_DEG: f64 = 10.0;
/// When the kick's sign flips, a pose held still this recently is taken as
/// the rest pose the kick started from, s.
const FLIP_HELD_WITHIN_S: f64 = 5.0;
/// Passing the start level faster than this is sweeping through it, deg/s
/// (a rep's eccentric ends at rest: minimum-jerk velocity falls to zero).
const SWEEP_SPEED_DPS: f64 = 30.0;
/// A pose held still this long is remembered as a possible rest pose, s.
const REST_HELD_S: f64 = 0.5;
/// A finished rep is held back until this long after its end, s, in case
/// the leg goes straight on into a step; with up to 80 ms between samples
/// (12.5 Hz) a rep is still reported within 0.5 s of its end (the product's
/// latency promise).
const PENDING_S: f64 = 0.45;
/// A rep is reported at most this long after it ends, s.
const REPORT_WITHIN_S: f64 = 0.5;
/// A return (end of hold to end) shorter than this is an active forward
/// swing, as in gait, rather than a drop, s.
const SWING_RETURN_S: f64 = 0.25;
/// A return from a kick from still to well in front of rest within this is
/// a swing of gait, s: a passive fall from the top to rest takes ~0.3 s
/// (a quarter pendulum period, §2.3), and the leg then has to swing on.
const FIRST_STEP_RETURN_S: f64 = 0.4;
/// A rise that starts this soon after a step ended is a step too, s.
const STEP_CONTEXT_S: f64 = 0.3;
/// The rise after a held-back rep is judged once it has risen this far, deg.
const PENDING_MIN_RISE_DEG: f64 = 10.0;
/// The pivot fit skips this long after a rise starts, s: a heel strike
/// rings through the (6 Hz low-passed) acceleration for about that long.
const IMPACT_SETTLE_S: f64 = 0.1;
/// Creeping further down by less than this does not delay the end, deg.
const END_CREEP_DEG: f64 = 0.5;
/// Wind-up is looked for in this window before the rep starts, s (§5.2:
/// reversing < 0.3 s before onset; a little slack for the filter).
const WINDUP_WINDOW_S: f64 = 0.4;
/// A heel strike is looked for this close to the start of a rise, s.
const HEEL_STRIKE_WINDOW_S: f64 = 0.15;
/// Half-width of the centred mean the peak elevation is read from, grid
/// points (12 → 250 ms).
const PEAK_HALF_WINDOW: usize = 12;
/// Half-width of the centred mean an impact stands out from, grid points
/// (3 → a 70 ms window).
const IMPACT_HALF_WINDOW: usize = 3;
/// Per kind, warnings after this many are counted, not listed.
const WARNINGS_PER_KIND: u32 = 5;

/// The plane a [`LegFilter`] runs in: unit vectors from the strap towards
/// the hip and along the ankle's path as the leg rises (sensor frame).
type LegPlane = (Vector3<f64>, Vector3<f64>);

/// One point of the grid, kept while a rep may be in progress.
#[derive(Debug, Clone, Copy)]
struct Point {
    t: f64,
    /// Signed elevation from rest, deg.
    e: f64,
    /// Elevation rate (low-passed), deg/s.
    v: f64,
    /// Angular rate about the leg's axis, rad/s (0 without a gyroscope).
    w: f64,
    /// Specific force minus gravity, sensor frame, low-passed, m/s².
    lin: Vector3<f64>,
    /// The same, unfiltered (for impacts), m/s².
    raw_lin: Vector3<f64>,
    /// Gravity-up in the sensor frame (to re-read elevations if the rest
    /// pose turns out to have moved).
    up: Vector3<f64>,
}

/// Rounds a rep's figures to what they can mean: times to 1 ms, angles to
/// 0.01°, velocities to 0.01 °/s (the grid is 10 ms; sensors are not better
/// than a tenth of a degree). Keeps reports short and stable.
fn round_for_report(rep: &mut Rep) {
    // Multiply, round, divide by a power of ten: the nearest double to the
    // rounded decimal, so 12.29 prints as 12.29.
    let r = |x: &mut f64, per_unit: f64| *x = (*x * per_unit).round() / per_unit;
    for t in [
        &mut rep.start_s,
        &mut rep.peak_s,
        &mut rep.end_s,
        &mut rep.concentric_s,
        &mut rep.hold_s,
        &mut rep.eccentric_s,
    ] {
        r(t, 1e3);
    }
    for a in [
        &mut rep.range_deg,
        &mut rep.peak_elevation_deg,
        &mut rep.peak_velocity_dps,
        &mut rep.peak_eccentric_velocity_dps,
        &mut rep.windup_deg,
    ] {
        r(a, 1e2);
    }
    r(&mut rep.momentum.score, 1e6);
}

/// Adds (t, e) to a monotonic deque whose front is the minimum of the last
/// VALLEY_WINDOW_S: O(1) amortised per point.
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

/// Whether the rise `c` starts straight after the rep that ended at `last_end`.
fn chained_to(last_end: Option<f64>, c: &Candidate) -> bool {
    last_end.is_some_and(|end| c.start_t - end < CHAINED_WITHIN_S)
}

/// How close to its lowest point the leg counts as having arrived there,
/// for a rep of `range` degrees: 0.5° plus 2% of the range.
fn end_tolerance(range: f64) -> f64 {
    0.5 + 0.02 * range
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Waiting for the leg to rise from a valley.
    Idle,
    /// Rising (or holding) above the valley by at least the minimum rise.
    Rising,
    /// Came back down by the return fraction; looking for the bottom.
    Falling,
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    start_t: f64,
    start_e: f64,
    peak_t: f64,
    peak_e: f64,
    low_t: f64,
    low_e: f64,
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

/// Kinds of warning, for rate limiting.
const KINDS: [&str; 8] = [
    "gap",
    "no_gyroscope",
    "invalid_sample",
    "time_backwards",
    "duplicate_time",
    "short_recording",
    "no_rest",
    "gyroscope_dropout",
];

#[derive(Debug)]
pub(crate) struct Pipeline {
    settings: Settings,
    // --- stream ---
    t0: Option<f64>,
    last: Option<Sample>,
    last_rel: f64,
    has_gyro: Option<bool>,
    last_gyro: Vector3<f64>,
    samples: u64,
    sum_dt: f64,
    n_dt: u64,
    warned: [u32; KINDS.len()],
    trace: bool,
    // --- grid ---
    /// Grid index of the next grid point, counted from `grid_origin`.
    grid_k: u64,
    grid_origin: f64,
    // --- orientation ---
    gravity: GravityTracker,
    frame: ElevationFrame,
    rest_provisional: bool,
    /// Whether the leg's axis was known at the last grid point.
    axis_known: bool,
    still_for: f64,
    /// Whether the leg is still at this grid point (for the rest pose's
    /// stillness, without the time it has lasted).
    still_now: bool,
    /// Seconds of stillness, in total, since the rise in progress last
    /// climbed by RISE_PROGRESS_DEG; and the elevation it climbed to.
    rise_still: f64,
    rise_ref_e: f64,
    /// The elevation at which the rise in progress was first still, and the
    /// seconds it has been still within RISE_PROGRESS_DEG of it, in total.
    rise_pose_e: Option<f64>,
    pose_still: f64,
    /// When the rise first came to rest there, and "up" there.
    rise_pose_t: f64,
    rise_pose_up: Vector3<f64>,
    /// How far the rise has gone above that pose since, deg.
    rise_above_pose: f64,
    /// The lowest point since then, (t, deg): where the leg came back to.
    rise_trough: Option<(f64, f64)>,
    /// The last pose held still (for [`REST_HELD_S`]), and when.
    held: Option<(f64, Vector3<f64>)>,
    e_lp: LowPass,
    e_lp_prev: Option<f64>,
    w_lp: LowPass,
    w_lp_prev: Option<f64>,
    lin_lp: LowPass3,
    norm_lp: LowPass,
    /// Without a gyroscope: the leg model, and the (hip, motion) directions
    /// it was run in.
    leg: Option<(LegFilter, LegPlane)>,
    /// |f| when the leg was last held still, m/s² (gravity as this
    /// accelerometer reads it).
    g_rest: f64,
    /// Without a gyroscope: "up" at the last grid point.
    prev_up: Option<Vector3<f64>>,
    // --- reps ---
    phase: Phase,
    cand: Option<Candidate>,
    history: VecDeque<Point>,
    history_cap: usize,
    /// Monotonic deque of (t, e) for the trailing valley minimum.
    valley: VecDeque<(f64, f64)>,
    reps: usize,
    ranges: RangeReference,
    /// A measured rep held back for at most [`PENDING_S`] after its end.
    pending: Option<Rep>,
    /// End of the last rep reported, s (times from the first sample).
    last_rep_end: Option<f64>,
    /// End of the last rise rejected as a walking step.
    last_step_end: Option<f64>,
    // --- sets ---
    set_index: usize,
    set_open: bool,
    set_start: f64,
    set_end: f64,
    set_reps: usize,
}

impl Pipeline {
    pub(crate) fn new(settings: Settings) -> Self {
        let history_cap =
            ((settings.reps.max_duration_s + VALLEY_WINDOW_S + 1.0) * GRID_HZ) as usize;
        Pipeline {
            gravity: GravityTracker::new(settings.input.fusion_time_constant_s, GRID_HZ),
            settings,
            t0: None,
            last: None,
            last_rel: 0.0,
            has_gyro: None,
            last_gyro: Vector3::zeros(),
            samples: 0,
            sum_dt: 0.0,
            n_dt: 0,
            warned: [0; KINDS.len()],
            trace: false,
            grid_k: 0,
            grid_origin: 0.0,
            frame: ElevationFrame::default(),
            rest_provisional: false,
            axis_known: false,
            still_for: 0.0,
            still_now: false,
            rise_still: 0.0,
            rise_ref_e: 0.0,
            rise_pose_e: None,
            pose_still: 0.0,
            rise_pose_t: 0.0,
            rise_pose_up: Vector3::zeros(),
            rise_above_pose: 0.0,
            rise_trough: None,
            held: None,
            e_lp: LowPass::new(GRID_HZ, VELOCITY_CORNER_HZ),
            e_lp_prev: None,
            w_lp: LowPass::new(GRID_HZ, VELOCITY_CORNER_HZ),
            w_lp_prev: None,
            lin_lp: LowPass3::new(GRID_HZ, VELOCITY_CORNER_HZ),
            norm_lp: LowPass::new(GRID_HZ, NORM_MEAN_CORNER_HZ),
            leg: None,
            g_rest: STANDARD_GRAVITY,
            prev_up: None,
            phase: Phase::Idle,
            cand: None,
            history: VecDeque::with_capacity(history_cap.min(4096)),
            history_cap,
            valley: VecDeque::new(),
            reps: 0,
            ranges: RangeReference::default(),
            pending: None,
            last_rep_end: None,
            last_step_end: None,
            set_index: 0,
            set_open: false,
            set_start: 0.0,
            set_end: 0.0,
            set_reps: 0,
        }
    }

    pub(crate) fn set_trace(&mut self, on: bool) {
        self.trace = on;
    }

    fn warn(&mut self, out: &mut VecDeque<Event>, kind: &'static str, t: Option<f64>, msg: String) {
        let i = KINDS.iter().position(|k| *k == kind).unwrap_or(0);
        self.warned[i] += 1;
        if self.warned[i] <= WARNINGS_PER_KIND {
            out.push_back(Event::Warning(Warning::new(kind, t, msg)));
        }
    }

    pub(crate) fn push(&mut self, s: Sample, out: &mut VecDeque<Event>) {
        if !s.is_finite() {
            let t = self.t0.filter(|_| s.t.is_finite()).map(|t0| s.t - t0);
            self.warn(
                out,
                "invalid_sample",
                t,
                "sample with a NaN or infinite value skipped".into(),
            );
            return;
        }
        let t0 = *self.t0.get_or_insert(s.t);
        let rel = s.t - t0;
        // Gyroscope presence is decided by the first sample.
        let has_gyro = *self.has_gyro.get_or_insert_with(|| s.gyro.is_some());
        if self.samples == 0 && !has_gyro {
            self.warn(
                out,
                "no_gyroscope",
                Some(0.0),
                "no gyroscope: elevation comes from the accelerometer alone, which reads fast kicks \
                 less precisely (see README, 'Precision')"
                    .into(),
            );
        }
        let gyro = match (has_gyro, s.gyro) {
            (true, Some(g)) => Some(g),
            (true, None) => {
                self.warn(
                    out,
                    "gyroscope_dropout",
                    Some(rel),
                    "sample without a gyroscope reading in a recording that has one; the last rate was held".into(),
                );
                Some(self.last_gyro)
            }
            (false, _) => None,
        };
        if let Some(g) = gyro {
            self.last_gyro = g;
        }
        let s = Sample {
            t: s.t,
            acc: s.acc,
            gyro,
        };

        let Some(prev) = self.last else {
            self.last = Some(s);
            self.last_rel = 0.0;
            self.samples = 1;
            self.grid_origin = 0.0;
            self.grid_k = 1;
            self.process(0.0, &s.acc, s.gyro.as_ref(), out);
            return;
        };
        let dt = rel - self.last_rel;
        if dt < 0.0 {
            self.warn(
                out,
                "time_backwards",
                Some(rel),
                format!("time went backwards by {:.3} s; sample skipped", -dt),
            );
            return;
        }
        if dt == 0.0 {
            self.warn(
                out,
                "duplicate_time",
                Some(rel),
                "two samples with the same time; the second was skipped".into(),
            );
            return;
        }
        self.samples += 1;
        if dt > self.settings.input.gap_split_s {
            self.warn(
                out,
                "gap",
                Some(self.last_rel),
                format!(
                    "no samples for {dt:.2} s from t = {:.2} s: analysis restarted after the gap (gaps over {} s are not bridged)",
                    self.last_rel, self.settings.input.gap_split_s
                ),
            );
            self.restart_after_gap(out);
            self.last = Some(s);
            self.last_rel = rel;
            self.grid_origin = rel;
            self.grid_k = 1;
            self.process(rel, &s.acc, s.gyro.as_ref(), out);
            return;
        }
        if dt > self.settings.input.gap_warn_s {
            self.warn(
                out,
                "gap",
                Some(self.last_rel),
                format!(
                    "no samples for {dt:.2} s from t = {:.2} s (bridged by interpolation)",
                    self.last_rel
                ),
            );
        } else {
            self.sum_dt += dt;
            self.n_dt += 1;
        }
        // Interpolate onto every grid point in (prev, s].
        loop {
            let tg = self.grid_origin + self.grid_k as f64 * DT;
            if tg > rel + 1e-9 {
                break;
            }
            let f = ((tg - self.last_rel) / dt).clamp(0.0, 1.0);
            let acc = prev.acc + (s.acc - prev.acc) * f;
            let gyro = match (prev.gyro, s.gyro) {
                (Some(a), Some(b)) => Some(a + (b - a) * f),
                _ => None,
            };
            self.process(tg, &acc, gyro.as_ref(), out);
            self.grid_k += 1;
        }
        self.last = Some(s);
        self.last_rel = rel;
    }

    /// After a long gap: orientation, rest-pose stillness and any rep in
    /// progress start over; the rest pose, axis and sets carry on.
    fn restart_after_gap(&mut self, _out: &mut VecDeque<Event>) {
        self.gravity.reset();
        self.leg = None;
        self.prev_up = None;
        self.still_for = 0.0;
        self.e_lp.reset();
        self.e_lp_prev = None;
        self.w_lp.reset();
        self.w_lp_prev = None;
        self.lin_lp.reset();
        self.norm_lp.reset();
        self.phase = Phase::Idle;
        self.cand = None;
        self.history.clear();
        self.valley.clear();
    }

    /// One grid point.
    fn process(
        &mut self,
        t: f64,
        acc: &Vector3<f64>,
        gyro: Option<&Vector3<f64>>,
        out: &mut VecDeque<Event>,
    ) {
        let norm = acc.norm();
        self.gravity.update(acc, norm, gyro, DT);
        let Some(up) = self.gravity.up() else { return };
        let rate = gyro.map(|g| self.gravity.corrected_rate(g));

        // Stillness, for the rest pose.
        // The magnitude of the specific force must be steady (not equal to
        // 9.81: accelerometer bias and scale error can move it by 0.1 g).
        let norm_lp = self.norm_lp.step(norm);
        let acc_ok = (norm - norm_lp).abs() < REST_STILL_ACC;
        // Without a gyroscope, the leg's angle comes from a model of the
        // swinging leg once the plane of the kick is known.
        let up = if rate.is_none() {
            self.leg_up(acc, up)
        } else {
            up
        };
        let slow = match rate {
            Some(w) => w.norm_squared() < REST_STILL_RAD2,
            // The turn rate of "up" itself, not of the elevation: the rest
            // pose follows a still leg, so the elevation's rate would stay
            // small while the leg starts to rise.
            None => {
                let turn = self
                    .prev_up
                    .map_or(0.0, |p| p.cross(&up).norm() * (DEG / DT));
                self.prev_up = Some(up);
                turn < REST_STILL_DPS
            }
        };
        self.still_for = if acc_ok && slow {
            self.still_for + DT
        } else {
            0.0
        };
        self.still_now = acc_ok && slow;
        if self.still_now {
            self.rise_still += DT;
        }

        if self.still_for >= REST_HELD_S {
            self.held = Some((t, up));
            self.g_rest = norm_lp;
        }
        self.update_rest(t, &up);
        // The axis is learnt only from a confirmed rest pose: excursions from
        // a guessed one say nothing about which way the kick goes.
        let learn = !self.rest_provisional;
        let Some(e) = self.frame.elevation(&up, learn) else {
            return;
        };
        let e = if self.frame.take_flip() {
            debug_log!("DBG flip at {t:.2}");
            match self.held {
                // The leg was just held still somewhere (the hanging pose it
                // stepped into): that is the rest pose the kick started from.
                Some((th, held_up)) if t - th < FLIP_HELD_WITHIN_S => {
                    self.reanchor(held_up);
                    self.frame.elevation_now(&up).unwrap_or(-e)
                }
                _ => {
                    self.negate_past();
                    e
                }
            }
        } else {
            e
        };

        if self.trace {
            out.push_back(Event::Elevation { t_s: t, deg: e });
        }
        let e_f = self.e_lp.step(e);
        let v = self.e_lp_prev.map_or(0.0, |p| (e_f - p) * GRID_HZ);
        self.e_lp_prev = Some(e_f);
        let w = match (rate, self.frame.axis()) {
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
        let p = Point {
            t,
            e,
            v,
            w,
            lin,
            raw_lin,
            up,
        };
        self.history.push_back(p);
        while self.history.len() > self.history_cap {
            self.history.pop_front();
        }
        if self.frame.axis().is_some() {
            if !self.axis_known {
                // The axis was just found: re-read the rise so far with signs.
                self.axis_known = true;
                if self.has_gyro == Some(false) {
                    self.replay_leg();
                }
                self.reread_history();
            }
            let p = *self.history.back().expect("pushed above");
            self.detect(p, out);
        } else {
            // Until the leg's axis is known there is no telling a rise from a
            // drop (stepping into the hanging pose moves the leg too).
            self.valley.clear();
        }
        self.review_pending(t, out);
        self.check_set_rest(t, out);
    }

    /// The plane of the kick for [`LegFilter`], once the rest pose and the
    /// kick's axis are known: n towards the hip (the rest "up", made square
    /// to the axis), t where the ankle goes as the leg rises.
    fn leg_plane(&self) -> Option<(LegPlane, Vector3<f64>)> {
        let (rest, axis) = (self.frame.rest()?, self.frame.axis()?);
        let n = rest - axis * rest.dot(&axis);
        let nn = n.norm();
        if nn < 1e-6 {
            return None;
        }
        let n = n * (1.0 / nn);
        Some(((n, axis.cross(&n)), axis))
    }

    /// Gravity-up from [`LegFilter`] (no gyroscope): in the plane of the
    /// kick, the angle the model fits to the accelerometer; across it, the
    /// low-passed accelerometer's direction `lp_up`. Until the rest pose and
    /// the kick's axis are known, `lp_up` itself.
    fn leg_up(&mut self, acc: &Vector3<f64>, lp_up: Vector3<f64>) -> Vector3<f64> {
        let Some(((n, t), axis)) = self.leg_plane() else {
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
                let f = LegFilter::new(lp_up.dot(&t).atan2(lp_up.dot(&n)), self.g_rest, DT);
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
    fn replay_leg(&mut self) {
        let Some(((n, t), axis)) = self.leg_plane() else {
            return;
        };
        let mut filter: Option<LegFilter> = None;
        for q in &mut self.history {
            // The points keep "up" (here the accelerometer's direction) and
            // the specific force less gravity along it: together, the force.
            let acc = q.raw_lin + q.up * STANDARD_GRAVITY;
            let f = match &mut filter {
                Some(f) => {
                    f.update(acc.dot(&n), acc.dot(&t));
                    f
                }
                None => filter.insert(LegFilter::new(
                    q.up.dot(&t).atan2(q.up.dot(&n)),
                    self.g_rest,
                    DT,
                )),
            };
            q.up = leg_pose(f.theta(), (n, t), axis, q.up);
            q.raw_lin = acc - q.up * STANDARD_GRAVITY;
        }
        self.leg = filter.map(|f| (f, (n, t)));
    }

    /// The kick's sign flipped (before any rep was reported): what was kept
    /// in the old sign is negated, and a rise in progress starts over.
    fn negate_past(&mut self) {
        for p in &mut self.history {
            p.e = -p.e;
            p.v = -p.v;
            p.w = -p.w;
        }
        self.e_lp.negate();
        self.e_lp_prev = self.e_lp_prev.map(|x| -x);
        self.w_lp.negate();
        self.w_lp_prev = self.w_lp_prev.map(|x| -x);
        self.phase = Phase::Idle;
        self.cand = None;
        self.rebuild_valley(f64::NEG_INFINITY);
    }

    fn update_rest(&mut self, t: f64, up: &Vector3<f64>) {
        match self.frame.rest() {
            None => {
                if self.still_for >= REST_FIRST_STILL_S {
                    self.frame.set_rest(*up);
                    self.rest_provisional = false;
                } else if t >= REST_PROVISIONAL_AT_S {
                    self.frame.set_rest(*up);
                    self.rest_provisional = true;
                }
            }
            Some(_) => {
                if self.still_for < REST_SETTLE_S {
                    return;
                }
                if self.phase != Phase::Idle {
                    // Still far longer than any squeeze at the top: not a
                    // rep but a new pose. Drop the rise; the pose becomes rest.
                    // A rise that stopped climbing counts its stillness in
                    // total: standing with sway and fidgets after a walk
                    // (which ended with the foot in front) is a pose too.
                    let held = self.phase == Phase::Rising && self.rise_still >= REST_REANCHOR_S;
                    if self.still_for < REST_REANCHOR_S && !held {
                        return;
                    }
                    debug_log!("DBG rise dropped as a new pose at {t:.2}");
                    self.phase = Phase::Idle;
                    self.cand = None;
                }
                if self.rest_provisional && self.still_for >= REST_CONFIRM_S {
                    self.rest_provisional = false;
                }
                // Wherever the leg rests while no rep is under way is the rest
                // pose: standing, hanging from the cable, on all fours.
                self.frame.nudge_rest(up, DT / REST_SETTLE_TAU_S);
                self.valley.clear();
            }
        }
    }

    fn push_valley(&mut self, t: f64, e: f64) {
        push_valley(&mut self.valley, t, e);
    }

    /// Restarts the valley from the kept history since `since`.
    fn rebuild_valley(&mut self, since: f64) {
        self.valley.clear();
        for q in self.history.iter().filter(|q| q.t >= since) {
            push_valley(&mut self.valley, q.t, q.e);
        }
    }

    fn detect(&mut self, p: Point, out: &mut VecDeque<Event>) {
        let min_rise = self.settings.reps.min_rise_deg;
        match self.phase {
            Phase::Idle => {
                self.push_valley(p.t, p.e);
                let (vt, ve) = *self.valley.front().expect("just pushed");
                if p.e - ve >= min_rise {
                    self.phase = Phase::Rising;
                    self.cand = Some(Candidate {
                        start_t: vt,
                        start_e: ve,
                        peak_t: p.t,
                        peak_e: p.e,
                        low_t: p.t,
                        low_e: p.e,
                        low_mark: p.e,
                        cross_speed: None,
                        bottom_t: None,
                        near: None,
                    });
                    debug_log!(
                        "DBG cand start {vt:.2} e {ve:.1} now {:.2} e {:.1}",
                        p.t,
                        p.e
                    );
                    self.rise_still = 0.0;
                    self.rise_ref_e = p.e;
                    self.rise_pose_e = None;
                    self.pose_still = 0.0;
                    self.rise_above_pose = 0.0;
                    self.rise_trough = None;
                    out.push_back(Event::RepStarted { t_s: vt });
                }
            }
            Phase::Rising => {
                let c = self.cand.as_mut().expect("candidate while rising");
                if p.e > c.peak_e {
                    c.peak_e = p.e;
                    c.peak_t = p.t;
                }
                if p.e > self.rise_ref_e + RISE_PROGRESS_DEG {
                    self.rise_ref_e = p.e;
                    self.rise_still = 0.0;
                }
                // Where the rise first came to rest, and how long it has been
                // still there, in total (sway and fidgets stay within
                // RISE_PROGRESS_DEG).
                if self.still_now {
                    if self.rise_pose_e.is_none() {
                        self.rise_pose_t = p.t;
                        self.rise_pose_up = p.up;
                    }
                    let pose = *self.rise_pose_e.get_or_insert(p.e);
                    if (p.e - pose).abs() < RISE_PROGRESS_DEG {
                        self.pose_still += DT;
                    }
                }
                // A rise that came to rest at a pose for a while, then went
                // up from it by a rep's worth and came back there (to rest,
                // or turning round for the next one): the leg is doing reps
                // from a new pose (lying down, on all fours), which is the
                // rest pose. A rep that pauses on its way up comes back down
                // past the pause to where it started.
                if let Some(pose) = self.rise_pose_e {
                    if p.e - pose > self.rise_above_pose {
                        self.rise_above_pose = p.e - pose;
                        self.rise_trough = None;
                    } else if !self.rise_trough.is_some_and(|(_, e)| p.e >= e) {
                        self.rise_trough = Some((p.t, p.e));
                    }
                    let back = self.rise_trough.is_some_and(|(_, e)| {
                        e - pose <= POSE_RETURN_FRACTION * self.rise_above_pose
                            && e - pose >= -POSE_BELOW_DEG
                    });
                    let settled = (self.still_now && (p.e - pose).abs() < RISE_PROGRESS_DEG)
                        || self
                            .rise_trough
                            .is_some_and(|(_, e)| p.e >= e + POSE_TURN_DEG);
                    if back
                        && settled
                        && self.rise_above_pose >= min_rise
                        && self.pose_still >= POSE_HELD_S
                    {
                        debug_log!("DBG reps from a new pose at {:.2}", p.t);
                        let kick = self.rise_above_pose;
                        let since = self.rise_pose_t;
                        let until = self.rise_trough.map_or(p.t, |(t, _)| t);
                        self.reanchor(self.rise_pose_up);
                        // The excursion just seen was a kick: it shows the
                        // sign, however the pose was reached...
                        self.frame.seed_excursion(kick);
                        // ... and it is the set's first rep, measured against
                        // the new rest pose.
                        if let Some(c) = self.excursion_between(since, until) {
                            self.complete(c, out);
                            self.rebuild_valley(c.low_t);
                        }
                        return;
                    }
                }
                // A rise straight after a rep starts from that rep's forward
                // swing past rest; it has come back once it is back at rest,
                // so the return is judged on the rise above the rest pose
                // (else a small partial rep after a swung one never "returns"
                // and runs into the next rep).
                let chained = chained_to(self.last_rep_end, c);
                let base = if chained {
                    c.start_e.max(0.0).min(c.peak_e)
                } else {
                    c.start_e
                };
                let drop_to = c.peak_e - self.settings.reps.return_fraction * (c.peak_e - base);
                if p.e <= drop_to {
                    c.low_e = p.e;
                    c.low_t = p.t;
                    c.low_mark = p.e;
                    self.phase = Phase::Falling;
                } else if p.t - c.start_t > self.settings.reps.max_duration_s {
                    self.abandon(p);
                }
            }
            Phase::Falling => {
                let c = self.cand.as_mut().expect("candidate while falling");
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
                if p.v.abs() < self.settings.reps.hold_velocity_dps {
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
                    && self.held.is_some_and(|(t, _)| t >= c.start_t)
                {
                    // The leg went far past where it rose from, after holding
                    // still up there: that was a change of pose (stepping into
                    // the hanging position), not a rep. The held pose is the
                    // rest pose; re-read the recent past against it.
                    let (_, up) = self.held.expect("checked");
                    self.reanchor(up);
                    return;
                }
                if p.e >= c.low_e + END_RISE_DEG
                    || p.t - c.low_t >= END_SETTLE_S
                    || c.bottom_t.is_some_and(|b| p.t - b >= END_SETTLE_S)
                    || c.near.is_some_and(|(tn, _)| p.t - tn >= END_SETTLE_S)
                    || p.t - c.start_t > self.settings.reps.max_duration_s
                {
                    self.complete(c, out);
                    // The bottom of this rep is where the next one may start.
                    self.phase = Phase::Idle;
                    self.cand = None;
                    self.rebuild_valley(c.low_t);
                }
            }
        }
    }

    /// Makes `up` the rest pose, drops any candidate, and re-reads the
    /// elevations of the recent past against the new rest pose.
    fn reanchor(&mut self, up: Vector3<f64>) {
        debug_log!("DBG reanchor");
        self.frame.set_rest(up);
        self.reread_history();
        // The elevation jumps with the rest pose: restart its low-pass so the
        // jump is not read as a velocity.
        self.e_lp.reset();
        self.e_lp_prev = None;
    }

    /// Recomputes the kept elevations with the current rest pose and axis,
    /// drops any candidate, and rebuilds the valley from them.
    fn reread_history(&mut self) {
        self.phase = Phase::Idle;
        self.cand = None;
        self.valley.clear();
        let frame = &self.frame;
        for q in &mut self.history {
            if let Some(e) = frame.elevation_now(&q.up) {
                q.e = e;
            }
        }
        self.rebuild_valley(f64::NEG_INFINITY);
    }

    /// The rise and return in the kept points from `since` to `until`
    /// (after the rest pose moved to where they began), as a finished
    /// candidate.
    fn excursion_between(&self, since: f64, until: f64) -> Option<Candidate> {
        let pts = self.history.iter().filter(|q| q.t >= since && q.t <= until);
        let peak = pts.clone().max_by(|a, b| a.e.total_cmp(&b.e))?;
        let start = pts
            .clone()
            .filter(|q| q.t <= peak.t)
            .min_by(|a, b| a.e.total_cmp(&b.e))?;
        let low = pts
            .filter(|q| q.t >= peak.t)
            .min_by(|a, b| a.e.total_cmp(&b.e))?;
        Some(Candidate {
            start_t: start.t,
            start_e: start.e,
            peak_t: peak.t,
            peak_e: peak.e,
            low_t: low.t,
            low_e: low.e,
            low_mark: low.e,
            cross_speed: None,
            bottom_t: None,
            near: None,
        })
    }

    /// Drops the candidate; the detector starts again from here.
    fn abandon(&mut self, p: Point) {
        self.phase = Phase::Idle;
        self.cand = None;
        self.valley.clear();
        self.push_valley(p.t, p.e);
    }

    /// Measures a finished candidate, decides whether it is a rep, and emits it.
    fn complete(&mut self, c: Candidate, out: &mut VecDeque<Event>) {
        let rs = &self.settings.reps;
        let range = c.peak_e - c.start_e;
        let tol = end_tolerance(range);
        let pts: Vec<Point> = self
            .history
            .iter()
            .filter(|q| q.t >= c.start_t - WINDUP_WINDOW_S - 1e-9 && q.t <= c.low_t + 1e-9)
            .copied()
            .collect();
        let body: Vec<&Point> = pts.iter().filter(|q| q.t >= c.start_t - 1e-9).collect();
        if body.len() < 3 {
            return;
        }
        // Start: the last moment before the peak the leg was still at the bottom.
        let start = body
            .iter()
            .filter(|q| q.t <= c.peak_t && q.e <= c.start_e + tol)
            .map(|q| q.t)
            .fold(c.start_t, f64::max);
        // End: the first moment after the peak the leg was back at the bottom.
        let end = body
            .iter()
            .filter(|q| q.t >= c.peak_t && q.e <= c.low_e + tol)
            .map(|q| q.t)
            .fold(c.low_t, f64::min);
        // Peak elevation: the highest centred quarter-second mean. The strap
        // wobbles on the soft tissue at 1–10 Hz by 1° + 0.5°/g RMS (§3.3,
        // §3.4), a few degrees on hard swings, and the raw maximum would
        // pick the wobble's crest; a 250 ms mean removes what is above 4 Hz
        // and a third of it at 2 Hz. A held top is unchanged; the brief top
        // of a thrown rep reads ~1.5° lower (median, simulated swings).
        let half = PEAK_HALF_WINDOW;
        let mut peak_e = c.start_e;
        for i in half..pts.len().saturating_sub(half) {
            if pts[i].t >= c.start_t && pts[i].t <= c.low_t {
                let m = pts[i - half..=i + half].iter().map(|q| q.e).sum::<f64>()
                    / (2 * half + 1) as f64;
                peak_e = peak_e.max(m);
            }
        }
        // A rise chained to the rep before must also clear the minimum rise
        // above rest: coming back from its forward swing to rest is no rep.
        let min_peak = if chained_to(self.last_rep_end, &c) {
            rs.min_rise_deg
        } else {
            0.5 * rs.min_rise_deg
        };
        if end - start < rs.min_duration_s || c.peak_e < min_peak {
            debug_log!(
                "DBG reject short/low {:.2}-{:.2} peak {:.1}",
                start,
                end,
                c.peak_e
            );
            return;
        }
        // Hold: still (|v| small) within the band below the peak, around the peak.
        let band = c.peak_e - rs.hold_band_deg;
        let (mut hold_start, mut hold_end) = (c.peak_t, c.peak_t);
        let mut dwell = 0.0;
        for q in body.iter().filter(|q| q.t >= start && q.t <= end) {
            if q.e >= band && q.v.abs() < rs.hold_velocity_dps {
                hold_start = hold_start.min(q.t);
                hold_end = hold_end.max(q.t);
                dwell += DT;
            }
        }
        let concentric = (hold_start - start).max(0.0);
        let eccentric = (end - hold_end).max(0.0);
        let hold = (hold_end - hold_start).max(0.0);
        let peak_v = body
            .iter()
            .filter(|q| q.t >= start && q.t <= c.peak_t)
            .map(|q| q.v)
            .fold(0.0, f64::max);
        let peak_ecc_v = body
            .iter()
            .filter(|q| q.t >= c.peak_t && q.t <= end)
            .map(|q| -q.v)
            .fold(0.0, f64::max);
        let windup = pts
            .iter()
            .filter(|q| q.t <= c.start_t + 1e-9)
            .map(|q| q.e)
            .fold(c.start_e, f64::max)
            - c.start_e;

        let after_step = self
            .last_step_end
            .is_some_and(|g| start - g < STEP_CONTEXT_S);
        let planted = self.is_gait_step(body.iter().copied(), c.peak_t, c.peak_e, c);
        // A swing from standing still (no wind-up) that lands with a strike
        // is a first step; without a gyroscope strikes are all there is.
        let from_still = windup < self.settings.momentum.windup_deg;
        // A return faster than a dropped leg falls (a passive fall from the
        // top takes a quarter pendulum period, ~0.3 s even with the stack
        // pulling, §2.3) that lands with a strike is a swing phase of gait.
        let swung_back = eccentric < SWING_RETURN_S;
        let no_gyro = self.has_gyro != Some(true);
        let strike = (no_gyro || from_still || swung_back) && self.is_heel_strike(&pts, c, no_gyro);
        // A swing from standing still that comes back within about a
        // dropped leg's fall time and carries on well in front of the rest
        // pose is the first step of a walk (the stance leg rolling over its
        // foot, then its swing to heel strike), strike or not: a kick from
        // still comes back to rest (a thrown rep starts from a wind-up and
        // overshoots after a fast drop, §2.3). Not without a gyroscope: the
        // accelerometer alone reads a thrown rep's forward overshoot far too
        // deep (a whole set of swings would go as one walk); strikes remain.
        let first_step = !no_gyro
            && from_still
            && eccentric < FIRST_STEP_RETURN_S
            && c.low_e <= -self.settings.reps.gait_forward_deg;
        if planted || after_step || first_step || strike {
            // Walking goes on: a rise right after this one is a step too.
            self.last_step_end = Some(end);
            debug_log!(
                "DBG reject gait {:.2}-{:.2} peak {:.1} planted {planted} after_step {after_step} strike {strike} first_step {first_step} last_step_end {:?}",
                start,
                end,
                c.peak_e,
                self.last_step_end
            );
            return;
        }

        let shape = RepShape {
            concentric_s: concentric,
            peak_velocity_dps: peak_v,
            dwell_s: dwell,
            windup_deg: windup,
            eccentric_s: eccentric,
            peak_eccentric_velocity_dps: peak_ecc_v,
        };
        let momentum = faults::momentum(&self.settings, &shape);

        debug_log!(
            "DBG measured rep {start:.2}-{end:.2} low_t {:.2} now {:.2}",
            c.low_t,
            self.history.back().map_or(0.0, |q| q.t)
        );
        // The sign of the kick is settled once a rep is found.
        self.frame.freeze_sign();
        self.commit_pending(out);
        self.pending = Some(Rep {
            index: 0,
            set: 0,
            start_s: start,
            peak_s: c.peak_t,
            end_s: end,
            range_deg: peak_e - c.start_e,
            peak_elevation_deg: peak_e,
            concentric_s: concentric,
            hold_s: hold,
            eccentric_s: eccentric,
            peak_velocity_dps: peak_v,
            peak_eccentric_velocity_dps: peak_ecc_v,
            windup_deg: windup,
            faults: Vec::new(),
            momentum,
        });
    }

    /// Reports the rep held back by [`Self::complete`]: its set, number and
    /// faults are decided now, in order.
    fn commit_pending(&mut self, out: &mut VecDeque<Event>) {
        let Some(mut rep) = self.pending.take() else {
            return;
        };
        self.last_rep_end = Some(rep.end_s);
        // Sets: a long pause since the last rep closes the set.
        if self.set_open && rep.start_s - self.set_end > self.settings.sets.rest_s {
            self.close_set(out);
        }
        if !self.set_open {
            self.set_open = true;
            self.set_index += 1;
            self.set_start = rep.start_s;
            self.set_reps = 0;
            self.ranges.new_set();
        }
        let reference = self
            .ranges
            .reference(self.settings.partial.min_reference_reps);
        rep.faults = faults::faults(
            &self.settings,
            &rep.momentum,
            rep.peak_elevation_deg,
            rep.range_deg,
            reference,
        );
        self.ranges.add(rep.range_deg);
        self.set_reps += 1;
        self.set_end = rep.end_s;
        self.reps += 1;
        rep.index = self.reps;
        round_for_report(&mut rep);
        rep.set = self.set_index;
        out.push_back(Event::RepCompleted(rep));
    }

    /// While a rep is held back: report it once its time is up, or drop it
    /// if the leg has gone straight on into the stance phase of a step (so
    /// the "rep" was a step too).
    fn review_pending(&mut self, t: f64, out: &mut VecDeque<Event>) {
        let Some(end) = self.pending.as_ref().map(|r| r.end_s) else {
            return;
        };
        if let (Phase::Rising, Some(c)) = (self.phase, self.cand) {
            debug_log!(
                "DBG review t {t:.2} end {end:.2} cand start {:.2} rise {:.1}",
                c.start_t,
                c.peak_e - c.start_e
            );
            if c.start_t >= end - STEP_CONTEXT_S && c.peak_e - c.start_e >= PENDING_MIN_RISE_DEG {
                // The rise so far: the newest points of the history.
                let rise = self.history.iter().rev().take_while(|q| q.t >= c.start_t);
                if self.is_gait_step(rise, c.peak_t, c.peak_e, c) {
                    debug_log!("DBG drop pending rep ending {end:.2}: a step follows");
                    self.pending = None;
                    return;
                }
            }
        }
        // Samples arrive every mean_dt (runs of up to 3 go missing), and events can
        // only come out with a sample: keep the hold short enough that a rep
        // still comes out within REPORT_WITHIN_S of its end.
        let mean_dt = if self.n_dt > 0 {
            self.sum_dt / self.n_dt as f64
        } else {
            DT
        };
        let hold = PENDING_S.min(REPORT_WITHIN_S - 4.5 * mean_dt).max(0.0);
        if t - end >= hold {
            self.commit_pending(out);
        }
    }

    /// A step of walking, not a rep: while the leg rose, the shank turned
    /// about a point close to the sensor (the planted foot) rather than about
    /// the hip. For a shank turning about a fixed pivot p (sensor frame, ⊥ the
    /// axis), the linear acceleration is ω²·p − α·(axis × p). Over the middle
    /// of a rise the tangential part cancels (α changes sign around the peak
    /// velocity, ω² is symmetric), so p ≈ Σ ω²·lin / Σ ω⁴. Leaving α out also
    /// keeps soft-tissue wobble (fast rotation about the strap itself) from
    /// pulling the estimate to zero. Needs a gyroscope and a brisk rise.
    fn is_gait_step<'a>(
        &self,
        body: impl IntoIterator<Item = &'a Point>,
        peak_t: f64,
        peak_e: f64,
        c: Candidate,
    ) -> bool {
        let Some(axis) = self.frame.axis() else {
            return false;
        };
        if self.has_gyro != Some(true) {
            return false;
        }
        let range = peak_e - c.start_e;
        // The first part of the rise: in a step, the stance phase, when the
        // foot is planted (later the heel lifts and the knee swings).
        let lo = c.start_e + 0.1 * range;
        let hi = c.start_e + 0.6 * range;
        let mut num = Vector3::zeros();
        let mut den = 0.0;
        let mut n = 0usize;
        for q in body.into_iter().filter(|q| {
            q.t >= c.start_t + IMPACT_SETTLE_S && q.t <= peak_t && q.e >= lo && q.e <= hi
        }) {
            let b = q.lin - axis * q.lin.dot(&axis);
            let w2 = q.w * q.w;
            num += b * w2;
            den += w2 * w2;
            n += 1;
        }
        // Decisive only if the rotation was brisk: mean ω⁴ of (1.5 rad/s)⁴
        // (≈ 86 °/s), where 0.3 m/s² of error moves the pivot by < 0.06 m.
        if n < 5 || den / (n as f64) < 1.5f64.powi(4) {
            return false;
        }
        let pivot = num / den;
        debug_log!(
            "DBG pivot {:.3} at {:.2} n {} den {:.1}",
            pivot.norm(),
            c.peak_t,
            n,
            den / n as f64
        );
        pivot.norm() < self.settings.reps.min_pivot_radius_m
    }

    /// A step of walking, not a rep: the rise began or ended with the heel
    /// striking the floor in front of the rest pose. A strike is a jolt of
    /// 2–4 g lasting some 10 ms; it is found as the part of the acceleration
    /// that a centred 70 ms mean does not explain. A kick's own acceleration,
    /// even the 5–7 g of a 0.3 s swing, is smooth and leaves well under 1 g
    /// there; the weight stack touching down gives 0.3–1 g (§5.1). Works
    /// with or without a gyroscope.
    ///
    /// With a gyroscope only the end is checked (a swing that lands, as the
    /// first step of a walk does; later steps fail the pivot test): the start
    /// of a hard kick turns round so sharply that its acceleration is not
    /// smooth enough to tell from a strike there.
    fn is_heel_strike(&self, pts: &[Point], c: Candidate, check_start: bool) -> bool {
        let rs = &self.settings.reps;
        let half = IMPACT_HALF_WINDOW;
        // A strike jolts the shank along its length; the turn-round of a
        // swing jolts it across (tangentially, in the plane of the kick).
        // The part across is left out: the shank's length is close to the
        // rest "up", the plane's normal is the kick's axis.
        let across = match (self.frame.axis(), self.frame.rest()) {
            (Some(a), Some(r)) => {
                let t = a.cross(&r);
                let n = t.norm();
                (n > 1e-6).then(|| t / n)
            }
            _ => None,
        };
        let impact_near = |t0: f64| {
            let mut peak: f64 = 0.0;
            for i in half..pts.len().saturating_sub(half) {
                if (pts[i].t - t0).abs() > HEEL_STRIKE_WINDOW_S {
                    continue;
                }
                let mean = pts[i - half..=i + half]
                    .iter()
                    .map(|q| q.raw_lin)
                    .sum::<Vector3<f64>>()
                    / (2 * half + 1) as f64;
                let mut r = pts[i].raw_lin - mean;
                if let Some(t) = across {
                    r -= t * r.dot(&t);
                }
                peak = peak.max(r.norm());
            }
            peak
        };
        let limit = rs.gait_impact_g * STANDARD_GRAVITY;
        let at_start =
            check_start && c.start_e <= -rs.gait_forward_deg && impact_near(c.start_t) > limit;
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

    fn close_set(&mut self, out: &mut VecDeque<Event>) {
        if !self.set_open {
            return;
        }
        self.set_open = false;
        out.push_back(Event::SetCompleted(SetSummary {
            index: self.set_index,
            start_s: self.set_start,
            end_s: self.set_end,
            rep_count: self.set_reps,
            median_range_deg: (self.ranges.set_median() * 1e2).round() / 1e2,
        }));
    }

    /// Closes the set once the rest after its last rep is long enough and no
    /// rep that could still belong to it is under way.
    fn check_set_rest(&mut self, t: f64, out: &mut VecDeque<Event>) {
        if !self.set_open || t - self.set_end <= self.settings.sets.rest_s {
            return;
        }
        let rest = self.settings.sets.rest_s;
        let pending = self.cand.is_some_and(|c| c.start_t - self.set_end <= rest)
            || self
                .pending
                .as_ref()
                .is_some_and(|r| r.start_s - self.set_end <= rest);
        if !pending {
            self.close_set(out);
        }
    }

    pub(crate) fn finish(&mut self, out: &mut VecDeque<Event>) {
        if self.phase == Phase::Falling {
            if let Some(c) = self.cand {
                self.complete(c, out);
            }
        }
        self.commit_pending(out);
        self.close_set(out);
        let duration = self.last_rel;
        if self.samples > 0 && duration < 2.0 {
            self.warn(
                out,
                "short_recording",
                None,
                format!("the recording is only {duration:.2} s long; a rep needs a few seconds"),
            );
        }
        if self.samples > 0 && (self.frame.rest().is_none() || self.rest_provisional) {
            self.warn(
                out,
                "no_rest",
                None,
                "the leg was never still, so the rest pose is a guess; elevations may be offset"
                    .into(),
            );
        }
        for (i, kind) in KINDS.iter().enumerate() {
            if self.warned[i] > WARNINGS_PER_KIND {
                out.push_back(Event::Warning(Warning::new(
                    kind,
                    None,
                    format!(
                        "{} more '{kind}' warnings not listed",
                        self.warned[i] - WARNINGS_PER_KIND
                    ),
                )));
            }
        }
        out.push_back(Event::Finished(StreamStats {
            sample_rate_hz: if self.sum_dt > 0.0 {
                self.n_dt as f64 / self.sum_dt
            } else {
                0.0
            },
            duration_s: duration,
            samples: self.samples,
            gyroscope: self.has_gyro == Some(true),
        }));
        let trace = self.trace;
        *self = Pipeline::new(self.settings.clone());
        self.trace = trace;
    }
}
