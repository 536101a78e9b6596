//! Physics and truth checks.

use super::*;
use crate::motion::{test_body, Builder, KickGeo, Posture, RepShape};
use crate::sensor::{ideal_signals, sample, SensorSpec};
use nalgebra::{UnitQuaternion, Vector3};

fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

fn controlled_rep(geo: &KickGeo, amp: f64) -> motion::RenderedRep {
    RepShape {
        style: RepStyle::Controlled,
        pause: 0.0,
        start: 0.0,
        amp,
        windup: 0.0,
        d_windup: 0.0,
        d_con: 1.2,
        d_hold: 0.8,
        hold_bump: 0.0,
        d_ecc: 2.0,
        overshoot: 0.0,
        d_return: 0.0,
        lumbo_add: 0.0,
        lumbo_on: 0.0,
        lumbo_late: 0.0,
        dk: 3.0,
        knee_start: None,
        touchdown: None,
    }
    .render(geo)
}

fn geo() -> KickGeo {
    KickGeo {
        theta0: -8.0,
        knee: 12.0,
        alpha: 0.0,
        torso: 45.0,
    }
}

type Kin = (
    Vec<UnitQuaternion<f64>>,
    Vec<Vector3<f64>>,
    Vec<Vector3<f64>>,
);
/// Kinematics, then the rep's start, peak and range.
type OneRep = (Kin, f64, f64, f64);

/// Kinematics of one hanging set with one rep, no sway randomness that matters.
fn one_rep_builder(body: &motion::Body, amp: f64) -> OneRep {
    let mut b = Builder::new(body, 0.3, 0.0);
    let g = geo();
    let rep = controlled_rep(&g, amp);
    b.kick_set(&mut rng(1), 1, &g, &[rep]);
    let r = &b.reps[0];
    (
        (b.q.clone(), b.vel.clone(), b.extra.clone()),
        r.start,
        r.peak,
        r.range,
    )
}

#[test]
fn at_rest_the_accelerometer_reads_g() {
    let body = test_body();
    let mut b = Builder::new(&body, 1.0, 2.0);
    let p = Posture {
        shank: 2.0,
        knee: 3.0,
        hip_z: 0.0,
    };
    b.posture_change(p, p, 5.0);
    let mount = UnitQuaternion::from_euler_angles(0.4, -1.1, 2.0);
    let spec = SensorSpec::ideal(100.0, mount);
    let (f, w) = ideal_signals(&b.q, &b.vel, &b.extra, &spec, &mut rng(2));
    let s = sample(&f, &w, &spec, &mut rng(3));
    assert!(s.samples.len() > 400);
    for x in &s.samples {
        assert!((x.acc.norm() - 9.80665).abs() < 1e-9, "{}", x.acc.norm());
        assert!(x.gyro.unwrap().norm() < 1e-9);
    }
}

#[test]
fn integrated_gyro_matches_the_elevation_change() {
    let body = test_body();
    let ((q, v, e), start, peak, range) = one_rep_builder(&body, 55.0);
    let mount = UnitQuaternion::from_euler_angles(1.3, 0.2, -0.7);
    let spec = SensorSpec::ideal(200.0, mount);
    let (f, w) = ideal_signals(&q, &v, &e, &spec, &mut rng(4));
    let s = sample(&f, &w, &spec, &mut rng(5));
    // rotation axis in the sensor frame: the medio-lateral axis through the strap
    let axis = (body.turnout * mount).inverse() * Vector3::y();
    let mut angle = 0.0;
    for p in s.samples.windows(2) {
        if p[1].t > start - 0.05 && p[1].t <= peak + 0.05 {
            angle += p[1].gyro.unwrap().dot(&axis) * (p[1].t - p[0].t);
        }
    }
    assert!(
        (angle.to_degrees() - range).abs() < 1.0,
        "gyro {} vs truth {}",
        angle.to_degrees(),
        range
    );
    assert!(range > 50.0);
}

