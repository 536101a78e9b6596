//! The first stage: each sample checked (finite, time going forward), the
//! gyroscope's presence settled by the first sample, the stream's figures
//! kept, and gaps found.

use super::warnings::Warnings;
use crate::event::Event;
use crate::report::WarningKind;
use crate::sample::Sample;
use crate::settings::InputSettings;
use nalgebra::Vector3;
use std::collections::VecDeque;

/// What became of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Accepted {
    /// Skipped (with a warning).
    Skipped,
    /// The grid starts (again) at this sample: it is the first, or the
    /// first after a gap too long to bridge (`gap`).
    Start { gap: bool, rel: f64, sample: Sample },
    /// The stream goes on from `prev` to `sample`, `dt` seconds later.
    Next {
        prev: Sample,
        prev_rel: f64,
        sample: Sample,
        rel: f64,
        dt: f64,
    },
}

/// The stream as received: timing, gyroscope presence, figures.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    settings: InputSettings,
    /// Time of the first sample; times are reported relative to it.
    t0: Option<f64>,
    last: Option<Sample>,
    last_rel: f64,
    has_gyro: Option<bool>,
    last_gyro: Vector3<f64>,
    samples: u64,
    /// Sum and number of the steps between samples, gaps left out.
    sum_dt: f64,
    n_dt: u64,
}

impl Input {
    pub(crate) fn new(settings: InputSettings) -> Self {
        Input {
            settings,
            t0: None,
            last: None,
            last_rel: 0.0,
            has_gyro: None,
            last_gyro: Vector3::zeros(),
            samples: 0,
            sum_dt: 0.0,
            n_dt: 0,
        }
    }

    /// Whether the stream has a gyroscope (once a sample has come).
    #[inline]
    pub(crate) fn has_gyro(&self) -> Option<bool> {
        self.has_gyro
    }

    /// Whether a gyroscope is streaming (false until a sample says so).
    #[inline]
    pub(crate) fn gyro_streaming(&self) -> bool {
        self.has_gyro == Some(true)
    }

    /// Samples accepted so far.
    pub(crate) fn samples(&self) -> u64 {
        self.samples
    }

    /// Time of the last accepted sample, s from the first.
    pub(crate) fn last_rel(&self) -> f64 {
        self.last_rel
    }

    /// Mean step between samples (gaps left out), s.
    #[inline]
    pub(crate) fn mean_dt(&self) -> Option<f64> {
        (self.n_dt > 0).then(|| self.sum_dt / self.n_dt as f64)
    }

    /// Mean sample rate, Hz (0 before two samples).
    pub(crate) fn sample_rate_hz(&self) -> f64 {
        if self.sum_dt > 0.0 {
            self.n_dt as f64 / self.sum_dt
        } else {
            0.0
        }
    }

