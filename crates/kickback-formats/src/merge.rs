//! In-memory streams with their own clocks, and merging them.

use crate::error::FormatError;
use crate::single::{finish_notes, Cleaner};
use crate::units;
use crate::{Inner, Recording, Sample, SourceInfo, NO_INTERPOLATION_GAP_S};

/// One sensor stream in SI units with its own timestamps.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stream {
    pub name: String,
    pub t: Vec<f64>,
    pub v: Vec<[f64; 3]>,
    /// Source line of each sample (for error messages).
    pub line: Vec<u64>,
}

impl Stream {
    pub fn new(name: &str) -> Self {
        Stream {
            name: name.to_string(),
            ..Default::default()
        }
    }
    pub fn push(&mut self, t: f64, v: [f64; 3], line: u64) {
        self.t.push(t);
        self.v.push(v);
        self.line.push(line);
    }
    pub fn len(&self) -> usize {
        self.t.len()
    }
    pub fn rate_hz(&self) -> Option<f64> {
        units::rate_hz(&self.t)
    }

    /// Drops non-finite values, duplicate and (≤ 1 s) backwards timestamps,
    /// counting them in `info`; a larger backwards step is an error.
    pub fn clean(&mut self, info: &mut SourceInfo) -> Result<(), FormatError> {
        let mut keep_t = Vec::with_capacity(self.t.len());
        let mut keep_v = Vec::with_capacity(self.t.len());
        let mut keep_l = Vec::with_capacity(self.t.len());
        let mut last: Option<f64> = None;
        for i in 0..self.t.len() {
            let (t, v) = (self.t[i], self.v[i]);
            if !t.is_finite() || !v.iter().all(|x| x.is_finite()) {
                info.missing_value_rows += 1;
                continue;
            }
            if let Some(l) = last {
                if t == l {
                    info.duplicates_dropped += 1;
                    continue;
                }
                if t < l {
                    if l - t > 1.0 {
                        return Err(FormatError::TimeBackwards {
                            file: self.name.clone(),
                            line: self.line[i],
                            by_s: l - t,
                            from_s: l,
                            to_s: t,
                        });
                    }
                    info.backwards_dropped += 1;
                    continue;
                }
            }
            last = Some(t);
            keep_t.push(t);
            keep_v.push(v);
            keep_l.push(self.line[i]);
        }
        self.t = keep_t;
        self.v = keep_v;
        self.line = keep_l;
        Ok(())
    }

    /// Linear interpolation at `t`; `None` outside the stream or inside a
    /// gap longer than [`NO_INTERPOLATION_GAP_S`].
    pub fn at(&self, t: f64) -> Option<[f64; 3]> {
        let n = self.t.len();
        if n == 0 || t < self.t[0] || t > self.t[n - 1] {
            return None;
        }
        let j = self.t.partition_point(|&x| x < t);
        if j < n && self.t[j] == t {
            return Some(self.v[j]);
        }
        if j == 0 || j >= n {
            return None;
        }
        let (t0, t1) = (self.t[j - 1], self.t[j]);
        if t1 - t0 > NO_INTERPOLATION_GAP_S {
            return None;
        }
        let w = (t - t0) / (t1 - t0);
        let (a, b) = (self.v[j - 1], self.v[j]);
        Some([
            a[0] + w * (b[0] - a[0]),
            a[1] + w * (b[1] - a[1]),
            a[2] + w * (b[2] - a[2]),
        ])
    }

    fn span(&self) -> Option<(f64, f64)> {
        Some((*self.t.first()?, *self.t.last()?))
    }
}

/// Adds `other` (interpolated at `base`'s timestamps) to `base`: used for
/// linear acceleration + gravity. Samples of `base` where `other` has no
/// value are dropped (trimmed / gaps counted).
pub(crate) fn add_streams(base: &Stream, other: &Stream, info: &mut SourceInfo) -> Stream {
    let mut out = Stream::new(&base.name);
    let mut outside = 0usize;
    let (o0, o1) = other.span().unwrap_or((f64::INFINITY, f64::NEG_INFINITY));
    for i in 0..base.len() {
        let t = base.t[i];
        match other.at(t) {
            Some(g) => {
                let v = base.v[i];
                out.push(t, [v[0] + g[0], v[1] + g[1], v[2] + g[2]], base.line[i]);
            }
            None => {
                if t < o0 || t > o1 {
                    outside += 1;
                } else {
                    info.dropped_in_gaps += 1;
                }
            }
        }
    }
    if outside > 0 {
        info.notes.push(format!(
            "{outside} samples of {} fall outside {} and were dropped",
            base.name, other.name
        ));
    }
    out
}

