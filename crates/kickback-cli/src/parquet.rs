//! `kickback check --parquet DIR`: the batch's results as two Parquet
//! files, `recordings.parquet` and `reps.parquet`, with the typed columns of
//! [`crate::columns`] (snappy-compressed, one row group per 1 M rows).
//!
//! Each file is written to a temporary file in DIR and renamed into place,
//! so a reader never sees half a file; DIR is checked as `--output` is (never
//! an input folder nor inside a recording) and an input is never written over.

use crate::check::{self, Outcome, OutputPlan, Target};
use crate::columns::Column;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Names of the two files written into DIR.
pub const RECORDINGS_FILE: &str = "recordings.parquet";
/// See [`RECORDINGS_FILE`].
pub const REPS_FILE: &str = "reps.parquet";

/// Checks and creates `--parquet DIR` before the batch runs, as
/// `--output DIR` is: never an input folder nor inside a recording.
pub fn plan(dir: &Path, args: &[String], targets: &[Target]) -> Result<OutputPlan> {
    check::plan_output(dir, args, targets)
        .map_err(|e| anyhow::anyhow!("{}", format!("{e:#}").replacen("--output", "--parquet", 1)))
}

/// Writes `recordings.parquet` and `reps.parquet` of a batch into the
/// planned folder (the outcomes must have kept their reps). Returns the
/// two paths as shown to the user.
pub fn write_check(plan: &OutputPlan, outcomes: &[Outcome]) -> Result<[PathBuf; 2]> {
    for (name, cols) in [
        (RECORDINGS_FILE, crate::columns::recordings(outcomes)),
        (REPS_FILE, crate::columns::reps(outcomes)),
    ] {
        let path = plan.dir.join(name);
        if plan.inputs.contains(&path) {
            anyhow::bail!("refusing to write {}: it is an input file", path.display());
        }
        write_table(&path, &cols)?;
    }
    Ok([RECORDINGS_FILE, REPS_FILE].map(|name| plan.shown.join(name)))
}

#[cfg(feature = "parquet")]
mod imp {
    use crate::columns::{Column, Values};
    use anyhow::{Context, Result};
    use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use parquet::arrow::ArrowWriter;
    use parquet::basic::Compression;
    use parquet::file::properties::WriterProperties;
    use std::path::Path;
    use std::sync::Arc;

    /// The columns as one Arrow record batch.
    pub fn record_batch(cols: &[Column]) -> Result<RecordBatch> {
        let mut fields = Vec::with_capacity(cols.len());
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(cols.len());
        for c in cols {
            let (dt, array): (DataType, ArrayRef) = match &c.values {
                Values::Utf8(v) => (
                    DataType::Utf8,
                    Arc::new(StringArray::from_iter(v.iter().map(|s| s.as_deref()))),
                ),
                Values::Int64(v) => (DataType::Int64, Arc::new(Int64Array::from(v.clone()))),
                Values::Float64(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
                Values::Bool(v) => (DataType::Boolean, Arc::new(BooleanArray::from(v.clone()))),
            };
            fields.push(Field::new(&c.name, dt, c.nullable));
            arrays.push(array);
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
            .context("building the Arrow table")
    }

    /// Writes the columns to `path` as Parquet, atomically.
    pub fn write_table(path: &Path, cols: &[Column]) -> Result<()> {
        let batch = record_batch(cols)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let tmp = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("kickback {}", env!("CARGO_PKG_VERSION")))
            .build();
        let mut w = ArrowWriter::try_new(tmp.as_file().try_clone()?, batch.schema(), Some(props))
            .with_context(|| format!("writing {}", path.display()))?;
        w.write(&batch)
            .and_then(|_| w.close().map(|_| ()))
            .with_context(|| format!("writing {}", path.display()))?;
        tmp.as_file().sync_all()?;
        tmp.persist(path)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }
}

#[cfg(feature = "parquet")]
pub use imp::record_batch;

/// Writes the columns to `path` as Parquet, atomically.
#[cfg(feature = "parquet")]
pub fn write_table(path: &Path, cols: &[Column]) -> Result<()> {
    imp::write_table(path, cols)
}

/// Without the `parquet` feature: an error saying so.
#[cfg(not(feature = "parquet"))]
pub fn write_table(path: &Path, _cols: &[Column]) -> Result<()> {
    anyhow::bail!(
        "{}: this kickback was built without Parquet support (the `parquet` feature)",
        path.display()
    )
}
