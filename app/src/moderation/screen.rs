//! Automatic screening of participants' comments against the moderation policy
//! (`MISSION.md` §3): nine categories of content the ministry may hide, plus personal data
//! (phone numbers, emails, Emirates ID numbers, street addresses).
//!
//! The screener only *holds* a comment for a moderator; it never deletes. Frank criticism of
//! the ministry, its services or its staff is welcome by policy, so the word lists target
//! abuse (insults aimed at people, threats, slurs), not disagreement: "the service is
//! terrible" and "هذا القرار فاشل" publish; "you idiot" and "يا حمار" are held.
//!
//! How a comment is read:
//! 1. [`normalize`] folds Arabic spelling variants (diacritics, tatweel, alef/yaa/taa-marbuta
//!    forms), Arabic-Indic and Persian digits, case, leetspeak, stretched letters and
//!    spaced-out letters, keeping every token's byte range in the original text.
//! 2. Personal data is found in the digit and ASCII stream (`personal`).
//! 3. Terms from `words.txt` are looked up token by token in hash maps, with Arabic prefixes
//!    (و ف ب ل ك س ال) and suffixes stripped, and English suffixes (s, ed, ing…) stripped.
//!    A term may require a context class nearby ("kill" needs a person after it, so "kill
//!    time" publishes) or forbid one ("drugs" near "awareness" publishes).
//!
//! Invariants: screening is deterministic, never panics, and every [`Reason`] points at a
//! char-boundary byte range of the original text with `matched == &text[start..end]`.
//! The module uses `std` only, so it compiles on its own (`rustc --edition 2024`).

// `#[path]` keeps the parts beside this file whether it is compiled on its own (as a crate
// root) or as `moderation::screen`.
#[path = "screen/address.rs"]
mod address;
#[path = "screen/lexicon.rs"]
mod lexicon;
#[path = "screen/personal.rs"]
mod personal;
#[path = "screen/stems.rs"]
mod stems;
#[path = "screen/text.rs"]
mod text;

#[cfg(test)]
#[path = "screen/tests.rs"]
mod tests;

use std::collections::BTreeSet;

pub use text::normalize;

/// The nine reasons of the moderation policy, in the policy's order (`MISSION.md` §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// (1) Threats, weapons or explosives with intent, incitement, praise of terrorism.
    Security,
    /// (2) Swearing and insults.
    Language,
    /// (3) Insulting or exposing a named person; sharing someone else's contact or address.
    Privacy,
    /// (4) Breaking UAE law: drugs, gambling, bribery, alcohol sale, fake documents.
    Illegal,
    /// (5) Sexual or vulgar content, defamation.
    Obscene,
    /// (6) Spam and business promotion.
    Spam,
    /// (7) Slurs or generalisations against a group.
    Discrimination,
    /// (8) Party politics, protest calls, sectarian mobilisation, foreign political disputes.
    Political,
    /// (9) Pirated content and other intellectual-property infringement.
    Copyright,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Security,
        Category::Language,
        Category::Privacy,
        Category::Illegal,
        Category::Obscene,
        Category::Spam,
        Category::Discrimination,
        Category::Political,
        Category::Copyright,
    ];

    /// The stable key used in storage, the i18n catalogue and `words.txt`.
    pub fn key(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Language => "language",
            Category::Privacy => "privacy",
            Category::Illegal => "illegal",
            Category::Obscene => "obscene",
            Category::Spam => "spam",
            Category::Discrimination => "discrimination",
            Category::Political => "political",
            Category::Copyright => "copyright",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// Kinds of personal data that hold a comment until a moderator has looked at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonalData {
    Phone,
    Email,
    EmiratesId,
    Address,
}

impl PersonalData {
    pub const ALL: [PersonalData; 4] = [
        PersonalData::Phone,
        PersonalData::Email,
        PersonalData::EmiratesId,
        PersonalData::Address,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PersonalData::Phone => "phone",
            PersonalData::Email => "email",
            PersonalData::EmiratesId => "emirates_id",
            PersonalData::Address => "address",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// The language a comment is written in (Arabic first: the platform's default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ar,
    En,
}

impl Lang {
    pub fn key(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }
}

/// What happens to the comment: published at once, or held in the moderation queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Publish,
    Hold,
}

impl Decision {
    pub fn key(self) -> &'static str {
        match self {
            Decision::Publish => "publish",
            Decision::Hold => "hold",
        }
    }
}

/// One thing the screener found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    Category(Category),
    PersonalData(PersonalData),
}

/// Why a comment was held: what was found, where, and by which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub finding: Finding,
    /// Byte range in the original text, on char boundaries.
    pub start: usize,
    pub end: usize,
    /// `&text[start..end]`, for the moderator's highlight.
    pub matched: String,
    /// A short English explanation for moderators and the audit log.
    pub rule: &'static str,
}

