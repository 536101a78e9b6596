//! Scoring the analyzer against the simulator's truth.
//!
//! A detected rep *matches* a true rep when its `peak_s` falls inside the
//! true rep's `[start_s, end_s]`; matching is one-to-one and greedy in time
//! (detected reps in order of `peak_s`, each taking the earliest unmatched
//! true rep that contains its peak). Faults are scored over matched pairs;
//! an unmatched detected rep with a fault is a false positive for it, an
//! unmatched true rep with a fault a false negative.
//!
//! ```
//! use kickback_sim::{eval, generate, Scenario};
//! let rec = generate(Scenario::Clean, 1);
//! let score = eval::score(&rec.truth, &[]); // an analyzer that finds nothing
//! assert_eq!(score.detected_reps, 0);
//! assert_eq!(score.count_error, -(rec.truth.reps.len() as i64));
//! let report = eval::EvalReport::from_scores(vec![score], vec![]);
//! assert_eq!(report.overall.rep_recall, Some(0.0));
//! println!("{report}");
//! ```

use crate::labels::{LabelledScore, LabelledSummary, Labels};
use crate::{SimError, Truth};
use kickback::{Fault, Rep};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// True/false positives and false negatives of one fault.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// Flagged and true.
    pub tp: usize,
    /// Flagged, not true (or flagged on an unmatched detection).
    pub fp: usize,
    /// True, not flagged (or on a missed rep).
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Confusion {
    fn add(&mut self, o: &Confusion) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
    /// tp / (tp + fp); `None` when nothing was flagged.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn); `None` when nothing was true.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Harmonic mean of precision and recall; `None` if either is.
    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        Some(if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        })
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// The score of one recording.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RecordingScore {
    /// Recording name (file stem).
    pub name: String,
    /// Concrete scenario.
    pub scenario: String,
    /// True reps.
    pub true_reps: usize,
    /// Detected reps.
    pub detected_reps: usize,
    /// Detected − true.
    pub count_error: i64,
    /// Matched pairs.
    pub matched: usize,
    /// Per fault, keyed by its snake_case name.
    pub faults: BTreeMap<String, Confusion>,
    /// Index pairs (true rep index, detected rep index), 1-based.
    pub pairs: Vec<(usize, usize)>,
}

/// Live latencies: how long after each rep's end its report came out, s,
/// with where the slowest was (for the latency tests and their printout).
///
/// ```
/// use kickback_sim::eval::Latencies;
/// let mut l = Latencies::default();
/// for (lag, at) in [(0.3, "a"), (0.5, "b"), (0.4, "c")] {
///     l.add(lag, || at.to_string());
/// }
/// assert_eq!(l.len(), 3);
/// assert_eq!(l.percentile(0.5), 0.4);
/// assert_eq!(l.worst(), (0.5, "b"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Latencies {
    lags: Vec<f64>,
    worst: Option<(f64, String)>,
}

impl Latencies {
    /// Adds one rep's latency; `at` names it, called only if it is the
    /// slowest so far.
    pub fn add(&mut self, lag: f64, at: impl FnOnce() -> String) {
        if !self.worst.as_ref().is_some_and(|(w, _)| lag <= *w) {
            self.worst = Some((lag, at()));
        }
        self.lags.push(lag);
    }

    /// How many reps.
    pub fn len(&self) -> usize {
        self.lags.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.lags.is_empty()
    }

    /// How many came out within `s` seconds.
    pub fn within(&self, s: f64) -> usize {
        self.lags.iter().filter(|l| **l <= s).count()
    }

    /// The `p` quantile (0–1, nearest rank), s; 0 with none.
    pub fn percentile(&self, p: f64) -> f64 {
        let mut v = self.lags.clone();
        v.sort_by(f64::total_cmp);
        v.get(((v.len().max(1) - 1) as f64 * p.clamp(0.0, 1.0)).round() as usize)
            .copied()
            .unwrap_or(0.0)
    }

    /// The slowest, s, and where it was ("" with none).
    pub fn worst(&self) -> (f64, &str) {
        self.worst
            .as_ref()
            .map_or((0.0, ""), |(l, at)| (*l, at.as_str()))
    }

    /// "N reps: median …, 95th percentile …, max … (where)".
    pub fn summary(&self) -> String {
        let (w, at) = self.worst();
        format!(
            "{} reps: median {:.2} s, 95th percentile {:.2} s, max {:.2} s ({at})",
            self.len(),
            self.percentile(0.5),
            self.percentile(0.95),
            w
        )
    }
}

