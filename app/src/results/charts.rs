//! Result charts as SVG strings, drawn with plotters' SVG backend.
//!
//! The charts are shown inline in the server-rendered results pages and offered as `.svg`
//! downloads. Each one is accompanied on the page by a data table and a one-sentence summary
//! (written elsewhere); the page gives the `<svg>` `role="img"` and `aria-labelledby` the summary.
//!
//! Conventions of the output, relied upon by the pages and checked by the tests below:
//! - a fixed width ([`WIDTH`]) with the height growing with the number of bars, rows or legend
//!   lines; `width`/`height` plus a `viewBox`, so the page's `svg{max-width:100%;height:auto}`
//!   scales it;
//! - presentation attributes only, never `style="…"` (the Content-Security-Policy blocks inline
//!   styles), no script and no external reference;
//! - right to left in Arabic: bars grow from the right, the category labels sit on the right,
//!   the first x position of a line chart is on the right, and the root element carries
//!   `direction="rtl"` (set explicitly in both languages, so that an inline chart does not inherit
//!   the page's direction and a downloaded one renders the same);
//! - plotters' text layout is a crude estimate without a font library, so this module measures
//!   text with its own (conservative) estimate and truncates long labels with "…"; the full
//!   labels are in the data table;
//! - deterministic: the same input gives byte-identical output (the snapshot tests rely on it).
//!
//! Every function is total: empty input gives a small empty SVG, non-finite values count as 0.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::Locale;

/// The Okabe–Ito colour-blind-safe palette, ordered so that the colours with at least 3:1
/// contrast against white come first (blue 5.2:1, vermillion 3.9:1, bluish green 3.4:1,
/// reddish purple 3.1:1, black 21:1), then orange (2.2:1), sky blue (2.3:1) and yellow (1.2:1).
/// Single-series charts use the first colour; stacked segments are outlined in a dark colour so
/// that the low-contrast ones stay distinguishable from the white background and each other.
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00", "#56B4E9", "#F0E442",
];

/// One bar of a horizontal bar chart: its label (already in the page's language), its value
/// (a count or a mean), and the text printed at the bar's end (e.g. "42 (35%)").
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub display: String,
}

/// Width of every chart, in SVG user units (CSS pixels at 100 %).
pub const WIDTH: u32 = 640;
const W: i32 = WIDTH as i32;
/// Horizontal margin on both sides, and the top margin.
const MARGIN: i32 = 16;
const TOP: i32 = 12;
/// Space between a label and what it labels.
const GAP: i32 = 8;
const FONT: &str = "system-ui, sans-serif";
const LABEL_PX: f64 = 13.0;
const TICK_PX: f64 = 12.0;
/// Text, #1f2933: 14.7:1 on white.
const TEXT: RGBColor = RGBColor(0x1f, 0x29, 0x33);
/// Axis lines, #616e7c: 5.2:1 on white.
const AXIS: RGBColor = RGBColor(0x61, 0x6e, 0x7c);
/// Grid lines: decorative, deliberately faint.
const GRID: RGBColor = RGBColor(0xd9, 0xde, 0xe3);
/// Labels longer than this many characters are truncated with "…".
const MAX_LABEL_CHARS: usize = 40;
/// The category label column takes at most this share of the width.
const MAX_LABEL_SHARE: f64 = 0.44;
/// Bar charts: the height of one row and the thickness of its bar.
const ROW: i32 = 30;
const BAR: i32 = 18;
/// Room under the plot for the value axis' tick labels.
const AXIS_LABELS: i32 = 30;
/// Legend: the height of one line, the swatch size, the space between items.
const LEGEND_LINE: i32 = 22;
const SWATCH: i32 = 12;
const LEGEND_ITEM_GAP: f64 = 20.0;
/// Line charts: the height of the plot area.
const LINE_PLOT: i32 = 220;

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// Horizontal bars, one per item, in the given order top to bottom. `max` fixes the value axis
/// end (e.g. Some(100.0) for percentages, or the scale's top for mean ranks); None: the largest
/// value plus headroom.
pub fn bars(bars: &[Bar], max: Option<f64>, locale: Locale) -> String {
    if bars.is_empty() {
        return empty(locale);
    }
    let rtl = is_rtl(locale);
    let values: Vec<f64> = bars.iter().map(|b| finite(b.value).max(0.0)).collect();
    let largest = values.iter().copied().fold(0.0, f64::max);
    let integers = values.iter().all(|v| v.fract().abs() < 1e-9);
    let axis = Axis::for_values(largest, max, integers);

    let displays: Vec<String> = bars
        .iter()
        .map(|b| fit(&b.display, 24, 180.0, LABEL_PX, rtl))
        .collect();
    let display_w = displays
        .iter()
        .map(|d| text_width(d, LABEL_PX))
        .fold(0.0, f64::max);
    // Room beyond the axis end for the display text of the longest bar (and half a tick label).
    let value_margin = (display_w as i32 + 2 * GAP).clamp(3 * GAP, 200);
    let (labels, label_area) = category_labels(bars.iter().map(|b| b.label.as_str()), rtl);

    let n = bars.len();
    let plot_h = ROW.saturating_mul(i32::try_from(n).unwrap_or(i32::MAX / ROW));
    let height = TOP.saturating_add(plot_h).saturating_add(AXIS_LABELS);
    let (plot_l, plot_r) = if rtl {
        (MARGIN + value_margin, W - MARGIN - label_area)
    } else {
        (MARGIN + label_area, W - MARGIN - value_margin)
    };

    render(height, locale, |root| {
        let frame = Frame::new(
            root,
            (plot_l, plot_r),
            (TOP, TOP + plot_h),
            &axis,
            rtl,
            n as f64,
        )?;
        frame.value_grid(root, &axis, "")?;
        frame.baseline(root)?;
        let fill = hex(PALETTE[0]);
        for (i, ((value, label), display)) in values.iter().zip(&labels).zip(&displays).enumerate()
        {
            let row = i as f64;
            let v = value.min(axis.end);
            let x0 = frame.x(0.0);
            let x1 = frame.x(v);
            let (yt, yb) = frame.bar_band(row);
            if x0 != x1 {
                root.draw(&Rectangle::new(
                    [(x0.min(x1), yt), (x0.max(x1), yb)],
                    fill.filled(),
                ))?;
            }
            let y = frame.row_center(row);
            frame.category_label(root, label, y)?;
            // The display text just beyond the bar's end, on the side away from the labels.
            let (dx, anchor) = if rtl {
                (x1 - GAP / 2 - 2, HPos::Right)
            } else {
                (x1 + GAP / 2 + 2, HPos::Left)
            };
            draw_text(root, display, (dx, y), LABEL_PX, TEXT, anchor, VPos::Center)?;
        }
        Ok(())
    })
}

