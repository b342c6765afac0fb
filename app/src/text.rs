//! A text in both languages, the shared vocabulary of everything written for people: survey
//! and question wording, opportunity titles, team names. Arabic first; an empty string is
//! "not written yet", and reading falls back to the other language.

use serde::{Deserialize, Serialize};

use crate::Locale;

/// A text in both languages; an empty string is "not written yet".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    #[serde(default)]
    pub ar: String,
    #[serde(default)]
    pub en: String,
}

impl Text {
    pub fn new(ar: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ar: ar.into(),
            en: en.into(),
        }
    }

    /// The text in `locale`, falling back to the other language when it is not written.
    pub fn get(&self, locale: Locale) -> &str {
        in_locale(locale, &self.ar, &self.en)
    }

    pub fn in_language(&self, locale: Locale) -> &str {
        match locale {
            Locale::Ar => &self.ar,
            Locale::En => &self.en,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ar.trim().is_empty() && self.en.trim().is_empty()
    }
}

/// `text` percent-encoded for a URL's query (everything but unreserved characters).
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Of a text's two languages, the one in `locale`, or the other when it is not written (for
/// rows that keep the two in separate columns).
pub fn in_locale<'a>(locale: Locale, ar: &'a str, en: &'a str) -> &'a str {
    let (first, second) = match locale {
        Locale::Ar => (ar, en),
        Locale::En => (en, ar),
    };
    if first.trim().is_empty() {
        second
    } else {
        first
    }
}
