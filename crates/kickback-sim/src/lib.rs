//! # kickback-sim
//!
//! A deterministic, physically based simulator of ankle-IMU recordings of
//! the cable glute kickback, with exact ground truth, and the harness that
//! scores the `kickback` analyzer against it.
//!
//! * **Body** (BIOMECHANICS §4, §5.1): height H ~ U(1.55, 1.95) m, thigh
//!   0.245·H and shank 0.246·H (Winter; each ×N(1, 0.03)), a hip-centred leg
//!   whose shank inclination is thigh angle + knee flexion; torso hinge
//!   T ~ U(30°, 60°) (§1.2), hip extension limit E ~ N(15°, 5°) clipped to
//!   [5°, 25°] (§1.1), soft knee k (straight U(0°, 10°) or soft U(10°, 25°),
//!   ±5° within a rep), foot turned out up to 20°, the leg hanging at
//!   θ0 ~ U(−15°, +5°) between reps; the strap d ~ U(0.03, 0.10) m above the
//!   ankle, 3–5 cm off the shank axis, in any orientation (uniformly random
//!   for 80% of recordings, §5.1 mounting ranges otherwise).
//! * **Reps** are minimum-jerk (§2.2) in four styles: controlled (§2.1,
//!   §5.1), momentum (wind-up, fast throw, dropped stack, §2.3, §5.1),
//!   lumbar overextension (hip to E, then 8–20° lumbopelvic add, §1.3) and
//!   partial (25–45% of the set's range), with 6% amplitude and 10% duration
//!   variation (§5.1).
//! * **Other activity**: standing with postural sway, fidgets, walking
//!   (stance pivots about the ankle, heel strikes of 2–4 g), the other leg's
//!   set, posture changes.
//! * **Sensor** (§3.1–§3.4, §5.1): specific force `f = R_sᵀ(a − g)`, angular
//!   rate in the sensor frame, soft-tissue wobble, noise, bias and drift,
//!   scale and cross-axis errors, 16-bit quantisation, saturation, decimation,
//!   clock-rate error, jitter and dropped samples.
//!
//! Ground truth follows the product's definitions exactly; see [`Truth`].
//!
//! ```
//! use kickback_sim::{generate, Scenario};
//! let rec = generate(Scenario::Clean, 7);
//! assert_eq!(rec.truth.sets.len(), 1);
//! assert!(rec.truth.reps.len() >= 8);
//! assert!(rec.samples.windows(2).all(|w| w[1].t > w[0].t));
//! assert_eq!(generate(Scenario::Clean, 7).to_csv(), rec.to_csv());
//! ```

mod motion;
mod rng;
mod scenario;
mod sensor;
mod truth;

pub mod eval;
pub mod labels;

pub use eval::{evaluate_dir, score, EvalReport};
pub use motion::min_jerk;
pub use truth::{
    Activity, ActivityKind, Params, RepStyle, Truth, TruthRep, TruthSet, TruthSettings,
};

use kickback::{Fault, Sample};
use motion::Builder;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use scenario::{draw_mount, median, Person};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Errors from writing or reading a corpus.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A truth file is not valid JSON of the expected shape.
    #[error("{path}: invalid truth file: {source}")]
    Json {
        /// The truth file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
    /// A scenario name that does not exist.
    #[error("unknown scenario `{0}` (expected one of: clean, mixed, walking, no_gyro, low_rate, variations, all, back_to_back)")]
    UnknownScenario(String),
}

