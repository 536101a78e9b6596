//! Reader-only throughput: opens a recording and consumes every sample,
//! discarding them; prints the best of N runs.
//!
//! `cargo run --release -p kickback-formats --example read_speed -- FILE [RUNS] [batch]`

use kickback_formats::{open, ReadOptions};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().expect("usage: read_speed FILE [RUNS] [batch]"));
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(7);
    // `batch`: read with `Samples::next_batch` instead of the iterator
    let batches = args.next().as_deref() == Some("batch");
    let bytes = std::fs::metadata(&path).expect("file").len() as f64;
    let opts = ReadOptions::default();
    let mut best = f64::INFINITY;
    let mut n = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        let mut acc = 0.0;
        n = 0;
        let mut samples = open(&path, &opts).expect("open").samples();
        if batches {
            let mut batch = Vec::with_capacity(4096);
            loop {
                batch.clear();
                let more = samples.next_batch(&mut batch, 4096).expect("sample");
                n += batch.len();
                acc += batch.iter().map(|s| s.t).sum::<f64>();
                if !more {
                    break;
                }
            }
        } else {
            for s in samples {
                let s = s.expect("sample");
                acc += s.t;
                n += 1;
            }
        }
        std::hint::black_box(acc);
        best = best.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "{n} samples{}, best of {runs}: {:.1} ms, {:.0} MiB/s",
        if batches { " (batches)" } else { "" },
        best * 1e3,
        bytes / best / (1024.0 * 1024.0)
    );
}
