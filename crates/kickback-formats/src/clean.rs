//! The one cleaning step every sample goes through, whatever the format:
//! implausible values, duplicate timestamps, jitter, lone bad timestamps and
//! clocks that really run backwards.

use crate::error::{ErrorKind, FormatError};
use crate::{Gap, Sample, SourceInfo};

/// Largest plausible acceleration component, m/s² (about 1,000 g: no IMU
/// measures more; a larger value is a corrupt cell, not a sensor reading).
pub(crate) const MAX_ABS_ACC: f64 = 1.0e4;
/// Largest plausible angular rate component, rad/s (about 57,000 deg/s).
pub(crate) const MAX_ABS_GYRO: f64 = 1.0e3;
/// Largest plausible time, s (about the year 5100 as Unix seconds).
pub(crate) const MAX_ABS_T: f64 = 1.0e11;
/// Steps back in time up to this long (s) are clock jitter: the sample is
/// dropped and counted.
pub(crate) const JITTER_S: f64 = 1.0;
/// A step forward longer than this (s) is held until the next sample says
/// whether it began a gap or was a lone bad timestamp.
pub(crate) const JUMP_S: f64 = 1.0;

/// Whether every value of a sample is finite and within the plausible range.
#[inline(always)]
pub(crate) fn plausible(t: f64, v: &[f64; 3], limit: f64) -> bool {
    t.abs() <= MAX_ABS_T && v.iter().all(|x| x.abs() <= limit)
}

/// A held sample, waiting for the next one to judge it.
#[derive(Debug, Clone, Copy)]
enum Held<T> {
    /// The first sample: it is kept once the second one follows it.
    Start(f64, T, u64),
    /// Jumped forward by more than [`JUMP_S`]: a gap, or a lone bad time.
    Ahead(f64, T, u64),
    /// Jumped back by more than [`JITTER_S`]: a lone bad time, or a clock
    /// that runs backwards.
    Back(f64, T, u64),
}

/// Drops duplicate, jittered and lone bad timestamps, and fails on a clock
/// that really runs backwards. Samples come out in strictly increasing time
/// order, at most one sample late.
#[derive(Debug)]
pub(crate) struct TimeFilter<T> {
    file: String,
    last: Option<f64>,
    held: Option<Held<T>>,
}

impl<T: Copy> TimeFilter<T> {
    pub fn new(file: &str) -> Self {
        TimeFilter {
            file: file.to_string(),
            last: None,
            held: None,
        }
    }

    /// Takes one sample; hands the samples it keeps to `emit`.
    #[inline]
    pub fn push(
        &mut self,
        t: f64,
        item: T,
        line: u64,
        info: &mut SourceInfo,
        emit: &mut impl FnMut(f64, T, u64, &mut SourceInfo),
    ) -> Result<(), FormatError> {
        if let Some(h) = self.held.take() {
            self.judge(h, t, info, emit)?;
        }
        let Some(last) = self.last else {
            // the first sample, or the one after a dropped first sample
            self.held = Some(Held::Start(t, item, line));
            return Ok(());
        };
        if t == last {
            info.duplicates_dropped += 1;
        } else if t < last {
            if last - t <= JITTER_S {
                info.backwards_dropped += 1;
            } else {
                self.held = Some(Held::Back(t, item, line));
            }
        } else if t - last > JUMP_S {
            self.held = Some(Held::Ahead(t, item, line));
        } else {
            self.last = Some(t);
            emit(t, item, line, info);
        }
        Ok(())
    }

    /// Decides about a held sample now that the sample at `t` follows it.
    #[cold]
    fn judge(
        &mut self,
        h: Held<T>,
        t: f64,
        info: &mut SourceInfo,
        emit: &mut impl FnMut(f64, T, u64, &mut SourceInfo),
    ) -> Result<(), FormatError> {
        match h {
            Held::Start(t0, item, line) => {
                if t > t0 && t - t0 <= JUMP_S.max(JITTER_S) || t <= t0 && t0 - t <= JITTER_S {
                    self.last = Some(t0);
                    emit(t0, item, line, info);
                } else {
                    // the first two samples disagree by more than a jump:
                    // drop the first, the second starts the recording
                    self.outlier(line, info);
                }
            }
            Held::Ahead(th, item, line) => {
                let last = self.last.unwrap_or(f64::NEG_INFINITY);
                if t > last && t < th - JITTER_S {
                    self.outlier(line, info);
                } else {
                    self.last = Some(th);
                    emit(th, item, line, info);
                }
            }
            Held::Back(th, _, line) => {
                let last = self.last.unwrap_or(f64::NEG_INFINITY);
                if t > last {
                    self.outlier(line, info);
                } else {
                    return Err(FormatError::new(
                        &self.file,
                        ErrorKind::TimeBackwards {
                            line,
                            by_s: last - th,
                            from_s: last,
                            to_s: th,
                        },
                    ));
                }
            }
        }
        Ok(())
    }

