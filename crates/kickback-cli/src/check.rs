//! `kickback check`: form checks over many recordings at once.
//!
//! Inputs are files, folders (searched recursively with
//! [`kickback_formats::find_recordings`]: CSVs, app export folders, zips)
//! and globs. Recordings run in parallel on a local rayon pool; one that
//! cannot be read becomes an error row and the batch goes on. Memory is
//! bounded per worker (the readers stream and the engine is online); per
//! recording only a small [`Outcome`] is kept (plus its reps with
//! `--per-rep`).
//!
//! Exit status: 0 when every recording was read and none has a fault named
//! in `--fail-on`; 1 when some has; 2 on usage errors or unreadable
//! recordings (see [`EXIT_CODES`]).

use crate::input::{self, InputArgs};
use crate::output;
use crate::plot;
use crate::settings_args::SettingsArgs;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use kickback::{Fault, FaultCounts, Rep, Settings};
use kickback_formats::ReadOptions;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The exit codes of `kickback check`, as shown in `--help`.
pub const EXIT_CODES: &str = "\
Exit status:
  0  every recording was read and none has a fault named in --fail-on
  1  every recording was read and some have a fault named in --fail-on
  2  usage error, or some recording could not be read (or its report not written)";

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// A summary table for people, with totals.
    Table,
    /// One JSON document: `{"recordings": [...], "totals": {...}}` (or `{"reps": [...], ...}` with --per-rep).
    Json,
    /// One CSV row per recording (or per rep with --per-rep).
    Csv,
}

/// A `--fail-on` item: a fault name, `none` or `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// This fault fails the check.
    Fault(Fault),
    /// No fault fails the check (only unreadable recordings do).
    None,
    /// Every fault fails the check.
    All,
}

/// Parses a `--fail-on` item: a fault name, `none` or `all`.
pub fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "none" => Ok(FailOn::None),
        "all" => Ok(FailOn::All),
        other => Fault::parse(other).map(FailOn::Fault).ok_or_else(|| {
            format!(
                "unknown fault `{s}`; expected {}, all or none",
                Fault::ALL.map(|f| f.as_str()).join(", ")
            )
        }),
    }
}

