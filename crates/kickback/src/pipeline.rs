//! The pipeline behind [`crate::Analyzer`]: the [`stages`](crate::stages)
//! run in order at each grid point, and the few decisions that reach
//! across stages (a gap restarts them; a new rest pose or a flipped sign
//! re-reads the past; a finished rise is measured, gated and reported).
//!
//! Every stage is online and keeps bounded state: the longest buffers are
//! the start of a recording kept until the rest pose is found (at most a
//! minute of grid points, see [`PRELUDE_S`]) and the history of the rep in
//! progress (at most `reps.max_duration_s` plus the valley window and a
//! second, on a 100 Hz grid).

use crate::event::{DiscardReason, Event};
use crate::report::WarningKind;
use crate::report::{Rep, StreamStats};
use crate::sample::Sample;
use crate::settings::Settings;
use crate::stages::attitude::Attitude;
use crate::stages::gait::{self, GaitGate, Leg, RestEnd, Review, StepsBefore, Verdict};
use crate::stages::grid::{Grid, GridPoint};
use crate::stages::history::History;
use crate::stages::hold::{self, HoldStep, LongHold, Strayed};
use crate::stages::input::{Accepted, Input};
use crate::stages::kinematics::{Kinematics, Point};
use crate::stages::measure::{self, Measured, Reject};
use crate::stages::rest_pose::{Axis, RestPose, RestUpdate, DWELL_S};
use crate::stages::rise::{Candidate, RiseDetector, RiseStep, Settle, VALLEY_WINDOW_S};
use crate::stages::sets::{Rise, SetTracker, LIKE_NEIGHBOURS, NEIGHBOUR_S, SMALLEST_REP_DEG};
use crate::stages::stillness::Stillness;
use crate::stages::warnings::Warnings;
use nalgebra::Vector3;
use std::collections::VecDeque;

/// When the kick's sign flips, a pose held still this recently is taken as
/// the rest pose the kick started from, s.
const FLIP_HELD_WITHIN_S: f64 = 5.0;
/// A valley within this of a pose the leg was held still in is that pose,
/// deg: sway and the strap's give on the floor or a bench stay within a
/// few degrees; a stride's turn-round and a held pose differ by tens.
const SAME_POSE_DEG: f64 = 8.0;
/// A swing through the rest pose turns round at its top within this, s: a
/// stride's top lasts 0.1 s or less, a pedal stroke's little more; a
/// squeeze held at the top (0.5-1.5 s, §2.1) is a deliberate rep, whatever
/// the rest pose reads (a leg set down twisted on the floor reads a dip).
const SWING_TOP_S: f64 = 0.5;
/// A rise from in front of the rest pose to above it comes within this of
/// the rest pose, deg, when it swings through it: a kick turns about the
/// hip in one plane, and its rest pose and wind-up lie on that arc. A
/// swing that passes further beside the rest pose (out of the kick's
/// plane) did not start from it: a stride or a pedal stroke read against
/// a pose the leg was still in before it walked (the real recordings with
/// 5 s of stillness put in front pass it 10-60° to the side). The
/// simulator's kicks pass within 12° (at 12.5 Hz, where a sample comes
/// every 25° of a thrown rep), the real physiotherapy reps within 8°.
const PASSES_BESIDE_DEG: f64 = 15.0;
/// Grid points kept while the rest pose is still to be found, s: a
/// recording that starts mid-set is read again from its start once the leg
/// rests (a set lasts well under a minute).
const PRELUDE_S: f64 = 60.0;
/// A recording whose leg is still from within this of its first sample
/// starts at rest, s (a few grid points for the stillness test to settle):
/// its first still pose is no rep's top (a thrown rep reaches its top
/// 0.3 s in at the earliest).
const STILL_FROM_START_S: f64 = 0.15;
/// A small rep before a set starts where the leg was within this fraction
/// of its top above rest.
const NEAR_REST: f64 = 0.25;

/// The start of a recording, read while the rest pose is still to be
/// found: its grid points, and the events read from them, held back.
#[derive(Debug, Default)]
struct Prelude {
    points: VecDeque<GridPoint>,
    events: VecDeque<Event>,
    /// A rest pose was guessed (nothing was still soon enough).
    guessed: bool,
    /// The id the first rise would have taken.
    first_id: Option<u64>,
}

/// Whether the rest pose has been checked against the first rep: which
/// end of it the leg rests at ([`gait::rest_end`]).
#[derive(Debug, Clone, Copy, PartialEq)]
enum RestCheck {
    /// Not yet: no rep has been read while the start is held back.
    Unchecked,
    /// Checked (or past checking): reps are read as they come.
    Checked,
    /// The first rep lowered the ankle: the leg rests at this pose, and
    /// the start of the recording is to be read again from it.
    Top(Vector3<f64>),
}

