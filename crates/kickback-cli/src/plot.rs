//! Plots of a recording, one screen wide ([`WIDTH`] px): a header (title,
//! summary, what the y axis and the lumbar line mean, the warnings that
//! matter, one cue per fault), an overview of the whole recording with the
//! sets shaded and numbered, then one panel per set, zoomed so that every
//! rep's number and fault words are legible.
//!
//! Labels never overlap: their widths are measured with the glyph advances
//! of the bundled DejaVu Sans (the font PNGs are drawn with, and the first
//! font SVGs ask for), rep labels that would collide go to another lane,
//! set numbers that do not fit in the overview are left to their panels,
//! and a set too long for one row is wrapped over several.
//!
//! The trace is broken where the data has a gap and where the engine
//! re-anchored its rest pose (a jump no leg can make), and such a jump is
//! said in words instead of being drawn as motion.

use crate::input::{self, Report};
use crate::output::{clock, duration, plural, printable, warning_counts};
use anyhow::{anyhow, Result};
use kickback::coaching::{self, fault_word};
use kickback::{Analysis, Fault, Rep, Settings, TracePoint};
use kickback_formats::ReadOptions;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;
use std::sync::OnceLock;

/// The engine's trace is on a 100 Hz grid; plots keep one point in 5 (20 Hz).
pub const DECIMATION: usize = 5;
/// Width of every plot, px: one screen.
pub const WIDTH: u32 = 1600;
/// Left margin (y tick labels and the y axis' description), px.
const LEFT: i32 = 84;
const RIGHT: i32 = 24;
/// Width of a chart's plotting area, px.
const PLOT_W: f64 = (WIDTH as i32 - LEFT - RIGHT) as f64;
/// A rep gets at least this many pixels in its set's panel.
const MIN_REP_PX: f64 = 46.0;
/// Sets drawn in panels (the overview shows them all).
pub const MAX_PANELS: usize = 24;
/// Rows a long set is wrapped over, at most.
const MAX_ROWS_PER_SET: usize = 6;
/// Heights of the charts' plotting areas and of the x axis under them, px.
const OVERVIEW_H: i32 = 180;
const PANEL_H: i32 = 200;
const X_AXIS_H: i32 = 40;
/// Time padding around a set in its panel, s.
const SET_PAD_S: f64 = 1.5;
/// A break in the trace longer than this is drawn as a gap, s.
const GAP_S: f64 = 0.3;
/// A jump of the trace faster than this is the engine re-anchoring its rest
/// pose, not the leg: kicks peak at 100–500 °/s (BIOMECHANICS §2.2, §5.2).
const MAX_LEG_DPS: f64 = 1500.0;
/// Font sizes, px.
const TITLE_PX: f64 = 20.0;
const TEXT_PX: f64 = 14.0;
const SMALL_PX: f64 = 12.0;
const REP_PX: f64 = 13.0;
const FAULT_PX: f64 = 11.5;
/// Line height as a multiple of the font size.
const LINE: f64 = 1.3;
const FONT: &str = "DejaVu Sans, sans-serif";
/// plotters writes font-size = size / 1.24 into SVG.
const PLOTTERS_FONT_SCALE: f64 = 1.24;

const TRACE: RGBColor = RGBColor(31, 78, 140);
const GOOD: RGBColor = RGBColor(46, 139, 87);
const BAD: RGBColor = RGBColor(200, 40, 40);
const LIMIT: RGBColor = RGBColor(180, 30, 30);
const INK: RGBColor = RGBColor(40, 40, 40);
const MUTED: RGBColor = RGBColor(100, 100, 100);
const WARN: RGBColor = RGBColor(176, 96, 0);
const SET_BAND: RGBColor = RGBColor(70, 110, 190);
const GAP_BAND: RGBColor = RGBColor(150, 150, 150);
const WALK_BAND: RGBColor = RGBColor(196, 150, 60);

/// The elevation over time, ready to draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trace {
    /// Runs of (time s, elevation deg), broken at gaps and re-anchors.
    pub runs: Vec<Vec<(f64, f64)>>,
    /// When the engine re-anchored its rest pose (the trace jumps), s.
    pub reanchors: Vec<f64>,
    /// Gaps in the data: (from, to), s.
    pub gaps: Vec<(f64, f64)>,
}

impl Trace {
    /// Every point, in time order.
    pub fn points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.runs.iter().flatten().copied()
    }
}

/// Keeps, from each bucket of `factor` trace points, the one farthest from
/// the rest pose (so peaks and wind-ups survive), and breaks the trace at
/// gaps and at jumps no leg can make (the engine re-anchoring its rest pose).
#[derive(Debug, Clone)]
pub struct Decimator {
    factor: usize,
    best: Option<(f64, f64)>,
    seen: usize,
    last: Option<(f64, f64)>,
    out: Trace,
}

impl Decimator {
    /// A decimator keeping one point in `factor` (at least 1).
    pub fn new(factor: usize) -> Self {
        Decimator {
            factor: factor.max(1),
            best: None,
            seen: 0,
            last: None,
            out: Trace::default(),
        }
    }

