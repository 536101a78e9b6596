//! SVG plots of a recording: the leg's elevation over time, each rep shaded
//! and numbered, faults marked in words, the lumbar limit drawn as a line and
//! the sets labelled.
//!
//! The plot is plain SVG from plotters' SVG backend: text is SVG `<text>`
//! in the generic `sans-serif` family, drawn by the viewer with its own fonts,
//! so rendering needs no font files on this machine (plotters is built
//! without its `ttf` feature).

use crate::input::{self, Report};
use crate::output::clock;
use anyhow::{anyhow, Result};
use kickback::coaching::fault_word;
use kickback::{Analysis, Analyzer, Event, Fault, Settings};
use kickback_formats::ReadOptions;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// The engine's trace is on a 100 Hz grid; plots use every 5th point's bucket (20 Hz).
pub const DECIMATION: usize = 5;

/// Pixels per second of recording: at least this, more when reps are short
/// (see [`MIN_REP_PX`]), within [`MIN_WIDTH`]..[`MAX_WIDTH`] pixels in all.
const PX_PER_S: f64 = 25.0;
/// The shortest rep gets at least this many pixels (room for its number).
const MIN_REP_PX: f64 = 40.0;
const MIN_WIDTH: u32 = 900;
const MAX_WIDTH: u32 = 20_000;
/// Height of the plotting area with its x labels.
const CHART_PX: u32 = 460;
/// Plotting-area margins and label areas (pixels).
const LEFT_PX: u32 = 10;
const Y_LABELS_PX: u32 = 60;
const RIGHT_PX: u32 = 24;
/// Header rows (pixels from the top).
const TITLE_Y: i32 = 8;
const SUMMARY_Y: i32 = 34;
const LEGEND_Y: i32 = 56;
const SET_Y: i32 = 92;
const REP_Y: i32 = 104;
const FAULT_Y: i32 = 122;
const FAULT_LINE_PX: i32 = 13;
const FAULT_FONT: f64 = 11.0;
const FONT: &str = "sans-serif";

const TRACE: RGBColor = RGBColor(31, 78, 140);
const GOOD: RGBColor = RGBColor(46, 139, 87);
const BAD: RGBColor = RGBColor(200, 40, 40);
const LIMIT: RGBColor = RGBColor(180, 30, 30);
const INK: RGBColor = RGBColor(40, 40, 40);
const MUTED: RGBColor = RGBColor(110, 110, 110);

/// Keeps, from each bucket of `factor` trace points, the one farthest from
/// the rest pose, so peaks and wind-ups survive decimation.
#[derive(Debug, Clone)]
pub struct Decimator {
    factor: usize,
    best: Option<(f64, f64)>,
    seen: usize,
    out: Vec<(f64, f64)>,
}

impl Decimator {
    /// A decimator keeping one point in `factor` (at least 1).
    pub fn new(factor: usize) -> Self {
        Decimator {
            factor: factor.max(1),
            best: None,
            seen: 0,
            out: Vec::new(),
        }
    }

    /// Adds one point (time s, elevation deg).
    pub fn push(&mut self, t: f64, deg: f64) {
        if !(t.is_finite() && deg.is_finite()) {
            return;
        }
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
        if let Some(p) = self.best.take() {
            self.out.push(p);
        }
        self.seen = 0;
    }

    /// The decimated trace.
    pub fn finish(mut self) -> Vec<(f64, f64)> {
        self.flush();
        self.out
    }
}

