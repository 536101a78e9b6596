/* kickback: C API of the online analyzer of cable glute kickbacks (ankle IMU).
 * SPDX-License-Identifier: MIT OR Apache-2.0
 *
 * CONTRACT
 *
 * Versions. KB_VERSION_MAJOR/MINOR/PATCH are this header's version;
 * kb_version() is the library's. Call
 *   kb_check_version(KB_VERSION_MAJOR, KB_VERSION_MINOR, KB_VERSION_PATCH)
 * once at start: KB_OK, or KB_ERR_VERSION when the library cannot serve this
 * header (0.x: major and minor must match; from 1.0: same major, library
 * minor >= header minor). On Linux the shared library's SONAME carries the
 * ABI version: libkickback_ffi.so.0.MINOR before 1.0, libkickback_ffi.so.MAJOR after.
 *
 * Growth. KbSettings and KbEvent begin with `size_t struct_size`, which the
 * caller sets to sizeof the struct before passing it:
 *   KbSettings s = { .struct_size = sizeof(KbSettings) };  kb_settings_default(&s);
 *   KbEvent ev = { .struct_size = sizeof(KbEvent) };  kb_analyzer_poll(a, &ev);
 * Fields are only ever appended. The library reads and writes at most
 * struct_size bytes: a program built against an older header is never
 * written past, and settings fields it does not know take their defaults.
 * A program built against a newer header than the library gets its extra
 * event fields left as it set them, and its extra settings ignored (check
 * the version). A struct_size below the oldest layout or above 64 KiB is
 * KB_ERR_STRUCT_SIZE. KbRep, KbSet, KbWarning, KbStats and KbWalk never
 * change.
 * An event kind added later is sent only to callers whose struct_size
 * reaches the fields it fills: KB_EVENT_REP_DISCARDED only when struct_size
 * covers discard_reason, KB_EVENT_WALKING only when it covers walk, so an
 * older program never receives a kind it does not know. Still, ignore kinds
 * you do not know.
 *
 * Events. kb_analyzer_poll returns events in time order; kind says which
 * members are filled, the others are zero. A rep's life:
 *   KB_EVENT_REP_STARTED    rep_id (unique within the analyzer, counting from
 *                           1), t_s when the leg left the bottom. Then exactly
 *                           one of these two with the same rep_id:
 *   KB_EVENT_REP_COMPLETED  rep (measured, with faults), momentum_evidence,
 *                           rep_id, t_s its end. Only these count as reps,
 *                           less any a later KB_EVENT_REP_DISCARDED with
 *                           the same rep_id takes back (KB_DISCARD_LONE, or
 *                           KB_DISCARD_GAIT; a caller too old to get
 *                           KB_EVENT_REP_DISCARDED keeps those).
 *   KB_EVENT_REP_DISCARDED  rep_id, t_s when it was dropped, discard_reason:
 *     KB_DISCARD_GAIT 1         a step of walking, not a kick; after a
 *                               REP_COMPLETED, the leg went straight on
 *                               from that rep into a step: taken back.
 *     KB_DISCARD_TOO_SHORT 2    back down sooner than min_rep_duration_s.
 *     KB_DISCARD_TOO_SMALL 3    did not rise far enough above the rest pose.
 *     KB_DISCARD_TOO_LONG 4     not back down within max_rep_duration_s.
 *     KB_DISCARD_NEW_POSE 5     the leg came to rest at a new pose.
 *     KB_DISCARD_SIGN_FLIPPED 6 the kick went the other way; the recent past
 *                               is read again (its reps come with new ids).
 *     KB_DISCARD_GAP 7          a gap longer than gap_split_s restarted the
 *                               analysis.
 *     KB_DISCARD_STREAM_ENDED 8 kb_analyzer_finish while the leg was up.
 *     KB_DISCARD_AWAY_FROM_REST 9 it rose from a pose away from the rest
 *                               pose, long after the leg was last there, or
 *                               swung through it.
 *     KB_DISCARD_TOO_FAST 10    it turned faster than a leg turns (over
 *                               1000 deg/s): a spinning or jumping reading.
 *     KB_DISCARD_LONE 11        a rep with no rep like it near (a set of
 *                               one or two, or of unlike rises: no three
 *                               alike; fidgets): follows its REP_COMPLETED
 *                               and takes the rep back.
 *     KB_DISCARD_GYRO_ONLY 12   only the gyroscope read it: the
 *                               accelerometer never saw the leg turn (the
 *                               gyroscope's own noise or drift).
 *     KB_DISCARD_OTHER 0        a reason this header does not name.
 *   kb_discard_reason_name gives a code's name ("gait", "too_short", ...).
 * Walking: KB_EVENT_WALKING  walk (start_s of its first step, end_s of its
 *                           last, steps of the instrumented leg), t_s its
 *                           end. Sent once a walk is over: a few seconds
 *                           after its last step, or at kb_analyzer_finish.
 *                           Its steps came as KB_EVENT_REP_DISCARDED with
 *                           KB_DISCARD_GAIT; none of them is a rep.
 * KB_EVENT_SET_COMPLETED (set), KB_EVENT_WARNING (warning) and
 * KB_EVENT_FINISHED (stats, after kb_analyzer_finish) complete the list.
 *
 * Units and time base. Input: time t in seconds, any origin, increasing
 * (a repeated or earlier time is dropped with a warning); acc is the
 * specific force in m/s^2 including gravity (about +9.81 along "up" at
 * rest), any sensor orientation; gyro is the angular rate in rad/s in the
 * accelerometer's frame, or NULL without a gyroscope. Output: every time
 * (t_s, *_s) is in seconds from the first sample pushed since the analyzer
 * was made or last finished; angles (*_deg) are degrees of leg elevation
 * from the hanging rest pose (positive: the foot behind); angular velocities
 * (*_dps) are degrees per second. Each field below gives its unit.
 *
 * Threads. An analyzer may be created on one thread and used on another,
 * but must not be used by two threads at once (lock around it). Different
 * analyzers are independent. kb_settings_default, kb_status_message,
 * kb_discard_reason_name, kb_version and kb_check_version may be called from
 * any thread at any time.
 * kb_last_error_message is per thread: it describes the last failing call
 * made on the calling thread.
 *
 * Pointers. The caller owns every pointer it passes; the library reads
 * sample arrays and settings only during the call and keeps no pointer to
 * them. The analyzer from kb_analyzer_new* is owned by the caller until
 * kb_analyzer_free (exactly once). Strings in a KbEvent are arrays inside
 * it (NUL-terminated UTF-8). kb_status_message, kb_discard_reason_name and
 * kb_version return static strings; kb_last_error_message's string is valid
 * until the next call into the library on the same thread. Never free a
 * returned string.
 *
 * Status codes (KbStatus). KB_OK 0 success. KB_NO_EVENT 1 poll: nothing
 * queued (not an error). Negative codes are errors; after any of them
 * kb_last_error_message says what and what to do:
 *   KB_ERR_NULL -1            a required pointer was NULL; nothing done.
 *   KB_ERR_NOT_FINITE -2      a NaN or infinite sample value; that sample
 *                             was dropped, the others pushed; analyzer usable.
 *   KB_ERR_INVALID_SETTINGS -3 a setting out of range or bad settings text;
 *                             no analyzer made.
 *   KB_ERR_LENGTH -4          n samples cannot be addressed; nothing pushed.
 *   KB_ERR_MISALIGNED -5      an array not aligned for double; nothing pushed.
 *   KB_ERR_UTF8 -6            settings text not UTF-8; no analyzer made.
 *   KB_ERR_PANIC -7           internal error (a bug); free the analyzer.
 *   KB_ERR_STRUCT_SIZE -8     struct_size not set; nothing read or written.
 *   KB_ERR_VERSION -9         kb_check_version: header and library differ.
 * No call ever aborts the process or unwinds into C. */

