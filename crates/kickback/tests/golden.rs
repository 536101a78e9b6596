//! Golden event streams: the engine's whole output, pinned.
//!
//! Every event the analyzer emits (reps, sets, warnings, the final stream
//! figures), with the index of the sample whose push emitted it, for every
//! `testdata/*.csv` and a small seeded simulated corpus (including gaps
//! that make the analysis restart). One JSON object a line; `serde_json`
//! writes the shortest text that reads back to the same `f64`, so equal
//! text is bit-identical output.
//!
//! A deliberate change of behaviour regenerates the files:
//! `UPDATE_GOLDEN=1 cargo test -p kickback --test golden`, and the diff of
//! `crates/kickback/tests/golden/` shows what changed.

mod common;
use common::live_events;
use kickback::{Analyzer, Event, Sample, Settings};
use kickback_sim::{generate_with, Scenario, SimOptions};
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Reads the generic CSV layout of `testdata/` (`time_s,ax,ay,az[,gx,gy,gz]`).
fn read_csv(path: &Path) -> Vec<Sample> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}; testdata/ is part of the repo", path.display()));
    text.lines()
        .skip(1)
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let v: Vec<f64> = line
                .split(',')
                .map(|x| {
                    x.trim()
                        .parse()
                        .unwrap_or_else(|e| panic!("{}:{}: {x:?}: {e}", path.display(), i + 2))
                })
                .collect();
            match v.len() {
                7 => Sample::new(v[0], [v[1], v[2], v[3]], Some([v[4], v[5], v[6]])),
                4 => Sample::new(v[0], [v[1], v[2], v[3]], None),
                n => panic!("{}:{}: {n} columns, expected 4 or 7", path.display(), i + 2),
            }
        })
        .collect()
}

/// The full event stream as pushed live: one line per event, tagged with
/// the number of samples pushed when it came out (`finish` counts as one
/// more push).
fn event_lines(samples: &[Sample], settings: &Settings) -> Vec<String> {
    let mut a = Analyzer::new(settings.clone()).expect("valid settings");
    a.set_trace(false);
    let mut lines = Vec::new();
    let mut record = |at: usize, e: Event| {
        let mut v = serde_json::to_value(&e).expect("events serialize");
        v.as_object_mut()
            .expect("events are tagged objects")
            .insert("at".into(), at.into());
        lines.push(serde_json::to_string(&v).expect("json"));
    };
    for (i, s) in samples.iter().enumerate() {
        a.push(*s);
        while let Some(e) = a.poll() {
            record(i + 1, e);
        }
    }
    a.finish();
    for e in a.drain() {
        record(samples.len() + 1, e);
    }
    lines
}

/// Cuts the samples with (relative) times in `[from, to)`: a gap.
fn with_gap(mut samples: Vec<Sample>, from: f64, to: f64) -> Vec<Sample> {
    let t0 = samples[0].t;
    samples.retain(|s| s.t - t0 < from || s.t - t0 >= to);
    samples
}

/// The simulated part of the corpus: short recordings of every kind, and
/// two with a gap of 1.5 s in the middle of a rep (one without gyroscope).
fn simulated() -> Vec<(String, Vec<Sample>)> {
    let one_set = SimOptions::compact().with_sets(1);
    let mut out = Vec::new();
    for (scenario, seed) in [
        (Scenario::Clean, 107),
        (Scenario::Mixed, 101),
        (Scenario::Walking, 102),
        (Scenario::NoGyro, 103),
        (Scenario::LowRate, 104),
        (Scenario::Variations, 105),
        (Scenario::Variations, 106),
    ] {
        let rec = generate_with(scenario, seed, &one_set);
        out.push((format!("sim_{}_{seed}", scenario.name()), rec.samples));
    }
    for (scenario, seed) in [(Scenario::Mixed, 111), (Scenario::NoGyro, 112)] {
        let rec = generate_with(scenario, seed, &one_set);
        // The gap starts just before the third rep's peak.
        let rep = &rec.truth.reps[2];
        let samples = with_gap(rec.samples, rep.peak_s - 0.3, rep.peak_s + 1.2);
        out.push((format!("sim_gap_{}_{seed}", scenario.name()), samples));
    }
    out
}

fn corpus() -> Vec<(String, Vec<Sample>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo_root().join("testdata"))
        .expect("testdata/ is part of the repo")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    let mut out: Vec<(String, Vec<Sample>)> = files
        .iter()
        .map(|p| {
            let name = p.file_stem().expect("file name").to_string_lossy();
            (format!("testdata_{name}"), read_csv(p))
        })
        .collect();
    out.extend(simulated());
    out
}

#[test]
fn event_streams_match_the_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let dir = golden_dir();
    if update {
        std::fs::create_dir_all(&dir).expect("create golden dir");
    }
    let settings = Settings::default();
    let mut failed = Vec::new();
    for (name, samples) in corpus() {
        let got = event_lines(&samples, &settings).join("\n") + "\n";
        let path = dir.join(format!("{name}.jsonl"));
        if update {
            let tmp = path.with_extension("jsonl.tmp");
            std::fs::write(&tmp, &got).expect("write golden");
            std::fs::rename(&tmp, &path).expect("rename golden");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run UPDATE_GOLDEN=1 cargo test -p kickback --test golden to create it",
                path.display()
            )
        });
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(g, w)| g != w)
                .unwrap_or_else(|| got.lines().count().min(want.lines().count()));
            eprintln!(
                "{name}: first difference at line {}\n  got:  {}\n  want: {}",
                line + 1,
                got.lines().nth(line).unwrap_or("<end>"),
                want.lines().nth(line).unwrap_or("<end>")
            );
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "event streams changed for {failed:?}; if that is intended, rerun with UPDATE_GOLDEN=1 \
         and commit the diff of crates/kickback/tests/golden/"
    );
}

