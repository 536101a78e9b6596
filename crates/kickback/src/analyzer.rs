//! The online analyzer: samples in, events out.

use crate::event::Event;
use crate::sample::Sample;
use crate::settings::{Settings, SettingsError};
use std::collections::VecDeque;

/// Errors from the engine. Data never causes one (bad samples become
/// warnings); only settings that make no sense do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A setting is out of range.
    #[error(transparent)]
    Settings(#[from] SettingsError),
}

/// The online analyzer: samples in, events out. A [`crate::Session`] wraps
/// it with the report its events build (and the elevation trace, for
/// plots); see the crate docs.
///
/// ```
/// use kickback::{Analyzer, Event, Sample, Settings};
/// let mut a = Analyzer::new(Settings::default()).unwrap();
/// for i in 0..500 {
///     a.push(Sample::new(i as f64 / 100.0, [0.0, 9.81, 0.0], Some([0.0; 3])));
///     while let Some(event) = a.poll() {
///         // show it to the user...
///         let _ = event;
///     }
/// }
/// a.finish();
/// let events: Vec<Event> = a.drain().collect();
/// assert!(matches!(events.last(), Some(Event::Finished(_))));
/// ```
#[derive(Debug)]
pub struct Analyzer {
    pipeline: crate::pipeline::Pipeline,
    events: VecDeque<Event>,
}

impl Analyzer {
    /// Creates an analyzer; fails only if a setting is out of range.
    pub fn new(settings: Settings) -> Result<Analyzer, Error> {
        settings.validate()?;
        Ok(Analyzer {
            pipeline: crate::pipeline::Pipeline::new(settings),
            events: VecDeque::new(),
        })
    }

    /// Feeds one sample. Events it causes are queued for [`Analyzer::poll`].
    pub fn push(&mut self, sample: Sample) {
        self.pipeline.push(sample, &mut self.events);
    }

    /// Feeds a slice of samples.
    pub fn push_slice(&mut self, samples: &[Sample]) {
        for s in samples {
            self.push(*s);
        }
    }

    /// Also queue [`Event::Elevation`] for every point of the internal
    /// 100 Hz grid (off by default; for plotting). Reports built with
    /// [`crate::Analysis::from_events`] are the same either way.
    ///
    /// ```
    /// use kickback::{Analyzer, Event, Sample, Settings};
    /// let mut a = Analyzer::new(Settings::default()).unwrap();
    /// a.set_trace(true);
    /// for i in 0..100 {
    ///     a.push(Sample::new(i as f64 / 50.0, [0.0, 9.81, 0.0], Some([0.0; 3])));
    /// }
    /// let trace = a.drain().filter(|e| matches!(e, Event::Elevation { .. })).count();
    /// assert!(trace > 150);
    /// ```
    pub fn set_trace(&mut self, on: bool) {
        self.pipeline.set_trace(on);
    }

    /// Takes the oldest queued event.
    pub fn poll(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Takes every queued event.
    pub fn drain(&mut self) -> impl Iterator<Item = Event> + '_ {
        self.events.drain(..)
    }

    /// Ends the stream: completes a rep or set still open and queues
    /// [`Event::Finished`]. Pushing after `finish` starts a new stream.
    pub fn finish(&mut self) {
        self.pipeline.finish(&mut self.events);
    }
}
