//! End-to-end tests of `kickback check`, `plot` and `config` (the binary).

mod common;

use assert_cmd::Command;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn kickback(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("kickback").unwrap();
    c.current_dir(cwd);
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    let out = kickback(cwd).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// The engine's report of one file (`analyze --format json`): the oracle for
/// counts, so these tests check the command, not the engine's tuning.
fn analysis(cwd: &Path, file: &str) -> serde_json::Value {
    let r = run(cwd, &["analyze", file, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn count(v: &serde_json::Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or_else(|| panic!("no {key} in {v}"))
}

fn line_of<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting with {start:?} in\n{text}"))
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn a_folder_with_good_and_bad_files_lists_the_errors_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "data/good.csv", &good());
    write(d, "data/deep/lumbar.csv", &lumbar());
    write(d, "data/deep/bad.csv", &bad());
    write(d, "data/empty.csv", "");
    let r = run(d, &["check", "data", "missing.csv"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    let (g, l) = (
        analysis(d, "data/good.csv"),
        analysis(d, "data/deep/lumbar.csv"),
    );
    let (g_reps, l_reps, l_lumbar) = (
        count(&g, "rep_count"),
        count(&l, "rep_count"),
        count(&l["summary"], "lumbar_overextension"),
    );
    assert!(g_reps >= 4 && l_lumbar >= 3, "the test recordings: {g} {l}");
    let good = line_of(&r.stdout, "data/good.csv");
    assert!(good.ends_with("  ok"), "{good}");
    // recording, format, Hz, gyroscope, reps, sets, faults, warnings, verdict
    let cols: Vec<&str> = good.split_whitespace().collect();
    assert_eq!(
        cols[1..6],
        ["generic", "100", "yes", &g_reps.to_string(), "1"],
        "{good}"
    );
    let lumbar = line_of(&r.stdout, "data/deep/lumbar.csv");
    assert!(
        lumbar.ends_with(&format!("faults: lumbar {l_lumbar}")),
        "{lumbar}"
    );
    let bad = line_of(&r.stdout, "data/deep/bad.csv");
    assert!(
        bad.contains(
            "error: data/deep/bad.csv:5:3: expected a number for column \"ay\", found \"oops\""
        ),
        "{bad}"
    );
    assert!(line_of(&r.stdout, "data/empty.csv").contains("error: data/empty.csv"));
    assert!(
        line_of(&r.stdout, "missing.csv").contains("error: missing.csv: no such file or folder")
    );
    let total = line_of(&r.stdout, "total");
    let reps = (g_reps + l_reps).to_string();
    let lum = l_lumbar.to_string();
    assert_eq!(
        total.split_whitespace().collect::<Vec<_>>(),
        ["total", &reps, "2", "0", &lum, "0"]
    );
    assert!(
        r.stdout.contains(&format!(
            "5 recordings: 1 ok, 1 with faults, 0 with warnings, 0 unusable, 3 unreadable; {reps} reps in 2 sets."
        )),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("Exit status 2: 3 recordings could not be read."),
        "{}",
        r.stdout
    );
    // Piped: no progress bar on stderr.
    assert!(!r.stderr.contains("recordings ("), "{}", r.stderr);
}

#[test]
fn fail_on_decides_between_1_and_0() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "good.csv", &good());
    write(d, "lumbar.csv", &lumbar());
    write(d, "swing.csv", &swinging());
    write(d, "partial.csv", &partial());
    let code = |args: &[&str]| {
        let mut a = vec!["check"];
        a.extend_from_slice(args);
        let r = run(d, &a);
        (r.code, r.stdout)
    };
    // What the engine finds in the test recordings (checked here so a change in
    // the engine's tuning shows up as such, not as a CLI failure).
    let sum = |f: &str| analysis(d, f)["summary"].clone();
    assert_eq!(
        sum("good.csv"),
        serde_json::json!({"momentum": 0, "lumbar_overextension": 0, "partial_range": 0})
    );
    assert!(
        count(&sum("lumbar.csv"), "lumbar_overextension") > 0
            && count(&sum("lumbar.csv"), "momentum") == 0
    );
    assert!(count(&sum("swing.csv"), "momentum") > 0);
    let p = sum("partial.csv");
    assert!(
        count(&p, "partial_range") == 1
            && count(&p, "momentum") == 0
            && count(&p, "lumbar_overextension") == 0,
        "{p}"
    );

    assert_eq!(code(&["good.csv"]).0, 0);
    let (c, out) = code(&["good.csv", "lumbar.csv"]);
    assert_eq!(c, 1, "{out}");
    assert!(out.contains("Exit status 1: 1 recording has a fault or warning named in --fail-on (momentum, lumbar_overextension, unusable, error)."), "{out}");
    let (c, out) = code(&["swing.csv"]);
    assert_eq!(c, 1, "{out}");
    assert!(
        line_of(&out, "swing.csv").contains("faults: momentum"),
        "{out}"
    );
    assert_eq!(code(&["lumbar.csv", "--fail-on", "momentum"]).0, 0);
    assert_eq!(code(&["swing.csv", "lumbar.csv", "--fail-on", "none"]).0, 0);
    // A partial rep fails the check only when asked.
    let (c, out) = code(&["partial.csv"]);
    assert_eq!(c, 0, "{out}");
    assert!(
        line_of(&out, "partial.csv").ends_with("faults: partial 1"),
        "{out}"
    );
    assert_eq!(
        code(&["partial.csv", "--fail-on", "partial-range,momentum"]).0,
        1
    );
    assert_eq!(code(&["partial.csv", "--fail-on", "all"]).0, 1);
    // Faults as the table spells them.
    assert_eq!(code(&["lumbar.csv", "--fail-on", "lumbar"]).0, 1);
    assert_eq!(code(&["partial.csv", "--fail-on", "partial"]).0, 1);
    assert_eq!(code(&["partial.csv", "--fail-on", "faults"]).0, 1);
    // Usage errors are 2.
    let r = run(d, &["check", "good.csv", "--fail-on", "wobble"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown fault or status `wobble`"),
        "{}",
        r.stderr
    );
    assert_eq!(run(d, &["check"]).code, 2);
    assert_eq!(run(d, &["check", "good.csv", "--jobs", "0"]).code, 2);
    assert_eq!(run(d, &["check", "good.csv", "--plot"]).code, 2);
    assert_eq!(run(d, &["check", "good.csv", "--per-rep"]).code, 2);
    // An unreadable recording outranks faults.
    write(d, "bad.csv", &bad());
    assert_eq!(code(&["lumbar.csv", "bad.csv"]).0, 2);
}

#[test]
fn help_documents_the_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run(tmp.path(), &["check", "--help"]);
    assert_eq!(r.code, 0);
    for want in [
        "Exit status:",
        "0  no recording fails the check",
        "1  some recording has a fault",
        "unusable (read, but no valid samples",
        "2  usage error",
        "--fail-on",
        "--jobs",
    ] {
        assert!(r.stdout.contains(want), "missing {want:?} in\n{}", r.stdout);
    }
}

#[test]
fn json_and_csv_parse() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "a/good.csv", &good());
    write(d, "a/lumbar.csv", &lumbar());
    write(d, "a/bad.csv", &bad());

    let r = run(d, &["check", "a", "--format", "json", "--jobs", "2"]);
    assert_eq!(r.code, 2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let recs = v["recordings"].as_array().unwrap();
    let sources: Vec<&str> = recs.iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert_eq!(sources, ["a/bad.csv", "a/good.csv", "a/lumbar.csv"]);
    assert_eq!(recs[0]["status"], "error");
    assert!(recs[0]["error"]
        .as_str()
        .unwrap()
        .starts_with("a/bad.csv:5:3: "));
    assert!(recs[0]["rep_count"].is_null());
    assert_eq!(recs[1]["status"], "ok");
    assert!(recs[1]["error"].is_null());
    let (g, l) = (analysis(d, "a/good.csv"), analysis(d, "a/lumbar.csv"));
    assert_eq!(recs[1]["rep_count"], g["rep_count"]);
    assert_eq!(recs[1]["set_count"], 1);
    assert_eq!(recs[2]["status"], "faults");
    assert_eq!(recs[2]["summary"], l["summary"]);
    assert!(count(&l["summary"], "lumbar_overextension") > 0);
    assert_eq!(recs[2]["fails"], true);
    assert_eq!(v["totals"]["recordings"], 3);
    assert_eq!(v["totals"]["errors"], 1);
    let n = count(&g, "rep_count") + count(&l, "rep_count");
    assert_eq!(v["totals"]["reps"], n);
    assert_eq!(v["totals"]["exit_code"], 2);

    let r = run(
        d,
        &[
            "check",
            "a/good.csv",
            "a/lumbar.csv",
            "--format",
            "json",
            "--per-rep",
        ],
    );
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let reps = v["reps"].as_array().unwrap();
    assert_eq!(reps.len() as u64, n);
    assert_eq!(reps[0]["source"], "a/good.csv");
    assert_eq!(reps[0]["index"], 1);
    assert_eq!(reps[0], {
        let mut r = g["reps"][0].clone();
        r["source"] = "a/good.csv".into();
        r
    });
    let last = reps.last().unwrap();
    assert_eq!(last["source"], "a/lumbar.csv");
    assert_eq!(
        last["faults"],
        l["reps"].as_array().unwrap().last().unwrap()["faults"]
    );
    assert_eq!(v["errors"].as_array().unwrap().len(), 0);

    // The same rows in the same order whatever the number of workers.
    let one = run(d, &["check", "a", "--format", "json", "--jobs", "1"]);
    assert_eq!(
        one.stdout,
        run(d, &["check", "a", "--format", "json", "--jobs", "2"]).stdout
    );

    let r = run(d, &["check", "a", "--format", "csv"]);
    assert_eq!(r.code, 2);
    let mut rd = csv::Reader::from_reader(r.stdout.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..5],
        ["source", "status", "error", "rep_count", "set_count"]
    );
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][1], "error");
    assert!(rows[0][2].contains("bad.csv:5:3"));
    assert_eq!(rows[1][3], g["rep_count"].to_string());

    let r = run(d, &["check", "a", "--format", "csv", "--per-rep"]);
    assert_eq!(r.code, 2);
    let mut rd = csv::Reader::from_reader(r.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as u64, n);
    let lumbar_rows = rows.iter().filter(|r| &r[13] == "1").count() as u64;
    assert_eq!(
        lumbar_rows,
        count(&l["summary"], "lumbar_overextension"),
        "lumbar column"
    );
    // The unreadable file is reported on stderr, where per-rep rows cannot hold it.
    assert!(r.stderr.contains("a/bad.csv:5:3"), "{}", r.stderr);
}

