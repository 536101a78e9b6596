//! `Session`: the one push → drain → observe loop. Its events, report and
//! trace equal the bare analyzer's; a reader's error comes back unchanged.

use kickback::{
    analyze, try_analyze, Analysis, Analyzer, Event, Sample, Session, Settings, TracePoint,
    TryAnalyzeError,
};
use kickback_sim::{generate_with, Scenario, SimOptions};

/// Short simulated recordings with reps, faults and warnings (one without
/// a gyroscope, one with a gap that restarts the analysis).
fn recordings() -> Vec<(String, Vec<Sample>)> {
    let one_set = SimOptions::compact().with_sets(1);
    let mut out = Vec::new();
    for (scenario, seed) in [
        (Scenario::Mixed, 201),
        (Scenario::NoGyro, 202),
        (Scenario::Walking, 203),
    ] {
        let rec = generate_with(scenario, seed, &one_set);
        assert!(!rec.truth.reps.is_empty() || scenario == Scenario::Walking);
        out.push((format!("{}_{seed}", scenario.name()), rec.samples));
    }
    let rec = generate_with(Scenario::Mixed, 204, &one_set);
    let t0 = rec.samples[0].t;
    let gap = rec.truth.reps[1].peak_s..rec.truth.reps[1].peak_s + 1.5;
    let cut: Vec<Sample> = rec
        .samples
        .into_iter()
        .filter(|s| !gap.contains(&(s.t - t0)))
        .collect();
    out.push(("mixed_gap_204".into(), cut));
    out
}

/// The bare analyzer's events, trace on or off.
fn analyzer_events(samples: &[Sample], trace: bool) -> Vec<Event> {
    let mut a = Analyzer::new(Settings::default()).unwrap();
    a.set_trace(trace);
    let mut events = Vec::new();
    for s in samples {
        a.push(*s);
        events.extend(a.drain());
    }
    a.finish();
    events.extend(a.drain());
    events
}

#[test]
fn live_events_and_report_equal_the_analyzer_and_whole_file_analyze() {
    for (name, samples) in recordings() {
        let expected = analyzer_events(&samples, false);
        let mut session = Session::new(Settings::default()).unwrap();
        let mut events = Vec::new();
        for s in &samples {
            events.extend(session.push(*s));
        }
        let report = session.finish_with(|e| events.push(e));
        assert_eq!(events, expected, "{name}");
        assert!(
            !report.reps.is_empty() || name.starts_with("walking"),
            "{name}"
        );
        assert!(
            !report.warnings.is_empty() || !name.contains("gap"),
            "{name}"
        );
        assert_eq!(report, Analysis::from_events(&expected), "{name}");
        let whole = analyze(samples.iter().copied(), &Settings::default()).unwrap();
        assert_eq!(report, whole, "{name}");
        let tried = try_analyze(
            samples.iter().map(|s| Ok::<_, String>(*s)),
            &Settings::default(),
        )
        .unwrap();
        assert_eq!(tried, whole, "{name}");
    }
}

