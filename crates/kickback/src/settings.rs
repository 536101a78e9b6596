//! Every threshold the analyzer uses, with its default and the reason for it.
//!
//! Angles are degrees, times seconds, angular velocities degrees per second.
//! Sources are in `../shared/reference/BIOMECHANICS.md` (cited by section).
//!
//! ```
//! use kickback::Settings;
//! let mut s = Settings::default();
//! s.lumbar.torso_hinge_deg = 30.0;            // a more upright stance
//! s.lumbar.hip_extension_limit_deg = 15.0;    // a stiffer hip
//! assert_eq!(s.lumbar.limit_deg(), 45.0);
//! s.validate().unwrap();
//! ```

use serde::{Deserialize, Serialize};

/// All analysis settings. `Default` gives the documented defaults.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Settings {
    /// Rep detection.
    pub reps: RepSettings,
    /// Set grouping.
    pub sets: SetSettings,
    /// Momentum (swinging) detection.
    pub momentum: MomentumSettings,
    /// Lumbar overextension detection.
    pub lumbar: LumbarSettings,
    /// Partial-range detection.
    pub partial: PartialSettings,
    /// Input handling: gaps and sensor fusion.
    pub input: InputSettings,
}

/// Rep detection thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct RepSettings {
    /// Smallest rise from the bottom that counts as a rep, deg. Default 10:
    /// the product's definition (a rep rises at least 10° and returns); postural
    /// sway and the stance leg's wobble stay under 5°.
    pub min_rise_deg: f64,
    /// A rep ends once the leg has come back down by this fraction of its rise.
    /// Default 0.7: a "double pump" at the top (a dip of less than 70%) is one rep.
    pub return_fraction: f64,
    /// Shortest rep, start to end, s. Default 0.4: the fastest swing in the
    /// literature is ~0.3 s up and ~0.3 s down (BIOMECHANICS §5.1 momentum rep),
    /// and the measured start and end leave out the slow first and last
    /// ~0.05–0.1 s spent within the end tolerance of the bottom.
    pub min_duration_s: f64,
    /// Longest rep, start to end, s. Default 20: ACSM tempos are 1–2 s up and
    /// down with a ~1 s squeeze; even a 6-0-4-0 tempo is 10 s (§2.1).
    pub max_duration_s: f64,
    /// Band around the peak that counts as "holding at the top", deg. Default 5
    /// (§5.2 "no squeeze": dwell within 5° of the peak angle).
    pub hold_band_deg: f64,
    /// Angular velocity below which the leg counts as held still at the top,
    /// deg/s. Default 15 (§5.2: dwell with |ω| < 15 °/s near the peak).
    pub hold_velocity_dps: f64,
    /// Reject a rising movement as a step of walking when the leg rotates about a
    /// point this close to the sensor (foot planted on the floor) rather than
    /// about the hip, m. Default 0.35: in a kickback the shank turns about the
    /// hip, 0.7–0.9 m above the sensor (§4); in the stance phase of walking it
    /// turns about the ankle, 3–10 cm below it.
    pub min_pivot_radius_m: f64,
    /// A rise that starts this far in front of the rest pose, with an impact
    /// (see `gait_impact_g`), is a step, deg. Default 12: at heel strike the
    /// shank is 15–25° in front of vertical.
    pub gait_forward_deg: f64,
    /// Reject a rise as a step when it starts or ends in front of the rest
    /// pose by more than `gait_forward_deg` with a jolt along the shank above
    /// this, in g. Default 1.2: the weight stack touching down gives 0.3–1 g
    /// (§5.1); real heel strikes, measured so on the real walking and stairs
    /// in `../shared/realdata` (NCSU 40 Hz, HuGaDB 59 Hz), are 1.2–3.6 g
    /// (5th–95th percentile of each 1.2 s of walking), median 2.3–2.8 g.
    pub gait_impact_g: f64,
}

