//! Readers (and, with the feature `write`, writers) for IMU recordings exported by phone and wearable
//! recorder apps, producing [`kickback::Sample`]s: time in seconds,
//! specific force in m/s² **with gravity** (+9.81 up at rest) and angular
//! rate in rad/s.
//!
//! Supported inputs (see [`formats()`]): Sensor Logger (iOS and Android,
//! folder or zip), phyphox (folder or zip, per-sensor files or `Raw Data.csv`),
//! Physics Toolbox Sensor Suite, MbientLab MetaWear / MetaBase, Shimmer
//! Consensys, Apple CoreMotion dumps (MotionSense), SensorLog, Axivity
//! `cwa-convert` CSV, and any CSV with a header naming a time column and
//! accelerometer (and optionally gyroscope) columns.
//!
//! ```
//! use std::io::Cursor;
//! use kickback_formats::{open_reader, ReadOptions};
//!
//! let csv = "time,ax,ay,az,gx,gy,gz\n\
//!            0.00,0,0,1,0,0,0\n\
//!            0.01,0,0.1,1,10,0,0\n\
//!            0.02,0,0.2,1,20,0,0\n";
//! let rec = open_reader("data.csv", Cursor::new(csv), &ReadOptions::default()).unwrap();
//! // median |a| = 1 → the accelerometer is in g; the report says so and why.
//! assert_eq!(rec.info.accel.unit, "g");
//! let samples: Vec<_> = rec.samples().collect::<Result<_, _>>().unwrap();
//! assert_eq!(samples.len(), 3);
//! assert!((samples[0].acc.z - 9.80665).abs() < 1e-9);
//! ```
//!
//! Opening a file, an export folder or a zip ([`open`]); the format is
//! detected and the samples are streamed:
//!
//! ```
//! use kickback_formats::{open, Format, ReadOptions};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/sample.csv"));
//! let recording = open(path, &ReadOptions::default())?;
//! assert_eq!(recording.info.format, Format::Generic);
//! let mut samples = recording.samples();
//! let mut n = 0;
//! for sample in samples.by_ref() {
//!     let _sample = sample?; // a bad row: the error names file, line and column
//!     n += 1; // (push it to a kickback::Analyzer)
//! }
//! assert_eq!(samples.info().samples, n); // the report is final at the end
//! # Ok(())
//! # }
//! ```
//!
//! The writers of each app's export layout (module `write`, for tests and the
//! simulator) are behind the cargo feature `write`.
//!
//! Design notes:
//! * Each app's format is one module behind one trait: it recognises a CSV
//!   by its header and an export by its files, names its metadata files,
//!   and opens a CSV, a file the user named, or a folder or zip. Detection
//!   (of a CSV, of an export, of the recordings in a folder tree) asks each
//!   app in turn, the generic CSV last.
//! * Every format is **streamed**: only the first rows (up to
//!   [`DETECT_ROWS`]) of each file are buffered to detect units, the rest is
//!   parsed while iterating. Multi-file recordings (Sensor Logger, phyphox
//!   per-sensor files, MetaWear pairs) are read side by side, and Physics
//!   Toolbox's sample-and-hold rows are split into per-sensor events as they
//!   are read; memory stays flat whatever the length.
//! * Merging separate clocks: the **accelerometer timeline is the output
//!   timeline**; the gyroscope (and, for iOS Sensor Logger, the gravity
//!   stream) is linearly interpolated at the accelerometer's timestamps. Only
//!   the span where both streams have data is used (the trimmed seconds are
//!   reported). Accelerometer samples falling inside a gap of more than
//!   [`NO_INTERPOLATION_GAP_S`] (or [`ReadOptions::interpolation_gap_s`]) in
//!   the other stream are dropped, so the output timestamps show the gap
//!   instead of inventing data.
//! * Time is never re-based: timestamps stay in the file's seconds (epoch
//!   seconds for epoch clocks).
//! * Exact duplicate timestamps are dropped (counted). A step backwards in
//!   time of up to 1 s (clock jitter) drops that sample (counted); a lone
//!   sample whose time jumps ahead or back and then returns is dropped
//!   (counted); a clock that really runs backwards is an error
//!   ([`ErrorKind::TimeBackwards`]).
//! * Rows with NaN / empty / `null` in a required value are skipped and
//!   counted; text that is not a number is an error naming file, line and
//!   column. A short last row (truncated file) is skipped with a warning.
//! * Input is untrusted: lines are capped at [`text::MAX_LINE_BYTES`],
//!   rows at [`text::MAX_COLUMNS`] fields, zips at [`MAX_ZIP_BYTES`]
//!   decompressed bytes in total.

