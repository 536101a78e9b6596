//! Live analysis equals whole-file analysis, exactly, whatever the chunking:
//! random simulated recordings pushed in random chunk sizes, through the Rust
//! streaming API and through the C ABI, give the same events as
//! `kickback::analyze`; and a completed rep is reported within 0.5 s of its end.

use kickback::{analyze, Analysis, Analyzer, Event, Sample, Settings};
use kickback_ffi::*;
use kickback_sim::{generate_with, Scenario, SimOptions};
use proptest::prelude::*;

/// Events of the reference run: one sample at a time, as `analyze` does.
fn reference_events(samples: &[Sample]) -> Vec<Event> {
    let mut a = Analyzer::new(Settings::default()).unwrap();
    let mut out = Vec::new();
    for s in samples {
        a.push(*s);
        out.extend(a.drain());
    }
    a.finish();
    out.extend(a.drain());
    out
}

/// Splits `samples` into consecutive chunks whose sizes cycle through `sizes`.
fn chunks<'a>(samples: &'a [Sample], sizes: &'a [usize]) -> impl Iterator<Item = &'a [Sample]> {
    let mut rest = samples;
    let mut k = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let n = sizes[k % sizes.len()].clamp(1, rest.len());
        k += 1;
        let (head, tail) = rest.split_at(n);
        rest = tail;
        Some(head)
    })
}

fn rust_streaming(samples: &[Sample], sizes: &[usize]) -> Vec<Event> {
    let mut a = Analyzer::new(Settings::default()).unwrap();
    let mut out = Vec::new();
    for chunk in chunks(samples, sizes) {
        if chunk.len() == 1 {
            a.push(chunk[0]);
        } else {
            a.push_slice(chunk);
        }
        while let Some(e) = a.poll() {
            out.push(e);
        }
    }
    a.finish();
    out.extend(a.drain());
    out
}

/// Pushes one chunk through `kb_analyzer_push_many`, split into runs of
/// samples that all have, or all lack, a gyroscope reading.
fn push_chunk_c(a: *mut KbAnalyzer, chunk: &[Sample]) {
    for run in chunk.chunk_by(|x, y| x.gyro.is_some() == y.gyro.is_some()) {
        let t: Vec<f64> = run.iter().map(|s| s.t).collect();
        let acc: Vec<f64> = run.iter().flat_map(|s| s.acc.iter().copied()).collect();
        let gyro: Option<Vec<f64>> = run[0].gyro.is_some().then(|| {
            run.iter()
                .flat_map(|s| s.gyro.unwrap().iter().copied().collect::<Vec<_>>())
                .collect()
        });
        let g = gyro.as_ref().map_or(std::ptr::null(), |g| g.as_ptr());
        let st = unsafe { kb_analyzer_push_many(a, t.as_ptr(), acc.as_ptr(), g, run.len()) };
        assert_eq!(st, KB_OK);
    }
}

fn poll_all(a: *mut KbAnalyzer, out: &mut Vec<KbEvent>) {
    loop {
        let mut ev = KbEvent::default();
        match unsafe { kb_analyzer_poll(a, &mut ev) } {
            KB_OK => out.push(ev),
            KB_NO_EVENT => return,
            st => panic!("poll failed: {st}"),
        }
    }
}

fn c_streaming(samples: &[Sample], sizes: &[usize]) -> Vec<KbEvent> {
    let mut settings = KbSettings::default();
    unsafe { kb_settings_default(&mut settings) };
    let mut a = std::ptr::null_mut();
    assert_eq!(unsafe { kb_analyzer_new(&settings, &mut a) }, KB_OK);
    let mut out = Vec::new();
    for chunk in chunks(samples, sizes) {
        push_chunk_c(a, chunk);
        poll_all(a, &mut out);
    }
    assert_eq!(unsafe { kb_analyzer_finish(a) }, KB_OK);
    poll_all(a, &mut out);
    unsafe { kb_analyzer_free(a) };
    out
}

fn recording(scenario: Scenario, seed: u64) -> Vec<Sample> {
    generate_with(scenario, seed, &SimOptions::compact()).samples
}