/// Reads `path` and analyses it like `analyze` (the same report), also
/// collecting the elevation trace (decimated to 20 Hz) for a plot: one read,
/// one analysis.
pub fn trace_path(
    path: &Path,
    opts: &ReadOptions,
    settings: &Settings,
) -> Result<(Report, Vec<(f64, f64)>)> {
    let recording = kickback_formats::open(path, opts)?;
    let mut analyzer = Analyzer::new(settings.clone())?;
    analyzer.set_trace(true);
    let mut analysis = Analysis::default();
    let mut trace = Decimator::new(DECIMATION);
    let mut take = |analyzer: &mut Analyzer| {
        for e in analyzer.drain() {
            match e {
                Event::Elevation { t_s, deg } => trace.push(t_s, deg),
                other => analysis.observe(&other),
            }
        }
    };
    let mut samples = recording.samples();
    let mut batch = Vec::with_capacity(512);
    loop {
        batch.clear();
        let more = samples.next_batch(&mut batch, 512);
        for s in &batch {
            analyzer.push(*s);
            take(&mut analyzer);
        }
        if !more? {
            break;
        }
    }
    analyzer.finish();
    take(&mut analyzer);
    let report = input::report(path, analysis, samples.into_info())?;
    Ok((report, trace.finish()))
}

fn draw_err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow!("drawing the plot: {e}")
}

fn text_style(size: f64, color: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    (FONT, size).into_font().color(color).pos(Pos::new(h, v))
}

/// The summary line under the title.
fn summary_line(a: &Analysis) -> String {
    let faults: Vec<String> = Fault::ALL
        .iter()
        .filter(|f| a.summary.get(**f) > 0)
        .map(|f| format!("{} {}", f.describe(), a.summary.get(*f)))
        .collect();
    format!(
        "{} rep{} in {} set{} · {}",
        a.rep_count,
        if a.rep_count == 1 { "" } else { "s" },
        a.sets.len(),
        if a.sets.len() == 1 { "" } else { "s" },
        if faults.is_empty() {
            "no faults".to_string()
        } else {
            faults.join(" · ")
        }
    )
}

/// Rough width of `text` in pixels at font size `size` (sans-serif averages
/// ~0.55 em per character; 0.62 leaves a margin).
fn text_px(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.62
}

/// Puts each faulty rep's words in the first lane (row block) where they do
/// not overlap the words of an earlier rep. Returns each rep's lane and the
/// number of lanes.
fn fault_lanes(centres_px: &[f64], words: &[Vec<&str>]) -> (Vec<usize>, usize) {
    let mut right_edges: Vec<f64> = Vec::new();
    let mut lanes = Vec::with_capacity(words.len());
    for (x, w) in centres_px.iter().zip(words) {
        if w.is_empty() {
            lanes.push(0);
            continue;
        }
        let half = w.iter().map(|s| text_px(s, FAULT_FONT)).fold(0.0, f64::max) / 2.0;
        let lane = match right_edges.iter().position(|r| *r + 6.0 <= x - half) {
            Some(i) => i,
            None => {
                right_edges.push(f64::NEG_INFINITY);
                right_edges.len() - 1
            }
        };
        right_edges[lane] = x + half;
        lanes.push(lane);
    }
    let n = right_edges.len();
    (lanes, n)
}

/// Geometry of one plot.
struct Layout {
    width: u32,
    height: u32,
    header: u32,
    t: (f64, f64),
    y: (f64, f64),
    lanes: Vec<usize>,
    lane_px: i32,
}