#[derive(Debug)]
pub(crate) struct Pipeline {
    settings: Settings,
    trace: bool,
    warnings: Warnings,
    input: Input,
    grid: Grid,
    attitude: Attitude,
    stillness: Stillness,
    rest: RestPose,
    kinematics: Kinematics,
    history: History,
    rise: RiseDetector,
    /// A rise set aside as a new pose, in case it was a long hold.
    hold: Option<LongHold>,
    /// A long hold that came back down but rested elsewhere, in case the
    /// next rep repeats it.
    strayed: Option<Strayed>,
    gait: GaitGate,
    sets: SetTracker,
    /// The rise under way that started away from a stale rest pose.
    from_elsewhere: Option<u64>,
    /// When the last rep measured peaked (s), and its pose there ("up").
    last_top: Option<(f64, Vector3<f64>)>,
    /// A set's last rep to measure once the kick's sign has turned over:
    /// from, until, s.
    after_turn: Option<(f64, f64)>,
    /// The start of the recording, until the rest pose is found and the
    /// first rep has shown it is the low end of the kick.
    prelude: Option<Prelude>,
    rest_check: RestCheck,
}

impl Pipeline {
    pub(crate) fn new(settings: Settings) -> Self {
        Pipeline {
            trace: false,
            warnings: Warnings::default(),
            input: Input::new(settings.input.clone()),
            grid: Grid::default(),
            attitude: Attitude::new(settings.input.fusion_time_constant_s),
            stillness: Stillness::new(),
            rest: RestPose::default(),
            kinematics: Kinematics::new(),
            history: History::new(settings.reps.max_duration_s + VALLEY_WINDOW_S + 1.0),
            rise: RiseDetector::new(settings.reps.clone()),
            hold: None,
            strayed: None,
            gait: GaitGate::default(),
            sets: SetTracker::default(),
            from_elsewhere: None,
            last_top: None,
            after_turn: None,
            prelude: Some(Prelude::default()),
            rest_check: RestCheck::Unchecked,
            settings,
        }
    }

    pub(crate) fn set_trace(&mut self, on: bool) {
        self.trace = on;
    }

    pub(crate) fn push(&mut self, s: Sample, out: &mut VecDeque<Event>) {
        match self.input.accept(s, &mut self.warnings, out) {
            Accepted::Skipped => {}
            Accepted::Start { gap, rel, sample } => {
                if gap {
                    self.end_prelude(out);
                    self.restart_after_gap(rel, out);
                }
                let g = self.grid.start(rel, &sample);
                self.step(&g, out);
            }
            Accepted::Next {
                prev,
                prev_rel,
                sample,
                rel,
                dt,
            } => {
                let mut span = self.grid.span(&prev, prev_rel, &sample, rel, dt);
                for g in span.by_ref() {
                    self.step(&g, out);
                }
                self.grid.advance(&span);
            }
        }
    }

    /// One grid point. Until the rest pose is found and the first rep has
    /// been read from it, the points are also kept and what they read held
    /// back: a rest pose found by stillness after one was guessed reads the
    /// start of the recording again from it (a recording that starts
    /// mid-set counts that set), and so does the pose the leg turns out to
    /// rest at when the first stillness was the top of a rep; otherwise,
    /// or after [`PRELUDE_S`], what was read comes out as it was.
    fn step(&mut self, g: &GridPoint, out: &mut VecDeque<Event>) {
        let Some(mut pre) = self.prelude.take() else {
            self.process(g, out);
            return;
        };
        pre.points.push_back(*g);
        pre.first_id.get_or_insert(self.rise.next_id());
        self.process(g, &mut pre.events);
        pre.guessed |= self.rest.frame().rest().is_some() && self.rest.is_guess();
        let found = !self.rest.is_guess();
        let first = pre.points.front().map_or(g.t, |p| p.t);
        if found && pre.guessed {
            pre = self.replay(pre, self.rest.frame().rest());
        } else if found
            && self.rest_check == RestCheck::Unchecked
            && g.t - self.stillness.still_for() - first <= STILL_FROM_START_S
        {
            // Still from the start: the leg rested before it moved, so the
            // pose is no rep's top; nothing is held back for it.
            self.rest_check = RestCheck::Checked;
        }
        if g.t - first > PRELUDE_S || self.rest_check == RestCheck::Checked {
            self.rest_check = RestCheck::Checked;
            out.extend(pre.events);
        } else if let RestCheck::Top(up) = self.rest_check {
            self.rest_check = RestCheck::Checked;
            out.extend(self.replay(pre, Some(up)).events);
        } else {
            self.prelude = Some(pre);
        }
    }

