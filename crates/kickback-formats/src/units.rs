//! Units, their parsing from option strings and header text, and their
//! detection from the data.

use crate::error::{ErrorKind, FormatError, UnusableReason};
use crate::UnitReport;
use kickback::STANDARD_GRAVITY;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Accelerometer unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AccelUnit {
    /// Standard gravity (9.80665 m/s²).
    G,
    /// m/s².
    MetersPerSecond2,
}

/// Gyroscope unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum GyroUnit {
    /// rad/s.
    RadPerSecond,
    /// deg/s.
    DegPerSecond,
}

/// Unit of a numeric time column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TimeUnit {
    /// Seconds.
    Seconds,
    /// Milliseconds.
    Millis,
    /// Microseconds.
    Micros,
    /// Nanoseconds.
    Nanos,
}

fn key(s: &str) -> String {
    s.trim()
        .to_ascii_lowercase()
        .replace(['²', ' '], "2")
        .replace("^2", "2")
        .replace("(s2)", "s2")
        .replace("°", "deg")
}

impl FromStr for AccelUnit {
    type Err = FormatError;
    /// Accepts `g`, `m/s2`, `m/s^2`, `m/s²`, `mps2`.
    ///
    /// ```
    /// use kickback_formats::AccelUnit;
    /// assert_eq!("g".parse::<AccelUnit>().unwrap(), AccelUnit::G);
    /// assert_eq!("m/s2".parse::<AccelUnit>().unwrap(), AccelUnit::MetersPerSecond2);
    /// assert!("furlongs".parse::<AccelUnit>().unwrap_err().to_string().contains("g, m/s2"));
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match key(s).as_str() {
            "g" | "gforce" | "gf" => Ok(AccelUnit::G),
            "m/s2" | "ms2" | "mps2" | "m/s/s" | "ms-2" | "m/(s2)" => {
                Ok(AccelUnit::MetersPerSecond2)
            }
            _ => Err(FormatError::from(ErrorKind::BadOption {
                what: "accelerometer unit".into(),
                value: s.to_string(),
                expected: "g, m/s2".into(),
            })),
        }
    }
}

impl FromStr for GyroUnit {
    type Err = FormatError;
    /// Accepts `rad/s`, `deg/s` (also `dps`, `°/s`).
    ///
    /// ```
    /// use kickback_formats::GyroUnit;
    /// assert_eq!("deg/s".parse::<GyroUnit>().unwrap(), GyroUnit::DegPerSecond);
    /// assert_eq!("rad/s".parse::<GyroUnit>().unwrap(), GyroUnit::RadPerSecond);
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match key(s).as_str() {
            "rad/s" | "rads" | "radps" | "rad/sec" => Ok(GyroUnit::RadPerSecond),
            "deg/s" | "degs" | "dps" | "degps" | "deg/sec" | "degrees/s" => {
                Ok(GyroUnit::DegPerSecond)
            }
            _ => Err(FormatError::from(ErrorKind::BadOption {
                what: "gyroscope unit".into(),
                value: s.to_string(),
                expected: "rad/s, deg/s".into(),
            })),
        }
    }
}

impl FromStr for TimeUnit {
    type Err = FormatError;
    /// Accepts `s`, `ms`, `us` (or `µs`), `ns`.
    ///
    /// ```
    /// use kickback_formats::TimeUnit;
    /// assert_eq!("ms".parse::<TimeUnit>().unwrap(), TimeUnit::Millis);
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "s" | "sec" | "secs" | "seconds" => Ok(TimeUnit::Seconds),
            "ms" | "millis" | "milliseconds" => Ok(TimeUnit::Millis),
            "us" | "µs" | "μs" | "micros" | "microseconds" => Ok(TimeUnit::Micros),
            "ns" | "nanos" | "nanoseconds" => Ok(TimeUnit::Nanos),
            _ => Err(FormatError::from(ErrorKind::BadOption {
                what: "time unit".into(),
                value: s.to_string(),
                expected: "s, ms, us, ns".into(),
            })),
        }
    }
}