/// Scores one recording's detected reps against its truth.
pub fn score(truth: &Truth, detected: &[Rep]) -> RecordingScore {
    let mut order: Vec<usize> = (0..detected.len()).collect();
    order.sort_by(|&a, &b| detected[a].peak_s.total_cmp(&detected[b].peak_s));
    let mut true_used = vec![false; truth.reps.len()];
    let mut det_match: Vec<Option<usize>> = vec![None; detected.len()];
    for &d in &order {
        let p = detected[d].peak_s;
        if let Some(t) = (0..truth.reps.len())
            .find(|&t| !true_used[t] && truth.reps[t].start_s <= p && p <= truth.reps[t].end_s)
        {
            true_used[t] = true;
            det_match[d] = Some(t);
        }
    }
    let mut faults = BTreeMap::new();
    for f in Fault::ALL {
        let mut c = Confusion::default();
        for (d, m) in det_match.iter().enumerate() {
            let flagged = detected[d].has(f);
            match m {
                Some(t) => {
                    let truly = truth.reps[*t].has(f);
                    match (flagged, truly) {
                        (true, true) => c.tp += 1,
                        (true, false) => c.fp += 1,
                        (false, true) => c.fn_ += 1,
                        _ => {}
                    }
                }
                None if flagged => c.fp += 1,
                None => {}
            }
        }
        for (t, used) in true_used.iter().enumerate() {
            if !used && truth.reps[t].has(f) {
                c.fn_ += 1;
            }
        }
        faults.insert(f.as_str().to_string(), c);
    }
    let mut pairs: Vec<(usize, usize)> = det_match
        .iter()
        .enumerate()
        .filter_map(|(d, m)| m.map(|t| (truth.reps[t].index, detected[d].index)))
        .collect();
    pairs.sort();
    RecordingScore {
        name: format!("{}_{}", truth.scenario, truth.seed),
        scenario: truth.scenario.clone(),
        true_reps: truth.reps.len(),
        detected_reps: detected.len(),
        count_error: detected.len() as i64 - truth.reps.len() as i64,
        matched: pairs.len(),
        faults,
        pairs,
    }
}

/// Figures over a group of recordings.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[non_exhaustive]
pub struct Aggregate {
    /// Recordings scored.
    pub recordings: usize,
    /// Share of recordings with the exact rep count.
    pub exact_count_rate: Option<f64>,
    /// Share with the count within ±1.
    pub within_one_rate: Option<f64>,
    /// Mean |detected − true|.
    pub mean_abs_count_error: Option<f64>,
    /// True reps.
    pub true_reps: usize,
    /// Detected reps.
    pub detected_reps: usize,
    /// Matched pairs.
    pub matched_reps: usize,
    /// matched / detected.
    pub rep_precision: Option<f64>,
    /// matched / true.
    pub rep_recall: Option<f64>,
    /// Per fault: counts and precision / recall / F1.
    pub faults: BTreeMap<String, FaultStats>,
}

/// Counts and rates for one fault.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FaultStats {
    /// Summed counts.
    #[serde(flatten)]
    pub counts: Confusion,
    /// Precision.
    pub precision: Option<f64>,
    /// Recall.
    pub recall: Option<f64>,
    /// F1.
    pub f1: Option<f64>,
}

impl Aggregate {
    fn of<'a>(scores: impl IntoIterator<Item = &'a RecordingScore>) -> Aggregate {
        let mut a = Aggregate::default();
        let (mut exact, mut within, mut abs_err) = (0usize, 0usize, 0u64);
        let mut conf: BTreeMap<String, Confusion> = Fault::ALL
            .iter()
            .map(|f| (f.as_str().to_string(), Confusion::default()))
            .collect();
        for s in scores {
            a.recordings += 1;
            exact += (s.count_error == 0) as usize;
            within += (s.count_error.abs() <= 1) as usize;
            abs_err += s.count_error.unsigned_abs();
            a.true_reps += s.true_reps;
            a.detected_reps += s.detected_reps;
            a.matched_reps += s.matched;
            for (k, c) in &s.faults {
                conf.entry(k.clone()).or_default().add(c);
            }
        }
        a.exact_count_rate = ratio(exact, a.recordings);
        a.within_one_rate = ratio(within, a.recordings);
        a.mean_abs_count_error = (a.recordings > 0).then(|| abs_err as f64 / a.recordings as f64);
        a.rep_precision = ratio(a.matched_reps, a.detected_reps);
        a.rep_recall = ratio(a.matched_reps, a.true_reps);
        a.faults = conf
            .into_iter()
            .map(|(k, c)| {
                (
                    k,
                    FaultStats {
                        counts: c,
                        precision: c.precision(),
                        recall: c.recall(),
                        f1: c.f1(),
                    },
                )
            })
            .collect();
        a
    }
}

