"""Reference vectors for the engine's Butterworth low-pass (crates/kickback/src/filter.rs).

Regenerate with: python3 testdata/scipy_butter2.py > testdata/scipy_butter2.json
Needs scipy (only to regenerate; the Rust tests read the committed JSON).
"""
import json
import numpy as np
from scipy.signal import butter, lfilter

rng = np.random.default_rng(7)
cases = []
for fs, fc in [(100.0, 6.0), (100.0, 3.0), (50.0, 6.0), (400.0, 8.0)]:
    b, a = butter(2, fc, fs=fs)
    t = np.arange(300) / fs
    x = 40 * np.sin(2 * np.pi * 0.7 * t) + 5 * rng.standard_normal(t.size) + np.where(t > 1.0, 20.0, 0.0)
    y = lfilter(b, a, x)
    cases.append({"fs": fs, "corner_hz": fc, "b": list(b), "a": list(a), "x": list(x), "y": list(y)})
print(json.dumps(cases))
