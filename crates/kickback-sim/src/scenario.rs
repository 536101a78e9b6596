//! People, exercises, set plans and the timeline of each scenario.

use crate::motion::{rng_bool, rx, ry, rz, Body, Builder, KickGeo, Posture, RenderedRep, RepShape};
use crate::rng::{int, normal, normal_clipped, pick, uniform};
use crate::truth::RepStyle;
use crate::{Scenario, SimOptions};
use nalgebra::{UnitQuaternion, Vector3, Vector4};
use rand_chacha::ChaCha8Rng;

/// Exercise variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exercise {
    Cable,
    Donkey,
    Prone,
    Abduction,
    Band,
}

impl Exercise {
    pub fn name(self) -> &'static str {
        match self {
            Exercise::Cable => "cable_kickback",
            Exercise::Donkey => "donkey_kick",
            Exercise::Prone => "prone_hip_extension",
            Exercise::Abduction => "abduction_kickback",
            Exercise::Band => "band_kickback",
        }
    }
}

/// Style mix of a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SetMix {
    /// All controlled.
    Clean,
    /// All momentum (some also overextended).
    Momentum,
    /// Controlled with a few overextended / partial / momentum reps.
    Mixed,
    /// Controlled, the last reps partial (fatigue).
    Fatigue,
    /// Runs of thrown reps back to back, each run followed straight from
    /// the last throw's forward overshoot by a controlled, partial or
    /// overextended rep; controlled reps between runs.
    BackToBack,
}

impl SetMix {
    pub fn name(self) -> &'static str {
        match self {
            SetMix::Clean => "clean",
            SetMix::Momentum => "momentum",
            SetMix::Mixed => "mixed",
            SetMix::Fatigue => "fatigue",
            SetMix::BackToBack => "back_to_back",
        }
    }
}

/// One simulated person doing one exercise.
pub(crate) struct Person {
    pub body: Body,
    pub exercise: Exercise,
    /// Torso hinge T as the user would enter it, deg (§1.2, §5.1).
    pub t_setting: f64,
    /// Hip extension limit E, deg (§1.1, §5.1).
    pub e_limit: f64,
    /// Physical torso inclination, deg (for the lumbosacral pivot).
    pub torso: f64,
    /// Base rest-pose shank inclination θ0, deg (§5.1).
    pub theta0: f64,
    /// Soft-bent-knee style (k ∈ U(10°, 25°)) or straight (U(0°, 10°)) (§5.1).
    pub soft_knee: bool,
    /// Kick axis tilt (abduction), deg.
    pub alpha: f64,
    /// Shank inclination standing, deg.
    pub stand_incl: f64,
    pub foot_turnout_deg: f64,
}

/// A uniformly random rotation (normalised 4-D Gaussian).
fn random_rotation(rng: &mut ChaCha8Rng) -> UnitQuaternion<f64> {
    loop {
        let v = Vector4::new(
            normal(rng, 0.0, 1.0),
            normal(rng, 0.0, 1.0),
            normal(rng, 0.0, 1.0),
            normal(rng, 0.0, 1.0),
        );
        if v.norm() > 1e-6 {
            return UnitQuaternion::from_quaternion(nalgebra::Quaternion::new(
                v[0], v[1], v[2], v[3],
            ));
        }
    }
}

/// The strap: for 80% of recordings any orientation (uniform); otherwise the
/// §5.1 mounting ranges around a nominal mount (±25° about the shank axis,
/// ±10° about the other two; Tan 2019 via §3.3).
pub(crate) fn draw_mount(rng: &mut ChaCha8Rng) -> UnitQuaternion<f64> {
    if rng_bool(rng, 0.8) {
        random_rotation(rng)
    } else {
        rz(uniform(rng, -25.0, 25.0).to_radians())
            * rx(uniform(rng, -10.0, 10.0).to_radians())
            * ry(uniform(rng, -10.0, 10.0).to_radians())
    }
}