    /// Lets out what the start of the recording read (a gap, or the end).
    fn end_prelude(&mut self, out: &mut VecDeque<Event>) {
        if let Some(pre) = self.prelude.take() {
            out.extend(pre.events);
        }
        self.rest_check = RestCheck::Checked;
    }

    /// Reads the start of the recording again from the rest pose `up`:
    /// every stage starts over, the rest pose set; returns the start as
    /// read again (its points kept, its events held back).
    fn replay(&mut self, pre: Prelude, up: Option<Vector3<f64>>) -> Prelude {
        let Some(up) = up else {
            return pre;
        };
        debug_log!("DBG replay {} points", pre.points.len());
        let fresh = Pipeline::new(self.settings.clone());
        self.attitude = fresh.attitude;
        self.stillness = fresh.stillness;
        self.rest = fresh.rest;
        self.rest.set_rest(up);
        self.kinematics = fresh.kinematics;
        self.history = fresh.history;
        self.rise = fresh.rise;
        if let Some(id) = pre.first_id {
            self.rise.number_from(id);
        }
        self.hold = None;
        self.strayed = None;
        self.gait = fresh.gait;
        self.sets = fresh.sets;
        self.from_elsewhere = None;
        self.last_top = None;
        self.after_turn = None;
        let mut events = VecDeque::new();
        for g in &pre.points {
            self.process(g, &mut events);
        }
        Prelude {
            points: pre.points,
            events,
            guessed: false,
            first_id: pre.first_id,
        }
    }

    /// After a long gap (ending at `t`): orientation, stillness, filters
    /// and any rep in progress start over; the rest pose, axis, held rep and
    /// sets carry on.
    fn restart_after_gap(&mut self, t: f64, out: &mut VecDeque<Event>) {
        self.attitude.reset();
        self.stillness.reset();
        self.kinematics.reset();
        if let Some(c) = self.rise.reset() {
            discard(c.id, t, DiscardReason::Gap, out);
        }
        if let Some(h) = self.hold.take() {
            discard(h.candidate().id, t, DiscardReason::Gap, out);
        }
        if let Some(s) = self.strayed.take() {
            discard(s.c.id, t, DiscardReason::Gap, out);
        }
        self.history.clear();
    }

    /// One grid point through every stage.
    fn process(&mut self, g: &GridPoint, out: &mut VecDeque<Event>) {
        let t = g.t;
        let Some(pose) = self
            .attitude
            .step(g, self.rest.frame(), self.stillness.gravity())
        else {
            return;
        };
        let up = pose.up;
        self.rest.set_long_axis(self.attitude.long_axis());
        let still = self.stillness.step(t, pose.norm, &up, pose.rate.as_ref());
        self.rise.observe_still(still.now);
        self.watch_hold(t, &up, still.now, out);

        if self.rest.check(t, &up, still.for_s) == RestUpdate::Settling {
            // Wherever the leg rests while no rep is under way is the rest
            // pose (a rise still there far too long was a change of pose).
            let settle = self.rise.settle(still.for_s);
            if let Settle::Dropped(c) = settle {
                // ... unless the leg comes back: then it was a long hold.
                if let Some(h) = self.hold.replace(LongHold::new(c, &self.rest, up)) {
                    match h.strayed() {
                        Some(s) => self.set_strayed(s, t, out),
                        None => discard(h.candidate().id, t, DiscardReason::NewPose, out),
                    }
                }
            }
            if settle != Settle::Busy {
                self.rest.settle(&up, still.for_s);
                self.rise.clear_valley();
            }
        }
        let Some(reading) = self.rest.read(t, &up) else {
            return;
        };
        let e = if reading.flipped {
            debug_log!("DBG flip at {t:.2}");
            // What was kept in the old sign is re-read: a rise under way
            // starts over.
            if let Some(c) = self.rise.reset() {
                discard(c.id, t, DiscardReason::SignFlipped, out);
            }
            match self.stillness.held().copied() {
                // The leg was just held still somewhere (the hanging pose it
                // stepped into): that is the rest pose the kick started from.
                Some(h) if t - h.t < FLIP_HELD_WITHIN_S => {
                    self.reanchor(h.up);
                    self.rest.elevation_now(&up).unwrap_or(-reading.e)
                }
                _ => {
                    self.negate_past();
                    reading.e
                }
            }
        } else {
            reading.e
        };

        if self.trace {
            out.push_back(Event::Elevation { t_s: t, deg: e });
        }
        let p = self
            .kinematics
            .step(t, e, &g.acc, up, pose.rate, self.rest.frame().axis());
        self.history.push(p);
        // The last rep of a set read from its top, now read the right way
        // up (announced and reported late, when the leg has rested).
        if let Some((since, until)) = self.after_turn.take() {
            let id = self.rise.next_id();
            self.rise.number_from(id + 1);
            debug_log!("DBG last rep after the turn {since:.2}-{until:.2}");
            out.push_back(Event::RepStarted { id, t_s: since });
            self.complete_kept(since, until, id, t, out);
        }
        match reading.axis {
            // Until the leg's axis is known there is no telling a rise from
            // a drop (stepping into the hanging pose moves the leg too).
            Axis::Unknown => self.rise.clear_valley(),
            Axis::Found | Axis::Known => {
                if reading.axis == Axis::Found {
                    // The axis was just found: re-read the rise so far with signs.
                    if self.input.has_gyro() == Some(false) {
                        self.attitude.replay(
                            &mut self.history,
                            self.rest.frame(),
                            self.stillness.gravity(),
                        );
                    }
                    self.reread_history();
                }
                let p = *self.history.back().expect("pushed above");
                self.detect(&p, still.now, out);
            }
        }
        self.review_pending(t, out);
        if let Some(w) = self.gait.walk_over(t) {
            out.push_back(Event::Walking(w));
        }
        // A strayed hold no rep repeated in time was a pose, left.
        let rest_s = self.settings.sets.rest_s;
        if let Some(s) = self.strayed {
            let repeat_may_start = |start: f64| start - s.back_t <= rest_s;
            let under_way = self
                .rise
                .candidate()
                .map(|c| c.start_t)
                .into_iter()
                .chain(self.hold.as_ref().map(LongHold::start_t))
                .any(repeat_may_start);
            if t - s.back_t > rest_s && !under_way {
                self.strayed = None;
                discard(s.c.id, t, DiscardReason::NewPose, out);
            }
        }
        // The set closes once the rest after its last rep is long enough.
        if self.sets.rest_is_over(t, rest_s) {
            let starts = [
                self.rise.candidate().map(|c| c.start_t),
                self.gait.pending_start(),
                self.hold.as_ref().map(LongHold::start_t),
                self.strayed.map(|s| s.c.start_t),
            ];
            self.sets.close_unless_pending(starts, rest_s, t, out);
        }
    }