#ifndef KICKBACK_H
#define KICKBACK_H

/* Generated by cbindgen from crates/kickback-ffi/src/lib.rs: do not edit.
 * Regenerate with: KICKBACK_BLESS_HEADER=1 cargo test -p kickback-ffi --test header */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// The library's major version. With [`KB_VERSION_MINOR`] and
// [`KB_VERSION_PATCH`] it is the version of the header you compiled
// against; [`kb_check_version`] compares it with the library you run.
#define KB_VERSION_MAJOR 0

// The library's minor version (see [`KB_VERSION_MAJOR`]).
#define KB_VERSION_MINOR 1

// The library's patch version (see [`KB_VERSION_MAJOR`]).
#define KB_VERSION_PATCH 0

// A discard reason this header does not name (a newer library); also the
// `discard_reason` of every event that is not `KB_EVENT_REP_DISCARDED`.
#define KB_DISCARD_OTHER 0

// A step of walking, not a kick: the shank turned about the planted foot,
// the swing ended in a heel strike, or it came just before or after a step.
// After the rep's `KB_EVENT_REP_COMPLETED` it takes the rep back: the leg
// went straight on from it into a step (the first strides of a walk).
#define KB_DISCARD_GAIT 1

// Back down sooner than `reps.min_duration_s` (`min_rep_duration_s`).
#define KB_DISCARD_TOO_SHORT 2

