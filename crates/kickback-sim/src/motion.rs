//! Kinematics of the instrumented shank, built at 1 kHz.
//!
//! Every activity is a *segment* that appends the shank's world orientation
//! and the sensor point's world velocity for each 1 ms step. Segments start
//! and end at rest in a known pose, so orientation is continuous and the
//! velocity (from which the acceleration is differentiated) has no jumps.
//!
//! World frame: `x` forward (the way the person faces at heading 0), `y` left,
//! `z` up. Shank frame: `z` along the shank from the ankle towards the knee,
//! `x` forward when the shank is vertical. A shank inclined by θ (positive =
//! foot behind the body) is `Rz(heading)·Ry(θ)`.

use crate::rng::{normal, uniform};
use crate::truth::{ActivityKind, RepStyle};
use nalgebra::{UnitQuaternion, Vector3};
use rand_chacha::ChaCha8Rng;

/// Internal simulation rate, Hz. Fast enough for 20–50 ms impact transients
/// (BIOMECHANICS §5.1 "stack drop") and 400 Hz output.
pub(crate) const SIM_HZ: f64 = 1000.0;
/// Internal step, s.
pub(crate) const DT: f64 = 1.0 / SIM_HZ;
/// Standard gravity, m/s².
pub(crate) const G: f64 = kickback::STANDARD_GRAVITY;

/// Minimum-jerk position profile x(τ) = 10τ³ − 15τ⁴ + 6τ⁵ on τ ∈ [0, 1]
/// (BIOMECHANICS §2.2; peak velocity 1.875·A/D at τ = 0.5).
pub fn min_jerk(tau: f64) -> f64 {
    let t = tau.clamp(0.0, 1.0);
    t * t * t * (10.0 + t * (-15.0 + 6.0 * t))
}

pub(crate) fn rx(a: f64) -> UnitQuaternion<f64> {
    UnitQuaternion::from_axis_angle(&Vector3::x_axis(), a)
}
pub(crate) fn ry(a: f64) -> UnitQuaternion<f64> {
    UnitQuaternion::from_axis_angle(&Vector3::y_axis(), a)
}
pub(crate) fn rz(a: f64) -> UnitQuaternion<f64> {
    UnitQuaternion::from_axis_angle(&Vector3::z_axis(), a)
}

/// Signed inclination of a shank-up vector expressed in the heading frame:
/// the angle from vertical, positive when the foot is behind the knee.
pub(crate) fn inclination_deg(z: &Vector3<f64>) -> f64 {
    let a = z.z.clamp(-1.0, 1.0).acos().to_degrees();
    if z.x < 0.0 {
        -a
    } else {
        a
    }
}

/// The person's leg and the strap (BIOMECHANICS §4, §5.1).
#[derive(Debug, Clone)]
pub(crate) struct Body {
    pub height: f64,
    pub thigh: f64,
    pub shank: f64,
    /// Ankle joint height above the floor, 0.039·H (§4).
    pub ankle_h: f64,
    /// Foot length, 0.152·H (§4).
    pub foot: f64,
    /// Sensor above the ankle along the shank, m.
    pub sensor_d: f64,
    /// Lever arm of the sensor off the shank axis (shank frame), m.
    pub lever: Vector3<f64>,
    /// Foot turn-out: rotation about the shank axis.
    pub turnout: UnitQuaternion<f64>,
}

impl Body {
    fn sensor_local(&self) -> Vector3<f64> {
        Vector3::new(self.lever.x, self.lever.y, self.sensor_d + self.lever.z)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct RawRep {
    pub set: usize,
    pub start: f64,
    pub peak: f64,
    pub end: f64,
    pub range: f64,
    pub peak_elev: f64,
    pub style: RepStyle,
}

#[derive(Debug, Clone)]
pub(crate) struct RawActivity {
    pub kind: ActivityKind,
    pub start: f64,
    pub end: f64,
}

/// Appends kinematics segment by segment.
pub(crate) struct Builder<'b> {
    pub body: &'b Body,
    /// Bone orientation (shank · turn-out) in the world, per step.
    pub q: Vec<UnitQuaternion<f64>>,
    /// Sensor-point velocity in the world, m/s, per step.
    pub vel: Vec<Vector3<f64>>,
    /// Extra acceleration (impacts) in the world, m/s², per step.
    pub extra: Vec<Vector3<f64>>,
    /// Current heading (yaw), rad.
    pub heading: f64,
    /// Shank inclination when standing upright, deg.
    pub stand_incl: f64,
    pub reps: Vec<RawRep>,
    pub activities: Vec<RawActivity>,
}

impl<'b> Builder<'b> {
    pub fn new(body: &'b Body, heading: f64, stand_incl: f64) -> Self {
        Builder {
            body,
            q: Vec::new(),
            vel: Vec::new(),
            extra: Vec::new(),
            heading,
            stand_incl,
            reps: Vec::new(),
            activities: Vec::new(),
        }
    }

    /// Current time, s.
    pub fn now(&self) -> f64 {
        self.q.len() as f64 * DT
    }

    fn activity(&mut self, kind: ActivityKind, start: f64, end: f64) {
        self.activities.push(RawActivity { kind, start, end });
    }

    /// Appends shank orientations with the ankle positions they belong to;
    /// velocity of the sensor point is differentiated within the segment.
    fn push_chain(&mut self, ankles: &[Vector3<f64>], qs: &[UnitQuaternion<f64>]) {
        let s = self.body.sensor_local();
        let turn = self.body.turnout;
        let p: Vec<Vector3<f64>> = ankles
            .iter()
            .zip(qs)
            .map(|(a, q)| a + (q * turn) * s)
            .collect();
        let v = differentiate(&p);
        self.push_raw(qs, &v);
    }

    fn push_raw(&mut self, qs: &[UnitQuaternion<f64>], v: &[Vector3<f64>]) {
        let turn = self.body.turnout;
        for (q, v) in qs.iter().zip(v) {
            self.q.push(q * turn);
            self.vel.push(*v);
            self.extra.push(Vector3::zeros());
        }
    }

