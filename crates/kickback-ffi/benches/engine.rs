//! `cargo bench -p kickback-ffi`: what live analysis costs.
//!
//! * `push/rust` and `push/c_abi`: the cost per pushed sample of a realistic
//!   10-minute 100 Hz recording (simulated sets with faults, rests, jitter),
//!   polling after every push (Rust) or every 64-sample batch (C ABI), as an
//!   app would. Criterion's "thrpt" is samples per second; time per sample is
//!   its inverse.
//! * `whole_file_1h/*`: a 1-hour 100 Hz recording as a generic CSV (about
//!   24 MB): parse with `kickback_formats::open` and analyse, in MB/s
//!   (`bytes`) and samples/s (`samples`).
//!
//! Peak memory is measured by `examples/peak_memory.rs` (see bench/README.md).

#[path = "../support/long_stream.rs"]
mod long_stream;

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use kickback::Sample;
use kickback_ffi::*;
use std::time::Duration;

fn run_rust(samples: &[Sample]) -> usize {
    long_stream::live_rep_count(samples.iter().copied())
}

struct Columns {
    t: Vec<f64>,
    acc: Vec<f64>,
    gyro: Vec<f64>,
}

fn columns(samples: &[Sample]) -> Columns {
    Columns {
        t: samples.iter().map(|s| s.t).collect(),
        acc: samples
            .iter()
            .flat_map(|s| [s.acc.x, s.acc.y, s.acc.z])
            .collect(),
        gyro: samples
            .iter()
            .flat_map(|s| s.gyro.map_or([0.0; 3], |g| [g.x, g.y, g.z]))
            .collect(),
    }
}

fn run_c(c: &Columns) -> usize {
    const BATCH: usize = 64;
    let mut settings = KbSettings::default();
    let mut a = std::ptr::null_mut();
    let mut ev = KbEvent::default();
    let mut reps = 0;
    // SAFETY: valid pointers and lengths; the analyzer is freed once.
    unsafe {
        kb_settings_default(&mut settings);
        assert_eq!(kb_analyzer_new(&settings, &mut a), KB_OK);
        let mut poll = |a| {
            while kb_analyzer_poll(a, &mut ev) == KB_OK {
                reps += (ev.kind == KB_EVENT_REP_COMPLETED) as usize;
            }
        };
        for i in (0..c.t.len()).step_by(BATCH) {
            let n = BATCH.min(c.t.len() - i);
            let st = kb_analyzer_push_many(
                a,
                c.t[i..].as_ptr(),
                c.acc[3 * i..].as_ptr(),
                c.gyro[3 * i..].as_ptr(),
                n,
            );
            assert_eq!(st, KB_OK);
            poll(a);
        }
        kb_analyzer_finish(a);
        poll(a);
        kb_analyzer_free(a);
    }
    reps
}

fn push(c: &mut Criterion) {
    let pool = long_stream::pool(1, 3);
    let samples: Vec<Sample> = long_stream::LongStream::new(&pool, 600.0).collect();
    let cols = columns(&samples);
    let reps = run_rust(&samples);
    assert_eq!(reps, run_c(&cols));
    eprintln!(
        "push: 10-minute recording, {} samples, {reps} reps",
        samples.len()
    );

    let mut g = c.benchmark_group("push");
    g.throughput(Throughput::Elements(samples.len() as u64));
    g.sample_size(20);
    g.bench_function("rust", |b| b.iter(|| run_rust(black_box(&samples))));
    g.bench_function("c_abi", |b| b.iter(|| run_c(black_box(&cols))));
    g.finish();
}

fn parse_and_analyze(path: &std::path::Path) -> (usize, usize) {
    let rec = kickback_formats::open(path, &kickback_formats::ReadOptions::default()).unwrap();
    let mut n = 0;
    let reps = long_stream::live_rep_count(rec.samples().map(|s| {
        n += 1;
        s.unwrap()
    }));
    (n, reps)
}

fn whole_file(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one_hour_100hz.csv");
    let pool = long_stream::pool(1, 4);
    let bytes = long_stream::write_csv(
        std::fs::File::create(&path).unwrap(),
        long_stream::LongStream::new(&pool, 3600.0),
    )
    .unwrap();
    let (samples, reps) = parse_and_analyze(&path);
    eprintln!(
        "whole_file_1h: {} ({:.1} MB, {samples} samples, {reps} reps)",
        path.display(),
        bytes as f64 / 1e6
    );

    let mut g = c.benchmark_group("whole_file_1h");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("bytes", |b| b.iter(|| parse_and_analyze(black_box(&path))));
    g.throughput(Throughput::Elements(samples as u64));
    g.bench_function("samples", |b| {
        b.iter(|| parse_and_analyze(black_box(&path)))
    });
    g.finish();
    // The analysis alone, on samples already in memory, for comparison.
    let mem: Vec<Sample> = kickback_formats::open(&path, &Default::default())
        .unwrap()
        .read_all()
        .unwrap()
        .0;
    let mut g = c.benchmark_group("whole_file_1h_in_memory");
    g.sample_size(10);
    g.throughput(Throughput::Elements(samples as u64));
    g.bench_function("analyze", |b| {
        b.iter_batched(
            || (),
            |_| run_rust(black_box(&mem)),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, push, whole_file);
criterion_main!(benches);