impl Default for RepSettings {
    fn default() -> Self {
        RepSettings {
            min_rise_deg: 10.0,
            return_fraction: 0.7,
            min_duration_s: 0.4,
            max_duration_s: 20.0,
            hold_band_deg: 5.0,
            hold_velocity_dps: 15.0,
            min_pivot_radius_m: 0.35,
            gait_forward_deg: 12.0,
            gait_impact_g: 1.2,
        }
    }
}

/// Set grouping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct SetSettings {
    /// A pause longer than this between two reps starts a new set, s. Default 8:
    /// within a set the bottom pause is 0–0.5 s and even slow tempos leave under
    /// 3 s between reps; rests between sets are 30 s or more.
    pub rest_s: f64,
}

impl Default for SetSettings {
    fn default() -> Self {
        SetSettings { rest_s: 8.0 }
    }
}

/// Momentum detection: "thrown, not driven". Each feature adds a weight to a
/// score; a rep is flagged when the score reaches 1.0. One strong feature is
/// not enough (a brisk but controlled rep can be fast); two together are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct MomentumSettings {
    /// Concentric shorter than this is "fast", s. Default 0.6: ACSM asks for
    /// 1–2 s; below ~0.66–0.79 s the cable goes slack at the top (§2.3, §5.2).
    /// It counts only when the rise peaked above half of `peak_velocity_dps`:
    /// a small partial rep is short because it is small, not thrown.
    pub max_concentric_s: f64,
    /// Peak concentric angular velocity above this is "high", deg/s. Default 150:
    /// a minimum-jerk 60° rise in 0.75 s peaks at 150 °/s (§2.2, §5.2).
    pub peak_velocity_dps: f64,
    /// A hold at the top shorter than this is "no squeeze", s. Default 0.15
    /// (§5.2 "no squeeze / pause at top").
    pub min_hold_s: f64,
    /// A forward swing before the kick deeper than this is a wind-up, deg.
    /// Default 8: the pre-swing of a thrown rep is 10–25° (§5.1); the loaded
    /// start of a controlled rep moves a few degrees at most.
    pub windup_deg: f64,
    /// An eccentric shorter than this is a drop, s. Default 0.6 (§5.2 uses
    /// 0.8 s as "dropping the stack"; 0.6 keeps brisk controlled lowering clean).
    /// Like a fast concentric, it counts only when the return peaked above
    /// half of `peak_velocity_dps`.
    pub min_eccentric_s: f64,
    /// Weight of a fast concentric. Default 0.6.
    pub weight_fast_concentric: f64,
    /// Weight of a high peak velocity. Default 0.6.
    pub weight_high_velocity: f64,
    /// Weight of no hold at the top. Default 0.5.
    pub weight_no_hold: f64,
    /// Weight of a wind-up. Default 0.4.
    pub weight_windup: f64,
    /// Weight of a fast drop. Default 0.4.
    pub weight_fast_drop: f64,
}

impl Default for MomentumSettings {
    fn default() -> Self {
        MomentumSettings {
            max_concentric_s: 0.6,
            peak_velocity_dps: 150.0,
            min_hold_s: 0.15,
            windup_deg: 8.0,
            min_eccentric_s: 0.6,
            weight_fast_concentric: 0.6,
            weight_high_velocity: 0.6,
            weight_no_hold: 0.5,
            weight_windup: 0.4,
            weight_fast_drop: 0.4,
        }
    }
}

/// Lumbar overextension: the leg rose past what the hip can give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct LumbarSettings {
    /// Forward lean of the torso from vertical, deg. Default 45: the usual
    /// coaching cue ("about 45° from the hips", §1.2). With the hip at neutral
    /// the thigh already sits this far behind vertical.
    pub torso_hinge_deg: f64,
    /// Hip extension beyond neutral before the pelvis and lumbar spine take
    /// over, deg. Default 20: the upper end of adult norms (10–20°, §1.1).
    pub hip_extension_limit_deg: f64,
}

