//! Reading a recording and running the engine on it: the one path every
//! subcommand uses.

use anyhow::Result;
use clap::Args;
use kickback::{Analysis, NoTrace, Sample, Session, Settings, TraceSink, Warning, WarningKind};
use kickback_formats::{
    AccelUnit, Format, FormatError, GyroUnit, ReadOptions, SourceInfo, TimeUnit,
};
use serde::Serialize;
use std::path::Path;
use std::sync::mpsc;

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

/// `opts` with the reader's gap limits taken from the settings
/// (`input.gap_warn_s`: gaps reported; `input.gap_split_s`: streams not
/// interpolated across), so that the reader and the engine agree.
pub fn with_gap_settings(opts: &ReadOptions, settings: &Settings) -> ReadOptions {
    let mut o = opts.clone();
    o.gap_report_s = Some(settings.input.gap_warn_s);
    o.interpolation_gap_s = Some(settings.input.gap_split_s);
    o
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

/// How [`analyze_path_with`] shares the work between threads. Both give the
/// same report, warnings and errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pipeline {
    /// Read and analyse on the calling thread.
    SingleThread,
    /// Read (parse, convert, clean) on a thread of its own and hand the
    /// samples to the engine, on the calling thread, in batches of
    /// [`BATCH`], at most [`IN_FLIGHT`] batches ahead.
    Threaded,
}

impl Pipeline {
    /// [`Pipeline::Threaded`] when more than one core is available to this
    /// process (`taskset`, cgroup quotas and the like count), otherwise
    /// [`Pipeline::SingleThread`].
    pub fn auto() -> Pipeline {
        match std::thread::available_parallelism() {
            Ok(n) if n.get() > 1 => Pipeline::Threaded,
            _ => Pipeline::SingleThread,
        }
    }
}

/// Samples in one batch from the reader thread to the engine.
pub const BATCH: usize = 1024;
/// Batches queued between the reader thread and the engine. With the one
/// each side holds, at most `IN_FLIGHT + 2` batches exist (384 KiB).
pub const IN_FLIGHT: usize = 4;

/// Reads `path` and analyses it with `settings`, streaming samples from the
/// reader into the online analyzer, on the calling thread.
pub fn analyze_path(path: &Path, opts: &ReadOptions, settings: &Settings) -> Result<Report> {
    analyze_path_with(path, opts, settings, Pipeline::SingleThread)
}

/// [`analyze_path`] with the reader on its own thread when `pipeline` says
/// so (see [`Pipeline::auto`]).
pub fn analyze_path_with(
    path: &Path,
    opts: &ReadOptions,
    settings: &Settings,
    pipeline: Pipeline,
) -> Result<Report> {
    analyze_path_traced(path, opts, settings, pipeline, NoTrace)
}

/// [`analyze_path_with`] that also sends the elevation trace to `trace`
/// (for plots); the report is the same.
pub fn analyze_path_traced<T: TraceSink>(
    path: &Path,
    opts: &ReadOptions,
    settings: &Settings,
    pipeline: Pipeline,
    trace: T,
) -> Result<Report> {
    let opts = &with_gap_settings(opts, settings);
    let (analysis, info) = match pipeline {
        Pipeline::SingleThread => run_single(path, opts, settings, trace)?,
        Pipeline::Threaded => run_threaded(path, opts, settings, trace)?,
    };
    report(path, analysis, info)
}

fn run_single<T: TraceSink>(
    path: &Path,
    opts: &ReadOptions,
    settings: &Settings,
    trace: T,
) -> Result<(Analysis, SourceInfo)> {
    let recording = kickback_formats::open(path, opts)?;
    let mut session = Session::with_trace(settings.clone(), trace)?;
    let mut samples = recording.samples();
    // the samples before an error are analysed, then the error ends it
    session.try_push_many(samples.by_ref())?;
    Ok((session.finish(), samples.into_info()))
}

/// What the reader thread sends the engine.
enum Msg {
    /// The recording is open (its format and units are decided).
    Opened,
    Batch(Vec<Sample>),
    /// All samples were sent; the final report of the input.
    End(Box<SourceInfo>),
    /// Opening or reading failed (after the samples before the error).
    Failed(FormatError),
}

fn run_threaded<T: TraceSink>(
    path: &Path,
    opts: &ReadOptions,
    settings: &Settings,
    trace: T,
) -> Result<(Analysis, SourceInfo)> {
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel(IN_FLIGHT);
        let (back_tx, back_rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("kickback-reader".into())
            .spawn_scoped(scope, move || read_batches(path, opts, &tx, &back_rx));
        if spawned.is_err() {
            // no thread to be had (a process limit): do it all here
            return run_single(path, opts, settings, trace);
        }
        // Errors in the order of the single-thread path: the input's first.
        // Returning drops `rx`, which stops the reader at its next send.
        match rx.recv() {
            Ok(Msg::Opened) => {}
            Ok(Msg::Failed(e)) => return Err(e.into()),
            _ => anyhow::bail!("the reader thread stopped without a result"),
        }
        let mut session = Session::with_trace(settings.clone(), trace)?;
        loop {
            match rx.recv() {
                Ok(Msg::Batch(b)) => {
                    session.push_many(b.iter().copied());
                    // back for reuse; the reader may be done already
                    let _ = back_tx.send(b);
                }
                Ok(Msg::End(info)) => return Ok((session.finish(), *info)),
                Ok(Msg::Failed(e)) => return Err(e.into()),
                Ok(Msg::Opened) | Err(_) => {
                    anyhow::bail!("the reader thread stopped without a result")
                }
            }
        }
    })
}

/// The reader thread: opens `path` and sends its samples in batches, then
/// the report or the error. Stops when the engine side hangs up.
fn read_batches(
    path: &Path,
    opts: &ReadOptions,
    tx: &mpsc::SyncSender<Msg>,
    back: &mpsc::Receiver<Vec<Sample>>,
) {
    let recording = match kickback_formats::open(path, opts) {
        Ok(r) => r,
        Err(e) => {
            let _ = tx.send(Msg::Failed(e));
            return;
        }
    };
    if tx.send(Msg::Opened).is_err() {
        return;
    }
    let mut samples = recording.samples();
    loop {
        // a batch the engine is done with, or a new one while all are in use
        let mut batch = back
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BATCH));
        batch.clear();
        let more = samples.next_batch(&mut batch, BATCH);
        if !batch.is_empty() && tx.send(Msg::Batch(batch)).is_err() {
            return;
        }
        let last = match more {
            Ok(true) => continue,
            Ok(false) => Msg::End(Box::new(samples.into_info())),
            Err(e) => Msg::Failed(e),
        };
        let _ = tx.send(last);
        return;
    }
}

/// The report of `path` from the analysis and what the reader found.
fn report(path: &Path, mut analysis: Analysis, info: SourceInfo) -> Result<Report> {
    // Reader notes come first: they explain the input.
    let mut warnings: Vec<Warning> = info
        .notes
        .iter()
        .map(|n| Warning::new(WarningKind::Input, None, n.clone()))
        .collect();
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
