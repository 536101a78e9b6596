//! In-memory streams with their own clocks, and merging them.

use crate::assemble::{Merged, Sensor};
use crate::batched::Batched;
use crate::clean::{plausible, TimeFilter, MAX_ABS_ACC, MAX_ABS_GYRO};
use crate::error::{ErrorKind, FormatError};
use crate::units;
use crate::{AccelUnit, Inner, ReadOptions, Recording, SourceInfo};

/// The accelerometer level error of a merged recording, with the unit it was
/// read in (its values are already in m/s² here).
fn with_unit_hint(e: FormatError, info: &SourceInfo) -> FormatError {
    match e.into_kind() {
        ErrorKind::Invalid { file, message } => FormatError::from(ErrorKind::Invalid {
            file,
            message: format!(
                "{message} (the accelerometer was read as: {})",
                info.accel.reason
            ),
        }),
        k => k.into(),
    }
}

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

    /// Drops non-finite and implausible values, duplicate, jittered and
    /// lone bad timestamps ([`TimeFilter`]), counting them in `info`; a
    /// clock that really runs backwards is an error.
    pub fn clean(&mut self, info: &mut SourceInfo) -> Result<(), FormatError> {
        let n = self.t.len();
        let mut keep = Stream {
            name: std::mem::take(&mut self.name),
            t: Vec::with_capacity(n),
            v: Vec::with_capacity(n),
            line: Vec::with_capacity(n),
        };
        let mut filter = TimeFilter::new(&keep.name);
        let mut emit = |t: f64, v: [f64; 3], line: u64, _: &mut SourceInfo| keep.push(t, v, line);
        for i in 0..n {
            let (t, v) = (self.t[i], self.v[i]);
            if !plausible(t, &v, MAX_ABS_GYRO.max(MAX_ABS_ACC)) {
                if t.is_finite() && v.iter().all(|x| x.is_finite()) {
                    info.implausible_rows += 1;
                } else {
                    info.missing_value_rows += 1;
                }
                continue;
            }
            filter.push(t, v, self.line[i], info, &mut emit)?;
        }
        filter.finish(info, &mut emit);
        *self = keep;
        Ok(())
    }
}

/// Merges the accelerometer (plus gravity, for linear acceleration) and the
/// optional gyroscope onto the accelerometer's timeline as a stream (see
/// [`Merged`]), after the checks that need only the first rows: the rate
/// and the level of the acceleration.
pub(crate) fn merge(
    acc: Sensor,
    grav: Option<Sensor>,
    gyro: Option<Sensor>,
    mut info: SourceInfo,
    opts: &ReadOptions,
) -> Result<Recording, FormatError> {
    info.accel_rate_hz = acc.rate_hz;
    info.gyro_rate_hz = gyro.as_ref().and_then(|g| g.rate_hz);
    units::check_rate(&acc.name, info.accel_rate_hz, &info.time)?;
    let head: Vec<[f64; 3]> = match &grav {
        Some(g) => acc
            .head_si
            .iter()
            .zip(&g.head_si)
            .map(|(a, b)| [a[0] + b[0], a[1] + b[1], a[2] + b[2]])
            .collect(),
        None => acc.head_si.clone(),
    };
    units::check_accel_level(&acc.name, &head, AccelUnit::MetersPerSecond2)
        .map_err(|e| with_unit_hint(e, &info))?;
    Ok(Recording {
        info,
        inner: Inner::Merged(Box::new(Batched::new(Merged::new(
            acc,
            grav,
            gyro,
            opts.gap_report_s(),
            opts.interpolation_gap_s(),
        )))),
    })
}
