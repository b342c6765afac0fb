//! Text without a font library: a conservative width estimate, labels cut to fit with "…" and
//! isolated when they run against the chart's direction, and the final pass over plotters' SVG
//! (direction, language, anchors swapped in Arabic, tidier attributes).

use super::frame::format_number;
use super::{LABEL_PX, is_rtl};
use crate::Locale;

/// A label made safe and short enough: control characters become spaces, runs of white space
/// collapse; at most `max_chars` characters (combining marks ride along with their letter) and
/// at most `max_px` wide by [`text_width`], else cut at a character boundary and ended with "…".
/// Text whose first strong character goes against the chart's direction is isolated (U+2068 …
/// U+2069), so that e.g. an English label's closing parenthesis stays at its end in Arabic.
pub(super) fn fit(text: &str, max_chars: usize, max_px: f64, px: f64, rtl: bool) -> String {
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
pub(super) fn text_width(text: &str, px: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * px
}

/// Post-processes plotters' SVG: adds `direction` and `xml:lang` to the root (explicit in both
/// languages, so an inline chart does not inherit the page's direction), swaps `text-anchor`
/// start/end in Arabic (the code anchors geometrically, `direction="rtl"` flips their meaning),
/// rounds `font-size`, drops `opacity="1"`, and removes the newlines plotters puts inside `<text>`.
pub(super) fn finish(raw: &str, locale: Locale) -> String {
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
pub(super) fn parse_attributes(mut text: &str) -> Vec<(&str, &str)> {
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