    /// A rise set aside as a new pose that comes back to where it rose
    /// from was a rep with a long hold: its rest pose is restored, the past
    /// re-read against it, and the rep measured.
    fn watch_hold(
        &mut self,
        t: f64,
        up: &Vector3<f64>,
        still_now: bool,
        out: &mut VecDeque<Event>,
    ) {
        let Some(h) = &mut self.hold else {
            return;
        };
        let rs = &self.settings.reps;
        match h.step(
            t,
            up,
            still_now,
            rs.return_fraction,
            rs.max_duration_s,
            rs.min_rise_deg,
        ) {
            HoldStep::Waiting => {}
            HoldStep::Expired(c) => {
                self.hold = None;
                discard(c.id, t, DiscardReason::NewPose, out);
                // The leg rests where the reps peaked: they were read from
                // their top, and the sets after are read from here.
                let rests_at_top = self.sets.set_range().is_some_and(|range| {
                    hold::rests_where_reps_peaked(
                        &c,
                        range,
                        self.last_top.map(|(_, top)| top.angle(up).to_degrees()),
                        self.stillness.still_for(),
                    )
                });
                debug_log!(
                    "DBG expired hold {:.2}: rests where the reps peaked {rests_at_top}",
                    c.start_t
                );
                if rests_at_top {
                    self.rest.turn_over();
                    // Read from its top, the set's N reps were N - 1 drops
                    // between their tops; its last rep (from the last drop's
                    // bottom up to the last top, and down to where the leg
                    // rests) is measured once the sign has turned.
                    self.after_turn = self.last_top.map(|(since, _)| (since, c.peak_t));
                }
            }
            HoldStep::Strayed(s) => {
                self.hold = None;
                self.set_strayed(s, t, out);
            }
            HoldStep::Returned { c, rest } => {
                self.hold = None;
                debug_log!("DBG long hold {:.2} came back at {t:.2}", c.start_t);
                // Whatever was read from the held pose meanwhile goes.
                if let Some(x) = self.rise.reset() {
                    discard(x.id, t, DiscardReason::NewPose, out);
                }
                self.rest = *rest;
                self.rest_moved();
                self.complete_kept(c.start_t, t, c.id, t, out);
            }
        }
    }

