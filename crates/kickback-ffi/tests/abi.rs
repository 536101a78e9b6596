//! The C ABI's error handling: null pointers, NaNs, impossible lengths,
//! misaligned arrays and bad settings give status codes, never a crash, and
//! leave the analyzer usable.

use kickback::{Analysis, Analyzer, Event, Sample, Settings};
use kickback_ffi::*;
use std::ffi::{c_char, CStr};
use std::ptr::{null, null_mut};

fn new_analyzer() -> *mut KbAnalyzer {
    let mut s = KbSettings::default();
    unsafe { kb_settings_default(&mut s) };
    let mut a = null_mut();
    assert_eq!(unsafe { kb_analyzer_new(&s, &mut a) }, KB_OK);
    assert!(!a.is_null());
    a
}

fn last_error() -> String {
    unsafe { CStr::from_ptr(kb_last_error_message()) }
        .to_string_lossy()
        .into_owned()
}

fn poll_all(a: *mut KbAnalyzer) -> Vec<KbEvent> {
    let mut out = Vec::new();
    let mut ev = KbEvent::default();
    while unsafe { kb_analyzer_poll(a, &mut ev) } == KB_OK {
        out.push(ev);
    }
    out
}

/// A clean simulated set: reps to compare.
fn kicks() -> Vec<Sample> {
    kickback_sim::generate(kickback_sim::Scenario::Clean, 5).samples
}

fn reps_of(events: &[KbEvent]) -> Vec<KbRep> {
    // Completed, less those a later discard took back.
    let taken_back: Vec<u64> = events
        .iter()
        .filter(|e| e.kind == KB_EVENT_REP_DISCARDED)
        .map(|e| e.rep_id)
        .collect();
    events
        .iter()
        .filter(|e| e.kind == KB_EVENT_REP_COMPLETED && !taken_back.contains(&e.rep_id))
        .map(|e| e.rep)
        .collect()
}

/// The Rust engine's events on `samples`, drained after every push, then
/// after `finish`.
fn engine_events(samples: &[Sample]) -> Vec<Event> {
    let mut a = Analyzer::new(Settings::default()).unwrap();
    let mut events = Vec::new();
    for s in samples {
        a.push(*s);
        events.extend(a.drain());
    }
    a.finish();
    events.extend(a.drain());
    events
}

/// The C events on `samples`, polled live after every push as an app does,
/// then after `kb_analyzer_finish`.
fn c_events_live(samples: &[Sample]) -> Vec<KbEvent> {
    let a = new_analyzer();
    let mut events = Vec::new();
    for s in samples {
        assert_eq!(push(a, s), KB_OK);
        events.extend(poll_all(a));
    }
    unsafe { kb_analyzer_finish(a) };
    events.extend(poll_all(a));
    unsafe { kb_analyzer_free(a) };
    events
}

fn reference_reps(samples: &[Sample]) -> Vec<KbRep> {
    let events = engine_events(samples);
    assert!(!Analysis::from_events(&events).reps.is_empty());
    events
        .iter()
        .filter_map(KbEvent::from_event)
        .filter(|e| e.kind == KB_EVENT_REP_COMPLETED)
        .map(|e| e.rep)
        .collect()
}

fn push(a: *mut KbAnalyzer, s: &Sample) -> KbStatus {
    let acc: [f64; 3] = s.acc.into();
    let gyro: Option<[f64; 3]> = s.gyro.map(Into::into);
    unsafe {
        kb_analyzer_push(
            a,
            s.t,
            acc.as_ptr(),
            gyro.as_ref().map_or(null(), |g| g.as_ptr()),
        )
    }
}

#[test]
fn creation_checks_pointers_and_settings() {
    let s = KbSettings::default();
    let mut a = 1usize as *mut KbAnalyzer; // garbage that must be overwritten
    assert_eq!(unsafe { kb_analyzer_new(null(), &mut a) }, KB_ERR_NULL);
    assert!(a.is_null());
    assert_eq!(unsafe { kb_analyzer_new(&s, null_mut()) }, KB_ERR_NULL);
    assert_eq!(unsafe { kb_settings_default(null_mut()) }, KB_ERR_NULL);

    let mut bad = s;
    bad.torso_hinge_deg = f64::NAN;
    assert_eq!(
        unsafe { kb_analyzer_new(&bad, &mut a) },
        KB_ERR_INVALID_SETTINGS
    );
    assert!(a.is_null());
    assert!(
        last_error().contains("lumbar.torso_hinge_deg"),
        "{}",
        last_error()
    );
    bad = s;
    bad.set_rest_s = -3.0;
    assert_eq!(
        unsafe { kb_analyzer_new(&bad, &mut a) },
        KB_ERR_INVALID_SETTINGS
    );
    assert!(last_error().contains("sets.rest_s"), "{}", last_error());
}

