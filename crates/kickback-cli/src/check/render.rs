//! The batch's outcomes rendered for people (a table) and programs (JSON,
//! CSV): one [`Renderer`] per format, so another format is one more type.

use super::run::{Outcome, Status, Totals};
use crate::output::{self, printable};
use anyhow::Result;
use kickback::{Fault, Rep};
use serde::Serialize;
use std::fmt::Write as _;

/// A way to write a batch's outcomes.
pub trait Renderer {
    /// One row (or entry) per recording, then the totals.
    fn per_recording(&self, outcomes: &[Outcome], totals: &Totals) -> Result<Vec<u8>>;
    /// One row per rep of every recording read; `None` when the format has
    /// no per-rep form.
    fn per_rep(&self, outcomes: &[Outcome], totals: &Totals) -> Option<Result<Vec<u8>>>;
}

/// The summary table for people.
pub struct Table;
/// One JSON document.
pub struct Json;
/// CSV rows.
pub struct Csv;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Shortens `s` to `width` characters, keeping its end.
fn fit(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        s.to_string()
    } else {
        let tail: String = s.chars().skip(n + 1 - width).collect();
        format!("…{tail}")
    }
}

impl Renderer for Table {
    fn per_recording(&self, outcomes: &[Outcome], totals: &Totals) -> Result<Vec<u8>> {
        Ok(summary_table(outcomes, totals).into_bytes())
    }
    fn per_rep(&self, _: &[Outcome], _: &Totals) -> Option<Result<Vec<u8>>> {
        None
    }
}

/// The summary table: one line per recording, then totals and the exit status.
pub fn summary_table(outcomes: &[Outcome], totals: &Totals) -> String {
    let sources: Vec<String> = outcomes
        .iter()
        .map(|o| printable(&o.source).into_owned())
        .collect();
    let width = sources
        .iter()
        .map(|s| s.chars().count())
        .chain(["recording".len()])
        .max()
        .unwrap_or(9)
        .min(60);
    let fwidth = outcomes
        .iter()
        .filter_map(|o| o.format.as_ref().map(|f| f.chars().count()))
        .chain(["format".len()])
        .max()
        .unwrap_or(6)
        .min(24);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<width$}  {:<fwidth$} {:>5} {:>4} {:>5} {:>5} {:>9} {:>7} {:>8} {:>8}  verdict",
        "recording",
        "format",
        "Hz",
        "gyro",
        "reps",
        "sets",
        "momentum",
        "lumbar",
        "partial",
        "warnings"
    );
    let dash = |v: Option<usize>| v.map_or("-".to_string(), |n| n.to_string());
    for (o, source) in outcomes.iter().zip(&sources) {
        let c = |f: Fault| o.summary.map(|s| s.get(f));
        let format = o.format.as_deref().map_or("-".into(), printable);
        let _ = writeln!(
            s,
            "{:<width$}  {:<fwidth$} {:>5} {:>4} {:>5} {:>5} {:>9} {:>7} {:>8} {:>8}  {}",
            fit(source, width),
            fit(&format, fwidth),
            o.sample_rate_hz.map_or("-".into(), |r| format!("{r:.0}")),
            o.gyroscope.map_or("-", |g| if g { "yes" } else { "no" }),
            dash(o.rep_count),
            dash(o.set_count),
            dash(c(Fault::Momentum)),
            dash(c(Fault::LumbarOverextension)),
            dash(c(Fault::PartialRange)),
            if o.status == Status::Error {
                "-".to_string()
            } else {
                o.warning_count.to_string()
            },
            o.verdict()
        );
    }
    let _ = writeln!(
        s,
        "{:<width$}  {:<fwidth$} {:>5} {:>4} {:>5} {:>5} {:>9} {:>7} {:>8}",
        "total",
        "",
        "",
        "",
        totals.reps,
        totals.sets,
        totals.summary.momentum,
        totals.summary.lumbar_overextension,
        totals.summary.partial_range
    );
    let _ = writeln!(
        s,
        "\n{}: {} ok, {} with faults, {} with warnings, {} unusable, {} unreadable; {} in {}.",
        plural(totals.recordings, "recording", "recordings"),
        totals.ok,
        totals.faults,
        totals.warnings,
        totals.unusable,
        totals.errors,
        plural(totals.reps, "rep", "reps"),
        plural(totals.sets, "set", "sets"),
    );
    let fail_on = totals.fail_on.join(", ");
    let bad = |status: Status| {
        outcomes
            .iter()
            .filter(|o| o.fails && o.status == status)
            .count()
    };
    let why = match totals.exit_code {
        2 => {
            let mut parts = Vec::new();
            if bad(Status::Error) > 0 {
                parts.push(format!(
                    "{} could not be read",
                    plural(bad(Status::Error), "recording", "recordings")
                ));
            }
            if bad(Status::Unusable) > 0 {
                parts.push(format!(
                    "{} {} unusable",
                    plural(bad(Status::Unusable), "recording", "recordings"),
                    if bad(Status::Unusable) == 1 {
                        "is"
                    } else {
                        "are"
                    }
                ));
            }
            parts.join("; ")
        }
        1 => format!(
            "{} {} a fault or warning named in --fail-on ({fail_on})",
            plural(totals.failing, "recording", "recordings"),
            if totals.failing == 1 { "has" } else { "have" }
        ),
        _ => format!("no recording fails the check (--fail-on {fail_on})"),
    };
    let _ = writeln!(s, "Exit status {}: {why}.", totals.exit_code);
    s
}

