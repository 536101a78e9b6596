//! Read throughput of the streaming single-file path: a synthetic 1-hour
//! 100 Hz generic CSV shaped like the exports `kickback` is benchmarked on
//! (`time_s,ax,ay,az,gx,gy,gz`, epoch seconds with µs, SI values with 6
//! decimals, ~75 bytes a row, ~27 MB), opened and fully consumed with
//! `open(..).samples()`, item by item and with `Samples::next_batch`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kickback_formats::{open, ReadOptions};
use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes 1 hour at 100 Hz of plausible kickback-like motion.
fn write_csv(path: &Path) -> u64 {
    let f = std::fs::File::create(path).unwrap();
    let mut w = BufWriter::new(f);
    writeln!(w, "time_s,ax,ay,az,gx,gy,gz").unwrap();
    let n = 3600 * 100;
    for i in 0..n {
        // epoch seconds with a little clock jitter, like a phone's timestamps
        let t = i as f64 * 0.01;
        let epoch = 1_721_919_217.626_975 + t + 0.000_3 * (t * 13.1).sin();
        // slow reps (~0.4 Hz) plus a little fast "noise" from incommensurate sines
        let p = 2.0 * std::f64::consts::PI * 0.4 * t;
        let nz = (t * 37.3).sin() * 0.05 + (t * 91.7).cos() * 0.03;
        let ax = 1.9 * p.sin() + nz;
        let ay = -0.7 * (p * 0.5).cos() + 0.4 * nz;
        let az = 9.80665 * (0.3 * p.sin()).cos() + nz;
        let gx = 1.8 * p.cos() + 0.1 * nz;
        let gy = 0.35 * (2.0 * p).sin() - nz;
        let gz = -0.2 * p.sin() * p.cos() + 0.5 * nz;
        writeln!(
            w,
            "{epoch:.6},{ax:.6},{ay:.6},{az:.6},{gx:.6},{gy:.6},{gz:.6}"
        )
        .unwrap();
    }
    w.flush().unwrap();
    drop(w);
    std::fs::metadata(path).unwrap().len()
}

fn bench_read(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hour.csv");
    let bytes = write_csv(&path);
    let opts = ReadOptions::default();
    // sanity: every row becomes a sample
    let n = open(&path, &opts).unwrap().samples().count();
    assert_eq!(n, 360_000);

    let mut g = c.benchmark_group("read");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("generic_1h_100hz", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for s in open(&path, &opts).unwrap().samples() {
                let s = s.unwrap();
                acc += s.t + s.acc.x + s.gyro.map_or(0.0, |g| g.z);
            }
            std::hint::black_box(acc)
        })
    });
    // the same through Samples::next_batch (as `kickback analyze` reads)
    g.bench_function("generic_1h_100hz_batches", |b| {
        let mut batch = Vec::with_capacity(4096);
        b.iter(|| {
            let mut acc = 0.0;
            let mut samples = open(&path, &opts).unwrap().samples();
            loop {
                batch.clear();
                let more = samples.next_batch(&mut batch, 4096).unwrap();
                for s in &batch {
                    acc += s.t + s.acc.x + s.gyro.map_or(0.0, |g| g.z);
                }
                if !more {
                    break;
                }
            }
            std::hint::black_box(acc)
        })
    });
    g.finish();
}

criterion_group!(benches, bench_read);
criterion_main!(benches);
