//! What the user sees of `check` and `plot` outputs: nothing of theirs
//! written over, files with the umask's mode, stale temporary files cleaned,
//! a status and exit code for each kind of unusable recording, every per-rep
//! field in the CSV, and control bytes escaped.

mod common;

use assert_cmd::Command;
use common::*;
use std::path::Path;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("kickback")
        .unwrap()
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A generic CSV: `n` samples at `hz` with acceleration `acc` (m/s²).
fn still(n: usize, hz: f64, acc: [&str; 3]) -> String {
    let mut s = "time,ax,ay,az,gx,gy,gz\n".to_string();
    for i in 0..n {
        s += &format!(
            "{:.4},{},{},{},0,0,0\n",
            i as f64 / hz,
            acc[0],
            acc[1],
            acc[2]
        );
    }
    s
}

#[test]
fn every_way_an_output_could_name_an_input_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let rec = good();
    write(d, "victim.csv", &rec);
    // A recording whose name ends in .svg (the reader goes by content).
    write(d, "rec.svg", &rec);
    std::fs::hard_link(d.join("victim.csv"), d.join("hard.svg")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("victim.csv"), d.join("sym.svg")).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["plot", "victim.csv", "-o", "victim.csv"], "unsupported"),
        (&["plot", "rec.svg", "-o", "rec.svg"], "same"),
        (&["plot", "rec.svg", "-o", "./rec.svg"], "same"),
        (&["plot", "victim.csv", "-o", "hard.svg"], "link"),
        #[cfg(unix)]
        (&["plot", "victim.csv", "-o", "sym.svg"], "link"),
        (&["plot", "victim.csv", "-o", "./hard.svg"], "link"),
        (&["plot", "victim.csv", "-o", "victim.txt"], "unsupported"),
        (&["check", "victim.csv", "--output", "victim.csv"], "folder"),
    ];
    for (args, why) in cases {
        let r = run(d, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        let expect = match *why {
            "unsupported" => "end it in .svg or .png",
            "link" => "(the same file through a link)",
            "same" => "it is an input of this command",
            _ => "--output victim.csv: this folder is an input",
        };
        assert!(r.stderr.contains(expect), "{args:?}: {}", r.stderr);
        for f in ["victim.csv", "rec.svg"] {
            assert_eq!(
                std::fs::read_to_string(d.join(f)).unwrap(),
                rec,
                "{args:?} changed the input"
            );
        }
    }
}

#[test]
fn files_are_written_with_the_umask_and_stale_temporaries_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "in/good.csv", &good());
    // What a run killed mid-write leaves: our name pattern with a process id
    // that cannot exist (above Linux's 2^22 limit). Other files stay.
    write(d, "out/.good.json.kickback-4194305-0.tmp", "half");
    write(d, "out/.keep.tmp", "mine");
    write(
        d,
        "out/notes.kickback-4194305-0.tmp",
        "not hidden: not ours",
    );
    let r = run(d, &["check", "in", "--output", "out", "--plot"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let mut names: Vec<String> = std::fs::read_dir(d.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".keep.tmp",
            "good.json",
            "good.svg",
            "notes.kickback-4194305-0.tmp"
        ]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // The test runs under the umask it inherited; a child shell sets 027.
        let mode = |p: &str| std::fs::metadata(d.join(p)).unwrap().permissions().mode() & 0o777;
        let umask = {
            let out = std::process::Command::new("sh")
                .args(["-c", "umask"])
                .output()
                .unwrap();
            u32::from_str_radix(String::from_utf8_lossy(&out.stdout).trim(), 8).unwrap()
        };
        assert_eq!(mode("out/good.json"), 0o666 & !umask);
        let status = std::process::Command::new("sh")
            .current_dir(d)
            .args([
                "-c",
                &format!(
                    "umask 027 && exec '{}' plot in/good.csv -o g.svg",
                    assert_cmd::cargo::cargo_bin("kickback").display()
                ),
            ])
            .status()
            .unwrap();
        assert!(status.success());
        assert_eq!(mode("g.svg"), 0o640);
    }
}

