#!/usr/bin/env python3
"""Compare the simulator's walking with real shank recordings, stride by stride.

    python3 crates/kickback-sim/tools/gait_compare.py --sim DIR [--sim DIR2 ...]
        [--real ../shared/realdata/walking] [--csv-out FILE]

DIR holds recordings written by `kickback simulate --scenario walking` (generic
layout, `<name>.truth.json` with `activities[]`); the real folder is read in place
(`ncsu/` with `segments[]`, `hugadb/{rs,ls}/` walking files). Only the walking
stretches are used (NCSU: `solid_ground_stand_or_walk` and `grass_walk`; the
standing in the former is dropped because no stride is found there).

Every recording is put on a 100 Hz grid (linear interpolation). The sagittal
angular velocity w is the gyroscope projected on its first principal axis over the
walking stretches, signed so that the mid-swing peak is positive (the swing peak
is the largest excursion of a shank gyroscope in gait; Aminian et al. 2002). A
stride runs from one swing peak (> 150 deg/s) to the next, 0.8-1.8 s later.
Per stride:

  period     s between swing peaks
  range      deg, max - min of w integrated over the stride (linear drift removed)
  w_swing    deg/s, the swing peak
  stance     fraction of the stride from heel strike (where w first falls
             below 0 after the peak; the strike's jolt follows within 1-2
             samples) to toe-off (the minimum of w within 0.35 s before the
             next peak)
  drop40     deg/s, the largest fall of w within 40 ms from the swing peak to
             heel strike + 0.1 s (the end of the swing and the strike)
  hf         g, the largest |a - centred 70 ms mean of a| in the stride (what a
             heel strike or any sharp jolt adds above the limb's own motion)
  a_hs       g, the largest |a| from 50 ms before to 150 ms after heel strike
  a_swing    g, the largest |a| from the swing peak to 50 ms before heel strike
             (the shank braking the swing: grows with the distance from the knee)

Each cell is p5 / p50 / p95 over the strides. Accelerations depend on where on
the shank the sensor sits (the simulator: a few cm above the ankle; HuGaDB:
mid-shin; NCSU: "lower limb"), and on the rate (40 Hz smooths 20-50 ms jolts), so
the simulator is split by rate; HuGaDB's accelerometer clips at 2 g per axis.
"""

import argparse
import glob
import json
import os
import sys

import numpy as np
from scipy.ndimage import uniform_filter1d
from scipy.signal import find_peaks

GRID_HZ = 100.0
G = 9.80665
METRICS = ["period", "range", "w_swing", "stance", "drop40", "hf", "a_hs", "a_swing"]
UNITS = ["s", "deg", "deg/s", "frac", "deg/s", "g", "g", "g"]
REAL_WALKING = {"solid_ground_stand_or_walk", "grass_walk", "walking"}


def load(path):
    d = np.genfromtxt(path, delimiter=",", names=True)
    names = d.dtype.names
    if names is None or len(d) < 10:
        return None
    t = d[names[0]].astype(float)
    a = np.stack([d["ax"], d["ay"], d["az"]], 1)
    g = np.stack([d["gx"], d["gy"], d["gz"]], 1) if "gx" in names else None
    if g is not None and not np.isfinite(g).all():
        g = None
    return t - t[0], a, g


def on_grid(t, x, s, e):
    tg = np.arange(max(s, t[0]), min(e, t[-1]), 1.0 / GRID_HZ)
    return tg, np.stack([np.interp(tg, t, x[:, i]) for i in range(x.shape[1])], 1)


def moved_down(ag, gg, d):
    """What a sensor `d` m further down the shank (towards the ankle) would read,
    rigid shank assumed: a + alpha x r + w x (w x r), r = -d along the shank, the
    shank taken along the mean specific force (gravity) over the stretch."""
    axis = ag.mean(0)
    r = -d * axis / np.linalg.norm(axis)
    alpha = np.gradient(gg, 1.0 / GRID_HZ, axis=0)
    rr = np.broadcast_to(r, gg.shape)
    return ag + np.cross(alpha, rr) + np.cross(gg, np.cross(gg, rr))


def strides(t, a, g, windows, down=0.0):
    """Per-stride metrics over the walking windows of one recording."""
    if g is None:
        return []
    pieces = []
    for s, e in windows:
        if e - s < 3.0:
            continue
        tg, ag = on_grid(t, a, s, e)
        _, gg = on_grid(t, g, s, e)
        if len(tg) > 300:
            pieces.append((tg, ag, gg))
    if not pieces:
        return []
    allg = np.concatenate([p[2] for p in pieces])
    _, _, vt = np.linalg.svd(allg - allg.mean(0), full_matrices=False)
    axis = vt[0]
    w_all = np.degrees(allg @ axis)
    if -np.percentile(w_all, 0.5) > np.percentile(w_all, 99.5):
        axis = -axis
    out = []
    dt = 1.0 / GRID_HZ
    n40 = int(round(0.04 * GRID_HZ))
    for tg, ag, gg in pieces:
        if down:
            ag = moved_down(ag, gg, down)
        w = np.degrees(gg @ axis)
        amag = np.linalg.norm(ag, axis=1) / G
        hf = np.linalg.norm(ag - uniform_filter1d(ag, 7, axis=0, mode="nearest"), axis=1) / G
        pk, _ = find_peaks(w, height=150.0, distance=int(0.6 * GRID_HZ), prominence=150.0)
        for p0, p1 in zip(pk[:-1], pk[1:]):
            period = (p1 - p0) * dt
            if not 0.8 <= period <= 1.8:
                continue
            seg = w[p0 : p1 + 1]
            th = np.cumsum(seg) * dt
            th -= np.linspace(0.0, th[-1], len(th))
            # heel strike: where the swing's rate falls through zero (the
            # strike follows within 1-2 samples); the minimum if it never does
            after = w[p0 : p0 + int(0.3 * GRID_HZ)]
            below = np.flatnonzero(after < 0.0)
            ic = p0 + int(below[0] if len(below) else np.argmin(after))
            to0 = p1 - int(0.35 * GRID_HZ)
            to = to0 + int(np.argmin(w[to0:p1]))
            end = min(ic + int(0.1 * GRID_HZ), len(w) - 1 - n40)
            drop = max(w[i] - w[i + n40] for i in range(p0, max(end, p0 + 1)))
            lo, hi = max(ic - 5, 0), min(ic + 16, len(w))
            out.append(
                [
                    period,
                    th.max() - th.min(),
                    w[p0],
                    (to - ic) * dt / period,
                    drop,
                    hf[p0:p1].max(),
                    amag[lo:hi].max(),
                    amag[p0 : max(ic - 5, p0 + 1)].max(),
                ]
            )
    return out


