//! phyphox: an export folder or zip of per-sensor CSVs (Accelerometer.csv,
//! or Linear Accelerometer.csv + Gravity.csv; Gyroscope.csv) or one
//! `Raw Data.csv`; any delimiter, decimal comma.

use super::generic::generic;
use super::sensor_logger::note_alone;
use super::{csv_count, dir_is_export, part_of_export, App, Lower, Opened};
use crate::columns::{self, axis_file, SensorFiles, StreamKind, STD_SIGN};
use crate::container::{base, parent_of, Container};
use crate::error::{shorten, ErrorKind, FormatError};
use crate::merge::merge;
use crate::single::{self, Table};
use crate::{Format, ReadOptions, SourceInfo, TimeUnit};
use std::path::Path;

/// phyphox.
pub(crate) struct Phyphox;

/// phyphox's per-sensor files: `Time (s)`, m/s², rad/s.
const FILES: SensorFiles = SensorFiles {
    time_names: &["time (s)", "time"],
    time_units: &[("", TimeUnit::Seconds, "phyphox Time (s)")],
    units: ["m/s^2", "rad/s"],
};

impl App for Phyphox {
    fn format(&self) -> Format {
        Format::Phyphox
    }
    fn sniff(&self, t: &Table) -> Option<&'static str> {
        (Lower::of(t)?.first() == "time (s)").then_some("first column \"Time (s)\" (phyphox)")
    }
    fn sniff_export(&self, c: &Container, sig: &[String]) -> bool {
        sig.first().map(|s| s == "time (s)").unwrap_or(false) || c.find("Raw Data.csv").is_some()
    }
    fn names_are_export(&self, names: &[String]) -> bool {
        names.iter().any(|n| {
            n == "accelerometer.csv" || n == "raw data.csv" || n == "linear accelerometer.csv"
        }) && csv_count(names) > 1
    }
    fn metadata_files(&self) -> &'static [&'static str] {
        &["device.csv", "time.csv"]
    }
    /// One CSV read on its own: acceleration with g only.
    fn open_table(&self, table: Table, why: &str, opts: &ReadOptions) -> Opened {
        let mut s = match phyphox_role(&table.name, &table) {
            Some(PhyphoxRole::Accel) | None => {
                generic(&table, why, opts).or_else(|_| phyphox_single_setup(&table, why))?
            }
            Some(_) => phyphox_single_setup(&table, why)?,
        };
        s.info.format = Format::Phyphox;
        single::start(table, s, opts)
    }
    /// A single phyphox CSV named on its own: read when it holds acceleration
    /// with g; otherwise an error naming what to open instead.
    fn open_file(&self, path: &Path, table: Table, why: &str, opts: &ReadOptions) -> Opened {
        let role = phyphox_role(&table.name, &table);
        let what = match role {
            Some(PhyphoxRole::Linear) => "linear acceleration (gravity removed)",
            Some(PhyphoxRole::Gravity) => "gravity alone",
            Some(PhyphoxRole::Gyro) => "the gyroscope alone",
            _ => return Ok(note_alone(self.open_table(table, why, opts)?, path)),
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
    fn open_export(&self, c: &Container, why: &str, opts: &ReadOptions) -> Opened {
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
        let load = |rel: &str, kind: StreamKind, info: &mut SourceInfo| {
            FILES.open(c, rel, kind, 1.0, opts, info)
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
    let hs = columns::headers(t);
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

fn phyphox_single_setup(t: &Table, why: &str) -> Result<single::Setup, FormatError> {
    let af = axis_file(t, &["time (s)"])?;
    let hs = columns::headers(t);
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
