//! The hostile-input corpus: each case is a command line over a committed
//! small file (testdata/hostile, written by its make_small.py) or an input
//! generated here because it is large or special (bombs, huge lines, FIFOs,
//! symlink loops, unreadable files), with the exit status and a fragment of
//! the message expected. Shared by `tests/hostile.rs` (run by `cargo test`)
//! and `examples/hostile_corpus.rs` (time and peak memory of each case).
#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One command over one hostile input.
pub struct Case {
    pub name: String,
    /// Arguments of `kickback` (run in the corpus folder).
    pub args: Vec<String>,
    /// A file fed to standard input.
    pub stdin: Option<PathBuf>,
    pub exit: i32,
    /// Must appear in stdout or stderr.
    pub fragment: String,
    /// Must not appear (e.g. a message printed twice).
    pub absent: Option<String>,
    /// Why the case cannot run here.
    pub skip: Option<String>,
    /// Run as user `nobody` (through `setpriv`): root reads any file, so
    /// the unreadable-file cases need another user.
    pub unprivileged: bool,
}

impl Case {
    /// The command that runs this case with `bin`.
    pub fn command(&self, bin: &Path) -> std::process::Command {
        let mut c = if self.unprivileged {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(bin);
            c
        } else {
            std::process::Command::new(bin)
        };
        c.args(&self.args);
        c
    }
}

fn case(name: &str, args: &[&str], exit: i32, fragment: &str) -> Case {
    Case {
        name: name.to_string(),
        args: args.iter().map(|s| s.to_string()).collect(),
        stdin: None,
        exit,
        fragment: fragment.to_string(),
        absent: None,
        skip: None,
        unprivileged: false,
    }
}

/// The repository's testdata folder.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// The committed small files: (file, exit status of `analyze`, fragment).
pub const SMALL: &[(&str, i32, &str)] = &[
    ("empty.csv", 2, "the file is empty"),
    ("garbage_text.csv", 2, "no accelerometer columns found"),
    ("garbage_binary.csv", 2, "binary file"),
    ("nan_inf.csv", 0, "missing (NaN/empty/null) required value"),
    ("all_nan.csv", 2, "needs at least 2 samples, found 0 (300 rows with a missing"),
    ("clock_backwards.csv", 2, "clock_backwards.csv:152: time goes backwards by"),
    ("lone_bad_timestamps.csv", 0, "dropped 2 lone samples whose time jumped away and back (first at line 102)"),
    ("utf16le_bom.csv", 0, "\"rep_count\""),
    ("utf16be_bom.csv", 0, "\"rep_count\""),
    ("utf16le_no_bom.csv", 2, "UTF-16 text without a byte-order mark"),
    ("utf8_bom.csv", 0, "\"rep_count\""),
    ("crlf.csv", 0, "\"rep_count\""),
    ("cr_only.csv", 0, "\"rep_count\""),
    ("quoted.csv", 0, "\"rep_count\""),
    ("decimal_comma_comma.csv", 2, "decimal_comma_comma.csv:2: this row has 14 fields but the header names 7 columns (delimiter ',', decimal mark '.'); the numbers seem to use a decimal comma"),
    ("decimal_comma_semicolon.csv", 0, "\"rep_count\""),
    ("gyro_degs_under_rads.csv", 2, "the values look like deg/s; pass --gyro-unit deg/s"),
    ("g_under_phyphox_ms2.csv", 2, "the values look like g; pass --accel-unit g"),
    ("ms_under_time_s.csv", 2, "needs at least 12.5 Hz"),
    ("Linear Accelerometer.csv", 2, "linear acceleration (gravity removed), no recording on its own"),
    ("values_1e308.csv", 2, "300 rows with values beyond any sensor's range"),
    ("one_timestamp.csv", 2, "needs at least 2 samples, found 1 (299 rows on a timestamp already seen"),
    ("one_hz.csv", 2, "the samples are 1.000 s apart (median), 1.000 Hz; the analysis needs at least 12.5 Hz"),
    ("times_1e300.csv", 2, "rows with values beyond any sensor's range"),
    ("control_bytes_header.csv", 2, "\\x1b[2J\\x07evil"),
];

fn write(p: &Path, bytes: &[u8]) {
    if let Some(d) = p.parent() {
        fs::create_dir_all(d).unwrap();
    }
    fs::write(p, bytes).unwrap();
}

