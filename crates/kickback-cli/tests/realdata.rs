//! Real recordings are the judge: the engine on `../shared/realdata` (real
//! lower-leg IMU recordings with labels), read in place.
//!
//! Prints false reps per hour by activity (walking, stairs, cycling: all
//! must give 0 reps), exact counts by exercise and execution type (physio
//! leg exercises), and the same negatives with 5 s of stillness put in front
//! of each file (a still start must not unlock counting strides).
//!
//! Skips with a note when the folder is absent; fails then when
//! `KICKBACK_REQUIRE_REALDATA=1` (set by `.ci/run`).
//!
//! The asserted figures are floors: what the engine measured when the test
//! was written, so that no change makes real legs worse. The targets
//! are printed beside them (see the README, "Accuracy on real recordings").

use kickback::{analyze, Rep, Sample, Settings};
use kickback_cli::input;
use kickback_formats::ReadOptions;
use kickback_sim::eval::{evaluate_labelled_dir, LabelledReport, Latencies};
use std::path::{Path, PathBuf};

fn realdata() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/realdata");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("KICKBACK_REQUIRE_REALDATA").as_deref() == Ok("1") {
        panic!(
            "KICKBACK_REQUIRE_REALDATA=1 but {} is absent: lay the shared folder beside the repository",
            dir.display()
        );
    }
    eprintln!(
        "note: {} is absent; the real-recording evaluation was skipped",
        dir.display()
    );
    None
}

/// The recording's samples with `secs` of stillness put in front: the first
/// sample's acceleration held, no rotation, at the file's own rate.
fn with_still_start(samples: Vec<Sample>, secs: f64) -> Vec<Sample> {
    let Some(first) = samples.first().copied() else {
        return samples;
    };
    let dt = samples
        .windows(2)
        .map(|w| w[1].t - w[0].t)
        .find(|d| *d > 0.0)
        .unwrap_or(0.01);
    let n = (secs / dt).round() as usize;
    let mut out: Vec<Sample> = (0..n)
        .map(|i| {
            Sample::new(
                first.t - (n - i) as f64 * dt,
                first.acc.into(),
                first.gyro.map(|_| [0.0; 3]),
            )
        })
        .collect();
    out.extend(samples);
    out
}

/// How a recording is fed to the engine.
#[derive(Clone, Copy)]
enum Feed {
    /// As recorded, by the same path as `kickback analyze` / `evaluate`.
    AsRecorded,
    /// With this many seconds of stillness in front.
    StillStart(f64),
    /// With the gyroscope left out (an accelerometer-only wearable).
    NoGyro,
}

fn evaluate(dir: &Path, feed: Feed) -> LabelledReport {
    let settings = Settings::default();
    let opts = ReadOptions::default();
    evaluate_labelled_dir(dir, |path: &Path| -> Result<Vec<Rep>, String> {
        if let Feed::AsRecorded = feed {
            return input::analyze_path(path, &opts, &settings)
                .map(|r| r.analysis.reps)
                .map_err(|e| format!("{e:#}"));
        }
        let rec = kickback_formats::open(path, &opts).map_err(|e| e.to_string())?;
        let (samples, _) = rec.read_all().map_err(|e| e.to_string())?;
        let samples = match feed {
            Feed::StillStart(s) => with_still_start(samples, s),
            _ => samples
                .into_iter()
                .map(|x| Sample::new(x.t, x.acc.into(), None))
                .collect(),
        };
        analyze(samples, &settings)
            .map(|a| a.reps)
            .map_err(|e| e.to_string())
    })
    .expect("the folder can be listed")
}

/// Positives with the exact count among `groups` (group name prefixes).
fn exact_in(report: &LabelledReport, pred: impl Fn(&str) -> bool) -> (usize, usize) {
    report
        .recordings
        .iter()
        .filter(|r| !r.negative && pred(&r.name))
        .fold((0, 0), |(e, n), r| {
            (e + (r.count_error == 0) as usize, n + 1)
        })
}

fn is_leg_set(name: &str) -> bool {
    ["_test_correct", "_test_fast", "_test_lowamp"]
        .iter()
        .any(|k| name.ends_with(k))
}