    /// Adds a zero-mean damped-sine transient of peak `amp` (m/s²) along
    /// `dir` starting at step `i0`.
    pub fn transient(&mut self, i0: usize, dir: Vector3<f64>, amp: f64, freq: f64, tau: f64) {
        let n = (5.0 * tau * SIM_HZ) as usize;
        // peak of e^{-t/τ} sin(2πft) to normalise
        let w = 2.0 * std::f64::consts::PI * freq;
        let tp = (w * tau).atan() / w;
        let peak = (-tp / tau).exp() * (w * tp).sin();
        for k in 0..n {
            let i = i0 + k;
            if i >= self.extra.len() {
                break;
            }
            let t = k as f64 * DT;
            self.extra[i] += dir * (amp / peak * (-t / tau).exp() * (w * t).sin());
        }
    }

    /// Standing upright on both feet: the shank pivots about the ankle with
    /// postural sway (ankle strategy, 0.1–0.6 Hz, ≈0.4° RMS [A]) and
    /// `fidgets` small (< 5°) movements or weight shifts.
    pub fn stand(&mut self, rng: &mut ChaCha8Rng, dur: f64, fidgets: usize) {
        let n = (dur * SIM_HZ).round().max(2.0) as usize;
        let t0 = self.now();
        let sway_s = Sway::new(rng, 0.4);
        let sway_l = Sway::new(rng, 0.3);
        let mut fid = Vec::new();
        for _ in 0..fidgets {
            let d = uniform(rng, 0.6, 1.5);
            let hold = if rng_bool(rng, 0.4) {
                uniform(rng, 1.0, 4.0)
            } else {
                0.0
            };
            if dur < d + hold + 3.0 {
                continue;
            }
            let start = uniform(rng, 1.0, dur - d - hold - 1.5);
            let amp = uniform(rng, 1.5, 4.0) * if rng_bool(rng, 0.5) { 1.0 } else { -1.0 };
            let lateral = rng_bool(rng, 0.4);
            fid.push((start, d, hold, amp, lateral));
            self.activity(ActivityKind::Fidget, t0 + start, t0 + start + d + hold);
        }
        let mut qs = Vec::with_capacity(n);
        let mut ankles = Vec::with_capacity(n);
        for i in 0..n {
            let t = i as f64 * DT;
            let env = ramp_env(t, dur, 0.5);
            let mut th = self.stand_incl + env * sway_s.at(t);
            let mut la = env * sway_l.at(t);
            for &(s, d, hold, amp, lateral) in &fid {
                let v = amp * out_and_back(t - s, d, hold);
                if lateral {
                    la += v;
                } else {
                    th += v;
                }
            }
            qs.push(rz(self.heading) * rx(la.to_radians()) * ry(th.to_radians()));
            ankles.push(Vector3::zeros());
        }
        self.push_chain(&ankles, &qs);
        self.activity(ActivityKind::Stand, t0, self.now());
    }

    /// Turning in place by `dyaw` rad over `dur` s (the planted shank yaws).
    pub fn turn(&mut self, dyaw: f64, dur: f64) {
        let n = (dur * SIM_HZ).round().max(2.0) as usize;
        let t0 = self.now();
        let h0 = self.heading;
        let th = self.stand_incl.to_radians();
        let qs: Vec<_> = (0..n)
            .map(|i| rz(h0 + dyaw * min_jerk(i as f64 / (n - 1) as f64)) * ry(th))
            .collect();
        let ankles = vec![Vector3::zeros(); n];
        self.push_chain(&ankles, &qs);
        self.heading = h0 + dyaw;
        self.activity(ActivityKind::Stand, t0, self.now());
    }

    /// Walking for about `dur` s (BIOMECHANICS §2.4; gait geometry [D];
    /// shapes checked against real shank recordings with
    /// `crates/kickback-sim/tools/gait_compare.py`, see [`Gait`]): stride
    /// period 0.9–1.25 s (real NCSU and HuGaDB strides, p5–p95: 1.00–1.30 s
    /// and 0.80–0.98 s), stride length 0.72–0.85·H. In stance the foot is
    /// planted, the hip moves forward, the knee bends and straightens as in
    /// real gait and the shank follows; the heel rises about the toe from 40%
    /// to 60% of the cycle. In swing the shank swings forward in one bell of
    /// 330–500 °/s, ≈ 80° from its backmost to its foremost inclination, and
    /// each heel strike jolts the shank's rate by 100 °/s and adds a
    /// 3.5–5.5 g, 10–20 Hz transient along it.
    ///
    /// Gait initiation and termination: the walk starts and ends in the
    /// instrumented leg's mid-stance, where its shank passes the standing
    /// inclination, and the gait clock speeds up from rest and slows back to
    /// rest over [`GAIT_RAMP_S`] (about half a step). Every sample is a
    /// pose of the same gait, so the first and last steps are as physical
    /// as the others (foot planted in stance, heel strikes scaled by speed).
    pub fn walk(&mut self, rng: &mut ChaCha8Rng, dur: f64) {
        let b = self.body;
        let gait = Gait::new(
            b,
            uniform(rng, 0.9, 1.25),
            uniform(rng, 0.72, 0.85) * b.height,
        );
        let stand = self.stand_incl.to_radians();
        let p_s = gait.period * gait.stance_phase_at(stand);
        let cycles = ((dur - GAIT_RAMP_S) / gait.period).round().max(1.0);
        let total = cycles * gait.period + GAIT_RAMP_S;
        let n = (total * SIM_HZ).round().max(2.0) as usize;
        // gait clock: its rate ramps 0 → 1 → 0; scaled so that it advances
        // by whole cycles and ends in mid-stance again
        let rate: Vec<f64> = (0..n)
            .map(|i| ramp_env(i as f64 * DT, total, GAIT_RAMP_S))
            .collect();
        let sum: f64 = rate.iter().sum();
        let mut clock = Vec::with_capacity(n);
        let mut acc = 0.0;
        for r in &rate {
            clock.push(p_s + cycles * gait.period * acc / sum);
            acc += r;
        }
        let t0 = self.now();
        let i0 = self.q.len();
        let hq = rz(self.heading);
        let mut ankles = Vec::with_capacity(n);
        let mut qs = Vec::with_capacity(n);
        for &c in &clock {
            let (a, th) = gait.pose(c);
            ankles.push(hq * a);
            qs.push(hq * ry(th));
        }
        self.push_chain(&ankles, &qs);
        // heel strikes of the instrumented leg: where the clock passes a
        // whole cycle
        for i in 1..n {
            let k = (clock[i] / gait.period).floor();
            if k >= 1.0 && clock[i - 1] < k * gait.period {
                let dir = qs[i] * Vector3::z();
                // 3.5–5.5 g, 10–20 Hz, τ 12–20 ms. The real recordings'
                // sensors sit higher on the shank than this one (HuGaDB:
                // mid-shin); read 15 cm further down (gait_compare.py
                // --real-down 0.15, a rigid-shank estimate from their
                // gyroscope, which also matches the simulated braking of
                // the swing, a_swing) their strides jolt 2.2–3.4 g above the
                // 70 ms mean (hf, median) and peak at 3.9–4.3 g around the
                // strike (a_hs). This gives 1.5–2.5 g and 4.0–4.8 g; 2.5–4 g
                // gave 1.1–1.7 g of jolt.
                let amp = uniform(rng, 3.5, 5.5) * G * rate[i];
                self.transient(
                    i0 + i,
                    dir,
                    amp,
                    uniform(rng, 10.0, 20.0),
                    uniform(rng, 0.012, 0.02),
                );
            }
        }
        self.activity(ActivityKind::Walking, t0, self.now());
    }