impl LumbarSettings {
    /// The elevation above which the lower back pays: hinge + hip limit.
    pub fn limit_deg(&self) -> f64 {
        self.torso_hinge_deg + self.hip_extension_limit_deg
    }
}

impl Default for LumbarSettings {
    fn default() -> Self {
        LumbarSettings {
            torso_hinge_deg: 45.0,
            hip_extension_limit_deg: 20.0,
        }
    }
}

/// Partial range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct PartialSettings {
    /// A rep whose range is below this fraction of the set's median range is
    /// partial. Default 0.6: rep-to-rep amplitude varies by 5–8% (CV, §5.1), so
    /// 60% is far outside normal variation while catching half reps.
    pub fraction_of_median: f64,
    /// Reps of the current set needed before the set's own median is used; until
    /// then the median of the recording's recent reps is the reference. Default 3.
    pub min_reference_reps: usize,
}

impl Default for PartialSettings {
    fn default() -> Self {
        PartialSettings {
            fraction_of_median: 0.6,
            min_reference_reps: 3,
        }
    }
}

/// Input handling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct InputSettings {
    /// A gap between samples longer than this is reported, s. Default 0.25:
    /// three periods at the slowest common rate (12.5 Hz).
    pub gap_warn_s: f64,
    /// A gap longer than this splits the analysis instead of being bridged, s.
    /// Default 1.0: a rep's concentric or hold can hide in a longer gap.
    pub gap_split_s: f64,
    /// Time constant with which the accelerometer corrects the gyroscope's
    /// estimate of gravity, s. Default 1.0: long enough to ride through the
    /// kick's own accelerations, short enough to cancel a 3 °/s gyro bias to
    /// within a few degrees (§3.1).
    pub fusion_time_constant_s: f64,
}

impl Default for InputSettings {
    fn default() -> Self {
        InputSettings {
            gap_warn_s: 0.25,
            gap_split_s: 1.0,
            fusion_time_constant_s: 1.0,
        }
    }
}

/// A setting that makes no sense.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("setting `{name}` = {value} is out of range: {expected}")]
pub struct SettingsError {
    /// Dotted name, as in `kickback.toml` (`lumbar.torso_hinge_deg`).
    pub name: &'static str,
    /// The value given.
    pub value: f64,
    /// What would be valid.
    pub expected: &'static str,
}