/// A recording that could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Recording name (truth file stem) or path.
    pub name: String,
    /// What went wrong.
    pub error: String,
}

/// The evaluation of a corpus. `Display` prints a table; `Serialize` gives
/// the same figures as JSON (`--json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EvalReport {
    /// Over every scored recording.
    pub overall: Aggregate,
    /// Per concrete scenario.
    pub by_scenario: BTreeMap<String, Aggregate>,
    /// Per recording, in name order.
    pub recordings: Vec<RecordingScore>,
    /// Recordings that could not be read or analysed.
    pub failures: Vec<Failure>,
}

impl EvalReport {
    /// Aggregates per-recording scores.
    pub fn from_scores(mut recordings: Vec<RecordingScore>, failures: Vec<Failure>) -> EvalReport {
        recordings.sort_by(|a, b| a.name.cmp(&b.name));
        let mut by: BTreeMap<String, Vec<&RecordingScore>> = BTreeMap::new();
        for r in &recordings {
            by.entry(r.scenario.clone()).or_default().push(r);
        }
        EvalReport {
            overall: Aggregate::of(&recordings),
            by_scenario: by.into_iter().map(|(k, v)| (k, Aggregate::of(v))).collect(),
            recordings,
            failures,
        }
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".to_string(), |v| format!("{:.1}%", 100.0 * v))
}

impl std::fmt::Display for EvalReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rows: Vec<(&str, &Aggregate)> = self
            .by_scenario
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        rows.push(("overall", &self.overall));
        writeln!(
            f,
            "{:<12} {:>5} {:>7} {:>7} {:>7} {:>6} {:>6} {:>7} {:>7}",
            "scenario", "recs", "exact", "±1", "MAE", "true", "found", "rep P", "rep R"
        )?;
        for (name, a) in &rows {
            writeln!(
                f,
                "{:<12} {:>5} {:>7} {:>7} {:>7} {:>6} {:>6} {:>7} {:>7}",
                name,
                a.recordings,
                pct(a.exact_count_rate),
                pct(a.within_one_rate),
                a.mean_abs_count_error
                    .map_or("—".into(), |v| format!("{v:.2}")),
                a.true_reps,
                a.detected_reps,
                pct(a.rep_precision),
                pct(a.rep_recall)
            )?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:<12} {:<21} {:>5} {:>5} {:>5} {:>7} {:>7} {:>7}",
            "scenario", "fault", "TP", "FP", "FN", "P", "R", "F1"
        )?;
        for (name, a) in &rows {
            for (fault, s) in &a.faults {
                writeln!(
                    f,
                    "{:<12} {:<21} {:>5} {:>5} {:>5} {:>7} {:>7} {:>7}",
                    name,
                    fault,
                    s.counts.tp,
                    s.counts.fp,
                    s.counts.fn_,
                    pct(s.precision),
                    pct(s.recall),
                    pct(s.f1)
                )?;
            }
        }
        write_failures(f, &self.failures)
    }
}

/// The recordings that could not be scored, after a report's tables.
fn write_failures(f: &mut std::fmt::Formatter<'_>, failures: &[Failure]) -> std::fmt::Result {
    if !failures.is_empty() {
        writeln!(f, "\n{} recording(s) failed:", failures.len())?;
        for x in failures {
            writeln!(f, "  {}: {}", x.name, x.error)?;
        }
    }
    Ok(())
}

/// Finds the recording that belongs to `<dir>/<name>.truth.json`: a file
/// `<name>.*` other than the truth file, or a folder `<name>/`.
fn find_recording(dir: &Path, name: &str, entries: &[PathBuf]) -> Option<PathBuf> {
    let folder = dir.join(name);
    let prefix = format!("{name}.");
    let mut files: Vec<&PathBuf> = entries
        .iter()
        .filter(|p| {
            let f = p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            f.starts_with(&prefix)
                && !f.ends_with(".truth.json")
                && !f.starts_with('.')
                && p.is_file()
        })
        .collect();
    files.sort();
    files
        .first()
        .map(|p| (*p).clone())
        .or_else(|| folder.is_dir().then_some(folder))
}

