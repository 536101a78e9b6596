//! The streaming reader gives the same samples and report however the bytes
//! arrive: chunk boundaries inside lines, CRLF, no final newline, lines
//! longer than the read buffer, quoted and non-ASCII rows mid-stream.

use kickback_formats::{open_reader, ReadOptions, Sample, Samples, SourceInfo};
use std::io::{Cursor, Read};

/// A reader handing out at most `step` bytes per call (cycling 1..=step).
struct Trickle {
    data: Cursor<Vec<u8>>,
    step: usize,
    k: usize,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.k = self.k % self.step + 1;
        let n = buf.len().min(self.k);
        self.data.read(&mut buf[..n])
    }
}

fn read_with(text: &[u8], step: usize) -> Result<(Vec<Sample>, SourceInfo), String> {
    let r = Trickle {
        data: Cursor::new(text.to_vec()),
        step,
        k: 0,
    };
    open_reader("s.csv", r, &ReadOptions::default())
        .and_then(|r| r.read_all())
        .map_err(|e| e.to_string())
}

fn csv(rows: usize, eol: &str) -> String {
    let mut s = format!("time_s,ax,ay,az,gx,gy,gz{eol}");
    for i in 0..rows {
        let t = 1_721_919_217.626_975 + i as f64 * 0.01;
        let a = (i as f64 * 0.1).sin();
        s.push_str(&format!(
            "{t:.6},{a:.6},{:.6},9.80665,{:.6},-0.013848,0{eol}",
            -a,
            a * 0.5
        ));
    }
    s
}

fn key(r: &(Vec<Sample>, SourceInfo)) -> String {
    format!("{:?} {}", r.0, serde_json::to_string(&r.1).unwrap())
}

#[test]
fn chunking_crlf_and_last_newline_do_not_change_anything() {
    let lf = csv(5000, "\n");
    let want = key(&read_with(lf.as_bytes(), 1 << 20).unwrap());
    assert_eq!(read_with(lf.as_bytes(), 1 << 20).unwrap().0.len(), 5000);
    for text in [
        lf.clone(),
        csv(5000, "\r\n"),
        lf.trim_end().to_string(),
        csv(5000, "\r\n").trim_end().to_string(),
    ] {
        for step in [1, 7, 4096, 1 << 20] {
            let got = read_with(text.as_bytes(), step).unwrap();
            assert_eq!(key(&got), want, "step {step}");
        }
    }
}

#[test]
fn line_longer_than_the_buffer_mid_stream() {
    let mut text = csv(3000, "\n");
    // a valid row padded to 300 KB (longer than the 128 KiB read buffer)
    text.push_str(&format!(
        "1721919247.700000,0,0,1,0,0,0{}\n",
        " ".repeat(300_000)
    ));
    text.push_str(
        &csv(10, "\n")
            .replacen("time_s,ax,ay,az,gx,gy,gz\n", "", 1)
            .replace("17219192", "17219193"),
    );
    for step in [3, 1 << 20] {
        let (s, info) = read_with(text.as_bytes(), step).unwrap();
        assert_eq!(s.len(), 3011, "step {step}");
        assert_eq!(info.samples, 3011);
        assert_eq!(s[3000].t, 1721919247.7);
    }
}

#[test]
fn quoted_non_ascii_and_odd_rows_mid_stream() {
    let mut text = csv(3000, "\n");
    text.push_str("\"1721919247.70\",\"0.5\",\"0\",\"9.8\",\"0\",\"0\",\"0\"\n");
    text.push_str("1721919247.71,\u{a0}0.25 ,0, 9.8,0,0,0\n");
    text.push_str("1721919247.72,+1.5E-1,0,9.8,0,0,0\n");
    text.push_str("1721919247.73,NaN,0,9.8,0,0,0\n");
    text.push_str("\n   \n");
    text.push_str("1721919247.74,,0,9.8,0,0,0\n");
    text.push_str("1721919247.75,-0,0,9.8,0,0,0\n");
    text.push_str("1721919247.76,0,0");
    for step in [2, 1 << 20] {
        let (s, info) = read_with(text.as_bytes(), step).unwrap();
        assert_eq!(s.len(), 3004, "step {step}");
        assert_eq!(s[3000].acc.x, 0.5);
        assert_eq!(s[3001].acc.x, 0.25);
        assert_eq!(s[3002].acc.x, 0.15);
        // accelerometer triples are summed from 0.0, so -0 reads as 0
        assert_eq!(s[3003].acc.x.to_bits(), 0.0f64.to_bits());
        assert_eq!(info.missing_value_rows, 2);
        assert_eq!(info.short_rows, 1);
    }
}