impl SimError {
    fn io(path: &Path, source: std::io::Error) -> SimError {
        SimError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// What to simulate. Names (for the command line) are the snake_case
/// variant names; see [`Scenario::name`] and [`std::str::FromStr`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scenario {
    /// One set of 8–15 controlled reps, no faults, 100 Hz, random strap,
    /// realistic noise and bias.
    Clean,
    /// 2–4 sets with mixed faults, 50–200 Hz, jitter and dropped samples.
    Mixed,
    /// `Mixed` plus walking (10–30 s) and the other leg's sets.
    Walking,
    /// Like `Mixed`, accelerometer only.
    NoGyro,
    /// Like `Mixed` at 12.5–25 Hz.
    LowRate,
    /// Donkey kicks, prone hip extension, kickbacks with abduction, band
    /// kickbacks (one per recording, chosen by `seed % 4`).
    Variations,
    /// A mix: the concrete scenario is chosen by `seed % 6`.
    All,
    /// Like `Mixed`, but every set has thrown reps back to back: runs of
    /// 1–3 thrown reps with no pause between them, each run followed
    /// straight from the last throw's forward overshoot (no return to
    /// rest, no pause) by a controlled, partial or overextended rep, with
    /// ordinary controlled reps between the runs. Not one of
    /// [`Scenario::CONCRETE`] (`All` and the committed test corpus stay as
    /// they were).
    BackToBack,
}

impl Scenario {
    /// The concrete scenarios, in order.
    pub const CONCRETE: [Scenario; 6] = [
        Scenario::Clean,
        Scenario::Mixed,
        Scenario::Walking,
        Scenario::NoGyro,
        Scenario::LowRate,
        Scenario::Variations,
    ];

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Clean => "clean",
            Scenario::Mixed => "mixed",
            Scenario::Walking => "walking",
            Scenario::NoGyro => "no_gyro",
            Scenario::LowRate => "low_rate",
            Scenario::Variations => "variations",
            Scenario::All => "all",
            Scenario::BackToBack => "back_to_back",
        }
    }

    /// The concrete scenario a seed stands for (`All` picks by `seed % 6`).
    pub fn resolve(self, seed: u64) -> Scenario {
        match self {
            Scenario::All => Scenario::CONCRETE[(seed % 6) as usize],
            s => s,
        }
    }

    fn salt(self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in self.name().bytes() {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        h
    }
}

impl std::fmt::Display for Scenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Scenario {
    type Err = SimError;
    fn from_str(s: &str) -> Result<Scenario, SimError> {
        let n = s.trim().to_ascii_lowercase().replace('-', "_");
        Scenario::CONCRETE
            .into_iter()
            .chain([Scenario::All, Scenario::BackToBack])
            .find(|c| c.name() == n)
            .ok_or_else(|| SimError::UnknownScenario(s.to_string()))
    }
}

/// Options beyond scenario and seed. `Default` is what [`generate`] uses.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct SimOptions {
    /// Smaller recordings for a committed corpus: 2 sets of 6–8 reps (one
    /// set for `variations`), rests of 30–35 s, walks of 10–15 s, about 50 Hz (`clean` stays at 100 Hz,
    /// `low_rate` at 12.5–25 Hz).
    pub compact: bool,
    /// Force the number of sets.
    pub sets: Option<usize>,
    /// Force the nominal sample rate, Hz.
    pub sample_rate_hz: Option<f64>,
}

impl SimOptions {
    /// The compact options.
    pub fn compact() -> SimOptions {
        SimOptions {
            compact: true,
            ..SimOptions::default()
        }
    }
    /// Sets the number of sets.
    pub fn with_sets(mut self, n: usize) -> SimOptions {
        self.sets = Some(n);
        self
    }
    /// Sets the nominal sample rate, Hz.
    pub fn with_sample_rate(mut self, hz: f64) -> SimOptions {
        self.sample_rate_hz = Some(hz);
        self
    }
}

/// One simulated recording: samples as the engine receives them, and truth.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SimRecording {
    /// Samples in time order (timestamps have an arbitrary origin).
    pub samples: Vec<Sample>,
    /// Ground truth; times from the first sample's timestamp.
    pub truth: Truth,
}

