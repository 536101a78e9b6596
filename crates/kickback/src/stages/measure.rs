//! A finished rise measured as a rep: where it really starts and ends, its
//! peak, hold, phases, speeds, wind-up and momentum evidence.

use super::grid::{DT, GRID_HZ};
use super::history::History;
use super::kinematics::Point;
use super::rise::{end_tolerance, Candidate};
use crate::faults::{self, RepShape};
use crate::report::Rep;
use crate::sample::STANDARD_GRAVITY;
use crate::settings::Settings;
use nalgebra::Vector3;

/// Wind-up is looked for in this window before the rep starts, s (§5.2:
/// reversing < 0.3 s before onset; a little slack for the filter).
pub(crate) const WINDUP_WINDOW_S: f64 = 0.4;
/// Half-width of the centred mean the peak elevation is read from, grid
/// points (12 → 250 ms).
const PEAK_HALF_WINDOW: usize = 12;

/// The fastest a shank turns, °/s: in the swing of a sprint, the fastest
/// a leg swings, ~1000 °/s; a kick against a cable is far slower (a thrown
/// rep peaks at 300-600 °/s, its ankle then pulling 5-7 g, §5.2). A rise
/// read faster than this was no turn of the leg about the hip: the
/// elevation wrapped round (the sensor spinning on a pedalling leg) or
/// jumped.
const FASTEST_LEG_DPS: f64 = 1000.0;

/// Half-width of the running mean the accelerometer's direction is read
/// from, grid points (15 → a 0.3 s window): long enough to average out the
/// strap's wobble and sensor noise, short enough to catch a held top. For a
/// rise quicker than 0.3 s (a thrown rep rises in 0.2 s) the window is no
/// longer than the rise itself, and never under 5 points either side
/// (0.1 s).
const GRAVITY_HALF_WINDOW: usize = 15;

/// [`GRAVITY_HALF_WINDOW`] for a rise of `concentric_s`, grid points.
fn gravity_half_window(concentric_s: f64) -> usize {
    ((0.5 * concentric_s * GRID_HZ) as usize).clamp(5, GRAVITY_HALF_WINDOW)
}
/// The least part of a rep's range the accelerometer must see gravity turn
/// by, over the rep, when the pose comes from a gyroscope. A leg that
/// starts a rise from rest (or from the turn of a wind-up) and stops at its
/// top gains no speed overall, so over the rise its linear acceleration
/// averages out and the accelerometer's direction, averaged, turns with the
/// leg: by half the range at least over the concentric phase of any rep,
/// fast or slow, and by all of it in a held top. Measured as the widest
/// angle between two of its running means over the rep
/// ([`gravity_turns_by`]): real PT reps (792 rises of 8° or more: all five
/// exercises, correct, fast and low-amplitude) turn it by 0.74 of their
/// range at least, simulated ones (8,806 rises: thrown, back to back,
/// prone, lying, 12.5-25 Hz) by 0.53. A rise the gyroscope alone reads is
/// its own noise or drift carried into the pose: a HuGaDB cycling
/// recording's gyroscope reads 20-160 °/s of noise on a leg its
/// accelerometer shows at rest, and the fused pose wanders 16-26° in 1-2 s,
/// which the accelerometer sees turn by 0.17-0.22 of that.
const GRAVITY_SEEN_FRACTION: f64 = 1.0 / 3.0;

/// Why a rise is no rep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reject {
    /// Shorter than `reps.min_duration_s` (or too few points to tell).
    Short,
    /// Peaks below the minimum rise above rest.
    Low,
    /// Turned faster than a leg turns ([`FASTEST_LEG_DPS`]).
    Fast,
    /// The accelerometer never saw gravity turn with it
    /// ([`GRAVITY_SEEN_FRACTION`]).
    GyroOnly,
}

/// A rise measured as a rep.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Measured {
    /// The rep, with no number, set or faults yet, figures unrounded.
    pub(crate) rep: Rep,
    /// The kept points from [`WINDUP_WINDOW_S`] before the rise to its
    /// lowest point (what gait is judged from).
    pub(crate) pts: Vec<Point>,
}

impl Measured {
    /// The points of the rise itself.
    pub(crate) fn body(&self, c: &Candidate) -> impl Iterator<Item = &Point> {
        let from = c.start_t - 1e-9;
        self.pts.iter().filter(move |q| q.t >= from)
    }