/// 100 % stacked horizontal bars (a matrix question: one bar per row, one segment per scale
/// point). `rows`: (row label, counts per series in `series` order). Each bar is scaled to its own
/// total; a row with total 0 is drawn empty. A legend lists the series.
pub fn stacked(rows: &[(String, Vec<f64>)], series: &[String], locale: Locale) -> String {
    if rows.is_empty() {
        return empty(locale);
    }
    let rtl = is_rtl(locale);
    let axis = Axis::for_values(100.0, Some(100.0), true);
    let (labels, label_area) = category_labels(rows.iter().map(|(label, _)| label.as_str()), rtl);
    let legend = Legend::layout(series, rtl);

    let n = rows.len();
    let top = TOP + legend.height();
    let plot_h = ROW.saturating_mul(i32::try_from(n).unwrap_or(i32::MAX / ROW));
    let height = top.saturating_add(plot_h).saturating_add(AXIS_LABELS);
    // Beyond the axis end only half of the "100%" tick label needs room.
    let end_margin = 3 * GAP;
    let (plot_l, plot_r) = if rtl {
        (MARGIN + end_margin, W - MARGIN - label_area)
    } else {
        (MARGIN + label_area, W - MARGIN - end_margin)
    };

    render(height, locale, |root| {
        legend.draw(root, TOP, |root, x, y, i| {
            let swatch = [(x, y - SWATCH / 2), (x + SWATCH, y + SWATCH / 2)];
            root.draw(&Rectangle::new(
                swatch,
                hex(PALETTE[i % PALETTE.len()]).filled(),
            ))?;
            root.draw(&Rectangle::new(swatch, outline()))
        })?;
        let frame = Frame::new(
            root,
            (plot_l, plot_r),
            (top, top + plot_h),
            &axis,
            rtl,
            n as f64,
        )?;
        frame.value_grid(root, &axis, "%")?;
        for (i, ((_, counts), label)) in rows.iter().zip(&labels).enumerate() {
            let row = i as f64;
            let counts: Vec<f64> = (0..series.len())
                .map(|s| counts.get(s).copied().map_or(0.0, finite).max(0.0))
                .collect();
            let total: f64 = counts.iter().sum();
            let (yt, yb) = frame.bar_band(row);
            let y = frame.row_center(row);
            if total > 0.0 && total.is_finite() {
                let mut cumulative = 0.0;
                for (s, count) in counts.iter().enumerate() {
                    let start = cumulative / total * 100.0;
                    cumulative += count;
                    let end = cumulative / total * 100.0;
                    let (x0, x1) = (frame.x(start), frame.x(end));
                    let (left, right) = (x0.min(x1), x0.max(x1));
                    if *count <= 0.0 || left == right {
                        continue;
                    }
                    let colour = hex(PALETTE[s % PALETTE.len()]);
                    root.draw(&Rectangle::new([(left, yt), (right, yb)], colour.filled()))?;
                    root.draw(&Rectangle::new([(left, yt), (right, yb)], outline()))?;
                    // The share inside the segment when it fits.
                    let share = format!("{}%", format_number(end - start, 0));
                    if f64::from(right - left) >= text_width(&share, TICK_PX) + f64::from(GAP) {
                        let centre = (left + (right - left) / 2, y);
                        draw_text(
                            root,
                            &share,
                            centre,
                            TICK_PX,
                            on_colour(colour),
                            HPos::Center,
                            VPos::Center,
                        )?;
                    }
                }
            }
            frame.category_label(root, label, y)?;
        }
        frame.baseline(root)
    })
}

/// Lines over ordered x positions (trends across waves, or responses per day). `x_labels` are the
/// tick labels; each series is (name, one value per x position, None where there is no value: the
/// line breaks there). A legend when more than one series.
pub fn lines(
    x_labels: &[String],
    series: &[(String, Vec<Option<f64>>)],
    y_range: Option<(f64, f64)>,
    locale: Locale,
) -> String {
    let n = x_labels.len();
    if n == 0 {
        return empty(locale);
    }
    let rtl = is_rtl(locale);
    // Values per series and position, non-finite ones counted as 0.
    let values: Vec<Vec<Option<f64>>> = series
        .iter()
        .map(|(_, vs)| {
            (0..n)
                .map(|i| vs.get(i).copied().flatten().map(finite))
                .collect()
        })
        .collect();
    let all: Vec<f64> = values.iter().flatten().flatten().copied().collect();
    let axis = Axis::for_range(&all, y_range);

    let names: Vec<String> = series.iter().map(|(name, _)| name.clone()).collect();
    let legend = if series.len() > 1 {
        Legend::layout(&names, rtl)
    } else {
        Legend::default()
    };
    let ticks = axis.ticks();
    let tick_labels: Vec<String> = ticks.iter().map(|t| axis.format(*t)).collect();
    let y_label_w = tick_labels
        .iter()
        .map(|t| text_width(t, TICK_PX))
        .fold(0.0, f64::max) as i32
        + GAP
        + 4;

    let top = TOP + legend.height();
    let height = top + LINE_PLOT + AXIS_LABELS;
    let (plot_l, plot_r) = if rtl {
        (MARGIN + GAP, W - MARGIN - y_label_w)
    } else {
        (MARGIN + y_label_w, W - MARGIN - GAP)
    };
    let (plot_t, plot_b) = (top, top + LINE_PLOT);

    render(height, locale, |root| {
        legend.draw(root, TOP, |root, x, y, i| {
            let style = hex(PALETTE[i % PALETTE.len()]).stroke_width(2);
            root.draw(&PathElement::new(
                vec![(x - 3, y), (x + SWATCH + 3, y)],
                style,
            ))?;
            marker(root, i, (x + SWATCH / 2, y))
        })?;
        let area = root.margin(plot_t, height - plot_b, plot_l, W - plot_r);
        let last = (n - 1) as f64;
        let x_spec = if rtl {
            (last + 0.5)..-0.5
        } else {
            -0.5..(last + 0.5)
        };
        let chart = ChartBuilder::on(&area).build_cartesian_2d(x_spec, axis.start..axis.end)?;
        let at = |x: f64, y: f64| chart.backend_coord(&(x, y.clamp(axis.start, axis.end)));
        let base = at(0.0, axis.start).1;

        // Horizontal grid lines and the value labels beside them, then the x axis line.
        for (t, label) in ticks.iter().zip(&tick_labels) {
            let y = at(0.0, *t).1;
            if y != base {
                root.draw(&PathElement::new(
                    vec![(plot_l, y), (plot_r, y)],
                    GRID.stroke_width(1),
                ))?;
            }
            let (tx, anchor) = if rtl {
                (plot_r + GAP, HPos::Left)
            } else {
                (plot_l - GAP, HPos::Right)
            };
            draw_text(root, label, (tx, y), TICK_PX, TEXT, anchor, VPos::Center)?;
        }
        root.draw(&PathElement::new(
            vec![(plot_l, base), (plot_r, base)],
            AXIS.stroke_width(1),
        ))?;

        // The x labels, thinned out so that they do not overlap.
        let slot = f64::from(plot_r - plot_l) / n as f64;
        let fitted: Vec<String> = x_labels
            .iter()
            .map(|l| fit(l, 18, 140.0, TICK_PX, rtl))
            .collect();
        let widest = fitted
            .iter()
            .map(|l| text_width(l, TICK_PX))
            .fold(0.0, f64::max);
        let every = ((widest + f64::from(GAP)) / slot.max(1.0)).ceil().max(1.0) as usize;
        for (i, label) in fitted.iter().enumerate().filter(|(i, _)| i % every == 0) {
            let x = at(i as f64, axis.start).0;
            root.draw(&PathElement::new(
                vec![(x, base), (x, base + 4)],
                AXIS.stroke_width(1),
            ))?;
            draw_text(
                root,
                label,
                (x, base + GAP),
                TICK_PX,
                TEXT,
                HPos::Center,
                VPos::Top,
            )?;
        }

        // The lines, broken where a value is missing, with a marker on every value.
        for (s, vs) in values.iter().enumerate() {
            let style = hex(PALETTE[s % PALETTE.len()]).stroke_width(2);
            let mut run: Vec<(i32, i32)> = Vec::new();
            for (i, v) in vs.iter().enumerate() {
                match v {
                    Some(v) => run.push(at(i as f64, *v)),
                    None => {
                        let done = std::mem::take(&mut run);
                        if done.len() > 1 {
                            root.draw(&PathElement::new(done, style))?;
                        }
                    }
                }
            }
            if run.len() > 1 {
                root.draw(&PathElement::new(run, style))?;
            }
            for (i, v) in vs.iter().enumerate() {
                if let Some(v) = v {
                    marker(root, s, at(i as f64, *v))?;
                }
            }
        }
        Ok(())
    })
}

