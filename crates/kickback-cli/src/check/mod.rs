//! `kickback check`: form checks over many recordings at once.
//!
//! * [`targets`]: the command line's files, folders and globs expanded into
//!   recordings;
//! * [`plan`]: where `--output` writes, refusing inputs;
//! * [`mod@run`]: each recording read and analysed once on a worker pool, its
//!   status (ok, warnings, faults, unusable, error), the totals and the exit
//!   status;
//! * [`render`]: the table, JSON and CSV, one renderer per format.
//!
//! Memory is bounded per worker (the readers stream and the engine is
//! online); per recording only a small [`Outcome`] is kept (plus its reps
//! with `--per-rep`).

pub mod plan;
pub mod render;
pub mod run;
pub mod targets;

pub use plan::{plan_output, OutputPlan};
pub use render::Renderer;
pub use run::{
    run, totals, CheckConfig, FailRules, Outcome, Status, Totals, Unusable, UnusableKind,
    MIN_RATE_HZ,
};
pub use targets::{expand, Target};

use crate::input::InputArgs;
use crate::plot::PlotFormat;
use crate::settings_args::SettingsArgs;
use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use kickback::{coaching, Fault};
use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;

/// The exit codes of `kickback check`, as shown in `--help`.
pub const EXIT_CODES: &str = "\
Statuses: ok, warnings (read, no faults, the analysis warned), faults,
unusable (read, but no valid samples, a rate below 12 Hz, an accelerometer
that contradicts its unit, or too short for a rep) and error (not read).

Exit status:
  0  no recording fails the check
  1  some recording has a fault (or warnings) named in --fail-on
  2  usage error, some recording could not be read (or its report not
     written), or some is unusable and `unusable` is in --fail-on";

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

impl CheckFormat {
    /// The renderer of this format.
    pub fn renderer(self) -> Box<dyn Renderer> {
        match self {
            CheckFormat::Table => Box::new(render::Table),
            CheckFormat::Json => Box::new(render::Json),
            CheckFormat::Csv => Box::new(render::Csv),
        }
    }
}

/// A `--fail-on` item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// This fault fails the check.
    Fault(Fault),
    /// Any fault fails the check (`faults`).
    Faults,
    /// A recording with warnings fails the check.
    Warnings,
    /// An unusable recording fails the check (exit 2).
    Unusable,
    /// An unreadable recording fails the check (always on).
    Error,
    /// Nothing but unreadable recordings fails the check.
    None,
    /// Every fault, warnings and unusable recordings fail the check.
    All,
}

/// The words `--fail-on` takes besides fault names.
const FAIL_ON_WORDS: &str = "faults, warnings, unusable, error, all or none";

/// Parses a `--fail-on` item: a fault name, a status word, `none` or `all`.
pub fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "none" => Ok(FailOn::None),
        "all" => Ok(FailOn::All),
        "faults" => Ok(FailOn::Faults),
        "warnings" | "warning" => Ok(FailOn::Warnings),
        "unusable" => Ok(FailOn::Unusable),
        "error" | "errors" => Ok(FailOn::Error),
        other => coaching::parse_fault(other)
            .map(FailOn::Fault)
            .ok_or_else(|| {
                format!(
                    "unknown fault or status `{s}`; expected a fault ({}), or {FAIL_ON_WORDS}",
                    Fault::ALL
                        .map(|f| format!("{} or {}", coaching::fault_word(f), f.as_str()))
                        .join(", ")
                )
            }),
    }
}