#[test]
fn a_rotated_strap_changes_axes_not_magnitudes() {
    let body = test_body();
    let ((q, v, e), ..) = one_rep_builder(&body, 40.0);
    let m1 = UnitQuaternion::identity();
    let m2 = UnitQuaternion::from_euler_angles(2.1, -0.6, 0.9);
    let run = |m| {
        let spec = SensorSpec::ideal(100.0, m);
        let (f, w) = ideal_signals(&q, &v, &e, &spec, &mut rng(6));
        sample(&f, &w, &spec, &mut rng(7)).samples
    };
    let (a, b) = (run(m1), run(m2));
    assert_eq!(a.len(), b.len());
    let mut differ = 0;
    for (x, y) in a.iter().zip(&b) {
        assert!((x.acc.norm() - y.acc.norm()).abs() < 1e-9);
        assert!((x.gyro.unwrap().norm() - y.gyro.unwrap().norm()).abs() < 1e-9);
        if (x.acc - y.acc).norm() > 0.5 {
            differ += 1;
        }
    }
    assert!(differ > a.len() / 2, "axes should differ");
}

#[test]
fn timestamps_increase_and_truth_is_ordered() {
    for sc in Scenario::CONCRETE {
        let rec = generate_with(sc, 42, &SimOptions::compact());
        assert!(rec.samples.windows(2).all(|w| w[1].t > w[0].t), "{sc}");
        assert_eq!(rec.truth.gyroscope, rec.samples[0].gyro.is_some());
        let dur = rec.samples.last().unwrap().t - rec.samples[0].t;
        let mut last_end = f64::NEG_INFINITY;
        for r in &rec.truth.reps {
            assert!(
                r.start_s > last_end && r.start_s < r.peak_s && r.peak_s < r.end_s,
                "{sc} {r:?}"
            );
            assert!(r.end_s < dur);
            last_end = r.end_s;
        }
    }
}

#[test]
fn same_seed_same_bytes() {
    let a = generate_with(Scenario::LowRate, 9, &SimOptions::compact());
    let b = generate_with(Scenario::LowRate, 9, &SimOptions::compact());
    assert_eq!(a.to_csv(), b.to_csv());
    assert_eq!(a.truth_json(), b.truth_json());
    let c = generate_with(Scenario::LowRate, 10, &SimOptions::compact());
    assert_ne!(a.to_csv(), c.to_csv());
    // `All` resolves to a concrete scenario with the same recording
    let d = generate_with(Scenario::All, 8, &SimOptions::compact());
    let e = generate_with(Scenario::All.resolve(8), 8, &SimOptions::compact());
    assert_eq!(d.to_csv(), e.to_csv());
}

#[test]
fn truth_labels_obey_the_margins() {
    let mut seen = std::collections::HashSet::new();
    for sc in Scenario::CONCRETE.into_iter().chain([Scenario::BackToBack]) {
        for seed in 0..2 {
            let rec = generate_with(sc, seed, &SimOptions::compact());
            let t = &rec.truth;
            let lim = t.settings.torso_hinge_deg + t.settings.hip_extension_limit_deg;
            for set in &t.sets {
                let reps: Vec<_> = t.reps.iter().filter(|r| r.set == set.index).collect();
                assert_eq!(reps.len(), set.rep_count);
                let med = median(&reps.iter().map(|r| r.range_deg).collect::<Vec<_>>());
                for r in reps {
                    seen.insert(r.style);
                    assert!(r.range_deg >= 10.0, "{sc}/{seed}: rise {}", r.range_deg);
                    // every simulated rep starts at or below rest: the
                    // range is the rise above it, at most the peak
                    assert!(
                        r.range_deg <= r.peak_elevation_deg + 1e-3,
                        "{sc}/{seed} {r:?}"
                    );
                    if r.has(Fault::LumbarOverextension) {
                        assert!(
                            r.peak_elevation_deg >= lim + 8.0 - 1e-3,
                            "{sc}/{seed} {r:?} lim {lim}"
                        );
                    } else {
                        assert!(
                            r.peak_elevation_deg <= lim - 3.0 + 1e-3,
                            "{sc}/{seed} {r:?} lim {lim}"
                        );
                    }
                    assert_eq!(r.has(Fault::Momentum), r.style == RepStyle::Momentum);
                    if r.style == RepStyle::Overextended {
                        assert!(r.has(Fault::LumbarOverextension));
                    }
                    let ratio = r.range_deg / med;
                    if r.has(Fault::PartialRange) {
                        assert!(ratio < 0.52, "{sc}/{seed} partial ratio {ratio}");
                    } else {
                        assert!(ratio > 0.7, "{sc}/{seed} ratio {ratio}");
                    }
                    assert_eq!(
                        r.has(Fault::PartialRange),
                        r.style == RepStyle::Partial,
                        "{sc}/{seed} {r:?} med {med}"
                    );
                }
            }
        }
    }
    assert_eq!(seen.len(), 4, "every style appears: {seen:?}");
}