#![warn(missing_docs)]

mod apps;
mod assemble;
mod batched;
mod clean;
mod columns;
mod container;
mod decode;
mod detect;
mod error;
mod merge;
mod single;
pub mod text;
mod units;
#[cfg(feature = "write")]
pub mod write;

pub use container::{MAX_ZIP_ENTRIES, MAX_ZIP_RATIO, ZIP_RATIO_FROM_BYTES};
pub use detect::{find_recordings, recording_for, scan, Scan, Skipped};
pub use error::{escape, ErrorKind, FormatError, UnusableReason};
pub use kickback::Sample;
pub use units::{AccelUnit, GyroUnit, TimeUnit};

use serde::Serialize;
use std::fmt;
use std::io;
use std::path::Path;
use std::str::FromStr;

/// Rows buffered at the start of a streamed file to detect units.
pub const DETECT_ROWS: usize = 2000;
/// Gaps longer than this (seconds) are listed in [`SourceInfo::gaps`]
/// unless [`ReadOptions::gap_report_s`] says otherwise.
pub const GAP_REPORT_S: f64 = 0.25;
/// Streams are not interpolated across gaps longer than this (seconds),
/// unless [`ReadOptions::interpolation_gap_s`] says otherwise.
pub const NO_INTERPOLATION_GAP_S: f64 = 1.0;
/// Most bytes decompressed from one zip (2 GiB).
pub const MAX_ZIP_BYTES: u64 = 2 << 30;

/// A supported input format. Serialised (and shown) as its name in
/// [`formats()`], e.g. `"sensor-logger"`, `"metawear"`.
///
/// ```
/// use kickback_formats::Format;
/// assert_eq!(serde_json::to_string(&Format::MetaWear).unwrap(), "\"metawear\"");
/// assert_eq!("Sensor Logger".parse::<Format>().unwrap(), Format::SensorLogger);
/// assert_eq!(Format::PhysicsToolbox.to_string(), "physics-toolbox");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Format {
    /// Sensor Logger (iOS and Android): folder or zip of per-sensor CSVs.
    SensorLogger,
    /// phyphox: folder or zip (per-sensor files or `Raw Data.csv`).
    Phyphox,
    /// Physics Toolbox Sensor Suite multi-record CSV.
    PhysicsToolbox,
    /// MbientLab MetaWear / MetaBase per-sensor CSVs.
    MetaWear,
    /// Shimmer Consensys CSV.
    Shimmer,
    /// Apple CoreMotion dump (MotionSense dataset).
    CoreMotion,
    /// SensorLog (iOS) wide CSV.
    SensorLog,
    /// Axivity AX3/AX6 CSV from cwa-convert / OMGUI.
    Axivity,
    /// Any CSV with named time / accelerometer / gyroscope columns.
    #[default]
    Generic,
}

impl Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Name and one-line description of a supported format.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FormatDescription {
    /// The format.
    pub format: Format,
    /// Name accepted by `--input-format`.
    pub name: &'static str,
    /// One-line description.
    pub description: &'static str,
}

static FORMATS: &[FormatDescription] = &[
    FormatDescription { format: Format::SensorLogger, name: "sensor-logger", description: "Sensor Logger (iOS/Android): export folder or zip with Accelerometer.csv + Gravity.csv or TotalAcceleration.csv, Gyroscope.csv" },
    FormatDescription { format: Format::Phyphox, name: "phyphox", description: "phyphox: export folder or zip (Accelerometer.csv/Gyroscope.csv, or Raw Data.csv), any delimiter, decimal comma" },
    FormatDescription { format: Format::PhysicsToolbox, name: "physics-toolbox", description: "Physics Toolbox Sensor Suite multi-record CSV (time,gFx,gFy,gFz,...,wx,wy,wz), ',' or ';' with decimal comma" },
    FormatDescription { format: Format::MetaWear, name: "metawear", description: "MbientLab MetaWear/MetaBase: *_Accelerometer_*.csv (g) + *_Gyroscope_*.csv (deg/s), paired by name" },
    FormatDescription { format: Format::Shimmer, name: "shimmer", description: "Shimmer Consensys CSV (\"sep=;\" line, units row, Unix ms timestamps)" },
    FormatDescription { format: Format::CoreMotion, name: "coremotion", description: "Apple CoreMotion dump (gravity.x + userAcceleration.x in g, rotationRate.x); needs --rate when it has no time column" },
    FormatDescription { format: Format::SensorLog, name: "sensorlog", description: "SensorLog (iOS) wide CSV: accelerometerAccelerationX(G), gyroRotationX(rad/s)" },
    FormatDescription { format: Format::Axivity, name: "axivity", description: "Axivity AX3/AX6 CSV from cwa-convert: no header, 'YYYY-MM-DD hh:mm:ss.fff,x,y,z[,gx,gy,gz]' in g and deg/s" },
    FormatDescription { format: Format::Generic, name: "generic", description: "Any CSV with a header naming time, ax/ay/az (and gx/gy/gz) columns; ',' ';' or tab; units detected or given" },
];

