//! Axivity AX3/AX6 CSV from cwa-convert: no header, a date-time then
//! x, y, z in g (and a gyroscope in deg/s).

use super::{base_info, App, Opened};
use crate::error::{ErrorKind, FormatError};
use crate::single::{self, RowSpec, Setup, Table, TimeCol};
use crate::text::parse_datetime;
use crate::units::Hint;
use crate::{AccelUnit, Format, GyroUnit, ReadOptions, TimeUnit};

/// Axivity's headerless CSV.
pub(crate) struct Axivity;

impl App for Axivity {
    fn format(&self) -> Format {
        Format::Axivity
    }
    fn sniff(&self, t: &Table) -> Option<&'static str> {
        if t.header.is_some() {
            return None;
        }
        let first = t.peek_lines().next().unwrap_or("");
        let f = t.split(first, 0).ok()?;
        f.first()
            .and_then(|s| parse_datetime(s))
            .map(|_| "no header; first field is a date-time (Axivity cwa-convert CSV)")
    }
    fn open_table(&self, table: Table, why: &str, opts: &ReadOptions) -> Opened {
        let setup = axivity(&table, why)?;
        single::start(table, setup, opts)
    }
}

pub(crate) fn axivity(t: &Table, why: &str) -> Result<Setup, FormatError> {
    let first = t.peek_lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let n = t.split(first, 0)?.len();
    let time = if n > 0 && parse_datetime(&t.split(first, 0)?[0]).is_some() {
        TimeCol::DateTime(0)
    } else {
        TimeCol::Numeric(0)
    };
    if n < 4 {
        return Err(FormatError::new(
            &t.name,
            ErrorKind::ColumnCount {
                line: t.header_line,
                expected: 4,
                found: n,
                name: "z".into(),
            },
        ));
    }
    let mut info = base_info(Format::Axivity, why, &t.name);
    info.gravity = "raw accelerometer (includes gravity)".into();
    let names = ["time", "x", "y", "z", "gx", "gy", "gz"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    Ok(Setup {
        spec: RowSpec {
            time,
            acc: vec![[1, 2, 3]],
            gyro: if n >= 7 { Some([4, 5, 6]) } else { None },
            ragged_ok: false,
            names,
        },
        accel: Hint::Known(AccelUnit::G, "Axivity CSV is in g".into()),
        gyro: Hint::Known(
            GyroUnit::DegPerSecond,
            "Axivity AX6 gyroscope is in deg/s".into(),
        ),
        time: Hint::Known(TimeUnit::Seconds, "Axivity -t:secs".into()),
        acc_sign: 1.0,
        info,
    })
}