// It did not rise far enough above the rest pose (a fidget).
#define KB_DISCARD_TOO_SMALL 3

// Not back down within `reps.max_duration_s` (`max_rep_duration_s`).
#define KB_DISCARD_TOO_LONG 4

// The leg came to rest at a new pose: a change of pose, not a rep.
#define KB_DISCARD_NEW_POSE 5

// The kick turned out to go the other way; the recent past is read again
// (its reps are announced again with new ids).
#define KB_DISCARD_SIGN_FLIPPED 6

// A gap in the samples longer than `input.gap_split_s` restarted the analysis.
#define KB_DISCARD_GAP 7

// The stream ended (`kb_analyzer_finish`) while the leg was still up.
#define KB_DISCARD_STREAM_ENDED 8

// It rose from a pose away from the rest pose, where the leg had not
// rested: long after the leg was last near its rest pose, or swinging
// through or past it (walking or pedalling read against a rest pose that
// no longer holds).
#define KB_DISCARD_AWAY_FROM_REST 9

// It turned faster than a leg turns (over 1000 °/s; a thrown kick peaks at
// 300-600 °/s): the sensor spun on a pedalling leg, or the reading jumped.
#define KB_DISCARD_TOO_FAST 10

// A rep with no rep like it near (its set held no three reps alike in
// range and duration; a set of one or two among them): a fidget. It follows the rep's
// `KB_EVENT_REP_COMPLETED` and takes the rep back; the next rep gets its
// number and set number.
#define KB_DISCARD_LONE 11

// Only the gyroscope read it: the accelerometer never saw gravity turn with
// it (by under a third of its range): the gyroscope's own noise or drift.
#define KB_DISCARD_GYRO_ONLY 12

// Fault flag: the leg was thrown, not driven.
#define KB_FAULT_MOMENTUM 1

// Fault flag: the leg rose past the hip's extension, so the lower back arched.
#define KB_FAULT_LUMBAR 2

// Fault flag: the rep's range was well short of the set's usual range.
#define KB_FAULT_PARTIAL 4

// Momentum evidence flag: the concentric (rise) was fast.
#define KB_EVIDENCE_FAST_CONCENTRIC 1

// Momentum evidence flag: the peak rising angular velocity was high.
#define KB_EVIDENCE_HIGH_PEAK_VELOCITY 2

// Momentum evidence flag: no hold (squeeze) at the top.
#define KB_EVIDENCE_NO_HOLD 4

// Momentum evidence flag: a wind-up (forward swing) before the kick.
#define KB_EVIDENCE_WINDUP 8

// Momentum evidence flag: the leg was dropped (a fast eccentric).
#define KB_EVIDENCE_FAST_DROP 16

// A warning kind the header does not name (`warning.kind` has its name).
// Code 6 is not used (it was `saturation`, which the engine never reported).
#define KB_WARNING_OTHER 0

// A gap in the samples.
#define KB_WARNING_GAP 1

// No gyroscope: accelerometer-only analysis, lower precision.
#define KB_WARNING_NO_GYROSCOPE 2

// A sample the engine could not use.
#define KB_WARNING_INVALID_SAMPLE 3

// Time went backwards; the sample was dropped.
#define KB_WARNING_TIME_BACKWARDS 4

// Two samples with the same time; the second was dropped.
#define KB_WARNING_DUPLICATE_TIME 5

// The recording is too short to analyse well.
#define KB_WARNING_SHORT_RECORDING 7

// The leg never rested still, so the rest pose is a guess.
#define KB_WARNING_NO_REST 8

// The gyroscope stopped sending for a while.
#define KB_WARNING_GYROSCOPE_DROPOUT 9

