//! The set tracker: reps numbered, judged for faults against the set's
//! ranges, rounded for the report, and grouped into sets split by rests.

use crate::event::{DiscardReason, Event};
use crate::faults::{self, RangeReference};
use crate::report::{Rep, SetSummary};
use crate::settings::Settings;
use std::collections::VecDeque;

/// Rounds a rep's figures to what they can mean: times to 1 ms, angles to
/// 0.01°, velocities to 0.01 °/s (the grid is 10 ms; sensors are not better
/// than a tenth of a degree). Keeps reports short and stable.
fn round_for_report(rep: &mut Rep) {
    // Multiply, round, divide by a power of ten: the nearest double to the
    // rounded decimal, so 12.29 prints as 12.29.
    let r = |x: &mut f64, per_unit: f64| *x = (*x * per_unit).round() / per_unit;
    for t in [
        &mut rep.start_s,
        &mut rep.peak_s,
        &mut rep.end_s,
        &mut rep.concentric_s,
        &mut rep.hold_s,
        &mut rep.eccentric_s,
    ] {
        r(t, 1e3);
    }
    for a in [
        &mut rep.range_deg,
        &mut rep.peak_elevation_deg,
        &mut rep.peak_velocity_dps,
        &mut rep.peak_eccentric_velocity_dps,
        &mut rep.windup_deg,
    ] {
        r(a, 1e2);
    }
    r(&mut rep.momentum.score, 1e6);
}

/// A rise starting this soon after the set's last rep ended is among its
/// neighbours, s (the valley the rise detector looks back over).
pub(crate) const NEIGHBOUR_S: f64 = 4.0;
/// Among its neighbours a rise counts from this fraction of the set's
/// median range (a rep like them, not a fidget)...
pub(crate) const LIKE_NEIGHBOURS: f64 = 0.5;
/// ... but never from less than this, deg: still legs tilt the shank by
/// 4–6° with each flexion of the trunk (real PT e2).
pub(crate) const SMALLEST_REP_DEG: f64 = 6.0;
/// Once a set has been done, a rise counts from this fraction of its
/// median range: a smaller set of the same movement (a low-amplitude set,
/// a tired one) is a set too. For kickbacks (35-60°, BIOMECHANICS) that is
/// 12-20°, above `reps.min_rise_deg`, so nothing changes; it matters for
/// small movements: real PT subject 1's low-amplitude side-lying hip
/// abductions rise 6-7° in a 30-rep session after sets of 15°. Only with
/// a gyroscope: without one the accelerometer's tilt reads the body's sway
/// as small rises (each real PT subject's leg set followed by their
/// still-leg sessions, gyroscope columns removed: 3 of 60 gained 7-12
/// false reps).
const AFTER_SET_FRACTION: f64 = 1.0 / 3.0;
/// ... and a set of such reps counts its neighbours from this, deg, not
/// [`SMALLEST_REP_DEG`]: the smallest of those abductions read 5°. Still
/// legs tilt about as much with each trunk flexion (real PT e2), yet with
/// the gyroscope each subject's leg sets followed by their still-leg
/// sessions give no rep more (60 of 60 exact, as before).
const AFTER_SET_SMALLEST_DEG: f64 = 4.0;
/// Two reps are alike when the smaller rise is at least this fraction of
/// the larger: the partial-range fault's default (`partial.
/// fraction_of_median`), below which a rep is short of its set's usual
/// range, not like it ...
const ALIKE_RANGE: f64 = 0.6;
/// ... and the quicker takes at least this fraction of the other's time: a
/// set repeats one movement at one tempo and hold ("hold 5 s"), far closer
/// than twice or half (a thrown rep among controlled ones is 2-3 times
/// quicker, and the set's other reps are alike).
const ALIKE_DURATION: f64 = 0.5;
/// At most this many reps of a set are kept while no three of them are
/// alike: with ranges of 6-180° and durations of 0.4-20 s there are about
/// 42 cells of those ratios (7 of range, 6 of time), so 85 reps would hold
/// three in one cell; a set of 64 rises with no three alike is no real
/// leg's, and is taken as one then (memory stays bounded whatever a file
/// holds).
const MOST_UNALIKE: usize = 64;

/// A rise as the set tracker compares it: when, and how far.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rise {
    pub(crate) start_s: f64,
    pub(crate) end_s: f64,
    pub(crate) range_deg: f64,
}

