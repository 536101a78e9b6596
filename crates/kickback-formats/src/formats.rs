//! Per-format knowledge: which columns, units, signs and gravity handling.

use crate::assemble::{HoldSplit, Sensor};
use crate::error::{ErrorKind, FormatError};
use crate::merge::merge;
use crate::single::{self, read_raw_row, RowOutcome, RowPlan, RowSpec, Setup, Table, TimeCol};
use crate::text::{parse_datetime, HeaderName};
use crate::units::{self, accel_from_header, gyro_from_header, time_from_header, Hint};
use crate::{
    AccelUnit, Format, GyroUnit, ReadOptions, Recording, SourceInfo, TimeUnit, UnitReport,
};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

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

fn base_info(format: Format, why: &str, file: &str) -> SourceInfo {
    SourceInfo {
        format,
        detected_by: why.to_string(),
        files: vec![file.to_string()],
        sign_convention: STD_SIGN.into(),
        ..Default::default()
    }
}

/// Identifies the format from a table's header and first lines.
pub(crate) fn sniff(t: &Table) -> Result<(Format, String), FormatError> {
    let h = match &t.header {
        None => {
            let first = t.peek_lines().next().unwrap_or("");
            let f = t.split(first, 0)?;
            if f.first().and_then(|s| parse_datetime(s)).is_some() {
                return Ok((
                    Format::Axivity,
                    "no header; first field is a date-time (Axivity cwa-convert CSV)".into(),
                ));
            }
            let lines: Vec<&str> = t.peek_lines().take(3).collect();
            if lines.len() >= 2 && f.len() == 3 {
                let l2 = t.split(lines[1], 0)?;
                let same = |v: &[String]| v.iter().all(|x| x.trim() == v[0].trim());
                if same(&f) && same(&l2) {
                    return Err(FormatError::new(&t.name, ErrorKind::Unsupported {
                        message: "this looks like an Empatica E4 file (row 1 = start time, row 2 = rate, then 1/64 g counts); Empatica E4 is not supported: its wrist accelerometer has no gyroscope and no ankle placement".into(),
                    }));
                }
            }
            return Err(FormatError::new(&t.name, ErrorKind::MissingColumns {
                what: "header".into(),
                expected: "a header row naming a time column and three accelerometer columns (e.g. time,ax,ay,az,gx,gy,gz), or --input-format axivity for headerless Axivity files".into(),
                found: format!("a data row: {}", crate::text::found(first)),
            }));
        }
        Some(h) => h,
    };
    let lower: Vec<String> = h.iter().map(|s| s.trim().to_ascii_lowercase()).collect();
    let has = |s: &str| lower.iter().any(|x| x == s);
    let any_contains = |s: &str| lower.iter().any(|x| x.contains(s));
    let first = lower.first().map(|s| s.as_str()).unwrap_or("");
    let r = if has("seconds_elapsed") {
        (
            Format::SensorLogger,
            "header has time,seconds_elapsed (Sensor Logger)",
        )
    } else if first == "time (s)" {
        (Format::Phyphox, "first column \"Time (s)\" (phyphox)")
    } else if has("gfx") {
        (
            Format::PhysicsToolbox,
            "header has gFx (Physics Toolbox Sensor Suite)",
        )
    } else if (first.starts_with("epoch (ms)") || first.starts_with("epoc (ms)"))
        && any_contains("x-axis")
    {
        (
            Format::MetaWear,
            "header epoch (ms) ... x-axis (MetaWear MetaBase)",
        )
    } else if any_contains("useracceleration.x")
        || (any_contains("gravity.x") && any_contains("rotationrate.x"))
    {
        (
            Format::CoreMotion,
            "header has gravity.x / userAcceleration.x (CoreMotion dump)",
        )
    } else if any_contains("loggingtime") || any_contains("accelerometeraccelerationx") {
        (
            Format::SensorLog,
            "header has loggingTime / accelerometerAccelerationX (SensorLog)",
        )
    } else if any_contains("_timestamp_unix")
        || any_contains("_accel_ln_x")
        || any_contains("_accel_wr_x")
    {
        (
            Format::Shimmer,
            "header has *_Timestamp_Unix_CAL / *_Accel_*_X_CAL (Shimmer Consensys)",
        )
    } else {
        (
            Format::Generic,
            "no app signature in the header: generic CSV",
        )
    };
    Ok((r.0, r.1.to_string()))
}