/// Exact comparison, NaN included (Debug prints floats round-trip exactly).
fn same<T: std::fmt::Debug>(a: &[T], b: &[T]) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fn check_equivalence(samples: &[Sample], sizes: &[usize]) -> Result<(), TestCaseError> {
    let whole = analyze(samples.iter().copied(), &Settings::default()).unwrap();
    let reference = reference_events(samples);
    prop_assert_eq!(&Analysis::from_events(&reference), &whole);

    let live = rust_streaming(samples, sizes);
    prop_assert_eq!(&Analysis::from_events(&live), &whole);
    prop_assert!(same(&live, &reference), "Rust event streams differ");

    let expected_c: Vec<KbEvent> = reference.iter().filter_map(KbEvent::from_event).collect();
    let c = c_streaming(samples, sizes);
    prop_assert!(
        same(&c, &expected_c),
        "C ABI events differ from the engine's"
    );
    // The reps a C caller counts: those completed, less those a later
    // discard took back.
    let taken_back: Vec<u64> = c
        .iter()
        .filter(|e| e.kind == KB_EVENT_REP_DISCARDED)
        .map(|e| e.rep_id)
        .collect();
    let c_reps: Vec<(u32, f64, f64, f64, u32)> = c
        .iter()
        .filter(|e| e.kind == KB_EVENT_REP_COMPLETED && !taken_back.contains(&e.rep_id))
        .map(|e| {
            (
                e.rep.index,
                e.rep.start_s,
                e.rep.peak_s,
                e.rep.end_s,
                e.rep.faults,
            )
        })
        .collect();
    let whole_reps: Vec<(u32, f64, f64, f64, u32)> = whole
        .reps
        .iter()
        .map(|r| {
            (
                r.index as u32,
                r.start_s,
                r.peak_s,
                r.end_s,
                fault_flags(&r.faults),
            )
        })
        .collect();
    prop_assert_eq!(c_reps, whole_reps);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn chunked_streams_equal_the_whole_file_report(
        scenario in 0..Scenario::CONCRETE.len(),
        seed in 0u64..10_000,
        sizes in prop::collection::vec(prop_oneof![1usize..4, 1usize..64, 1usize..2_000], 1..12),
    ) {
        let samples = recording(Scenario::CONCRETE[scenario], seed);
        check_equivalence(&samples, &sizes)?;
    }
}

/// The scenarios with reps: a recording where the test would find none would
/// prove nothing.
#[test]
fn the_property_sees_reps_and_faults() {
    let samples = recording(Scenario::Mixed, 3);
    let whole = analyze(samples.iter().copied(), &Settings::default()).unwrap();
    assert!(whole.rep_count >= 8, "{} reps", whole.rep_count);
    assert!(whole.reps.iter().any(|r| !r.faults.is_empty()));
    check_equivalence(&samples, &[1, 7, 250]).unwrap();
}

/// A completed rep is reported no later than 0.5 s (of stream time) after it
/// ends, when samples arrive one by one and the app polls after each. (The
/// engine holds a finished rep back briefly, in case a walking step follows;
/// the hold is sized to keep this promise down to 12.5 Hz.)
#[test]
fn reps_are_reported_within_half_a_second_of_their_end() {
    let mut delays = Vec::new();
    let mut late = Vec::new();
    for (k, scenario) in Scenario::CONCRETE.into_iter().enumerate() {
        for seed in [k as u64, 100 + k as u64] {
            let samples = recording(scenario, seed);
            let t0 = samples[0].t;
            let mut a = Analyzer::new(Settings::default()).unwrap();
            for s in &samples {
                a.push(*s);
                while let Some(e) = a.poll() {
                    if let Event::RepCompleted(rep) = e {
                        let delay = (s.t - t0) - rep.end_s;
                        delays.push(delay);
                        if delay > 0.5 {
                            late.push(format!(
                                "{scenario} seed {seed}: rep {} ending at {:.3} s reported at {:.3} s ({delay:.3} s after)",
                                rep.index,
                                rep.end_s,
                                s.t - t0
                            ));
                        }
                    }
                }
            }
        }
    }
    delays.sort_by(f64::total_cmp);
    let pct = |q: f64| delays[((delays.len() - 1) as f64 * q).round() as usize];
    eprintln!(
        "{} reps reported live; delay after the rep's end: median {:.3} s, 95% {:.3} s, max {:.3} s",
        delays.len(),
        pct(0.5),
        pct(0.95),
        pct(1.0)
    );
    assert!(
        delays.len() > 50,
        "only {} reps were reported live",
        delays.len()
    );
    assert!(
        late.is_empty(),
        "{} of {} reps reported more than 0.5 s after their end:\n{}",
        late.len(),
        delays.len(),
        late.join("\n")
    );
}

/// A recording where a completed rep is later taken back (`lone`): the C
/// caller's reps, completed less taken back, are still the report's.
#[test]
fn a_rep_taken_back_is_taken_back_in_every_stream() {
    let samples = recording(Scenario::Walking, 120);
    let lone = reference_events(&samples)
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::RepDiscarded {
                    reason: kickback::DiscardReason::Lone,
                    ..
                }
            )
        })
        .count();
    assert!(lone > 0, "the recording no longer has a rep taken back");
    check_equivalence(&samples, &[1, 13, 400]).unwrap();
}

/// A recording where a completed rep is later taken back because the leg
/// went straight on from it into a step (`gait`: the simulator's walker
/// stands up and walks off): the C caller's reps, completed less taken
/// back, are still the report's.
#[test]
fn a_rep_that_went_on_into_a_step_is_taken_back_in_every_stream() {
    let samples = generate_with(Scenario::Walking, 3028, &SimOptions::default()).samples;
    let events = reference_events(&samples);
    let completed: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            Event::RepCompleted(r) => Some(r.id),
            _ => None,
        })
        .collect();
    let taken_back = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::RepDiscarded {
                    id,
                    reason: kickback::DiscardReason::Gait,
                    ..
                } if completed.contains(id)
            )
        })
        .count();
    assert!(
        taken_back > 0,
        "the recording no longer has a rep taken back for a step"
    );
    check_equivalence(&samples, &[1, 13, 400]).unwrap();
}