// Size of [`KbWarning::message`], including the terminating NUL.
#define KB_MESSAGE_LEN 256

// Size of [`KbWarning::kind`], including the terminating NUL.
#define KB_KIND_LEN 32

// The opaque analyzer handle.
typedef struct KbAnalyzer KbAnalyzer;

// A status code returned by every fallible function: `KB_OK` (0),
// `KB_NO_EVENT` (1, from [`kb_analyzer_poll`]) or a negative error.
typedef int32_t KbStatus;

// The user's numbers: the most used settings (every setting is reachable
// with [`kb_analyzer_new_with_toml`]). Angles in degrees, times in seconds,
// angular velocities in degrees/s.
//
// Set `struct_size` to `sizeof(KbSettings)`, then call
// [`kb_settings_default`], then change what the user set:
// `KbSettings s = { .struct_size = sizeof(KbSettings) }; kb_settings_default(&s);`.
// Fields are only ever added at the end; the library reads and writes only
// the first `struct_size` bytes, so a caller built against an older header
// keeps working (the fields it does not know take their defaults).
typedef struct KbSettings {
  // `sizeof(KbSettings)` as the caller compiled it. Set by the caller
  // before any call; the library never changes it.
  size_t struct_size;
  // Forward lean of the torso from vertical, degrees. Default 45.
  double torso_hinge_deg;
  // Hip extension beyond neutral before the lower back takes over, degrees. Default 20.
  // Lumbar overextension is flagged above `torso_hinge_deg + hip_extension_limit_deg`.
  double hip_extension_limit_deg;
  // A rep whose range is below this fraction of the set's median is partial (0..1). Default 0.6.
  double partial_fraction;
  // A pause longer than this between reps starts a new set, seconds. Default 8.
  double set_rest_s;
  // Smallest rise from the bottom that counts as a rep, degrees. Default 10.
  double min_rise_deg;
  // Longest rep, start to end, seconds. Default 20.
  double max_rep_duration_s;
  // Momentum: a concentric shorter than this is fast, seconds. Default 0.6.
  double momentum_max_concentric_s;
  // Momentum: a peak angular velocity above this is high, degrees/s. Default 150.
  double momentum_peak_velocity_dps;
  // Momentum: a hold at the top shorter than this is no squeeze, seconds. Default 0.15.
  double momentum_min_hold_s;
  // A gap between samples longer than this splits the analysis, seconds. Default 1.
  double gap_split_s;
  // Shortest rep, start to end, seconds. Default 0.4. (Appended after
  // `gap_split_s`: a caller whose `struct_size` ends before it gets the default.)
  double min_rep_duration_s;
  // A gap between samples longer than this is reported, seconds. Default 0.25.
  double gap_warn_s;
} KbSettings;

// What an event is.
typedef int32_t KbEventKind;

// One rep, measured. Times are seconds from the first sample; angles are
// degrees of leg elevation from the hanging rest pose.
typedef struct KbRep {
  // 1-based rep number in the stream.
  uint32_t index;
  // 1-based set number.
  uint32_t set;
  // When the leg left the bottom, s from the first sample.
  double start_s;
  // When the leg was highest, s from the first sample.
  double peak_s;
  // When the leg was back at the bottom, s from the first sample.
  double end_s;
  // Peak elevation minus the elevation at the start, degrees.
  double range_deg;
  // Peak elevation above the rest pose, degrees.
  double peak_elevation_deg;
  // Time rising, from the start to the top hold, s.
  double concentric_s;
  // Time held near the top, s.
  double hold_s;
  // Time lowering, from the end of the hold to the end, s.
  double eccentric_s;
  // Largest angular velocity while rising, degrees/s.
  double peak_velocity_dps;
  // Largest angular velocity while lowering, degrees/s.
  double peak_eccentric_velocity_dps;
  // Deepest forward swing just before the kick, degrees (≥ 0).
  double windup_deg;
  // The momentum score the momentum flag was decided on (flag at ≥ 1; no unit).
  double momentum_score;
  // Faults: a bitwise OR of `KB_FAULT_MOMENTUM`, `KB_FAULT_LUMBAR`, `KB_FAULT_PARTIAL`.
  uint32_t faults;
} KbRep;

