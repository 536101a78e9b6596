//! SensorLog (iOS) wide CSV: accelerometer in G, gyroscope in rad/s, iOS
//! sign.

use super::{base_info, App, Lower, Opened};
use crate::columns::*;
use crate::error::FormatError;
use crate::single::{self, RowSpec, Setup, Table};
use crate::units::Hint;
use crate::{AccelUnit, Format, GyroUnit, ReadOptions, TimeUnit};

/// SensorLog's CSV.
pub(crate) struct SensorLog;

impl App for SensorLog {
    fn format(&self) -> Format {
        Format::SensorLog
    }
    fn sniff(&self, t: &Table) -> Option<&'static str> {
        let h = Lower::of(t)?;
        (h.any_contains("loggingtime") || h.any_contains("accelerometeraccelerationx"))
            .then_some("header has loggingTime / accelerometerAccelerationX (SensorLog)")
    }
    fn open_table(&self, table: Table, why: &str, opts: &ReadOptions) -> Opened {
        let setup = sensorlog(&table, why)?;
        single::start(table, setup, opts)
    }
}

pub(crate) fn sensorlog(t: &Table, why: &str) -> Result<Setup, FormatError> {
    let hs = headers(t);
    let find = |j: &str| col_where(&hs, |h| h.joined() == j);
    let raw = [
        find("accelerometeraccelerationx"),
        find("accelerometeraccelerationy"),
        find("accelerometeraccelerationz"),
    ];
    let mut info = base_info(Format::SensorLog, why, &t.name);
    info.sign_convention = IOS_SIGN.into();
    let (acc, tcol) = if let [Some(x), Some(y), Some(z)] = raw {
        info.gravity = "raw accelerometer (includes gravity)".into();
        (vec![[x, y, z]], find("accelerometertimestampsincereboot"))
    } else {
        let u = [
            find("motionuseraccelerationx"),
            find("motionuseraccelerationy"),
            find("motionuseraccelerationz"),
        ];
        let g = [
            find("motiongravityx"),
            find("motiongravityy"),
            find("motiongravityz"),
        ];
        match (u, g) {
            ([Some(a), Some(b), Some(c)], [Some(d), Some(e), Some(f)]) => {
                info.gravity = "motionUserAcceleration + motionGravity".into();
                (vec![[a, b, c], [d, e, f]], find("motiontimestampsincereboot"))
            }
            _ => return Err(missing_acc_named(t, "accelerometerAccelerationX(G), accelerometerAccelerationY(G), accelerometerAccelerationZ(G)")),
        }
    };
    let gyro = match [
        find("gyrorotationx"),
        find("gyrorotationy"),
        find("gyrorotationz"),
    ] {
        [Some(x), Some(y), Some(z)] => Some([x, y, z]),
        _ => match [
            find("motionrotationratex"),
            find("motionrotationratey"),
            find("motionrotationratez"),
        ] {
            [Some(x), Some(y), Some(z)] => Some([x, y, z]),
            _ => None,
        },
    };
    let time = match tcol.or_else(|| find("loggingtime")) {
        Some(i) => time_col(t, i)?,
        None => return Err(missing_time(t)),
    };
    Ok(Setup {
        spec: RowSpec {
            time,
            acc,
            gyro,
            ragged_ok: true,
            names: t.names(0),
        },
        accel: Hint::Known(AccelUnit::G, "SensorLog header unit (G)".into()),
        gyro: Hint::Known(
            GyroUnit::RadPerSecond,
            "SensorLog header unit (rad/s)".into(),
        ),
        time: Hint::Known(TimeUnit::Seconds, "SensorLog *_sinceReboot(s)".into()),
        acc_sign: -1.0,
        info,
    })
}
