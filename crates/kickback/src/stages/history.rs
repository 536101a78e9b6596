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
