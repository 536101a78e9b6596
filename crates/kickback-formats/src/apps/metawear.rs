//! MbientLab MetaWear / MetaBase: `*_Accelerometer_*.csv` (g) and
//! `*_Gyroscope_*.csv` (deg/s) of one recording, paired by name.

use super::{App, Opened};
use crate::columns::{axis_file, SensorFiles, StreamKind, STD_SIGN};
use crate::container::{base, is_csv, parent_of, Container};
use crate::error::{ErrorKind, FormatError};
use crate::merge::merge;
use crate::single::{self, Table};
use crate::units::{self, Hint};
use crate::{AccelUnit, Format, ReadOptions, Recording, SourceInfo, TimeUnit};
use std::path::Path;

/// MetaWear.
pub(crate) struct MetaWear;

/// MetaWear's per-sensor files: `epoch (ms)` in Unix ms, g, deg/s.
const FILES: SensorFiles = SensorFiles {
    time_names: &["epoch (ms)", "epoc (ms)"],
    time_units: &[("", TimeUnit::Millis, "MetaWear epoch (ms) is Unix ms")],
    units: ["g", "deg/s"],
};

impl App for MetaWear {
    fn format(&self) -> Format {
        Format::MetaWear
    }
    fn sniff(&self, t: &Table) -> Option<&'static str> {
        let h = super::Lower::of(t)?;
        let first = h.first();
        ((first.starts_with("epoch (ms)") || first.starts_with("epoc (ms)"))
            && h.any_contains("x-axis"))
        .then_some("header epoch (ms) ... x-axis (MetaWear MetaBase)")
    }
    fn sniff_export(&self, c: &Container, _sig: &[String]) -> bool {
        c.csvs().iter().any(|f| metawear_key(base(f)).is_some())
    }
    /// A gyroscope file is opened through the accelerometer file of its
    /// recording.
    fn partner(&self, name: &str, names: &[String]) -> Option<String> {
        let Some((key, false)) = metawear_key(name) else {
            return None;
        };
        metawear_groups(names.iter().map(|s| s.as_str()))
            .into_iter()
            .find(|g| g.0 == key)?
            .1
    }
    /// One accelerometer file read on its own.
    fn open_table(&self, table: Table, why: &str, opts: &ReadOptions) -> Opened {
        let af = axis_file(&table, &["epoch (ms)", "epoc (ms)"])?;
        let unit = af.unit.clone().unwrap_or_default();
        if units::gyro_from_header(&unit).is_some() {
            return Err(FormatError::new(&table.name, ErrorKind::MissingFiles {
                message: "this is a MetaWear gyroscope file; the accelerometer file of the same recording is needed".into(),
                expected: "<name>_MetaWear_<time>_<MAC>_Accelerometer_<rate>Hz_<fw>.csv beside it".into(),
                found: table.name.clone(),
            }));
        }
        let mut info = super::base_info(Format::MetaWear, why, &table.name);
        info.gravity = "raw accelerometer (includes gravity)".into();
        info.notes
            .push("no MetaWear gyroscope file found for this recording; accelerometer only".into());
        let s = single::Setup {
            spec: single::RowSpec {
                time: single::TimeCol::Numeric(af.time),
                acc: vec![af.xyz],
                gyro: None,
                ragged_ok: false,
                names: table.names(0),
            },
            accel: match units::accel_from_header(&unit) {
                Some(u) => Hint::Known(u, format!("from the header unit \"{unit}\"")),
                None => Hint::Known(AccelUnit::G, "MetaWear accelerometer is in g".into()),
            },
            gyro: Hint::Detect,
            time: Hint::Known(TimeUnit::Millis, "MetaWear epoch (ms)".into()),
            acc_sign: 1.0,
            info,
        };
        single::start(table, s, opts)
    }
    fn open_file(&self, path: &Path, table: Table, why: &str, opts: &ReadOptions) -> Opened {
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
        self.open_table(table, why, opts)
    }
    fn open_export(&self, c: &Container, why: &str, opts: &ReadOptions) -> Opened {
        let groups = metawear_groups(c.csvs().iter().map(|s| s.as_str()));
        let accs: Vec<_> = groups.iter().filter(|g| g.1.is_some()).collect();
        match accs.len() {
            1 => metawear_pair(c, accs[0].1.as_deref().unwrap_or(""), accs[0].2.as_deref(), opts, why),
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
    let (a, rep, trep) = FILES.open(c, acc, StreamKind::Accel, 1.0, opts, &mut info)?;
    info.accel = rep;
    info.time = trep;
    let g = match gyro {
        Some(g) => {
            let (s, rep, _) = FILES.open(c, g, StreamKind::Gyro, 1.0, opts, &mut info)?;
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
