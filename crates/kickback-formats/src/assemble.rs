//! The one assembly step of multi-stream recordings, as a stream: the
//! acceleration (with gravity, or linear + gravity), then the gyroscope,
//! each interpolated at the accelerometer's timestamps while all files are
//! read side by side. Memory stays flat whatever the recording's length.

use crate::batched::Fill;
use crate::clean::{plausible, record, too_few, GyroWatch, TimeFilter, MAX_ABS_ACC, MAX_ABS_GYRO};
use crate::error::FormatError;
use crate::single::{finish_notes, Rows};
use crate::{units, Sample, SourceInfo};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// A cleaned sample of one sensor: time (s), value (SI), source line.
type Item = (f64, [f64; 3], u64);

enum Source {
    /// A per-sensor file, its first rows buffered (they decided its units).
    Table {
        rows: Box<Rows>,
        t_scale: f64,
        v_scale: f64,
    },
    /// One sensor's events of sample-and-hold rows (Physics Toolbox).
    Hold(Rc<RefCell<HoldSplit>>, usize),
}

/// Events of one sensor held in the queue of [`HoldSplit`] while the other
/// sensor is sought, at most.
const MAX_HELD: usize = 1 << 16;

/// Sample-and-hold rows (every row holds every sensor's last value) split
/// into per-sensor events, read as the two sensors ask for them: a sensor's
/// sample is a row where its values changed (all-zero rows before its first
/// change are skipped). Sensor 0 is the accelerometer, 1 the gyroscope.
pub(crate) struct HoldSplit {
    rows: Rows,
    t_scale: f64,
    scale: [f64; 2],
    prev: [Option<[f64; 3]>; 2],
    queues: [VecDeque<Item>; 2],
    /// A sensor read as ended (its queue would have grown too long).
    stopped: [bool; 2],
    ended: bool,
}

impl HoldSplit {
    /// Splits the rows (their `prefix` already read).
    pub fn new(rows: Rows, t_scale: f64, scale: [f64; 2]) -> Self {
        HoldSplit {
            rows,
            t_scale,
            scale,
            prev: [None; 2],
            queues: [VecDeque::new(), VecDeque::new()],
            stopped: [false; 2],
            ended: false,
        }
    }

    /// Whether a row value is an event of a sensor whose last value was
    /// `prev` (and updates it).
    pub fn is_event(prev: &mut Option<[f64; 3]>, v: [f64; 3]) -> bool {
        if prev.is_none() && v == [0.0; 3] || *prev == Some(v) {
            return false;
        }
        *prev = Some(v);
        true
    }

    fn next_event(&mut self, k: usize, info: &mut SourceInfo) -> Result<Option<Item>, FormatError> {
        loop {
            if let Some(x) = self.queues[k].pop_front() {
                return Ok(Some(x));
            }
            if self.ended || self.stopped[k] {
                return Ok(None);
            }
            if self.queues[1 - k].len() >= MAX_HELD {
                self.stopped[k] = true;
                info.notes.push(format!(
                    "the {} held one value for more than {MAX_HELD} rows of the other sensor; it is read as ended there",
                    if k == 0 { "accelerometer" } else { "gyroscope" }
                ));
                return Ok(None);
            }
            let Some(r) = self.rows.next(info)? else {
                self.ended = true;
                continue;
            };
            for (j, v) in [Some(r.acc), r.gyro].into_iter().enumerate() {
                if let Some(v) = v {
                    if !self.stopped[j] && Self::is_event(&mut self.prev[j], v) {
                        let s = self.scale[j];
                        self.queues[j].push_back((
                            r.t * self.t_scale,
                            [v[0] * s, v[1] * s, v[2] * s],
                            r.line,
                        ));
                    }
                }
            }
        }
    }
}

/// One sensor's samples in SI units, cleaned (plausible values, the
/// [`TimeFilter`]), read as they are needed.
pub(crate) struct Sensor {
    pub name: String,
    src: Source,
    filter: TimeFilter<[f64; 3]>,
    ready: VecDeque<Item>,
    ended: bool,
    /// Median rate of the first rows, Hz.
    pub rate_hz: Option<f64>,
    /// The first rows' values in SI units (for the level check).
    pub head_si: Vec<[f64; 3]>,
    first_t: Option<f64>,
    last_t: Option<f64>,
    count: usize,
}

