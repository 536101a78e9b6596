//! Every threshold the analyzer uses, declared once with its key, unit,
//! default, allowed range and the reason for its default.
//!
//! The declaration below ([`SPECS`]) is the one source of truth: the
//! settings structs and their `Default`, [`Settings::validate`], the CLI's
//! `kickback config --defaults` and the README's settings table are all
//! derived from it.
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
//!
//! // Every setting's description:
//! let spec = kickback::settings::spec("lumbar.torso_hinge_deg").unwrap();
//! assert_eq!((spec.default, spec.unit.as_str()), (45.0, "deg"));
//! assert_eq!(spec.value(&s), 30.0);
//! ```

use serde::{Deserialize, Serialize};

/// The unit of a setting's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unit {
    /// Degrees.
    Deg,
    /// Seconds.
    S,
    /// Degrees per second.
    Dps,
    /// Metres.
    M,
    /// Multiples of standard gravity.
    G,
    /// A fraction, 0 to 1.
    Fraction,
    /// A weight in the momentum score.
    Weight,
    /// A whole number.
    Count,
}

impl Unit {
    /// The unit's short name, as in `kickback config --defaults` (`"deg"`, `"s"`, `"deg/s"`, ...).
    ///
    /// ```
    /// assert_eq!(kickback::settings::Unit::Dps.as_str(), "deg/s");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Deg => "deg",
            Unit::S => "s",
            Unit::Dps => "deg/s",
            Unit::M => "m",
            Unit::G => "g",
            Unit::Fraction => "fraction",
            Unit::Weight => "weight",
            Unit::Count => "count",
        }
    }

    /// How a value is written with its unit in prose ("10°", "0.4 s", "0.6").
    pub fn format(self, v: f64) -> String {
        match self {
            Unit::Deg => format!("{v}°"),
            Unit::Dps => format!("{v} °/s"),
            Unit::S | Unit::M | Unit::G => format!("{v} {}", self.as_str()),
            Unit::Fraction | Unit::Weight | Unit::Count => format!("{v}"),
        }
    }
}

/// One setting, described: what `kickback.toml` calls it, its unit,
/// default and allowed range, and why the default is what it is.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct SettingSpec {
    /// `section.name`, as in `kickback.toml` (`"lumbar.torso_hinge_deg"`).
    pub key: &'static str,
    /// The section (`"lumbar"`).
    pub section: &'static str,
    /// The name within the section (`"torso_hinge_deg"`).
    pub name: &'static str,
    /// The unit of the value.
    pub unit: Unit,
    /// The default value.
    pub default: f64,
    /// The smallest allowed value.
    pub min: f64,
    /// The largest allowed value.
    pub max: f64,
    /// Another setting this one may not be below (`reps.max_duration_s` is at
    /// least `reps.min_duration_s`).
    pub at_least: Option<&'static str>,
    /// Whether the value is a whole number.
    pub integer: bool,
    /// What the setting does and why its default is what it is (its rustdoc).
    pub reason: &'static str,
    get: fn(&Settings) -> f64,
    set: fn(&mut Settings, f64),
}

impl SettingSpec {
    /// The setting's value in `settings`.
    pub fn value(&self, settings: &Settings) -> f64 {
        (self.get)(settings)
    }

    /// Sets the setting's value in `settings` (a whole-number setting takes
    /// the value's integer part, saturating). [`Settings::validate`] checks it.
    ///
    /// ```
    /// let mut s = kickback::Settings::default();
    /// kickback::settings::spec("sets.rest_s").unwrap().set(&mut s, 12.0);
    /// assert_eq!(s.sets.rest_s, 12.0);
    /// ```
    pub fn set(&self, settings: &mut Settings, value: f64) {
        (self.set)(settings, value)
    }

    /// The allowed range in words, e.g. "between 1 and 90 deg".
    ///
    /// ```
    /// let s = kickback::settings::spec("reps.max_duration_s").unwrap();
    /// assert_eq!(s.expected(), "between 1 and 600 s, and at least reps.min_duration_s");
    /// ```
    pub fn expected(&self) -> String {
        let unit = match self.unit {
            Unit::Fraction | Unit::Weight | Unit::Count => String::new(),
            u => format!(" {}", u.as_str()),
        };
        let mut text = format!("between {} and {}{unit}", self.min, self.max);
        if self.integer {
            text.push_str(", a whole number");
        }
        if let Some(other) = self.at_least {
            text.push_str(&format!(", and at least {other}"));
        }
        text
    }

