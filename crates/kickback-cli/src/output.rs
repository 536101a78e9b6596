//! Rendering a report: a table for people, JSON and CSV for programs.

use crate::input::Report;
use kickback::{coaching, Fault, Rep};
use std::borrow::Cow;
use std::fmt::Write as _;

/// `s` with every control character (ESC, BEL, CR, tab, newline, DEL, C1)
/// escaped as `\x1b` / `\u{9b}`, so text from a file never drives the
/// terminal. Everything printed for people goes through this.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            let n = c as u32;
            if n < 0x80 {
                let _ = write!(out, "\\x{n:02x}");
            } else {
                let _ = write!(out, "\\u{{{n:x}}}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The JSON report of `analyze --format json` (and `check --output`): the
/// report, each set with its coaching `summary`, and one `cues` entry per
/// fault found.
pub fn json(r: &Report) -> anyhow::Result<String> {
    let mut v = serde_json::to_value(r)?;
    let summaries = coaching::set_summaries(&r.analysis);
    if let Some(sets) = v.get_mut("sets").and_then(|s| s.as_array_mut()) {
        for (set, summary) in sets.iter_mut().zip(summaries) {
            if let Some(o) = set.as_object_mut() {
                o.insert("summary".into(), serde_json::to_value(summary)?);
            }
        }
    }
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "cues".into(),
            serde_json::to_value(coaching::cues(&r.analysis))?,
        );
    }
    Ok(serde_json::to_string_pretty(&v)? + "\n")
}

/// `m:ss.s` for times in a recording.
pub fn clock(t: f64) -> String {
    let t = t.max(0.0);
    let m = (t / 60.0).floor();
    format!("{}:{:04.1}", m as u64, t - m * 60.0)
}

fn duration(t: f64) -> String {
    if t >= 60.0 {
        let m = (t / 60.0).floor();
        format!("{} min {:.0} s", m as u64, t - m * 60.0)
    } else {
        format!("{t:.1} s")
    }
}

fn faults_in_words(rep: &Rep) -> String {
    if rep.faults.is_empty() {
        return "ok".into();
    }
    rep.faults
        .iter()
        .map(|f| f.describe())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The table printed by `kickback analyze`.
pub fn table(r: &Report) -> String {
    let a = &r.analysis;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} — {}, {:.0} Hz, {}, {}",
        r.source,
        r.input.format,
        a.sample_rate_hz,
        duration(a.duration_s),
        if a.gyroscope {
            "accelerometer + gyroscope"
        } else {
            "accelerometer only"
        }
    );
    if a.reps.is_empty() {
        let _ = writeln!(s, "\nNo reps found.");
    } else {
        let _ = writeln!(
            s,
            "\n{:>4} {:>4} {:>8} {:>6} {:>6} {:>6} {:>6} {:>6} {:>8}  form",
            "rep", "set", "start", "range", "peak", "up", "hold", "down", "velocity"
        );
        for rep in &a.reps {
            let _ = writeln!(
                s,
                "{:>4} {:>4} {:>8} {:>5.0}° {:>5.0}° {:>5.1}s {:>5.1}s {:>5.1}s {:>6.0}°/s  {}",
                rep.index,
                rep.set,
                clock(rep.start_s),
                rep.range_deg,
                rep.peak_elevation_deg,
                rep.concentric_s,
                rep.hold_s,
                rep.eccentric_s,
                rep.peak_velocity_dps,
                faults_in_words(rep)
            );
        }
    }
    let _ = writeln!(s);
    for set in &a.sets {
        let _ = writeln!(
            s,
            "Set {}: {} reps, {}–{}, median range {:.0}°",
            set.index,
            set.rep_count,
            clock(set.start_s),
            clock(set.end_s),
            set.median_range_deg
        );
    }
    let faults: Vec<String> = Fault::ALL
        .iter()
        .filter(|f| a.summary.get(**f) > 0)
        .map(|f| format!("{} {}", f.describe(), a.summary.get(*f)))
        .collect();
    let _ = writeln!(
        s,
        "Summary: {} reps in {} set{}; {}",
        a.rep_count,
        a.sets.len(),
        if a.sets.len() == 1 { "" } else { "s" },
        if faults.is_empty() {
            "no faults".to_string()
        } else {
            faults.join(", ")
        }
    );
    if !a.warnings.is_empty() {
        let _ = writeln!(s, "Warnings:");
        for w in &a.warnings {
            match w.t_s {
                Some(t) => {
                    let _ = writeln!(s, "  - at {}: {}", clock(t), w.message);
                }
                None => {
                    let _ = writeln!(s, "  - {}", w.message);
                }
            }
        }
    }
    s
}

/// Header of the per-rep CSV: every field of a rep in the JSON report
/// (columns are only ever added at the end).
pub const REP_CSV_HEADER: [&str; 23] = [
    "source",
    "index",
    "set",
    "start_s",
    "peak_s",
    "end_s",
    "range_deg",
    "peak_elevation_deg",
    "concentric_s",
    "hold_s",
    "eccentric_s",
    "peak_velocity_dps",
    "momentum",
    "lumbar_overextension",
    "partial_range",
    "peak_eccentric_velocity_dps",
    "windup_deg",
    "momentum_fast_concentric",
    "momentum_high_peak_velocity",
    "momentum_no_hold",
    "momentum_windup",
    "momentum_fast_drop",
    "momentum_score",
];

/// One CSV row per rep.
pub fn rep_rows(source: &str, reps: &[Rep]) -> Vec<Vec<String>> {
    reps.iter()
        .map(|r| {
            let bit = |b: bool| (b as u8).to_string();
            let flag = |f: Fault| bit(r.has(f));
            vec![
                source.to_string(),
                r.index.to_string(),
                r.set.to_string(),
                format!("{:.3}", r.start_s),
                format!("{:.3}", r.peak_s),
                format!("{:.3}", r.end_s),
                format!("{:.1}", r.range_deg),
                format!("{:.1}", r.peak_elevation_deg),
                format!("{:.3}", r.concentric_s),
                format!("{:.3}", r.hold_s),
                format!("{:.3}", r.eccentric_s),
                format!("{:.1}", r.peak_velocity_dps),
                flag(Fault::Momentum),
                flag(Fault::LumbarOverextension),
                flag(Fault::PartialRange),
                format!("{:.1}", r.peak_eccentric_velocity_dps),
                format!("{:.1}", r.windup_deg),
                bit(r.momentum.fast_concentric),
                bit(r.momentum.high_peak_velocity),
                bit(r.momentum.no_hold),
                bit(r.momentum.windup),
                bit(r.momentum.fast_drop),
                format!("{:.2}", r.momentum.score),
            ]
        })
        .collect()
}

/// The per-rep CSV of one report.
pub fn csv(r: &Report) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(REP_CSV_HEADER)?;
    for row in rep_rows(&r.source, &r.analysis.reps) {
        w.write_record(&row)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
