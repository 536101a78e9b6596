//! Builds `examples/c/stream_csv.c` with the system C compiler against the
//! static library, runs it on simulated recordings written as CSV, and checks
//! its reps against what `kickback analyze` computes for the same file (the
//! formats reader feeding `kickback::analyze`, as the CLI does).
//!
//! Its `start`/`discard` lines and rep ids are the engine's rep life cycle:
//! every started rise ends once, as a rep or as a discard with its reason;
//! its `walk` lines are the engine's walks, in the same order.
//!
//! Also: `tests/c/old_caller.c`, a program with the smaller structs of an
//! older header (three layouts), is not written past, never receives a kind
//! it does not know (the layout before `walk` gets discards, no walk), and
//! sees the same reps; and on Linux the
//! example links against the shared library, whose SONAME is what it needs
//! at run time.
//!
//! Without a C compiler (`$CC`, else `cc`) the test says so and passes.

use kickback::{analyze, Analyzer, Event, Settings};
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

/// A library built with this test (`libkickback_ffi.a` or `.so`): cargo
/// writes it next to the test binary, in `target/<profile>/deps`
/// (`target/<profile>` holds a copy only after `cargo build`, and it may be older).
fn built_lib(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("target/<profile>/deps");
    let fresh = deps.join(name);
    let lib = if fresh.exists() {
        fresh
    } else {
        deps.parent().expect("target/<profile>").join(name)
    };
    assert!(
        lib.exists(),
        "{} is missing: cargo builds it with the library (crate-type staticlib, cdylib)",
        lib.display()
    );
    lib
}

/// Compiles `source` (relative to this crate) into `out_dir/name`, linked
/// with `link` (the library and what it needs).
fn build_c(
    cc: &str,
    source: &str,
    name: &str,
    out_dir: &Path,
    link: &[&std::ffi::OsStr],
) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let exe = out_dir.join(name);
    let out = Command::new(cc)
        .args([
            "-std=c99",
            "-pedantic",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-O1",
            "-I",
        ])
        .arg(root.join("include"))
        .arg(root.join(source))
        .args(link)
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("running the C compiler");
    assert!(
        out.status.success(),
        "{cc} failed on {source}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    exe
}

/// Builds a C program against the static library.
fn build_static(cc: &str, source: &str, name: &str, out_dir: &Path) -> PathBuf {
    let lib = built_lib("libkickback_ffi.a");
    let link: Vec<&std::ffi::OsStr> = [lib.as_os_str()]
        .into_iter()
        .chain(["-lpthread", "-ldl", "-lm"].map(std::ffi::OsStr::new))
        .collect();
    build_c(cc, source, name, out_dir, &link)
}

fn build_example(cc: &str, out_dir: &Path) -> PathBuf {
    build_static(cc, "../../examples/c/stream_csv.c", "stream_csv", out_dir)
}

/// A simulated recording with reps, written as a generic CSV.
fn sample_csv(dir: &Path) -> PathBuf {
    let rec = generate_with(
        Scenario::Mixed,
        21,
        &SimOptions::compact().with_sample_rate(100.0),
    );
    let csv = dir.join("mixed_21.csv");
    std::fs::write(&csv, rec.to_csv()).unwrap();
    csv
}

/// A simulated recording with kicks and walking between them, as a generic CSV.
fn walking_csv(dir: &Path) -> PathBuf {
    let rec = generate_with(Scenario::Walking, 22, &SimOptions::compact());
    let csv = dir.join("walking_22.csv");
    std::fs::write(&csv, rec.to_csv()).unwrap();
    csv
}

fn run(exe: &Path, csv: &Path, env: &[(&str, &Path)]) -> String {
    let mut cmd = Command::new(exe);
    cmd.arg(csv);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{} failed ({}): {}\n{stdout}",
        exe.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The `rep ...` lines, without the rep id that only the new layout carries.
fn rep_lines(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| l.starts_with("rep "))
        .map(|l| l.split(" id ").next().unwrap_or(l))
        .collect()
}