    /// The reason as one line of text (the rustdoc's lines joined).
    pub fn reason_line(&self) -> String {
        self.reason.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Declares the settings: the sections' structs with their fields and
/// `Default`, the top-level [`Settings`], and [`SPECS`], from one list.
macro_rules! declare_settings {
    ($(
        $(#[doc = $sdoc:literal])*
        $section:ident: $sty:ident, $title:literal {
            $(
                $(#[doc = $fdoc:literal])*
                $field:ident: $fty:ident = $default:literal, $unit:ident,
                    [$min:literal, $max:literal] $(at_least $other:literal)?;
            )*
        }
    )*) => {
        /// All analysis settings. `Default` gives the documented defaults.
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        #[non_exhaustive]
        pub struct Settings {
            $(
                $(#[doc = $sdoc])*
                pub $section: $sty,
            )*
        }

        $(
            $(#[doc = $sdoc])*
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[serde(default, deny_unknown_fields)]
            #[non_exhaustive]
            pub struct $sty {
                $(
                    $(#[doc = $fdoc])*
                    #[doc = ""]
                    #[doc = concat!(
                        "Default ", stringify!($default), " ", declare_settings!(@unit $unit),
                        ", allowed ", stringify!($min), " to ", stringify!($max),
                        $(", and at least `", $other, "`",)? "."
                    )]
                    pub $field: $fty,
                )*
            }

            impl Default for $sty {
                fn default() -> Self {
                    $sty { $($field: $default,)* }
                }
            }
        )*

        /// The sections of `kickback.toml`, in order, with a one-line title.
        pub const SECTIONS: &[(&str, &str)] = &[$((stringify!($section), $title),)*];

        /// Every setting, in `kickback.toml` order.
        pub const SPECS: &[SettingSpec] = &[$($(
            SettingSpec {
                key: concat!(stringify!($section), ".", stringify!($field)),
                section: stringify!($section),
                name: stringify!($field),
                unit: Unit::$unit,
                default: $default as f64,
                min: $min as f64,
                max: $max as f64,
                at_least: declare_settings!(@opt $($other)?),
                integer: declare_settings!(@int $fty),
                reason: concat!($($fdoc, "\n",)*),
                get: |s: &Settings| s.$section.$field as f64,
                set: |s: &mut Settings, v: f64| s.$section.$field = v as $fty,
            },
        )*)*];
    };
    (@opt $other:literal) => { Some($other) };
    (@opt) => { None };
    (@unit Deg) => { "deg" };
    (@unit S) => { "s" };
    (@unit Dps) => { "deg/s" };
    (@unit M) => { "m" };
    (@unit G) => { "g" };
    (@unit Fraction) => { "(fraction)" };
    (@unit Weight) => { "(weight)" };
    (@unit Count) => { "(count)" };
    (@int usize) => { true };
    (@int f64) => { false };
}

declare_settings! {
    /// Rep detection.
    reps: RepSettings, "Rep detection" {
        /// Smallest rise from the bottom that counts as a rep. A rep rises at
        /// least 10° and returns; postural sway and the stance leg's wobble
        /// stay under 5°.
        min_rise_deg: f64 = 10.0, Deg, [1.0, 90.0];
        /// A rep ends once the leg has come back down by this fraction of its
        /// rise. At 0.7 a "double pump" at the top (a dip of less than 70%) is
        /// one rep.
        return_fraction: f64 = 0.7, Fraction, [0.1, 1.0];
        /// Shortest rep, start to end. The fastest swing in the literature is
        /// ~0.3 s up and ~0.3 s down (BIOMECHANICS §5.1 momentum rep), and the
        /// measured start and end leave out the slow first and last ~0.05–0.1 s
        /// spent within the end tolerance of the bottom.
        min_duration_s: f64 = 0.4, S, [0.0, 10.0];
        /// Longest rep, start to end. ACSM tempos are 1–2 s up and down with a
        /// ~1 s squeeze; even a 6-0-4-0 tempo is 10 s (§2.1).
        max_duration_s: f64 = 20.0, S, [1.0, 600.0] at_least "reps.min_duration_s";
        /// Band around the peak that counts as holding at the top (§5.2 "no
        /// squeeze": dwell within 5° of the peak angle).
        hold_band_deg: f64 = 5.0, Deg, [0.5, 30.0];
        /// Angular velocity below which the leg counts as held still at the
        /// top (§5.2: dwell with |ω| < 15 °/s near the peak).
        hold_velocity_dps: f64 = 15.0, Dps, [0.5, 200.0];
        /// Angular velocity below which the falling leg counts as arrived at
        /// the bottom, where the rep's end is placed. 15 °/s, as slow as a held
        /// top (§5.2): the leg has stopped, not merely slowed.
        bottom_velocity_dps: f64 = 15.0, Dps, [0.5, 200.0];
        /// A rise whose pivot is closer than this to the sensor is a walking
        /// step, not a rep: in a kickback the shank turns about the hip,
        /// 0.7–0.9 m above the sensor (§4); in the stance phase of walking it
        /// turns about the ankle, 3–10 cm below it.
        min_pivot_radius_m: f64 = 0.35, M, [-1.0, 2.0];
        /// A rise that starts or ends this far in front of the rest pose, with a
        /// jolt along the shank (see `gait_impact_g`) there,
        /// is a step. At heel strike the shank is 15–25° in front of vertical.
        gait_forward_deg: f64 = 12.0, Deg, [1.0, 90.0];
        /// Jolt along the shank above which a rise starting or ending in front
        /// of the rest pose (by `gait_forward_deg`) is a step. Real heel strikes
        /// give the shank 1.2–3.6 g (5th–95th percentile of each 1.2 s of the
        /// real walking and stairs in `../shared/realdata`, median 2.3–2.8 g);
        /// the weight stack touching down gives 0.3–1 g (§5.1).
        gait_impact_g: f64 = 1.2, G, [1.0, 16.0];
        /// A swing whose forward swing before it was shallower than this
        /// started from standing still: with a quick return to well in front of
        /// rest it is the first step of a walk. 8°, the depth of a thrown rep's
        /// wind-up (see `momentum.windup_deg`): a step from standing has none.
        still_start_deg: f64 = 8.0, Deg, [0.0, 90.0];
    }
    /// Set grouping.
    sets: SetSettings, "Set grouping" {
        /// A pause longer than this between two reps starts a new set. Within a
        /// set the bottom pause is 0–0.5 s and even slow tempos leave under 3 s
        /// between reps; rests between sets are 30 s or more.
        rest_s: f64 = 8.0, S, [0.5, 3600.0];
    }
    /// Momentum detection: "thrown, not driven". Each feature adds a weight to
    /// a score; a rep is flagged when the score reaches 1.0. One strong
    /// feature is not enough (a brisk but controlled rep can be fast); two
    /// together are.
    momentum: MomentumSettings, "Momentum (\"thrown, not driven\"): each feature adds its weight to a score; a rep is flagged at a score of 1.0" {
        /// A concentric (rise) shorter than this is fast. ACSM asks for 1–2 s;
        /// below ~0.66–0.79 s the cable goes slack at the top (§2.3, §5.2).
        /// Counts only when the rise peaked above half of `peak_velocity_dps`:
        /// a small partial rep is short because it is small, not thrown.
        max_concentric_s: f64 = 0.6, S, [0.0, 10.0];
        /// Peak rising angular velocity above this is high. A minimum-jerk 60°
        /// rise in 0.75 s peaks at 150 °/s (§2.2, §5.2).
        peak_velocity_dps: f64 = 150.0, Dps, [1.0, 5000.0];
        /// A hold at the top shorter than this is "no squeeze" (§5.2).
        min_hold_s: f64 = 0.15, S, [0.0, 10.0];
        /// A forward swing before the kick deeper than this is a wind-up. The
        /// pre-swing of a thrown rep is 10–25° (§5.1); the loaded start of a
        /// controlled rep moves a few degrees at most.
        windup_deg: f64 = 8.0, Deg, [0.0, 90.0];
        /// A lowering shorter than this is a drop. §5.2 uses 0.8 s as
        /// "dropping the stack"; 0.6 keeps brisk controlled lowering clean.
        /// Counts only when the return peaked above half of `peak_velocity_dps`.
        min_eccentric_s: f64 = 0.6, S, [0.0, 10.0];
        /// Score added by a fast concentric.
        weight_fast_concentric: f64 = 0.6, Weight, [0.0, 10.0];
        /// Score added by a high peak velocity.
        weight_high_velocity: f64 = 0.6, Weight, [0.0, 10.0];
        /// Score added by no hold at the top.
        weight_no_hold: f64 = 0.5, Weight, [0.0, 10.0];
        /// Score added by a wind-up.
        weight_windup: f64 = 0.4, Weight, [0.0, 10.0];
        /// Score added by a fast drop (an eccentric faster than the concentric,
        /// or shorter than `min_eccentric_s`).
        weight_fast_drop: f64 = 0.4, Weight, [0.0, 10.0];
    }
    /// Lumbar overextension: the leg rose past what the hip can give.
    lumbar: LumbarSettings, "Lumbar overextension: the leg rose past what the hip can give (your own numbers go here)" {
        /// YOUR forward lean of the torso from vertical. The usual coaching cue
        /// is about 45° from the hips (§1.2); with the hip at neutral the thigh
        /// already sits this far behind vertical.
        torso_hinge_deg: f64 = 45.0, Deg, [0.0, 90.0];
        /// YOUR hip extension beyond neutral before the pelvis and lumbar spine
        /// take over. 20 is the upper end of adult norms (10–20°, §1.1).
        /// Lumbar overextension is flagged above `torso_hinge_deg` + this.
        hip_extension_limit_deg: f64 = 20.0, Deg, [0.0, 60.0];
    }
    /// Partial range.
    partial: PartialSettings, "Partial range" {
        /// A rep whose range is below this fraction of the set's median range
        /// is partial. Rep-to-rep amplitude varies by 5–8% (CV, §5.1), so 60%
        /// is far outside normal variation while catching half reps.
        fraction_of_median: f64 = 0.6, Fraction, [0.0, 1.0];
        /// Reps of the current set needed before the set's own median is the
        /// reference; until then the median of the recording's recent reps is
        /// used.
        min_reference_reps: usize = 3, Count, [1, 100];
    }
    /// Input handling: gaps and sensor fusion.
    input: InputSettings, "Input handling: gaps and sensor fusion" {
        /// A gap between samples longer than this is reported: three periods at
        /// the slowest common rate (12.5 Hz).
        gap_warn_s: f64 = 0.25, S, [0.01, 60.0];
        /// A gap longer than this splits the analysis instead of being bridged:
        /// a rep's concentric or hold can hide in a longer gap.
        gap_split_s: f64 = 1.0, S, [0.01, 600.0] at_least "input.gap_warn_s";
        /// Time constant with which the accelerometer corrects the gyroscope's
        /// estimate of gravity: long enough to ride through the kick's own
        /// accelerations, short enough to cancel a 3 °/s gyro bias to within a
        /// few degrees (§3.1).
        fusion_time_constant_s: f64 = 1.0, S, [0.05, 60.0];
    }
}

impl LumbarSettings {
    /// The elevation above which the lower back pays: hinge + hip limit.
    ///
    /// ```
    /// assert_eq!(kickback::LumbarSettings::default().limit_deg(), 65.0);
    /// ```
    pub fn limit_deg(&self) -> f64 {
        self.torso_hinge_deg + self.hip_extension_limit_deg
    }
}

/// The description of the setting `key` (`"section.name"`), if there is one.
///
/// ```
/// let s = kickback::settings::spec("reps.gait_impact_g").unwrap();
/// assert_eq!((s.min, s.max), (1.0, 16.0));
/// assert!(kickback::settings::spec("reps.nonsense").is_none());
/// ```
pub fn spec(key: &str) -> Option<&'static SettingSpec> {
    SPECS.iter().find(|s| s.key == key)
}

/// A setting that makes no sense.
///
/// ```
/// let mut s = kickback::Settings::default();
/// s.reps.gait_impact_g = -5.0;
/// let e = s.validate().unwrap_err();
/// assert_eq!(e.name, "reps.gait_impact_g");
/// assert_eq!(e.to_string(), "setting `reps.gait_impact_g` = -5 is out of range: between 1 and 16 g");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("setting `{name}` = {value} is out of range: {expected}")]
#[non_exhaustive]
pub struct SettingsError {
    /// Dotted name, as in `kickback.toml` (`lumbar.torso_hinge_deg`).
    pub name: &'static str,
    /// The value given.
    pub value: f64,
    /// What would be valid.
    pub expected: String,
}

impl Settings {
    /// Checks every value is finite, in its allowed range ([`SettingSpec`]),
    /// whole where it counts something, and not below a setting it must exceed.
    ///
    /// ```
    /// let mut s = kickback::Settings::default();
    /// s.validate().unwrap();
    /// s.input.gap_split_s = 0.1; // below input.gap_warn_s (0.25)
    /// assert_eq!(s.validate().unwrap_err().name, "input.gap_split_s");
    /// ```
    pub fn validate(&self) -> Result<(), SettingsError> {
        for spec in SPECS {
            let v = spec.value(self);
            let floor = spec
                .at_least
                .and_then(spec_value_of(self))
                .map_or(spec.min, |o| o.max(spec.min));
            let whole = !spec.integer || v.fract() == 0.0;
            if !(v.is_finite() && v >= floor && v <= spec.max && whole) {
                return Err(SettingsError {
                    name: spec.key,
                    value: v,
                    expected: spec.expected(),
                });
            }
        }
        Ok(())
    }
}

/// A function giving the value of a setting, by key, in `settings`.
fn spec_value_of(settings: &Settings) -> impl Fn(&str) -> Option<f64> + '_ {
    move |key| spec(key).map(|s| s.value(settings))
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
    fn the_declaration_matches_the_structs() {
        // Every field serialised is declared once, in order, with its default.
        let json = serde_json::to_value(Settings::default()).unwrap();
        let mut keys = Vec::new();
        for (section, fields) in json.as_object().unwrap() {
            for (name, v) in fields.as_object().unwrap() {
                let key = format!("{section}.{name}");
                let spec = spec(&key).unwrap_or_else(|| panic!("{key} is not declared"));
                assert_eq!(v.as_f64(), Some(spec.default), "{key}");
                keys.push(key);
            }
        }
        assert_eq!(keys.len(), SPECS.len());
        let sections: Vec<&str> = SECTIONS.iter().map(|s| s.0).collect();
        let mut in_order: Vec<&str> = SPECS.iter().map(|s| s.section).collect();
        in_order.dedup();
        assert_eq!(in_order, sections);
        for s in SPECS {
            assert!(s.min <= s.default && s.default <= s.max, "{}", s.key);
            assert!(s.reason_line().len() > 20, "{}", s.key);
            assert_eq!(s.key, format!("{}.{}", s.section, s.name));
        }
    }

    #[test]
    fn every_setting_is_checked_at_both_ends_and_for_nan() {
        for spec in SPECS {
            for bad in [f64::NAN, f64::INFINITY, spec.min - 1.0, spec.max + 1.0] {
                let mut s = Settings::default();
                spec.set(&mut s, bad);
                let e = s
                    .validate()
                    .expect_err(&format!("{} = {bad} accepted", spec.key));
                assert_eq!(e.name, spec.key);
            }
            // Both ends are allowed (where no other setting bounds them).
            let linked =
                spec.at_least.is_some() || SPECS.iter().any(|o| o.at_least == Some(spec.key));
            for ok in [spec.min, spec.max] {
                let mut s = Settings::default();
                spec.set(&mut s, ok);
                assert!(
                    linked || s.validate().is_ok(),
                    "{} = {ok} refused",
                    spec.key
                );
            }
        }
    }

    #[test]
    fn gait_impact_is_validated() {
        for bad in [f64::NAN, -5.0, 0.0] {
            let mut s = Settings::default();
            s.reps.gait_impact_g = bad;
            assert_eq!(
                s.validate().unwrap_err().name,
                "reps.gait_impact_g",
                "{bad}"
            );
        }
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