    fn outlier(&mut self, line: u64, info: &mut SourceInfo) {
        if info.time_outliers_dropped == 0 {
            info.first_time_outlier_line = Some(line);
        }
        info.time_outliers_dropped += 1;
    }

    /// The end of the input: a held sample is kept (a start, or a final
    /// gap) or dropped (a last time that went back).
    pub fn finish(
        &mut self,
        info: &mut SourceInfo,
        emit: &mut impl FnMut(f64, T, u64, &mut SourceInfo),
    ) {
        match self.held.take() {
            Some(Held::Start(t, item, line)) | Some(Held::Ahead(t, item, line)) => {
                self.last = Some(t);
                emit(t, item, line, info);
            }
            Some(Held::Back(_, _, line)) => self.outlier(line, info),
            None => {}
        }
    }
}

/// Watches a whole gyroscope stream for rates no leg reaches: the unit
/// check of the first rows ([`crate::units::check_gyro_level`]) misses a
/// deg/s gyroscope under a rad/s label when the recording starts still.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct GyroWatch {
    fast: usize,
    total: usize,
}

/// |ω|² (rad²/s²) above which a sample is faster than a leg turns.
const FAST_GYRO_SQ: f64 = crate::units::MAX_P95_GYRO * crate::units::MAX_P95_GYRO;

impl GyroWatch {
    #[inline(always)]
    pub fn observe(&mut self, g: [f64; 3]) {
        self.total += 1;
        if g[0] * g[0] + g[1] * g[1] + g[2] * g[2] > FAST_GYRO_SQ {
            self.fast += 1;
        }
    }

    /// Fails when more than 5 % of the samples turn faster than a leg can.
    pub fn check(&self, file: &str, info: &SourceInfo) -> Result<(), FormatError> {
        if self.total == 0 || self.fast * 20 <= self.total {
            return Ok(());
        }
        let unit = info.gyro.as_ref().map(|g| g.unit.as_str()).unwrap_or("");
        let advice = if unit == "rad/s" {
            "the values look like deg/s; pass --gyro-unit deg/s"
        } else {
            "check the gyroscope's unit and scale"
        };
        Err(FormatError::invalid(
            file,
            format!(
                "{:.0} % of the gyroscope's samples turn faster than a leg can ({} rad/s) as read (in {unit}): {advice}",
                100.0 * self.fast as f64 / self.total as f64,
                crate::units::MAX_P95_GYRO
            ),
        ))
    }
}

/// The final cleaning of the samples handed out: the [`TimeFilter`], the
/// plausibility of values, and the counts, times and gaps in the report.
pub(crate) struct Cleaner {
    filter: TimeFilter<Sample>,
    gap_report_s: f64,
    gyro: GyroWatch,
}

impl Cleaner {
    pub fn new(file: &str, gap_report_s: f64) -> Self {
        Cleaner {
            filter: TimeFilter::new(file),
            gap_report_s,
            gyro: GyroWatch::default(),
        }
    }

    /// Gaps longer than this (s) are reported.
    pub fn gap_report_s(&self) -> f64 {
        self.gap_report_s
    }

    /// Takes a sample; appends the samples it keeps to `out` (at most one
    /// sample late, see [`TimeFilter`]).
    #[inline]
    pub fn push(
        &mut self,
        s: &Sample,
        line: u64,
        info: &mut SourceInfo,
        out: &mut Vec<Sample>,
    ) -> Result<(), FormatError> {
        if !sample_plausible(s) {
            count_implausible(s, info);
            return Ok(());
        }
        if let Some(g) = s.gyro {
            self.gyro.observe([g.x, g.y, g.z]);
        }
        let gap = self.gap_report_s;
        self.filter.push(s.t, *s, line, info, &mut |_, s, _, info| {
            record(s, gap, info, out)
        })
    }

    /// Hands out a held sample at the end of the input; fails when the
    /// gyroscope as a whole turned faster than a leg can.
    pub fn finish(
        &mut self,
        info: &mut SourceInfo,
        out: &mut Vec<Sample>,
    ) -> Result<(), FormatError> {
        let gap = self.gap_report_s;
        self.filter
            .finish(info, &mut |_, s, _, info| record(s, gap, info, out));
        self.gyro.check(&self.filter.file, info)
    }
}

#[inline(always)]
fn sample_plausible(s: &Sample) -> bool {
    plausible(s.t, &[s.acc.x, s.acc.y, s.acc.z], MAX_ABS_ACC)
        && s.gyro.map_or(true, |g| {
            g.x.abs() <= MAX_ABS_GYRO && g.y.abs() <= MAX_ABS_GYRO && g.z.abs() <= MAX_ABS_GYRO
        })
}

/// Counts a sample that is not finite (a missing value) or out of range.
#[cold]
fn count_implausible(s: &Sample, info: &mut SourceInfo) {
    let finite = s.t.is_finite()
        && s.acc.iter().all(|v| v.is_finite())
        && s.gyro.map_or(true, |g| g.iter().all(|v| v.is_finite()));
    if finite {
        info.implausible_rows += 1;
    } else {
        info.missing_value_rows += 1;
    }
}