fn layout(trace: &[(f64, f64)], analysis: &Analysis, limit: f64) -> Layout {
    let reps = &analysis.reps;
    let t1 = trace
        .iter()
        .map(|p| p.0)
        .chain(reps.iter().map(|r| r.end_s))
        .chain(analysis.sets.iter().map(|s| s.end_s))
        .chain([analysis.duration_s, 1.0])
        .filter(|t| t.is_finite())
        .fold(0.0_f64, f64::max);
    let t0 = trace
        .iter()
        .map(|p| p.0)
        .filter(|t| t.is_finite())
        .fold(0.0_f64, f64::min);
    let y0 = trace
        .iter()
        .map(|p| p.1)
        .chain([-20.0])
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min)
        - 5.0;
    let y1 = trace
        .iter()
        .map(|p| p.1)
        .chain(reps.iter().map(|r| r.peak_elevation_deg))
        .chain([limit, 30.0])
        .filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max)
        + 10.0;
    let shortest = reps
        .iter()
        .map(|r| r.end_s - r.start_s)
        .filter(|d| d.is_finite() && *d > 0.05)
        .fold(f64::INFINITY, f64::min);
    let px_per_s = PX_PER_S.max(MIN_REP_PX / shortest);
    let margins = (LEFT_PX + Y_LABELS_PX + RIGHT_PX) as f64;
    let width = ((t1 - t0) * px_per_s + margins).clamp(MIN_WIDTH as f64, MAX_WIDTH as f64) as u32;
    let plot_w = width as f64 - margins;
    let centres: Vec<f64> = reps
        .iter()
        .map(|r| ((r.start_s + r.end_s) / 2.0 - t0) / (t1 - t0) * plot_w)
        .collect();
    let words: Vec<Vec<&str>> = reps
        .iter()
        .map(|r| r.faults.iter().map(|f| fault_word(*f)).collect())
        .collect();
    let (lanes, n_lanes) = fault_lanes(&centres, &words);
    let most = words.iter().map(Vec::len).max().unwrap_or(0) as i32;
    let lane_px = most * FAULT_LINE_PX + 4;
    let header = (FAULT_Y + n_lanes as i32 * lane_px + 8).max(FAULT_Y + 8) as u32;
    Layout {
        width,
        height: header + CHART_PX,
        header,
        t: (t0, t1),
        y: (y0, y1),
        lanes,
        lane_px,
    }
}