impl AccelUnit {
    /// Factor to m/s².
    pub fn to_si(self) -> f64 {
        match self {
            AccelUnit::G => STANDARD_GRAVITY,
            AccelUnit::MetersPerSecond2 => 1.0,
        }
    }
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            AccelUnit::G => "g",
            AccelUnit::MetersPerSecond2 => "m/s²",
        }
    }
}

impl GyroUnit {
    /// Factor to rad/s.
    pub fn to_si(self) -> f64 {
        match self {
            GyroUnit::RadPerSecond => 1.0,
            GyroUnit::DegPerSecond => std::f64::consts::PI / 180.0,
        }
    }
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            GyroUnit::RadPerSecond => "rad/s",
            GyroUnit::DegPerSecond => "deg/s",
        }
    }
}

impl TimeUnit {
    /// Factor to seconds.
    pub fn to_si(self) -> f64 {
        match self {
            TimeUnit::Seconds => 1.0,
            TimeUnit::Millis => 1e-3,
            TimeUnit::Micros => 1e-6,
            TimeUnit::Nanos => 1e-9,
        }
    }
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "s",
            TimeUnit::Millis => "ms",
            TimeUnit::Micros => "us",
            TimeUnit::Nanos => "ns",
        }
    }
}

impl fmt::Display for AccelUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
impl fmt::Display for GyroUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
impl fmt::Display for TimeUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Unit of a header's `(unit)` text, if it names an acceleration unit.
pub(crate) fn accel_from_header(u: &str) -> Option<AccelUnit> {
    let k = key(u);
    if k == "g" || k == "gf" {
        Some(AccelUnit::G)
    } else if k.contains("m/s2") || k.contains("m/(s2)") || k == "ms2" || k == "mps2" {
        Some(AccelUnit::MetersPerSecond2)
    } else {
        None
    }
}

/// Unit of a header's `(unit)` text, if it names an angular-rate unit.
pub(crate) fn gyro_from_header(u: &str) -> Option<GyroUnit> {
    let k = key(u);
    if k.starts_with("rad") {
        Some(GyroUnit::RadPerSecond)
    } else if k.starts_with("deg") || k == "dps" {
        Some(GyroUnit::DegPerSecond)
    } else {
        None
    }
}

/// Unit of a header's `(unit)` text, if it names a time unit.
pub(crate) fn time_from_header(u: &str) -> Option<TimeUnit> {
    TimeUnit::from_str(u).ok()
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    Some(v[v.len() / 2])
}

fn percentile(mut v: Vec<f64>, p: f64) -> Option<f64> {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((v.len() - 1) as f64 * p).round() as usize;
    Some(v[i.min(v.len() - 1)])
}

/// Median positive time step of raw values.
pub(crate) fn median_step(t: &[f64]) -> Option<f64> {
    median(
        t.windows(2)
            .map(|w| w[1] - w[0])
            .filter(|d| *d > 0.0)
            .collect(),
    )
}

/// Where a unit may come from, in order: option, header, format, data.
#[derive(Debug, Clone)]
pub(crate) enum Hint<U> {
    /// Known from the header text or the format's documentation.
    Known(U, String),
    /// Detect from the data.
    Detect,
}

pub(crate) fn decide_accel(
    opt: Option<AccelUnit>,
    hint: &Hint<AccelUnit>,
    raw: &[[f64; 3]],
) -> (AccelUnit, UnitReport) {
    let med = median(raw.iter().map(norm).collect());
    let med_txt = med
        .map(|m| format!("{m:.2}"))
        .unwrap_or_else(|| "n/a".into());
    let (u, reason) = if let Some(u) = opt {
        (u, format!("accelerometer in {u} (given as an option)"))
    } else if let Hint::Known(u, why) = hint {
        (*u, format!("accelerometer in {u} ({why})"))
    } else {
        match med {
            Some(m) if (0.5..=2.0).contains(&m) => (
                AccelUnit::G,
                format!("accelerometer in g (median |a| = {med_txt})"),
            ),
            Some(m) if (4.0..=20.0).contains(&m) => (
                AccelUnit::MetersPerSecond2,
                format!("accelerometer in m/s² (median |a| = {med_txt})"),
            ),
            _ => (
                AccelUnit::MetersPerSecond2,
                format!("accelerometer assumed in m/s² (median |a| = {med_txt} fits neither 1 g nor 9.8 m/s²; pass --accel-unit to be sure)"),
            ),
        }
    };
    (
        u,
        UnitReport {
            unit: u.name().to_string(),
            reason,
        },
    )
}

