//! Every real export in `../shared/formats` (beside the checkout) loads with
//! the right units, sample count and duration, or fails with a specific,
//! helpful error. The files are not ours to redistribute, so they are read
//! in place; when the folder is missing the test prints a note and returns.

use kickback_formats::{open, ReadOptions, SourceInfo};
use std::path::{Path, PathBuf};

fn root() -> Option<PathBuf> {
    let p = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/formats"
    ))
    .to_path_buf();
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!(
            "note: {} not found; skipping the conformance test on real exports",
            p.display()
        );
        None
    }
}

struct Ok_ {
    n: usize,
    duration: f64,
    format: &'static str,
    accel: &'static str,
    gyro: Option<&'static str>,
    rate: f64,
}

fn load(p: &Path, opts: &ReadOptions) -> (usize, SourceInfo, Vec<kickback_formats::Sample>) {
    let rec = open(p, opts).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let (s, info) = rec
        .read_all()
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    (s.len(), info, s)
}

fn check(
    rel: &str,
    opts: &ReadOptions,
    want: Ok_,
) -> Option<(SourceInfo, Vec<kickback_formats::Sample>)> {
    let p = root()?.join(rel);
    let (n, info, s) = load(&p, opts);
    assert_eq!(n, want.n, "{rel}: sample count");
    assert_eq!(info.samples, n, "{rel}: info.samples");
    let d = info.duration_s().unwrap();
    assert!((d - want.duration).abs() < 0.05, "{rel}: duration {d}");
    assert_eq!(info.format.name(), want.format, "{rel}");
    assert_eq!(info.accel.unit, want.accel, "{rel}");
    assert_eq!(
        info.gyro.as_ref().map(|g| g.unit.as_str()),
        want.gyro,
        "{rel}"
    );
    let r = info.accel_rate_hz.unwrap();
    assert!((r - want.rate).abs() / want.rate < 0.05, "{rel}: rate {r}");
    assert!(
        s.windows(2).all(|w| w[1].t > w[0].t),
        "{rel}: time increases"
    );
    assert!(s.iter().all(|x| x.is_finite()));
    // gravity is included: mean |a| near 9.8
    let mean = s.iter().map(|x| x.acc.norm()).sum::<f64>() / n as f64;
    assert!((7.0..20.0).contains(&mean), "{rel}: mean |a| = {mean}");
    assert!(s.iter().all(|x| x.gyro.is_some() == want.gyro.is_some()));
    serde_json::to_string(&info).unwrap();
    Some((info, s))
}

fn err(rel: &str, opts: &ReadOptions) -> Option<String> {
    let p = root()?.join(rel);
    match open(&p, opts).and_then(|r| r.read_all()) {
        Ok(_) => panic!("{rel}: expected an error"),
        Err(e) => Some(e.to_string()),
    }
}

#[test]
fn sensor_logger_ios_folder_and_zip() {
    for rel in [
        "sensor-logger-ios/2022-09-16_11-15-46",
        "sensor-logger-ios/2022-09-16_11-15-46.zip",
    ] {
        let Some((info, s)) = check(
            rel,
            &ReadOptions::default(),
            Ok_ {
                n: 2064,
                duration: 20.54,
                format: "sensor-logger",
                accel: "m/s²",
                gyro: Some("rad/s"),
                rate: 100.4,
            },
        ) else {
            return;
        };
        assert!(
            info.sign_convention.contains("iOS"),
            "{}",
            info.sign_convention
        );
        assert!(info.gravity.contains("Gravity.csv"));
        assert_eq!(info.time.unit, "ns");
        assert_eq!(info.device.as_deref(), Some("ios, iPhone 12 mini"));
        // phone lies face-up at the start: +9.8 on z after the sign fix
        assert!(s[0].acc.z > 9.0, "{:?}", s[0].acc);
    }
}

#[test]
fn sensor_logger_android_has_no_gyroscope() {
    for rel in [
        "sensor-logger-android/2023-11-24_07-25-54",
        "sensor-logger-android/2023-11-24_07-25-54.zip",
    ] {
        let Some((info, s)) = check(
            rel,
            &ReadOptions::default(),
            Ok_ {
                n: 725,
                duration: 7.24,
                format: "sensor-logger",
                accel: "m/s²",
                gyro: None,
                rate: 100.0,
            },
        ) else {
            return;
        };
        assert!(info.gravity.contains("TotalAcceleration"));
        assert!(info.sign_convention.contains("android"));
        assert!(s[0].acc.z > 8.0);
    }
}

