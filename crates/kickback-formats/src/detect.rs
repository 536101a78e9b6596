//! Opening files, folders and zips; format detection; multi-file formats.

use crate::error::{escape, short_list, shorten, ErrorKind, FormatError};
use crate::formats::{self, axis_file, load_stream, StreamKind, IOS_SIGN, STD_SIGN};
use crate::merge::merge;
use crate::single::{self, Table};
use crate::{Format, ReadOptions, Recording, SourceInfo, MAX_ZIP_BYTES};
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Most entries read from a zip's central directory.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// Largest compression ratio accepted for a zip entry of more than
/// [`ZIP_RATIO_FROM_BYTES`]: sensor CSVs deflate about 3–10 to 1, a zip
/// bomb 1,000 to 1.
pub const MAX_ZIP_RATIO: u64 = 100;
/// Entries smaller than this (declared) are not held to [`MAX_ZIP_RATIO`].
pub const ZIP_RATIO_FROM_BYTES: u64 = 1 << 20;

/// A path as shown in messages (control characters escaped).
pub(crate) fn label(p: &Path) -> String {
    escape(&p.display().to_string()).into_owned()
}

/// A folder or zip holding several CSVs.
struct Container {
    label: String,
    kind: CKind,
    /// Relative names (zip entry names or paths relative to the folder).
    files: Vec<String>,
}

enum CKind {
    Dir(PathBuf),
    Zip { path: PathBuf },
}

fn is_csv(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.ends_with(".csv") || l.ends_with(".txt") || l.ends_with(".tsv")
}

fn base(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

impl Container {
    fn dir(p: &Path) -> Result<Container, FormatError> {
        let label = label(p);
        let mut files = Vec::new();
        let rd = std::fs::read_dir(p).map_err(|e| FormatError::io(&label, e))?;
        for e in rd.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if path.is_dir() && name.eq_ignore_ascii_case("meta") {
                if let Ok(rd2) = std::fs::read_dir(&path) {
                    for e2 in rd2.flatten() {
                        if e2.path().is_file() {
                            files.push(format!("{name}/{}", e2.file_name().to_string_lossy()));
                        }
                    }
                }
            } else if path.is_file() {
                // regular files (and links to them) only: a FIFO would hang
                files.push(name);
            }
        }
        files.sort();
        Ok(Container {
            label,
            kind: CKind::Dir(p.to_path_buf()),
            files,
        })
    }

    /// Lists a zip's entries and refuses it, before inflating anything,
    /// when its declared sizes or compression ratios make it a zip bomb.
    /// Each CSV entry's declared size is counted once against
    /// [`MAX_ZIP_BYTES`]; reading an entry stops where it inflates beyond
    /// its declared size.
    fn zip(p: &Path) -> Result<Container, FormatError> {
        let label = label(p);
        let f = File::open(p).map_err(|e| FormatError::io(&label, e))?;
        let mut z = zip::ZipArchive::new(f)
            .map_err(|e| FormatError::invalid(&label, format!("not a readable zip file: {e}")))?;
        if z.len() > MAX_ZIP_ENTRIES {
            return Err(FormatError::invalid(&label, format!("the zip holds {} entries, more than the {MAX_ZIP_ENTRIES} a recording's export has; refusing to read it", z.len())));
        }
        let mut files = Vec::new();
        let mut declared = 0u64;
        for i in 0..z.len() {
            let e = z.by_index_raw(i).map_err(|e| {
                FormatError::invalid(&label, format!("cannot read the zip's directory: {e}"))
            })?;
            let name = e.name().to_string();
            if name.ends_with('/') {
                continue;
            }
            if is_csv(&name) {
                let (size, packed) = (e.size(), e.compressed_size());
                if size > ZIP_RATIO_FROM_BYTES && size / packed.max(1) > MAX_ZIP_RATIO {
                    return Err(FormatError::invalid(&label, format!(
                        "zip entry \"{}\" declares {size} bytes packed into {packed} (more than {MAX_ZIP_RATIO} to 1): this looks like a zip bomb, refusing to inflate it; unzip it yourself if you trust it",
                        shorten(&name)
                    )));
                }
                declared = declared.saturating_add(size);
            }
            files.push(name);
        }
        if declared > MAX_ZIP_BYTES {
            return Err(FormatError::invalid(&label, format!("the zip's CSV entries declare {declared} bytes in all, more than the {MAX_ZIP_BYTES} accepted; refusing to inflate it")));
        }
        files.sort();
        Ok(Container {
            label,
            kind: CKind::Zip {
                path: p.to_path_buf(),
            },
            files,
        })
    }

    fn display(&self, rel: &str) -> String {
        match &self.kind {
            CKind::Dir(d) => label(&d.join(rel)),
            CKind::Zip { .. } => format!("{}!{}", self.label, escape(rel)),
        }
    }

    fn open(&self, rel: &str) -> Result<(String, Box<dyn Read>), FormatError> {
        let name = self.display(rel);
        match &self.kind {
            CKind::Dir(d) => {
                let f = File::open(d.join(rel)).map_err(|e| FormatError::io(&name, e))?;
                Ok((name, Box::new(f)))
            }
            CKind::Zip { path } => {
                let r = ZipEntry::start(path.clone(), rel.to_string())
                    .map_err(|e| FormatError::io(&name, e))?;
                Ok((name, Box::new(r)))
            }
        }
    }

    /// Case-insensitive file lookup by base name (top level preferred).
    fn find(&self, want: &str) -> Option<String> {
        let mut best: Option<&String> = None;
        for f in &self.files {
            if base(f).eq_ignore_ascii_case(want) && best.map(|b| f.len() < b.len()).unwrap_or(true)
            {
                best = Some(f);
            }
        }
        best.cloned()
    }

    fn table(&self, rel: &str) -> Result<Table, FormatError> {
        let (name, r) = self.open(rel)?;
        Table::open(&name, r)
    }

    fn csvs(&self) -> Vec<&String> {
        self.files
            .iter()
            .filter(|f| is_csv(f) && !f.to_ascii_lowercase().starts_with("meta/"))
            .collect()
    }

    fn listing(&self) -> String {
        short_list(self.files.iter())
    }
}

