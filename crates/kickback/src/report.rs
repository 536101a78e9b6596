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
    ///
    /// ```
    /// use kickback::Fault;
    /// assert_eq!(Fault::parse("Partial-Range"), Some(Fault::PartialRange));
    /// assert_eq!(Fault::parse("lumbar"), None);
    /// ```
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
///
/// ```
/// let mut rep = kickback::Rep::new(1, 1, 0.0, 0.5, 1.0);
/// rep.momentum.no_hold = true;
/// rep.momentum.score = 0.5;
/// assert!(rep.momentum.no_hold && rep.momentum.score < 1.0);
/// ```
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
///
/// ```
/// use kickback::{Fault, Rep};
/// let mut rep = Rep::new(1, 1, 10.0, 11.2, 13.5);
/// rep.range_deg = 55.0;
/// rep.faults.push(Fault::PartialRange);
/// assert!(rep.has(Fault::PartialRange));
/// assert_eq!(rep.hold_s, 0.0);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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
    /// The rise above the rest pose, degrees: peak elevation minus the
    /// elevation the rep rose from, where a start below the rest pose (a
    /// wind-up, or the forward overshoot of the rep before) counts as the
    /// rest pose. At most the peak elevation unless the rep started above
    /// rest (not fully back down); the swing in front is `windup_deg`.
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
    /// A rep numbered `index` in set `set`, from `start_s` through its peak at
    /// `peak_s` to `end_s`; every other measure zero, no faults. Set the
    /// public fields for the rest.
    pub fn new(index: usize, set: usize, start_s: f64, peak_s: f64, end_s: f64) -> Rep {
        Rep {
            index,
            set,
            start_s,
            peak_s,
            end_s,
            ..Rep::default()
        }
    }

    /// True if the rep carries `fault`.
    pub fn has(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
    }
}

/// Walking recognised: strides (or stairs) one after another, from the
/// start of the first to the end of the last. None of it is counted as
/// reps; a step's rise is reported as [`crate::Event::RepDiscarded`] with
/// reason `gait`.
///
/// ```
/// let w = kickback::Walk::new(31.1, 74.1, 40);
/// assert_eq!(w.steps, 40);
/// assert!((w.end_s - w.start_s - 43.0).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Walk {
    /// Start of the first step, s from the first sample.
    pub start_s: f64,
    /// End of the last step, s from the first sample.
    pub end_s: f64,
    /// Steps of the instrumented leg recognised (strides of that leg).
    pub steps: u32,
}

impl Walk {
    /// Walking from `start_s` to `end_s` (s from the first sample), `steps`
    /// steps of the instrumented leg.
    pub fn new(start_s: f64, end_s: f64, steps: u32) -> Self {
        Walk {
            start_s,
            end_s,
            steps,
        }
    }
}

/// A set: reps grouped by the rests between them.
///
/// ```
/// let set = kickback::SetSummary::new(1, 10.0, 41.6, 7, 57.1);
/// assert_eq!(set.rep_count, 7);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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

/// What a [`Warning`] is about. Serialised (JSON, CSV) as its snake_case
/// name, e.g. `"gap"`; compares equal to that name.
///
/// ```
/// use kickback::WarningKind;
/// assert_eq!(WarningKind::Gap.as_str(), "gap");
/// assert_eq!(serde_json::to_string(&WarningKind::NoRest).unwrap(), "\"no_rest\"");
/// assert_eq!("time_backwards".parse::<WarningKind>(), Ok(WarningKind::TimeBackwards));
/// assert!(WarningKind::NoGyroscope == "no_gyroscope");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningKind {
    /// No samples for a while (longer than `input.gap_warn_s`).
    Gap,
    /// No gyroscope: accelerometer-only analysis, lower precision.
    NoGyroscope,
    /// A sample with a NaN or infinite value was dropped.
    InvalidSample,
    /// Time went backwards; the sample was dropped.
    TimeBackwards,
    /// Two samples with the same time; the second was dropped.
    DuplicateTime,
    /// The recording is too short to analyse well.
    ShortRecording,
    /// The leg never rested still, so the rest pose is a guess.
    NoRest,
    /// The gyroscope stopped sending for a while.
    GyroscopeDropout,
    /// Something the file reader noticed (added by `kickback-formats` users
    /// such as the CLI, never by the engine).
    Input,
}