    /// Moves the shank from the standing pose into a kick posture (or back)
    /// over `dur` s: shank inclination, knee flexion and hip height follow
    /// minimum-jerk paths; the hip is the pivot.
    pub fn posture_change(&mut self, from: Posture, to: Posture, dur: f64) {
        let n = (dur * SIM_HZ).round().max(2.0) as usize;
        let t0 = self.now();
        let b = self.body;
        let hq = rz(self.heading);
        let mut qs = Vec::with_capacity(n);
        let mut ankles = Vec::with_capacity(n);
        for i in 0..n {
            let u = min_jerk(i as f64 / (n - 1) as f64);
            let th = (from.shank + u * (to.shank - from.shank)).to_radians();
            let k = (from.knee + u * (to.knee - from.knee)).to_radians();
            let hip = Vector3::new(0.0, 0.0, from.hip_z + u * (to.hip_z - from.hip_z));
            let q = hq * ry(th);
            let knee = hip - hq * (ry(th - k) * Vector3::z()) * b.thigh;
            ankles.push(knee - q * Vector3::z() * b.shank);
            qs.push(q);
        }
        self.push_chain(&ankles, &qs);
        self.activity(ActivityKind::Stand, t0, self.now());
    }

    /// A set of the working leg (BIOMECHANICS §1.2, §1.3, §2.2, §5.1): the
    /// leg hangs at the set's rest pose, then each planned rep is rendered,
    /// checked numerically against the fault margins and appended.
    pub fn kick_set(
        &mut self,
        rng: &mut ChaCha8Rng,
        set: usize,
        geo: &KickGeo,
        reps: &[RenderedRep],
    ) {
        let b = self.body;
        let lead_in = uniform(rng, 1.5, 3.0);
        let lead_out = uniform(rng, 1.0, 2.0);
        let mut drive_t: Vec<f64> = Vec::new(); // thigh drive, deg
        let mut drive_s: Vec<f64> = Vec::new(); // shank drive, deg
        let mut lumbo: Vec<f64> = Vec::new();
        let pad = |v: &mut Vec<f64>, n: usize| v.extend(std::iter::repeat(0.0).take(n));
        let n_in = (lead_in * SIM_HZ) as usize;
        pad(&mut drive_t, n_in);
        pad(&mut drive_s, n_in);
        pad(&mut lumbo, n_in);
        let t_set = self.now();
        let i_set = self.q.len();
        let mut touchdowns = Vec::new();
        for r in reps {
            let n_pause = (r.pause * SIM_HZ) as usize;
            pad(&mut drive_t, n_pause);
            pad(&mut drive_s, n_pause);
            pad(&mut lumbo, n_pause);
            let i_rep = drive_t.len();
            for k in 0..r.main.len() {
                let t = r.main[k] + r.lumbo[k];
                drive_t.push(t);
                drive_s.push(t + r.dk[k]);
                lumbo.push(r.lumbo[k]);
            }
            if let Some(td) = r.touchdown {
                touchdowns.push((i_rep + td.0, td.1, td.2, td.3));
            }
            self.reps.push(RawRep {
                set,
                start: t_set + i_rep as f64 * DT,
                peak: t_set + (i_rep + r.peak_idx) as f64 * DT,
                end: t_set + (i_rep + r.end_idx) as f64 * DT,
                range: r.range,
                peak_elev: r.peak_elev,
                style: r.style,
            });
        }
        let n_out = (lead_out * SIM_HZ) as usize;
        pad(&mut drive_t, n_out);
        pad(&mut drive_s, n_out);
        pad(&mut lumbo, n_out);
        // hanging sway (the loaded leg sways little, ≈0.3° RMS [A])
        let sway = Sway::new(rng, 0.3);
        let n = drive_t.len();
        let dur = n as f64 * DT;
        let hq = rz(self.heading);
        let torso_up = Vector3::new(
            geo.torso.to_radians().sin(),
            0.0,
            geo.torso.to_radians().cos(),
        );
        let pivot = torso_up * 0.10; // lumbosacral joint ≈ 10 cm above the hip [A]
        let mut qs = Vec::with_capacity(n);
        let mut ankles = Vec::with_capacity(n);
        for i in 0..n {
            let sw = ramp_env(i as f64 * DT, dur, 0.5) * sway.at(i as f64 * DT);
            let (qt, qsh) = geo.orientations(drive_t[i] + sw, drive_s[i] + sw);
            let hip = pivot + geo.axis_rot(lumbo[i]) * (-pivot);
            let knee = hip - hq * (qt * Vector3::z()) * b.thigh;
            let qsw = hq * qsh;
            ankles.push(knee - qsw * Vector3::z() * b.shank);
            qs.push(qsw);
        }
        self.push_chain(&ankles, &qs);
        for (i, amp, f, tau) in touchdowns {
            // the stack lands: a jolt along the cable (forward) and the shank
            let dir =
                (hq * Vector3::x() * 0.8 + self.q[i_set + i] * Vector3::z() * 0.6).normalize();
            self.transient(i_set + i, dir, amp, f, tau);
        }
    }

