//! A [`Session`]: the analyzer, the report its events build, and where the
//! elevation trace goes: the one loop that every caller (the whole-file
//! [`analyze`] and [`try_analyze`], the CLI, its plots, the bindings and
//! apps) runs.

use crate::analyzer::{Analyzer, Error};
use crate::event::Event;
use crate::report::Analysis;
use crate::sample::Sample;
use crate::settings::Settings;

/// One point of the elevation trace: the leg's elevation at one point of
/// the analyzer's internal 100 Hz grid (what a plot draws). A session sends
/// these to its [`TraceSink`].
///
/// ```
/// use kickback::{Sample, Session, Settings, TracePoint};
/// let mut points: Vec<TracePoint> = Vec::new();
/// let mut session = Session::with_trace(Settings::default(), |p| points.push(p)).unwrap();
/// session.push_many((0..300).map(|i| Sample::new(i as f64 * 0.01, [0.0, 0.0, 9.81], None)));
/// session.finish();
/// drop(session);
/// // A still leg, once the rest pose is found, is at 0°.
/// let last = points.last().unwrap();
/// assert!(last.t_s > 2.9 && last.deg.abs() < 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct TracePoint {
    /// Time, s from the first sample.
    pub t_s: f64,
    /// Elevation from the rest pose, degrees (+ is the kick's direction).
    pub deg: f64,
}

/// Where a [`Session`] sends the elevation trace: any
/// `FnMut(TracePoint)` closure, or [`NoTrace`] (the default: the trace is
/// then not computed at all).
///
/// ```
/// use kickback::{Sample, Session, Settings, TracePoint, TraceSink};
///
/// /// Keeps the highest elevation seen.
/// #[derive(Default)]
/// struct Highest(f64);
/// impl TraceSink for Highest {
///     fn point(&mut self, p: TracePoint) {
///         self.0 = self.0.max(p.deg);
///     }
/// }
///
/// let mut session = Session::with_trace(Settings::default(), Highest::default()).unwrap();
/// session.push_many((0..300).map(|i| Sample::new(i as f64 * 0.01, [0.0, 0.0, 9.81], None)));
/// session.finish();
/// assert!(session.into_trace().0 < 1.0);
/// ```
pub trait TraceSink {
    /// Whether the analyzer should compute the trace for this sink at all
    /// (only [`NoTrace`] says no).
    const WANTS_TRACE: bool = true;

    /// Receives the next point, in time order.
    fn point(&mut self, point: TracePoint);
}

impl<F: FnMut(TracePoint)> TraceSink for F {
    fn point(&mut self, point: TracePoint) {
        self(point)
    }
}

/// No trace: the sink of [`Session::new`]. The analyzer does not compute
/// the trace for it.
///
/// ```
/// use kickback::{NoTrace, Session, Settings, TraceSink};
/// assert!(!NoTrace::WANTS_TRACE);
/// let session: Session<NoTrace> = Session::new(Settings::default()).unwrap();
/// # drop(session);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoTrace;

impl TraceSink for NoTrace {
    const WANTS_TRACE: bool = false;

    fn point(&mut self, _: TracePoint) {}
}

/// Collects every point (memory grows with the recording: for plots of
/// recordings of bounded length).
impl TraceSink for Vec<TracePoint> {
    fn point(&mut self, point: TracePoint) {
        self.push(point);
    }
}

/// An [`Analyzer`], the report ([`Analysis`]) its events build, and an
/// optional [`TraceSink`] for the elevation trace: samples in; events, the
/// report and the trace out, from one object.
///
/// Every event goes into the report, whether or not the caller looks at it,
/// so the report of a live session equals the whole-file [`analyze`] of the
/// same samples. Nothing is kept but the analyzer's bounded state, the
/// report and what the trace sink keeps.
///
/// Live, in an app: push each sample as it arrives and act on the events it
/// causes; at the end, [`Session::finish`] gives the report.
///
/// ```
/// use kickback::{Event, Sample, Session, Settings};
///
/// let mut session = Session::new(Settings::default()).unwrap();
/// for i in 0..1000 {
///     let sample = Sample::new(i as f64 * 0.01, [0.0, 0.0, 9.81], Some([0.0; 3]));
///     for event in session.push(sample) {
///         if let Event::RepCompleted(rep) = event {
///             println!("rep {}: {:?}", rep.index, rep.faults);
///         }
///     }
///     // the report so far, e.g. for a counter on screen
///     let _reps = session.report().rep_count;
/// }
/// let report = session.finish();
/// assert_eq!(report.rep_count, 0);
/// assert!((report.duration_s - 9.99).abs() < 1e-9);
/// ```
pub struct Session<T: TraceSink = NoTrace> {
    analyzer: Analyzer,
    report: Analysis,
    trace: T,
}

