//! Benchmark of `kickback check` over a folder of simulated recordings.
//!
//! 1. Builds (once, cached under the target folder) a corpus of
//!    `KICKBACK_BENCH_N` (default 500) short simulated recordings
//!    (kickback-sim, `mixed` scenario, compact: 2 sets, 100 Hz or less).
//! 2. Throughput: times `check::run` over the whole corpus with 1 worker and
//!    with 2 workers (best of 2 runs each) and prints the speed-up and the
//!    cores busy on average (CPU time / wall time); the target is at least
//!    1.7× on 2 cores.
//! 3. Memory: peak RSS (VmHWM, reset through /proc/self/clear_refs) while
//!    checking the first 100 recordings and then all of them: it should not
//!    grow with the batch.
//! 4. Criterion: recordings per second with 1 and 2 workers over the first
//!    50 recordings.
//!
//! Run with `cargo bench -p kickback-cli --bench check`.

use criterion::{BenchmarkId, Criterion, Throughput};
use kickback::Settings;
use kickback_cli::check::{self, CheckConfig, Status, Target};
use kickback_sim::{generate_with, write_recording, Scenario, SimOptions};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SEED: u64 = 5_000;

fn corpus(n: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("check-corpus-mixed-{SEED}-{n}"));
    let done = dir.join(".complete");
    if done.exists() {
        return dir;
    }
    let t = Instant::now();
    let opts = SimOptions::compact();
    (0..n).into_par_iter().for_each(|i| {
        let rec = generate_with(Scenario::Mixed, SEED + i as u64, &opts);
        write_recording(&dir, &format!("rec_{i:04}"), &rec).expect("writing the corpus");
    });
    std::fs::write(&done, "").expect("writing the corpus marker");
    eprintln!(
        "built {n} recordings in {:.1} s: {}",
        t.elapsed().as_secs_f64(),
        dir.display()
    );
    dir
}

fn config(jobs: usize) -> CheckConfig {
    let mut c = CheckConfig::new(Settings::default());
    c.jobs = jobs;
    c
}

/// CPU time (user + system) of this process so far, s (all threads).
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(") ").map_or("", |x| x.1);
    // After the command name: field 3 (state) is index 0, so utime (field
    // 14) is index 11 and stime (field 15) index 12, in USER_HZ = 100 ticks.
    let f: Vec<&str> = after.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
    match (tick(11), tick(12)) {
        (Some(u), Some(s)) => (u + s) / 100.0,
        _ => f64::NAN,
    }
}

/// Runs a check; returns the wall time and the average number of cores busy.
fn timed(targets: &[Target], jobs: usize) -> (Duration, f64) {
    let c0 = cpu_s();
    let wall = check_all(targets, jobs);
    (wall, (cpu_s() - c0) / wall.as_secs_f64())
}

fn check_all(targets: &[Target], jobs: usize) -> Duration {
    let t = Instant::now();
    let out = check::run(targets, &config(jobs)).expect("check runs");
    let elapsed = t.elapsed();
    let errors = out.iter().filter(|o| o.status == Status::Error).count();
    assert_eq!(errors, 0, "simulated recordings must all be readable");
    assert_eq!(out.len(), targets.len());
    elapsed
}

/// Peak resident set size of this process, kB (VmHWM).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets VmHWM to the current RSS (Linux ≥ 4.0).
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn main() {
    let n: usize = std::env::var("KICKBACK_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let dir = corpus(n);
    let targets = check::expand(&[dir.display().to_string()]);
    assert_eq!(targets.len(), n, "corpus at {}", dir.display());
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());

    // Throughput, whole corpus. One untimed run warms the page cache.
    check_all(&targets, 2);
    let best = |jobs| {
        (0..2)
            .map(|_| timed(&targets, jobs))
            .min_by_key(|r| r.0)
            .unwrap()
    };
    let (one, cores1) = best(1);
    let (two, cores2) = best(2);
    let ratio = one.as_secs_f64() / two.as_secs_f64();
    println!(
        "check over {n} recordings: --jobs 1 {:.2} s ({:.0} rec/s, {cores1:.2} cores busy), \
         --jobs 2 {:.2} s ({:.0} rec/s, {cores2:.2} cores busy): {ratio:.2}x",
        one.as_secs_f64(),
        n as f64 / one.as_secs_f64(),
        two.as_secs_f64(),
        n as f64 / two.as_secs_f64(),
    );
    println!(
        "target: >= 1.7x with 2 cores ({}); this machine has {cores} core{}; with other load on it \
         the busy-core figures show how much CPU the run could get",
        if ratio >= 1.7 { "met" } else { "NOT met" },
        if cores == 1 { "" } else { "s" },
    );

    // Memory: peak RSS for a small and the whole batch.
    let small = n.min(100);
    let quick = n.min(50);
    if reset_peak_rss() {
        check_all(&targets[..small], 2);
        let a = peak_rss_kb();
        reset_peak_rss();
        check_all(&targets, 2);
        let b = peak_rss_kb();
        if let (Some(a), Some(b)) = (a, b) {
            println!(
                "peak RSS: {small} recordings {:.1} MiB, {n} recordings {:.1} MiB ({:+.1}%)",
                a as f64 / 1024.0,
                b as f64 / 1024.0,
                (b as f64 / a as f64 - 1.0) * 100.0
            );
        }
    } else if let Some(b) = peak_rss_kb() {
        println!(
            "peak RSS (could not reset VmHWM; includes building the corpus): {:.1} MiB",
            b as f64 / 1024.0
        );
    }

    // Criterion: recordings per second on the first 50.
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let mut g = c.benchmark_group("check");
    g.throughput(Throughput::Elements(quick as u64));
    for jobs in [1, 2] {
        g.bench_with_input(BenchmarkId::new("jobs", jobs), &jobs, |b, &jobs| {
            b.iter(|| check_all(&targets[..quick], jobs))
        });
    }
    g.finish();
    c.final_summary();
}
