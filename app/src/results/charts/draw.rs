//! Drawing primitives shared by the charts: the legend, the series markers, anchored text, and
//! the colours (hex parsing, contrast, outlines), plus the rule that non-finite values count as 0.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::text::{fit, text_width};
use super::{
    Area, Drawn, FONT, GAP, LABEL_PX, LEGEND_ITEM_GAP, LEGEND_LINE, MARGIN, PALETTE, SWATCH, TEXT,
    W,
};

/// A legend: the fitted series names, laid out in lines in reading order.
#[derive(Default)]
pub(super) struct Legend {
    /// (line, offset of the item's start from the start margin, text).
    items: Vec<(i32, i32, String)>,
    lines: i32,
    rtl: bool,
}

impl Legend {
    pub(super) fn layout(names: &[String], rtl: bool) -> Self {
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
    pub(super) fn height(&self) -> i32 {
        if self.lines == 0 {
            0
        } else {
            self.lines * LEGEND_LINE + GAP
        }
    }

    /// Draws the items from `top`; `key` draws item i's key in the box starting at (x, y - 6),
    /// SWATCH wide (x is its left edge, y its vertical centre).
    pub(super) fn draw(
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
pub(super) fn marker(root: &Area<'_>, series: usize, (x, y): (i32, i32)) -> Drawn {
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
pub(super) fn draw_text(
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
pub(super) fn outline() -> ShapeStyle {
    TEXT.stroke_width(1)
}

/// "#RRGGBB" as a colour (black if malformed).
pub(super) fn hex(colour: &str) -> RGBColor {
    let channel = |range| {
        colour
            .get(range)
            .and_then(|c| u8::from_str_radix(c, 16).ok())
            .unwrap_or(0)
    };
    RGBColor(channel(1..3), channel(3..5), channel(5..7))
}

/// Black or white, whichever contrasts more with the given fill.
pub(super) fn on_colour(fill: RGBColor) -> RGBColor {
    let luminance = relative_luminance(fill);
    // Contrast with white: 1.05 / (L + 0.05); with black: (L + 0.05) / 0.05.
    if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 {
        WHITE
    } else {
        BLACK
    }
}

/// WCAG relative luminance.
pub(super) fn relative_luminance(RGBColor(r, g, b): RGBColor) -> f64 {
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
pub(super) fn finite(value: f64) -> f64 {
    if value.is_finite() {
        value.clamp(-1e15, 1e15)
    } else {
        0.0
    }
}
