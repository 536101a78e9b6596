#!/usr/bin/env python3
"""The "usual Python pipeline" for counting kickback reps, as a baseline.

    python3 bench/pipeline.py FILE.csv

What a data scientist would write first:
  1. pandas.read_csv of the generic CSV (time_s,ax,ay,az,gx,gy,gz; SI units);
  2. the sample rate from the median time step;
  3. the gyroscope axis with the largest variance (the kick's axis);
  4. a 2nd-order Butterworth band-pass, 0.1-3 Hz, applied forwards and
     backwards (scipy.signal.butter + sosfiltfilt: zero phase, offline);
  5. scipy.signal.find_peaks on the band-passed rate (sign chosen so the
     stronger side is up), prominence 0.5 rad/s, distance 0.8 s: one peak per
     rise of the leg, i.e. one per rep.

It counts reps only (no sets, metrics or faults), so it does less than
`kickback analyze`; it is the speed baseline, not a competitor on accuracy.

Prints one JSON line with the phase timings (perf_counter, seconds):
  import_s  importing numpy, pandas and scipy.signal
  read_s    pandas.read_csv
  compute_s rate, axis choice, filter, peaks
  reps      peaks found
Install the dependencies with:  python3 -m pip install pandas scipy
"""
import time

T0 = time.perf_counter()
import json  # noqa: E402
import sys  # noqa: E402

try:
    import numpy as np
    import pandas as pd
    from scipy import signal
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.exit(f"pipeline.py: {e}. Install the dependencies: python3 -m pip install pandas scipy")
T1 = time.perf_counter()


def count_reps(df):
    t = df["time_s"].to_numpy()
    fs = 1.0 / float(np.median(np.diff(t)))
    gyro = df[["gx", "gy", "gz"]].to_numpy()
    axis = int(np.argmax(gyro.var(axis=0)))
    sos = signal.butter(2, [0.1, 3.0], btype="bandpass", fs=fs, output="sos")
    rate = signal.sosfiltfilt(sos, gyro[:, axis])
    # The kick's sign is unknown (strap orientation): use the stronger side.
    if np.percentile(rate, 99) < -np.percentile(rate, 1):
        rate = -rate
    peaks, _ = signal.find_peaks(rate, prominence=0.5, distance=max(1, int(0.8 * fs)))
    return fs, axis, len(peaks)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pipeline.py FILE.csv")
    t2 = time.perf_counter()
    df = pd.read_csv(sys.argv[1])
    t3 = time.perf_counter()
    fs, axis, reps = count_reps(df)
    t4 = time.perf_counter()
    print(json.dumps({
        "import_s": T1 - T0,
        "read_s": t3 - t2,
        "compute_s": t4 - t3,
        "rows": len(df),
        "rate_hz": fs,
        "axis": "xyz"[axis],
        "reps": reps,
    }))


if __name__ == "__main__":
    main()
