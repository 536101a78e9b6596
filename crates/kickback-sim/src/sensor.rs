//! The simulated IMU: ideal signals from the kinematics, then strap,
//! soft tissue, sensor errors and timing (BIOMECHANICS §3.1–§3.4, §5.1).

use crate::motion::{differentiate, DT, G, SIM_HZ};
use crate::rng::{normal, normal_clipped, uniform};
use kickback::Sample;
use nalgebra::{Matrix3, UnitQuaternion, Vector3};
use rand_chacha::ChaCha8Rng;

/// Sensor and timing parameters of one recording.
#[derive(Debug, Clone)]
pub(crate) struct SensorSpec {
    /// Nominal (reported) sample rate, Hz (§3.2, §5.1).
    pub fs: f64,
    pub gyro: bool,
    /// Strap rotation: sensor frame in the shank frame (§3.3, §5.1).
    pub mount: UnitQuaternion<f64>,
    /// Accelerometer noise density, µg/√Hz (§3.1: 180 typical, 60–400).
    pub accel_nd_ug: f64,
    /// Gyroscope noise density, °/s/√Hz (§3.1: 0.01, 0.003–0.015).
    pub gyro_nd_dps: f64,
    /// Accelerometer bias, m/s² (§5.1: N(0, 20 mg) clipped ±50 mg).
    pub accel_bias: Vector3<f64>,
    /// Gyroscope turn-on bias, rad/s (§5.1: N(0, 1 °/s) clipped ±3 °/s).
    pub gyro_bias: Vector3<f64>,
    /// Gyroscope bias drift: final offset (rad/s) and time constant (s) [A].
    pub gyro_drift: Vector3<f64>,
    pub gyro_drift_tau: f64,
    /// Scale and cross-axis matrices, I + diag(±1%) + off-diagonal ±1–2% (§3.1, §5.1).
    pub accel_m: Matrix3<f64>,
    pub gyro_m: Matrix3<f64>,
    /// Full scales: ±8 g or ±16 g, ±2000 °/s; 16-bit (§5.1).
    pub accel_range_g: f64,
    pub gyro_range_dps: f64,
    /// How far the delivered rate is off the nominal one (±2 %, §3.2, §5.1);
    /// the timestamps are true.
    pub clock_error: f64,
    /// Timestamp jitter σ, fraction of the period (1 % hardware, 3–5 % app; §3.2).
    pub jitter: f64,
    /// Probability that a dropped-sample run starts at a sample (§5.1: 0.1–1 %).
    pub drop_rate: f64,
    /// Timestamp of the first sample slot, s (arbitrary origin).
    pub t_offset: f64,
    /// Soft-tissue wobble scale, deg RMS at 1 g of segment acceleration (§3.3, §3.4).
    pub wobble_deg: f64,
}