/// Scores every `*.truth.json` in `dir` with its recording, running
/// `analyze` on each recording (in parallel). A truth file that cannot be
/// parsed, a missing recording or an `analyze` error is listed as a failure.
/// Truth files in the labelled layout are left to
/// [`evaluate_labelled_dir`]; [`evaluate_folder`] scores both in one pass.
/// Fails only if `dir` cannot be listed.
pub fn evaluate_dir(
    dir: &Path,
    analyze: impl Fn(&Path, &Truth) -> Result<Vec<Rep>, String> + Sync,
) -> Result<EvalReport, SimError> {
    Ok(evaluate_with(dir, 0, Some(&analyze), None)?.simulated)
}

/// The evaluation of recordings labelled in the general layout
/// ([`crate::labels`]): real recordings, or anyone's own.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LabelledReport {
    /// Per recording, in path order.
    pub recordings: Vec<LabelledScore>,
    /// Figures by group and activity.
    pub summary: LabelledSummary,
    /// Recordings that could not be read or analysed.
    pub failures: Vec<Failure>,
}

impl std::fmt::Display for LabelledReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.summary)?;
        let off: Vec<&LabelledScore> = self
            .recordings
            .iter()
            .filter(|r| r.count_error != 0)
            .collect();
        if !off.is_empty() {
            writeln!(
                f,
                "\ncounts off ({} of {}):",
                off.len(),
                self.recordings.len()
            )?;
            for r in off {
                writeln!(
                    f,
                    "  {:<44} labelled {:>3}  found {:>3}",
                    r.name, r.true_reps, r.detected_reps
                )?;
            }
        }
        write_failures(f, &self.failures)
    }
}

/// A truth file found under the folder being evaluated.
struct TruthFile {
    /// Its name relative to the folder, without `.truth.json`.
    name: String,
    path: PathBuf,
    /// The recording beside it, if any.
    recording: Option<PathBuf>,
    /// In the folder itself, not a subfolder (simulated truth is scored
    /// only there).
    top: bool,
}

/// Every `*.truth.json` under `dir` (its subfolders down to `max_depth`
/// levels, symlinks not followed) with its recording, in name order.
fn truth_files(dir: &Path, max_depth: usize) -> Result<Vec<TruthFile>, SimError> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    while let Some((d, depth)) = stack.pop() {
        let entries: Vec<PathBuf> = match std::fs::read_dir(&d) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) if depth == 0 => {
                return Err(SimError::Io {
                    path: d.clone(),
                    source: e,
                })
            }
            Err(_) => continue,
        };
        for p in &entries {
            let Some(f) = p.file_name().map(|f| f.to_string_lossy().into_owned()) else {
                continue;
            };
            if f.starts_with('.') {
                continue;
            }
            if let Some(name) = f.strip_suffix(".truth.json") {
                if name.is_empty() {
                    continue;
                }
                let rel = p
                    .parent()
                    .and_then(|q| q.strip_prefix(dir).ok())
                    .map(|q| q.join(name))
                    .unwrap_or_else(|| PathBuf::from(name));
                out.push(TruthFile {
                    name: rel.to_string_lossy().into_owned(),
                    path: p.clone(),
                    recording: find_recording(&d, name, &entries),
                    top: depth == 0,
                });
            } else if depth < max_depth
                && std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir())
                && !name_is_recording_folder(&f, &entries)
            {
                stack.push((p.clone(), depth + 1));
            }
        }
    }
    out.sort_by(|a, b| (&a.name, &a.path).cmp(&(&b.name, &b.path)));
    Ok(out)
}

/// A folder `<name>/` beside `<name>.truth.json` is a recording (an app's
/// export), not a folder of recordings.
fn name_is_recording_folder(folder: &str, entries: &[PathBuf]) -> bool {
    let truth = format!("{folder}.truth.json");
    entries
        .iter()
        .any(|p| p.file_name().is_some_and(|f| f.to_string_lossy() == truth))
}