#[test]
fn settings_reach_the_engine() {
    // A hinge + hip limit below every rep's peak flags every rep as lumbar.
    let samples = kicks();
    let s = KbSettings {
        torso_hinge_deg: 0.0,
        hip_extension_limit_deg: 0.0,
        ..KbSettings::default()
    };
    let mut a = null_mut();
    assert_eq!(unsafe { kb_analyzer_new(&s, &mut a) }, KB_OK);
    for x in &samples {
        assert_eq!(push(a, x), KB_OK);
    }
    assert_eq!(unsafe { kb_analyzer_finish(a) }, KB_OK);
    let reps = reps_of(&poll_all(a));
    assert!(!reps.is_empty());
    assert!(reps.iter().all(|r| r.faults & KB_FAULT_LUMBAR != 0));
    unsafe { kb_analyzer_free(a) };
}

#[test]
fn toml_settings() {
    let mut a = null_mut();
    let ok = c"[lumbar]\ntorso_hinge_deg = 40\n[sets]\nrest_s = 12.0\n";
    assert_eq!(
        unsafe { kb_analyzer_new_with_toml(ok.as_ptr(), &mut a) },
        KB_OK
    );
    assert!(!a.is_null());
    unsafe { kb_analyzer_free(a) };

    let unknown = c"[lumbar]\ntorso_hinge = 40\n";
    assert_eq!(
        unsafe { kb_analyzer_new_with_toml(unknown.as_ptr(), &mut a) },
        KB_ERR_INVALID_SETTINGS
    );
    assert!(a.is_null());
    assert!(last_error().contains("torso_hinge"), "{}", last_error());

    let out_of_range = c"[partial]\nfraction_of_median = 3.0\n";
    assert_eq!(
        unsafe { kb_analyzer_new_with_toml(out_of_range.as_ptr(), &mut a) },
        KB_ERR_INVALID_SETTINGS
    );
    assert!(
        last_error().contains("partial.fraction_of_median"),
        "{}",
        last_error()
    );

    let not_utf8: [u8; 4] = [b'a', 0xff, b'b', 0];
    assert_eq!(
        unsafe { kb_analyzer_new_with_toml(not_utf8.as_ptr().cast::<c_char>(), &mut a) },
        KB_ERR_UTF8
    );
    assert_eq!(
        unsafe { kb_analyzer_new_with_toml(null(), &mut a) },
        KB_ERR_NULL
    );
    assert_eq!(
        unsafe { kb_analyzer_new_with_toml(ok.as_ptr(), null_mut()) },
        KB_ERR_NULL
    );
}

#[test]
fn null_analyzer_and_null_arrays() {
    let acc = [0.0, 0.0, 9.81];
    let t = [0.0];
    let mut ev = KbEvent::default();
    unsafe {
        assert_eq!(
            kb_analyzer_push(null_mut(), 0.0, acc.as_ptr(), null()),
            KB_ERR_NULL
        );
        assert_eq!(
            kb_analyzer_push_many(null_mut(), t.as_ptr(), acc.as_ptr(), null(), 1),
            KB_ERR_NULL
        );
        assert_eq!(kb_analyzer_poll(null_mut(), &mut ev), KB_ERR_NULL);
        assert_eq!(kb_analyzer_finish(null_mut()), KB_ERR_NULL);
        kb_analyzer_free(null_mut());
    }
    let a = new_analyzer();
    unsafe {
        assert_eq!(kb_analyzer_push(a, 0.0, null(), null()), KB_ERR_NULL);
        assert_eq!(
            kb_analyzer_push_many(a, null(), acc.as_ptr(), null(), 1),
            KB_ERR_NULL
        );
        assert_eq!(
            kb_analyzer_push_many(a, t.as_ptr(), null(), null(), 1),
            KB_ERR_NULL
        );
        assert_eq!(kb_analyzer_push_many(a, null(), null(), null(), 0), KB_OK);
        assert_eq!(kb_analyzer_poll(a, null_mut()), KB_ERR_NULL);
        // Nothing was pushed, so nothing is queued and `out` is untouched.
        let mut e = KbEvent::from_event(&kickback::Event::RepStarted { id: 1, t_s: 42.0 }).unwrap();
        assert_eq!(kb_analyzer_poll(a, &mut e), KB_NO_EVENT);
        assert_eq!(e.t_s, 42.0);
        kb_analyzer_free(a);
    }
}