pub(crate) fn decide_gyro(
    opt: Option<GyroUnit>,
    hint: &Hint<GyroUnit>,
    raw: &[[f64; 3]],
) -> (GyroUnit, UnitReport) {
    let p95 = percentile(raw.iter().map(norm).collect(), 0.95);
    let txt = p95
        .map(|m| format!("{m:.2}"))
        .unwrap_or_else(|| "n/a".into());
    let (u, reason) = if let Some(u) = opt {
        (u, format!("gyroscope in {u} (given as an option)"))
    } else if let Hint::Known(u, why) = hint {
        (*u, format!("gyroscope in {u} ({why})"))
    } else {
        match p95 {
            Some(m) if m > 25.0 => (
                GyroUnit::DegPerSecond,
                format!("gyroscope in deg/s (95th percentile |ω| = {txt}, implausibly fast in rad/s)"),
            ),
            _ => (
                GyroUnit::RadPerSecond,
                format!("gyroscope in rad/s (default; 95th percentile |ω| = {txt} is plausible in rad/s)"),
            ),
        }
    };
    (
        u,
        UnitReport {
            unit: u.name().to_string(),
            reason,
        },
    )
}

pub(crate) fn decide_time(
    opt: Option<TimeUnit>,
    hint: &Hint<TimeUnit>,
    raw: &[f64],
) -> (TimeUnit, UnitReport) {
    let first = raw
        .iter()
        .copied()
        .find(|v| v.is_finite())
        .unwrap_or(0.0)
        .abs();
    let step = median_step(raw);
    let step_txt = step.map(|s| format!("{s}")).unwrap_or_else(|| "n/a".into());
    let (u, reason) = if let Some(u) = opt {
        (u, format!("time in {u} (given as an option)"))
    } else if let Hint::Known(u, why) = hint {
        (*u, format!("time in {u} ({why})"))
    } else if first > 1e17 {
        (
            TimeUnit::Nanos,
            format!("time in ns (values ≈ {first:.3e} look like ns since 1970)"),
        )
    } else if first > 1e14 {
        (
            TimeUnit::Micros,
            format!("time in us (values ≈ {first:.3e} look like µs since 1970)"),
        )
    } else if first > 1e11 {
        (
            TimeUnit::Millis,
            format!("time in ms (values ≈ {first:.3e} look like ms since 1970)"),
        )
    } else {
        match step {
            Some(s) if s > 1e5 => (
                TimeUnit::Nanos,
                format!("time in ns (median step {step_txt})"),
            ),
            Some(s) if s > 200.0 => (
                TimeUnit::Micros,
                format!("time in us (median step {step_txt})"),
            ),
            Some(s) if s >= 2.0 => (
                TimeUnit::Millis,
                format!("time in ms (median step {step_txt}, too long for seconds)"),
            ),
            _ => (
                TimeUnit::Seconds,
                format!("time in s (default; median step {step_txt})"),
            ),
        }
    };
    (
        u,
        UnitReport {
            unit: u.name().to_string(),
            reason,
        },
    )
}

/// Slowest median sample rate accepted, Hz: the documented minimum is
/// 12.5 Hz; the margin is for the jitter of phone clocks.
pub(crate) const MIN_RATE_HZ: f64 = 12.0;
/// Fastest plausible 95th-percentile angular rate of a leg, rad/s (a
/// kicked shank peaks near 15 rad/s).
pub(crate) const MAX_P95_GYRO: f64 = 25.0;

