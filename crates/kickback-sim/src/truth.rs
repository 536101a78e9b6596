//! The ground truth written beside every simulated recording
//! (`<name>.truth.json`).
//!
//! Times are seconds from the recording's **first sample's timestamp** (the
//! engine reports times the same way), already mapped through the simulated
//! clock-rate error, so they can be compared with the analyzer's output
//! directly. Angles are degrees of *elevation*: shank inclination relative to
//! the hanging rest pose of the set, positive when the foot moves behind the
//! body.

use kickback::Fault;
use serde::{Deserialize, Serialize};

/// Everything known about one simulated recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Truth {
    /// Concrete scenario name (`clean`, `mixed`, `walking`, `no_gyro`,
    /// `low_rate`, `variations`); never `all`.
    pub scenario: String,
    /// The seed: `generate(scenario, seed)` reproduces the recording.
    pub seed: u64,
    /// Nominal (reported) sample rate, Hz.
    pub sample_rate_hz: f64,
    /// Whether the recording has gyroscope columns.
    pub gyroscope: bool,
    /// The settings a user would pass (`--torso-hinge`,
    /// `--hip-extension-limit`): the lumbar fault is defined against them.
    pub settings: TruthSettings,
    /// Person, exercise and sensor parameters drawn for this recording.
    pub params: Params,
    /// Sets of the working leg, in order.
    pub sets: Vec<TruthSet>,
    /// Every rep of the working leg, in order.
    pub reps: Vec<TruthRep>,
    /// Everything else that happened (must not be counted as reps).
    pub activities: Vec<Activity>,
}

/// The two per-person settings the lumbar rule depends on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TruthSettings {
    /// Torso hinge T, degrees (BIOMECHANICS §1.2, §5.1: U(30°, 60°)). For
    /// the `variations` postures it is the hip flexion of the rest pose
    /// (all fours ≈ 90°, prone ≈ 0°), which plays the same role.
    pub torso_hinge_deg: f64,
    /// Hip extension limit E, degrees (§1.1, §5.1: N(15°, 5°) clipped to
    /// [5°, 25°]).
    pub hip_extension_limit_deg: f64,
}

/// One set of the working leg.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TruthSet {
    /// 1-based set number.
    pub index: usize,
    /// Start of the set's first rep, s.
    pub start_s: f64,
    /// End of the set's last rep, s.
    pub end_s: f64,
    /// Reps in the set.
    pub rep_count: usize,
}

/// How a rep was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RepStyle {
    /// Minimum-jerk up, hold, slow down (§2.1, §5.1).
    Controlled,
    /// Wind-up, fast throw, no hold, dropped stack with overshoot (§2.3, §5.1).
    Momentum,
    /// Hip to its limit, then 8–20° of lumbopelvic add (§1.3, §5.1).
    Overextended,
    /// 25–45% of the set's normal range.
    Partial,
}

impl RepStyle {
    /// The snake_case name used in the truth file.
    pub fn as_str(self) -> &'static str {
        match self {
            RepStyle::Controlled => "controlled",
            RepStyle::Momentum => "momentum",
            RepStyle::Overextended => "overextended",
            RepStyle::Partial => "partial",
        }
    }
}

/// One true rep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TruthRep {
    /// 1-based rep number in the recording.
    pub index: usize,
    /// 1-based set number.
    pub set: usize,
    /// When the leg left the bottom (start of the wind-up, if any), s.
    pub start_s: f64,
    /// Time of maximum elevation, s.
    pub peak_s: f64,
    /// When the leg was back at the bottom (end of the eccentric, or the
    /// trough of the forward overshoot), s.
    pub end_s: f64,
    /// The rise above the rest pose, degrees: peak elevation minus the
    /// elevation the main drive started from, where a start below the
    /// rest pose (the forward overshoot of the thrown rep before) counts as
    /// the rest pose; a wind-up is not range. The engine's definition.
    pub range_deg: f64,
    /// Peak elevation above the set's rest pose, degrees.
    pub peak_elevation_deg: f64,
    /// How the rep was generated.
    pub style: RepStyle,
    /// The faults the rep has by the product's definitions, in
    /// [`Fault::ALL`] order.
    pub faults: Vec<Fault>,
}

impl TruthRep {
    /// True if the rep carries `fault`.
    pub fn has(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
    }
}

/// Kinds of non-rep activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActivityKind {
    /// Walking (gait cycles, heel strikes).
    Walking,
    /// The other leg's set; the instrumented leg is the stance leg.
    OtherLeg,
    /// A small (< 5°) fidget or weight shift.
    Fidget,
    /// Standing or resting still (postural sway), including posture changes
    /// such as stepping into position or kneeling down.
    Stand,
}

/// A stretch of non-rep activity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Activity {
    /// What it was.
    pub kind: ActivityKind,
    /// Start, s.
    pub start_s: f64,
    /// End, s.
    pub end_s: f64,
}

/// Person, exercise and sensor parameters of one recording (informational;
/// see the crate docs for the distributions and their sources).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct Params {
    /// Exercise variant: `cable_kickback`, `donkey_kick`, `prone_hip_extension`,
    /// `abduction_kickback`, `band_kickback`.
    pub exercise: String,
    /// Body height H, m (§5.1).
    pub height_m: f64,
    /// Thigh length, m (0.245·H·N(1, 0.03), §4).
    pub thigh_m: f64,
    /// Shank length, m (0.246·H·N(1, 0.03), §4).
    pub shank_m: f64,
    /// Sensor height above the ankle along the shank, m (§4, §5.1).
    pub sensor_above_ankle_m: f64,
    /// Lever-arm offset of the sensor from the shank axis, sensor frame, m (§3.3).
    pub lever_arm_m: [f64; 3],
    /// Strap rotation (sensor frame in the shank frame) as a unit quaternion
    /// `[w, x, y, z]`.
    pub mount_quaternion: [f64; 4],
    /// Foot turn-out (rotation about the shank axis), degrees.
    pub foot_turnout_deg: f64,
    /// Tilt of the kick's rotation axis out of the horizontal (abduction), degrees.
    pub axis_tilt_deg: f64,
    /// Knee flexion at rest in each set, degrees (§5.1).
    pub knee_flexion_deg: Vec<f64>,
    /// Rest-pose shank inclination of each set, degrees (θ0, §5.1).
    pub rest_inclination_deg: Vec<f64>,
    /// Style mix of each set (`clean`, `momentum`, `mixed`, `fatigue`).
    pub set_styles: Vec<String>,
    /// Accelerometer noise density, µg/√Hz (§3.1).
    pub accel_noise_ug_rthz: f64,
    /// Gyroscope noise density, °/s/√Hz (§3.1).
    pub gyro_noise_dps_rthz: f64,
    /// Accelerometer turn-on bias, m/s² per axis (§5.1).
    pub accel_bias_ms2: [f64; 3],
    /// Gyroscope turn-on bias, rad/s per axis (§5.1).
    pub gyro_bias_rads: [f64; 3],
    /// Accelerometer full scale, g.
    pub accel_range_g: f64,
    /// Gyroscope full scale, °/s.
    pub gyro_range_dps: f64,
    /// How far the delivered sample rate is off the nominal one (fraction,
    /// ±0.02, §3.2); the timestamps are true.
    pub clock_error: f64,
    /// Timestamp jitter, fraction of the period (σ).
    pub jitter_fraction: f64,
    /// Fraction of samples dropped.
    pub drop_fraction: f64,
    /// Timestamp of the first sample, s (arbitrary origin).
    pub first_timestamp_s: f64,
    /// Whether the reduced-size corpus options were used.
    pub compact: bool,
}
