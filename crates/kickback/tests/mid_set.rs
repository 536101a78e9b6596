//! A recording that starts mid-set, with no stillness before its first
//! rep: once the leg rests, the start is read again from the rest pose
//! found there, so the set begun before the recording counts. Measured on
//! compact simulated recordings cut at their first rep's start; prints
//! how many of the first set's reps are found, and asserts a floor.

mod common;
use common::live_events;
use kickback::{analyze, Analysis, Settings};
use kickback_sim::{generate_with, Scenario, SimOptions};

/// Whether a rep was found whose span holds a true rep's peak at `peak_s`.
fn found_at(a: &Analysis, peak_s: f64) -> bool {
    a.reps
        .iter()
        .any(|f| f.start_s <= peak_s && peak_s <= f.end_s)
}

/// Prints how many of `what` were found, and asserts the `floor`.
fn assert_found(what: &str, found: usize, want: usize, floor: f64) {
    let rate = found as f64 / want.max(1) as f64;
    println!("{what} found: {found} of {want} ({rate:.2}; floor {floor})");
    assert!(want > 0);
    assert!(rate >= floor, "{what} found: {found} of {want}");
}

/// Of the first set's reps (the one under way when the recording starts),
/// at least this fraction is found. Over seeds 2000-2029: 127 of 216
/// with the rest pose checked only against a pivot nearer the peak by
/// half the rise, 134 with "by more than 10°" (over the first ten seeds
/// 2 of 73 before the re-reading, 38 with half the rise, 34 with 10°:
/// seed 2004's first rep, from rest, reads a pivot leaning 27° towards
/// its top). The rest are sets whose first stillness is a squeeze at
/// the top of a rep, taken for the rest pose, which the pivot cannot
/// tell. 155 once a pivot fitted below the sensor is taken as the fit's
/// wrong sign; 160 once such a set's last rep is read when the leg has
/// rested after it (read from its top, the set's reps were the drops
/// between their tops, one fewer).
const MIN_FOUND: f64 = 0.73;

#[test]
fn a_set_begun_before_the_recording_still_counts() {
    let opts = SimOptions::compact();
    let (mut want, mut found) = (0usize, 0usize);
    for seed in 2000..2030u64 {
        let rec = generate_with(Scenario::Mixed, seed, &opts);
        let Some(cut) = rec.starting_mid_set(0, 0.05) else {
            continue;
        };
        let a = analyze(cut.samples.iter().copied(), &Settings::default()).expect("analyzed");
        let set = cut.truth.reps[0].set;
        for r in cut.truth.reps.iter().filter(|r| r.set == set) {
            want += 1;
            found += usize::from(found_at(&a, r.peak_s));
        }
        // Live, one sample at a time, the same as the whole file.
        let events = live_events(&cut.samples, 1);
        assert_eq!(Analysis::from_events(&events), a, "seed {seed}");
    }
    assert_found("first set's reps", found, want, MIN_FOUND);
}

/// Of the reps of the sets after the first, in full-size simulated
/// recordings begun at their first rep (no stillness before it), at least
/// this fraction is found. Over seeds 2000-2019: 306 of 400 (0.77) while
/// a set read from its top (the first stillness a squeeze) left the kick's
/// sign turned over for the rest of the recording, so that the sets after
/// were read upside down (thrown sets as swings through the rest pose,
/// lost whole); 376 (0.94) once the leg resting where the reps peaked
/// turns it back.
const MIN_LATER_FOUND: f64 = 0.9;

#[test]
fn the_sets_after_a_set_read_from_its_top_are_read_from_where_the_leg_rests() {
    let (mut want, mut found) = (0usize, 0usize);
    for seed in 2000..2020u64 {
        let rec = kickback_sim::generate(Scenario::Mixed, seed);
        let Some(cut) = rec.starting_mid_set(0, 0.05) else {
            continue;
        };
        let a = analyze(cut.samples.iter().copied(), &Settings::default()).expect("analyzed");
        let first = cut.truth.reps[0].set;
        for r in cut.truth.reps.iter().filter(|r| r.set != first) {
            want += 1;
            found += usize::from(found_at(&a, r.peak_s));
        }
    }
    assert_found("later sets' reps", found, want, MIN_LATER_FOUND);
}
