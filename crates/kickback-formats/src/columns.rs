//! Column finding shared by the app formats: time, accelerometer and
//! gyroscope columns by name, their units from the header, per-sensor files
//! (time + x, y, z) opened as streams.

use crate::assemble::Sensor;
use crate::container::Container;
use crate::error::{ErrorKind, FormatError};
use crate::single::{RowSpec, Rows, Table, TimeCol};
use crate::text::{parse_datetime, HeaderName};
use crate::units::{self, accel_from_header, gyro_from_header, time_from_header, Hint};
use crate::{AccelUnit, GyroUnit, ReadOptions, SourceInfo, TimeUnit, UnitReport};

pub(crate) const IOS_SIGN: &str =
    "iOS (CoreMotion) sign: accelerometer negated so that it reads +9.81 up at rest";
pub(crate) const STD_SIGN: &str = "standard: accelerometer reads +9.81 up at rest (no change)";

pub(crate) fn headers(t: &Table) -> Vec<HeaderName> {
    t.header
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .map(|h| HeaderName::parse(h))
        .collect()
}

pub(crate) fn found_list(t: &Table) -> String {
    match &t.header {
        Some(h) => crate::error::short_list(h.iter().filter(|s| !s.is_empty())),
        None => "(no header row)".into(),
    }
}

// ---------------------------------------------------------------- generic

pub(crate) fn axis_of(j: &str) -> Option<(usize, &str)> {
    for (k, suf) in ["xaxis", "yaxis", "zaxis"].iter().enumerate() {
        if let Some(p) = j.strip_suffix(suf) {
            return Some((k, p));
        }
    }
    let c = j.chars().last()?;
    let k = match c {
        'x' => 0,
        'y' => 1,
        'z' => 2,
        _ => return None,
    };
    Some((k, &j[..j.len() - 1]))
}

#[derive(PartialEq, Clone, Copy)]
pub(crate) enum Kind {
    Acc,
    AccG,
    Gyro,
    Bare,
}

pub(crate) fn classify(p: &str) -> Option<Kind> {
    const ACC: [&str; 4] = ["acc", "accel", "accelerometer", "acceleration"];
    const GYR: [&str; 6] = [
        "gyro",
        "gyroscope",
        "gyr",
        "rotationrate",
        "angularvelocity",
        "angvel",
    ];
    if p.is_empty() {
        return Some(Kind::Bare);
    }
    if p == "gf" || p == "gforce" {
        return Some(Kind::AccG);
    }
    if ["lin", "linear", "user", "grav", "uncal", "mag"]
        .iter()
        .any(|b| p.contains(b))
    {
        return None;
    }
    if p == "a" || ACC.iter().any(|a| p.ends_with(a)) || p == "accelerometeracceleration" {
        return Some(Kind::Acc);
    }
    if matches!(p, "g" | "w" | "omega" | "rot" | "gyrorotation")
        || GYR.iter().any(|g| p.ends_with(g))
    {
        return Some(Kind::Gyro);
    }
    None
}

pub(crate) struct Triple {
    pub cols: [usize; 3],
    pub unit: Option<String>,
    pub g_force: bool,
}

pub(crate) fn find_triple(hs: &[HeaderName], want: Kind) -> Option<Triple> {
    // group by prefix in header order
    let mut groups: Vec<(String, [Option<usize>; 3], Option<String>)> = Vec::new();
    for (i, h) in hs.iter().enumerate() {
        let j = h.joined();
        let (k, p) = match axis_of(&j) {
            Some(x) => x,
            None => continue,
        };
        let kind = match classify(p) {
            Some(k) => k,
            None => continue,
        };
        let matches = match want {
            Kind::Acc => kind == Kind::Acc || kind == Kind::AccG,
            w => kind == w,
        };
        if !matches {
            continue;
        }
        let g = match groups.iter_mut().position(|g| g.0 == p) {
            Some(ix) => &mut groups[ix],
            None => {
                groups.push((p.to_string(), [None; 3], None));
                groups.last_mut().expect("just pushed")
            }
        };
        if g.1[k].is_none() {
            g.1[k] = Some(i);
            if g.2.is_none() {
                g.2 = h.unit.clone();
            }
        }
    }
    let complete: Vec<_> = groups
        .into_iter()
        .filter_map(|(p, c, u)| Some((p, [c[0]?, c[1]?, c[2]?], u)))
        .collect();
    if want == Kind::Bare && complete.len() != 1 {
        return None;
    }
    complete.into_iter().next().map(|(p, cols, unit)| Triple {
        g_force: p == "gf" || p == "gforce",
        cols,
        unit,
    })
}

