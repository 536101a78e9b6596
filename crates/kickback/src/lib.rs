//! # kickback
//!
//! Counts cable glute kickback reps from an ankle IMU and flags the faults
//! that matter: **momentum** swinging, **lumbar overextension** and
//! **partial range**.
//!
//! The engine is one online [`Analyzer`]: push samples one at a time (or in
//! slices) and read [`Event`]s as they happen. A [`Session`] holds an
//! analyzer together with the report ([`Analysis`]) its events build and,
//! for plots, a sink for the elevation trace: it hands out the events and
//! the report from one object. Whole-file analysis ([`analyze`], and
//! [`try_analyze`] for a reader that can fail) is a session fed from an
//! iterator, so live and batch results are identical by construction. Time
//! is O(n) and memory is bounded whatever the length of the trace.
//!
//! ```
//! use kickback::{analyze, Sample, Settings};
//!
//! // Ten seconds of a leg hanging still: no reps, no faults.
//! let samples = (0..1000).map(|i| Sample::new(i as f64 * 0.01, [0.0, 0.0, 9.81], Some([0.0; 3])));
//! let analysis = analyze(samples, &Settings::default()).unwrap();
//! assert_eq!(analysis.rep_count, 0);
//! assert!((analysis.sample_rate_hz - 100.0).abs() < 1e-6);
//! ```
//!
//! The engine does no I/O, prints nothing and never panics on data: bad
//! samples (NaN, time going backwards) become [`Warning`]s.

#![warn(missing_docs)]

/// Tuning traces on stderr, compiled in only with the `debug-log` feature
/// (never in normal builds: the engine prints nothing).
macro_rules! debug_log {
    ($($arg:tt)*) => {
        #[cfg(feature = "debug-log")]
        eprintln!($($arg)*);
    };
}

mod analyzer;
pub mod coaching;
mod event;
mod faults;
mod filter;
mod leg;
mod orientation;
mod pipeline;
mod report;
mod sample;
mod session;
pub mod settings;
mod stages;

pub use analyzer::{Analyzer, Error};
pub use event::{DiscardReason, Event};
pub use report::{
    Analysis, Fault, FaultCounts, MomentumEvidence, Rep, SetSummary, StreamStats,
    UnknownWarningKind, Walk, Warning, WarningKind,
};
pub use sample::{Sample, STANDARD_GRAVITY};
pub use session::{
    analyze, try_analyze, Events, NoTrace, Session, TracePoint, TraceSink, TryAnalyzeError,
};
pub use settings::{
    InputSettings, LumbarSettings, MomentumSettings, PartialSettings, RepSettings, SetSettings,
    Settings, SettingsError,
};

/// The README's Rust code blocks, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
