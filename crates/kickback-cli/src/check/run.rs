//! Running a batch: each recording read and analysed once on a worker pool,
//! its status decided (ok, faults, warnings, unusable, error), then the
//! totals and the exit status.

use super::plan::OutputPlan;
use super::targets::Target;
use crate::input::{self, Report};
use crate::output;
use crate::plot;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use kickback::{coaching, Fault, FaultCounts, Rep, Settings};
use kickback_formats::ReadOptions;
use rayon::prelude::*;
use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// How a recording came out, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Read, no faults, no warnings.
    Ok,
    /// Read, no faults, but the analysis warned (no gyroscope, gaps, rest
    /// pose guessed, ...): see `warning_kinds`.
    Warnings,
    /// Read, some reps have faults.
    Faults,
    /// Read, but nothing can be said about it (see `unusable`).
    Unusable,
    /// Not read (or its report could not be written); see `error`.
    Error,
}

impl Status {
    /// The name in JSON, CSV, tables and `--fail-on`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warnings => "warnings",
            Status::Faults => "faults",
            Status::Unusable => "unusable",
            Status::Error => "error",
        }
    }
}

/// Why a recording that was read cannot be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnusableKind {
    /// Every sample was invalid (NaN, infinite, out of order).
    NoValidSamples,
    /// The sample rate is below [`MIN_RATE_HZ`].
    RateTooLow,
    /// The accelerometer's values contradict its unit (gravity removed, or
    /// far above gravity).
    UnitsContradict,
    /// Too short to hold a rep, and none was found.
    TooShort,
}

/// Why a recording is unusable, in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unusable {
    /// Stable machine-readable kind.
    pub kind: UnusableKind,
    /// What was found and what to do.
    pub message: String,
}

/// The slowest sample rate a recording can be judged at, Hz: the README
/// promises 12.5 Hz and up; 12 leaves room for timestamp jitter. Below it a
/// fast (0.4 s) kick has too few samples to find its peak and speed.
pub const MIN_RATE_HZ: f64 = 12.0;

/// Reader notes saying the accelerometer's values contradict its unit.
const UNIT_CONTRADICTIONS: [&str; 2] = ["gravity seems to be removed", "far above gravity"];

/// Whether a report can be judged at all, and if not why.
pub fn unusable(report: &Report) -> Option<Unusable> {
    let a = &report.analysis;
    let rate = a.sample_rate_hz;
    if report.input.samples == 0 || !(rate.is_finite() && rate > 0.0) {
        return Some(Unusable {
            kind: UnusableKind::NoValidSamples,
            message: "no valid samples (every sample was invalid or out of order)".into(),
        });
    }
    if rate < MIN_RATE_HZ {
        return Some(Unusable {
            kind: UnusableKind::RateTooLow,
            message: format!(
                "sample rate {rate:.1} Hz is below the {MIN_RATE_HZ:.0} Hz minimum; record at 50–200 Hz"
            ),
        });
    }
    if let Some(note) = report
        .input
        .notes
        .iter()
        .find(|n| UNIT_CONTRADICTIONS.iter().any(|c| n.contains(c)))
    {
        return Some(Unusable {
            kind: UnusableKind::UnitsContradict,
            message: format!("the accelerometer contradicts its unit: {note}"),
        });
    }
    if a.rep_count == 0 && a.warnings.iter().any(|w| w.kind == "short_recording") {
        return Some(Unusable {
            kind: UnusableKind::TooShort,
            message: format!("only {:.2} s long: too short to hold a rep", a.duration_s),
        });
    }
    None
}

/// What makes the check fail: the resolved `--fail-on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailRules {
    /// Faults that fail the check (exit 1).
    pub faults: Vec<Fault>,
    /// Warnings fail the check (exit 1).
    pub warnings: bool,
    /// Unusable recordings fail the check (exit 2).
    pub unusable: bool,
}

impl Default for FailRules {
    /// `momentum,lumbar_overextension,unusable,error`.
    fn default() -> Self {
        FailRules {
            faults: vec![Fault::Momentum, Fault::LumbarOverextension],
            warnings: false,
            unusable: true,
        }
    }
}

impl FailRules {
    /// The rules in `--fail-on` words (error is always on).
    pub fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = self.faults.iter().map(|f| f.as_str().to_string()).collect();
        if self.warnings {
            out.push("warnings".into());
        }
        if self.unusable {
            out.push("unusable".into());
        }
        out.push("error".into());
        out
    }
}