impl Sensor {
    /// A sensor read from rows whose first rows (`prefix`) decided the
    /// units: times are multiplied by `t_scale`, values by `v_scale`.
    pub fn from_rows(rows: Rows, t_scale: f64, v_scale: f64) -> Sensor {
        let prefix = &rows.prefix;
        let ts: Vec<f64> = prefix
            .iter()
            .map(|r| r.t * t_scale)
            .filter(|t| t.abs() <= crate::clean::MAX_ABS_T)
            .collect();
        let head_si = prefix.iter().map(|r| r.acc.map(|x| x * v_scale)).collect();
        Sensor {
            head_si,
            name: rows.table.name.clone(),
            filter: TimeFilter::new(&rows.table.name),
            rate_hz: units::rate_hz(&ts),
            src: Source::Table {
                rows: Box::new(rows),
                t_scale,
                v_scale,
            },
            ready: VecDeque::new(),
            ended: false,
            first_t: None,
            last_t: None,
            count: 0,
        }
    }

    /// Sensor `k` (0: accelerometer, 1: gyroscope) of sample-and-hold rows.
    pub fn from_hold(
        split: Rc<RefCell<HoldSplit>>,
        k: usize,
        name: String,
        rate_hz: Option<f64>,
        head_si: Vec<[f64; 3]>,
    ) -> Sensor {
        Sensor {
            filter: TimeFilter::new(&name),
            name,
            src: Source::Hold(split, k),
            ready: VecDeque::new(),
            ended: false,
            rate_hz,
            head_si,
            first_t: None,
            last_t: None,
            count: 0,
        }
    }

    /// The next cleaned sample, or `None` at the end.
    pub fn next(&mut self, info: &mut SourceInfo) -> Result<Option<Item>, FormatError> {
        loop {
            if let Some(x) = self.ready.pop_front() {
                self.first_t.get_or_insert(x.0);
                self.last_t = Some(x.0);
                self.count += 1;
                return Ok(Some(x));
            }
            if self.ended {
                return Ok(None);
            }
            let ready = &mut self.ready;
            let mut emit = |t, v, line, _: &mut SourceInfo| ready.push_back((t, v, line));
            match raw(&mut self.src, info)? {
                Some((t, v, line)) => {
                    if plausible(t, &v, MAX_ABS_ACC.max(MAX_ABS_GYRO)) {
                        self.filter.push(t, v, line, info, &mut emit)?;
                    } else if t.is_finite() && v.iter().all(|x| x.is_finite()) {
                        info.implausible_rows += 1;
                    } else {
                        info.missing_value_rows += 1;
                    }
                }
                None => {
                    self.ended = true;
                    self.filter.finish(info, &mut emit);
                }
            }
        }
    }

    /// Reads to the end (for the last time, and the errors of the rest).
    fn drain(&mut self, info: &mut SourceInfo) -> Result<(), FormatError> {
        while self.next(info)?.is_some() {}
        Ok(())
    }
}

/// The next raw row of a source, in SI units.
fn raw(src: &mut Source, info: &mut SourceInfo) -> Result<Option<Item>, FormatError> {
    match src {
        Source::Hold(split, k) => split.borrow_mut().next_event(*k, info),
        Source::Table {
            rows,
            t_scale,
            v_scale,
        } => Ok(rows
            .next(info)?
            .map(|r| (r.t * *t_scale, r.acc.map(|x| x * *v_scale), r.line))),
    }
}

/// What a follower stream holds at a time of the leading stream.
enum At {
    Value([f64; 3]),
    /// Before its first sample or after its last.
    Outside,
    /// Inside a gap longer than the interpolation limit.
    Gap,
}

/// A sensor interpolated at the times of the leading accelerometer.
struct Follower {
    s: Sensor,
    prev: Option<(f64, [f64; 3])>,
    next: Option<(f64, [f64; 3])>,
    started: bool,
    /// Times asked for that matched one of its samples exactly.
    exact: usize,
}

impl Follower {
    fn new(s: Sensor) -> Self {
        Follower {
            s,
            prev: None,
            next: None,
            started: false,
            exact: 0,
        }
    }

    fn pull(&mut self, info: &mut SourceInfo) -> Result<Option<(f64, [f64; 3])>, FormatError> {
        Ok(self.s.next(info)?.map(|(t, v, _)| (t, v)))
    }