/// Scores every recording under `dir` (subfolders included) whose truth
/// file is in the labelled layout ([`crate::labels`]), running `analyze` on
/// each (in parallel). Simulated truth files (with `scenario`) are scored
/// by [`evaluate_dir`] instead and skipped here; [`evaluate_folder`] scores
/// both in one pass. Fails only if `dir` cannot be listed.
pub fn evaluate_labelled_dir(
    dir: &Path,
    analyze: impl Fn(&Path) -> Result<Vec<Rep>, String> + Sync,
) -> Result<LabelledReport, SimError> {
    Ok(evaluate_with(dir, LABELLED_DEPTH, None, Some(&analyze))?.labelled)
}

/// How deep [`evaluate_labelled_dir`] looks into subfolders.
const LABELLED_DEPTH: usize = 8;

/// Both evaluations of a folder: [`evaluate_dir`]'s and
/// [`evaluate_labelled_dir`]'s.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FolderReport {
    /// The simulated recordings in the folder itself.
    pub simulated: EvalReport,
    /// The labelled recordings in the folder and its subfolders.
    pub labelled: LabelledReport,
}

/// [`evaluate_dir`] and [`evaluate_labelled_dir`] of `dir` at once, each
/// truth file read and parsed once: simulated truth is analysed with
/// `simulated`, labelled truth with `labelled`. The two reports are those
/// of the two functions. Fails only if `dir` cannot be listed.
pub fn evaluate_folder(
    dir: &Path,
    simulated: impl Fn(&Path, &Truth) -> Result<Vec<Rep>, String> + Sync,
    labelled: impl Fn(&Path) -> Result<Vec<Rep>, String> + Sync,
) -> Result<FolderReport, SimError> {
    evaluate_with(dir, LABELLED_DEPTH, Some(&simulated), Some(&labelled))
}

/// What analyses a simulated recording (see [`evaluate_dir`]).
type AnalyzeSimulated<'a> = &'a (dyn Fn(&Path, &Truth) -> Result<Vec<Rep>, String> + Sync);
/// What analyses a labelled recording (see [`evaluate_labelled_dir`]).
type AnalyzeLabelled<'a> = &'a (dyn Fn(&Path) -> Result<Vec<Rep>, String> + Sync);

/// What a truth file holds.
enum TruthText {
    Simulated(Box<Truth>),
    Labelled(Labels),
    /// Neither layout: why not, as each reader says.
    Invalid {
        as_simulated: String,
        as_labelled: String,
    },
}

impl TruthText {
    fn parse(text: &str) -> TruthText {
        match serde_json::from_str::<Truth>(text) {
            Ok(t) => TruthText::Simulated(Box::new(t)),
            Err(sim) => match Labels::from_json(text) {
                Ok(l) => TruthText::Labelled(l),
                Err(lab) => TruthText::Invalid {
                    as_simulated: sim.to_string(),
                    as_labelled: lab.to_string(),
                },
            },
        }
    }
}

/// One truth file's part of the reports.
#[derive(Default)]
struct Scored {
    simulated: Option<Result<RecordingScore, Failure>>,
    labelled: Option<Result<LabelledScore, Failure>>,
}

impl TruthFile {
    /// Reads and parses the truth file once and scores its recording with
    /// the evaluation its layout belongs to (`None`: not wanted). A file
    /// that cannot be read or parsed is a failure of both evaluations (of
    /// the simulated one only in the folder itself).
    fn score(
        &self,
        simulated: Option<AnalyzeSimulated<'_>>,
        labelled: Option<AnalyzeLabelled<'_>>,
    ) -> Scored {
        let fail = |error: String| Failure {
            name: self.name.clone(),
            error,
        };
        let no_recording = || fail("no recording beside the truth file".into());
        let simulated = simulated.filter(|_| self.top);
        let parsed = std::fs::read_to_string(&self.path)
            .map(|text| TruthText::parse(&text))
            .map_err(|e| format!("cannot read truth: {e}"));
        match parsed {
            Err(e) => Scored {
                simulated: simulated.map(|_| Err(fail(e.clone()))),
                labelled: labelled.map(|_| Err(fail(e))),
            },
            Ok(TruthText::Invalid {
                as_simulated,
                as_labelled,
            }) => Scored {
                simulated: simulated.map(|_| Err(fail(format!("invalid truth: {as_simulated}")))),
                labelled: labelled.map(|_| Err(fail(format!("invalid truth: {as_labelled}")))),
            },
            Ok(TruthText::Simulated(truth)) => Scored {
                simulated: simulated.map(|analyze| {
                    let rec = self.recording.as_deref().ok_or_else(no_recording)?;
                    let reps = analyze(rec, &truth).map_err(fail)?;
                    let mut s = score(&truth, &reps);
                    s.name = self.name.clone();
                    Ok(s)
                }),
                labelled: None,
            },
            Ok(TruthText::Labelled(labels)) => Scored {
                simulated: None,
                labelled: labelled.map(|analyze| {
                    let rec = self.recording.as_deref().ok_or_else(no_recording)?;
                    analyze(rec)
                        .map(|reps| labels.score(&self.name, &reps))
                        .map_err(fail)
                }),
            },
        }
    }
}