#[test]
fn each_unusable_kind_has_its_status_and_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let g = ["0", "0", "9.81"];
    write(d, "slow.csv", &still(300, 5.0, g));
    write(
        d,
        "no_gravity.csv",
        &still(3000, 100.0, ["0.01", "0.02", "0.01"]),
    );
    write(d, "short.csv", &still(50, 100.0, g));
    write(d, "invalid.csv", &still(300, 100.0, ["inf", "inf", "inf"]));
    write(d, "nogyro.csv", &{
        let mut s = "time,ax,ay,az\n".to_string();
        for i in 0..1000 {
            s += &format!("{:.3},0,0,9.81\n", i as f64 / 100.0);
        }
        s
    });
    write(d, "good.csv", &good());
    let r = run(d, &["check", ".", "--format", "json"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let by = |name: &str| {
        v["recordings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["source"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no {name} in {v}"))
            .clone()
    };
    for (file, kind) in [
        ("slow.csv", "rate_too_low"),
        ("no_gravity.csv", "units_contradict"),
        ("short.csv", "too_short"),
        ("invalid.csv", "no_valid_samples"),
    ] {
        let o = by(file);
        assert_eq!(o["status"], "unusable", "{o}");
        assert_eq!(o["unusable"]["kind"], kind, "{o}");
        assert_eq!(o["fails"], true);
    }
    let o = by("nogyro.csv");
    assert_eq!(o["status"], "warnings", "{o}");
    assert_eq!(o["gyroscope"], false);
    assert_eq!(o["warning_kinds"][0], "no_gyroscope");
    let o = by("good.csv");
    assert_eq!(o["status"], "ok");
    assert_eq!(o["format"], "generic");
    assert_eq!(o["sample_rate_hz"].as_f64().map(f64::round), Some(100.0));
    assert_eq!(v["totals"]["unusable"], 4);
    assert_eq!(v["totals"]["warnings"], 1);

    // The table says why, and the exit status follows --fail-on.
    let r = run(d, &["check", "slow.csv", "nogyro.csv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.contains("the analysis needs at least 12.5 Hz"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Exit status 2: 1 recording is unusable."),
        "{}",
        r.stdout
    );
    assert_eq!(
        run(d, &["check", "slow.csv", "--fail-on", "momentum"]).code,
        0
    );
    assert_eq!(run(d, &["check", "nogyro.csv"]).code, 0);
    assert_eq!(
        run(d, &["check", "nogyro.csv", "--fail-on", "warnings"]).code,
        1
    );
    let r = run(d, &["check", "slow.csv", "--format", "csv"]);
    let mut rd = csv::Reader::from_reader(r.stdout.as_bytes());
    let h = rd.headers().unwrap().clone();
    let row = rd.records().next().unwrap().unwrap();
    let col = |name: &str| &row[h.iter().position(|x| x == name).unwrap()];
    assert_eq!(col("status"), "unusable");
    // The reader refuses it before anything else is known of it.
    assert!(col("unusable").contains("5.000 Hz"), "{:?}", row);
}

#[test]
fn per_rep_csv_carries_every_field_of_the_json() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "swing.csv", &swinging());
    let j = run(d, &["check", "swing.csv", "--format", "json", "--per-rep"]);
    let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    let rep = &v["reps"][0];
    let c = run(d, &["check", "swing.csv", "--format", "csv", "--per-rep"]);
    let mut rd = csv::Reader::from_reader(c.stdout.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let row = rd.records().next().unwrap().unwrap();
    for (key, value) in rep.as_object().unwrap() {
        match value {
            serde_json::Value::Object(o) => {
                for (k, x) in o {
                    let name = format!("{key}_{k}");
                    let i = header.iter().position(|h| *h == name);
                    let i = i.unwrap_or_else(|| panic!("no column {name} in {header:?}"));
                    let want = x
                        .as_f64()
                        .unwrap_or(x.as_bool().map_or(-1.0, |b| b as u8 as f64));
                    assert!(
                        (row[i].parse::<f64>().unwrap() - want).abs() < 0.01,
                        "{name}"
                    );
                }
            }
            serde_json::Value::Array(_) => {} // faults: one 0/1 column each
            _ => assert!(header.contains(key), "no column {key} in {header:?}"),
        }
    }
}

