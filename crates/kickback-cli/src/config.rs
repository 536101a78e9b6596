//! The settings file, `kickback.toml`: loading it (with errors that name the
//! file, line and key) and printing every setting with its unit and reason
//! (`kickback config --defaults`).
//!
//! Precedence: command-line flags > the settings file > the defaults. The
//! file is `--config PATH` when given, else `./kickback.toml` when present.
//!
//! ```
//! use kickback_cli::config;
//! let s = config::parse("[lumbar]\ntorso_hinge_deg = 30\n", "kickback.toml").unwrap();
//! assert_eq!(s.lumbar.torso_hinge_deg, 30.0);
//! assert_eq!(s.lumbar.hip_extension_limit_deg, 20.0); // the default
//! let e = config::parse("[lumbar]\ntorso_hinge = 30\n", "kickback.toml").unwrap_err();
//! assert!(e.to_string().starts_with("kickback.toml:2:1: unknown key `lumbar.torso_hinge`"), "{e}");
//! ```

use anyhow::{bail, Context, Result};
use kickback::Settings;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "kickback.toml";

/// One setting's documentation: dotted key, unit, and why the default is what it is.
#[derive(Debug, Clone, Copy)]
pub struct SettingDoc {
    /// `section.key`, as in `kickback.toml`.
    pub key: &'static str,
    /// Unit of the value ("deg", "s", "deg/s", "m", "g", "fraction", "weight", "count").
    pub unit: &'static str,
    /// What it does and why the default (from the engine's documentation).
    pub reason: &'static str,
}

/// The sections of `kickback.toml`, in order, with a one-line description.
pub const SECTIONS: &[(&str, &str)] = &[
    ("reps", "Rep detection"),
    ("sets", "Set grouping"),
    (
        "momentum",
        "Momentum (\"thrown, not driven\"): each feature adds its weight to a score; a rep is flagged at a score of 1.0",
    ),
    (
        "lumbar",
        "Lumbar overextension: the leg rose past what the hip can give (your own numbers go here)",
    ),
    ("partial", "Partial range"),
    ("input", "Input handling: gaps and sensor fusion"),
];

