//! Writers: the same motion in each app's export layout (units, sign
//! conventions, column orders, file names), for end-to-end tests and the
//! simulator. [`export`] gives the files (paths and bytes) for the caller
//! to write its own way (the `kickback` command writes them atomically, never
//! over an input); [`write_layout`] writes them plainly, for tests.
//!
//! Only with the cargo feature `write`.
//!
//! Sample times are taken as seconds since the start of the recording;
//! layouts with absolute clocks add [`WriteInfo::start_unix_s`].
//!
//! ```
//! use kickback_formats::{write::{write_layout, Layout, WriteInfo}, open, ReadOptions, Sample};
//! let dir = tempfile::tempdir().unwrap();
//! let samples: Vec<Sample> = (0..50)
//!     .map(|i| Sample::new(i as f64 * 0.01, [0.0, 0.0, 9.80665], Some([0.1, 0.0, 0.0])))
//!     .collect();
//! let path = write_layout(Layout::Generic, dir.path(), "demo", &samples, &WriteInfo::default()).unwrap();
//! let (back, _) = open(&path, &ReadOptions::default()).unwrap().read_all().unwrap();
//! assert_eq!(back.len(), 50);
//! ```

use crate::Sample;
use kickback::STANDARD_GRAVITY;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// An export layout to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Layout {
    /// Sensor Logger iOS folder: Accelerometer.csv (no g) + Gravity.csv, iOS sign.
    SensorLoggerIos,
    /// Sensor Logger Android folder: TotalAcceleration.csv + Accelerometer.csv.
    SensorLoggerAndroid,
    /// phyphox folder: Accelerometer.csv, Gyroscope.csv, meta/time.csv.
    Phyphox,
    /// Physics Toolbox CSV, comma + decimal point.
    PhysicsToolbox,
    /// Physics Toolbox CSV, semicolon + decimal comma.
    PhysicsToolboxSemicolon,
    /// MetaWear pair of files (g, deg/s); the accelerometer file is returned.
    MetaWear,
    /// Shimmer Consensys CSV.
    Shimmer,
    /// SensorLog wide CSV (g, iOS sign).
    SensorLog,
    /// Axivity cwa-convert CSV (no header, g, deg/s).
    Axivity,
    /// CoreMotion dump (no time column: read back with the rate option).
    CoreMotion,
    /// Generic `time,ax,ay,az,gx,gy,gz` in s, m/s², rad/s.
    Generic,
}

impl Layout {
    /// All layouts.
    pub const ALL: [Layout; 11] = [
        Layout::SensorLoggerIos,
        Layout::SensorLoggerAndroid,
        Layout::Phyphox,
        Layout::PhysicsToolbox,
        Layout::PhysicsToolboxSemicolon,
        Layout::MetaWear,
        Layout::Shimmer,
        Layout::SensorLog,
        Layout::Axivity,
        Layout::CoreMotion,
        Layout::Generic,
    ];

    /// Name (as accepted by [`Layout::from_name`]).
    pub fn name(self) -> &'static str {
        match self {
            Layout::SensorLoggerIos => "sensor-logger-ios",
            Layout::SensorLoggerAndroid => "sensor-logger-android",
            Layout::Phyphox => "phyphox",
            Layout::PhysicsToolbox => "physics-toolbox",
            Layout::PhysicsToolboxSemicolon => "physics-toolbox-semicolon",
            Layout::MetaWear => "metawear",
            Layout::Shimmer => "shimmer",
            Layout::SensorLog => "sensorlog",
            Layout::Axivity => "axivity",
            Layout::CoreMotion => "coremotion",
            Layout::Generic => "generic",
        }
    }

    /// Parses a layout name (`sensor-logger` means the iOS variant).
    pub fn from_name(s: &str) -> Option<Layout> {
        let k = s.trim().to_ascii_lowercase().replace('_', "-");
        if k == "sensor-logger" {
            return Some(Layout::SensorLoggerIos);
        }
        Layout::ALL.iter().copied().find(|l| l.name() == k)
    }
}