/// The sample recording's rows (without header), repeated to `rows` rows
/// with times continued.
pub fn sample_rows(rows: usize) -> Vec<[f64; 7]> {
    let text = fs::read_to_string(testdata().join("sample.csv")).unwrap();
    let base: Vec<[f64; 7]> = text
        .lines()
        .skip(1)
        .map(|l| {
            let v: Vec<f64> = l.split(',').map(|x| x.parse().unwrap()).collect();
            [v[0], v[1], v[2], v[3], v[4], v[5], v[6]]
        })
        .collect();
    let span = base[base.len() - 1][0] - base[0][0] + 0.02;
    (0..rows)
        .map(|i| {
            let mut r = base[i % base.len()];
            r[0] += span * (i / base.len()) as f64;
            r
        })
        .collect()
}

/// A generic CSV of `rows` sample rows.
pub fn generic_csv(rows: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 64);
    out.extend_from_slice(b"time_s,ax,ay,az,gx,gy,gz\n");
    for r in sample_rows(rows) {
        writeln!(
            out,
            "{:.6},{:.5},{:.5},{:.5},{:.6},{:.6},{:.6}",
            r[0], r[1], r[2], r[3], r[4], r[5], r[6]
        )
        .unwrap();
    }
    out
}

/// A Physics Toolbox Sensor Suite CSV (g-force and rad/s, sample-and-hold
/// rows) of `rows` sample rows.
pub fn physics_toolbox_csv(rows: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 80);
    out.extend_from_slice(b"\ntime,gFx,gFy,gFz,wx,wy,wz,\n");
    let g = 9.80665;
    for r in sample_rows(rows) {
        writeln!(
            out,
            "{:.6},{:.5},{:.5},{:.5},{:.6},{:.6},{:.6},",
            r[0],
            r[1] / g,
            r[2] / g,
            r[3] / g,
            r[4],
            r[5],
            r[6]
        )
        .unwrap();
    }
    out
}

/// A phyphox accelerometer (with g) CSV of `rows` sample rows.
pub fn phyphox_csv(rows: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 64);
    out.extend_from_slice(b"\"Time (s)\",\"X (m/s^2)\",\"Y (m/s^2)\",\"Z (m/s^2)\"\n");
    for r in sample_rows(rows) {
        writeln!(out, "{:.6},{:.5},{:.5},{:.5}", r[0], r[1], r[2], r[3]).unwrap();
    }
    out
}

/// A Sensor Logger (Android) export folder of `rows` rows per sensor.
pub fn sensor_logger_export(dir: &Path, rows: usize) {
    fs::create_dir_all(dir).unwrap();
    write(
        &dir.join("Metadata.csv"),
        b"version,device name,recording time,platform\n3,Pixel,2024-01-01,android\n",
    );
    write(&dir.join("Annotation.csv"), b"time,seconds_elapsed,text\n");
    let mut acc = Vec::with_capacity(rows * 80);
    let mut gyr = Vec::with_capacity(rows * 80);
    acc.extend_from_slice(b"time,seconds_elapsed,z,y,x\n");
    gyr.extend_from_slice(b"time,seconds_elapsed,z,y,x\n");
    for r in sample_rows(rows) {
        let ns = (1.7e18 + r[0] * 1e9) as u64;
        writeln!(acc, "{ns},{:.6},{:.5},{:.5},{:.5}", r[0], r[3], r[2], r[1]).unwrap();
        writeln!(gyr, "{ns},{:.6},{:.6},{:.6},{:.6}", r[0], r[6], r[5], r[4]).unwrap();
    }
    write(&dir.join("TotalAcceleration.csv"), &acc);
    write(&dir.join("Gyroscope.csv"), &gyr);
}

