//! Merging the sensors of a recording with several clocks (see
//! [`crate::assemble`]).

use crate::assemble::{Merged, Sensor};
use crate::batched::Batched;
use crate::error::{ErrorKind, FormatError};
use crate::units;
use crate::{AccelUnit, Inner, ReadOptions, Recording, SourceInfo};

/// The accelerometer level error of a merged recording, with the unit it was
/// read in (its values are already in m/s² here).
fn with_unit_hint(mut e: FormatError, info: &SourceInfo) -> FormatError {
    if let ErrorKind::Unusable { message, .. } = e.kind_mut() {
        message.push_str(&format!(
            " (the accelerometer was read as: {})",
            info.accel.reason
        ));
    }
    e
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