/// Extra facts for the writers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WriteInfo {
    /// Unix time (s) of t = 0.
    pub start_unix_s: f64,
    /// Device name written where the layout has one.
    pub device: String,
}

impl Default for WriteInfo {
    fn default() -> Self {
        WriteInfo {
            start_unix_s: 1_700_000_000.0,
            device: "kickback-sim".into(),
        }
    }
}

fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DD{sep}hh:mm:ss.fff` of Unix seconds (UTC).
fn datetime(unix_s: f64, sep: char) -> String {
    let ms = (unix_s * 1000.0).round() as i64;
    let (secs, milli) = (ms.div_euclid(1000), ms.rem_euclid(1000));
    let (days, sod) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}{sep}{:02}:{:02}:{:02}.{milli:03}",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

fn has_gyro(samples: &[Sample]) -> bool {
    !samples.is_empty() && samples.iter().all(|s| s.gyro.is_some())
}

fn gyro(s: &Sample) -> [f64; 3] {
    s.gyro.map(|g| [g.x, g.y, g.z]).unwrap_or([0.0; 3])
}

fn acc(s: &Sample) -> [f64; 3] {
    [s.acc.x, s.acc.y, s.acc.z]
}

/// Gravity part of a specific force: 1 g along its direction.
fn gravity_part(a: [f64; 3]) -> [f64; 3] {
    let n = (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]).sqrt();
    if n < 1e-9 {
        [0.0, 0.0, STANDARD_GRAVITY]
    } else {
        a.map(|v| v / n * STANDARD_GRAVITY)
    }
}

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn sensor_logger_file(
    samples: &[Sample],
    info: &WriteInfo,
    v: impl Fn(&Sample) -> [f64; 3],
) -> String {
    let mut o = String::from("time,seconds_elapsed,z,y,x\n");
    for s in samples {
        let ns = ((info.start_unix_s + s.t) * 1e9).round() as i128;
        let x = v(s);
        let _ = writeln!(o, "{ns},{},{},{},{}", s.t, x[2], x[1], x[0]);
    }
    o
}

/// One file of an [`Export`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ExportFile {
    /// Path relative to the folder the export is written into.
    pub path: PathBuf,
    /// The file's bytes.
    pub contents: Vec<u8>,
}

/// The files of one recording in an app's export layout.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Export {
    /// The files, parents before nothing (folders are implied by the paths).
    pub files: Vec<ExportFile>,
    /// What to open, relative to the same folder: the export folder for
    /// folder layouts, the accelerometer file for MetaWear, the file
    /// otherwise.
    pub open: PathBuf,
}

/// Writes `samples` in `layout` under `dir` (plain writes: a test tool)
/// and returns the path to open (the folder for folder layouts, the
/// accelerometer file for MetaWear).
pub fn write_layout(
    layout: Layout,
    dir: &Path,
    name: &str,
    samples: &[Sample],
    info: &WriteInfo,
) -> io::Result<PathBuf> {
    let e = export(layout, name, samples, info);
    for f in &e.files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &f.contents)?;
    }
    Ok(dir.join(e.open))
}

/// The files of `samples` in `layout`, named after `name`.
///
/// ```
/// use kickback_formats::{write::{export, Layout, WriteInfo}, Sample};
/// let samples = [Sample::new(0.0, [0.0, 0.0, 9.81], None)];
/// let e = export(Layout::Phyphox, "demo", &samples, &WriteInfo::default());
/// assert_eq!(e.open, std::path::Path::new("demo"));
/// assert!(e.files.iter().any(|f| f.path.ends_with("Accelerometer.csv")));
/// ```
pub fn export(layout: Layout, name: &str, samples: &[Sample], info: &WriteInfo) -> Export {
    let mut files = Vec::new();
    let mut put = |path: PathBuf, contents: &[u8]| {
        files.push(ExportFile {
            path,
            contents: contents.to_vec(),
        })
    };
    let open = layout_files(layout, name, samples, info, &mut put);
    Export { files, open }
}