#[test]
fn impossible_lengths_and_misaligned_arrays() {
    let a = new_analyzer();
    let buf = [0.0f64; 8];
    unsafe {
        for n in [usize::MAX, usize::MAX / 3 + 1, isize::MAX as usize / 8] {
            assert_eq!(
                kb_analyzer_push_many(a, buf.as_ptr(), buf.as_ptr(), null(), n),
                KB_ERR_LENGTH,
                "n = {n}"
            );
        }
        let odd = buf.as_ptr().cast::<u8>().add(1).cast::<f64>();
        assert_eq!(
            kb_analyzer_push_many(a, odd, buf.as_ptr(), null(), 1),
            KB_ERR_MISALIGNED
        );
        assert_eq!(
            kb_analyzer_push_many(a, buf.as_ptr(), odd, null(), 1),
            KB_ERR_MISALIGNED
        );
        assert_eq!(
            kb_analyzer_push_many(a, buf.as_ptr(), buf.as_ptr(), odd, 1),
            KB_ERR_MISALIGNED
        );
        assert_eq!(kb_analyzer_push(a, 0.0, odd, null()), KB_ERR_MISALIGNED);
        // None of that reached the engine: finishing reports zero samples.
        assert_eq!(kb_analyzer_finish(a), KB_OK);
        let events = poll_all(a);
        let fin = events
            .iter()
            .find(|e| e.kind == KB_EVENT_FINISHED)
            .expect("finished");
        assert_eq!(fin.stats.samples, 0);
        kb_analyzer_free(a);
    }
}

#[test]
fn non_finite_samples_are_dropped_and_the_analyzer_goes_on() {
    let samples = kicks();
    let expected = reference_reps(&samples);

    // One at a time, with a bad sample injected every 97 samples.
    let a = new_analyzer();
    let mut events = Vec::new();
    for (i, s) in samples.iter().enumerate() {
        if i % 97 == 50 {
            let mut bad = *s;
            match (i / 97) % 4 {
                0 => bad.t = f64::NAN,
                1 => bad.acc.y = f64::INFINITY,
                2 => bad.acc.z = f64::NEG_INFINITY,
                _ => bad.gyro = Sample::new(0.0, [0.0; 3], Some([0.0, f64::NAN, 0.0])).gyro,
            }
            assert_eq!(push(a, &bad), KB_ERR_NOT_FINITE, "sample {i}");
            assert!(last_error().contains("NaN or infinite"));
        }
        assert_eq!(push(a, s), KB_OK);
        events.extend(poll_all(a));
    }
    unsafe { kb_analyzer_finish(a) };
    events.extend(poll_all(a));
    assert_eq!(reps_of(&events), expected);
    let fin = events.last().unwrap();
    assert_eq!(fin.kind, KB_EVENT_FINISHED);
    assert_eq!(fin.stats.samples, samples.len() as u64);
    unsafe { kb_analyzer_free(a) };

    // In one batch: the bad samples are dropped, the others pushed in order.
    let mut t: Vec<f64> = samples.iter().map(|s| s.t).collect();
    let mut acc: Vec<f64> = samples
        .iter()
        .flat_map(|s| s.acc.iter().copied().collect::<Vec<_>>())
        .collect();
    let mut gyro: Vec<f64> = samples
        .iter()
        .flat_map(|s| s.gyro.unwrap().iter().copied().collect::<Vec<_>>())
        .collect();
    let bad = [3usize, 500, 501, samples.len() - 1];
    let mut kept = samples.clone();
    for &i in bad.iter().rev() {
        kept.remove(i);
    }
    t[bad[0]] = f64::INFINITY;
    acc[3 * bad[1] + 2] = f64::NAN;
    gyro[3 * bad[2]] = f64::NAN;
    gyro[3 * bad[3] + 1] = f64::NEG_INFINITY;
    let a = new_analyzer();
    let st = unsafe { kb_analyzer_push_many(a, t.as_ptr(), acc.as_ptr(), gyro.as_ptr(), t.len()) };
    assert_eq!(st, KB_ERR_NOT_FINITE);
    assert!(last_error().starts_with("4 of "), "{}", last_error());
    unsafe { kb_analyzer_finish(a) };
    let events = poll_all(a);
    assert_eq!(reps_of(&events), reference_reps(&kept));
    assert_eq!(events.last().unwrap().stats.samples, kept.len() as u64);
    unsafe { kb_analyzer_free(a) };
}

