//! Shimmer Consensys CSV: a "sep=;" line, a units row, Unix ms.

use super::{base_info, App, Lower, Opened};
use crate::columns::*;
use crate::error::FormatError;
use crate::single::{self, RowSpec, Setup, Table, TimeCol};
use crate::text::HeaderName;
use crate::units::{accel_from_header, gyro_from_header, time_from_header, Hint};
use crate::{AccelUnit, Format, GyroUnit, ReadOptions, TimeUnit};

/// Shimmer Consensys.
pub(crate) struct Shimmer;

impl App for Shimmer {
    fn format(&self) -> Format {
        Format::Shimmer
    }
    fn sniff(&self, t: &Table) -> Option<&'static str> {
        let h = Lower::of(t)?;
        (h.any_contains("_timestamp_unix")
            || h.any_contains("_accel_ln_x")
            || h.any_contains("_accel_wr_x"))
        .then_some("header has *_Timestamp_Unix_CAL / *_Accel_*_X_CAL (Shimmer Consensys)")
    }
    fn open_table(&self, mut table: Table, why: &str, opts: &ReadOptions) -> Opened {
        let setup = shimmer(&mut table, why)?;
        single::start(table, setup, opts)
    }
}

/// Shimmer Consensys: consumes the units row if present.
pub(crate) fn shimmer(t: &mut Table, why: &str) -> Result<Setup, FormatError> {
    let hs = headers(t);
    let has = |h: &HeaderName, toks: &[&str]| toks.iter().all(|k| h.tokens.iter().any(|x| x == k));
    let time = col_where(&hs, |h| has(h, &["timestamp", "unix"]))
        .or_else(|| col_where(&hs, |h| has(h, &["timestamp"])))
        .ok_or_else(|| missing_time(t))?;
    let axis_col = |kind: &[&str], axis: &str| {
        col_where(&hs, |h| has(h, kind) && h.tokens.iter().any(|x| x == axis))
    };
    let acc_triple = |kind: &[&str]| -> Option<[usize; 3]> {
        Some([
            axis_col(kind, "x")?,
            axis_col(kind, "y")?,
            axis_col(kind, "z")?,
        ])
    };
    let (acc, which) = match acc_triple(&["accel", "ln"]) {
        Some(a) => (a, "Accel_LN (low-noise)"),
        None => match acc_triple(&["accel", "wr"]) {
            Some(a) => (a, "Accel_WR (wide-range)"),
            None => (
                acc_triple(&["accel"]).ok_or_else(|| {
                    missing_acc_named(
                        t,
                        "*_Accel_LN_X_CAL, *_Accel_LN_Y_CAL, *_Accel_LN_Z_CAL (or Accel_WR)",
                    )
                })?,
                "Accel",
            ),
        },
    };
    let gyro = acc_triple(&["gyro"]);
    // units row
    let mut units_row: Option<Vec<String>> = None;
    if let Some(l) = t.peek_lines().next() {
        let f = t.split(l, 0)?;
        if f.get(time)
            .map(|s| crate::text::parse_f64(s).is_none())
            .unwrap_or(false)
        {
            units_row = Some(f);
        }
    }
    if units_row.is_some() {
        t.next_row()?;
    }
    let unit_of = |i: usize| units_row.as_ref().and_then(|u| u.get(i)).cloned();
    let mut info = base_info(Format::Shimmer, why, &t.name);
    info.gravity = format!("{which} accelerometer (includes gravity)");
    let accel = match unit_of(acc[0]).as_deref().and_then(accel_from_header) {
        Some(u) => Hint::Known(u, "from the Shimmer units row".into()),
        None => Hint::Known(
            AccelUnit::MetersPerSecond2,
            "Shimmer CAL accelerometer is in m/s²".into(),
        ),
    };
    let gyro_h = match gyro
        .and_then(|g| unit_of(g[0]))
        .as_deref()
        .and_then(gyro_from_header)
    {
        Some(u) => Hint::Known(u, "from the Shimmer units row".into()),
        None => Hint::Known(
            GyroUnit::DegPerSecond,
            "Shimmer CAL gyroscope is in deg/s".into(),
        ),
    };
    let time_h = match unit_of(time).as_deref().and_then(time_from_header) {
        Some(u) => Hint::Known(u, "from the Shimmer units row".into()),
        None => Hint::Known(
            TimeUnit::Millis,
            "Shimmer Timestamp_Unix_CAL is Unix ms".into(),
        ),
    };
    Ok(Setup {
        spec: RowSpec {
            time: TimeCol::Numeric(time),
            acc: vec![acc],
            gyro,
            ragged_ok: false,
            names: t.names(0),
        },
        accel,
        gyro: gyro_h,
        time: time_h,
        acc_sign: 1.0,
        info,
    })
}
