//! `kickback check --parquet DIR`: the batch's results as two Parquet
//! files, `recordings.parquet` and `reps.parquet`, with the typed columns of
//! [`crate::columns`] (snappy-compressed, one row group).
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
        plan.inputs.refuse(&path)?;
        write_table(&path, &cols)?;
    }
    Ok([RECORDINGS_FILE, REPS_FILE].map(|name| plan.shown.join(name)))
}

#[cfg(feature = "parquet")]
mod imp {
    use crate::columns::{Column, Values};
    use anyhow::{Context, Result};
    use parquet::basic::{Compression, ConvertedType, LogicalType, Repetition, Type as Physical};
    use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::types::Type;
    use std::path::Path;
    use std::sync::Arc;

    /// The Parquet schema of the columns: utf8 is a `BYTE_ARRAY (STRING)`,
    /// int64 an `INT64`, float64 a `DOUBLE`, bool a `BOOLEAN`; `OPTIONAL`
    /// when the column may hold nulls, else `REQUIRED`. Arrow readers
    /// (pyarrow, DuckDB, Spark, Polars) read them as utf8, int64, float64
    /// and bool.
    pub fn schema(cols: &[Column]) -> Result<Type> {
        let fields = cols
            .iter()
            .map(|c| {
                let physical = match &c.values {
                    Values::Utf8(_) => Physical::BYTE_ARRAY,
                    Values::Int64(_) => Physical::INT64,
                    Values::Float64(_) => Physical::DOUBLE,
                    Values::Bool(_) => Physical::BOOLEAN,
                };
                let mut b = Type::primitive_type_builder(&c.name, physical).with_repetition(
                    if c.nullable {
                        Repetition::OPTIONAL
                    } else {
                        Repetition::REQUIRED
                    },
                );
                if matches!(c.values, Values::Utf8(_)) {
                    b = b
                        .with_logical_type(Some(LogicalType::String))
                        .with_converted_type(ConvertedType::UTF8);
                }
                Ok(Arc::new(b.build()?))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Type::group_type_builder("schema")
            .with_fields(fields)
            .build()?)
    }

    /// The present values and the definition levels (1 present, 0 null;
    /// none for a required column).
    fn levels<T: Clone, U>(
        v: &[Option<T>],
        nullable: bool,
        conv: impl Fn(&T) -> U,
    ) -> (Vec<U>, Option<Vec<i16>>) {
        let values = v.iter().flatten().map(conv).collect();
        let defs = nullable.then(|| v.iter().map(|x| i16::from(x.is_some())).collect());
        (values, defs)
    }

    /// Writes the columns to `path` as Parquet (one row group), atomically.
    pub fn write_table(path: &Path, cols: &[Column]) -> Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let tmp = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("kickback {}", env!("CARGO_PKG_VERSION")))
            .build();
        let write = || -> Result<()> {
            let file = tmp.as_file().try_clone()?;
            let mut w = SerializedFileWriter::new(file, Arc::new(schema(cols)?), Arc::new(props))?;
            let mut rg = w.next_row_group()?;
            for c in cols {
                let mut col = rg
                    .next_column()?
                    .context("the schema has fewer columns than the table")?;
                match &c.values {
                    Values::Utf8(v) => {
                        let (vals, defs) = levels(v, c.nullable, |s| ByteArray::from(s.as_str()));
                        col.typed::<ByteArrayType>()
                            .write_batch(&vals, defs.as_deref(), None)?;
                    }
                    Values::Int64(v) => {
                        let (vals, defs) = levels(v, c.nullable, |x| *x);
                        col.typed::<Int64Type>()
                            .write_batch(&vals, defs.as_deref(), None)?;
                    }
                    Values::Float64(v) => {
                        let (vals, defs) = levels(v, c.nullable, |x| *x);
                        col.typed::<DoubleType>()
                            .write_batch(&vals, defs.as_deref(), None)?;
                    }
                    Values::Bool(v) => {
                        let (vals, defs) = levels(v, c.nullable, |x| *x);
                        col.typed::<BoolType>()
                            .write_batch(&vals, defs.as_deref(), None)?;
                    }
                }
                col.close()?;
            }
            rg.close()?;
            w.close()?;
            Ok(())
        };
        write().with_context(|| format!("writing {}", path.display()))?;
        tmp.as_file().sync_all()?;
        tmp.persist(path)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }
}

#[cfg(feature = "parquet")]
pub use imp::schema;

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