    /// The rise detector's step, and what it asks of the other stages.
    fn detect(&mut self, p: &Point, still_now: bool, out: &mut VecDeque<Event>) {
        let step = self.rise.step(
            p,
            still_now,
            self.stillness.held(),
            self.sets.last_rep_end(),
            self.min_rise_deg(p.t),
        );
        match step {
            RiseStep::Nothing => {}
            RiseStep::Started { id, t_s } => {
                if self.rest.is_stale(p.t) {
                    if let Some(up) = self.rested_at(t_s) {
                        // Reps from where the leg rests now: re-read from
                        // there (the rise is found and announced again).
                        debug_log!("DBG stale rest: reps from {t_s:.2}");
                        // (Its id was never announced: the rise found
                        // again takes it.)
                        let _unannounced = self.rise.reset();
                        self.rise.number_from(id);
                        self.reanchor(up);
                        return;
                    }
                    debug_log!("DBG stale rest: swing from {t_s:.2}");
                    self.from_elsewhere = Some(id);
                }
                out.push_back(Event::RepStarted { id, t_s });
            }
            RiseStep::TooLong(c) => discard(c.id, p.t, DiscardReason::TooLong, out),
            RiseStep::NewPose {
                dropped,
                up,
                kick,
                since,
                until,
            } => {
                self.reanchor(up);
                // The excursion just seen was a kick: it shows the sign,
                // however the pose was reached...
                self.rest.seed_excursion(kick);
                // ... and it is the set's first rep, measured against the
                // new rest pose (the rise announced is that rep).
                self.complete_kept(since, until, dropped.id, p.t, out);
            }
            RiseStep::PoseChange { dropped, up } => {
                discard(dropped.id, p.t, DiscardReason::NewPose, out);
                self.reanchor(up);
            }
            RiseStep::Finished(c) => {
                self.complete(&c, p.t, out);
                // The bottom of this rep is where the next one may start.
                self.rise.rebuild_valley(&self.history, c.low_t);
            }
        }
    }

    /// The pose ("up") of the valley at `t` a rise starts from, if the leg
    /// rested there: it dwelt there (a rep's bottom pause, the slow end of
    /// its lowering), or it was held still in that pose since it was last
    /// near the rest pose (lying down on the floor or a bench before a set,
    /// whose reps then bounce off it). A swing of walking or pedalling turns
    /// round at once in a pose it was never held in.
    fn rested_at(&self, t: f64) -> Option<Vector3<f64>> {
        let up = self.history.at(t)?.up;
        let dwelt = self
            .history
            .dwell_at(t, self.settings.reps.bottom_velocity_dps)
            >= DWELL_S;
        let held_there = self.stillness.held().is_some_and(|h| {
            self.rest.near_t().is_some_and(|n| h.t > n)
                && h.up.angle(&up).to_degrees() < SAME_POSE_DEG
        });
        (dwelt || held_there).then_some(up)
    }

    /// Makes `up` the rest pose, drops any rise, and re-reads the elevations
    /// of the recent past against the new rest pose.
    fn reanchor(&mut self, up: Vector3<f64>) {
        debug_log!("DBG reanchor");
        // The rest pose found again from how the leg moved: no longer the
        // first still pose, to be checked against the first rep.
        if self.rest_check == RestCheck::Unchecked {
            self.rest_check = RestCheck::Checked;
        }
        self.rest.set_rest(up);
        self.rest_moved();
    }

    /// After the rest pose moved: the past is re-read against it, and the
    /// elevation's low-pass restarts (the elevation jumps with the rest
    /// pose; the jump is not a velocity).
    fn rest_moved(&mut self) {
        self.reread_history();
        self.kinematics.restart_elevation();
    }

    /// The rise and return kept in the history from `since` to `until`,
    /// announced as `id`, measured as a rep at `now` (after the rest pose
    /// moved to where it began); discarded as a new pose if nothing rose.
    fn complete_kept(
        &mut self,
        since: f64,
        until: f64,
        id: u64,
        now: f64,
        out: &mut VecDeque<Event>,
    ) {
        match Candidate::between(&self.history, since, until, id) {
            Some(c) => {
                self.complete(&c, now, out);
                self.rise.rebuild_valley(&self.history, c.low_t);
            }
            None => discard(id, now, DiscardReason::NewPose, out),
        }
    }

    /// Recomputes the kept elevations with the current rest pose and axis,
    /// and rebuilds the valley from them. Callers have ended any rise.
    fn reread_history(&mut self) {
        let dropped = self.rise.reset();
        debug_assert!(dropped.is_none(), "a rise was dropped unannounced");
        self.history.reread(self.rest.frame());
        self.rise.rebuild_valley(&self.history, f64::NEG_INFINITY);
    }

    /// The kick's sign flipped (before any rep was reported): what was kept
    /// in the old sign is negated, and a rise in progress starts over.
    fn negate_past(&mut self) {
        self.history.negate();
        self.kinematics.negate();
        let dropped = self.rise.reset();
        debug_assert!(dropped.is_none(), "a rise was dropped unannounced");
        self.rise.rebuild_valley(&self.history, f64::NEG_INFINITY);
    }