impl Settings {
    /// Checks every value is finite and in a sensible range.
    pub fn validate(&self) -> Result<(), SettingsError> {
        fn check(
            name: &'static str,
            value: f64,
            lo: f64,
            hi: f64,
            expected: &'static str,
        ) -> Result<(), SettingsError> {
            if value.is_finite() && value >= lo && value <= hi {
                Ok(())
            } else {
                Err(SettingsError {
                    name,
                    value,
                    expected,
                })
            }
        }
        let r = &self.reps;
        check(
            "reps.min_rise_deg",
            r.min_rise_deg,
            1.0,
            90.0,
            "between 1 and 90 degrees",
        )?;
        check(
            "reps.return_fraction",
            r.return_fraction,
            0.1,
            1.0,
            "between 0.1 and 1",
        )?;
        check(
            "reps.min_duration_s",
            r.min_duration_s,
            0.0,
            10.0,
            "between 0 and 10 s",
        )?;
        check(
            "reps.max_duration_s",
            r.max_duration_s,
            r.min_duration_s.max(1.0),
            600.0,
            "above reps.min_duration_s and 1 s, at most 600 s",
        )?;
        check(
            "reps.hold_band_deg",
            r.hold_band_deg,
            0.5,
            30.0,
            "between 0.5 and 30 degrees",
        )?;
        check(
            "reps.hold_velocity_dps",
            r.hold_velocity_dps,
            0.5,
            200.0,
            "between 0.5 and 200 deg/s",
        )?;
        check(
            "reps.min_pivot_radius_m",
            r.min_pivot_radius_m,
            -1.0,
            2.0,
            "between -1 and 2 m",
        )?;
        check(
            "reps.gait_forward_deg",
            r.gait_forward_deg,
            1.0,
            90.0,
            "between 1 and 90 degrees",
        )?;
        check(
            "sets.rest_s",
            self.sets.rest_s,
            0.5,
            3600.0,
            "between 0.5 s and an hour",
        )?;
        let m = &self.momentum;
        check(
            "momentum.max_concentric_s",
            m.max_concentric_s,
            0.0,
            10.0,
            "between 0 and 10 s",
        )?;
        check(
            "momentum.peak_velocity_dps",
            m.peak_velocity_dps,
            1.0,
            5000.0,
            "between 1 and 5000 deg/s",
        )?;
        check(
            "momentum.min_hold_s",
            m.min_hold_s,
            0.0,
            10.0,
            "between 0 and 10 s",
        )?;
        check(
            "momentum.windup_deg",
            m.windup_deg,
            0.0,
            90.0,
            "between 0 and 90 degrees",
        )?;
        check(
            "momentum.min_eccentric_s",
            m.min_eccentric_s,
            0.0,
            10.0,
            "between 0 and 10 s",
        )?;
        for (name, w) in [
            ("momentum.weight_fast_concentric", m.weight_fast_concentric),
            ("momentum.weight_high_velocity", m.weight_high_velocity),
            ("momentum.weight_no_hold", m.weight_no_hold),
            ("momentum.weight_windup", m.weight_windup),
            ("momentum.weight_fast_drop", m.weight_fast_drop),
        ] {
            check(name, w, 0.0, 10.0, "between 0 and 10")?;
        }
        check(
            "lumbar.torso_hinge_deg",
            self.lumbar.torso_hinge_deg,
            0.0,
            90.0,
            "between 0 and 90 degrees",
        )?;
        check(
            "lumbar.hip_extension_limit_deg",
            self.lumbar.hip_extension_limit_deg,
            0.0,
            60.0,
            "between 0 and 60 degrees",
        )?;
        check(
            "partial.fraction_of_median",
            self.partial.fraction_of_median,
            0.0,
            1.0,
            "between 0 and 1",
        )?;
        check(
            "partial.min_reference_reps",
            self.partial.min_reference_reps as f64,
            1.0,
            100.0,
            "between 1 and 100",
        )?;
        let i = &self.input;
        check(
            "input.gap_warn_s",
            i.gap_warn_s,
            0.01,
            60.0,
            "between 0.01 and 60 s",
        )?;
        check(
            "input.gap_split_s",
            i.gap_split_s,
            i.gap_warn_s,
            600.0,
            "at least input.gap_warn_s, at most 600 s",
        )?;
        check(
            "input.fusion_time_constant_s",
            i.fusion_time_constant_s,
            0.05,
            60.0,
            "between 0.05 and 60 s",
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Settings::default().validate().unwrap();
    }

    #[test]
    fn nonsense_is_named() {
        let mut s = Settings::default();
        s.lumbar.torso_hinge_deg = f64::NAN;
        let e = s.validate().unwrap_err();
        assert_eq!(e.name, "lumbar.torso_hinge_deg");
        s.lumbar.torso_hinge_deg = 45.0;
        s.sets.rest_s = -1.0;
        assert_eq!(s.validate().unwrap_err().name, "sets.rest_s");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let e = serde_json::from_str::<Settings>(r#"{"lumbar": {"torso_hinge": 40}}"#).unwrap_err();
        assert!(e.to_string().contains("torso_hinge"), "{e}");
        let s: Settings = serde_json::from_str(r#"{"lumbar": {"torso_hinge_deg": 40}}"#).unwrap();
        assert_eq!(s.lumbar.torso_hinge_deg, 40.0);
        assert_eq!(s.lumbar.hip_extension_limit_deg, 20.0);
    }
}
