//! Runs the hostile-input corpus (tests/hostile/corpus.rs) and the large
//! cases of the readers under `/usr/bin/time -v` and prints one row per
//! case: exit status, wall time and peak memory (max RSS). Fails (exit 1)
//! when a case's exit status is not the expected one, when a zip or long
//! case peaks above 64 MB, or when a bomb takes 1 s or more.
//!
//! ```text
//! cargo build --release -p kickback-cli
//! cargo run --release -p kickback-cli --example hostile_corpus [-- --hours H]
//! ```
//!
//! The `kickback` binary is taken from `$KICKBACK_BIN`, else beside this
//! example (`target/release/kickback`). `--hours` (default 1) sets the
//! length of the long recordings: a generic CSV, the same as a zip, as a
//! Sensor Logger export folder and as a Physics Toolbox CSV.

#[path = "../tests/hostile/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("KICKBACK_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("own path");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    dir.join("kickback")
}

struct Row {
    name: String,
    exit: Option<i32>,
    want: i32,
    secs: f64,
    rss_mb: Option<f64>,
    ok: bool,
}

fn run(bin: &Path, dir: &Path, c: &corpus::Case) -> Row {
    let inner = c.command(bin);
    let mut cmd = if Path::new("/usr/bin/time").exists() {
        let mut t = Command::new("/usr/bin/time");
        t.arg("-v").arg(inner.get_program()).args(inner.get_args());
        t
    } else {
        inner
    };
    cmd.current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.stdin(match &c.stdin {
        Some(f) => Stdio::from(std::fs::File::open(f).expect("stdin file")),
        None => Stdio::null(),
    });
    let t0 = Instant::now();
    let out = cmd.output().expect("run kickback");
    let secs = t0.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rss_mb = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr);
    let exit = out.status.code();
    Row {
        name: c.name.clone(),
        exit,
        want: c.exit,
        secs,
        rss_mb,
        ok: exit == Some(c.exit) && all.contains(&c.fragment),
    }
}

fn main() {
    let mut hours = 1.0f64;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--hours") {
        hours = args
            .get(i + 1)
            .and_then(|h| h.parse().ok())
            .expect("--hours H");
    }
    let bin = binary();
    assert!(
        bin.exists(),
        "no kickback binary at {} (build it, or set KICKBACK_BIN)",
        bin.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cases = corpus::build(dir.path());

    // the long recordings: ~52 Hz rows
    let rows = (hours * 3600.0 * 52.0) as usize;
    let csv = corpus::generic_csv(rows);
    std::fs::write(dir.path().join("long.csv"), &csv).unwrap();
    corpus::zip_of(&dir.path().join("long.zip"), &[("long.csv", &csv)]);
    corpus::sensor_logger_export(&dir.path().join("long_export"), rows);
    std::fs::write(
        dir.path().join("long_physics_toolbox.csv"),
        corpus::physics_toolbox_csv(rows),
    )
    .unwrap();
    drop(csv);
    let long = |name: &str, path: &str| corpus::Case {
        name: format!("{name} ({hours} h)"),
        args: vec![
            "analyze".into(),
            path.into(),
            "--format".into(),
            "json".into(),
        ],
        stdin: None,
        exit: 0,
        fragment: "\"rep_count\"".into(),
        absent: None,
        skip: None,
        unprivileged: false,
    };
    cases.push(long("long generic CSV", "long.csv"));
    cases.push(long("long generic CSV in a zip", "long.zip"));
    cases.push(long("long Sensor Logger folder", "long_export"));
    cases.push(long("long Physics Toolbox CSV", "long_physics_toolbox.csv"));

    println!("| case | exit (expected) | time s | peak RSS MB |");
    println!("|---|---|---|---|");
    let mut bad = Vec::new();
    for c in &cases {
        if let Some(why) = &c.skip {
            println!("| {} | skipped: {why} | | |", c.name);
            continue;
        }
        let r = run(&bin, dir.path(), c);
        let rss = r
            .rss_mb
            .map(|m| format!("{m:.1}"))
            .unwrap_or_else(|| "n/a".into());
        println!(
            "| {} | {} ({}) | {:.2} | {} |",
            r.name,
            r.exit
                .map(|e| e.to_string())
                .unwrap_or_else(|| "signal".into()),
            r.want,
            r.secs,
            rss
        );
        let zip = r.name.contains("zip") || r.name.starts_with("long");
        if !r.ok {
            bad.push(format!("{}: wrong exit status or message", r.name));
        }
        if zip && r.rss_mb.is_some_and(|m| m > 64.0) {
            bad.push(format!("{}: peak RSS {rss} MB > 64 MB", r.name));
        }
        if r.name.contains("bomb") && r.secs >= 1.0 {
            bad.push(format!("{}: {:.2} s to refuse a bomb", r.name, r.secs));
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for p in ["locked.csv", "locked_dir"] {
            let _ = std::fs::set_permissions(
                dir.path().join(p),
                std::fs::Permissions::from_mode(0o755),
            );
        }
    }
    if !bad.is_empty() {
        eprintln!("hostile_corpus: {}", bad.join("\n"));
        std::process::exit(1);
    }
}
