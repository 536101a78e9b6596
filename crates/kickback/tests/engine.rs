//! End-to-end checks of the engine on simple synthetic legs.

mod common;
use common::*;
use kickback::{analyze, Analysis, Analyzer, Event, Fault, Sample, Settings};
use nalgebra::Vector3;

fn run(samples: &[Sample]) -> Analysis {
    analyze(samples.iter().copied(), &Settings::default()).unwrap()
}

/// Samples at 100 Hz, with the gyroscope, of a leg following `phases` from
/// rest, 0.8 m from the hip, strap rotated by `mount`.
fn hip_leg(phases: &[Phase], mount: Vector3<f64>) -> Vec<Sample> {
    samples(&profile(0.0, phases, 100.0), 100.0, 0.8, mount, true)
}

const MOUNTS: [[f64; 3]; 4] = [
    [0.0, 0.0, 0.0],
    [1.2, -0.4, 0.3],
    [-2.0, 0.9, 1.1],
    [0.3, 2.8, -0.2],
];

#[test]
fn controlled_set_counts_every_rep_cleanly_in_any_strap_orientation() {
    for m in MOUNTS {
        let angles = profile(0.0, &set_of(&|| controlled_rep(50.0), 10), 100.0);
        let a = run(&samples(&angles, 100.0, 0.8, Vector3::from(m), true));
        assert_eq!(a.rep_count, 10, "mount {m:?}: {:#?}", a.reps);
        assert_eq!(a.sets.len(), 1);
        for r in &a.reps {
            assert!(r.faults.is_empty(), "mount {m:?}: {r:#?}");
            assert!((r.peak_elevation_deg - 50.0).abs() < 3.0, "{r:#?}");
            assert!((r.range_deg - 50.0).abs() < 3.0, "{r:#?}");
            assert!(r.hold_s > 0.4 && r.hold_s < 1.4, "{r:#?}");
        }
    }
}

#[test]
fn momentum_reps_are_flagged() {
    let angles = profile(0.0, &set_of(&|| momentum_rep(50.0), 8), 100.0);
    let a = run(&samples(
        &angles,
        100.0,
        0.8,
        Vector3::new(0.5, 0.5, 0.5),
        true,
    ));
    assert_eq!(a.rep_count, 8, "{:#?}", a.reps);
    let flagged = a.reps.iter().filter(|r| r.has(Fault::Momentum)).count();
    assert!(flagged >= 7, "{flagged} flagged: {:#?}", a.reps);
}

#[test]
fn kicking_past_the_hip_limit_is_lumbar_overextension() {
    let angles = profile(0.0, &set_of(&|| controlled_rep(78.0), 6), 100.0);
    let a = run(&samples(
        &angles,
        100.0,
        0.8,
        Vector3::new(-0.3, 1.0, 0.2),
        true,
    ));
    assert_eq!(a.rep_count, 6);
    assert!(
        a.reps.iter().all(|r| r.has(Fault::LumbarOverextension)),
        "{:#?}",
        a.reps
    );
    assert_eq!(a.summary.lumbar_overextension, 6);
}

#[test]
fn a_short_rep_is_partial() {
    let mut ph = rest(3.0);
    for peak in [50.0, 52.0, 49.0, 20.0, 51.0] {
        ph.extend(controlled_rep(peak));
    }
    ph.extend(rest(2.0));
    let a = run(&hip_leg(&ph, Vector3::new(0.1, 0.2, 0.3)));
    assert_eq!(a.rep_count, 5);
    let partial: Vec<usize> = a
        .reps
        .iter()
        .filter(|r| r.has(Fault::PartialRange))
        .map(|r| r.index)
        .collect();
    assert_eq!(partial, vec![4]);
}