def real_sets(root):
    sets = {}
    for f in sorted(glob.glob(os.path.join(root, "ncsu", "*.csv"))):
        tr = json.load(open(f[:-4] + ".truth.json"))
        w = [(s["start_s"], s["end_s"]) for s in tr.get("segments", []) if s["activity"] in REAL_WALKING]
        sets.setdefault("real NCSU walk+grass 40 Hz", []).append((f, w))
    for f in sorted(glob.glob(os.path.join(root, "hugadb", "*", "*walking*.csv"))):
        tr = json.load(open(f[:-4] + ".truth.json"))
        w = [(s["start_s"], s["end_s"]) for s in tr.get("segments", []) if s["activity"] in REAL_WALKING]
        sets.setdefault("real HuGaDB walking 59 Hz", []).append((f, w))
    return sets


def sim_sets(root, label):
    sets = {}
    for f in sorted(glob.glob(os.path.join(root, "*.csv"))):
        tp = f[:-4] + ".truth.json"
        if not os.path.exists(tp):
            continue
        tr = json.load(open(tp))
        w = [(x["start_s"], x["end_s"]) for x in tr.get("activities", []) if x["kind"] == "walking"]
        fs = tr.get("sample_rate_hz", 100.0)
        band = "< 70 Hz" if fs < 70 else ">= 70 Hz"
        sets.setdefault(f"{label} {band}", []).append((f, w))
    return sets


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_real = os.path.normpath(os.path.join(here, "..", "..", "..", "..", "shared", "realdata", "walking"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sim", action="append", default=[], help="folder of simulated recordings (repeatable)")
    ap.add_argument("--sim-label", action="append", default=[], help="label of each --sim folder")
    ap.add_argument("--real", default=os.environ.get("KICKBACK_REALDATA_WALKING", default_real))
    ap.add_argument(
        "--real-down",
        type=float,
        default=0.0,
        metavar="M",
        help="also show the real data as read M m further down the shank (rigid-body estimate "
        "from its gyroscope; HuGaDB's clipped accelerometer makes it a lower bound there)",
    )
    ap.add_argument("--csv-out", help="also write every stride's metrics to this CSV file")
    args = ap.parse_args()
    sets = {}
    down = {}
    if os.path.isdir(args.real):
        real = real_sets(args.real)
        sets.update(real)
        if args.real_down:
            for name, files in real.items():
                label = f"{name}, {args.real_down:g} m lower"
                sets[label] = files
                down[label] = args.real_down
    else:
        print(f"note: no real walking data at {args.real} (pass --real); comparing simulated only", file=sys.stderr)
    for i, d in enumerate(args.sim):
        label = args.sim_label[i] if i < len(args.sim_label) else ("sim" if len(args.sim) == 1 else f"sim{i + 1}")
        sets.update(sim_sets(d, label))
    if not sets:
        sys.exit("nothing to compare: give --sim DIR and/or --real DIR")
    rows = []
    width = max(len(k) for k in sets)
    head = f"| {'data'.ljust(width)} | strides | " + " | ".join(f"{m} ({u})" for m, u in zip(METRICS, UNITS)) + " |"
    print(head)
    print("|" + "---|" * (2 + len(METRICS)))
    for name, files in sets.items():
        st = []
        for f, w in files:
            rec = load(f)
            if rec is None:
                continue
            st.extend(strides(*rec, w, down.get(name, 0.0)))
        if not st:
            print(f"| {name.ljust(width)} | 0 |" + " |" * len(METRICS))
            continue
        m = np.array(st)
        rows.extend([name] + list(r) for r in st)
        cells = []
        for j, metric in enumerate(METRICS):
            p5, p50, p95 = np.percentile(m[:, j], [5, 50, 95])
            fmt = "{:.2f}" if metric in ("period", "stance", "hf", "a_hs", "a_swing") else "{:.0f}"
            cells.append("/".join(fmt.format(v) for v in (p5, p50, p95)))
        print(f"| {name.ljust(width)} | {len(m)} | " + " | ".join(cells) + " |")
    if args.csv_out:
        with open(args.csv_out, "x") as fh:
            fh.write("data," + ",".join(METRICS) + "\n")
            for r in rows:
                fh.write(r[0] + "," + ",".join(f"{v:.4f}" for v in r[1:]) + "\n")


if __name__ == "__main__":
    main()