#[test]
fn errors_deep_in_a_stream_name_line_and_column() {
    let mut text = csv(4000, "\r\n");
    text.push_str("1721919257.70,0,0,9.8,0,1x,0\r\n");
    for step in [5, 1 << 20] {
        assert_eq!(
            read_with(text.as_bytes(), step).unwrap_err(),
            "s.csv:4002:6: expected a number for column \"gy\", found \"1x\""
        );
    }
    let mut text = csv(4000, "\n");
    text.push_str("1721919257.70,0,0,9.8\n1721919257.71,0,0,9.8,0,0,0\n");
    assert_eq!(
        read_with(text.as_bytes(), 1 << 20).unwrap_err(),
        "s.csv:4002: expected at least 7 fields (up to column \"gz\"), found 4"
    );
    let mut text = csv(4000, "\n");
    text.push_str(&format!("{}\n", ",".repeat(5000)));
    assert_eq!(
        read_with(text.as_bytes(), 1 << 20).unwrap_err(),
        "s.csv:4002: more than 4096 columns; this does not look like a sensor CSV"
    );
}

/// The generic reader over `text` arriving `step` bytes at a time.
fn open(text: &[u8], step: usize) -> Result<Samples, String> {
    let r = Trickle {
        data: Cursor::new(text.to_vec()),
        step,
        k: 0,
    };
    open_reader("s.csv", r, &ReadOptions::default())
        .map(|r| r.samples())
        .map_err(|e| e.to_string())
}

/// Samples and the final report (or the error, after the samples before
/// it) read one by one.
fn by_items(text: &[u8], step: usize) -> (Vec<Sample>, Result<String, String>) {
    let mut it = match open(text, step) {
        Ok(it) => it,
        Err(e) => return (Vec::new(), Err(e)),
    };
    let mut out = Vec::new();
    for s in it.by_ref() {
        match s {
            Ok(s) => out.push(s),
            Err(e) => return (out, Err(e.to_string())),
        }
    }
    assert!(it.next().is_none());
    let info = serde_json::to_string(&it.into_info()).unwrap();
    (out, Ok(info))
}

/// The same with `Samples::next_batch` of `max` samples, after `first`
/// items taken one by one.
fn by_batches(
    text: &[u8],
    step: usize,
    first: usize,
    max: usize,
) -> (Vec<Sample>, Result<String, String>) {
    let mut it = match open(text, step) {
        Ok(it) => it,
        Err(e) => return (Vec::new(), Err(e)),
    };
    let mut out = Vec::new();
    for _ in 0..first {
        match it.next() {
            Some(Ok(s)) => out.push(s),
            Some(Err(e)) => return (out, Err(e.to_string())),
            None => break,
        }
    }
    loop {
        let before = out.len();
        match it.next_batch(&mut out, max) {
            Ok(true) => assert_eq!(out.len(), before + max),
            Ok(false) => break,
            Err(e) => {
                // the error ends the samples
                assert!(!it.next_batch(&mut out, max).unwrap());
                assert!(it.next().is_none());
                return (out, Err(e.to_string()));
            }
        }
    }
    assert!(!it.next_batch(&mut out, max).unwrap());
    let info = serde_json::to_string(&it.into_info()).unwrap();
    (out, Ok(info))
}

#[test]
fn batches_give_the_items_and_errors_of_the_iterator() {
    let ok = csv(3000, "\n");
    let mut odd = csv(2500, "\r\n");
    odd.push_str("1721919242.70,NaN,0,9.8,0,0,0\r\n\r\n");
    odd.push_str("1721919242.71,\"0.5\",0,9.8,0,0,0\r\n");
    odd.push_str("1721919242.71,0.5,0,9.8,0,0,0\r\n"); // duplicate time
    odd.push_str("1721919242.705,0.5,0,9.8,0,0,0\r\n"); // jitter backwards
    odd.push_str(
        &csv(600, "\r\n")
            .replacen("time_s,ax,ay,az,gx,gy,gz\r\n", "", 1)
            .replace("17219192", "17219193"),
    );
    odd.push_str("1721919342.76,0,0");
    let mut bad_number = csv(3000, "\n");
    bad_number.push_str("1721919257.70,0,0,9.8,0,1x,0\n1721919257.71,0,0,9.8,0,0,0\n");
    let mut short = csv(2500, "\n");
    short.push_str("1721919257.70,0,0,9.8\n1721919257.71,0,0,9.8,0,0,0\n");
    let mut backwards = csv(2600, "\n");
    backwards.push_str("1721919000.0,0,0,9.8,0,0,0\n");
    let mut long = csv(2100, "\n");
    long.push_str(&format!("{}\n", "1".repeat(2 << 20)));
    let short_file = csv(50, "\n");
    for text in [ok, odd, bad_number, short, backwards, long, short_file] {
        for step in [3, 1 << 20] {
            let want = by_items(text.as_bytes(), step);
            for (first, max) in [(0, 1), (0, 7), (5, 4096), (2003, 512), (0, 1 << 20)] {
                let got = by_batches(text.as_bytes(), step, first, max);
                assert_eq!(got.1, want.1, "step {step}, first {first}, max {max}");
                assert_eq!(got.0, want.0, "step {step}, first {first}, max {max}");
            }
        }
    }
    // the errors are the ones named in the file
    let mut text = csv(3000, "\n");
    text.push_str("1721919257.70,0,0,9.8,0,1x,0\n");
    let (s, e) = by_batches(text.as_bytes(), 1 << 20, 0, 4096);
    assert_eq!(s.len(), 3000);
    assert_eq!(
        e.unwrap_err(),
        "s.csv:3002:6: expected a number for column \"gy\", found \"1x\""
    );
}