#[test]
fn warnings_carry_their_kind_and_message() {
    let a = new_analyzer();
    let mut events = Vec::new();
    for i in 0..400 {
        // 2 s of samples, a 0.5 s gap (reported, not split), 2 s more.
        let t = if i < 200 {
            i as f64 * 0.01
        } else {
            2.5 + (i - 200) as f64 * 0.01
        };
        assert_eq!(
            push(a, &Sample::new(t, [0.0, 0.0, 9.81], Some([0.0; 3]))),
            KB_OK
        );
        events.extend(poll_all(a));
    }
    unsafe { kb_analyzer_finish(a) };
    events.extend(poll_all(a));
    unsafe { kb_analyzer_free(a) };
    let gap = events
        .iter()
        .find(|e| e.kind == KB_EVENT_WARNING && e.warning.code == KB_WARNING_GAP)
        .unwrap_or_else(|| panic!("no gap warning in {events:?}"));
    assert_eq!(gap.warning.kind_str(), "gap");
    assert!(!gap.warning.message_str().is_empty());
    assert!(
        gap.warning.message.contains(&0),
        "message is NUL-terminated"
    );
    assert!((gap.t_s - 1.99).abs() < 0.02, "gap at {}", gap.t_s);
    assert_eq!(events.last().unwrap().kind, KB_EVENT_FINISHED);
    assert!((events.last().unwrap().stats.duration_s - 4.49).abs() < 1e-9);
    assert!(events.last().unwrap().stats.gyroscope);
}

#[test]
fn status_messages_and_version() {
    let codes = [
        KB_OK,
        KB_NO_EVENT,
        KB_ERR_NULL,
        KB_ERR_NOT_FINITE,
        KB_ERR_INVALID_SETTINGS,
        KB_ERR_LENGTH,
        KB_ERR_MISALIGNED,
        KB_ERR_UTF8,
        KB_ERR_PANIC,
        KB_ERR_STRUCT_SIZE,
        KB_ERR_VERSION,
    ];
    let msgs: Vec<String> = codes
        .iter()
        .map(|c| {
            unsafe { CStr::from_ptr(kb_status_message(*c)) }
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut unique = msgs.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), codes.len(), "{msgs:?}");
    let unknown = unsafe { CStr::from_ptr(kb_status_message(12345)) }
        .to_str()
        .unwrap();
    assert_eq!(unknown, "unknown status code");
    let v = unsafe { CStr::from_ptr(kb_version()) }.to_str().unwrap();
    assert_eq!(v, env!("CARGO_PKG_VERSION"));
}

/// A caller's struct as raw bytes: `struct_size` first, then 0xAB guard
/// bytes up to and past the library's own size.
#[repr(C, align(8))]
struct Guarded([u8; 1024]);

const GUARD: u8 = 0xAB;

impl Guarded {
    fn new(struct_size: usize) -> Guarded {
        let mut g = Guarded([GUARD; 1024]);
        g.0[..8].copy_from_slice(&struct_size.to_ne_bytes());
        g
    }
    fn untouched_from(&self, offset: usize) -> bool {
        self.0[offset..].iter().all(|b| *b == GUARD)
    }
}

/// Kicks with walking between them: reps and discarded rises.
fn kicks_and_steps() -> Vec<Sample> {
    kickback_sim::generate(kickback_sim::Scenario::Walking, 3).samples
}