#[test]
fn globs_and_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "g/one.csv", &good());
    write(d, "g/two.csv", &good());
    write(d, "g/notes.txt", "not a recording");
    let r = run(d, &["check", "g/*.csv", "g/one.csv", "g", "nothing/*.csv"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let rows: Vec<&str> = r
        .stdout
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("total"))
        .collect();
    assert_eq!(rows.len(), 3, "{}", r.stdout);
    assert!(rows[0].starts_with("g/one.csv") && rows[1].starts_with("g/two.csv"));
    assert!(rows[2].contains("error: nothing/*.csv: no files match this pattern"));
}

#[test]
fn output_writes_reports_and_plots_without_touching_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "in/a/data.csv", &lumbar());
    write(d, "in/b/data.csv", &good());
    write(d, "in/c/bad.csv", &bad());
    let before = snapshot(&d.join("in"));
    // A stale report is replaced whole.
    write(d, "out/bad.json", "stale");

    let r = run(
        d,
        &[
            "check", "in", "--output", "out", "--plot", "--format", "json",
        ],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert_eq!(snapshot(&d.join("in")), before, "inputs changed");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(d.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // Two data.csv: two names, each with a hash of its path; no temporary files left.
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(names.contains(&"bad.json".to_string()));
    let data: Vec<&String> = names.iter().filter(|n| n.starts_with("data-")).collect();
    assert_eq!(data.len(), 4, "{names:?}");
    assert_eq!(
        std::fs::read_to_string(d.join("out/bad.json")).unwrap(),
        "stale",
        "an unreadable recording writes nothing"
    );

    for rec in v["recordings"].as_array().unwrap() {
        if rec["status"] == "error" {
            assert!(rec["report"].is_null());
            continue;
        }
        let report = rec["report"].as_str().unwrap();
        assert!(report.starts_with("out/data-"), "{report}");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join(report)).unwrap()).unwrap();
        // The same JSON as `analyze --format json`.
        let src = rec["source"].as_str().unwrap();
        let analyze = run(d, &["analyze", src, "--format", "json"]);
        assert_eq!(
            json,
            serde_json::from_str::<serde_json::Value>(&analyze.stdout).unwrap()
        );
        let svg = std::fs::read_to_string(d.join(rec["plot"].as_str().unwrap())).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("lumbar limit 65°"));
    }
}