impl Session {
    /// A session without a trace; fails only if a setting is out of range.
    ///
    /// ```
    /// use kickback::{Session, Settings};
    /// assert!(Session::new(Settings::default()).is_ok());
    /// let mut bad = Settings::default();
    /// bad.reps.min_rise_deg = f64::NAN;
    /// assert!(Session::new(bad).is_err());
    /// ```
    pub fn new(settings: Settings) -> Result<Session, Error> {
        Session::with_trace(settings, NoTrace)
    }
}

impl<T: TraceSink> Session<T> {
    /// A session that sends the elevation trace to `trace` (a closure
    /// `FnMut(TracePoint)`, or any [`TraceSink`]); fails only if a setting
    /// is out of range. The report is the same with or without a trace.
    ///
    /// ```
    /// use kickback::{Sample, Session, Settings};
    /// let mut n = 0;
    /// let mut session = Session::with_trace(Settings::default(), |_| n += 1).unwrap();
    /// session.push_many((0..100).map(|i| Sample::new(i as f64 / 50.0, [0.0, 9.81, 0.0], None)));
    /// drop(session);
    /// assert!(n > 150, "the trace is on the 100 Hz grid: {n} points for 2 s");
    /// ```
    pub fn with_trace(settings: Settings, trace: T) -> Result<Session<T>, Error> {
        let mut analyzer = Analyzer::new(settings)?;
        analyzer.set_trace(T::WANTS_TRACE);
        Ok(Session {
            analyzer,
            report: Analysis::default(),
            trace,
        })
    }

    /// The next queued event that is not a trace point (those go to the
    /// sink), after adding it to the report.
    fn next_event(&mut self) -> Option<Event> {
        loop {
            let event = self.analyzer.poll()?;
            if let Event::Elevation { t_s, deg } = event {
                self.trace.point(TracePoint { t_s, deg });
                continue;
            }
            self.report.observe(&event);
            return Some(event);
        }
    }

    /// Takes every queued event into the report (and the trace to the sink).
    fn absorb(&mut self) {
        while self.next_event().is_some() {}
    }

