//! Rep detection (work in progress: the pipeline skeleton).
use crate::event::Event;
use crate::report::StreamStats;
use crate::sample::Sample;
use crate::settings::Settings;
use std::collections::VecDeque;

#[derive(Debug)]
pub(crate) struct Pipeline {
    #[allow(dead_code)]
    settings: Settings,
    first_t: Option<f64>,
    last_t: f64,
    n: u64,
}

impl Pipeline {
    pub(crate) fn new(settings: Settings) -> Self {
        Pipeline { settings, first_t: None, last_t: 0.0, n: 0 }
    }
    pub(crate) fn push(&mut self, s: Sample, _out: &mut VecDeque<Event>) {
        if self.first_t.is_none() {
            self.first_t = Some(s.t);
        }
        self.last_t = s.t;
        self.n += 1;
    }
    pub(crate) fn finish(&mut self, out: &mut VecDeque<Event>) {
        let d = self.last_t - self.first_t.unwrap_or(0.0);
        out.push_back(Event::Finished(StreamStats {
            sample_rate_hz: if d > 0.0 { (self.n - 1) as f64 / d } else { 0.0 },
            duration_s: d,
            samples: self.n,
            gyroscope: true,
        }));
    }
}
