//! Malformed input gives clear errors naming file, line and column; never a panic.

use kickback_formats::{
    open, open_reader, AccelUnit, ErrorKind, FormatError, GyroUnit, ReadOptions, TimeUnit,
};
use proptest::prelude::*;
use std::io::Cursor;

fn read(
    text: &str,
) -> Result<(Vec<kickback_formats::Sample>, kickback_formats::SourceInfo), FormatError> {
    open_reader(
        "data.csv",
        Cursor::new(text.to_string()),
        &ReadOptions::default(),
    )?
    .read_all()
}

fn err(text: &str) -> String {
    read(text).expect_err("expected an error").to_string()
}

#[test]
fn bad_number_names_file_line_column() {
    assert_eq!(
        err("t,ax,ay,az\n0,0,0,1\n0.01,0,abc,1\n0.02,0,0,1\n"),
        "data.csv:3:3: expected a number for column \"ay\", found \"abc\""
    );
}

#[test]
fn missing_accelerometer_lists_found_columns() {
    assert_eq!(
        err("time,foo,bar\n0,1,2\n1,2,3\n"),
        "data.csv: no accelerometer columns found; expected a header naming three accelerometer columns (ax, ay, az or acc_x, ... or accel_x, ...); found: time, foo, bar"
    );
    let e = err("time,ax,ay\n0,1,2\n1,2,3\n");
    assert!(e.contains("no accelerometer columns found"), "{e}");
}

#[test]
fn missing_time_column() {
    let e = err("ax,ay,az\n0,0,1\n0,0,1\n");
    assert!(
        e.contains("no time columns found") && e.contains("--rate"),
        "{e}"
    );
    let mut o = ReadOptions::default();
    o.rate_hz = Some(50.0);
    let (s, _) = open_reader("d.csv", Cursor::new("ax,ay,az\n0,0,1\n0,0,1\n"), &o)
        .unwrap()
        .read_all()
        .unwrap();
    assert_eq!(s[1].t, 0.02);
}

#[test]
fn empty_and_header_only_and_one_row() {
    assert!(matches!(read(""), Err(e) if matches!(e.kind(), ErrorKind::Empty)));
    assert!(
        err("\n\n  \n").contains("no header row")
            || matches!(read("\n\n"), Err(e) if matches!(e.kind(), ErrorKind::Empty))
    );
    assert_eq!(
        err("t,ax,ay,az\n"),
        "data.csv: needs at least 2 samples, found 0"
    );
    assert_eq!(
        err("t,ax,ay,az\n0,0,0,1\n"),
        "data.csv: needs at least 2 samples, found 1"
    );
}

#[test]
fn nan_rows_are_skipped_and_counted_unless_all_are_bad() {
    let (s, info) = read("t,ax,ay,az\n0,0,0,1\n0.01,NaN,0,1\n0.02,,0,1\n0.03,0,0,1\n").unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(info.missing_value_rows, 2);
    assert!(info.notes.iter().any(|n| n.contains("skipped 2 rows")));
    let e = err("t,ax,ay,az\n0,NaN,0,1\n0.01,null,0,1\n");
    assert!(
        e.contains(
            "needs at least 2 samples, found 0 (2 rows with a missing (NaN/empty) value dropped)"
        ),
        "{e}"
    );
}

#[test]
fn truncated_last_row_is_skipped_wrong_count_elsewhere_is_an_error() {
    let (s, info) = read("t,ax,ay,az\n0,0,0,1\n0.01,0,0,1\n0.02,0,0").unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(info.short_rows, 1);
    assert_eq!(
        err("t,ax,ay,az\n0,0,0,1\n0.01,0\n0.02,0,0,1\n"),
        "data.csv:3: expected at least 4 fields (up to column \"az\"), found 2"
    );
}

#[test]
fn time_backwards_small_is_dropped_large_is_an_error() {
    let (s, info) =
        read("t,ax,ay,az\n0,0,0,1\n0.02,0,0,1\n0.015,0,0,1\n0.03,0,0,1\n0.03,0,0,1\n").unwrap();
    assert_eq!(s.len(), 3);
    assert_eq!(info.backwards_dropped, 1);
    assert_eq!(info.duplicates_dropped, 1);
    // a clock that runs backwards and goes on from there is an error
    let e = err("t,ax,ay,az\n10,0,0,1\n10.01,0,0,1\n2,0,0,1\n2.01,0,0,1\n");
    assert!(
        e.starts_with("data.csv:4: time goes backwards by 8.010 s"),
        "{e}"
    );
    // a lone sample whose time jumps back, or ahead, and returns is dropped
    for bad in ["2", "900"] {
        let text =
            format!("t,ax,ay,az\n10,0,0,1\n10.01,0,0,1\n{bad},0,0,1\n10.02,0,0,1\n10.03,0,0,1\n");
        let (s, info) = read(&text).unwrap();
        assert_eq!(
            s.iter().map(|s| s.t).collect::<Vec<_>>(),
            [10.0, 10.01, 10.02, 10.03]
        );
        assert_eq!(info.time_outliers_dropped, 1);
        assert_eq!(info.first_time_outlier_line, Some(4));
        assert!(
            info.notes
                .iter()
                .any(|n| n.contains("dropped 1 lone samples")),
            "{:?}",
            info.notes
        );
    }
}

