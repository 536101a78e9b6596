//! Events the online analyzer emits as samples arrive.

use crate::report::{Rep, SetSummary, StreamStats, Warning};
use serde::{Deserialize, Serialize};

/// Something the analyzer found.
///
/// Events come in time order. A rep is announced with [`Event::RepStarted`]
/// when the leg starts to rise and reported in full with
/// [`Event::RepCompleted`] shortly after it ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// The leg has risen far enough that a rep is under way (it may still be
    /// rejected, e.g. if it turns out to be a step).
    RepStarted {
        /// Start time of the rise, s from the first sample.
        t_s: f64,
    },
    /// A rep is over; here it is, measured, with its faults.
    RepCompleted(Rep),
    /// A set is over (a rest followed its last rep, or the stream ended).
    SetCompleted(SetSummary),
    /// Something worth knowing about the input.
    Warning(Warning),
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