    /// Feeds one sample; returns the events it caused. Each is in the
    /// report by the time the iterator hands it out, and those not taken
    /// go into the report when the iterator is dropped: ignoring the events
    /// loses nothing.
    ///
    /// ```
    /// use kickback::{Sample, Session, Settings};
    /// let mut session = Session::new(Settings::default()).unwrap();
    /// let events: Vec<_> = session.push(Sample::new(0.0, [0.0, 0.0, 9.81], None)).collect();
    /// // No gyroscope: the first sample says so.
    /// assert_eq!(events.len(), 1);
    /// assert_eq!(session.report().warnings.len(), 1);
    /// ```
    pub fn push(&mut self, sample: Sample) -> Events<'_, T> {
        self.analyzer.push(sample);
        Events { session: self }
    }

    /// Feeds many samples; their events go into the report only (use
    /// [`Session::push`] to see them one by one).
    ///
    /// ```
    /// use kickback::{Sample, Session, Settings};
    /// let samples = vec![Sample::new(0.0, [0.0, 0.0, 9.81], None); 1];
    /// let mut session = Session::new(Settings::default()).unwrap();
    /// session.push_many(samples);
    /// assert_eq!(session.report().warnings.len(), 1);
    /// ```
    pub fn push_many(&mut self, samples: impl IntoIterator<Item = Sample>) {
        for s in samples {
            self.analyzer.push(s);
            self.absorb();
        }
    }

    /// Feeds the samples of a reader that can fail (an iterator of
    /// `Result<Sample, E>`, such as `kickback_formats::Samples`), their
    /// events into the report only, and stops at the first error, which it
    /// returns unchanged. The samples before the error stay in the report.
    ///
    /// ```
    /// use kickback::{Sample, Session, Settings};
    /// let read = [Ok(Sample::new(0.0, [0.0, 0.0, 9.81], None)), Err("line 3: not a number")];
    /// let mut session = Session::new(Settings::default()).unwrap();
    /// assert_eq!(session.try_push_many(read), Err("line 3: not a number"));
    /// assert_eq!(session.report().warnings.len(), 1, "the first sample was analysed");
    /// ```
    pub fn try_push_many<E>(
        &mut self,
        samples: impl IntoIterator<Item = Result<Sample, E>>,
    ) -> Result<(), E> {
        for s in samples {
            self.analyzer.push(s?);
            self.absorb();
        }
        Ok(())
    }

    /// The report so far: reps, sets and warnings up to the last event
    /// taken. The whole-stream figures (`sample_rate_hz`, `duration_s`,
    /// `gyroscope`) are filled in by [`Session::finish`].
    ///
    /// ```
    /// use kickback::{Session, Settings};
    /// let session = Session::new(Settings::default()).unwrap();
    /// assert_eq!(session.report().rep_count, 0);
    /// ```
    pub fn report(&self) -> &Analysis {
        &self.report
    }

    /// Ends the stream (a rep or set still open is completed) and returns
    /// its report. The session is then ready for a new stream, with an
    /// empty report (rep ids keep counting up).
    ///
    /// ```
    /// use kickback::{Sample, Session, Settings};
    /// let mut session = Session::new(Settings::default()).unwrap();
    /// session.push_many((0..500).map(|i| Sample::new(i as f64 * 0.02, [0.0, 0.0, 9.81], None)));
    /// let report = session.finish();
    /// assert!((report.sample_rate_hz - 50.0).abs() < 1e-6);
    /// assert_eq!(session.report().warnings.len(), 0, "a new stream starts empty");
    /// ```
    pub fn finish(&mut self) -> Analysis {
        self.finish_with(|_| {})
    }

    /// [`Session::finish`], handing the stream's last events (the last rep
    /// and set, closing warnings, [`Event::Finished`]) to `seen` as well.
    ///
    /// ```
    /// use kickback::{Event, Sample, Session, Settings};
    /// let mut session = Session::new(Settings::default()).unwrap();
    /// session.push_many((0..500).map(|i| Sample::new(i as f64 * 0.02, [0.0, 0.0, 9.81], None)));
    /// let mut last = Vec::new();
    /// let report = session.finish_with(|e| last.push(e));
    /// assert!(matches!(last.last(), Some(Event::Finished(s)) if s.samples == 500));
    /// assert!(!report.gyroscope);
    /// ```
    pub fn finish_with(&mut self, mut seen: impl FnMut(Event)) -> Analysis {
        // events left queued by an iterator that was leaked come first
        self.absorb();
        self.analyzer.finish();
        while let Some(e) = self.next_event() {
            seen(e);
        }
        std::mem::take(&mut self.report)
    }

    /// Gives back the trace sink (the session's report, if not finished, is
    /// dropped).
    ///
    /// ```
    /// use kickback::{Sample, Session, Settings, TracePoint};
    /// let mut session = Session::with_trace(Settings::default(), Vec::<TracePoint>::new()).unwrap();
    /// session.push_many((0..300).map(|i| Sample::new(i as f64 * 0.01, [0.0, 0.0, 9.81], None)));
    /// session.finish();
    /// let trace = session.into_trace();
    /// // On the 100 Hz grid, from when the rest pose is known.
    /// assert!(trace.len() > 100 && trace.len() <= 300, "{}", trace.len());
    /// ```
    pub fn into_trace(self) -> T {
        self.trace
    }
}

impl<T: TraceSink> std::fmt::Debug for Session<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("analyzer", &self.analyzer)
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