/// Every setting, in file order. A unit test checks that this table and
/// `Settings::default()` have exactly the same keys.
pub const SETTINGS: &[SettingDoc] = &[
    SettingDoc {
        key: "reps.min_rise_deg",
        unit: "deg",
        reason: "Smallest rise from the bottom that counts as a rep. A rep rises at least 10° and returns; postural sway and the stance leg's wobble stay under 5°.",
    },
    SettingDoc {
        key: "reps.return_fraction",
        unit: "fraction",
        reason: "A rep ends once the leg has come back down by this fraction of its rise. At 0.7 a \"double pump\" at the top (a dip of less than 70%) is one rep.",
    },
    SettingDoc {
        key: "reps.min_duration_s",
        unit: "s",
        reason: "Shortest rep, start to end. The fastest swing in the literature is ~0.3 s up and ~0.3 s down (BIOMECHANICS §5.1); the measured start and end leave out the slow ends near the bottom, so 0.4 s.",
    },
    SettingDoc {
        key: "reps.max_duration_s",
        unit: "s",
        reason: "Longest rep, start to end. ACSM tempos are 1–2 s up and down with a ~1 s squeeze; even a 6-0-4-0 tempo is 10 s (§2.1).",
    },
    SettingDoc {
        key: "reps.hold_band_deg",
        unit: "deg",
        reason: "Band around the peak that counts as holding at the top (§5.2 \"no squeeze\": dwell within 5° of the peak angle).",
    },
    SettingDoc {
        key: "reps.hold_velocity_dps",
        unit: "deg/s",
        reason: "Angular velocity below which the leg counts as held still at the top (§5.2: dwell with |ω| < 15 °/s near the peak).",
    },
    SettingDoc {
        key: "reps.min_pivot_radius_m",
        unit: "m",
        reason: "A rise whose pivot is closer than this to the sensor is a walking step, not a rep: in a kickback the shank turns about the hip, 0.7–0.9 m above the sensor (§4); in the stance phase of walking it turns about the ankle, 3–10 cm below it.",
    },
    SettingDoc {
        key: "reps.gait_forward_deg",
        unit: "deg",
        reason: "A rise that starts or ends this far in front of the rest pose, with a jolt along the shank (see gait_impact_g), is a step. At heel strike the shank is 15–25° in front of vertical.",
    },
    SettingDoc {
        key: "reps.gait_impact_g",
        unit: "g",
        reason: "Jolt along the shank above which a rise starting or ending in front of the rest pose is a step. Real heel strikes give 1.2–3.6 g (real walking and stairs); the weight stack touching down gives 0.3–1 g (§5.1).",
    },
    SettingDoc {
        key: "sets.rest_s",
        unit: "s",
        reason: "A pause longer than this between two reps starts a new set. Within a set the bottom pause is 0–0.5 s and even slow tempos leave under 3 s between reps; rests between sets are 30 s or more.",
    },
    SettingDoc {
        key: "momentum.max_concentric_s",
        unit: "s",
        reason: "A concentric (rise) shorter than this is fast. ACSM asks for 1–2 s; below ~0.66–0.79 s the cable goes slack at the top (§2.3, §5.2). Counts only when the rise peaked above half of peak_velocity_dps: a small partial rep is short because it is small.",
    },
    SettingDoc {
        key: "momentum.peak_velocity_dps",
        unit: "deg/s",
        reason: "Peak rising angular velocity above this is high. A minimum-jerk 60° rise in 0.75 s peaks at 150 °/s (§2.2, §5.2).",
    },
    SettingDoc {
        key: "momentum.min_hold_s",
        unit: "s",
        reason: "A hold at the top shorter than this is \"no squeeze\" (§5.2).",
    },
    SettingDoc {
        key: "momentum.windup_deg",
        unit: "deg",
        reason: "A forward swing before the kick deeper than this is a wind-up. The pre-swing of a thrown rep is 10–25° (§5.1); the loaded start of a controlled rep moves a few degrees at most.",
    },
    SettingDoc {
        key: "momentum.min_eccentric_s",
        unit: "s",
        reason: "A lowering shorter than this is a drop. §5.2 uses 0.8 s as \"dropping the stack\"; 0.6 keeps brisk controlled lowering clean. Counts only when the return peaked above half of peak_velocity_dps.",
    },
    SettingDoc {
        key: "momentum.weight_fast_concentric",
        unit: "weight",
        reason: "Score added by a fast concentric. One strong feature is not enough (a brisk but controlled rep can be fast); two together are.",
    },
    SettingDoc {
        key: "momentum.weight_high_velocity",
        unit: "weight",
        reason: "Score added by a high peak velocity.",
    },
    SettingDoc {
        key: "momentum.weight_no_hold",
        unit: "weight",
        reason: "Score added by no hold at the top.",
    },
    SettingDoc {
        key: "momentum.weight_windup",
        unit: "weight",
        reason: "Score added by a wind-up.",
    },
    SettingDoc {
        key: "momentum.weight_fast_drop",
        unit: "weight",
        reason: "Score added by a fast drop (a brisk eccentric faster than the concentric, or shorter than min_eccentric_s).",
    },
    SettingDoc {
        key: "lumbar.torso_hinge_deg",
        unit: "deg",
        reason: "YOUR forward lean of the torso from vertical. The usual coaching cue is about 45° from the hips (§1.2); with the hip at neutral the thigh already sits this far behind vertical.",
    },
    SettingDoc {
        key: "lumbar.hip_extension_limit_deg",
        unit: "deg",
        reason: "YOUR hip extension beyond neutral before the pelvis and lumbar spine take over. 20 is the upper end of adult norms (10–20°, §1.1). Lumbar overextension is flagged above torso_hinge_deg + this.",
    },
    SettingDoc {
        key: "partial.fraction_of_median",
        unit: "fraction",
        reason: "A rep whose range is below this fraction of the set's median range is partial. Rep-to-rep amplitude varies by 5–8% (§5.1), so 60% is far outside normal variation while catching half reps.",
    },
    SettingDoc {
        key: "partial.min_reference_reps",
        unit: "count",
        reason: "Reps of the current set needed before the set's own median is the reference; until then the median of the recording's recent reps is used.",
    },
    SettingDoc {
        key: "input.gap_warn_s",
        unit: "s",
        reason: "A gap between samples longer than this is reported: three periods at the slowest common rate (12.5 Hz).",
    },
    SettingDoc {
        key: "input.gap_split_s",
        unit: "s",
        reason: "A gap longer than this splits the analysis instead of being bridged: a rep's concentric or hold can hide in a longer gap.",
    },
    SettingDoc {
        key: "input.fusion_time_constant_s",
        unit: "s",
        reason: "Time constant with which the accelerometer corrects the gyroscope's estimate of gravity: long enough to ride through the kick's own accelerations, short enough to cancel a 3 °/s gyro bias to within a few degrees (§3.1).",
    },
];

/// Where the settings came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// No file: the defaults.
    Defaults,
    /// A settings file (given with `--config`, or found in the working directory).
    File(PathBuf),
}