#[test]
fn huge_line_and_too_many_columns() {
    let huge = format!("t,ax,ay,az\n0,0,0,1\n{}\n", "9".repeat(2 << 20));
    let e = err(&huge);
    assert_eq!(
        e,
        "data.csv:3: line is longer than 1048576 bytes; this does not look like a sensor CSV"
    );
    let wide = format!("t,ax,ay,az,{}\n", "c,".repeat(10_000));
    assert!(err(&wide).starts_with("data.csv:1: more than 4096 columns"));
    // a million columns in one line is caught by the line cap before splitting
    let million = format!("t,ax,ay,az\n{}\n", "1,".repeat(1_000_000));
    assert!(err(&million).contains("line is longer than"));
}

#[test]
fn units_detected_and_reported() {
    let (s, info) = read(
        "time (ms),ax,ay,az,gx,gy,gz\n0,0,0,9.81,0,0,90\n10,0,0,9.81,0,0,90\n20,0,0,9.81,0,0,90\n",
    )
    .unwrap();
    assert_eq!(info.time.unit, "ms");
    assert_eq!(info.accel.unit, "m/s²");
    assert!(
        info.accel.reason.contains("median |a| = 9.81"),
        "{}",
        info.accel.reason
    );
    assert_eq!(info.gyro.as_ref().unwrap().unit, "deg/s");
    assert!((s[1].t - 0.01).abs() < 1e-12);
    assert!((s[0].gyro.unwrap().z - std::f64::consts::FRAC_PI_2).abs() < 1e-9);
    // epoch ns, detected by magnitude
    let (s, info) =
        read("timestamp,acc_x,acc_y,acc_z\n1700000000000000000,0,0,1\n1700000000010000000,0,0,1\n")
            .unwrap();
    assert_eq!(info.time.unit, "ns");
    assert!((s[1].t - s[0].t - 0.01).abs() < 1e-6);
    assert_eq!(info.accel.unit, "g");
    // time steps of ~10 → ms
    let (_, info) = read("t,ax,ay,az\n0,0,0,1\n10,0,0,1\n20,0,0,1\n").unwrap();
    assert_eq!(info.time.unit, "ms");
    assert!(info.time.reason.contains("median step"));
}

#[test]
fn header_unit_suffixes_and_spellings() {
    for h in [
        "t,accX,accY,accZ",
        "time_s,acc.x,acc.y,acc.z",
        "Time,Accelerometer_X,Accelerometer_Y,Accelerometer_Z",
        "seconds,ax (g),ay (g),az (g)",
        "elapsed,accel_x[g],accel_y[g],accel_z[g]",
        "t,x,y,z",
    ] {
        let text = format!("{h}\n0,0,0,1\n0.01,0,0,1\n");
        let (s, info) = read(&text).unwrap_or_else(|e| panic!("{h}: {e}"));
        assert_eq!(info.accel.unit, "g", "{h}");
        assert!((s[0].acc.z - 9.80665).abs() < 1e-9, "{h}");
    }
    let (s, _) = read("t,ax,ay,az,gyro_x[deg/s],gyro_y[deg/s],gyro_z[deg/s]\n0,0,0,1,180,0,0\n0.01,0,0,1,180,0,0\n").unwrap();
    assert!((s[0].gyro.unwrap().x - std::f64::consts::PI).abs() < 1e-9);
}

#[test]
fn delimiters_and_decimal_comma() {
    let (s, _) = read("t;ax;ay;az\n0,00;0,5;0;1\n0,01;0,5;0;1\n").unwrap();
    assert!((s[0].acc.x - 0.5 * 9.80665).abs() < 1e-9);
    let (s, _) = read("t\tax\tay\taz\n0\t0\t0\t9.8\n0.01\t0\t0\t9.8\n").unwrap();
    assert_eq!(s.len(), 2);
    let (s, _) =
        read("# comment\n\n\"t\",\"ax\",\"ay\",\"az\"\n0,0,0,9.8\n0.01,0,0,9.8\n").unwrap();
    assert_eq!(s.len(), 2);
}