    /// Keeps `s` in case the next rep repeats it (a strayed hold kept
    /// before is discarded at `t`: a rep came between, or none repeated it).
    fn set_strayed(&mut self, s: Strayed, t: f64, out: &mut VecDeque<Event>) {
        debug_log!(
            "DBG strayed hold {:.2} back at {:.2}",
            s.c.start_t,
            s.back_t
        );
        if let Some(old) = self.strayed.replace(s) {
            discard(old.c.id, t, DiscardReason::NewPose, out);
        }
    }

    /// Before the rep `c` is held back: a strayed hold it repeats was the
    /// set's first rep, measured (against the rest pose now) and reported
    /// first; one it does not repeat was a pose, left.
    fn resolve_strayed(&mut self, c: &Candidate, now: f64, out: &mut VecDeque<Event>) {
        // A long hold still watched that has left its pose downwards has
        // strayed: a rep finished since.
        if let Some(s) = self.hold.as_ref().and_then(LongHold::strayed) {
            self.hold = None;
            self.set_strayed(s, now, out);
        }
        let Some(s) = self.strayed.take() else {
            return;
        };
        let top = self.history.at(c.peak_t).map(|q| q.up);
        // (The history must still hold all of it: it keeps 25 s.)
        let kept = self
            .history
            .iter()
            .next()
            .is_some_and(|q| q.t <= s.c.start_t);
        let repeated =
            kept && top.is_some_and(|top| s.is_repeated_by(c, &top, self.settings.sets.rest_s));
        // Its range is its rise above the rest pose the set's reps rise
        // from (now the rest pose), not from where the leg lay before the
        // set: from the last time it was at or below that pose.
        let peak_t = s.c.peak_t;
        let since = self
            .history
            .iter()
            .filter(|q| q.t >= s.c.start_t && q.t <= peak_t && q.e <= 0.0)
            .map(|q| q.t)
            .fold(s.c.start_t, f64::max);
        match Candidate::between(&self.history, since, s.c.low_t, s.c.id) {
            Some(first) if repeated => self.complete(&first, now, out),
            _ => discard(s.c.id, now, DiscardReason::NewPose, out),
        }
    }

    /// How far a rise starting at `t` must rise to be a rep, deg (see
    /// [`SetTracker::min_rise_deg`]).
    fn min_rise_deg(&self, t: f64) -> f64 {
        self.sets.min_rise_deg(
            t,
            self.settings.reps.min_rise_deg,
            self.input.gyro_streaming(),
        )
    }

    /// Measures a finished rise, passes it through the gait gate, and holds
    /// the rep back (reporting the one held before); or, at `now`, discards
    /// it.
    fn complete(&mut self, c: &Candidate, now: f64, out: &mut VecDeque<Event>) {
        let min_rise = self.min_rise_deg(c.start_t);
        let m = match measure::measure(
            c,
            &self.history,
            &self.settings,
            self.sets.last_rep_end(),
            min_rise,
            self.input.gyro_streaming(),
        ) {
            Ok(m) => m,
            Err(reject) => {
                let reason = match reject {
                    Reject::Short => DiscardReason::TooShort,
                    Reject::Low => DiscardReason::TooSmall,
                    Reject::Fast => DiscardReason::TooFast,
                    Reject::GyroOnly => DiscardReason::GyroOnly,
                };
                discard(c.id, now, reason, out);
                return;
            }
        };
        let leg = leg_of(&self.rest, &self.input);
        if self.gait.judge(&m, c, leg, &self.settings) == Verdict::Step {
            discard(c.id, now, DiscardReason::Gait, out);
            self.walked_on(c.id, Rise::of(&m.rep), now, out);
            return;
        }
        // A swing from a pose the leg never rested in, long after it was
        // last at rest (a stride read from a rest pose taken mid-walk).
        if self.from_elsewhere == Some(c.id) {
            discard(c.id, now, DiscardReason::AwayFromRest, out);
            return;
        }
        // A rise from in front of rest to above it that passed well beside
        // the rest pose (out of the kick's plane) did not swing through it,
        // with or without a gyroscope.
        if c.start_e < 0.0 && m.closest_to_rest(c) > PASSES_BESIDE_DEG {
            debug_log!("DBG passes beside rest {:.2}", c.start_t);
            discard(c.id, now, DiscardReason::AwayFromRest, out);
            return;
        }
        // A swing through the rest pose, more below it than above, turning
        // round at its top (walking or pedalling read against a rest pose
        // taken mid-stride), is no rep, unless the leg rested at its valley,
        // which is then the rest pose it rose from. Only with a gyroscope:
        // the accelerometer alone reads a thrown rep's wind-up far too deep.
        if self.input.gyro_streaming() && c.swings_through_rest() && m.rep.hold_s < SWING_TOP_S {
            match self.rested_at(c.start_t) {
                Some(up) => {
                    debug_log!(
                        "DBG swing through rest from a pose rested in: {:.2}",
                        c.start_t
                    );
                    self.reanchor(up);
                    self.complete_kept(c.start_t, c.low_t, c.id, now, out);
                }
                None => {
                    debug_log!("DBG swing through rest {:.2}", c.start_t);
                    discard(c.id, now, DiscardReason::AwayFromRest, out);
                }
            }
            return;
        }
        debug_log!(
            "DBG measured rep {:.2}-{:.2} low_t {:.2} start_e {:.1} peak_e {:.1} hold {:.2} closest {:.1} now {:.2}",
            m.rep.start_s,
            m.rep.end_s,
            c.low_t,
            c.start_e,
            c.peak_e,
            m.rep.hold_s,
            m.closest_to_rest(c),
            self.history.back().map_or(0.0, |q| q.t)
        );
        if self.rest_check == RestCheck::Unchecked {
            self.rest_check = self.check_rest(&m, c);
        }
        self.resolve_strayed(c, now, out);
        // (Not without a gyroscope: there the accelerometer's tilt reads a
        // leg's sway and its own acceleration as small rises too; on the
        // simulator's no-gyroscope recordings this found false reps.)
        if min_rise >= self.settings.reps.min_rise_deg && self.input.gyro_streaming() {
            self.small_rep_before(c, m.rep.range_deg, out);
        }
        // The sign of the kick is settled once a rep is found.
        self.rest.freeze_sign();
        if let Some(q) = self.history.at(c.peak_t) {
            self.last_top = Some((c.peak_t, q.up));
        }
        if let Some(before) = self.gait.hold(m.rep) {
            self.report(before, out);
        }
    }