    /// Adds one point (time s, elevation deg).
    pub fn push(&mut self, t: f64, deg: f64) {
        if !(t.is_finite() && deg.is_finite()) {
            return;
        }
        match self.last {
            None => self.out.runs.push(Vec::new()),
            Some((lt, ld)) => {
                let dt = t - lt;
                if dt > GAP_S {
                    self.flush();
                    self.out.gaps.push((lt, t));
                    self.out.runs.push(Vec::new());
                } else if (deg - ld).abs() > MAX_LEG_DPS * dt.max(0.0) + 2.0 {
                    self.flush();
                    self.out.reanchors.push(t);
                    self.out.runs.push(Vec::new());
                }
            }
        }
        self.last = Some((t, deg));
        match self.best {
            Some((_, d)) if d.abs() >= deg.abs() => {}
            _ => self.best = Some((t, deg)),
        }
        self.seen += 1;
        if self.seen == self.factor {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if let (Some(p), Some(run)) = (self.best.take(), self.out.runs.last_mut()) {
            run.push(p);
        }
        self.seen = 0;
    }

    /// The decimated trace.
    pub fn finish(mut self) -> Trace {
        self.flush();
        self.out.runs.retain(|r| !r.is_empty());
        self.out
    }
}

/// Reads `path` and analyses it like `analyze` (the same report), also
/// collecting the elevation trace for a plot: one read, one analysis.
pub fn trace_path(path: &Path, opts: &ReadOptions, settings: &Settings) -> Result<(Report, Trace)> {
    let mut trace = Decimator::new(DECIMATION);
    let report = input::analyze_path_traced(
        path,
        opts,
        settings,
        input::Pipeline::SingleThread,
        |p: TracePoint| trace.push(p.t_s, p.deg),
    )?;
    Ok((report, trace.finish()))
}

/// The bundled font's glyph advances.
fn face() -> Option<&'static ttf_parser::Face<'static>> {
    static FACE: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    FACE.get_or_init(|| ttf_parser::Face::parse(dejavu::sans::regular(), 0).ok())
        .as_ref()
}

/// Width of `text` at `size` px in DejaVu Sans, px.
pub fn text_width(text: &str, size: f64) -> f64 {
    let Some(f) = face() else {
        return text.chars().count() as f64 * size * 0.7;
    };
    let em = f64::from(f.units_per_em());
    let units: f64 = text
        .chars()
        .map(|c| {
            f.glyph_index(c)
                .and_then(|g| f.glyph_hor_advance(g))
                .map_or(em * 0.7, f64::from)
        })
        .sum();
    units / em * size
}

/// One piece of text on the plot and the box it covers (px).
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The text.
    pub text: String,
    /// Left, top, right, bottom.
    pub bbox: (f64, f64, f64, f64),
}

impl Placed {
    /// Whether two boxes overlap.
    pub fn overlaps(&self, o: &Placed) -> bool {
        let (a, b) = (self.bbox, o.bbox);
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    }
}

/// A text to draw: where, how big, which colour, anchored left or centre.
#[derive(Debug, Clone)]
struct Label {
    text: String,
    x: f64,
    y: f64,
    size: f64,
    color: RGBColor,
    centre: bool,
    /// Drawn on a white box (text over the trace).
    backed: bool,
}

impl Label {
    fn new(text: impl Into<String>, x: f64, y: f64, size: f64, color: RGBColor) -> Label {
        Label {
            text: text.into(),
            x,
            y,
            size,
            color,
            centre: false,
            backed: false,
        }
    }

    fn centred(mut self) -> Label {
        self.centre = true;
        self
    }

    fn placed(&self) -> Placed {
        let w = text_width(&self.text, self.size);
        let x0 = if self.centre {
            self.x - w / 2.0
        } else {
            self.x
        };
        Placed {
            text: self.text.clone(),
            bbox: (x0, self.y, x0 + w, self.y + self.size * 1.15),
        }
    }
}

/// Splits `text` into lines no wider than `width` px at `size`.
fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let cand = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if text_width(&cand, size) > width && !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Puts each label stack (centred at `centres_px`, lines `stacks`) in the
/// first lane where it does not overlap an earlier one. Returns each
/// stack's lane and the number of lanes.
fn lanes(centres_px: &[f64], stacks: &[Vec<(String, f64)>]) -> (Vec<usize>, usize) {
    let mut right_edges: Vec<f64> = Vec::new();
    let mut out = Vec::with_capacity(stacks.len());
    for (x, lines) in centres_px.iter().zip(stacks) {
        let half = lines
            .iter()
            .map(|(t, size)| text_width(t, *size))
            .fold(0.0, f64::max)
            / 2.0;
        let lane = match right_edges.iter().position(|r| *r + 4.0 <= x - half) {
            Some(i) => i,
            None => {
                right_edges.push(f64::NEG_INFINITY);
                right_edges.len() - 1
            }
        };
        right_edges[lane] = x + half;
        out.push(lane);
    }
    let n = right_edges.len();
    (out, n)
}

/// One chart: a time range, the reps whose labels sit above it, and where
/// it is on the page.
#[derive(Debug, Clone)]
struct Chart {
    /// Time range, s.
    t: (f64, f64),
    /// Top of the plotting area, px.
    top: i32,
    /// Height of the plotting area, px.
    height: i32,
    /// The whole recording (sets shaded, no rep shading).
    overview: bool,
}

impl Chart {
    fn x(&self, t: f64) -> f64 {
        f64::from(LEFT) + (t - self.t.0) / (self.t.1 - self.t.0) * PLOT_W
    }
}

/// Everything on a plot, placed.
struct Plan {
    height: u32,
    y: (f64, f64),
    labels: Vec<Label>,
    charts: Vec<Chart>,
}

