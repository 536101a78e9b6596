//! Test helpers shared by the stages' tests: elevation profiles as grid
//! points.

use super::grid::{DT, GRID_HZ};
use super::history::History;
use super::kinematics::Point;
use nalgebra::Vector3;

/// A straight-line piece of an elevation profile: to `to` degrees over
/// `dur` seconds, the leg `still` or not meanwhile.
pub(crate) struct Seg {
    pub(crate) to: f64,
    pub(crate) dur: f64,
    pub(crate) still: bool,
}

pub(crate) fn go(to: f64, dur: f64) -> Seg {
    Seg {
        to,
        dur,
        still: false,
    }
}

pub(crate) fn stay(at: f64, dur: f64) -> Seg {
    Seg {
        to: at,
        dur,
        still: true,
    }
}

/// Grid points (with stillness) along the profile, from 0° at t = 0; the
/// rate `v` is the profile's slope; "up" turns about x by the elevation.
pub(crate) fn profile(segs: &[Seg]) -> Vec<(Point, bool)> {
    let mut out = Vec::new();
    let mut e = 0.0;
    let mut t = 0.0;
    for s in segs {
        let n = (s.dur * GRID_HZ).round() as usize;
        let slope = (s.to - e) / s.dur;
        for i in 1..=n {
            let x = e + (s.to - e) * i as f64 / n as f64;
            t += DT;
            out.push((point(t, x, slope), s.still));
        }
        e = s.to;
    }
    out
}

pub(crate) fn point(t: f64, e: f64, v: f64) -> Point {
    let a = e.to_radians();
    Point {
        t,
        e,
        v,
        w: 0.0,
        lin: Vector3::zeros(),
        raw_lin: Vector3::zeros(),
        up: Vector3::new(0.0, a.sin(), a.cos()),
    }
}

/// A history holding `points`.
pub(crate) fn history(points: impl IntoIterator<Item = Point>) -> History {
    let mut h = History::new(60.0);
    for p in points {
        h.push(p);
    }
    h
}
