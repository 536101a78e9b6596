//! Engine-only cost per sample on a recording read into memory first:
//! best of N runs of the Rust API (push, then poll everything).
//!
//! `cargo run --release -p kickback-ffi --example engine_speed -- FILE [RUNS]`

#[path = "../support/long_stream.rs"]
mod long_stream;

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
        reps = long_stream::live_rep_count(samples.iter().copied());
        best = best.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "{} samples, {reps} reps: best {:.1} ms, {:.1} ns/sample",
        samples.len(),
        best * 1e3,
        best * 1e9 / samples.len() as f64
    );
}