/// A chart with nothing to show: just the white background.
fn empty(locale: Locale) -> String {
    render(2 * MARGIN, locale, |_| Ok(()))
}

fn is_rtl(locale: Locale) -> bool {
    matches!(locale, Locale::Ar)
}

/// Draws on a white background of the chart's size and post-processes plotters' output.
fn render(height: i32, locale: Locale, draw: impl FnOnce(&Area<'_>) -> Drawn) -> String {
    let height = u32::try_from(height.max(1)).unwrap_or(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        // A drawing error cannot happen with a string target; if one did, the chart is merely
        // incomplete, which is better than no page.
        let _ = root.fill(&WHITE).and_then(|()| draw(&root));
        let _ = root.present();
    }
    finish(&svg, locale)
}

/// The plot area of a bar chart: the value axis runs along x (mirrored in Arabic), one row per
/// category along y, first category on top.
struct Frame {
    coord: Cartesian2d<RangedCoordf64, RangedCoordf64>,
    rtl: bool,
    top: i32,
    bottom: i32,
    /// Where the category labels are anchored: next to the axis, on the start side.
    label_x: i32,
}

impl Frame {
    fn new(
        root: &Area<'_>,
        (left, right): (i32, i32),
        (top, bottom): (i32, i32),
        axis: &Axis,
        rtl: bool,
        rows: f64,
    ) -> Result<Self, DrawingAreaErrorKind<std::io::Error>> {
        let (_, height) = root.dim_in_pixel();
        let height = i32::try_from(height).unwrap_or(i32::MAX);
        let area = root.margin(top, height - bottom, left, W - right);
        // Mirrored in Arabic: the value axis starts on the right.
        let x_spec = if rtl {
            axis.end..axis.start
        } else {
            axis.start..axis.end
        };
        // Row 0 at the top: plotters' y grows upwards, so the range runs from `rows` down to 0.
        let chart = ChartBuilder::on(&area).build_cartesian_2d(x_spec, rows..0.0)?;
        let label_x = if rtl { right + GAP } else { left - GAP };
        Ok(Self {
            coord: chart.as_coord_spec().clone(),
            rtl,
            top,
            bottom,
            label_x,
        })
    }

    fn x(&self, value: f64) -> i32 {
        self.coord.translate(&(value, 0.0)).0
    }

    fn row_center(&self, row: f64) -> i32 {
        self.coord.translate(&(0.0, row + 0.5)).1
    }

    /// The top and bottom of the bar in a row.
    fn bar_band(&self, row: f64) -> (i32, i32) {
        let centre = self.row_center(row);
        (centre - BAR / 2, centre + BAR / 2)
    }

    /// Vertical grid lines at the value ticks, with their labels under the plot.
    fn value_grid(&self, root: &Area<'_>, axis: &Axis, suffix: &str) -> Drawn {
        for t in axis.ticks() {
            let x = self.x(t);
            if t > axis.start {
                root.draw(&PathElement::new(
                    vec![(x, self.top), (x, self.bottom)],
                    GRID.stroke_width(1),
                ))?;
            }
            root.draw(&PathElement::new(
                vec![(x, self.bottom), (x, self.bottom + 4)],
                AXIS.stroke_width(1),
            ))?;
            let label = format!("{}{suffix}", axis.format(t));
            draw_text(
                root,
                &label,
                (x, self.bottom + GAP),
                TICK_PX,
                TEXT,
                HPos::Center,
                VPos::Top,
            )?;
        }
        Ok(())
    }

    /// The line the bars grow from (value 0).
    fn baseline(&self, root: &Area<'_>) -> Drawn {
        let x = self.x(0.0);
        root.draw(&PathElement::new(
            vec![(x, self.top), (x, self.bottom + 4)],
            AXIS.stroke_width(1),
        ))
    }

    fn category_label(&self, root: &Area<'_>, label: &str, y: i32) -> Drawn {
        // Right-aligned against the axis in English, left-aligned against it in Arabic (mirrored).
        let anchor = if self.rtl { HPos::Left } else { HPos::Right };
        draw_text(
            root,
            label,
            (self.label_x, y),
            LABEL_PX,
            TEXT,
            anchor,
            VPos::Center,
        )
    }
}

/// The fitted category labels and the width of the column they need (at most
/// [`MAX_LABEL_SHARE`] of the chart, the gap to the axis included).
fn category_labels<'a>(labels: impl Iterator<Item = &'a str>, rtl: bool) -> (Vec<String>, i32) {
    let budget = f64::from(W) * MAX_LABEL_SHARE - f64::from(GAP);
    let labels: Vec<String> = labels
        .map(|l| fit(l, MAX_LABEL_CHARS, budget, LABEL_PX, rtl))
        .collect();
    let widest = labels
        .iter()
        .map(|l| text_width(l, LABEL_PX))
        .fold(0.0, f64::max);
    (labels, (widest.ceil() as i32 + GAP).max(GAP))
}

