//! # kickback-jni
//!
//! The Java/Kotlin binding of the [`kickback`] online analyzer, for Android
//! apps and the JVM: a shared library (`libkickback_jni.so`) with the native
//! methods of the small Java API in `crates/kickback-jni/java/kickback/`
//! (`Analyzer`, `Settings`, `Event` and its kinds, `Rep`, `DiscardReason`).
//! Every event kind of the C ABI reaches Java: `Event.Walking` is
//! `KB_EVENT_WALKING`.
//!
//! ```java
//! try (Analyzer a = new Analyzer(new Settings().set("lumbar.torso_hinge_deg", 40))) {
//!     a.push(t, new double[] {ax, ay, az}, new double[] {gx, gy, gz}); // gyro may be null
//!     for (Event e = a.poll(); e != null; e = a.poll()) {
//!         if (e instanceof Event.RepCompleted) { Rep r = ((Event.RepCompleted) e).rep; }
//!     }
//!     a.finish(); // then poll the last rep, set and Event.Finished
//! }
//! ```
//!
//! Units are the C ABI's (`kickback.h`): time in seconds, specific force in
//! m/s² with gravity, angular rate in rad/s; event times in seconds from the
//! first sample, angles in degrees. Errors become Java exceptions
//! (`IllegalArgumentException` for bad settings or arrays of the wrong
//! length, `IllegalStateException` after `close()`, `RuntimeException` if
//! the engine ever panicked); a panic never unwinds into the JVM. The Java
//! methods are `synchronized`, so one analyzer may be shared between threads.
//!
//! `tests/java.rs` compiles the Java sources with `javac`, runs a Java test
//! against this library and compares its reps with the Rust engine's.

#![warn(missing_docs)]

use jni::objects::{JClass, JDoubleArray, JObjectArray, JString};
use jni::sys::{jboolean, jint, jlong, jstring, JNI_FALSE, JNI_TRUE};
use jni::JNIEnv;
use kickback::{Analyzer, Event, Sample, Settings};
use kickback_ffi::{
    discard_code, evidence_flags, fault_flags, kb_discard_reason_name, warning_code,
    KB_EVENT_FINISHED, KB_EVENT_REP_COMPLETED, KB_EVENT_REP_DISCARDED, KB_EVENT_REP_STARTED,
    KB_EVENT_SET_COMPLETED, KB_EVENT_WALKING, KB_EVENT_WARNING,
};
use std::ffi::CStr;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Length of the number array `Analyzer.poll` passes to [`Java_kickback_Analyzer_nativePoll`].
pub const EVENT_NUMBERS: usize = 18;

/// The analyzer behind a Java `Analyzer`'s handle.
struct Handle {
    analyzer: Analyzer,
    /// Set when the engine panicked: its state can no longer be trusted.
    poisoned: bool,
}

const ILLEGAL_ARGUMENT: &str = "java/lang/IllegalArgumentException";
const ILLEGAL_STATE: &str = "java/lang/IllegalStateException";
const RUNTIME: &str = "java/lang/RuntimeException";