#[test]
fn sensor_logger_single_file_names_its_folder() {
    // the named file is what is read: one stream of an export is an error
    // that names the folder to give instead
    for f in ["Gyroscope.csv", "Accelerometer.csv", "Metadata.csv"] {
        let rel = format!("sensor-logger-ios/2022-09-16_11-15-46/{f}");
        let Some(e) = err(&rel, &ReadOptions::default()) else {
            return;
        };
        assert!(
            e.contains("name the export folder (or its zip) instead")
                && e.ends_with("2022-09-16_11-15-46"),
            "{e}"
        );
    }
}

#[test]
fn sensor_logger_basketball_lacks_gravity() {
    let Some(e) = err("sensor-logger-basketball/R1F_R01F", &ReadOptions::default()) else {
        return;
    };
    assert!(e.contains("gravity removed"), "{e}");
    assert!(e.contains("found: Accelerometer.csv, Gyroscope.csv"), "{e}");
}

#[test]
fn phyphox_gait() {
    let Some((info, _)) = check(
        "phyphox/gait_lucadomene",
        &ReadOptions::default(),
        Ok_ {
            n: 2387,
            duration: 47.98,
            format: "phyphox",
            accel: "m/s²",
            gyro: Some("rad/s"),
            rate: 49.73,
        },
    ) else {
        return;
    };
    assert!(info.clock_merge.contains("interpolated"));
    assert!(info.trimmed_s > 0.0 && info.trimmed_s < 0.01);
    // a single file of the export that holds acceleration with g is read on
    // its own, as named (nothing trimmed), with a warning about the folder
    let (info, _) = check(
        "phyphox/gait_lucadomene/Accelerometer.csv",
        &ReadOptions::default(),
        Ok_ {
            n: 2388,
            duration: 47.98,
            format: "phyphox",
            accel: "m/s²",
            gyro: None,
            rate: 49.73,
        },
    )
    .unwrap();
    assert!(
        info.notes.iter().any(|n| n.contains("was read on its own")),
        "{:?}",
        info.notes
    );
    // its gyroscope alone is an error naming the folder
    let e = err(
        "phyphox/gait_lucadomene/Gyroscope.csv",
        &ReadOptions::default(),
    )
    .unwrap();
    assert!(e.contains("name the export folder"), "{e}");
}

#[test]
fn phyphox_linear_only_is_a_clear_error() {
    let Some(e) = err("phyphox/walking_sannatikk_ios", &ReadOptions::default()) else {
        return;
    };
    assert!(e.contains("only linear acceleration"), "{e}");
    assert!(e.contains("Gravity.csv"), "{e}");
}

#[test]
fn physics_toolbox_all_three() {
    let Some((info, _)) = check(
        "physics-toolbox-suite/INPUT_N_comma_dot.csv",
        &ReadOptions::default(),
        Ok_ {
            n: 646,
            duration: 44.0,
            format: "physics-toolbox",
            accel: "g",
            gyro: Some("rad/s"),
            rate: 14.66,
        },
    ) else {
        return;
    };
    assert!(info.notes.iter().any(|n| n.contains("sample-and-hold")));
    check(
        "physics-toolbox-suite/INPUT_O_comma_dot_first3000rows.csv",
        &ReadOptions::default(),
        Ok_ {
            n: 2744,
            duration: 6.685,
            format: "physics-toolbox",
            accel: "g",
            gyro: Some("rad/s"),
            rate: 418.0,
        },
    );
    let (info, _) = check(
        "physics-toolbox-suite/x_semicolon_decimalcomma.csv",
        &ReadOptions::default(),
        Ok_ {
            n: 457,
            duration: 33.19,
            format: "physics-toolbox",
            accel: "g",
            gyro: Some("rad/s"),
            rate: 15.36,
        },
    )
    .unwrap();
    assert!(info.gap_count >= 1, "the 3.6 s gap is reported");
    assert!(info.gaps.iter().any(|g| g.length_s > 3.0));
}