/// The warnings worth seeing on a plot, in words.
fn warning_lines(a: &Analysis, trace: &Trace) -> Vec<String> {
    let has = |k: &str| a.warnings.iter().any(|w| w.kind == k);
    let mut out = Vec::new();
    if !a.gyroscope && a.sample_rate_hz > 0.0 {
        out.push("⚠ No gyroscope: the elevation comes from the accelerometer alone, which reads fast kicks less precisely.".to_string());
    }
    if has("no_rest") {
        out.push("⚠ Rest pose guessed: the leg was never still, so 0° may be off and every elevation with it.".to_string());
    }
    if !trace.gaps.is_empty() {
        let longest = trace.gaps.iter().map(|g| g.1 - g.0).fold(0.0, f64::max);
        out.push(format!(
            "⚠ {} in the data (grey bands; the longest {}): nothing is known there.",
            plural(trace.gaps.len(), "gap", "gaps"),
            duration(longest)
        ));
    }
    if !a.walking.is_empty() {
        let total: f64 = a.walking.iter().map(|w| w.end_s - w.start_s).sum();
        let steps: u32 = a.walking.iter().map(|w| w.steps).sum();
        out.push(format!(
            "⚠ Walking recognised: {} of {} in all, {} of this leg (brown bands): steps are not counted as reps.",
            plural(a.walking.len(), "walk", "walks"),
            duration(total),
            plural(steps as usize, "step", "steps"),
        ));
    }
    if let Some(t) = trace.reanchors.first() {
        out.push(format!(
            "⚠ Rest pose re-anchored {} (first at {}; dotted orange line): the engine took a new rest pose there, so the line breaks; the jump is not a movement.",
            if trace.reanchors.len() == 1 { "once".to_string() } else { plural(trace.reanchors.len(), "time", "times") },
            clock(*t)
        ));
    }
    let others: Vec<kickback::Warning> = a
        .warnings
        .iter()
        .filter(|w| {
            !matches!(
                w.kind.as_str(),
                "no_gyroscope" | "no_rest" | "gap" | "input"
            )
        })
        .cloned()
        .collect();
    if !others.is_empty() {
        out.push(format!(
            "⚠ Also: {} (see the report's warnings).",
            warning_counts(&others)
        ));
    }
    out
}

/// The label stack over one rep: its number, then its fault words.
fn rep_stack(rep: &Rep) -> Vec<(String, f64)> {
    let mut v = vec![(rep.index.to_string(), REP_PX)];
    v.extend(
        rep.faults
            .iter()
            .map(|f| (fault_word(*f).to_string(), FAULT_PX)),
    );
    v
}

fn stack_height(lines: &[(String, f64)]) -> f64 {
    lines.iter().map(|(_, s)| s * LINE).sum()
}

fn set_caption(set: &kickback::SetSummary, c: &coaching::SetCoaching) -> (String, String) {
    let head = format!(
        "Set {} · {}",
        set.index,
        plural(set.rep_count, "rep", "reps")
    );
    let mut parts = Vec::new();
    if let Some(r) = c.rest_before_s {
        parts.push(format!("after {} of rest", duration(r)));
    }
    parts.push(format!(
        "range {:.0}° ± {:.0}°",
        c.range_deg.mean, c.range_deg.sd
    ));
    parts.push(format!(
        "{:.1} s up, {:.1} s hold, {:.1} s down",
        c.tempo.up_s, c.tempo.hold_s, c.tempo.down_s
    ));
    parts.push(format!(
        "{} under tension",
        duration(c.time_under_tension_s)
    ));
    if let Some(t) = c.trend.as_ref().and_then(coaching::trend_in_words) {
        parts.push(t);
    }
    (head, parts.join(" · "))
}