#[test]
fn options_override_detection_and_parse_cli_strings() {
    let mut o = ReadOptions::default();
    o.accel_unit = Some("m/s2".parse().unwrap());
    o.time_unit = Some("ms".parse().unwrap());
    let (s, info) = open_reader(
        "d.csv",
        Cursor::new("t,ax,ay,az\n0,0,0,9.8\n5,0,0,9.8\n"),
        &o,
    )
    .unwrap()
    .read_all()
    .unwrap();
    assert_eq!(s[0].acc.z, 9.8);
    assert_eq!(s[1].t, 0.005);
    assert!(info.accel.reason.contains("option"));
    assert_eq!("deg/s".parse::<GyroUnit>().unwrap(), GyroUnit::DegPerSecond);
    assert_eq!("g".parse::<AccelUnit>().unwrap(), AccelUnit::G);
    assert_eq!("us".parse::<TimeUnit>().unwrap(), TimeUnit::Micros);
    assert_eq!(
        "knots".parse::<GyroUnit>().unwrap_err().to_string(),
        "unknown gyroscope unit \"knots\"; expected one of: rad/s, deg/s"
    );
    let e = "excel"
        .parse::<kickback_formats::Format>()
        .unwrap_err()
        .to_string();
    assert!(e.contains("sensor-logger") && e.contains("generic"), "{e}");
}

#[test]
fn streaming_long_file_reports_at_the_end() {
    let mut text = String::from("t,ax,ay,az\n");
    for i in 0..10_000 {
        let t = if i > 5000 {
            i as f64 * 0.01 + 2.0
        } else {
            i as f64 * 0.01
        };
        text.push_str(&format!("{t},0,0,9.81\n"));
        if i == 7000 {
            text.push_str("70.5,NaN,0,1\n");
        }
    }
    let rec = open_reader("big.csv", Cursor::new(text), &ReadOptions::default()).unwrap();
    let mut it = rec.samples();
    let n = it.by_ref().filter(|r| r.is_ok()).count();
    let info = it.into_info();
    assert_eq!(n, 10_000);
    assert_eq!(info.samples, 10_000);
    assert_eq!(info.gap_count, 1);
    assert_eq!(info.missing_value_rows, 1);
    // a bad number deep in a streamed file surfaces as an error item
    let mut text = String::from("t,ax,ay,az\n");
    for i in 0..5000 {
        text.push_str(&format!("{},0,0,9.81\n", i as f64 * 0.01));
    }
    text.push_str("50.0,0,zz,1\n");
    let rec = open_reader("big.csv", Cursor::new(text), &ReadOptions::default()).unwrap();
    let e = rec.samples().find_map(|r| r.err()).unwrap();
    assert_eq!(
        e.to_string(),
        "big.csv:5002:3: expected a number for column \"ay\", found \"zz\""
    );
}

#[test]
fn app_formats_malformed() {
    // Physics Toolbox with a bad number
    let e = err("\ntime,gFx,gFy,gFz,wx,wy,wz,\n0.01,0,0,1,0,0,0,\n0.02,0,x,1,0,0,0,\n");
    assert_eq!(
        e,
        "data.csv:4:3: expected a number for column \"gFy\", found \"x\""
    );
    // Physics Toolbox truncated last row: skipped
    let (s, info) = read("\ntime,gFx,gFy,gFz,wx,wy,wz,\n0.01,0,0,1,0.1,0,0,\n0.02,0,0.1,1,0.2,0,0,\n0.03,0,0.2,1,0.3,0,0,\n0.04,0,0.3").unwrap();
    assert_eq!(info.short_rows, 1);
    assert_eq!(s.len(), 3);
    // MetaWear wrong column count
    let e = err("epoch (ms),time (01:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)\n1,a,0,0,0,1\n2,b\n3,c,0,0,0,1\n");
    assert_eq!(
        e,
        "data.csv:3: expected at least 6 fields (up to column \"z-axis (g)\"), found 2"
    );
    // Shimmer bad number
    let e = err("\"sep=;\"\r\nS_Timestamp_Unix_CAL;S_Accel_LN_X_CAL;S_Accel_LN_Y_CAL;S_Accel_LN_Z_CAL;\r\nms;m/(s^2);m/(s^2);m/(s^2);\r\n1.0E12;0;0;9.8;\r\n1.00000000002E12;0;?;9.8;\r\n");
    assert_eq!(
        e,
        "data.csv:5:3: expected a number for column \"S_Accel_LN_Y_CAL\", found \"?\""
    );
    // CoreMotion without a rate
    let e = err(",gravity.x,gravity.y,gravity.z,userAcceleration.x,userAcceleration.y,userAcceleration.z\n0,0,0,-1,0,0,0\n1,0,0,-1,0,0,0\n");
    assert_eq!(e, "data.csv: this CoreMotion export has no time column; pass --rate HZ (MotionSense is 50 Hz)");
    // SensorLog ragged rows are skipped, not fatal
    let (s, info) = read("loggingTime(txt),accelerometerTimestamp_sinceReboot(s),accelerometerAccelerationX(G),accelerometerAccelerationY(G),accelerometerAccelerationZ(G)\nx,1.00,0,0,-1\nx,1.01\nx,1.02,0,0,-1\n").unwrap();
    assert_eq!((s.len(), info.short_rows), (2, 1));
    assert!(s[0].acc.z > 9.0, "iOS sign normalised");
    // Axivity bad date
    let e = err(
        "2024-01-01 10:00:00.000,0,0,1\n2024-01-01 10:00:00.010,0,0,1\n2024-01-01 25:00,0,0,1\n",
    );
    assert!(e.starts_with("data.csv:3:1: expected a date-time"), "{e}");
    // headerless numbers
    let e = err("1,2,3,4\n5,6,7,8\n");
    assert!(e.contains("no header columns found"), "{e}");
}

