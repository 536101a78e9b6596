//! The threaded `analyze` path (reader on its own thread, samples handed to
//! the engine in batches) gives exactly what the single-thread path gives:
//! the same JSON report, and the same error (file, line, column) when the
//! input breaks at the start, deep in the file or between two batches.
//! A reader's samples also plug straight into `kickback::try_analyze`.

use kickback::{try_analyze, Settings, TryAnalyzeError, WarningKind};
use kickback_cli::input::{analyze_path_with, with_gap_settings, Pipeline, BATCH};
use kickback_formats::ReadOptions;
use std::path::{Path, PathBuf};

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

/// The JSON report, or the error as `kickback` prints it.
fn run(path: &Path, opts: &ReadOptions, pipeline: Pipeline) -> Result<String, String> {
    analyze_path_with(path, opts, &Settings::default(), pipeline)
        .map(|r| serde_json::to_string_pretty(&r).unwrap())
        .map_err(|e| format!("{e:#}"))
}

fn same(path: &Path, opts: &ReadOptions) -> Result<String, String> {
    let single = run(path, opts, Pipeline::SingleThread);
    let threaded = run(path, opts, Pipeline::Threaded);
    assert_eq!(single, threaded, "{}", path.display());
    single
}

#[test]
fn threaded_and_single_thread_reports_are_identical() {
    let opts = ReadOptions::default();
    for name in [
        "sample.csv",
        "mixed_0000.csv",
        "no_gyro_0000.csv",
        "low_rate_0000.csv",
    ] {
        let json = same(&testdata(name), &opts).unwrap();
        assert!(json.contains("\"rep_count\""), "{name}");
    }
    // a recording of several batches, with reps
    let json = same(&testdata("sample.csv"), &opts).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["rep_count"].as_u64().unwrap() >= 10);
    assert!(v["input"]["samples"].as_u64().unwrap() as usize > 2 * BATCH);
}

#[test]
fn threaded_and_single_thread_errors_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(testdata("sample.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 3 * BATCH);
    let write = |name: &str, lines: &[String]| {
        let p = dir.path().join(name);
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        p
    };
    let owned: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let opts = ReadOptions::default();

    // a bad number deep in the file, inside a batch and right after one
    for row in [5000, 2 * BATCH + 1, BATCH] {
        let mut l = owned.clone();
        let mut f: Vec<&str> = lines[row].split(',').collect();
        f[3] = "abc";
        l[row] = f.join(",");
        let p = write("bad.csv", &l);
        let e = same(&p, &opts).unwrap_err();
        assert_eq!(
            e,
            format!(
                "{}:{}:4: expected a number for column \"az\", found \"abc\"",
                p.display(),
                row + 1
            )
        );
    }

    // a short row mid-file, time going backwards, a line too long
    let mut l = owned.clone();
    l[6000] = "12.5,1,2".into();
    let e = same(&write("short.csv", &l), &opts).unwrap_err();
    assert!(
        e.ends_with(":6001: expected at least 7 fields (up to column \"gz\"), found 3"),
        "{e}"
    );
    // (a lone sample whose time jumps back is dropped; a clock that goes on
    // from there is an error)
    let mut l = owned.clone();
    l[7000] = format!("1.0,{}", lines[7000].split_once(',').unwrap().1);
    l[7001] = format!("1.02,{}", lines[7001].split_once(',').unwrap().1);
    let e = same(&write("backwards.csv", &l), &opts).unwrap_err();
    assert!(e.contains(":7001: time goes backwards"), "{e}");
    let mut l = owned.clone();
    l[4500] = "1".repeat(2 << 20);
    let e = same(&write("long.csv", &l), &opts).unwrap_err();
    assert!(
        e.ends_with(
            ":4501: line is longer than 1048576 bytes; this does not look like a sensor CSV"
        ),
        "{e}"
    );

    // errors before any sample: empty file, no accelerometer, missing file
    let e = same(&write("empty.csv", &[]), &opts).unwrap_err();
    assert!(e.contains("empty.csv"), "{e}");
    let e = same(
        &write("cols.csv", &["time,foo,bar".into(), "0,1,2".into()]),
        &opts,
    )
    .unwrap_err();
    assert!(e.contains("no accelerometer columns found"), "{e}");
    same(&dir.path().join("missing.csv"), &opts).unwrap_err();
}

#[test]
fn a_readers_samples_plug_straight_into_try_analyze() {
    let settings = Settings::default();
    let opts = with_gap_settings(&ReadOptions::default(), &settings);
    let path = testdata("sample.csv");
    let report = analyze_path_with(&path, &opts, &settings, Pipeline::SingleThread).unwrap();
    let samples = kickback_formats::open(&path, &opts).unwrap().samples();
    let analysis = try_analyze(samples, &settings).unwrap();
    // the CLI's report puts the reader's notes first, as `input` warnings
    let mut expected = report.analysis;
    expected.warnings.retain(|w| w.kind != WarningKind::Input);
    assert_eq!(analysis, expected);
    assert!(analysis.rep_count >= 10);

    // a bad number deep in the file: the reader's error, unchanged
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let row = 2 * BATCH + 1;
    let mut f: Vec<&str> = lines[row].split(',').collect();
    f[3] = "abc";
    lines[row] = f.join(",");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let samples = kickback_formats::open(&bad, &opts).unwrap().samples();
    match try_analyze(samples, &settings) {
        Err(TryAnalyzeError::Input(e)) => {
            assert_eq!((e.line(), e.column()), (Some(row as u64 + 1), Some(4)));
            assert_eq!(Err(e.to_string()), run(&bad, &opts, Pipeline::SingleThread));
        }
        other => panic!("{other:?}"),
    }
}
