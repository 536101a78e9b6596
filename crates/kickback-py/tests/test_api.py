"""Tests of every function of the `kickback` Python package, good and bad
input, against the CLI's own output."""

import dataclasses
import math
import os
import pickle
from pathlib import Path

import numpy as np
import pytest

import kickback
from conftest import SAMPLE, TESTDATA


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


# read -----------------------------------------------------------------------


def test_read_gives_arrays_in_si_units_and_the_readers_report():
    rec = kickback.read(SAMPLE)
    n = len(rec.t)
    assert n > 1000
    assert rec.acc.shape == (n, 3) and rec.gyro.shape == (n, 3)
    assert rec.t.dtype == np.float64 and np.all(np.diff(rec.t) > 0)
    assert abs(np.median(np.linalg.norm(rec.acc, axis=1)) - 9.81) < 0.5
    assert rec.info["format"] == "generic"
    assert rec.info["samples"] == n
    t, acc, gyro, info = rec  # unpacks
    assert t is rec.t


def test_read_options_apply_and_no_gyroscope_is_none(tmp_path):
    csv = "time,ax,ay,az\n" + "".join(f"{i / 100},0,0,1\n" for i in range(50))
    p = write(tmp_path, "g.csv", csv)
    assert kickback.read(p).gyro is None
    assert kickback.read(p).acc[0, 2] == pytest.approx(9.80665)
    # Forcing a unit the values contradict is refused, saying what to pass.
    with pytest.raises(kickback.ReadError, match="pass --accel-unit g"):
        kickback.read(p, accel_unit="m/s2")


@pytest.mark.parametrize(
    "name, text, line, column",
    [
        ("bad_number.csv", "time,ax,ay,az\n0,0,0,1\n0.01,0,x,1\n0.02,0,0,1\n", 3, 3),
        ("no_accel.csv", "time,foo,bar\n0,1,2\n0.01,1,2\n", None, None),
        ("empty.csv", "", None, None),
        ("backwards.csv", "time,ax,ay,az\n10,0,0,1\n11,0,0,1\n2,0,0,1\n3,0,0,1\n", None, None),
    ],
)
def test_read_bad_files_raise_read_error_naming_file_line_column(tmp_path, cli, name, text, line, column):
    p = write(tmp_path, name, text)
    with pytest.raises(kickback.ReadError) as err:
        kickback.read(p)
    e = err.value
    assert e.file == str(p)
    assert (e.line, e.column) == (line, column)
    assert str(p) in str(e)
    # analyze says the same as `kickback analyze`
    with pytest.raises(kickback.ReadError) as err2:
        kickback.analyze(p)
    assert str(err2.value) == cli.error("analyze", p)


def test_missing_file_is_a_read_error_naming_it(tmp_path, cli):
    p = tmp_path / "nope.csv"
    with pytest.raises(kickback.ReadError) as err:
        kickback.read(p)
    assert err.value.file == str(p) and str(p) in str(err.value)
    with pytest.raises(kickback.ReadError) as err2:
        kickback.analyze(p)
    assert str(err2.value) == cli.error("analyze", p)


# analyze --------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, flags",
    [
        ({}, []),
        ({"torso_hinge": 30, "set_rest": 5}, ["--torso-hinge", "30", "--set-rest", "5"]),
        ({"set": {"reps.min_rise_deg": 15}}, ["--set", "reps.min_rise_deg=15"]),
    ],
)
def test_analyze_file_equals_cli_json(cli, kwargs, flags):
    a = kickback.analyze(SAMPLE, **kwargs)
    _, expected = cli.json("analyze", SAMPLE, "--format", "json", *flags)
    assert a.to_dict() == expected
    assert a.rep_count == expected["rep_count"] == len(a.reps)
    assert [r.index for r in a.reps] == [r["index"] for r in expected["reps"]]
    assert a.summary.momentum == expected["summary"]["momentum"]
    assert a.source == str(SAMPLE)
    assert a.input["format"] == "generic"


def test_analyze_arrays_equals_the_file():
    from_file = kickback.analyze(SAMPLE)
    rec = kickback.read(SAMPLE)
    for source in (rec, (rec.t, rec.acc, rec.gyro), {"t": rec.t, "acc": rec.acc, "gyro": rec.gyro}):
        a = kickback.analyze(source)
        assert a.reps == from_file.reps
        assert a.sets == from_file.sets
        assert a.summary == from_file.summary
        assert a.source is None and a.input is None
    # other layouts and dtypes are converted (copied), with the same result
    fortran = np.asfortranarray(rec.acc)
    assert kickback.analyze((rec.t.tolist(), fortran, rec.gyro.astype(np.float32))).rep_count == from_file.rep_count


