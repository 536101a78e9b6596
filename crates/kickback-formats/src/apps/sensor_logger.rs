//! Sensor Logger (iOS and Android): an export folder or zip of per-sensor
//! CSVs (TotalAcceleration.csv, or Accelerometer.csv + Gravity.csv; then
//! Gyroscope.csv; Metadata.csv), merged as streams.

use super::generic::generic;
use super::{csv_count, dir_is_export, part_of_export, App, Lower, Opened};
use crate::columns::{SensorFiles, StreamKind, IOS_SIGN};
use crate::container::{file_name_lower, label, parent_of, Container};
use crate::error::{shorten, ErrorKind, FormatError};
use crate::merge::merge;
use crate::single::{self, Table};
use crate::units::Hint;
use crate::{AccelUnit, Format, ReadOptions, Recording, SourceInfo, TimeUnit};
use std::path::Path;

/// Sensor Logger.
pub(crate) struct SensorLogger;

/// Sensor Logger's per-sensor files: `time` in ns since 1970 (or
/// `seconds_elapsed`), m/s², rad/s.
const FILES: SensorFiles = SensorFiles {
    time_names: &["time", "seconds_elapsed"],
    time_units: &[
        ("seconds_elapsed", TimeUnit::Seconds, "seconds_elapsed"),
        ("", TimeUnit::Nanos, "Sensor Logger `time` is ns since 1970"),
    ],
    units: ["m/s^2", "rad/s"],
};

impl App for SensorLogger {
    fn format(&self) -> Format {
        Format::SensorLogger
    }
    fn app_name(&self) -> &'static str {
        "Sensor Logger"
    }
    fn sniff(&self, t: &Table) -> Option<&'static str> {
        Lower::of(t)?
            .has("seconds_elapsed")
            .then_some("header has time,seconds_elapsed (Sensor Logger)")
    }
    fn sniff_export(&self, c: &Container, sig: &[String]) -> bool {
        c.find("Metadata.csv").is_some() || sig.iter().any(|s| s == "seconds_elapsed")
    }
    fn names_are_export(&self, names: &[String]) -> bool {
        names.iter().any(|n| n == "metadata.csv")
            || (names
                .iter()
                .any(|n| n == "accelerometer.csv" || n == "totalacceleration.csv")
                && csv_count(names) > 1)
    }
    fn metadata_files(&self) -> &'static [&'static str] {
        &["metadata.csv", "annotation.csv"]
    }
    /// One CSV read on its own: its columns by name.
    fn open_table(&self, table: Table, why: &str, opts: &ReadOptions) -> Opened {
        let mut s = generic(&table, why, opts)?;
        s.info.format = Format::SensorLogger;
        s.info
            .notes
            .push("single Sensor Logger CSV read on its own (columns read by name)".into());
        let lname = table.name.to_ascii_lowercase();
        if lname.ends_with("totalacceleration.csv") {
            s.accel = Hint::Known(
                AccelUnit::MetersPerSecond2,
                "Sensor Logger writes m/s²".into(),
            );
            s.info.gravity = "TotalAcceleration.csv (includes gravity)".into();
        }
        single::start(table, s, opts)
    }
    /// A single Sensor Logger CSV named on its own: only TotalAcceleration.csv
    /// (Android, with gravity) or a renamed file holds a recording by itself.
    fn open_file(&self, path: &Path, table: Table, why: &str, opts: &ReadOptions) -> Opened {
        let name = file_name_lower(path);
        if name == "totalacceleration.csv" {
            return Ok(note_alone(self.open_table(table, why, opts)?, path));
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
        self.open_table(table, why, opts)
    }
    fn open_export(&self, c: &Container, why: &str, opts: &ReadOptions) -> Opened {
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
        let load = |rel: &str, kind: StreamKind, sign: f64, info: &mut SourceInfo| {
            FILES.open(c, rel, kind, sign, opts, info)
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
}

/// Adds a note when the file was read on its own although it lies in an
/// export folder that holds more (a gyroscope).
pub(super) fn note_alone(mut r: Recording, path: &Path) -> Recording {
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
