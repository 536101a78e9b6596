//! One module per app format, each behind the one trait [`App`]; detection
//! in one place: [`detect_table`], [`detect_export`] and [`export_of`] ask
//! each app of [`APPS`] in turn.

mod axivity;
mod coremotion;
mod generic;
mod metawear;
mod phyphox;
mod physics_toolbox;
mod sensor_logger;
mod sensorlog;
mod shimmer;

use crate::columns::STD_SIGN;
use crate::container::{base, is_csv, label, Container};
use crate::error::{ErrorKind, FormatError};
use crate::single::Table;
use crate::{Format, ReadOptions, Recording, SourceInfo};
use std::io::Read;
use std::path::Path;

/// A recording opened, or why it could not be.
pub(crate) type Opened = Result<Recording, FormatError>;

/// What the readers know of one app's exports: how to recognise them and
/// how to open them.
pub(crate) trait App: Sync {
    /// The format this module reads.
    fn format(&self) -> Format;

    /// Why a single CSV (its header and first lines) is this app's, or
    /// `None`.
    fn sniff(&self, t: &Table) -> Option<&'static str>;

    /// Whether a folder or zip is this app's export. `sig` is the
    /// lower-case header of its first CSV that is no metadata.
    fn sniff_export(&self, _c: &Container, _sig: &[String]) -> bool {
        false
    }

    /// Whether the lower-case names of a folder's files make one export of
    /// this app (read as one recording by a folder walk or a glob).
    fn names_are_export(&self, _names: &[String]) -> bool {
        false
    }

    /// Lower-case names of the files of this app's exports that hold
    /// metadata, no recording.
    fn metadata_files(&self) -> &'static [&'static str] {
        &[]
    }

    /// The file of the same recording that the file `name` is opened
    /// through, among the `names` of its folder (none by default).
    fn partner(&self, _name: &str, _names: &[String]) -> Option<String> {
        None
    }

    /// The app's name in messages.
    fn app_name(&self) -> &'static str {
        self.format().name()
    }

    /// Opens one CSV in this format (the single-file view: only this file
    /// is read).
    fn open_table(&self, table: Table, why: &str, opts: &ReadOptions) -> Opened;

    /// Opens a file the user named at `path`, already opened as `table`:
    /// read on its own, or an error that names what to open instead.
    fn open_file(&self, _path: &Path, table: Table, why: &str, opts: &ReadOptions) -> Opened {
        self.open_table(table, why, opts)
    }

    /// Opens an export folder or zip of this app (by default: its one CSV).
    fn open_export(&self, c: &Container, _why: &str, opts: &ReadOptions) -> Opened {
        let csvs = c.csvs();
        if csvs.len() != 1 {
            return Err(FormatError::new(
                &c.label,
                ErrorKind::MissingFiles {
                    message: format!(
                        "format {} reads a single CSV, but this folder/zip holds {} CSV files",
                        self.format().name(),
                        csvs.len()
                    ),
                    expected: "exactly one CSV".into(),
                    found: c.listing(),
                },
            ));
        }
        let (name, r) = c.open(csvs[0])?;
        read_single(&name, r, opts)
    }
}

/// Every app, in the order detection asks them: the specific signatures
/// first, the generic CSV last.
static APPS: &[&dyn App] = &[
    &sensor_logger::SensorLogger,
    &phyphox::Phyphox,
    &physics_toolbox::PhysicsToolbox,
    &metawear::MetaWear,
    &coremotion::CoreMotion,
    &sensorlog::SensorLog,
    &shimmer::Shimmer,
    &axivity::Axivity,
    &generic::Generic,
];

/// The module of a format.
fn app(format: Format) -> &'static dyn App {
    APPS.iter()
        .copied()
        .find(|a| a.format() == format)
        .unwrap_or(&generic::Generic)
}

/// The app whose CSV `t` is (forced by `opts.format`, or detected), and why.
fn detect_table(t: &Table, opts: &ReadOptions) -> Result<(&'static dyn App, String), FormatError> {
    if let Some(f) = opts.format {
        return Ok((app(f), "forced by option".to_string()));
    }
    if let Some((a, why)) = APPS.iter().find_map(|a| Some((*a, a.sniff(t)?))) {
        return Ok((a, why.to_string()));
    }
    Err(headerless(t))
}

/// Why a table no app recognises (one without a header) cannot be read.
fn headerless(t: &Table) -> FormatError {
    let first = t.peek_lines().next().unwrap_or("");
    let f = match t.split(first, 0) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let lines: Vec<&str> = t.peek_lines().take(3).collect();
    if lines.len() >= 2 && f.len() == 3 {
        let l2 = match t.split(lines[1], 0) {
            Ok(l2) => l2,
            Err(e) => return e,
        };
        let same = |v: &[String]| v.iter().all(|x| x.trim() == v[0].trim());
        if same(&f) && same(&l2) {
            return FormatError::new(&t.name, ErrorKind::Unsupported {
                message: "this looks like an Empatica E4 file (row 1 = start time, row 2 = rate, then 1/64 g counts); Empatica E4 is not supported: its wrist accelerometer has no gyroscope and no ankle placement".into(),
            });
        }
    }
    FormatError::new(&t.name, ErrorKind::MissingColumns {
        what: "header".into(),
        expected: "a header row naming a time column and three accelerometer columns (e.g. time,ax,ay,az,gx,gy,gz), or --input-format axivity for headerless Axivity files".into(),
        found: format!("a data row: {}", crate::text::found(first)),
    })
}