// One set.
typedef struct KbSet {
  // 1-based set number.
  uint32_t index;
  // Reps in the set.
  uint32_t rep_count;
  // Start of the set's first rep, s from the first sample.
  double start_s;
  // End of the set's last rep, s from the first sample.
  double end_s;
  // Median range of the set's reps, degrees.
  double median_range_deg;
} KbSet;

// A warning. The strings are copied into the event (NUL-terminated UTF-8,
// truncated at a character boundary if longer), so they stay valid as long as
// the `KbEvent` does.
typedef struct KbWarning {
  // One of the `KB_WARNING_*` codes (`KB_WARNING_OTHER` for a kind this header does not name).
  int32_t code;
  // The engine's stable kind name, e.g. `"gap"`.
  char kind[KB_KIND_LEN];
  // What happened and what it means, for people.
  char message[KB_MESSAGE_LEN];
} KbWarning;

// Whole-stream figures, in the `KB_EVENT_FINISHED` event.
typedef struct KbStats {
  // Input sample rate, Hz: the inverse of the mean interval between
  // accepted samples, gaps (longer than `input.gap_warn_s`) left out.
  double sample_rate_hz;
  // Time from the first to the last sample, s.
  double duration_s;
  // Samples accepted.
  uint64_t samples;
  // Whether a gyroscope was used.
  bool gyroscope;
} KbStats;

// A walk, in the `KB_EVENT_WALKING` event: steps of the instrumented leg
// one after another (none of them counted as a rep).
typedef struct KbWalk {
  // Start of the first step, s from the first sample.
  double start_s;
  // End of the last step, s from the first sample.
  double end_s;
  // Steps of the instrumented leg recognised (strides of that leg).
  uint32_t steps;
} KbWalk;

// An event, filled by [`kb_analyzer_poll`]. `kind` says which member is
// filled; the others are zero.
//
// Set `struct_size` to `sizeof(KbEvent)` before polling:
// `KbEvent ev = { .struct_size = sizeof(KbEvent) };`. Fields are only ever added at the
// end; the library writes only the first `struct_size` bytes, so a caller
// built against an older header is never written past (it does not see the
// fields it does not know). The members `rep`, `set`, `warning`, `stats` and
// `walk` keep their layout for good.
typedef struct KbEvent {
  // `sizeof(KbEvent)` as the caller compiled it. Set by the caller before
  // polling; the library never changes it.
  size_t struct_size;
  // One of the `KB_EVENT_*` kinds.
  KbEventKind kind;
  // The event's time in seconds from the first sample of the stream (see
  // the kinds); NaN if it has none.
  double t_s;
  // `KB_EVENT_REP_COMPLETED`: the rep.
  struct KbRep rep;
  // `KB_EVENT_SET_COMPLETED`: the set.
  struct KbSet set;
  // `KB_EVENT_WARNING`: the warning.
  struct KbWarning warning;
  // `KB_EVENT_FINISHED`: the stream's figures.
  struct KbStats stats;
  // `KB_EVENT_REP_COMPLETED`: why momentum was or was not flagged, a
  // bitwise OR of `KB_EVIDENCE_*` (0 otherwise). Appended after `stats`: a
  // caller whose `struct_size` ends before it does not get it.
  uint32_t momentum_evidence;
  // `KB_EVENT_REP_STARTED`, `KB_EVENT_REP_COMPLETED`, `KB_EVENT_REP_DISCARDED`:
  // the rep's id, unique within the analyzer and increasing from 1 (0 for
  // other kinds). A started rep ends with exactly one completed or
  // discarded event with its id (and a completed one may be taken back
  // later by a discarded event with its id, `KB_DISCARD_LONE` or
  // `KB_DISCARD_GAIT`). Appended after
  // `momentum_evidence`.
  uint64_t rep_id;
  // `KB_EVENT_REP_DISCARDED`: why, one of the `KB_DISCARD_*` codes
  // (`KB_DISCARD_OTHER`, 0, for other kinds). Appended after `rep_id`.
  int32_t discard_reason;
  // `KB_EVENT_WALKING`: the walk (zero for other kinds). Appended after
  // `discard_reason`: a caller whose `struct_size` ends before it does not
  // get it, nor `KB_EVENT_WALKING`.
  struct KbWalk walk;
} KbEvent;

// Success.
#define KB_OK 0

// [`kb_analyzer_poll`]: no event is queued (not an error).
#define KB_NO_EVENT 1