pub(crate) const TIME_UNIT_TOKENS: [(&str, TimeUnit); 9] = [
    ("s", TimeUnit::Seconds),
    ("sec", TimeUnit::Seconds),
    ("secs", TimeUnit::Seconds),
    ("seconds", TimeUnit::Seconds),
    ("ms", TimeUnit::Millis),
    ("millis", TimeUnit::Millis),
    ("us", TimeUnit::Micros),
    ("micros", TimeUnit::Micros),
    ("ns", TimeUnit::Nanos),
];

/// Finds a time column: (index, unit named in the header).
pub(crate) fn find_time(hs: &[HeaderName]) -> Option<(usize, Option<TimeUnit>)> {
    const BASES: [&str; 17] = [
        "t",
        "time",
        "timestamp",
        "ts",
        "elapsed",
        "elapsedtime",
        "timeelapsed",
        "epoch",
        "epoc",
        "unixtime",
        "unixtimestamp",
        "secondselapsed",
        "times",
        "timestamps",
        "datetime",
        "date",
        "timesincestart",
    ];
    for (i, h) in hs.iter().enumerate() {
        let mut toks = h.tokens.clone();
        let mut unit = h.unit.as_deref().and_then(time_from_header);
        if toks.len() > 1 {
            if let Some((_, u)) = TIME_UNIT_TOKENS
                .iter()
                .find(|(n, _)| Some(*n) == toks.last().map(|s| s.as_str()))
            {
                unit = unit.or(Some(*u));
                toks.pop();
            }
        }
        let base = toks.concat();
        if BASES.contains(&base.as_str()) {
            return Some((i, unit));
        }
        if toks.len() == 1 {
            if let Some((_, u)) = TIME_UNIT_TOKENS.iter().find(|(n, _)| *n == base) {
                return Some((i, Some(*u)));
            }
            if base == "nanos" || base == "milliseconds" || base == "microseconds" {
                return Some((i, TimeUnit::from_str_opt(&base)));
            }
        }
    }
    None
}

impl TimeUnit {
    fn from_str_opt(s: &str) -> Option<TimeUnit> {
        s.parse().ok()
    }
}

/// Numeric or date-time time column, judged from the first data line.
pub(crate) fn time_col(t: &Table, i: usize) -> Result<TimeCol, FormatError> {
    if let Some(l) = t.peek_lines().find(|l| !l.trim().is_empty()) {
        let f = t.split(l, 0)?;
        if f.get(i).and_then(|s| parse_datetime(s)).is_some() {
            return Ok(TimeCol::DateTime(i));
        }
    }
    Ok(TimeCol::Numeric(i))
}

pub(crate) fn accel_hint(tr: &Triple, fmt_default: Option<(AccelUnit, &str)>) -> Hint<AccelUnit> {
    if let Some(u) = tr.unit.as_deref().and_then(accel_from_header) {
        return Hint::Known(
            u,
            format!(
                "from the header unit \"{}\"",
                tr.unit.as_deref().unwrap_or("")
            ),
        );
    }
    if tr.g_force {
        return Hint::Known(AccelUnit::G, "g-force columns gFx/gFy/gFz".into());
    }
    match fmt_default {
        Some((u, why)) => Hint::Known(u, why.into()),
        None => Hint::Detect,
    }
}

pub(crate) fn gyro_hint(tr: &Triple, fmt_default: Option<(GyroUnit, &str)>) -> Hint<GyroUnit> {
    if let Some(u) = tr.unit.as_deref().and_then(gyro_from_header) {
        return Hint::Known(
            u,
            format!(
                "from the header unit \"{}\"",
                tr.unit.as_deref().unwrap_or("")
            ),
        );
    }
    match fmt_default {
        Some((u, why)) => Hint::Known(u, why.into()),
        None => Hint::Detect,
    }
}