#[test]
fn events_left_untaken_still_reach_the_report() {
    let (_, samples) = recordings().remove(0);
    let whole = analyze(samples.iter().copied(), &Settings::default()).unwrap();
    // Each way of not taking every event: dropped at once, one taken then
    // dropped, and leaked (taken in by the next push or the finish).
    type Ignore = fn(kickback::Events<'_>);
    let ignores: [(&str, Ignore); 3] = [
        ("dropped", |e| drop(e)),
        ("one taken", |mut e| {
            let _ = e.next();
        }),
        ("leaked", |e| std::mem::forget(e)),
    ];
    for (how, ignore) in ignores {
        let mut session = Session::new(Settings::default()).unwrap();
        for s in &samples {
            ignore(session.push(*s));
        }
        assert_eq!(session.finish(), whole, "{how}");
    }
}

#[test]
fn the_report_grows_as_events_are_taken() {
    let (_, samples) = recordings().remove(0);
    let mut session = Session::new(Settings::default()).unwrap();
    let mut completed = 0;
    for s in &samples {
        for e in session.push(*s) {
            if let Event::RepCompleted(rep) = e {
                completed += 1;
                assert_eq!(rep.index, completed);
            }
        }
        assert_eq!(session.report().rep_count, completed);
    }
    assert!(completed > 0);
    assert_eq!(session.finish().rep_count, completed);
}

/// The (time, elevation) of every `Event::Elevation`.
fn elevations(events: &[Event]) -> Vec<(f64, f64)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Elevation { t_s, deg } => Some((*t_s, *deg)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_trace_sink_sees_every_elevation_point_and_the_report_is_unchanged() {
    for (name, samples) in recordings() {
        let want = elevations(&analyzer_events(&samples, true));
        assert!(want.len() > samples.len() / 2, "{name}: {}", want.len());
        let mut points = Vec::new();
        let mut session = Session::with_trace(Settings::default(), |p: TracePoint| {
            points.push((p.t_s, p.deg))
        })
        .unwrap();
        // live pushes and batches: the sink sees every point either way
        let (live, batch) = samples.split_at(samples.len() / 2);
        let mut events = Vec::new();
        for s in live {
            events.extend(session.push(*s));
        }
        session.push_many(batch.iter().copied());
        let report = session.finish();
        drop(session);
        assert_eq!(points, want, "{name}");
        assert!(
            elevations(&events).is_empty(),
            "{name}: trace points are not events"
        );
        let whole = analyze(samples.iter().copied(), &Settings::default()).unwrap();
        assert_eq!(report, whole, "{name}");
    }
}

/// A reader over `samples` that fails at `fail_at` and counts the items
/// taken from it.
fn failing_reader<'a>(
    samples: &'a [Sample],
    fail_at: usize,
    taken: &'a std::cell::Cell<usize>,
) -> impl Iterator<Item = Result<Sample, std::io::Error>> + 'a {
    samples.iter().enumerate().map(move |(i, s)| {
        taken.set(taken.get() + 1);
        if i == fail_at {
            Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("line {}: not a number", i + 2),
            ))
        } else {
            Ok(*s)
        }
    })
}

#[test]
fn try_analyze_returns_the_readers_error_unchanged_and_stops_there() {
    let (_, samples) = recordings().remove(0);
    for fail_at in [0, 1, samples.len() / 3, samples.len() - 1] {
        let taken = std::cell::Cell::new(0);
        let got = try_analyze(
            failing_reader(&samples, fail_at, &taken),
            &Settings::default(),
        );
        match got {
            Err(TryAnalyzeError::Input(e)) => {
                assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
                assert_eq!(e.to_string(), format!("line {}: not a number", fail_at + 2));
            }
            other => panic!("failing at {fail_at}: {other:?}"),
        }
        assert_eq!(taken.get(), fail_at + 1, "nothing is read past the error");

        // The session keeps the report of the samples before the error.
        let taken = std::cell::Cell::new(0);
        let mut session = Session::new(Settings::default()).unwrap();
        let err = session
            .try_push_many(failing_reader(&samples, fail_at, &taken))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("line {}: not a number", fail_at + 2)
        );
        let mut before = Session::new(Settings::default()).unwrap();
        before.push_many(samples[..fail_at].iter().copied());
        assert_eq!(session.report(), before.report(), "failing at {fail_at}");
    }
}

#[test]
fn try_analyze_refuses_bad_settings_before_reading() {
    let (_, samples) = recordings().remove(0);
    let mut bad = Settings::default();
    bad.reps.min_rise_deg = -5.0;
    let taken = std::cell::Cell::new(0);
    let got = try_analyze(failing_reader(&samples, 10, &taken), &bad);
    match got {
        Err(e @ TryAnalyzeError::Settings(_)) => {
            assert!(e.to_string().contains("reps.min_rise_deg"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(taken.get(), 0);
}

#[test]
fn a_finished_session_starts_a_new_stream_with_an_empty_report() {
    let recs = recordings();
    let (a, b) = (&recs[0].1, &recs[1].1);
    let mut session = Session::new(Settings::default()).unwrap();
    session.push_many(a.iter().copied());
    let first = session.finish();
    assert_eq!(session.report(), &Analysis::default());
    session.push_many(b.iter().copied());
    let second = session.finish();
    assert_eq!(
        first,
        analyze(a.iter().copied(), &Settings::default()).unwrap()
    );
    // rep ids keep counting up across streams; the rest is the same
    let last_first = first.reps.iter().map(|r| r.id).max().unwrap();
    assert!(second.reps.iter().all(|r| r.id > last_first));
    let without_ids = |mut a: Analysis| {
        a.reps.iter_mut().for_each(|r| r.id = 0);
        a
    };
    let alone = analyze(b.iter().copied(), &Settings::default()).unwrap();
    assert!(!alone.reps.is_empty());
    assert_eq!(without_ids(second), without_ids(alone));
}