    /// Linear interpolation at `t` (times asked for must increase), not
    /// across gaps longer than `max_gap` s.
    fn at(&mut self, t: f64, max_gap: f64, info: &mut SourceInfo) -> Result<At, FormatError> {
        if !self.started {
            self.started = true;
            self.next = self.pull(info)?;
        }
        while let Some(n) = self.next {
            if n.0 >= t {
                break;
            }
            self.prev = Some(n);
            self.next = self.pull(info)?;
        }
        Ok(match (self.prev, self.next) {
            (_, Some(n)) if n.0 == t => {
                self.exact += 1;
                At::Value(n.1)
            }
            (Some(p), Some(n)) => {
                if n.0 - p.0 > max_gap {
                    At::Gap
                } else {
                    let w = (t - p.0) / (n.0 - p.0);
                    let (a, b) = (p.1, n.1);
                    At::Value([
                        a[0] + w * (b[0] - a[0]),
                        a[1] + w * (b[1] - a[1]),
                        a[2] + w * (b[2] - a[2]),
                    ])
                }
            }
            _ => At::Outside,
        })
    }
}

/// Accelerometer (+ gravity) and gyroscope merged as a stream.
pub(crate) struct Merged {
    acc: Sensor,
    grav: Option<Follower>,
    gyro: Option<Follower>,
    /// Accelerometer samples outside the gravity stream's span.
    outside_grav: usize,
    gyro_watch: GyroWatch,
    /// Gaps longer than this (s) are reported.
    gap_report_s: f64,
    /// Streams are not interpolated across gaps longer than this (s).
    max_gap_s: f64,
    done: bool,
}

impl Fill for Merged {
    fn fill(
        &mut self,
        out: &mut Vec<Sample>,
        max: usize,
        info: &mut SourceInfo,
    ) -> Result<bool, FormatError> {
        self.fill_samples(out, max, info)
    }
}

impl Merged {
    pub fn new(
        acc: Sensor,
        grav: Option<Sensor>,
        gyro: Option<Sensor>,
        gap_report_s: f64,
        max_gap_s: f64,
    ) -> Merged {
        Merged {
            gap_report_s,
            max_gap_s,
            acc,
            grav: grav.map(Follower::new),
            gyro: gyro.map(Follower::new),
            outside_grav: 0,
            gyro_watch: GyroWatch::default(),
            done: false,
        }
    }

    /// Appends up to `max` samples to `out`; `Ok(false)` at the end, when
    /// the report in `info` is final.
    fn fill_samples(
        &mut self,
        out: &mut Vec<Sample>,
        max: usize,
        info: &mut SourceInfo,
    ) -> Result<bool, FormatError> {
        if self.done {
            return Ok(false);
        }
        let stop = out.len().saturating_add(max);
        while out.len() < stop {
            let Some((t, mut v, _)) = self.acc.next(info)? else {
                self.done = true;
                self.end(info)?;
                return Ok(false);
            };
            if let Some(g) = &mut self.grav {
                match g.at(t, self.max_gap_s, info)? {
                    At::Value(x) => {
                        v = [v[0] + x[0], v[1] + x[1], v[2] + x[2]];
                    }
                    At::Outside => {
                        self.outside_grav += 1;
                        continue;
                    }
                    At::Gap => {
                        info.dropped_in_gaps += 1;
                        continue;
                    }
                }
            }
            let w = match &mut self.gyro {
                None => None,
                Some(g) => match g.at(t, self.max_gap_s, info)? {
                    At::Value(x) => {
                        self.gyro_watch.observe(x);
                        Some(x)
                    }
                    // trimmed: only the overlap is used
                    At::Outside => continue,
                    At::Gap => {
                        info.dropped_in_gaps += 1;
                        continue;
                    }
                },
            };
            record(Sample::new(t, v, w), self.gap_report_s, info, out);
        }
        Ok(true)
    }

