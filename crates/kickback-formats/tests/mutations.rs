//! The real app exports in `../shared/formats`, mutated (truncated, bytes
//! flipped, columns swapped or dropped, rows duplicated): reading never
//! panics or hangs, and every error names the file (or the export folder).
//! Each file is cut to its first lines so that the cases stay quick.

use kickback_formats::{open, ReadOptions};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Lines of each real file kept.
const LINES: usize = 400;
/// Seeds per mutation.
const SEEDS: u64 = 3;

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/formats");
    if p.is_dir() {
        Some(p)
    } else {
        println!("note: {} is absent; mutation tests skipped", p.display());
        None
    }
}

/// xorshift64*: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn head(bytes: &[u8]) -> Vec<u8> {
    let mut n = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            n += 1;
            if n == LINES {
                return bytes[..=i].to_vec();
            }
        }
    }
    bytes.to_vec()
}

fn delimiter(text: &str) -> char {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    [';', '\t', ',']
        .into_iter()
        .max_by_key(|d| first.matches(*d).count())
        .unwrap_or(',')
}

/// Applies column edit `f` to every line's fields.
fn columns(bytes: &[u8], f: impl Fn(&mut Vec<&str>)) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let d = delimiter(&text);
    let mut out = String::new();
    for l in text.lines() {
        let mut v: Vec<&str> = l.split(d).collect();
        f(&mut v);
        out.push_str(&v.join(&d.to_string()));
        out.push('\n');
    }
    out.into_bytes()
}

const MUTATIONS: [&str; 5] = ["truncate", "flip", "swap", "drop", "duplicate"];

fn mutate(bytes: &[u8], kind: &str, rng: &mut Rng) -> Vec<u8> {
    match kind {
        "truncate" => bytes[..rng.below(bytes.len())].to_vec(),
        "flip" => {
            let mut b = bytes.to_vec();
            for _ in 0..8 {
                if !b.is_empty() {
                    let i = rng.below(b.len());
                    b[i] ^= 1 << rng.below(8);
                }
            }
            b
        }
        "swap" => {
            let (a, c) = (rng.below(8), rng.below(8));
            columns(bytes, |v| {
                if a < v.len() && c < v.len() {
                    v.swap(a, c)
                }
            })
        }
        "drop" => {
            let a = rng.below(8);
            columns(bytes, |v| {
                if a < v.len() {
                    v.remove(a);
                }
            })
        }
        _ => {
            let text = String::from_utf8_lossy(bytes);
            let lines: Vec<&str> = text.lines().collect();
            let mut out = String::new();
            let every = 2 + rng.below(20);
            for (i, l) in lines.iter().enumerate() {
                out.push_str(l);
                out.push('\n');
                if i > 0 && i % every == 0 {
                    out.push_str(l);
                    out.push('\n');
                }
            }
            out.into_bytes()
        }
    }
}

fn csvs_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            csvs_under(&p, out);
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")) {
            out.push(p);
        }
    }
}

/// Opens and reads `path`; an error must name `must_name`.
fn check(path: &Path, must_name: &str, what: &str, failures: &mut Vec<String>) {
    let t0 = Instant::now();
    let r = open(path, &ReadOptions::default()).and_then(|r| r.read_all());
    if let Err(e) = r {
        let m = e.to_string();
        if !m.contains(must_name) {
            failures.push(format!("{what}: error does not name {must_name}: {m}"));
        }
    }
    if t0.elapsed() > Duration::from_secs(20) {
        failures.push(format!("{what}: took {:?}", t0.elapsed()));
    }
}

#[test]
fn mutated_single_files_never_panic_and_errors_name_the_file() {
    let Some(root) = shared() else { return };
    let mut files = Vec::new();
    csvs_under(&root, &mut files);
    files.sort();
    assert!(!files.is_empty());
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for f in &files {
        let base = head(&fs::read(f).unwrap());
        let name = f.file_name().unwrap();
        for kind in MUTATIONS {
            for seed in 0..SEEDS {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((seed + 1) * 7919) ^ n);
                let dir = tmp.path().join(format!("{n}"));
                fs::create_dir_all(&dir).unwrap();
                let p = dir.join(name);
                fs::write(&p, mutate(&base, kind, &mut rng)).unwrap();
                let what = format!("{} {kind} seed {seed}", f.display());
                check(&p, &p.display().to_string(), &what, &mut failures);
                n += 1;
            }
        }
    }
    println!("{n} mutated files read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn mutated_export_folders_never_panic_and_errors_name_a_file() {
    let Some(root) = shared() else { return };
    let exports = [
        "sensor-logger-android/2023-11-24_07-25-54",
        "sensor-logger-ios/2022-09-16_11-15-46",
        "phyphox/gait_lucadomene",
        "phyphox/walking_sannatikk_ios",
    ];
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut n = 0u64;
    for e in exports {
        let src = root.join(e);
        if !src.is_dir() {
            continue;
        }
        let mut files = Vec::new();
        csvs_under(&src, &mut files);
        files.sort();
        for kind in MUTATIONS {
            for seed in 0..SEEDS {
                let mut rng = Rng(0xD1B5_4A32_D192_ED03 ^ ((n + 1) * 104_729));
                let dir = tmp.path().join(format!("e{n}"));
                let victim = rng.below(files.len());
                for (i, f) in files.iter().enumerate() {
                    let rel = f.strip_prefix(&src).unwrap();
                    let to = dir.join(rel);
                    fs::create_dir_all(to.parent().unwrap()).unwrap();
                    let base = head(&fs::read(f).unwrap());
                    let bytes = if i == victim {
                        mutate(&base, kind, &mut rng)
                    } else {
                        base
                    };
                    fs::write(&to, bytes).unwrap();
                }
                let what = format!("{e} {kind} seed {seed} ({})", files[victim].display());
                check(&dir, &dir.display().to_string(), &what, &mut failures);
                n += 1;
            }
        }
    }
    println!("{n} mutated exports read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
