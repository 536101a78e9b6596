#!/usr/bin/env python3
"""Times `kickback analyze` against the usual Python pipeline (bench/pipeline.py)
on the same CSV and prints the ratios.

    python3 bench/compare.py FILE.csv [--kickback target/release/kickback] [--repeat 5]

Each command runs --repeat times as a fresh process; the best (smallest) time
of each is kept, timed with time.perf_counter around the subprocess:
  * python total     `python3 bench/pipeline.py FILE` end to end: interpreter
                     start-up, imports, read, compute.
  * python read+comp pandas.read_csv + filter + peaks only, as the pipeline
                     itself reports them (no start-up, no imports).
  * kickback         `kickback analyze FILE --format json` end to end (process
                     start-up, parse, analysis, JSON output).
Ratios: python total / kickback (target >= 20) and python read+compute /
kickback (target >= 4).

Needs pandas and scipy for the pipeline:  python3 -m pip install pandas scipy
bench/run.sh builds kickback, writes the 1-hour recording and runs this.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def best_of(cmd, repeat, env=None):
    best, out = None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        dt = time.perf_counter() - t0
        if p.returncode != 0:
            sys.exit(f"compare.py: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr.decode()}")
        if best is None or dt < best:
            best = dt
        out = p.stdout
    return best, out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("--kickback", default=os.path.join(HERE, "..", "target", "release", "kickback"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    try:
        import pandas  # noqa: F401
        import scipy  # noqa: F401
    except ImportError as e:
        sys.exit(f"compare.py: {e}. Install the pipeline's dependencies: python3 -m pip install pandas scipy")
    if not os.path.exists(args.kickback):
        sys.exit(f"compare.py: {args.kickback} not found; build it: cargo build --release -p kickback-cli")

    size = os.path.getsize(args.csv)
    # One untimed run of each warms the page cache and the imports' .pyc files.
    pipeline = [sys.executable, os.path.join(HERE, "pipeline.py"), args.csv]
    kickback = [args.kickback, "analyze", args.csv, "--format", "json"]
    subprocess.run(pipeline, stdout=subprocess.DEVNULL, check=True)
    subprocess.run(kickback, stdout=subprocess.DEVNULL, check=True)

    py_total, _ = best_of(pipeline, args.repeat)
    phases = []
    for _ in range(args.repeat):
        out = subprocess.run(pipeline, stdout=subprocess.PIPE, check=True).stdout
        phases.append(json.loads(out))
    best_phase = min(phases, key=lambda p: p["read_s"] + p["compute_s"])
    py_import = min(p["import_s"] for p in phases)
    py_read = best_phase["read_s"]
    py_compute = best_phase["compute_s"]
    kb_total, kb_out = best_of(kickback, args.repeat)
    report = json.loads(kb_out)

    print(f"file: {args.csv} ({size / 1e6:.1f} MB, {best_phase['rows']} rows, {best_phase['rate_hz']:.0f} Hz)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.processor() or platform.platform()}")
    print(f"python {platform.python_version()}, pandas {pandas.__version__}, scipy {scipy.__version__}")
    print(f"best of {args.repeat} runs, seconds:")
    print(f"  python pipeline, total (start-up + import + read + compute): {py_total:8.3f}")
    print(f"    import numpy/pandas/scipy.signal:                          {py_import:8.3f}")
    print(f"    pandas.read_csv:                                           {py_read:8.3f}")
    print(f"    band-pass + find_peaks:                                    {py_compute:8.3f}")
    print(f"  kickback analyze --format json, total:                       {kb_total:8.3f}")
    print(f"reps: python peaks {best_phase['reps']}, kickback {report['rep_count']} "
          f"(kickback also gives sets, metrics and faults; the baseline counts peaks only)")
    print(f"kickback throughput: {size / kb_total / 1e6:.1f} MB/s, {best_phase['rows'] / kb_total / 1e6:.2f} M samples/s")
    r_total = py_total / kb_total
    r_work = (py_read + py_compute) / kb_total
    print(f"ratio python total / kickback:          {r_total:6.1f}x  (target >= 20)")
    print(f"ratio python read+compute / kickback:   {r_work:6.1f}x  (target >= 4)")


if __name__ == "__main__":
    main()
