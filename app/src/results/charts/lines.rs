//! The line chart (trends across waves, responses per day): a value axis on the start side, x
//! positions mirrored in Arabic, a line per series broken where a value is missing, a marker of
//! a different shape per series, a legend when there is more than one.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{Legend, draw_text, finite, hex, marker};
use super::frame::{Axis, format_number};
use super::text::{fit, text_width};
use super::{
    AXIS, AXIS_LABELS, Area, Drawn, GAP, GRID, LINE_PLOT, MARGIN, PALETTE, SWATCH, TEXT, TICK_PX,
    TOP, W, empty, is_rtl, render,
};
use crate::Locale;

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

    // A single short line has its values written above the points: room for the top one.
    let labelled = values.len() == 1 && n <= MAX_LABELLED_POINTS;
    let top = TOP + legend.height() + if labelled { TICK_PX as i32 + GAP } else { 0 };
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

        value_grid(root, &ticks, &tick_labels, (plot_l, plot_r), base, rtl, &at)?;
        x_labels_under(
            root,
            x_labels,
            (plot_l, plot_r),
            (base, axis.start),
            rtl,
            &at,
        )?;
        series_lines(root, &values, &at)?;
        if labelled {
            point_labels(root, &values[0], &at)?;
        }
        Ok(())
    })
}

/// A single line with at most this many points has each point's value written above it.
const MAX_LABELLED_POINTS: usize = 16;

/// Each value written just above its marker (one decimal at most, a minus kept on the left).
fn point_labels(
    root: &Area<'_>,
    values: &[Option<f64>],
    at: &impl Fn(f64, f64) -> (i32, i32),
) -> Drawn {
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            let (x, y) = at(i as f64, *v);
            let label = crate::numbers::ltr_number(format_number(*v, 1));
            draw_text(
                root,
                &label,
                (x, y - GAP),
                TICK_PX,
                TEXT,
                HPos::Center,
                VPos::Bottom,
            )?;
        }
    }
    Ok(())
}

/// Horizontal grid lines at the value ticks and their labels beside the plot (on the start
/// side), then the x axis line at `base`.
fn value_grid(
    root: &Area<'_>,
    ticks: &[f64],
    tick_labels: &[String],
    (plot_l, plot_r): (i32, i32),
    base: i32,
    rtl: bool,
    at: &impl Fn(f64, f64) -> (i32, i32),
) -> Drawn {
    for (t, label) in ticks.iter().zip(tick_labels) {
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
    ))
}

/// The x labels under the axis (at `base`, the value axis' `start`), thinned out so that they do
/// not overlap.
fn x_labels_under(
    root: &Area<'_>,
    x_labels: &[String],
    (plot_l, plot_r): (i32, i32),
    (base, start): (i32, f64),
    rtl: bool,
    at: &impl Fn(f64, f64) -> (i32, i32),
) -> Drawn {
    let n = x_labels.len();
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
        let x = at(i as f64, start).0;
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
    Ok(())
}

/// The lines, broken where a value is missing, with a marker on every value.
fn series_lines(
    root: &Area<'_>,
    values: &[Vec<Option<f64>>],
    at: &impl Fn(f64, f64) -> (i32, i32),
) -> Drawn {
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
}
