//! Pure checks for comments and document sections, shared by server and browser.

use crate::Locale;

/// Problems with what was typed: (field, catalogue key).
pub type Problems = Vec<(&'static str, &'static str)>;

/// The longest comment or reply, in characters.
pub const COMMENT_MAX: usize = 2000;
/// The shortest: a comment says something.
pub const COMMENT_MIN: usize = 2;
/// Comments and replies a participant may post in [`RATE_MINUTES`] minutes.
pub const RATE_LIMIT: i64 = 10;
pub const RATE_MINUTES: i64 = 10;
/// Top-level comments on a page.
pub const PAGE_SIZE: i64 = 20;
/// Replies shown under a comment on the list (its thread shows them all).
pub const REPLIES_SHOWN: i64 = 3;
/// Flags from different participants that hold a published comment again, unless the server
/// is configured otherwise (`--flag-threshold`).
pub const FLAG_THRESHOLD: i64 = 3;
pub const HEADING_MAX: usize = 200;
pub const SECTION_MAX: usize = 20_000;

/// A comment's text as typed, trimmed, with line ends made `\n`; or why not.
pub fn check_comment(text: &str) -> Result<String, &'static str> {
    let text = text.replace("\r\n", "\n").trim().to_owned();
    let length = text.chars().count();
    if length == 0 {
        Err("consultations.error.empty")
    } else if length < COMMENT_MIN {
        Err("consultations.error.too_short")
    } else if length > COMMENT_MAX {
        Err("consultations.error.too_long")
    } else {
        Ok(text)
    }
}

/// A section as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionInput {
    pub heading_ar: String,
    pub heading_en: String,
    pub body_ar: String,
    pub body_en: String,
}

/// Checks a section: a heading in at least one language (Arabic first), text in at least one,
/// within the lengths.
pub fn check_section(input: &SectionInput) -> Result<SectionInput, Problems> {
    let mut problems = Problems::new();
    let clean = |s: &str| s.replace("\r\n", "\n").trim().to_owned();
    let section = SectionInput {
        heading_ar: clean(&input.heading_ar),
        heading_en: clean(&input.heading_en),
        body_ar: clean(&input.body_ar),
        body_en: clean(&input.body_en),
    };
    if section.heading_ar.is_empty() && section.heading_en.is_empty() {
        problems.push(("heading_ar", "consultations.error.heading_missing"));
    }
    for (field, text) in [
        ("heading_ar", &section.heading_ar),
        ("heading_en", &section.heading_en),
    ] {
        if text.chars().count() > HEADING_MAX {
            problems.push((field, "consultations.error.heading_long"));
        }
    }
    if section.body_ar.is_empty() && section.body_en.is_empty() {
        problems.push(("body_ar", "consultations.error.body_missing"));
    }
    for (field, text) in [("body_ar", &section.body_ar), ("body_en", &section.body_en)] {
        if text.chars().count() > SECTION_MAX {
            problems.push((field, "consultations.error.body_long"));
        }
    }
    if problems.is_empty() {
        Ok(section)
    } else {
        Err(problems)
    }
}

/// The language a comment is shown in: what screening detected.
pub fn comment_locale(code: &str) -> Locale {
    Locale::from_code(code).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_trimmed_and_bounded() {
        assert_eq!(
            check_comment("  good idea \r\n").expect("fine"),
            "good idea"
        );
        assert_eq!(check_comment("   "), Err("consultations.error.empty"));
        assert_eq!(check_comment("a"), Err("consultations.error.too_short"));
        assert!(check_comment(&"ب".repeat(COMMENT_MAX)).is_ok());
        assert_eq!(
            check_comment(&"ب".repeat(COMMENT_MAX + 1)),
            Err("consultations.error.too_long")
        );
    }

    #[test]
    fn a_section_needs_a_heading_and_text_in_one_language() {
        let empty = check_section(&SectionInput::default()).expect_err("empty");
        assert!(empty.contains(&("heading_ar", "consultations.error.heading_missing")));
        assert!(empty.contains(&("body_ar", "consultations.error.body_missing")));
        let arabic_only = SectionInput {
            heading_ar: " المادة ١ ".into(),
            body_ar: "نص".into(),
            ..SectionInput::default()
        };
        assert_eq!(
            check_section(&arabic_only).expect("fine").heading_ar,
            "المادة ١"
        );
    }
}