/// The gap cases pin the restart after a gap: bridging the same gap by
/// interpolation instead gives other reps, not just another warning.
#[test]
fn the_gap_cases_exercise_the_restart() {
    let mut bridged = Settings::default();
    bridged.input.gap_split_s = 600.0;
    let not_warning = |l: &String| !l.contains(r#""event":"warning""#);
    for (name, samples) in simulated().into_iter().filter(|(n, _)| n.contains("_gap_")) {
        let split: Vec<String> = event_lines(&samples, &Settings::default());
        let joined: Vec<String> = event_lines(&samples, &bridged);
        assert!(
            split.iter().any(|l| l.contains("analysis restarted")),
            "{name}: the gap did not split the analysis"
        );
        let split: Vec<_> = split.into_iter().filter(not_warning).collect();
        let joined: Vec<_> = joined.into_iter().filter(not_warning).collect();
        assert_ne!(split, joined, "{name}: the restart made no difference");
    }
}

/// Over the whole corpus: ids increase from 1, and every `RepStarted` is
/// followed by exactly one `RepCompleted` or `RepDiscarded` with its id,
/// nothing else carries an id that was not started, and a discard after a
/// completion (a lone rep, or one that went straight on into a step) takes
/// back a rep that was completed.
#[test]
fn every_started_rep_is_completed_or_discarded_once() {
    use std::collections::BTreeMap;
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for (name, samples) in corpus() {
        let events = live_events(&samples, 1);
        // id -> (started, ended)
        let mut open: BTreeMap<u64, f64> = BTreeMap::new();
        // Completed reps not taken back.
        let mut kept = std::collections::BTreeSet::new();
        let mut last_id = 0;
        let (mut completed, mut discarded) = (0, 0);
        for e in &events {
            match e {
                Event::RepStarted { id, t_s } => {
                    assert_eq!(*id, last_id + 1, "{name}: ids go up by one");
                    last_id = *id;
                    assert!(
                        open.insert(*id, *t_s).is_none(),
                        "{name}: {id} started twice"
                    );
                }
                Event::RepCompleted(rep) => {
                    kept.insert(rep.id);
                    let started = open.remove(&rep.id);
                    assert!(
                        started.is_some(),
                        "{name}: rep {} ({}) was not started",
                        rep.id,
                        rep.index
                    );
                    completed += 1;
                }
                Event::RepDiscarded { id, reason, .. } if !open.contains_key(id) => {
                    // A completed rep taken back: it was completed, once.
                    assert!(kept.remove(id), "{name}: {reason:?} {id} was no rep");
                    let r = serde_json::to_value(reason).expect("serializes");
                    let r = r.as_str().unwrap_or("?");
                    assert!(
                        matches!(r, "lone" | "gait"),
                        "{name}: {id} taken back for {r}"
                    );
                    *reasons.entry(format!("{r} taken back")).or_default() += 1;
                }
                Event::RepDiscarded { id, t_s, reason } => {
                    let started = open.remove(id);
                    assert!(
                        started.is_some(),
                        "{name}: {id} discarded but not started (or twice)"
                    );
                    assert!(
                        *t_s >= started.unwrap_or(0.0) - 1e-9,
                        "{name}: {id} ends before it starts"
                    );
                    let r = serde_json::to_value(reason).expect("serializes");
                    *reasons
                        .entry(r.as_str().unwrap_or("?").to_string())
                        .or_default() += 1;
                    discarded += 1;
                }
                _ => {}
            }
        }
        assert!(open.is_empty(), "{name}: started but never ended: {open:?}");
        assert_eq!(completed + discarded, last_id as usize, "{name}");
    }
    // The corpus reaches the main ways a rise is dropped.
    for reason in [
        "gait",
        "too_short",
        "too_small",
        "new_pose",
        "gap",
        "stream_ended",
    ] {
        assert!(reasons.contains_key(reason), "no '{reason}' in {reasons:?}");
    }
}

/// Pushing after `finish` starts a new stream in the same analyzer: its
/// rises are numbered on from the last one.
#[test]
fn ids_stay_unique_across_streams() {
    let (_, samples) = simulated().swap_remove(0);
    let mut a = Analyzer::new(Settings::default()).expect("valid settings");
    let mut ids = Vec::new();
    for _ in 0..2 {
        for s in &samples {
            a.push(*s);
        }
        a.finish();
        ids.extend(a.drain().filter_map(|e| match e {
            Event::RepStarted { id, .. } => Some(id),
            _ => None,
        }));
    }
    assert!(ids.len() >= 4, "{ids:?}");
    assert_eq!(ids, (1..=ids.len() as u64).collect::<Vec<_>>());
}