/// All supported formats with a one-line description (for `kickback formats`).
///
/// ```
/// let names: Vec<_> = kickback_formats::formats().iter().map(|f| f.name).collect();
/// assert!(names.contains(&"sensor-logger"));
/// assert!(names.contains(&"generic"));
/// ```
pub fn formats() -> &'static [FormatDescription] {
    FORMATS
}

impl Format {
    /// The name accepted by `--input-format`.
    pub fn name(self) -> &'static str {
        FORMATS
            .iter()
            .find(|d| d.format == self)
            .map(|d| d.name)
            .unwrap_or("generic")
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = FormatError;
    /// Parses a format name (case-insensitive; `_`, space and `-` are equal;
    /// a few aliases such as `csv`, `metabase`, `motionsense` are accepted).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let f = match k.as_str() {
            "sensorlogger" => Format::SensorLogger,
            "phyphox" => Format::Phyphox,
            "physicstoolbox" | "physicstoolboxsuite" | "physicstoolboxsensorsuite" => {
                Format::PhysicsToolbox
            }
            "metawear" | "metabase" | "mbientlab" => Format::MetaWear,
            "shimmer" | "consensys" => Format::Shimmer,
            "coremotion" | "motionsense" => Format::CoreMotion,
            "sensorlog" => Format::SensorLog,
            "axivity" | "ax3" | "ax6" | "cwa" => Format::Axivity,
            "generic" | "csv" => Format::Generic,
            _ => {
                return Err(FormatError::from(error::ErrorKind::BadOption {
                    what: "input format".into(),
                    value: s.to_string(),
                    expected: FORMATS
                        .iter()
                        .map(|d| d.name)
                        .collect::<Vec<_>>()
                        .join(", "),
                }))
            }
        };
        Ok(f)
    }
}

/// Options for reading. Everything defaults to "detect".
///
/// ```
/// use kickback_formats::{ReadOptions, AccelUnit};
/// let mut opts = ReadOptions::default();
/// opts.accel_unit = Some("g".parse::<AccelUnit>().unwrap());
/// opts.rate_hz = Some(50.0);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Force a format instead of detecting it from the content.
    pub format: Option<Format>,
    /// Accelerometer unit (overrides the header and the data).
    pub accel_unit: Option<AccelUnit>,
    /// Gyroscope unit (overrides the header and the data).
    pub gyro_unit: Option<GyroUnit>,
    /// Unit of a numeric time column (overrides the header and the data).
    pub time_unit: Option<TimeUnit>,
    /// Sample rate for files without a time column (CoreMotion dumps).
    pub rate_hz: Option<f64>,
    /// Gaps longer than this (s) are listed in [`SourceInfo::gaps`]
    /// (default [`GAP_REPORT_S`]; the CLI passes `input.gap_warn_s`).
    pub gap_report_s: Option<f64>,
    /// Streams are not interpolated across gaps longer than this (s)
    /// (default [`NO_INTERPOLATION_GAP_S`]; the CLI passes
    /// `input.gap_split_s`).
    pub interpolation_gap_s: Option<f64>,
}

impl ReadOptions {
    /// The gap length (s) above which gaps are reported.
    pub fn gap_report_s(&self) -> f64 {
        self.gap_report_s
            .filter(|g| g.is_finite() && *g > 0.0)
            .unwrap_or(GAP_REPORT_S)
    }
    /// The gap length (s) across which streams are not interpolated.
    pub fn interpolation_gap_s(&self) -> f64 {
        self.interpolation_gap_s
            .filter(|g| g.is_finite() && *g > 0.0)
            .unwrap_or(NO_INTERPOLATION_GAP_S)
    }
}