#[test]
fn control_bytes_from_files_never_reach_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let name = "esc\x1b[31mred\x07.csv";
    write(d, name, "time,ax,ay,az\n0,1,\x1b[2J,3\n");
    for args in [
        vec!["check", name],
        vec!["analyze", name],
        vec!["check", name, "--format", "csv", "--per-rep"],
    ] {
        let r = run(d, &args);
        assert_eq!(r.code, 2);
        let all = r.stdout.clone() + &r.stderr;
        assert!(
            !all.contains('\x1b') && !all.contains('\x07'),
            "{args:?}: {all:?}"
        );
        assert!(all.contains("esc\\x1b[31mred\\x07.csv"), "{args:?}: {all}");
    }
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn plot_png_is_a_real_png() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "good.csv", &good());
    let r = run(d, &["plot", "good.csv", "-o", "good.PNG"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (w, h) = png_size(&std::fs::read(d.join("good.PNG")).unwrap());
    assert_eq!(w, 1600, "one screen wide");
    assert!((400..4000).contains(&h), "{w}x{h}");
    let r = run(d, &["check", "--output", "out", "--plot=png", "good.csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    png_size(&std::fs::read(d.join("out/good.png")).unwrap());
    // A bare --plot never swallows the path after it.
    let r = run(d, &["check", "--plot", "good.csv", "--output", "svg"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(d.join("svg/good.svg"))
        .unwrap()
        .starts_with("<svg"));
}

#[test]
fn the_summary_coaches_each_set_and_each_fault() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "swing.csv", &swinging());
    write(d, "lumbar.csv", &lumbar());
    write(d, "partial.csv", &partial());
    write(d, "good.csv", &good());
    let cue_of = |fault: &str| match fault {
        "momentum" => "slow the lift: about 2 s up and a 1 s squeeze at the top",
        "lumbar_overextension" => "stop the kick where the hips stop; brace the trunk",
        _ => "finish each rep as far back as the first ones",
    };
    for file in ["swing.csv", "lumbar.csv", "partial.csv", "good.csv"] {
        let j = run(d, &["analyze", file, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
        let table = run(d, &["analyze", file]).stdout;
        // One cue per fault found, in JSON and in the table, with its reason.
        let found: Vec<&str> = ["momentum", "lumbar_overextension", "partial_range"]
            .into_iter()
            .filter(|f| v["summary"][*f].as_u64().unwrap() > 0)
            .collect();
        let cues = v["cues"].as_array().unwrap();
        assert_eq!(cues.len(), found.len(), "{file}: {cues:?}");
        for (c, f) in cues.iter().zip(&found) {
            assert_eq!(c["fault"], *f);
            assert_eq!(c["text"], cue_of(f));
            assert!(c["reason"].as_str().unwrap().contains("BIOMECHANICS §"));
            assert!(table.contains(cue_of(f)), "{file}: {table}");
        }
        assert_eq!(
            found.is_empty(),
            !table.contains("What to change:"),
            "{table}"
        );
        // Each set: reps, range and spread, tempo, time under tension, rest.
        for (i, set) in v["sets"].as_array().unwrap().iter().enumerate() {
            let s = &set["summary"];
            assert_eq!(s["reps"], set["rep_count"]);
            for key in ["range_deg", "tempo", "time_under_tension_s"] {
                assert!(!s[key].is_null(), "{file}: {s}");
            }
            assert_eq!(s["rest_before_s"].is_null(), i == 0);
            assert!(s["tempo"]["up_s"].as_f64().unwrap() > 0.0);
        }
        let n = v["rep_count"].as_u64().unwrap();
        let set = &v["sets"][0]["summary"];
        let line = format!(
            "range {:.0}° ± {:.0}°;",
            set["range_deg"]["mean"].as_f64().unwrap(),
            set["range_deg"]["sd"].as_f64().unwrap()
        );
        assert!(table.contains(&line), "{file}: {line} in {table}");
        assert!(
            table.contains(&format!("Summary: {n} reps in 1 set;")),
            "{table}"
        );
    }
    // A wind-up is no range: swinging reps start below the rest pose, and
    // their range is still their rise above it (at most the peak); the
    // swing in front is reported as the wind-up.
    let v: serde_json::Value =
        serde_json::from_str(&run(d, &["analyze", "swing.csv", "--format", "json"]).stdout)
            .unwrap();
    let reps = v["reps"].as_array().unwrap();
    assert!(!reps.is_empty(), "{v}");
    for r in reps {
        let (range, peak) = (
            r["range_deg"].as_f64().unwrap(),
            r["peak_elevation_deg"].as_f64().unwrap(),
        );
        assert!(range <= peak + 0.01, "range {range} above peak {peak}: {r}");
    }
    assert!(
        reps.iter()
            .any(|r| r["windup_deg"].as_f64().is_some_and(|w| w >= 8.0)),
        "the swinging reps start from a wind-up: {v}"
    );
}

#[test]
fn the_sample_plot_says_the_rest_pose_was_re_anchored_instead_of_drawing_a_jump() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/sample.csv");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sample.svg");
    let r = run(
        tmp.path(),
        &[
            "plot",
            sample.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("width=\"1600\""));
    assert!(
        svg.contains("Rest pose re-anchored once (first at 0:11.4"),
        "the +12° to -10° step at set 1 is the engine's re-anchoring"
    );
    for want in [
        "Set 1 · 7 reps",
        "Set 2 · 6 reps",
        "Set 3 · 7 reps",
        "What to change:",
    ] {
        assert!(svg.contains(want), "{want}");
    }
}