/// A zip entry inflated on a thread of its own and handed over in chunks
/// through a bounded channel: memory stays at a few chunks whatever the
/// entry's size, and the entry stops where it inflates beyond its declared
/// size.
struct ZipEntry {
    rx: mpsc::Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    pos: usize,
}

/// Bytes per chunk of [`ZipEntry`].
const ZIP_CHUNK: usize = 64 * 1024;

impl ZipEntry {
    fn start(path: PathBuf, rel: String) -> io::Result<ZipEntry> {
        let (tx, rx) = mpsc::sync_channel(2);
        std::thread::Builder::new()
            .name("kickback-unzip".into())
            .spawn(move || {
                if let Err(e) = inflate(&path, &rel, &tx) {
                    let _ = tx.send(Err(e));
                }
            })?;
        Ok(ZipEntry {
            rx,
            chunk: Vec::new(),
            pos: 0,
        })
    }
}

/// Sends the inflated bytes of entry `rel` in chunks; stops when the
/// reader hangs up.
fn inflate(path: &Path, rel: &str, tx: &mpsc::SyncSender<io::Result<Vec<u8>>>) -> io::Result<()> {
    let mut z = zip::ZipArchive::new(File::open(path)?).map_err(io::Error::other)?;
    let mut e = z.by_name(rel).map_err(io::Error::other)?;
    let declared = e.size();
    let mut total = 0u64;
    loop {
        let mut buf = vec![0u8; ZIP_CHUNK];
        let n = match e.read(&mut buf) {
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if n == 0 {
            return Ok(());
        }
        total += n as u64;
        if total > declared {
            return Err(io::Error::other(format!(
                "the zip entry inflates beyond the {declared} bytes its header declares: a zip bomb or a damaged zip; refusing to read on"
            )));
        }
        buf.truncate(n);
        if tx.send(Ok(buf)).is_err() {
            return Ok(());
        }
    }
}

impl Read for ZipEntry {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.chunk.len() {
            match self.rx.recv() {
                Ok(Ok(c)) => {
                    self.chunk = c;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn is_zip(path: &Path) -> bool {
    if path
        .extension()
        .map(|e| e.eq_ignore_ascii_case("zip"))
        .unwrap_or(false)
    {
        return true;
    }
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"PK\x03\x04"
}

pub(crate) fn open(path: &Path, opts: &ReadOptions) -> Result<Recording, FormatError> {
    if path.as_os_str() == "-" {
        return read_single("standard input", Box::new(io::stdin()), opts, None);
    }
    let label = label(path);
    let meta = std::fs::metadata(path).map_err(|e| FormatError::io(&label, e))?;
    if meta.is_dir() {
        return open_dir(path, opts);
    }
    if meta.is_file() && is_zip(path) {
        return open_container(Container::zip(path)?, opts);
    }
    // metadata of an export is no recording
    let app = match file_name_lower(path).as_str() {
        "metadata.csv" | "annotation.csv" => Some("Sensor Logger"),
        "device.csv" | "time.csv" => Some("phyphox"),
        _ => None,
    };
    if let Some(app) = app {
        let parent = parent_of(path);
        if dir_is_export(parent) || parent.ends_with("meta") {
            let folder = if parent.ends_with("meta") {
                parent_of(parent)
            } else {
                parent
            };
            return Err(part_of_export(&label, app, "metadata", folder));
        }
    }
    // a single file (or a pipe / device the user named: read as a stream)
    let f = File::open(path).map_err(|e| FormatError::io(&label, e))?;
    let table = Table::open(&label, Box::new(f))?;
    let (fmt, why) = match opts.format {
        Some(f) => (f, "forced by option".to_string()),
        None => formats::sniff(&table)?,
    };
    match fmt {
        Format::SensorLogger => sensor_logger_file(path, table, &why, opts),
        Format::Phyphox => phyphox_file(path, table, &why, opts),
        Format::MetaWear => metawear_file(path, table, &why, opts),
        _ => read_table(table, fmt, &why, opts),
    }
}

/// The folder a file lies in (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn file_name_lower(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The error for a named file that is one part of a multi-file export and
/// holds no recording on its own.
fn part_of_export(file: &str, app: &str, what: &str, folder: &Path) -> FormatError {
    FormatError::new(file, ErrorKind::Unsupported {
        message: format!(
            "this is one file of the {app} export in {} and holds {what}, no recording on its own; name the export folder (or its zip) instead: {}",
            label(folder),
            label(folder)
        ),
    })
}

/// Adds a note when the file was read on its own although it lies in an
/// export folder that holds more (a gyroscope).
fn note_alone(mut r: Recording, path: &Path) -> Recording {
    let parent = parent_of(path);
    if dir_is_export(parent) {
        r.info.notes.push(format!(
            "{} was read on its own, as named; the other files of its export (such as the gyroscope) are not used: name the export folder {} to read the whole export",
            label(path),
            label(parent)
        ));
    }
    r
}

/// A single Sensor Logger CSV named on its own: only TotalAcceleration.csv
/// (Android, with gravity) or a renamed file holds a recording by itself.
fn sensor_logger_file(
    path: &Path,
    table: Table,
    why: &str,
    opts: &ReadOptions,
) -> Result<Recording, FormatError> {
    let name = file_name_lower(path);
    if name == "totalacceleration.csv" {
        return Ok(note_alone(
            read_table(table, Format::SensorLogger, why, opts)?,
            path,
        ));
    }
    let what = match name.as_str() {
        "accelerometer.csv" => Some("acceleration with gravity removed"),
        "gravity.csv" => Some("gravity alone"),
        "gyroscope.csv" => Some("the gyroscope alone"),
        n if n.contains("uncalibrated") => Some("an uncalibrated sensor"),
        "orientation.csv" | "magnetometer.csv" | "location.csv" => Some("no accelerometer"),
        _ => None,
    };
    let parent = parent_of(path);
    if dir_is_export(parent) {
        return Err(part_of_export(
            &table.name,
            "Sensor Logger",
            what.unwrap_or("one sensor stream"),
            parent,
        ));
    }
    if let Some(what) = what {
        return Err(FormatError::new(&table.name, ErrorKind::MissingFiles {
            message: format!("this Sensor Logger file holds {what}, no recording on its own"),
            expected: "the whole export (folder or zip) with TotalAcceleration.csv (Android), or Accelerometer.csv + Gravity.csv (iOS), and Gyroscope.csv".into(),
            found: table.name.clone(),
        }));
    }
    // a renamed file: read by its columns (a level check catches data
    // without gravity)
    read_table(table, Format::SensorLogger, why, opts)
}

/// What a phyphox per-sensor file holds, from its name and header.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PhyphoxRole {
    /// Acceleration with g.
    Accel,
    Linear,
    Gravity,
    Gyro,
}

/// The role of a phyphox CSV, or `None` when it holds no m/s² or rad/s
/// columns.
fn phyphox_role(file: &str, t: &Table) -> Option<PhyphoxRole> {
    let hs = formats::headers(t);
    let joined: String = hs.iter().map(|h| h.joined()).collect::<Vec<_>>().join(" ");
    let b = base(file).to_ascii_lowercase();
    let units: String = hs
        .iter()
        .filter_map(|h| h.unit.clone())
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    if !units.contains("m/s") && !units.contains("rad/s") {
        return None;
    }
    Some(if units.contains("rad/s") || joined.contains("gyroscope") {
        PhyphoxRole::Gyro
    } else if b.contains("linear") || joined.contains("linear") {
        PhyphoxRole::Linear
    } else if b.contains("gravity") || joined.contains("gravity") {
        PhyphoxRole::Gravity
    } else {
        PhyphoxRole::Accel
    })
}

/// A single phyphox CSV named on its own: read when it holds acceleration
/// with g; otherwise an error naming what to open instead.
fn phyphox_file(
    path: &Path,
    table: Table,
    why: &str,
    opts: &ReadOptions,
) -> Result<Recording, FormatError> {
    let role = phyphox_role(&table.name, &table);
    let what = match role {
        Some(PhyphoxRole::Linear) => "linear acceleration (gravity removed)",
        Some(PhyphoxRole::Gravity) => "gravity alone",
        Some(PhyphoxRole::Gyro) => "the gyroscope alone",
        _ => {
            return Ok(note_alone(
                read_table(table, Format::Phyphox, why, opts)?,
                path,
            ))
        }
    };
    let parent = parent_of(path);
    if dir_is_export(parent) {
        return Err(part_of_export(&table.name, "phyphox", what, parent));
    }
    Err(FormatError::new(&table.name, ErrorKind::MissingFiles {
        message: format!("this phyphox file holds {what}, no recording on its own"),
        expected: "Accelerometer.csv (acceleration with g), or an export with Linear Accelerometer.csv + Gravity.csv".into(),
        found: table.name.clone(),
    }))
}

/// A folder: an export, a folder with one recording, or an error that
/// points to `kickback check` when it holds several.
fn open_dir(path: &Path, opts: &ReadOptions) -> Result<Recording, FormatError> {
    let c = Container::dir(path)?;
    if opts.format.is_none() && !dir_is_export(path) {
        let found = scan(path).recordings;
        if found.len() > 1 {
            let names = found
                .iter()
                .map(|p| p.strip_prefix(path).unwrap_or(p).display().to_string());
            return Err(FormatError::invalid(
                &c.label,
                format!(
                    "this folder holds {} recordings ({}); analyze reads one recording: name one of them, or check them all at once with `kickback check {}`",
                    found.len(),
                    short_list(names),
                    c.label
                ),
            ));
        }
    }
    open_container(c, opts)
}

pub(crate) fn read_single(
    name: &str,
    r: Box<dyn Read>,
    opts: &ReadOptions,
    _p: Option<&Path>,
) -> Result<Recording, FormatError> {
    let table = Table::open(name, r)?;
    let (fmt, why) = match opts.format {
        Some(f) => (f, "forced by option".to_string()),
        None => formats::sniff(&table)?,
    };
    read_table(table, fmt, &why, opts)
}

/// Reads one table in the given format (single-file view).
fn read_table(
    mut table: Table,
    fmt: Format,
    why: &str,
    opts: &ReadOptions,
) -> Result<Recording, FormatError> {
    let setup = match fmt {
        Format::PhysicsToolbox => return formats::physics_toolbox(table, why, opts),
        Format::CoreMotion => formats::coremotion(&table, why, opts)?,
        Format::SensorLog => formats::sensorlog(&table, why)?,
        Format::Axivity => formats::axivity(&table, why)?,
        Format::Shimmer => formats::shimmer(&mut table, why)?,
        Format::MetaWear => {
            let af = axis_file(&table, &["epoch (ms)", "epoc (ms)"])?;
            let unit = af.unit.clone().unwrap_or_default();
            if crate::units::gyro_from_header(&unit).is_some() {
                return Err(FormatError::new(&table.name, ErrorKind::MissingFiles {
                    message: "this is a MetaWear gyroscope file; the accelerometer file of the same recording is needed".into(),
                    expected: "<name>_MetaWear_<time>_<MAC>_Accelerometer_<rate>Hz_<fw>.csv beside it".into(),
                    found: table.name.clone(),
                }));
            }
            let mut s = single::Setup {
                spec: single::RowSpec {
                    time: single::TimeCol::Numeric(af.time),
                    acc: vec![af.xyz],
                    gyro: None,
                    ragged_ok: false,
                    names: table.names(0),
                },
                accel: crate::units::Hint::Detect,
                gyro: crate::units::Hint::Detect,
                time: crate::units::Hint::Detect,
                acc_sign: 1.0,
                info: SourceInfo::default(),
            };
            s.spec.time = single::TimeCol::Numeric(af.time);
            s.spec.acc = vec![af.xyz];
            s.spec.gyro = None;
            s.time =
                crate::units::Hint::Known(crate::TimeUnit::Millis, "MetaWear epoch (ms)".into());
            s.accel = match crate::units::accel_from_header(&unit) {
                Some(u) => crate::units::Hint::Known(u, format!("from the header unit \"{unit}\"")),
                None => crate::units::Hint::Known(
                    crate::AccelUnit::G,
                    "MetaWear accelerometer is in g".into(),
                ),
            };
            s.info.format = Format::MetaWear;
            s.info.detected_by = why.into();
            s.info.files = vec![table.name.clone()];
            s.info.gravity = "raw accelerometer (includes gravity)".into();
            s.info.sign_convention = STD_SIGN.into();
            s.info.notes.push(
                "no MetaWear gyroscope file found for this recording; accelerometer only".into(),
            );
            s
        }
        Format::SensorLogger => {
            let mut s = formats::generic(&table, why, opts)?;
            s.info.format = Format::SensorLogger;
            s.info
                .notes
                .push("single Sensor Logger CSV read on its own (columns read by name)".into());
            let lname = table.name.to_ascii_lowercase();
            if lname.ends_with("totalacceleration.csv") {
                s.accel = crate::units::Hint::Known(
                    crate::AccelUnit::MetersPerSecond2,
                    "Sensor Logger writes m/s²".into(),
                );
                s.info.gravity = "TotalAcceleration.csv (includes gravity)".into();
            }
            s
        }
        Format::Phyphox => {
            let mut s = match phyphox_role(&table.name, &table) {
                Some(PhyphoxRole::Accel) | None => formats::generic(&table, why, opts)
                    .or_else(|_| phyphox_single_setup(&table, why))?,
                Some(_) => phyphox_single_setup(&table, why)?,
            };
            s.info.format = Format::Phyphox;
            s
        }
        Format::Generic => formats::generic(&table, why, opts)?,
    };
    single::start(table, setup, opts)
}

fn phyphox_single_setup(t: &Table, why: &str) -> Result<single::Setup, FormatError> {
    let af = axis_file(t, &["time (s)"])?;
    let hs = formats::headers(t);
    let joined: String = hs.iter().map(|h| h.joined()).collect::<Vec<_>>().join(" ");
    let lname = t.name.to_ascii_lowercase();
    if joined.contains("linear")
        || lname.contains("linear")
        || joined.contains("gravity")
        || lname.ends_with("gravity.csv")
    {
        return Err(FormatError::new(&t.name, ErrorKind::MissingFiles {
            message: "this phyphox file holds linear acceleration (gravity removed) or gravity alone; both are needed".into(),
            expected: "Accelerometer.csv (with g), or Linear Accelerometer.csv + Gravity.csv in one export".into(),
            found: t.name.clone(),
        }));
    }
    let unit = af.unit.clone().unwrap_or_default();
    if crate::units::gyro_from_header(&unit).is_some() {
        return Err(FormatError::new(
            &t.name,
            ErrorKind::MissingFiles {
                message: "this phyphox file holds only the gyroscope".into(),
                expected: "Accelerometer.csv in the same export".into(),
                found: t.name.clone(),
            },
        ));
    }
    let mut info = SourceInfo {
        format: Format::Phyphox,
        detected_by: why.into(),
        files: vec![t.name.clone()],
        ..Default::default()
    };
    info.sign_convention = STD_SIGN.into();
    info.gravity = "phyphox accelerometer with g".into();
    Ok(single::Setup {
        spec: single::RowSpec {
            time: single::TimeCol::Numeric(af.time),
            acc: vec![af.xyz],
            gyro: None,
            ragged_ok: false,
            names: t.names(0),
        },
        accel: crate::units::Hint::Known(
            crate::AccelUnit::MetersPerSecond2,
            format!("from the header unit \"{unit}\""),
        ),
        gyro: crate::units::Hint::Detect,
        time: crate::units::Hint::Known(crate::TimeUnit::Seconds, "phyphox Time (s)".into()),
        acc_sign: 1.0,
        info,
    })
}

fn open_container(c: Container, opts: &ReadOptions) -> Result<Recording, FormatError> {
    let forced = opts.format;
    let has = |n: &str| c.find(n).is_some();
    let header_of = |rel: &str| -> Option<Vec<String>> { c.table(rel).ok().and_then(|t| t.header) };
    let first_csv = c.csvs().into_iter().find(|f| {
        let b = base(f).to_ascii_lowercase();
        b != "metadata.csv" && b != "annotation.csv"
    });
    let sig = first_csv.and_then(|f| header_of(f));
    let sig_lower: Vec<String> = sig
        .unwrap_or_default()
        .iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let fmt = match forced {
        Some(f) => f,
        None => {
            if has("Metadata.csv") || sig_lower.iter().any(|s| s == "seconds_elapsed") {
                Format::SensorLogger
            } else if sig_lower.first().map(|s| s == "time (s)").unwrap_or(false)
                || has("Raw Data.csv")
            {
                Format::Phyphox
            } else if c.csvs().iter().any(|f| metawear_key(base(f)).is_some()) {
                Format::MetaWear
            } else if c.csvs().len() == 1 {
                let rel = c.csvs()[0].clone();
                let (name, r) = c.open(&rel)?;
                return read_single(&name, r, opts, None);
            } else {
                return Err(FormatError::new(&c.label, ErrorKind::MissingFiles {
                    message: "no recording recognised in this folder/zip".into(),
                    expected: "a Sensor Logger export (Accelerometer.csv, Gravity.csv or TotalAcceleration.csv, Metadata.csv), a phyphox export (Accelerometer.csv / Raw Data.csv with \"Time (s)\"), MetaWear *_Accelerometer_*.csv files, or a single CSV".into(),
                    found: c.listing(),
                }));
            }
        }
    };
    let why = if forced.is_some() {
        "forced by option".to_string()
    } else {
        format!("{} export folder/zip", fmt.name())
    };
    match fmt {
        Format::SensorLogger => sensor_logger(&c, opts, &why),
        Format::Phyphox => phyphox(&c, opts, &why),
        Format::MetaWear => {
            let groups = metawear_groups(c.csvs().iter().map(|s| s.as_str()));
            let accs: Vec<_> = groups.iter().filter(|g| g.1.is_some()).collect();
            match accs.len() {
                1 => metawear_pair(&c, accs[0].1.as_deref().unwrap_or(""), accs[0].2.as_deref(), opts, &why),
                0 => Err(FormatError::new(&c.label, ErrorKind::MissingFiles {
                    message: "no MetaWear accelerometer file".into(),
                    expected: "<name>_MetaWear_<time>_<MAC>_Accelerometer_<rate>Hz_<fw>.csv".into(),
                    found: c.listing(),
                })),
                _ => Err(FormatError::invalid(&c.label, format!(
                    "this folder holds {} MetaWear recordings; open one *_Accelerometer_*.csv file instead: {}",
                    accs.len(),
                    accs.iter().filter_map(|g| g.1.clone()).collect::<Vec<_>>().join(", ")
                ))),
            }
        }
        _ => {
            let csvs = c.csvs();
            if csvs.len() != 1 {
                return Err(FormatError::new(
                    &c.label,
                    ErrorKind::MissingFiles {
                        message: format!(
                            "format {} reads a single CSV, but this folder/zip holds {} CSV files",
                            fmt.name(),
                            csvs.len()
                        ),
                        expected: "exactly one CSV".into(),
                        found: c.listing(),
                    },
                ));
            }
            let (name, r) = c.open(csvs[0])?;
            read_single(&name, r, opts, None)
        }
    }
}

fn read_kv_csv(c: &Container, rel: &str) -> Vec<(String, String)> {
    // Metadata.csv: header + one row
    let mut out = Vec::new();
    if let Ok(mut t) = c.table(rel) {
        if let (Some(h), Ok(Some((_, row, _)))) = (t.header.clone(), t.next_row()) {
            for (k, v) in h.into_iter().zip(row) {
                out.push((k.to_ascii_lowercase(), v));
            }
        }
    }
    out
}

fn sensor_logger(c: &Container, opts: &ReadOptions, why: &str) -> Result<Recording, FormatError> {
    let mut info = SourceInfo {
        format: Format::SensorLogger,
        detected_by: why.into(),
        ..Default::default()
    };
    let meta = c
        .find("Metadata.csv")
        .map(|m| read_kv_csv(c, &m))
        .unwrap_or_default();
    let get = |k: &str| meta.iter().find(|(a, _)| a == k).map(|(_, v)| shorten(v));
    let platform = get("platform").map(|p| p.to_ascii_lowercase());
    if let Some(m) = c.find("Metadata.csv") {
        info.files.push(c.display(&m));
    }
    info.device = match (&platform, get("device name")) {
        (Some(p), Some(d)) => Some(format!("{p}, {d}")),
        (Some(p), None) => Some(p.clone()),
        (None, Some(d)) => Some(d),
        _ => None,
    };
    if let Some(s) = get("standardisation") {
        info.notes
            .push(format!("Metadata.csv standardisation = {}", shorten(&s)));
    }
    let time_names: &[&str] = &["time", "seconds_elapsed"];
    let tdef = Some((
        crate::TimeUnit::Nanos,
        "Sensor Logger `time` is ns since 1970",
    ));
    let load =
        |rel: &str, kind: StreamKind, sign: f64, info: &mut SourceInfo| -> Result<_, FormatError> {
            let t = c.table(rel)?;
            let af = axis_file(&t, time_names)?;
            let td = if t
                .header
                .as_ref()
                .map(|h| h[af.time].eq_ignore_ascii_case("seconds_elapsed"))
                .unwrap_or(false)
            {
                Some((crate::TimeUnit::Seconds, "seconds_elapsed"))
            } else {
                tdef
            };
            let unit = match kind {
                StreamKind::Accel => "m/s^2",
                StreamKind::Gyro => "rad/s",
            };
            info.files.push(c.display(rel));
            load_stream(t, &af, kind, Some(unit), td, sign, opts, info)
        };
    let total = c.find("TotalAcceleration.csv");
    let lin = c.find("Accelerometer.csv");
    let grav = c.find("Gravity.csv");
    let (sign, sign_txt) = match platform.as_deref() {
        Some("ios") => (-1.0, format!("{IOS_SIGN} (Metadata.csv platform = ios)")),
        Some("android") => (1.0, "Android sign: accelerometer already reads +9.81 up at rest (Metadata.csv platform = android)".to_string()),
        _ if total.is_some() => (1.0, "Android sign assumed (TotalAcceleration.csv exists only on Android; no Metadata.csv platform)".into()),
        _ => (-1.0, format!("{IOS_SIGN} (assumed: no Metadata.csv platform; Accelerometer + Gravity without TotalAcceleration is the iOS layout)")),
    };
    info.sign_convention = sign_txt;
    let (acc, gravity) = if let Some(tot) = total {
        let (s, rep, trep) = load(&tot, StreamKind::Accel, sign, &mut info)?;
        info.accel = rep;
        info.time = trep;
        info.gravity = "TotalAcceleration.csv (includes gravity)".into();
        (s, None)
    } else if let (Some(l), Some(g)) = (lin.clone(), grav.clone()) {
        let (ls, rep, trep) = load(&l, StreamKind::Accel, sign, &mut info)?;
        let (gs, _, _) = load(&g, StreamKind::Accel, sign, &mut info)?;
        info.accel = rep;
        info.time = trep;
        info.gravity = "Accelerometer.csv + Gravity.csv (gravity interpolated at the accelerometer's timestamps)".into();
        (ls, Some(gs))
    } else {
        let message = if lin.is_some() {
            "Accelerometer.csv has gravity removed and there is no Gravity.csv or TotalAcceleration.csv to restore it (enable the Gravity or Total Acceleration sensor in Sensor Logger)"
        } else {
            "no accelerometer file in this Sensor Logger export"
        };
        return Err(FormatError::new(
            &c.label,
            ErrorKind::MissingFiles {
                message: message.into(),
                expected:
                    "TotalAcceleration.csv (Android), or Accelerometer.csv + Gravity.csv (iOS)"
                        .into(),
                found: c.listing(),
            },
        ));
    };
    let gyro = match c.find("Gyroscope.csv") {
        Some(g) => {
            let (s, rep, _) = load(&g, StreamKind::Gyro, 1.0, &mut info)?;
            info.gyro = Some(rep);
            Some(s)
        }
        None => {
            info.notes
                .push("no Gyroscope.csv: accelerometer only".into());
            None
        }
    };
    merge(acc, gravity, gyro, info, opts)
}

fn phyphox(c: &Container, opts: &ReadOptions, why: &str) -> Result<Recording, FormatError> {
    let mut info = SourceInfo {
        format: Format::Phyphox,
        detected_by: why.into(),
        sign_convention: STD_SIGN.into(),
        ..Default::default()
    };
    if let Some(d) = c.find("device.csv") {
        if let Ok(mut t) = c.table(&d) {
            let mut model = None;
            let mut brand = None;
            while let Ok(Some((_, f, _))) = t.next_row() {
                if f.len() >= 2 {
                    match f[0].as_str() {
                        "deviceModel" => model = Some(shorten(&f[1])),
                        "deviceBrand" => brand = Some(shorten(&f[1])),
                        _ => {}
                    }
                }
            }
            info.device = match (brand, model) {
                (Some(b), Some(m)) => Some(format!("{b} {m}")),
                (None, Some(m)) => Some(m),
                (b, None) => b,
            };
        }
    }
    if let Some(tm) = c.find("time.csv") {
        if let Ok(mut t) = c.table(&tm) {
            if let Ok(Some((_, f, _))) = t.next_row() {
                if f.len() >= 3 && f[0] == "START" {
                    info.notes.push(format!("meta/time.csv: experiment started at Unix time {} (times are kept relative to the experiment start)", shorten(&f[2])));
                }
            }
        }
    }
    // classify every CSV by header and name
    let mut acc = None;
    let mut lin = None;
    let mut grav = None;
    let mut gyr = None;
    for f in c.csvs() {
        let Ok(t) = c.table(f) else { continue };
        let slot = match phyphox_role(f, &t) {
            None => continue,
            Some(PhyphoxRole::Gyro) => &mut gyr,
            Some(PhyphoxRole::Linear) => &mut lin,
            Some(PhyphoxRole::Gravity) => &mut grav,
            Some(PhyphoxRole::Accel) => &mut acc,
        };
        if slot.is_none() {
            *slot = Some(f.clone());
        }
    }
    let tdef = Some((crate::TimeUnit::Seconds, "phyphox Time (s)"));
    let load = |rel: &str, kind: StreamKind, info: &mut SourceInfo| -> Result<_, FormatError> {
        let t = c.table(rel)?;
        let af = axis_file(&t, &["time (s)", "time"])?;
        let unit = match kind {
            StreamKind::Accel => "m/s^2",
            StreamKind::Gyro => "rad/s",
        };
        info.files.push(c.display(rel));
        load_stream(t, &af, kind, Some(unit), tdef, 1.0, opts, info)
    };
    let (a, gravity) = if let Some(a) = acc {
        let (s, rep, trep) = load(&a, StreamKind::Accel, &mut info)?;
        info.accel = rep;
        info.time = trep;
        info.gravity = format!("{} (acceleration with g)", base(&a));
        (s, None)
    } else if let (Some(l), Some(g)) = (lin.clone(), grav) {
        let (ls, rep, trep) = load(&l, StreamKind::Accel, &mut info)?;
        let (gs, _, _) = load(&g, StreamKind::Accel, &mut info)?;
        info.accel = rep;
        info.time = trep;
        info.gravity = format!(
            "{} + {} (gravity interpolated at the accelerometer's timestamps)",
            base(&l),
            base(&g)
        );
        (ls, Some(gs))
    } else {
        let message = if lin.is_some() {
            "this phyphox export has only linear acceleration (gravity removed) and no Gravity.csv to restore it; record with \"Acceleration with g\" or add the Gravity sensor"
        } else {
            "no accelerometer file in this phyphox export"
        };
        return Err(FormatError::new(&c.label, ErrorKind::MissingFiles {
            message: message.into(),
            expected: "Accelerometer.csv (or Raw Data.csv with \"Acceleration x (m/s^2)\"), or Linear Accelerometer.csv + Gravity.csv".into(),
            found: c.listing(),
        }));
    };
    let g = match gyr {
        Some(g) => {
            let (s, rep, _) = load(&g, StreamKind::Gyro, &mut info)?;
            info.gyro = Some(rep);
            Some(s)
        }
        None => None,
    };
    merge(a, gravity, g, info, opts)
}

/// MetaWear group key (name prefix before `_Accelerometer_` / `_Gyroscope_`,
/// spaces and underscores removed) and sensor.
fn metawear_key(name: &str) -> Option<(String, bool)> {
    for (tag, is_acc) in [("_Accelerometer_", true), ("_Gyroscope_", false)] {
        if let Some(i) = name.find(tag) {
            if !is_csv(name) {
                return None;
            }
            let key: String = name[..i]
                .chars()
                .filter(|c| *c != ' ' && *c != '_')
                .collect();
            return Some((key.to_ascii_lowercase(), is_acc));
        }
    }
    None
}

/// (key, accelerometer file, gyroscope file) per recording.
fn metawear_groups<'a>(
    names: impl Iterator<Item = &'a str>,
) -> Vec<(String, Option<String>, Option<String>)> {
    let mut g: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    for n in names {
        if let Some((k, is_acc)) = metawear_key(base(n)) {
            let e = match g.iter_mut().position(|x| x.0 == k) {
                Some(i) => &mut g[i],
                None => {
                    g.push((k, None, None));
                    g.last_mut().expect("just pushed")
                }
            };
            if is_acc {
                e.1.get_or_insert_with(|| n.to_string());
            } else {
                e.2.get_or_insert_with(|| n.to_string());
            }
        }
    }
    g
}

fn metawear_file(
    path: &Path,
    table: Table,
    why: &str,
    opts: &ReadOptions,
) -> Result<Recording, FormatError> {
    let parent = parent_of(path);
    let fname = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some((key, _)) = metawear_key(&fname) {
        let c = Container::dir(parent)?;
        let groups = metawear_groups(c.csvs().iter().map(|s| s.as_str()));
        if let Some(g) = groups.into_iter().find(|g| g.0 == key) {
            if let Some(a) = g.1 {
                return metawear_pair(&c, &a, g.2.as_deref(), opts, why);
            }
        }
    }
    read_table(table, Format::MetaWear, why, opts)
}

fn metawear_pair(
    c: &Container,
    acc: &str,
    gyro: Option<&str>,
    opts: &ReadOptions,
    why: &str,
) -> Result<Recording, FormatError> {
    let mut info = SourceInfo {
        format: Format::MetaWear,
        detected_by: why.into(),
        sign_convention: STD_SIGN.into(),
        gravity: "raw accelerometer (includes gravity)".into(),
        ..Default::default()
    };
    let tn: &[&str] = &["epoch (ms)", "epoc (ms)"];
    let tdef = Some((crate::TimeUnit::Millis, "MetaWear epoch (ms) is Unix ms"));
    let t = c.table(acc)?;
    let af = axis_file(&t, tn)?;
    info.files.push(c.display(acc));
    let (a, rep, trep) = load_stream(
        t,
        &af,
        StreamKind::Accel,
        Some("g"),
        tdef,
        1.0,
        opts,
        &mut info,
    )?;
    info.accel = rep;
    info.time = trep;
    let g = match gyro {
        Some(g) => {
            let t = c.table(g)?;
            let af = axis_file(&t, tn)?;
            info.files.push(c.display(g));
            let (s, rep, _) = load_stream(
                t,
                &af,
                StreamKind::Gyro,
                Some("deg/s"),
                tdef,
                1.0,
                opts,
                &mut info,
            )?;
            info.gyro = Some(rep);
            Some(s)
        }
        None => {
            info.notes
                .push("no MetaWear gyroscope file for this recording: accelerometer only".into());
            None
        }
    };
    merge(a, None, g, info, opts)
}

/// Finds recordings in a folder tree: single CSV files, app export folders
/// (Sensor Logger, phyphox: counted as ONE recording, returned as the
/// folder), zips, and MetaWear recordings (returned as the accelerometer
/// file; its gyroscope partner is found when opened). Skips `*.truth.json`,
/// non-CSV files and metadata CSVs. The result is sorted. See [`scan`] for
/// what was skipped and why.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("a.csv"), "t,ax,ay,az\n0,0,0,1\n0.01,0,0,1\n").unwrap();
/// std::fs::write(dir.path().join("a.truth.json"), "{}").unwrap();
/// let found = kickback_formats::find_recordings(dir.path());
/// assert_eq!(found.len(), 1);
/// ```
pub fn find_recordings(dir: &Path) -> Vec<PathBuf> {
    scan(dir).recordings
}

/// What [`scan`] found in a folder tree.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Scan {
    /// The recordings, sorted (as [`find_recordings`] gives them).
    pub recordings: Vec<PathBuf>,
    /// Paths that were not read, with the reason: folders that cannot be
    /// read, FIFOs, sockets and devices, broken links and symlink loops.
    pub skipped: Vec<Skipped>,
}

/// A path [`scan`] did not read.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Skipped {
    /// The path.
    pub path: PathBuf,
    /// Why it was skipped, for a user (starts with the path).
    pub reason: String,
}

/// Most folder levels [`scan`] descends.
const MAX_DEPTH: usize = 32;

/// [`find_recordings`], with what was skipped: only regular files (and
/// links to them) are read; each folder is visited once, so symlink loops
/// end.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("a.csv"), "t,ax,ay,az\n0,0,0,1\n0.01,0,0,1\n").unwrap();
/// let s = kickback_formats::scan(dir.path());
/// assert_eq!(s.recordings.len(), 1);
/// assert!(s.skipped.is_empty());
/// ```
pub fn scan(dir: &Path) -> Scan {
    let mut s = Scan::default();
    let mut seen = HashSet::new();
    walk(dir, 0, &mut s, &mut seen);
    s.recordings.sort();
    s
}

fn skip(s: &mut Scan, path: &Path, why: impl std::fmt::Display) {
    s.skipped.push(Skipped {
        path: path.to_path_buf(),
        reason: format!("{}: {why}", label(path)),
    });
}

/// Lower-case names of the regular files in a folder.
fn file_names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether lower-case file names make an app's multi-file export (Sensor
/// Logger, phyphox), read as one recording.
fn names_are_export(lower: &[String]) -> bool {
    lower.iter().any(|n| n == "metadata.csv")
        || (lower.iter().any(|n| {
            n == "accelerometer.csv"
                || n == "totalacceleration.csv"
                || n == "raw data.csv"
                || n == "linear accelerometer.csv"
        }) && lower.iter().filter(|n| is_csv(n)).count() > 1)
}

fn dir_is_export(dir: &Path) -> bool {
    names_are_export(&file_names(dir))
}

/// Files that belong to a recording but are none: metadata, annotations,
/// truth files, notes.
fn is_not_recording(lower: &str) -> bool {
    matches!(
        lower,
        "metadata.csv" | "annotation.csv" | "info.txt" | "device.csv" | "time.csv"
    ) || lower.ends_with(".txt")
        || lower.ends_with(".json")
        || !(is_csv(lower) || lower.ends_with(".zip"))
}

/// The recording a file found by a glob belongs to: the file itself, its
/// export folder (so that a glob over an export counts it once), its
/// MetaWear accelerometer partner, or `None` for files that are no
/// recording (metadata, annotations, truth files, non-CSV files). Paths
/// that are no regular file (a FIFO, a device) give an error to report.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("a.csv");
/// std::fs::write(&p, "t,ax,ay,az\n0,0,0,1\n0.01,0,0,1\n").unwrap();
/// assert_eq!(kickback_formats::recording_for(&p).unwrap(), Some(p.clone()));
/// let t = dir.path().join("a.truth.json");
/// std::fs::write(&t, "{}").unwrap();
/// assert_eq!(kickback_formats::recording_for(&t).unwrap(), None);
/// ```
pub fn recording_for(path: &Path) -> Result<Option<PathBuf>, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("{}: cannot read it: {e}", label(path)))?;
    if meta.is_dir() {
        return Ok(Some(path.to_path_buf()));
    }
    if !meta.is_file() {
        return Err(format!(
            "{}: not a regular file (a FIFO, socket or device); skipped",
            label(path)
        ));
    }
    let lower = file_name_lower(path);
    let parent = parent_of(path);
    let siblings = file_names(parent);
    if names_are_export(&siblings) && is_csv(&lower) {
        return Ok(Some(parent.to_path_buf()));
    }
    if is_not_recording(&lower) {
        return Ok(None);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some((key, false)) = metawear_key(&name) {
        let names: Vec<String> = std::fs::read_dir(parent)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let groups = metawear_groups(names.iter().map(|s| s.as_str()));
        if let Some(acc) = groups.into_iter().find(|g| g.0 == key).and_then(|g| g.1) {
            return Ok(Some(parent.join(acc)));
        }
    }
    Ok(Some(path.to_path_buf()))
}