    /// The other leg's set: the instrumented leg is the stance leg in the
    /// hinged stance (shank leaning forward a little over the planted foot),
    /// perturbed by 1.5–4° in time with the other leg's reps [A].
    pub fn other_leg_set(&mut self, rng: &mut ChaCha8Rng, profiles: &[RenderedRep]) {
        let t0 = self.now();
        let lean = uniform(rng, 2.0, 6.0);
        let sgn = if rng_bool(rng, 0.5) { 1.0 } else { -1.0 };
        let c_s = sgn * uniform(rng, 1.5, 3.5);
        let c_l = uniform(rng, -1.5, 1.5);
        let mut pert: Vec<f64> = Vec::new();
        let n_in = (uniform(rng, 1.5, 3.0) * SIM_HZ) as usize;
        pert.extend(std::iter::repeat(0.0).take(n_in));
        for r in profiles {
            pert.extend(std::iter::repeat(0.0).take((r.pause * SIM_HZ) as usize));
            let amp = r.main.iter().cloned().fold(1.0, f64::max);
            let boost = if r.style == RepStyle::Momentum {
                1.3
            } else {
                1.0
            };
            pert.extend(r.main.iter().map(|m| (m / amp).clamp(-0.6, 1.0) * boost));
        }
        pert.extend(std::iter::repeat(0.0).take((uniform(rng, 1.0, 2.0) * SIM_HZ) as usize));
        let n_tr = (uniform(rng, 0.8, 1.5) * SIM_HZ) as usize;
        let n = pert.len() + 2 * n_tr;
        let dur = n as f64 * DT;
        let sway = Sway::new(rng, 0.3);
        let hq = rz(self.heading);
        let mut qs = Vec::with_capacity(n);
        for i in 0..n {
            let t = i as f64 * DT;
            let base = if i < n_tr {
                min_jerk(i as f64 / n_tr as f64)
            } else if i >= n - n_tr {
                1.0 - min_jerk((i - (n - n_tr)) as f64 / n_tr as f64)
            } else {
                1.0
            };
            let p = if i >= n_tr && i < n - n_tr {
                pert[i - n_tr]
            } else {
                0.0
            };
            let th = self.stand_incl + base * lean + p * c_s + ramp_env(t, dur, 0.5) * sway.at(t);
            let la = p * c_l;
            qs.push(hq * rx(la.to_radians()) * ry(th.to_radians()));
        }
        let ankles = vec![Vector3::zeros(); n];
        self.push_chain(&ankles, &qs);
        self.activity(ActivityKind::OtherLeg, t0, self.now());
    }
}

/// A pose at the ends of a posture change.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Posture {
    /// Shank inclination, deg.
    pub shank: f64,
    /// Knee flexion, deg.
    pub knee: f64,
    /// Hip height relative to standing, m.
    pub hip_z: f64,
}

/// Geometry of the kick: rest pose and the rotation axis.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KickGeo {
    /// Rest shank inclination θ0, deg.
    pub theta0: f64,
    /// Knee flexion at rest, deg.
    pub knee: f64,
    /// Tilt of the rotation axis out of the horizontal (abduction), deg.
    pub alpha: f64,
    /// Torso hinge, deg (for the lumbosacral pivot).
    pub torso: f64,
}

impl KickGeo {
    /// Rotation by `deg` about the kick axis (the medio-lateral axis tilted
    /// by α about the forward axis), in the heading frame.
    pub fn axis_rot(&self, deg: f64) -> UnitQuaternion<f64> {
        if self.alpha == 0.0 {
            return ry(deg.to_radians());
        }
        let a = self.alpha.to_radians();
        rx(a) * ry(deg.to_radians()) * rx(-a)
    }

    /// Thigh and shank orientations (heading frame) for the drive angles.
    pub fn orientations(
        &self,
        drive_t: f64,
        drive_s: f64,
    ) -> (UnitQuaternion<f64>, UnitQuaternion<f64>) {
        (
            self.axis_rot(drive_t) * ry((self.theta0 - self.knee).to_radians()),
            self.axis_rot(drive_s) * ry(self.theta0.to_radians()),
        )
    }

    /// Elevation (deg) of the shank for a shank drive angle: its signed
    /// inclination minus the rest inclination θ0.
    pub fn elevation(&self, drive_s: f64) -> f64 {
        if self.alpha == 0.0 {
            return drive_s;
        }
        let z = self.axis_rot(drive_s) * ry(self.theta0.to_radians()) * Vector3::z();
        inclination_deg(&z) - self.theta0
    }
}

/// A planned rep's shape (degrees and seconds).
#[derive(Debug, Clone)]
pub(crate) struct RepShape {
    pub style: RepStyle,
    /// Bottom pause before the rep, s.
    pub pause: f64,
    /// Level the main drive starts from, deg (0 = rest pose; the previous
    /// rep's overshoot trough when momentum reps chain).
    pub start: f64,
    /// Peak of the main (hip) drive, deg.
    pub amp: f64,
    pub windup: f64,
    pub d_windup: f64,
    pub d_con: f64,
    pub d_hold: f64,
    pub hold_bump: f64,
    pub d_ecc: f64,
    pub overshoot: f64,
    pub d_return: f64,
    /// Lumbopelvic add, deg, and the main-drive angle at which it starts.
    pub lumbo_add: f64,
    pub lumbo_on: f64,
    pub lumbo_late: f64,
    /// Knee flexion change at the top, deg.
    pub dk: f64,
    /// The knee term the rep starts with when it starts where the rep
    /// before left the leg (deg; `None`: its own, `dk` scaled to `start`);
    /// it blends into its own over the concentric, so the shank does not
    /// jump between the reps.
    pub knee_start: Option<f64>,
    /// Touchdown transient (peak m/s², Hz, τ s).
    pub touchdown: Option<(f64, f64, f64)>,
}

/// A rep rendered at 1 kHz, with its measured truth.
#[derive(Debug, Clone)]
pub(crate) struct RenderedRep {
    pub style: RepStyle,
    pub pause: f64,
    pub main: Vec<f64>,
    pub lumbo: Vec<f64>,
    pub dk: Vec<f64>,
    pub peak_idx: usize,
    pub end_idx: usize,
    pub range: f64,
    pub peak_elev: f64,
    pub touchdown: Option<(usize, f64, f64, f64)>,
}

