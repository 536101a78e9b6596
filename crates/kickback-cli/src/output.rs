//! Rendering a report: a table for people, JSON and CSV for programs.

use crate::input::Report;
use kickback::{coaching, Fault, Rep};
use serde::Serialize;
use std::fmt::Write as _;

/// Text from a file made safe to print (control characters escaped):
/// everything printed for people goes through this, the readers' own
/// [`kickback_formats::escape`].
pub use kickback_formats::escape as printable;

/// The JSON report of `analyze --format json` (and `check --output`): the
/// report in its documented key order, each set with its coaching
/// `summary`, and one `cues` entry per fault found.
pub fn json(r: &Report) -> anyhow::Result<String> {
    #[derive(Serialize)]
    struct Set<'a> {
        #[serde(flatten)]
        set: &'a kickback::SetSummary,
        summary: coaching::SetCoaching,
    }
    #[derive(Serialize)]
    struct Doc<'a> {
        source: &'a str,
        sample_rate_hz: f64,
        duration_s: f64,
        rep_count: usize,
        sets: Vec<Set<'a>>,
        reps: &'a [Rep],
        summary: &'a kickback::FaultCounts,
        cues: Vec<coaching::Cue>,
        warnings: &'a [kickback::Warning],
        walking: &'a [kickback::Walk],
        gyroscope: bool,
        units: &'a crate::input::Units,
        input: &'a kickback_formats::SourceInfo,
    }
    let a = &r.analysis;
    let doc = Doc {
        source: &r.source,
        sample_rate_hz: a.sample_rate_hz,
        duration_s: a.duration_s,
        rep_count: a.rep_count,
        sets: a
            .sets
            .iter()
            .zip(coaching::set_summaries(a))
            .map(|(set, summary)| Set { set, summary })
            .collect(),
        reps: &a.reps,
        summary: &a.summary,
        cues: coaching::cues(a),
        warnings: &a.warnings,
        walking: &a.walking,
        gyroscope: a.gyroscope,
        units: &r.units,
        input: &r.input,
    };
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

/// `m:ss.s` for times in a recording, `h:mm:ss` from an hour on.
pub fn clock(t: f64) -> String {
    let t = if t.is_finite() { t.max(0.0) } else { 0.0 };
    if t >= 3600.0 {
        let s = t.round() as u64;
        return format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    }
    let m = (t / 60.0).floor();
    format!("{}:{:04.1}", m as u64, t - m * 60.0)
}

/// A length of time for people: `12.3 s`, `4 min 05 s`, `1:02:03` (h:mm:ss).
pub fn duration(t: f64) -> String {
    let t = if t.is_finite() { t.max(0.0) } else { 0.0 };
    if t >= 3600.0 {
        clock(t)
    } else if t >= 60.0 {
        let s = t.round() as u64;
        format!("{} min {:02} s", s / 60, s % 60)
    } else {
        format!("{t:.1} s")
    }
}

/// "1 rep", "3 reps".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Warning kinds in words, singular and plural.
fn warning_words(kind: &str) -> (&str, &str) {
    match kind {
        "gap" => ("gap", "gaps"),
        "no_gyroscope" => ("no gyroscope", "no gyroscope"),
        "invalid_sample" => ("invalid sample", "invalid samples"),
        "time_backwards" => ("time step backwards", "time steps backwards"),
        "duplicate_time" => ("duplicate time", "duplicate times"),
        "short_recording" => ("short recording", "short recording"),
        "no_rest" => ("rest pose guessed", "rest pose guessed"),
        "gyroscope_dropout" => ("gyroscope dropout", "gyroscope dropouts"),
        "input" => ("note on the input", "notes on the input"),
        other => (other, other),
    }
}