/// The faults named by `--fail-on` items.
pub fn fail_on_faults(items: &[FailOn]) -> Vec<Fault> {
    let mut out: Vec<Fault> = Vec::new();
    for item in items {
        match item {
            FailOn::Fault(f) => out.push(*f),
            FailOn::All => out.extend(Fault::ALL),
            FailOn::None => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Arguments of `kickback check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Recordings: CSV files, app export folders or zips, folders to search
    /// recursively, or quoted globs (`'data/**/*.csv'`).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Recordings analysed in parallel [default: all cores].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Table)]
    pub format: CheckFormat,
    /// With --format json or csv: one row per rep instead of per recording.
    #[arg(long)]
    pub per_rep: bool,
    /// Faults that make the exit status 1 (comma-separated; `all` or `none`).
    #[arg(
        long,
        value_name = "FAULTS",
        value_delimiter = ',',
        default_value = "momentum,lumbar_overextension",
        value_parser = parse_fail_on
    )]
    pub fail_on: Vec<FailOn>,
    /// Write one JSON report (as `analyze --format json`) per recording into
    /// DIR (created if needed; never an input folder), atomically.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Also write one SVG plot per recording into the --output DIR.
    #[arg(long, requires = "output")]
    pub plot: bool,
    /// Also write the results as Parquet into DIR (created if needed):
    /// recordings.parquet and reps.parquet, typed columns (see the README).
    #[arg(long, value_name = "DIR")]
    pub parquet: Option<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// One recording to check, or an input that yielded none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The path as shown in reports.
    pub source: String,
    /// The recording (`None`: `error` says why there is none).
    pub path: Option<PathBuf>,
    /// Why this input could not be used.
    pub error: Option<String>,
}

impl Target {
    fn ok(path: PathBuf) -> Target {
        Target {
            source: path.display().to_string(),
            path: Some(path),
            error: None,
        }
    }
    fn err(source: &str, error: String) -> Target {
        Target {
            source: source.to_string(),
            path: None,
            error: Some(error),
        }
    }
}

fn has_glob_chars(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Expands the command-line inputs into recordings, in argument order
/// (each folder's recordings sorted), without duplicates. Inputs that
/// yield no recording become error targets.
pub fn expand(args: &[String]) -> Vec<Target> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |out: &mut Vec<Target>, p: PathBuf| {
        let key = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if seen.insert(key) {
            out.push(Target::ok(p));
        }
    };
    let folder =
        |out: &mut Vec<Target>, push: &mut dyn FnMut(&mut Vec<Target>, PathBuf), dir: &Path| {
            let found = kickback_formats::find_recordings(dir);
            if found.is_empty() {
                out.push(Target::err(
                    &dir.display().to_string(),
                    format!("{}: no recordings found in this folder", dir.display()),
                ));
            }
            for f in found {
                push(out, f);
            }
        };
    for arg in args {
        let p = Path::new(arg);
        if p.is_dir() {
            folder(&mut out, &mut push, p);
        } else if p.exists() {
            push(&mut out, p.to_path_buf());
        } else if has_glob_chars(arg) {
            match glob::glob(arg) {
                Err(e) => out.push(Target::err(
                    arg,
                    format!("{arg}: invalid glob pattern: {e}"),
                )),
                Ok(paths) => {
                    let mut any = false;
                    for entry in paths {
                        any = true;
                        match entry {
                            Ok(m) if m.is_dir() => folder(&mut out, &mut push, &m),
                            Ok(m) => push(&mut out, m),
                            Err(e) => {
                                let src = e.path().display().to_string();
                                out.push(Target::err(&src, format!("{src}: {}", e.error())));
                            }
                        }
                    }
                    if !any {
                        out.push(Target::err(
                            arg,
                            format!("{arg}: no files match this pattern"),
                        ));
                    }
                }
            }
        } else {
            out.push(Target::err(arg, format!("{arg}: no such file or folder")));
        }
    }
    out
}

/// How a recording came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Read, no faults.
    Ok,
    /// Read, some reps have faults.
    Faults,
    /// Not read (or its report could not be written); see `error`.
    Error,
}

/// The result of checking one recording: what the summary, JSON and CSV show.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The path as given or found.
    pub source: String,
    /// ok, faults or error.
    pub status: Status,
    /// Why the recording could not be read (file:line:column when known).
    pub error: Option<String>,
    /// Reps found (null on error).
    pub rep_count: Option<usize>,
    /// Sets found (null on error).
    pub set_count: Option<usize>,
    /// Length of the recording, s (null on error).
    pub duration_s: Option<f64>,
    /// Fault counts (null on error).
    pub summary: Option<FaultCounts>,
    /// Warnings in the recording's report.
    pub warning_count: usize,
    /// True when some rep has a fault named in `--fail-on`.
    pub fails: bool,
    /// The JSON report written with `--output`.
    pub report: Option<String>,
    /// The SVG plot written with `--plot`.
    pub plot: Option<String>,
    /// The reps (kept only for `--per-rep`).
    #[serde(skip)]
    pub reps: Vec<Rep>,
}

impl Outcome {
    fn error(source: &str, error: String) -> Outcome {
        Outcome {
            source: source.to_string(),
            status: Status::Error,
            error: Some(error),
            rep_count: None,
            set_count: None,
            duration_s: None,
            summary: None,
            warning_count: 0,
            fails: false,
            report: None,
            plot: None,
            reps: Vec::new(),
        }
    }

    /// "ok", "faults: momentum 3, lumbar 1" or "error: <message>".
    pub fn verdict(&self) -> String {
        match (&self.status, &self.summary, &self.error) {
            (Status::Error, _, e) => format!("error: {}", e.as_deref().unwrap_or("unknown")),
            (_, Some(s), _) if Fault::ALL.iter().any(|f| s.get(*f) > 0) => {
                format!("faults: {}", fault_list(s))
            }
            _ => "ok".to_string(),
        }
    }
}

/// Short name of a fault in the summary table.
fn short(f: Fault) -> &'static str {
    match f {
        Fault::Momentum => "momentum",
        Fault::LumbarOverextension => "lumbar",
        Fault::PartialRange => "partial",
        _ => f.as_str(),
    }
}

fn fault_list(s: &FaultCounts) -> String {
    Fault::ALL
        .iter()
        .filter(|f| s.get(**f) > 0)
        .map(|f| format!("{} {}", short(*f), s.get(*f)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where `--output` writes: the folder and each recording's file stem.
#[derive(Debug, Clone)]
pub struct OutputPlan {
    /// The output folder (canonical).
    pub dir: PathBuf,
    /// The output folder as given (for messages and reports).
    pub shown: PathBuf,
    /// File stem per target index (unique within the batch).
    pub names: Vec<String>,
    /// Canonical paths of every input recording (never written over).
    pub inputs: HashSet<PathBuf>,
}

/// FNV-1a, 64 bits: a stable short hash for output names.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn stem_of(path: &Path) -> String {
    let raw = if path.is_dir() {
        path.file_name()
    } else {
        path.file_stem()
    }
    .map(|s| s.to_string_lossy().into_owned())
    .unwrap_or_default();
    let clean: String = raw
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let clean = clean.trim_matches('.').to_string();
    if clean.is_empty() {
        "recording".to_string()
    } else {
        clean
    }
}

/// Plans `--output DIR`: creates it, refuses a folder given as input or
/// inside a recording (an app export folder), and names each recording's
/// outputs by its stem, adding a hash of its path when two stems collide.
pub fn plan_output(dir: &Path, args: &[String], targets: &[Target]) -> Result<OutputPlan> {
    // Decide on the canonical path before creating anything.
    let canon_dir = canonical_to_be(dir).with_context(|| format!("--output {}", dir.display()))?;
    for arg in args {
        if let Ok(c) = std::fs::canonicalize(arg) {
            if c == canon_dir {
                bail!(
                    "--output {}: this folder is an input; choose a folder outside the recordings",
                    dir.display()
                );
            }
        }
    }
    let mut inputs = HashSet::new();
    for t in targets {
        let Some(p) = &t.path else { continue };
        let Ok(c) = std::fs::canonicalize(p) else {
            continue;
        };
        if c.is_dir() && canon_dir.starts_with(&c) {
            bail!(
                "--output {}: this folder is inside the recording {}; choose a folder outside the recordings",
                dir.display(),
                p.display()
            );
        }
        inputs.insert(c);
    }
    std::fs::create_dir_all(&canon_dir)
        .with_context(|| format!("--output {}: cannot create the folder", dir.display()))?;
    let stems: Vec<String> = targets
        .iter()
        .map(|t| t.path.as_deref().map(stem_of).unwrap_or_default())
        .collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for s in &stems {
        *count.entry(s.as_str()).or_default() += 1;
    }
    let names = targets
        .iter()
        .zip(&stems)
        .map(|(t, s)| match &t.path {
            Some(p) if count[s.as_str()] > 1 => {
                let key = std::fs::canonicalize(p)
                    .unwrap_or_else(|_| p.clone())
                    .display()
                    .to_string();
                format!("{s}-{:08x}", fnv1a(&key) as u32)
            }
            _ => s.clone(),
        })
        .collect();
    Ok(OutputPlan {
        dir: canon_dir,
        shown: dir.to_path_buf(),
        names,
        inputs,
    })
}

/// The canonical form `path` will have once created: its deepest existing
/// ancestor canonicalized, then the remaining components.
fn canonical_to_be(path: &Path) -> Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(existing)?;
    for part in rest.iter().rev() {
        out.push(part);
    }
    Ok(out)
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
    /// Faults that fail the check.
    pub fail_on: Vec<Fault>,
    /// Where to write reports (and plots).
    pub output: Option<OutputPlan>,
    /// Write plots into the output folder.
    pub plot: bool,
    /// Keep every recording's reps (for per-rep output).
    pub keep_reps: bool,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

impl CheckConfig {
    /// Defaults for a batch: all cores, default settings, fail on momentum
    /// and lumbar overextension, no output files, no progress bar.
    pub fn new(settings: Settings) -> CheckConfig {
        CheckConfig {
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            read: ReadOptions::default(),
            settings,
            fail_on: vec![Fault::Momentum, Fault::LumbarOverextension],
            output: None,
            plot: false,
            keep_reps: false,
            progress: false,
        }
    }
}

/// Writes `bytes` to `name` in the output folder, atomically, unless that
/// would overwrite an input.
fn write_output(
    plan: &OutputPlan,
    name: &str,
    bytes: &[u8],
    extra_inputs: &[String],
) -> Result<PathBuf> {
    let path = plan.dir.join(name);
    let clash = plan.inputs.contains(&path)
        || extra_inputs
            .iter()
            .any(|f| std::fs::canonicalize(f).map(|c| c == path).unwrap_or(false));
    if clash {
        bail!("refusing to write {}: it is an input file", path.display());
    }
    plot::write_atomic(&path, bytes)?;
    Ok(plan.shown.join(name))
}

fn check_one(index: usize, path: &Path, source: &str, cfg: &CheckConfig) -> Result<Outcome> {
    let report = input::analyze_path(path, &cfg.read, &cfg.settings)?;
    let a = &report.analysis;
    let fails = cfg.fail_on.iter().any(|f| a.summary.get(*f) > 0);
    let has_faults = Fault::ALL.iter().any(|f| a.summary.get(*f) > 0);
    let mut outcome = Outcome {
        source: source.to_string(),
        status: if has_faults {
            Status::Faults
        } else {
            Status::Ok
        },
        error: None,
        rep_count: Some(a.rep_count),
        set_count: Some(a.sets.len()),
        duration_s: Some(a.duration_s),
        summary: Some(a.summary),
        warning_count: a.warnings.len(),
        fails,
        report: None,
        plot: None,
        reps: if cfg.keep_reps {
            a.reps.clone()
        } else {
            Vec::new()
        },
    };
    if let Some(plan) = &cfg.output {
        let stem = &plan.names[index];
        let json = serde_json::to_string_pretty(&report)? + "\n";
        let written = write_output(
            plan,
            &format!("{stem}.json"),
            json.as_bytes(),
            &report.input.files,
        )
        .context("writing the report")?;
        outcome.report = Some(written.display().to_string());
        if cfg.plot {
            let (_, trace) = plot::trace_path(path, &cfg.read, &cfg.settings)?;
            let svg = plot::render_svg(source, &trace, a, cfg.settings.lumbar.limit_deg())?;
            let written = write_output(
                plan,
                &format!("{stem}.svg"),
                svg.as_bytes(),
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
                            Ok(Err(e)) => Outcome::error(&t.source, format!("{e:#}")),
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
    /// Read without faults.
    pub ok: usize,
    /// Read, with faults.
    pub faults: usize,
    /// Not read.
    pub errors: usize,
    /// Read, with a fault named in `--fail-on`.
    pub failing: usize,
    /// Reps in all recordings read.
    pub reps: usize,
    /// Sets in all recordings read.
    pub sets: usize,
    /// Fault counts over all recordings read.
    pub summary: FaultCounts,
    /// The `--fail-on` faults.
    pub fail_on: Vec<Fault>,
    /// The exit status: 0, 1 or 2.
    pub exit_code: u8,
}

/// Totals and the exit status of a batch.
pub fn totals(outcomes: &[Outcome], fail_on: &[Fault]) -> Totals {
    let mut t = Totals {
        recordings: outcomes.len(),
        ok: 0,
        faults: 0,
        errors: 0,
        failing: 0,
        reps: 0,
        sets: 0,
        summary: FaultCounts::default(),
        fail_on: fail_on.to_vec(),
        exit_code: 0,
    };
    for o in outcomes {
        match o.status {
            Status::Ok => t.ok += 1,
            Status::Faults => t.faults += 1,
            Status::Error => t.errors += 1,
        }
        t.failing += o.fails as usize;
        t.reps += o.rep_count.unwrap_or(0);
        t.sets += o.set_count.unwrap_or(0);
        if let Some(s) = &o.summary {
            t.summary.momentum += s.momentum;
            t.summary.lumbar_overextension += s.lumbar_overextension;
            t.summary.partial_range += s.partial_range;
        }
    }
    t.exit_code = if t.errors > 0 {
        2
    } else if t.failing > 0 {
        1
    } else {
        0
    };
    t
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Shortens `s` to `width` characters, keeping its end.
fn fit(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        s.to_string()
    } else {
        let tail: String = s.chars().skip(n + 1 - width).collect();
        format!("…{tail}")
    }
}

/// The summary table: one line per recording, then totals and the exit status.
pub fn summary_table(outcomes: &[Outcome], totals: &Totals) -> String {
    let width = outcomes
        .iter()
        .map(|o| o.source.chars().count())
        .chain(["recording".len()])
        .max()
        .unwrap_or(9)
        .min(60);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<width$}  {:>5} {:>5} {:>9} {:>7} {:>8}  verdict",
        "recording", "reps", "sets", "momentum", "lumbar", "partial"
    );
    let dash = |v: Option<usize>| v.map_or("-".to_string(), |n| n.to_string());
    for o in outcomes {
        let c = |f: Fault| o.summary.map(|s| s.get(f));
        let _ = writeln!(
            s,
            "{:<width$}  {:>5} {:>5} {:>9} {:>7} {:>8}  {}",
            fit(&o.source, width),
            dash(o.rep_count),
            dash(o.set_count),
            dash(c(Fault::Momentum)),
            dash(c(Fault::LumbarOverextension)),
            dash(c(Fault::PartialRange)),
            o.verdict()
        );
    }
    let _ = writeln!(
        s,
        "{:<width$}  {:>5} {:>5} {:>9} {:>7} {:>8}",
        "total",
        totals.reps,
        totals.sets,
        totals.summary.momentum,
        totals.summary.lumbar_overextension,
        totals.summary.partial_range
    );
    let _ = writeln!(
        s,
        "\n{}: {} ok, {} with faults, {} unreadable; {} in {}.",
        plural(totals.recordings, "recording", "recordings"),
        totals.ok,
        totals.faults,
        totals.errors,
        plural(totals.reps, "rep", "reps"),
        plural(totals.sets, "set", "sets"),
    );
    let fail_on = if totals.fail_on.is_empty() {
        "none".to_string()
    } else {
        totals
            .fail_on
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let why = match totals.exit_code {
        2 => format!(
            "{} could not be read",
            plural(totals.errors, "recording", "recordings")
        ),
        1 => format!(
            "{} {} a fault named in --fail-on ({fail_on})",
            plural(totals.failing, "recording", "recordings"),
            if totals.failing == 1 { "has" } else { "have" }
        ),
        _ => format!("no recording has a fault named in --fail-on ({fail_on})"),
    };
    let _ = writeln!(s, "Exit status {}: {why}.", totals.exit_code);
    s
}

/// `{"recordings": [...], "totals": {...}}`.
pub fn json_per_recording(outcomes: &[Outcome], totals: &Totals) -> Result<String> {
    #[derive(Serialize)]
    struct Doc<'a> {
        recordings: &'a [Outcome],
        totals: &'a Totals,
    }
    Ok(serde_json::to_string_pretty(&Doc {
        recordings: outcomes,
        totals,
    })? + "\n")
}

/// `{"reps": [{"source", ...rep}], "errors": [{"source", "error"}], "totals": {...}}`.
pub fn json_per_rep(outcomes: &[Outcome], totals: &Totals) -> Result<String> {
    #[derive(Serialize)]
    struct RepRow<'a> {
        source: &'a str,
        #[serde(flatten)]
        rep: &'a Rep,
    }
    #[derive(Serialize)]
    struct ErrorRow<'a> {
        source: &'a str,
        error: &'a str,
    }
    #[derive(Serialize)]
    struct Doc<'a> {
        reps: Vec<RepRow<'a>>,
        errors: Vec<ErrorRow<'a>>,
        totals: &'a Totals,
    }
    let doc = Doc {
        reps: outcomes
            .iter()
            .flat_map(|o| {
                o.reps.iter().map(|rep| RepRow {
                    source: &o.source,
                    rep,
                })
            })
            .collect(),
        errors: outcomes
            .iter()
            .filter_map(|o| {
                o.error.as_deref().map(|error| ErrorRow {
                    source: &o.source,
                    error,
                })
            })
            .collect(),
        totals,
    };
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

/// Header of the per-recording CSV.
pub const RECORDING_CSV_HEADER: [&str; 10] = [
    "source",
    "status",
    "error",
    "rep_count",
    "set_count",
    "duration_s",
    "momentum",
    "lumbar_overextension",
    "partial_range",
    "fails",
];

/// One CSV row per recording (errors included, with empty counts).
pub fn csv_per_recording(outcomes: &[Outcome]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(RECORDING_CSV_HEADER)?;
    let opt = |v: Option<usize>| v.map(|n| n.to_string()).unwrap_or_default();
    for o in outcomes {
        let c = |f: Fault| opt(o.summary.map(|s| s.get(f)));
        let status = match o.status {
            Status::Ok => "ok",
            Status::Faults => "faults",
            Status::Error => "error",
        };
        w.write_record([
            o.source.clone(),
            status.to_string(),
            o.error.clone().unwrap_or_default(),
            opt(o.rep_count),
            opt(o.set_count),
            o.duration_s.map(|d| format!("{d:.3}")).unwrap_or_default(),
            c(Fault::Momentum),
            c(Fault::LumbarOverextension),
            c(Fault::PartialRange),
            (o.fails as u8).to_string(),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// One CSV row per rep of every recording read (the `analyze --format csv` columns).
pub fn csv_per_rep(outcomes: &[Outcome]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(output::REP_CSV_HEADER)?;
    for o in outcomes {
        for row in output::rep_rows(&o.source, &o.reps) {
            w.write_record(&row)?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// Runs `kickback check`: returns the exit status (0, 1 or 2).
pub fn execute(args: &CheckArgs) -> Result<u8> {
    if args.per_rep && args.format == CheckFormat::Table {
        bail!("--per-rep needs --format json or --format csv");
    }
    let settings = args.settings.resolve()?;
    let targets = expand(&args.paths);
    let mut cfg = CheckConfig::new(settings);
    if let Some(j) = args.jobs {
        cfg.jobs = j as usize;
    }
    cfg.read = args.input.read_options()?;
    cfg.fail_on = fail_on_faults(&args.fail_on);
    cfg.output = match &args.output {
        Some(dir) => Some(plan_output(dir, &args.paths, &targets)?),
        None => None,
    };
    cfg.plot = args.plot;
    let parquet = match &args.parquet {
        Some(dir) => Some(crate::parquet::plan(dir, &args.paths, &targets)?),
        None => None,
    };
    cfg.keep_reps = args.per_rep || parquet.is_some();
    cfg.progress = std::io::stderr().is_terminal();
    let outcomes = run(&targets, &cfg)?;
    if let Some(plan) = &parquet {
        crate::parquet::write_check(plan, &outcomes)?;
    }
    let totals = totals(&outcomes, &cfg.fail_on);
    let text = match (args.format, args.per_rep) {
        (CheckFormat::Table, _) => summary_table(&outcomes, &totals),
        (CheckFormat::Json, false) => json_per_recording(&outcomes, &totals)?,
        (CheckFormat::Json, true) => json_per_rep(&outcomes, &totals)?,
        (CheckFormat::Csv, false) => csv_per_recording(&outcomes)?,
        (CheckFormat::Csv, true) => {
            // Per-rep rows cannot hold errors: say them on stderr.
            for o in outcomes.iter().filter(|o| o.status == Status::Error) {
                eprintln!(
                    "kickback: {}: {}",
                    o.source,
                    o.error.as_deref().unwrap_or("")
                );
            }
            csv_per_rep(&outcomes)?
        }
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(totals.exit_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_on_parses_names_all_and_none() {
        assert_eq!(
            parse_fail_on("lumbar-overextension"),
            Ok(FailOn::Fault(Fault::LumbarOverextension))
        );
        assert!(parse_fail_on("lumbar")
            .unwrap_err()
            .contains("unknown fault `lumbar`"));
        assert_eq!(fail_on_faults(&[FailOn::None]), vec![]);
        assert_eq!(
            fail_on_faults(&[FailOn::All, FailOn::Fault(Fault::Momentum)]),
            Fault::ALL.to_vec()
        );
    }

    #[test]
    fn verdicts() {
        let mut o = Outcome::error("a.csv", "a.csv:3:2: bad".into());
        assert_eq!(o.verdict(), "error: a.csv:3:2: bad");
        o.status = Status::Faults;
        o.error = None;
        o.summary = Some(FaultCounts {
            momentum: 3,
            lumbar_overextension: 1,
            partial_range: 0,
        });
        assert_eq!(o.verdict(), "faults: momentum 3, lumbar 1");
        o.status = Status::Ok;
        o.summary = Some(FaultCounts::default());
        assert_eq!(o.verdict(), "ok");
    }

    #[test]
    fn exit_codes_follow_errors_then_fail_on() {
        let ok = |fails| {
            let mut o = Outcome::error("x", String::new());
            o.status = Status::Ok;
            o.error = None;
            o.fails = fails;
            o
        };
        assert_eq!(totals(&[ok(false), ok(false)], &[]).exit_code, 0);
        assert_eq!(totals(&[ok(false), ok(true)], &[]).exit_code, 1);
        assert_eq!(
            totals(&[ok(true), Outcome::error("y", "bad".into())], &[]).exit_code,
            2
        );
        assert_eq!(totals(&[], &[]).exit_code, 0);
    }

    #[test]
    fn stems_are_clean_and_collisions_hashed() {
        assert_eq!(stem_of(Path::new("a/b c.csv")), "b_c");
        assert_eq!(stem_of(Path::new("..csv")), "recording");
        assert_ne!(fnv1a("a/data.csv"), fnv1a("b/data.csv"));
        assert_eq!(fit("abcdef", 4), "…def");
        assert_eq!(fit("abc", 4), "abc");
    }
}
