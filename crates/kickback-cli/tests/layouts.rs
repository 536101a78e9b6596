//! A simulated recording written in every app's export layout is read back
//! and analysed like the generic CSV of the same motion: same reps, same
//! faults, the same times and angles within what each layout's number format
//! and units allow.

use kickback::Settings;
use kickback_cli::input::analyze_path;
use kickback_formats::write::{write_layout, Layout, WriteInfo};
use kickback_formats::ReadOptions;
use kickback_sim::{generate_with, Scenario, SimOptions};

#[test]
fn every_layout_gives_the_analysis_of_the_generic_csv() {
    let rec = generate_with(
        Scenario::Mixed,
        11,
        &SimOptions::compact().with_sample_rate(50.0),
    );
    let mut settings = Settings::default();
    settings.lumbar.torso_hinge_deg = rec.truth.settings.torso_hinge_deg;
    settings.lumbar.hip_extension_limit_deg = rec.truth.settings.hip_extension_limit_deg;
    let dir = tempfile::tempdir().unwrap();

    let generic = write_layout(
        Layout::Generic,
        dir.path(),
        "generic",
        &rec.samples,
        &WriteInfo::default(),
    )
    .unwrap();
    let reference = analyze_path(&generic, &ReadOptions::default(), &settings)
        .unwrap()
        .analysis;
    assert!(reference.rep_count >= 10, "{} reps", reference.rep_count);

    for layout in Layout::ALL {
        if layout == Layout::Generic {
            continue;
        }
        let path = write_layout(
            layout,
            dir.path(),
            layout.name(),
            &rec.samples,
            &WriteInfo::default(),
        )
        .unwrap();
        let mut opts = ReadOptions::default();
        if layout == Layout::CoreMotion {
            // No time column in this layout: the user gives the rate.
            opts.rate_hz = Some(rec.truth.sample_rate_hz);
        }
        let got = analyze_path(&path, &opts, &settings)
            .unwrap_or_else(|e| panic!("{}: {e:#}", layout.name()))
            .analysis;
        if layout == Layout::CoreMotion {
            // Without timestamps the clock error and dropped samples of the
            // recording are lost, so times drift; reps and faults must agree.
            assert_eq!(got.rep_count, reference.rep_count, "{}", layout.name());
            continue;
        }
        assert_eq!(
            got.rep_count,
            reference.rep_count,
            "{}: rep count",
            layout.name()
        );
        assert_eq!(
            got.sets.len(),
            reference.sets.len(),
            "{}: sets",
            layout.name()
        );
        for (a, b) in got.reps.iter().zip(&reference.reps) {
            assert_eq!(
                a.faults,
                b.faults,
                "{}: faults of rep {}",
                layout.name(),
                b.index
            );
            for (x, y, what) in [
                (a.start_s, b.start_s, "start"),
                (a.peak_s, b.peak_s, "peak"),
                (a.end_s, b.end_s, "end"),
            ] {
                assert!(
                    (x - y).abs() < 0.1,
                    "{}: rep {} {what} {x} vs {y}",
                    layout.name(),
                    b.index
                );
            }
            assert!(
                (a.peak_elevation_deg - b.peak_elevation_deg).abs() < 1.0,
                "{}: rep {} peak {} vs {}",
                layout.name(),
                b.index,
                a.peak_elevation_deg,
                b.peak_elevation_deg
            );
        }
    }
}