/// Pushes `samples`, finishes, and polls every event into a caller struct of
/// `struct_size` bytes followed by guard bytes. Returns what the caller saw
/// (copied into a full `KbEvent`, the rest zero) after checking that nothing
/// past `struct_size` was written and that `struct_size` was kept.
fn poll_with_size(samples: &[Sample], struct_size: usize) -> Vec<KbEvent> {
    let a = new_analyzer();
    for s in samples {
        assert_eq!(push(a, s), KB_OK);
    }
    unsafe { kb_analyzer_finish(a) };
    let mut seen = Vec::new();
    loop {
        let mut g = Guarded::new(struct_size);
        let st = unsafe { kb_analyzer_poll(a, g.0.as_mut_ptr().cast::<KbEvent>()) };
        if st == KB_NO_EVENT {
            break;
        }
        assert_eq!(st, KB_OK);
        assert!(
            g.untouched_from(struct_size),
            "struct_size {struct_size}: the library wrote past it"
        );
        // What the caller sees, over zeroes where its struct ends.
        let mut ev = KbEvent::default();
        let n = struct_size.min(std::mem::size_of::<KbEvent>());
        unsafe { std::ptr::copy_nonoverlapping(g.0.as_ptr(), (&mut ev as *mut KbEvent).cast(), n) };
        assert_eq!(ev.struct_size, struct_size, "struct_size is the caller's");
        seen.push(ev);
    }
    unsafe { kb_analyzer_free(a) };
    seen
}

#[test]
fn old_size_events_are_not_written_past_and_are_the_new_events_prefix() {
    let own = std::mem::size_of::<KbEvent>();
    let evidence = std::mem::offset_of!(KbEvent, momentum_evidence);
    let rep_id = std::mem::offset_of!(KbEvent, rep_id);
    let reason = std::mem::offset_of!(KbEvent, discard_reason);
    let walk = std::mem::offset_of!(KbEvent, walk);
    assert!(own + 64 < 1024);
    let samples = kicks_and_steps();
    let full = poll_with_size(&samples, own);
    assert!(!reps_of(&full).is_empty());
    let discards = full
        .iter()
        .filter(|e| e.kind == KB_EVENT_REP_DISCARDED)
        .count();
    assert!(discards > 0, "the walking stream has discarded rises");
    let walks = full.iter().filter(|e| e.kind == KB_EVENT_WALKING).count();
    assert!(walks > 0, "the walking stream has walks");
    // (the caller's struct_size, whether it receives discards, whether it
    // receives walks): the oldest layout, ending at `stats`; the one ending
    // at `momentum_evidence`; one with `rep_id` but not `discard_reason`; one
    // ending right after `discard_reason`; the previous header's (its
    // sizeof, padded, ends where `walk` begins); one with part of `walk`;
    // this header's.
    let layouts = [
        (evidence, false, false),
        (rep_id, false, false),
        (reason, false, false),
        (reason + 4, true, false),
        (walk, true, false),
        (own - 8, true, false),
        (own, true, true),
    ];
    for (size, gets_discards, gets_walks) in layouts {
        let seen = poll_with_size(&samples, size);
        let expected: Vec<KbEvent> = full
            .iter()
            .filter(|e| gets_discards || e.kind != KB_EVENT_REP_DISCARDED)
            .filter(|e| gets_walks || e.kind != KB_EVENT_WALKING)
            .map(|e| {
                let mut cut = KbEvent {
                    struct_size: size,
                    ..*e
                };
                if size <= evidence {
                    cut.momentum_evidence = 0;
                }
                if size < rep_id + 8 {
                    cut.rep_id = 0;
                }
                if size < reason + 4 {
                    cut.discard_reason = 0;
                }
                cut
            })
            .collect();
        assert_eq!(seen.len(), expected.len(), "struct_size {size}");
        for (s, e) in seen.iter().zip(&expected) {
            // Debug text, so that a NaN time compares equal to itself.
            assert_eq!(format!("{s:?}"), format!("{e:?}"), "struct_size {size}");
        }
        let kinds_known_before = [
            KB_EVENT_REP_STARTED,
            KB_EVENT_REP_COMPLETED,
            KB_EVENT_SET_COMPLETED,
            KB_EVENT_WARNING,
            KB_EVENT_FINISHED,
        ];
        if !gets_discards {
            assert!(seen.iter().all(|e| kinds_known_before.contains(&e.kind)));
        }
        if !gets_walks {
            assert!(seen.iter().all(|e| e.kind != KB_EVENT_WALKING));
        }
    }
}