fn plan(title: &str, trace: &Trace, a: &Analysis, lumbar: &kickback::LumbarSettings) -> Plan {
    let limit = lumbar.limit_deg();
    let mut labels: Vec<Label> = Vec::new();
    let mut charts = Vec::new();
    let text_w = f64::from(WIDTH) - 24.0;
    let mut y = 10.0;
    let lines = |labels: &mut Vec<Label>, y: &mut f64, text: &str, size: f64, color: RGBColor| {
        for line in wrap(text, size, text_w) {
            labels.push(Label::new(line, 12.0, *y, size, color));
            *y += size * LINE;
        }
    };
    lines(&mut labels, &mut y, &printable(title), TITLE_PX, INK);
    let faults: Vec<String> = Fault::ALL
        .iter()
        .filter(|f| a.summary.get(**f) > 0)
        .map(|f| format!("{} {}", f.describe(), a.summary.get(*f)))
        .collect();
    let summary = format!(
        "{} in {} · {} · {}",
        plural(a.rep_count, "rep", "reps"),
        plural(a.sets.len(), "set", "sets"),
        duration(a.duration_s),
        if faults.is_empty() {
            "no faults".to_string()
        } else {
            faults.join(" · ")
        }
    );
    lines(&mut labels, &mut y, &summary, TEXT_PX, MUTED);
    let axis = format!(
        "Up the page: the leg's elevation from the rest pose (0° = hanging still; higher = foot further behind). \
         Dashed red line: the lumbar limit, {limit:.0}° (torso hinge {:.0}° + hip extension {:.0}°): \
         a leg above it is lifted by arching the lower back. Reps shaded green, or red with a fault.",
        lumbar.torso_hinge_deg, lumbar.hip_extension_limit_deg
    );
    lines(&mut labels, &mut y, &axis, SMALL_PX, MUTED);
    for w in warning_lines(a, trace) {
        lines(&mut labels, &mut y, &w, SMALL_PX, WARN);
    }
    let cues = coaching::cues(a);
    if !cues.is_empty() {
        y += 4.0;
        lines(&mut labels, &mut y, "What to change:", TEXT_PX, INK);
        for c in &cues {
            let head = format!(
                "{} ({}): {}.",
                fault_word(c.fault),
                plural(a.summary.get(c.fault), "rep", "reps"),
                c.text
            );
            lines(&mut labels, &mut y, &head, TEXT_PX, BAD);
            lines(
                &mut labels,
                &mut y,
                &format!("Why: {}.", c.reason),
                SMALL_PX,
                MUTED,
            );
        }
    }
    y += 10.0;

    // The overview.
    let t_end = trace
        .points()
        .map(|p| p.0)
        .chain(a.reps.iter().map(|r| r.end_s))
        .chain([a.duration_s, 1.0])
        .filter(|t| t.is_finite())
        .fold(0.0_f64, f64::max);
    let overview_t = (0.0, t_end);
    let panels = a.sets.len().min(MAX_PANELS);
    let caption = if a.sets.is_empty() {
        format!(
            "The whole recording, {}: no reps found.",
            duration(a.duration_s)
        )
    } else {
        format!(
            "The whole recording, {}: sets shaded and numbered{}{}.",
            duration(a.duration_s),
            if panels > 0 { ", each shown below" } else { "" },
            if a.sets.len() > panels {
                format!(" (the first {panels})")
            } else {
                String::new()
            }
        )
    };
    labels.push(Label::new(caption, f64::from(LEFT), y, TEXT_PX, INK));
    y += TEXT_PX * LINE + 2.0;
    let chart = Chart {
        t: overview_t,
        top: (y + REP_PX * LINE) as i32,
        height: OVERVIEW_H,
        overview: true,
    };
    // Set numbers, at least an em apart so that two never read as one.
    let mut right = f64::NEG_INFINITY;
    let mut hidden = 0;
    for set in &a.sets {
        let x = chart.x((set.start_s + set.end_s) / 2.0);
        let l = Label::new(set.index.to_string(), x, y, REP_PX, SET_BAND).centred();
        let p = l.placed();
        if p.bbox.0 >= right + REP_PX {
            right = p.bbox.2;
            labels.push(l);
        } else {
            hidden += 1;
        }
    }
    if hidden > 0 {
        labels.push(Label::new(
            format!("({hidden} set numbers left out where they would overlap)"),
            f64::from(LEFT),
            f64::from(chart.top + chart.height + X_AXIS_H) + 2.0,
            SMALL_PX,
            MUTED,
        ));
    }
    y = f64::from(chart.top + chart.height + X_AXIS_H)
        + 14.0
        + if hidden > 0 { SMALL_PX * LINE } else { 0.0 };
    charts.push(chart);

    // One panel per set, wrapped over rows when long.
    let coaching = coaching::set_summaries(a);
    let mut first = 0;
    for (set, c) in a.sets.iter().zip(&coaching).take(panels) {
        let (head, details) = set_caption(set, c);
        labels.push(Label::new(head.clone(), f64::from(LEFT), y, TEXT_PX, INK));
        let head_w = text_width(&head, TEXT_PX) + 12.0;
        let room = text_w - f64::from(LEFT) - head_w;
        let detail_lines = wrap(&details, SMALL_PX, room.max(200.0));
        for (k, line) in detail_lines.iter().enumerate() {
            labels.push(Label::new(
                line.clone(),
                f64::from(LEFT) + head_w,
                y + 2.0 + k as f64 * SMALL_PX * LINE,
                SMALL_PX,
                MUTED,
            ));
        }
        y += (TEXT_PX * LINE).max(detail_lines.len() as f64 * SMALL_PX * LINE) + 4.0;
        // The set's reps (reps are in order; a set's are contiguous).
        let reps: Vec<(usize, &Rep)> = a
            .reps
            .iter()
            .enumerate()
            .skip(first)
            .skip_while(|(_, r)| r.set < set.index)
            .take_while(|(_, r)| r.set == set.index)
            .collect();
        if let Some((last, _)) = reps.last() {
            first = last + 1;
        }
        let (t0, t1) = (set.start_s - SET_PAD_S, set.end_s + SET_PAD_S);
        let shortest = reps
            .iter()
            .map(|(_, r)| r.end_s - r.start_s)
            .filter(|d| d.is_finite() && *d > 0.05)
            .fold(f64::INFINITY, f64::min);
        let px_per_s = (PLOT_W / (t1 - t0)).max(MIN_REP_PX / shortest);
        // (less a hair, so that a set that just fits is one row)
        let rows = ((t1 - t0) * px_per_s / PLOT_W - 1e-6)
            .ceil()
            .clamp(1.0, MAX_ROWS_PER_SET as f64) as usize;
        let row_s = (t1 - t0) / rows as f64;
        for row in 0..rows {
            let rt = (t0 + row as f64 * row_s, t0 + (row + 1) as f64 * row_s);
            let chart_proto = Chart {
                t: rt,
                top: 0,
                height: PANEL_H,
                overview: false,
            };
            let in_row: Vec<&Rep> = reps
                .iter()
                .map(|(_, r)| *r)
                .filter(|r| {
                    let c = (r.start_s + r.end_s) / 2.0;
                    c >= rt.0 && (c < rt.1 || row == rows - 1)
                })
                .collect();
            let stacks: Vec<Vec<(String, f64)>> = in_row.iter().map(|r| rep_stack(r)).collect();
            let centres: Vec<f64> = in_row
                .iter()
                .map(|r| chart_proto.x((r.start_s + r.end_s) / 2.0))
                .collect();
            let (lane_of, n_lanes) = lanes(&centres, &stacks);
            let lane_h = stacks.iter().map(|s| stack_height(s)).fold(0.0, f64::max) + 2.0;
            for (((stack, x), lane), rep) in stacks.iter().zip(&centres).zip(&lane_of).zip(&in_row)
            {
                let mut ly = y + *lane as f64 * lane_h;
                for (k, (text, size)) in stack.iter().enumerate() {
                    let color = if k == 0 && rep.faults.is_empty() {
                        GOOD
                    } else {
                        BAD
                    };
                    labels.push(Label::new(text.clone(), *x, ly, *size, color).centred());
                    ly += size * LINE;
                }
            }
            y += n_lanes as f64 * lane_h + 2.0;
            charts.push(Chart {
                top: y as i32,
                ..chart_proto
            });
            y += f64::from(PANEL_H + X_AXIS_H) + 6.0;
        }
        y += 8.0;
    }
    if a.sets.len() > panels {
        labels.push(Label::new(
            format!(
                "Sets {}–{} are in the overview only: plot a shorter part of the recording, or read their numbers in the JSON report.",
                panels + 1,
                a.sets.len()
            ),
            f64::from(LEFT),
            y,
            TEXT_PX,
            MUTED,
        ));
        y += TEXT_PX * LINE;
    }

    // One y range for every chart, so that heights compare.
    let y0 = trace
        .points()
        .map(|p| p.1)
        .chain([-20.0])
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min)
        - 5.0;
    let y1 = trace
        .points()
        .map(|p| p.1)
        .chain(a.reps.iter().map(|r| r.peak_elevation_deg))
        .chain([limit + 8.0, 30.0])
        .filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max)
        + 8.0;
    // The lumbar limit's label in each chart, top right above the line.
    for c in &charts {
        let text = format!("lumbar limit {limit:.0}°");
        let w = text_width(&text, SMALL_PX);
        let ly = f64::from(c.top) + (y1 - limit) / (y1 - y0) * f64::from(c.height) - SMALL_PX * 1.3;
        labels.push(Label::new(
            text,
            f64::from(LEFT) + PLOT_W - w - 6.0,
            ly,
            SMALL_PX,
            LIMIT,
        ));
    }
    Plan {
        height: (y + 10.0) as u32,
        y: (y0, y1),
        labels,
        charts,
    }
}