/// What `--fail-on` items make fail (unreadable recordings always do).
pub fn fail_rules(items: &[FailOn]) -> FailRules {
    let mut r = FailRules {
        faults: Vec::new(),
        warnings: false,
        unusable: false,
    };
    for item in items {
        match item {
            FailOn::Fault(f) => r.faults.push(*f),
            FailOn::Faults => r.faults.extend(Fault::ALL),
            FailOn::Warnings => r.warnings = true,
            FailOn::Unusable => r.unusable = true,
            FailOn::Error | FailOn::None => {}
            FailOn::All => {
                r.faults.extend(Fault::ALL);
                r.warnings = true;
                r.unusable = true;
            }
        }
    }
    r.faults.sort();
    r.faults.dedup();
    r
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
    /// What fails the check, comma-separated: faults (momentum, lumbar,
    /// partial, or their full names; `faults` for any), `warnings`,
    /// `unusable`, `error` (always on), `all` or `none`.
    #[arg(
        long,
        value_name = "ITEMS",
        value_delimiter = ',',
        default_value = "momentum,lumbar_overextension,unusable,error",
        value_parser = parse_fail_on
    )]
    pub fail_on: Vec<FailOn>,
    /// Write one JSON report (as `analyze --format json`) per recording into
    /// DIR (created if needed; never an input folder), atomically.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Also write one plot per recording into the --output DIR: SVG, or PNG
    /// with --plot=png.
    #[arg(
        long,
        requires = "output",
        value_enum,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "svg",
        value_name = "FORMAT"
    )]
    pub plot: Option<PlotFormat>,
    /// Also write the results as Parquet into DIR (created if needed):
    /// recordings.parquet and reps.parquet, typed columns (see the README).
    #[cfg(feature = "parquet")]
    #[arg(long, value_name = "DIR")]
    pub parquet: Option<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub settings: SettingsArgs,
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
    cfg.fail_on = fail_rules(&args.fail_on);
    cfg.output = match &args.output {
        Some(dir) => Some(plan_output(dir, &args.paths, &targets)?),
        None => None,
    };
    cfg.plot = args.plot;
    #[cfg(feature = "parquet")]
    let parquet = match &args.parquet {
        Some(dir) => Some(crate::parquet::plan(dir, &args.paths, &targets)?),
        None => None,
    };
    #[cfg(feature = "parquet")]
    let keep_for_parquet = parquet.is_some();
    #[cfg(not(feature = "parquet"))]
    let keep_for_parquet = false;
    cfg.keep_reps = args.per_rep || keep_for_parquet;
    cfg.progress = std::io::stderr().is_terminal();
    let outcomes = run(&targets, &cfg)?;
    #[cfg(feature = "parquet")]
    if let Some(plan) = &parquet {
        crate::parquet::write_check(plan, &outcomes)?;
    }
    let totals = totals(&outcomes, &cfg.fail_on);
    let renderer = args.format.renderer();
    let bytes = if args.per_rep {
        match renderer.per_rep(&outcomes, &totals) {
            Some(b) => b?,
            None => bail!("--per-rep needs --format json or --format csv"),
        }
    } else {
        renderer.per_recording(&outcomes, &totals)?
    };
    std::io::stdout().lock().write_all(&bytes)?;
    Ok(totals.exit_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_on_parses_faults_words_statuses_all_and_none() {
        let p = |s| parse_fail_on(s).unwrap();
        assert_eq!(
            p("lumbar-overextension"),
            FailOn::Fault(Fault::LumbarOverextension)
        );
        assert_eq!(p("lumbar"), FailOn::Fault(Fault::LumbarOverextension));
        assert_eq!(p("Partial"), FailOn::Fault(Fault::PartialRange));
        for (word, item) in [
            ("faults", FailOn::Faults),
            ("warnings", FailOn::Warnings),
            ("unusable", FailOn::Unusable),
            ("error", FailOn::Error),
        ] {
            assert_eq!(p(word), item);
        }
        assert!(parse_fail_on("wobble")
            .unwrap_err()
            .contains("unknown fault or status `wobble`"));
        assert_eq!(fail_rules(&[FailOn::None]).names(), ["error"]);
        assert_eq!(
            fail_rules(&[FailOn::All, FailOn::Fault(Fault::Momentum)]),
            FailRules {
                faults: Fault::ALL.to_vec(),
                warnings: true,
                unusable: true
            }
        );
        assert_eq!(
            fail_rules(&[FailOn::Warnings, FailOn::Faults]).names(),
            [
                "momentum",
                "lumbar_overextension",
                "partial_range",
                "warnings",
                "error"
            ]
        );
    }
}
