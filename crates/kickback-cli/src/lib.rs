//! The `kickback` command's library: reading and analysing recordings
//! ([`input`]), rendering reports ([`output`]), batch checks ([`check`]),
//! plots ([`plot`]) and the settings file ([`config`]).
//!
//! The binary (`src/main.rs`) is a thin clap front end over these modules;
//! the benchmark in `benches/check.rs` calls [`check::run()`] directly.

pub mod atomic_write;
pub mod check;
pub mod columns;
pub mod config;
pub mod input;
pub mod output;
pub mod parquet;
pub mod plot;
pub mod settings_args;
