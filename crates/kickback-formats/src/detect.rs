//! Opening files, folders and zips; format detection; multi-file formats.

use crate::error::FormatError;
use crate::formats::{self, axis_file, load_stream, StreamKind, IOS_SIGN, STD_SIGN};
use crate::merge::{add_streams, merge};
use crate::single::{self, Table};
use crate::{Format, ReadOptions, Recording, SourceInfo, MAX_ZIP_BYTES};
use std::cell::Cell;
use std::fs::File;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

/// A folder or zip holding several CSVs.
struct Container {
    label: String,
    kind: CKind,
    /// Relative names (zip entry names or paths relative to the folder).
    files: Vec<String>,
}

enum CKind {
    Dir(PathBuf),
    Zip { path: PathBuf, used: Cell<u64> },
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
        let label = p.display().to_string();
        let mut files = Vec::new();
        let rd = std::fs::read_dir(p).map_err(|e| FormatError::io(&label, e))?;
        for e in rd.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if path.is_dir() && name.eq_ignore_ascii_case("meta") {
                if let Ok(rd2) = std::fs::read_dir(&path) {
                    for e2 in rd2.flatten() {
                        files.push(format!("{name}/{}", e2.file_name().to_string_lossy()));
                    }
                }
            } else if path.is_file() {
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

    fn zip(p: &Path) -> Result<Container, FormatError> {
        let label = p.display().to_string();
        let f = File::open(p).map_err(|e| FormatError::io(&label, e))?;
        let z = zip::ZipArchive::new(f)
            .map_err(|e| FormatError::invalid(&label, format!("not a readable zip file: {e}")))?;
        let mut files: Vec<String> = z
            .file_names()
            .filter(|n| !n.ends_with('/'))
            .map(|s| s.to_string())
            .collect();
        files.sort();
        Ok(Container {
            label,
            kind: CKind::Zip {
                path: p.to_path_buf(),
                used: Cell::new(0),
            },
            files,
        })
    }

    fn display(&self, rel: &str) -> String {
        match &self.kind {
            CKind::Dir(d) => d.join(rel).display().to_string(),
            CKind::Zip { .. } => format!("{}!{rel}", self.label),
        }
    }

    fn open(&self, rel: &str) -> Result<(String, Box<dyn Read>), FormatError> {
        let name = self.display(rel);
        match &self.kind {
            CKind::Dir(d) => {
                let f = File::open(d.join(rel)).map_err(|e| FormatError::io(&name, e))?;
                Ok((name, Box::new(f)))
            }
            CKind::Zip { path, used } => {
                let f = File::open(path).map_err(|e| FormatError::io(&self.label, e))?;
                let mut z = zip::ZipArchive::new(f).map_err(|e| {
                    FormatError::invalid(&self.label, format!("not a readable zip file: {e}"))
                })?;
                let entry = z.by_name(rel).map_err(|e| {
                    FormatError::invalid(&name, format!("cannot read zip entry: {e}"))
                })?;
                let budget = MAX_ZIP_BYTES.saturating_sub(used.get());
                let mut buf = Vec::new();
                entry
                    .take(budget + 1)
                    .read_to_end(&mut buf)
                    .map_err(|e| FormatError::io(&name, e))?;
                if buf.len() as u64 > budget {
                    return Err(FormatError::invalid(&self.label, format!("zip decompresses to more than {MAX_ZIP_BYTES} bytes; refusing to read it")));
                }
                used.set(used.get() + buf.len() as u64);
                Ok((name, Box::new(Cursor::new(buf))))
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
        if self.files.is_empty() {
            "(nothing)".into()
        } else {
            self.files
                .iter()
                .take(30)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        }
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
    let label = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| FormatError::io(&label, e))?;
    if meta.is_dir() {
        return open_container(Container::dir(path)?, opts);
    }
    if is_zip(path) {
        return open_container(Container::zip(path)?, opts);
    }
    // a single file: maybe part of a multi-file export beside it
    let f = File::open(path).map_err(|e| FormatError::io(&label, e))?;
    let table = Table::open(&label, Box::new(f))?;
    let (fmt, why) = match opts.format {
        Some(f) => (f, "forced by option".to_string()),
        None => formats::sniff(&table)?,
    };
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fname = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match fmt {
        Format::SensorLogger if !fname.eq_ignore_ascii_case("TotalAcceleration.csv") => {
            let c = Container::dir(parent)?;
            let mut r = sensor_logger(&c, opts, &why)?;
            r.info.notes.push(format!(
                "{fname} is one file of a Sensor Logger export; read the whole export folder {}",
                parent.display()
            ));
            Ok(r)
        }
        Format::Phyphox => {
            let c = Container::dir(parent)?;
            if c.csvs().len() > 1 {
                let mut r = phyphox(&c, opts, &why)?;
                r.info.notes.push(format!(
                    "{fname} is one file of a phyphox export; read the whole export folder"
                ));
                Ok(r)
            } else {
                read_table(table, fmt, &why, opts)
            }
        }
        Format::MetaWear => metawear_file(path, table, &why, opts),
        _ => read_table(table, fmt, &why, opts),
    }
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
                return Err(FormatError::MissingFiles {
                    file: table.name.clone(),
                    message: "this is a MetaWear gyroscope file; the accelerometer file of the same recording is needed".into(),
                    expected: "<name>_MetaWear_<time>_<MAC>_Accelerometer_<rate>Hz_<fw>.csv beside it".into(),
                    found: table.name.clone(),
                });
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
            s.info.format = Format::MetaWear.name().into();
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
            s.info.format = Format::SensorLogger.name().into();
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
            let mut s = formats::generic(&table, why, opts)
                .or_else(|_| phyphox_single_setup(&table, why))?;
            s.info.format = Format::Phyphox.name().into();
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
        return Err(FormatError::MissingFiles {
            file: t.name.clone(),
            message: "this phyphox file holds linear acceleration (gravity removed) or gravity alone; both are needed".into(),
            expected: "Accelerometer.csv (with g), or Linear Accelerometer.csv + Gravity.csv in one export".into(),
            found: t.name.clone(),
        });
    }
    let unit = af.unit.clone().unwrap_or_default();
    if crate::units::gyro_from_header(&unit).is_some() {
        return Err(FormatError::MissingFiles {
            file: t.name.clone(),
            message: "this phyphox file holds only the gyroscope".into(),
            expected: "Accelerometer.csv in the same export".into(),
            found: t.name.clone(),
        });
    }
    let mut info = SourceInfo {
        format: Format::Phyphox.name().into(),
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
                return Err(FormatError::MissingFiles {
                    file: c.label.clone(),
                    message: "no recording recognised in this folder/zip".into(),
                    expected: "a Sensor Logger export (Accelerometer.csv, Gravity.csv or TotalAcceleration.csv, Metadata.csv), a phyphox export (Accelerometer.csv / Raw Data.csv with \"Time (s)\"), MetaWear *_Accelerometer_*.csv files, or a single CSV".into(),
                    found: c.listing(),
                });
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
                0 => Err(FormatError::MissingFiles {
                    file: c.label.clone(),
                    message: "no MetaWear accelerometer file".into(),
                    expected: "<name>_MetaWear_<time>_<MAC>_Accelerometer_<rate>Hz_<fw>.csv".into(),
                    found: c.listing(),
                }),
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
                return Err(FormatError::MissingFiles {
                    file: c.label.clone(),
                    message: format!(
                        "format {} reads a single CSV, but this folder/zip holds {} CSV files",
                        fmt.name(),
                        csvs.len()
                    ),
                    expected: "exactly one CSV".into(),
                    found: c.listing(),
                });
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
        format: Format::SensorLogger.name().into(),
        detected_by: why.into(),
        ..Default::default()
    };
    let meta = c
        .find("Metadata.csv")
        .map(|m| read_kv_csv(c, &m))
        .unwrap_or_default();
    let get = |k: &str| meta.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
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
            .push(format!("Metadata.csv standardisation = {s}"));
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
    let acc = if let Some(tot) = total {
        let (s, rep, trep) = load(&tot, StreamKind::Accel, sign, &mut info)?;
        info.accel = rep;
        info.time = trep;
        info.gravity = "TotalAcceleration.csv (includes gravity)".into();
        s
    } else if let (Some(l), Some(g)) = (lin.clone(), grav.clone()) {
        let (ls, rep, trep) = load(&l, StreamKind::Accel, sign, &mut info)?;
        let (gs, _, _) = load(&g, StreamKind::Accel, sign, &mut info)?;
        info.accel = rep;
        info.time = trep;
        info.gravity = "Accelerometer.csv + Gravity.csv (gravity interpolated at the accelerometer's timestamps)".into();
        add_streams(&ls, &gs, &mut info)
    } else {
        let message = if lin.is_some() {
            "Accelerometer.csv has gravity removed and there is no Gravity.csv or TotalAcceleration.csv to restore it (enable the Gravity or Total Acceleration sensor in Sensor Logger)"
        } else {
            "no accelerometer file in this Sensor Logger export"
        };
        return Err(FormatError::MissingFiles {
            file: c.label.clone(),
            message: message.into(),
            expected: "TotalAcceleration.csv (Android), or Accelerometer.csv + Gravity.csv (iOS)"
                .into(),
            found: c.listing(),
        });
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
    merge(acc, gyro, info)
}

fn phyphox(c: &Container, opts: &ReadOptions, why: &str) -> Result<Recording, FormatError> {
    let mut info = SourceInfo {
        format: Format::Phyphox.name().into(),
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
                        "deviceModel" => model = Some(f[1].clone()),
                        "deviceBrand" => brand = Some(f[1].clone()),
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
                    info.notes.push(format!("meta/time.csv: experiment started at Unix time {} (times are kept relative to the experiment start)", f[2]));
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
        let t = match c.table(f) {
            Ok(t) => t,
            Err(_) => continue,
        };
        let hs = formats::headers(&t);
        let joined: String = hs.iter().map(|h| h.joined()).collect::<Vec<_>>().join(" ");
        let b = base(f).to_ascii_lowercase();
        let units: String = hs
            .iter()
            .filter_map(|h| h.unit.clone())
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        if !units.contains("m/s") && !units.contains("rad/s") {
            continue;
        }
        let slot = if units.contains("rad/s") || joined.contains("gyroscope") {
            &mut gyr
        } else if b.contains("linear") || joined.contains("linear") {
            &mut lin
        } else if b.contains("gravity") || joined.contains("gravity") {
            &mut grav
        } else {
            &mut acc
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
    let a = if let Some(a) = acc {
        let (s, rep, trep) = load(&a, StreamKind::Accel, &mut info)?;
        info.accel = rep;
        info.time = trep;
        info.gravity = format!("{} (acceleration with g)", base(&a));
        s
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
        add_streams(&ls, &gs, &mut info)
    } else {
        let message = if lin.is_some() {
            "this phyphox export has only linear acceleration (gravity removed) and no Gravity.csv to restore it; record with \"Acceleration with g\" or add the Gravity sensor"
        } else {
            "no accelerometer file in this phyphox export"
        };
        return Err(FormatError::MissingFiles {
            file: c.label.clone(),
            message: message.into(),
            expected: "Accelerometer.csv (or Raw Data.csv with \"Acceleration x (m/s^2)\"), or Linear Accelerometer.csv + Gravity.csv".into(),
            found: c.listing(),
        });
    };
    let g = match gyr {
        Some(g) => {
            let (s, rep, _) = load(&g, StreamKind::Gyro, &mut info)?;
            info.gyro = Some(rep);
            Some(s)
        }
        None => None,
    };
    merge(a, g, info)
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
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
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
        format: Format::MetaWear.name().into(),
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
    merge(a, g, info)
}

/// Finds recordings in a folder tree: single CSV files, app export folders
/// (Sensor Logger, phyphox: counted as ONE recording, returned as the
/// folder), zips, and MetaWear recordings (returned as the accelerometer
/// file; its gyroscope partner is found when opened). Skips `*.truth.json`,
/// non-CSV files and metadata CSVs. The result is sorted.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("a.csv"), "t,ax,ay,az\n0,0,0,1\n0.01,0,0,1\n").unwrap();
/// std::fs::write(dir.path().join("a.truth.json"), "{}").unwrap();
/// let found = kickback_formats::find_recordings(dir.path());
/// assert_eq!(found.len(), 1);
/// ```
pub fn find_recordings(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, 0, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 16 {
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
        Err(_) => return,
    };
    entries.sort();
    let names: Vec<String> = entries
        .iter()
        .filter(|p| p.is_file())
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    let is_export = lower.iter().any(|n| n == "metadata.csv")
        || (lower.iter().any(|n| {
            n == "accelerometer.csv"
                || n == "totalacceleration.csv"
                || n == "raw data.csv"
                || n == "linear accelerometer.csv"
        }) && lower.iter().filter(|n| is_csv(n)).count() > 1);
    if is_export && depth > 0 {
        out.push(dir.to_path_buf());
        return;
    }
    let groups = metawear_groups(names.iter().map(|s| s.as_str()));
    for p in &entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let l = name.to_ascii_lowercase();
        if p.is_dir() {
            if l != "meta" && !l.starts_with('.') {
                walk(p, depth + 1, out);
            }
            continue;
        }
        if is_export {
            continue;
        }
        if l.ends_with(".zip") {
            out.push(p.clone());
        } else if is_csv(&l) && !l.ends_with(".truth.json") {
            if let Some((key, is_acc)) = metawear_key(&name) {
                let g = groups.iter().find(|g| g.0 == key);
                let has_acc = g.map(|g| g.1.is_some()).unwrap_or(false);
                if is_acc || !has_acc {
                    out.push(p.clone());
                }
                continue;
            }
            if matches!(
                l.as_str(),
                "metadata.csv" | "annotation.csv" | "info.txt" | "device.csv" | "time.csv"
            ) || l.ends_with(".txt")
            {
                continue;
            }
            out.push(p.clone());
        }
    }
    if is_export && depth == 0 {
        out.push(dir.to_path_buf());
    }
}
