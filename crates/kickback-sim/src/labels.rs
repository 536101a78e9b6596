//! Labels of real recordings: the truth layout anyone can write for their
//! own recordings, and how a detector's reps are scored against it.
//!
//! A `<name>.truth.json` beside a recording holds at least `rep_count`.
//! Everything else is optional:
//!
//! | field | meaning |
//! | --- | --- |
//! | `rep_count` | reps in the recording (0 for walking, stairs, cycling, still legs) |
//! | `reps[]` | `start_s`, `end_s` of each rep (s from the first sample), where known |
//! | `segments[]` | `start_s`, `end_s`, `activity` of labelled stretches |
//! | `activity` | what the whole recording is (negatives) |
//! | `exercise`, `execution_type` | what was exercised and how (positives) |
//! | `duration_s` | length of the recording, s |
//!
//! A recording with `rep_count` 0 is a *negative*: every rep found in it is
//! a false rep, attributed to the labelled activity at the rep's peak and
//! counted per hour of that activity.
//!
//! ```
//! use kickback_sim::labels::Labels;
//! let l = Labels::from_json(r#"{"rep_count": 0, "activity": "walking", "duration_s": 3600}"#).unwrap();
//! assert!(l.is_negative());
//! assert_eq!(l.group(), "walking");
//! assert_eq!(l.activity_hours().get("walking"), Some(&1.0));
//! ```

use crate::Truth;
use kickback::Rep;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A labelled stretch of a recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Start, s from the first sample.
    pub start_s: f64,
    /// End, s from the first sample.
    pub end_s: f64,
    /// What was done.
    pub activity: String,
}

/// One labelled rep.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LabelledRep {
    /// Start, s from the first sample.
    pub start_s: f64,
    /// End, s from the first sample.
    pub end_s: f64,
}

/// The labels of one recording (see the module docs for the layout).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Labels {
    /// Reps in the recording.
    pub rep_count: usize,
    /// Where each rep is, if known.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub reps: Vec<LabelledRep>,
    /// Labelled stretches, if any.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub segments: Vec<Segment>,
    /// What the whole recording is.
    #[serde(default)]
    pub activity: Option<String>,
    /// What was exercised (a number or a name).
    #[serde(default)]
    pub exercise: Option<serde_json::Value>,
    /// How (correct, fast, low amplitude, ...).
    #[serde(default)]
    pub execution_type: Option<String>,
    /// Length, s.
    #[serde(default)]
    pub duration_s: Option<f64>,
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

impl Labels {
    /// Parses a truth file: the simulator's (which has `scenario`) or the
    /// labelled layout above.
    ///
    /// ```
    /// use kickback_sim::labels::Labels;
    /// let l = Labels::from_json(r#"{"rep_count": 10, "exercise": 5, "execution_type": "fast",
    ///     "reps": [{"start_s": 1.0, "end_s": 3.0}]}"#).unwrap();
    /// assert_eq!(l.group(), "exercise 5 / fast");
    /// assert!(Labels::from_json(r#"{"reps": []}"#).is_err()); // rep_count is required
    /// ```
    pub fn from_json(text: &str) -> Result<Labels, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The labels a simulated recording's truth implies.
    pub fn of_simulated(truth: &Truth) -> Labels {
        Labels {
            rep_count: truth.reps.len(),
            reps: truth
                .reps
                .iter()
                .map(|r| LabelledRep {
                    start_s: r.start_s,
                    end_s: r.end_s,
                })
                .collect(),
            segments: Vec::new(),
            activity: None,
            exercise: Some(serde_json::Value::String(truth.scenario.clone())),
            execution_type: None,
            duration_s: None,
        }
    }

    /// No reps: everything found is a false rep.
    pub fn is_negative(&self) -> bool {
        self.rep_count == 0
    }

    /// The group the recording is reported in: its activity (negatives), or
    /// its exercise and execution type.
    pub fn group(&self) -> String {
        if let Some(a) = &self.activity {
            return a.clone();
        }
        let ex = match &self.exercise {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => format!("exercise {n}"),
            _ if self.is_negative() => "negative".to_string(),
            _ => "positive".to_string(),
        };
        match &self.execution_type {
            Some(t) => format!("{ex} / {t}"),
            None => ex,
        }
    }

    /// The activity at time `t`: the segment holding it, else the
    /// recording's activity, else its group.
    pub fn activity_at(&self, t: f64) -> String {
        self.segments
            .iter()
            .find(|s| s.start_s <= t && t <= s.end_s)
            .map(|s| s.activity.clone())
            .unwrap_or_else(|| self.group())
    }