/// Whether, with the last of `reps`, one of them is alike to two others
/// (the last alike to two, or to one that is alike to another): three
/// reps alike, in a chain. (Checked as each rep comes, this finds the
/// first three so.)
fn alike_with_last(reps: &[Kept]) -> bool {
    let Some((last, others)) = reps.split_last() else {
        return false;
    };
    let mut like = others.iter().filter(|k| k.rise.is_like(&last.rise));
    let mut seen = 0;
    like.any(|k| {
        seen += 1;
        seen == 2
            || others
                .iter()
                .any(|o| o.id != k.id && o.rise.is_like(&k.rise))
    })
}

impl Rise {
    /// The rise of a measured rep.
    pub(crate) fn of(rep: &Rep) -> Rise {
        Rise {
            start_s: rep.start_s,
            end_s: rep.end_s,
            range_deg: rep.range_deg,
        }
    }

    /// Whether two rises are alike as two reps of one set are (see
    /// [`alike`]).
    pub(crate) fn is_like(&self, other: &Rise) -> bool {
        alike(
            (self.range_deg, other.range_deg),
            (self.end_s - self.start_s, other.end_s - other.start_s),
        )
    }
}

/// A rep of the open set, as reported.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kept {
    pub(crate) id: u64,
    pub(crate) rise: Rise,
}

/// Whether two rises, of `rise` degrees taking `time` seconds each, are
/// alike as two reps of one set are ([`ALIKE_RANGE`], [`ALIKE_DURATION`]).
pub(crate) fn alike(rise: (f64, f64), time: (f64, f64)) -> bool {
    let ratio = |(a, b): (f64, f64)| {
        if a > 0.0 && b > 0.0 {
            a.min(b) / a.max(b)
        } else {
            0.0
        }
    };
    ratio(rise) >= ALIKE_RANGE && ratio(time) >= ALIKE_DURATION
}

#[derive(Debug, Clone, Default)]
pub(crate) struct SetTracker {
    /// Reps reported so far.
    reps: usize,
    ranges: RangeReference,
    /// End of the last rep reported, s (times from the first sample).
    last_rep_end: Option<f64>,
    set_index: usize,
    set_open: bool,
    set_start: f64,
    set_end: f64,
    set_reps: usize,
    /// The open set's newest reps (at most [`MOST_UNALIKE`]): all of
    /// them while no three are alike (taken back if it closes so).
    open: VecDeque<Kept>,
    /// Three of the set's reps are alike (one alike to two others): it is
    /// a set.
    confirmed: bool,
    /// End of the last rep reported before the open set, s.
    end_before_set: Option<f64>,
    /// Median range of the last set done (three alike), deg.
    last_set_median: Option<f64>,
}

impl SetTracker {
    /// The median range of the set under way once it is one (three reps
    /// alike), else of the last set done, deg.
    pub(crate) fn set_range(&self) -> Option<f64> {
        if self.in_a_set() {
            Some(self.ranges.set_median())
        } else {
            self.last_set_median
        }
    }

    /// Whether a set is under way that is one (three reps alike).
    fn in_a_set(&self) -> bool {
        self.set_open && self.confirmed
    }

    /// End of the last rep reported, s.
    #[inline]
    pub(crate) fn last_rep_end(&self) -> Option<f64> {
        self.last_rep_end
    }

    /// How far a rise starting at `t` must rise to be a rep, deg: `min_rise`
    /// (`reps.min_rise_deg`), or less among the neighbours of a set of small
    /// reps (two or more of them): half their median range, from
    /// [`SMALLEST_REP_DEG`]. Amplitude is judged against the set.
    ///
    /// With a gyroscope (`gyro`), once a set has been done, a rise from
    /// outside a set under way also counts from [`AFTER_SET_FRACTION`] of
    /// that set's median range, and a set of such reps from
    /// [`AFTER_SET_SMALLEST_DEG`]: a smaller set of the same movement.
    pub(crate) fn min_rise_deg(&self, t: f64, min_rise: f64, gyro: bool) -> f64 {
        let after_set = self
            .last_set_median
            .filter(|_| gyro)
            .map(|median| (AFTER_SET_FRACTION * median).max(AFTER_SET_SMALLEST_DEG));
        if self.set_open && self.set_reps >= 2 && t - self.set_end <= NEIGHBOUR_S {
            let smallest = match after_set {
                Some(_) => AFTER_SET_SMALLEST_DEG,
                None => SMALLEST_REP_DEG,
            };
            (LIKE_NEIGHBOURS * self.ranges.set_median())
                .max(smallest)
                .min(min_rise)
        } else if let Some(after_set) = after_set.filter(|_| !self.in_a_set()) {
            after_set.min(min_rise)
        } else {
            min_rise
        }
    }

