//! `kickback check --parquet DIR`: the two files read back hold the rows
//! and the values of `check --format json` (per recording and per rep), with
//! the documented types; a bad DIR is refused before anything runs.

mod common;

use assert_cmd::Command;
use common::*;
use parquet::basic::{Repetition, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::Value;
use std::path::Path;

fn kickback(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("kickback")
        .unwrap()
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A Parquet file read back: its rows and each column's physical type and
/// whether it is optional.
struct Table {
    rows: Vec<Vec<(String, Field)>>,
    columns: Vec<(String, Physical, bool)>,
}

fn read(path: &Path) -> Table {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let columns = schema
        .columns()
        .iter()
        .map(|c| {
            let t = c.self_type();
            let optional = t.get_basic_info().repetition() == Repetition::OPTIONAL;
            (c.name().to_string(), c.physical_type(), optional)
        })
        .collect();
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| {
            r.unwrap()
                .get_column_iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .collect();
    Table { rows, columns }
}

impl Table {
    fn num_rows(&self) -> usize {
        self.rows.len()
    }

    /// Column `name` as JSON values (null for nulls), checking its type.
    fn column(&self, name: &str, kind: &str) -> Vec<Value> {
        let (_, physical, _) = self
            .columns
            .iter()
            .find(|c| c.0 == name)
            .unwrap_or_else(|| panic!("no column {name}"));
        let want = match kind {
            "utf8" => Physical::BYTE_ARRAY,
            "int64" => Physical::INT64,
            "float64" => Physical::DOUBLE,
            "bool" => Physical::BOOLEAN,
            _ => unreachable!(),
        };
        assert_eq!(*physical, want, "{name}");
        self.rows
            .iter()
            .map(
                |row| match &row.iter().find(|(k, _)| k == name).unwrap().1 {
                    Field::Null => Value::Null,
                    Field::Str(s) => Value::from(s.as_str()),
                    Field::Long(v) => Value::from(*v),
                    Field::Double(v) => Value::from(*v),
                    Field::Bool(v) => Value::from(*v),
                    other => panic!("{name}: unexpected {other:?}"),
                },
            )
            .collect()
    }

    fn optional(&self, name: &str) -> bool {
        self.columns.iter().find(|c| c.0 == name).unwrap().2
    }
}

#[test]
fn parquet_files_hold_the_rows_of_check() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let data = root.join("data");
    std::fs::create_dir(&data).unwrap();
    write(&data, "good.csv", &good());
    write(&data, "lumbar.csv", &lumbar());
    write(&data, "swinging.csv", &swinging());
    write(&data, "bad.csv", &bad());
    let (code, stdout, stderr) = kickback(
        root,
        &[
            "check",
            "data",
            "--parquet",
            "out",
            "--format",
            "json",
            "--fail-on",
            "none",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let recs = doc["recordings"].as_array().unwrap();
    let (_, per_rep, _) = kickback(
        root,
        &[
            "check",
            "data",
            "--format",
            "json",
            "--per-rep",
            "--fail-on",
            "none",
        ],
    );
    let per_rep: Value = serde_json::from_str(&per_rep).unwrap();
    let reps = per_rep["reps"].as_array().unwrap();
    assert!(reps.len() >= 8, "the test data has reps");

    let r = read(&root.join("out/recordings.parquet"));
    assert_eq!(r.num_rows(), recs.len());
    assert_eq!(r.num_rows(), 4);
    for (name, kind) in [
        ("source", "utf8"),
        ("status", "utf8"),
        ("error", "utf8"),
        ("rep_count", "int64"),
        ("set_count", "int64"),
        ("duration_s", "float64"),
        ("warning_count", "int64"),
        ("fails", "bool"),
    ] {
        let want: Vec<Value> = recs.iter().map(|o| o[name].clone()).collect();
        assert_eq!(r.column(name, kind), want, "{name}");
    }
    for fault in ["momentum", "lumbar_overextension", "partial_range"] {
        let want: Vec<Value> = recs.iter().map(|o| o["summary"][fault].clone()).collect();
        assert_eq!(r.column(fault, "int64"), want, "{fault}");
    }
    let bad_row = recs.iter().position(|o| o["status"] == "error").unwrap();
    assert!(r.column("error", "utf8")[bad_row]
        .as_str()
        .unwrap()
        .contains("bad.csv:"));

    let p = read(&root.join("out/reps.parquet"));
    assert_eq!(p.num_rows(), reps.len());
    for (name, kind) in [
        ("source", "utf8"),
        ("index", "int64"),
        ("set", "int64"),
        ("start_s", "float64"),
        ("peak_s", "float64"),
        ("end_s", "float64"),
        ("range_deg", "float64"),
        ("peak_elevation_deg", "float64"),
        ("concentric_s", "float64"),
        ("hold_s", "float64"),
        ("eccentric_s", "float64"),
        ("peak_velocity_dps", "float64"),
        ("peak_eccentric_velocity_dps", "float64"),
        ("windup_deg", "float64"),
    ] {
        let want: Vec<Value> = reps.iter().map(|o| o[name].clone()).collect();
        assert_eq!(p.column(name, kind), want, "{name}");
    }
    for fault in ["momentum", "lumbar_overextension", "partial_range"] {
        let want: Vec<Value> = reps
            .iter()
            .map(|o| {
                Value::from(
                    o["faults"]
                        .as_array()
                        .unwrap()
                        .contains(&Value::from(fault)),
                )
            })
            .collect();
        assert_eq!(p.column(fault, "bool"), want, "{fault}");
    }
    let scores: Vec<Value> = reps
        .iter()
        .map(|o| o["momentum"]["score"].clone())
        .collect();
    assert_eq!(p.column("momentum_score", "float64"), scores);
    // schema: nullability as documented
    assert!(!p.optional("index") && !r.optional("source"));
    assert!(r.optional("rep_count") && r.optional("error"));
    // nothing else left in the folder (the temporary files were renamed)
    let mut names: Vec<String> = std::fs::read_dir(root.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["recordings.parquet", "reps.parquet"]);
}

#[test]
fn parquet_dir_that_is_an_input_is_refused_before_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    write(&data, "good.csv", &good());
    let (code, _, stderr) = kickback(dir.path(), &["check", "data", "--parquet", "data"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--parquet data: this folder is an input"),
        "{stderr}"
    );
    assert!(!data.join("recordings.parquet").exists());
}
