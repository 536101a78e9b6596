//! What the analyzer reports: reps, sets, faults, warnings, and the whole-recording summary.
//!
//! Every type here is serializable with serde; the JSON written by
//! `kickback analyze --format json` is [`Analysis`] flattened beside the
//! reader's `source` and `units`.

use serde::{Deserialize, Serialize};

/// A form fault found on a rep.
///
/// ```
/// use kickback::Fault;
/// assert_eq!(Fault::LumbarOverextension.as_str(), "lumbar_overextension");
/// assert_eq!(serde_json::to_string(&Fault::Momentum).unwrap(), "\"momentum\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Fault {
    /// The leg was thrown, not driven: fast concentric, high peak velocity, no
    /// squeeze at the top, wind-up or a fast drop (see [`crate::Settings`]).
    Momentum,
    /// The leg went higher than the hip can extend (torso hinge + hip
    /// extension limit), so the lower back arched to get there.
    LumbarOverextension,
    /// The rep's range was well short of the set's usual range.
    PartialRange,
}

impl Fault {
    /// Every fault, in report order.
    pub const ALL: [Fault; 3] = [
        Fault::Momentum,
        Fault::LumbarOverextension,
        Fault::PartialRange,
    ];

    /// The stable snake_case name used in JSON, CSV and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Momentum => "momentum",
            Fault::LumbarOverextension => "lumbar_overextension",
            Fault::PartialRange => "partial_range",
        }
    }

    /// A short phrase for people ("momentum swing").
    pub fn describe(self) -> &'static str {
        match self {
            Fault::Momentum => "momentum swing",
            Fault::LumbarOverextension => "lower back arched",
            Fault::PartialRange => "partial range",
        }
    }

    /// Parses the snake_case name (also accepts `-` for `_`).
    pub fn parse(name: &str) -> Option<Fault> {
        let n = name.trim().to_ascii_lowercase().replace('-', "_");
        Fault::ALL.into_iter().find(|f| f.as_str() == n)
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The evidence behind the momentum decision, kept so users can see why a rep
/// was flagged.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MomentumEvidence {
    /// Concentric shorter than `momentum.max_concentric_s`.
    pub fast_concentric: bool,
    /// Peak angular velocity above `momentum.peak_velocity_dps`.
    pub high_peak_velocity: bool,
    /// Hold at the top shorter than `momentum.min_hold_s`.
    pub no_hold: bool,
    /// A forward swing before the kick deeper than `momentum.windup_deg`.
    pub windup: bool,
    /// Eccentric faster than the concentric, or shorter than `momentum.min_eccentric_s`.
    pub fast_drop: bool,
    /// Weighted score the decision was made on (flag at ≥ 1.0).
    pub score: f64,
}

/// One repetition, measured.
///
/// Times are seconds from the recording's first sample; angles are degrees of
/// leg elevation from the hanging rest pose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rep {
    /// The `id` of the [`crate::Event::RepStarted`] that announced it
    /// (unique within the analyzer; 0 in reports written before ids).
    #[serde(default)]
    pub id: u64,
    /// 1-based rep number in the recording.
    pub index: usize,
    /// 1-based set number.
    pub set: usize,
    /// When the leg left the bottom.
    pub start_s: f64,
    /// When the leg was highest.
    pub peak_s: f64,
    /// When the leg was back at the bottom.
    pub end_s: f64,
    /// Peak elevation minus the elevation at the start, degrees.
    pub range_deg: f64,
    /// Peak elevation above the rest pose, degrees.
    pub peak_elevation_deg: f64,
    /// Time rising, from the start to the top hold, s.
    pub concentric_s: f64,
    /// Time held near the top (within the hold band of the peak), s.
    pub hold_s: f64,
    /// Time lowering, from the end of the hold to the end, s.
    pub eccentric_s: f64,
    /// Largest angular velocity while rising, degrees per second.
    pub peak_velocity_dps: f64,
    /// Largest angular velocity while lowering, degrees per second.
    pub peak_eccentric_velocity_dps: f64,
    /// Deepest forward swing (below the rest pose) just before the kick, degrees (≥ 0).
    pub windup_deg: f64,
    /// Faults found, in [`Fault::ALL`] order.
    pub faults: Vec<Fault>,
    /// Why momentum was or was not flagged.
    pub momentum: MomentumEvidence,
}

