//! The Java API on this machine's JVM: compiles `java/kickback/*.java` and
//! `tests/java/KickbackTest.java` with `javac`, runs the test with `java`
//! against the `libkickback_jni.so` built with this test, and compares its
//! reps on `testdata/sample.csv` and on `testdata/walking_0000.csv` (kicks
//! with walking between them) with the Rust engine's, number for number,
//! and its rep ids, started and discarded rises and walks with the engine's
//! events.
//!
//! Without a JDK (`javac` and `java` from `$JAVA_HOME/bin` or the PATH) the
//! test says so and passes; `.ci/run` installs one.

use kickback::{analyze, Analyzer, Event, Sample, Settings};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `javac` and `java`, from `$JAVA_HOME/bin` or the PATH.
fn jdk() -> Option<(PathBuf, PathBuf)> {
    let bin = |name: &str| match std::env::var_os("JAVA_HOME") {
        Some(home) => Path::new(&home).join("bin").join(name),
        None => PathBuf::from(name),
    };
    let (javac, java) = (bin("javac"), bin("java"));
    let works = |p: &Path| {
        Command::new(p)
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    (works(&javac) && works(&java)).then_some((javac, java))
}

/// The directory holding the `libkickback_jni.so` cargo built with this test.
fn native_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("target/<profile>/deps").to_path_buf();
    let name = format!(
        "{}kickback_jni{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    for dir in [
        deps.clone(),
        deps.parent().expect("target/<profile>").to_path_buf(),
    ] {
        if dir.join(&name).exists() {
            return dir;
        }
    }
    panic!(
        "{name} is missing in {}: cargo builds it with the crate (crate-type cdylib)",
        deps.display()
    );
}

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

/// What the engine reports on a file, in the Java test's line format.
struct RustLines {
    reps: Vec<String>,
    summary: String,
    /// `start` and `discard` lines, in order.
    rises: Vec<String>,
    /// `walk` lines, in order.
    walks: Vec<String>,
}

/// The engine's reps on the same file, in the Java test's line format, its
/// summary line, its `start` and `discard` lines and its `walk` lines.
fn rust_lines(csv: &Path) -> RustLines {
    let text = std::fs::read_to_string(csv).unwrap();
    let samples: Vec<Sample> = text
        .lines()
        .skip(1)
        .map(|l| {
            let v: Vec<f64> = l.split(',').map(|f| f.trim().parse().unwrap()).collect();
            Sample::new(v[0], [v[1], v[2], v[3]], Some([v[4], v[5], v[6]]))
        })
        .collect();
    let n = samples.len();
    let mut engine = Analyzer::new(Settings::default()).unwrap();
    let mut events = Vec::new();
    for s in &samples {
        engine.push(*s);
        events.extend(engine.drain());
    }
    engine.finish();
    events.extend(engine.drain());
    let rises = events
        .iter()
        .filter_map(|e| match e {
            Event::RepStarted { id, t_s } => Some(format!("start {id} t {t_s:.9}")),
            Event::RepDiscarded { id, t_s, .. } => {
                let (_, _, name) = kickback_jni::event_fields(e)?;
                Some(format!("discard {id} t {t_s:.9} reason {}", name[0]))
            }
            _ => None,
        })
        .collect();
    let walks = events
        .iter()
        .filter_map(|e| match e {
            Event::Walking(w) => Some(format!(
                "walk start {:.9} end {:.9} steps {}",
                w.start_s, w.end_s, w.steps
            )),
            _ => None,
        })
        .collect();
    let a = analyze(samples, &Settings::default()).unwrap();
    let summary = format!(
        "finished reps {} sets {} warnings {} samples {n} duration {:.6}",
        a.rep_count,
        a.sets.len(),
        a.warnings.len(),
        a.duration_s
    );
    let reps = a
        .reps
        .iter()
        .map(|r| {
            format!(
                "rep {} set {} start {:.9} peak {:.9} end {:.9} range {:.3} faults {} id {}",
                r.index,
                r.set,
                r.start_s,
                r.peak_s,
                r.end_s,
                r.range_deg,
                kickback_ffi::fault_flags(&r.faults),
                r.id
            )
        })
        .collect();
    RustLines {
        reps,
        summary,
        rises,
        walks,
    }
}