impl RepShape {
    /// Renders the drive profiles and measures the elevation numerically.
    pub fn render(&self, geo: &KickGeo) -> RenderedRep {
        let steps = |d: f64| ((d * SIM_HZ).round() as usize).max(1);
        let mut main = Vec::new();
        let n_w = if self.windup > 0.0 {
            steps(self.d_windup)
        } else {
            0
        };
        for i in 0..n_w {
            main.push(
                self.start + (-self.windup - self.start) * min_jerk((i + 1) as f64 / n_w as f64),
            );
        }
        let e0 = if self.windup > 0.0 {
            -self.windup
        } else {
            self.start
        };
        let n_c = steps(self.d_con);
        for i in 0..n_c {
            main.push(e0 + (self.amp - e0) * min_jerk((i + 1) as f64 / n_c as f64));
        }
        let i_con_end = main.len();
        let n_h = (self.d_hold * SIM_HZ).round() as usize;
        for i in 0..n_h {
            main.push(
                self.amp
                    + self.hold_bump
                        * (std::f64::consts::PI * (i + 1) as f64 / (n_h + 1) as f64).sin(),
            );
        }
        let i_ecc = main.len();
        let n_e = steps(self.d_ecc);
        let bottom = -self.overshoot.max(0.0);
        for i in 0..n_e {
            main.push(self.amp + (bottom - self.amp) * min_jerk((i + 1) as f64 / n_e as f64));
        }
        let end_idx = main.len() - 1;
        if self.overshoot > 0.0 && self.d_return > 0.0 {
            let n_r = steps(self.d_return);
            for i in 0..n_r {
                main.push(bottom * (1.0 - min_jerk((i + 1) as f64 / n_r as f64)));
            }
        }
        let n = main.len();
        // lumbopelvic add: starts when the hip drive passes `lumbo_on`,
        // completes `lumbo_late` s after the concentric, unwinds in the eccentric
        let mut lumbo = vec![0.0; n];
        if self.lumbo_add > 0.0 {
            let i_on = main
                .iter()
                .position(|&m| m >= self.lumbo_on)
                .unwrap_or(i_con_end)
                .min(i_con_end);
            let i_full = i_con_end + steps(self.lumbo_late);
            for (i, l) in lumbo.iter_mut().enumerate().skip(i_on) {
                let up = self.lumbo_add * min_jerk((i - i_on) as f64 / (i_full - i_on) as f64);
                let down = if i >= i_ecc {
                    1.0 - min_jerk((i - i_ecc) as f64 / n_e as f64)
                } else {
                    1.0
                };
                *l = up * down;
            }
        }
        let own_start = self.dk * (self.start / self.amp).clamp(-1.0, 1.0);
        let dk: Vec<f64> = match self.knee_start {
            None => main
                .iter()
                .map(|m| self.dk * (m / self.amp).clamp(-1.0, 1.0))
                .collect(),
            Some(k0) => main
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let blend = 1.0 - min_jerk(i as f64 / i_con_end as f64);
                    self.dk * (m / self.amp).clamp(-1.0, 1.0) + (k0 - own_start) * blend
                })
                .collect(),
        };
        let mut peak_idx = 0;
        let mut peak = f64::NEG_INFINITY;
        for i in 0..=end_idx {
            let e = geo.elevation(main[i] + lumbo[i] + dk[i]);
            if e > peak {
                peak = e;
                peak_idx = i;
            }
        }
        let start_elev = geo.elevation(self.start + self.knee_start.unwrap_or(own_start));
        let touchdown = self.touchdown.map(|(a, f, tau)| {
            let i = (i_ecc..n).find(|&i| main[i] <= 0.0).unwrap_or(end_idx);
            (i, a, f, tau)
        });
        RenderedRep {
            style: self.style,
            pause: self.pause,
            main,
            lumbo,
            dk,
            peak_idx,
            end_idx,
            // the rise above the rest pose: a start below it (the last
            // rep's forward overshoot) counts as the rest pose, as the
            // engine reports range
            range: peak - start_elev.max(0.0),
            peak_elev: peak,
            touchdown,
        }
    }
}

/// Central differences (one-sided at the ends), per step.
pub(crate) fn differentiate(p: &[Vector3<f64>]) -> Vec<Vector3<f64>> {
    let n = p.len();
    (0..n)
        .map(|i| {
            if n < 2 {
                Vector3::zeros()
            } else if i == 0 {
                (p[1] - p[0]) / DT
            } else if i == n - 1 {
                (p[n - 1] - p[n - 2]) / DT
            } else {
                (p[i + 1] - p[i - 1]) / (2.0 * DT)
            }
        })
        .collect()
}

/// 0 at both ends of [0, dur], 1 inside, minimum-jerk ramps of `r` s.
pub(crate) fn ramp_env(t: f64, dur: f64, r: f64) -> f64 {
    min_jerk(t / r) * min_jerk((dur - t) / r)
}

/// Out and back with an optional hold: 0 → 1 → (hold) → 0 over d + hold s.
fn out_and_back(t: f64, d: f64, hold: f64) -> f64 {
    if t <= 0.0 || t >= d + hold {
        0.0
    } else if t < d / 2.0 {
        min_jerk(t / (d / 2.0))
    } else if t < d / 2.0 + hold {
        1.0
    } else {
        1.0 - min_jerk((t - d / 2.0 - hold) / (d / 2.0))
    }
}

pub(crate) fn rng_bool(rng: &mut ChaCha8Rng, p: f64) -> bool {
    uniform(rng, 0.0, 1.0) < p
}

/// Low-frequency postural sway: three sinusoids, 0.1–0.6 Hz, scaled to `rms` degrees.
pub(crate) struct Sway {
    comps: [(f64, f64, f64); 3],
}

