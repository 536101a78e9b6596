//! The engine never panics on data: streams of arbitrary samples (a real
//! set of reps broken in arbitrary ways, or noise) are analysed without a
//! panic, every reported figure is finite, and the live events equal the
//! whole-file report.

mod common;
use common::*;
use kickback::{analyze, Analysis, Sample, Settings};
use nalgebra::Vector3;
use proptest::prelude::*;

/// What is done to one sample of a real set.
#[derive(Debug, Clone)]
enum Damage {
    /// A reading that is not a number, or infinite, on one axis.
    NotFinite { acc: bool, axis: usize, inf: bool },
    /// A spike of this size (m/s² or rad/s) on one axis.
    Spike { acc: bool, axis: usize, size: f64 },
    /// Both sensors read zero (free fall, or a dropped frame).
    Zeros,
    /// The clock jumps by this much (back or ahead) from here on.
    ClockJump(f64),
    /// The gyroscope is missing from this sample.
    NoGyro,
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<bool>(), 0usize..3, any::<bool>()).prop_map(|(acc, axis, inf)| Damage::NotFinite {
            acc,
            axis,
            inf
        }),
        (any::<bool>(), 0usize..3, -1e6f64..1e6).prop_map(|(acc, axis, size)| Damage::Spike {
            acc,
            axis,
            size
        }),
        Just(Damage::Zeros),
        (-30.0f64..30.0).prop_map(Damage::ClockJump),
        Just(Damage::NoGyro),
    ]
}

/// A set of three controlled and three thrown reps at 50 Hz, with `hurt`
/// applied at the given sample indices (taken modulo the length).
fn broken_set(hurt: &[(usize, Damage)]) -> Vec<Sample> {
    let mut ph = set_of(&|| controlled_rep(45.0), 3);
    ph.extend(set_of(&|| momentum_rep(50.0), 3));
    let mut s = samples(
        &profile(0.0, &ph, 50.0),
        50.0,
        0.8,
        Vector3::new(0.7, -0.2, 1.1),
        true,
    );
    let n = s.len();
    for (i, d) in hurt {
        let i = i % n;
        let x = &mut s[i];
        match *d {
            Damage::NotFinite { acc, axis, inf } => {
                let v = if inf { f64::INFINITY } else { f64::NAN };
                if acc {
                    x.acc[axis] = v;
                } else if let Some(g) = x.gyro.as_mut() {
                    g[axis] = v;
                }
            }
            Damage::Spike { acc, axis, size } => {
                if acc {
                    x.acc[axis] += size;
                } else if let Some(g) = x.gyro.as_mut() {
                    g[axis] += size;
                }
            }
            Damage::Zeros => {
                x.acc = Vector3::zeros();
                x.gyro = x.gyro.map(|_| Vector3::zeros());
            }
            Damage::ClockJump(dt) => {
                for y in s.iter_mut().skip(i) {
                    y.t += dt;
                }
            }
            Damage::NoGyro => x.gyro = None,
        }
    }
    s
}

/// Every figure of the report is finite.
fn all_finite(a: &Analysis) -> Result<(), TestCaseError> {
    prop_assert!(a.duration_s.is_finite() && a.sample_rate_hz.is_finite());
    for r in &a.reps {
        let figures = [
            r.start_s,
            r.peak_s,
            r.end_s,
            r.range_deg,
            r.peak_elevation_deg,
            r.concentric_s,
            r.hold_s,
            r.eccentric_s,
            r.peak_velocity_dps,
            r.peak_eccentric_velocity_dps,
            r.windup_deg,
        ];
        prop_assert!(figures.iter().all(|v| v.is_finite()), "{r:#?}");
    }
    Ok(())
}

fn check(s: &[Sample], chunk: usize) -> Result<(), TestCaseError> {
    let whole = analyze(s.iter().copied(), &Settings::default()).expect("default settings");
    all_finite(&whole)?;
    let live = Analysis::from_events(&live_events(s, chunk));
    prop_assert_eq!(live, whole);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_broken_set_is_analysed_without_a_panic(
        hurt in prop::collection::vec((0usize..100_000, damage()), 0..40),
        chunk in 1usize..300,
    ) {
        check(&broken_set(&hurt), chunk)?;
    }

    #[test]
    fn noise_is_analysed_without_a_panic(
        values in prop::collection::vec(
            (0.0f64..0.2, prop::array::uniform3(-60.0f64..60.0), prop::option::of(prop::array::uniform3(-40.0f64..40.0))),
            0..3_000,
        ),
        chunk in 1usize..300,
    ) {
        let mut t = 0.0;
        let s: Vec<Sample> = values
            .into_iter()
            .map(|(dt, acc, gyro)| {
                t += dt;
                Sample::new(t, acc, gyro)
            })
            .collect();
        check(&s, chunk)?;
    }
}

/// The damage is not a no-op: a set with none of it counts its six reps,
/// and one with NaNs and spikes all through still gives a report.
#[test]
fn the_property_starts_from_a_set_that_counts() {
    let clean = broken_set(&[]);
    let a = analyze(clean.iter().copied(), &Settings::default()).unwrap();
    assert_eq!(a.rep_count, 6, "{:#?}", a.reps);
    let hurt: Vec<(usize, Damage)> = (0..200)
        .map(|i| {
            (
                i * 37,
                Damage::Spike {
                    acc: i % 2 == 0,
                    axis: i % 3,
                    size: 50.0,
                },
            )
        })
        .collect();
    let a = analyze(broken_set(&hurt).iter().copied(), &Settings::default()).unwrap();
    assert!(a.reps.iter().all(|r| r.range_deg.is_finite()));
}