/// Every piece of text the plot places itself, with its box (for tests:
/// nothing overlaps).
pub fn placed_labels(
    title: &str,
    trace: &Trace,
    analysis: &Analysis,
    lumbar: &kickback::LumbarSettings,
) -> (u32, Vec<Placed>) {
    let p = plan(title, trace, analysis, lumbar);
    (p.height, p.labels.iter().map(Label::placed).collect())
}

fn draw_err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow!("drawing the plot: {e}")
}

fn font(size: f64, color: &RGBColor) -> TextStyle<'static> {
    (FONT, size * PLOTTERS_FONT_SCALE).into_font().color(color)
}

/// Renders the plot of one recording as an SVG document.
///
/// `trace` is the elevation over time (see [`trace_path`]), `analysis` the
/// recording's reps and sets, `lumbar` the settings that give the lumbar
/// limit.
pub fn render_svg(
    title: &str,
    trace: &Trace,
    analysis: &Analysis,
    lumbar: &kickback::LumbarSettings,
) -> Result<String> {
    let plan = plan(title, trace, analysis, lumbar);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, plan.height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        for c in &plan.charts {
            draw_chart(&root, c, trace, analysis, lumbar.limit_deg(), plan.y)?;
        }
        for l in &plan.labels {
            if l.backed {
                let b = l.placed().bbox;
                root.draw(&Rectangle::new(
                    [
                        (b.0 as i32 - 2, b.1 as i32 - 1),
                        (b.2 as i32 + 2, b.3 as i32 + 1),
                    ],
                    WHITE.mix(0.85).filled(),
                ))
                .map_err(draw_err)?;
            }
            let h = if l.centre { HPos::Center } else { HPos::Left };
            root.draw(&Text::new(
                l.text.clone(),
                (l.x.round() as i32, l.y.round() as i32),
                font(l.size, &l.color).pos(Pos::new(h, VPos::Top)),
            ))
            .map_err(draw_err)?;
        }
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

/// The trace within `t`, thinned to a minimum and a maximum per pixel
/// column when denser than that.
fn visible_runs(trace: &Trace, t: (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let px_s = (t.1 - t.0) / PLOT_W;
    let mut out = Vec::new();
    for run in &trace.runs {
        let pts: Vec<(f64, f64)> = run
            .iter()
            .copied()
            .filter(|p| p.0 >= t.0 - 0.1 && p.0 <= t.1 + 0.1)
            .collect();
        if pts.len() < 2 {
            continue;
        }
        let density = pts.len() as f64 / ((pts[pts.len() - 1].0 - pts[0].0) / px_s).max(1.0);
        if density <= 2.0 {
            out.push(pts);
            continue;
        }
        let mut thin = Vec::new();
        for col in pts.chunk_by(|a, b| ((a.0 - t.0) / px_s).floor() == ((b.0 - t.0) / px_s).floor())
        {
            let lo = col
                .iter()
                .copied()
                .fold(col[0], |m, p| if p.1 < m.1 { p } else { m });
            let hi = col
                .iter()
                .copied()
                .fold(col[0], |m, p| if p.1 > m.1 { p } else { m });
            if lo.0 <= hi.0 {
                thin.extend([lo, hi]);
            } else {
                thin.extend([hi, lo]);
            }
        }
        out.push(thin);
    }
    out
}

fn draw_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &Chart,
    trace: &Trace,
    a: &Analysis,
    limit: f64,
    (y0, y1): (f64, f64),
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let (t0, t1) = c.t;
    let area = root
        .clone()
        .shrink((0, c.top), (WIDTH, (c.height + X_AXIS_H) as u32));
    let mut chart = ChartBuilder::on(&area)
        .margin_right(RIGHT as u32)
        .x_label_area_size(X_AXIS_H as u32)
        .y_label_area_size(LEFT as u32)
        .build_cartesian_2d(t0..t1, y0..y1)
        .map_err(draw_err)?;
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(RGBColor(236, 236, 236))
        .y_desc("elevation (°)")
        .x_label_formatter(&|t| clock(*t))
        .y_label_formatter(&|d| format!("{d:.0}°"))
        .x_labels(14)
        .y_labels(6)
        .label_style(font(SMALL_PX, &MUTED))
        .axis_desc_style(font(SMALL_PX, &MUTED));
    if c.overview {
        mesh.x_desc("time from the first sample (m:ss, h:mm:ss from an hour)");
    }
    mesh.draw().map_err(draw_err)?;
    let clamp = |t: f64| t.clamp(t0, t1);
    let within = |a: f64, b: f64| b > t0 && a < t1;
    if c.overview {
        for set in a.sets.iter().filter(|s| within(s.start_s, s.end_s)) {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(clamp(set.start_s), y0), (clamp(set.end_s), y1)],
                    SET_BAND.mix(0.16).filled(),
                )))
                .map_err(draw_err)?;
        }
    } else {
        for rep in a.reps.iter().filter(|r| within(r.start_s, r.end_s)) {
            let color = if rep.faults.is_empty() { GOOD } else { BAD };
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(clamp(rep.start_s), y0), (clamp(rep.end_s), y1)],
                    color.mix(0.13).filled(),
                )))
                .map_err(draw_err)?;
        }
    }
    for w in a.walking.iter().filter(|w| within(w.start_s, w.end_s)) {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(clamp(w.start_s), y0), (clamp(w.end_s), y1)],
                WALK_BAND.mix(0.22).filled(),
            )))
            .map_err(draw_err)?;
    }
    for (g0, g1) in trace.gaps.iter().filter(|g| within(g.0, g.1)) {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(clamp(*g0), y0), (clamp(*g1), y1)],
                GAP_BAND.mix(0.3).filled(),
            )))
            .map_err(draw_err)?;
    }
    chart
        .draw_series(DashedLineSeries::new(
            [(t0, limit), (t1, limit)],
            8,
            5,
            LIMIT.stroke_width(2),
        ))
        .map_err(draw_err)?;
    chart
        .draw_series(LineSeries::new([(t0, 0.0), (t1, 0.0)], MUTED.mix(0.6)))
        .map_err(draw_err)?;
    for t in trace.reanchors.iter().filter(|t| **t >= t0 && **t <= t1) {
        chart
            .draw_series(DashedLineSeries::new(
                [(*t, y0), (*t, y1)],
                3,
                3,
                WARN.stroke_width(2),
            ))
            .map_err(draw_err)?;
    }
    for run in visible_runs(trace, c.t) {
        chart
            .draw_series(LineSeries::new(run, TRACE.stroke_width(2)))
            .map_err(draw_err)?;
    }
    // Peaks as dots, unless too crowded to tell apart (a long overview).
    let shown = a
        .reps
        .iter()
        .filter(|r| r.peak_s >= t0 && r.peak_s <= t1)
        .count();
    if shown as f64 > PLOT_W / 6.0 {
        return Ok(());
    }
    let dot = if c.overview { 3 } else { 4 };
    chart
        .draw_series(
            a.reps
                .iter()
                .filter(|r| r.peak_s >= t0 && r.peak_s <= t1)
                .map(|r| {
                    let color = if r.faults.is_empty() { GOOD } else { BAD };
                    Circle::new((r.peak_s, r.peak_elevation_deg), dot, color.filled())
                }),
        )
        .map_err(draw_err)?;
    Ok(())
}