impl Sway {
    pub fn new(rng: &mut ChaCha8Rng, rms: f64) -> Self {
        let a = rms * (2.0f64 / 3.0).sqrt();
        let mut c = [(0.0, 0.0, 0.0); 3];
        for x in &mut c {
            *x = (
                a * normal(rng, 1.0, 0.2).abs(),
                uniform(rng, 0.1, 0.6),
                uniform(rng, 0.0, std::f64::consts::TAU),
            );
        }
        Sway { comps: c }
    }
    pub fn at(&self, t: f64) -> f64 {
        self.comps
            .iter()
            .map(|(a, f, p)| a * (std::f64::consts::TAU * f * t + p).sin())
            .sum()
    }
}

/// Gait geometry for one person and pace, in the heading frame.
///
/// Stance (heel strike to toe-off): the foot is planted (the heel rising
/// about the toe from [`HEEL_OFF`] to [`TOE_OFF`]), the hip moves forward
/// steadily, the knee bends as [`Gait::knee`] says, and the shank takes the
/// inclination that puts the hip where it is. Swing (toe-off to the next
/// heel strike): the shank's inclination and the ankle's path are each a
/// quintic meeting the stance's value, rate and acceleration at both ends
/// (the shank's rate less [`HS_ROTATION_JOLT_DPS`] at heel strike), the
/// shank lagging behind its quintic by up to [`SWING_LAG_DEG`] in
/// mid-swing; the thigh is not modelled in swing (the sensor does not see
/// it).
///
/// Why the swing is driven like this: `crates/kickback-sim/tools/gait_compare.py`
/// over the real NCSU and HuGaDB walking (about 14 000 strides) shows the
/// shank's swing as one smooth bell peaking at 330–490 °/s (p5–p95; median
/// 420–440) that falls back through zero just before the heel strike, with
/// at most 170–430 °/s lost within 40 ms, the strike included. The former
/// swing (a minimum-jerk ankle path plus a lift, the shank's inclination
/// from two-link inverse kinematics with the hip at a fixed height) peaked
/// at 550–1 160 °/s in a saw-tooth that snapped the knee straight at heel
/// strike (450–1 130 °/s lost within 40 ms; the leg also over-reached the
/// planted foot for the first 8% of stance). That snap, not the heel
/// strike's transient, gave the simulated walk about twice the real
/// high-frequency acceleration (per stride, |a − its 70 ms mean|: 2.7–3.7 g
/// median against the real 1.6–1.8 g as recorded, 2.2–3.4 g as a sensor
/// 15 cm lower on the shank, where the simulated one sits, would read it).
struct Gait {
    period: f64,
    stride: f64,
    thigh: f64,
    shank: f64,
    ankle_h: f64,
    foot: f64,
    /// Shank inclination in swing, rad, over τ = 0 (toe-off) … 1 (heel strike).
    swing_shank: Quintic,
    /// Ankle forward and up in swing, m.
    swing_x: Quintic,
    swing_z: Quintic,
}

/// Heel-off, as a fraction of the gait cycle from heel strike; also where
/// the stance knee is straightest (Perry & Burnfield 2010: terminal stance
/// 30–50%, knee ≈ 5°).
const HEEL_OFF: f64 = 0.4;
/// Gait initiation and termination: the gait clock speeds up from rest (and
/// slows to rest) over this long, s; about half a step (§2.4).
pub(crate) const GAIT_RAMP_S: f64 = 0.6;
/// Toe-off, fraction of the cycle (stance ≈ 60%, §2.4). By
/// gait_compare.py's gyroscope events (heel strike where the swing's rate
/// falls through zero, toe-off at its minimum before the swing peak) the
/// real stance fraction is 0.61–0.62 median, the simulator's 0.60–0.61.
const TOE_OFF: f64 = 0.6;
const HEEL_RISE_DEG: f64 = 35.0;
/// The hip's distance behind the planted ankle at heel strike, fraction of
/// the stride length.
const HIP_BEHIND_AT_HS: f64 = 0.25;
/// Stance knee flexion (Perry & Burnfield 2010; Winter 2009): ≈ 5° at heel
/// strike, the loading response bending it to ≈ 20° at 20% of the cycle,
/// back to ≈ 5° at heel-off, then bending into pre-swing. At toe-off the
/// knee is at 30° (normative gait: 35–40°): with more, the shank swings
/// back further after toe-off than the real ones (the stride's range and
/// swing peak rise above the real 78–92° and 420–440 °/s medians).
const KNEE_HS_DEG: f64 = 5.0;
const KNEE_LOAD_DEG: f64 = 15.0;
const KNEE_TO_DEG: f64 = 30.0;
/// The shank's rate steps by this much at heel strike, °/s (in the stance
/// direction): the swing arrives with the shank almost still and the
/// planted foot throws it into the loading response's rotation at once. The
/// real rate falls from about 0 to 150–190 °/s within 1–2 samples at heel
/// strike (gait_compare.py's median stride).
const HS_ROTATION_JOLT_DPS: f64 = 100.0;
/// How far the swinging shank lags behind the quintic at most, deg: the
/// real swing peaks about 0.1 s before heel strike and falls fast; the
/// quintic alone peaks earlier (0.15 s) and falls slower.
const SWING_LAG_DEG: f64 = 10.0;
/// The maximum of τ⁴(1 − τ)³, at τ = 4/7.
const LAG_PEAK: f64 = 6912.0 / 823543.0;

/// A quintic p(τ) on τ ∈ [0, 1] given value, first and second derivative
/// (per τ) at both ends: C² joins with what comes before and after.
#[derive(Debug, Clone, Copy)]
struct Quintic {
    c: [f64; 6],
}

impl Quintic {
    /// Ends `(p, p', p'')` with derivatives per τ.
    fn hermite(a: (f64, f64, f64), b: (f64, f64, f64)) -> Quintic {
        let (p0, v0, a0) = a;
        let (p1, v1, a1) = b;
        let d = p1 - p0;
        Quintic {
            c: [
                p0,
                v0,
                a0 / 2.0,
                10.0 * d - 6.0 * v0 - 4.0 * v1 - 1.5 * a0 + 0.5 * a1,
                -15.0 * d + 8.0 * v0 + 7.0 * v1 + 1.5 * a0 - a1,
                6.0 * d - 3.0 * v0 - 3.0 * v1 - 0.5 * a0 + 0.5 * a1,
            ],
        }
    }

