//! What a person reads about a session: each fault in one word, one plain
//! cue per fault with its reason, and a per-set summary (reps, range and its
//! spread, tempo, time under tension, rest, and how range and speed change
//! through the set).
//!
//! The cues and their reasons come from the biomechanics reference the
//! detectors' defaults come from (`BIOMECHANICS.md`, sections cited).
//!
//! ```
//! use kickback::{coaching, Fault};
//! assert_eq!(coaching::fault_word(Fault::LumbarOverextension), "lumbar");
//! assert!(coaching::cue(Fault::Momentum).text.contains("2 s up"));
//! ```

use crate::report::{Analysis, Fault, Rep};
use serde::{Deserialize, Serialize};

/// The one word for a fault in tables, plots and `--fail-on`
/// (`momentum`, `lumbar`, `partial`).
pub fn fault_word(fault: Fault) -> &'static str {
    match fault {
        Fault::Momentum => "momentum",
        Fault::LumbarOverextension => "lumbar",
        Fault::PartialRange => "partial",
    }
}

/// A fault from its word ([`fault_word`]) or its name ([`Fault::parse`]).
///
/// ```
/// use kickback::{coaching, Fault};
/// assert_eq!(coaching::parse_fault("partial"), Some(Fault::PartialRange));
/// assert_eq!(coaching::parse_fault("lumbar-overextension"), Some(Fault::LumbarOverextension));
/// assert_eq!(coaching::parse_fault("wobble"), None);
/// ```
pub fn parse_fault(name: &str) -> Option<Fault> {
    let n = name.trim().to_ascii_lowercase();
    Fault::ALL
        .into_iter()
        .find(|f| fault_word(*f) == n)
        .or_else(|| Fault::parse(&n))
}

/// What to change about a fault, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cue {
    /// The fault this cue is for.
    pub fault: Fault,
    /// What to do, in a few plain words.
    pub text: String,
    /// Why, with the source of the numbers.
    pub reason: String,
}

/// The cue for `fault`.
pub fn cue(fault: Fault) -> Cue {
    let (text, reason) = match fault {
        Fault::Momentum => (
            "slow the lift: about 2 s up and a 1 s squeeze at the top",
            "a kick thrown in under 0.6 s, faster than 150 °/s or without a pause at the top \
             is carried by the swing, not the glute; guidance is 1–2 s up, ~1 s pause at peak \
             contraction, 1–2 s down (ACSM; BIOMECHANICS §2.1, §5.2)",
        ),
        Fault::LumbarOverextension => (
            "stop the kick where the hips stop; brace the trunk",
            "past the torso hinge plus ~20° of hip extension the leg only rises further by \
             arching the lower back; bracing or drawing in the abdomen lowers that arch and \
             shifts the work to the glute (BIOMECHANICS §1.2, §1.3)",
        ),
        Fault::PartialRange => (
            "finish each rep as far back as the first ones",
            "a rep well short of the set's usual range loads the glute less at the end range \
             where it works hardest; a range that shrinks through a set is a sign of fatigue \
             (BIOMECHANICS §2.1, §5.2)",
        ),
    };
    Cue {
        fault,
        text: text.into(),
        reason: reason.into(),
    }
}

/// One cue per fault found in `analysis`, in [`Fault::ALL`] order.
pub fn cues(analysis: &Analysis) -> Vec<Cue> {
    Fault::ALL
        .into_iter()
        .filter(|f| analysis.summary.get(*f) > 0)
        .map(cue)
        .collect()
}

/// Mean and spread (population standard deviation) of some values.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Spread {
    /// Mean.
    pub mean: f64,
    /// Standard deviation (0 for a single value).
    pub sd: f64,
}

impl Spread {
    fn of(values: impl Iterator<Item = f64>) -> Spread {
        let v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return Spread::default();
        }
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        Spread {
            mean,
            sd: var.sqrt(),
        }
    }
}

/// The average tempo of a set's reps, s.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tempo {
    /// Mean time rising.
    pub up_s: f64,
    /// Mean time held at the top.
    pub hold_s: f64,
    /// Mean time lowering.
    pub down_s: f64,
}

/// How a set changed from its first reps to its last (fatigue).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Trend {
    /// Change in range from the first third of the set to the last, % of the first.
    pub range_change_pct: f64,
    /// Change in peak rising speed from the first third to the last, % of the first.
    pub speed_change_pct: f64,
}

/// A change this large (either way) through a set is worth saying, %.
pub const TREND_NOTABLE_PCT: f64 = 10.0;