/// Reps held for 6 s (physiotherapy's "hold 5 s"), as real sets do them.
#[test]
fn held_reps_count_however_the_leg_rests_between_them() {
    let ph = |to_deg: f64, dur_s: f64| Phase { to_deg, dur_s };
    // Up to `top`, held 6 s, down to `to`, then `rest_s` there.
    let held = |top: f64, to: f64, rest_s: f64| {
        let mut v = vec![ph(top, 1.3), ph(top, 6.0), ph(to, 1.2)];
        if rest_s > 0.0 {
            v.push(ph(to, rest_s));
        }
        v
    };
    let set = |reps: Vec<Vec<Phase>>| {
        let mut v = rest(3.0);
        v.extend(reps.into_iter().flatten());
        v
    };
    // (name, phases, reps, whether their ranges are alike)
    let cases: Vec<(&str, Vec<Phase>, usize, bool)> = vec![
        (
            "each rep back to rest",
            set(vec![
                held(30.0, 0.0, 1.5),
                held(30.0, 0.0, 1.5),
                held(30.0, 0.0, 3.0),
            ]),
            3,
            true,
        ),
        (
            // The first rep lets down to where the leg rests between reps,
            // 8° above where it lay before the set: the next rep repeats it.
            "a first rep back to a rest 8° off the pose before the set",
            set(vec![
                held(25.0, 8.0, 1.5),
                held(25.0, 8.0, 1.5),
                held(25.0, 8.0, 3.0),
            ]),
            3,
            true,
        ),
        (
            "a lone held rise let down 8° off where it started is a pose",
            set(vec![held(25.0, 8.0, 15.0)]),
            0,
            true,
        ),
        (
            // Let down past rest (a swing through the hanging pose) and
            // raised again at once.
            "reps with no rest between",
            set(vec![
                held(30.0, -6.0, 0.0),
                held(30.0, -6.0, 0.0),
                held(30.0, 0.0, 3.0),
            ]),
            3,
            // (The reps after the first are read from the swing's low
            // point, 6° below rest.)
            false,
        ),
    ];
    let mut bad = Vec::new();
    for (name, phases, want, alike) in cases {
        let a = run(&hip_leg(&phases, Vector3::new(1.2, -0.4, 0.3)));
        if a.rep_count != want {
            bad.push(format!("{name}: {} reps, want {want}", a.rep_count));
        }
        // Each rep's range is its rise above the rest pose of the set.
        let ranges: Vec<f64> = a.reps.iter().map(|r| r.range_deg).collect();
        let spread = ranges
            .iter()
            .fold(0.0_f64, |m, r| m.max((r - ranges[0]).abs()));
        if alike && spread > 2.0 {
            bad.push(format!("{name}: ranges {ranges:?} differ"));
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn swings_away_from_or_through_the_rest_pose_are_no_reps() {
    let ph = |to_deg: f64, dur_s: f64| Phase { to_deg, dur_s };
    // Still at 0° (the rest pose), then swinging between 40° and 70° for
    // 24 s without ever coming back: strides read against a rest pose
    // taken mid-walk. A swing from a pose the leg never rested in, long
    // after it was last at rest, is no rep.
    let mut phases = rest(3.0);
    phases.push(ph(40.0, 1.0));
    for _ in 0..30 {
        phases.extend([ph(70.0, 0.3), ph(40.0, 0.5)]);
    }
    // A leg turning `r` m from the sensor.
    let leg_r = |phases: &[Phase], r: f64| {
        let fs = 100.0;
        run(&samples(
            &profile(0.0, phases, fs),
            fs,
            r,
            Vector3::new(0.3, 2.8, -0.2),
            true,
        ))
    };
    let leg = |phases: &[Phase]| leg_r(phases, 0.8);
    let a = leg(&phases);
    // The leg left rest 3 s in (the samples start at 3 s); up to the
    // rest pose's 9 s of grace, a swing may still count.
    let late: Vec<_> = a.reps.iter().filter(|r| r.start_s > 3.0 + 9.5).collect();
    assert!(late.is_empty(), "{} reps, late: {late:#?}", a.rep_count);
    // Three reps (which show the kick's direction), then pedalling: the
    // shank swinging about the knee, 0.4 m up, between -40° and 25° at 1
    // Hz, through the rest pose, never resting there.
    let mut phases = set_of(&|| controlled_rep(50.0), 3);
    for _ in 0..20 {
        phases.extend([ph(-40.0, 0.5), ph(25.0, 0.5)]);
    }
    let a = leg_r(&phases, 0.4);
    assert_eq!(a.rep_count, 3, "{:#?}", a.reps);
    // Reps from where the leg rests now still count: the same swings with
    // a 0.5 s pause at the bottom of each.
    let mut phases = rest(3.0);
    phases.push(ph(30.0, 1.0));
    for _ in 0..20 {
        phases.extend([ph(65.0, 1.0), ph(65.0, 0.5), ph(30.0, 1.5), ph(30.0, 0.5)]);
    }
    let a = leg(&phases);
    assert!(a.rep_count >= 19, "{} reps: {:#?}", a.rep_count, a.reps);
}

#[test]
fn a_swing_that_passes_beside_the_rest_pose_is_no_rep() {
    let ph = |to_deg: f64, dur_s: f64| Phase { to_deg, dur_s };
    let fs = 100.0;
    let mount = Vector3::new(1.2, -0.4, 0.3);
    // Still with the shank tilted 25° out to the side (a rest pose taken
    // from a moment that was no hanging pose), then swings straight back
    // and forth, -30° to 45° (1 s back, 0.6 s forward), never resting:
    // every rise crosses the rest pose's plane 25° to its side, never
    // through it.
    let mut phases = rest(3.0);
    phases.push(ph(-30.0, 0.5));
    for _ in 0..20 {
        phases.extend([ph(45.0, 1.0), ph(-30.0, 0.6)]);
    }
    let angles = profile(0.0, &phases, fs);
    let tilt = |side: f64| -> Vec<f64> {
        let still = (3.0 * fs) as usize;
        let turn = (0.5 * fs) as usize;
        (0..angles.len())
            .map(|i| match i {
                i if i <= still => side,
                i if i <= still + turn => side * (1.0 - (i - still) as f64 / turn as f64),
                _ => 0.0,
            })
            .collect()
    };
    let a = run(&samples_with_tilt(&angles, &tilt(25.0), fs, 0.8, mount));
    assert_eq!(a.rep_count, 0, "{:#?}", a.reps);
    // Thrown reps from a wind-up 15° in front, each through the rest pose
    // it started from (tilted 3° to the side, as a strap wobbles), count.
    let mut phases = rest(3.0);
    for _ in 0..8 {
        phases.extend(momentum_rep(50.0));
        phases.extend(rest(1.5));
    }
    let angles = profile(0.0, &phases, fs);
    let a = run(&samples_with_tilt(
        &angles,
        &vec![3.0; angles.len()],
        fs,
        0.8,
        mount,
    ));
    assert_eq!(a.rep_count, 8, "{:#?}", a.reps);
}

#[test]
fn sets_are_split_by_rests() {
    let mut ph = set_of(&|| controlled_rep(50.0), 5);
    ph.extend(rest(40.0));
    ph.extend(set_of(&|| controlled_rep(50.0), 6));
    let a = run(&samples(
        &profile(0.0, &ph, 100.0),
        50.0,
        0.8,
        Vector3::new(0.7, 0.0, -0.3),
        true,
    ));
    assert_eq!(
        a.sets.iter().map(|s| s.rep_count).collect::<Vec<_>>(),
        vec![5, 6]
    );
    assert!(a.reps[5].set == 2 && a.reps[4].set == 1);
}

#[test]
fn a_rep_with_no_other_near_is_taken_back() {
    let set = |n| set_of(&|| controlled_rep(50.0), n);
    // A set of 5, 30 s of rest, one rep alone, 30 s of rest, a set of 3.
    let mut ph = set(5);
    ph.extend(rest(30.0));
    ph.extend(set(1));
    ph.extend(rest(30.0));
    ph.extend(set(3));
    let s = hip_leg(&ph, Vector3::new(0.7, 0.0, -0.3));
    let events = live_events(&s, 7);
    let a = Analysis::from_events(&events);
    assert_eq!(a, run(&s), "live and whole-file agree");
    assert_eq!(
        a.sets.iter().map(|s| s.rep_count).collect::<Vec<_>>(),
        vec![5, 3]
    );
    // The next set and its reps take the numbers the lone rep had.
    let numbers: Vec<_> = a.reps.iter().map(|r| (r.index, r.set)).collect();
    assert_eq!(
        numbers,
        [
            (1, 1),
            (2, 1),
            (3, 1),
            (4, 1),
            (5, 1),
            (6, 2),
            (7, 2),
            (8, 2)
        ]
    );
    // The lone rep was reported live, then taken back once no rep came
    // within the set rest (8 s) after it.
    let lone: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::RepDiscarded {
                id,
                t_s,
                reason: kickback::DiscardReason::Lone,
            } => Some((*id, *t_s)),
            _ => None,
        })
        .collect();
    assert_eq!(lone.len(), 1, "{events:#?}");
    let (id, taken_back_at) = lone[0];
    let rep = events
        .iter()
        .find_map(|e| match e {
            Event::RepCompleted(r) if r.id == id => Some(r.clone()),
            _ => None,
        })
        .expect("the lone rep was completed first");
    assert_eq!((rep.index, rep.set), (6, 2), "{rep:#?}");
    let rest_s = Settings::default().sets.rest_s;
    assert!(
        taken_back_at > rep.end_s + rest_s && taken_back_at < rep.end_s + rest_s + 1.0,
        "taken back at {taken_back_at} after a rep ending {}",
        rep.end_s
    );
    assert!(!a.reps.iter().any(|r| r.id == id));
}

/// The first strides of a walk from standing, each straight on from the
/// last and the last straight into a step the gait gate knows (a roll back
/// over the planted foot from where the heel landed, then a fast swing
/// forward), are taken back once that step is known: `RepDiscarded` for
/// `Gait` after each `RepCompleted`. A set before, rested, stands.
#[test]
fn reps_the_leg_went_straight_on_from_into_a_walk_are_taken_back() {
    let ph = |to_deg: f64, dur_s: f64| Phase { to_deg, dur_s };
    let mut phases = set_of(&|| controlled_rep(45.0), 3);
    phases.extend(rest(10.0));
    // Three rises from rest, 28° in 0.45 s and back in 0.35 s, no pause.
    for _ in 0..3 {
        phases.extend([ph(28.0, 0.45), ph(0.0, 0.35)]);
    }
    // Then walking: the heel lands 20° in front, the leg rolls back over
    // it for 0.8 s and swings forward again in 0.35 s.
    for _ in 0..8 {
        phases.extend([ph(-20.0, 0.2), ph(28.0, 0.8), ph(0.0, 0.15)]);
    }
    phases.extend(rest(10.0));
    let s = hip_leg(&phases, Vector3::new(0.3, 2.8, -0.2));
    let events = live_events(&s, 5);
    let a = Analysis::from_events(&events);
    assert_eq!(a, run(&s), "live and whole-file agree");
    assert_eq!(a.rep_count, 3, "{:#?}", a.reps);
    assert_eq!(a.sets.len(), 1);
    let completed: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::RepCompleted(r) => Some(r.id),
            _ => None,
        })
        .collect();
    let taken_back: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::RepDiscarded {
                id,
                reason: kickback::DiscardReason::Gait,
                ..
            } if completed.contains(id) => Some(*id),
            _ => None,
        })
        .collect();
    assert!(taken_back.len() >= 2, "{events:#?}");

    // A set of controlled reps done without a pause at the bottom, then
    // straight into the same walk: at most its last rep goes (a controlled
    // rep is nothing like a stride).
    let mut phases = rest(3.0);
    for _ in 0..5 {
        phases.extend([ph(45.0, 1.3), ph(45.0, 0.8), ph(0.0, 2.0)]);
    }
    for _ in 0..8 {
        phases.extend([ph(-20.0, 0.2), ph(28.0, 0.8), ph(0.0, 0.15)]);
    }
    phases.extend(rest(10.0));
    let s = hip_leg(&phases, Vector3::new(0.3, 2.8, -0.2));
    let a = run(&s);
    assert!(a.rep_count >= 4, "{:#?}", a.reps);
    assert_eq!(a.sets.len(), 1);
}