#[test]
fn an_old_size_caller_is_not_written_past_and_sees_the_same_reps() {
    let Some(cc) = compiler() else {
        eprintln!("SKIPPED: no C compiler (set CC or install cc); old_caller.c was not built");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let old = build_static(&cc, "tests/c/old_caller.c", "old_caller", dir.path());
    let new = build_example(&cc, dir.path());
    // (recording, whether it must hold walking the engine recognises)
    let recordings = [
        (sample_csv(dir.path()), false),
        (walking_csv(dir.path()), true),
    ];
    for (csv, walks) in recordings {
        let new_out = run(&new, &csv, &[]);
        let discard_lines = |out: &str| out.lines().filter(|l| l.starts_with("discard ")).count();
        assert!(!rep_lines(&new_out).is_empty());
        assert!(
            discard_lines(&new_out) > 0,
            "the new layout receives discards\n{new_out}"
        );
        assert!(
            !walks || new_out.lines().any(|l| l.starts_with("walk ")),
            "the new layout receives walks\n{new_out}"
        );
        // (layout, where its KbEvent ends, whether it receives discards)
        let layouts = [
            (
                "stats",
                std::mem::offset_of!(kickback_ffi::KbEvent, momentum_evidence),
                false,
            ),
            (
                "evidence",
                std::mem::offset_of!(kickback_ffi::KbEvent, rep_id),
                false,
            ),
            // the header before KB_EVENT_WALKING: its sizeof ends where `walk` begins
            (
                "discard",
                std::mem::offset_of!(kickback_ffi::KbEvent, walk),
                true,
            ),
        ];
        for (layout, event_size, gets_discards) in layouts {
            let mut cmd = Command::new(&old);
            cmd.arg(&csv).arg(layout);
            let out = cmd.output().unwrap();
            let old_out = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "old_caller {layout} failed ({}): {}\n{old_out}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
            println!("{layout}: {}", old_out.lines().last().unwrap_or(""));
            let summary = old_out
                .lines()
                .find(|l| l.starts_with("old caller: "))
                .unwrap_or_else(|| panic!("no summary\n{old_out}"));
            assert!(summary.ends_with("guard intact"), "{summary}");
            // The old layouts really are smaller than the library's.
            let sizes: Vec<usize> = summary
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|w| w.parse().ok())
                .collect();
            assert_eq!(sizes.len(), 5, "{summary}");
            assert!(sizes[1] < sizes[3] && sizes[2] < sizes[4], "{summary}");
            assert_eq!(sizes[2], event_size, "{layout}: {summary}");
            assert_eq!(sizes[3], std::mem::size_of::<kickback_ffi::KbSettings>());
            assert_eq!(sizes[4], std::mem::size_of::<kickback_ffi::KbEvent>());
            assert_eq!(rep_lines(&old_out), rep_lines(&new_out), "{layout}");
            let expected_discards = if gets_discards {
                discard_lines(&new_out)
            } else {
                0
            };
            assert_eq!(discard_lines(&old_out), expected_discards, "{layout}");
        }
    }
}

/// The rep life-cycle lines of the example's output: `start <id> t <s>`,
/// `discard <id> t <s> reason <name>`, `end <id>` for a rep line, and
/// `walk start <s> end <s> steps <n>`.
fn life_cycle(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| {
            if l.starts_with("start ") || l.starts_with("discard ") || l.starts_with("walk ") {
                Some(l.to_string())
            } else if l.starts_with("rep ") {
                let id = l.rsplit(' ').next().unwrap_or("");
                Some(format!("end {id}"))
            } else {
                None
            }
        })
        .collect()
}

/// The same lines from the engine's events.
fn engine_life_cycle(samples: &[kickback::Sample]) -> Vec<String> {
    let mut a = Analyzer::new(Settings::default()).unwrap();
    let mut events = Vec::new();
    for s in samples {
        a.push(*s);
        events.extend(a.drain());
    }
    a.finish();
    events.extend(a.drain());
    events
        .iter()
        .filter_map(|e| match e {
            Event::RepStarted { id, t_s } => Some(format!("start {id} t {t_s:.9}")),
            Event::RepDiscarded { id, t_s, reason } => {
                let code = kickback_ffi::discard_code(*reason);
                let name =
                    unsafe { std::ffi::CStr::from_ptr(kickback_ffi::kb_discard_reason_name(code)) };
                Some(format!(
                    "discard {id} t {t_s:.9} reason {}",
                    name.to_str().unwrap()
                ))
            }
            Event::RepCompleted(r) => Some(format!("end {}", r.id)),
            Event::Walking(w) => Some(format!(
                "walk start {:.9} end {:.9} steps {}",
                w.start_s, w.end_s, w.steps
            )),
            _ => None,
        })
        .collect()
}

/// Every `start` is followed by exactly one `end` or `discard` with its id.
fn check_every_start_ends_once(what: &str, lines: &[String]) {
    let mut open: Vec<&str> = Vec::new();
    for l in lines {
        let f: Vec<&str> = l.split(' ').collect();
        match f[0] {
            "walk" => {}
            "start" => {
                assert!(!open.contains(&f[1]), "{what}: {} started twice", f[1]);
                open.push(f[1]);
            }
            _ => {
                let at = open.iter().position(|id| *id == f[1]);
                let at = at.unwrap_or_else(|| panic!("{what}: `{l}` ends a rise that is not open"));
                open.remove(at);
            }
        }
    }
    assert!(open.is_empty(), "{what}: started, never ended: {open:?}");
}