/// Appends a kept sample to `out`, counting it and its gap in `info`.
#[inline(always)]
pub(crate) fn record(s: Sample, gap_report_s: f64, info: &mut SourceInfo, out: &mut Vec<Sample>) {
    match info.last_t {
        Some(last) if info.samples > 0 => {
            let dt = s.t - last;
            if dt > gap_report_s {
                info.gap_count += 1;
                if info.gaps.len() < 100 {
                    info.gaps.push(Gap {
                        start_s: last,
                        length_s: dt,
                    });
                }
            }
        }
        _ => info.first_t = Some(s.t),
    }
    info.last_t = Some(s.t);
    info.samples += 1;
    out.push(s);
}

/// The error for fewer than two usable samples, saying where the rows went.
pub(crate) fn too_few(file: &str, found: usize, info: &SourceInfo) -> FormatError {
    let mut why = Vec::new();
    if info.missing_value_rows > 0 {
        why.push(format!(
            "{} rows with a missing (NaN/empty) value",
            info.missing_value_rows
        ));
    }
    if info.implausible_rows > 0 {
        why.push(format!(
            "{} rows with values beyond any sensor's range (|a| > {MAX_ABS_ACC} m/s², |ω| > {MAX_ABS_GYRO} rad/s or |t| > {MAX_ABS_T:e} s)",
            info.implausible_rows
        ));
    }
    if info.duplicates_dropped > 0 {
        why.push(format!(
            "{} rows on a timestamp already seen (every row on one time gives one sample)",
            info.duplicates_dropped
        ));
    }
    if info.backwards_dropped + info.time_outliers_dropped > 0 {
        why.push(format!(
            "{} rows whose time stepped back or jumped",
            info.backwards_dropped + info.time_outliers_dropped
        ));
    }
    FormatError::new(
        file,
        ErrorKind::TooFewSamples {
            found,
            detail: if why.is_empty() {
                String::new()
            } else {
                format!(" ({} dropped)", why.join("; "))
            },
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(ts: &[f64]) -> Result<(Vec<f64>, SourceInfo), FormatError> {
        let mut f = TimeFilter::new("f.csv");
        let mut info = SourceInfo::default();
        let mut out = Vec::new();
        for (i, &t) in ts.iter().enumerate() {
            f.push(t, (), i as u64 + 2, &mut info, &mut |t, _, _, _| {
                out.push(t)
            })?;
        }
        f.finish(&mut info, &mut |t, _, _, _| out.push(t));
        Ok((out, info))
    }

    /// Times in, times kept, outliers dropped, jitter dropped, duplicates.
    type Case<'a> = (&'a [f64], &'a [f64], usize, usize, usize);

    #[test]
    fn time_filter_cases() {
        let cases: &[Case] = &[
            (&[0.0, 0.1, 0.2], &[0.0, 0.1, 0.2], 0, 0, 0),
            (&[0.0, 0.1, 0.1, 0.2], &[0.0, 0.1, 0.2], 0, 0, 1),
            (&[0.0, 0.1, 0.05, 0.2], &[0.0, 0.1, 0.2], 0, 1, 0),
            // a lone time ahead that returns
            (&[0.0, 0.1, 500.0, 0.2, 0.3], &[0.0, 0.1, 0.2, 0.3], 1, 0, 0),
            // a lone time back that returns
            (
                &[10.0, 10.1, 2.0, 10.2, 10.3],
                &[10.0, 10.1, 10.2, 10.3],
                1,
                0,
                0,
            ),
            // a real gap is kept
            (&[0.0, 0.1, 5.0, 5.1], &[0.0, 0.1, 5.0, 5.1], 0, 0, 0),
            // a gap at the very end is kept
            (&[0.0, 0.1, 5.0], &[0.0, 0.1, 5.0], 0, 0, 0),
            // a bad first time
            (&[1e9, 0.0, 0.1, 0.2], &[0.0, 0.1, 0.2], 1, 0, 0),
            // a bad last time that went back
            (&[10.0, 10.1, 10.2, 1.0], &[10.0, 10.1, 10.2], 1, 0, 0),
            // every row on one time
            (&[3.0, 3.0, 3.0], &[3.0], 0, 0, 2),
        ];
        for (ts, kept, out, jit, dup) in cases {
            let (got, info) = run(ts).unwrap();
            assert_eq!(&got, kept, "{ts:?}");
            assert_eq!(info.time_outliers_dropped, *out, "{ts:?}");
            assert_eq!(info.backwards_dropped, *jit, "{ts:?}");
            assert_eq!(info.duplicates_dropped, *dup, "{ts:?}");
        }
    }

    #[test]
    fn a_clock_that_runs_backwards_is_an_error() {
        let e = run(&[10.0, 10.1, 10.2, 2.0, 2.1, 2.2]).unwrap_err();
        let m = e.to_string();
        assert!(
            m.starts_with("f.csv:5: time goes backwards by 8.200 s"),
            "{m}"
        );
    }
}