    /// Reports a rep: its set, number and faults are decided now, in order.
    /// `now` is the time of the newest sample, s.
    pub(crate) fn commit(
        &mut self,
        mut rep: Rep,
        now: f64,
        settings: &Settings,
        out: &mut VecDeque<Event>,
    ) {
        // Sets: a long pause since the last rep closes the set.
        if self.set_open && rep.start_s - self.set_end > settings.sets.rest_s {
            self.close(now, out);
        }
        if !self.set_open {
            self.set_open = true;
            self.set_index += 1;
            self.set_start = rep.start_s;
            self.set_reps = 0;
            self.open.clear();
            self.confirmed = false;
            self.end_before_set = self.last_rep_end;
            self.ranges.new_set();
        }
        self.last_rep_end = Some(rep.end_s);
        let this = Kept {
            id: rep.id,
            rise: Rise::of(&rep),
        };
        if self.open.len() == MOST_UNALIKE {
            self.open.pop_front();
        }
        self.open.push_back(this);
        if !self.confirmed
            && (self.open.len() >= MOST_UNALIKE || alike_with_last(self.open.make_contiguous()))
        {
            self.confirmed = true;
        }
        let reference = self.ranges.reference(settings.partial.min_reference_reps);
        rep.faults = faults::faults(
            settings,
            &rep.momentum,
            rep.peak_elevation_deg,
            rep.range_deg,
            reference,
        );
        self.ranges.add(rep.range_deg);
        self.set_reps += 1;
        self.set_end = rep.end_s;
        self.reps += 1;
        rep.index = self.reps;
        round_for_report(&mut rep);
        rep.set = self.set_index;
        out.push_back(Event::RepCompleted(rep));
    }

    /// Closes the set in progress, if any, at `now`. A set is a movement
    /// repeated: one whose reps (each within `sets.rest_s` of the next) hold
    /// no three alike in range and duration ([`ALIKE_RANGE`],
    /// [`ALIKE_DURATION`]; one rep alike to two others, see
    /// [`alike_with_last`]), a set of one or two among them, is no set, and
    /// its reps are taken back ([`DiscardReason::Lone`]; their numbers and
    /// set number go to the next reps). Two alike rises are easily chance
    /// (a weight shift and its return, two shuffles before a walk); three
    /// are a movement repeated, and a set of kickbacks has 6-15 reps
    /// (BIOMECHANICS, reps per set). On the real recordings that must give
    /// no reps, 29 of the 52 rises the engine still counted while the legs
    /// stood, walked or climbed stairs had no other within 8 s (a weight
    /// shift, the sensor handled as it was strapped on, the first step of a
    /// walk), 9 of the 24 left came in runs of unlike rises, and 10 of the
    /// 15 left in runs of two or three with only two alike; the real
    /// physiotherapy sets of 10 and 30-rep sessions all hold three (so do
    /// the 3-rep groups of their template sessions but one, read 7 → 5 of
    /// 9).
    pub(crate) fn close(&mut self, now: f64, out: &mut VecDeque<Event>) {
        if !self.set_open {
            return;
        }
        self.set_open = false;
        if !self.confirmed {
            // Unconfirmed, the set has fewer than MOST_UNALIKE reps: all
            // are kept.
            let n = self.open.len();
            self.reps -= n;
            self.set_index -= 1;
            self.ranges.take_back(n);
            for k in self.open.drain(..) {
                out.push_back(Event::RepDiscarded {
                    id: k.id,
                    t_s: now,
                    reason: DiscardReason::Lone,
                });
            }
            return;
        }
        self.last_set_median = Some(self.ranges.set_median());
        out.push_back(Event::SetCompleted(SetSummary {
            index: self.set_index,
            start_s: self.set_start,
            end_s: self.set_end,
            rep_count: self.set_reps,
            median_range_deg: (self.ranges.set_median() * 1e2).round() / 1e2,
        }));
    }