/// Renders the plot of one recording as an SVG document.
///
/// `trace` is the elevation over time (s, deg; see [`trace_path`]),
/// `analysis` the recording's reps and sets, `lumbar_limit_deg` the
/// elevation above which the lower back arches (torso hinge + hip
/// extension limit).
pub fn render_svg(
    title: &str,
    trace: &[(f64, f64)],
    analysis: &Analysis,
    lumbar_limit_deg: f64,
) -> Result<String> {
    let lay = layout(trace, analysis, lumbar_limit_deg);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (lay.width, lay.height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        draw(&root, title, trace, analysis, lumbar_limit_deg, &lay)?;
        root.present().map_err(draw_err)?;
    }
    Ok(svg)
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    trace: &[(f64, f64)],
    analysis: &Analysis,
    limit: f64,
    lay: &Layout,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let ((t0, t1), (y0, y1)) = (lay.t, lay.y);
    root.draw(&Text::new(
        title.to_string(),
        (12, TITLE_Y),
        text_style(20.0, &INK, HPos::Left, VPos::Top),
    ))
    .map_err(draw_err)?;
    root.draw(&Text::new(
        summary_line(analysis),
        (12, SUMMARY_Y),
        text_style(15.0, &MUTED, HPos::Left, VPos::Top),
    ))
    .map_err(draw_err)?;
    root.draw(&Text::new(
        "Reps shaded and numbered; red: faults (momentum = momentum swing, lumbar = lower back arched past the lumbar limit, partial = partial range)"
            .to_string(),
        (12, LEGEND_Y),
        text_style(12.0, &MUTED, HPos::Left, VPos::Top),
    ))
    .map_err(draw_err)?;

    let mut chart = ChartBuilder::on(root)
        .margin_top(lay.header)
        .margin_left(LEFT_PX)
        .margin_right(RIGHT_PX)
        .margin_bottom(10)
        .x_label_area_size(44)
        .y_label_area_size(Y_LABELS_PX)
        .build_cartesian_2d(t0..t1, y0..y1)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .x_desc("time (m:ss from the first sample)")
        .y_desc("leg elevation from rest (°)")
        .x_label_formatter(&|t| clock(*t))
        .y_label_formatter(&|d| format!("{d:.0}°"))
        .x_labels((lay.width as usize / 110).max(4))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(draw_err)?;

    // Reps, shaded (red when faulty).
    for rep in &analysis.reps {
        let color = if rep.faults.is_empty() { GOOD } else { BAD };
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(rep.start_s, y0), (rep.end_s, y1)],
                color.mix(0.13).filled(),
            )))
            .map_err(draw_err)?;
    }

    // The lumbar limit.
    chart
        .draw_series(DashedLineSeries::new(
            [(t0, limit), (t1, limit)],
            8,
            5,
            LIMIT.stroke_width(2),
        ))
        .map_err(draw_err)?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!("lumbar limit {limit:.0}°"),
            (t0, limit),
            text_style(13.0, &LIMIT, HPos::Left, VPos::Bottom),
        )))
        .map_err(draw_err)?;
    // Rest pose.
    chart
        .draw_series(LineSeries::new([(t0, 0.0), (t1, 0.0)], MUTED.mix(0.6)))
        .map_err(draw_err)?;

    // The trace, broken at gaps.
    for run in trace.chunk_by(|a, b| b.0 - a.0 <= 0.5) {
        chart
            .draw_series(LineSeries::new(run.iter().copied(), TRACE.stroke_width(2)))
            .map_err(draw_err)?;
    }

    // Peaks.
    for rep in &analysis.reps {
        let color = if rep.faults.is_empty() { GOOD } else { BAD };
        chart
            .draw_series(std::iter::once(Circle::new(
                (rep.peak_s, rep.peak_elevation_deg),
                4,
                color.filled(),
            )))
            .map_err(draw_err)?;
    }

    // Header rows: sets, rep numbers, fault words; x from the chart's mapping.
    let x_of = |t: f64| chart.backend_coord(&(t, y1)).0;
    for set in &analysis.sets {
        let (a, b) = (x_of(set.start_s), x_of(set.end_s));
        root.draw(&Text::new(
            format!(
                "Set {} · {} rep{}",
                set.index,
                set.rep_count,
                if set.rep_count == 1 { "" } else { "s" }
            ),
            ((a + b) / 2, SET_Y - 4),
            text_style(14.0, &INK, HPos::Center, VPos::Bottom),
        ))
        .map_err(draw_err)?;
        root.draw(&PathElement::new(
            vec![(a, SET_Y + 6), (a, SET_Y), (b, SET_Y), (b, SET_Y + 6)],
            INK.stroke_width(1),
        ))
        .map_err(draw_err)?;
    }
    for (rep, lane) in analysis.reps.iter().zip(&lay.lanes) {
        let x = x_of((rep.start_s + rep.end_s) / 2.0);
        let color = if rep.faults.is_empty() { GOOD } else { BAD };
        root.draw(&Text::new(
            rep.index.to_string(),
            (x, REP_Y),
            text_style(14.0, &color, HPos::Center, VPos::Top),
        ))
        .map_err(draw_err)?;
        let y = FAULT_Y + *lane as i32 * lay.lane_px;
        for (k, f) in rep.faults.iter().enumerate() {
            root.draw(&Text::new(
                fault_word(*f).to_string(),
                (x, y + FAULT_LINE_PX * k as i32),
                text_style(FAULT_FONT, &BAD, HPos::Center, VPos::Top),
            ))
            .map_err(draw_err)?;
        }
    }
    Ok(())
}

