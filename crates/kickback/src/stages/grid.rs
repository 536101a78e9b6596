//! Resampling onto the internal grid: every later stage sees points exactly
//! [`DT`] apart, whatever the input rate, so every threshold and filter
//! works the same from 12.5 to 500 Hz.

use crate::sample::Sample;
use nalgebra::Vector3;

/// The internal grid rate, Hz. Inputs from 12.5 to 500 Hz are interpolated
/// onto it.
pub(crate) const GRID_HZ: f64 = 100.0;
/// The grid step, s.
pub(crate) const DT: f64 = 1.0 / GRID_HZ;

/// One point of the grid: time (s from the first sample) and the sensor's
/// readings interpolated there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct GridPoint {
    pub(crate) t: f64,
    pub(crate) acc: Vector3<f64>,
    pub(crate) gyro: Option<Vector3<f64>>,
}

/// Where the grid is: its origin and the index of its next point.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    origin: f64,
    /// Index of the next grid point, counted from `origin`.
    k: u64,
}

impl Grid {
    /// Starts the grid at a sample (the first, or the first after a gap):
    /// the sample itself is its first point.
    #[inline]
    pub(crate) fn start(&mut self, rel: f64, s: &Sample) -> GridPoint {
        self.origin = rel;
        self.k = 1;
        GridPoint {
            t: rel,
            acc: s.acc,
            gyro: s.gyro,
        }
    }

    /// The grid points in `(prev_rel, rel]`, interpolated linearly between
    /// the two samples. Hand the span back to [`Grid::advance`] once read.
    #[inline]
    pub(crate) fn span(&self, prev: &Sample, prev_rel: f64, s: &Sample, rel: f64, dt: f64) -> Span {
        Span {
            origin: self.origin,
            k: self.k,
            prev_acc: prev.acc,
            prev_gyro: prev.gyro,
            acc: s.acc,
            gyro: s.gyro,
            prev_rel,
            rel,
            dt,
        }
    }

    /// Moves past the points of a span that was read.
    #[inline]
    pub(crate) fn advance(&mut self, span: &Span) {
        self.k = span.k;
    }
}

/// The grid points between two samples, in time order.
#[derive(Debug, Clone)]
pub(crate) struct Span {
    origin: f64,
    k: u64,
    prev_acc: Vector3<f64>,
    prev_gyro: Option<Vector3<f64>>,
    acc: Vector3<f64>,
    gyro: Option<Vector3<f64>>,
    prev_rel: f64,
    rel: f64,
    dt: f64,
}

impl Iterator for Span {
    type Item = GridPoint;

    #[inline]
    fn next(&mut self) -> Option<GridPoint> {
        let tg = self.origin + self.k as f64 * DT;
        if tg > self.rel + 1e-9 {
            return None;
        }
        let f = ((tg - self.prev_rel) / self.dt).clamp(0.0, 1.0);
        let acc = self.prev_acc + (self.acc - self.prev_acc) * f;
        let gyro = match (self.prev_gyro, self.gyro) {
            (Some(a), Some(b)) => Some(a + (b - a) * f),
            _ => None,
        };
        self.k += 1;
        Some(GridPoint { t: tg, acc, gyro })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_fall_on_the_grid_and_are_interpolated() {
        // (start, next sample time, its x-acceleration, times and x of the points)
        type Case = (f64, f64, f64, &'static [(f64, f64)]);
        let cases: &[Case] = &[
            // Slower input: several points, linearly between the samples.
            (
                0.0,
                0.04,
                4.0,
                &[(0.01, 1.0), (0.02, 2.0), (0.03, 3.0), (0.04, 4.0)],
            ),
            // Faster input: no point until the grid's next time is reached.
            (0.0, 0.004, 4.0, &[]),
            // A grid started at 1.005 stays on that origin.
            (1.005, 1.03, 2.5, &[(1.015, 1.0), (1.025, 2.0)]),
        ];
        for &(t0, t1, x1, want) in cases {
            let mut grid = Grid::default();
            let s0 = Sample::new(t0, [0.0, 0.0, 9.81], Some([0.0; 3]));
            let s1 = Sample::new(t1, [x1, 0.0, 9.81], Some([2.0 * x1, 0.0, 0.0]));
            let first = grid.start(t0, &s0);
            assert_eq!(first.t, t0);
            let mut span = grid.span(&s0, t0, &s1, t1, t1 - t0);
            let got: Vec<GridPoint> = span.by_ref().collect();
            grid.advance(&span);
            assert_eq!(got.len(), want.len(), "{t0} → {t1}");
            for (p, &(t, x)) in got.iter().zip(want) {
                assert!((p.t - t).abs() < 1e-12, "{} vs {t}", p.t);
                assert!((p.acc.x - x).abs() < 1e-9, "{} vs {x}", p.acc.x);
                assert!((p.gyro.expect("both have one").x - 2.0 * x).abs() < 1e-9);
            }
            // The next span carries on after the last point.
            let s2 = Sample::new(t1 + 0.01, [x1, 0.0, 9.81], None);
            let next: Vec<GridPoint> = grid.span(&s1, t1, &s2, t1 + 0.01, 0.01).collect();
            assert_eq!(next.len(), 1);
            assert!(next[0].gyro.is_none());
            let last = want.last().map_or(t0, |w| w.0);
            assert!(next[0].t > last + 0.005 && next[0].t <= t1 + 0.01 + 1e-9);
        }
    }
}
