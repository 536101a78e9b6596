//! A tiny kinematic leg for the engine's end-to-end tests: a straight leg
//! turning about a fixed hip, min-jerk phases, a strap in any orientation.
//! (The full simulator is `kickback-sim`; this one is deliberately simple so
//! the engine's tests do not depend on it.)
#![allow(dead_code)]

use kickback::{Analyzer, Event, Sample, Settings};
use nalgebra::{Rotation3, Vector3};

pub struct Phase {
    pub to_deg: f64,
    pub dur_s: f64,
}

/// Leg angle (deg, + behind) as a function of time, from phases.
pub fn profile(start_deg: f64, phases: &[Phase], fs: f64) -> Vec<f64> {
    let mut out = vec![start_deg];
    let mut cur = start_deg;
    for ph in phases {
        let n = (ph.dur_s * fs).round().max(1.0) as usize;
        for i in 1..=n {
            let tau = i as f64 / n as f64;
            let s = tau * tau * tau * (10.0 - 15.0 * tau + 6.0 * tau * tau);
            out.push(cur + (ph.to_deg - cur) * s);
        }
        cur = ph.to_deg;
    }
    out
}

pub fn controlled_rep(peak: f64) -> Vec<Phase> {
    vec![
        Phase {
            to_deg: peak,
            dur_s: 1.3,
        },
        Phase {
            to_deg: peak,
            dur_s: 0.8,
        },
        Phase {
            to_deg: 0.0,
            dur_s: 2.0,
        },
        Phase {
            to_deg: 0.0,
            dur_s: 0.4,
        },
    ]
}

pub fn momentum_rep(peak: f64) -> Vec<Phase> {
    vec![
        Phase {
            to_deg: -15.0,
            dur_s: 0.3,
        },
        Phase {
            to_deg: peak,
            dur_s: 0.4,
        },
        Phase {
            to_deg: -10.0,
            dur_s: 0.45,
        },
        Phase {
            to_deg: 0.0,
            dur_s: 0.3,
        },
    ]
}

pub fn rest(seconds: f64) -> Vec<Phase> {
    vec![Phase {
        to_deg: 0.0,
        dur_s: seconds,
    }]
}

/// Samples of a leg following `angles_deg` at `fs`, radius `r` m from the hip,
/// strap rotated by `mount` (axis-angle vector, rad).
pub fn samples(
    angles_deg: &[f64],
    fs: f64,
    r: f64,
    mount: Vector3<f64>,
    gyro: bool,
) -> Vec<Sample> {
    let level = vec![0.0; angles_deg.len()];
    let mut out = samples_with_tilt(angles_deg, &level, fs, r, mount);
    if !gyro {
        out.iter_mut().for_each(|s| s.gyro = None);
    }
    out
}

/// Samples of a leg turning `angles_deg` forward and back (about the hip's
/// side-to-side axis) and `tilts_deg` out to the side (about its
/// front-to-back axis), both per sample at `fs`, `r` m from the hip, strap
/// rotated by `mount` (axis-angle vector, rad); with the gyroscope.
pub fn samples_with_tilt(
    angles_deg: &[f64],
    tilts_deg: &[f64],
    fs: f64,
    r: f64,
    mount: Vector3<f64>,
) -> Vec<Sample> {
    let dt = 1.0 / fs;
    let n = angles_deg.len().min(tilts_deg.len());
    let mount = Rotation3::new(mount);
    let rot = |i: usize| {
        Rotation3::from_axis_angle(&Vector3::y_axis(), angles_deg[i].to_radians())
            * Rotation3::from_axis_angle(&Vector3::x_axis(), tilts_deg[i].to_radians())
    };
    let pos = |i: usize| rot(i) * Vector3::new(0.0, 0.0, -r);
    (0..n)
        .map(|i| {
            let (a, b) = (i.saturating_sub(1), (i + 1).min(n - 1));
            let w_world = (rot(b) * rot(a).inverse()).scaled_axis() / ((b - a).max(1) as f64 * dt);
            let acc = if i > 0 && i + 1 < n {
                (pos(i + 1) - 2.0 * pos(i) + pos(i - 1)) / (dt * dt)
            } else {
                Vector3::zeros()
            };
            let f_world = acc + Vector3::new(0.0, 0.0, 9.80665);
            let rs = rot(i) * mount;
            Sample {
                t: 3.0 + i as f64 * dt,
                acc: rs.inverse() * f_world,
                gyro: Some(rs.inverse() * w_world),
            }
        })
        .collect()
}

/// The events of a live analyzer (default settings) fed `samples`
/// `chunk` at a time, drained after each push, then finished.
pub fn live_events(samples: &[Sample], chunk: usize) -> Vec<Event> {
    let mut a = Analyzer::new(Settings::default()).expect("default settings");
    let mut events = Vec::new();
    for c in samples.chunks(chunk.max(1)) {
        a.push_slice(c);
        events.extend(a.drain());
    }
    a.finish();
    events.extend(a.drain());
    events
}

/// A set of `reps` reps of one kind, with rest before and after.
pub fn set_of(rep: &dyn Fn() -> Vec<Phase>, reps: usize) -> Vec<Phase> {
    let mut ph = rest(3.0);
    for _ in 0..reps {
        ph.extend(rep());
    }
    ph.extend(rest(3.0));
    ph
}