/// A plot file's format, from `-o`'s extension or `--plot FORMAT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlotFormat {
    /// Scalable vector graphics (text drawn by the viewer in DejaVu Sans, or its sans-serif font).
    Svg,
    /// A PNG image (text drawn with the bundled DejaVu Sans).
    Png,
}

impl PlotFormat {
    /// The file extension (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            PlotFormat::Svg => "svg",
            PlotFormat::Png => "png",
        }
    }

    /// The format named by `path`'s extension, or an error listing the
    /// supported ones.
    pub fn of_path(path: &Path) -> Result<PlotFormat> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("svg") => Ok(PlotFormat::Svg),
            Some("png") => Ok(PlotFormat::Png),
            _ => Err(anyhow!(
                "{}: cannot tell the plot format from this name; end it in .svg or .png (the supported formats)",
                crate::output::printable(&path.display().to_string())
            )),
        }
    }
}

/// The plot of one report as a file's bytes.
pub fn render(
    title: &str,
    trace: &Trace,
    report: &Report,
    settings: &Settings,
    format: PlotFormat,
) -> Result<Vec<u8>> {
    let svg = render_svg(title, trace, &report.analysis, &settings.lumbar)?;
    match format {
        PlotFormat::Svg => Ok(svg.into_bytes()),
        PlotFormat::Png => svg_to_png(&svg),
    }
}

