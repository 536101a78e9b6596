//! Reading a recording and running the engine on it: the one path every
//! subcommand uses.

use anyhow::{Context, Result};
use clap::Args;
use kickback::{Analysis, Analyzer, Settings, Warning};
use kickback_formats::{AccelUnit, Format, GyroUnit, ReadOptions, SourceInfo, TimeUnit};
use serde::Serialize;
use std::path::Path;

/// How to read the input (everything is detected unless given).
#[derive(Debug, Clone, Default, Args)]
pub struct InputArgs {
    /// Input format instead of detecting it (see `kickback formats`).
    #[arg(long, value_name = "NAME")]
    pub input_format: Option<String>,
    /// Accelerometer unit: g or m/s2 (default: detected from the header or the data).
    #[arg(long, value_name = "UNIT")]
    pub accel_unit: Option<String>,
    /// Gyroscope unit: rad/s or deg/s (default: detected).
    #[arg(long, value_name = "UNIT")]
    pub gyro_unit: Option<String>,
    /// Unit of the time column: s, ms, us or ns (default: detected).
    #[arg(long, value_name = "UNIT")]
    pub time_unit: Option<String>,
    /// Sample rate for files without a time column (Apple CoreMotion dumps), Hz.
    #[arg(long, value_name = "HZ")]
    pub rate: Option<f64>,
}

impl InputArgs {
    pub fn read_options(&self) -> Result<ReadOptions> {
        let mut o = ReadOptions::default();
        o.format = self
            .input_format
            .as_deref()
            .map(str::parse::<Format>)
            .transpose()?;
        o.accel_unit = self
            .accel_unit
            .as_deref()
            .map(str::parse::<AccelUnit>)
            .transpose()?;
        o.gyro_unit = self
            .gyro_unit
            .as_deref()
            .map(str::parse::<GyroUnit>)
            .transpose()?;
        o.time_unit = self
            .time_unit
            .as_deref()
            .map(str::parse::<TimeUnit>)
            .transpose()?;
        if let Some(r) = self.rate {
            anyhow::ensure!(
                r.is_finite() && r > 0.0,
                "--rate must be a positive number of Hz, got {r}"
            );
        }
        o.rate_hz = self.rate;
        Ok(o)
    }
}

/// Units of everything in the report, and of the input as read.
#[derive(Debug, Clone, Serialize)]
pub struct Units {
    pub time: &'static str,
    pub angle: &'static str,
    pub angular_velocity: &'static str,
    /// Accelerometer unit found in the input, and why
    /// (e.g. "accelerometer in g (median |a| = 1.00)").
    pub input_acceleration: String,
    /// Gyroscope unit found in the input, and why (null: no gyroscope).
    pub input_angular_velocity: Option<String>,
    /// Time unit / clock of the input, and why.
    pub input_time: String,
}

/// The JSON contract of `kickback analyze --format json` (see README).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The path analysed.
    pub source: String,
    #[serde(flatten)]
    pub analysis: Analysis,
    pub units: Units,
    /// What the reader found: format, files, conventions, rates, clock merge.
    pub input: SourceInfo,
}

/// Reads `path` and analyses it with `settings`, streaming samples from the
/// reader into the online analyzer.
pub fn analyze_path(path: &Path, opts: &ReadOptions, settings: &Settings) -> Result<Report> {
    let recording = kickback_formats::open(path, opts)?;
    let mut analyzer = Analyzer::new(settings.clone())?;
    let mut analysis = Analysis::default();
    let mut samples = recording.samples();
    for s in samples.by_ref() {
        analyzer.push(s?);
        for e in analyzer.drain() {
            analysis.observe(&e);
        }
    }
    analyzer.finish();
    for e in analyzer.drain() {
        analysis.observe(&e);
    }
    let info = samples.into_info();
    // Reader notes come first: they explain the input.
    let mut warnings: Vec<Warning> = info
        .notes
        .iter()
        .map(|n| {
            serde_json::from_value(serde_json::json!({"kind": "input", "t_s": null, "message": n}))
        })
        .collect::<Result<_, _>>()
        .context("building the warnings")?;
    warnings.append(&mut analysis.warnings);
    analysis.warnings = warnings;
    let units = Units {
        time: "s",
        angle: "deg",
        angular_velocity: "deg/s",
        input_acceleration: info.accel.reason.clone(),
        input_angular_velocity: info.gyro.as_ref().map(|g| g.reason.clone()),
        input_time: info.time.reason.clone(),
    };
    Ok(Report {
        source: path.display().to_string(),
        analysis,
        units,
        input: info,
    })
}
