//! The results of `kickback check` as typed columns: one table of
//! recordings, one of reps.
//!
//! This is the one definition of those tables' columns and types. The
//! Parquet files of `kickback check --parquet DIR` (through
//! [`record_batch`], with the `parquet` feature) and the Arrow tables of the
//! Python package's `kickback.check` are both built from it (the README
//! lists the schema).

use crate::check::Outcome;
use kickback::{Fault, Rep, SetSummary};

/// A column's values (`None` is null).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Values {
    /// UTF-8 text.
    Utf8(Vec<Option<String>>),
    /// 64-bit signed integers.
    Int64(Vec<Option<i64>>),
    /// 64-bit floats.
    Float64(Vec<Option<f64>>),
    /// Booleans.
    Bool(Vec<Option<bool>>),
}

impl Values {
    /// The Arrow type name: `utf8`, `int64`, `float64` or `bool`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Values::Utf8(_) => "utf8",
            Values::Int64(_) => "int64",
            Values::Float64(_) => "float64",
            Values::Bool(_) => "bool",
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Values::Utf8(v) => v.len(),
            Values::Int64(v) => v.len(),
            Values::Float64(v) => v.len(),
            Values::Bool(v) => v.len(),
        }
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One named, typed column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Whether the column may hold nulls (fixed by the schema, not the data).
    pub nullable: bool,
    /// The values, one per row.
    pub values: Values,
}

fn col(name: &str, nullable: bool, values: Values) -> Column {
    Column {
        name: name.to_string(),
        nullable,
        values,
    }
}

fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The recordings table: one row per recording (or input that yielded
/// none), in `check`'s order. Columns: `source`, `status` (ok, warnings,
/// faults, unusable, error), `error`, `rep_count`, `set_count`,
/// `duration_s`, one count per fault (`momentum`, `lumbar_overextension`,
/// `partial_range`), `warning_count`, `fails`, then `format`,
/// `sample_rate_hz`, `gyroscope`, `warning_kinds` (comma-separated) and
/// `unusable` (its kind). Counts are null for recordings not read.
pub fn recordings(outcomes: &[Outcome]) -> Vec<Column> {
    let opt = |v: Option<usize>| v.map(int);
    let mut cols = vec![
        col(
            "source",
            false,
            Values::Utf8(outcomes.iter().map(|o| Some(o.source.clone())).collect()),
        ),
        col(
            "status",
            false,
            Values::Utf8(
                outcomes
                    .iter()
                    .map(|o| Some(o.status.as_str().to_string()))
                    .collect(),
            ),
        ),
        col(
            "error",
            true,
            Values::Utf8(outcomes.iter().map(|o| o.error.clone()).collect()),
        ),
        col(
            "rep_count",
            true,
            Values::Int64(outcomes.iter().map(|o| opt(o.rep_count)).collect()),
        ),
        col(
            "set_count",
            true,
            Values::Int64(outcomes.iter().map(|o| opt(o.set_count)).collect()),
        ),
        col(
            "duration_s",
            true,
            Values::Float64(outcomes.iter().map(|o| o.duration_s).collect()),
        ),
    ];
    for f in Fault::ALL {
        cols.push(col(
            f.as_str(),
            true,
            Values::Int64(
                outcomes
                    .iter()
                    .map(|o| o.summary.map(|s| int(s.get(f))))
                    .collect(),
            ),
        ));
    }
    cols.push(col(
        "warning_count",
        false,
        Values::Int64(
            outcomes
                .iter()
                .map(|o| Some(int(o.warning_count)))
                .collect(),
        ),
    ));
    cols.push(col(
        "fails",
        false,
        Values::Bool(outcomes.iter().map(|o| Some(o.fails)).collect()),
    ));
    // Added after the first release: columns are only ever appended.
    cols.push(col(
        "format",
        true,
        Values::Utf8(outcomes.iter().map(|o| o.format.clone()).collect()),
    ));
    cols.push(col(
        "sample_rate_hz",
        true,
        Values::Float64(outcomes.iter().map(|o| o.sample_rate_hz).collect()),
    ));
    cols.push(col(
        "gyroscope",
        true,
        Values::Bool(outcomes.iter().map(|o| o.gyroscope).collect()),
    ));
    cols.push(col(
        "warning_kinds",
        false,
        Values::Utf8(
            outcomes
                .iter()
                .map(|o| Some(o.warning_kinds.join(",")))
                .collect(),
        ),
    ));
    cols.push(col(
        "unusable",
        true,
        Values::Utf8(
            outcomes
                .iter()
                .map(|o| {
                    o.unusable.as_ref().map(|u| {
                        serde_json::to_value(u.kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default()
                    })
                })
                .collect(),
        ),
    ));
    cols
}

/// The reps table of every recording read (in `check`'s order), from the
/// outcomes' kept reps (`CheckConfig::keep_reps`). See [`rep_columns`].
pub fn reps(outcomes: &[Outcome]) -> Vec<Column> {
    let rows: Vec<(&str, &Rep)> = outcomes
        .iter()
        .flat_map(|o| o.reps.iter().map(move |r| (o.source.as_str(), r)))
        .collect();
    rep_columns(&rows)
}

/// The reps table: `source`, `index`, `set`, the times (`start_s`,
/// `peak_s`, `end_s`, `concentric_s`, `hold_s`, `eccentric_s`, s), the
/// angles (`range_deg`, `peak_elevation_deg`, `windup_deg`, degrees), the
/// velocities (`peak_velocity_dps`, `peak_eccentric_velocity_dps`, deg/s),
/// one boolean per fault (`momentum`, `lumbar_overextension`,
/// `partial_range`) and `momentum_score`. None is null.
pub fn rep_columns(rows: &[(&str, &Rep)]) -> Vec<Column> {
    let f64s = |name: &str, get: fn(&Rep) -> f64| {
        col(
            name,
            false,
            Values::Float64(rows.iter().map(|(_, r)| Some(get(r))).collect()),
        )
    };
    let mut cols = vec![
        col(
            "source",
            false,
            Values::Utf8(rows.iter().map(|(s, _)| Some(s.to_string())).collect()),
        ),
        col(
            "index",
            false,
            Values::Int64(rows.iter().map(|(_, r)| Some(int(r.index))).collect()),
        ),
        col(
            "set",
            false,
            Values::Int64(rows.iter().map(|(_, r)| Some(int(r.set))).collect()),
        ),
        f64s("start_s", |r| r.start_s),
        f64s("peak_s", |r| r.peak_s),
        f64s("end_s", |r| r.end_s),
        f64s("range_deg", |r| r.range_deg),
        f64s("peak_elevation_deg", |r| r.peak_elevation_deg),
        f64s("concentric_s", |r| r.concentric_s),
        f64s("hold_s", |r| r.hold_s),
        f64s("eccentric_s", |r| r.eccentric_s),
        f64s("peak_velocity_dps", |r| r.peak_velocity_dps),
        f64s("peak_eccentric_velocity_dps", |r| {
            r.peak_eccentric_velocity_dps
        }),
        f64s("windup_deg", |r| r.windup_deg),
    ];
    for f in Fault::ALL {
        cols.push(col(
            f.as_str(),
            false,
            Values::Bool(rows.iter().map(|(_, r)| Some(r.has(f))).collect()),
        ));
    }
    cols.push(f64s("momentum_score", |r| r.momentum.score));
    cols
}

/// The sets table: `index`, `start_s`, `end_s`, `rep_count`,
/// `median_range_deg`.
pub fn set_columns(sets: &[SetSummary]) -> Vec<Column> {
    let f64s = |name: &str, get: fn(&SetSummary) -> f64| {
        col(
            name,
            false,
            Values::Float64(sets.iter().map(|s| Some(get(s))).collect()),
        )
    };
    vec![
        col(
            "index",
            false,
            Values::Int64(sets.iter().map(|s| Some(int(s.index))).collect()),
        ),
        f64s("start_s", |s| s.start_s),
        f64s("end_s", |s| s.end_s),
        col(
            "rep_count",
            false,
            Values::Int64(sets.iter().map(|s| Some(int(s.rep_count))).collect()),
        ),
        f64s("median_range_deg", |s| s.median_range_deg),
    ]
}

/// The columns as one Arrow record batch, in order: utf8 is Arrow's
/// `Utf8`, int64 `Int64`, float64 `Float64`, bool `Boolean`; a field is
/// nullable when its column may hold nulls (a null in a column that may
/// not is an error).
#[cfg(feature = "parquet")]
pub fn record_batch(cols: &[Column]) -> Result<arrow_array::RecordBatch, arrow_schema::ArrowError> {
    use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use std::sync::Arc;
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = cols
        .iter()
        .map(|c| {
            let (data_type, array): (DataType, ArrayRef) = match &c.values {
                Values::Utf8(v) => (
                    DataType::Utf8,
                    Arc::new(v.iter().map(Option::as_deref).collect::<StringArray>()),
                ),
                Values::Int64(v) => (DataType::Int64, Arc::new(v.iter().collect::<Int64Array>())),
                Values::Float64(v) => (
                    DataType::Float64,
                    Arc::new(v.iter().collect::<Float64Array>()),
                ),
                Values::Bool(v) => (
                    DataType::Boolean,
                    Arc::new(v.iter().collect::<BooleanArray>()),
                ),
            };
            (Field::new(&c.name, data_type, c.nullable), array)
        })
        .unzip();
    arrow_array::RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Status;

    #[test]
    fn columns_have_one_value_per_row_and_fixed_types() {
        let mut ok = crate::check::Outcome {
            source: "a.csv".into(),
            status: Status::Ok,
            error: None,
            unusable: None,
            format: Some("generic".into()),
            sample_rate_hz: Some(100.0),
            gyroscope: Some(true),
            warning_kinds: vec!["gap".into()],
            rep_count: Some(0),
            set_count: Some(0),
            duration_s: Some(12.5),
            summary: Some(kickback::FaultCounts::default()),
            warning_count: 2,
            fails: false,
            report: None,
            plot: None,
            reps: Vec::new(),
        };
        let mut bad = ok.clone();
        bad.source = "b.csv".into();
        bad.status = Status::Error;
        bad.error = Some("b.csv:3:2: bad".into());
        bad.rep_count = None;
        bad.summary = None;
        ok.warning_count = 1;
        let cols = recordings(&[ok, bad]);
        assert!(cols.iter().all(|c| c.values.len() == 2));
        let by = |n: &str| cols.iter().find(|c| c.name == n).unwrap().values.clone();
        assert_eq!(
            by("status"),
            Values::Utf8(vec![Some("ok".into()), Some("error".into())])
        );
        assert_eq!(by("rep_count"), Values::Int64(vec![Some(0), None]));
        assert_eq!(by("momentum"), Values::Int64(vec![Some(0), None]));
        assert_eq!(by("warning_count").type_name(), "int64");
        let reps = rep_columns(&[]);
        assert!(reps.iter().all(|c| c.values.is_empty()));
        assert_eq!(reps[0].name, "source");
        assert!(reps.iter().any(|c| c.name == "lumbar_overextension"));
    }

    #[cfg(feature = "parquet")]
    #[test]
    fn record_batch_has_the_arrow_types_and_refuses_a_null_where_none_may_be() {
        use arrow_schema::DataType;
        let cases = [
            (Values::Utf8(vec![Some("a".into()), None]), DataType::Utf8),
            (Values::Int64(vec![Some(1), None]), DataType::Int64),
            (Values::Float64(vec![Some(0.5), None]), DataType::Float64),
            (Values::Bool(vec![Some(true), None]), DataType::Boolean),
        ];
        for (values, data_type) in cases {
            let batch = record_batch(&[col("x", true, values.clone())]).unwrap();
            let field = batch.schema().field(0).clone();
            assert_eq!(
                (
                    field.name().as_str(),
                    field.data_type(),
                    field.is_nullable()
                ),
                ("x", &data_type, true)
            );
            assert_eq!((batch.num_rows(), batch.column(0).null_count()), (2, 1));
            let err = record_batch(&[col("x", false, values)]).unwrap_err();
            assert!(err.to_string().contains("non-nullable"), "{err}");
        }
    }
}
