//! Apple CoreMotion dumps (the MotionSense dataset): gravity +
//! userAcceleration in g, rotationRate in rad/s, iOS sign.

use super::{base_info, App, Lower, Opened};
use crate::columns::*;
use crate::error::{ErrorKind, FormatError};
use crate::single::{self, RowSpec, Setup, Table, TimeCol};
use crate::units::Hint;
use crate::{AccelUnit, Format, GyroUnit, ReadOptions, TimeUnit};

/// CoreMotion dumps.
pub(crate) struct CoreMotion;

impl App for CoreMotion {
    fn format(&self) -> Format {
        Format::CoreMotion
    }
    fn sniff(&self, t: &Table) -> Option<&'static str> {
        let h = Lower::of(t)?;
        (h.any_contains("useracceleration.x")
            || (h.any_contains("gravity.x") && h.any_contains("rotationrate.x")))
        .then_some("header has gravity.x / userAcceleration.x (CoreMotion dump)")
    }
    fn open_table(&self, table: Table, why: &str, opts: &ReadOptions) -> Opened {
        let setup = coremotion(&table, why, opts)?;
        single::start(table, setup, opts)
    }
}

pub(crate) fn coremotion(t: &Table, why: &str, opts: &ReadOptions) -> Result<Setup, FormatError> {
    let hs = headers(t);
    let grav = triple_by_raw(&hs, ["gravity.x", "gravity.y", "gravity.z"]);
    let user = triple_by_raw(
        &hs,
        [
            "userAcceleration.x",
            "userAcceleration.y",
            "userAcceleration.z",
        ],
    );
    let (grav, user) = match (grav, user) {
        (Some(g), Some(u)) => (g, u),
        _ => {
            return Err(FormatError::new(&t.name, ErrorKind::MissingColumns {
                what: "gravity / userAcceleration".into(),
                expected: "gravity.x, gravity.y, gravity.z and userAcceleration.x, userAcceleration.y, userAcceleration.z".into(),
                found: found_list(t),
            }))
        }
    };
    let rot = triple_by_raw(&hs, ["rotationRate.x", "rotationRate.y", "rotationRate.z"]);
    let time_idx = col_where(&hs, |h| raw_eq(h, "timestamp") || raw_eq(h, "time"));
    let time =
        match (time_idx, opts.rate_hz) {
            (_, Some(hz)) if hz > 0.0 && hz.is_finite() => TimeCol::Rate(hz),
            (Some(i), _) => TimeCol::Numeric(i),
            _ => return Err(FormatError::invalid(
                &t.name,
                "this CoreMotion export has no time column; pass --rate HZ (MotionSense is 50 Hz)",
            )),
        };
    let mut info = base_info(Format::CoreMotion, why, &t.name);
    info.sign_convention = IOS_SIGN.into();
    info.gravity = "gravity + userAcceleration (CoreMotion)".into();
    Ok(Setup {
        spec: RowSpec {
            time,
            acc: vec![grav, user],
            gyro: rot,
            ragged_ok: false,
            names: t.names(0),
        },
        accel: Hint::Known(
            AccelUnit::G,
            "CoreMotion gravity/userAcceleration are in g".into(),
        ),
        gyro: Hint::Known(
            GyroUnit::RadPerSecond,
            "CoreMotion rotationRate is in rad/s".into(),
        ),
        time: Hint::Known(
            TimeUnit::Seconds,
            "CoreMotion timestamp is seconds since boot".into(),
        ),
        acc_sign: -1.0,
        info,
    })
}