/// Rasterises an SVG document with resvg, its text in the bundled DejaVu
/// Sans (no system font is looked up).
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>> {
    use resvg::{tiny_skia, usvg};
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_font_data(dejavu::sans::regular().to_vec());
    fonts.load_font_data(dejavu::sans::bold().to_vec());
    fonts.set_sans_serif_family("DejaVu Sans");
    let opts = usvg::Options {
        font_family: "DejaVu Sans".into(),
        fontdb: std::sync::Arc::new(fonts),
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(svg, &opts).map_err(|e| anyhow!("rendering the plot: {e}"))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
        anyhow!(
            "rendering the plot: {}x{} px is too large",
            size.width(),
            size.height()
        )
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| anyhow!("encoding the PNG: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plots_report_is_the_analyze_report_whatever_the_gap_settings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gaps.csv");
        // 20 s of a still leg at 100 Hz, with gaps of 0.15 s and 0.6 s
        let mut csv = "time,ax,ay,az,gx,gy,gz\n".to_string();
        for i in 0..2000 {
            let t = i as f64 / 100.0;
            if (10.0..10.15).contains(&t) || (15.0..15.6).contains(&t) {
                continue;
            }
            csv += &format!("{t:.2},0,0,9.81,0,0,0\n");
        }
        std::fs::write(&path, csv).unwrap();
        let mut settings = Settings::default();
        settings.input.gap_warn_s = 0.1;
        settings.input.gap_split_s = 0.5;
        let opts = ReadOptions::default();
        let (plotted, trace) = trace_path(&path, &opts, &settings).unwrap();
        let analysed = input::analyze_path(&path, &opts, &settings).unwrap();
        assert_eq!(analysed.input.gaps.len(), 2, "{:?}", analysed.input.gaps);
        assert_eq!(
            serde_json::to_value(&plotted).unwrap(),
            serde_json::to_value(&analysed).unwrap()
        );
        // the plot breaks its line only at gaps over GAP_S
        assert_eq!(trace.gaps.len(), 1, "{:?}", trace.gaps);
    }

    fn rep(index: usize, set: usize, start: f64, peak: f64, faults: &[&str]) -> serde_json::Value {
        serde_json::json!({
            "index": index, "set": set, "start_s": start, "peak_s": start + 1.2,
            "end_s": start + 3.5, "range_deg": peak, "peak_elevation_deg": peak,
            "concentric_s": 1.2, "hold_s": 0.5, "eccentric_s": 1.8,
            "peak_velocity_dps": 90.0, "peak_eccentric_velocity_dps": 60.0,
            "windup_deg": 0.0, "faults": faults,
            "momentum": {"fast_concentric": false, "high_peak_velocity": false,
                "no_hold": false, "windup": false, "fast_drop": false, "score": 0.0}
        })
    }

    /// `sets` sets of `per_set` reps, 4 s apart, sets `rest_s` apart; every
    /// third rep has all three faults.
    fn session(sets: usize, per_set: usize, rest_s: f64) -> (Analysis, Trace) {
        let mut reps = Vec::new();
        let mut set_list = Vec::new();
        let mut t = 5.0;
        let mut d = Decimator::new(DECIMATION);
        let mut k = 0;
        for s in 1..=sets {
            let start = t;
            for _ in 0..per_set {
                k += 1;
                let f: &[&str] = if k % 3 == 0 {
                    &["momentum", "lumbar_overextension", "partial_range"]
                } else {
                    &[]
                };
                reps.push(rep(k, s, t, 60.0, f));
                t += 4.0;
            }
            set_list.push(
                serde_json::json!({"index": s, "start_s": start, "end_s": t - 0.5,
                "rep_count": per_set, "median_range_deg": 60.0}),
            );
            t += rest_s;
        }
        let end = t;
        let mut i = 0u64;
        loop {
            let tt = i as f64 * 0.01;
            if tt > end {
                break;
            }
            d.push(tt, 30.0 * (tt * 1.5).sin().max(0.0));
            i += 1;
        }
        let a = serde_json::from_value(serde_json::json!({
            "sample_rate_hz": 100.0, "duration_s": end, "rep_count": k,
            "sets": set_list, "reps": reps,
            "summary": {"momentum": k / 3, "lumbar_overextension": k / 3, "partial_range": k / 3},
            "warnings": [], "gyroscope": true
        }))
        .unwrap();
        (a, d.finish())
    }

    fn no_overlap(labels: &[Placed]) {
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
            assert!(
                a.bbox.0 >= 0.0 && a.bbox.2 <= f64::from(WIDTH),
                "{a:?} off the page"
            );
        }
    }

    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|s| {
                let body = s.split_once('>')?.1;
                Some(body.split("</text>").next()?.trim().to_string())
            })
            .collect()
    }

    #[test]
    fn a_short_session_has_an_overview_and_a_panel_per_set_without_overlaps() {
        let (a, trace) = session(3, 8, 60.0);
        let lumbar = kickback::LumbarSettings::default();
        let (h, labels) = placed_labels("a.csv", &trace, &a, &lumbar);
        no_overlap(&labels);
        assert!(h > 800 && h < 3000, "{h}");
        let svg = render_svg("a.csv", &trace, &a, &lumbar).unwrap();
        assert!(svg.contains(&format!("width=\"{WIDTH}\"")));
        let t = texts(&svg);
        for want in [
            "Set 1 · 8 reps",
            "Set 3 · 8 reps",
            "lumbar limit 65°",
            "a.csv",
            "24",
            "What to change:",
        ] {
            assert!(t.iter().any(|x| x == want), "missing {want:?} in {t:?}");
        }
        // Every rep number once (the overview numbers sets 1-3 too).
        assert_eq!(t.iter().filter(|x| *x == "24").count(), 1);
        assert_eq!(t.iter().filter(|x| *x == "momentum").count(), 8);
        assert!(t
            .iter()
            .any(|x| x.starts_with("momentum (8 reps): slow the lift")));
        assert!(!svg.contains("@font-face") && !svg.contains("<image"));
    }

    #[test]
    fn a_ten_hour_session_keeps_labels_apart_and_the_page_bounded() {
        // 10 h: 300 sets of 12 reps, 75 s of rest between them.
        let (a, trace) = session(300, 12, 75.0);
        assert!(a.duration_s > 36_000.0, "{}", a.duration_s);
        let lumbar = kickback::LumbarSettings::default();
        let (h, labels) = placed_labels("long.csv", &trace, &a, &lumbar);
        no_overlap(&labels);
        let tops: Vec<f64> = labels
            .iter()
            .filter(|l| l.text.starts_with("Set "))
            .map(|l| l.bbox.1)
            .collect();
        assert!(h < 12_000, "{h} {tops:?}");
        assert!(labels
            .iter()
            .any(|l| l.text.starts_with("Sets 25–300 are in the overview only")));
        assert!(labels
            .iter()
            .any(|l| l.text.contains("set numbers left out")));
        let svg = render_svg("long.csv", &trace, &a, &lumbar).unwrap();
        assert!(svg.len() < 6_000_000, "{} bytes", svg.len());
        assert!(texts(&svg)
            .iter()
            .any(|x| x == "10:05:05" || x.contains(':')));
    }

    #[test]
    fn the_warnings_that_matter_are_drawn() {
        let (mut a, _) = session(1, 4, 10.0);
        a.gyroscope = false;
        a.warnings = serde_json::from_value(serde_json::json!([
            {"kind": "no_rest", "t_s": null, "message": "guess"},
            {"kind": "invalid_sample", "t_s": 1.0, "message": "x"},
            {"kind": "input", "t_s": null, "message": "reader note"}
        ]))
        .unwrap();
        a.walking = vec![kickback::Walk::new(1.0, 2.5, 2)];
        let mut d = Decimator::new(1);
        for i in 0..300 {
            let t = if i < 100 {
                i as f64 * 0.01
            } else {
                5.0 + i as f64 * 0.01
            };
            d.push(t, if i == 50 { 30.0 } else { 0.0 });
        }
        let trace = d.finish();
        let (_, labels) = placed_labels("w.csv", &trace, &a, &Default::default());
        no_overlap(&labels);
        let text: Vec<&str> = labels.iter().map(|l| l.text.as_str()).collect();
        for want in [
            "⚠ No gyroscope",
            "⚠ Rest pose guessed",
            "⚠ 1 gap in the data (grey bands; the longest 5.0 s)",
            "⚠ Rest pose re-anchored 2 times (first at 0:00.5",
            "⚠ Also: 1 invalid sample",
            "⚠ Walking recognised: 1 walk of 1.5 s in all, 2 steps of this leg (brown bands)",
            "Up the page: the leg's elevation from the rest pose",
        ] {
            assert!(
                text.iter().any(|t| t.starts_with(want)),
                "{want:?} not in {text:?}"
            );
        }
        assert!(!text.iter().any(|t| t.contains("reader note")));
    }

    #[test]
    fn crowded_fault_words_go_to_other_lanes() {
        let stack = |w: &[&str]| -> Vec<(String, f64)> {
            w.iter().map(|s| (s.to_string(), FAULT_PX)).collect()
        };
        let stacks = vec![
            stack(&["momentum"]),
            stack(&["1"]),
            stack(&["momentum", "lumbar"]),
            stack(&["partial"]),
            stack(&["lumbar"]),
        ];
        let (l, n) = lanes(&[100.0, 160.0, 130.0, 150.0, 400.0], &stacks);
        assert_eq!(l, vec![0, 0, 1, 2, 0]);
        assert_eq!(n, 3);
        assert_eq!(lanes(&[100.0, 300.0], &stacks[..2]), (vec![0, 0], 1));
    }

    #[test]
    fn jumps_no_leg_can_make_and_gaps_break_the_trace() {
        let mut d = Decimator::new(5);
        for i in 0..100 {
            let t = i as f64 * 0.01;
            d.push(t, if t < 0.5 { 12.0 } else { -10.0 });
        }
        for i in 0..50 {
            d.push(2.0 + i as f64 * 0.01, 3.0);
        }
        d.push(f64::NAN, 1.0);
        let t = d.finish();
        assert_eq!(t.runs.len(), 3);
        assert_eq!(t.reanchors, vec![0.5]);
        assert_eq!(t.gaps.len(), 1);
        assert!((t.gaps[0].0 - 0.99).abs() < 1e-9 && t.gaps[0].1 == 2.0);
        // A fast kick (500 °/s) is motion.
        let mut d = Decimator::new(1);
        for i in 0..20 {
            d.push(i as f64 * 0.01, i as f64 * 5.0);
        }
        assert!(d.finish().reanchors.is_empty());
    }

    #[test]
    fn decimation_keeps_extremes() {
        let mut d = Decimator::new(5);
        for i in 0..12 {
            let v = match i {
                3 => 14.0,
                7 => -12.0,
                _ => 1.0,
            };
            d.push(i as f64 * 0.01, v);
        }
        let pts: Vec<(f64, f64)> = d.finish().points().collect();
        assert_eq!(
            pts.iter().map(|p| p.1).collect::<Vec<_>>(),
            vec![14.0, -12.0, 1.0]
        );
    }

    #[test]
    fn text_is_measured_with_the_bundled_font() {
        // DejaVu Sans: digits are 0.636 em wide, "i" 0.278 em.
        assert!((text_width("00", 10.0) - 12.72).abs() < 0.05);
        assert!(text_width("iiii", 10.0) < text_width("MMMM", 10.0) / 2.0);
        assert_eq!(
            wrap("aa bb cc", 10.0, text_width("aa bb", 10.0) + 0.1),
            ["aa bb", "cc"]
        );
    }

    #[test]
    fn empty_recording_still_renders() {
        let svg = render_svg(
            "empty",
            &Trace::default(),
            &Analysis::default(),
            &Default::default(),
        )
        .unwrap();
        assert!(texts(&svg)
            .iter()
            .any(|x| x.starts_with("0 reps in 0 sets")));
    }
}