pub(crate) fn missing_acc(t: &Table) -> FormatError {
    FormatError::new(&t.name, ErrorKind::MissingColumns {
        what: "accelerometer".into(),
        expected:
            "a header naming three accelerometer columns (ax, ay, az or acc_x, ... or accel_x, ...)"
                .into(),
        found: found_list(t),
    })
}

pub(crate) fn missing_time(t: &Table) -> FormatError {
    FormatError::new(&t.name, ErrorKind::MissingColumns {
        what: "time".into(),
        expected: "a time column named t, time, time_s, timestamp, seconds or elapsed (optionally with a unit like \"time (ms)\"); or pass --rate HZ".into(),
        found: found_list(t),
    })
}

// ---------------------------------------------------------------- simple app formats

pub(crate) fn col_where(hs: &[HeaderName], f: impl Fn(&HeaderName) -> bool) -> Option<usize> {
    hs.iter().position(f)
}

pub(crate) fn raw_eq(h: &HeaderName, s: &str) -> bool {
    h.raw.trim().eq_ignore_ascii_case(s)
}

pub(crate) fn triple_by_raw(hs: &[HeaderName], names: [&str; 3]) -> Option<[usize; 3]> {
    Some([
        col_where(hs, |h| raw_eq(h, names[0]))?,
        col_where(hs, |h| raw_eq(h, names[1]))?,
        col_where(hs, |h| raw_eq(h, names[2]))?,
    ])
}

pub(crate) fn missing_acc_named(t: &Table, expected: &str) -> FormatError {
    FormatError::new(
        &t.name,
        ErrorKind::MissingColumns {
            what: "accelerometer".into(),
            expected: expected.into(),
            found: found_list(t),
        },
    )
}

// ---------------------------------------------------------------- per-sensor files (time + xyz)

/// A per-sensor file's columns: time + x,y,z, with their header units.
pub(crate) struct AxisFile {
    pub time: usize,
    pub time_unit: Option<TimeUnit>,
    pub xyz: [usize; 3],
    pub unit: Option<String>,
}

/// Finds time + x/y/z columns in a per-sensor file (Sensor Logger, phyphox,
/// MetaWear). `time_names` are tried in order (lower-case raw names, prefix match).
pub(crate) fn axis_file(t: &Table, time_names: &[&str]) -> Result<AxisFile, FormatError> {
    let hs = headers(t);
    let mut time = None;
    for n in time_names {
        if let Some(i) = col_where(&hs, |h| h.raw.to_ascii_lowercase().starts_with(n)) {
            time = Some(i);
            break;
        }
    }
    let time = match time {
        Some(i) => i,
        None => find_time(&hs).map(|x| x.0).ok_or_else(|| missing_time(t))?,
    };
    let mut xyz = [None; 3];
    let mut unit = None;
    for (i, h) in hs.iter().enumerate() {
        if i == time {
            continue;
        }
        if let Some((k, _)) = axis_of(&h.joined()) {
            if xyz[k].is_none() {
                xyz[k] = Some(i);
                if unit.is_none() {
                    unit = h.unit.clone();
                }
            }
        }
    }
    let xyz = match xyz {
        [Some(x), Some(y), Some(z)] => [x, y, z],
        _ => {
            return Err(FormatError::new(
                &t.name,
                ErrorKind::MissingColumns {
                    what: "x, y, z".into(),
                    expected: "a time column and three axis columns named x, y, z".into(),
                    found: found_list(t),
                },
            ))
        }
    };
    Ok(AxisFile {
        time,
        time_unit: hs[time].unit.as_deref().and_then(time_from_header),
        xyz,
        unit,
    })
}

/// What a stream holds.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum StreamKind {
    Accel,
    Gyro,
}

