//! The settings file, `kickback.toml`: loading it (with errors that name the
//! file, line and key) and printing every setting with its unit, allowed
//! range and reason (`kickback config --defaults`), all from the engine's
//! one declaration of the settings ([`kickback::settings::SPECS`]); the
//! README's settings table is [`markdown_table`], and a test keeps them equal.
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
use kickback::settings::{SECTIONS, SPECS};
use kickback::Settings;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "kickback.toml";

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
        for spec in SPECS.iter().filter(|d| d.section == *section) {
            let value = lookup(&table, spec.key)
                .with_context(|| format!("setting `{}` missing from the settings", spec.key))?;
            let _ = writeln!(out);
            for line in wrap(&spec.reason_line(), 76) {
                let _ = writeln!(out, "# {line}");
            }
            let default = lookup(&defaults, spec.key);
            let _ = writeln!(out, "# allowed: {}", spec.expected());
            let unit = format!("unit: {}", spec.unit.as_str());
            match default {
                Some(d) if d != value => {
                    let _ = writeln!(out, "# {unit}; default: {d}");
                }
                _ => {
                    let _ = writeln!(out, "# {unit}");
                }
            }
            let _ = writeln!(out, "{} = {value}", spec.name);
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
    SPECS.iter().map(|d| d.key)
}

/// The README's settings table (Markdown): every setting with its default,
/// allowed range and reason.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| setting | default | allowed | reason |\n| --- | --- | --- | --- |\n");
    for spec in SPECS {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            spec.key,
            spec.unit.format(spec.default),
            spec.expected(),
            spec.reason_line().replace('|', "\\|")
        );
    }
    out
}

/// Sets one dotted key to `value` (TOML syntax, e.g. `40` or `0.5`),
/// checking the key exists and the value has the right type.
pub fn set_key(settings: &Settings, key: &str, value: &str) -> Result<Settings> {
    let Some(spec) = kickback::settings::spec(key) else {
        bail!(
            "unknown setting `{key}`; settings are: {}",
            keys().collect::<Vec<_>>().join(", ")
        );
    };
    let (section, field) = (spec.section, spec.name);
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
        assert_eq!(documented.len(), SPECS.len(), "a key is declared twice");
        assert_eq!(fields, documented);
        let sections: BTreeSet<&str> = SECTIONS.iter().map(|s| s.0).collect();
        let found: BTreeSet<&str> = table.keys().map(|s| s.as_str()).collect();
        assert_eq!(sections, found);
    }

    #[test]
    fn defaults_file_round_trips() {
        let text = commented_toml(&Settings::default(), &["header".into()]).unwrap();
        assert!(text.starts_with("# header\n"));
        assert!(
            text.contains("# allowed: between 0 and 90 deg\n# unit: deg\ntorso_hinge_deg = 45.0\n"),
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

    /// The README's settings table is [`markdown_table`]. With
    /// `KICKBACK_BLESS_README=1` the test rewrites it instead.
    #[test]
    fn the_readme_settings_table_is_generated_from_the_declaration() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
        let readme = std::fs::read_to_string(&path).expect("README.md");
        let (start, end) = (
            "<!-- settings-table:start -->\n",
            "<!-- settings-table:end -->",
        );
        let a = readme.find(start).expect("the README has the start marker") + start.len();
        let b = readme.find(end).expect("the README has the end marker");
        let fresh = markdown_table();
        if std::env::var_os("KICKBACK_BLESS_README").is_some() {
            let text = format!("{}{fresh}{}", &readme[..a], &readme[b..]);
            std::fs::write(&path, text).expect("writing README.md");
            return;
        }
        assert!(
            readme[a..b] == fresh,
            "README.md's settings table is out of date; regenerate it with \
             KICKBACK_BLESS_README=1 cargo test -p kickback-cli --lib config"
        );
    }
}
