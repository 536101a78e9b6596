//! `kickback check --parquet DIR`: the batch's results as two Parquet
//! files, `recordings.parquet` and `reps.parquet`, with the typed columns of
//! [`crate::columns`] as an Arrow record batch, written by the `parquet`
//! crate's `ArrowWriter` (snappy-compressed; the Arrow schema is stored in
//! the file, as Arrow writers do).
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

/// Writes the columns to `path` as Parquet, atomically: utf8 is a
/// `BYTE_ARRAY (STRING)`, int64 an `INT64`, float64 a `DOUBLE`, bool a
/// `BOOLEAN`; `OPTIONAL` when the column may hold nulls, else `REQUIRED`.
#[cfg(feature = "parquet")]
pub fn write_table(path: &Path, cols: &[Column]) -> Result<()> {
    use anyhow::Context;
    use parquet::arrow::ArrowWriter;
    use parquet::basic::Compression;
    use parquet::file::properties::WriterProperties;

    let batch = crate::columns::record_batch(cols)
        .with_context(|| format!("writing {}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("kickback {}", env!("CARGO_PKG_VERSION")))
        .build();
    let write = || -> Result<()> {
        let file = tmp.as_file().try_clone()?;
        let mut w = ArrowWriter::try_new(file, batch.schema(), Some(props))?;
        w.write(&batch)?;
        w.close()?;
        Ok(())
    };
    write().with_context(|| format!("writing {}", path.display()))?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Without the `parquet` feature: an error saying so.
#[cfg(not(feature = "parquet"))]
pub fn write_table(path: &Path, _cols: &[Column]) -> Result<()> {
    anyhow::bail!(
        "{}: this kickback was built without Parquet support (the `parquet` feature)",
        path.display()
    )
}