#[test]
fn works_without_a_gyroscope() {
    let angles = profile(0.0, &set_of(&|| controlled_rep(50.0), 8), 100.0);
    let a = run(&samples(
        &angles,
        100.0,
        0.8,
        Vector3::new(0.4, -1.1, 0.6),
        false,
    ));
    assert_eq!(a.rep_count, 8);
    assert!(!a.gyroscope);
    assert!(a.warnings.iter().any(|w| w.kind == "no_gyroscope"));
    for r in &a.reps {
        assert!((r.peak_elevation_deg - 50.0).abs() < 6.0, "{r:#?}");
    }
}

#[test]
fn every_input_rate_gives_the_same_count() {
    for fs in [12.5, 25.0, 50.0, 200.0, 400.0] {
        let angles = profile(0.0, &set_of(&|| controlled_rep(45.0), 7), fs);
        let a = run(&samples(
            &angles,
            fs,
            0.8,
            Vector3::new(0.2, 0.4, -0.9),
            true,
        ));
        assert_eq!(a.rep_count, 7, "at {fs} Hz: {:#?}", a.reps);
        assert!((a.sample_rate_hz - fs).abs() < 0.01 * fs);
    }
}

#[test]
fn live_events_equal_the_whole_file_report_in_any_chunking() {
    let mut ph = set_of(&|| controlled_rep(50.0), 4);
    ph.extend(set_of(&|| momentum_rep(55.0), 4));
    let s = hip_leg(&ph, Vector3::new(0.9, 0.1, 0.4));
    let whole = run(&s);
    for chunk in [1, 7, 64, 1000] {
        let events = live_events(&s, chunk);
        assert_eq!(Analysis::from_events(&events), whole);
    }
}