impl SensorSpec {
    /// Draws realistic sensor errors for a given rate and timing class.
    pub fn draw(
        rng: &mut ChaCha8Rng,
        fs: f64,
        gyro: bool,
        app_timestamps: bool,
        drops: bool,
        mount: UnitQuaternion<f64>,
    ) -> SensorSpec {
        let mg = G / 1000.0;
        let dps = 1f64.to_radians();
        let v3 = |rng: &mut ChaCha8Rng, sd: f64, lim: f64| {
            Vector3::new(
                normal_clipped(rng, 0.0, sd, -lim, lim),
                normal_clipped(rng, 0.0, sd, -lim, lim),
                normal_clipped(rng, 0.0, sd, -lim, lim),
            )
        };
        let mat = |rng: &mut ChaCha8Rng, scale: f64, cross: f64| {
            let mut m = Matrix3::identity();
            for r in 0..3 {
                for c in 0..3 {
                    m[(r, c)] += if r == c {
                        uniform(rng, -scale, scale)
                    } else {
                        uniform(rng, -cross, cross)
                    };
                }
            }
            m
        };
        let t_offset = if uniform(rng, 0.0, 1.0) < 0.5 {
            uniform(rng, 0.0, 10.0)
        } else {
            1.7e9 + uniform(rng, 0.0, 5.0e7)
        };
        SensorSpec {
            fs,
            gyro,
            mount,
            accel_nd_ug: (uniform(rng, 60f64.ln(), 400f64.ln())).exp(),
            gyro_nd_dps: uniform(rng, 0.003, 0.015),
            accel_bias: v3(rng, 20.0 * mg, 50.0 * mg),
            gyro_bias: v3(rng, 1.0 * dps, 3.0 * dps),
            gyro_drift: v3(rng, 0.5 * dps, 1.5 * dps),
            gyro_drift_tau: uniform(rng, 60.0, 300.0),
            accel_m: mat(rng, 0.01, 0.02),
            gyro_m: mat(rng, 0.01, 0.01),
            accel_range_g: if uniform(rng, 0.0, 1.0) < 0.7 {
                8.0
            } else {
                16.0
            },
            gyro_range_dps: 2000.0,
            clock_error: uniform(rng, -0.02, 0.02),
            jitter: if app_timestamps {
                uniform(rng, 0.03, 0.05)
            } else {
                uniform(rng, 0.005, 0.01)
            },
            drop_rate: if drops {
                uniform(rng, 0.001, 0.01) / 2.0
            } else {
                0.0
            },
            t_offset,
            wobble_deg: 1.0,
        }
    }

    /// A perfect sensor: no noise, bias, wobble, quantisation or timing errors.
    #[cfg(test)]
    pub fn ideal(fs: f64, mount: UnitQuaternion<f64>) -> SensorSpec {
        SensorSpec {
            fs,
            gyro: true,
            mount,
            accel_nd_ug: 0.0,
            gyro_nd_dps: 0.0,
            accel_bias: Vector3::zeros(),
            gyro_bias: Vector3::zeros(),
            gyro_drift: Vector3::zeros(),
            gyro_drift_tau: 100.0,
            accel_m: Matrix3::identity(),
            gyro_m: Matrix3::identity(),
            accel_range_g: 0.0,
            gyro_range_dps: 0.0,
            clock_error: 0.0,
            jitter: 0.0,
            drop_rate: 0.0,
            t_offset: 0.0,
            wobble_deg: 0.0,
        }
    }
}

/// Output of the sensor stage.
pub(crate) struct Sampled {
    pub samples: Vec<Sample>,
    /// Maps a simulation time (s) to seconds from the first sample's timestamp.
    pub t_first_sim: f64,
    pub first_timestamp: f64,
}

impl Sampled {
    pub fn map_time(&self, t_sim: f64) -> f64 {
        t_sim - self.t_first_sim
    }
}

/// Gaussian smoothing of a vector series (σ in steps).
fn smooth(v: &[Vector3<f64>], sigma: f64) -> Vec<Vector3<f64>> {
    let r = (3.0 * sigma).ceil() as isize;
    let w: Vec<f64> = (-r..=r)
        .map(|k| (-(k * k) as f64 / (2.0 * sigma * sigma)).exp())
        .collect();
    let n = v.len() as isize;
    (0..n)
        .map(|i| {
            let mut acc = Vector3::zeros();
            let mut ws = 0.0;
            for (j, wk) in (-r..=r).zip(&w) {
                let k = i + j;
                if k >= 0 && k < n {
                    acc += v[k as usize] * *wk;
                    ws += wk;
                }
            }
            acc / ws
        })
        .collect()
}

/// Band-limited (1–10 Hz) unit-RMS noise: eight random sinusoids per axis [A].
struct Wobble {
    comps: Vec<[(f64, f64, f64); 8]>,
}

