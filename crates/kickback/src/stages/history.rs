//! The bounded past of grid points: what a rep is measured from once it is
//! over, and what is re-read when the rest pose or the kick's sign changes.

use super::grid::GRID_HZ;
use super::kinematics::Point;
use crate::orientation::ElevationFrame;
use std::collections::VecDeque;

#[derive(Debug, Clone)]
pub(crate) struct History {
    points: VecDeque<Point>,
    cap: usize,
}

impl History {
    /// Keeps the last `span_s` seconds of grid points.
    pub(crate) fn new(span_s: f64) -> Self {
        let cap = (span_s * GRID_HZ) as usize;
        History {
            points: VecDeque::with_capacity(cap.min(4096)),
            cap,
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, p: Point) {
        self.points.push_back(p);
        while self.points.len() > self.cap {
            self.points.pop_front();
        }
    }

    pub(crate) fn clear(&mut self) {
        self.points.clear();
    }

    #[inline]
    pub(crate) fn back(&self) -> Option<&Point> {
        self.points.back()
    }

    /// Oldest first.
    pub(crate) fn iter(&self) -> std::collections::vec_deque::Iter<'_, Point> {
        self.points.iter()
    }

    pub(crate) fn iter_mut(&mut self) -> std::collections::vec_deque::IterMut<'_, Point> {
        self.points.iter_mut()
    }

    /// The index of the first kept point at or after `t`.
    fn index_at(&self, t: f64) -> Option<usize> {
        self.points.iter().position(|q| q.t >= t - 1e-9)
    }

    /// The kept point at `t` (the first at or after it).
    pub(crate) fn at(&self, t: f64) -> Option<&Point> {
        self.index_at(t).map(|i| &self.points[i])
    }

    /// How long the leg dwelt around `t`: the span of the unbroken run of
    /// kept points moving slower than `dps` (elevation rate) that holds the
    /// point at `t`, s (0 if that point is not slow or not kept).
    pub(crate) fn dwell_at(&self, t: f64, dps: f64) -> f64 {
        let Some(i) = self.index_at(t) else {
            return 0.0;
        };
        let slow = |q: &Point| q.v.abs() < dps;
        if !slow(&self.points[i]) {
            return 0.0;
        }
        let first = self
            .points
            .range(..i)
            .rposition(|q| !slow(q))
            .map_or(0, |j| j + 1);
        let last = self
            .points
            .range(i..)
            .position(|q| !slow(q))
            .map_or(self.points.len() - 1, |j| i + j - 1);
        self.points[last].t - self.points[first].t
    }

    /// The kick's sign flipped: what was kept in the old sign is negated.
    pub(crate) fn negate(&mut self) {
        for p in &mut self.points {
            p.e = -p.e;
            p.v = -p.v;
            p.w = -p.w;
        }
    }

    /// Re-reads the kept elevations with the frame's rest pose and axis.
    pub(crate) fn reread(&mut self, frame: &ElevationFrame) {
        for q in &mut self.points {
            if let Some(e) = frame.elevation_now(&q.up) {
                q.e = e;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::Vector3;

    fn point(t: f64, e: f64, up: Vector3<f64>) -> Point {
        Point {
            t,
            e,
            v: e,
            w: 1.0,
            lin: Vector3::zeros(),
            raw_lin: Vector3::zeros(),
            up,
        }
    }

    #[test]
    fn dwell_is_the_slow_run_around_a_time() {
        // Elevation rates at t = 0, 0.1, ..., 0.9 s.
        let rates = [50.0, 10.0, 5.0, -3.0, 12.0, 40.0, 8.0, 2.0, 1.0, 0.5];
        let mut h = History::new(10.0);
        for (i, v) in rates.iter().enumerate() {
            let mut p = point(i as f64 * 0.1, 0.0, Vector3::z());
            p.v = *v;
            h.push(p);
        }
        // (time, slower than this, dwell)
        let cases: &[(f64, f64, f64)] = &[
            (0.2, 15.0, 0.3),  // 0.1..0.4
            (0.35, 15.0, 0.3), // the next kept point, 0.4, is in the run
            (0.0, 15.0, 0.0),  // not slow
            (0.8, 15.0, 0.3),  // 0.6..0.9, to the newest point
            (0.8, 5.0, 0.2),   // 0.7..0.9
            (5.0, 15.0, 0.0),  // not kept
        ];
        for &(t, dps, want) in cases {
            let got = h.dwell_at(t, dps);
            assert!((got - want).abs() < 1e-9, "{t} {dps}: {got}");
        }
        // The point at a time is the first kept at or after it.
        assert_eq!(h.at(0.35).map(|p| p.v), Some(12.0));
        assert_eq!(h.at(0.3).map(|p| p.v), Some(-3.0));
        assert!(h.at(5.0).is_none());
    }

    #[test]
    fn keeps_the_last_span_and_rereads_it() {
        // (span s, points pushed, points kept, first kept)
        let cases: &[(f64, usize, usize, f64)] =
            &[(0.05, 3, 3, 0.0), (0.05, 8, 5, 3.0), (1.0, 250, 100, 150.0)];
        for &(span, pushed, kept, first) in cases {
            let mut h = History::new(span);
            for i in 0..pushed {
                h.push(point(i as f64, 1.0, Vector3::z()));
            }
            assert_eq!(h.iter().count(), kept, "{span} {pushed}");
            assert_eq!(h.iter().next().map(|p| p.t), Some(first));
            assert_eq!(h.back().map(|p| p.t), Some(pushed as f64 - 1.0));
        }
        let mut h = History::new(1.0);
        let a = 20f64.to_radians();
        h.push(point(0.0, 3.0, Vector3::new(0.0, a.sin(), a.cos())));
        h.negate();
        let p = *h.back().expect("one point");
        assert_eq!((p.e, p.v, p.w), (-3.0, -3.0, -1.0));
        let mut frame = ElevationFrame::default();
        frame.set_rest(Vector3::z());
        h.reread(&frame);
        assert!((h.back().expect("one point").e - 20.0).abs() < 1e-9);
        h.clear();
        assert!(h.back().is_none());
    }
}