/// A value axis: its range and the step between its ticks.
struct Axis {
    start: f64,
    end: f64,
    step: f64,
    decimals: usize,
}

impl Axis {
    fn new(start: f64, end: f64, step: f64) -> Self {
        let decimals = (0..=6)
            .find(|d| {
                let scaled = step * 10f64.powi(*d);
                (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
            })
            .unwrap_or(6);
        Self {
            start,
            end,
            step,
            decimals: usize::try_from(decimals).unwrap_or(6),
        }
    }

    /// From 0: to `max` when given, else to the largest value plus a little headroom, rounded
    /// up to a tick. Counts (`integers`) get whole-number ticks.
    fn for_values(largest: f64, max: Option<f64>, integers: bool) -> Self {
        if let Some(max) = max.filter(|m| m.is_finite() && *m > 0.0) {
            return Self::new(0.0, max, nice_step(max, integers));
        }
        let top = if largest > 0.0 { largest } else { 1.0 };
        let step = nice_step(top, integers);
        let end = ((top * 1.05) / step).ceil() * step;
        Self::new(0.0, end.max(step), step)
    }

    /// A given range when it is usable, else from the data (including 0) rounded out to ticks.
    fn for_range(values: &[f64], range: Option<(f64, f64)>) -> Self {
        if let Some((lo, hi)) = range.filter(|(lo, hi)| lo.is_finite() && hi.is_finite() && hi > lo)
        {
            return Self::new(lo, hi, nice_step(hi - lo, false));
        }
        let lo = values.iter().copied().fold(0.0, f64::min);
        let hi = values.iter().copied().fold(lo, f64::max);
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let integers = values.iter().all(|v| v.fract().abs() < 1e-9);
        let step = nice_step(hi - lo, integers);
        let start = (lo / step).floor() * step;
        let end = (hi / step).ceil() * step;
        Self::new(start, end.max(start + step), step)
    }

    /// The multiples of the step within the range (at most 50).
    fn ticks(&self) -> Vec<f64> {
        let eps = self.step * 1e-6;
        let first = (self.start / self.step - 1e-6).ceil();
        (0..50)
            .map(|i| (first + f64::from(i)) * self.step)
            .take_while(|t| *t <= self.end + eps)
            .collect()
    }

    fn format(&self, value: f64) -> String {
        format_number(value, self.decimals)
    }
}

/// A "nice" tick step (1, 2, 2.5 or 5 times a power of ten) giving about five ticks over `span`;
/// a whole number when `integers`.
fn nice_step(span: f64, integers: bool) -> f64 {
    let raw = span / 5.0;
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let normalised = raw / magnitude;
    // Counts get whole-number steps: no 2.5 below 10 and nothing below 1.
    let candidates: &[f64] = if integers && magnitude < 10.0 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0, 2.0, 2.5, 5.0]
    };
    let nice = candidates
        .iter()
        .copied()
        .find(|n| normalised <= *n + 1e-9)
        .unwrap_or(10.0);
    let step = nice * magnitude;
    if integers { step.max(1.0) } else { step }
}

/// A number with at most `decimals` decimals, trailing zeros dropped, never "-0".
fn format_number(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, finite(value));
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// A legend: the fitted series names, laid out in lines in reading order.
#[derive(Default)]
struct Legend {
    /// (line, offset of the item's start from the start margin, text).
    items: Vec<(i32, i32, String)>,
    lines: i32,
    rtl: bool,
}

impl Legend {
    fn layout(names: &[String], rtl: bool) -> Self {
        let available = f64::from(W - 2 * MARGIN);
        let key = f64::from(SWATCH + GAP);
        let mut items = Vec::with_capacity(names.len());
        let (mut line, mut offset) = (0, 0.0);
        for name in names {
            let text = fit(name, 30, available - key, LABEL_PX, rtl);
            let width = key + text_width(&text, LABEL_PX);
            if offset > 0.0 && offset + width > available {
                line += 1;
                offset = 0.0;
            }
            items.push((line, offset.round() as i32, text));
            offset += width + LEGEND_ITEM_GAP;
        }
        let lines = if items.is_empty() { 0 } else { line + 1 };
        Self { items, lines, rtl }
    }

    /// The height the legend takes above the plot, its spacing included.
    fn height(&self) -> i32 {
        if self.lines == 0 {
            0
        } else {
            self.lines * LEGEND_LINE + GAP
        }
    }