impl WarningKind {
    /// Every kind, in declaration order.
    pub const ALL: [WarningKind; 9] = [
        WarningKind::Gap,
        WarningKind::NoGyroscope,
        WarningKind::InvalidSample,
        WarningKind::TimeBackwards,
        WarningKind::DuplicateTime,
        WarningKind::ShortRecording,
        WarningKind::NoRest,
        WarningKind::GyroscopeDropout,
        WarningKind::Input,
    ];

    /// The stable snake_case name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::Gap => "gap",
            WarningKind::NoGyroscope => "no_gyroscope",
            WarningKind::InvalidSample => "invalid_sample",
            WarningKind::TimeBackwards => "time_backwards",
            WarningKind::DuplicateTime => "duplicate_time",
            WarningKind::ShortRecording => "short_recording",
            WarningKind::NoRest => "no_rest",
            WarningKind::GyroscopeDropout => "gyroscope_dropout",
            WarningKind::Input => "input",
        }
    }
}

impl std::fmt::Display for WarningKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a [`WarningKind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown warning kind `{0}`")]
pub struct UnknownWarningKind(pub String);

impl std::str::FromStr for WarningKind {
    type Err = UnknownWarningKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WarningKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownWarningKind(s.to_string()))
    }
}

impl PartialEq<str> for WarningKind {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for WarningKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Something the user should know about the recording that did not stop the analysis.
///
/// ```
/// use kickback::{Warning, WarningKind};
/// let w = Warning::new(WarningKind::Gap, Some(63.2), "no samples for 0.31 s");
/// assert_eq!(w.kind, WarningKind::Gap);
/// assert_eq!(
///     serde_json::to_string(&w).unwrap(),
///     r#"{"kind":"gap","t_s":63.2,"message":"no samples for 0.31 s"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// When it happened (s from the first sample), if it has a time.
    pub t_s: Option<f64>,
    /// What happened and what it means, in words.
    pub message: String,
}

impl Warning {
    /// A warning of `kind` at `t_s` (s from the first sample, or `None`).
    pub fn new(kind: WarningKind, t_s: Option<f64>, message: impl Into<String>) -> Self {
        Warning {
            kind,
            t_s,
            message: message.into(),
        }
    }
}

impl SetSummary {
    /// Set `index` from `start_s` to `end_s` with `rep_count` reps of median
    /// range `median_range_deg`.
    pub fn new(
        index: usize,
        start_s: f64,
        end_s: f64,
        rep_count: usize,
        median_range_deg: f64,
    ) -> SetSummary {
        SetSummary {
            index,
            start_s,
            end_s,
            rep_count,
            median_range_deg,
        }
    }
}

/// Fault counts over a recording.
///
/// ```
/// use kickback::{Fault, FaultCounts, Rep};
/// let mut rep = Rep::new(1, 1, 0.0, 1.0, 2.0);
/// rep.faults = vec![Fault::Momentum, Fault::PartialRange];
/// let mut counts = FaultCounts::default();
/// counts.add(&rep);
/// assert_eq!((counts.get(Fault::Momentum), counts.lumbar_overextension), (1, 0));
/// ```
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
            *self.count_mut(*f) += 1;
        }
    }

    /// Takes back the faults of one rep added before (a rep taken back,
    /// see [`crate::DiscardReason::Lone`]).
    ///
    /// ```
    /// use kickback::{Fault, FaultCounts, Rep};
    /// let mut rep = Rep::new(1, 1, 0.0, 1.0, 2.0);
    /// rep.faults = vec![Fault::Momentum];
    /// let mut counts = FaultCounts::default();
    /// counts.add(&rep);
    /// counts.remove(&rep);
    /// assert_eq!(counts, FaultCounts::default());
    /// ```
    pub fn remove(&mut self, rep: &Rep) {
        for f in &rep.faults {
            let n = self.count_mut(*f);
            *n = n.saturating_sub(1);
        }
    }

    fn count_mut(&mut self, fault: Fault) -> &mut usize {
        match fault {
            Fault::Momentum => &mut self.momentum,
            Fault::LumbarOverextension => &mut self.lumbar_overextension,
            Fault::PartialRange => &mut self.partial_range,
        }
    }
}