    /// Checks one sample; says what the grid is to do with it.
    #[inline]
    pub(crate) fn accept(
        &mut self,
        s: Sample,
        warnings: &mut Warnings,
        out: &mut VecDeque<Event>,
    ) -> Accepted {
        if !s.is_finite() {
            let t = self.t0.filter(|_| s.t.is_finite()).map(|t0| s.t - t0);
            warnings.warn(
                out,
                WarningKind::InvalidSample,
                t,
                "sample with a NaN or infinite value skipped".into(),
            );
            return Accepted::Skipped;
        }
        let t0 = *self.t0.get_or_insert(s.t);
        let rel = s.t - t0;
        // Gyroscope presence is decided by the first sample.
        let has_gyro = *self.has_gyro.get_or_insert_with(|| s.gyro.is_some());
        if self.samples == 0 && !has_gyro {
            warnings.warn(
                out,
                WarningKind::NoGyroscope,
                Some(0.0),
                "no gyroscope: elevation comes from the accelerometer alone, which reads fast kicks \
                 less precisely (see README, 'Precision')"
                    .into(),
            );
        }
        let gyro = match (has_gyro, s.gyro) {
            (true, Some(g)) => Some(g),
            (true, None) => {
                warnings.warn(
                    out,
                    WarningKind::GyroscopeDropout,
                    Some(rel),
                    "sample without a gyroscope reading in a recording that has one; the last rate was held".into(),
                );
                Some(self.last_gyro)
            }
            (false, _) => None,
        };
        if let Some(g) = gyro {
            self.last_gyro = g;
        }
        let s = Sample {
            t: s.t,
            acc: s.acc,
            gyro,
        };

        let Some(prev) = self.last else {
            self.last = Some(s);
            self.last_rel = 0.0;
            self.samples = 1;
            return Accepted::Start {
                gap: false,
                rel: 0.0,
                sample: s,
            };
        };
        let prev_rel = self.last_rel;
        let dt = rel - prev_rel;
        if dt < 0.0 {
            warnings.warn(
                out,
                WarningKind::TimeBackwards,
                Some(rel),
                format!("time went backwards by {:.3} s; sample skipped", -dt),
            );
            return Accepted::Skipped;
        }
        if dt == 0.0 {
            warnings.warn(
                out,
                WarningKind::DuplicateTime,
                Some(rel),
                "two samples with the same time; the second was skipped".into(),
            );
            return Accepted::Skipped;
        }
        self.samples += 1;
        self.last = Some(s);
        self.last_rel = rel;
        if dt > self.settings.gap_split_s {
            warnings.warn(
                out,
                WarningKind::Gap,
                Some(prev_rel),
                format!(
                    "no samples for {dt:.2} s from t = {prev_rel:.2} s: analysis restarted after the gap (gaps over {} s are not bridged)",
                    self.settings.gap_split_s
                ),
            );
            return Accepted::Start {
                gap: true,
                rel,
                sample: s,
            };
        }
        if dt > self.settings.gap_warn_s {
            warnings.warn(
                out,
                WarningKind::Gap,
                Some(prev_rel),
                format!(
                    "no samples for {dt:.2} s from t = {prev_rel:.2} s (bridged by interpolation)"
                ),
            );
        } else {
            self.sum_dt += dt;
            self.n_dt += 1;
        }
        Accepted::Next {
            prev,
            prev_rel,
            sample: s,
            rel,
            dt,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: [f64; 3] = [0.0, 0.0, 9.81];

    fn s(t: f64, gyro: bool) -> Sample {
        Sample::new(t, G, gyro.then_some([0.0; 3]))
    }

    /// What each sample became, in short: skipped, start, gap or next(dt).
    fn outcome(a: &Accepted) -> String {
        match a {
            Accepted::Skipped => "skip".into(),
            Accepted::Start {
                gap: false, rel, ..
            } => format!("start {rel}"),
            Accepted::Start { gap: true, rel, .. } => format!("gap {rel}"),
            Accepted::Next { rel, dt, .. } => format!("next {rel} {dt}"),
        }
    }

    #[test]
    fn samples_are_checked_and_gaps_found() {
        let nan = Sample::new(f64::NAN, G, None);
        let no_gyro_then_gyro = [s(5.0, false), s(5.5, true)];
        // (samples, outcomes, warning kinds, mean dt)
        type Case = (
            Vec<Sample>,
            Vec<&'static str>,
            Vec<&'static str>,
            Option<f64>,
        );
        let cases: Vec<Case> = vec![
            (
                vec![s(10.0, true), s(10.5, true), s(11.0, true)],
                vec!["start 0", "next 0.5 0.5", "next 1 0.5"],
                vec!["gap", "gap"],
                None,
            ),
            (
                vec![s(0.0, true), s(0.1, true), s(0.1, true), s(0.05, true)],
                vec!["start 0", "next 0.1 0.1", "skip", "skip"],
                vec!["duplicate_time", "time_backwards"],
                Some(0.1),
            ),
            (
                vec![nan, s(0.0, true), s(2.0, true), s(2.1, true)],
                vec!["skip", "start 0", "gap 2", "next 2.1 0.10000000000000009"],
                vec!["invalid_sample", "gap"],
                Some(0.10000000000000009),
            ),
            (
                no_gyro_then_gyro.to_vec(),
                vec!["start 0", "next 0.5 0.5"],
                vec!["no_gyroscope", "gap"],
                None,
            ),
            (
                vec![s(0.0, true), Sample::new(0.01, G, None)],
                vec!["start 0", "next 0.01 0.01"],
                vec!["gyroscope_dropout"],
                Some(0.01),
            ),
        ];
        for (samples, outcomes, kinds, mean_dt) in cases {
            let mut input = Input::new(InputSettings::default());
            let mut w = Warnings::default();
            let mut out = VecDeque::new();
            let got: Vec<String> = samples
                .iter()
                .map(|x| outcome(&input.accept(*x, &mut w, &mut out)))
                .collect();
            assert_eq!(got, outcomes, "{samples:?}");
            let got_kinds: Vec<String> = out
                .iter()
                .map(|e| match e {
                    Event::Warning(w) => w.kind.as_str().to_string(),
                    e => panic!("{e:?}"),
                })
                .collect();
            assert_eq!(got_kinds, kinds, "{samples:?}");
            assert_eq!(input.mean_dt(), mean_dt, "{samples:?}");
        }
    }
}
