//! Long simulated recordings without materialising them: a few simulated
//! `mixed` recordings at 100 Hz (sets with faults, rests, jitter, dropped
//! samples) played back to back, their clocks shifted so time keeps going
//! up. Shared by the examples, the benchmarks and the tests (`#[path]`).
#![allow(dead_code)]

use kickback::{Analyzer, Event, Sample, Settings};
use kickback_sim::{generate_with, Scenario, SimOptions};
use std::io::Write;

/// Streams `samples` through an analyzer with default settings as an app
/// would (polling after every push), finishes, and returns the number of
/// reps reported (less those taken back).
pub fn live_rep_count(samples: impl IntoIterator<Item = Sample>) -> usize {
    let mut a = Analyzer::new(Settings::default()).expect("default settings");
    let mut reps = Reps::default();
    for s in samples {
        a.push(s);
        reps.poll(&mut a);
    }
    a.finish();
    reps.poll(&mut a);
    reps.count()
}

/// The reps an app counts live: completed, less those a later
/// `RepDiscarded` with their id took back (a lone rep, or one that went
/// straight on into a step). Only the newest reps are ever taken back, so
/// only the last few ids are kept: memory stays flat.
#[derive(Default)]
pub struct Reps {
    count: usize,
    newest: std::collections::VecDeque<u64>,
}

impl Reps {
    /// Polls every queued event.
    pub fn poll(&mut self, a: &mut Analyzer) {
        while let Some(e) = a.poll() {
            match e {
                Event::RepCompleted(r) => {
                    self.count += 1;
                    if self.newest.len() == 256 {
                        self.newest.pop_front();
                    }
                    self.newest.push_back(r.id);
                }
                Event::RepDiscarded { id, .. } => {
                    if let Some(i) = self.newest.iter().rposition(|k| *k == id) {
                        self.newest.remove(i);
                        self.count -= 1;
                    }
                }
                _ => {}
            }
        }
    }

    /// Reps counted so far.
    pub fn count(&self) -> usize {
        self.count
    }
}

/// The recordings a long stream cycles through (seeds `seed..seed + count`).
pub fn pool(seed: u64, count: usize) -> Vec<Vec<Sample>> {
    let opts = SimOptions::default().with_sample_rate(100.0);
    (0..count as u64)
        .map(|i| generate_with(Scenario::Mixed, seed + i, &opts).samples)
        .collect()
}

/// Samples of `pool` played back to back until `seconds` of data have been
/// produced. Memory: only the pool.
pub struct LongStream<'a> {
    pool: &'a [Vec<Sample>],
    rec: usize,
    i: usize,
    offset: f64,
    t_first: Option<f64>,
    last_t: f64,
    end_s: f64,
}

impl<'a> LongStream<'a> {
    /// A stream of `seconds` seconds (relative to its first sample).
    pub fn new(pool: &'a [Vec<Sample>], seconds: f64) -> Self {
        assert!(
            pool.iter().all(|r| r.len() > 1),
            "empty recording in the pool"
        );
        LongStream {
            pool,
            rec: 0,
            i: 0,
            offset: 0.0,
            t_first: None,
            last_t: f64::NEG_INFINITY,
            end_s: seconds,
        }
    }
}

impl Iterator for LongStream<'_> {
    type Item = Sample;
    fn next(&mut self) -> Option<Sample> {
        if self.i == self.pool[self.rec].len() {
            // Next recording starts one 100 Hz period after this one ended.
            self.rec = (self.rec + 1) % self.pool.len();
            self.i = 0;
            self.offset = self.last_t + 0.01 - self.pool[self.rec][0].t;
        }
        let mut s = self.pool[self.rec][self.i];
        self.i += 1;
        s.t += self.offset;
        let t0 = *self.t_first.get_or_insert(s.t);
        if s.t - t0 > self.end_s {
            return None;
        }
        self.last_t = s.t;
        Some(s)
    }
}

/// Writes samples in the generic CSV layout (`time_s,ax,ay,az,gx,gy,gz`, SI,
/// 6 decimals); returns the bytes written.
pub fn write_csv(out: impl Write, samples: impl Iterator<Item = Sample>) -> std::io::Result<u64> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut bytes = 0u64;
    let header = "time_s,ax,ay,az,gx,gy,gz\n";
    out.write_all(header.as_bytes())?;
    bytes += header.len() as u64;
    let mut line = String::with_capacity(128);
    for s in samples {
        use std::fmt::Write as _;
        line.clear();
        let g = s.gyro.unwrap_or_default();
        let _ = writeln!(
            line,
            "{:.6},{:.6},{:.6},{:.6},{:.6},{:.6},{:.6}",
            s.t, s.acc.x, s.acc.y, s.acc.z, g.x, g.y, g.z
        );
        out.write_all(line.as_bytes())?;
        bytes += line.len() as u64;
    }
    out.flush()?;
    Ok(bytes)
}