/// The one pass behind [`evaluate_dir`], [`evaluate_labelled_dir`] and
/// [`evaluate_folder`]: every truth file down to `max_depth`, scored in
/// parallel by the evaluations given.
fn evaluate_with(
    dir: &Path,
    max_depth: usize,
    simulated: Option<AnalyzeSimulated<'_>>,
    labelled: Option<AnalyzeLabelled<'_>>,
) -> Result<FolderReport, SimError> {
    let files = truth_files(dir, max_depth)?;
    let scored: Vec<Scored> = files
        .par_iter()
        .map(|f| f.score(simulated, labelled))
        .collect();
    let (mut scores, mut sim_failures) = (Vec::new(), Vec::new());
    let (mut recordings, mut failures) = (Vec::new(), Vec::new());
    for s in scored {
        match s.simulated {
            Some(Ok(x)) => scores.push(x),
            Some(Err(f)) => sim_failures.push(f),
            None => {}
        }
        match s.labelled {
            Some(Ok(x)) => recordings.push(x),
            Some(Err(f)) => failures.push(f),
            None => {}
        }
    }
    Ok(FolderReport {
        simulated: EvalReport::from_scores(scores, sim_failures),
        labelled: LabelledReport {
            summary: LabelledSummary::of(&recordings),
            recordings,
            failures,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generate_with, write_corpus_with, Scenario, SimOptions, TruthRep};

    fn rep(index: usize, t: &TruthRep, peak_shift: f64, faults: &[Fault]) -> Rep {
        let v = serde_json::json!({
            "index": index, "set": t.set, "start_s": t.start_s, "peak_s": t.peak_s + peak_shift,
            "end_s": t.end_s, "range_deg": t.range_deg, "peak_elevation_deg": t.peak_elevation_deg,
            "concentric_s": 1.0, "hold_s": 0.5, "eccentric_s": 1.5, "peak_velocity_dps": 80.0,
            "peak_eccentric_velocity_dps": 60.0, "windup_deg": 0.0,
            "faults": faults,
            "momentum": {"fast_concentric": false, "high_peak_velocity": false, "no_hold": false,
                          "windup": false, "fast_drop": false, "score": 0.0}
        });
        serde_json::from_value(v).unwrap()
    }

    fn perfect(truth: &Truth) -> Vec<Rep> {
        truth
            .reps
            .iter()
            .enumerate()
            .map(|(i, t)| rep(i + 1, t, 0.0, &t.faults))
            .collect()
    }

    #[test]
    fn perfect_detection_scores_perfectly() {
        let rec = generate_with(Scenario::Mixed, 5, &SimOptions::compact());
        let s = score(&rec.truth, &perfect(&rec.truth));
        assert_eq!((s.count_error, s.matched), (0, rec.truth.reps.len()));
        for c in s.faults.values() {
            assert_eq!(c.fp + c.fn_, 0);
        }
        let total_tp: usize = s.faults.values().map(|c| c.tp).sum();
        assert!(total_tp > 0);
    }

    #[test]
    fn misses_extras_and_wrong_faults_are_counted() {
        let rec = generate_with(Scenario::Mixed, 5, &SimOptions::compact());
        let t = &rec.truth;
        let lumbar = t
            .reps
            .iter()
            .position(|r| r.has(Fault::LumbarOverextension))
            .expect("a lumbar rep");
        let mut det: Vec<Rep> = Vec::new();
        for (i, r) in t.reps.iter().enumerate() {
            if i == lumbar {
                continue; // missed: one FN for lumbar
            }
            let mut f = r.faults.clone();
            if i == 0 && !f.contains(&Fault::Momentum) {
                f.insert(0, Fault::Momentum); // wrong flag: one FP
            }
            det.push(rep(det.len() + 1, r, 0.0, &f));
        }
        // an extra detection during the rest, flagged partial: one FP, unmatched
        let last = t.reps.last().unwrap();
        det.push(rep(det.len() + 1, last, 10.0, &[Fault::PartialRange]));
        let s = score(t, &det);
        assert_eq!(s.matched, t.reps.len() - 1);
        assert_eq!(s.count_error, 0);
        assert_eq!(s.faults["lumbar_overextension"].fn_, 1);
        assert_eq!(s.faults["partial_range"].fp, 1);
        let report = EvalReport::from_scores(vec![s], vec![]);
        let a = &report.overall;
        assert_eq!(a.exact_count_rate, Some(1.0));
        assert!(a.rep_recall.unwrap() < 1.0 && a.rep_precision.unwrap() < 1.0);
        let text = report.to_string();
        assert!(
            text.contains("lumbar_overextension") && text.contains("mixed"),
            "{text}"
        );
        let json = serde_json::to_value(&report).unwrap();
        assert!(json["by_scenario"]["mixed"]["faults"]["momentum"]["fn"].is_number());
    }

    #[test]
    fn evaluate_dir_finds_recordings_and_lists_failures() {
        let dir = tempfile::tempdir().unwrap();
        write_corpus_with(dir.path(), Scenario::Clean, 2, 3, &SimOptions::compact()).unwrap();
        // an orphan truth file and a broken one
        std::fs::copy(
            dir.path().join("clean_0000.truth.json"),
            dir.path().join("orphan.truth.json"),
        )
        .unwrap();
        std::fs::write(dir.path().join("broken.truth.json"), "{").unwrap();
        std::fs::write(dir.path().join("broken.csv"), "time_s\n").unwrap();
        let report = evaluate_dir(dir.path(), |path, truth| {
            assert!(path.extension().is_some_and(|e| e == "csv"));
            Ok(perfect(truth))
        })
        .unwrap();
        assert_eq!(report.recordings.len(), 2);
        assert_eq!(report.overall.exact_count_rate, Some(1.0));
        let names: Vec<_> = report.failures.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["broken", "orphan"]);
        let err = evaluate_dir(dir.path(), |_, _| Err("cannot parse".to_string())).unwrap();
        assert_eq!(err.failures.len(), 4);
        assert!(evaluate_dir(&dir.path().join("missing"), |_, _| Ok(vec![])).is_err());
    }

    #[test]
    fn evaluate_folder_is_both_evaluations_in_one_pass() {
        let dir = tempfile::tempdir().unwrap();
        write_corpus_with(dir.path(), Scenario::Clean, 2, 3, &SimOptions::compact()).unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("set.csv"), "time_s\n").unwrap();
        std::fs::write(sub.join("set.truth.json"), r#"{"rep_count": 3}"#).unwrap();
        // Simulated truth in a subfolder is not scored; a broken file in the
        // folder itself fails both evaluations, one in a subfolder only the
        // labelled one.
        write_corpus_with(&sub, Scenario::Clean, 1, 4, &SimOptions::compact()).unwrap();
        std::fs::write(dir.path().join("broken.truth.json"), "{").unwrap();
        std::fs::write(sub.join("bad.truth.json"), "[]").unwrap();

        let calls = std::sync::atomic::AtomicUsize::new(0);
        let count = || calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let both = evaluate_folder(
            dir.path(),
            |_, truth| {
                count();
                Ok(perfect(truth))
            },
            |_| {
                count();
                Ok(vec![])
            },
        )
        .unwrap();
        // Each recording analysed once: two simulated, one labelled.
        assert_eq!(calls.into_inner(), 3);
        let simulated = evaluate_dir(dir.path(), |_, truth| Ok(perfect(truth))).unwrap();
        let labelled = evaluate_labelled_dir(dir.path(), |_| Ok(vec![])).unwrap();
        assert_eq!(both.simulated, simulated);
        assert_eq!(both.labelled, labelled);
        assert_eq!(simulated.recordings.len(), 2);
        let failed = |f: &[Failure]| f.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        assert_eq!(failed(&simulated.failures), ["broken"]);
        assert_eq!(labelled.recordings.len(), 1);
        assert_eq!(failed(&labelled.failures), ["broken", "sub/bad"]);
    }
}
