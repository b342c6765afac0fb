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
//!
//! The bar charts are here; the line chart is in `lines`, the bar charts' plot area and value
//! axis in `frame`, the legend, markers, text and colours in `draw`, text measuring and the
//! final pass over plotters' SVG in `text`; the tests and their snapshots in `tests`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::Locale;

use draw::{Legend, draw_text, finite, hex, on_colour, outline};
use frame::{Axis, Frame, category_labels, format_number};
pub use lines::lines;
use text::{finish, fit, text_width};

mod draw;
mod frame;
mod lines;
#[cfg(test)]
mod tests;
mod text;

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
pub const WIDTH: u32 = 800;
const W: i32 = WIDTH as i32;
/// Horizontal margin on both sides, and the top margin.
const MARGIN: i32 = 16;
const TOP: i32 = 12;
/// Space between a label and what it labels.
const GAP: i32 = 8;
const FONT: &str = "system-ui, sans-serif";
const LABEL_PX: f64 = 14.0;
const TICK_PX: f64 = 14.0;
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
const ROW: i32 = 32;
const BAR: i32 = 20;
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

/// Horizontal bars of percentages: the axis runs from 0 to just past the largest share (at
/// most 100 %), its ticks marked "%".
pub fn shares(bars: &[Bar], locale: Locale) -> String {
    horizontal(bars, Some(100.0), "%", locale)
}

/// Horizontal bars, one per item, in the given order top to bottom. The value axis runs to
/// the largest value plus headroom, never beyond `max` (e.g. the scale's top for mean ranks).
pub fn bars(bars: &[Bar], max: Option<f64>, locale: Locale) -> String {
    horizontal(bars, max, "", locale)
}

fn horizontal(bars: &[Bar], max: Option<f64>, suffix: &str, locale: Locale) -> String {
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
        frame.value_grid(root, &axis, suffix)?;
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
