//! Events the online analyzer emits as samples arrive.

use crate::report::{Rep, SetSummary, StreamStats, Walk, Warning};
use serde::{Deserialize, Serialize};

/// Why a started rise was not a rep ([`Event::RepDiscarded`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DiscardReason {
    /// A step of walking: the shank turned about the planted foot, the
    /// swing ended in a heel strike, it came straight after a step, or the
    /// leg went straight on into one. A rep already completed that the leg
    /// went straight on from into a step (the step starting within 0.3 s
    /// of its end), and each rep before it that led as straight into the
    /// next and is alike to the step in range and time (the first strides
    /// of a walk), is taken back this way too, after its
    /// [`Event::RepCompleted`], once the step is known.
    Gait,
    /// Back down sooner than `reps.min_duration_s`.
    TooShort,
    /// It did not rise far enough above the rest pose (a fidget).
    TooSmall,
    /// Not back down within `reps.max_duration_s`.
    TooLong,
    /// The leg came to rest at a new pose: a change of pose, not a rep.
    NewPose,
    /// The kick turned out to go the other way; the recent past is re-read.
    SignFlipped,
    /// A gap in the samples too long to bridge restarted the analysis.
    Gap,
    /// The stream ended while the leg was still up.
    StreamEnded,
    /// It rose from a pose away from the rest pose, where the leg had not
    /// rested: long after the leg was last near its rest pose, or from
    /// further below it than it rose above it without a pause at the top (a
    /// swing through the rest pose), or from in front of it to above it
    /// passing well beside it (out of the kick's plane). Walking or
    /// pedalling read against a rest pose that no longer holds.
    AwayFromRest,
    /// It turned faster than a leg turns (over 1000 °/s; a thrown kick
    /// peaks at 300-600 °/s): the sensor spun on a pedalling leg, or the
    /// reading jumped.
    TooFast,
    /// A rep with no rep like it near: its set (reps each within
    /// `sets.rest_s` of the next) held no three reps alike in range (the
    /// smaller at least 0.6 of the larger) and duration (at least half),
    /// one of them alike to two others; a set of one or two among them. A
    /// set repeats one movement; lone or unlike rises, or two alike by
    /// chance, are fidgets (shifting the weight, handling the phone, a
    /// first step). This follows the rep's [`Event::RepCompleted`], once
    /// its set's rest is over, and takes the rep back.
    Lone,
    /// Only the gyroscope read it: the accelerometer never saw gravity turn
    /// with it (by under a third of its range, where a leg that rises and
    /// stops turns it by half of it at least). The gyroscope's own noise or
    /// drift, not a movement of the leg.
    GyroOnly,
}

/// Something the analyzer found.
///
/// Events come in time order. A rep is announced with [`Event::RepStarted`]
/// when the leg starts to rise and reported in full with
/// [`Event::RepCompleted`] shortly after it ends. Every `RepStarted` is
/// followed by exactly one [`Event::RepCompleted`] (whose [`Rep::id`] is the
/// same) or [`Event::RepDiscarded`] with its `id`; and a completed rep with
/// no rep like it near (see [`DiscardReason::Lone`]) is taken back by a
/// later `RepDiscarded` with that reason, its set never reported and its
/// number and set number given to the next rep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// The leg has risen far enough that a rep is under way (it may still be
    /// rejected, e.g. if it turns out to be a step).
    RepStarted {
        /// Unique within the analyzer, increasing from 1.
        id: u64,
        /// Start time of the rise, s from the first sample.
        t_s: f64,
    },
    /// A rise announced with [`Event::RepStarted`] turned out not to be a
    /// rep; with reason [`DiscardReason::Lone`], a rep already completed
    /// is taken back.
    RepDiscarded {
        /// The `id` of its [`Event::RepStarted`].
        id: u64,
        /// When it was dropped, s from the first sample.
        t_s: f64,
        /// Why.
        reason: DiscardReason,
    },
    /// A rep is over; here it is, measured, with its faults.
    RepCompleted(Rep),
    /// A set is over (a rest followed its last rep, or the stream ended).
    SetCompleted(SetSummary),
    /// Something worth knowing about the input.
    Warning(Warning),
    /// A walk is over: steps one after another were recognised (each
    /// step's rise was discarded with reason `gait`). Reported once no step
    /// has followed for a few seconds, or when the stream ends.
    Walking(Walk),
    /// The stream has ended; whole-stream figures.
    Finished(StreamStats),
    /// The leg's elevation at one point of the internal 100 Hz grid; only
    /// when asked for with [`crate::Analyzer::set_trace`] (for plots).
    Elevation {
        /// Time, s from the first sample.
        t_s: f64,
        /// Elevation from the rest pose, degrees (+ is the kick's direction).
        deg: f64,
    },
}