/// The events one [`Session::push`] caused, in order; each is in the
/// session's report by the time it is handed out, and the rest go into the
/// report when this is dropped.
///
/// ```
/// use kickback::{Event, Sample, Session, Settings};
/// let mut session = Session::new(Settings::default()).unwrap();
/// let mut events = session.push(Sample::new(0.0, [0.0, 0.0, 9.81], None));
/// assert!(matches!(events.next(), Some(Event::Warning(_))));
/// assert!(events.next().is_none());
/// ```
#[must_use = "the events are in the report either way; drop the iterator (`let _ = ...`) to ignore them"]
pub struct Events<'a, T: TraceSink = NoTrace> {
    session: &'a mut Session<T>,
}

impl<T: TraceSink> Iterator for Events<'_, T> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        self.session.next_event()
    }
}

// Nothing can push while the iterator borrows the session.
impl<T: TraceSink> std::iter::FusedIterator for Events<'_, T> {}

impl<T: TraceSink> Drop for Events<'_, T> {
    fn drop(&mut self) {
        self.session.absorb();
    }
}

impl<T: TraceSink> std::fmt::Debug for Events<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Events").finish_non_exhaustive()
    }
}

/// Analyses a whole recording: a [`Session`] fed from an iterator.
///
/// ```
/// use kickback::{analyze, Sample, Settings};
/// let samples = (0..1000).map(|i| Sample::new(i as f64 * 0.01, [0.0, 0.0, 9.81], Some([0.0; 3])));
/// let analysis = analyze(samples, &Settings::default()).unwrap();
/// assert_eq!((analysis.rep_count, analysis.warnings.len()), (0, 0));
/// ```
pub fn analyze(
    samples: impl IntoIterator<Item = Sample>,
    settings: &Settings,
) -> Result<Analysis, Error> {
    let mut session = Session::new(settings.clone())?;
    session.push_many(samples);
    Ok(session.finish())
}

/// Why [`try_analyze`] failed: the settings, or the reader.
///
/// ```
/// use kickback::{try_analyze, Sample, Settings, TryAnalyzeError};
/// let read = vec![Err::<Sample, _>(std::io::Error::other("disk gone"))];
/// match try_analyze(read, &Settings::default()) {
///     Err(TryAnalyzeError::Input(e)) => assert_eq!(e.to_string(), "disk gone"),
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TryAnalyzeError<E> {
    /// A setting is out of range (nothing was read).
    #[error(transparent)]
    Settings(Error),
    /// The reader's error, unchanged; the analysis stopped there.
    #[error(transparent)]
    Input(E),
}

/// Analyses a whole recording from a reader that can fail: an iterator of
/// `Result<Sample, E>` such as `kickback_formats::Samples`, which plugs
/// straight in. Stops at the first `Err` and returns it unchanged
/// ([`TryAnalyzeError::Input`]).
///
/// ```
/// use kickback::{try_analyze, Sample, Settings, TryAnalyzeError};
///
/// // A reader: each line a sample, or an error naming the line.
/// let text = "0.00 9.81\n0.01 9.81\n0.02 x\n0.03 9.81\n";
/// let read = text.lines().enumerate().map(|(i, line)| {
///     let v: Vec<f64> = line
///         .split(' ')
///         .map(|x| x.parse().map_err(|_| format!("line {}: {x:?} is not a number", i + 1)))
///         .collect::<Result<_, _>>()?;
///     Ok::<_, String>(Sample::new(v[0], [0.0, 0.0, v[1]], None))
/// });
/// match try_analyze(read, &Settings::default()) {
///     Err(TryAnalyzeError::Input(e)) => assert_eq!(e, "line 3: \"x\" is not a number"),
///     other => panic!("{other:?}"),
/// }
/// let good = (0..100).map(|i| Ok::<_, String>(Sample::new(i as f64 * 0.01, [0.0, 0.0, 9.81], None)));
/// assert_eq!(try_analyze(good, &Settings::default()).unwrap().rep_count, 0);
/// ```
pub fn try_analyze<I, E>(samples: I, settings: &Settings) -> Result<Analysis, TryAnalyzeError<E>>
where
    I: IntoIterator<Item = Result<Sample, E>>,
{
    let mut session = Session::new(settings.clone()).map_err(TryAnalyzeError::Settings)?;
    session
        .try_push_many(samples)
        .map_err(TryAnalyzeError::Input)?;
    Ok(session.finish())
}
