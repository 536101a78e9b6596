//! Analysis settings from the command line and the settings file.
//!
//! Precedence: flags > the settings file (`--config FILE`, or `./kickback.toml`
//! when present) > the defaults.

use crate::config;
use anyhow::{Context, Result};
use clap::Args;
use kickback::Settings;
use std::path::PathBuf;

/// The user's own numbers (each overrides the settings file and the default).
#[derive(Debug, Clone, Default, Args)]
pub struct SettingsArgs {
    /// Settings file (TOML, see `kickback config --defaults`) [default:
    /// ./kickback.toml when it exists]. Flags override the file; the file
    /// overrides the defaults.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Forward lean of your torso from vertical, degrees [default: 45].
    #[arg(long, value_name = "DEG")]
    pub torso_hinge: Option<f64>,
    /// How far your hip extends beyond neutral before the lower back takes over,
    /// degrees [default: 20]. Lumbar overextension is flagged above torso hinge +
    /// this limit.
    #[arg(long, value_name = "DEG")]
    pub hip_extension_limit: Option<f64>,
    /// A rep below this fraction of the set's median range is partial [default: 0.6].
    #[arg(long, value_name = "FRACTION")]
    pub partial_fraction: Option<f64>,
    /// A pause longer than this between reps starts a new set, seconds [default: 8].
    #[arg(long, value_name = "S")]
    pub set_rest: Option<f64>,
    /// Any setting of the settings file, e.g. `--set reps.min_rise_deg=12`
    /// (repeatable; applied after the file, before the named flags above).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

impl SettingsArgs {
    /// Applies the flags on top of `base` and checks the result.
    pub fn apply(&self, mut base: Settings) -> Result<Settings> {
        for kv in &self.set {
            let (key, value) = kv.split_once('=').with_context(|| {
                format!("--set {kv}: expected KEY=VALUE, e.g. reps.min_rise_deg=12")
            })?;
            base = config::set_key(&base, key.trim(), value)?;
        }
        if let Some(v) = self.torso_hinge {
            base.lumbar.torso_hinge_deg = v;
        }
        if let Some(v) = self.hip_extension_limit {
            base.lumbar.hip_extension_limit_deg = v;
        }
        if let Some(v) = self.partial_fraction {
            base.partial.fraction_of_median = v;
        }
        if let Some(v) = self.set_rest {
            base.sets.rest_s = v;
        }
        base.validate()?;
        Ok(base)
    }

    /// The dotted settings these flags set.
    fn flag_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .set
            .iter()
            .filter_map(|kv| kv.split_once('=').map(|(k, _)| k.trim().to_string()))
            .collect();
        for (given, key) in [
            (self.torso_hinge.is_some(), "lumbar.torso_hinge_deg"),
            (
                self.hip_extension_limit.is_some(),
                "lumbar.hip_extension_limit_deg",
            ),
            (
                self.partial_fraction.is_some(),
                "partial.fraction_of_median",
            ),
            (self.set_rest.is_some(), "sets.rest_s"),
        ] {
            if given {
                keys.push(key.to_string());
            }
        }
        keys
    }

    /// The settings in force: the defaults, overridden by the settings file
    /// (`--config` or `./kickback.toml`), overridden by the flags; validated.
    /// Also returns where the file-level settings came from.
    pub fn resolve_with_source(&self) -> Result<(Settings, config::Source)> {
        let (base, source) = config::load(self.config.as_deref())?;
        match self.apply(base) {
            Ok(s) => Ok((s, source)),
            Err(e) => {
                // Say where an out-of-range value came from.
                let from = match (e.downcast_ref::<kickback::SettingsError>(), &source) {
                    (Some(se), config::Source::File(path))
                        if !self.flag_keys().iter().any(|k| k == se.name) =>
                    {
                        format!("in {}", path.display())
                    }
                    (Some(_), _) => "on the command line".to_string(),
                    (None, _) => return Err(e),
                };
                Err(e.context(format!("invalid settings {from}")))
            }
        }
    }

    /// [`SettingsArgs::resolve_with_source`] without the source.
    pub fn resolve(&self) -> Result<Settings> {
        Ok(self.resolve_with_source()?.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Command;

    /// The named flags' help states the engine's defaults (declared once in
    /// `kickback::settings`): (flag id, setting key).
    #[test]
    fn named_flags_state_the_declared_defaults() {
        let cmd = SettingsArgs::augment_args(Command::new("kickback"));
        for (id, key) in [
            ("torso_hinge", "lumbar.torso_hinge_deg"),
            ("hip_extension_limit", "lumbar.hip_extension_limit_deg"),
            ("partial_fraction", "partial.fraction_of_median"),
            ("set_rest", "sets.rest_s"),
        ] {
            let arg = cmd
                .get_arguments()
                .find(|a| a.get_id() == id)
                .unwrap_or_else(|| panic!("no flag {id}"));
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            let default = kickback::settings::spec(key).unwrap().default;
            assert!(
                help.contains(&format!("[default: {default}]")),
                "--{id}: `{help}` does not state the default of {key} ({default})"
            );
        }
    }
}
