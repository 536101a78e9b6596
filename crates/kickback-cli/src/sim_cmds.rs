//! `kickback simulate` and `kickback evaluate`: labelled recordings from the
//! simulator, and the analyzer's accuracy on them.

use crate::atomic_write::{self, Inputs};
use crate::input::{self, InputArgs};
use crate::settings_args::SettingsArgs;
use anyhow::{bail, Context, Result};
use clap::Args;
use kickback::Settings;
use kickback_formats::write::{export, Layout, WriteInfo};
use kickback_sim::{eval, Scenario, SimOptions, Truth};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Arguments of `kickback simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Folder to write the recordings and their `.truth.json` files into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// How many recordings.
    #[arg(long, default_value_t = 10)]
    pub count: usize,
    /// Seed of the first recording (recording i uses seed + i).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Scenario: clean, mixed, walking, no_gyro, low_rate, variations, all, or back_to_back.
    #[arg(long, default_value = "all")]
    pub scenario: String,
    /// Export layout to write: generic, sensor-logger-ios, sensor-logger-android,
    /// phyphox, physics-toolbox, physics-toolbox-semicolon, metawear, shimmer,
    /// sensorlog, axivity, coremotion.
    #[arg(long, default_value = "generic")]
    pub format: String,
    /// Short recordings (2 sets, short rests), as in testdata/.
    #[arg(long)]
    pub compact: bool,
}

/// Arguments of `kickback evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// Folder of recordings, each with a `<name>.truth.json` beside it.
    pub dir: PathBuf,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

pub fn simulate(args: &SimulateArgs) -> Result<()> {
    let scenario: Scenario = args.scenario.parse()?;
    let Some(layout) = Layout::from_name(&args.format) else {
        let names: Vec<&str> = Layout::ALL.iter().map(|l| l.name()).collect();
        bail!(
            "unknown --format {:?}; expected one of: {}",
            args.format,
            names.join(", ")
        );
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let opts = if args.compact {
        SimOptions::compact()
    } else {
        SimOptions::default()
    };
    // simulate reads nothing: no output can be an input
    let inputs = Inputs::new();
    let mut folders = HashSet::new();
    let mut write = |rel: &Path, bytes: &[u8]| -> Result<()> {
        let path = args.out.join(rel);
        let dir = atomic_write::parent_dir(&path).to_path_buf();
        if folders.insert(dir.clone()) {
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            atomic_write::remove_stale_temps(&dir);
        }
        atomic_write::write_atomic(&path, bytes, &inputs)
    };
    for i in 0..args.count {
        let seed = args.seed.wrapping_add(i as u64);
        let rec = kickback_sim::generate_with(scenario, seed, &opts);
        let name = format!("{}_{:04}", rec.truth.scenario, i);
        if layout == Layout::Generic {
            write(Path::new(&format!("{name}.csv")), rec.to_csv().as_bytes())?;
        } else {
            for f in export(layout, &name, &rec.samples, &WriteInfo::default()).files {
                write(&f.path, &f.contents)
                    .with_context(|| format!("writing {name} as {}", layout.name()))?;
            }
        }
        write(
            Path::new(&format!("{name}.truth.json")),
            rec.truth_json().as_bytes(),
        )?;
    }
    eprintln!(
        "wrote {} recording{} (scenario {}, {} layout) with truth files to {}",
        args.count,
        if args.count == 1 { "" } else { "s" },
        args.scenario,
        layout.name(),
        args.out.display()
    );
    Ok(())
}

/// The settings a recording is analysed with: the user's flags, then the
/// simulated person's own torso hinge and hip limit from the truth file (as
/// that person would pass them with --torso-hinge / --hip-extension-limit).
fn settings_for(base: &Settings, truth: &Truth) -> Settings {
    let mut s = base.clone();
    s.lumbar.torso_hinge_deg = truth.settings.torso_hinge_deg;
    s.lumbar.hip_extension_limit_deg = truth.settings.hip_extension_limit_deg;
    s
}

/// What `kickback evaluate` prints, and whether every recording could be
/// read and analysed.
pub struct Evaluation {
    /// The report, as text or JSON.
    pub text: String,
    /// Recordings that failed to load or analyse.
    pub failures: usize,
}

pub fn evaluate(args: &EvaluateArgs, base: &Settings) -> Result<Evaluation> {
    let opts = args.input.read_options()?;
    // One pass over the truth files: simulated truth (analysed with the
    // simulated person's settings) and labelled truth.
    let eval::FolderReport {
        simulated: sim,
        labelled,
        ..
    } = eval::evaluate_folder(
        &args.dir,
        |path: &Path, truth: &Truth| {
            let mut o = opts.clone();
            if o.rate_hz.is_none() {
                o.rate_hz = Some(truth.sample_rate_hz);
            }
            input::analyze_path(path, &o, &settings_for(base, truth))
                .map(|r| r.analysis.reps)
                .map_err(|e| format!("{e:#}"))
        },
        |path: &Path| {
            input::analyze_path(path, &opts, base)
                .map(|r| r.analysis.reps)
                .map_err(|e| format!("{e:#}"))
        },
    )?;
    let has_sim = !(sim.recordings.is_empty() && sim.failures.is_empty());
    let has_labelled = !(labelled.recordings.is_empty() && labelled.failures.is_empty());
    if !has_sim && !has_labelled {
        bail!(
            "no `*.truth.json` files in {} or its subfolders; each recording needs one beside it \
             (at least {{\"rep_count\": N}}, see the README, 'Evaluate on your own recordings')",
            args.dir.display()
        );
    }
    let failures = sim.failures.len() + labelled.failures.len();
    let text = if args.json {
        // The simulated corpus's figures at the top level (as before labelled
        // recordings were read), the labelled ones under "labelled".
        let mut v = match serde_json::to_value(&sim)? {
            serde_json::Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        if has_labelled {
            v.insert("labelled".into(), serde_json::to_value(&labelled)?);
        }
        serde_json::to_string_pretty(&v)? + "\n"
    } else {
        let mut t = String::new();
        if has_sim {
            t += &sim.to_string();
        }
        if has_labelled {
            if has_sim {
                t += "\n";
            }
            t += &labelled.to_string();
        }
        t
    };
    Ok(Evaluation { text, failures })
}