/// A unit and how it was determined.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct UnitReport {
    /// The unit as written in the input (`"g"`, `"m/s²"`, `"deg/s"`, `"ns"`, ...).
    pub unit: String,
    /// Why this unit was chosen, e.g. `"accelerometer in g (median |a| = 1.00)"`.
    pub reason: String,
}

/// A gap in the time line.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Gap {
    /// Time (s, as in the samples) of the last sample before the gap.
    pub start_s: f64,
    /// Length of the gap in seconds.
    pub length_s: f64,
}

/// What was found in the input and how it was interpreted.
///
/// Fields describing the whole content (counts, duration, gaps) are final
/// once the sample iterator is exhausted ([`Samples::info`]); for in-memory
/// formats they are final right away.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct SourceInfo {
    /// The format read (serialised as its name in [`formats()`]).
    pub format: Format,
    /// Why the format was chosen.
    pub detected_by: String,
    /// Files used (paths; zip entries as `zip!entry`).
    pub files: Vec<String>,
    /// Platform / device when known (e.g. "ios, iPhone 12 mini").
    pub device: Option<String>,
    /// Accelerometer unit in the input.
    pub accel: UnitReport,
    /// Gyroscope unit in the input; `None` when there is no gyroscope.
    pub gyro: Option<UnitReport>,
    /// Time unit / clock of the input.
    pub time: UnitReport,
    /// Sign convention applied, e.g. "iOS (CoreMotion) sign: negated to read +9.81 up at rest".
    pub sign_convention: String,
    /// How the specific force (with gravity) was obtained.
    pub gravity: String,
    /// Median accelerometer rate (Hz) of the input.
    pub accel_rate_hz: Option<f64>,
    /// Median gyroscope rate (Hz) of the input.
    pub gyro_rate_hz: Option<f64>,
    /// How separate clocks were merged.
    pub clock_merge: String,
    /// Seconds cut at the start and end because only one stream had data.
    pub trimmed_s: f64,
    /// Samples produced (final after iteration).
    pub samples: usize,
    /// First and last sample time (s), when known.
    pub first_t: Option<f64>,
    /// Last sample time (s), when known.
    pub last_t: Option<f64>,
    /// Exact-duplicate timestamps dropped.
    pub duplicates_dropped: usize,
    /// Samples dropped because time stepped backwards (jitter ≤ 1 s).
    pub backwards_dropped: usize,
    /// Lone samples dropped because their time jumped away (ahead, or back
    /// by more than 1 s) and the next sample returned to the clock.
    pub time_outliers_dropped: usize,
    /// Line of the first such sample.
    pub first_time_outlier_line: Option<u64>,
    /// Rows skipped because a value is beyond any sensor's range (a corrupt
    /// cell such as 1e308).
    pub implausible_rows: usize,
    /// Rows skipped because a required value was NaN / empty / null.
    pub missing_value_rows: usize,
    /// Short rows skipped (a truncated last row, or ragged rows where the format allows).
    pub short_rows: usize,
    /// Samples dropped because the other stream had a gap > 1 s around them.
    pub dropped_in_gaps: usize,
    /// Gaps longer than [`GAP_REPORT_S`] (first 100).
    pub gaps: Vec<Gap>,
    /// Number of gaps longer than [`GAP_REPORT_S`].
    pub gap_count: usize,
    /// Human-readable notes and warnings.
    pub notes: Vec<String>,
}

impl SourceInfo {
    /// Duration (s) from the first to the last sample, when known.
    pub fn duration_s(&self) -> Option<f64> {
        Some(self.last_t? - self.first_t?)
    }
}

pub(crate) enum Inner {
    Memory(std::vec::IntoIter<Sample>),
    Stream(Box<batched::Batched<single::SingleStream>>),
    Merged(Box<batched::Batched<assemble::Merged>>),
}

/// An opened recording: the report and the samples (streamed or in memory).
pub struct Recording {
    /// What was found (see [`SourceInfo`] for which fields are final).
    pub info: SourceInfo,
    pub(crate) inner: Inner,
}

impl fmt::Debug for Recording {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recording")
            .field("info", &self.info)
            .finish()
    }
}

impl Recording {
    /// The samples in time order (strictly increasing `t`).
    pub fn samples(self) -> Samples {
        Samples {
            info: self.info,
            inner: self.inner,
            failed: false,
        }
    }