impl SimRecording {
    /// The recording as if it had been started `lead_s` seconds before the
    /// start of rep `rep` (0-based) of the truth: no still start, the set
    /// already under way (a phone started late, or a set begun without
    /// standing still). Samples before are dropped; the truth's times move
    /// with the new first sample; reps (and sets) that started before are
    /// left out, the rest renumbered; activities are clipped. `None` when
    /// there is no such rep.
    ///
    /// ```
    /// use kickback_sim::{generate, Scenario};
    /// let rec = generate(Scenario::Clean, 3);
    /// let cut = rec.starting_mid_set(2, 0.05).unwrap();
    /// assert_eq!(cut.truth.reps.len(), rec.truth.reps.len() - 2);
    /// assert!(cut.truth.reps[0].start_s < 0.1);
    /// ```
    pub fn starting_mid_set(&self, rep: usize, lead_s: f64) -> Option<SimRecording> {
        let first = self.samples.first()?.t;
        let cut = self.truth.reps.get(rep)?.start_s - lead_s;
        let samples: Vec<Sample> = self
            .samples
            .iter()
            .filter(|s| s.t - first >= cut)
            .copied()
            .collect();
        let shift = samples.first()?.t - first;
        let mut truth = self.truth.clone();
        let kept_from = truth.reps[rep].index;
        truth.reps.retain(|r| r.index >= kept_from);
        for (i, r) in truth.reps.iter_mut().enumerate() {
            r.index = i + 1;
            r.start_s -= shift;
            r.peak_s -= shift;
            r.end_s -= shift;
        }
        truth
            .sets
            .retain(|st| truth.reps.iter().any(|r| r.set == st.index));
        for st in &mut truth.sets {
            let mine = truth.reps.iter().filter(|r| r.set == st.index);
            st.rep_count = mine.clone().count();
            st.start_s = mine.map(|r| r.start_s).fold(f64::INFINITY, f64::min);
            st.end_s -= shift;
        }
        truth.activities.retain(|a| a.end_s > shift);
        for a in &mut truth.activities {
            a.start_s = (a.start_s - shift).max(0.0);
            a.end_s -= shift;
        }
        Some(SimRecording { samples, truth })
    }

    /// The recording in the generic CSV layout: header
    /// `time_s,ax,ay,az,gx,gy,gz` (or `time_s,ax,ay,az` without gyroscope),
    /// SI units, times with 6 decimals, values with 6 significant digits.
    pub fn to_csv(&self) -> String {
        let mut s = String::with_capacity(self.samples.len() * 72 + 32);
        s.push_str(if self.truth.gyroscope {
            "time_s,ax,ay,az,gx,gy,gz\n"
        } else {
            "time_s,ax,ay,az\n"
        });
        for x in &self.samples {
            let _ = write!(s, "{:.6}", x.t);
            for v in x.acc.iter() {
                s.push(',');
                s.push_str(&sig6(*v));
            }
            if let Some(g) = x.gyro {
                for v in g.iter() {
                    s.push(',');
                    s.push_str(&sig6(*v));
                }
            }
            s.push('\n');
        }
        s
    }

    /// The truth as pretty JSON.
    pub fn truth_json(&self) -> String {
        serde_json::to_string_pretty(&self.truth).expect("truth serializes") + "\n"
    }
}

/// Formats with 6 significant digits, without exponent for usual magnitudes.
fn sig6(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".to_string();
    }
    let mag = v.abs().log10().floor() as i32;
    if !(-5..=5).contains(&mag) {
        return format!("{v:.5e}");
    }
    let decimals = (5 - mag).max(0) as usize;
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

/// Simulates one recording. The same scenario and seed always give the same
/// samples and truth (ChaCha8, seeded from `seed` and the scenario).
///
/// ```
/// use kickback_sim::{generate, Scenario};
/// let rec = generate(Scenario::Mixed, 3);
/// assert_eq!(rec.truth.scenario, "mixed");
/// assert!(rec.truth.sets.len() >= 2);
/// for rep in &rec.truth.reps {
///     assert!(rep.start_s < rep.peak_s && rep.peak_s < rep.end_s);
/// }
/// ```
pub fn generate(scenario: Scenario, seed: u64) -> SimRecording {
    generate_with(scenario, seed, &SimOptions::default())
}