    fn at(&self, t: f64) -> f64 {
        self.c.iter().rev().fold(0.0, |acc, c| acc * t + c)
    }
}

impl Gait {
    fn new(b: &Body, period: f64, stride: f64) -> Gait {
        let zero = Quintic { c: [0.0; 6] };
        let mut g = Gait {
            period,
            stride,
            thigh: b.thigh,
            shank: b.shank,
            ankle_h: b.ankle_h,
            foot: b.foot,
            swing_shank: zero,
            swing_x: zero,
            swing_z: zero,
        };
        // swing: from the stance's state at toe-off to the next heel strike's
        let d = (1.0 - TOE_OFF) * period;
        let ends = |f: &dyn Fn(f64) -> f64, next: f64, jolt: f64| {
            let h = 1e-3 * period;
            let state = |phi: f64| {
                let t = phi * period;
                let (m, c, p) = (f(t - h), f(t), f(t + h));
                (
                    c,
                    (p - m) / (2.0 * h) * d,
                    (p - 2.0 * c + m) / (h * h) * d * d,
                )
            };
            let (p1, v1, a1) = state(0.0);
            Quintic::hermite(state(TOE_OFF), (p1 + next, v1 - jolt * d, a1))
        };
        g.swing_shank = ends(
            &|t| g.stance_pose(t).1,
            0.0,
            HS_ROTATION_JOLT_DPS.to_radians(),
        );
        g.swing_x = ends(&|t| g.stance_ankle(t).x, stride, 0.0);
        g.swing_z = ends(&|t| g.stance_ankle(t).z, 0.0, 0.0);
        g
    }

    /// Stance knee flexion, rad, at cycle phase `phi` (smooth a little
    /// beyond both ends of stance, for the swing's boundary rates).
    fn knee(&self, phi: f64) -> f64 {
        let load = KNEE_LOAD_DEG * (std::f64::consts::PI * phi / HEEL_OFF).sin().powi(2);
        let deg = if phi < HEEL_OFF {
            KNEE_HS_DEG + load
        } else {
            // a cubic from heel-off that meets the loading bump's angle, rate
            // and acceleration there and reaches KNEE_TO_DEG at toe-off
            let u = (phi - HEEL_OFF) / HEEL_OFF;
            let uto = (TOE_OFF - HEEL_OFF) / HEEL_OFF;
            let a = KNEE_LOAD_DEG * std::f64::consts::PI.powi(2);
            let b = (KNEE_TO_DEG - KNEE_HS_DEG - a * uto * uto) / uto.powi(3);
            KNEE_HS_DEG + a * u * u + b * u * u * u
        };
        deg.to_radians()
    }

    /// Ankle of the foot planted at x = 0 in the cycle starting at t = 0,
    /// for any t near that stance (heel planted, then rising about the toe;
    /// risen fully after toe-off).
    fn stance_ankle(&self, t: f64) -> Vector3<f64> {
        let phi = t / self.period;
        if phi < HEEL_OFF {
            Vector3::new(0.0, 0.0, self.ankle_h)
        } else {
            let b = HEEL_RISE_DEG.to_radians() * min_jerk((phi - HEEL_OFF) / (TOE_OFF - HEEL_OFF));
            let toe = Vector3::new(0.75 * self.foot, 0.0, 0.0);
            toe + ry(b) * Vector3::new(-0.75 * self.foot, 0.0, self.ankle_h)
        }
    }

    /// Stance for the foot planted at x = 0 (t near [0, TOE_OFF·period]):
    /// the hip moves forward steadily, the knee bends as [`Gait::knee`]
    /// says, and the shank inclination that puts the hip where it is
    /// follows (the hip's height is what results: it rises 5.5–7.5 cm from
    /// heel strike to mid-stance, a little more than the pelvis's real 4–5 cm). Ankle, shank inclination (rad), hip
    /// height (m).
    fn stance_pose(&self, t: f64) -> (Vector3<f64>, f64, f64) {
        let phi = t / self.period;
        let a = self.stance_ankle(t);
        let k = self.knee(phi);
        let dx = self.stride * (phi - HIP_BEHIND_AT_HS) - a.x;
        let (lt, ls) = (self.thigh, self.shank);
        // ls·sin θ + lt·sin(θ − k) = dx, increasing in θ over the gait's
        // angles: Newton from the straight-leg guess
        let mut th = (dx / (lt + ls)).clamp(-1.0, 1.0).asin() + 0.5 * k;
        for _ in 0..8 {
            let f = ls * th.sin() + lt * (th - k).sin() - dx;
            let df = ls * th.cos() + lt * (th - k).cos();
            th -= f / df;
        }
        (a, th, a.z + ls * th.cos() + lt * (th - k).cos())
    }