    /// Draws the items from `top`; `key` draws item i's key in the box starting at (x, y - 6),
    /// SWATCH wide (x is its left edge, y its vertical centre).
    fn draw(
        &self,
        root: &Area<'_>,
        top: i32,
        key: impl Fn(&Area<'_>, i32, i32, usize) -> Drawn,
    ) -> Drawn {
        for (i, (line, offset, text)) in self.items.iter().enumerate() {
            let y = top + line * LEGEND_LINE + LEGEND_LINE / 2;
            if self.rtl {
                let start = W - MARGIN - offset;
                key(root, start - SWATCH, y, i)?;
                draw_text(
                    root,
                    text,
                    (start - SWATCH - GAP, y),
                    LABEL_PX,
                    TEXT,
                    HPos::Right,
                    VPos::Center,
                )?;
            } else {
                let start = MARGIN + offset;
                key(root, start, y, i)?;
                draw_text(
                    root,
                    text,
                    (start + SWATCH + GAP, y),
                    LABEL_PX,
                    TEXT,
                    HPos::Left,
                    VPos::Center,
                )?;
            }
        }
        Ok(())
    }
}

/// A series marker: a different shape per series (circle, square, triangle, diamond), so that
/// the lines can be told apart without colour.
fn marker(root: &Area<'_>, series: usize, (x, y): (i32, i32)) -> Drawn {
    let style = hex(PALETTE[series % PALETTE.len()]).filled();
    match series % 4 {
        0 => root.draw(&Circle::new((x, y), 4, style)),
        1 => root.draw(&Rectangle::new([(x - 4, y - 4), (x + 4, y + 4)], style)),
        2 => root.draw(&Polygon::new(
            vec![(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)],
            style,
        )),
        _ => root.draw(&Polygon::new(
            vec![(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)],
            style,
        )),
    }
}

/// Text at a pixel position, anchored geometrically (`HPos::Left`: its left edge at x).
/// In Arabic, [`finish`] swaps `start`/`end` because the root element is `direction="rtl"`.
fn draw_text(
    root: &Area<'_>,
    text: &str,
    pos: (i32, i32),
    px: f64,
    colour: RGBColor,
    h: HPos,
    v: VPos,
) -> Drawn {
    if text.is_empty() {
        return Ok(());
    }
    // Keep the text inside the chart should the layout have misjudged (e.g. the last x label).
    let width = text_width(text, px).ceil() as i32;
    let (min_x, max_x) = match h {
        HPos::Left => (2, W - 2 - width),
        HPos::Right => (2 + width, W - 2),
        HPos::Center => (2 + width / 2, W - 2 - width / 2),
    };
    let pos = (pos.0.min(max_x).max(min_x), pos.1);
    // plotters' SVG backend writes `font-size` as the size divided by 1.24.
    let style = TextStyle::from((FONT, px * 1.24).into_font())
        .color(&colour)
        .pos(Pos::new(h, v));
    root.draw(&Text::new(text, pos, style))
}

/// The outline of stacked segments and legend swatches.
fn outline() -> ShapeStyle {
    TEXT.stroke_width(1)
}

/// "#RRGGBB" as a colour (black if malformed).
fn hex(colour: &str) -> RGBColor {
    let channel = |range| {
        colour
            .get(range)
            .and_then(|c| u8::from_str_radix(c, 16).ok())
            .unwrap_or(0)
    };
    RGBColor(channel(1..3), channel(3..5), channel(5..7))
}

/// Black or white, whichever contrasts more with the given fill.
fn on_colour(fill: RGBColor) -> RGBColor {
    let luminance = relative_luminance(fill);
    // Contrast with white: 1.05 / (L + 0.05); with black: (L + 0.05) / 0.05.
    if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 {
        WHITE
    } else {
        BLACK
    }
}

/// WCAG relative luminance.
fn relative_luminance(RGBColor(r, g, b): RGBColor) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// Non-finite values count as 0; magnitudes are capped at 10^15 (far beyond any count or mean)
/// so that sums and axis ends stay finite.
fn finite(value: f64) -> f64 {
    if value.is_finite() {
        value.clamp(-1e15, 1e15)
    } else {
        0.0
    }
}

/// A label made safe and short enough: control characters become spaces, runs of white space
/// collapse; at most `max_chars` characters (combining marks ride along with their letter) and
/// at most `max_px` wide by [`text_width`], else cut at a character boundary and ended with "…".
/// Text whose first strong character goes against the chart's direction is isolated (U+2068 …
/// U+2069), so that e.g. an English label's closing parenthesis stays at its end in Arabic.
fn fit(text: &str, max_chars: usize, max_px: f64, px: f64, rtl: bool) -> String {
    let clean = text
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let visible = clean.chars().filter(|c| char_em(*c) > 0.0).count();
    let fitted = if visible <= max_chars && text_width(&clean, px) <= max_px {
        clean
    } else {
        let budget = max_px - char_em('…') * px;
        let (mut out, mut width, mut count) = (String::new(), 0.0, 0);
        for c in clean.chars() {
            let w = char_em(c) * px;
            if w > 0.0 {
                if count + 1 >= max_chars || width + w > budget {
                    break;
                }
                count += 1;
            }
            out.push(c);
            width += w;
        }
        format!("{}…", out.trim_end())
    };
    let against = match first_strong(&fitted) {
        Some(strong_rtl) => strong_rtl != rtl,
        None => false,
    };
    if against {
        format!("\u{2068}{fitted}\u{2069}")
    } else {
        fitted
    }
}

/// Whether the first strongly directional character is right-to-left (None: there is none).
fn first_strong(text: &str) -> Option<bool> {
    text.chars().find_map(|c| {
        if is_rtl_char(c) {
            Some(true)
        } else if c.is_alphabetic() {
            Some(false)
        } else {
            None
        }
    })
}

fn is_rtl_char(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        && !is_zero_width(c)
        && !c.is_numeric()
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FE00}'..='\u{FE0F}'
    )
}