impl Person {
    /// Draws a person (BIOMECHANICS §4 and §5.1).
    pub fn draw(rng: &mut ChaCha8Rng, exercise: Exercise) -> Person {
        let h = uniform(rng, 1.55, 1.95); // §5.1
        let thigh = 0.245 * h * normal_clipped(rng, 1.0, 0.03, 0.9, 1.1); // Winter, §4
        let shank = 0.246 * h * normal_clipped(rng, 1.0, 0.03, 0.9, 1.1); // Winter, §4
        let ankle_h = 0.039 * h * normal_clipped(rng, 1.0, 0.03, 0.9, 1.1);
        let foot = 0.152 * h * normal_clipped(rng, 1.0, 0.03, 0.9, 1.1);
        let sensor_d = uniform(rng, 0.03, 0.10); // §4, §5.1
        let around = uniform(rng, 0.0, std::f64::consts::TAU);
        let radial = uniform(rng, 0.03, 0.05); // strap on the skin, shank radius [A]
        let lever = Vector3::new(
            radial * around.cos(),
            radial * around.sin(),
            uniform(rng, -0.02, 0.02),
        );
        let turnout_deg = uniform(rng, 0.0, 20.0) * if rng_bool(rng, 0.5) { 1.0 } else { -1.0 };
        let body = Body {
            height: h,
            thigh,
            shank,
            ankle_h,
            foot,
            sensor_d,
            lever,
            turnout: rz(turnout_deg.to_radians()),
        };
        let mut e = normal_clipped(rng, 15.0, 5.0, 5.0, 25.0); // §1.1, §5.1
        let (t_setting, torso, theta0, alpha) = match exercise {
            Exercise::Cable => {
                let t = uniform(rng, 30.0, 60.0); // §1.2, §5.1
                (t, t, uniform(rng, -15.0, 5.0), 0.0)
            }
            Exercise::Abduction => {
                let t = uniform(rng, 30.0, 60.0);
                (t, t, uniform(rng, -15.0, 5.0), uniform(rng, 20.0, 30.0))
            }
            Exercise::Band => {
                // band kickbacks are done more upright [A]
                let t = uniform(rng, 15.0, 35.0);
                (t, t, uniform(rng, -10.0, 0.0), 0.0)
            }
            Exercise::Donkey => {
                // on all fours the hip is flexed ≈ 90° at rest: T plays the
                // role of that flexion; thigh vertical, shank horizontal
                (90.0, 90.0, 0.0, 0.0)
            }
            Exercise::Prone => {
                // prone: the hip rests near neutral (T ≈ 0); a clean rep must
                // still rise ≥ 10°, so E ≥ 15° here
                e = e.max(15.0 + uniform(rng, 0.0, 5.0)).min(25.0);
                (uniform(rng, 0.0, 5.0), 90.0, 0.0, 0.0)
            }
        };
        Person {
            body,
            exercise,
            t_setting,
            e_limit: e,
            torso,
            theta0,
            soft_knee: rng_bool(rng, 0.5),
            alpha,
            stand_incl: uniform(rng, -2.0, 4.0),
            foot_turnout_deg: turnout_deg,
        }
    }

    /// The lumbar limit in elevation, T + E.
    pub fn limit(&self) -> f64 {
        self.t_setting + self.e_limit
    }

    /// Geometry of one set: θ0 varies a little between sets (N(0, 2°)).
    pub fn set_geo(&self, rng: &mut ChaCha8Rng) -> KickGeo {
        let knee = match self.exercise {
            Exercise::Donkey => uniform(rng, 80.0, 100.0),
            Exercise::Prone => uniform(rng, 0.0, 8.0),
            _ if self.soft_knee => uniform(rng, 10.0, 25.0),
            _ => uniform(rng, 0.0, 10.0),
        };
        let theta0 = match self.exercise {
            Exercise::Donkey => knee + uniform(rng, -5.0, 5.0), // thigh ≈ vertical
            Exercise::Prone => 90.0 + uniform(rng, -3.0, 3.0),
            _ => (self.theta0 + normal(rng, 0.0, 2.0)).clamp(-15.0, 5.0),
        };
        KickGeo {
            theta0,
            knee,
            alpha: self.alpha,
            torso: self.torso,
        }
    }