/// The result of checking one recording: what the summary, JSON and CSV show.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The path as given or found.
    pub source: String,
    /// ok, warnings, faults, unusable or error.
    pub status: Status,
    /// Why the recording could not be read (file:line:column when known).
    pub error: Option<String>,
    /// Why a recording that was read cannot be judged.
    pub unusable: Option<Unusable>,
    /// The input format (null on error).
    pub format: Option<String>,
    /// Median sample rate, Hz (null on error).
    pub sample_rate_hz: Option<f64>,
    /// Whether the recording has a gyroscope (null on error).
    pub gyroscope: Option<bool>,
    /// Reps found (null on error).
    pub rep_count: Option<usize>,
    /// Sets found (null on error).
    pub set_count: Option<usize>,
    /// Length of the recording, s (null on error).
    pub duration_s: Option<f64>,
    /// Fault counts (null on error).
    pub summary: Option<FaultCounts>,
    /// Warnings in the recording's report (reader notes included).
    pub warning_count: usize,
    /// The kinds of those warnings, each once, in order of appearance.
    pub warning_kinds: Vec<String>,
    /// True when the recording fails the check (see `--fail-on`).
    pub fails: bool,
    /// The JSON report written with `--output`.
    pub report: Option<String>,
    /// The plot written with `--plot`.
    pub plot: Option<String>,
    /// The reps (kept only for `--per-rep`).
    #[serde(skip)]
    pub reps: Vec<Rep>,
}

impl Outcome {
    /// An input that could not be read.
    pub fn error(source: &str, error: String) -> Outcome {
        Outcome {
            source: source.to_string(),
            status: Status::Error,
            error: Some(error),
            unusable: None,
            format: None,
            sample_rate_hz: None,
            gyroscope: None,
            rep_count: None,
            set_count: None,
            duration_s: None,
            summary: None,
            warning_count: 0,
            warning_kinds: Vec::new(),
            fails: true,
            report: None,
            plot: None,
            reps: Vec::new(),
        }
    }

    /// A recording that could not be analysed: unusable when the reader
    /// found no valid sample in it, otherwise an error.
    pub fn failed(source: &str, e: &anyhow::Error, rules: &FailRules) -> Outcome {
        let mut o = Outcome::error(source, format!("{e:#}"));
        use kickback_formats::{ErrorKind, FormatError, UnusableReason};
        // Read, but nothing in it can be judged: unusable, not an error.
        let kind = match e.downcast_ref::<FormatError>().map(|f| f.kind()) {
            Some(ErrorKind::TooFewSamples { .. }) => Some(UnusableKind::NoValidSamples),
            Some(ErrorKind::Unusable { reason, .. }) => Some(match reason {
                UnusableReason::SampleRate => UnusableKind::RateTooLow,
                _ => UnusableKind::UnitsContradict,
            }),
            _ => None,
        };
        if let Some(kind) = kind {
            o.status = Status::Unusable;
            o.unusable = Some(Unusable {
                kind,
                message: o.error.take().unwrap_or_default(),
            });
            o.fails = rules.unusable;
        }
        o
    }

    /// The outcome of a report, judged by `rules`.
    pub fn of(source: &str, report: &Report, rules: &FailRules, keep_reps: bool) -> Outcome {
        let a = &report.analysis;
        let unusable = unusable(report);
        let has_faults = Fault::ALL.iter().any(|f| a.summary.get(*f) > 0);
        // Reader notes explain the input; the analysis' own warnings matter.
        let has_warnings = a.warnings.iter().any(|w| w.kind != "input");
        let status = if unusable.is_some() {
            Status::Unusable
        } else if has_faults {
            Status::Faults
        } else if has_warnings {
            Status::Warnings
        } else {
            Status::Ok
        };
        let fails = match status {
            Status::Unusable => rules.unusable,
            _ => {
                rules.faults.iter().any(|f| a.summary.get(*f) > 0)
                    || (rules.warnings && has_warnings)
            }
        };
        let mut kinds: Vec<String> = Vec::new();
        for w in &a.warnings {
            let k = w.kind.as_str();
            if !kinds.iter().any(|x| x == k) {
                kinds.push(k.to_string());
            }
        }
        Outcome {
            source: source.to_string(),
            status,
            error: None,
            unusable,
            format: Some(report.input.format.to_string()),
            sample_rate_hz: Some(a.sample_rate_hz),
            gyroscope: Some(a.gyroscope),
            rep_count: Some(a.rep_count),
            set_count: Some(a.sets.len()),
            duration_s: Some(a.duration_s),
            summary: Some(a.summary),
            warning_count: a.warnings.len(),
            warning_kinds: kinds,
            fails,
            report: None,
            plot: None,
            reps: if keep_reps {
                a.reps.clone()
            } else {
                Vec::new()
            },
        }
    }

