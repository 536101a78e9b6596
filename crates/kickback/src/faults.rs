//! Fault decisions: momentum, lumbar overextension, partial range.

use crate::report::{Fault, MomentumEvidence};
use crate::settings::Settings;
use std::collections::VecDeque;

/// What the momentum decision looks at, measured on one rep.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RepShape {
    pub concentric_s: f64,
    pub peak_velocity_dps: f64,
    pub dwell_s: f64,
    pub windup_deg: f64,
    pub eccentric_s: f64,
    pub peak_eccentric_velocity_dps: f64,
}

/// Weighs the evidence for "thrown, not driven". Each feature alone is
/// something a brisk but controlled rep can show; the rep is flagged when the
/// weights of the features present add up to 1.0 (two strong ones, or three).
pub(crate) fn momentum(settings: &Settings, r: &RepShape) -> MomentumEvidence {
    let m = &settings.momentum;
    // Short durations are evidence only when the leg moved briskly (over
    // half the high-velocity mark): a small partial rep is short because it
    // is small, not because it was thrown.
    let brisk = 0.5 * m.peak_velocity_dps;
    let fast_concentric = r.concentric_s < m.max_concentric_s && r.peak_velocity_dps > brisk;
    let high_peak_velocity = r.peak_velocity_dps > m.peak_velocity_dps;
    let no_hold = r.dwell_s < m.min_hold_s;
    let windup = r.windup_deg > m.windup_deg;
    // "Dropping the stack": an eccentric that is short, or faster than the
    // way up (§5.2: ecc peak ω > 1.2 × con peak ω).
    let fast_drop = r.peak_eccentric_velocity_dps > brisk
        && (r.eccentric_s < m.min_eccentric_s
            || r.peak_eccentric_velocity_dps > 1.2 * r.peak_velocity_dps);
    let score = [
        (fast_concentric, m.weight_fast_concentric),
        (high_peak_velocity, m.weight_high_velocity),
        (no_hold, m.weight_no_hold),
        (windup, m.weight_windup),
        (fast_drop, m.weight_fast_drop),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .fold(0.0, |acc, (_, w)| acc + w);
    MomentumEvidence {
        fast_concentric,
        high_peak_velocity,
        no_hold,
        windup,
        fast_drop,
        score,
    }
}

/// The reference range a rep is compared with for `partial_range`: the
/// median of the current set's reps so far, or, early in a set, of the
/// recording's recent reps. Bounded memory.
#[derive(Debug, Clone, Default)]
pub(crate) struct RangeReference {
    set: VecDeque<f64>,
    recent: VecDeque<f64>,
}

/// Reps of the current set kept for its median.
const SET_WINDOW: usize = 32;
/// Recent reps of the recording kept for the fallback median.
const RECENT_WINDOW: usize = 9;

pub(crate) fn median(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut v: Vec<f64> = values.collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    })
}

impl RangeReference {
    pub(crate) fn new_set(&mut self) {
        self.set.clear();
    }

    pub(crate) fn reference(&self, min_set_reps: usize) -> Option<f64> {
        if self.set.len() >= min_set_reps {
            median(self.set.iter().copied())
        } else {
            median(self.recent.iter().copied())
        }
    }

    pub(crate) fn set_median(&self) -> f64 {
        median(self.set.iter().copied()).unwrap_or(0.0)
    }

    /// Forgets the last `n` ranges added (reps taken back).
    pub(crate) fn take_back(&mut self, n: usize) {
        for _ in 0..n {
            self.set.pop_back();
            self.recent.pop_back();
        }
    }

    pub(crate) fn add(&mut self, range: f64) {
        self.set.push_back(range);
        if self.set.len() > SET_WINDOW {
            self.set.pop_front();
        }
        self.recent.push_back(range);
        if self.recent.len() > RECENT_WINDOW {
            self.recent.pop_front();
        }
    }
}

/// All faults of a rep, in [`Fault::ALL`] order.
pub(crate) fn faults(
    settings: &Settings,
    momentum: &MomentumEvidence,
    peak_elevation_deg: f64,
    range_deg: f64,
    reference_range: Option<f64>,
) -> Vec<Fault> {
    let mut out = Vec::new();
    if momentum.score >= 1.0 {
        out.push(Fault::Momentum);
    }
    if peak_elevation_deg > settings.lumbar.limit_deg() {
        out.push(Fault::LumbarOverextension);
    }
    if let Some(r) = reference_range {
        if range_deg < settings.partial.fraction_of_median * r {
            out.push(Fault::PartialRange);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(con: f64, v: f64, dwell: f64, windup: f64, ecc: f64, ecc_v: f64) -> RepShape {
        RepShape {
            concentric_s: con,
            peak_velocity_dps: v,
            dwell_s: dwell,
            windup_deg: windup,
            eccentric_s: ecc,
            peak_eccentric_velocity_dps: ecc_v,
        }
    }

    #[test]
    fn controlled_rep_is_clean_even_when_brisk() {
        let s = Settings::default();
        // 1 s up at ~110 °/s, 0.8 s squeeze, 2 s down.
        assert!(momentum(&s, &shape(1.0, 110.0, 0.8, 2.0, 2.0, 60.0)).score < 1.0);
        // A big range makes the velocity high, but nothing else is wrong.
        assert!(momentum(&s, &shape(1.1, 180.0, 0.6, 2.0, 1.8, 90.0)).score < 1.0);
    }

    #[test]
    fn thrown_rep_is_flagged() {
        let s = Settings::default();
        let e = momentum(&s, &shape(0.4, 260.0, 0.0, 18.0, 0.5, 300.0));
        assert!(e.fast_concentric && e.high_peak_velocity && e.no_hold && e.windup && e.fast_drop);
        assert!(e.score >= 1.0);
        let f = faults(&s, &e, 50.0, 50.0, Some(50.0));
        assert_eq!(f, vec![Fault::Momentum]);
    }

    #[test]
    fn lumbar_limit_is_hinge_plus_hip_extension() {
        let mut s = Settings::default();
        let clean = MomentumEvidence::default();
        assert!(faults(&s, &clean, 64.0, 60.0, None).is_empty());
        assert_eq!(
            faults(&s, &clean, 66.0, 60.0, None),
            vec![Fault::LumbarOverextension]
        );
        s.lumbar.torso_hinge_deg = 55.0;
        assert!(faults(&s, &clean, 66.0, 60.0, None).is_empty());
    }

    #[test]
    fn partial_is_relative_to_the_set() {
        let s = Settings::default();
        let mut r = RangeReference::default();
        assert_eq!(r.reference(3), None);
        r.add(50.0);
        assert_eq!(r.reference(3), Some(50.0));
        for x in [52.0, 48.0, 51.0] {
            r.add(x);
        }
        let reference = r.reference(3);
        assert_eq!(reference, Some(50.5));
        let clean = MomentumEvidence::default();
        assert_eq!(
            faults(&s, &clean, 25.0, 25.0, reference),
            vec![Fault::PartialRange]
        );
        assert!(faults(&s, &clean, 40.0, 40.0, reference).is_empty());
        r.new_set();
        assert_eq!(r.reference(3), median([50.0, 52.0, 48.0, 51.0].into_iter()));
    }
}