    /// The posture of a set's rest pose, for posture changes.
    pub fn kick_posture(&self, geo: &KickGeo) -> Posture {
        let h = self.body.height;
        let hip_z = match self.exercise {
            Exercise::Donkey => -(0.530 * h - self.body.thigh - 0.05), // knees on the floor
            Exercise::Prone => -(0.530 * h - 0.10),
            _ => 0.03,
        };
        Posture {
            shank: geo.theta0,
            knee: geo.knee,
            hip_z,
        }
    }

    pub fn standing(&self) -> Posture {
        Posture {
            shank: self.stand_incl,
            knee: 3.0,
            hip_z: 0.0,
        }
    }
}

/// Per-set tempo (BIOMECHANICS §2.1, §5.1), drawn once per set; each rep
/// varies it with a 10% CV (§5.1) and is clamped to the ranges.
struct Tempo {
    con: f64,
    hold: f64,
    ecc: f64,
    pause: f64,
}

fn jitter(rng: &mut ChaCha8Rng, x: f64, cv: f64, lo: f64, hi: f64) -> f64 {
    (x * normal_clipped(rng, 1.0, cv, 1.0 - 2.5 * cv, 1.0 + 2.5 * cv)).clamp(lo, hi)
}

/// Plans and renders the reps of one set; labels are measured on the
/// rendered elevation and the fault margins enforced (clean reps peak
/// ≤ T+E−3°, overextended ≥ T+E+8°).
pub(crate) fn plan_set(
    rng: &mut ChaCha8Rng,
    p: &Person,
    geo: &KickGeo,
    mix: SetMix,
    n: usize,
) -> Vec<RenderedRep> {
    let lim = p.limit();
    let e = p.e_limit;
    let band = p.exercise == Exercise::Band;
    // the set's normal peak: hip to U(0.7, 1)·E plus 0–4° lumbopelvic
    // (§5.1 "good-rep peak"), kept 3.5–6.5° under T+E
    let phys = match p.exercise {
        Exercise::Donkey => p.t_setting * uniform(rng, 0.8, 1.0) + uniform(rng, 0.7, 1.0) * e,
        _ => p.t_setting + uniform(rng, 0.7, 1.0) * e + uniform(rng, 0.0, 4.0),
    };
    let a_norm = phys.min(lim - 3.5 - uniform(rng, 0.0, 3.0)).max(11.0);
    let partial_ok = 0.45 * a_norm >= 12.5 && p.exercise != Exercise::Prone;
    let mut styles = vec![RepStyle::Controlled; n];
    let mut lumbar_momentum = vec![false; n];
    let mut free: Vec<usize> = (1..n).collect();
    let take = |rng: &mut ChaCha8Rng, free: &mut Vec<usize>| -> Option<usize> {
        if free.is_empty() {
            None
        } else {
            let k = int(rng, 0, free.len() - 1);
            Some(free.remove(k))
        }
    };
    match mix {
        SetMix::Clean => {}
        SetMix::Momentum => {
            for s in styles.iter_mut() {
                *s = RepStyle::Momentum;
            }
            // up to a third of a swinging set also arches the back, so the
            // set's median range stays that of a plain swing
            for _ in 0..int(rng, 0, n / 3) {
                lumbar_momentum[int(rng, 0, n - 1)] = true;
            }
        }
        SetMix::Mixed => {
            for _ in 0..int(rng, 1, 2) {
                if let Some(i) = take(rng, &mut free) {
                    styles[i] = RepStyle::Overextended;
                }
            }
            if partial_ok {
                for _ in 0..int(rng, 0, 2).min(n / 4) {
                    if let Some(i) = take(rng, &mut free) {
                        styles[i] = RepStyle::Partial;
                    }
                }
            }
            if rng_bool(rng, 0.5) {
                if let Some(i) = take(rng, &mut free) {
                    styles[i] = RepStyle::Momentum;
                }
            }
        }
        SetMix::Fatigue => {
            if partial_ok {
                let k = int(rng, 1, 3).min(n / 4).max(1);
                for s in styles.iter_mut().skip(n - k) {
                    *s = RepStyle::Partial;
                }
            }
            if rng_bool(rng, 0.5) {
                styles[int(rng, 1, n / 2)] = RepStyle::Overextended;
            }
        }
        SetMix::BackToBack => {
            // after the first rep: a run of 1–3 throws and the rep that
            // follows it straight from the overshoot, or a controlled rep
            let mut i = 1;
            while i + 1 < n {
                if rng_bool(rng, 0.6) {
                    let run = int(rng, 1, 3).min(n - 1 - i);
                    for s in styles.iter_mut().skip(i).take(run) {
                        *s = RepStyle::Momentum;
                    }
                    i += run;
                    styles[i] = match int(rng, 0, 3) {
                        2 if partial_ok => RepStyle::Partial,
                        3 => RepStyle::Overextended,
                        _ => RepStyle::Controlled,
                    };
                }
                i += 1;
            }
            if !styles.contains(&RepStyle::Momentum) {
                styles[1] = RepStyle::Momentum;
                styles[2] = RepStyle::Controlled;
            }
        }
    }
    let tempo = Tempo {
        con: if band {
            uniform(rng, 0.7, 1.4)
        } else {
            uniform(rng, 1.0, 2.0)
        },
        hold: uniform(rng, 0.5, 1.5),
        ecc: if band {
            uniform(rng, 1.0, 2.0)
        } else {
            uniform(rng, 1.5, 3.0)
        },
        pause: uniform(rng, 0.0, 0.5),
    };
    let dk_set = uniform(rng, -5.0, 5.0); // within-rep knee variation ±5° (§5.1)
    let mut out = Vec::with_capacity(n);
    let mut prev_overshoot = 0.0;
    for (i, &style) in styles.iter().enumerate() {
        let dk = (dk_set + normal(rng, 0.0, 1.0)).clamp(-5.0, 5.0);
        let mut s = RepShape {
            style,
            start: 0.0,
            pause: if i == 0 {
                0.0
            } else {
                jitter(rng, tempo.pause.max(0.05), 0.1, 0.0, 0.5)
            },
            amp: 0.0,
            windup: 0.0,
            d_windup: 0.0,
            d_con: jitter(rng, tempo.con, 0.1, if band { 0.6 } else { 1.0 }, 2.0),
            d_hold: jitter(rng, tempo.hold, 0.1, 0.5, 1.5),
            hold_bump: uniform(rng, 0.3, 1.0),
            d_ecc: jitter(rng, tempo.ecc, 0.1, if band { 0.8 } else { 1.5 }, 3.0),
            overshoot: 0.0,
            d_return: 0.0,
            lumbo_add: 0.0,
            lumbo_on: 0.0,
            lumbo_late: 0.0,
            dk,
            knee_start: None,
            touchdown: None,
        };
        // rep-to-rep amplitude CV 6% (§5.1), clipped at ±12%
        let var = normal_clipped(rng, 1.0, 0.06, 0.88, 1.12);
        let mut lumbar = false;
        let target = match style {
            RepStyle::Controlled => (a_norm * var).min(lim - 3.5),
            RepStyle::Partial => {
                s.d_con *= 0.6;
                s.d_ecc *= 0.6;
                s.d_hold = uniform(rng, 0.2, 0.8);
                (a_norm * uniform(rng, 0.25, 0.45)).max(12.5)
            }
            RepStyle::Overextended => {
                lumbar = true;
                lim
            }
            RepStyle::Momentum => {
                // §5.1 momentum rep: wind-up 10–25° reversing within ~0.2 s,
                // D_con U(0.3, 0.6), hold 0–0.1, D_ecc U(0.3, 0.8) with ecc peak
                // ω ≥ con peak ω, overshoot 5–20°, 0.3–1 g touchdown transient
                // wind-up and overshoot scale down for short-range variants
                // (band); prone, the floor stops the leg: neither
                let prone = p.exercise == Exercise::Prone;
                s.windup = if prone {
                    0.0
                } else if mix == SetMix::BackToBack {
                    // a throw may start from no wind-up at all (still or
                    // not): the reps in a back-to-back set need not follow
                    // the textbook swing
                    uniform(rng, 0.0, 25.0).min((0.6 * a_norm).max(10.0))
                } else {
                    uniform(rng, 10.0, 25.0).min((0.6 * a_norm).max(10.0))
                };
                s.d_windup = uniform(rng, 0.2, 0.3);
                s.d_con = uniform(rng, 0.3, 0.6);
                s.d_hold = uniform(rng, 0.0, 0.1);
                s.hold_bump = 0.0;
                s.d_ecc = uniform(rng, 0.3, 0.8);
                s.overshoot = if prone {
                    0.0
                } else {
                    uniform(rng, 5.0, 20.0).min((0.25 * a_norm).max(5.0))
                };
                s.d_return = uniform(rng, 0.3, 0.6);
                s.pause = uniform(rng, 0.0, 0.2);
                s.touchdown = Some((
                    uniform(rng, 0.3, 1.0) * crate::motion::G,
                    uniform(rng, 20.0, 40.0),
                    uniform(rng, 0.006, 0.012),
                ));
                if lumbar_momentum[i] {
                    lumbar = true;
                    lim
                } else {
                    (a_norm * uniform(rng, 1.0, 1.1)).min(lim - 3.5)
                }
            }
        };
        // a swinging set does not come to rest between reps: the forward
        // overshoot of the previous rep is this rep's wind-up (§2.3); in a
        // back-to-back set any rep after a throw starts from its overshoot
        let follows = |j: usize| styles[j] == RepStyle::Momentum || mix == SetMix::BackToBack;
        let chained =
            i > 0 && styles[i - 1] == RepStyle::Momentum && prev_overshoot > 0.0 && follows(i);
        if chained {
            s.start = -prev_overshoot;
            s.windup = 0.0;
            s.pause = 0.0;
            // the knee carries on from where the throw left it (the other
            // mixes, older, let the shank step by the change of knee term
            // within 1 ms: a jolt no leg makes; kept so that their
            // recordings stay as they were)
            if mix == SetMix::BackToBack {
                s.knee_start = out.last().and_then(|r: &RenderedRep| r.dk.last().copied());
            }
        }
        if style == RepStyle::Momentum && i + 1 < n && follows(i + 1) {
            s.d_return = 0.0;
        }
        prev_overshoot = s.overshoot;
        if lumbar {
            // hip to its limit, then lumbopelvic add U(8°, 20°) starting at
            // ≈ 80% of E_max (§1.3, §5.1)
            s.lumbo_add = uniform(rng, 8.0, 20.0);
            s.lumbo_on = target - 0.2 * e;
            s.lumbo_late = if style == RepStyle::Momentum {
                uniform(rng, 0.05, 0.15)
            } else {
                uniform(rng, 0.2, 0.5)
            };
            s.d_hold = s.d_hold.max(s.lumbo_late);
        }
        s.amp = target - dk.max(0.0);
        if style == RepStyle::Momentum {
            let (a, w, o) = (s.amp, s.windup.max(-s.start), s.overshoot);
            let top = a + s.lumbo_add;
            if (top + o) / s.d_ecc < (a + w) / s.d_con {
                s.d_ecc = s.d_con * (top + o) / (a + w) * uniform(rng, 0.85, 0.97);
                if s.d_ecc < 0.25 {
                    s.d_ecc = 0.25;
                    s.d_con = s.d_ecc * (a + w) / (top + o) / 0.95;
                }
            }
        }
        // numerical check of the rendered elevation against the margins
        let mut r = s.render(geo);
        for _ in 0..12 {
            if lumbar {
                if r.peak_elev >= lim + 8.0 {
                    break;
                }
                s.lumbo_add += lim + 8.5 - r.peak_elev;
            } else {
                let want = target.min(lim - 3.5);
                if r.peak_elev <= lim - 3.0 && (r.peak_elev - want).abs() < 0.5 {
                    break;
                }
                s.amp *= want / r.peak_elev.max(1.0);
            }
            r = s.render(geo);
        }
        out.push(r);
    }
    out
}