#[test]
fn bad_samples_are_warnings_not_panics() {
    let angles = profile(0.0, &set_of(&|| controlled_rep(50.0), 3), 100.0);
    let mut s = samples(&angles, 100.0, 0.8, Vector3::zeros(), true);
    s[100].acc.x = f64::NAN;
    s[200].t = s[150].t; // backwards
    s[300].t = s[299].t; // duplicate
    let a = run(&s);
    assert_eq!(a.rep_count, 3);
    for kind in ["invalid_sample", "time_backwards", "duplicate_time"] {
        assert!(
            a.warnings.iter().any(|w| w.kind == kind),
            "{kind}: {:#?}",
            a.warnings
        );
    }
    // Degenerate streams.
    assert_eq!(run(&[]).rep_count, 0);
    assert_eq!(run(&s[..1]).rep_count, 0);
    let zeros: Vec<Sample> = (0..300)
        .map(|i| Sample::new(i as f64 * 0.01, [0.0; 3], Some([0.0; 3])))
        .collect();
    assert_eq!(run(&zeros).rep_count, 0);
}

#[test]
fn a_long_gap_splits_the_analysis() {
    let angles = profile(0.0, &set_of(&|| controlled_rep(50.0), 3), 100.0);
    let mut s = samples(&angles, 100.0, 0.8, Vector3::zeros(), true);
    for x in s.iter_mut().skip(800) {
        x.t += 5.0;
    }
    let a = run(&s);
    assert!(
        a.warnings.iter().any(|w| w.kind == "gap"),
        "{:#?}",
        a.warnings
    );
}