    /// The end of the accelerometer: the rest of the other streams is read
    /// (their errors count), the report is completed.
    fn end(&mut self, info: &mut SourceInfo) -> Result<(), FormatError> {
        for f in [&mut self.grav, &mut self.gyro].into_iter().flatten() {
            f.s.drain(info)?;
        }
        if let Some(g) = &self.grav {
            if self.outside_grav > 0 {
                info.notes.push(format!(
                    "{} samples of {} fall outside {} and were dropped",
                    self.outside_grav, self.acc.name, g.s.name
                ));
            }
        }
        let (a0, a1) = (
            self.acc.first_t.unwrap_or(0.0),
            self.acc.last_t.unwrap_or(0.0),
        );
        match &self.gyro {
            None => {
                info.gyro = None;
                if info.clock_merge.is_empty() {
                    info.clock_merge = "accelerometer only (no gyroscope)".into();
                }
            }
            Some(g) => {
                let (g0, g1) = (g.s.first_t.unwrap_or(0.0), g.s.last_t.unwrap_or(0.0));
                let (start, end) = (a0.max(g0), a1.min(g1));
                if g.s.count < 2 || end <= start {
                    return Err(FormatError::invalid(
                        &self.acc.name,
                        format!(
                            "accelerometer ({}..{} s) and gyroscope {} ({}..{} s) do not overlap in time",
                            crate::error::num(a0),
                            crate::error::num(a1),
                            g.s.name,
                            crate::error::num(g0),
                            crate::error::num(g1)
                        ),
                    ));
                }
                info.trimmed_s = (start - a0.min(g0)).max(0.0) + (a1.max(g1) - end).max(0.0);
                info.clock_merge = if g.exact == info.samples && g.s.count == self.acc.count {
                    "accelerometer and gyroscope share identical timestamps (merged row by row)"
                        .into()
                } else {
                    format!(
                        "separate clocks: gyroscope ({:.1} Hz) linearly interpolated at the accelerometer's timestamps ({:.1} Hz); only the overlap {:.3}..{:.3} s is used ({:.3} s trimmed); no interpolation across gyroscope gaps > {} s",
                        info.gyro_rate_hz.unwrap_or(f64::NAN),
                        info.accel_rate_hz.unwrap_or(f64::NAN),
                        start,
                        end,
                        info.trimmed_s,
                        self.max_gap_s
                    )
                };
            }
        }
        if info.dropped_in_gaps > 0 {
            info.notes.push(format!(
                "{} accelerometer samples lie in gaps > {} s of another stream and were dropped (the timestamps show the gap)",
                info.dropped_in_gaps, self.max_gap_s
            ));
        }
        if info.samples < 2 {
            return Err(too_few(&self.acc.name, info.samples, info));
        }
        if let Some(g) = &self.gyro {
            self.gyro_watch.check(&g.s.name, info)?;
        }
        finish_notes(info, self.gap_report_s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::single::{RowSpec, Table};

    #[test]
    fn interpolation_outside_and_gaps() {
        // a gyroscope of sample-and-hold rows: events at 0, 1 and 5 s
        let text = "time,gFx,gFy,gFz,wx,wy,wz\n0,0,0,1,0,0,0.5\n1,0,0,1,1,2,3\n2,0,0,1,1,2,3\n5,0,0,1,1,2,3.5\n";
        let table = Table::open("p.csv", Box::new(std::io::Cursor::new(text))).unwrap();
        let spec = RowSpec {
            time: crate::single::TimeCol::Numeric(0),
            acc: vec![[1, 2, 3]],
            gyro: Some([4, 5, 6]),
            ragged_ok: false,
            names: table.names(0),
        };
        let split = HoldSplit::new(Rows::new(table, spec), 1.0, [1.0, 1.0]);
        let split = Rc::new(RefCell::new(split));
        let mut f = Follower::new(Sensor::from_hold(split, 1, "w".into(), None, Vec::new()));
        let mut info = SourceInfo::default();
        let mut at = |t| match f.at(t, 1.0, &mut info).unwrap() {
            At::Value(v) => Some(v),
            At::Outside => Some([f64::NEG_INFINITY; 3]),
            At::Gap => None,
        };
        assert_eq!(at(-1.0), Some([f64::NEG_INFINITY; 3]));
        assert_eq!(at(0.5), Some([0.5, 1.0, 1.75]));
        assert_eq!(at(1.0), Some([1.0, 2.0, 3.0]));
        assert_eq!(at(3.0), None, "2 s is a held value, not an event");
        assert_eq!(at(5.0), Some([1.0, 2.0, 3.5]));
        assert_eq!(at(6.0), Some([f64::NEG_INFINITY; 3]));
    }
}