    /// Hours of each activity: the segments' lengths, or the whole
    /// duration under the recording's group when there are none.
    pub fn activity_hours(&self) -> BTreeMap<String, f64> {
        let mut h = BTreeMap::new();
        if self.segments.is_empty() {
            if let Some(d) = self.duration_s {
                h.insert(self.group(), d / 3600.0);
            }
        }
        for s in &self.segments {
            *h.entry(s.activity.clone()).or_insert(0.0) += (s.end_s - s.start_s).max(0.0) / 3600.0;
        }
        h
    }

    /// Scores the reps a detector found.
    ///
    /// ```
    /// use kickback_sim::labels::Labels;
    /// let l = Labels::from_json(r#"{"rep_count": 0, "activity": "cycling", "duration_s": 1800}"#).unwrap();
    /// let s = l.score("ride", &[]);
    /// assert_eq!(s.count_error, 0);
    /// assert!(s.false_reps.is_empty());
    /// ```
    pub fn score(&self, name: &str, detected: &[Rep]) -> LabelledScore {
        let mut false_reps: BTreeMap<String, usize> = BTreeMap::new();
        let mut matched = None;
        if self.is_negative() {
            for r in detected {
                *false_reps.entry(self.activity_at(r.peak_s)).or_insert(0) += 1;
            }
        } else if !self.reps.is_empty() {
            // One-to-one, greedy in time: a detected rep matches the
            // earliest unmatched labelled rep that holds its peak.
            let mut used = vec![false; self.reps.len()];
            let mut peaks: Vec<f64> = detected.iter().map(|r| r.peak_s).collect();
            peaks.sort_by(f64::total_cmp);
            let mut m = 0;
            for p in peaks {
                if let Some(i) = (0..self.reps.len())
                    .find(|&i| !used[i] && self.reps[i].start_s <= p && p <= self.reps[i].end_s)
                {
                    used[i] = true;
                    m += 1;
                }
            }
            matched = Some(m);
        }
        LabelledScore {
            name: name.to_string(),
            group: self.group(),
            negative: self.is_negative(),
            true_reps: self.rep_count,
            detected_reps: detected.len(),
            count_error: detected.len() as i64 - self.rep_count as i64,
            matched,
            hours: if self.is_negative() {
                self.activity_hours()
            } else {
                BTreeMap::new()
            },
            false_reps,
        }
    }
}

/// How a detector did on one labelled recording.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LabelledScore {
    /// Recording name.
    pub name: String,
    /// [`Labels::group`].
    pub group: String,
    /// Whether the recording has no reps.
    pub negative: bool,
    /// Labelled reps.
    pub true_reps: usize,
    /// Reps found.
    pub detected_reps: usize,
    /// Found − labelled.
    pub count_error: i64,
    /// Found reps whose peak lies in a labelled rep (when reps are labelled).
    pub matched: Option<usize>,
    /// Negatives: hours of each activity.
    pub hours: BTreeMap<String, f64>,
    /// Negatives: false reps in each activity.
    pub false_reps: BTreeMap<String, usize>,
}

/// Figures over many labelled recordings.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[non_exhaustive]
pub struct LabelledSummary {
    /// Positives per group: (exact counts, within ±1, recordings).
    pub exact_by_group: BTreeMap<String, (usize, usize, usize)>,
    /// Negatives per activity: (false reps, hours).
    pub false_reps_by_activity: BTreeMap<String, (usize, f64)>,
}

impl LabelledSummary {
    /// Sums per-recording scores.
    ///
    /// ```
    /// use kickback_sim::labels::{Labels, LabelledSummary};
    /// let l = Labels::from_json(r#"{"rep_count": 0, "activity": "walking", "duration_s": 7200}"#).unwrap();
    /// let s = LabelledSummary::of(&[l.score("a", &[])]);
    /// assert_eq!(s.false_reps_per_hour(), Some(0.0));
    /// ```
    pub fn of(scores: &[LabelledScore]) -> LabelledSummary {
        let mut s = LabelledSummary::default();
        for r in scores {
            if r.negative {
                for (a, h) in &r.hours {
                    s.false_reps_by_activity.entry(a.clone()).or_default().1 += h;
                }
                for (a, n) in &r.false_reps {
                    s.false_reps_by_activity.entry(a.clone()).or_default().0 += n;
                }
            } else {
                let e = s.exact_by_group.entry(r.group.clone()).or_default();
                e.0 += (r.count_error == 0) as usize;
                e.1 += (r.count_error.abs() <= 1) as usize;
                e.2 += 1;
            }
        }
        s
    }

    /// All false reps over all negative hours; `None` without negatives.
    pub fn false_reps_per_hour(&self) -> Option<f64> {
        let (n, h) = self
            .false_reps_by_activity
            .values()
            .fold((0usize, 0.0), |(n, h), (a, b)| (n + a, h + b));
        (h > 0.0).then(|| n as f64 / h)
    }