    /// "ok", "faults: momentum 3, lumbar 1; warnings: gap", "unusable: ..."
    /// or "error: `<message>`" (control characters escaped).
    pub fn verdict(&self) -> String {
        let warnings = if self.warning_kinds.is_empty() {
            String::new()
        } else {
            format!("warnings: {}", self.warning_kinds.join(", "))
        };
        let text = match self.status {
            Status::Error => format!("error: {}", self.error.as_deref().unwrap_or("unknown")),
            Status::Unusable => format!(
                "unusable: {}",
                self.unusable.as_ref().map_or("", |u| u.message.as_str())
            ),
            Status::Faults => {
                let faults = format!(
                    "faults: {}",
                    self.summary.as_ref().map(fault_list).unwrap_or_default()
                );
                if warnings.is_empty() {
                    faults
                } else {
                    format!("{faults}; {warnings}")
                }
            }
            Status::Warnings => warnings,
            Status::Ok => "ok".to_string(),
        };
        output::printable(&text).into_owned()
    }
}

/// "momentum 3, lumbar 1".
pub fn fault_list(s: &FaultCounts) -> String {
    Fault::ALL
        .iter()
        .filter(|f| s.get(**f) > 0)
        .map(|f| format!("{} {}", coaching::fault_word(*f), s.get(*f)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Everything one batch needs.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Worker threads.
    pub jobs: usize,
    /// How to read the inputs.
    pub read: ReadOptions,
    /// Analysis settings.
    pub settings: Settings,
    /// What fails the check.
    pub fail_on: FailRules,
    /// Where to write reports (and plots).
    pub output: Option<OutputPlan>,
    /// Write plots into the output folder.
    pub plot: Option<plot::PlotFormat>,
    /// Keep every recording's reps (for per-rep output).
    pub keep_reps: bool,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

impl CheckConfig {
    /// Defaults for a batch: all cores, default settings, the default
    /// `--fail-on`, no output files, no progress bar.
    pub fn new(settings: Settings) -> CheckConfig {
        CheckConfig {
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            read: ReadOptions::default(),
            settings,
            fail_on: FailRules::default(),
            output: None,
            plot: None,
            keep_reps: false,
            progress: false,
        }
    }
}

fn check_one(index: usize, path: &Path, source: &str, cfg: &CheckConfig) -> Result<Outcome> {
    // One read and one analysis, with the trace only when a plot is wanted.
    let (report, trace) = match (&cfg.output, cfg.plot) {
        (Some(_), Some(_)) => {
            let (r, t) = plot::trace_path(path, &cfg.read, &cfg.settings)?;
            (r, Some(t))
        }
        _ => (input::analyze_path(path, &cfg.read, &cfg.settings)?, None),
    };
    let mut outcome = Outcome::of(source, &report, &cfg.fail_on, cfg.keep_reps);
    if let Some(plan) = &cfg.output {
        let stem = &plan.names[index];
        let json = output::json(&report)?;
        let written = plan
            .write(
                &format!("{stem}.json"),
                json.as_bytes(),
                &report.input.files,
            )
            .context("writing the report")?;
        outcome.report = Some(written.display().to_string());
        if let (Some(format), Some(trace)) = (cfg.plot, trace) {
            let bytes = plot::render(source, &trace, &report, &cfg.settings, format)?;
            let written = plan
                .write(
                    &format!("{stem}.{}", format.extension()),
                    &bytes,
                    &report.input.files,
                )
                .context("writing the plot")?;
            outcome.plot = Some(written.display().to_string());
        }
    }
    Ok(outcome)
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Checks every target on a pool of `cfg.jobs` threads; the outcomes are
/// in target order. Never fails as a whole: each recording's error is in
/// its outcome.
pub fn run(targets: &[Target], cfg: &CheckConfig) -> Result<Vec<Outcome>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs.max(1))
        .thread_name(|i| format!("kickback-check-{i}"))
        .build()
        .context("starting the worker threads")?;
    let bar = if cfg.progress {
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} recordings ({per_sec}, ETA {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::new(targets.len() as u64).with_style(style)
    } else {
        ProgressBar::hidden()
    };
    let outcomes = pool.install(|| {
        targets
            .par_iter()
            .enumerate()
            .map(|(i, t)| {
                let outcome = match (&t.path, &t.error) {
                    (Some(path), None) => {
                        match catch_unwind(AssertUnwindSafe(|| check_one(i, path, &t.source, cfg)))
                        {
                            Ok(Ok(o)) => o,
                            Ok(Err(e)) => Outcome::failed(&t.source, &e, &cfg.fail_on),
                            Err(p) => Outcome::error(
                                &t.source,
                                format!("internal error (please report): {}", panic_message(&*p)),
                            ),
                        }
                    }
                    (_, e) => Outcome::error(&t.source, e.clone().unwrap_or_default()),
                };
                bar.inc(1);
                outcome
            })
            .collect::<Vec<_>>()
    });
    bar.finish_and_clear();
    Ok(outcomes)
}

/// Batch totals.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    /// Recordings (and inputs that yielded none).
    pub recordings: usize,
    /// Read, no faults, no warnings.
    pub ok: usize,
    /// Read, no faults, with warnings.
    pub warnings: usize,
    /// Read, with faults.
    pub faults: usize,
    /// Read, but unusable.
    pub unusable: usize,
    /// Not read.
    pub errors: usize,
    /// Recordings that fail the check (see `fail_on`).
    pub failing: usize,
    /// Reps in all recordings read.
    pub reps: usize,
    /// Sets in all recordings read.
    pub sets: usize,
    /// Fault counts over all recordings read.
    pub summary: FaultCounts,
    /// What fails the check, in `--fail-on` words.
    pub fail_on: Vec<String>,
    /// The exit status: 0, 1 or 2.
    pub exit_code: u8,
}

/// Totals and the exit status of a batch: 2 when some recording is an
/// error, or unusable with `unusable` in `--fail-on`; else 1 when some
/// recording fails on a fault or warnings; else 0.
pub fn totals(outcomes: &[Outcome], rules: &FailRules) -> Totals {
    let mut t = Totals {
        recordings: outcomes.len(),
        ok: 0,
        warnings: 0,
        faults: 0,
        unusable: 0,
        errors: 0,
        failing: 0,
        reps: 0,
        sets: 0,
        summary: FaultCounts::default(),
        fail_on: rules.names(),
        exit_code: 0,
    };
    let mut worst = 0;
    for o in outcomes {
        match o.status {
            Status::Ok => t.ok += 1,
            Status::Warnings => t.warnings += 1,
            Status::Faults => t.faults += 1,
            Status::Unusable => t.unusable += 1,
            Status::Error => t.errors += 1,
        }
        if o.fails {
            t.failing += 1;
            worst = worst.max(match o.status {
                Status::Error | Status::Unusable => 2,
                _ => 1,
            });
        }
        t.reps += o.rep_count.unwrap_or(0);
        t.sets += o.set_count.unwrap_or(0);
        if let Some(s) = &o.summary {
            t.summary.momentum += s.momentum;
            t.summary.lumbar_overextension += s.lumbar_overextension;
            t.summary.partial_range += s.partial_range;
        }
    }
    t.exit_code = worst;
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(status: Status, fails: bool) -> Outcome {
        let mut o = Outcome::error("x", String::new());
        o.status = status;
        o.error = None;
        o.fails = fails;
        o
    }

    #[test]
    fn verdicts() {
        let mut o = Outcome::error("a.csv", "a.csv:3:2: bad\x1b[31m".into());
        assert_eq!(o.verdict(), "error: a.csv:3:2: bad\\x1b[31m");
        o.status = Status::Faults;
        o.error = None;
        o.summary = Some(FaultCounts {
            momentum: 3,
            lumbar_overextension: 1,
            partial_range: 0,
        });
        assert_eq!(o.verdict(), "faults: momentum 3, lumbar 1");
        o.warning_kinds = vec!["gap".into(), "no_gyroscope".into()];
        assert_eq!(
            o.verdict(),
            "faults: momentum 3, lumbar 1; warnings: gap, no_gyroscope"
        );
        o.status = Status::Warnings;
        assert_eq!(o.verdict(), "warnings: gap, no_gyroscope");
        o.status = Status::Ok;
        assert_eq!(o.verdict(), "ok");
        o.status = Status::Unusable;
        o.unusable = Some(Unusable {
            kind: UnusableKind::RateTooLow,
            message: "sample rate 5.0 Hz is below".into(),
        });
        assert_eq!(o.verdict(), "unusable: sample rate 5.0 Hz is below");
    }

    #[test]
    fn exit_codes_follow_the_worst_failing_status() {
        let rules = FailRules::default();
        let cases: &[(&[(Status, bool)], u8)] = &[
            (&[], 0),
            (&[(Status::Ok, false), (Status::Warnings, false)], 0),
            (&[(Status::Ok, false), (Status::Faults, true)], 1),
            (&[(Status::Faults, true), (Status::Unusable, true)], 2),
            (&[(Status::Faults, false), (Status::Unusable, false)], 0),
            (&[(Status::Warnings, true), (Status::Error, true)], 2),
        ];
        for (outcomes, code) in cases {
            let o: Vec<Outcome> = outcomes.iter().map(|(s, f)| read(*s, *f)).collect();
            assert_eq!(totals(&o, &rules).exit_code, *code, "{outcomes:?}");
        }
        assert_eq!(
            rules.names(),
            ["momentum", "lumbar_overextension", "unusable", "error"]
        );
    }
}