    /// Whether the set in progress has rested long enough at `t` to close
    /// (see [`SetTracker::close_unless_pending`]).
    #[inline]
    pub(crate) fn rest_is_over(&self, t: f64, rest_s: f64) -> bool {
        self.set_open && t - self.set_end > rest_s
    }

    /// Closes the set (whose rest is over) unless a rep that could still
    /// belong to it is under way: `starts` are the starts of the rise in
    /// progress, of the rep held back, of a long hold watched and of a
    /// strayed hold kept.
    pub(crate) fn close_unless_pending(
        &mut self,
        starts: [Option<f64>; 4],
        rest_s: f64,
        now: f64,
        out: &mut VecDeque<Event>,
    ) {
        let pending = starts.iter().flatten().any(|s| s - self.set_end <= rest_s);
        if !pending {
            self.close(now, out);
        }
    }

    /// Takes back the open set's newest reps while `was_not_a_rep` says so
    /// of the newest left (and remembers it), at `now`, for `reason`: their
    /// numbers go to the next reps, the set's to the next set if none of
    /// its reps is left, and a set left with no three reps alike is taken
    /// back when it closes. Returns how many were taken back.
    pub(crate) fn take_back_newest(
        &mut self,
        mut was_not_a_rep: impl FnMut(&Kept) -> bool,
        reason: DiscardReason,
        now: f64,
        out: &mut VecDeque<Event>,
    ) -> usize {
        if !self.set_open {
            return 0;
        }
        let mut n = 0;
        while n < self.set_reps {
            match self.open.back() {
                Some(k) if was_not_a_rep(k) => {
                    out.push_back(Event::RepDiscarded {
                        id: k.id,
                        t_s: now,
                        reason,
                    });
                    self.open.pop_back();
                    n += 1;
                }
                _ => break,
            }
        }
        if n == 0 {
            return 0;
        }
        self.reps -= n;
        self.set_reps -= n;
        self.ranges.take_back(n);
        if self.set_reps == 0 {
            self.set_open = false;
            self.set_index -= 1;
            self.last_rep_end = self.end_before_set;
            return n;
        }
        if let Some(k) = self.open.back() {
            self.set_end = k.rise.end_s;
            self.last_rep_end = Some(k.rise.end_s);
        }
        // All the set's reps are kept: are enough of them still alike?
        if self.open.len() == self.set_reps {
            let o = self.open.make_contiguous();
            self.confirmed = (1..=o.len()).any(|n| alike_with_last(&o[..n]));
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(start: f64, end: f64, range: f64) -> Rep {
        Rep {
            // Told apart by their start, in these tests.
            id: start as u64,
            index: 0,
            set: 0,
            start_s: start,
            peak_s: 0.5 * (start + end),
            end_s: end,
            range_deg: range,
            peak_elevation_deg: range,
            concentric_s: 1.0,
            hold_s: 0.5,
            eccentric_s: 1.0,
            peak_velocity_dps: 50.0,
            peak_eccentric_velocity_dps: 40.0,
            windup_deg: 0.0,
            faults: Vec::new(),
            momentum: Default::default(),
        }
    }

    /// Commits a 3 s rep of `range` deg from `start`, reported 0.5 s after
    /// its end.
    fn commit_3s(
        s: &mut SetTracker,
        start: f64,
        range: f64,
        settings: &Settings,
        out: &mut VecDeque<Event>,
    ) {
        s.commit(rep(start, start + 3.0, range), start + 3.5, settings, out);
    }

    /// A short summary of the events: "r<index>/<set>", "s<index>:<reps>"
    /// and "lone<id>" for a rep taken back.
    fn summary(out: &VecDeque<Event>) -> Vec<String> {
        out.iter()
            .map(|e| match e {
                Event::RepCompleted(r) => format!("r{}/{}", r.index, r.set),
                Event::RepDiscarded {
                    id,
                    reason: DiscardReason::Lone,
                    ..
                } => format!("lone{id}"),
                Event::SetCompleted(s) => format!("s{}:{}", s.index, s.rep_count),
                e => panic!("{e:?}"),
            })
            .collect()
    }

    #[test]
    fn reps_are_numbered_and_split_into_sets_by_rests() {
        let settings = Settings::default();
        // Promoted to constants in the table below.
        const REST: f64 = 8.0;
        let rest = settings.sets.rest_s;
        assert_eq!(rest, REST);
        // (reps as (start, end), then the rest check at this time with
        // this rise under way, and what comes out in all)
        type Case = (
            &'static [(f64, f64)],
            f64,
            Option<f64>,
            &'static [&'static str],
        );
        let cases: &[Case] = &[
            (&[(1.0, 4.0), (5.0, 8.0)], 9.0, None, &["r1/1", "r2/1"]),
            (
                &[
                    (1.0, 4.0),
                    (5.0, 8.0),
                    (9.0, 12.0),
                    (12.5 + REST, 16.0 + REST),
                ],
                17.0 + REST,
                None,
                &["r1/1", "r2/1", "r3/1", "s1:3", "r4/2"],
            ),
            // A rep alone is no set: taken back when the next rep starts
            // a set of its own, which takes its numbers.
            (
                &[(1.0, 4.0), (4.5 + REST, 8.0 + REST)],
                9.0 + REST,
                None,
                &["r1/1", "lone1", "r1/1"],
            ),
            // Long after the last rep, nothing under way: the set closes
            // (a set of one or two: its reps are taken back).
            (&[(1.0, 4.0)], 4.1 + REST, None, &["r1/1", "lone1"]),
            (
                &[(1.0, 4.0), (5.0, 8.0)],
                8.1 + REST,
                None,
                &["r1/1", "r2/1", "lone1", "lone5"],
            ),
            (
                &[(1.0, 4.0), (5.0, 8.0), (9.0, 12.0)],
                12.1 + REST,
                None,
                &["r1/1", "r2/1", "r3/1", "s1:3"],
            ),
            // ... unless a rise started in time to belong to it.
            (&[(1.0, 4.0)], 4.1 + REST, Some(4.0 + REST), &["r1/1"]),
            // After a set, a lone rep is taken back and the set stands.
            (
                &[
                    (1.0, 4.0),
                    (5.0, 8.0),
                    (9.0, 12.0),
                    (13.0 + REST, 16.0 + REST),
                ],
                16.1 + 2.0 * REST,
                None,
                &["r1/1", "r2/1", "r3/1", "s1:3", "r4/2", "lone21"],
            ),
        ];
        for &(reps, t, rising, want) in cases {
            let mut s = SetTracker::default();
            let mut out = VecDeque::new();
            for &(a, b) in reps {
                s.commit(rep(a, b, 40.0), b + 0.5, &settings, &mut out);
            }
            assert_eq!(s.last_rep_end(), reps.last().map(|r| r.1));
            if s.rest_is_over(t, rest) {
                s.close_unless_pending([rising, None, None, None], rest, t, &mut out);
            }
            assert_eq!(summary(&out), want, "{reps:?} at {t}");
        }
    }

    #[test]
    fn a_set_needs_three_reps_alike_in_range_and_duration() {
        let settings = Settings::default();
        // (each rep's range and duration, 1 s apart; the set kept?)
        let cases: &[(&[(f64, f64)], bool)] = &[
            (&[(40.0, 3.0), (40.0, 3.0), (40.0, 3.0)], true),
            // two alike are not enough
            (&[(40.0, 3.0), (40.0, 3.0)], false),
            // within 0.6 of the range and half the duration: alike
            (&[(40.0, 3.0), (24.5, 1.6), (30.0, 2.0)], true),
            // ... in a chain: 24.5 and 41 are not, but both are like 30
            (&[(41.0, 3.0), (30.0, 2.5), (24.5, 2.0)], true),
            (&[(41.0, 3.0), (24.5, 2.0), (30.0, 2.5)], true),
            // a pair and a rep like neither
            (&[(40.0, 3.0), (40.0, 3.0), (15.0, 3.0)], false),
            (&[(40.0, 3.0), (40.0, 3.0), (40.0, 8.0)], false),
            (&[(40.0, 3.0), (23.5, 3.0), (40.0, 3.0)], false),
            (&[(40.0, 3.0), (40.0, 1.4), (40.0, 3.0)], false),
            // a partial or thrown rep among alike ones: a set
            (
                &[
                    (40.0, 3.0),
                    (15.0, 3.0),
                    (42.0, 2.8),
                    (40.0, 1.0),
                    (38.0, 3.2),
                ],
                true,
            ),
            // rises of every size and speed: none alike
            (&[(17.0, 5.8), (25.0, 2.2), (12.5, 1.4), (54.0, 0.9)], false),
            (&[(40.0, 3.0)], false),
        ];
        for &(reps, kept) in cases {
            let mut s = SetTracker::default();
            let mut out = VecDeque::new();
            let mut t = 0.0;
            for &(range, dur) in reps {
                s.commit(rep(t, t + dur, range), t + dur + 0.5, &settings, &mut out);
                t += dur + 1.0;
            }
            s.close(t + 10.0, &mut out);
            let lone = out
                .iter()
                .filter(|e| {
                    matches!(
                        e,
                        Event::RepDiscarded {
                            reason: DiscardReason::Lone,
                            ..
                        }
                    )
                })
                .count();
            let sets = out
                .iter()
                .filter(|e| matches!(e, Event::SetCompleted(_)))
                .count();
            let want = if kept { (0, 1) } else { (reps.len(), 0) };
            assert_eq!((lone, sets), want, "{reps:?}: {out:#?}");
        }
    }

    #[test]
    fn the_newest_reps_that_were_no_reps_are_taken_back() {
        let settings = Settings::default();
        let set_of_four: &[(f64, f64)] = &[(1.0, 4.0), (4.1, 7.0), (7.1, 10.0), (10.1, 13.0)];
        // (reps as (start, end), 40° each; how many of the newest were no
        // reps; how many of them were the open set's and are taken back;
        // the last rep's end then; what comes out from the take-back on,
        // with a rep 20 s after the last)
        type Case = (
            &'static [(f64, f64)],
            usize,
            usize,
            Option<f64>,
            &'static [&'static str],
        );
        let cases: &[Case] = &[
            // Two left: no set, taken back when it closes.
            (
                set_of_four,
                2,
                2,
                Some(7.0),
                &["gait10", "gait7", "lone1", "lone4", "r1/1"],
            ),
            // Three alike left: a set.
            (set_of_four, 1, 1, Some(10.0), &["gait10", "s1:3", "r4/2"]),
            // None left: the set's number and the reps' go to the next.
            (
                set_of_four,
                4,
                4,
                None,
                &["gait10", "gait7", "gait4", "gait1", "r1/1"],
            ),
            // Only the open set's reps: a set closed before stands.
            (
                &[(1.0, 4.0), (5.0, 8.0), (9.0, 12.0), (24.0, 25.0)],
                3,
                1,
                Some(12.0),
                &["gait24", "r4/2"],
            ),
            (set_of_four, 0, 0, Some(13.0), &["s1:4", "r5/2"]),
        ];
        for &(reps, n, taken, end, want) in cases {
            let mut s = SetTracker::default();
            let mut out = VecDeque::new();
            for &(a, b) in reps {
                s.commit(rep(a, b, 40.0), b + 0.5, &settings, &mut out);
            }
            out.clear();
            let mut asked = 0;
            let got = s.take_back_newest(
                |_| {
                    asked += 1;
                    asked <= n
                },
                DiscardReason::Gait,
                14.0,
                &mut out,
            );
            assert_eq!(got, taken, "{reps:?} less {n}");
            assert_eq!(s.last_rep_end(), end, "{reps:?} less {n}");
            let next = reps.last().map_or(0.0, |r| r.1) + 20.0;
            s.commit(rep(next, next + 3.0, 40.0), next + 3.5, &settings, &mut out);
            let got: Vec<_> = out
                .iter()
                .map(|e| match e {
                    Event::RepDiscarded {
                        id,
                        reason: DiscardReason::Gait,
                        ..
                    } => format!("gait{id}"),
                    e => summary(&VecDeque::from([e.clone()])).remove(0),
                })
                .collect();
            assert_eq!(got, want, "{reps:?} less {n}");
        }
    }

