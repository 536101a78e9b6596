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
Ratio python file / cli (target <= 1.2), of the best and of the medians
of at least 15 runs of each taken in turn.

Needs the package (pip install ./crates/kickback-py) and, for the pipeline,
pandas and scipy. bench/run.sh writes the 1-hour file and runs this.
"""

import argparse
import statistics
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
    # The CLI and the in-process call in turn, so that both see the same
    # machine: on 2 cores both times fall in two clusters (~0.07 and
    # ~0.09 s for the 1-hour file), and blocks of one then the other
    # compare whichever cluster each block happened to hit.
    cli_times, file_times = [], []
    for _ in range(max(args.repeat, 15)):
        t0 = time.perf_counter()
        cli_out = run(cli)
        cli_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        analysis = kickback.analyze(args.csv)
        file_times.append(time.perf_counter() - t0)
    cli_reps = json.loads(cli_out)["rep_count"]
    assert analysis.rep_count == cli_reps, (analysis.rep_count, cli_reps)
    cli_s, file_s = min(cli_times), min(file_times)
    cli_med, file_med = statistics.median(cli_times), statistics.median(file_times)

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
    print(f"  kickback analyze --format json (CLI, fresh process):  {cli_s:8.3f} s"
          f"   (median {cli_med:.3f} s of {len(cli_times)}, taken in turn with the next)")
    print(f"  kickback.analyze(path) (in process):                  {file_s:8.3f} s"
          f"   (median {file_med:.3f} s)   ratio to the CLI {file_s / cli_s:.2f}x,"
          f" of medians {file_med / cli_med:.2f}x (target <= 1.2)")
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