def test_analyze_arrays_bad_input():
    t = np.arange(100) / 100
    with pytest.raises(ValueError, match=r"acc must have shape \(100, 3\)"):
        kickback.analyze((t, np.zeros((99, 3))))
    with pytest.raises(ValueError, match=r"gyro must have shape \(100, 3\)"):
        kickback.analyze((t, np.zeros((100, 3)), np.zeros((100, 2))))
    with pytest.raises(ValueError, match=r"acc must have shape \(n, 3\)"):
        kickback.analyze((t, np.zeros(100)))
    with pytest.raises(TypeError, match="analyze\\(\\) takes a path"):
        kickback.analyze(42)
    # NaN and time going backwards are warnings, not errors
    acc = np.tile([0.0, 0.0, 9.81], (100, 1))
    acc[10] = np.nan
    a = kickback.analyze((t, acc))
    assert a.rep_count == 0
    assert any(w.kind == "invalid_sample" for w in a.warnings)


def test_to_arrow_and_to_pandas_hold_the_reps_and_sets():
    pa = pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")
    a = kickback.analyze(SAMPLE)
    reps = a.to_arrow()
    assert reps.num_rows == a.rep_count
    assert reps.schema.field("index").type == pa.int64()
    assert reps.column("peak_s").to_pylist() == [r.peak_s for r in a.reps]
    assert reps.column("lumbar_overextension").to_pylist() == [
        "lumbar_overextension" in r.faults for r in a.reps
    ]
    assert reps.column("momentum_score").to_pylist() == [r.momentum.score for r in a.reps]
    sets = a.to_pandas("sets")
    assert list(sets["rep_count"]) == [s.rep_count for s in a.sets]
    df = a.to_pandas()
    assert list(df["range_deg"]) == [r.range_deg for r in a.reps]
    with pytest.raises(ValueError, match="'reps' or 'sets'"):
        a.to_arrow("faults")


# settings -------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, flags",
    [
        ({"torso_hinge": 200}, ["--torso-hinge", "200"]),
        ({"partial_fraction": -1}, ["--partial-fraction=-1"]),
        ({"set": {"reps.nope": 1}}, ["--set", "reps.nope=1"]),
        ({"set": ["reps.min_rise_deg"]}, ["--set", "reps.min_rise_deg"]),
        ({"set": {"reps.min_rise_deg": "abc"}}, ["--set", "reps.min_rise_deg=abc"]),
        ({"accel_unit": "furlongs"}, ["--accel-unit", "furlongs"]),
        ({"input_format": "excel"}, ["--input-format", "excel"]),
        ({"rate": -5}, ["--rate=-5"]),
    ],
)
def test_bad_settings_raise_settings_error_with_the_clis_message(cli, kwargs, flags):
    expected = cli.error("analyze", SAMPLE, *flags)
    for call in (
        lambda: kickback.analyze(SAMPLE, **kwargs),
        lambda: kickback.read(SAMPLE, **kwargs),
        lambda: kickback.Analyzer(**kwargs),
        lambda: kickback.check([SAMPLE], **kwargs),
    ):
        with pytest.raises(kickback.SettingsError) as err:
            call()
        assert str(err.value) == expected


def test_settings_file_is_used_and_a_bad_one_named(tmp_path, cli):
    good = write(tmp_path, "good.toml", "[reps]\nmin_rise_deg = 40\n")
    assert kickback.analyze(SAMPLE, config=good).to_dict() == cli.json(
        "analyze", SAMPLE, "--format", "json", "--config", good
    )[1]
    bad = write(tmp_path, "bad.toml", "[lumbar]\ntorso_hinge_deg = 300\n")
    with pytest.raises(kickback.SettingsError) as err:
        kickback.analyze(SAMPLE, config=bad)
    assert str(bad) in str(err.value) and err.value.file == str(bad)
    assert str(err.value) == cli.error("analyze", SAMPLE, "--config", bad)


def test_unknown_keywords_and_non_numbers_are_refused():
    with pytest.raises(TypeError, match="unknown keyword argument\\(s\\) torso"):
        kickback.analyze(SAMPLE, torso=40)
    with pytest.raises(kickback.SettingsError, match="torso_hinge must be a number"):
        kickback.analyze(SAMPLE, torso_hinge="steep")