// ---------------------------------------------------------------- generic

fn axis_of(j: &str) -> Option<(usize, &str)> {
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
enum Kind {
    Acc,
    AccG,
    Gyro,
    Bare,
}

fn classify(p: &str) -> Option<Kind> {
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

fn find_triple(hs: &[HeaderName], want: Kind) -> Option<Triple> {
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

const TIME_UNIT_TOKENS: [(&str, TimeUnit); 9] = [
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
fn find_time(hs: &[HeaderName]) -> Option<(usize, Option<TimeUnit>)> {
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
fn time_col(t: &Table, i: usize) -> Result<TimeCol, FormatError> {
    if let Some(l) = t.peek_lines().find(|l| !l.trim().is_empty()) {
        let f = t.split(l, 0)?;
        if f.get(i).and_then(|s| parse_datetime(s)).is_some() {
            return Ok(TimeCol::DateTime(i));
        }
    }
    Ok(TimeCol::Numeric(i))
}

fn accel_hint(tr: &Triple, fmt_default: Option<(AccelUnit, &str)>) -> Hint<AccelUnit> {
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

fn gyro_hint(tr: &Triple, fmt_default: Option<(GyroUnit, &str)>) -> Hint<GyroUnit> {
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

fn missing_acc(t: &Table) -> FormatError {
    FormatError::new(&t.name, ErrorKind::MissingColumns {
        what: "accelerometer".into(),
        expected:
            "a header naming three accelerometer columns (ax, ay, az or acc_x, ... or accel_x, ...)"
                .into(),
        found: found_list(t),
    })
}

fn missing_time(t: &Table) -> FormatError {
    FormatError::new(&t.name, ErrorKind::MissingColumns {
        what: "time".into(),
        expected: "a time column named t, time, time_s, timestamp, seconds or elapsed (optionally with a unit like \"time (ms)\"); or pass --rate HZ".into(),
        found: found_list(t),
    })
}

/// Generic CSV: columns by name.
pub(crate) fn generic(t: &Table, why: &str, opts: &ReadOptions) -> Result<Setup, FormatError> {
    let hs = headers(t);
    let acc = find_triple(&hs, Kind::Acc);
    let gyro = find_triple(&hs, Kind::Gyro);
    let acc = match acc {
        Some(a) => a,
        None if gyro.is_none() => find_triple(&hs, Kind::Bare).ok_or_else(|| missing_acc(t))?,
        None => return Err(missing_acc(t)),
    };
    let time = match find_time(&hs) {
        Some((i, u)) => (time_col(t, i)?, u),
        None => match opts.rate_hz {
            Some(hz) if hz > 0.0 && hz.is_finite() => (TimeCol::Rate(hz), None),
            _ => return Err(missing_time(t)),
        },
    };
    let mut info = base_info(Format::Generic, why, &t.name);
    info.gravity = "assumed included (generic CSV accelerometer)".into();
    let names = t.names(0);
    let time_hint = match time.1 {
        Some(u) => Hint::Known(u, "from the header".into()),
        None => Hint::Detect,
    };
    Ok(Setup {
        accel: accel_hint(&acc, None),
        gyro: gyro
            .as_ref()
            .map(|g| gyro_hint(g, None))
            .unwrap_or(Hint::Detect),
        time: time_hint,
        spec: RowSpec {
            time: time.0,
            acc: vec![acc.cols],
            gyro: gyro.map(|g| g.cols),
            ragged_ok: false,
            names,
        },
        acc_sign: 1.0,
        info,
    })
}

// ---------------------------------------------------------------- simple app formats

fn col_where(hs: &[HeaderName], f: impl Fn(&HeaderName) -> bool) -> Option<usize> {
    hs.iter().position(f)
}

fn raw_eq(h: &HeaderName, s: &str) -> bool {
    h.raw.trim().eq_ignore_ascii_case(s)
}

fn triple_by_raw(hs: &[HeaderName], names: [&str; 3]) -> Option<[usize; 3]> {
    Some([
        col_where(hs, |h| raw_eq(h, names[0]))?,
        col_where(hs, |h| raw_eq(h, names[1]))?,
        col_where(hs, |h| raw_eq(h, names[2]))?,
    ])
}

pub(crate) fn coremotion(t: &Table, why: &str, opts: &ReadOptions) -> Result<Setup, FormatError> {
    let hs = headers(t);
    let grav = triple_by_raw(&hs, ["gravity.x", "gravity.y", "gravity.z"]);
    let user = triple_by_raw(
        &hs,
        [
            "userAcceleration.x",
            "userAcceleration.y",
            "userAcceleration.z",
        ],
    );
    let (grav, user) = match (grav, user) {
        (Some(g), Some(u)) => (g, u),
        _ => {
            return Err(FormatError::new(&t.name, ErrorKind::MissingColumns {
                what: "gravity / userAcceleration".into(),
                expected: "gravity.x, gravity.y, gravity.z and userAcceleration.x, userAcceleration.y, userAcceleration.z".into(),
                found: found_list(t),
            }))
        }
    };
    let rot = triple_by_raw(&hs, ["rotationRate.x", "rotationRate.y", "rotationRate.z"]);
    let time_idx = col_where(&hs, |h| raw_eq(h, "timestamp") || raw_eq(h, "time"));
    let time =
        match (time_idx, opts.rate_hz) {
            (_, Some(hz)) if hz > 0.0 && hz.is_finite() => TimeCol::Rate(hz),
            (Some(i), _) => TimeCol::Numeric(i),
            _ => return Err(FormatError::invalid(
                &t.name,
                "this CoreMotion export has no time column; pass --rate HZ (MotionSense is 50 Hz)",
            )),
        };
    let mut info = base_info(Format::CoreMotion, why, &t.name);
    info.sign_convention = IOS_SIGN.into();
    info.gravity = "gravity + userAcceleration (CoreMotion)".into();
    Ok(Setup {
        spec: RowSpec {
            time,
            acc: vec![grav, user],
            gyro: rot,
            ragged_ok: false,
            names: t.names(0),
        },
        accel: Hint::Known(
            AccelUnit::G,
            "CoreMotion gravity/userAcceleration are in g".into(),
        ),
        gyro: Hint::Known(
            GyroUnit::RadPerSecond,
            "CoreMotion rotationRate is in rad/s".into(),
        ),
        time: Hint::Known(
            TimeUnit::Seconds,
            "CoreMotion timestamp is seconds since boot".into(),
        ),
        acc_sign: -1.0,
        info,
    })
}

pub(crate) fn sensorlog(t: &Table, why: &str) -> Result<Setup, FormatError> {
    let hs = headers(t);
    let find = |j: &str| col_where(&hs, |h| h.joined() == j);
    let raw = [
        find("accelerometeraccelerationx"),
        find("accelerometeraccelerationy"),
        find("accelerometeraccelerationz"),
    ];
    let mut info = base_info(Format::SensorLog, why, &t.name);
    info.sign_convention = IOS_SIGN.into();
    let (acc, tcol) = if let [Some(x), Some(y), Some(z)] = raw {
        info.gravity = "raw accelerometer (includes gravity)".into();
        (vec![[x, y, z]], find("accelerometertimestampsincereboot"))
    } else {
        let u = [
            find("motionuseraccelerationx"),
            find("motionuseraccelerationy"),
            find("motionuseraccelerationz"),
        ];
        let g = [
            find("motiongravityx"),
            find("motiongravityy"),
            find("motiongravityz"),
        ];
        match (u, g) {
            ([Some(a), Some(b), Some(c)], [Some(d), Some(e), Some(f)]) => {
                info.gravity = "motionUserAcceleration + motionGravity".into();
                (vec![[a, b, c], [d, e, f]], find("motiontimestampsincereboot"))
            }
            _ => return Err(missing_acc_named(t, "accelerometerAccelerationX(G), accelerometerAccelerationY(G), accelerometerAccelerationZ(G)")),
        }
    };
    let gyro = match [
        find("gyrorotationx"),
        find("gyrorotationy"),
        find("gyrorotationz"),
    ] {
        [Some(x), Some(y), Some(z)] => Some([x, y, z]),
        _ => match [
            find("motionrotationratex"),
            find("motionrotationratey"),
            find("motionrotationratez"),
        ] {
            [Some(x), Some(y), Some(z)] => Some([x, y, z]),
            _ => None,
        },
    };
    let time = match tcol.or_else(|| find("loggingtime")) {
        Some(i) => time_col(t, i)?,
        None => return Err(missing_time(t)),
    };
    Ok(Setup {
        spec: RowSpec {
            time,
            acc,
            gyro,
            ragged_ok: true,
            names: t.names(0),
        },
        accel: Hint::Known(AccelUnit::G, "SensorLog header unit (G)".into()),
        gyro: Hint::Known(
            GyroUnit::RadPerSecond,
            "SensorLog header unit (rad/s)".into(),
        ),
        time: Hint::Known(TimeUnit::Seconds, "SensorLog *_sinceReboot(s)".into()),
        acc_sign: -1.0,
        info,
    })
}

fn missing_acc_named(t: &Table, expected: &str) -> FormatError {
    FormatError::new(
        &t.name,
        ErrorKind::MissingColumns {
            what: "accelerometer".into(),
            expected: expected.into(),
            found: found_list(t),
        },
    )
}

pub(crate) fn axivity(t: &Table, why: &str) -> Result<Setup, FormatError> {
    let first = t.peek_lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let n = t.split(first, 0)?.len();
    let time = if n > 0 && parse_datetime(&t.split(first, 0)?[0]).is_some() {
        TimeCol::DateTime(0)
    } else {
        TimeCol::Numeric(0)
    };
    if n < 4 {
        return Err(FormatError::new(
            &t.name,
            ErrorKind::ColumnCount {
                line: t.header_line,
                expected: 4,
                found: n,
                name: "z".into(),
            },
        ));
    }
    let mut info = base_info(Format::Axivity, why, &t.name);
    info.gravity = "raw accelerometer (includes gravity)".into();
    let names = ["time", "x", "y", "z", "gx", "gy", "gz"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    Ok(Setup {
        spec: RowSpec {
            time,
            acc: vec![[1, 2, 3]],
            gyro: if n >= 7 { Some([4, 5, 6]) } else { None },
            ragged_ok: false,
            names,
        },
        accel: Hint::Known(AccelUnit::G, "Axivity CSV is in g".into()),
        gyro: Hint::Known(
            GyroUnit::DegPerSecond,
            "Axivity AX6 gyroscope is in deg/s".into(),
        ),
        time: Hint::Known(TimeUnit::Seconds, "Axivity -t:secs".into()),
        acc_sign: 1.0,
        info,
    })
}

/// Shimmer Consensys: consumes the units row if present.
pub(crate) fn shimmer(t: &mut Table, why: &str) -> Result<Setup, FormatError> {
    let hs = headers(t);
    let has = |h: &HeaderName, toks: &[&str]| toks.iter().all(|k| h.tokens.iter().any(|x| x == k));
    let time = col_where(&hs, |h| has(h, &["timestamp", "unix"]))
        .or_else(|| col_where(&hs, |h| has(h, &["timestamp"])))
        .ok_or_else(|| missing_time(t))?;
    let axis_col = |kind: &[&str], axis: &str| {
        col_where(&hs, |h| has(h, kind) && h.tokens.iter().any(|x| x == axis))
    };
    let acc_triple = |kind: &[&str]| -> Option<[usize; 3]> {
        Some([
            axis_col(kind, "x")?,
            axis_col(kind, "y")?,
            axis_col(kind, "z")?,
        ])
    };
    let (acc, which) = match acc_triple(&["accel", "ln"]) {
        Some(a) => (a, "Accel_LN (low-noise)"),
        None => match acc_triple(&["accel", "wr"]) {
            Some(a) => (a, "Accel_WR (wide-range)"),
            None => (
                acc_triple(&["accel"]).ok_or_else(|| {
                    missing_acc_named(
                        t,
                        "*_Accel_LN_X_CAL, *_Accel_LN_Y_CAL, *_Accel_LN_Z_CAL (or Accel_WR)",
                    )
                })?,
                "Accel",
            ),
        },
    };
    let gyro = acc_triple(&["gyro"]);
    // units row
    let mut units_row: Option<Vec<String>> = None;
    if let Some(l) = t.peek_lines().next() {
        let f = t.split(l, 0)?;
        if f.get(time)
            .map(|s| crate::text::parse_f64(s).is_none())
            .unwrap_or(false)
        {
            units_row = Some(f);
        }
    }
    if units_row.is_some() {
        t.next_row()?;
    }
    let unit_of = |i: usize| units_row.as_ref().and_then(|u| u.get(i)).cloned();
    let mut info = base_info(Format::Shimmer, why, &t.name);
    info.gravity = format!("{which} accelerometer (includes gravity)");
    let accel = match unit_of(acc[0]).as_deref().and_then(accel_from_header) {
        Some(u) => Hint::Known(u, "from the Shimmer units row".into()),
        None => Hint::Known(
            AccelUnit::MetersPerSecond2,
            "Shimmer CAL accelerometer is in m/s²".into(),
        ),
    };
    let gyro_h = match gyro
        .and_then(|g| unit_of(g[0]))
        .as_deref()
        .and_then(gyro_from_header)
    {
        Some(u) => Hint::Known(u, "from the Shimmer units row".into()),
        None => Hint::Known(
            GyroUnit::DegPerSecond,
            "Shimmer CAL gyroscope is in deg/s".into(),
        ),
    };
    let time_h = match unit_of(time).as_deref().and_then(time_from_header) {
        Some(u) => Hint::Known(u, "from the Shimmer units row".into()),
        None => Hint::Known(
            TimeUnit::Millis,
            "Shimmer Timestamp_Unix_CAL is Unix ms".into(),
        ),
    };
    Ok(Setup {
        spec: RowSpec {
            time: TimeCol::Numeric(time),
            acc: vec![acc],
            gyro,
            ragged_ok: false,
            names: t.names(0),
        },
        accel,
        gyro: gyro_h,
        time: time_h,
        acc_sign: 1.0,
        info,
    })
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

/// Opens a per-sensor file as a stream of SI samples; its first
/// [`DETECT_ROWS`](crate::DETECT_ROWS) rows decide the units. Returns the
/// sensor and the unit reports (value unit, time unit).
#[allow(clippy::too_many_arguments)]
pub(crate) fn load_stream(
    mut t: Table,
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
    let plan = RowPlan::new(&spec, &t);
    let mut row_index = 0;
    let mut rows = VecDeque::new();
    while rows.len() < crate::DETECT_ROWS {
        match read_raw_row(&mut t, &spec, &plan, &mut row_index)? {
            None => break,
            Some(RowOutcome::Row(r)) => rows.push_back(r),
            Some(RowOutcome::Missing) => info.missing_value_rows += 1,
            Some(RowOutcome::Short) => info.short_rows += 1,
        }
    }
    let vals: Vec<[f64; 3]> = rows.iter().map(|r| r.acc).collect();
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
    let traw: Vec<f64> = rows.iter().map(|r| r.t).collect();
    let th = match (af.time_unit, time_default) {
        (Some(u), _) => Hint::Known(u, "from the header".into()),
        (None, Some((u, why))) => Hint::Known(u, why.into()),
        _ => Hint::Detect,
    };
    let (tu, trep) = units::decide_time(opts.time_unit, &th, &traw);
    let sensor = Sensor::from_table(t, spec, plan, row_index, rows, tu.to_si(), factor * scale);
    Ok((sensor, vrep, trep))
}

// ---------------------------------------------------------------- Physics Toolbox

pub(crate) fn physics_toolbox(
    mut t: Table,
    why: &str,
    opts: &ReadOptions,
) -> Result<Recording, FormatError> {
    let hs = headers(&t);
    let find3 = |a: &str, b: &str, c: &str| -> Option<[usize; 3]> {
        Some([
            col_where(&hs, |h| raw_eq(h, a))?,
            col_where(&hs, |h| raw_eq(h, b))?,
            col_where(&hs, |h| raw_eq(h, c))?,
        ])
    };
    let gf = find3("gFx", "gFy", "gFz").ok_or_else(|| {
        missing_acc_named(
            &t,
            "gFx, gFy, gFz (g-force; record with the g-Force meter enabled)",
        )
    })?;
    let w = find3("wx", "wy", "wz");
    let time = col_where(&hs, |h| raw_eq(h, "time")).ok_or_else(|| missing_time(&t))?;
    let mut info = base_info(Format::PhysicsToolbox, why, &t.name);
    info.gravity = "g-force columns gFx..gFz (include gravity)".into();
    // the gyro columns ride as "gyro" so both sensors come from one pass
    let spec = RowSpec {
        time: TimeCol::Numeric(time),
        acc: vec![gf],
        gyro: w,
        ragged_ok: false,
        names: t.names(0),
    };
    let plan = RowPlan::new(&spec, &t);
    let mut row_index = 0;
    let mut rows = VecDeque::new();
    while rows.len() < crate::DETECT_ROWS {
        match read_raw_row(&mut t, &spec, &plan, &mut row_index)? {
            None => break,
            Some(RowOutcome::Row(r)) => rows.push_back(r),
            Some(RowOutcome::Missing) => info.missing_value_rows += 1,
            Some(RowOutcome::Short) => info.short_rows += 1,
        }
    }
    // each sensor's events (rows where its values changed) among the first rows
    let events = |get: &dyn Fn(&single::RawRow) -> Option<[f64; 3]>| {
        let mut prev = None;
        rows.iter()
            .filter_map(|r| Some((r.t, get(r)?)))
            .filter(|(_, v)| HoldSplit::is_event(&mut prev, *v))
            .collect::<Vec<_>>()
    };
    let acc_events = events(&|r| Some(r.acc));
    let gf_vals: Vec<[f64; 3]> = acc_events.iter().map(|e| e.1).collect();
    let (au, arep) = units::decide_accel(
        opts.accel_unit,
        &Hint::Known(AccelUnit::G, "g-force columns gFx/gFy/gFz".into()),
        &gf_vals,
    );
    units::check_accel_level(&t.name, &gf_vals, au)?;
    info.accel = arep;
    let traw: Vec<f64> = rows.iter().map(|r| r.t).collect();
    let (tu, trep) = units::decide_time(
        opts.time_unit,
        &Hint::Known(
            TimeUnit::Seconds,
            "Physics Toolbox time is seconds since start".into(),
        ),
        &traw,
    );
    info.time = trep;
    let head = |ev: &[(f64, [f64; 3])], scale: f64| {
        let ts: Vec<f64> = ev.iter().map(|e| e.0 * tu.to_si()).collect();
        let si: Vec<[f64; 3]> = ev.iter().map(|e| e.1.map(|x| x * scale)).collect();
        (units::rate_hz(&ts), si)
    };
    let (acc_rate, acc_head) = head(&acc_events, au.to_si());
    let gyro_events = events(&|r| r.gyro);
    let mut gyro_scale = 1.0;
    let gyro_head = if w.is_some() && gyro_events.len() >= 2 {
        let gvals: Vec<[f64; 3]> = gyro_events.iter().map(|e| e.1).collect();
        let (gu, grep) = units::decide_gyro(
            opts.gyro_unit,
            &Hint::Known(
                GyroUnit::RadPerSecond,
                "Physics Toolbox wx/wy/wz are rad/s".into(),
            ),
            &gvals,
        );
        units::check_gyro_level(&t.name, &gvals, gu)?;
        info.gyro = Some(grep);
        gyro_scale = gu.to_si();
        Some(head(&gyro_events, gyro_scale))
    } else {
        if w.is_some() {
            info.notes.push(format!(
                "the gyroscope columns hold no data (all zero or one value) in the first {} rows; reading the accelerometer only",
                rows.len()
            ));
        }
        None
    };
    info.notes.push(
        "sample-and-hold rows split into per-sensor streams: a sensor's sample is a row where its values changed".into(),
    );
    let name = t.name.clone();
    let split = Rc::new(RefCell::new(HoldSplit::new(
        t,
        spec,
        plan,
        row_index,
        rows,
        tu.to_si(),
        [au.to_si(), gyro_scale],
    )));
    let acc = Sensor::from_hold(split.clone(), 0, format!("{name} (gF)"), acc_rate, acc_head);
    let gyro = gyro_head
        .map(|(rate, head)| Sensor::from_hold(split, 1, format!("{name} (w)"), rate, head));
    merge(acc, None, gyro, info, opts)
}
