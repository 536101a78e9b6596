//! `kickback`: count cable glute kickback reps from an ankle IMU recording and
//! flag momentum swinging, lumbar overextension and partial reps.

use kickback_cli::{atomic_write, check, config, input, output, plot, settings_args};
mod sim_cmds;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use input::InputArgs;
use settings_args::SettingsArgs;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "kickback", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Analyse one recording: reps, sets, per-rep metrics and faults.
    ///
    /// PATH is a CSV file, an app's export folder or its zip, as the app wrote
    /// it. Exits 0 when the analysis ran (whatever it found), 2 when the input
    /// could not be read.
    Analyze {
        /// The recording.
        path: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        settings: SettingsArgs,
    },
    /// List the input formats that can be read.
    Formats,
    /// Write simulated recordings with ground truth (`<name>.truth.json`).
    Simulate(sim_cmds::SimulateArgs),
    /// Analyse every simulated recording in a folder and score it against its
    /// truth: rep counts, rep matching, and precision/recall/F1 per fault.
    Evaluate(sim_cmds::EvaluateArgs),
    /// Check many recordings at once: a summary table (or JSON / CSV) with
    /// reps, sets, faults and a verdict per recording, then totals.
    ///
    /// PATHs are recordings (CSV files, app export folders, zips), folders
    /// searched recursively for recordings, or quoted globs. Recordings run
    /// in parallel; one that cannot be read is listed with its error and the
    /// batch goes on. A progress bar is shown when stderr is a terminal.
    #[command(after_help = check::EXIT_CODES)]
    Check(Box<check::CheckArgs>),
    /// Plot one recording as SVG or PNG: the leg's elevation over time, reps
    /// shaded and numbered, faults in words, the lumbar limit and the sets.
    Plot {
        /// The recording.
        path: PathBuf,
        /// The file to write: FILE.svg or FILE.png (never one of the inputs).
        #[arg(long, short = 'o', value_name = "FILE.svg|FILE.png")]
        output: PathBuf,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        settings: SettingsArgs,
    },
    /// Print the settings as a commented kickback.toml: every threshold with
    /// its unit and the reason for its default.
    ///
    /// With --defaults, the built-in defaults; otherwise the settings in force
    /// here (defaults < settings file < flags). Save the output as
    /// ./kickback.toml (or pass it with --config) and edit your own numbers.
    Config {
        /// Print the built-in defaults, ignoring any settings file and flags.
        #[arg(long)]
        defaults: bool,
        #[command(flatten)]
        settings: SettingsArgs,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// A table for people.
    Table,
    /// The JSON report (the stable contract in the README).
    Json,
    /// One CSV row per rep.
    Csv,
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Analyze {
            path,
            format,
            input,
            settings,
        } => {
            let settings = settings.resolve()?;
            let report = input::analyze_path_with(
                &path,
                &input.read_options()?,
                &settings,
                input::Pipeline::auto(),
            )?;
            let text = match format {
                OutputFormat::Table => output::table(&report),
                OutputFormat::Json => output::json(&report)?,
                OutputFormat::Csv => output::csv(&report)?,
            };
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Simulate(args) => {
            sim_cmds::simulate(&args)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Evaluate(args) => {
            let base = args.settings.resolve()?;
            let ev = sim_cmds::evaluate(&args, &base)?;
            std::io::stdout().lock().write_all(ev.text.as_bytes())?;
            if ev.failures > 0 {
                eprintln!(
                    "kickback: {} recording{} could not be read or analysed (listed above)",
                    ev.failures,
                    if ev.failures == 1 { "" } else { "s" }
                );
                return Ok(ExitCode::from(2));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Formats => {
            let mut out = String::new();
            for f in kickback_formats::formats() {
                out += &format!("{:<18} {}\n", f.name, f.description);
            }
            std::io::stdout().lock().write_all(out.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(args) => Ok(ExitCode::from(check::execute(&args)?)),
        Command::Plot {
            path,
            output,
            input,
            settings,
        } => {
            let format = plot::PlotFormat::of_path(&output)?;
            let mut inputs = atomic_write::Inputs::new();
            inputs.add(&path);
            // Refused before the work, and again with every file the reader used.
            inputs.refuse(&output)?;
            let settings = settings.resolve()?;
            let (report, trace) = plot::trace_path(&path, &input.read_options()?, &settings)?;
            for f in &report.input.files {
                inputs.add(std::path::Path::new(f));
            }
            let title = path.display().to_string();
            let bytes = plot::render(&title, &trace, &report, &settings, format)?;
            atomic_write::remove_stale_temps(atomic_write::parent_dir(&output));
            atomic_write::write_atomic(&output, &bytes, &inputs)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Config { defaults, settings } => {
            let (values, header) = if defaults {
                let header = vec![
                    "kickback.toml: the built-in defaults. Save as ./kickback.toml (or pass"
                        .to_string(),
                    "with --config FILE) and change what you need; keys left out keep their"
                        .to_string(),
                    "defaults. Command-line flags override this file.".to_string(),
                ];
                (kickback::Settings::default(), header)
            } else {
                let (values, source) = settings.resolve_with_source()?;
                let from = match source {
                    config::Source::Defaults => "the defaults".to_string(),
                    config::Source::File(p) => {
                        format!("the defaults, overridden by {}", p.display())
                    }
                };
                (
                    values,
                    vec![format!(
                        "kickback.toml: the settings in force: {from}, overridden by flags."
                    )],
                )
            };
            let text = config::commented_toml(&values, &header)?;
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kickback: error: {}", output::printable(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}