/// [`generate`] with options.
pub fn generate_with(scenario: Scenario, seed: u64, opts: &SimOptions) -> SimRecording {
    let concrete = scenario.resolve(seed);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ concrete.salt());
    let plan = scenario::plan(&mut rng, concrete, seed, opts);
    let person = Person::draw(&mut rng, plan.exercise);
    let heading = rng::uniform(&mut rng, -std::f64::consts::PI, std::f64::consts::PI);
    let mut b = Builder::new(&person.body, heading, person.stand_incl);
    let geos = scenario::run(&mut rng, &mut b, &person, &plan, opts.compact);
    let mount = draw_mount(&mut rng);
    let spec = sensor::SensorSpec::draw(
        &mut rng,
        plan.fs,
        plan.gyro,
        plan.app_timestamps,
        plan.drops,
        mount,
    );
    let (f, w) = sensor::ideal_signals(&b.q, &b.vel, &b.extra, &spec, &mut rng);
    let sampled = sensor::sample(&f, &w, &spec, &mut rng);
    let limit = person.limit();
    let map = |t: f64| round_us(sampled.map_time(t));

    let n_sets = plan.n_sets;
    let mut reps = Vec::new();
    let mut sets = Vec::new();
    for s in 1..=n_sets {
        let raw: Vec<_> = b.reps.iter().filter(|r| r.set == s).collect();
        if raw.is_empty() {
            continue;
        }
        let med = median(&raw.iter().map(|r| r.range).collect::<Vec<_>>());
        for r in &raw {
            let mut faults = Vec::new();
            for f in Fault::ALL {
                let has = match f {
                    Fault::Momentum => r.style == RepStyle::Momentum,
                    Fault::LumbarOverextension => r.peak_elev > limit,
                    Fault::PartialRange => r.range < 0.6 * med,
                    _ => false,
                };
                if has {
                    faults.push(f);
                }
            }
            reps.push(TruthRep {
                index: reps.len() + 1,
                set: s,
                start_s: map(r.start),
                peak_s: map(r.peak),
                end_s: map(r.end),
                range_deg: round3(r.range),
                peak_elevation_deg: round3(r.peak_elev),
                style: r.style,
                faults,
            });
        }
        sets.push(TruthSet {
            index: s,
            start_s: map(raw[0].start),
            end_s: map(raw[raw.len() - 1].end),
            rep_count: raw.len(),
        });
    }
    let mut raw_acts = b.activities.clone();
    raw_acts.sort_by(|a, b| a.start.total_cmp(&b.start));
    let activities = raw_acts
        .iter()
        .map(|a| Activity {
            kind: a.kind,
            start_s: map(a.start).max(0.0),
            end_s: map(a.end).max(0.0),
        })
        .collect();
    let q = spec.mount;
    let params = Params {
        exercise: person.exercise.name().to_string(),
        height_m: round6(person.body.height),
        thigh_m: round6(person.body.thigh),
        shank_m: round6(person.body.shank),
        sensor_above_ankle_m: round6(person.body.sensor_d),
        lever_arm_m: [
            round6(person.body.lever.x),
            round6(person.body.lever.y),
            round6(person.body.lever.z),
        ],
        mount_quaternion: [round6(q.w), round6(q.i), round6(q.j), round6(q.k)],
        foot_turnout_deg: round3(person.foot_turnout_deg),
        axis_tilt_deg: round3(person.alpha),
        knee_flexion_deg: geos.iter().map(|g| round3(g.knee)).collect(),
        rest_inclination_deg: geos.iter().map(|g| round3(g.theta0)).collect(),
        set_styles: plan.mixes.iter().map(|m| m.name().to_string()).collect(),
        accel_noise_ug_rthz: round3(spec.accel_nd_ug),
        gyro_noise_dps_rthz: round6(spec.gyro_nd_dps),
        accel_bias_ms2: [
            round6(spec.accel_bias.x),
            round6(spec.accel_bias.y),
            round6(spec.accel_bias.z),
        ],
        gyro_bias_rads: [
            round6(spec.gyro_bias.x),
            round6(spec.gyro_bias.y),
            round6(spec.gyro_bias.z),
        ],
        accel_range_g: spec.accel_range_g,
        gyro_range_dps: spec.gyro_range_dps,
        clock_error: round6(spec.clock_error),
        jitter_fraction: round6(spec.jitter),
        drop_fraction: round6(spec.drop_rate * 2.0),
        first_timestamp_s: sampled.first_timestamp,
        compact: opts.compact,
    };
    SimRecording {
        samples: sampled.samples,
        truth: Truth {
            scenario: concrete.name().to_string(),
            seed,
            sample_rate_hz: plan.fs,
            gyroscope: plan.gyro,
            settings: TruthSettings {
                torso_hinge_deg: round3(person.t_setting),
                hip_extension_limit_deg: round3(person.e_limit),
            },
            params,
            sets,
            reps,
            activities,
        },
    }
}

