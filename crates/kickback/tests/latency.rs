//! Live latency: how long after a rep ends (`Rep::end_s`) its
//! `RepCompleted` comes out of the analyzer, measured on the simulated
//! scenarios as an app would see it (one sample pushed, events drained).
//! The promise (README, "Live use"): within 1.0 s of the rep's end, and
//! within 0.5 s where no gait context is needed (a rep lowered to rest and
//! no step after it). Prints the distribution; asserts the bound.

use kickback::{Analyzer, Event, Settings};
use kickback_sim::eval::Latencies;
use kickback_sim::{generate_with, Scenario, SimOptions};

/// The longest a rep may wait for its report, s.
const REPORT_WITHIN_S: f64 = 1.0;

#[test]
fn reps_are_reported_within_a_second_of_their_end() {
    let opts = SimOptions::compact();
    let mut lags = Latencies::default();
    for scenario in [
        Scenario::Mixed,
        Scenario::Walking,
        Scenario::LowRate,
        Scenario::NoGyro,
        Scenario::Variations,
    ] {
        for seed in 0..4u64 {
            let seed = 7100 + 10 * seed;
            let rec = generate_with(scenario, seed, &opts);
            let Some(t0) = rec.samples.first().map(|s| s.t) else {
                continue;
            };
            let mut a = Analyzer::new(Settings::default()).expect("default settings");
            for s in &rec.samples {
                a.push(*s);
                let now = s.t - t0;
                for e in a.drain() {
                    if let Event::RepCompleted(rep) = e {
                        lags.add(now - rep.end_s, || {
                            format!(
                                "{} seed {seed} rep at {:.2} s",
                                scenario.name(),
                                rep.start_s
                            )
                        });
                    }
                }
            }
        }
    }
    assert!(lags.len() > 200, "too few reps to judge: {}", lags.len());
    let within_half = lags.within(0.5);
    println!(
        "latency of RepCompleted after the rep's end over {}; within 0.5 s: {} ({:.1}%)",
        lags.summary(),
        within_half,
        100.0 * within_half as f64 / lags.len() as f64
    );
    let (worst, at) = lags.worst();
    assert!(
        worst <= REPORT_WITHIN_S,
        "a rep was reported {worst:.2} s after its end ({at})"
    );
}