#[test]
fn every_started_rep_ends_once_completed_or_discarded_with_its_id() {
    // Clean kicks, and kicks with walking (discarded as gait).
    for samples in [kicks(), kicks_and_steps()] {
        let events = c_events_live(&samples);

        // What the engine says, event for event.
        let reference: Vec<KbEvent> = engine_events(&samples)
            .iter()
            .filter_map(KbEvent::from_event)
            .collect();
        assert_eq!(format!("{events:?}"), format!("{reference:?}"));

        let mut open: Vec<u64> = Vec::new();
        // Completed reps not taken back.
        let mut kept: Vec<u64> = Vec::new();
        let mut last_id = 0;
        let (mut completed, mut discarded) = (0, 0);
        for e in &events {
            match e.kind {
                KB_EVENT_REP_STARTED => {
                    assert!(
                        e.rep_id > last_id,
                        "ids increase: {} after {last_id}",
                        e.rep_id
                    );
                    last_id = e.rep_id;
                    open.push(e.rep_id);
                }
                KB_EVENT_REP_DISCARDED if !open.contains(&e.rep_id) => {
                    // A completed rep taken back (a set of one, or a rep
                    // that went straight on into a step).
                    assert!(
                        [KB_DISCARD_LONE, KB_DISCARD_GAIT].contains(&e.discard_reason),
                        "{e:?}"
                    );
                    let at = kept.iter().position(|id| *id == e.rep_id);
                    assert!(at.is_some(), "{e:?} takes back {} that is no rep", e.rep_id);
                    kept.remove(at.unwrap());
                }
                KB_EVENT_REP_COMPLETED | KB_EVENT_REP_DISCARDED => {
                    if e.kind == KB_EVENT_REP_COMPLETED {
                        kept.push(e.rep_id);
                    }
                    let at = open.iter().position(|id| *id == e.rep_id);
                    assert!(at.is_some(), "{e:?} ends rep {} that is not open", e.rep_id);
                    open.remove(at.unwrap());
                    if e.kind == KB_EVENT_REP_COMPLETED {
                        completed += 1;
                        assert_eq!(e.discard_reason, KB_DISCARD_OTHER);
                    } else {
                        discarded += 1;
                        assert!(
                            (KB_DISCARD_GAIT..=KB_DISCARD_LONE).contains(&e.discard_reason),
                            "{e:?}"
                        );
                        let name =
                            unsafe { CStr::from_ptr(kb_discard_reason_name(e.discard_reason)) };
                        assert_ne!(name.to_str().unwrap(), "other");
                    }
                }
                _ => assert_eq!((e.rep_id, e.discard_reason), (0, KB_DISCARD_OTHER), "{e:?}"),
            }
        }
        assert!(open.is_empty(), "started but never ended: {open:?}");
        assert!(completed > 0);
        assert_eq!(kept.len(), reps_of(&events).len());
        println!(
            "{} started: {completed} completed, {discarded} discarded",
            completed + discarded
        );
    }
}

#[test]
fn an_old_size_settings_struct_is_read_and_filled_only_up_to_its_size() {
    let old = std::mem::offset_of!(KbSettings, min_rep_duration_s);
    // kb_settings_default writes the old fields, nothing past them.
    let mut g = Guarded::new(old);
    let p = g.0.as_mut_ptr().cast::<KbSettings>();
    assert_eq!(unsafe { kb_settings_default(p) }, KB_OK);
    assert!(g.untouched_from(old));
    let mut prefix = KbSettings::default();
    unsafe {
        std::ptr::copy_nonoverlapping(g.0.as_ptr(), (&mut prefix as *mut KbSettings).cast(), old)
    };
    assert_eq!(prefix.torso_hinge_deg, 45.0);
    assert_eq!(prefix.gap_split_s, 1.0);
    // The guard bytes where the new fields would be read as 0xABAB... (a
    // tiny negative number, out of range): the library must not read them.
    assert!(KbSettings {
        min_rep_duration_s: f64::from_ne_bytes([GUARD; 8]),
        ..KbSettings::default()
    }
    .to_settings()
    .validate()
    .is_err());
    let mut a = null_mut();
    assert_eq!(
        unsafe { kb_analyzer_new(p, &mut a) },
        KB_OK,
        "{}",
        last_error()
    );
    assert!(!a.is_null());
    unsafe { kb_analyzer_free(a) };
    // With the full size the same bytes are read, and rejected.
    g.0[..8].copy_from_slice(&std::mem::size_of::<KbSettings>().to_ne_bytes());
    assert_eq!(
        unsafe { kb_analyzer_new(p, &mut a) },
        KB_ERR_INVALID_SETTINGS
    );
    assert!(
        last_error().contains("reps.min_duration_s"),
        "{}",
        last_error()
    );
}

