//! Diagnostic: per matched rep, the measured peak elevation against the
//! truth, by rep style; and every recording whose count is off.
//! `cargo run --release -p kickback-sim --example rep_errors -- mixed 2000 40`
//! (scenario, first seed, count). `-v` prints every matched rep; with
//! `KBX_WIN=FROM,TO` (seconds) the truth's activities and reps in that window
//! are listed too. Build with `--features kickback/debug-log` for the engine's
//! own trace. `--mid-set K` starts each recording `--lead S` (default 0.05) s before
//! its K-th rep (0-based; no still start, the set under way).
use kickback::{analyze, Settings};
use kickback_sim::eval::{score, EvalReport};
use kickback_sim::{generate, Scenario};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let scen: Scenario = match args.get(1).map_or(Ok(Scenario::Mixed), |s| s.parse()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let n: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(40);
    let verbose = args.iter().any(|a| a == "-v");
    let mid_set: Option<usize> = args
        .iter()
        .position(|a| a == "--mid-set")
        .and_then(|i| args.get(i + 1))
        .and_then(|k| k.parse().ok());
    let lead: f64 = args
        .iter()
        .position(|a| a == "--lead")
        .and_then(|i| args.get(i + 1))
        .and_then(|k| k.parse().ok())
        .unwrap_or(0.05);
    let mut errs: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    let mut scores = Vec::new();
    for i in 0..n {
        let rec = generate(scen, seed + i);
        let rec = match mid_set {
            Some(k) => rec.starting_mid_set(k, lead).unwrap_or(rec),
            None => rec,
        };
        let mut s = Settings::default();
        s.lumbar.torso_hinge_deg = rec.truth.settings.torso_hinge_deg;
        s.lumbar.hip_extension_limit_deg = rec.truth.settings.hip_extension_limit_deg;
        let lim = s.lumbar.torso_hinge_deg + s.lumbar.hip_extension_limit_deg;
        let a = analyze(rec.samples.iter().copied(), &s).unwrap();
        let sc = score(&rec.truth, &a.reps);
        if let Ok(w) = std::env::var("KBX_WIN") {
            let v: Vec<f64> = w.split(',').map(|x| x.parse().unwrap()).collect();
            for x in &rec.truth.activities {
                if x.end_s >= v[0] && x.start_s <= v[1] {
                    println!("  ACT {:?} {:.2}-{:.2}", x.kind, x.start_s, x.end_s);
                }
            }
            for r in &rec.truth.reps {
                if r.end_s >= v[0] && r.start_s <= v[1] {
                    println!(
                        "  TRUE {} {:.2}-{:.2} {:?} set {}",
                        r.index, r.start_s, r.end_s, r.style, r.set
                    );
                }
            }
        }
        if sc.count_error != 0 {
            println!(
                "COUNT {} {} seed {} true {} found {}",
                rec.truth.scenario,
                rec.truth.params.exercise,
                seed + i,
                sc.true_reps,
                sc.detected_reps
            );
        }
        if sc.count_error != 0 {
            for (di, dr) in a.reps.iter().enumerate() {
                if !sc.pairs.iter().any(|p| p.1 == di + 1) {
                    let act: Vec<String> = rec
                        .truth
                        .activities
                        .iter()
                        .filter(|x| x.start_s - 1.0 <= dr.peak_s && dr.peak_s <= x.end_s + 1.0)
                        .map(|x| format!("{:?} {:.1}-{:.1}", x.kind, x.start_s, x.end_s))
                        .collect();
                    println!("  EXTRA {:.2}-{:.2} peak {:.1} range {:.1} con {:.2} hold {:.2} ecc {:.2} pv {:.0} windup {:.1} faults {:?} during {:?}",
                        dr.start_s, dr.end_s, dr.peak_elevation_deg, dr.range_deg, dr.concentric_s, dr.hold_s, dr.eccentric_s, dr.peak_velocity_dps, dr.windup_deg, dr.faults, act);
                }
            }
            for tr in &rec.truth.reps {
                if !sc.pairs.iter().any(|p| p.0 == tr.index) {
                    println!(
                        "  MISSED {:.2}-{:.2} peak {:.1} range {:.1} {:?}",
                        tr.start_s, tr.end_s, tr.peak_elevation_deg, tr.range_deg, tr.style
                    );
                }
            }
        }
        scores.push(sc.clone());
        for (t, d) in &sc.pairs {
            let tr = &rec.truth.reps[t - 1];
            let dr = &a.reps[d - 1];
            let e = dr.peak_elevation_deg - tr.peak_elevation_deg;
            errs.entry(format!("{:?}", tr.style)).or_default().push(e);
            let tl = tr.peak_elevation_deg > lim;
            let dl = dr.peak_elevation_deg > lim;
            let tm = tr.has(kickback::Fault::Momentum);
            let dm = dr.has(kickback::Fault::Momentum);
            if tm != dm {
                println!(
                    "MOMENTUM-MISMATCH seed {} rep {} {:?} truth {} found {} con {:.2} hold {:.2} ecc {:.2} pv {:.0} pev {:.0} windup {:.1} range {:.1} evidence {:?}",
                    seed + i, t, tr.style, tm, dm, dr.concentric_s, dr.hold_s, dr.eccentric_s,
                    dr.peak_velocity_dps, dr.peak_eccentric_velocity_dps, dr.windup_deg, dr.range_deg, dr.momentum
                );
            }
            let tp = tr.has(kickback::Fault::PartialRange);
            let dp = dr.has(kickback::Fault::PartialRange);
            if tp != dp {
                println!(
                    "PARTIAL-MISMATCH seed {} rep {} {:?} truth {} found {} true range {:.1} peak {:.1} meas range {:.1} peak {:.1} windup {:.1}",
                    seed + i, t, tr.style, tp, dp, tr.range_deg, tr.peak_elevation_deg, dr.range_deg, dr.peak_elevation_deg, dr.windup_deg
                );
            }
            if tl != dl || verbose {
                println!(
                    "{} t {:.1} ce {:+.4} fs {:.0} seed {} rep {} {:?} true {:.1} meas {:.1} lim {:.1} err {:+.1} tstart {:.1} mstart {:.1} range {:.1} con {:.2} hold {:.2} ecc {:.2} pv {:.0}",
                    if tl != dl { "LUMBAR-MISMATCH" } else { "rep" }, tr.start_s, rec.truth.params.clock_error, rec.truth.sample_rate_hz,
                    seed + i, t, tr.style, tr.peak_elevation_deg, dr.peak_elevation_deg, lim, e, tr.peak_elevation_deg - tr.range_deg, dr.peak_elevation_deg - dr.range_deg,
                    dr.range_deg, dr.concentric_s, dr.hold_s, dr.eccentric_s, dr.peak_velocity_dps
                );
            }
        }
    }
    println!("{}", EvalReport::from_scores(scores, Vec::new()));
    for (k, mut v) in errs {
        v.sort_by(f64::total_cmp);
        let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
        println!(
            "{k:12} n {:4} p5 {:+.2} p50 {:+.2} p95 {:+.2} max {:+.2}",
            v.len(),
            q(0.05),
            q(0.5),
            q(0.95),
            q(1.0)
        );
    }
}