/// A plot file's format, from `-o`'s extension or `--plot FORMAT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlotFormat {
    /// Scalable vector graphics (text drawn by the viewer's sans-serif font).
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
    trace: &[(f64, f64)],
    report: &Report,
    settings: &Settings,
    format: PlotFormat,
) -> Result<Vec<u8>> {
    let svg = render_svg(title, trace, &report.analysis, settings.lumbar.limit_deg())?;
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

    /// An analysis with three reps in two sets; rep 2 arched the back and swung.
    fn analysis() -> Analysis {
        let rep = |index: usize, set: usize, start: f64, peak: f64, faults: &[&str]| {
            serde_json::json!({
                "index": index, "set": set, "start_s": start, "peak_s": start + 1.2,
                "end_s": start + 3.5, "range_deg": peak, "peak_elevation_deg": peak,
                "concentric_s": 1.2, "hold_s": 0.5, "eccentric_s": 1.8,
                "peak_velocity_dps": 90.0, "peak_eccentric_velocity_dps": 60.0,
                "windup_deg": 0.0, "faults": faults,
                "momentum": {"fast_concentric": false, "high_peak_velocity": false,
                    "no_hold": false, "windup": false, "fast_drop": false, "score": 0.0}
            })
        };
        serde_json::from_value(serde_json::json!({
            "sample_rate_hz": 100.0, "duration_s": 40.0, "rep_count": 3,
            "sets": [
                {"index": 1, "start_s": 2.0, "end_s": 9.5, "rep_count": 2, "median_range_deg": 60.0},
                {"index": 2, "start_s": 30.0, "end_s": 33.5, "rep_count": 1, "median_range_deg": 50.0}
            ],
            "reps": [
                rep(1, 1, 2.0, 55.0, &[]),
                rep(2, 1, 6.0, 75.0, &["momentum", "lumbar_overextension"]),
                rep(3, 2, 30.0, 50.0, &["partial_range"]),
            ],
            "summary": {"momentum": 1, "lumbar_overextension": 1, "partial_range": 1},
            "warnings": [], "gyroscope": true
        }))
        .unwrap()
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
    fn plot_shows_reps_faults_limit_and_sets() {
        let trace: Vec<(f64, f64)> = (0..800)
            .map(|i| {
                let t = i as f64 * 0.05;
                (t, 30.0 * (t * 1.3).sin().max(0.0))
            })
            .collect();
        let svg = render_svg("a.csv", &trace, &analysis(), 65.0).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..100]);
        let t = texts(&svg);
        for want in [
            "1",
            "2",
            "3",
            "momentum",
            "lumbar",
            "partial",
            "lumbar limit 65°",
            "Set 1 · 2 reps",
            "Set 2 · 1 rep",
            "a.csv",
        ] {
            assert!(t.iter().any(|x| x == want), "missing {want:?} in {t:?}");
        }
        // Fault words sit under the faulty reps only: "momentum" once, "partial" once.
        assert_eq!(t.iter().filter(|x| *x == "momentum").count(), 1);
        assert_eq!(t.iter().filter(|x| *x == "partial").count(), 1);
        // Shaded reps: one rectangle per rep in the rep colours.
        assert_eq!(svg.matches("opacity=\"0.13\" fill=\"#C82828\"").count(), 2);
        assert_eq!(svg.matches("opacity=\"0.13\" fill=\"#2E8B57\"").count(), 1);
        // The trace is drawn.
        assert!(svg.contains("<polyline"));
        // No embedded fonts or images.
        assert!(!svg.contains("@font-face") && !svg.contains("<image"));
    }

    #[test]
    fn empty_recording_still_renders() {
        let svg = render_svg("empty", &[], &Analysis::default(), 65.0).unwrap();
        assert!(texts(&svg)
            .iter()
            .any(|x| x == "0 reps in 0 sets · no faults"));
    }

    #[test]
    fn fault_words_that_would_overlap_go_to_another_lane() {
        let words = vec![
            vec!["momentum"],
            vec![],
            vec!["momentum", "lumbar"],
            vec!["partial"],
            vec!["lumbar"],
        ];
        // 8 chars at 11 px ≈ 55 px wide: centres 30 px apart collide, 200 px apart do not.
        let (lanes, n) = fault_lanes(&[100.0, 115.0, 130.0, 150.0, 400.0], &words);
        assert_eq!(lanes, vec![0, 0, 1, 2, 0]);
        assert_eq!(n, 3);
        let (lanes, n) = fault_lanes(&[100.0, 300.0], &[vec!["momentum"], vec!["partial"]]);
        assert_eq!((lanes, n), (vec![0, 0], 1));
    }

    #[test]
    fn decimation_keeps_extremes() {
        let mut d = Decimator::new(5);
        for i in 0..12 {
            d.push(
                i as f64,
                if i == 3 {
                    50.0
                } else if i == 7 {
                    -12.0
                } else {
                    1.0
                },
            );
        }
        d.push(f64::NAN, 1.0);
        assert_eq!(d.finish(), vec![(3.0, 50.0), (7.0, -12.0), (10.0, 1.0)]);
    }
}