    /// How close to the rest pose the leg came while it rose, deg.
    pub(crate) fn closest_to_rest(&self, c: &Candidate) -> f64 {
        self.body(c)
            .filter(|q| q.t <= c.peak_t)
            .map(|q| q.e.abs())
            .fold(f64::INFINITY, f64::min)
    }
}

/// The range of a rep that peaked at `peak_e` after rising from `start_e`
/// (both relative to the rest pose): its rise above the rest pose. A start
/// below the rest pose (a wind-up, or the forward overshoot of the rep
/// before) counts as the rest pose: the leg hangs there between reps, and
/// the swing in front of it is reported as the wind-up, not as range. A
/// rep that starts above rest (not fully back down) rises from its start.
pub(crate) fn range_above_rest(peak_e: f64, start_e: f64) -> f64 {
    (peak_e - start_e.max(0.0)).max(0.0)
}

/// Measures the finished rise `c` from the kept points; `last_rep_end` is
/// the end of the rep before (a rise chained to it must clear more);
/// `gyro`: the pose came from a gyroscope (whose reading the accelerometer
/// must confirm).
pub(crate) fn measure(
    c: &Candidate,
    history: &History,
    settings: &Settings,
    last_rep_end: Option<f64>,
    min_rise_deg: f64,
    gyro: bool,
) -> Result<Measured, Reject> {
    let rs = &settings.reps;
    let range = c.peak_e - c.start_e;
    let tol = end_tolerance(range);
    let pts: Vec<Point> = history
        .iter()
        .filter(|q| q.t >= c.start_t - WINDUP_WINDOW_S - 1e-9 && q.t <= c.low_t + 1e-9)
        .copied()
        .collect();
    let body: Vec<&Point> = pts.iter().filter(|q| q.t >= c.start_t - 1e-9).collect();
    if body.len() < 3 {
        return Err(Reject::Short);
    }
    // Start: the last moment before the peak the leg was still at the bottom.
    let start = body
        .iter()
        .filter(|q| q.t <= c.peak_t && q.e <= c.start_e + tol)
        .map(|q| q.t)
        .fold(c.start_t, f64::max);
    // End: the first moment after the peak the leg was back at the bottom.
    let end = body
        .iter()
        .filter(|q| q.t >= c.peak_t && q.e <= c.low_e + tol)
        .map(|q| q.t)
        .fold(c.low_t, f64::min);
    // Peak elevation: the highest centred quarter-second mean. The strap
    // wobbles on the soft tissue at 1–10 Hz by 1° + 0.5°/g RMS (§3.3,
    // §3.4), a few degrees on hard swings, and the raw maximum would
    // pick the wobble's crest; a 250 ms mean removes what is above 4 Hz
    // and a third of it at 2 Hz. A held top is unchanged; the brief top
    // of a thrown rep reads ~1.5° lower (median, simulated swings).
    let half = PEAK_HALF_WINDOW;
    let mut peak_e = c.start_e;
    for i in half..pts.len().saturating_sub(half) {
        if pts[i].t >= c.start_t && pts[i].t <= c.low_t {
            let m =
                pts[i - half..=i + half].iter().map(|q| q.e).sum::<f64>() / (2 * half + 1) as f64;
            peak_e = peak_e.max(m);
        }
    }
    // A rise chained to the rep before must also clear the minimum rise
    // above rest: coming back from its forward swing to rest is no rep.
    let min_peak = if c.chained_to(last_rep_end) {
        min_rise_deg
    } else {
        0.5 * min_rise_deg
    };
    if end - start < rs.min_duration_s || c.peak_e < min_peak {
        debug_log!(
            "DBG reject short/low {:.2}-{:.2} peak {:.1}",
            start,
            end,
            c.peak_e
        );
        return Err(if end - start < rs.min_duration_s {
            Reject::Short
        } else {
            Reject::Low
        });
    }
    // Hold: still (|v| small) within the band below the peak, around the peak.
    let band = c.peak_e - rs.hold_band_deg;
    let (mut hold_start, mut hold_end) = (c.peak_t, c.peak_t);
    let mut dwell = 0.0;
    for q in body.iter().filter(|q| q.t >= start && q.t <= end) {
        if q.e >= band && q.v.abs() < rs.hold_velocity_dps {
            hold_start = hold_start.min(q.t);
            hold_end = hold_end.max(q.t);
            dwell += DT;
        }
    }
    let concentric = (hold_start - start).max(0.0);
    let eccentric = (end - hold_end).max(0.0);
    let hold = (hold_end - hold_start).max(0.0);
    let peak_v = body
        .iter()
        .filter(|q| q.t >= start && q.t <= c.peak_t)
        .map(|q| q.v)
        .fold(0.0, f64::max);
    let peak_ecc_v = body
        .iter()
        .filter(|q| q.t >= c.peak_t && q.t <= end)
        .map(|q| -q.v)
        .fold(0.0, f64::max);
    let windup = pts
        .iter()
        .filter(|q| q.t <= c.start_t + 1e-9)
        .map(|q| q.e)
        .fold(c.start_e, f64::max)
        - c.start_e;
    let shape = RepShape {
        concentric_s: concentric,
        peak_velocity_dps: peak_v,
        dwell_s: dwell,
        windup_deg: windup,
        eccentric_s: eccentric,
        peak_eccentric_velocity_dps: peak_ecc_v,
    };
    if peak_v.max(peak_ecc_v) > FASTEST_LEG_DPS {
        debug_log!(
            "DBG reject too fast {:.2} {peak_v:.0} {peak_ecc_v:.0}",
            start
        );
        return Err(Reject::Fast);
    }
    let range_deg = range_above_rest(peak_e, c.start_e);
    let half = gravity_half_window(concentric);
    if gyro && !gravity_turns_by(&pts, start, end, half, GRAVITY_SEEN_FRACTION * range_deg) {
        debug_log!("DBG reject gyro-only {:.2} range {range_deg:.1}", start);
        return Err(Reject::GyroOnly);
    }
    let momentum = faults::momentum(settings, &shape);
    let rep = Rep {
        id: c.id,
        index: 0,
        set: 0,
        start_s: start,
        peak_s: c.peak_t,
        end_s: end,
        range_deg,
        peak_elevation_deg: peak_e,
        concentric_s: concentric,
        hold_s: hold,
        eccentric_s: eccentric,
        peak_velocity_dps: peak_v,
        peak_eccentric_velocity_dps: peak_ecc_v,
        windup_deg: windup,
        faults: Vec::new(),
        momentum,
    };
    Ok(Measured { rep, pts })
}

