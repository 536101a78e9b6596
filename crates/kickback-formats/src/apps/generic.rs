//! Any CSV with a header naming a time column and accelerometer (and
//! optionally gyroscope) columns.

use super::{base_info, App, Opened};
use crate::columns::*;
use crate::error::FormatError;
use crate::single::{self, RowSpec, Setup, Table, TimeCol};
use crate::units::Hint;
use crate::{Format, ReadOptions};

/// The generic CSV: asked last, it takes any table with a header.
pub(crate) struct Generic;

impl App for Generic {
    fn format(&self) -> Format {
        Format::Generic
    }
    fn sniff(&self, t: &Table) -> Option<&'static str> {
        t.header
            .as_ref()
            .map(|_| "no app signature in the header: generic CSV")
    }
    fn open_table(&self, table: Table, why: &str, opts: &ReadOptions) -> Opened {
        let setup = generic(&table, why, opts)?;
        single::start(table, setup, opts)
    }
}

/// Generic CSV: columns by name.
pub(crate) fn generic(t: &Table, why: &str, opts: &ReadOptions) -> Result<Setup, FormatError> {
    let hs = headers(t);
    let acc = find_triple(&hs, Kind::Acc);
    let gyro = find_triple(&hs, Kind::Gyro);
    let acc = match acc {
        Some(a) => a,
        None if gyro.is_none() => find_triple(&hs, Kind::Bare).ok_or_else(|| missing_acc(t))?,
        None => return Err(missing_acc(t)),
    };
    let time = match find_time(&hs) {
        Some((i, u)) => (time_col(t, i)?, u),
        None => match opts.rate_hz {
            Some(hz) if hz > 0.0 && hz.is_finite() => (TimeCol::Rate(hz), None),
            _ => return Err(missing_time(t)),
        },
    };
    let mut info = base_info(Format::Generic, why, &t.name);
    info.gravity = "assumed included (generic CSV accelerometer)".into();
    let names = t.names(0);
    let time_hint = match time.1 {
        Some(u) => Hint::Known(u, "from the header".into()),
        None => Hint::Detect,
    };
    Ok(Setup {
        accel: accel_hint(&acc, None),
        gyro: gyro
            .as_ref()
            .map(|g| gyro_hint(g, None))
            .unwrap_or(Hint::Detect),
        time: time_hint,
        spec: RowSpec {
            time: time.0,
            acc: vec![acc.cols],
            gyro: gyro.map(|g| g.cols),
            ragged_ok: false,
            names,
        },
        acc_sign: 1.0,
        info,
    })
}