#[test]
#[ignore]
fn zz_debug_trace() {
    let mut ph = set_of(&|| controlled_rep(50.0), 5);
    ph.extend(rest(40.0));
    let s = samples(
        &profile(0.0, &ph, 100.0),
        50.0,
        0.8,
        Vector3::new(0.7, 0.0, -0.3),
        true,
    );
    let mut a = Analyzer::new(Settings::default()).unwrap();
    a.set_trace(true);
    for x in &s {
        a.push(*x);
    }
    a.finish();
    for e in a.drain() {
        match e {
            Event::Elevation { t_s, deg } if ((t_s * 100.0).round() as i64) % 25 == 0 => {
                println!("{t_s:.2} {deg:.1}")
            }
            Event::Elevation { .. } => {}
            e => println!("{e:?}"),
        }
    }
}

#[test]
fn small_reps_count_as_a_set_and_a_lone_fidget_does_not() {
    // (reps' peaks, deg; reps counted): amplitude is judged against the set.
    let cases: &[(&[f64], usize)] = &[
        // Small reps, the first under the 10° a rep needs alone: it counts
        // once the next one, like it, shows a set.
        (&[8.0, 13.0, 12.0, 8.0, 8.0], 5),
        // A fidget before a set of large reps is no rep of it.
        (&[8.0, 45.0, 45.0, 45.0], 3),
        // A lone fidget is no rep; nor is a lone kick (a set of one).
        (&[8.0], 0),
        (&[45.0], 0),
    ];
    for &(peaks, want) in cases {
        let mut ph = rest(3.0);
        for &p in peaks {
            ph.extend(controlled_rep(p));
        }
        ph.extend(rest(3.0));
        let angles = profile(0.0, &ph, 100.0);
        let a = run(&samples(
            &angles,
            100.0,
            0.8,
            Vector3::new(0.4, -0.3, 0.2),
            true,
        ));
        assert_eq!(a.rep_count, want, "{peaks:?}: {:#?}", a.reps);
    }
}

