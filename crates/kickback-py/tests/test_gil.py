"""The engine runs with the GIL released: another Python thread keeps
running while `kickback` analyses.

A second thread notes the time about every millisecond. While a call
holds the GIL that thread cannot run, so its notes stop for the whole
call: the longest gap between notes is about the call's duration. While
the GIL is released the thread runs beside the engine and the longest gap
is scheduling noise (milliseconds). The test asks that the longest gap be
under half of a call that lasts a good fraction of a second, which
depends on no machine's speed; a call known to hold the GIL (sorting a
list) is measured the same way, to show the measure sees a held GIL.
"""

import functools
import math
import random
import threading
import time

import numpy as np
import pytest

import kickback
from conftest import SAMPLE

# The engine must run at least this long for a gap to mean something.
MIN_CALL_S = 0.3


def longest_gap_share(call):
    """Runs `call` while another thread notes the time; returns the
    longest stretch of the call without a note, as a share of the call's
    duration, and the duration."""
    notes = []
    stop = threading.Event()

    def note_the_time():
        clock = time.perf_counter
        last = clock()
        notes.append(last)
        while not stop.is_set():
            now = clock()
            if now - last >= 0.001:
                notes.append(now)
                last = now

    thread = threading.Thread(target=note_the_time, daemon=True)
    thread.start()
    while not notes:
        time.sleep(0.001)
    start = time.perf_counter()
    call()
    end = time.perf_counter()
    stop.set()
    thread.join()
    inside = [start] + [n for n in notes if start < n < end] + [end]
    gap = max(b - a for a, b in zip(inside, inside[1:]))
    return gap / (end - start), end - start


def tiled(copies):
    """sample.csv repeated `copies` times end to end (about 3 minutes each)."""
    rec = kickback.read(SAMPLE)
    span = rec.t[-1] - rec.t[0] + (rec.t[1] - rec.t[0])
    t = np.concatenate([rec.t + k * span for k in range(copies)])
    return t, np.tile(rec.acc, (copies, 1)), np.tile(rec.gyro, (copies, 1))


def long_enough(make_call, copies):
    """`make_call(copies)` with enough copies of sample.csv that one call
    lasts at least MIN_CALL_S (timed once, then scaled), so that a held GIL
    would stop the other thread for most of the call on any machine."""
    for _ in range(4):
        call = make_call(copies)
        start = time.perf_counter()
        call()
        took = time.perf_counter() - start
        if took >= MIN_CALL_S:
            return call
        copies = math.ceil(copies * 1.5 * MIN_CALL_S / max(took, 0.01))
    pytest.fail(f"no call of {copies} copies lasted {MIN_CALL_S} s")


def test_a_call_holding_the_gil_stops_the_other_thread():
    # list.sort of floats is C code that never releases the GIL.
    def make_call(copies):
        values = [random.random() for _ in range(20_000 * copies)]
        return lambda: sorted(values)

    share, took = longest_gap_share(long_enough(make_call, 8))
    assert share > 0.8, (share, took)


def analyze_arrays(copies):
    t, acc, gyro = tiled(copies)
    return lambda: kickback.analyze((t, acc, gyro))


def analyzer_push(copies):
    t, acc, gyro = tiled(copies)

    def call():
        live = kickback.Analyzer()
        live.push(t, acc, gyro)  # one native call

    return call


def analyze_file(copies, folder):
    pa = pytest.importorskip("pyarrow")
    csv = pytest.importorskip("pyarrow.csv")
    t, acc, gyro = tiled(copies)
    columns = {"time_s": t}
    for name, values in (("a", acc), ("g", gyro)):
        for k, axis in enumerate("xyz"):
            columns[name + axis] = values[:, k]
    path = folder / "long.csv"  # one file, rewritten when scaled
    csv.write_csv(pa.table(columns), path)
    return lambda: kickback.analyze(path)


@pytest.mark.parametrize(
    "make_call", [analyze_arrays, analyzer_push, analyze_file], ids=lambda f: f.__name__
)
def test_the_engine_leaves_the_gil_to_other_threads(make_call, tmp_path):
    if make_call is analyze_file:
        make_call = functools.partial(analyze_file, folder=tmp_path)
    call = long_enough(make_call, 32)
    share, took = longest_gap_share(call)
    assert share < 0.5, (
        f"the other thread stood still for {share:.0%} of a {took:.2f} s call "
        "(the GIL is held while the engine runs)"
    )
