//! Engine-only cost per sample on a recording read into memory first:
//! best of N runs of the Rust API (push, then poll everything).
//!
//! `cargo run --release -p kickback-ffi --example engine_speed -- FILE [RUNS]`

use kickback::{Analyzer, Event, Settings};
use kickback_formats::{open, ReadOptions};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: engine_speed FILE [RUNS]");
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(7);
    let samples: Vec<_> = open(path.as_ref(), &ReadOptions::default())
        .expect("open")
        .samples()
        .collect::<Result<_, _>>()
        .expect("read");
    let mut best = f64::INFINITY;
    let mut reps = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        let mut a = Analyzer::new(Settings::default()).expect("settings");
        reps = 0;
        for s in &samples {
            a.push(*s);
            while let Some(e) = a.poll() {
                reps += matches!(e, Event::RepCompleted(_)) as usize;
            }
        }
        a.finish();
        reps += a
            .drain()
            .filter(|e| matches!(e, Event::RepCompleted(_)))
            .count();
        best = best.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "{} samples, {reps} reps: best {:.1} ms, {:.1} ns/sample",
        samples.len(),
        best * 1e3,
        best * 1e9 / samples.len() as f64
    );
}