// A required pointer was NULL. Nothing was done.
#define KB_ERR_NULL -1

// A value was NaN or infinite; the sample was dropped, the analyzer is still usable.
#define KB_ERR_NOT_FINITE -2

// A setting is out of range or the settings text is invalid (see
// [`kb_last_error_message`]). No analyzer was made.
#define KB_ERR_INVALID_SETTINGS -3

// A sample count too large to address (`n * 3 * sizeof(double)` overflows).
// Nothing was pushed.
#define KB_ERR_LENGTH -4

// An array pointer is not aligned for `double`. Nothing was pushed.
#define KB_ERR_MISALIGNED -5

// A string argument is not valid UTF-8. No analyzer was made.
#define KB_ERR_UTF8 -6

// The engine panicked (a bug); the analyzer is unusable and should be freed.
#define KB_ERR_PANIC -7

// The `struct_size` of a `KbSettings` or `KbEvent` is not set: it is below
// the smallest size this library accepts or absurdly large. Nothing was
// read or written, and no event was consumed. Set `struct_size = sizeof` the struct.
#define KB_ERR_STRUCT_SIZE -8

// [`kb_check_version`]: the header you compiled against does not match
// the library you run (the message says which versions).
#define KB_ERR_VERSION -9

// A rep is under way: `rep_id` names it, `t_s` is when the leg left the
// bottom. Exactly one `KB_EVENT_REP_COMPLETED` or `KB_EVENT_REP_DISCARDED`
// with the same `rep_id` follows; only `KB_EVENT_REP_COMPLETED` counts.
#define KB_EVENT_REP_STARTED 1

// A rep is over: `rep` holds it, `rep_id` is the id its
// `KB_EVENT_REP_STARTED` had, `t_s` is its end.
#define KB_EVENT_REP_COMPLETED 2

// A set is over: `set` holds it, `t_s` is its end.
#define KB_EVENT_SET_COMPLETED 3

// Something worth knowing about the input: `warning` holds it, `t_s` is when (NaN if it has no time).
#define KB_EVENT_WARNING 4

// The stream has ended (after [`kb_analyzer_finish`]): `stats` holds the figures, `t_s` the duration.
#define KB_EVENT_FINISHED 5

// A rise announced by `KB_EVENT_REP_STARTED` was not a rep: `rep_id` is the
// id it was announced with, `discard_reason` one of the `KB_DISCARD_*`
// codes, `t_s` when it was dropped. Only delivered to callers whose
// `struct_size` reaches past `discard_reason` (an older caller never gets it).
#define KB_EVENT_REP_DISCARDED 6

// A walk is over: steps one after another were recognised (each step's rise
// was a `KB_EVENT_REP_DISCARDED` with `KB_DISCARD_GAIT`); `walk` holds it,
// `t_s` is its end. Reported once no step has followed for a few seconds, or
// at [`kb_analyzer_finish`]. Only delivered to callers whose `struct_size`
// reaches past `walk` (an older caller never gets it).
#define KB_EVENT_WALKING 7

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

// The name of a `KB_DISCARD_*` code, as the engine serialises the reason
// (`"gait"`, `"too_short"`, ...); `"other"` for a code this library does not
// know. Static storage; never NULL.
const char *kb_discard_reason_name(int32_t reason);

// Fills the settings at `out` with the defaults, up to `out->struct_size`
// bytes (set it to `sizeof(KbSettings)` first).
//
// Returns `KB_OK`, `KB_ERR_NULL` (`out` is NULL) or `KB_ERR_STRUCT_SIZE`
// (`struct_size` unset; nothing written).
KbStatus kb_settings_default(struct KbSettings *out);

// Creates an analyzer with `settings` and stores it in `*out`. The
// library reads the first `settings->struct_size` bytes (fields beyond them
// take their defaults) and keeps no pointer to `settings`.
//
// Returns `KB_OK`, `KB_ERR_NULL` (either pointer NULL), `KB_ERR_STRUCT_SIZE`
// or `KB_ERR_INVALID_SETTINGS` (a value NaN or out of range; the message
// names it). On error `*out` is set to NULL (when `out` is not NULL). Free the
// analyzer with [`kb_analyzer_free`].
KbStatus kb_analyzer_new(const struct KbSettings *settings, struct KbAnalyzer **out);