/// On Linux the shared library names its ABI version (SONAME): a program
/// linked against `libkickback_ffi.so` needs `libkickback_ffi.so.0.MINOR` at
/// run time, and runs with only that file on the library path.
#[cfg(target_os = "linux")]
#[test]
fn the_example_runs_against_the_shared_library_by_its_soname() {
    let Some(cc) = compiler() else {
        eprintln!("SKIPPED: no C compiler (set CC or install cc)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (link_dir, run_dir) = (dir.path().join("link"), dir.path().join("run"));
    std::fs::create_dir_all(&link_dir).unwrap();
    std::fs::create_dir_all(&run_dir).unwrap();
    let so = built_lib("libkickback_ffi.so");
    std::fs::copy(&so, link_dir.join("libkickback_ffi.so")).unwrap();
    let soname = format!(
        "libkickback_ffi.so.{}.{}",
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    std::fs::copy(&so, run_dir.join(&soname)).unwrap();
    let l = std::ffi::OsString::from(format!("-L{}", link_dir.display()));
    let exe = build_c(
        &cc,
        "../../examples/c/stream_csv.c",
        "stream_csv_dyn",
        dir.path(),
        &[&l, std::ffi::OsStr::new("-lkickback_ffi")],
    );
    let csv = sample_csv(dir.path());
    // Only the SONAME file is on the path: without the SONAME the program
    // would ask for libkickback_ffi.so and fail to start.
    let dynamic = run(&exe, &csv, &[("LD_LIBRARY_PATH", &run_dir)]);
    let fixed = run(&build_example(&cc, dir.path()), &csv, &[]);
    assert!(!rep_lines(&dynamic).is_empty());
    assert_eq!(rep_lines(&dynamic), rep_lines(&fixed));
    println!("ran against {soname}: {} reps", rep_lines(&dynamic).len());
}

#[derive(Debug, PartialEq)]
struct CRep {
    id: u64,
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
            assert_eq!(f.len(), 16, "{l}");
            assert_eq!(
                [f[0], f[2], f[4], f[6], f[8], f[10], f[12], f[14]],
                ["rep", "set", "start", "peak", "end", "range", "faults", "id"],
                "{l}"
            );
            let num = |i: usize| f[i].parse::<f64>().unwrap_or_else(|_| panic!("{l}"));
            CRep {
                id: f[15].parse().unwrap(),
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
        let expected_life = engine_life_cycle(&samples);
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
        // A rep flagged for momentum is followed by the evidence for it.
        let lines: Vec<&str> = stdout.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let faults = l
                .split(" faults ")
                .nth(1)
                .and_then(|f| f.split(' ').next())
                .and_then(|f| f.parse::<u32>().ok());
            if l.starts_with("rep ")
                && faults.is_some_and(|f| f & kickback_ffi::KB_FAULT_MOMENTUM != 0)
            {
                let next = lines.get(i + 1).copied().unwrap_or("");
                assert!(
                    next.starts_with("momentum ") && next.split(' ').count() > 2,
                    "{scenario}: no evidence after `{l}`: `{next}`"
                );
            }
        }
        assert_eq!(
            got.len(),
            expected.reps.len(),
            "{scenario}: rep count\n{stdout}"
        );
        let life = life_cycle(&stdout);
        check_every_start_ends_once(&scenario.to_string(), &life);
        assert_eq!(
            life, expected_life,
            "{scenario}: starts, discards and rep ids"
        );
        let discards = life.iter().filter(|l| l.starts_with("discard ")).count();
        let walks = life.iter().filter(|l| l.starts_with("walk ")).count();
        println!(
            "{scenario}: {} rises, {} reps, {discards} discarded, {walks} walks",
            got.len() + discards,
            got.len()
        );
        if scenario == Scenario::Walking {
            assert!(
                life.iter().any(|l| l.ends_with(" reason gait")),
                "{scenario}: steps are discarded as gait\n{stdout}"
            );
            assert!(
                life.iter().any(|l| l.starts_with("walk ")),
                "{scenario}: the walks are reported\n{stdout}"
            );
        }
        for (c, r) in got.iter().zip(&expected.reps) {
            let what = format!("{scenario} rep {}: C {c:?} vs engine {r:?}", r.index);
            assert_eq!((c.id, c.index, c.set), (r.id, r.index, r.set), "{what}");
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
