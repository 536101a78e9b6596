//! Warnings about the input, listed up to a few per kind and counted after.

use crate::event::Event;
use crate::report::{Warning, WarningKind};
use std::collections::VecDeque;

/// Per kind, warnings after this many are counted, not listed.
const WARNINGS_PER_KIND: u32 = 5;

/// The counter of `kind` in [`Warnings`].
fn slot(kind: WarningKind) -> usize {
    WarningKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0)
}

/// Counts warnings per kind and lists the first few of each.
#[derive(Debug, Clone, Default)]
pub(crate) struct Warnings {
    given: [u32; WarningKind::ALL.len()],
}

impl Warnings {
    /// Queues a warning, unless [`WARNINGS_PER_KIND`] of its kind were
    /// listed already (then it is only counted).
    pub(crate) fn warn(
        &mut self,
        out: &mut VecDeque<Event>,
        kind: WarningKind,
        t: Option<f64>,
        message: String,
    ) {
        let n = &mut self.given[slot(kind)];
        *n += 1;
        if *n <= WARNINGS_PER_KIND {
            out.push_back(Event::Warning(Warning::new(kind, t, message)));
        }
    }

    /// At the end of the stream: one line per kind saying how many more
    /// were given than listed.
    pub(crate) fn finish(&self, out: &mut VecDeque<Event>) {
        for kind in WarningKind::ALL {
            let n = self.given[slot(kind)];
            if n > WARNINGS_PER_KIND {
                out.push_back(Event::Warning(Warning::new(
                    kind,
                    None,
                    format!(
                        "{} more '{kind}' warnings not listed",
                        n - WARNINGS_PER_KIND
                    ),
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(out: &VecDeque<Event>) -> Vec<(String, String)> {
        out.iter()
            .map(|e| match e {
                Event::Warning(w) => (w.kind.as_str().to_string(), w.message.clone()),
                other => panic!("not a warning: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn lists_a_few_per_kind_and_counts_the_rest() {
        // (warnings given of each kind, lines expected while warning, lines at the end)
        type Case = (
            &'static [(WarningKind, usize)],
            usize,
            &'static [&'static str],
        );
        let cases: &[Case] = &[
            (&[], 0, &[]),
            (&[(WarningKind::Gap, 5)], 5, &[]),
            (
                &[(WarningKind::Gap, 6)],
                5,
                &["1 more 'gap' warnings not listed"],
            ),
            (
                &[(WarningKind::NoRest, 9), (WarningKind::Gap, 7)],
                10,
                // In the fixed order of kinds, not the order given.
                &[
                    "2 more 'gap' warnings not listed",
                    "4 more 'no_rest' warnings not listed",
                ],
            ),
        ];
        for (given, while_warning, at_end) in cases {
            let mut w = Warnings::default();
            let mut out = VecDeque::new();
            for &(kind, n) in *given {
                for _ in 0..n {
                    w.warn(&mut out, kind, Some(1.0), "m".into());
                }
            }
            assert_eq!(out.len(), *while_warning, "{given:?}");
            out.clear();
            w.finish(&mut out);
            let lines: Vec<String> = listed(&out).into_iter().map(|(_, m)| m).collect();
            assert_eq!(lines, *at_end, "{given:?}");
        }
    }
}