// Creates an analyzer from every engine setting, given as the text of a
// `kickback.toml` (NUL-terminated UTF-8; missing keys keep their defaults,
// unknown keys are an error), e.g. `"[lumbar]\ntorso_hinge_deg = 40\n"`.
//
// Returns `KB_OK`, `KB_ERR_NULL`, `KB_ERR_UTF8` or `KB_ERR_INVALID_SETTINGS`
// ([`kb_last_error_message`] says what is wrong). On error `*out` is NULL.
KbStatus kb_analyzer_new_with_toml(const char *toml_text, struct KbAnalyzer **out);

// Pushes one sample: time `t` (s), `acc` the 3 specific-force components
// (m/s², with gravity) and `gyro` the 3 angular-rate components (rad/s), or
// NULL without a gyroscope. Events it causes are queued for
// [`kb_analyzer_poll`].
//
// Returns `KB_OK`, `KB_ERR_NULL` (`a` or `acc` NULL), `KB_ERR_MISALIGNED`, or
// `KB_ERR_NOT_FINITE` (a value is NaN or infinite: the sample is dropped, the
// analyzer is unchanged and still usable).
KbStatus kb_analyzer_push(struct KbAnalyzer *a, double t, const double *acc, const double *gyro);

// Pushes `n` samples at once: `t[n]` times, `acc_xyz[3n]` specific forces
// (x, y, z of sample 0, then of sample 1, ...) and `gyro_xyz[3n]` angular
// rates in the same layout, or NULL without a gyroscope.
//
// Returns `KB_OK`; `KB_ERR_NULL` (`a`, `t` or `acc_xyz` NULL while `n` > 0);
// `KB_ERR_LENGTH` (`3 n` doubles cannot be addressed); `KB_ERR_MISALIGNED`;
// or `KB_ERR_NOT_FINITE` when some samples had a NaN or infinite value:
// those samples are dropped, every other one is pushed, in order. On the
// other errors nothing is pushed.
KbStatus kb_analyzer_push_many(struct KbAnalyzer *a,
                               const double *t,
                               const double *acc_xyz,
                               const double *gyro_xyz,
                               size_t n);

// Takes the oldest queued event into `*out`, writing at most
// `out->struct_size` bytes (set it to `sizeof(KbEvent)` first). Events of a
// kind whose fields lie past `struct_size` (`KB_EVENT_REP_DISCARDED` and
// `KB_EVENT_WALKING` for a caller built before they existed) are skipped.
//
// Returns `KB_OK` (an event was written), `KB_NO_EVENT` (none queued; `*out`
// untouched), `KB_ERR_NULL` or `KB_ERR_STRUCT_SIZE` (nothing written, no
// event consumed).
KbStatus kb_analyzer_poll(struct KbAnalyzer *a, struct KbEvent *out);

// Ends the stream: completes a rep or set still open and queues
// `KB_EVENT_FINISHED`; poll to read them. Pushing after this starts a new
// stream (times from its own first sample).
KbStatus kb_analyzer_finish(struct KbAnalyzer *a);

// Frees an analyzer from [`kb_analyzer_new`]. NULL is ignored. The pointer
// must not be used afterwards.
void kb_analyzer_free(struct KbAnalyzer *a);

// A short English description of a status code (static storage; never NULL).
const char *kb_status_message(KbStatus status);

// The last error message set on the calling thread by a failing call (empty
// if none). Valid until the next call into this library on the same thread.
const char *kb_last_error_message(void);

// The library version, e.g. `"0.1.0"` (static storage; never NULL). The
// header's version is `KB_VERSION_MAJOR.KB_VERSION_MINOR.KB_VERSION_PATCH`.
const char *kb_version(void);

// Whether a program built against header version `major.minor.patch` can
// use this library: the same major version and, for 0.x, the same minor
// (before 1.0 a minor release may break the ABI); from 1.0, a library minor
// at least the header's. Patch releases never matter. Call it once at start:
// `kb_check_version(KB_VERSION_MAJOR, KB_VERSION_MINOR, KB_VERSION_PATCH)`.
//
// Returns `KB_OK` or `KB_ERR_VERSION` ([`kb_last_error_message`] names both versions).
KbStatus kb_check_version(uint32_t major, uint32_t minor, uint32_t patch);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* KICKBACK_H */