/// A zip with the given (name, bytes) entries, deflated.
pub fn zip_of(path: &Path, entries: &[(&str, &[u8])]) {
    let f = fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, bytes) in entries {
        z.start_file(*name, o).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

/// A zip bomb: an entry of `bytes` zeros (deflates about 1,000 to 1).
pub fn zip_bomb(path: &Path, bytes: usize) {
    let f = fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file("data.csv", o).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..bytes >> 20 {
        z.write_all(&zeros).unwrap();
    }
    z.finish().unwrap();
}

/// A zip bomb that lies: an entry of `bytes` zeros whose headers declare
/// 1,000 bytes (so that no ratio gives it away before inflating).
pub fn lying_zip_bomb(path: &Path, bytes: usize) {
    let f = fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("data.csv", o).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..bytes >> 20 {
        z.write_all(&zeros).unwrap();
    }
    z.finish().unwrap();
    let mut b = fs::read(path).unwrap();
    let declared = 1000u32.to_le_bytes();
    for (sig, at) in [
        ([0x50, 0x4b, 0x03, 0x04], 22),
        ([0x50, 0x4b, 0x01, 0x02], 24),
    ] {
        let i = b.windows(4).position(|w| w == sig).unwrap();
        b[i + at..i + at + 4].copy_from_slice(&declared);
    }
    fs::write(path, b).unwrap();
}

fn is_root() -> bool {
    // root reads files whatever their permissions
    fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// Builds the corpus in `dir` and returns its cases.
pub fn build(dir: &Path) -> Vec<Case> {
    let small = testdata().join("hostile");
    let mut cases = Vec::new();
    for (file, exit, fragment) in SMALL {
        let p = small.join(file);
        let args = ["analyze", p.to_str().unwrap(), "--format", "json"];
        cases.push(case(file, &args, *exit, fragment));
    }

    // huge line, a million columns, a 500 KB header name
    write(&dir.join("huge_line.csv"), &vec![b'7'; 3 << 20]);
    cases.push(case(
        "huge_line.csv",
        &["analyze", "huge_line.csv"],
        2,
        "line is longer than 1048576 bytes",
    ));
    let mut wide = b"t".to_vec();
    for _ in 0..1_000_000 {
        wide.extend_from_slice(b",a");
    }
    wide.extend_from_slice(b"\n0,1\n");
    write(&dir.join("million_columns.csv"), &wide);
    cases.push(case(
        "million_columns.csv",
        &["analyze", "million_columns.csv"],
        2,
        "million_columns.csv:1: line is longer than",
    ));
    let mut long = b"time,ax,ay,".to_vec();
    long.extend(std::iter::repeat(b'z').take(500_000));
    long.extend_from_slice(b"\n0,0,0,1\n0.01,0,0,1\n");
    write(&dir.join("long_header_name.csv"), &long);
    cases.push(case(
        "long_header_name.csv",
        &["analyze", "long_header_name.csv"],
        2,
        "found: time, ax, ay, zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz…",
    ));

    // deg/s under a rad/s header after a still start longer than the rows
    // that decide the units
    let rows = sample_rows(9000);
    let mut text = b"time_s,ax,ay,az,gx (rad/s),gy (rad/s),gz (rad/s)\n".to_vec();
    for i in 0..2500 {
        let r = rows[0];
        writeln!(
            text,
            "{:.4},{},{},{},{},{},{}",
            i as f64 * 0.02,
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6]
        )
        .unwrap();
    }
    for (i, r) in rows[400..4000].iter().enumerate() {
        let d = 180.0 / std::f64::consts::PI;
        let t = 50.0 + i as f64 * 0.02;
        writeln!(
            text,
            "{t:.4},{},{},{},{:.3},{:.3},{:.3}",
            r[1],
            r[2],
            r[3],
            r[4] * d,
            r[5] * d,
            r[6] * d
        )
        .unwrap();
    }
    write(&dir.join("gyro_degs_still_start.csv"), &text);
    cases.push(case(
        "gyro_degs_still_start.csv",
        &["analyze", "gyro_degs_still_start.csv"],
        2,
        "of the gyroscope's samples turn faster than a leg can (25 rad/s) as read (in rad/s): the values look like deg/s; pass --gyro-unit deg/s",
    ));

    // zips: a legitimate one, a bomb, a nested zip
    let csv = generic_csv(3000);
    zip_of(&dir.join("good.zip"), &[("rec.csv", &csv)]);
    cases.push(case(
        "good.zip",
        &["analyze", "good.zip", "--format", "json"],
        0,
        "good.zip!rec.csv",
    ));
    zip_bomb(&dir.join("bomb.zip"), 200 << 20);
    cases.push(case(
        "bomb.zip (200 MB of zeros)",
        &["analyze", "bomb.zip"],
        2,
        "this looks like a zip bomb",
    ));
    lying_zip_bomb(&dir.join("lying_bomb.zip"), 100 << 20);
    cases.push(case(
        "lying_bomb.zip (100 MB declared as 1,000 bytes)",
        &["analyze", "lying_bomb.zip"],
        2,
        "inflates beyond the 1000 bytes its header declares",
    ));
    let inner = dir.join("inner.zip");
    zip_of(&inner, &[("rec.csv", &csv)]);
    let inner_bytes = fs::read(&inner).unwrap();
    fs::remove_file(&inner).unwrap();
    zip_of(&dir.join("nested.zip"), &[("inner.zip", &inner_bytes)]);
    cases.push(case(
        "nested.zip",
        &["analyze", "nested.zip"],
        2,
        "no recording recognised",
    ));

    // a FIFO and a symlink loop in folders walked by `check`
    let fifo_dir = dir.join("with_fifo");
    write(&fifo_dir.join("good.csv"), &csv);
    let fifo = fifo_dir.join("pipe.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let mut c = case(
        "folder with a FIFO (check)",
        &["check", "with_fifo"],
        2,
        "pipe.csv: not a regular file",
    );
    if !matches!(made, Ok(s) if s.success()) {
        c.skip = Some("mkfifo is not available".into());
    }
    cases.push(c);
    let loop_dir = dir.join("with_loop");
    write(&loop_dir.join("good.csv"), &csv);
    #[cfg(unix)]
    {
        let _ = std::os::unix::fs::symlink(".", loop_dir.join("again"));
        let _ = std::os::unix::fs::symlink("self.csv", loop_dir.join("self.csv"));
    }
    cases.push(case(
        "folder with symlink loops (check)",
        &["check", "with_loop"],
        2,
        "a symlink loop",
    ));

    // unreadable file and folder
    let locked = dir.join("locked.csv");
    write(&locked, &csv);
    let locked_dir = dir.join("locked_dir");
    write(&locked_dir.join("a.csv"), &csv);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        fs::set_permissions(&locked_dir, fs::Permissions::from_mode(0o000)).unwrap();
    }
    // root reads any file: run these as nobody when possible
    let root = is_root();
    let setpriv = Path::new("/usr/bin/setpriv").exists() || Path::new("/bin/setpriv").exists();
    #[cfg(unix)]
    if root {
        use std::os::unix::fs::PermissionsExt;
        // nobody must reach the corpus folder
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
    for (name, args, fragment) in [
        (
            "unreadable file",
            ["analyze", "locked.csv"],
            "locked.csv: cannot read it: Permission denied",
        ),
        (
            "unreadable folder (check)",
            ["check", "locked_dir"],
            "cannot read this folder: Permission denied",
        ),
    ] {
        let mut c = case(name, &args, 2, fragment);
        c.absent = Some("denied (os error 13): Permission denied".into());
        if root && setpriv {
            c.unprivileged = true;
        } else if root {
            c.skip = Some("running as root, which reads any file, without setpriv".into());
        }
        cases.push(c);
    }

    // exports: a named file is what is analysed; globs count an export once;
    // a folder of exports points to `check`
    sensor_logger_export(&dir.join("exports/a"), 2000);
    sensor_logger_export(&dir.join("exports/b"), 2000);
    let mut c = case(
        "glob over 2 exports (check)",
        &[
            "check",
            "exports/**/*.csv",
            "--format",
            "csv",
            "--fail-on",
            "none",
        ],
        0,
        "exports/b,",
    );
    c.absent = Some("Metadata".into());
    cases.push(c);
    cases.push(case(
        "glob of truth files only (check)",
        &["check", "exports/**/*.json"],
        2,
        "the files this pattern matches are no recordings",
    ));
    write(&dir.join("exports/a.truth.json"), b"{}");
    cases.push(case(
        "folder of exports (analyze)",
        &["analyze", "exports"],
        2,
        "kickback check exports",
    ));
    cases.push(case(
        "one file of an export",
        &["analyze", "exports/a/Gyroscope.csv"],
        2,
        "name the export folder (or its zip) instead: exports/a",
    ));
    let mixed = dir.join("mixed");
    write(&mixed.join("s1.csv"), &phyphox_csv(3000));
    write(&mixed.join("s2.csv"), &phyphox_csv(1500));
    cases.push(case(
        "named phyphox file beside another",
        &["analyze", "mixed/s2.csv", "--format", "json"],
        0,
        "\"files\": [\n      \"mixed/s2.csv\"\n    ]",
    ));

    // standard input
    write(&dir.join("stdin.csv"), &csv);
    let mut c = case(
        "'-' reads standard input",
        &["analyze", "-", "--format", "json"],
        0,
        "\"standard input\"",
    );
    c.stdin = Some(dir.join("stdin.csv"));
    cases.push(c);
    cases
}
