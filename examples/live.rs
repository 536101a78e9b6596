//! Live analysis with the Rust streaming API: samples arrive one by one, as
//! from a sensor, and each event is printed the moment the analyzer emits it.
//!
//! ```text
//! cargo run -p kickback-ffi --example live                     # a simulated session
//! cargo run -p kickback-ffi --example live -- FILE [--speed X] # any recording kickback reads
//! ```
//!
//! `--speed X` plays the recording back at X times real time (default: as
//! fast as possible); each line starts with the stream time at which the
//! event was known, so the delay between a rep's end and its report shows.

use kickback::{Analyzer, Event, Sample, Settings};
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn samples_from(path: Option<&str>) -> Result<Box<dyn Iterator<Item = Sample>>, String> {
    match path {
        None => {
            let rec = kickback_sim::sample_recording();
            eprintln!(
                "simulated session: {} samples, {} reps in {} sets (kickback-sim seed {})",
                rec.samples.len(),
                rec.truth.reps.len(),
                rec.truth.sets.len(),
                kickback_sim::SAMPLE_SEED
            );
            Ok(Box::new(rec.samples.into_iter()))
        }
        Some(p) => {
            let rec = kickback_formats::open(p.as_ref(), &kickback_formats::ReadOptions::default())
                .map_err(|e| e.to_string())?;
            // A read error ends the stream (and is printed).
            Ok(Box::new(
                rec.samples()
                    .map_while(|s| s.map_err(|e| eprintln!("live: {e}")).ok()),
            ))
        }
    }
}

fn describe(e: &Event) -> Option<String> {
    Some(match e {
        Event::RepStarted { id, t_s } => format!("rep #{id} started at {t_s:.2} s"),
        Event::RepDiscarded { id, t_s, reason } => {
            format!("rep #{id} discarded at {t_s:.2} s: {reason:?}")
        }
        Event::RepCompleted(r) => {
            let faults: Vec<&str> = r.faults.iter().map(|f| f.describe()).collect();
            format!(
                "REP {} (set {}): {:.2}-{:.2} s, range {:.0}°, up {:.2} s, hold {:.2} s, down {:.2} s{}",
                r.index,
                r.set,
                r.start_s,
                r.end_s,
                r.range_deg,
                r.concentric_s,
                r.hold_s,
                r.eccentric_s,
                if faults.is_empty() { String::new() } else { format!("  << {}", faults.join(", ")) }
            )
        }
        Event::SetCompleted(s) => format!(
            "SET {} done: {} reps, median range {:.0}°",
            s.index, s.rep_count, s.median_range_deg
        ),
        Event::Warning(w) => format!("warning [{}]: {}", w.kind, w.message),
        Event::Finished(s) => format!(
            "finished: {:.1} s at {:.0} Hz, {} samples",
            s.duration_s, s.sample_rate_hz, s.samples
        ),
        _ => return None, // kinds added later (e.g. a trace) are not shown
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut path = None;
    let mut speed = 0.0;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--speed" => match it.next().and_then(|s| s.parse::<f64>().ok()) {
                Some(x) if x.is_finite() && x >= 0.0 => speed = x,
                _ => {
                    eprintln!("live: --speed needs a number ≥ 0");
                    return ExitCode::from(1);
                }
            },
            _ if path.is_none() && !a.starts_with("--") => path = Some(a.as_str()),
            _ => {
                eprintln!("usage: live [FILE] [--speed X]");
                return ExitCode::from(1);
            }
        }
    }
    let samples = match samples_from(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("live: {e}");
            return ExitCode::from(2);
        }
    };
    let mut analyzer = Analyzer::new(Settings::default()).expect("default settings are valid");
    let wall = Instant::now();
    let mut t0 = None;
    let mut now = 0.0;
    for s in samples {
        let first = *t0.get_or_insert(s.t);
        now = s.t - first;
        if speed > 0.0 {
            let due = Duration::from_secs_f64(now.max(0.0) / speed);
            if let Some(wait) = due.checked_sub(wall.elapsed()) {
                std::thread::sleep(wait);
            }
        }
        analyzer.push(s);
        while let Some(e) = analyzer.poll() {
            if let Some(line) = describe(&e) {
                println!("[{now:8.2} s] {line}");
            }
        }
    }
    analyzer.finish();
    for e in analyzer.drain() {
        if let Some(line) = describe(&e) {
            println!("[{now:8.2} s] {line}");
        }
    }
    ExitCode::SUCCESS
}
