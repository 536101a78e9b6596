//! `kickback simulate` writes labelled recordings that `kickback evaluate`
//! scores; both end to end through the binary.

use assert_cmd::Command;

/// `kickback evaluate DIR --json`, which must succeed, as JSON.
fn evaluate_json(dir: &std::path::Path) -> serde_json::Value {
    let out = Command::cargo_bin("kickback")
        .unwrap()
        .arg("evaluate")
        .arg(dir)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn simulate_then_evaluate() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("kickback")
        .unwrap()
        .args([
            "simulate",
            "--count",
            "2",
            "--seed",
            "3",
            "--scenario",
            "clean",
            "--compact",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    for name in [
        "clean_0000.csv",
        "clean_0000.truth.json",
        "clean_0001.csv",
        "clean_0001.truth.json",
    ] {
        assert!(dir.path().join(name).is_file(), "{name} missing");
    }
    let report = evaluate_json(dir.path());
    assert_eq!(report["overall"]["recordings"], 2, "{report:#}");
    assert_eq!(report["failures"].as_array().unwrap().len(), 0);
    // Clean single sets are counted exactly.
    assert_eq!(report["overall"]["exact_count_rate"], 1.0, "{report:#}");
}

#[test]
fn simulate_rejects_an_unknown_layout_and_scenario() {
    let dir = tempfile::tempdir().unwrap();
    for args in [["--format", "excel"], ["--scenario", "running"]] {
        let assert = Command::cargo_bin("kickback")
            .unwrap()
            .arg("simulate")
            .args(args)
            .arg("--out")
            .arg(dir.path())
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(err.contains(args[1]), "{err}");
    }
}

#[test]
fn evaluate_says_when_there_is_nothing_to_score() {
    let dir = tempfile::tempdir().unwrap();
    let assert = Command::cargo_bin("kickback")
        .unwrap()
        .arg("evaluate")
        .arg(dir.path())
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("truth.json"), "{err}");
}

/// Real recordings' labels (`rep_count`, optional `reps[]`, `segments[]`):
/// negatives give false reps per hour, positives exact counts, and a
/// recording that cannot be read makes the exit code 2.
#[test]
fn evaluate_reads_the_labelled_layout() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::copy(
        root.join("testdata/sample.csv"),
        dir.path().join("sub/set.csv"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("sub/set.truth.json"),
        r#"{"rep_count": 20, "exercise": "kickback", "execution_type": "mixed"}"#,
    )
    .unwrap();
    std::fs::copy(
        root.join("testdata/clean_0000.csv"),
        dir.path().join("walk.csv"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("walk.truth.json"),
        r#"{"rep_count": 0, "segments": [{"start_s": 0, "end_s": 3600, "activity": "walking"}]}"#,
    )
    .unwrap();
    let report = evaluate_json(dir.path());
    let l = &report["labelled"];
    assert_eq!(l["recordings"].as_array().unwrap().len(), 2, "{report:#}");
    assert_eq!(
        l["summary"]["exact_by_group"]["kickback / mixed"],
        serde_json::json!([1, 1, 1]),
        "{report:#}"
    );
    // A kickback recording labelled as an hour of walking: its reps are
    // false reps in that hour.
    let walk = &l["summary"]["false_reps_by_activity"]["walking"];
    assert!(
        walk[0].as_u64().unwrap() > 0 && walk[1] == 1.0,
        "{report:#}"
    );

    std::fs::write(dir.path().join("broken.csv"), "time,ax\n1,2\n").unwrap();
    std::fs::write(dir.path().join("broken.truth.json"), r#"{"rep_count": 1}"#).unwrap();
    let assert = Command::cargo_bin("kickback")
        .unwrap()
        .arg("evaluate")
        .arg(dir.path())
        .assert()
        .code(2);
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(out.contains("broken"), "{out}");
}

/// An app layout is written file by file through the command's atomic
/// writer: every file of the export, the truth file beside it, no
/// temporary file left, and `evaluate` reads it back.
#[test]
fn simulate_writes_an_app_layout_that_evaluate_reads() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("kickback")
        .unwrap()
        .args([
            "simulate",
            "--count",
            "1",
            "--scenario",
            "clean",
            "--compact",
        ])
        .args(["--format", "sensor-logger-ios", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let export = dir.path().join("clean_0000");
    for name in [
        "Accelerometer.csv",
        "Gravity.csv",
        "Gyroscope.csv",
        "Metadata.csv",
    ] {
        assert!(export.join(name).is_file(), "{name} missing");
    }
    assert!(dir.path().join("clean_0000.truth.json").is_file());
    for folder in [dir.path(), export.as_path()] {
        for e in std::fs::read_dir(folder).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.ends_with(".tmp"), "temporary file left: {name}");
        }
    }
    let report = evaluate_json(dir.path());
    assert_eq!(report["overall"]["recordings"], 1, "{report:#}");
}