def test_errors_pickle_with_their_location():
    e = kickback.ReadError("a.csv:3:2: bad", "a.csv", 3, 2)
    back = pickle.loads(pickle.dumps(e))
    assert (str(back), back.file, back.line, back.column) == ("a.csv:3:2: bad", "a.csv", 3, 2)
    assert isinstance(back, ValueError) and isinstance(back, kickback.KickbackError)


# Analyzer -------------------------------------------------------------------


def test_analyzer_in_chunks_equals_analyze_of_the_whole():
    rec = kickback.read(SAMPLE)
    whole = kickback.analyze(rec)
    rng = np.random.default_rng(7)
    live = kickback.Analyzer()
    events = []
    i = 0
    while i < len(rec.t):
        n = int(rng.integers(1, 400))
        live.push(rec.t[i : i + n], rec.acc[i : i + n], rec.gyro[i : i + n])
        events += live.poll()
        i += n
    result = live.finish()
    events += live.poll()
    assert result.reps == whole.reps and result.sets == whole.sets
    assert result.summary == whole.summary and result.warnings == whole.warnings
    assert result.duration_s == whole.duration_s
    # Reps completed live, less those a later discard took back (a lone
    # rep, or one the leg went straight on from into a step).
    completed = [e.rep for e in events if isinstance(e, kickback.RepCompleted)]
    done = {r.id for r in completed}
    back = [e for e in events if isinstance(e, kickback.RepDiscarded) and e.id in done]
    assert all(e.reason in ("lone", "gait") for e in back)
    assert [r for r in completed if r.id not in {e.id for e in back}] == whole.reps
    started = [e.id for e in events if isinstance(e, kickback.RepStarted)]
    ended = [e.rep.id for e in events if isinstance(e, kickback.RepCompleted)]
    ended += [e.id for e in events if isinstance(e, kickback.RepDiscarded) and e.id not in done]
    assert sorted(started) == sorted(ended) and len(set(started)) == len(started)
    assert all(r.id > 0 for r in whole.reps)
    assert [e.set for e in events if isinstance(e, kickback.SetCompleted)] == whole.sets
    assert isinstance(events[-1], kickback.Finished)
    assert events[-1].samples == len(rec.t)
    assert live.poll() == []


def test_walking_is_reported_live_and_in_the_analysis():
    # testdata/walking_0000.csv: a simulated session with walks between sets
    rec = kickback.read(TESTDATA / "walking_0000.csv")
    whole = kickback.analyze(rec)
    assert whole.walking, "no walk recognised"
    assert all(w.steps >= 2 and w.end_s > w.start_s for w in whole.walking)
    assert [w["steps"] for w in whole.to_dict()["walking"]] == [w.steps for w in whole.walking]
    live = kickback.Analyzer()
    live.push(rec.t, rec.acc, rec.gyro)
    events = live.poll()
    live.finish()
    events += live.poll()
    walks = [e.walk for e in events if isinstance(e, kickback.WalkingRecognised)]
    assert walks == whole.walking


def test_analyzer_one_sample_at_a_time_and_new_stream_after_finish():
    rec = kickback.read(SAMPLE)
    live = kickback.Analyzer()
    for k in range(3000):
        live.push(rec.t[k], rec.acc[k], rec.gyro[k])
    first = live.finish()
    expected = kickback.analyze((rec.t[:3000], rec.acc[:3000], rec.gyro[:3000]))
    assert first.reps == expected.reps
    live.poll()
    live.push(rec.t, rec.acc, rec.gyro)  # a new stream
    again = live.finish().reps
    whole = kickback.analyze(rec).reps
    # The same reps; their ids number on from the first stream's rises.
    assert [dataclasses.replace(r, id=0) for r in again] == [
        dataclasses.replace(r, id=0) for r in whole
    ]
    assert again and min(r.id for r in again) > max(r.id for r in first.reps)


def test_analyzer_bad_input():
    live = kickback.Analyzer(torso_hinge=40)
    with pytest.raises(ValueError, match=r"acc must have shape \(2, 3\)"):
        live.push([0.0, 0.01], [[0, 0, 9.81]])
    with pytest.raises(kickback.SettingsError):
        kickback.Analyzer(set_rest=-1)


# check ----------------------------------------------------------------------