    /// Reads everything: the samples and the final report.
    pub fn read_all(self) -> Result<(Vec<Sample>, SourceInfo), FormatError> {
        let mut it = self.samples();
        let mut v = Vec::new();
        for s in it.by_ref() {
            v.push(s?);
        }
        Ok((v, it.info))
    }
}

/// Iterator over the samples of a [`Recording`]; after the last item,
/// [`Samples::info`] holds the final counts.
pub struct Samples {
    info: SourceInfo,
    inner: Inner,
    failed: bool,
}

impl Samples {
    /// The report, updated as samples are read (a streamed file is read
    /// ahead in batches, so before the end its counts may include rows not
    /// yet handed out).
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }
    /// Appends up to `max` samples to `out`: the items [`Iterator::next`]
    /// would give, without handing them out one by one. Returns `Ok(true)`
    /// while more samples may follow and `Ok(false)` at the end. An error
    /// is returned after the samples before it were appended, and ends the
    /// samples like an `Err` item does.
    ///
    /// ```
    /// use std::io::Cursor;
    /// use kickback_formats::{open_reader, ReadOptions};
    /// let csv = "time,ax,ay,az\n0.00,0,0,1\n0.01,0,0,1\n0.02,0,0,1\n";
    /// let mut it = open_reader("d.csv", Cursor::new(csv), &ReadOptions::default())
    ///     .unwrap()
    ///     .samples();
    /// let mut batch = Vec::new();
    /// assert!(it.next_batch(&mut batch, 2).unwrap());
    /// assert_eq!(batch.len(), 2);
    /// while it.next_batch(&mut batch, 2).unwrap() {}
    /// assert_eq!(batch.len(), 3);
    /// assert_eq!(it.info().samples, 3);
    /// ```
    pub fn next_batch(&mut self, out: &mut Vec<Sample>, max: usize) -> Result<bool, FormatError> {
        if self.failed {
            return Ok(false);
        }
        match &mut self.inner {
            Inner::Memory(it) => {
                out.extend(it.by_ref().take(max));
                Ok(it.len() > 0)
            }
            Inner::Stream(s) => {
                let r = s.next_batch(out, max, &mut self.info);
                if r.is_err() {
                    self.failed = true;
                }
                r
            }
            Inner::Merged(s) => {
                let r = s.next_batch(out, max, &mut self.info);
                if r.is_err() {
                    self.failed = true;
                }
                r
            }
        }
    }

    /// Consumes the iterator, returning the report.
    pub fn into_info(self) -> SourceInfo {
        self.info
    }
}

impl Iterator for Samples {
    type Item = Result<Sample, FormatError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match &mut self.inner {
            Inner::Memory(it) => it.next().map(Ok),
            Inner::Stream(s) => {
                let r = s.next_sample(&mut self.info);
                if matches!(r, Some(Err(_))) {
                    self.failed = true;
                }
                r
            }
            Inner::Merged(s) => {
                let r = s.next_sample(&mut self.info);
                if matches!(r, Some(Err(_))) {
                    self.failed = true;
                }
                r
            }
        }
    }
}

/// Opens a recording: a file, an export folder or a zip. The format is
/// detected from the content unless `opts.format` is set.
///
/// The path `-` reads standard input (one CSV, format detected from its
/// content). A file that is one part of a multi-file export (Sensor
/// Logger's `Accelerometer.csv`, phyphox's `Gyroscope.csv`) is an error that
/// names the export folder to open instead; a file that holds a recording
/// by itself is read on its own, never together with files beside it.
pub fn open(path: &Path, opts: &ReadOptions) -> Result<Recording, FormatError> {
    detect::open(path, opts)
}

/// Opens a recording from any reader (a pipe, a socket, bytes in memory):
/// one CSV whose format is detected from its content (header), as
/// [`open`] detects a file's, unless `opts.format` is set. A multi-file
/// format read this way uses only this file. `name` is used in messages.
///
/// ```
/// use std::io::Cursor;
/// use kickback_formats::{open_reader, ReadOptions, FormatError};
/// let err = open_reader("data.csv", Cursor::new("time,foo,bar\n0,1,2\n"), &ReadOptions::default())
///     .unwrap_err();
/// assert!(err.to_string().starts_with("data.csv: no accelerometer columns found"));
/// ```
pub fn open_reader<R: io::Read + 'static>(
    name: &str,
    reader: R,
    opts: &ReadOptions,
) -> Result<Recording, FormatError> {
    apps::read_single(name, Box::new(reader), opts)
}