/// Whether the accelerometer's direction turned by `deg` or more over the
/// points from `start` to `end`: whether two of its running means there,
/// each over `half` grid points either side, lie that far apart. Found in
/// two sweeps at most (each mean against the first, then against the one
/// farthest from the first), exact for a turn in one plane, which a rep is;
/// most reps are settled in the first sweep's rise.
fn gravity_turns_by(pts: &[Point], start: f64, end: f64, half: usize, deg: f64) -> bool {
    let acc = |q: &Point| q.raw_lin + q.up * STANDARD_GRAVITY;
    // Prefix sums of the specific force, so each window's mean is O(1).
    let mut sums = Vec::with_capacity(pts.len() + 1);
    sums.push(Vector3::zeros());
    for q in pts {
        let last = sums[sums.len() - 1];
        sums.push(last + acc(q));
    }
    // Each window's mean direction (the sum's direction is the mean's).
    let dirs = || {
        pts.iter()
            .enumerate()
            .filter(|(_, q)| q.t >= start - 1e-9 && q.t <= end + 1e-9)
            .map(|(i, _)| {
                let (a, b) = (i.saturating_sub(half), (i + half + 1).min(pts.len()));
                (sums[b] - sums[a]).normalize()
            })
    };
    // Apart by `deg` or more: a cosine of at most cos(deg).
    let cos_deg = deg.clamp(0.0, 180.0).to_radians().cos();
    let Some(first) = dirs().next() else {
        return false;
    };
    let mut farthest = (1.0, first);
    for m in dirs() {
        let cos = first.dot(&m);
        if cos <= cos_deg {
            return true;
        }
        if cos < farthest.0 {
            farthest = (cos, m);
        }
    }
    dirs().any(|m| farthest.1.dot(&m) <= cos_deg)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{go, history, profile, stay, Seg};
    use super::*;

    /// Measures the whole profile as one rise from its lowest point before
    /// its peak.
    fn run(segs: &[Seg], last_rep_end: Option<f64>) -> Result<Measured, Reject> {
        let pts: Vec<Point> = profile(segs).into_iter().map(|(p, _)| p).collect();
        run_points(pts, last_rep_end, true)
    }

    /// [`run`] on the points given, their pose from a gyroscope or not.
    fn run_points(
        pts: Vec<Point>,
        last_rep_end: Option<f64>,
        gyro: bool,
    ) -> Result<Measured, Reject> {
        let end = pts.last().expect("points").t;
        let h = history(pts);
        // The rise starts where the leg left 0° for the last time.
        let peak_t = h
            .iter()
            .max_by(|a, b| a.e.total_cmp(&b.e))
            .expect("points")
            .t;
        let since = h
            .iter()
            .filter(|q| q.t < peak_t && q.e <= 0.0)
            .map(|q| q.t)
            .fold(0.0, f64::max);
        let c = Candidate::between(&h, since, end, 1).expect("a rise");
        measure(&c, &h, &Settings::default(), last_rep_end, 10.0, gyro)
    }

    /// A controlled rep: 1 s up to 40°, 1 s held, 2 s down.
    fn controlled() -> Vec<Seg> {
        vec![
            stay(0.0, 1.0),
            go(40.0, 1.0),
            stay(40.0, 1.0),
            go(0.0, 2.0),
            stay(0.0, 0.5),
        ]
    }

    #[test]
    fn the_accelerometer_must_see_what_the_gyroscope_reads() {
        let thrown = || vec![stay(0.0, 1.0), go(60.0, 0.2), go(0.0, 0.3), stay(0.0, 0.5)];
        // (profile, the part of each pose's turn the accelerometer sees, a
        // gyroscope, a rep wanted)
        let cases: Vec<(&str, Vec<Seg>, f64, bool, bool)> = vec![
            ("seen whole", controlled(), 1.0, true, true),
            ("seen by half", controlled(), 0.5, true, true),
            ("seen by a fifth", controlled(), 0.2, true, false),
            ("never seen", controlled(), 0.0, true, false),
            ("thrown, seen whole", thrown(), 1.0, true, true),
            ("thrown, never seen", thrown(), 0.0, true, false),
            // Without a gyroscope the pose is the accelerometer's own.
            ("never seen, no gyroscope", controlled(), 0.0, false, true),
        ];
        for (what, segs, seen, gyro, want) in cases {
            let pts: Vec<Point> = profile(&segs)
                .into_iter()
                .map(|(mut p, _)| {
                    let a = (seen * p.e).to_radians();
                    let acc = Vector3::new(0.0, a.sin(), a.cos()) * STANDARD_GRAVITY;
                    p.raw_lin = acc - p.up * STANDARD_GRAVITY;
                    p
                })
                .collect();
            let got = run_points(pts, None, gyro);
            match want {
                true => assert!(got.is_ok(), "{what}: {got:?}"),
                false => assert_eq!(got.err(), Some(Reject::GyroOnly), "{what}"),
            }
        }
    }

    #[test]
    fn the_accelerometers_turn_is_the_widest_between_its_means() {
        // Up 30° and back, then down 10° in front: 40° between the extremes
        // (the first sweep, from the start, finds 30° at most).
        let segs = [
            stay(0.0, 0.5),
            go(30.0, 1.0),
            stay(30.0, 0.5),
            go(-10.0, 1.0),
            stay(-10.0, 0.5),
        ];
        let pts: Vec<Point> = profile(&segs).into_iter().map(|(p, _)| p).collect();
        let end = pts.last().expect("points").t;
        // (from, to, half-window, degrees, turned by them)
        let cases = [
            (0.0, end, 15, 39.9, true),
            (0.0, end, 5, 39.9, true),
            (0.0, end, 15, 40.1, false),
            (0.0, end, 15, 0.0, true),
            // Up to the ramp's top only: under 30°, as a window's mean there
            // takes in the ramp's end.
            (0.0, 1.5, 15, 25.0, true),
            (0.0, 1.5, 15, 29.9, false),
            // No points there.
            (end + 1.0, end + 2.0, 15, 0.0, false),
        ];
        for (from, to, half, deg, want) in cases {
            let got = gravity_turns_by(&pts, from, to, half, deg);
            assert_eq!(got, want, "{from}-{to} s, ±{half}, {deg}°");
        }
        // The window (twice the half-width) never outlasts the rise, nor is
        // its half-width under 5 points.
        assert_eq!(gravity_half_window(1.0), GRAVITY_HALF_WINDOW);
        assert_eq!(gravity_half_window(0.2), 10);
        assert_eq!(gravity_half_window(0.0), 5);
    }

    #[test]
    fn rises_are_measured_or_rejected() {
        // (profile, last rep's end, then for a rep: range, concentric, hold,
        // eccentric, wind-up, momentum flagged; or the rejection)
        type Want = Result<(f64, f64, f64, f64, f64, bool), Reject>;
        let cases: Vec<(&str, Vec<Seg>, Option<f64>, Want)> = vec![
            (
                "controlled: 1 s up, 1 s hold, 2 s down",
                controlled(),
                None,
                Ok((40.0, 1.0, 1.0, 2.0, 0.0, false)),
            ),
            (
                "thrown: 0.3 s up from a wind-up, no hold, 0.3 s down",
                vec![
                    stay(10.0, 1.0),
                    go(0.0, 0.3),
                    go(60.0, 0.3),
                    go(0.0, 0.3),
                    stay(0.0, 0.5),
                ],
                None,
                // The brief top reads lower through the 250 ms mean.
                Ok((47.5, 0.3, 0.0, 0.3, 10.0, true)),
            ),
            (
                "a blip shorter than a rep",
                vec![
                    stay(0.0, 1.0),
                    go(20.0, 0.15),
                    go(0.0, 0.15),
                    stay(0.0, 0.5),
                ],
                None,
                Err(Reject::Short),
            ),
            (
                "long enough but only 4° up",
                vec![stay(0.0, 1.0), go(4.0, 1.0), go(0.0, 1.0), stay(0.0, 0.5)],
                None,
                Err(Reject::Low),
            ),
            (
                "turned at 1125 °/s, faster than any leg (a spinning sensor)",
                vec![
                    stay(0.0, 1.0),
                    go(90.0, 0.08),
                    stay(90.0, 0.5),
                    go(0.0, 1.0),
                    stay(0.0, 0.5),
                ],
                None,
                Err(Reject::Fast),
            ),
            (
                "8° is a rep alone, but not chained to the rep before",
                vec![stay(0.0, 1.0), go(8.0, 1.0), go(0.0, 1.0), stay(0.0, 0.5)],
                Some(0.9),
                Err(Reject::Low),
            ),
        ];
        for (name, segs, last_end, want) in cases {
            let got = run(&segs, last_end);
            match (got, want) {
                (Err(g), Err(w)) => assert_eq!(g, w, "{name}"),
                (Ok(m), Ok((range, conc, hold, ecc, windup, momentum))) => {
                    let r = &m.rep;
                    let near = |a: f64, b: f64, tol: f64| (a - b).abs() <= tol;
                    assert!(
                        near(r.range_deg, range, 0.5),
                        "{name}: range {}",
                        r.range_deg
                    );
                    assert!(
                        near(r.concentric_s, conc, 0.05),
                        "{name}: conc {}",
                        r.concentric_s
                    );
                    assert!(near(r.hold_s, hold, 0.05), "{name}: hold {}", r.hold_s);
                    assert!(
                        near(r.eccentric_s, ecc, 0.07),
                        "{name}: ecc {}",
                        r.eccentric_s
                    );
                    assert!(
                        near(r.windup_deg, windup, 0.5),
                        "{name}: windup {}",
                        r.windup_deg
                    );
                    assert_eq!(
                        r.momentum.score >= 1.0,
                        momentum,
                        "{name}: {:?}",
                        r.momentum
                    );
                    assert!(r.start_s < r.peak_s && r.peak_s < r.end_s, "{name}");
                }
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn range_is_the_rise_above_the_rest_pose() {
        // (case, profile, rise start from, range, peak, wind-up)
        type Case = (&'static str, Vec<Seg>, f64, f64, f64, f64);
        let cases: Vec<Case> = vec![
            (
                "from rest",
                vec![
                    stay(0.0, 1.0),
                    go(40.0, 0.8),
                    stay(40.0, 0.5),
                    go(0.0, 1.0),
                    stay(0.0, 0.5),
                ],
                0.5,
                40.0,
                40.0,
                0.0,
            ),
            (
                "from a wind-up 15° in front of rest: the wind-up is no range",
                vec![
                    stay(0.0, 1.0),
                    go(-15.0, 0.25),
                    go(50.0, 0.6),
                    stay(50.0, 0.5),
                    go(0.0, 1.0),
                    stay(0.0, 0.5),
                ],
                1.0,
                50.0,
                50.0,
                15.0,
            ),
            (
                "straight from the last rep's overshoot 10° in front",
                vec![
                    go(-10.0, 0.3),
                    go(30.0, 0.8),
                    stay(30.0, 0.5),
                    go(0.0, 1.0),
                    stay(0.0, 0.5),
                ],
                0.0,
                30.0,
                30.0,
                10.0,
            ),
            (
                "not back down: from 8° above rest",
                vec![
                    go(8.0, 0.3),
                    stay(8.0, 0.7),
                    go(48.0, 0.8),
                    stay(48.0, 0.5),
                    go(8.0, 1.0),
                    stay(8.0, 0.5),
                ],
                0.5,
                40.0,
                48.0,
                0.0,
            ),
        ];
        for (name, segs, since, range, peak, windup) in cases {
            let pts: Vec<Point> = profile(&segs).into_iter().map(|(p, _)| p).collect();
            let end = pts.last().expect("points").t;
            let h = history(pts);
            let c = Candidate::between(&h, since, end, 1).expect("a rise");
            let r = measure(&c, &h, &Settings::default(), None, 10.0, true)
                .expect("a rep")
                .rep;
            let near = |a: f64, b: f64| (a - b).abs() <= 0.5;
            assert!(near(r.range_deg, range), "{name}: range {}", r.range_deg);
            assert!(
                near(r.peak_elevation_deg, peak),
                "{name}: peak {}",
                r.peak_elevation_deg
            );
            assert!(
                near(r.windup_deg, windup),
                "{name}: windup {}",
                r.windup_deg
            );
            assert!(r.range_deg <= r.peak_elevation_deg.max(0.0) + 1e-9 || c.start_e > 0.0);
        }
        assert_eq!(range_above_rest(20.0, -5.0), 20.0);
        assert_eq!(range_above_rest(20.0, 5.0), 15.0);
        assert_eq!(range_above_rest(-2.0, -5.0), 0.0);
    }

    #[test]
    fn how_close_a_rise_comes_to_rest() {
        // (case, profile, looked for from, closest, deg)
        let cases: Vec<(&str, Vec<Seg>, f64, f64)> = vec![
            (
                "from rest",
                vec![stay(0.0, 0.5), go(40.0, 0.8), stay(40.0, 0.5)],
                0.0,
                0.0,
            ),
            (
                "from a wind-up, through rest",
                vec![
                    stay(0.0, 0.5),
                    go(-20.0, 0.3),
                    go(40.0, 0.5),
                    stay(40.0, 0.5),
                ],
                0.0,
                0.0,
            ),
            (
                "from 8° above rest",
                vec![go(8.0, 0.3), stay(8.0, 0.5), go(48.0, 0.8), stay(48.0, 0.5)],
                0.5,
                8.0,
            ),
            (
                // The elevation counts the distance from rest with the sign
                // of the in-plane part: passing 20° to the side of rest it
                // jumps from -20° to 20°.
                "passing 20° beside rest",
                vec![
                    go(-30.0, 0.3),
                    stay(-30.0, 0.5),
                    go(-20.0, 0.2),
                    go(20.0, 0.01),
                    go(45.0, 0.3),
                    stay(45.0, 0.5),
                ],
                0.0,
                20.0,
            ),
        ];
        for (name, segs, since, want) in cases {
            // (The elevation rate is low-passed: the jump is no turn faster
            // than a leg.)
            let pts: Vec<Point> = profile(&segs)
                .into_iter()
                .map(|(p, _)| Point {
                    v: p.v.clamp(-300.0, 300.0),
                    ..p
                })
                .collect();
            let end = pts.last().expect("points").t;
            let h = history(pts);
            let c = Candidate::between(&h, since, end, 1).expect("a rise");
            let m = measure(&c, &h, &Settings::default(), None, 10.0, true).expect("a rep");
            let got = m.closest_to_rest(&c);
            assert!((got - want).abs() <= 0.5, "{name}: {got}");
        }
    }
}