impl Wobble {
    fn new(rng: &mut ChaCha8Rng) -> Wobble {
        let mut comps = Vec::new();
        for _ in 0..3 {
            let mut c = [(0.0, 0.0, 0.0); 8];
            for x in &mut c {
                *x = (
                    0.5f64.sqrt() * normal(rng, 1.0, 0.3).abs(),
                    uniform(rng, 1.0, 10.0),
                    uniform(rng, 0.0, std::f64::consts::TAU),
                );
            }
            comps.push(c);
        }
        Wobble { comps }
    }
    fn at(&self, t: f64) -> Vector3<f64> {
        let f = |c: &[(f64, f64, f64); 8]| {
            c.iter()
                .map(|(a, f, p)| a * (std::f64::consts::TAU * f * t + p).sin())
                .sum::<f64>()
                / 2.0
        };
        Vector3::new(f(&self.comps[0]), f(&self.comps[1]), f(&self.comps[2]))
    }
}

/// Ideal body-frame signals at 1 kHz: specific force (m/s²) and angular rate (rad/s).
pub(crate) fn ideal_signals(
    q_bone: &[UnitQuaternion<f64>],
    vel: &[Vector3<f64>],
    extra: &[Vector3<f64>],
    spec: &SensorSpec,
    rng: &mut ChaCha8Rng,
) -> (Vec<Vector3<f64>>, Vec<Vector3<f64>>) {
    let n = q_bone.len();
    let v = smooth(vel, 5.0);
    let a_kin = differentiate(&v);
    let a: Vec<Vector3<f64>> = a_kin.iter().zip(extra).map(|(a, e)| a + e).collect();
    // soft-tissue wobble: RMS = 1°·min(1, |a|/g) + 0.5°/g·|a| of the
    // low-passed (τ 0.2 s) dynamic acceleration magnitude (§3.4 [A]); cap 5°
    let mut env = vec![0.0; n];
    if spec.wobble_deg > 0.0 {
        let k = DT / 0.2;
        let mut s = 0.0;
        for i in 0..n {
            s += k * (a[i].norm() / G - s);
            env[i] = s;
        }
        let mut s = 0.0;
        for i in (0..n).rev() {
            s += k * (env[i] - s);
            env[i] = s;
        }
    }
    let wob = Wobble::new(rng);
    let q_s: Vec<UnitQuaternion<f64>> = (0..n)
        .map(|i| {
            let m = env[i];
            let rms = (spec.wobble_deg * m.min(1.0) + 0.5 * spec.wobble_deg * m).min(5.0);
            let w = wob.at(i as f64 * DT) * rms.to_radians();
            q_bone[i] * UnitQuaternion::from_scaled_axis(w) * spec.mount
        })
        .collect();
    let g_world = Vector3::new(0.0, 0.0, -G);
    let f: Vec<Vector3<f64>> = (0..n)
        .map(|i| q_s[i].inverse() * (a[i] - g_world))
        .collect();
    let w: Vec<Vector3<f64>> = (0..n)
        .map(|i| {
            let (i0, i1) = (i.saturating_sub(1), (i + 1).min(n - 1));
            if i1 == i0 {
                return Vector3::zeros();
            }
            (q_s[i0].inverse() * q_s[i1]).scaled_axis() / ((i1 - i0) as f64 * DT)
        })
        .collect();
    (f, w)
}

/// Running integral of a 1 kHz series, for period averages at any time.
struct Integral {
    c: Vec<Vector3<f64>>,
}

impl Integral {
    fn new(x: &[Vector3<f64>]) -> Integral {
        let mut c = Vec::with_capacity(x.len() + 1);
        let mut s = Vector3::zeros();
        c.push(s);
        for v in x {
            s += v * DT;
            c.push(s);
        }
        Integral { c }
    }
    /// ∫ from 0 to t (x is piecewise constant over each step).
    fn at(&self, t: f64) -> Vector3<f64> {
        let u = (t * SIM_HZ).clamp(0.0, (self.c.len() - 1) as f64);
        let i = (u.floor() as usize).min(self.c.len() - 2);
        let fr = u - i as f64;
        self.c[i] * (1.0 - fr) + self.c[i + 1] * fr
    }
    fn mean(&self, a: f64, b: f64) -> Vector3<f64> {
        (self.at(b) - self.at(a)) / (b - a)
    }
}

