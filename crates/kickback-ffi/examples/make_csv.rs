//! Writes a long simulated recording in the generic CSV layout
//! (`time_s,ax,ay,az,gx,gy,gz`, SI units), for the benchmarks and
//! `bench/compare.py`:
//!
//! ```text
//! cargo run --release -p kickback-ffi --example make_csv -- OUT.csv [SECONDS] [SEED]
//! ```
//!
//! SECONDS defaults to 3600 (one hour at 100 Hz, about 24 MB).

#[path = "../support/long_stream.rs"]
mod long_stream;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), true) = (args.first(), args.len() <= 3) else {
        eprintln!("usage: make_csv OUT.csv [SECONDS (3600)] [SEED (1)]");
        return ExitCode::from(1);
    };
    let seconds: f64 = match args.get(1).map(|s| s.parse()).unwrap_or(Ok(3600.0)) {
        Ok(s) if s > 0.0 && f64::is_finite(s) => s,
        _ => {
            eprintln!("make_csv: SECONDS must be a positive number");
            return ExitCode::from(1);
        }
    };
    let Ok(seed) = args.get(2).map(|s| s.parse()).unwrap_or(Ok(1u64)) else {
        eprintln!("make_csv: SEED must be an unsigned integer");
        return ExitCode::from(1);
    };
    let pool = long_stream::pool(seed, 4);
    let result = std::fs::File::create(path)
        .and_then(|f| long_stream::write_csv(f, long_stream::LongStream::new(&pool, seconds)));
    match result {
        Ok(bytes) => {
            eprintln!("make_csv: wrote {path}: {seconds} s, {bytes} bytes");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("make_csv: {path}: {e}");
            ExitCode::from(1)
        }
    }
}
