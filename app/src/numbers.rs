//! Numbers as people type them, in Arabic or English: the one parser every form uses (answers,
//! the editor's ranges and rules, results targets), compiled for the server and the browser;
//! and numbers as people read them in a right-to-left page ([`ltr_number`]).
//!
//! The rules, so one text never means two numbers:
//! - digits may be ASCII, Arabic-Indic (`٠`–`٩`) or Persian (`۰`–`۹`);
//! - the decimal mark is `.` or the Arabic decimal separator `٫`;
//! - `٬` (the Arabic thousands separator) groups thousands;
//! - a comma groups thousands when every group after it has exactly three digits
//!   (`1,250` is 1250, `1,250,000.5` is 1250000.5); otherwise a single comma is a decimal mark,
//!   as many people type it (`12,5` is 12.5);
//! - anything else (letters, `inf`, `NaN`, two decimal marks) is not a number.

/// Arabic-Indic and Persian digits and the Arabic separators as ASCII; spaces trimmed. Other
/// characters are kept (dates and phone numbers are read from the result).
pub fn western_digits(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| match c {
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٫' => '.',
            '٬' => ',',
            other => other,
        })
        .collect()
}

/// A finite number as a person may type it (see the module's rules), or `None`.
pub fn parse_number(input: &str) -> Option<f64> {
    let text = western_digits(input);
    let text = match text.split_once('.') {
        // With a decimal point, commas can only group thousands in the whole part.
        Some((whole, fraction)) => format!("{}.{fraction}", ungroup(whole)?),
        None => match text.split(',').count() {
            1 => text,
            _ => match ungroup(&text) {
                Some(whole) => whole,
                // `12,5`: one comma that does not group thousands is a decimal mark.
                None => match text.split_once(',') {
                    Some((whole, fraction)) if !fraction.contains(',') => {
                        format!("{whole}.{fraction}")
                    }
                    _ => return None,
                },
            },
        },
    };
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The whole part without its thousands commas, when every group after the first has three
/// digits (`1,250` → `1250`); `None` when the commas do not group thousands.
fn ungroup(whole: &str) -> Option<String> {
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    let mut out = first.to_owned();
    for group in groups {
        if group.len() != 3 || !group.chars().all(|c| c.is_ascii_digit()) || first.is_empty() {
            return None;
        }
        out.push_str(group);
    }
    Some(out)
}

/// A number written for a page that may run right to left: a negative number is isolated as
/// a left-to-right run (U+2066 LEFT-TO-RIGHT ISOLATE … U+2069 POP DIRECTIONAL ISOLATE), so its
/// minus stays on the left of its digits in Arabic ("-1.2", never "1.2-"), in HTML and in SVG
/// text alike. Screen readers skip the two marks; other numbers are returned as they are.
pub fn ltr_number(text: String) -> String {
    if text.starts_with('-') {
        format!("\u{2066}{text}\u{2069}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_every_script_read_alike() {
        assert_eq!(parse_number("42"), Some(42.0));
        assert_eq!(parse_number("٤٢"), Some(42.0));
        assert_eq!(parse_number("۱۲"), Some(12.0));
        assert_eq!(parse_number(" ٣٫٥ "), Some(3.5));
        assert_eq!(parse_number("-2.5"), Some(-2.5));
    }

    #[test]
    fn a_comma_groups_thousands_or_marks_decimals_never_both() {
        assert_eq!(parse_number("1,250"), Some(1250.0));
        assert_eq!(parse_number("1,250,000.5"), Some(1_250_000.5));
        assert_eq!(parse_number("١٬٢٥٠"), Some(1250.0));
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number("٢٥,٥"), Some(25.5));
        assert_eq!(parse_number("0,75"), Some(0.75));
        assert_eq!(parse_number("1,2,3"), None);
        assert_eq!(parse_number("12,50.5"), None);
        assert_eq!(parse_number(",5"), Some(0.5));
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        for text in ["", "abc", "inf", "NaN", "1.2.3", "12 5", "1e999"] {
            assert_eq!(parse_number(text), None, "{text}");
        }
    }

    #[test]
    fn western_digits_keeps_other_characters() {
        assert_eq!(western_digits(" ٢٠٢٦-٠٣-٠١ "), "2026-03-01");
        assert_eq!(western_digits("+٩٧١ ٥٠"), "+971 50");
    }

    #[test]
    fn negative_numbers_are_isolated_left_to_right() {
        assert_eq!(ltr_number("-1.2".into()), "\u{2066}-1.2\u{2069}");
        assert_eq!(ltr_number("12".into()), "12");
        assert_eq!(ltr_number("0".into()), "0");
    }
}
