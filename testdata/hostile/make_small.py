#!/usr/bin/env python3
"""Writes the small files of the hostile-input corpus (testdata/hostile/*.csv)
from testdata/sample.csv. Large and special inputs (bombs, huge lines,
FIFOs, symlink loops, unreadable files) are made by the test itself
(crates/kickback-cli/tests/hostile/corpus.rs). Run from this folder."""
import math, os

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "sample.csv")) as f:
    lines = f.read().splitlines()
header, rows = lines[0], [l.split(",") for l in lines[1:301]]

def write(name, text, mode="w", enc=None):
    p = os.path.join(here, name)
    if isinstance(text, bytes):
        open(p, "wb").write(text)
    else:
        open(p, "w", encoding=enc or "utf-8", newline="").write(text)

def table(hdr, rs, sep=",", eol="\n"):
    return hdr + eol + eol.join(sep.join(r) for r in rs) + eol

base = table(header, rows)
write("empty.csv", "")
write("garbage_text.csv", "lorem ipsum dolor sit amet\nconsectetur adipiscing\n" * 20)
write("garbage_binary.csv", bytes((i * 7919 + 13) % 256 for i in range(4096)))
nan = [list(r) for r in rows]
for i in range(5, len(nan), 40):
    nan[i][2] = "NaN"
    nan[i + 1][5] = "inf"
write("nan_inf.csv", table(header, nan))
write("all_nan.csv", table(header, [[r[0]] + ["nan"] * 6 for r in rows]))
back = [list(r) for r in rows]
for r in back[150:]:
    r[0] = "%.6f" % (float(r[0]) - 5.0)
write("clock_backwards.csv", table(header, back))
lone = [list(r) for r in rows]
lone[100][0] = "99999.5"
lone[200][0] = "0.25"
write("lone_bad_timestamps.csv", table(header, lone))
write("utf16le_bom.csv", b"\xff\xfe" + table(header, rows, eol="\r\n").encode("utf-16-le"))
write("utf16be_bom.csv", b"\xfe\xff" + table(header, rows, eol="\r\n").encode("utf-16-be"))
write("utf16le_no_bom.csv", table(header, rows).encode("utf-16-le"))
write("utf8_bom.csv", b"\xef\xbb\xbf" + base.encode())
write("crlf.csv", table(header, rows, eol="\r\n"))
write("cr_only.csv", table(header, rows, eol="\r"))
write("quoted.csv", table(",".join('"%s"' % h for h in header.split(",")),
                          [['"%s"' % c for c in r] for r in rows]))
dc = [[c.replace(".", ",") for c in r] for r in rows]
write("decimal_comma_comma.csv", table(header, dc))
write("decimal_comma_semicolon.csv", table(header.replace(",", ";"), dc, sep=";"))
moving = [l.split(",") for l in lines[401:701]]
deg = [r[:4] + ["%.4f" % (float(x) * 180 / math.pi) for x in r[4:]] for r in moving]
write("gyro_degs_under_rads.csv", table("time_s,ax,ay,az,gx (rad/s),gy (rad/s),gz (rad/s)", deg))
g = [[r[0]] + ["%.6f" % (float(x) / 9.80665) for x in r[1:4]] for r in rows]
write("g_under_phyphox_ms2.csv", table('"Time (s)","X (m/s^2)","Y (m/s^2)","Z (m/s^2)"', g))
ms = [["%.3f" % (float(r[0]) * 1000)] + r[1:] for r in rows]
write("ms_under_time_s.csv", table(header, ms))
lin = [[r[0]] + ["%.6f" % (float(x) * 0.01) for x in r[1:4]] for r in rows]
write("Linear Accelerometer.csv", table('"Time (s)","X (m/s^2)","Y (m/s^2)","Z (m/s^2)"', lin))
write("values_1e308.csv", table(header, [[r[0]] + ["1e308"] * 6 for r in rows]))
write("one_timestamp.csv", table(header, [["12.5"] + r[1:] for r in rows]))
write("one_hz.csv", table(header, [["%d" % i] + r[1:] for i, r in enumerate(rows)]))
write("times_1e300.csv", table(header, [["%de300" % (i + 1)] + r[1:] for i, r in enumerate(rows)]))
write("control_bytes_header.csv", "time,\x1b[2J\x07evil\x1b]0;title\x07,b\n0,1,2\n0.01,1,2\n")
