//! The engine's accuracy on a seeded simulated corpus, measured against the
//! targets of the engine issue. Prints its figures
//! (`cargo test -p kickback-sim --test engine_accuracy -- --nocapture`).
//!
//! The targets: exact rep count on 100% of clean single-set
//! recordings; on mixed multi-set recordings exact count on ≥ 97% and
//! F1 ≥ 0.95 for each fault; with walking and the other leg's sets, exact
//! count on ≥ 90%; thrown reps back to back each counted (exact count on
//! ≥ 97% of `back_to_back` recordings, the target of mixed sets).
//!
//! Each figure is printed beside its target with "met" or "NOT MET", and the
//! targets are asserted. Where the engine does better than a target (exact
//! and within ±1 on walking), the assertion is a regression floor at what
//! it reaches.
//! Larger corpora are measured by the `rep_errors` example (README,
//! "Accuracy").

use kickback::{analyze, Settings};
use kickback_sim::eval::{score, EvalReport, RecordingScore};
use kickback_sim::{generate, Scenario, Truth};

/// The settings a simulated person would use: their own hinge and hip limit.
fn settings_for(truth: &Truth) -> Settings {
    let mut s = Settings::default();
    s.lumbar.torso_hinge_deg = truth.settings.torso_hinge_deg;
    s.lumbar.hip_extension_limit_deg = truth.settings.hip_extension_limit_deg;
    s
}

fn run(scenario: Scenario, count: u64, seed: u64) -> EvalReport {
    let scores: Vec<RecordingScore> = (0..count)
        .map(|i| {
            let rec = generate(scenario, seed + i);
            let a = analyze(rec.samples.iter().copied(), &settings_for(&rec.truth)).unwrap();
            let mut s = score(&rec.truth, &a.reps);
            s.name = format!("{}_{}", scenario.name(), seed + i);
            s
        })
        .collect();
    let report = EvalReport::from_scores(scores, Vec::new());
    println!("{report}");
    report
}

/// Prints a figure beside its target and asserts the regression floor.
fn check(what: &str, value: f64, target: f64, floor: f64) {
    let verdict = if value >= target { "met" } else { "NOT MET" };
    println!("{what}: {value:.3} (target {target:.2}: {verdict}; regression floor {floor:.2})");
    assert!(
        value >= floor,
        "{what} fell to {value:.3}, below its floor {floor:.2}"
    );
}

#[test]
fn clean_single_sets_are_counted_exactly() {
    let report = run(Scenario::Clean, 30, 1000);
    let exact = report.overall.exact_count_rate.unwrap();
    check("clean: exact count", exact, 1.0, 1.0);
}

#[test]
fn mixed_recordings_count_and_faults() {
    let report = run(Scenario::Mixed, 40, 2000);
    let o = &report.overall;
    check(
        "mixed: exact count",
        o.exact_count_rate.unwrap(),
        0.97,
        0.97,
    );
    check("mixed: within ±1", o.within_one_rate.unwrap(), 0.97, 0.97);
    for (fault, floor) in [
        ("momentum", 0.95),
        ("lumbar_overextension", 0.95),
        ("partial_range", 0.95),
    ] {
        let f1 = o.faults[fault].f1.unwrap_or(0.0);
        check(&format!("mixed: {fault} F1"), f1, 0.95, floor);
    }
}

#[test]
fn walking_and_the_other_leg_do_not_count() {
    let report = run(Scenario::Walking, 30, 3000);
    let o = &report.overall;
    check(
        "walking: exact count",
        o.exact_count_rate.unwrap(),
        0.90,
        1.00,
    );
    check("walking: within ±1", o.within_one_rate.unwrap(), 0.90, 1.00);
}

#[test]
fn thrown_reps_back_to_back_count_each() {
    // Runs of thrown reps with no pause between them, and controlled,
    // partial or overextended reps started straight from a throw's forward
    // overshoot. The sets target: exact count on >= 97% (as mixed).
    let report = run(Scenario::BackToBack, 20, 7000);
    let o = &report.overall;
    check(
        "back_to_back: exact count",
        o.exact_count_rate.unwrap(),
        0.97,
        1.0,
    );
    check(
        "back_to_back: partial_range F1",
        o.faults["partial_range"].f1.unwrap_or(0.0),
        0.95,
        0.95,
    );
}

#[test]
fn harder_inputs_are_reported() {
    // No targets in the issue for these; the figures are printed and floors
    // guard against regressions.
    for (scenario, floor) in [
        (Scenario::NoGyro, 0.70),
        (Scenario::LowRate, 0.60),
        (Scenario::Variations, 0.85),
    ] {
        println!("== {}", scenario.name());
        let report = run(scenario, 20, 4000);
        let within_one = report.overall.within_one_rate.unwrap();
        println!(
            "{}: within ±1 on {within_one:.2} (floor {floor:.2})",
            scenario.name()
        );
        assert!(
            within_one >= floor,
            "{}: within ±1 on {within_one:.2}",
            scenario.name()
        );
    }
}
