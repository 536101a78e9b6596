"""examples/spark/check_recordings.py on a real local Spark session
(local[2]) over a simulated corpus of 200+ recordings in several app
layouts (CSV files, export folders, zips, paired files): its Parquet rows
equal `kickback check`'s, recording for recording and rep for rep.

Needs pyspark and a Java runtime (`.ci/run` installs both); skipped with a
note when either is missing.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import kickback
from conftest import REPO

JOB = REPO / "examples" / "spark" / "check_recordings.py"

# (layout, recordings): 210 in all, and 2 more as zips of export folders
CORPUS = [
    ("generic", 60),
    ("sensor-logger-ios", 40),
    ("phyphox", 40),
    ("metawear", 35),
    ("axivity", 35),
]


def load_job():
    spec = importlib.util.spec_from_file_location("check_recordings", JOB)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def spark():
    pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime (apt-get install openjdk-17-jdk-headless)")
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # executors use this environment
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("kickback-test")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    del pyspark


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, cli):
    root = tmp_path_factory.mktemp("corpus")
    for i, (layout, count) in enumerate(CORPUS):
        code, _, err = cli.run(
            "simulate", "--out", root / layout, "--count", count, "--compact",
            "--format", layout, "--seed", 1000 * (i + 1),
        )
        assert code == 0, err
    # two export folders as zips (a zip is one recording)
    zips = root / "zips"
    zips.mkdir()
    folders = sorted(p for p in (root / "sensor-logger-ios").iterdir() if p.is_dir())[:2]
    for folder in folders:
        with zipfile.ZipFile(zips / f"{folder.name}.zip", "w") as z:
            for f in folder.iterdir():
                z.write(f, f"{folder.name}/{f.name}")
    # and one recording that cannot be read
    (root / "generic" / "broken.csv").write_text("time,ax,ay,az\n0,0,0,1\n0.01,0,oops,1\n")
    return root


def test_spark_job_rows_equal_kickback_check(spark, corpus, cli, tmp_path):
    job = load_job()
    out = tmp_path / "out"
    start = time.perf_counter()
    counts = job.run(spark, [str(corpus)], str(out), partitions=8)
    elapsed = time.perf_counter() - start

    # the oracle: the CLI over the same folder
    code, doc = cli.json("check", corpus, "--format", "json", "--fail-on", "none")
    _, per_rep = cli.json("check", corpus, "--format", "json", "--per-rep", "--fail-on", "none")
    want_recs = doc["recordings"]
    want_reps = per_rep["reps"]
    assert code == 2  # the broken file
    assert len(want_recs) >= 200 + 2 + 1

    import pyarrow.parquet as pq

    recs = pq.read_table(out / "recordings").to_pylist()
    reps = pq.read_table(out / "reps").to_pylist()
    assert counts == {"recordings": len(recs), "reps": len(reps)}
    recs.sort(key=lambda r: r["source"])
    want_recs.sort(key=lambda r: r["source"])
    assert [r["source"] for r in recs] == [r["source"] for r in want_recs]
    for got, want in zip(recs, want_recs):
        for k in ("status", "error", "rep_count", "set_count", "duration_s", "warning_count", "fails"):
            assert got[k] == want[k], (got["source"], k)
        for f in ("momentum", "lumbar_overextension", "partial_range"):
            assert got[f] == (want["summary"] or {}).get(f), (got["source"], f)
    assert sum(r["status"] == "error" for r in recs) == 1
    layouts = {Path(r["source"]).relative_to(corpus).parts[0] for r in recs}
    assert layouts == {layout for layout, _ in CORPUS} | {"zips"}

    key = lambda r: (r["source"], r["index"])  # noqa: E731
    reps.sort(key=key)
    want_reps.sort(key=key)
    assert len(reps) == len(want_reps) == doc["totals"]["reps"] > 1000
    for got, want in zip(reps, want_reps):
        assert key(got) == key(want)
        for k in ("set", "start_s", "peak_s", "end_s", "range_deg", "peak_elevation_deg",
                  "concentric_s", "hold_s", "eccentric_s", "peak_velocity_dps",
                  "peak_eccentric_velocity_dps", "windup_deg"):
            assert got[k] == want[k], (key(got), k)
        assert got["momentum_score"] == want["momentum"]["score"]
        for f in ("momentum", "lumbar_overextension", "partial_range"):
            assert got[f] == (f in want["faults"])

    # the same schema as `kickback check --parquet`
    assert pq.read_schema(next((out / "reps").glob("*.parquet"))).names == (
        kickback.check([]).reps.schema.names
    )
    cores = 2
    print(
        f"\nspark local[{cores}]: {len(recs)} recordings, {len(reps)} reps; the job (listing, "
        f"check, two Parquet writes) took {elapsed:.1f} s: "
        f"{len(recs) / elapsed / cores:.1f} recordings/s/core"
    )


def test_spark_job_takes_a_table_of_paths(spark, corpus, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    job = load_job()
    paths = kickback.find_recordings(str(corpus))[::40] + [str(corpus / "missing.csv")]
    pq.write_table(pa.table({"path": paths}), tmp_path / "paths.parquet")
    out = tmp_path / "out"
    counts = job.run(spark, [], str(out), paths_table=str(tmp_path / "paths.parquet"),
                     settings={"set_rest": "6", "set": {"reps.min_rise_deg": "12"}})
    want = kickback.check(paths, fail_on="none", set_rest=6, set={"reps.min_rise_deg": 12})
    got = pq.read_table(out / "recordings").sort_by("source")
    assert counts["recordings"] == len(paths) == got.num_rows
    assert got.to_pylist() == want.recordings.sort_by("source").to_pylist()
    reps = pq.read_table(out / "reps").sort_by([("source", "ascending"), ("index", "ascending")])
    assert reps.to_pylist() == want.reps.sort_by(
        [("source", "ascending"), ("index", "ascending")]).to_pylist()


def test_spark_job_refuses_bad_settings_on_the_driver(spark, tmp_path):
    job = load_job()
    with pytest.raises(kickback.SettingsError, match="torso_hinge_deg"):
        job.run(spark, [str(tmp_path)], str(tmp_path / "out"), settings={"torso_hinge": 500})


def test_spark_job_as_a_script_needs_paths(tmp_path):
    res = subprocess.run(
        [sys.executable, str(JOB), str(tmp_path / "out")], capture_output=True, text=True
    )
    assert res.returncode == 2 and "give PATHs or --paths-table" in res.stderr