/// The analysis of one recording: what `analyze` prints.
///
/// ```
/// use kickback::{Analysis, Event, Rep, StreamStats};
/// let events = [
///     Event::RepCompleted(Rep::new(1, 1, 1.0, 2.0, 3.0)),
///     Event::Finished(StreamStats::default()),
/// ];
/// let a = Analysis::from_events(&events);
/// assert_eq!(a.rep_count, 1);
/// ```
///
/// Built from the analyzer's events by [`Analysis::from_events`]; whole-file
/// analysis ([`crate::analyze`]) and live analysis therefore agree by
/// construction.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Analysis {
    /// Input sample rate, Hz: the inverse of the mean interval between
    /// accepted samples, gaps (longer than `input.gap_warn_s`) left out.
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
    /// Walking recognised (not counted as reps), in order.
    #[serde(default)]
    pub walking: Vec<Walk>,
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
            Event::RepStarted { .. } | Event::Elevation { .. } => {}
            // A rep taken back (a lone one): the newest reps are searched,
            // as it is the last one reported.
            Event::RepDiscarded { id, .. } => {
                if let Some(i) = self.reps.iter().rposition(|r| r.id == *id) {
                    let rep = self.reps.remove(i);
                    self.summary.remove(&rep);
                    self.rep_count = self.reps.len();
                }
            }
            Event::RepCompleted(rep) => {
                self.summary.add(rep);
                self.reps.push(rep.clone());
                self.rep_count = self.reps.len();
            }
            Event::SetCompleted(set) => self.sets.push(set.clone()),
            Event::Warning(w) => self.warnings.push(w.clone()),
            Event::Walking(w) => self.walking.push(*w),
            Event::Finished(stats) => {
                self.sample_rate_hz = stats.sample_rate_hz;
                self.duration_s = stats.duration_s;
                self.gyroscope = stats.gyroscope;
            }
        }
    }
}

/// Whole-stream figures, known once the stream is finished: the
/// [`crate::Event::Finished`] event.
///
/// ```
/// use kickback::{analyze, Sample, Settings};
/// let samples = (0..500).map(|i| Sample::new(i as f64 * 0.02, [0.0, 0.0, 9.81], None));
/// let a = analyze(samples, &Settings::default()).unwrap();
/// assert!((a.sample_rate_hz - 50.0).abs() < 1e-6 && !a.gyroscope);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StreamStats {
    /// Input sample rate, Hz: the inverse of the mean interval between
    /// accepted samples, gaps (longer than `input.gap_warn_s`) left out.
    pub sample_rate_hz: f64,
    /// Time from the first to the last sample, s.
    pub duration_s: f64,
    /// Samples accepted.
    pub samples: u64,
    /// Whether a gyroscope was used.
    pub gyroscope: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_kinds_round_trip_through_their_names_and_json() {
        for k in WarningKind::ALL {
            assert_eq!(k.as_str().parse::<WarningKind>(), Ok(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(serde_json::from_str::<WarningKind>(&json).unwrap(), k);
            assert_eq!(k.to_string(), k.as_str());
        }
        assert!("saturation".parse::<WarningKind>().is_err());
        assert!(serde_json::from_str::<WarningKind>("\"saturation\"").is_err());
    }
}