    #[test]
    fn a_set_of_small_reps_lowers_the_rise_a_rep_needs() {
        let settings = Settings::default();
        let min = settings.reps.min_rise_deg;
        assert_eq!(min, 10.0);
        // (ranges of the reps so far, each 3 s long from t = 0, 3, ...;
        // a rise starting at; the rise it needs)
        let cases: &[(&[f64], f64, f64)] = &[
            (&[], 1.0, 10.0),
            // one rep is no set to be like
            (&[14.0], 4.0, 10.0),
            (&[14.0, 15.0], 7.0, 7.25),
            // large reps: the usual minimum
            (&[40.0, 40.0], 7.0, 10.0),
            // tiny reps: never below what a still leg's tilt reads
            (&[8.0, 9.0], 7.0, 6.0),
            // no longer among the set's neighbours
            (&[14.0, 15.0], 10.5, 10.0),
        ];
        for &(ranges, t, want) in cases {
            let mut s = SetTracker::default();
            let mut out = VecDeque::new();
            for (i, &r) in ranges.iter().enumerate() {
                commit_3s(&mut s, 3.0 * i as f64, r, &settings, &mut out);
            }
            let got = s.min_rise_deg(t, min, true);
            assert!((got - want).abs() < 1e-9, "{ranges:?} at {t}: {got}");
        }
    }

