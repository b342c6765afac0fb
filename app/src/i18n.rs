//! Locales and the translation catalogue.
//!
//! Every user-visible string comes from `app/locales/*.yml` (one catalogue per language,
//! split into files by topic; rust-i18n merges `x.ar.yml` into the `ar` catalogue).
//! The locale is part of every public URL (`/ar/…`, `/en/…`); Arabic is the default
//! (MISSION.md: "Arabic is the ministry's first language").

use serde::{Deserialize, Serialize};

/// The name of the cookie that remembers the visitor's last language.
pub const LANG_COOKIE: &str = "sharek_lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    Ar,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Ar, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Ar => "ar",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "ar" => Some(Locale::Ar),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Items as a list in this language: the Arabic comma `،` in Arabic, `, ` in English.
    pub fn list<I, S>(self, items: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let separator = match self {
            Locale::Ar => "، ",
            Locale::En => ", ",
        };
        let mut out = String::new();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            out.push_str(item.as_ref());
        }
        out
    }

    /// Items joined as a sentence lists them: "a, b and c"; «أ، ب وج».
    pub fn and_list<S: AsRef<str>>(self, items: &[S]) -> String {
        let (separator, and) = match self {
            Locale::Ar => ("، ", " و"),
            Locale::En => (", ", " and "),
        };
        let mut out = String::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(if i + 1 == items.len() { and } else { separator });
            }
            out.push_str(item.as_ref());
        }
        out
    }

    /// Text direction for the `dir` attribute.
    pub fn dir(self) -> &'static str {
        match self {
            Locale::Ar => "rtl",
            Locale::En => "ltr",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Locale::Ar => Locale::En,
            Locale::En => Locale::Ar,
        }
    }

    /// The language's own name, shown on the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Ar => "العربية",
            Locale::En => "English",
        }
    }

    /// Looks a key up in this locale's catalogue.
    pub fn t(self, key: &str) -> String {
        rust_i18n::t!(key, locale = self.code()).into_owned()
    }

    /// Looks a key up and fills `%{name}` placeholders.
    pub fn t_with(self, key: &str, args: &[(&str, &str)]) -> String {
        args.iter().fold(self.t(key), |text, (name, value)| {
            text.replace(&format!("%{{{name}}}"), value)
        })
    }

    /// The locale a path is in, from its first segment (`/en/policy` → English).
    pub fn from_path(path: &str) -> Option<Self> {
        let first = path.trim_start_matches('/').split(['/', '?', '#']).next()?;
        Self::from_code(first)
    }

    /// The same page in this locale: replaces (or adds) the locale segment of `path`.
    pub fn localize_path(self, path: &str) -> String {
        let rest = path.trim_start_matches('/');
        let (first, tail) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
        if Self::from_code(first).is_some() {
            format!("/{}{}", self.code(), tail)
        } else if rest.is_empty() {
            format!("/{}", self.code())
        } else {
            format!("/{}/{}", self.code(), rest)
        }
    }

    /// Picks the best supported locale from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        header
            .split(',')
            .enumerate()
            .filter_map(|(position, part)| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                let primary = tag.split('-').next()?.to_ascii_lowercase();
                let locale = Self::from_code(&primary)?;
                (quality > 0.0).then_some((locale, quality, position))
            })
            // Highest quality wins; among equals, the one listed first.
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.2.cmp(&a.2)))
            .map(|(locale, _, _)| locale)
    }

    /// Chooses the locale for a visitor to `/`: the language cookie, then `Accept-Language`,
    /// then Arabic.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Self {
        cookie
            .and_then(Self::from_code)
            .or_else(|| accept_language.and_then(Self::from_accept_language))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_joined_with_each_language_s_comma() {
        assert_eq!(
            Locale::En.list(["Citizens", "Residents"]),
            "Citizens, Residents"
        );
        assert_eq!(Locale::Ar.list(["مواطنون", "مقيمون"]), "مواطنون، مقيمون");
        assert_eq!(Locale::En.list(Vec::<String>::new()), "");
    }

    #[test]
    fn sentence_lists_end_with_and() {
        assert_eq!(Locale::En.and_list(&["a"]), "a");
        assert_eq!(Locale::En.and_list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(Locale::Ar.and_list(&["اسمك", "رقم هاتف"]), "اسمك ورقم هاتف");
        assert_eq!(Locale::En.and_list::<&str>(&[]), "");
    }

    #[test]
    fn accept_language_prefers_the_highest_quality_supported_tag() {
        assert_eq!(
            Locale::from_accept_language("fr-FR,en;q=0.8,ar;q=0.9"),
            Some(Locale::Ar)
        );
        assert_eq!(
            Locale::from_accept_language("en-GB,en;q=0.9"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_accept_language("ar-EG"), Some(Locale::Ar));
        assert_eq!(Locale::from_accept_language("de, fr;q=0.5"), None);
        assert_eq!(
            Locale::from_accept_language("en;q=0, ar;q=0.1"),
            Some(Locale::Ar)
        );
        assert_eq!(Locale::from_accept_language("EN, ar"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("en;q=abc"), None);
        assert_eq!(Locale::from_accept_language(""), None);
    }

    #[test]
    fn cookie_wins_over_accept_language_and_arabic_is_the_default() {
        assert_eq!(Locale::negotiate(Some("en"), Some("ar")), Locale::En);
        assert_eq!(Locale::negotiate(Some("xx"), Some("en")), Locale::En);
        assert_eq!(Locale::negotiate(None, None), Locale::Ar);
        assert_eq!(Locale::negotiate(None, Some("de")), Locale::Ar);
    }

    #[test]
    fn localize_path_keeps_the_current_page() {
        assert_eq!(Locale::En.localize_path("/ar/policy"), "/en/policy");
        assert_eq!(Locale::Ar.localize_path("/en"), "/ar");
        assert_eq!(Locale::Ar.localize_path("/en?x=1"), "/ar?x=1");
        assert_eq!(
            Locale::En.localize_path("/ar/s/x?p=uni#q"),
            "/en/s/x?p=uni#q"
        );
        assert_eq!(Locale::En.localize_path("/"), "/en");
        assert_eq!(Locale::En.localize_path("/nowhere"), "/en/nowhere");
    }

    #[test]
    fn from_path_reads_the_first_segment() {
        assert_eq!(Locale::from_path("/en/policy"), Some(Locale::En));
        assert_eq!(Locale::from_path("/ar"), Some(Locale::Ar));
        assert_eq!(Locale::from_path("/arx"), None);
        assert_eq!(Locale::from_path("/"), None);
    }

    #[test]
    fn translations_differ_by_locale_and_fill_placeholders() {
        assert_ne!(Locale::Ar.t("site.ministry"), Locale::En.t("site.ministry"));
        assert!(!Locale::En.t("site.ministry").contains("site.ministry"));
        let text = Locale::En.t_with("notfound.lead", &[("path", "/x")]);
        assert!(text.contains("/x"), "{text}");
    }
}