/// How an app lays out the per-sensor files of its exports (time + x, y, z
/// per file): the one way such a file is opened.
pub(crate) struct SensorFiles {
    /// Names of the time column, tried in order (lower-case prefixes).
    pub time_names: &'static [&'static str],
    /// The documented time unit by the time column's lower-case name (`""`:
    /// any other), and why.
    pub time_units: &'static [(&'static str, TimeUnit, &'static str)],
    /// The documented units of the accelerometer and gyroscope files.
    pub units: [&'static str; 2],
}

impl SensorFiles {
    /// Opens the per-sensor file `rel` of `c` as a stream of `kind` (values
    /// times `scale`) and lists it in the report. Returns the sensor and
    /// the unit reports (value unit, time unit).
    pub fn open(
        &self,
        c: &Container,
        rel: &str,
        kind: StreamKind,
        scale: f64,
        opts: &ReadOptions,
        info: &mut SourceInfo,
    ) -> Result<(Sensor, UnitReport, UnitReport), FormatError> {
        let t = c.table(rel)?;
        let af = axis_file(&t, self.time_names)?;
        let column = t
            .header
            .as_ref()
            .map(|h| h[af.time].to_ascii_lowercase())
            .unwrap_or_default();
        let time_default = self
            .time_units
            .iter()
            .find(|(name, _, _)| *name == column || name.is_empty())
            .map(|(_, u, why)| (*u, *why));
        let unit = match kind {
            StreamKind::Accel => self.units[0],
            StreamKind::Gyro => self.units[1],
        };
        info.files.push(c.display(rel));
        load_stream(t, &af, kind, Some(unit), time_default, scale, opts, info)
    }
}

/// Opens a per-sensor file as a stream of SI samples; its first
/// [`DETECT_ROWS`](crate::DETECT_ROWS) rows decide the units. Returns the
/// sensor and the unit reports (value unit, time unit).
#[allow(clippy::too_many_arguments)]
fn load_stream(
    t: Table,
    af: &AxisFile,
    kind: StreamKind,
    unit_default: Option<&str>,
    time_default: Option<(TimeUnit, &str)>,
    scale: f64,
    opts: &ReadOptions,
    info: &mut SourceInfo,
) -> Result<(Sensor, UnitReport, UnitReport), FormatError> {
    let spec = RowSpec {
        time: TimeCol::Numeric(af.time),
        acc: vec![af.xyz],
        gyro: None,
        ragged_ok: false,
        names: t.names(0),
    };
    let mut rows = Rows::new(t, spec);
    rows.read_prefix(info)?;
    let t = &rows.table;
    let vals: Vec<[f64; 3]> = rows.prefix.iter().map(|r| r.acc).collect();
    let tr = Triple {
        cols: af.xyz,
        unit: af.unit.clone(),
        g_force: false,
    };
    let (factor, vrep) = match kind {
        StreamKind::Accel => {
            let d = unit_default.and_then(|s| accel_from_header(s).map(|u| (u, s)));
            let hint = accel_hint(
                &tr,
                d.map(|(u, _)| (u, "documented unit of this app's file")),
            );
            let (u, rep) = units::decide_accel(opts.accel_unit, &hint, &vals);
            (u.to_si(), rep)
        }
        StreamKind::Gyro => {
            let d = unit_default.and_then(|s| gyro_from_header(s).map(|u| (u, s)));
            let hint = gyro_hint(
                &tr,
                d.map(|(u, _)| (u, "documented unit of this app's file")),
            );
            let (u, rep) = units::decide_gyro(opts.gyro_unit, &hint, &vals);
            units::check_gyro_level(&t.name, &vals, u)?;
            (u.to_si(), rep)
        }
    };
    let traw: Vec<f64> = rows.prefix.iter().map(|r| r.t).collect();
    let th = match (af.time_unit, time_default) {
        (Some(u), _) => Hint::Known(u, "from the header".into()),
        (None, Some((u, why))) => Hint::Known(u, why.into()),
        _ => Hint::Detect,
    };
    let (tu, trep) = units::decide_time(opts.time_unit, &th, &traw);
    let sensor = Sensor::from_rows(rows, tu.to_si(), factor * scale);
    Ok((sensor, vrep, trep))
}

// ---------------------------------------------------------------- Physics Toolbox