    /// Positives with the exact count, and how many there are.
    pub fn exact(&self) -> (usize, usize) {
        self.exact_by_group
            .values()
            .fold((0, 0), |(a, n), (e, _, m)| (a + e, n + m))
    }
}

impl std::fmt::Display for LabelledSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.false_reps_by_activity.is_empty() {
            writeln!(
                f,
                "{:<34} {:>8} {:>11} {:>12}",
                "negatives: activity", "hours", "false reps", "per hour"
            )?;
            for (a, (n, h)) in &self.false_reps_by_activity {
                let per = if *h > 0.0 {
                    format!("{:.1}", *n as f64 / h)
                } else {
                    "—".into()
                };
                writeln!(f, "{a:<34} {h:>8.2} {n:>11} {per:>12}")?;
            }
            if let Some(p) = self.false_reps_per_hour() {
                writeln!(
                    f,
                    "{:<34} {:>8} {:>11} {:>12.1}",
                    "all negatives", "", "", p
                )?;
            }
        }
        if !self.exact_by_group.is_empty() {
            writeln!(
                f,
                "{:<34} {:>8} {:>11} {:>12}",
                "positives: group", "recs", "exact", "within ±1"
            )?;
            for (g, (e, w, n)) in &self.exact_by_group {
                writeln!(f, "{g:<34} {n:>8} {e:>11} {w:>12}")?;
            }
            let (e, n) = self.exact();
            writeln!(f, "{:<34} {n:>8} {e:>11}", "all positives")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(peak_s: f64) -> Rep {
        let mut r: Rep = serde_json::from_value(serde_json::json!({
            "index": 1, "set": 1, "start_s": peak_s - 1.0, "peak_s": peak_s, "end_s": peak_s + 1.0,
            "range_deg": 40.0, "peak_elevation_deg": 40.0, "concentric_s": 1.0, "hold_s": 0.0,
            "eccentric_s": 1.0, "peak_velocity_dps": 80.0, "peak_eccentric_velocity_dps": 60.0,
            "windup_deg": 0.0, "faults": [],
            "momentum": {"fast_concentric": false, "high_peak_velocity": false, "no_hold": false,
                          "windup": false, "fast_drop": false, "score": 0.0}
        }))
        .expect("a rep");
        r.peak_s = peak_s;
        r
    }

    #[test]
    fn false_reps_go_to_the_segment_of_their_peak() {
        let l = Labels::from_json(
            r#"{"rep_count": 0, "segments": [
                {"start_s": 0, "end_s": 1800, "activity": "walk"},
                {"start_s": 1800, "end_s": 3600, "activity": "stairs"}]}"#,
        )
        .unwrap();
        let s = l.score("x", &[rep(10.0), rep(2000.0), rep(3000.0)]);
        assert_eq!(s.false_reps.get("walk"), Some(&1));
        assert_eq!(s.false_reps.get("stairs"), Some(&2));
        let sum = LabelledSummary::of(&[s]);
        assert_eq!(sum.false_reps_by_activity["stairs"], (2, 0.5));
        assert!((sum.false_reps_per_hour().unwrap() - 3.0).abs() < 1e-9);
    }

    #[test]
    fn positives_count_exact_and_match_peaks() {
        let l = Labels::from_json(
            r#"{"rep_count": 2, "exercise": 5, "execution_type": "correct",
                "reps": [{"start_s": 0, "end_s": 5}, {"start_s": 5, "end_s": 10}]}"#,
        )
        .unwrap();
        let table = [
            (vec![2.0, 7.0], 0, Some(2)),
            (vec![2.0], -1, Some(1)),
            (vec![2.0, 3.0, 7.0], 1, Some(2)),
            (vec![20.0], -1, Some(0)),
        ];
        for (peaks, err, matched) in table {
            let reps: Vec<Rep> = peaks.iter().map(|&p| rep(p)).collect();
            let s = l.score("x", &reps);
            assert_eq!((s.count_error, s.matched), (err, matched), "{peaks:?}");
        }
        let sum = LabelledSummary::of(&[l.score("a", &[rep(2.0), rep(7.0)]), l.score("b", &[])]);
        assert_eq!(sum.exact_by_group["exercise 5 / correct"], (1, 1, 2));
        assert_eq!(sum.exact(), (1, 2));
    }

    #[test]
    fn null_lists_and_missing_fields_are_empty() {
        let l = Labels::from_json(r#"{"rep_count": 3, "reps": null, "segments": null}"#).unwrap();
        assert!(l.reps.is_empty() && l.segments.is_empty());
        assert_eq!(l.group(), "positive");
        assert_eq!(l.score("x", &[]).matched, None);
    }
}
