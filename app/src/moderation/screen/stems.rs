//! Light stemming for look-ups: the spellings of a token to try against the word lists.
//! Stems keep at least three letters, so short words never collapse onto unrelated terms
//! ("الله" is not "له", "بكس" is not "كس").

use super::text::{Form, Token, is_arabic_letter};

/// Attached particles, longest first: conjunctions و ف, prepositions ب ل ك, the future
/// marker س and the article ال (ل + ال is written لل).
const ARABIC_PREFIXES: [&str; 23] = [
    "وبال", "وكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال", "وب", "ول", "وك", "فب",
    "فل", "وس", "فس", "و", "ف", "ب", "ل", "ك", "س",
];

/// Attached pronouns and plural/dual endings (after folding ة to ه and ى to ي).
pub(super) const ARABIC_SUFFIXES: [&str; 20] = [
    "هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا", "ين", "ون", "ات", "ان", "وا", "يه", "ه", "ك",
    "ي", "ا", "و", "ت",
];

/// English inflections worth folding for the word lists (`idiots`, `killing`, `bitches`).
const ENGLISH_SUFFIXES: [&str; 6] = ["ing", "ers", "er", "ed", "es", "s"];

const MIN_STEM_CHARS: usize = 3;

/// The whole token first, then its stems. Numbers and mixed tokens have no stems.
pub(super) fn forms(token: &Token) -> Vec<Form<'_>> {
    let text = token.text.as_str();
    let mut out = vec![Form { text, full: true }];
    let first = text.chars().next().unwrap_or(' ');
    if is_arabic_letter(first) {
        arabic_stems(text, &mut out);
    } else if first.is_ascii_alphabetic() {
        english_stems(text, &mut out);
    }
    out
}

fn arabic_stems<'a>(text: &'a str, out: &mut Vec<Form<'a>>) {
    let prefixes = ARABIC_PREFIXES.iter().filter(|p| text.starts_with(**p));
    for head in std::iter::once(text).chain(prefixes.map(|p| &text[p.len()..])) {
        let suffixes = ARABIC_SUFFIXES.iter().filter(|s| head.ends_with(**s));
        for stem in std::iter::once(head).chain(suffixes.map(|s| &head[..head.len() - s.len()])) {
            push_stem(stem, out);
        }
    }
}

fn english_stems<'a>(text: &'a str, out: &mut Vec<Form<'a>>) {
    for suffix in ENGLISH_SUFFIXES {
        if let Some(stem) = text.strip_suffix(suffix) {
            // "class" is not the plural of "clas"; "ass" is not a plural either.
            if suffix == "s" && stem.ends_with('s') {
                continue;
            }
            push_stem(stem, out);
        }
    }
}

fn push_stem<'a>(stem: &'a str, out: &mut Vec<Form<'a>>) {
    let long_enough = stem.chars().count() >= MIN_STEM_CHARS;
    if long_enough && !out.iter().any(|f| f.text == stem) {
        out.push(Form {
            text: stem,
            full: false,
        });
    }
}