/// An error to raise in Java: the exception class and the message.
struct Thrown(&'static str, String);

impl From<jni::errors::Error> for Thrown {
    fn from(e: jni::errors::Error) -> Self {
        Thrown(RUNTIME, format!("JNI: {e}"))
    }
}

/// Runs `f`, turning an error or a panic into a pending Java exception (and
/// `default` as the return value, which Java never sees).
fn run<T>(env: &mut JNIEnv, default: T, f: impl FnOnce(&mut JNIEnv) -> Result<T, Thrown>) -> T {
    let outcome = catch_unwind(AssertUnwindSafe(|| f(env)));
    let thrown = match outcome {
        Ok(Ok(v)) => return v,
        Ok(Err(t)) => t,
        Err(_) => Thrown(RUNTIME, "kickback: internal error (panic)".into()),
    };
    // A Java exception may already be pending (from a failed JNI call).
    if !env.exception_check().unwrap_or(true) {
        let _ = env.throw_new(thrown.0, thrown.1);
    }
    default
}

/// The analyzer behind `handle`, or an `IllegalStateException`.
///
/// # Safety
/// `handle` is 0 or a value from `nativeNew` not yet passed to `nativeFree`
/// (the Java class guarantees it).
unsafe fn handle<'a>(h: jlong) -> Result<&'a mut Handle, Thrown> {
    // SAFETY: see the function's contract.
    let Some(hd) = (unsafe { (h as *mut Handle).as_mut() }) else {
        return Err(Thrown(ILLEGAL_STATE, "the analyzer is closed".into()));
    };
    if hd.poisoned {
        return Err(Thrown(
            ILLEGAL_STATE,
            "the analyzer failed earlier (internal error); close it".into(),
        ));
    }
    Ok(hd)
}

/// Runs `f` on the analyzer, poisoning it if `f` panics.
fn with_analyzer<T>(hd: &mut Handle, f: impl FnOnce(&mut Analyzer) -> T) -> T {
    match catch_unwind(AssertUnwindSafe(|| f(&mut hd.analyzer))) {
        Ok(v) => v,
        Err(payload) => {
            hd.poisoned = true;
            std::panic::resume_unwind(payload)
        }
    }
}

/// Reads a Java `double[]` of exactly `len` elements (`what` names it in errors).
fn doubles(
    env: &mut JNIEnv,
    a: &JDoubleArray,
    len: Option<usize>,
    what: &str,
) -> Result<Vec<f64>, Thrown> {
    if a.is_null() {
        return Err(Thrown(ILLEGAL_ARGUMENT, format!("{what} is null")));
    }
    let n = env.get_array_length(a)? as usize;
    if let Some(want) = len {
        if n != want {
            return Err(Thrown(
                ILLEGAL_ARGUMENT,
                format!("{what} has {n} values; expected {want}"),
            ));
        }
    }
    let mut v = vec![0.0; n];
    env.get_double_array_region(a, 0, &mut v)?;
    Ok(v)
}

/// `Analyzer.nativeNew(String toml)`: a new analyzer from settings as
/// `kickback.toml` text; a handle for the other calls.
#[no_mangle]
pub extern "system" fn Java_kickback_Analyzer_nativeNew<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    toml_text: JString<'l>,
) -> jlong {
    run(&mut env, 0, |env| {
        if toml_text.is_null() {
            return Err(Thrown(ILLEGAL_ARGUMENT, "settings are null".into()));
        }
        let text: String = env.get_string(&toml_text)?.into();
        let settings: Settings = toml::from_str(&text).map_err(|e| {
            Thrown(
                ILLEGAL_ARGUMENT,
                format!("invalid settings: {}", e.message().trim()),
            )
        })?;
        let analyzer =
            Analyzer::new(settings).map_err(|e| Thrown(ILLEGAL_ARGUMENT, e.to_string()))?;
        let boxed = Box::new(Handle {
            analyzer,
            poisoned: false,
        });
        Ok(Box::into_raw(boxed) as jlong)
    })
}

/// `Analyzer.nativePush(long h, double t, double[] acc, double[] gyro)`:
/// pushes one sample; false when a value was NaN or infinite (dropped).
#[no_mangle]
pub extern "system" fn Java_kickback_Analyzer_nativePush<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    h: jlong,
    t: f64,
    acc: JDoubleArray<'l>,
    gyro: JDoubleArray<'l>,
) -> jboolean {
    run(&mut env, JNI_FALSE, |env| {
        // SAFETY: the Java class passes its live handle.
        let hd = unsafe { handle(h) }?;
        let acc = doubles(env, &acc, Some(3), "acc")?;
        let gyro = if gyro.is_null() {
            None
        } else {
            Some(doubles(env, &gyro, Some(3), "gyro")?)
        };
        let s = Sample::new(
            t,
            [acc[0], acc[1], acc[2]],
            gyro.map(|g| [g[0], g[1], g[2]]),
        );
        if !s.is_finite() {
            return Ok(JNI_FALSE);
        }
        with_analyzer(hd, |a| a.push(s));
        Ok(JNI_TRUE)
    })
}