#[test]
fn real_recordings() {
    let Some(root) = realdata() else { return };
    let all = evaluate(&root, Feed::AsRecorded);
    println!("== ../shared/realdata, as recorded\n{all}");
    assert!(
        all.failures.is_empty(),
        "recordings failed: {:?}",
        all.failures
    );

    let walking = evaluate(&root.join("walking"), Feed::AsRecorded);
    let walking_still = evaluate(&root.join("walking"), Feed::StillStart(5.0));
    println!(
        "== walking, stairs, cycling with 5 s of stillness in front\n{}",
        walking_still.summary
    );
    // The same recordings as an accelerometer-only wearable reads them
    // (no target of the issue's, but a device the README supports).
    let walking_acc = evaluate(&root.join("walking"), Feed::NoGyro);
    let pt_acc = evaluate(&root.join("pt"), Feed::NoGyro);
    println!(
        "== without the gyroscope: walking, stairs, cycling\n{}\n== without the gyroscope: pt\n{}",
        walking_acc.summary, pt_acc.summary
    );
    let fph = walking.summary.false_reps_per_hour().unwrap_or(0.0);
    let fph_still = walking_still.summary.false_reps_per_hour().unwrap_or(0.0);
    let fph_acc = walking_acc.summary.false_reps_per_hour().unwrap_or(0.0);
    let pt_acc_exact = exact_in(&pt_acc, |_| true);

    let sets = exact_in(&all, |n| n.starts_with("pt/") && is_leg_set(n));
    let e5 = exact_in(&all, |n| {
        n.starts_with("pt/") && n.contains("_e5_") && is_leg_set(n)
    });
    let full: Vec<(String, i64)> = all
        .recordings
        .iter()
        .filter(|r| r.name.ends_with("_test_full") && !r.negative)
        .map(|r| (r.name.clone(), r.count_error))
        .collect();
    let full_ok = full.iter().filter(|(_, e)| e.abs() <= 1).count();
    let e2_reps: usize = all
        .recordings
        .iter()
        .filter(|r| r.name.starts_with("pt/") && r.negative)
        .map(|r| r.detected_reps)
        .sum();

    // Floors: what the engine measured when they were last raised; raise
    // them as the engine improves, never lower them.
    const MAX_FPH: f64 = 0.0;
    const MAX_FPH_STILL: f64 = 0.6;
    const MIN_SETS: usize = 35;
    const MIN_E5: usize = 9;
    const MIN_FULL: usize = 12;
    const MAX_FPH_NO_GYRO: f64 = 14.4;
    const MIN_PT_NO_GYRO: usize = 28;
    println!("figure                                   measured   floor   target");
    let rows = [
        (
            "walking: false reps per hour",
            format!("{fph:.1}"),
            format!("≤ {MAX_FPH}"),
            "≤ 1",
        ),
        (
            "walking + 5 s still: false reps/hour",
            format!("{fph_still:.1}"),
            format!("≤ {MAX_FPH_STILL}"),
            "≤ 1",
        ),
        (
            "pt e2 (still legs): reps",
            e2_reps.to_string(),
            "0".to_string(),
            "0",
        ),
        (
            "pt leg sets exact",
            format!("{}/{}", sets.0, sets.1),
            format!("≥ {MIN_SETS}"),
            "≥ 34/36",
        ),
        (
            "pt e5 sets exact",
            format!("{}/{}", e5.0, e5.1),
            format!("≥ {MIN_E5}"),
            "9/9",
        ),
        (
            "pt full sessions within ±1",
            format!("{full_ok}/{}", full.len()),
            format!("≥ {MIN_FULL}"),
            "all",
        ),
        (
            "no gyroscope: walking false reps/hour",
            format!("{fph_acc:.1}"),
            format!("≤ {MAX_FPH_NO_GYRO}"),
            "",
        ),
        (
            "no gyroscope: pt positives exact",
            format!("{}/{}", pt_acc_exact.0, pt_acc_exact.1),
            format!("≥ {MIN_PT_NO_GYRO}"),
            "",
        ),
    ];
    for (what, got, floor, target) in rows {
        println!("{what:<40} {got:>9} {floor:>7} {target:>8}");
    }
    assert!(fph <= MAX_FPH, "walking false reps per hour {fph:.1}");
    assert!(
        fph_still <= MAX_FPH_STILL,
        "walking (still start) false reps per hour {fph_still:.1}"
    );
    assert_eq!(e2_reps, 0, "still legs gave reps");
    assert!(sets.0 >= MIN_SETS, "pt leg sets exact: {sets:?}");
    assert!(e5.0 >= MIN_E5, "pt e5 sets exact: {e5:?}");
    assert!(full_ok >= MIN_FULL, "pt full sessions within ±1: {full:?}");
    assert!(
        fph_acc <= MAX_FPH_NO_GYRO,
        "walking without the gyroscope: false reps per hour {fph_acc:.1}"
    );
    assert!(
        pt_acc_exact.0 >= MIN_PT_NO_GYRO,
        "pt without the gyroscope, exact: {pt_acc_exact:?}"
    );
}

/// Live latency on the real PT recordings (holds of up to 5 s, slow
/// returns): each rep's `RepCompleted` must come out within 1.0 s of the
/// rep's end, pushing one sample at a time as an app would. The one
/// exception the README names: a set's first rep held so long it was set
/// aside as a new pose, which came back to a different rest pose, is only
/// known to be a rep once the next rep repeats it, and comes out with it.
#[test]
fn real_reps_are_reported_live_within_a_second() {
    let Some(root) = realdata() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("pt"))
        .expect("pt folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    let mut lags = Latencies::default();
    let mut confirmed_late = 0usize;
    for path in &files {
        let rec = kickback_formats::open(path, &ReadOptions::default()).expect("readable");
        let (samples, _) = rec.read_all().expect("readable");
        let Some(t0) = samples.first().map(|s| s.t) else {
            continue;
        };
        let mut a = kickback::Analyzer::new(Settings::default()).expect("settings");
        // Each rep with the time it came out.
        let mut out: Vec<(Rep, f64)> = Vec::new();
        for s in &samples {
            a.push(*s);
            for e in a.drain() {
                if let kickback::Event::RepCompleted(rep) = e {
                    out.push((rep, s.t - t0));
                }
            }
        }
        for (rep, at) in &out {
            let lag = at - rep.end_s;
            // Out only once a later rep had ended: the held first rep that
            // rep confirmed.
            let confirmed = out
                .iter()
                .any(|(r, _)| r.start_s > rep.end_s && r.end_s <= *at);
            if lag > 1.0 && confirmed {
                confirmed_late += 1;
                continue;
            }
            lags.add(lag, || {
                format!("{} rep at {:.2} s", path.display(), rep.start_s)
            });
        }
    }
    assert!(!lags.is_empty(), "no reps reported live");
    println!(
        "live latency on the PT recordings, {}; {} held first reps reported with the rep that confirmed them",
        lags.summary(),
        confirmed_late
    );
    let (worst, at) = lags.worst();
    assert!(worst <= 1.0, "reported {worst:.2} s after its end: {at}");
}