    /// The first rep read while the start of the recording is held back:
    /// whether the rest pose is the low end of the kick (see
    /// [`gait::rest_end`]). Without a gyroscope, or when the rep cannot
    /// tell, the rest pose stands.
    fn check_rest(&self, m: &Measured, c: &Candidate) -> RestCheck {
        let leg = leg_of(&self.rest, &self.input);
        let peak_up = self.history.at(c.peak_t).map(|q| q.up);
        let end = peak_up.map(|up| gait::rest_end(m.body(c), c, up, leg));
        debug_log!("DBG check rest at {:.2}: {end:?}", c.start_t);
        match end {
            Some(RestEnd::Top(up)) => RestCheck::Top(up),
            _ => RestCheck::Checked,
        }
    }

    /// Before the rep `c` (of `range` deg) that no set's reps were near: a
    /// rise just before it too small to count alone (under
    /// `reps.min_rise_deg`) but like it (at least half its range, from
    /// [`SMALLEST_REP_DEG`]), back at rest in time, was the set's first
    /// rep: reported now, before it (a set of small reps starts with one).
    fn small_rep_before(&mut self, c: &Candidate, range: f64, out: &mut VecDeque<Event>) {
        let need = (LIKE_NEIGHBOURS * range).max(SMALLEST_REP_DEG);
        if need >= self.settings.reps.min_rise_deg {
            return;
        }
        // Its top within NEIGHBOUR_S before `c`, its start the last time
        // before that the leg was near rest.
        let window = c.start_t - NEIGHBOUR_S;
        let Some(top) = self
            .history
            .iter()
            .filter(|q| q.t >= window && q.t <= c.start_t)
            .max_by(|a, b| a.e.total_cmp(&b.e))
            .copied()
        else {
            return;
        };
        let Some(since) = self
            .history
            .iter()
            .rfind(|q| q.t < top.t && q.e <= NEAR_REST * top.e)
            .map(|q| q.t)
        else {
            return;
        };
        let id = self.rise.next_id();
        let Some(s) = Candidate::between(&self.history, since, c.start_t, id) else {
            return;
        };
        debug_log!(
            "DBG small? {:.2}-{:.2} start {:.1} peak {:.1} low {:.1} need {need:.1}",
            s.start_t,
            s.low_t,
            s.start_e,
            s.peak_e,
            s.low_e
        );
        // From near rest, up by `need`, and back down by 70% of it before
        // `c`.
        let base = s.start_e.max(0.0);
        let back = s.peak_e - self.settings.reps.return_fraction * (s.peak_e - base);
        if s.peak_e < need || s.peak_e >= self.settings.reps.min_rise_deg || s.low_e > back {
            return;
        }
        let Ok(m) = measure::measure(
            &s,
            &self.history,
            &self.settings,
            None,
            need,
            self.input.gyro_streaming(),
        ) else {
            return;
        };
        let leg = leg_of(&self.rest, &self.input);
        if self.gait.judge(&m, &s, leg, &self.settings) == Verdict::Step {
            return;
        }
        debug_log!(
            "DBG small first rep {:.2}-{:.2}",
            m.rep.start_s,
            m.rep.end_s
        );
        self.rise.number_from(id + 1);
        out.push_back(Event::RepStarted { id, t_s: s.start_t });
        if let Some(before) = self.gait.hold(m.rep) {
            self.report(before, out);
        }
    }