/// "1 gap, no gyroscope, 2 notes on the input".
pub fn warning_counts(warnings: &[kickback::Warning]) -> String {
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for w in warnings {
        match kinds.iter_mut().find(|(k, _)| *k == w.kind.as_str()) {
            Some((_, n)) => *n += 1,
            None => kinds.push((w.kind.as_str(), 1)),
        }
    }
    kinds
        .iter()
        .map(|(k, n)| {
            let (one, many) = warning_words(k);
            if one == many {
                one.to_string()
            } else {
                plural(*n, one, many)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
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

/// The coaching lines of one set: "Set 2: 10 reps, 1:05.0–1:48.2, rest
/// 1 min 20 s before", then range, tempo, time under tension and the trend.
fn set_lines(s: &mut String, set: &kickback::SetSummary, c: &coaching::SetCoaching) {
    let rest = c
        .rest_before_s
        .map(|r| format!(", after {} of rest", duration(r)))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "Set {}: {}, {}–{}{rest}",
        set.index,
        plural(set.rep_count, "rep", "reps"),
        clock(set.start_s),
        clock(set.end_s),
    );
    let _ = writeln!(
        s,
        "  range {:.0}° ± {:.0}°; tempo {:.1} s up, {:.1} s hold, {:.1} s down; {} under tension",
        c.range_deg.mean,
        c.range_deg.sd,
        c.tempo.up_s,
        c.tempo.hold_s,
        c.tempo.down_s,
        duration(c.time_under_tension_s)
    );
    if let Some(words) = c.trend.as_ref().and_then(coaching::trend_in_words) {
        let _ = writeln!(s, "  {words}");
    }
    if !c.faults.is_empty() {
        let list: Vec<String> = c
            .faults
            .iter()
            .map(|(f, n)| format!("{} {}", coaching::fault_word(*f), n))
            .collect();
        let _ = writeln!(s, "  faults: {}", list.join(", "));
    }
}

/// The table printed by `kickback analyze`: the reps, each set with its
/// coaching summary, the summary, one cue per fault found, and the warnings.
/// Text from the file is printed with control characters escaped.
pub fn table(r: &Report) -> String {
    let a = &r.analysis;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} — {}, {:.0} Hz, {}, {}",
        printable(&r.source),
        printable(r.input.format.name()),
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
            "\n{:>4} {:>4} {:>8} {:>7} {:>6} {:>6} {:>6} {:>6} {:>8}  form",
            "rep", "set", "start", "range", "peak", "up", "hold", "down", "velocity"
        );
        for rep in &a.reps {
            let _ = writeln!(
                s,
                "{:>4} {:>4} {:>8} {:>5.0}°  {:>5.0}° {:>5.1}s {:>5.1}s {:>5.1}s {:>6.0}°/s  {}",
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
    for (set, c) in a.sets.iter().zip(coaching::set_summaries(a)) {
        set_lines(&mut s, set, &c);
    }
    let faults: Vec<String> = Fault::ALL
        .iter()
        .filter(|f| a.summary.get(**f) > 0)
        .map(|f| format!("{} {}", f.describe(), a.summary.get(*f)))
        .collect();
    let _ = writeln!(
        s,
        "Summary: {} in {}; {}",
        plural(a.rep_count, "rep", "reps"),
        plural(a.sets.len(), "set", "sets"),
        if faults.is_empty() {
            "no faults".to_string()
        } else {
            faults.join(", ")
        }
    );
    let cues = coaching::cues(a);
    if !cues.is_empty() {
        let _ = writeln!(s, "What to change:");
        for c in &cues {
            let _ = writeln!(
                s,
                "  - {} ({}): {}.\n    Why: {}.",
                c.fault.describe(),
                plural(a.summary.get(c.fault), "rep", "reps"),
                c.text,
                c.reason
            );
        }
    }
    if !a.walking.is_empty() {
        let steps: u32 = a.walking.iter().map(|w| w.steps).sum();
        let _ = writeln!(
            s,
            "Walking recognised ({}, {} of this leg; not counted as reps):",
            plural(a.walking.len(), "walk", "walks"),
            plural(steps as usize, "step", "steps")
        );
        for w in &a.walking {
            let _ = writeln!(
                s,
                "  - {}–{} ({}, {})",
                clock(w.start_s),
                clock(w.end_s),
                duration(w.end_s - w.start_s),
                plural(w.steps as usize, "step", "steps")
            );
        }
    }
    if !a.warnings.is_empty() {
        let _ = writeln!(s, "Warnings ({}):", warning_counts(&a.warnings));
        for w in &a.warnings {
            let msg = printable(&w.message);
            match w.t_s {
                Some(t) => {
                    let _ = writeln!(s, "  - at {}: {msg}", clock(t));
                }
                None => {
                    let _ = writeln!(s, "  - {msg}");
                }
            }
        }
    }
    s
}

/// Header of the per-rep CSV: every field of a rep in the JSON report
/// (columns are only ever added at the end).
pub const REP_CSV_HEADER: [&str; 24] = [
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
    "id",
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
                r.id.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_over_an_hour_are_h_mm_ss() {
        let cases = [
            (0.0, "0:00.0", "0.0 s"),
            (59.94, "0:59.9", "59.9 s"),
            (65.0, "1:05.0", "1 min 05 s"),
            (3599.0, "59:59.0", "59 min 59 s"),
            (3600.0, "1:00:00", "1:00:00"),
            (36_000.4, "10:00:00", "10:00:00"),
            (f64::NAN, "0:00.0", "0.0 s"),
        ];
        for (t, c, d) in cases {
            assert_eq!((clock(t).as_str(), duration(t).as_str()), (c, d), "{t}");
        }
    }

    #[test]
    fn counts_are_singular_or_plural() {
        assert_eq!(plural(1, "rep", "reps"), "1 rep");
        assert_eq!(plural(0, "rep", "reps"), "0 reps");
        let w = |kind: &str| -> kickback::Warning {
            let kind = kind.parse().expect("a warning kind");
            kickback::Warning::new(kind, None, "")
        };
        assert_eq!(warning_counts(&[w("gap")]), "1 gap");
        assert_eq!(
            warning_counts(&[w("gap"), w("no_gyroscope"), w("gap")]),
            "2 gaps, no gyroscope"
        );
    }

    /// The report with coaching has every key of the plain report, with the
    /// same values (a key added to the engine's report must be added here).
    #[test]
    fn json_keeps_every_key_of_the_report() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        let mut csv = "time,ax,ay,az,gx,gy,gz\n".to_string();
        // Three 4 s lifts to 1 rad, 2 s apart, after 3 s still.
        for i in 0..2400 {
            let t = i as f64 / 100.0;
            let phase = (t - 3.0).rem_euclid(6.0);
            let on = t > 3.0 && t < 21.0 && phase < 4.0;
            let w = std::f64::consts::PI / 4.0;
            let (lift, rate) = if on {
                ((w * phase).sin(), w * (w * phase).cos())
            } else {
                (0.0, 0.0)
            };
            csv += &format!(
                "{t},0,{},{},{rate},0,0\n",
                9.81 * lift.sin(),
                9.81 * lift.cos()
            );
        }
        std::fs::write(&path, csv).unwrap();
        let r =
            crate::input::analyze_path(&path, &Default::default(), &Default::default()).unwrap();
        // (both through text: the parser's last digit may differ from the value's)
        let plain: serde_json::Value =
            serde_json::from_str(&serde_json::to_string_pretty(&r).unwrap()).unwrap();
        let mut ours: serde_json::Value = serde_json::from_str(&json(&r).unwrap()).unwrap();
        assert!(ours["cues"].is_array());
        assert!(!ours["sets"].as_array().unwrap().is_empty(), "{ours}");
        for set in ours["sets"].as_array_mut().unwrap() {
            set.as_object_mut().unwrap().remove("summary").unwrap();
        }
        ours.as_object_mut().unwrap().remove("cues");
        assert_eq!(ours, plain);
    }
}
