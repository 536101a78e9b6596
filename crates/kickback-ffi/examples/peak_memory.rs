//! Peak memory of live analysis against recording length.
//!
//! ```text
//! cargo run --release -p kickback-ffi --example peak_memory -- SECONDS
//! ```
//!
//! Streams SECONDS of simulated 100 Hz data (a few simulated recordings
//! played back to back, generated up front and never copied) through the C
//! ABI in batches of 64 samples, polling after each batch as an app would, and
//! prints the resident memory before streaming (VmRSS) and its peak while
//! streaming (VmHWM from /proc/self/status, reset after the simulation via
//! /proc/self/clear_refs). Run it once per length, one process each.

#[path = "../support/long_stream.rs"]
mod long_stream;

use kickback_ffi::*;
use std::process::ExitCode;

/// A field of /proc/self/status, KiB.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets VmHWM to the current RSS (Linux ≥ 4.0), so the peak measured is
/// that of streaming, not of simulating the recordings beforehand.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn main() -> ExitCode {
    let seconds: f64 = match std::env::args().nth(1).map(|s| s.parse()) {
        Some(Ok(s)) if f64::is_finite(s) && s > 0.0 => s,
        _ => {
            eprintln!("usage: peak_memory SECONDS");
            return ExitCode::from(1);
        }
    };
    let pool = long_stream::pool(1, 3);
    let reset = reset_peak();
    let before = status_kib("VmRSS:");

    let mut settings = KbSettings::default();
    let mut a = std::ptr::null_mut();
    let mut ev = KbEvent::default();
    let (mut samples, mut reps) = (0u64, 0u64);
    // SAFETY: the pointers are valid; the analyzer is freed once, at the end.
    unsafe {
        kb_settings_default(&mut settings);
        assert_eq!(kb_analyzer_new(&settings, &mut a), KB_OK);
        let (mut t, mut acc, mut gyro) = (
            Vec::with_capacity(64),
            Vec::with_capacity(192),
            Vec::with_capacity(192),
        );
        let mut stream = long_stream::LongStream::new(&pool, seconds).peekable();
        while stream.peek().is_some() {
            t.clear();
            acc.clear();
            gyro.clear();
            for s in stream.by_ref().take(64) {
                t.push(s.t);
                acc.extend(s.acc.iter());
                gyro.extend(s.gyro.unwrap_or_default().iter());
            }
            samples += t.len() as u64;
            assert_eq!(
                kb_analyzer_push_many(a, t.as_ptr(), acc.as_ptr(), gyro.as_ptr(), t.len()),
                KB_OK
            );
            while kb_analyzer_poll(a, &mut ev) == KB_OK {
                reps += (ev.kind == KB_EVENT_REP_COMPLETED) as u64;
            }
        }
        kb_analyzer_finish(a);
        while kb_analyzer_poll(a, &mut ev) == KB_OK {
            reps += (ev.kind == KB_EVENT_REP_COMPLETED) as u64;
        }
        kb_analyzer_free(a);
    }
    let after = status_kib("VmHWM:");
    let show = |v: Option<u64>| {
        v.map_or("n/a".to_string(), |k| {
            format!("{:.1} MiB", k as f64 / 1024.0)
        })
    };
    println!(
        "duration {seconds} s, {samples} samples, {reps} reps: RSS before streaming {}, peak while streaming {}{} (growth {})",
        show(before),
        show(after),
        if reset { "" } else { " (could not reset VmHWM: includes the simulation)" },
        match (before, after) {
            (Some(b), Some(a)) => format!("{} KiB", a - b),
            _ => "n/a".to_string(),
        }
    );
    ExitCode::SUCCESS
}