def test_check_rows_equal_the_clis(tmp_path, cli):
    bad = write(tmp_path, "bad.csv", "time,ax,ay,az\n0,0,0,1\n0.01,0,x,1\n")
    paths = [str(TESTDATA), str(bad), str(tmp_path / "missing.csv")]
    res = kickback.check(paths, jobs=2, torso_hinge=40)
    code, doc = cli.json("check", *paths, "--format", "json", "--torso-hinge", "40")
    assert res.exit_code == code == 2
    recs = res.recordings.to_pylist()
    assert len(recs) == len(doc["recordings"]) >= 16
    for got, want in zip(recs, doc["recordings"]):
        assert got["source"] == want["source"]
        assert got["status"] == want["status"]
        assert got["error"] == want["error"]
        for k in ("rep_count", "set_count", "duration_s", "warning_count", "fails"):
            assert got[k] == want[k], (got["source"], k)
        summary = want["summary"] or {}
        for f in ("momentum", "lumbar_overextension", "partial_range"):
            assert got[f] == summary.get(f)
    assert recs[-2]["error"].startswith(f"{bad}:3:3: expected a number")
    _, per_rep = cli.json("check", *paths, "--format", "json", "--per-rep", "--torso-hinge", "40")
    reps = res.reps.to_pylist()
    assert len(reps) == len(per_rep["reps"]) == doc["totals"]["reps"]
    for got, want in zip(reps, per_rep["reps"]):
        assert got["source"] == want["source"] and got["index"] == want["index"]
        for k in ("set", "start_s", "peak_s", "end_s", "range_deg", "windup_deg", "peak_velocity_dps"):
            assert got[k] == want[k]
        assert got["momentum_score"] == want["momentum"]["score"]
        for f in ("momentum", "lumbar_overextension", "partial_range"):
            assert got[f] == (f in want["faults"])
    recordings, reps_table = res  # unpacks
    assert recordings is res.recordings


def test_check_arguments(tmp_path):
    single = kickback.check(SAMPLE, fail_on="none")
    assert single.recordings.num_rows == 1 and single.exit_code == 0
    assert kickback.check([SAMPLE], fail_on="all").exit_code == 1
    with pytest.raises(kickback.SettingsError, match="unknown fault or status `swing`"):
        kickback.check([SAMPLE], fail_on="momentum,swing")
    for jobs in (0, 5000):
        with pytest.raises(kickback.SettingsError, match="jobs must be between 1 and 1024"):
            kickback.check([SAMPLE], jobs=jobs)
    with pytest.raises(kickback.SettingsError, match="jobs must be a whole number"):
        kickback.check([SAMPLE], jobs=1.5)
    empty = tmp_path / "empty"
    empty.mkdir()
    res = kickback.check([empty])
    assert res.recordings.column("status").to_pylist() == ["error"]
    assert str(empty) in res.recordings.column("error")[0].as_py()


def test_formats_lists_the_readers():
    names = [n for n, _ in kickback.formats()]
    assert "sensor-logger" in names and "generic" in names
    assert kickback.__version__


def test_find_recordings_lists_what_check_checks(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    paths = [str(TESTDATA), str(empty), str(SAMPLE)]  # SAMPLE again: checked once
    found = kickback.find_recordings(paths)
    assert found == kickback.check(paths).recordings.column("source").to_pylist()
    assert str(empty) in found and found.count(str(SAMPLE)) == 1
    assert kickback.find_recordings(SAMPLE) == [str(SAMPLE)]
    whole = kickback.check(paths)
    parts = kickback.check(found)
    assert parts.recordings.equals(whole.recordings) and parts.reps.equals(whole.reps)


def test_parquet_files_of_the_cli_equal_the_python_tables(tmp_path, cli):
    pq = pytest.importorskip("pyarrow.parquet")
    bad = write(tmp_path, "bad.csv", "time,ax,ay,az\n0,0,0,1\n0.01,0,x,1\n")
    out = tmp_path / "out"
    code, _, err = cli.run("check", TESTDATA, bad, "--parquet", out, "--set-rest", "6")
    assert code == 2, err
    res = kickback.check([TESTDATA, bad], set_rest=6)
    for name, table in (("recordings", res.recordings), ("reps", res.reps)):
        got = pq.read_table(out / f"{name}.parquet")
        assert got.schema.equals(table.schema), name
        assert got.equals(table), name
    assert res.reps.num_rows > 100