/// The outcome of screening one comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screening {
    pub lang: Lang,
    pub decision: Decision,
    /// Sorted in the policy's order, without duplicates.
    pub categories: Vec<Category>,
    pub personal_data: Vec<PersonalData>,
    /// Sorted by position in the text.
    pub reasons: Vec<Reason>,
}

/// Arabic when Arabic letters are at least as many as Latin ones (and there are some);
/// English when only Latin letters dominate; Arabic, the platform's first language, when the
/// text has no letters at all.
pub fn detect_language(text: &str) -> Lang {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if text::is_arabic_letter(c) {
            arabic += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    if latin > arabic { Lang::En } else { Lang::Ar }
}

/// Screens one comment. `lang: None` detects the language. The comment is held iff any
/// category or any personal data is found.
pub fn screen(text: &str, lang: Option<Lang>) -> Screening {
    let lang = lang.unwrap_or_else(|| detect_language(text));
    let lex = lexicon::get();
    let units = text::units(text);
    let tokens = text::tokens(&units);
    let forms: Vec<Vec<text::Form<'_>>> = tokens.iter().map(stems::forms).collect();

    let mut spans = personal::scan(&units);
    let mut tags = personal::tag_tokens(&tokens, &spans);
    let mut classes = lex.class_masks(&forms, &tags);
    let addresses = address::find(&tokens, &classes, lex);
    if !addresses.is_empty() {
        spans.extend(addresses);
        tags = personal::tag_tokens(&tokens, &spans);
        classes = lex.class_masks(&forms, &tags);
    }

    let mut reasons: Vec<Reason> = Vec::new();
    for span in &spans {
        if let Some(kind) = span.personal_data() {
            reasons.push(reason(
                text,
                Finding::PersonalData(kind),
                span.start,
                span.end,
                span.rule,
            ));
        }
    }
    let hits = lex.categories(&tokens, &forms, &classes);
    for hit in &hits {
        let (start, end) = (tokens[hit.first].start, tokens[hit.last].end);
        reasons.push(reason(
            text,
            Finding::Category(hit.category),
            start,
            end,
            hit.rule,
        ));
    }
    // An illegal offer with a phone, link or "DM" is also an advertisement.
    let contact = lex.class_bit("contact");
    let channel = classes.iter().position(|c| c & contact != 0);
    if let (Some(k), true) = (
        channel,
        hits.iter().any(|h| h.category == Category::Illegal),
    ) {
        let rule = "illegal offer with a contact channel";
        let finding = Finding::Category(Category::Spam);
        reasons.push(reason(text, finding, tokens[k].start, tokens[k].end, rule));
    }
    if let Some((start, end)) = repeated_text(&tokens) {
        let rule = "the same words repeated over and over";
        reasons.push(reason(
            text,
            Finding::Category(Category::Spam),
            start,
            end,
            rule,
        ));
    }
    finish(lang, reasons)
}

fn reason(text: &str, finding: Finding, start: usize, end: usize, rule: &'static str) -> Reason {
    // Ranges come from char boundaries of `text`; `get` keeps a bug from becoming a panic.
    let matched = text.get(start..end).unwrap_or_default().to_string();
    Reason {
        finding,
        start,
        end,
        matched,
        rule,
    }
}

/// Sorts and de-duplicates the reasons and derives the decision from them.
fn finish(lang: Lang, mut reasons: Vec<Reason>) -> Screening {
    reasons.sort_by(|a, b| (a.start, a.end, a.rule).cmp(&(b.start, b.end, b.rule)));
    reasons.dedup_by(|a, b| a.finding == b.finding && a.start == b.start && a.end == b.end);
    let mut categories = BTreeSet::new();
    let mut personal_data = BTreeSet::new();
    for r in &reasons {
        match r.finding {
            Finding::Category(c) => categories.insert(c),
            Finding::PersonalData(p) => personal_data.insert(p),
        };
    }
    let decision = if reasons.is_empty() {
        Decision::Publish
    } else {
        Decision::Hold
    };
    Screening {
        lang,
        decision,
        categories: categories.into_iter().collect(),
        personal_data: personal_data.into_iter().collect(),
        reasons,
    }
}

/// Spam by repetition: a long comment where one word makes up almost half of the words
/// ("great service great service …", "شكرا شكرا شكرا …"). Returns the byte range from the
/// first to the last repetition.
fn repeated_text(tokens: &[text::Token]) -> Option<(usize, usize)> {
    const MIN_TOKENS: usize = 8;
    const MIN_REPEATS: usize = 5;
    if tokens.len() < MIN_TOKENS {
        return None;
    }
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for t in tokens {
        *counts.entry(t.text.as_str()).or_default() += 1;
    }
    let (word, count) = counts
        .into_iter()
        .max_by_key(|&(w, n)| (n, std::cmp::Reverse(w)))?;
    if count < MIN_REPEATS || count * 5 < tokens.len() * 2 || word.chars().count() < 2 {
        return None;
    }
    let first = tokens.iter().find(|t| t.text == word)?;
    let last = tokens.iter().rev().find(|t| t.text == word)?;
    Some((first.start, last.end))
}