#[test]
fn output_refuses_input_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "in/good.csv", &good());
    // A Sensor Logger export folder is one recording.
    write(
        d,
        "in/export/Accelerometer.csv",
        "time,seconds_elapsed,z,y,x\n",
    );
    write(d, "in/export/Gyroscope.csv", "time,seconds_elapsed,z,y,x\n");
    write(d, "in/export/Metadata.csv", "version\n1\n");
    let before = snapshot(&d.join("in"));
    let r = run(d, &["check", "in", "--output", "in"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--output in: this folder is an input"),
        "{}",
        r.stderr
    );
    let r = run(d, &["check", "in", "--output", "in/export/reports"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("is inside the recording in/export"),
        "{}",
        r.stderr
    );
    assert!(
        !d.join("in/export/reports").exists(),
        "the refused folder was created"
    );
    // An explicit input that is also the output's name is never overwritten.
    write(d, "x/good.json", &good());
    let r = run(d, &["check", "x/good.json", "--output", "x"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(snapshot(&d.join("in")), before);
    assert_eq!(
        std::fs::read_to_string(d.join("x/good.json")).unwrap(),
        good()
    );
}

#[test]
fn settings_file_flags_and_defaults_take_precedence_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "lumbar.csv", &lumbar());
    let lumbar_count = |r: &Run| -> u64 {
        let v: serde_json::Value = serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr));
        v["recordings"][0]["summary"]["lumbar_overextension"]
            .as_u64()
            .unwrap()
    };
    // Defaults: limit 65°, the 78° reps are flagged.
    let flagged = count(
        &analysis(d, "lumbar.csv")["summary"],
        "lumbar_overextension",
    );
    assert!(flagged >= 3);
    assert_eq!(
        lumbar_count(&run(d, &["check", "lumbar.csv", "--format", "json"])),
        flagged
    );
    // ./kickback.toml: limit 60 + 25 = 85°, not flagged.
    write(
        d,
        "kickback.toml",
        "[lumbar]\ntorso_hinge_deg = 60\nhip_extension_limit_deg = 25\n",
    );
    let r = run(d, &["check", "lumbar.csv", "--format", "json"]);
    assert_eq!((lumbar_count(&r), r.code), (0, 0));
    // A flag overrides the file: limit 45 + 25 = 70°.
    let r = run(
        d,
        &[
            "check",
            "lumbar.csv",
            "--format",
            "json",
            "--torso-hinge",
            "45",
        ],
    );
    assert_eq!((lumbar_count(&r), r.code), (flagged, 1));
    let r = run(
        d,
        &[
            "check",
            "lumbar.csv",
            "--format",
            "json",
            "--set",
            "lumbar.hip_extension_limit_deg=40",
        ],
    );
    assert_eq!(lumbar_count(&r), 0);
    // --config replaces ./kickback.toml.
    write(d, "strict.toml", "[lumbar]\ntorso_hinge_deg = 40\n");
    let r = run(
        d,
        &[
            "check",
            "lumbar.csv",
            "--format",
            "json",
            "--config",
            "strict.toml",
        ],
    );
    assert_eq!(lumbar_count(&r), flagged);
    // `analyze` reads the file too.
    let r = run(d, &["analyze", "lumbar.csv", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["summary"]["lumbar_overextension"], 0);
    // `config` shows what is in force.
    let r = run(d, &["config", "--hip-extension-limit", "10"]);
    assert!(
        r.stdout.contains("overridden by kickback.toml"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("torso_hinge_deg = 60.0\n"),
        "{}",
        r.stdout
    );
    let hip_default = kickback::Settings::default().lumbar.hip_extension_limit_deg;
    assert!(
        r.stdout.contains(&format!(
            "# unit: deg; default: {hip_default:?}\nhip_extension_limit_deg = 10.0\n"
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn settings_file_errors_name_file_line_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "good.csv", &good());
    write(
        d,
        "kickback.toml",
        "[reps]\nmin_rise_deg = 12\n\n[lumbar]\ntorso_hinge = 40\n",
    );
    for cmd in [
        &["check", "good.csv"][..],
        &["analyze", "good.csv"],
        &["plot", "good.csv", "-o", "x.svg"],
    ] {
        let r = run(d, cmd);
        assert_eq!(r.code, 2, "{cmd:?}");
        assert!(
            r.stderr.contains("kickback.toml:5:1: unknown key `lumbar.torso_hinge`, expected `torso_hinge_deg` or `hip_extension_limit_deg`"),
            "{cmd:?}: {}",
            r.stderr
        );
    }
    assert!(!d.join("x.svg").exists());
    write(d, "range.toml", "[sets]\nrest_s = -3\n");
    let r = run(d, &["check", "good.csv", "--config", "range.toml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("invalid settings in range.toml: setting `sets.rest_s` = -3"),
        "{}",
        r.stderr
    );
    // The flag fixes it.
    assert_eq!(
        run(
            d,
            &[
                "check",
                "good.csv",
                "--config",
                "range.toml",
                "--set-rest",
                "10"
            ]
        )
        .code,
        0
    );
    let r = run(d, &["check", "good.csv", "--config", "nope.toml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope.toml: no such file"), "{}", r.stderr);
    let r = run(
        d,
        &[
            "check",
            "good.csv",
            "--config",
            "range.toml",
            "--set",
            "sets.rest=1",
        ],
    );
    assert!(
        r.stderr.contains("unknown setting `sets.rest`"),
        "{}",
        r.stderr
    );
}

#[test]
fn config_defaults_prints_every_setting_with_unit_and_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // Defaults ignore the local file.
    write(d, "kickback.toml", "[lumbar]\ntorso_hinge_deg = 60\n");
    let r = run(d, &["config", "--defaults"]);
    assert_eq!(r.code, 0);
    let table: toml::Table = r.stdout.parse().unwrap();
    assert_eq!(table.len(), 6, "sections");
    let parsed: kickback::Settings = toml::from_str(&r.stdout).unwrap();
    assert_eq!(parsed, kickback::Settings::default());
    let values = r
        .stdout
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains(" = "))
        .count();
    let units = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("# unit: "))
        .count();
    assert_eq!(values, units);
    assert!(values >= 27, "{values}");
    assert!(
        r.stdout.contains(&format!(
            "# unit: g\ngait_impact_g = {:?}\n",
            kickback::Settings::default().reps.gait_impact_g
        )),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("upper end of adult norms"),
        "{}",
        r.stdout
    );
    // The printed file is a valid settings file.
    write(d, "defaults.toml", &r.stdout);
    assert_eq!(
        run(d, &["check", "--config", "defaults.toml", "kickback.toml"]).code,
        2
    );
    write(d, "good.csv", &good());
    assert_eq!(
        run(d, &["check", "--config", "defaults.toml", "good.csv"]).code,
        0
    );
}

#[test]
fn plot_shows_rep_numbers_faults_limit_and_sets() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "lumbar.csv", &lumbar());
    let r = run(d, &["plot", "lumbar.csv", "-o", "lumbar.svg"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let svg = std::fs::read_to_string(d.join("lumbar.svg")).unwrap();
    let texts: Vec<String> = svg
        .split("<text")
        .skip(1)
        .filter_map(|s| {
            Some(
                s.split_once('>')?
                    .1
                    .split("</text>")
                    .next()?
                    .trim()
                    .to_string(),
            )
        })
        .collect();
    let a = analysis(d, "lumbar.csv");
    let (n, lumbar) = (
        count(&a, "rep_count"),
        count(&a["summary"], "lumbar_overextension"),
    );
    assert!(n >= 3 && lumbar >= 3, "{a}");
    let numbers: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
    let set = format!("Set 1 · {n} reps");
    let mut wanted: Vec<&str> = numbers.iter().map(String::as_str).collect();
    wanted.extend(["lumbar limit 65°", &set, "lumbar.csv"]);
    for want in wanted {
        assert!(
            texts.iter().any(|t| t == want),
            "missing {want:?} in {texts:?}"
        );
    }
    assert_eq!(
        texts.iter().filter(|t| *t == "lumbar").count() as u64,
        lumbar,
        "{texts:?}"
    );
    assert!(
        !texts.iter().any(|t| *t == (n + 1).to_string()),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains(&format!("lower back arched {lumbar}"))),
        "{texts:?}"
    );
    // The trace is drawn.
    assert!(svg.contains("<polyline"));
    // Settings apply: a more upright torso lowers the limit.
    let r = run(
        d,
        &[
            "plot",
            "lumbar.csv",
            "-o",
            "upright.svg",
            "--torso-hinge",
            "30",
        ],
    );
    assert_eq!(r.code, 0);
    let svg = std::fs::read_to_string(d.join("upright.svg")).unwrap();
    assert!(svg.contains("lumbar limit 50°"));
    // Unreadable input: exit 2, no file.
    write(d, "bad.csv", &bad());
    let r = run(d, &["plot", "bad.csv", "-o", "bad.svg"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.csv:5:3"), "{}", r.stderr);
    assert!(!d.join("bad.svg").exists());
}