/// The settings file to use: `explicit` when given (it must exist), else
/// `./kickback.toml` when it exists, else none.
pub fn locate(explicit: Option<&Path>) -> Result<Option<PathBuf>> {
    if let Some(p) = explicit {
        if !p.is_file() {
            bail!("settings file {}: no such file", p.display());
        }
        return Ok(Some(p.to_path_buf()));
    }
    let p = PathBuf::from(DEFAULT_FILE);
    Ok(p.is_file().then_some(p))
}

/// Loads the settings file `explicit` or `./kickback.toml` on top of the
/// defaults. Values are not validated here: flags may still override them.
pub fn load(explicit: Option<&Path>) -> Result<(Settings, Source)> {
    match locate(explicit)? {
        None => Ok((Settings::default(), Source::Defaults)),
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("settings file {}", path.display()))?;
            let settings = parse(&text, &path.display().to_string())?;
            Ok((settings, Source::File(path)))
        }
    }
}

/// Parses settings TOML. Missing keys keep their defaults; an unknown key,
/// a wrong type or a syntax error is an error naming `name`, the line and
/// column, and the dotted key.
pub fn parse(text: &str, name: &str) -> Result<Settings> {
    match toml::from_str::<Settings>(text) {
        Ok(s) => Ok(s),
        Err(e) => Err(anyhow::anyhow!(describe_toml_error(&e, text, name))),
    }
}

fn describe_toml_error(e: &toml::de::Error, text: &str, name: &str) -> String {
    let mut msg = e.message().trim().to_string();
    let Some(span) = e.span() else {
        return format!("{name}: {msg}");
    };
    let start = span.start.min(text.len());
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    // Name the key with its section: "unknown field `x`" → "unknown key `section.x`".
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        if let Some(end) = rest.find('`') {
            let key = &rest[..end];
            let tail = &rest[end + 1..];
            let dotted = match section_at(text, start) {
                Some(section) if !key.contains('.') => format!("{section}.{key}"),
                _ => key.to_string(),
            };
            msg = format!("unknown key `{dotted}`{tail}");
        }
    }
    format!("{name}:{line}:{column}: {msg}")
}

/// The `[section]` header in force at byte `pos` of `text`, if any.
fn section_at(text: &str, pos: usize) -> Option<String> {
    text[..pos.min(text.len())]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && !l.starts_with("[["))
        .and_then(|l| l.strip_prefix('['))
        .and_then(|l| l.split(']').next())
        .map(|s| s.trim().to_string())
}

/// The settings as a TOML table (`section` → `key` → value).
pub fn to_table(settings: &Settings) -> Result<toml::Table> {
    let value = toml::Table::try_from(settings).context("serializing the settings")?;
    Ok(value)
}

/// The value of one dotted setting in a table built by [`to_table`].
pub fn lookup<'a>(table: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let (section, field) = key.split_once('.')?;
    table.get(section)?.as_table()?.get(field)
}

/// A commented `kickback.toml` holding every setting of `settings`, each with
/// its unit and the reason for its default. `header` lines are printed first
/// as comments.
pub fn commented_toml(settings: &Settings, header: &[String]) -> Result<String> {
    let table = to_table(settings)?;
    let defaults = to_table(&Settings::default())?;
    let mut out = String::new();
    for h in header {
        let _ = writeln!(out, "# {h}");
    }
    for (section, description) in SECTIONS {
        let _ = writeln!(out, "\n# {description}.\n[{section}]");
        for doc in SETTINGS
            .iter()
            .filter(|d| d.key.split('.').next() == Some(section))
        {
            let value = lookup(&table, doc.key)
                .with_context(|| format!("setting `{}` missing from the settings", doc.key))?;
            let field = &doc.key[section.len() + 1..];
            let _ = writeln!(out);
            for line in wrap(doc.reason, 76) {
                let _ = writeln!(out, "# {line}");
            }
            let default = lookup(&defaults, doc.key);
            let unit = format!("unit: {}", doc.unit);
            match default {
                Some(d) if d != value => {
                    let _ = writeln!(out, "# {unit}; default: {d}");
                }
                _ => {
                    let _ = writeln!(out, "# {unit}");
                }
            }
            let _ = writeln!(out, "{field} = {value}");
        }
    }
    Ok(out)
}

/// Splits `text` into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Every dotted key of the settings, in file order.
pub fn keys() -> impl Iterator<Item = &'static str> {
    SETTINGS.iter().map(|d| d.key)
}

