//! The plot area of the bar charts and the value axis of every chart: where a value, a row
//! and a category label go, the tick steps and how their numbers are written.

use plotters::coord::CoordTranslate;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{draw_text, finite};
use super::text::{fit, text_width};
use super::{
    AXIS, Area, BAR, Drawn, GAP, GRID, LABEL_PX, MAX_LABEL_CHARS, MAX_LABEL_SHARE, TEXT, TICK_PX, W,
};

/// The plot area of a bar chart: the value axis runs along x (mirrored in Arabic), one row per
/// category along y, first category on top.
pub(super) struct Frame {
    coord: Cartesian2d<RangedCoordf64, RangedCoordf64>,
    rtl: bool,
    top: i32,
    bottom: i32,
    /// Where the category labels are anchored: next to the axis, on the start side.
    label_x: i32,
}

impl Frame {
    pub(super) fn new(
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

    pub(super) fn x(&self, value: f64) -> i32 {
        self.coord.translate(&(value, 0.0)).0
    }

    pub(super) fn row_center(&self, row: f64) -> i32 {
        self.coord.translate(&(0.0, row + 0.5)).1
    }

    /// The top and bottom of the bar in a row.
    pub(super) fn bar_band(&self, row: f64) -> (i32, i32) {
        let centre = self.row_center(row);
        (centre - BAR / 2, centre + BAR / 2)
    }

    /// Vertical grid lines at the value ticks, with their labels under the plot.
    pub(super) fn value_grid(&self, root: &Area<'_>, axis: &Axis, suffix: &str) -> Drawn {
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
    pub(super) fn baseline(&self, root: &Area<'_>) -> Drawn {
        let x = self.x(0.0);
        root.draw(&PathElement::new(
            vec![(x, self.top), (x, self.bottom + 4)],
            AXIS.stroke_width(1),
        ))
    }

    pub(super) fn category_label(&self, root: &Area<'_>, label: &str, y: i32) -> Drawn {
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
pub(super) fn category_labels<'a>(
    labels: impl Iterator<Item = &'a str>,
    rtl: bool,
) -> (Vec<String>, i32) {
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
pub(super) struct Axis {
    pub(super) start: f64,
    pub(super) end: f64,
    pub(super) step: f64,
    decimals: usize,
}

impl Axis {
    pub(super) fn new(start: f64, end: f64, step: f64) -> Self {
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

    /// From 0 to the largest value plus a little headroom, rounded up to a tick, so the
    /// largest bar fills most of the plot; never beyond `max` when given (e.g. 100 for
    /// percentages, the scale's top for mean ranks). Counts (`integers`) get whole-number
    /// ticks.
    pub(super) fn for_values(largest: f64, max: Option<f64>, integers: bool) -> Self {
        let max = max.filter(|m| m.is_finite() && *m > 0.0);
        let top = match (largest > 0.0, max) {
            (true, Some(max)) => largest.min(max),
            (true, None) => largest,
            (false, Some(max)) => max,
            (false, None) => 1.0,
        };
        let step = nice_step(top, integers);
        let end = (((top * 1.05) / step).ceil() * step).max(step);
        match max {
            Some(max) if end >= max => Self::new(0.0, max, nice_step(max, integers)),
            _ => Self::new(0.0, end, step),
        }
    }

    /// A given range when it is usable, else from the data (including 0) rounded out to ticks.
    pub(super) fn for_range(values: &[f64], range: Option<(f64, f64)>) -> Self {
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
    pub(super) fn ticks(&self) -> Vec<f64> {
        let eps = self.step * 1e-6;
        let first = (self.start / self.step - 1e-6).ceil();
        (0..50)
            .map(|i| (first + f64::from(i)) * self.step)
            .take_while(|t| *t <= self.end + eps)
            .collect()
    }

    /// An axis label: a negative value keeps its minus on the left in Arabic.
    pub(super) fn format(&self, value: f64) -> String {
        crate::numbers::ltr_number(format_number(value, self.decimals))
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
pub(super) fn format_number(value: f64, decimals: usize) -> String {
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