    /// The stance phase (0 … toe-off) at which the shank passes `incl`
    /// (rad) on its way back: mid-stance for a standing inclination.
    fn stance_phase_at(&self, incl: f64) -> f64 {
        let th = |phi: f64| self.pose(phi * self.period).1;
        let (mut lo, mut hi) = (0.0, TOE_OFF);
        if th(lo) >= incl {
            return lo;
        }
        if th(hi) <= incl {
            return hi;
        }
        for _ in 0..50 {
            let mid = 0.5 * (lo + hi);
            if th(mid) < incl {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    /// Ankle position and shank inclination (rad) at time t.
    fn pose(&self, t: f64) -> (Vector3<f64>, f64) {
        let n = (t / self.period).floor();
        let phi = t / self.period - n;
        let foot = Vector3::new(n * self.stride, 0.0, 0.0);
        if phi < TOE_OFF {
            let (a, th, _) = self.stance_pose(phi * self.period);
            return (foot + a, th);
        }
        let tau = (phi - TOE_OFF) / (1.0 - TOE_OFF);
        let a = Vector3::new(self.swing_x.at(tau), 0.0, self.swing_z.at(tau));
        // the shank lags behind the quintic through mid-swing and catches up
        // late: τ⁴(1 − τ)³ keeps the joins C² and peaks at τ = 4/7
        let lag = SWING_LAG_DEG.to_radians() * tau.powi(4) * (1.0 - tau).powi(3) / LAG_PEAK;
        (foot + a, self.swing_shank.at(tau) + lag)
    }
}

#[cfg(test)]
pub(crate) fn test_body() -> Body {
    Body {
        height: 1.75,
        thigh: 0.245 * 1.75,
        shank: 0.246 * 1.75,
        ankle_h: 0.039 * 1.75,
        foot: 0.152 * 1.75,
        sensor_d: 0.06,
        lever: Vector3::new(0.04, 0.0, 0.0),
        turnout: UnitQuaternion::identity(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_jerk_peak_velocity_is_1_875_a_over_d() {
        let (a, d) = (60.0, 1.2);
        let h = 1e-5;
        let v = a * (min_jerk(0.5 + h) - min_jerk(0.5 - h)) / (2.0 * h) / d;
        assert!((v - 1.875 * a / d).abs() < 1e-6, "{v}");
        assert_eq!(min_jerk(0.0), 0.0);
        assert_eq!(min_jerk(1.0), 1.0);
    }

    /// Shank inclination (deg) and its rate (deg/s) over one cycle from
    /// heel strike, every millisecond.
    fn cycle(g: &Gait) -> Vec<(f64, f64, Vector3<f64>)> {
        let n = (g.period * SIM_HZ).round() as usize;
        let p: Vec<_> = (0..=n + 1)
            .map(|i| g.pose(g.period + i as f64 * DT))
            .collect();
        (0..=n)
            .map(|i| {
                let w = (p[i + 1].1 - p[i].1).to_degrees() / DT;
                (p[i].1.to_degrees(), w, p[i].0)
            })
            .collect()
    }

    #[test]
    fn gait_shank_angles_are_physiological() {
        let b = test_body();
        let g = Gait::new(&b, 1.1, 0.8 * b.height);
        let c = cycle(&g);
        let lo = c.iter().map(|x| x.0).fold(f64::MAX, f64::min);
        let hi = c.iter().map(|x| x.0).fold(f64::MIN, f64::max);
        assert!((-30.0..=-15.0).contains(&lo), "most forward shank {lo}");
        assert!((45.0..=65.0).contains(&hi), "most backward shank {hi}");
        // the real stride's range (gait_compare.py: NCSU p5–p95 76–104°,
        // HuGaDB 71–84°)
        assert!((71.0..=104.0).contains(&(hi - lo)), "range {}", hi - lo);
        // the swinging ankle stays off the floor and lands where it should
        let floor = c.iter().map(|x| x.2.z).fold(f64::MAX, f64::min);
        assert!(floor > b.ankle_h - 1e-3, "ankle down to {floor} m");
        let land = c.last().unwrap().2 - c[0].2;
        assert!(
            (land.x - g.stride).abs() < 1e-6 && land.z.abs() < 1e-6,
            "{land}"
        );
    }

    #[test]
    fn the_swing_is_one_smooth_bell_as_real_shanks_show() {
        // real walking (crates/kickback-sim/tools/gait_compare.py over NCSU
        // and HuGaDB): swing peak 330–492 °/s (p5–p95), falling at most
        // 435 °/s in 40 ms even with the heel strike's own jolt; the former
        // saw-tooth swing peaked at 550–1 160 °/s and fell 600–1 130 °/s
        for (period, stride) in [(1.1, 0.8), (0.95, 0.75), (1.2, 0.85)] {
            let b = test_body();
            let g = Gait::new(&b, period, stride * b.height);
            let c = cycle(&g);
            let peak = c.iter().map(|x| -x.1).fold(f64::MIN, f64::max);
            assert!(
                (330.0..=500.0).contains(&peak),
                "{period} s: swing peak {peak} °/s"
            );
            let n40 = (0.04 * SIM_HZ) as usize;
            let fall = (0..c.len() - n40)
                .map(|i| (c[i].1 - c[i + n40].1).abs())
                .fold(0.0, f64::max);
            assert!(fall < 300.0, "{period} s: rate changes {fall} °/s in 40 ms");
            // no jump in rate where swing and stance meet at toe-off (C¹
            // joins); at heel strike the planted foot's jolt only
            let n = c.len() - 1;
            let jump = (2..n - 1)
                .map(|i| (c[i].1 - c[i - 1].1).abs())
                .fold(0.0, f64::max);
            assert!(jump < 15.0, "{period} s: rate jumps {jump} °/s in 1 ms");
            let strike = c[n].1 - c[n - 1].1;
            assert!(
                (strike - HS_ROTATION_JOLT_DPS).abs() < 10.0,
                "{period} s: heel strike jolts the rate by {strike} °/s"
            );
            // the hip rises from heel strike to mid-stance, by a few cm
            let z = |phi: f64| g.stance_pose(phi * period).2;
            let rise = z(HIP_BEHIND_AT_HS) - z(0.0);
            assert!(
                (0.02..=0.08).contains(&rise),
                "{period} s: hip rises {rise} m"
            );
        }
    }

    #[test]
    fn a_walk_starts_and_ends_at_rest_in_the_standing_pose() {
        use rand::SeedableRng;
        let b = test_body();
        let stand = -4.0;
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut bl = Builder::new(&b, 0.3, stand);
        bl.walk(&mut rng, 8.0);
        let n = bl.q.len();
        let standing = rz(0.3) * ry(stand.to_radians()) * b.turnout;
        for i in [0, n - 1] {
            let off = bl.q[i].angle_to(&standing).to_degrees();
            assert!(off < 0.3, "pose {off}° off standing at step {i}");
            assert!(bl.vel[i].norm() < 0.01, "moving at step {i}: {}", bl.vel[i]);
        }
        // no jump in rate: the first and last 10 ms turn by well under 1°/s·s
        for (a, z) in [(0, 10), (n - 11, n - 1)] {
            let turn = bl.q[a].angle_to(&bl.q[z]).to_degrees();
            assert!(turn < 0.01, "turned {turn}° in 10 ms at {a}");
        }
        // a heel strike per stride: bursts over 1 g, 0.3 s apart at least
        let mut strikes = 0;
        let mut last: Option<usize> = None;
        for i in 0..n {
            if bl.extra[i].norm() > G {
                if last.is_none_or(|l| i - l > 300) {
                    strikes += 1;
                }
                last = Some(i);
            }
        }
        assert!((5..=8).contains(&strikes), "{strikes} strikes in 8 s");
    }
}