/// `Analyzer.nativePushMany(long h, double[] t, double[] accXyz, double[] gyroXyz)`:
/// pushes `t.length` samples; returns how many were dropped as NaN or infinite.
#[no_mangle]
pub extern "system" fn Java_kickback_Analyzer_nativePushMany<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    h: jlong,
    t: JDoubleArray<'l>,
    acc: JDoubleArray<'l>,
    gyro: JDoubleArray<'l>,
) -> jint {
    run(&mut env, 0, |env| {
        // SAFETY: the Java class passes its live handle.
        let hd = unsafe { handle(h) }?;
        let t = doubles(env, &t, None, "t")?;
        let acc = doubles(env, &acc, Some(3 * t.len()), "accXyz")?;
        let gyro = if gyro.is_null() {
            None
        } else {
            Some(doubles(env, &gyro, Some(3 * t.len()), "gyroXyz")?)
        };
        let mut dropped = 0;
        with_analyzer(hd, |a| {
            for (i, &ti) in t.iter().enumerate() {
                let g = gyro
                    .as_ref()
                    .map(|g| [g[3 * i], g[3 * i + 1], g[3 * i + 2]]);
                let s = Sample::new(ti, [acc[3 * i], acc[3 * i + 1], acc[3 * i + 2]], g);
                if s.is_finite() {
                    a.push(s);
                } else {
                    dropped += 1;
                }
            }
        });
        Ok(dropped)
    })
}

/// The numbers and texts of one event as `Event.fromNative` reads them, and
/// its kind (a `KB_EVENT_*`); `None` for kinds the Java API does not carry.
/// `n[0]` is the time; rep ids (exact as doubles below 2^53) are `n[1]` for
/// a start or a discard, `n[17]` for a rep; a discard's reason is `n[2]`
/// (its `KB_DISCARD_*` code) and `text[0]` (its name, e.g. `"gait"`); a
/// walk's start, end and steps are `n[1..4]` (`n[0]`, its time, is its end).
///
/// ```
/// use kickback::{DiscardReason, Event};
/// use kickback_jni::event_fields;
/// let e = Event::RepDiscarded { id: 4, t_s: 9.5, reason: DiscardReason::TooShort };
/// let (kind, n, text) = event_fields(&e).unwrap();
/// assert_eq!((kind, n[0], n[1], n[2]), (kickback_ffi::KB_EVENT_REP_DISCARDED, 9.5, 4.0, 2.0));
/// assert_eq!(text[0], "too_short");
/// let (kind, n, _) = event_fields(&Event::Walking(kickback::Walk::new(3.0, 9.5, 4))).unwrap();
/// assert_eq!((kind, n[0], n[1], n[2], n[3]), (kickback_ffi::KB_EVENT_WALKING, 9.5, 3.0, 9.5, 4.0));
/// ```
pub fn event_fields(event: &Event) -> Option<(i32, [f64; EVENT_NUMBERS], [String; 2])> {
    let mut n = [0.0; EVENT_NUMBERS];
    let mut text = [String::new(), String::new()];
    let kind = match event {
        Event::RepStarted { id, t_s } => {
            n[..2].copy_from_slice(&[*t_s, *id as f64]);
            KB_EVENT_REP_STARTED
        }
        Event::RepDiscarded { id, t_s, reason } => {
            let code = discard_code(*reason);
            n[..3].copy_from_slice(&[*t_s, *id as f64, code as f64]);
            // SAFETY: kb_discard_reason_name returns a static NUL-terminated string.
            let name = unsafe { CStr::from_ptr(kb_discard_reason_name(code)) };
            text[0] = name.to_string_lossy().into_owned();
            KB_EVENT_REP_DISCARDED
        }
        Event::RepCompleted(r) => {
            n = [
                r.end_s,
                r.index as f64,
                r.set as f64,
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
                r.momentum.score,
                fault_flags(&r.faults) as f64,
                evidence_flags(&r.momentum) as f64,
                r.id as f64,
            ];
            KB_EVENT_REP_COMPLETED
        }
        Event::SetCompleted(s) => {
            n[..6].copy_from_slice(&[
                s.end_s,
                s.index as f64,
                s.rep_count as f64,
                s.start_s,
                s.end_s,
                s.median_range_deg,
            ]);
            KB_EVENT_SET_COMPLETED
        }
        Event::Warning(w) => {
            n[0] = w.t_s.unwrap_or(f64::NAN);
            n[1] = warning_code(w.kind) as f64;
            text = [w.kind.to_string(), w.message.clone()];
            KB_EVENT_WARNING
        }
        Event::Finished(st) => {
            n[..5].copy_from_slice(&[
                st.duration_s,
                st.sample_rate_hz,
                st.duration_s,
                st.samples as f64,
                if st.gyroscope { 1.0 } else { 0.0 },
            ]);
            KB_EVENT_FINISHED
        }
        Event::Walking(w) => {
            n[..4].copy_from_slice(&[w.end_s, w.start_s, w.end_s, f64::from(w.steps)]);
            KB_EVENT_WALKING
        }
        _ => return None,
    };
    Some((kind, n, text))
}