/// Estimated advance of a character in em, on the generous side for common sans-serif fonts
/// (DejaVu Sans, among the widest, averages 0.6 em on English and 0.45 em on Arabic labels at
/// 13 px); plotters without a font library counts bytes, which doubles Arabic.
fn char_em(c: char) -> f64 {
    match c {
        c if is_zero_width(c) => 0.0,
        'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | '`' => 0.3,
        ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.4,
        'm' | 'w' | 'M' | 'W' | '%' | '@' | '…' => 1.0,
        'A'..='Z' => 0.72,
        '0'..='9' => 0.64,
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}' => 0.52,
        c if u32::from(c) >= 0x2E80 => 1.0,
        _ => 0.6,
    }
}

/// Estimated width of a text in pixels at `px` pixels.
fn text_width(text: &str, px: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * px
}

/// Post-processes plotters' SVG: adds `direction` and `xml:lang` to the root (explicit in both
/// languages, so an inline chart does not inherit the page's direction), swaps `text-anchor`
/// start/end in Arabic (the code anchors geometrically, `direction="rtl"` flips their meaning),
/// rounds `font-size`, drops `opacity="1"`, and removes the newlines plotters puts inside `<text>`.
fn finish(raw: &str, locale: Locale) -> String {
    let rtl = is_rtl(locale);
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some((content, after)) = rest.split_once('<') {
        // Between tags there is only plotters' newline, except inside <text>.
        out.push_str(content.trim_matches('\n'));
        let Some((tag, tail)) = after.split_once('>') else {
            break;
        };
        rest = tail;
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, attributes) = tag.split_once(' ').unwrap_or((tag, ""));
        out.push('<');
        out.push_str(name);
        for (key, value) in parse_attributes(attributes) {
            let value = match key {
                "opacity" if value == "1" => continue,
                "font-size" => format_number(value.parse().unwrap_or(LABEL_PX), 1),
                "text-anchor" if rtl => match value {
                    "start" => "end".to_owned(),
                    "end" => "start".to_owned(),
                    other => other.to_owned(),
                },
                _ => value.to_owned(),
            };
            out.push_str(&format!(" {key}=\"{value}\""));
        }
        if name == "svg" {
            out.push_str(&format!(
                " direction=\"{}\" xml:lang=\"{}\"",
                locale.dir(),
                locale.code()
            ));
        }
        out.push_str(if self_closing { "/>" } else { ">" });
        if name != "text" {
            out.push('\n');
        }
    }
    out
}

/// `key="value"` pairs as plotters writes them (values already escaped, so without quotes).
fn parse_attributes(mut text: &str) -> Vec<(&str, &str)> {
    let mut attributes = Vec::new();
    while let Some((key, after)) = text.split_once("=\"") {
        let Some((value, tail)) = after.split_once('"') else {
            break;
        };
        attributes.push((key.trim(), value));
        text = tail;
    }
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCALES: [Locale; 2] = [Locale::En, Locale::Ar];
    const SNAPSHOTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/results/snapshots");

    #[test]
    fn labels_are_escaped_so_only_our_svg_reaches_the_page() {
        let bar = Bar {
            label: "<img src=x onerror=alert(1)> & \"q\"".to_owned(),
            value: 3.0,
            display: "<b>3</b>".to_owned(),
        };
        for locale in LOCALES {
            let svg = bars(std::slice::from_ref(&bar), None, locale);
            assert!(!svg.contains("<img") && !svg.contains("<b>"), "{svg}");
            assert!(svg.contains("&lt;img"), "{svg}");
            let svg = stacked(
                &[(bar.label.clone(), vec![1.0])],
                std::slice::from_ref(&bar.display),
                locale,
            );
            assert!(!svg.contains("<img") && !svg.contains("<b>"), "{svg}");
        }
    }

    /// Compares with `snapshots/<name>.svg`, or (re)writes it when `UPDATE_SNAPSHOTS=1`.
    fn snapshot(name: &str, svg: &str) {
        let path = format!("{SNAPSHOTS}/{name}.svg");
        if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
            std::fs::create_dir_all(SNAPSHOTS).expect("create the snapshot directory");
            std::fs::write(&path, svg).expect("write the snapshot");
            return;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "missing snapshot {path} ({e}); run the tests with UPDATE_SNAPSHOTS=1 to create it"
            )
        });
        assert!(
            expected == svg,
            "{name}: the chart differs from {path}; if the change is intended, rerun with \
             UPDATE_SNAPSHOTS=1 and review the diff\n--- got:\n{svg}"
        );
    }

    /// XML-escapes like plotters does, to find a label in the output.
    fn escaped(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&apos;")
    }

    fn attribute(tag: &str, key: &str) -> Option<f64> {
        parse_attributes(tag)
            .into_iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.parse().ok())
    }

    /// (x, text-anchor, content) of every <text>.
    fn texts(svg: &str) -> Vec<(f64, String, String)> {
        svg.split("<text ")
            .skip(1)
            .filter_map(|chunk| {
                let (tag, rest) = chunk.split_once('>')?;
                let (content, _) = rest.split_once("</text>")?;
                let anchor = parse_attributes(tag)
                    .into_iter()
                    .find(|(k, _)| *k == "text-anchor")?
                    .1
                    .to_owned();
                Some((attribute(tag, "x")?, anchor, content.to_owned()))
            })
            .collect()
    }

    /// (x, width) of the filled rectangles of a colour, in document order.
    fn rects(svg: &str, fill: &str) -> Vec<(f64, f64)> {
        svg.split("<rect ")
            .skip(1)
            .filter_map(|chunk| chunk.split_once("/>").map(|(tag, _)| tag))
            .filter(|tag| tag.contains(&format!("fill=\"{fill}\"")))
            .filter_map(|tag| Some((attribute(tag, "x")?, attribute(tag, "width")?)))
            .collect()
    }

    fn x_of(svg: &str, content: &str) -> f64 {
        texts(svg)
            .into_iter()
            .find(|(_, _, c)| c.contains(content))
            .map_or(f64::NAN, |(x, _, _)| x)
    }

    fn well_formed(svg: &str) {
        assert!(svg.starts_with("<svg "), "starts with <svg: {svg}");
        assert!(
            svg.trim_end().ends_with("</svg>"),
            "ends with </svg>: {svg}"
        );
        assert!(
            svg.contains(&format!("viewBox=\"0 0 {WIDTH} ")),
            "has a viewBox: {svg}"
        );
        assert!(!svg.contains("style="), "no style attribute: {svg}");
        assert!(
            !svg.contains("<script") && !svg.contains("href"),
            "nothing external: {svg}"
        );
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
        assert!(
            !svg.contains("font-size=\"13.0000"),
            "font sizes are rounded: {svg}"
        );
    }

    fn sample_bars(locale: Locale) -> Vec<Bar> {
        let labels: [&str; 4] = match locale {
            Locale::Ar => [
                "موظف حكومي",
                "طالب",
                "قطاع خاص",
                "صاحب عمل حر (مستقل) في مجال التجارة الإلكترونية والخدمات الرقمية",
            ],
            Locale::En => [
                "Government employee",
                "Student",
                "Private sector",
                "Self-employed (freelance) in e-commerce & digital services",
            ],
        };
        let values = [42.0, 30.0, 17.0, 3.0];
        labels
            .iter()
            .zip(values)
            .map(|(label, value)| Bar {
                label: (*label).to_owned(),
                value,
                display: format!("{value} ({}%)", format_number(value / 92.0 * 100.0, 0)),
            })
            .collect()
    }

    fn sample_stacked(locale: Locale) -> (Vec<(String, Vec<f64>)>, Vec<String>) {
        let (rows, series): ([&str; 3], [&str; 5]) = match locale {
            Locale::Ar => (
                [
                    "سهولة الوصول إلى الخدمات",
                    "جودة المعلومات المنشورة",
                    "سرعة الاستجابة",
                ],
                ["غير راضٍ إطلاقاً", "غير راضٍ", "محايد", "راضٍ", "راضٍ جداً"],
            ),
            Locale::En => (
                [
                    "Ease of access to services",
                    "Quality of published information",
                    "Response time",
                ],
                [
                    "Very dissatisfied",
                    "Dissatisfied",
                    "Neutral",
                    "Satisfied",
                    "Very satisfied",
                ],
            ),
        };
        let counts = [
            vec![5.0, 10.0, 20.0, 40.0, 25.0],
            vec![1.0, 2.0, 3.0, 4.0, 30.0],
            vec![0.0; 5],
        ];
        (
            rows.iter()
                .zip(counts)
                .map(|(r, c)| ((*r).to_owned(), c))
                .collect(),
            series.iter().map(|s| (*s).to_owned()).collect(),
        )
    }

    type LineData = (Vec<String>, Vec<(String, Vec<Option<f64>>)>);

    fn sample_lines(locale: Locale) -> LineData {
        let (waves, names): ([&str; 5], [&str; 2]) = match locale {
            Locale::Ar => (
                ["الموجة 1", "الموجة 2", "الموجة 3", "الموجة 4", "الموجة 5"],
                ["الرياض", "جدة"],
            ),
            Locale::En => (
                ["Wave 1", "Wave 2", "Wave 3", "Wave 4", "Wave 5"],
                ["Riyadh", "Jeddah"],
            ),
        };
        (
            waves.iter().map(|w| (*w).to_owned()).collect(),
            vec![
                (
                    names[0].to_owned(),
                    vec![Some(3.2), Some(3.5), None, Some(3.9), Some(4.1)],
                ),
                (
                    names[1].to_owned(),
                    vec![Some(2.8), Some(3.0), Some(3.4), Some(3.3), Some(3.6)],
                ),
            ],
        )
    }

    #[test]
    fn bars_snapshots() {
        for locale in LOCALES {
            let data = sample_bars(locale);
            let svg = bars(&data, None, locale);
            well_formed(&svg);
            let (shown, _) = category_labels(data.iter().map(|b| b.label.as_str()), is_rtl(locale));
            for (bar, shown) in data.iter().zip(&shown) {
                assert!(
                    svg.contains(&escaped(shown)),
                    "{locale:?}: label {shown:?} in {svg}"
                );
                let kept = shown.trim_end_matches('…');
                assert!(
                    bar.label.starts_with(kept),
                    "{locale:?}: {shown:?} is a prefix of the label"
                );
                assert!(
                    svg.contains(&escaped(&bar.display)),
                    "{locale:?}: {:?} in {svg}",
                    bar.display
                );
            }
            snapshot(&format!("bars-{}", locale.code()), &svg);
        }
    }

    #[test]
    fn bars_mirror_in_arabic() {
        for locale in LOCALES {
            let data = sample_bars(locale);
            let svg = bars(&data, Some(100.0), locale);
            let bar_rects = rects(&svg, PALETTE[0]);
            assert_eq!(bar_rects.len(), data.len(), "{svg}");
            let (bar_x, bar_w) = bar_rects[0];
            let label_x = x_of(&svg, &data[0].label);
            let display_x = x_of(&svg, &escaped(&data[0].display));
            let labels = texts(&svg);
            let label_anchor = &labels
                .iter()
                .find(|(_, _, c)| c.contains(&data[0].label))
                .expect("label drawn")
                .1;
            match locale {
                Locale::Ar => {
                    // The bar starts at its right edge: the label is right of that, the value
                    // left of the bar's end.
                    assert!(
                        label_x >= bar_x + bar_w,
                        "label {label_x} right of bar start {}",
                        bar_x + bar_w
                    );
                    assert!(
                        display_x < bar_x,
                        "value {display_x} left of the bar's end {bar_x}"
                    );
                    assert!(svg.contains("direction=\"rtl\""));
                    // Geometric left edge at x under direction="rtl" is `end`.
                    assert_eq!(label_anchor, "end");
                }
                Locale::En => {
                    assert!(
                        label_x <= bar_x,
                        "label {label_x} left of bar start {bar_x}"
                    );
                    assert!(
                        display_x > bar_x + bar_w,
                        "value {display_x} right of the bar's end"
                    );
                    assert!(svg.contains("direction=\"ltr\""));
                    assert_eq!(label_anchor, "end");
                }
            }
            // Bars in order, longest first here.
            assert!(
                bar_rects.windows(2).all(|w| w[0].1 >= w[1].1),
                "{bar_rects:?}"
            );
        }
    }

    #[test]
    fn stacked_snapshots() {
        for locale in LOCALES {
            let (rows, series) = sample_stacked(locale);
            let svg = stacked(&rows, &series, locale);
            well_formed(&svg);
            for label in rows.iter().map(|(l, _)| l).chain(&series) {
                assert!(
                    svg.contains(&escaped(label)),
                    "{locale:?}: {label:?} in {svg}"
                );
            }
            // Series order follows the reading direction.
            let first = rects(&svg, PALETTE[0]);
            let second = rects(&svg, PALETTE[1]);
            // [0] is the legend swatch, [1] the first row's segment.
            assert!(first.len() >= 2 && second.len() >= 2, "{svg}");
            match locale {
                Locale::Ar => assert!(first[1].0 > second[1].0, "{first:?} {second:?}"),
                Locale::En => assert!(first[1].0 < second[1].0, "{first:?} {second:?}"),
            }
            // The row with total 0 has no segments: 2 rows with segments plus the swatch.
            assert_eq!(first.len(), 3, "{svg}");
            snapshot(&format!("stacked-{}", locale.code()), &svg);
        }
    }

    #[test]
    fn lines_snapshots() {
        for locale in LOCALES {
            let (waves, series) = sample_lines(locale);
            let svg = lines(&waves, &series, Some((1.0, 5.0)), locale);
            well_formed(&svg);
            for label in waves.iter().chain(series.iter().map(|(name, _)| name)) {
                assert!(
                    svg.contains(&escaped(label)),
                    "{locale:?}: {label:?} in {svg}"
                );
            }
            // The gap breaks the first series: two polylines, plus the legend's sample line.
            let first_colour = format!("stroke=\"{}\"", PALETTE[0]);
            let polylines = svg
                .split("<polyline")
                .skip(1)
                .filter(|p| p.contains(&first_colour))
                .count();
            assert_eq!(polylines, 3, "{svg}");
            let (first, last) = (x_of(&svg, &waves[0]), x_of(&svg, &waves[4]));
            match locale {
                Locale::Ar => assert!(first > last, "first wave on the right: {first} {last}"),
                Locale::En => assert!(first < last, "first wave on the left: {first} {last}"),
            }
            snapshot(&format!("lines-{}", locale.code()), &svg);
        }
    }

    #[test]
    fn empty_and_degenerate_inputs_do_not_panic() {
        for locale in LOCALES {
            for svg in [
                bars(&[], None, locale),
                bars(&[], Some(100.0), locale),
                stacked(&[], &[], locale),
                stacked(&[("x".to_owned(), vec![])], &[], locale),
                stacked(
                    &[("x".to_owned(), vec![1.0, f64::NAN, f64::INFINITY, -3.0])],
                    &["a".to_owned()],
                    locale,
                ),
                lines(&[], &[], None, locale),
                lines(&["a".to_owned()], &[], None, locale),
                lines(
                    &["a".to_owned()],
                    &[("s".to_owned(), vec![])],
                    Some((f64::NAN, 1.0)),
                    locale,
                ),
                lines(
                    &["a".to_owned(), "b".to_owned()],
                    &[("s".to_owned(), vec![None, Some(f64::NAN)])],
                    Some((5.0, 5.0)),
                    locale,
                ),
                lines(
                    &["a".to_owned()],
                    &[("s".to_owned(), vec![Some(f64::NEG_INFINITY), Some(2.0)])],
                    None,
                    locale,
                ),
                bars(
                    &[
                        Bar {
                            label: String::new(),
                            value: f64::NAN,
                            display: String::new(),
                        },
                        Bar {
                            label: "\u{0}\n\t".to_owned(),
                            value: f64::INFINITY,
                            display: "<&>".to_owned(),
                        },
                        Bar {
                            label: "big".to_owned(),
                            value: 1e300,
                            display: "x".to_owned(),
                        },
                        Bar {
                            label: "max".to_owned(),
                            value: f64::MAX,
                            display: "x".to_owned(),
                        },
                    ],
                    Some(f64::NAN),
                    locale,
                ),
                bars(
                    &[Bar {
                        label: "zero".to_owned(),
                        value: 0.0,
                        display: "0".to_owned(),
                    }],
                    Some(-1.0),
                    locale,
                ),
            ] {
                well_formed(&svg);
                assert!(!svg.contains('\u{0}'));
                assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            }
        }
    }

    #[test]
    fn long_labels_are_truncated_at_a_char_boundary() {
        let long = "تقييم مستوى رضا المستفيدين عن الخدمات الإلكترونية المقدمة عبر البوابة";
        assert!(long.chars().count() >= 60);
        for locale in LOCALES {
            let label = fit(long, MAX_LABEL_CHARS, 10_000.0, LABEL_PX, is_rtl(locale));
            let core = label
                .trim_start_matches('\u{2068}')
                .trim_end_matches('\u{2069}');
            assert!(core.ends_with('…'), "{label}");
            let kept = core.trim_end_matches('…');
            assert!(long.starts_with(kept), "{kept}");
            assert!(
                core.chars().count() <= MAX_LABEL_CHARS,
                "{}",
                core.chars().count()
            );
            let svg = bars(
                &[Bar {
                    label: long.to_owned(),
                    value: 1.0,
                    display: "1".to_owned(),
                }],
                None,
                locale,
            );
            assert!(!svg.contains(long));
            let drawn = texts(&svg)
                .into_iter()
                .find(|(_, _, c)| c.contains('…'))
                .expect("a truncated label")
                .2;
            let drawn = drawn
                .trim_start_matches('\u{2068}')
                .trim_end_matches('\u{2069}');
            assert!(long.starts_with(drawn.trim_end_matches('…')), "{drawn}");
            assert!(drawn.chars().count() <= MAX_LABEL_CHARS, "{drawn}");
        }
        // By width too: 40 wide capitals do not fit the label column.
        let wide = "W".repeat(40);
        let label = fit(&wide, MAX_LABEL_CHARS, 200.0, LABEL_PX, false);
        assert!(text_width(&label, LABEL_PX) <= 200.0, "{label}");
        // Combining marks stay with their letter, and short labels are left alone.
        assert_eq!(fit("مُحَمَّد", 3, 10_000.0, LABEL_PX, true), "مُحَ…");
        assert_eq!(fit("  Yes \n no ", 40, 10_000.0, LABEL_PX, false), "Yes no");
        // Against the chart's direction: isolated.
        assert_eq!(
            fit("Other (IT)", 40, 10_000.0, LABEL_PX, true),
            "\u{2068}Other (IT)\u{2069}"
        );
        assert_eq!(fit("42 (35%)", 40, 10_000.0, LABEL_PX, true), "42 (35%)");
    }

    #[test]
    fn axis_numbers_are_short_and_round() {
        let axis = Axis::for_values(42.0, None, true);
        assert_eq!(
            axis.ticks()
                .iter()
                .map(|t| axis.format(*t))
                .collect::<Vec<_>>(),
            ["0", "10", "20", "30", "40", "50"]
        );
        let axis = Axis::for_range(&[], Some((1.0, 5.0)));
        let ticks: Vec<String> = axis.ticks().iter().map(|t| axis.format(*t)).collect();
        assert_eq!(ticks, ["1", "2", "3", "4", "5"]);
        let axis = Axis::for_range(&[0.3, 2.4], None);
        let ticks: Vec<String> = axis.ticks().iter().map(|t| axis.format(*t)).collect();
        assert_eq!(ticks, ["0", "0.5", "1", "1.5", "2", "2.5"]);
        let axis = Axis::for_values(1.0, None, true);
        assert!((axis.step - 1.0).abs() < 1e-12);
        // Counts never get 2.5 steps; means may.
        assert!((Axis::for_range(&[12.0], None).step - 5.0).abs() < 1e-12);
        assert!((Axis::for_range(&[12.5], None).step - 2.5).abs() < 1e-12);
        assert_eq!(format_number(-0.0001, 2), "0");
    }

    #[test]
    fn palette_contrast() {
        let contrast = |c: &str| 1.05 / (relative_luminance(hex(c)) + 0.05);
        assert!(contrast(PALETTE[0]) >= 4.5);
        assert!(
            PALETTE[..5].iter().all(|c| contrast(c) >= 3.0),
            "the first five are >= 3:1"
        );
        assert!(contrast("#F0E442") < 3.0);
        assert_eq!(on_colour(hex("#0072B2")), WHITE);
        assert_eq!(on_colour(hex("#F0E442")), BLACK);
    }

    #[test]
    fn deterministic() {
        let data = sample_bars(Locale::Ar);
        assert_eq!(bars(&data, None, Locale::Ar), bars(&data, None, Locale::Ar));
    }
}