/// The Java `DiscardReason` names every reason the C ABI has a code for.
#[test]
fn the_java_discard_reasons_are_the_engines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let java = std::fs::read_to_string(root.join("java/kickback/DiscardReason.java")).unwrap();
    for code in kickback_ffi::KB_DISCARD_GAIT..=kickback_ffi::KB_DISCARD_LONE {
        let name = unsafe { std::ffi::CStr::from_ptr(kickback_ffi::kb_discard_reason_name(code)) };
        let constant = name.to_str().unwrap().to_uppercase();
        assert!(
            java.contains(&format!("    {constant},"))
                || java.contains(&format!("    {constant};")),
            "DiscardReason.java lacks {constant}"
        );
    }
}

#[test]
fn the_java_api_reports_the_engines_reps_rises_and_walks() {
    let Some((javac, java)) = jdk() else {
        eprintln!("SKIPPED: no JDK (javac and java on the PATH or in $JAVA_HOME/bin); the Java binding was not tested");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let classes = tempfile::tempdir().unwrap();
    let mut sources: Vec<PathBuf> = std::fs::read_dir(root.join("java/kickback"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "java"))
        .collect();
    sources.push(root.join("tests/java/KickbackTest.java"));
    // Java 8 source and class files, as Android's toolchain accepts them.
    let out = Command::new(&javac)
        .args(["--release", "8", "-Xlint:all,-options", "-Werror", "-d"])
        .arg(classes.path())
        .args(&sources)
        .output()
        .expect("running javac");
    assert!(
        out.status.success(),
        "javac failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // (file, whether it must hold walking the engine recognises)
    for (name, walks) in [("sample.csv", false), ("walking_0000.csv", true)] {
        let csv = testdata(name);
        let stdout = run_java_test(&java, classes.path(), &csv);
        let rust = rust_lines(&csv);
        assert!(!rust.reps.is_empty(), "{name}");
        assert!(!walks || !rust.walks.is_empty(), "{name}: no walk");
        let with = |prefixes: &[&str]| -> Vec<String> {
            stdout
                .lines()
                .filter(|l| prefixes.iter().any(|p| l.starts_with(p)))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(
            with(&["rep "]),
            rust.reps,
            "{name}: Java and Rust reps differ"
        );
        assert_eq!(
            with(&["start ", "discard "]),
            rust.rises,
            "{name}: Java and Rust started/discarded rises differ"
        );
        assert_eq!(
            with(&["walk "]),
            rust.walks,
            "{name}: Java and Rust walks differ"
        );
        assert!(
            stdout.lines().any(|l| l == rust.summary),
            "{name}: no `{}` in the Java output",
            rust.summary
        );
    }
}

/// Runs `KickbackTest` on `csv` with the compiled classes and returns its
/// output, after checking that it passed and that `-Xcheck:jni` said nothing.
fn run_java_test(java: &Path, classes: &Path, csv: &Path) -> String {
    let out = Command::new(java)
        .arg(format!("-Djava.library.path={}", native_dir().display()))
        .arg("-Xcheck:jni")
        .arg("-cp")
        .arg(classes)
        .arg("KickbackTest")
        .arg(csv)
        .output()
        .expect("running java");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "the Java test failed on {} ({}):\n{stdout}\n{stderr}",
        csv.display(),
        out.status
    );
    assert!(stdout.contains("java checks ok"), "{stdout}");
    // -Xcheck:jni reports misuse as "WARNING in native method" (or a fatal error).
    assert!(
        !stderr.contains("in native method"),
        "-Xcheck:jni complained:\n{stderr}"
    );
    stdout
}