/// Sets one dotted key to `value` (TOML syntax, e.g. `40` or `0.5`),
/// checking the key exists and the value has the right type.
pub fn set_key(settings: &Settings, key: &str, value: &str) -> Result<Settings> {
    let Some(doc) = SETTINGS.iter().find(|d| d.key == key) else {
        bail!(
            "unknown setting `{key}`; settings are: {}",
            keys().collect::<Vec<_>>().join(", ")
        );
    };
    let (section, field) = doc.key.split_once('.').unwrap_or((doc.key, ""));
    let parsed: toml::Value = format!("v = {}", value.trim())
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .with_context(|| format!("setting `{key}`: `{value}` is not a number"))?;
    let mut table = to_table(settings)?;
    let slot = table
        .get_mut(section)
        .and_then(|s| s.as_table_mut())
        .and_then(|s| s.get_mut(field))
        .with_context(|| format!("setting `{key}` missing from the settings"))?;
    // Integers are accepted for float settings (`--set lumbar.torso_hinge_deg=40`).
    *slot = match (&*slot, parsed) {
        (toml::Value::Float(_), toml::Value::Integer(i)) => toml::Value::Float(i as f64),
        (_, v) => v,
    };
    table
        .try_into::<Settings>()
        .map_err(|e| anyhow::anyhow!("setting `{key}` = {value}: {}", e.message().trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_setting_is_documented_and_nothing_else() {
        let table = to_table(&Settings::default()).unwrap();
        let mut fields = BTreeSet::new();
        for (section, v) in &table {
            let inner = v.as_table().expect("every top-level setting is a section");
            for key in inner.keys() {
                fields.insert(format!("{section}.{key}"));
            }
        }
        let documented: BTreeSet<String> = keys().map(String::from).collect();
        assert_eq!(
            documented.len(),
            SETTINGS.len(),
            "a key is documented twice"
        );
        assert_eq!(fields, documented);
        let sections: BTreeSet<&str> = SECTIONS.iter().map(|s| s.0).collect();
        let found: BTreeSet<&str> = table.keys().map(|s| s.as_str()).collect();
        assert_eq!(sections, found);
        for d in SETTINGS {
            assert!(!d.unit.is_empty() && d.reason.len() > 20, "{}", d.key);
        }
    }

    #[test]
    fn defaults_file_round_trips() {
        let text = commented_toml(&Settings::default(), &["header".into()]).unwrap();
        assert!(text.starts_with("# header\n"));
        assert!(
            text.contains("# unit: deg\ntorso_hinge_deg = 45.0\n"),
            "{text}"
        );
        assert_eq!(parse(&text, "defaults").unwrap(), Settings::default());
    }

    #[test]
    fn changed_values_show_their_default() {
        let mut s = Settings::default();
        s.lumbar.torso_hinge_deg = 30.0;
        let text = commented_toml(&s, &[]).unwrap();
        assert!(
            text.contains("# unit: deg; default: 45.0\ntorso_hinge_deg = 30.0\n"),
            "{text}"
        );
        assert_eq!(parse(&text, "x").unwrap(), s);
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = parse(
            "# mine\n[momentum]\nmin_hold_s = 0.2\nhold = 1\n",
            "my.toml",
        )
        .unwrap_err();
        let m = e.to_string();
        assert!(
            m.starts_with("my.toml:4:1: unknown key `momentum.hold`"),
            "{m}"
        );
        let e = parse("[lumbars]\n", "my.toml").unwrap_err().to_string();
        assert!(e.starts_with("my.toml:1:") && e.contains("lumbars"), "{e}");
        let e = parse("[lumbar]\ntorso_hinge_deg = \"x\"\n", "my.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("my.toml:2:"), "{e}");
        let e = parse("[lumbar\n", "my.toml").unwrap_err().to_string();
        assert!(e.starts_with("my.toml:1:"), "{e}");
    }

    #[test]
    fn integers_are_accepted_for_floats() {
        let s = parse("[lumbar]\ntorso_hinge_deg = 30\n", "x").unwrap();
        assert_eq!(s.lumbar.torso_hinge_deg, 30.0);
    }

    #[test]
    fn set_key_checks_key_and_type() {
        let s = set_key(&Settings::default(), "reps.min_rise_deg", "12").unwrap();
        assert_eq!(s.reps.min_rise_deg, 12.0);
        let s = set_key(&s, "partial.min_reference_reps", "5").unwrap();
        assert_eq!(s.partial.min_reference_reps, 5);
        assert_eq!(s.reps.min_rise_deg, 12.0);
        let e = set_key(&s, "reps.min_rise", "12").unwrap_err().to_string();
        assert!(e.contains("unknown setting `reps.min_rise`"), "{e}");
        assert!(set_key(&s, "reps.min_rise_deg", "abc").is_err());
        assert!(set_key(&s, "partial.min_reference_reps", "2.5").is_err());
    }
}