fn layout_files(
    layout: Layout,
    name: &str,
    samples: &[Sample],
    info: &WriteInfo,
    put: &mut dyn FnMut(PathBuf, &[u8]),
) -> PathBuf {
    let dir = Path::new("");
    let g = has_gyro(samples);
    let t0 = samples.first().map(|s| s.t).unwrap_or(0.0);
    match layout {
        Layout::SensorLoggerIos | Layout::SensorLoggerAndroid => {
            let folder = dir.join(name);
            let ios = layout == Layout::SensorLoggerIos;
            if ios {
                // iOS sign: everything negated; Accelerometer without g + Gravity
                put(
                    folder.join("Gravity.csv"),
                    sensor_logger_file(samples, info, |s| gravity_part(acc(s)).map(|v| -v))
                        .as_bytes(),
                );
                put(
                    folder.join("Accelerometer.csv"),
                    sensor_logger_file(samples, info, |s| {
                        sub(acc(s), gravity_part(acc(s))).map(|v| -v)
                    })
                    .as_bytes(),
                );
            } else {
                put(
                    folder.join("TotalAcceleration.csv"),
                    sensor_logger_file(samples, info, acc).as_bytes(),
                );
                put(
                    folder.join("Accelerometer.csv"),
                    sensor_logger_file(samples, info, |s| sub(acc(s), gravity_part(acc(s))))
                        .as_bytes(),
                );
            }
            if g {
                put(
                    folder.join("Gyroscope.csv"),
                    sensor_logger_file(samples, info, gyro).as_bytes(),
                );
            }
            let sensors = if ios {
                "Accelerometer|Gravity|Gyroscope"
            } else {
                "Accelerometer|TotalAcceleration|Gyroscope"
            };
            let meta = format!(
                "version,device name,recording time,platform,appVersion,device id,sensors,sampleRateMs\n3,{},2023-11-14_22-13-20,{},1.26.0,00000000-0000-0000-0000-000000000000,{sensors},10|10|10",
                info.device,
                if ios { "ios" } else { "android" }
            );
            put(folder.join("Metadata.csv"), meta.as_bytes());
            put(folder.join("Annotation.csv"), b"");
            folder
        }
        Layout::Phyphox => {
            let folder = dir.join(name);
            let mut a = String::from("\"Time (s)\",\"X (m/s^2)\",\"Y (m/s^2)\",\"Z (m/s^2)\"\n");
            let mut w = String::from("\"Time (s)\",\"X (rad/s)\",\"Y (rad/s)\",\"Z (rad/s)\"\n");
            for s in samples {
                let t = s.t - t0;
                let x = acc(s);
                let _ = writeln!(a, "{:.9E},{:.9E},{:.9E},{:.9E}", t, x[0], x[1], x[2]);
                let y = gyro(s);
                let _ = writeln!(w, "{:.9E},{:.9E},{:.9E},{:.9E}", t, y[0], y[1], y[2]);
            }
            put(folder.join("Accelerometer.csv"), a.as_bytes());
            if g {
                put(folder.join("Gyroscope.csv"), w.as_bytes());
            }
            let meta = format!(
                "\"event\",\"experiment time\",\"system time\",\"system time text\"\n\"START\",0.000000000E0,{:.3},\"{} UTC+00:00\"\n",
                info.start_unix_s,
                datetime(info.start_unix_s, ' ')
            );
            put(folder.join("meta").join("time.csv"), meta.as_bytes());
            put(
                folder.join("meta").join("device.csv"),
                format!(
                    "\"property\",\"value\"\n\"deviceModel\",\"{}\"\n",
                    info.device
                )
                .as_bytes(),
            );
            folder
        }
        Layout::PhysicsToolbox | Layout::PhysicsToolboxSemicolon => {
            let semi = layout == Layout::PhysicsToolboxSemicolon;
            let d = if semi { ';' } else { ',' };
            let num = |v: f64| {
                let s = format!("{v:.6}");
                if semi {
                    s.replace('.', ",")
                } else {
                    s
                }
            };
            let mut o = String::from("\n");
            let cols: &[&str] = if g {
                &["time", "gFx", "gFy", "gFz", "wx", "wy", "wz"]
            } else {
                &["time", "gFx", "gFy", "gFz"]
            };
            for c in cols {
                o.push_str(c);
                o.push(d);
            }
            o.push('\n');
            for s in samples {
                o.push_str(&num(s.t - t0));
                o.push(d);
                for v in acc(s) {
                    o.push_str(&num(v / STANDARD_GRAVITY));
                    o.push(d);
                }
                if g {
                    for v in gyro(s) {
                        o.push_str(&num(v));
                        o.push(d);
                    }
                }
                o.push('\n');
            }
            let p = dir.join(format!("{name}.csv"));
            put(p.clone(), o.as_bytes());
            p
        }
        Layout::MetaWear => {
            let rate = crate::units::rate_hz(&samples.iter().map(|s| s.t).collect::<Vec<_>>())
                .unwrap_or(100.0);
            let stamp = datetime(info.start_unix_s, 'T').replace(':', ".");
            let file = |sensor: &str| {
                dir.join(format!(
                    "{name}_MetaWear_{stamp}_C42732BE255C_{sensor}_{rate:.3}Hz_1.4.4.csv"
                ))
            };
            let body = |unit: &str, v: &dyn Fn(&Sample) -> [f64; 3]| {
                let mut o = format!("epoch (ms),time (00:00),elapsed (s),x-axis ({unit}),y-axis ({unit}),z-axis ({unit})\n");
                for s in samples {
                    let unix = info.start_unix_s + s.t - t0;
                    let x = v(s);
                    let _ = writeln!(
                        o,
                        "{},{},{:.3},{:.6},{:.6},{:.6}",
                        (unix * 1000.0).round() as i64,
                        datetime(unix, 'T'),
                        s.t - t0,
                        x[0],
                        x[1],
                        x[2]
                    );
                }
                o
            };
            let ap = file("Accelerometer");
            put(
                ap.clone(),
                body("g", &|s| acc(s).map(|v| v / STANDARD_GRAVITY)).as_bytes(),
            );
            if g {
                put(
                    file("Gyroscope"),
                    body("deg/s", &|s| gyro(s).map(f64::to_degrees)).as_bytes(),
                );
            }
            ap
        }
        Layout::Shimmer => {
            let p = "Shimmer_SIM1";
            let mut o = String::from("\"sep=;\"\r\n");
            let _ = write!(
                o,
                "{p}_Timestamp_Unix_CAL;{p}_Accel_LN_X_CAL;{p}_Accel_LN_Y_CAL;{p}_Accel_LN_Z_CAL;"
            );
            if g {
                let _ = write!(o, "{p}_Gyro_X_CAL;{p}_Gyro_Y_CAL;{p}_Gyro_Z_CAL;");
            }
            o.push_str("\r\nms;m/(s^2);m/(s^2);m/(s^2);");
            if g {
                o.push_str("deg/s;deg/s;deg/s;");
            }
            o.push_str("\r\n");
            for s in samples {
                let x = acc(s);
                let _ = write!(
                    o,
                    "{:E};{};{};{};",
                    ((info.start_unix_s + s.t - t0) * 1000.0 * 1000.0).round() / 1000.0,
                    x[0],
                    x[1],
                    x[2]
                );
                if g {
                    let y = gyro(s).map(f64::to_degrees);
                    let _ = write!(o, "{};{};{};", y[0], y[1], y[2]);
                }
                o.push_str("\r\n");
            }
            let path = dir.join(format!("{name}.csv"));
            put(path.clone(), o.as_bytes());
            path
        }
        Layout::SensorLog => {
            let mut o = String::from("loggingTime(txt),loggingSample(N),accelerometerTimestamp_sinceReboot(s),accelerometerAccelerationX(G),accelerometerAccelerationY(G),accelerometerAccelerationZ(G)");
            if g {
                o.push_str(",gyroTimestamp_sinceReboot(s),gyroRotationX(rad/s),gyroRotationY(rad/s),gyroRotationZ(rad/s)");
            }
            o.push_str(",batteryState(R),batteryLevel(Z)\n");
            for (i, s) in samples.iter().enumerate() {
                let boot = 1000.0 + s.t - t0;
                let x = acc(s).map(|v| -v / STANDARD_GRAVITY);
                let _ = write!(
                    o,
                    "{} +0000,{i},{boot:.6},{},{},{}",
                    datetime(info.start_unix_s + s.t - t0, ' '),
                    x[0],
                    x[1],
                    x[2]
                );
                if g {
                    let y = gyro(s);
                    let _ = write!(o, ",{boot:.6},{},{},{}", y[0], y[1], y[2]);
                }
                o.push_str(",1,0.8\n");
            }
            let path = dir.join(format!("{name}.csv"));
            put(path.clone(), o.as_bytes());
            path
        }
        Layout::Axivity => {
            let mut o = String::new();
            for s in samples {
                let x = acc(s).map(|v| v / STANDARD_GRAVITY);
                let _ = write!(
                    o,
                    "{},{:.6},{:.6},{:.6}",
                    datetime(info.start_unix_s + s.t - t0, ' '),
                    x[0],
                    x[1],
                    x[2]
                );
                if g {
                    let y = gyro(s).map(f64::to_degrees);
                    let _ = write!(o, ",{:.6},{:.6},{:.6}", y[0], y[1], y[2]);
                }
                o.push('\n');
            }
            let path = dir.join(format!("{name}.csv"));
            put(path.clone(), o.as_bytes());
            path
        }
        Layout::CoreMotion => {
            let mut o = String::from(
                ",attitude.roll,attitude.pitch,attitude.yaw,gravity.x,gravity.y,gravity.z,",
            );
            if g {
                o.push_str("rotationRate.x,rotationRate.y,rotationRate.z,");
            }
            o.push_str("userAcceleration.x,userAcceleration.y,userAcceleration.z\n");
            for (i, s) in samples.iter().enumerate() {
                let a = acc(s);
                let gr = gravity_part(a).map(|v| -v / STANDARD_GRAVITY);
                let us = sub(a, gravity_part(a)).map(|v| -v / STANDARD_GRAVITY);
                let _ = write!(o, "{i},0,0,0,{},{},{},", gr[0], gr[1], gr[2]);
                if g {
                    let y = gyro(s);
                    let _ = write!(o, "{},{},{},", y[0], y[1], y[2]);
                }
                let _ = writeln!(o, "{},{},{}", us[0], us[1], us[2]);
            }
            let path = dir.join(format!("{name}.csv"));
            put(path.clone(), o.as_bytes());
            path
        }
        Layout::Generic => {
            let mut o = String::from(if g {
                "time,ax,ay,az,gx,gy,gz\n"
            } else {
                "time,ax,ay,az\n"
            });
            for s in samples {
                let x = acc(s);
                let _ = write!(o, "{},{},{},{}", s.t, x[0], x[1], x[2]);
                if g {
                    let y = gyro(s);
                    let _ = write!(o, ",{},{},{}", y[0], y[1], y[2]);
                }
                o.push('\n');
            }
            let path = dir.join(format!("{name}.csv"));
            put(path.clone(), o.as_bytes());
            path
        }
    }
}