impl Rep {
    /// True if the rep carries `fault`.
    pub fn has(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
    }
}

/// A set: reps grouped by the rests between them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SetSummary {
    /// 1-based set number.
    pub index: usize,
    /// Start of the set's first rep, s.
    pub start_s: f64,
    /// End of the set's last rep, s.
    pub end_s: f64,
    /// Reps in the set.
    pub rep_count: usize,
    /// Median range of the set's reps, degrees.
    pub median_range_deg: f64,
}

/// Something the user should know about the recording that did not stop the analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Warning {
    /// Stable machine-readable kind: `gap`, `no_gyroscope`, `invalid_sample`,
    /// `time_backwards`, `duplicate_time`, `saturation`, `short_recording`, `no_rest`.
    pub kind: String,
    /// When it happened (s from the first sample), if it has a time.
    pub t_s: Option<f64>,
    /// What happened and what it means, in words.
    pub message: String,
}

impl Warning {
    pub(crate) fn new(kind: &str, t_s: Option<f64>, message: String) -> Self {
        Warning {
            kind: kind.to_string(),
            t_s,
            message,
        }
    }
}

/// Fault counts over a recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FaultCounts {
    /// Reps flagged `momentum`.
    pub momentum: usize,
    /// Reps flagged `lumbar_overextension`.
    pub lumbar_overextension: usize,
    /// Reps flagged `partial_range`.
    pub partial_range: usize,
}

impl FaultCounts {
    /// Count of reps with `fault`.
    pub fn get(&self, fault: Fault) -> usize {
        match fault {
            Fault::Momentum => self.momentum,
            Fault::LumbarOverextension => self.lumbar_overextension,
            Fault::PartialRange => self.partial_range,
        }
    }

    /// Adds the faults of one rep.
    pub fn add(&mut self, rep: &Rep) {
        for f in &rep.faults {
            match f {
                Fault::Momentum => self.momentum += 1,
                Fault::LumbarOverextension => self.lumbar_overextension += 1,
                Fault::PartialRange => self.partial_range += 1,
            }
        }
    }
}

/// The analysis of one recording: what `analyze` prints.
///
/// Built from the analyzer's events by [`Analysis::from_events`]; whole-file
/// analysis ([`crate::analyze`]) and live analysis therefore agree by
/// construction.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Analysis {
    /// Median input sample rate, Hz.
    pub sample_rate_hz: f64,
    /// Time from the first to the last sample, s.
    pub duration_s: f64,
    /// Number of reps found.
    pub rep_count: usize,
    /// The sets, in order.
    pub sets: Vec<SetSummary>,
    /// Every rep, in order.
    pub reps: Vec<Rep>,
    /// Fault counts.
    pub summary: FaultCounts,
    /// Warnings, in order.
    pub warnings: Vec<Warning>,
    /// Whether a gyroscope was used (`false`: accelerometer-only, lower precision).
    pub gyroscope: bool,
}

impl Analysis {
    /// Collects the events of one analyzer run into a report.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a crate::Event>) -> Analysis {
        let mut a = Analysis::default();
        for e in events {
            a.observe(e);
        }
        a
    }

    /// Adds one event to the report.
    pub fn observe(&mut self, event: &crate::Event) {
        use crate::Event;
        match event {
            Event::RepStarted { .. } | Event::RepDiscarded { .. } | Event::Elevation { .. } => {}
            Event::RepCompleted(rep) => {
                self.summary.add(rep);
                self.reps.push(rep.clone());
                self.rep_count = self.reps.len();
            }
            Event::SetCompleted(set) => self.sets.push(set.clone()),
            Event::Warning(w) => self.warnings.push(w.clone()),
            Event::Finished(stats) => {
                self.sample_rate_hz = stats.sample_rate_hz;
                self.duration_s = stats.duration_s;
                self.gyroscope = stats.gyroscope;
            }
        }
    }
}

/// Whole-stream figures, known once the stream is finished.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StreamStats {
    /// Median input sample rate, Hz.
    pub sample_rate_hz: f64,
    /// Time from the first to the last sample, s.
    pub duration_s: f64,
    /// Samples accepted.
    pub samples: u64,
    /// Whether a gyroscope was used.
    pub gyroscope: bool,
}