#[test]
fn containers_without_expected_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("export");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(d.join("Metadata.csv"), "version,platform\n3,ios").unwrap();
    std::fs::write(
        d.join("Orientation.csv"),
        "time,seconds_elapsed,qx\n1,0,0\n",
    )
    .unwrap();
    let e = open(&d, &ReadOptions::default()).unwrap_err().to_string();
    assert!(
        e.contains("no accelerometer file in this Sensor Logger export"),
        "{e}"
    );
    assert!(
        e.contains(
            "expected TotalAcceleration.csv (Android), or Accelerometer.csv + Gravity.csv (iOS)"
        ),
        "{e}"
    );
    assert!(e.contains("found: Metadata.csv, Orientation.csv"), "{e}");
    // a zip with nothing useful
    let zpath = dir.path().join("x.zip");
    {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(std::fs::File::create(&zpath).unwrap());
        z.start_file("photo.jpg", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"\xff\xd8").unwrap();
        z.start_file("a.csv", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"x,y\n").unwrap();
        z.start_file("b.csv", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"x,y\n").unwrap();
        z.finish().unwrap();
    }
    let e = open(&zpath, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no recording recognised") && e.contains("found: a.csv, b.csv, photo.jpg"),
        "{e}"
    );
    // not a zip at all
    std::fs::write(dir.path().join("bad.zip"), b"PK\x03\x04garbage").unwrap();
    let e = open(&dir.path().join("bad.zip"), &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a readable zip"), "{e}");
    // missing file
    let e = open(&dir.path().join("nope.csv"), &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("nope.csv"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(r) = open_reader("p.csv", Cursor::new(bytes), &ReadOptions::default()) {
            for s in r.samples() {
                if s.is_err() { break; }
            }
        }
    }

    #[test]
    fn csv_like_text_never_panics(
        header in proptest::sample::select(vec!["t,ax,ay,az", "time,ax,ay,az,gx,gy,gz", "\ntime,gFx,gFy,gFz,wx,wy,wz,", "epoch (ms),elapsed (s),x-axis (g),y-axis (g),z-axis (g)", ",gravity.x,gravity.y,gravity.z,userAcceleration.x,userAcceleration.y,userAcceleration.z", "\"sep=;\"\nS_Timestamp_Unix_CAL;S_Accel_LN_X_CAL;S_Accel_LN_Y_CAL;S_Accel_LN_Z_CAL"]),
        rows in proptest::collection::vec(proptest::collection::vec(proptest::sample::select(vec!["0", "1", "-1.5", "1e300", "NaN", "", "x", "0,5", "2024-01-01 00:00:00.000", "9.8", "1E-3"]), 0..9), 0..30),
    ) {
        let mut text = String::from(header);
        text.push('\n');
        for r in rows {
            text.push_str(&r.join(","));
            text.push('\n');
        }
        if let Ok(r) = open_reader("p.csv", Cursor::new(text), &ReadOptions::default()) {
            for s in r.samples() {
                if s.is_err() { break; }
            }
        }
    }
}

#[test]
fn gap_limits_come_from_the_options() {
    let text = "t,ax,ay,az\n0,0,0,1\n0.01,0,0,1\n0.4,0,0,1\n0.41,0,0,1\n";
    let (_, info) = read(text).unwrap();
    assert_eq!(info.gap_count, 1, "0.39 s > the default 0.25 s");
    let mut o = ReadOptions::default();
    o.gap_report_s = Some(0.5);
    let (_, info) = open_reader("d.csv", Cursor::new(text), &o)
        .unwrap()
        .read_all()
        .unwrap();
    assert_eq!(info.gap_count, 0, "0.39 s < 0.5 s");
}