/// Labels partial range by the product's definition: range < 0.6 × the
/// set's median range.
pub(crate) fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Scenario settings after options.
pub(crate) struct Plan {
    pub exercise: Exercise,
    pub n_sets: usize,
    pub reps: (usize, usize),
    pub rest: (f64, f64),
    pub walking: bool,
    pub fs: f64,
    pub gyro: bool,
    pub app_timestamps: bool,
    pub drops: bool,
    pub mixes: Vec<SetMix>,
}

pub(crate) fn plan(rng: &mut ChaCha8Rng, scenario: Scenario, seed: u64, opts: &SimOptions) -> Plan {
    let c = opts.compact;
    let mut p = Plan {
        exercise: Exercise::Cable,
        n_sets: if c { 2 } else { int(rng, 2, 4) },
        reps: if c { (6, 8) } else { (6, 15) },
        rest: if c { (30.0, 35.0) } else { (30.0, 90.0) },
        walking: false,
        fs: pick(
            rng,
            if c {
                &[50.0, 52.63][..]
            } else {
                &[50.0, 52.63, 100.0, 104.0, 200.0][..]
            },
        ),
        gyro: true,
        app_timestamps: rng_bool(rng, 0.5),
        drops: true,
        mixes: Vec::new(),
    };
    match scenario {
        Scenario::Clean => {
            p.n_sets = 1;
            p.reps = if c { (8, 10) } else { (8, 15) };
            p.fs = 100.0;
            p.app_timestamps = false;
            p.drops = false;
        }
        Scenario::Mixed | Scenario::All | Scenario::BackToBack => {}
        Scenario::Walking => p.walking = true,
        Scenario::NoGyro => p.gyro = false,
        Scenario::LowRate => p.fs = pick(rng, &[12.5, 15.0, 20.0, 25.0]),
        Scenario::Variations => {
            p.exercise = [
                Exercise::Donkey,
                Exercise::Prone,
                Exercise::Abduction,
                Exercise::Band,
            ][(seed % 4) as usize];
            p.fs = if c { 50.0 } else { pick(rng, &[50.0, 100.0]) };
            if c {
                p.n_sets = 1;
            }
        }
    }
    if let Some(n) = opts.sets {
        p.n_sets = n.max(1);
    }
    if let Some(fs) = opts.sample_rate_hz {
        p.fs = fs;
    }
    p.mixes = (0..p.n_sets)
        .map(|_| {
            if scenario == Scenario::Clean {
                SetMix::Clean
            } else if scenario == Scenario::BackToBack {
                SetMix::BackToBack
            } else {
                pick(
                    rng,
                    &[
                        SetMix::Clean,
                        SetMix::Momentum,
                        SetMix::Mixed,
                        SetMix::Mixed,
                        SetMix::Fatigue,
                    ],
                )
            }
        })
        .collect();
    if scenario != Scenario::Clean && p.mixes.iter().all(|m| *m == SetMix::Clean) {
        let k = int(rng, 0, p.n_sets - 1);
        p.mixes[k] = SetMix::Mixed;
    }
    if p.exercise == Exercise::Prone {
        for m in &mut p.mixes {
            if *m == SetMix::Fatigue {
                *m = SetMix::Mixed;
            }
        }
    }
    p
}