#[test]
fn a_reading_that_turns_faster_than_a_leg_is_no_rep() {
    let ph = |to_deg: f64, dur_s: f64| Phase { to_deg, dur_s };
    // Up 120° in 0.1 s (minimum jerk: 2250 °/s at its fastest, where a
    // thrown kick peaks at 300-600 °/s), held, lowered in 1 s: a jump in
    // the reading, or a spinning sensor. The same lift in 0.4 s (280 °/s)
    // is a thrown rep. Three times each (a set is three reps alike).
    for (up_s, want) in [(0.1, 0), (0.4, 3)] {
        let peak = if want == 0 { 120.0 } else { 60.0 };
        let mut phases = rest(3.0);
        for _ in 0..3 {
            phases.extend([ph(peak, up_s), ph(peak, 0.6), ph(0.0, 1.0)]);
            phases.extend(rest(3.0));
        }
        let fs = 100.0;
        let s = samples(
            &profile(0.0, &phases, fs),
            fs,
            0.8,
            Vector3::new(0.3, 2.8, -0.2),
            true,
        );
        let events = live_events(&s, 1);
        let a = Analysis::from_events(&events);
        assert_eq!(a.rep_count, want, "up in {up_s} s: {:#?}", a.reps);
        let too_fast = events.iter().any(|e| {
            matches!(
                e,
                Event::RepDiscarded {
                    reason: kickback::DiscardReason::TooFast,
                    ..
                }
            )
        });
        assert_eq!(too_fast, want == 0, "up in {up_s} s: {events:#?}");
    }
}