#[test]
fn metawear_pairs() {
    let squat = "metawear-metabase/A-squat-heavy_MetaWear_2019-01-15T20.04.08.637_C42732BE255C_Accelerometer_12.500Hz_1.4.4.csv";
    let Some((info, _)) = check(
        squat,
        &ReadOptions::default(),
        Ok_ {
            n: 210,
            duration: 16.72,
            format: "metawear",
            accel: "g",
            gyro: Some("deg/s"),
            rate: 12.5,
        },
    ) else {
        return;
    };
    assert_eq!(info.files.len(), 2);
    assert!((info.gyro_rate_hz.unwrap() - 25.0).abs() < 0.1);
    assert!((info.trimmed_s - 0.36).abs() < 0.01);
    // the bench file names differ by an underscore (a space in the original); still paired
    let bench = "metawear-metabase/A-bench-half_MetaWear_2019-01-18T18.28.28.218_C42732BE255C_Gyroscope_25.000Hz_1.4.4.csv";
    let (info, _) = check(
        bench,
        &ReadOptions::default(),
        Ok_ {
            n: 297,
            duration: 23.68,
            format: "metawear",
            accel: "g",
            gyro: Some("deg/s"),
            rate: 12.5,
        },
    )
    .unwrap();
    assert_eq!(info.files.len(), 2);
    // newer `epoc (ms)` variant, accelerometer only
    check(
        "metawear-metabase/chenliseu_Gait_Accelerometer_first20rows.csv",
        &ReadOptions::default(),
        Ok_ {
            n: 20,
            duration: 0.19,
            format: "metawear",
            accel: "g",
            gyro: None,
            rate: 100.0,
        },
    );
}

#[test]
fn metawear_folder_with_several_recordings_says_which() {
    let Some(e) = err("metawear-metabase", &ReadOptions::default()) else {
        return;
    };
    assert!(
        e.contains("this folder holds 3 recordings") && e.contains("kickback check"),
        "{e}"
    );
}

#[test]
fn shimmer() {
    let Some((info, _)) = check(
        "shimmer-consensys/read_test_data.csv",
        &ReadOptions::default(),
        Ok_ {
            n: 86,
            duration: 1.74,
            format: "shimmer",
            accel: "m/s²",
            gyro: Some("deg/s"),
            rate: 52.6,
        },
    ) else {
        return;
    };
    assert_eq!(info.duplicates_dropped, 4);
    assert_eq!(info.time.unit, "ms");
}

#[test]
fn coremotion_needs_a_rate() {
    let rel = "coremotion-motionsense/wlk_7_sub_1_first3000rows.csv";
    let Some(e) = err(rel, &ReadOptions::default()) else {
        return;
    };
    assert!(
        e.ends_with(
            "this CoreMotion export has no time column; pass --rate HZ (MotionSense is 50 Hz)"
        ),
        "{e}"
    );
    let mut o = ReadOptions::default();
    o.rate_hz = Some(50.0);
    for rel in [rel, "coremotion-motionsense/jog_9_sub_1_first3000rows.csv"] {
        let (info, s) = check(
            rel,
            &o,
            Ok_ {
                n: 3000,
                duration: 59.98,
                format: "coremotion",
                accel: "g",
                gyro: Some("rad/s"),
                rate: 50.0,
            },
        )
        .unwrap();
        assert!(info.sign_convention.contains("iOS"));
        // phone upright in the pocket: gravity.y ≈ +0.99 in iOS sign → reads ≈ −9.7 on y
        if rel.contains("wlk") {
            assert!(s[0].acc.y < -5.0, "{:?}", s[0].acc);
        }
    }
}

#[test]
fn empatica_is_not_supported() {
    let Some(e) = err("empatica-e4/ACC.csv", &ReadOptions::default()) else {
        return;
    };
    assert!(e.contains("Empatica E4 is not supported"), "{e}");
    let e = err("empatica-e4/info.txt", &ReadOptions::default()).unwrap();
    assert!(e.contains("no accelerometer columns found"), "{e}");
}

#[test]
fn find_recordings_counts_exports_once() {
    let Some(r) = root() else { return };
    let found = kickback_formats::find_recordings(&r);
    let names: Vec<String> = found
        .iter()
        .map(|p| p.strip_prefix(&r).unwrap().display().to_string())
        .collect();
    assert!(
        names.contains(&"sensor-logger-ios/2022-09-16_11-15-46".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"sensor-logger-ios/2022-09-16_11-15-46.zip".to_string()));
    assert!(
        !names.iter().any(|n| n.contains("2022-09-16_11-15-46/")),
        "{names:?}"
    );
    assert!(names.contains(&"phyphox/gait_lucadomene".to_string()));
    // MetaWear: one entry per recording (the accelerometer file)
    assert_eq!(
        names.iter().filter(|n| n.contains("_Gyroscope_")).count(),
        0,
        "{names:?}"
    );
    assert!(!names
        .iter()
        .any(|n| n.ends_with(".md") || n.ends_with("info.txt")));
}