/// Reads one CSV from a reader (format forced or detected from its
/// content); only this CSV is read.
pub(crate) fn read_single(
    name: &str,
    r: Box<dyn Read>,
    opts: &ReadOptions,
) -> Result<Recording, FormatError> {
    let table = Table::open(name, r)?;
    let (a, why) = detect_table(&table, opts)?;
    a.open_table(table, &why, opts)
}

/// Opens a file the user named, already opened as `table`.
pub(crate) fn open_file(path: &Path, table: Table, opts: &ReadOptions) -> Opened {
    let (a, why) = detect_table(&table, opts)?;
    a.open_file(path, table, &why, opts)
}

/// Opens a folder or zip: an app's export, or a folder or zip with one CSV.
pub(crate) fn open_export(c: Container, opts: &ReadOptions) -> Opened {
    let (a, why) = match opts.format {
        Some(f) => (app(f), "forced by option".to_string()),
        None => match detect_export(&c) {
            Some(a) => (a, format!("{} export folder/zip", a.format().name())),
            None if c.csvs().len() == 1 => {
                let rel = c.csvs()[0].clone();
                let (name, r) = c.open(&rel)?;
                return read_single(&name, r, opts);
            }
            None => {
                return Err(FormatError::new(&c.label, ErrorKind::MissingFiles {
                    message: "no recording recognised in this folder/zip".into(),
                    expected: "a Sensor Logger export (Accelerometer.csv, Gravity.csv or TotalAcceleration.csv, Metadata.csv), a phyphox export (Accelerometer.csv / Raw Data.csv with \"Time (s)\"), MetaWear *_Accelerometer_*.csv files, or a single CSV".into(),
                    found: c.listing(),
                }))
            }
        },
    };
    a.open_export(&c, &why, opts)
}

/// The app whose export a folder or zip is, if any.
fn detect_export(c: &Container) -> Option<&'static dyn App> {
    let first_csv = c
        .csvs()
        .into_iter()
        .find(|f| !is_metadata(&base(f).to_ascii_lowercase()));
    let sig: Vec<String> = first_csv
        .and_then(|f| c.table(f).ok().and_then(|t| t.header))
        .unwrap_or_default()
        .iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    APPS.iter().copied().find(|a| a.sniff_export(c, &sig))
}

/// Whether lower-case file names make an app's multi-file export (Sensor
/// Logger, phyphox), read as one recording.
pub(crate) fn names_are_export(lower: &[String]) -> bool {
    APPS.iter().any(|a| a.names_are_export(lower))
}

/// Whether the folder `dir` holds an app's multi-file export.
pub(crate) fn dir_is_export(dir: &Path) -> bool {
    names_are_export(&crate::container::file_names(dir))
}

/// Whether a lower-case file name is an app's metadata file.
pub(crate) fn is_metadata(lower: &str) -> bool {
    APPS.iter().any(|a| a.metadata_files().contains(&lower))
}

/// The app whose metadata file a lower-case file name is.
pub(crate) fn metadata_of(lower: &str) -> Option<&'static dyn App> {
    APPS.iter()
        .copied()
        .find(|a| a.metadata_files().contains(&lower))
}

/// The file that a file of a folder is opened through (a MetaWear
/// gyroscope file's accelerometer partner), if any; `names` are the names
/// of the files in its folder.
pub(crate) fn partner(name: &str, names: &[String]) -> Option<String> {
    APPS.iter().find_map(|a| a.partner(name, names))
}

/// The error for a named file that is one part of a multi-file export and
/// holds no recording on its own.
pub(crate) fn part_of_export(file: &str, app: &str, what: &str, folder: &Path) -> FormatError {
    FormatError::new(file, ErrorKind::Unsupported {
        message: format!(
            "this is one file of the {app} export in {} and holds {what}, no recording on its own; name the export folder (or its zip) instead: {}",
            label(folder),
            label(folder)
        ),
    })
}

/// A report of `format` for one file.
fn base_info(format: Format, why: &str, file: &str) -> SourceInfo {
    SourceInfo {
        format,
        detected_by: why.to_string(),
        files: vec![file.to_string()],
        sign_convention: STD_SIGN.into(),
        ..Default::default()
    }
}

/// How many of the names are CSV files.
fn csv_count(names: &[String]) -> usize {
    names.iter().filter(|n| is_csv(n)).count()
}

/// A table's header names, trimmed and lower-case, for sniffing.
struct Lower(Vec<String>);

impl Lower {
    /// `None` for a headerless table.
    fn of(t: &Table) -> Option<Lower> {
        let h = t.header.as_ref()?;
        Some(Lower(
            h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        ))
    }
    fn has(&self, s: &str) -> bool {
        self.0.iter().any(|x| x == s)
    }
    fn any_contains(&self, s: &str) -> bool {
        self.0.iter().any(|x| x.contains(s))
    }
    fn first(&self) -> &str {
        self.0.first().map(|s| s.as_str()).unwrap_or("")
    }
}