#[test]
fn a_recording_begun_mid_rep_is_read_from_where_the_leg_rests() {
    let ph = |to_deg: f64, dur_s: f64| Phase { to_deg, dur_s };
    // The recording starts as the leg leaves rest: up 50° in 1 s, the
    // squeeze held 1.2 s (the first stillness: the top of a rep, not the
    // rest pose), lowered in 1.5 s, a short pause, and so on: 8 reps. The
    // first rep's pivot, the hip, is above the sensor at its peak's far
    // end, the hanging pose: that is where the leg rests.
    let mut phases = Vec::new();
    for _ in 0..8 {
        phases.extend([ph(50.0, 1.0), ph(50.0, 1.2), ph(0.0, 1.5), ph(0.0, 0.6)]);
    }
    phases.extend(rest(3.0));
    for mount in MOUNTS {
        let fs = 100.0;
        let s = samples(
            &profile(0.0, &phases, fs),
            fs,
            0.8,
            Vector3::from(mount),
            true,
        );
        let a = run(&s);
        assert_eq!(a.rep_count, 8, "mount {mount:?}: {:#?}", a.reps);
        for r in &a.reps {
            assert!(
                (r.range_deg - 50.0).abs() < 6.0 && r.hold_s > 0.8,
                "mount {mount:?}: read upside down? {r:#?}"
            );
        }
    }
}

#[test]
fn after_a_set_a_smaller_set_of_the_same_movement_counts() {
    let ph = |to_deg: f64, dur_s: f64| Phase { to_deg, dur_s };
    // A set of five reps to `first`° (up 0.8 s, held 4 s, down 0.8 s),
    // 20 s of rest, then five to 6°: the low-amplitude set of a
    // physiotherapy session. 6° counts after a set of 15° (a third of it),
    // not after kickbacks of 45°, and not without a gyroscope.
    let set = |peak: f64| {
        let mut phases = Vec::new();
        for _ in 0..5 {
            phases.extend([ph(peak, 0.8), ph(peak, 4.0), ph(0.0, 0.8)]);
            phases.extend(rest(1.5));
        }
        phases
    };
    for (first, gyro, want) in [(15.0, true, 10), (15.0, false, 5), (45.0, true, 5)] {
        let mut phases = rest(3.0);
        phases.extend(set(first));
        phases.extend(rest(20.0));
        phases.extend(set(6.0));
        phases.extend(rest(10.0));
        let s = samples(
            &profile(0.0, &phases, 100.0),
            100.0,
            0.8,
            Vector3::new(0.4, -0.3, 0.2),
            gyro,
        );
        let a = run(&s);
        assert_eq!(a.rep_count, want, "{first}° gyro {gyro}: {:#?}", a.reps);
        assert_eq!(a.sets.len(), want / 5, "{first}° gyro {gyro}");
    }
}

#[test]
fn a_turn_only_the_gyroscope_reads_is_no_rep() {
    // A set of five 30° reps read by both sensors, then the same gyroscope
    // readings with the accelerometer still at the rest pose: a drifting or
    // noisy gyroscope on a leg that did not move (a real cycling
    // recording's gyroscope reads 20-160 °/s of noise at rest).
    for mount in MOUNTS {
        let s = hip_leg(&set_of(&|| controlled_rep(30.0), 5), Vector3::from(mount));
        assert_eq!(run(&s).rep_count, 5, "{mount:?}: both sensors");
        let still = s[0].acc;
        let gyro_only: Vec<Sample> = s.iter().map(|x| Sample { acc: still, ..*x }).collect();
        let events = live_events(&gyro_only, 1);
        let a = Analysis::from_events(&events);
        assert_eq!(a.rep_count, 0, "{mount:?}: {:#?}", a.reps);
        let why = events.iter().any(|e| {
            matches!(
                e,
                Event::RepDiscarded {
                    reason: kickback::DiscardReason::GyroOnly,
                    ..
                }
            )
        });
        assert!(why, "{mount:?}: {events:#?}");
    }
}