    /// The rise `id` (`step`) was a step of walking: the reps just before
    /// it that the leg went straight on from into it were steps too
    /// ([`StepsBefore`]). The one held back is dropped, the ones reported
    /// are taken back (`RepDiscarded` for `Gait` after their
    /// `RepCompleted`). Not after a step a gyroscope showed thrown (a
    /// thrown rep misread as a stride would take its set along).
    fn walked_on(&mut self, id: u64, step: Rise, now: f64, out: &mut VecDeque<Event>) {
        if self.gait.was_thrown(id) {
            return;
        }
        let mut back = StepsBefore::from(step);
        if self.gait.pending_start().is_some() {
            match self.gait.take_pending_step(&mut back) {
                Some(rep) => {
                    debug_log!("DBG pending {:.2} went on into a step", rep.start_s);
                    discard(rep.id, now, DiscardReason::Gait, out);
                }
                // The newest rep did not lead into the step: nor did the
                // ones before it.
                None => return,
            }
        }
        let gate = &self.gait;
        let n = self.sets.take_back_newest(
            |k| !gate.was_thrown(k.id) && back.was_step(&k.rise),
            DiscardReason::Gait,
            now,
            out,
        );
        if n > 0 {
            debug_log!("DBG took back {n} reps that went on into a step at {now:.2}");
        }
    }

    fn report(&mut self, rep: Rep, out: &mut VecDeque<Event>) {
        let now = self.input.last_rel();
        self.sets.commit(rep, now, &self.settings, out);
    }

    /// The rep held back: reported once due, dropped if a step follows.
    fn review_pending(&mut self, t: f64, out: &mut VecDeque<Event>) {
        let leg = leg_of(&self.rest, &self.input);
        let review = self.gait.review(
            t,
            self.rise.rising(),
            &self.history,
            leg,
            self.input.mean_dt(),
            &self.settings,
        );
        match review {
            Review::Waiting => {}
            Review::Dropped(rep) => {
                discard(rep.id, t, DiscardReason::Gait, out);
                self.walked_on(rep.id, Rise::of(&rep), t, out);
            }
            Review::Due(rep) => self.report(rep, out),
        }
    }

    pub(crate) fn finish(&mut self, out: &mut VecDeque<Event>) {
        self.end_prelude(out);
        let end = self.input.last_rel();
        if let Some(c) = self.rise.falling() {
            self.complete(&c, end, out);
        } else if let Some(c) = self.rise.rising() {
            discard(c.id, end, DiscardReason::StreamEnded, out);
        }
        if let Some(h) = self.hold.take() {
            discard(h.candidate().id, end, DiscardReason::StreamEnded, out);
        }
        if let Some(s) = self.strayed.take() {
            discard(s.c.id, end, DiscardReason::NewPose, out);
        }
        if let Some(rep) = self.gait.take_pending() {
            self.report(rep, out);
        }
        if let Some(w) = self.gait.walk_over(f64::INFINITY) {
            out.push_back(Event::Walking(w));
        }
        self.sets.close(end, out);
        let duration = self.input.last_rel();
        let samples = self.input.samples();
        if samples > 0 && duration < 2.0 {
            self.warnings.warn(
                out,
                WarningKind::ShortRecording,
                None,
                format!("the recording is only {duration:.2} s long; a rep needs a few seconds"),
            );
        }
        if samples > 0 && self.rest.is_guess() {
            self.warnings.warn(
                out,
                WarningKind::NoRest,
                None,
                "the leg was never still, so the rest pose is a guess; elevations may be offset"
                    .into(),
            );
        }
        self.warnings.finish(out);
        out.push_back(Event::Finished(StreamStats {
            sample_rate_hz: self.input.sample_rate_hz(),
            duration_s: duration,
            samples,
            gyroscope: self.input.gyro_streaming(),
        }));
        let (trace, next_id) = (self.trace, self.rise.next_id());
        *self = Pipeline::new(self.settings.clone());
        self.trace = trace;
        self.rise.number_from(next_id);
    }
}

/// The leg as the gait stage reads it: the rest pose's frame, and whether
/// a gyroscope is streaming. (Two fields, not `&self`, so that the gait
/// stage can be borrowed mutably beside it.)
fn leg_of<'a>(rest: &'a RestPose, input: &Input) -> Leg<'a> {
    Leg {
        frame: rest.frame(),
        gyro: input.gyro_streaming(),
    }
}

/// Queues the end of a rise that was announced but is no rep.
fn discard(id: u64, t_s: f64, reason: DiscardReason, out: &mut VecDeque<Event>) {
    out.push_back(Event::RepDiscarded { id, t_s, reason });
}
