//! `kickback simulate` writes labelled recordings that `kickback evaluate`
//! scores; both end to end through the binary.

use assert_cmd::Command;

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
    let out = Command::cargo_bin("kickback")
        .unwrap()
        .arg("evaluate")
        .arg(dir.path())
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
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