impl Renderer for Json {
    /// `{"recordings": [...], "totals": {...}}`.
    fn per_recording(&self, outcomes: &[Outcome], totals: &Totals) -> Result<Vec<u8>> {
        #[derive(Serialize)]
        struct Doc<'a> {
            recordings: &'a [Outcome],
            totals: &'a Totals,
        }
        Ok((serde_json::to_string_pretty(&Doc {
            recordings: outcomes,
            totals,
        })? + "\n")
            .into_bytes())
    }

    /// `{"reps": [{"source", ...rep}], "errors": [{"source", "error"}], "totals": {...}}`.
    fn per_rep(&self, outcomes: &[Outcome], totals: &Totals) -> Option<Result<Vec<u8>>> {
        #[derive(Serialize)]
        struct RepRow<'a> {
            source: &'a str,
            #[serde(flatten)]
            rep: &'a Rep,
        }
        #[derive(Serialize)]
        struct ErrorRow<'a> {
            source: &'a str,
            status: Status,
            error: &'a str,
        }
        #[derive(Serialize)]
        struct Doc<'a> {
            reps: Vec<RepRow<'a>>,
            errors: Vec<ErrorRow<'a>>,
            totals: &'a Totals,
        }
        let doc = Doc {
            reps: outcomes
                .iter()
                .flat_map(|o| {
                    o.reps.iter().map(|rep| RepRow {
                        source: &o.source,
                        rep,
                    })
                })
                .collect(),
            errors: outcomes
                .iter()
                .filter_map(|o| {
                    let error = o
                        .error
                        .as_deref()
                        .or(o.unusable.as_ref().map(|u| u.message.as_str()))?;
                    Some(ErrorRow {
                        source: &o.source,
                        status: o.status,
                        error,
                    })
                })
                .collect(),
            totals,
        };
        Some(
            serde_json::to_string_pretty(&doc)
                .map(|s| (s + "\n").into_bytes())
                .map_err(Into::into),
        )
    }
}

/// Header of the per-recording CSV (columns are only ever added at the end).
pub const RECORDING_CSV_HEADER: [&str; 16] = [
    "source",
    "status",
    "error",
    "rep_count",
    "set_count",
    "duration_s",
    "momentum",
    "lumbar_overextension",
    "partial_range",
    "fails",
    "format",
    "sample_rate_hz",
    "gyroscope",
    "warning_count",
    "warning_kinds",
    "unusable",
];

impl Renderer for Csv {
    /// One CSV row per recording (errors included, with empty counts).
    fn per_recording(&self, outcomes: &[Outcome], _: &Totals) -> Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(RECORDING_CSV_HEADER)?;
        let opt = |v: Option<usize>| v.map(|n| n.to_string()).unwrap_or_default();
        for o in outcomes {
            let c = |f: Fault| opt(o.summary.map(|s| s.get(f)));
            let read = o.status != Status::Error;
            w.write_record([
                o.source.clone(),
                o.status.as_str().to_string(),
                o.error.clone().unwrap_or_default(),
                opt(o.rep_count),
                opt(o.set_count),
                o.duration_s.map(|d| format!("{d:.3}")).unwrap_or_default(),
                c(Fault::Momentum),
                c(Fault::LumbarOverextension),
                c(Fault::PartialRange),
                (o.fails as u8).to_string(),
                o.format.clone().unwrap_or_default(),
                o.sample_rate_hz
                    .map(|r| format!("{r:.2}"))
                    .unwrap_or_default(),
                o.gyroscope
                    .map(|g| (g as u8).to_string())
                    .unwrap_or_default(),
                if read {
                    o.warning_count.to_string()
                } else {
                    String::new()
                },
                o.warning_kinds.join(";"),
                o.unusable
                    .as_ref()
                    .map(|u| u.message.clone())
                    .unwrap_or_default(),
            ])?;
        }
        Ok(w.into_inner()?)
    }

    /// One CSV row per rep of every recording read (the `analyze --format
    /// csv` columns). Recordings with no rows are said on stderr.
    fn per_rep(&self, outcomes: &[Outcome], _: &Totals) -> Option<Result<Vec<u8>>> {
        let run = || -> Result<Vec<u8>> {
            for o in outcomes {
                let why = o
                    .error
                    .as_deref()
                    .or(o.unusable.as_ref().map(|u| u.message.as_str()));
                if let Some(why) = why {
                    eprintln!(
                        "kickback: {}: {}: {}",
                        printable(&o.source),
                        o.status.as_str(),
                        printable(why)
                    );
                }
            }
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(output::REP_CSV_HEADER)?;
            for o in outcomes {
                for row in output::rep_rows(&o.source, &o.reps) {
                    w.write_record(&row)?;
                }
            }
            Ok(w.into_inner()?)
        };
        Some(run())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_keep_their_end() {
        assert_eq!(fit("abcdef", 4), "…def");
        assert_eq!(fit("abc", 4), "abc");
    }
}