/// Fails when the accelerometer, read in `unit`, is far from gravity at its
/// median: gravity removed, or the wrong unit.
pub(crate) fn check_accel_level(
    file: &str,
    raw: &[[f64; 3]],
    unit: AccelUnit,
) -> Result<(), FormatError> {
    let Some(m) = median(raw.iter().map(norm).collect()) else {
        return Ok(());
    };
    let si = m * unit.to_si();
    let what = if si < 3.0 {
        if unit == AccelUnit::MetersPerSecond2 && (0.5..=2.0).contains(&m) {
            format!("the accelerometer's median |a| is {m:.2} read as m/s², far below gravity (9.81 m/s²): the values look like g; pass --accel-unit g")
        } else {
            format!("the accelerometer's median |a| is {} m/s², far below gravity (9.81 m/s²): gravity seems removed (linear acceleration), and the analysis needs acceleration including gravity; export it with gravity (Sensor Logger: the export folder with TotalAcceleration.csv or Gravity.csv; phyphox: \"Acceleration with g\"), or pass --accel-unit if the unit is wrong", crate::error::num(si))
        }
    } else if si > 40.0 {
        if unit == AccelUnit::G && (4.0..=20.0).contains(&m) {
            format!("the accelerometer's median |a| is {m:.2} read as g ({si:.0} m/s²), far above gravity: the values look like m/s²; pass --accel-unit m/s2")
        } else {
            format!("the accelerometer's median |a| is {} m/s², far above gravity (9.81 m/s²): the values look like raw sensor counts or the wrong unit; convert them to g or m/s², or pass --accel-unit", crate::error::num(si))
        }
    } else {
        return Ok(());
    };
    Err(FormatError::unusable(
        file,
        UnusableReason::AccelerometerUnit,
        what,
    ))
}

/// Fails when the gyroscope, read in `unit`, turns faster than a leg can.
pub(crate) fn check_gyro_level(
    file: &str,
    raw: &[[f64; 3]],
    unit: GyroUnit,
) -> Result<(), FormatError> {
    let Some(p) = percentile(raw.iter().map(norm).collect(), 0.95) else {
        return Ok(());
    };
    let si = p * unit.to_si();
    if si <= MAX_P95_GYRO {
        return Ok(());
    }
    let what = if unit == GyroUnit::RadPerSecond {
        format!("the gyroscope reads {} rad/s at its 95th percentile, faster than a leg turns ({MAX_P95_GYRO} rad/s): the values look like deg/s; pass --gyro-unit deg/s", crate::error::num(si))
    } else {
        format!("the gyroscope reads {} rad/s at its 95th percentile ({} {unit}), faster than a leg turns ({MAX_P95_GYRO} rad/s): check the gyroscope's unit and scale", crate::error::num(si), crate::error::num(p))
    };
    Err(FormatError::unusable(
        file,
        UnusableReason::GyroscopeUnit,
        what,
    ))
}

/// Fails when the median sample rate is below [`MIN_RATE_HZ`].
pub(crate) fn check_rate(
    file: &str,
    rate_hz: Option<f64>,
    time: &UnitReport,
) -> Result<(), FormatError> {
    match rate_hz {
        Some(r) if r < MIN_RATE_HZ => Err(FormatError::unusable(
            file,
            UnusableReason::SampleRate,
            format!(
                "the samples are {} s apart (median), {} Hz; the analysis needs at least 12.5 Hz. The time was read as: {}. If the time column is in another unit, pass --time-unit (ms, us or ns); otherwise record at 50 Hz or more",
                crate::error::num(1.0 / r),
                crate::error::num(r),
                time.reason
            ),
        )),
        _ => Ok(()),
    }
}

pub(crate) fn norm(a: &[f64; 3]) -> f64 {
    (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]).sqrt()
}

/// Median rate (Hz) of timestamps in seconds.
pub(crate) fn rate_hz(t_s: &[f64]) -> Option<f64> {
    median_step(t_s).map(|d| 1.0 / d)
}