fn quantise(v: f64, lsb: f64, full: f64) -> f64 {
    if full <= 0.0 {
        return v;
    }
    ((v / lsb).round() * lsb).clamp(-full, full - lsb)
}

/// Samples the ideal signals with the sensor's errors and timing.
pub(crate) fn sample(
    f: &[Vector3<f64>],
    w: &[Vector3<f64>],
    spec: &SensorSpec,
    rng: &mut ChaCha8Rng,
) -> Sampled {
    let fi = Integral::new(f);
    let wi = Integral::new(w);
    let dur = f.len() as f64 * DT;
    // true sampling period: the sensor runs off its nominal rate by the
    // clock error (§3.2: 60 Hz asked, 52.6 Hz delivered); the timestamps are
    // the true sample times plus jitter, as Android's `elapsedRealtimeNanos`
    // and Core Motion's timestamps are (§3.2: "use sample timestamps, not the
    // nominal rate")
    let p_true = 1.0 / (spec.fs * (1.0 + spec.clock_error));
    let p_nom = 1.0 / spec.fs;
    let tau0 = p_true * (1.0 + uniform(rng, 0.0, 1.0));
    let sd_a = spec.accel_nd_ug * 1e-6 * G * (spec.fs / 2.0).sqrt();
    let sd_g = (spec.gyro_nd_dps * (spec.fs / 2.0).sqrt()).to_radians();
    let a_full = spec.accel_range_g * G;
    let a_lsb = 2.0 * a_full / 65536.0;
    let g_full = spec.gyro_range_dps.to_radians();
    let g_lsb = 2.0 * g_full / 65536.0;
    let mut samples = Vec::new();
    let mut k = 0usize;
    let mut drop_left = 0usize;
    let mut last_t = f64::NEG_INFINITY;
    let mut first: Option<(f64, f64)> = None;
    loop {
        let tau = tau0 + k as f64 * p_true;
        if tau > dur - 2.0 * DT {
            break;
        }
        k += 1;
        if drop_left > 0 {
            drop_left -= 1;
            continue;
        }
        if spec.drop_rate > 0.0 && uniform(rng, 0.0, 1.0) < spec.drop_rate {
            drop_left = crate::rng::int(rng, 1, 3) - 1;
            continue;
        }
        // the IMU's decimation filter: average over the sample period
        let fm = fi.mean(tau - p_true, tau);
        let mut acc = spec.accel_m * (fm + spec.accel_bias);
        for x in acc.iter_mut() {
            *x = quantise(*x + normal(rng, 0.0, sd_a), a_lsb, a_full);
        }
        let gyro = if spec.gyro {
            let wm = wi.mean(tau - p_true, tau);
            let bias =
                spec.gyro_bias + spec.gyro_drift * (1.0 - (-tau / spec.gyro_drift_tau).exp());
            let mut g = spec.gyro_m * wm + bias;
            for x in g.iter_mut() {
                *x = quantise(*x + normal(rng, 0.0, sd_g), g_lsb, g_full);
            }
            Some(g)
        } else {
            None
        };
        let mut t = spec.t_offset + tau + normal(rng, 0.0, spec.jitter * p_nom);
        if t <= last_t + 0.2 * p_nom {
            t = last_t + 0.2 * p_nom;
        }
        last_t = t;
        if first.is_none() {
            first = Some((tau, t));
        }
        samples.push(Sample { t, acc, gyro });
    }
    let (tau_first, t_first) = first.unwrap_or((0.0, spec.t_offset));
    // the first timestamp in sim time: t_first − t_offset (timestamps are sim
    // time plus the offset and jitter); kept in this form, whose rounding the
    // committed truth files were written with
    let t_first_sim = tau_first + (t_first - (spec.t_offset + tau_first));
    Sampled {
        samples,
        t_first_sim,
        first_timestamp: t_first,
    }
}