#[cfg(test)]
mod tests;

fn round3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
fn round_us(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Writes `contents` to `path` atomically: a temporary file in the same
/// directory, then a rename.
fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), SimError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, contents).map_err(|e| SimError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        SimError::io(path, e)
    })
}

/// Writes `<name>.csv` and `<name>.truth.json` into `dir`; returns the CSV path.
pub fn write_recording(dir: &Path, name: &str, rec: &SimRecording) -> Result<PathBuf, SimError> {
    std::fs::create_dir_all(dir).map_err(|e| SimError::io(dir, e))?;
    let csv = dir.join(format!("{name}.csv"));
    write_atomic(&csv, rec.to_csv().as_bytes())?;
    write_atomic(
        &dir.join(format!("{name}.truth.json")),
        rec.truth_json().as_bytes(),
    )?;
    Ok(csv)
}

/// Writes `count` recordings of `scenario` into `dir` (created if needed):
/// recording `i` uses seed `seed + i` and is named `<scenario>_<iiii>`
/// (for [`Scenario::All`], the concrete scenario's name). Returns the CSV
/// paths.
pub fn write_corpus(
    dir: &Path,
    scenario: Scenario,
    count: usize,
    seed: u64,
) -> Result<Vec<PathBuf>, SimError> {
    write_corpus_with(dir, scenario, count, seed, &SimOptions::default())
}

/// [`write_corpus`] with options.
pub fn write_corpus_with(
    dir: &Path,
    scenario: Scenario,
    count: usize,
    seed: u64,
    opts: &SimOptions,
) -> Result<Vec<PathBuf>, SimError> {
    (0..count)
        .map(|i| {
            let s = seed.wrapping_add(i as u64);
            let rec = generate_with(scenario, s, opts);
            write_recording(dir, &format!("{}_{:04}", rec.truth.scenario, i), &rec)
        })
        .collect()
}

/// The seed of the bundled sample recording.
pub const SAMPLE_SEED: u64 = 20_240_622;

/// Writes the committed test corpus deterministically: two compact
/// recordings per scenario (four for `variations`, one per variant), and
/// `sample.csv` + `sample.truth.json`, a 3-set, 50 Hz recording with a few
/// faults (the README's bundled sample).
pub fn write_testdata(dir: &Path) -> Result<(), SimError> {
    let compact = SimOptions::compact();
    for sc in Scenario::CONCRETE {
        let n = if sc == Scenario::Variations { 4 } else { 2 };
        write_corpus_with(dir, sc, n, 100, &compact)?;
    }
    let rec = sample_recording();
    let csv = dir.join("sample.csv");
    write_atomic(&csv, rec.to_csv().as_bytes())?;
    write_atomic(&dir.join("sample.truth.json"), rec.truth_json().as_bytes())?;
    Ok(())
}

/// The bundled sample: `mixed`, 3 sets, 50 Hz, compact rests.
pub fn sample_recording() -> SimRecording {
    generate_with(
        Scenario::Mixed,
        SAMPLE_SEED,
        &SimOptions::compact().with_sets(3).with_sample_rate(50.0),
    )
}