/// The coaching summary of one set.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SetCoaching {
    /// Reps in the set.
    pub reps: usize,
    /// Range of the reps, degrees.
    pub range_deg: Spread,
    /// Mean tempo.
    pub tempo: Tempo,
    /// Time under tension: the reps' durations added up, s.
    pub time_under_tension_s: f64,
    /// Rest before the set (since the previous set's end), s; `None` for the first set.
    pub rest_before_s: Option<f64>,
    /// Range and speed through the set; `None` under 4 reps.
    pub trend: Option<Trend>,
    /// Reps with each fault, in [`Fault::ALL`] order (faults absent are left out).
    pub faults: Vec<(Fault, usize)>,
}

fn thirds(reps: &[&Rep], value: impl Fn(&Rep) -> f64) -> Option<f64> {
    let k = reps.len() / 3;
    let mean = |s: &[&Rep]| s.iter().map(|r| value(r)).sum::<f64>() / s.len() as f64;
    let (first, last) = (mean(&reps[..k]), mean(&reps[reps.len() - k..]));
    (first.abs() > 1e-9).then(|| (last - first) / first * 100.0)
}

/// The coaching summary of every set of `analysis`, in order.
pub fn set_summaries(analysis: &Analysis) -> Vec<SetCoaching> {
    let mut out = Vec::with_capacity(analysis.sets.len());
    let mut prev_end: Option<f64> = None;
    for set in &analysis.sets {
        let reps: Vec<&Rep> = analysis
            .reps
            .iter()
            .filter(|r| r.set == set.index)
            .collect();
        let n = reps.len().max(1) as f64;
        let trend = if reps.len() >= 4 {
            match (
                thirds(&reps, |r| r.range_deg),
                thirds(&reps, |r| r.peak_velocity_dps),
            ) {
                (Some(range_change_pct), Some(speed_change_pct)) => Some(Trend {
                    range_change_pct,
                    speed_change_pct,
                }),
                _ => None,
            }
        } else {
            None
        };
        out.push(SetCoaching {
            reps: reps.len(),
            range_deg: Spread::of(reps.iter().map(|r| r.range_deg)),
            tempo: Tempo {
                up_s: reps.iter().map(|r| r.concentric_s).sum::<f64>() / n,
                hold_s: reps.iter().map(|r| r.hold_s).sum::<f64>() / n,
                down_s: reps.iter().map(|r| r.eccentric_s).sum::<f64>() / n,
            },
            time_under_tension_s: reps.iter().map(|r| r.end_s - r.start_s).sum(),
            rest_before_s: prev_end.map(|e| (set.start_s - e).max(0.0)),
            trend,
            faults: Fault::ALL
                .into_iter()
                .map(|f| (f, reps.iter().filter(|r| r.has(f)).count()))
                .filter(|(_, c)| *c > 0)
                .collect(),
        });
        prev_end = Some(set.end_s);
    }
    out
}

/// The trend in words, when a change is notable ("range fell 18%, speed
/// fell 12% from the first reps to the last: fatigue"), else `None`.
pub fn trend_in_words(t: &Trend) -> Option<String> {
    let part = |what: &str, pct: f64| {
        (pct.abs() >= TREND_NOTABLE_PCT).then(|| {
            format!(
                "{what} {} {:.0}%",
                if pct < 0.0 { "fell" } else { "rose" },
                pct.abs()
            )
        })
    };
    let parts: Vec<String> = [
        part("range", t.range_change_pct),
        part("speed", t.speed_change_pct),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        return None;
    }
    let fatigue = t.range_change_pct <= -TREND_NOTABLE_PCT;
    Some(format!(
        "{} from the first reps to the last{}",
        parts.join(", "),
        if fatigue {
            ": fatigue, or a weight too heavy for this many reps"
        } else {
            ""
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_has_a_word_a_cue_and_a_reason() {
        for f in Fault::ALL {
            assert_eq!(parse_fault(fault_word(f)), Some(f));
            assert_eq!(parse_fault(f.as_str()), Some(f));
            let c = cue(f);
            assert_eq!(c.fault, f);
            assert!(
                c.text.len() > 10 && c.reason.contains("BIOMECHANICS §"),
                "{c:?}"
            );
        }
    }

    #[test]
    fn trends_are_said_only_when_notable() {
        let t = |r, s| Trend {
            range_change_pct: r,
            speed_change_pct: s,
        };
        assert_eq!(trend_in_words(&t(-3.0, 5.0)), None);
        assert_eq!(
            trend_in_words(&t(-18.4, -12.0)).unwrap(),
            "range fell 18%, speed fell 12% from the first reps to the last: fatigue, or a weight too heavy for this many reps"
        );
        assert_eq!(
            trend_in_words(&t(2.0, 15.0)).unwrap(),
            "speed rose 15% from the first reps to the last"
        );
    }
}
