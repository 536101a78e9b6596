//! Builds `examples/c/stream_csv.c` with the system C compiler against the
//! static library, runs it on simulated recordings written as CSV, and checks
//! its reps against what `kickback analyze` computes for the same file (the
//! formats reader feeding `kickback::analyze`, as the CLI does).
//!
//! Without a C compiler (`$CC`, else `cc`) the test says so and passes.

use kickback::{analyze, Settings};
use kickback_sim::{generate_with, Scenario, SimOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

fn compiler() -> Option<String> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    match Command::new(&cc).arg("--version").output() {
        Ok(o) if o.status.success() => Some(cc),
        _ => None,
    }
}

/// The static library built with this test: cargo writes it next to the
/// test binary, in `target/<profile>/deps` (`target/<profile>` holds a copy
/// only after `cargo build`, and it may be older).
fn static_lib() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("target/<profile>/deps");
    let fresh = deps.join("libkickback_ffi.a");
    if fresh.exists() {
        return fresh;
    }
    deps.parent()
        .expect("target/<profile>")
        .join("libkickback_ffi.a")
}

fn build_example(cc: &str, out_dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = static_lib();
    assert!(
        lib.exists(),
        "{} is missing: cargo builds it with the library (crate-type staticlib)",
        lib.display()
    );
    let exe = out_dir.join("stream_csv");
    let out = Command::new(cc)
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-O1", "-I"])
        .arg(root.join("include"))
        .arg(root.join("../../examples/c/stream_csv.c"))
        .arg(&lib)
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&exe)
        .output()
        .expect("running the C compiler");
    assert!(
        out.status.success(),
        "{cc} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    exe
}

#[derive(Debug, PartialEq)]
struct CRep {
    index: usize,
    set: usize,
    start: f64,
    peak: f64,
    end: f64,
    range: f64,
    faults: u32,
}

fn parse_reps(stdout: &str) -> Vec<CRep> {
    stdout
        .lines()
        .filter(|l| l.starts_with("rep "))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.len(), 14, "{l}");
            assert_eq!(
                [f[0], f[2], f[4], f[6], f[8], f[10], f[12]],
                ["rep", "set", "start", "peak", "end", "range", "faults"],
                "{l}"
            );
            let num = |i: usize| f[i].parse::<f64>().unwrap_or_else(|_| panic!("{l}"));
            CRep {
                index: f[1].parse().unwrap(),
                set: f[3].parse().unwrap(),
                start: num(5),
                peak: num(7),
                end: num(9),
                range: num(11),
                faults: f[13].parse().unwrap(),
            }
        })
        .collect()
}

#[test]
fn c_program_reports_the_same_reps_as_kickback_analyze() {
    let Some(cc) = compiler() else {
        eprintln!("SKIPPED: no C compiler (set CC or install cc); the C example was not built");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let exe = build_example(&cc, dir.path());

    let cases = [
        (Scenario::Mixed, 21, Some(100.0)),
        (Scenario::Walking, 22, None),
        (Scenario::NoGyro, 23, None),
    ];
    for (scenario, seed, rate) in cases {
        let mut opts = SimOptions::compact();
        if let Some(hz) = rate {
            opts = opts.with_sample_rate(hz);
        }
        let rec = generate_with(scenario, seed, &opts);
        let csv = dir.path().join(format!("{scenario}_{seed}.csv"));
        std::fs::write(&csv, rec.to_csv()).unwrap();

        // What `kickback analyze` computes: the reader, then the engine.
        let (samples, _info) =
            kickback_formats::open(&csv, &kickback_formats::ReadOptions::default())
                .unwrap()
                .read_all()
                .unwrap();
        let expected = analyze(samples, &Settings::default()).unwrap();
        assert!(
            scenario == Scenario::NoGyro || expected.rep_count > 5,
            "{scenario}: only {} reps",
            expected.rep_count
        );

        let out = Command::new(&exe).arg(&csv).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{scenario}: stream_csv failed: {}\n{stdout}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got = parse_reps(&stdout);
        assert_eq!(
            got.len(),
            expected.reps.len(),
            "{scenario}: rep count\n{stdout}"
        );
        for (c, r) in got.iter().zip(&expected.reps) {
            let what = format!("{scenario} rep {}: C {c:?} vs engine {r:?}", r.index);
            assert_eq!((c.index, c.set), (r.index, r.set), "{what}");
            assert!((c.start - r.start_s).abs() <= 1e-9, "{what}");
            assert!((c.peak - r.peak_s).abs() <= 1e-9, "{what}");
            assert!((c.end - r.end_s).abs() <= 1e-9, "{what}");
            assert!((c.range - r.range_deg).abs() <= 0.5e-3 + 1e-9, "{what}");
            assert_eq!(c.faults, kickback_ffi::fault_flags(&r.faults), "{what}");
        }
        let finished = stdout
            .lines()
            .find(|l| l.starts_with("finished "))
            .unwrap_or_else(|| panic!("{scenario}: no summary line\n{stdout}"));
        assert!(
            finished.starts_with(&format!("finished reps {} samples ", expected.rep_count)),
            "{finished}"
        );
    }
}
