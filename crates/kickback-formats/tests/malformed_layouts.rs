//! Malformed variants of every layout: a recording is written in each app's
//! layout, then its main data file is damaged (text in a number, a row cut
//! short, emptied). Each must fail with an error naming the file and, where
//! there is one, the line — never a panic, never silently wrong.

use kickback_formats::write::{write_layout, Layout, WriteInfo};
use kickback_formats::{open, ReadOptions, Sample};
use std::path::{Path, PathBuf};

fn motion() -> Vec<Sample> {
    (0..400)
        .map(|i| {
            let t = i as f64 * 0.02;
            let a = 0.8 * (t * 1.3).sin();
            Sample::new(
                t,
                [9.81 * a.sin(), 0.2, 9.81 * a.cos()],
                Some([0.0, 1.04 * (t * 1.3).cos(), 0.0]),
            )
        })
        .collect()
}

/// The file a layout's accelerometer is read from: Android's
/// TotalAcceleration.csv, else the largest CSV (or the only file).
fn main_file(written: &Path) -> PathBuf {
    if written.is_file() {
        return written.to_path_buf();
    }
    let total = written.join("TotalAcceleration.csv");
    if total.is_file() {
        return total;
    }
    std::fs::read_dir(written)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap()
}

fn options(layout: Layout) -> ReadOptions {
    let mut o = ReadOptions::default();
    if layout == Layout::CoreMotion {
        o.rate_hz = Some(50.0);
    }
    o
}

fn damaged(layout: Layout, damage: impl Fn(&str) -> String) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let written =
        write_layout(layout, dir.path(), "rec", &motion(), &WriteInfo::default()).unwrap();
    // The undamaged recording reads.
    open(&written, &options(layout))
        .and_then(|r| r.read_all())
        .unwrap_or_else(|e| panic!("{}: {e}", layout.name()));
    let file = main_file(&written);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, damage(&text)).unwrap();
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let err = match open(&written, &options(layout)).and_then(|r| r.read_all()) {
        Ok((s, _)) => panic!(
            "{}: damaged {name} read as {} samples",
            layout.name(),
            s.len()
        ),
        Err(e) => e.to_string(),
    };
    (name, err)
}

/// Replaces line `n` (1-based) with `f(line)`.
fn edit_line(text: &str, n: usize, f: impl Fn(&str) -> String) -> String {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = text.split(eol).map(str::to_string).collect();
    lines[n - 1] = f(&lines[n - 1]);
    lines.join(eol)
}

fn delimiter(line: &str) -> char {
    [';', '\t', ',']
        .into_iter()
        .max_by_key(|d| line.matches(*d).count())
        .unwrap()
}

#[test]
fn text_in_a_number_names_file_line_and_column() {
    for layout in Layout::ALL {
        let (name, err) = damaged(layout, |text| {
            edit_line(text, 30, |line| {
                let d = delimiter(line);
                line.split(d)
                    .map(|_| "abc")
                    .collect::<Vec<_>>()
                    .join(&d.to_string())
            })
        });
        assert!(
            err.contains(&format!("{name}:30:")),
            "{}: {err}",
            layout.name()
        );
        assert!(err.contains("expected"), "{}: {err}", layout.name());
    }
}

#[test]
fn a_row_cut_short_in_the_middle_names_file_and_line() {
    for layout in Layout::ALL {
        if layout == Layout::SensorLog {
            continue; // SensorLog rows are ragged by nature: short rows are skipped (tested in malformed.rs)
        }
        let (name, err) = damaged(layout, |text| {
            edit_line(text, 30, |line| {
                let d = delimiter(line);
                line.split(d).next().unwrap().to_string() + &d.to_string()
            })
        });
        assert!(
            err.contains(&format!("{name}:30")),
            "{}: {err}",
            layout.name()
        );
    }
}

#[test]
fn an_emptied_file_names_the_file() {
    for layout in Layout::ALL {
        let (name, err) = damaged(layout, |_| String::new());
        assert!(
            err.contains(&name) || err.contains("rec"),
            "{}: {err}",
            layout.name()
        );
    }
}
