//! Test recordings for the CLI: a tiny kinematic leg (a straight leg turning
//! about a fixed hip, min-jerk phases, a strap in any orientation) written as
//! generic CSV (`time_s,ax,ay,az,gx,gy,gz`, SI units). The same leg as the
//! engine's tests (crates/kickback/tests/common), without nalgebra.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub struct Phase {
    pub to_deg: f64,
    pub dur_s: f64,
}

fn ph(to_deg: f64, dur_s: f64) -> Phase {
    Phase { to_deg, dur_s }
}

/// Leg angle (deg, + behind) over time from phases, at `fs` Hz.
pub fn profile(phases: &[Phase], fs: f64) -> Vec<f64> {
    let mut out = vec![0.0];
    let mut cur = 0.0;
    for p in phases {
        let n = (p.dur_s * fs).round().max(1.0) as usize;
        for i in 1..=n {
            let tau = i as f64 / n as f64;
            let s = tau * tau * tau * (10.0 - 15.0 * tau + 6.0 * tau * tau);
            out.push(cur + (p.to_deg - cur) * s);
        }
        cur = p.to_deg;
    }
    out
}

/// Up 1.3 s, hold 0.8 s, down 2 s, pause 0.4 s.
pub fn controlled_rep(peak: f64) -> Vec<Phase> {
    vec![ph(peak, 1.3), ph(peak, 0.8), ph(0.0, 2.0), ph(0.0, 0.4)]
}

/// Wind-up, a 0.4 s throw, a dropped stack.
pub fn momentum_rep(peak: f64) -> Vec<Phase> {
    vec![ph(-15.0, 0.3), ph(peak, 0.4), ph(-10.0, 0.45), ph(0.0, 0.3)]
}

pub fn rest(seconds: f64) -> Vec<Phase> {
    vec![ph(0.0, seconds)]
}

/// One set of reps with peaks `peaks`, 3 s of rest before and after.
pub fn set_of(rep: fn(f64) -> Vec<Phase>, peaks: &[f64]) -> Vec<Phase> {
    let mut out = rest(3.0);
    for p in peaks {
        out.extend(rep(*p));
    }
    out.extend(rest(3.0));
    out
}

type M3 = [[f64; 3]; 3];

fn mul(a: &M3, b: &M3) -> M3 {
    let mut m = [[0.0; 3]; 3];
    for (i, row) in m.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = (0..3).map(|k| a[i][k] * b[k][j]).sum();
        }
    }
    m
}

/// `mᵀ v`.
fn tmul(m: &M3, v: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|j| (0..3).map(|i| m[i][j] * v[i]).sum())
}

/// Rotation matrix of an axis-angle vector (rad).
fn rodrigues(w: [f64; 3]) -> M3 {
    let th = (w[0] * w[0] + w[1] * w[1] + w[2] * w[2]).sqrt();
    if th < 1e-12 {
        return [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    }
    let [x, y, z] = w.map(|c| c / th);
    let (s, c) = th.sin_cos();
    let t = 1.0 - c;
    [
        [c + x * x * t, x * y * t - z * s, x * z * t + y * s],
        [y * x * t + z * s, c + y * y * t, y * z * t - x * s],
        [z * x * t - y * s, z * y * t + x * s, c + z * z * t],
    ]
}

/// The recording of a leg following `phases`, sampled at 100 Hz, sensor
/// 0.8 m from the hip, strap rotated by `mount` (axis-angle, rad), as CSV.
pub fn csv(phases: &[Phase], mount: [f64; 3]) -> String {
    let fs = 100.0;
    let r = 0.8;
    let dt = 1.0 / fs;
    let th: Vec<f64> = profile(phases, fs).iter().map(|d| d.to_radians()).collect();
    let n = th.len();
    let mount = rodrigues(mount);
    let pos = |t: f64| [-r * t.sin(), 0.0, -r * t.cos()];
    let mut out = String::from("time_s,ax,ay,az,gx,gy,gz\n");
    for i in 0..n {
        let (a, b) = (i.saturating_sub(1), (i + 1).min(n - 1));
        let w = (th[b] - th[a]) / ((b - a).max(1) as f64 * dt);
        let acc = if i > 0 && i + 1 < n {
            let (p0, p1, p2) = (pos(th[i - 1]), pos(th[i]), pos(th[i + 1]));
            [0, 1, 2].map(|k| (p2[k] - 2.0 * p1[k] + p0[k]) / (dt * dt))
        } else {
            [0.0; 3]
        };
        let f_world = [acc[0], acc[1], acc[2] + 9.80665];
        let rs = mul(&rodrigues([0.0, th[i], 0.0]), &mount);
        let f = tmul(&rs, f_world);
        let g = tmul(&rs, [0.0, w, 0.0]);
        let _ = write!(out, "{:.3}", 3.0 + i as f64 * dt);
        for v in f.iter().chain(&g) {
            let _ = write!(out, ",{v:.6}");
        }
        out.push('\n');
    }
    out
}

/// Six controlled 50° reps: no faults.
pub fn good() -> String {
    csv(&set_of(controlled_rep, &[50.0; 6]), [0.0, 0.0, 0.0])
}

/// Four controlled 78° reps: past the default lumbar limit (45 + 20 = 65°).
pub fn lumbar() -> String {
    csv(&set_of(controlled_rep, &[78.0; 4]), [-0.3, 1.0, 0.2])
}

/// Eight thrown 50° reps: momentum.
pub fn swinging() -> String {
    csv(&set_of(momentum_rep, &[50.0; 8]), [0.5, 0.5, 0.5])
}

/// Five controlled reps, the fourth a partial (20° of ~50°).
pub fn partial() -> String {
    csv(
        &set_of(controlled_rep, &[50.0, 52.0, 49.0, 20.0, 51.0]),
        [0.1, 0.2, 0.3],
    )
}

/// A file whose fifth line, third column is not a number.
pub fn bad() -> String {
    "time_s,ax,ay,az,gx,gy,gz\n\
     0.00,0,0,9.81,0,0,0\n\
     0.01,0,0,9.81,0,0,0\n\
     0.02,0,0,9.81,0,0,0\n\
     0.03,0,oops,9.81,0,0,0\n\
     0.04,0,0,9.81,0,0,0\n"
        .to_string()
}

/// Writes `text` to `dir/name` (creating folders) and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}