/// `Analyzer.nativePoll(long h, double[] numbers, String[] texts)`: takes the
/// oldest queued event into the arrays; returns its kind, 0 when none is queued.
#[no_mangle]
pub extern "system" fn Java_kickback_Analyzer_nativePoll<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    h: jlong,
    numbers: JDoubleArray<'l>,
    texts: JObjectArray<'l>,
) -> jint {
    run(&mut env, 0, |env| {
        // SAFETY: the Java class passes its live handle.
        let hd = unsafe { handle(h) }?;
        if numbers.is_null() || env.get_array_length(&numbers)? as usize != EVENT_NUMBERS {
            return Err(Thrown(
                ILLEGAL_ARGUMENT,
                format!("numbers must hold {EVENT_NUMBERS} values"),
            ));
        }
        if texts.is_null() || env.get_array_length(&texts)? != 2 {
            return Err(Thrown(ILLEGAL_ARGUMENT, "texts must hold 2 strings".into()));
        }
        loop {
            let Some(event) = with_analyzer(hd, |a| a.poll()) else {
                return Ok(0);
            };
            if let Some((kind, n, text)) = event_fields(&event) {
                env.set_double_array_region(&numbers, 0, &n)?;
                for (i, t) in text.iter().enumerate() {
                    let s = env.new_string(t)?;
                    env.set_object_array_element(&texts, i as i32, &s)?;
                }
                return Ok(kind);
            }
        }
    })
}

/// `Analyzer.nativeFinish(long h)`: ends the stream (the last rep, set and
/// `Finished` are then queued).
#[no_mangle]
pub extern "system" fn Java_kickback_Analyzer_nativeFinish<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    h: jlong,
) {
    run(&mut env, (), |_| {
        // SAFETY: the Java class passes its live handle.
        let hd = unsafe { handle(h) }?;
        with_analyzer(hd, |a| a.finish());
        Ok(())
    })
}

/// `Analyzer.nativeFree(long h)`: frees the analyzer (0 is ignored).
#[no_mangle]
pub extern "system" fn Java_kickback_Analyzer_nativeFree<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    h: jlong,
) {
    run(&mut env, (), |_| {
        if h != 0 {
            // SAFETY: the Java class passes its handle once, then forgets it.
            drop(unsafe { Box::from_raw(h as *mut Handle) });
        }
        Ok(())
    })
}

/// `Analyzer.nativeVersion()`: the library version, e.g. `"0.1.0"`.
#[no_mangle]
pub extern "system" fn Java_kickback_Analyzer_nativeVersion<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jstring {
    run(&mut env, std::ptr::null_mut(), |env| {
        Ok(env.new_string(env!("CARGO_PKG_VERSION"))?.into_raw())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_map_to_their_kind_and_time_and_traces_are_skipped() {
        let e = Event::RepStarted { id: 3, t_s: 2.5 };
        let (kind, n, _) = event_fields(&e).unwrap();
        assert_eq!((kind, n[0], n[1]), (KB_EVENT_REP_STARTED, 2.5, 3.0));
        let mut rep = kickback::Rep::new(1, 1, 0.0, 0.4, 0.9);
        rep.id = 5;
        let (kind, n, _) = event_fields(&Event::RepCompleted(rep)).unwrap();
        assert_eq!((kind, n[0], n[17]), (KB_EVENT_REP_COMPLETED, 0.9, 5.0));
        let e = Event::Elevation { t_s: 1.0, deg: 3.0 };
        assert!(event_fields(&e).is_none());
    }
}