#[test]
fn an_unset_struct_size_is_an_error_and_nothing_is_written_or_consumed() {
    let a = new_analyzer();
    for i in 0..300 {
        let t = if i < 150 {
            i as f64 * 0.01
        } else {
            2.0 + i as f64 * 0.01
        };
        push(a, &Sample::new(t, [0.0, 0.0, 9.81], Some([0.0; 3])));
    }
    unsafe { kb_analyzer_finish(a) };
    for bad in [0usize, 8, 60, 1 << 20, usize::MAX] {
        let mut g = Guarded::new(bad);
        let st = unsafe { kb_analyzer_poll(a, g.0.as_mut_ptr().cast()) };
        assert_eq!(st, KB_ERR_STRUCT_SIZE, "struct_size {bad}");
        assert!(g.untouched_from(8));
        assert!(last_error().contains("sizeof(KbEvent)"), "{}", last_error());
        let st = unsafe { kb_settings_default(g.0.as_mut_ptr().cast()) };
        assert_eq!(st, KB_ERR_STRUCT_SIZE);
        assert!(g.untouched_from(8));
        let mut h = null_mut();
        let st = unsafe { kb_analyzer_new(g.0.as_ptr().cast(), &mut h) };
        assert_eq!(st, KB_ERR_STRUCT_SIZE);
        assert!(h.is_null());
    }
    // No event was consumed by the failed polls.
    let events = poll_all(a);
    assert_eq!(events.last().map(|e| e.kind), Some(KB_EVENT_FINISHED));
    assert_eq!(events.last().unwrap().stats.samples, 300);
    unsafe { kb_analyzer_free(a) };
}

#[test]
fn a_newer_callers_larger_struct_keeps_its_extra_bytes() {
    let own = std::mem::size_of::<KbEvent>();
    let a = new_analyzer();
    unsafe { kb_analyzer_finish(a) };
    let mut g = Guarded::new(own + 40);
    assert_eq!(
        unsafe { kb_analyzer_poll(a, g.0.as_mut_ptr().cast()) },
        KB_OK
    );
    assert!(g.untouched_from(own));
    let ev = unsafe { g.0.as_ptr().cast::<KbEvent>().read() };
    assert_eq!(ev.kind, KB_EVENT_FINISHED);
    assert_eq!(ev.struct_size, own + 40);
    unsafe { kb_analyzer_free(a) };
}

#[test]
fn walking_reaches_the_caller_as_the_engine_reports_it() {
    let samples = kicks_and_steps();
    let engine: Vec<(f64, f64, u32)> = engine_events(&samples)
        .iter()
        .filter_map(|e| match e {
            Event::Walking(w) => Some((w.start_s, w.end_s, w.steps)),
            _ => None,
        })
        .collect();
    assert!(!engine.is_empty(), "the engine recognised no walk");
    assert!(
        engine.iter().all(|(s, e, n)| s < e && *n >= 2),
        "{engine:?}"
    );

    let events = c_events_live(&samples);
    let mut c = Vec::new();
    for e in &events {
        if e.kind == KB_EVENT_WALKING {
            assert_eq!(e.t_s, e.walk.end_s, "a walk's time is its end");
            assert_eq!((e.rep_id, e.discard_reason), (0, KB_DISCARD_OTHER));
            assert_eq!(e.rep, KbRep::default());
            c.push((e.walk.start_s, e.walk.end_s, e.walk.steps));
        } else {
            assert_eq!(e.walk, KbWalk::default(), "{e:?}");
        }
    }
    assert_eq!(c, engine);
    // Each walk comes after its steps: at least `steps` rises discarded as
    // gait before it.
    let first_walk = events.iter().position(|e| e.kind == KB_EVENT_WALKING);
    let gait_before = events[..first_walk.unwrap()]
        .iter()
        .filter(|e| e.kind == KB_EVENT_REP_DISCARDED && e.discard_reason == KB_DISCARD_GAIT)
        .count();
    assert!(
        gait_before >= engine[0].2 as usize,
        "{gait_before} gait discards before {:?}",
        engine[0]
    );
    println!("walks: {c:?}");
}