/// Merges accelerometer and optional gyroscope onto the accelerometer's
/// timeline and builds the in-memory recording.
pub(crate) fn merge(
    acc: Stream,
    gyro: Option<Stream>,
    mut info: SourceInfo,
) -> Result<Recording, FormatError> {
    info.accel_rate_hz = acc.rate_hz();
    let mut out = Vec::with_capacity(acc.len());
    let mut cleaner = Cleaner::new(&acc.name);
    match gyro {
        None => {
            info.gyro = None;
            if info.clock_merge.is_empty() {
                info.clock_merge = "accelerometer only (no gyroscope)".into();
            }
            for i in 0..acc.len() {
                let s = Sample::new(acc.t[i], acc.v[i], None);
                if cleaner.push(&s, acc.line[i], &mut info)? {
                    out.push(s);
                }
            }
        }
        Some(g) => {
            info.gyro_rate_hz = g.rate_hz();
            let same = g.t == acc.t;
            let (a0, a1) = acc.span().unwrap_or((0.0, 0.0));
            let (g0, g1) = g.span().unwrap_or((0.0, 0.0));
            let start = a0.max(g0);
            let end = a1.min(g1);
            if g.len() < 2 || end <= start {
                return Err(FormatError::invalid(
                    &acc.name,
                    format!(
                        "accelerometer ({a0:.3}..{a1:.3} s) and gyroscope {} ({g0:.3}..{g1:.3} s) do not overlap in time",
                        g.name
                    ),
                ));
            }
            info.trimmed_s = (start - a0.min(g0)).max(0.0) + (a1.max(g1) - end).max(0.0);
            info.clock_merge = if same {
                "accelerometer and gyroscope share identical timestamps (merged row by row)".into()
            } else {
                format!(
                    "separate clocks: gyroscope ({:.1} Hz) linearly interpolated at the accelerometer's timestamps ({:.1} Hz); only the overlap {:.3}..{:.3} s is used ({:.3} s trimmed); no interpolation across gyroscope gaps > {} s",
                    info.gyro_rate_hz.unwrap_or(f64::NAN),
                    info.accel_rate_hz.unwrap_or(f64::NAN),
                    start,
                    end,
                    info.trimmed_s,
                    NO_INTERPOLATION_GAP_S
                )
            };
            for i in 0..acc.len() {
                let t = acc.t[i];
                if t < start || t > end {
                    continue;
                }
                match g.at(t) {
                    Some(w) => {
                        let s = Sample::new(t, acc.v[i], Some(w));
                        if cleaner.push(&s, acc.line[i], &mut info)? {
                            out.push(s);
                        }
                    }
                    None => info.dropped_in_gaps += 1,
                }
            }
        }
    }
    if info.dropped_in_gaps > 0 {
        info.notes.push(format!(
            "{} accelerometer samples lie in gaps > {NO_INTERPOLATION_GAP_S} s of another stream and were dropped (the timestamps show the gap)",
            info.dropped_in_gaps
        ));
    }
    if out.len() < 2 {
        return Err(FormatError::TooFewSamples {
            file: acc.name.clone(),
            found: out.len(),
            detail: String::new(),
        });
    }
    finish_notes(&mut info);
    Ok(Recording {
        info,
        inner: Inner::Memory(out.into_iter()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_and_gaps() {
        let mut s = Stream::new("g");
        s.push(0.0, [0.0; 3], 1);
        s.push(1.0, [1.0, 2.0, 3.0], 2);
        s.push(5.0, [1.0, 2.0, 3.0], 3);
        assert_eq!(s.at(0.5), Some([0.5, 1.0, 1.5]));
        assert_eq!(s.at(1.0), Some([1.0, 2.0, 3.0]));
        assert_eq!(s.at(3.0), None);
        assert_eq!(s.at(-1.0), None);
    }
}