fn walk(dir: &Path, depth: usize, s: &mut Scan, seen: &mut HashSet<PathBuf>) {
    if depth > MAX_DEPTH {
        skip(
            s,
            dir,
            format!("nested deeper than {MAX_DEPTH} folders; not searched"),
        );
        return;
    }
    match std::fs::canonicalize(dir) {
        Ok(c) => {
            if !seen.insert(c) {
                skip(
                    s,
                    dir,
                    "a link to a folder already searched (a symlink loop?); not searched again",
                );
                return;
            }
        }
        Err(e) => {
            skip(s, dir, format!("cannot read this folder: {e}"));
            return;
        }
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            skip(s, dir, format!("cannot read this folder: {e}"));
            return;
        }
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for e in rd {
        let p = match e {
            Ok(e) => e.path(),
            Err(err) => {
                skip(s, dir, format!("cannot list this folder: {err}"));
                continue;
            }
        };
        let lower = file_name_lower(&p);
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => {
                if lower != "meta" && !lower.starts_with('.') {
                    dirs.push(p);
                }
            }
            Ok(m) if m.is_file() => files.push(p),
            Ok(_) => skip(
                s,
                &p,
                "not a regular file (a FIFO, socket or device); skipped",
            ),
            Err(err) => skip(
                s,
                &p,
                format!("cannot read it ({err}); a broken link or a symlink loop?"),
            ),
        }
    }
    files.sort();
    dirs.sort();
    let names: Vec<String> = files
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    if names_are_export(&lower) {
        s.recordings.push(dir.to_path_buf());
        return;
    }
    let groups = metawear_groups(names.iter().map(|s| s.as_str()));
    for (p, name) in files.iter().zip(&names) {
        let l = name.to_ascii_lowercase();
        if is_not_recording(&l) {
            continue;
        }
        if let Some((key, is_acc)) = metawear_key(name) {
            let g = groups.iter().find(|g| g.0 == key);
            let has_acc = g.map(|g| g.1.is_some()).unwrap_or(false);
            if is_acc || !has_acc {
                s.recordings.push(p.clone());
            }
            continue;
        }
        s.recordings.push(p.clone());
    }
    for d in &dirs {
        walk(d, depth + 1, s, seen);
    }
}