#[test]
fn back_to_back_reps_follow_a_throw_without_a_pause() {
    // Every rep after a thrown one starts where it ended (the next 1 ms
    // step); a rep after a controlled one pauses first.
    let mut followers = std::collections::HashSet::new();
    for seed in 0..4 {
        let rec = generate(Scenario::BackToBack, seed);
        assert_eq!(rec.truth.scenario, "back_to_back");
        let reps = &rec.truth.reps;
        for w in reps.windows(2).filter(|w| w[0].set == w[1].set) {
            let gap = w[1].start_s - w[0].end_s;
            if w[0].style == RepStyle::Momentum {
                assert!(gap < 0.0015, "seed {seed}: {:?} then {:?}", w[0], w[1]);
                followers.insert(w[1].style);
            } else if w[1].style != RepStyle::Momentum {
                assert!(gap > 0.03, "seed {seed}: {:?} then {:?}", w[0], w[1]);
            }
        }
    }
    assert_eq!(
        followers.len(),
        4,
        "each style follows a throw: {followers:?}"
    );
    assert_eq!(
        "back-to-back".parse::<Scenario>().unwrap(),
        Scenario::BackToBack
    );
}

#[test]
fn a_rep_straight_after_a_throw_carries_on_where_the_shank_was() {
    use crate::scenario::{plan_set, Exercise, Person, SetMix};
    let mut r = rng(5);
    let p = Person::draw(&mut r, Exercise::Cable);
    let g = p.set_geo(&mut r);
    let reps = plan_set(&mut r, &p, &g, SetMix::BackToBack, 14);
    let mut chained = 0;
    for w in reps.windows(2).filter(|w| w[0].style == RepStyle::Momentum) {
        // shank drive (hip + knee) at the throw's last step and the next
        // rep's first: one 1 ms step from rest, no jump
        let end = w[0].main.last().unwrap() + w[0].dk.last().unwrap();
        let next = w[1].main[0] + w[1].dk[0];
        assert!((end - next).abs() < 0.01, "{end} then {next}");
        assert_eq!(w[1].pause, 0.0);
        chained += 1;
    }
    assert!(chained >= 1);
}

#[test]
fn walking_has_heel_strikes_and_no_reps() {
    let rec = generate_with(
        Scenario::Walking,
        3,
        &SimOptions::compact().with_sample_rate(200.0),
    );
    let walks: Vec<_> = rec
        .truth
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::Walking)
        .collect();
    assert!(walks.len() >= 2);
    let w = walks[0];
    let t0 = rec.samples[0].t;
    let peak = rec
        .samples
        .iter()
        .filter(|s| s.t - t0 > w.start_s + 1.5 && s.t - t0 < w.end_s - 1.5)
        .map(|s| s.acc.norm())
        .fold(0.0, f64::max);
    assert!(peak > 2.0 * 9.80665, "heel strikes: {} g", peak / 9.80665);
    for r in &rec.truth.reps {
        assert!(walks
            .iter()
            .all(|w| r.end_s < w.start_s || r.start_s > w.end_s));
    }
}

#[test]
fn csv_layout() {
    let rec = generate_with(Scenario::NoGyro, 1, &SimOptions::compact());
    let csv = rec.to_csv();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("time_s,ax,ay,az"));
    assert_eq!(lines.next().unwrap().split(',').count(), 4);
    let rec = generate_with(Scenario::Clean, 1, &SimOptions::compact());
    assert!(rec.to_csv().starts_with("time_s,ax,ay,az,gx,gy,gz\n"));
    assert_eq!(sig6(9.806651234), "9.80665");
    assert_eq!(sig6(-0.000123456789), "-0.000123457");
    assert_eq!(sig6(0.0), "0");
    assert_eq!(sig6(1234567.0), "1.23457e6");
    assert_eq!("no_gyro".parse::<Scenario>().unwrap(), Scenario::NoGyro);
    assert_eq!("low-rate".parse::<Scenario>().unwrap(), Scenario::LowRate);
    assert!("nope".parse::<Scenario>().is_err());
}