    #[test]
    fn after_a_set_a_smaller_set_of_the_same_movement_counts() {
        let settings = Settings::default();
        let min = settings.reps.min_rise_deg;
        // (a set done of three reps of this range, from t = 0, 4, 8 and
        // closed at 30; the ranges of the next set's reps so far, from
        // t = 40, 44, ...; a rise starting at; with a gyroscope; the rise
        // it needs)
        type Case = (f64, &'static [f64], f64, bool, f64);
        let cases: &[Case] = &[
            // a third of the set done
            (15.0, &[], 35.0, true, 5.0),
            // not without a gyroscope
            (15.0, &[], 35.0, false, 10.0),
            // a kickback set: a third is above the usual minimum
            (45.0, &[], 35.0, true, 10.0),
            // never below the smallest
            (9.0, &[], 35.0, true, 4.0),
            // among a smaller set's neighbours: half its median, from the
            // smallest after a set
            (15.0, &[6.0, 6.0], 49.0, true, 4.0),
            (15.0, &[6.0, 6.0], 49.0, false, 6.0),
            // the next set, not yet three alike, is still that smaller set
            (15.0, &[6.0, 20.0], 60.0, true, 5.0),
            // once it is a set, a rise long after its last rep needs the
            // usual minimum
            (15.0, &[6.0, 6.0, 6.0], 60.0, true, 10.0),
        ];
        for &(done, next, t, gyro, want) in cases {
            let mut s = SetTracker::default();
            let mut out = VecDeque::new();
            for a in [0.0, 4.0, 8.0] {
                commit_3s(&mut s, a, done, &settings, &mut out);
            }
            s.close(30.0, &mut out);
            assert!(matches!(out.back(), Some(Event::SetCompleted(_))));
            for (i, &r) in next.iter().enumerate() {
                commit_3s(&mut s, 40.0 + 4.0 * i as f64, r, &settings, &mut out);
            }
            let got = s.min_rise_deg(t, min, gyro);
            assert!((got - want).abs() < 1e-9, "{done} {next:?} at {t}: {got}");
        }
    }

    #[test]
    fn a_set_taken_back_as_lone_sets_no_smaller_rise() {
        let settings = Settings::default();
        let mut s = SetTracker::default();
        let mut out = VecDeque::new();
        // Two alike reps and an unlike one: no set.
        for (a, r) in [(0.0, 15.0), (4.0, 15.0), (8.0, 40.0)] {
            commit_3s(&mut s, a, r, &settings, &mut out);
        }
        s.close(30.0, &mut out);
        assert!(!out.iter().any(|e| matches!(e, Event::SetCompleted(_))));
        assert_eq!(s.min_rise_deg(35.0, 10.0, true), 10.0);
    }

    #[test]
    fn reports_are_rounded_and_faults_judged() {
        let settings = Settings::default();
        let mut s = SetTracker::default();
        let mut out = VecDeque::new();
        // (range, partial expected): a small rep after big ones is partial.
        let cases = [
            (40.123_456, false),
            (41.0, false),
            (39.0, false),
            (12.0, true),
        ];
        for (i, &(range, partial)) in cases.iter().enumerate() {
            let t = i as f64 * 5.0;
            s.commit(
                rep(t + 0.000_4, t + 3.0, range),
                t + 3.5,
                &settings,
                &mut out,
            );
            let Some(Event::RepCompleted(r)) = out.pop_back() else {
                panic!("a rep")
            };
            assert_eq!(r.has(crate::Fault::PartialRange), partial, "{range}");
            assert_eq!(r.start_s, t, "rounded to 1 ms");
            assert_eq!(r.range_deg, (range * 100.0_f64).round() / 100.0);
        }
        s.close(20.0, &mut out);
        let Some(Event::SetCompleted(set)) = out.pop_back() else {
            panic!("a set")
        };
        assert_eq!((set.rep_count, set.median_range_deg), (4, 39.56));
    }
}
