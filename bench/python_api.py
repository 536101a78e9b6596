#!/usr/bin/env python3
"""Times the `kickback` Python package against the CLI and the scipy
pipeline (bench/pipeline.py) on the same CSV, in one run.

    python3 bench/python_api.py FILE.csv [--kickback target/release/kickback] [--repeat 5]

Best (smallest) of --repeat runs each:
  * cli             `kickback analyze FILE --format json`, a fresh process,
                    end to end (start-up, read, analysis, JSON out).
  * python file     `kickback.analyze(FILE)` in this process (read + analysis +
                    the Analysis objects), after `import kickback`.
  * python arrays   `kickback.analyze((t, acc, gyro))` on arrays already in
                    memory (from `kickback.read`): the analysis alone; its
                    time per sample (target <= 1 us).
  * import kickback a fresh interpreter importing the package (numpy included).
  * scipy pipeline  pandas.read_csv + band-pass + find_peaks, as
                    bench/pipeline.py reports them (after its imports).
Ratio python file / cli (target <= 1.2).

Needs the package (pip install ./crates/kickback-py) and, for the pipeline,
pandas and scipy. bench/run.sh writes the 1-hour file and runs this.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def best(fn, repeat):
    out, times = None, []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit(f"python_api.py: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr.decode()}")
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("--kickback", default=os.path.join(HERE, "..", "target", "release", "kickback"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    import kickback

    cli = [args.kickback, "analyze", args.csv, "--format", "json"]
    run(cli)  # warm the page cache
    cli_s, cli_out = best(lambda: run(cli), args.repeat)
    cli_reps = json.loads(cli_out)["rep_count"]

    file_s, analysis = best(lambda: kickback.analyze(args.csv), args.repeat)
    assert analysis.rep_count == cli_reps, (analysis.rep_count, cli_reps)

    rec = kickback.read(args.csv)
    n = len(rec.t)
    arrays_s, from_arrays = best(lambda: kickback.analyze((rec.t, rec.acc, rec.gyro)), args.repeat)
    read_s, _ = best(lambda: kickback.read(args.csv), args.repeat)

    import_s, _ = best(lambda: run([sys.executable, "-c", "import kickback"]), args.repeat)
    bare_s, _ = best(lambda: run([sys.executable, "-c", "pass"]), args.repeat)

    pipeline = None
    try:
        import pandas  # noqa: F401
        import scipy  # noqa: F401

        phases = [json.loads(run([sys.executable, os.path.join(HERE, "pipeline.py"), args.csv]))
                  for _ in range(args.repeat)]
        p = min(phases, key=lambda p: p["read_s"] + p["compute_s"])
        pipeline = (p["read_s"], p["compute_s"], p["reps"])
    except ImportError as e:
        print(f"(scipy pipeline skipped: {e})")

    size = os.path.getsize(args.csv)
    print(f"file: {args.csv} ({size / 1e6:.1f} MB, {n} samples); best of {args.repeat}; "
          f"python {sys.version.split()[0]}, kickback {kickback.__version__}")
    print(f"  kickback analyze --format json (CLI, fresh process):  {cli_s:8.3f} s")
    print(f"  kickback.analyze(path) (in process):                  {file_s:8.3f} s"
          f"   ratio to the CLI {file_s / cli_s:.2f}x (target <= 1.2)")
    print(f"  kickback.read(path) -> numpy:                         {read_s:8.3f} s")
    print(f"  kickback.analyze((t, acc, gyro)) arrays in memory:    {arrays_s:8.3f} s"
          f"   {arrays_s / n * 1e9:.0f} ns a sample (target <= 1000)")
    print(f"  import kickback (fresh interpreter, minus bare start): {import_s - bare_s:8.3f} s")
    if pipeline:
        read, compute, peaks = pipeline
        print(f"  scipy pipeline: read_csv {read:.3f} s + band-pass/find_peaks {compute:.3f} s"
              f" = {read + compute:.3f} s   ({(read + compute) / file_s:.1f}x kickback.analyze(path))")
        print(f"reps: kickback {analysis.rep_count} (arrays: {from_arrays.rep_count}), "
              f"scipy peaks {peaks} (peaks only: no sets, metrics or faults)")


if __name__ == "__main__":
    main()