/// Runs the timeline of a scenario into the builder; returns the per-set
/// geometry (for the truth params) and the labelled reps' partial flags.
pub(crate) fn run(
    rng: &mut ChaCha8Rng,
    b: &mut Builder,
    person: &Person,
    plan: &Plan,
    compact: bool,
) -> Vec<KickGeo> {
    let mut geos = Vec::new();
    let walk_len = |rng: &mut ChaCha8Rng| {
        if compact {
            uniform(rng, 10.0, 15.0)
        } else {
            uniform(rng, 10.0, 30.0)
        }
    };
    if plan.walking {
        {
            let a1 = uniform(rng, 2.0, 4.0);
            let a2 = 0;
            b.stand(rng, a1, a2);
        }
        let d = walk_len(rng);
        b.walk(rng, d);
        {
            let a1 = uniform(rng, 2.0, 4.0);
            let a2 = 0;
            b.stand(rng, a1, a2);
        }
        b.turn(uniform(rng, -2.0, 2.0), uniform(rng, 1.0, 2.0));
    }
    {
        let a1 = uniform(rng, 3.0, 8.0);
        let a2 = int(rng, 0, 1);
        b.stand(rng, a1, a2);
    }
    for s in 0..plan.n_sets {
        let geo = person.set_geo(rng);
        let n = int(rng, plan.reps.0, plan.reps.1);
        let reps = plan_set(rng, person, &geo, plan.mixes[s], n);
        let stand = person.standing();
        let kick = person.kick_posture(&geo);
        let slow = matches!(person.exercise, Exercise::Donkey | Exercise::Prone);
        let d_in = if slow {
            uniform(rng, 2.5, 4.0)
        } else {
            uniform(rng, 1.0, 2.0)
        };
        b.posture_change(stand, kick, d_in);
        b.kick_set(rng, s + 1, &geo, &reps);
        let d_out = if slow {
            uniform(rng, 2.0, 3.5)
        } else {
            uniform(rng, 0.8, 1.5)
        };
        b.posture_change(kick, stand, d_out);
        geos.push(geo);
        if s + 1 == plan.n_sets {
            break;
        }
        // the rest between sets, 30–90 s
        let rest = uniform(rng, plan.rest.0, plan.rest.1);
        let t_rest = b.now();
        if plan.walking {
            {
                let a1 = uniform(rng, 2.0, 4.0);
                let a2 = 0;
                b.stand(rng, a1, a2);
            }
            if s == 0 || rng_bool(rng, 0.6) {
                let n_o = int(rng, plan.reps.0, plan.reps.1);
                let mix = if plan.mixes[s] == SetMix::Momentum {
                    SetMix::Momentum
                } else {
                    SetMix::Clean
                };
                let geo_o = person.set_geo(rng);
                let other = plan_set(rng, person, &geo_o, mix, n_o);
                b.other_leg_set(rng, &other);
                {
                    let a1 = uniform(rng, 1.0, 3.0);
                    let a2 = 0;
                    b.stand(rng, a1, a2);
                }
            }
            let d = walk_len(rng) / 2.0;
            b.walk(rng, d);
            b.turn(
                std::f64::consts::PI * if rng_bool(rng, 0.5) { 1.0 } else { -1.0 },
                uniform(rng, 1.0, 2.0),
            );
            b.walk(rng, d);
            b.turn(std::f64::consts::PI, uniform(rng, 1.0, 2.0));
        }
        let left = (rest - (b.now() - t_rest)).max(3.0);
        {
            let a1 = left;
            let a2 = int(rng, 0, if compact { 1 } else { 3 });
            b.stand(rng, a1, a2);
        }
    }
    {
        let a1 = uniform(rng, 3.0, 8.0);
        let a2 = int(rng, 0, 1);
        b.stand(rng, a1, a2);
    }
    if plan.walking {
        b.turn(uniform(rng, 2.0, 3.5), uniform(rng, 1.0, 2.0));
        let d = walk_len(rng);
        b.walk(rng, d);
        {
            let a1 = uniform(rng, 1.0, 3.0);
            let a2 = 0;
            b.stand(rng, a1, a2);
        }
    }
    geos
}
