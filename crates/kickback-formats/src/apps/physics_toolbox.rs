//! Physics Toolbox Sensor Suite: one CSV of sample-and-hold rows (every
//! row holds every sensor's last value), split into per-sensor streams.

use super::{base_info, App, Lower, Opened};
use crate::assemble::{HoldSplit, Sensor};
use crate::columns::*;
use crate::error::FormatError;
use crate::merge::merge;
use crate::single::{self, RowSpec, Rows, Table, TimeCol};
use crate::units::{self, Hint};
use crate::{AccelUnit, Format, GyroUnit, ReadOptions, Recording, TimeUnit};
use std::cell::RefCell;
use std::rc::Rc;

/// Physics Toolbox Sensor Suite.
pub(crate) struct PhysicsToolbox;

impl App for PhysicsToolbox {
    fn format(&self) -> Format {
        Format::PhysicsToolbox
    }
    fn sniff(&self, t: &Table) -> Option<&'static str> {
        Lower::of(t)?
            .has("gfx")
            .then_some("header has gFx (Physics Toolbox Sensor Suite)")
    }
    fn open_table(&self, table: Table, why: &str, opts: &ReadOptions) -> Opened {
        physics_toolbox(table, why, opts)
    }
}

pub(crate) fn physics_toolbox(
    t: Table,
    why: &str,
    opts: &ReadOptions,
) -> Result<Recording, FormatError> {
    let hs = headers(&t);
    let find3 = |a: &str, b: &str, c: &str| -> Option<[usize; 3]> {
        Some([
            col_where(&hs, |h| raw_eq(h, a))?,
            col_where(&hs, |h| raw_eq(h, b))?,
            col_where(&hs, |h| raw_eq(h, c))?,
        ])
    };
    let gf = find3("gFx", "gFy", "gFz").ok_or_else(|| {
        missing_acc_named(
            &t,
            "gFx, gFy, gFz (g-force; record with the g-Force meter enabled)",
        )
    })?;
    let w = find3("wx", "wy", "wz");
    let time = col_where(&hs, |h| raw_eq(h, "time")).ok_or_else(|| missing_time(&t))?;
    let mut info = base_info(Format::PhysicsToolbox, why, &t.name);
    info.gravity = "g-force columns gFx..gFz (include gravity)".into();
    // the gyro columns ride as "gyro" so both sensors come from one pass
    let spec = RowSpec {
        time: TimeCol::Numeric(time),
        acc: vec![gf],
        gyro: w,
        ragged_ok: false,
        names: t.names(0),
    };
    let mut rows = Rows::new(t, spec);
    rows.read_prefix(&mut info)?;
    let t = &rows.table;
    // each sensor's events (rows where its values changed) among the first rows
    let events = |get: &dyn Fn(&single::RawRow) -> Option<[f64; 3]>| {
        let mut prev = None;
        rows.prefix
            .iter()
            .filter_map(|r| Some((r.t, get(r)?)))
            .filter(|(_, v)| HoldSplit::is_event(&mut prev, *v))
            .collect::<Vec<_>>()
    };
    let acc_events = events(&|r| Some(r.acc));
    let gf_vals: Vec<[f64; 3]> = acc_events.iter().map(|e| e.1).collect();
    let (au, arep) = units::decide_accel(
        opts.accel_unit,
        &Hint::Known(AccelUnit::G, "g-force columns gFx/gFy/gFz".into()),
        &gf_vals,
    );
    units::check_accel_level(&t.name, &gf_vals, au)?;
    info.accel = arep;
    let traw: Vec<f64> = rows.prefix.iter().map(|r| r.t).collect();
    let (tu, trep) = units::decide_time(
        opts.time_unit,
        &Hint::Known(
            TimeUnit::Seconds,
            "Physics Toolbox time is seconds since start".into(),
        ),
        &traw,
    );
    info.time = trep;
    let head = |ev: &[(f64, [f64; 3])], scale: f64| {
        let ts: Vec<f64> = ev.iter().map(|e| e.0 * tu.to_si()).collect();
        let si: Vec<[f64; 3]> = ev.iter().map(|e| e.1.map(|x| x * scale)).collect();
        (units::rate_hz(&ts), si)
    };
    let (acc_rate, acc_head) = head(&acc_events, au.to_si());
    let gyro_events = events(&|r| r.gyro);
    let mut gyro_scale = 1.0;
    let gyro_head = if w.is_some() && gyro_events.len() >= 2 {
        let gvals: Vec<[f64; 3]> = gyro_events.iter().map(|e| e.1).collect();
        let (gu, grep) = units::decide_gyro(
            opts.gyro_unit,
            &Hint::Known(
                GyroUnit::RadPerSecond,
                "Physics Toolbox wx/wy/wz are rad/s".into(),
            ),
            &gvals,
        );
        units::check_gyro_level(&t.name, &gvals, gu)?;
        info.gyro = Some(grep);
        gyro_scale = gu.to_si();
        Some(head(&gyro_events, gyro_scale))
    } else {
        if w.is_some() {
            info.notes.push(format!(
                "the gyroscope columns hold no data (all zero or one value) in the first {} rows; reading the accelerometer only",
                rows.prefix.len()
            ));
        }
        None
    };
    info.notes.push(
        "sample-and-hold rows split into per-sensor streams: a sensor's sample is a row where its values changed".into(),
    );
    let name = t.name.clone();
    let split = Rc::new(RefCell::new(HoldSplit::new(
        rows,
        tu.to_si(),
        [au.to_si(), gyro_scale],
    )));
    let acc = Sensor::from_hold(split.clone(), 0, format!("{name} (gF)"), acc_rate, acc_head);
    let gyro = gyro_head
        .map(|(rate, head)| Sensor::from_hold(split, 1, format!("{name} (w)"), rate, head));
    merge(acc, None, gyro, info, opts)
}
