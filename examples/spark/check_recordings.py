"""Check many kickback recordings on Apache Spark.

A PySpark job: it takes recording paths (folders to search, files, export
folders, zips, globs -- or a table with a ``path`` column), spreads them over
the cluster, runs ``kickback.check`` on each partition with ``mapInArrow``
(the ``kickback`` wheel installed on the executors), and writes two Parquet
tables with the columns of ``kickback check --parquet``:

    OUT/recordings/   one row per recording
    OUT/reps/         one row per rep

Folders and zips are one recording each, as in ``kickback check``; an input
that cannot be read is a row with ``status == "error"``. The rows are those
of ``kickback check`` over the same paths (the ``source`` column is the
absolute path).

Every executor must see the paths (a shared or mounted file system: NFS,
a FUSE mount of object storage, DBFS's ``/dbfs``...).

    spark-submit examples/spark/check_recordings.py OUT PATH... \\
        [--paths-table TABLE.parquet] [--partitions N] [--setting KEY=VALUE ...]

See the README ("Batch checks on Spark") for a cluster's set-up.
"""

from __future__ import annotations

import argparse
import os
from typing import Any, Dict, Iterable, Iterator, List, Optional

import pyarrow as pa

import kickback

#: The one column of the input DataFrame.
PATH_COLUMN = "path"


def _settings_kwargs(items: Iterable[str]) -> Dict[str, Any]:
    """``KEY=VALUE`` items: named settings (``torso_hinge=40``) or dotted keys
    of the settings file (``reps.min_rise_deg=12``)."""
    kwargs: Dict[str, Any] = {}
    dotted: Dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--setting {item}: expected KEY=VALUE, e.g. torso_hinge=40")
        key = key.strip()
        if "." in key:
            dotted[key] = value.strip()
        else:
            kwargs[key] = value.strip()
    if dotted:
        kwargs["set"] = dotted
    return kwargs


def output_schema() -> pa.Schema:
    """The schema of what each partition yields: the recordings table's
    columns plus ``reps``, a list of the reps table's rows (without
    ``source``) of that recording."""
    recordings, reps = kickback.check([])  # empty tables, full schemas
    rep_struct = pa.struct([f for f in reps.schema if f.name != "source"])
    return recordings.schema.append(pa.field("reps", pa.list_(rep_struct), nullable=False))


def nest_reps(recordings: pa.Table, reps: pa.Table) -> pa.RecordBatch:
    """The recordings table with each recording's reps as a list column
    (``kickback.check`` gives every recording's reps together, in the
    recordings' order)."""
    schema = output_schema()
    counts = [n or 0 for n in recordings.column("rep_count").to_pylist()]
    sources = recordings.column("source").to_pylist()
    rep_sources = reps.column("source").to_pylist()
    offsets = [0]
    for source, n in zip(sources, counts):
        start = offsets[-1]
        if rep_sources[start : start + n] != [source] * n:
            raise RuntimeError(f"{source}: its reps are not where check() put them")
        offsets.append(start + n)
    if offsets[-1] != reps.num_rows:
        raise RuntimeError("check() gave reps of no recording")
    rep_type = schema.field("reps").type.value_type
    fields = [reps.column(f.name).combine_chunks() for f in rep_type]
    structs = pa.StructArray.from_arrays(fields, fields=list(rep_type))
    nested = pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), structs)
    columns = [recordings.column(i).combine_chunks() for i in range(recordings.num_columns)]
    return pa.RecordBatch.from_arrays(columns + [nested], schema=schema)


def check_batches(
    batches: Iterator[pa.RecordBatch], jobs: int = 1, settings: Optional[Dict[str, Any]] = None
) -> Iterator[pa.RecordBatch]:
    """``mapInArrow``'s function: checks the paths of each batch."""
    settings = settings or {}
    for batch in batches:
        paths = batch.column(PATH_COLUMN).to_pylist()
        if not paths:
            continue
        recordings, reps = kickback.check(paths, jobs=jobs, fail_on="none", **settings)
        yield nest_reps(recordings, reps)


def recording_paths(spark, inputs: List[str], paths_table: Optional[str] = None):
    """A DataFrame with one ``path`` per recording: the recordings found (on
    the driver) under ``inputs``, made absolute, and the ``path`` column of
    ``paths_table`` (a Parquet table) when given."""
    found = kickback.find_recordings([os.path.abspath(p) for p in inputs]) if inputs else []
    df = spark.createDataFrame([(p,) for p in found], f"{PATH_COLUMN} string")
    if paths_table:
        df = df.unionByName(spark.read.parquet(paths_table).select(PATH_COLUMN))
    return df


def run(
    spark,
    inputs: List[str],
    out: str,
    paths_table: Optional[str] = None,
    partitions: Optional[int] = None,
    settings: Optional[Dict[str, Any]] = None,
    mode: str = "errorifexists",
) -> Dict[str, int]:
    """Runs the job: writes ``out/recordings`` and ``out/reps`` (Parquet)
    and returns the row counts."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    settings = settings or {}
    kickback.check([], **settings)  # bad settings fail here, on the driver
    if __name__ != "__main__":
        # imported (not spark-submitted): the executors need this module too
        spark.sparkContext.addPyFile(os.path.abspath(__file__))
    paths = recording_paths(spark, inputs, paths_table)
    n = partitions or max(1, spark.sparkContext.defaultParallelism * 4)
    jobs = int(spark.conf.get("spark.task.cpus", "1"))
    checked = (
        paths.repartition(n, PATH_COLUMN)
        .mapInArrow(
            lambda it: check_batches(it, jobs=jobs, settings=settings),
            from_arrow_schema(output_schema()),
        )
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    try:
        recordings = checked.drop("reps")
        reps = checked.select("source", F.explode("reps").alias("rep")).select("source", "rep.*")
        recordings.write.mode(mode).parquet(os.path.join(out, "recordings"))
        reps.write.mode(mode).parquet(os.path.join(out, "reps"))
        return {"recordings": checked.count(), "reps": reps.count()}
    finally:
        checked.unpersist()


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="output folder: OUT/recordings and OUT/reps (Parquet)")
    parser.add_argument("paths", nargs="*", help="recordings, folders to search, globs")
    parser.add_argument("--paths-table", help="a Parquet table with a `path` column")
    parser.add_argument("--partitions", type=int, help="partitions (default: 4 x cores)")
    parser.add_argument(
        "--setting", action="append", default=[], metavar="KEY=VALUE",
        help="a setting: torso_hinge=40, set_rest=10, reps.min_rise_deg=12, ...",
    )
    parser.add_argument("--overwrite", action="store_true", help="replace OUT's tables")
    args = parser.parse_args(argv)
    if not args.paths and not args.paths_table:
        parser.error("give PATHs or --paths-table")

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("kickback check").getOrCreate()
    counts = run(
        spark,
        args.paths,
        args.out,
        paths_table=args.paths_table,
        partitions=args.partitions,
        settings=_settings_kwargs(args.setting),
        mode="overwrite" if args.overwrite else "errorifexists",
    )
    print(f"{counts['recordings']} recordings, {counts['reps']} reps -> {args.out}")
    spark.stop()


if __name__ == "__main__":
    main()
