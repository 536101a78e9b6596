//! Write a synthetic motion in every layout, read it back, and compare.

use kickback_formats::write::{write_layout, Layout, WriteInfo};
use kickback_formats::{open, ReadOptions, Sample};

/// A rotating gravity vector plus a little linear acceleration, with the
/// matching gyroscope, at 100 Hz for 6 s.
fn motion() -> Vec<Sample> {
    (0..600)
        .map(|i| {
            let t = i as f64 * 0.01;
            let th = 0.8 * (1.3 * t).sin();
            let ph = 0.5 * (0.7 * t).cos();
            let g = 9.80665;
            let acc = [
                g * th.sin() + 0.3 * (5.0 * t).sin(),
                g * th.cos() * ph.sin(),
                g * th.cos() * ph.cos() - 0.2,
            ];
            let gyro = [
                0.8 * 1.3 * (1.3 * t).cos(),
                -0.5 * 0.7 * (0.7 * t).sin(),
                0.1 + 0.05 * t,
            ];
            Sample::new(t, acc, Some(gyro))
        })
        .collect()
}

fn roundtrip(layout: Layout, gyro: bool) {
    let dir = tempfile::tempdir().unwrap();
    let mut orig = motion();
    if !gyro {
        for s in &mut orig {
            s.gyro = None;
        }
    }
    let path = write_layout(layout, dir.path(), "rec", &orig, &WriteInfo::default()).unwrap();
    let mut opts = ReadOptions::default();
    if layout == Layout::CoreMotion {
        opts.rate_hz = Some(100.0);
    }
    let rec = open(&path, &opts).unwrap_or_else(|e| panic!("{layout:?}: {e}"));
    let (back, info) = rec.read_all().unwrap_or_else(|e| panic!("{layout:?}: {e}"));
    assert!(
        back.len() >= orig.len() * 9 / 10,
        "{layout:?}: {} of {} samples",
        back.len(),
        orig.len()
    );
    let t0 = back[0].t;
    let (mut max_a, mut max_g) = (0.0f64, 0.0f64);
    for b in &back {
        let rel = b.t - t0;
        let i = (rel / 0.01).round() as usize;
        assert!(i < orig.len(), "{layout:?}: t = {rel}");
        let o = &orig[i];
        assert!(
            (o.t - rel).abs() < 2e-3,
            "{layout:?}: time {rel} vs {}",
            o.t
        );
        max_a = max_a.max((o.acc - b.acc).norm());
        match (o.gyro, b.gyro) {
            (Some(og), Some(bg)) => max_g = max_g.max((og - bg).norm()),
            (None, None) => {}
            other => panic!(
                "{layout:?}: gyro presence differs: {other:?} ({})",
                info.clock_merge
            ),
        }
    }
    assert!(
        max_a < 0.02,
        "{layout:?}: max accel error {max_a} m/s² ({:?})",
        info.accel
    );
    assert!(
        max_g < 0.01,
        "{layout:?}: max gyro error {max_g} rad/s ({:?})",
        info.gyro
    );
}

#[test]
fn every_layout_round_trips() {
    for l in Layout::ALL {
        roundtrip(l, true);
    }
}

#[test]
fn every_layout_round_trips_without_gyro() {
    for l in Layout::ALL {
        roundtrip(l, false);
    }
}

#[test]
fn zipped_sensor_logger_reads_like_the_folder() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let folder = write_layout(
        Layout::SensorLoggerIos,
        dir.path(),
        "rec",
        &motion(),
        &WriteInfo::default(),
    )
    .unwrap();
    let zpath = dir.path().join("rec.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zpath).unwrap());
    for e in std::fs::read_dir(&folder).unwrap() {
        let p = e.unwrap().path();
        z.start_file(
            p.file_name().unwrap().to_string_lossy(),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(&std::fs::read(&p).unwrap()).unwrap();
    }
    z.start_file("Microphone.mp4", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"not csv").unwrap();
    z.finish().unwrap();
    let (a, _) = open(&folder, &ReadOptions::default())
        .unwrap()
        .read_all()
        .unwrap();
    let (b, info) = open(&zpath, &ReadOptions::default())
        .unwrap()
        .read_all()
        .unwrap();
    assert_eq!(a, b);
    assert!(info.files.iter().all(|f| f.contains("rec.zip!")));
}

/// Each layout written into a folder of its own is found as one recording,
/// and every file of it leads to that recording (a MetaWear gyroscope file
/// to its accelerometer file, a file of an export to the export folder).
#[test]
fn every_file_of_a_layout_leads_to_its_one_recording() {
    let samples = motion();
    for layout in Layout::ALL {
        let dir = tempfile::tempdir().unwrap();
        let opened =
            write_layout(layout, dir.path(), "rec", &samples, &WriteInfo::default()).unwrap();
        let found = kickback_formats::find_recordings(dir.path());
        assert_eq!(found, vec![opened.clone()], "{layout:?}");
        let folder = if opened.is_dir() {
            opened.clone()
        } else {
            dir.path().to_path_buf()
        };
        for e in std::fs::read_dir(&folder).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                continue; // phyphox's meta/
            }
            let name = p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_ascii_lowercase();
            let want = match kickback_formats::recording_for(&p).unwrap() {
                None => {
                    assert!(
                        ["metadata.csv", "annotation.csv"].contains(&name.as_str()),
                        "{p:?}"
                    );
                    continue;
                }
                Some(r) => r,
            };
            assert_eq!(want, opened, "{layout:?}: {p:?}");
        }
    }
}
