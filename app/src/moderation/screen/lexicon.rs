//! The word and phrase lists of `words.txt`, parsed once into hash maps, and the matcher
//! that runs them over a comment's tokens.
//!
//! `words.txt`, one entry a line (`#` starts a comment):
//! - `rule<TAB>explanation` — the moderator-facing rule for the entries that follow;
//! - `@class<TAB>term` — a context class member (a word, phrase, or a tag such as `#phone`);
//! - `category<TAB>term[<TAB>contexts]` — a term that puts a comment in a policy category.
//!
//! A term is normalised like comments are; `=term` matches the whole word only (no stems).
//! Contexts are space-separated `<kind>[window]<class>`: `~` the class within `window`
//! tokens either side, `>` after, `<` before, `*` anywhere in the comment; `-` and `!` forbid
//! the class around or anywhere. All contexts of a term must hold. The window defaults to 3.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::Category;
use super::personal::tag_bits;
use super::text::{Form, Token, normalize};

const WORDS: &str = include_str!("../words.txt");
const DEFAULT_WINDOW: usize = 3;
const MAX_CLASSES: usize = 64;

#[derive(Debug, Clone, Copy)]
enum Target {
    Category(Category),
    Class(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Around,
    After,
    Before,
    Anywhere,
    NotAround,
    NotAnywhere,
}

#[derive(Debug, Clone, Copy)]
struct Context {
    need: Need,
    window: usize,
    mask: u64,
}

#[derive(Debug)]
struct Entry {
    target: Target,
    words: Vec<String>,
    exact: bool,
    contexts: Vec<Context>,
    rule: usize,
}

/// A category term found at tokens `first..=last`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub category: Category,
    pub first: usize,
    pub last: usize,
    pub rule: &'static str,
}

#[derive(Debug, Default)]
pub(super) struct Lexicon {
    entries: Vec<Entry>,
    by_first: HashMap<String, Vec<usize>>,
    /// One-word, context-free category terms, for disguised words such as `f*ck`.
    masked: Vec<usize>,
    class_names: Vec<String>,
    /// For each tag bit (see `personal`), the classes that list it.
    tag_classes: [u64; 8],
    rules: Vec<String>,
    /// Lines of `words.txt` that could not be read (a test keeps this empty).
    pub problems: Vec<String>,
}

pub(super) fn get() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::parse(WORDS))
}

impl Lexicon {
    fn parse(source: &str) -> Lexicon {
        let mut lex = Lexicon {
            rules: vec!["listed term".to_string()],
            ..Lexicon::default()
        };
        for (n, line) in source.lines().enumerate() {
            let line = line.trim_end();
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            if let Err(problem) = lex.parse_line(line) {
                lex.problems
                    .push(format!("words.txt:{}: {problem}: {line}", n + 1));
            }
        }
        for (k, name) in lex.class_names.iter().enumerate() {
            let bit = 1u64 << k;
            let listed = lex.tag_classes.iter().any(|m| m & bit != 0)
                || lex
                    .entries
                    .iter()
                    .any(|e| matches!(e.target, Target::Class(c) if c == k));
            if !listed {
                lex.problems.push(format!(
                    "words.txt: class @{name} is used but has no members"
                ));
            }
        }
        lex
    }

    fn parse_line(&mut self, line: &str) -> Result<(), &'static str> {
        let mut fields = line.split('\t');
        let head = fields.next().unwrap_or_default();
        let term = fields.next().ok_or("missing term")?.trim();
        let contexts = fields.next().unwrap_or_default();
        // Contexts are one field, separated by spaces: a further tab would be silently lost.
        if fields.next().is_some() {
            return Err("contexts are separated by spaces, not tabs");
        }
        if head == "rule" {
            self.rules.push(term.to_string());
            return Ok(());
        }
        let target = match head.strip_prefix('@') {
            Some(class) => Target::Class(self.class(class).ok_or("too many classes")?),
            None => Target::Category(Category::from_key(head).ok_or("unknown category")?),
        };
        if let (Target::Class(class), Some(bits)) = (target, tag_bits(term)) {
            for (k, slot) in self.tag_classes.iter_mut().enumerate() {
                if bits & (1 << k) != 0 {
                    *slot |= 1 << class;
                }
            }
            return Ok(());
        }
        let (exact, term) = match term.strip_prefix('=') {
            Some(rest) => (true, rest),
            None => (false, term),
        };
        let words: Vec<String> = normalize(term).split(' ').map(str::to_string).collect();
        if words.iter().any(String::is_empty) {
            return Err("empty term");
        }
        let contexts = contexts
            .split_whitespace()
            .map(|c| self.context(c).ok_or("bad context"))
            .collect::<Result<Vec<_>, _>>()?;
        let index = self.entries.len();
        if words.len() == 1 && contexts.is_empty() && matches!(target, Target::Category(_)) {
            self.masked.push(index);
        }
        self.by_first
            .entry(words[0].clone())
            .or_default()
            .push(index);
        let rule = self.rules.len() - 1;
        self.entries.push(Entry {
            target,
            words,
            exact,
            contexts,
            rule,
        });
        Ok(())
    }

    /// The index of a class, created on first mention.
    fn class(&mut self, name: &str) -> Option<usize> {
        if let Some(i) = self.class_names.iter().position(|c| c == name) {
            return Some(i);
        }
        if self.class_names.len() == MAX_CLASSES || name.is_empty() {
            return None;
        }
        self.class_names.push(name.to_string());
        Some(self.class_names.len() - 1)
    }

    /// Reads `~person`, `>4target`, `*contact`, `-awareness`.
    fn context(&mut self, spec: &str) -> Option<Context> {
        let mut chars = spec.chars();
        let need = match chars.next()? {
            '~' => Need::Around,
            '>' => Need::After,
            '<' => Need::Before,
            '*' => Need::Anywhere,
            '-' => Need::NotAround,
            '!' => Need::NotAnywhere,
            _ => return None,
        };
        let rest = chars.as_str();
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let window = rest[..digits].parse().unwrap_or(DEFAULT_WINDOW);
        let class = self.class(&rest[digits..])?;
        Some(Context {
            need,
            window,
            mask: 1 << class,
        })
    }

    /// The bit of a named class, or 0 when `words.txt` does not define it.
    pub(super) fn class_bit(&self, name: &str) -> u64 {
        self.class_names
            .iter()
            .position(|c| c == name)
            .map_or(0, |i| 1 << i)
    }
}

impl Lexicon {
    /// Each token's context classes: the classes of the terms it is part of, and of its tags.
    pub(super) fn class_masks(&self, forms: &[Vec<Form<'_>>], tags: &[u8]) -> Vec<u64> {
        let mut masks: Vec<u64> = tags.iter().map(|&t| self.tag_mask(t)).collect();
        for i in 0..forms.len() {
            for (index, last) in self.matches_at(forms, i) {
                if let Target::Class(class) = self.entries[index].target {
                    for mask in &mut masks[i..=last] {
                        *mask |= 1 << class;
                    }
                }
            }
        }
        masks
    }

    fn tag_mask(&self, tags: u8) -> u64 {
        (0..8)
            .filter(|k| tags & (1 << k) != 0)
            .fold(0, |m, k| m | self.tag_classes[k])
    }

    /// The category terms found in a comment whose contexts hold.
    pub(super) fn categories(
        &'static self,
        tokens: &[Token],
        forms: &[Vec<Form<'_>>],
        classes: &[u64],
    ) -> Vec<Hit> {
        let everywhere = classes.iter().fold(0, |m, c| m | c);
        let mut hits = Vec::new();
        for (i, token) in tokens.iter().enumerate().take(forms.len()) {
            // A lone letter is never a one-word term: "xxx" folds to "x", but the "x" of
            // "example.com/x" is just a letter. It may start a phrase ("i will pay").
            let lone = token.text.chars().count() < 2 && token.end - token.start <= 2;
            let mut found = self.matches_at(forms, i);
            if token.text.contains('*') {
                found.extend(self.masked_at(&token.text).map(|index| (index, i)));
            }
            for (index, last) in found {
                if lone && last == i {
                    continue;
                }
                let entry = &self.entries[index];
                let Target::Category(category) = entry.target else {
                    continue;
                };
                let holds = entry
                    .contexts
                    .iter()
                    .all(|c| holds(c, classes, everywhere, i, last));
                if holds
                    && !hits
                        .iter()
                        .any(|h: &Hit| h.category == category && h.first == i)
                {
                    let rule = self.rules[entry.rule].as_str();
                    hits.push(Hit {
                        category,
                        first: i,
                        last,
                        rule,
                    });
                }
            }
        }
        hits
    }

    /// Entries whose words start at token `i`, with the index of their last token.
    fn matches_at(&self, forms: &[Vec<Form<'_>>], i: usize) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for form in &forms[i] {
            let Some(candidates) = self.by_first.get(form.text) else {
                continue;
            };
            for &index in candidates {
                let entry = &self.entries[index];
                if entry.exact && !form.full || found.iter().any(|&(e, _)| e == index) {
                    continue;
                }
                let last = i + entry.words.len() - 1;
                let rest_matches = last < forms.len()
                    && entry.words[1..]
                        .iter()
                        .zip(&forms[i + 1..=last])
                        .all(|(word, forms)| {
                            forms
                                .iter()
                                .any(|f| f.text == word && (f.full || !entry.exact))
                        });
                if rest_matches {
                    found.push((index, last));
                }
            }
        }
        found
    }

    /// Context-free one-word terms that a disguised token (`f*ck`, `sh**`) could stand for:
    /// same length, same first letter, every visible letter in place.
    fn masked_at<'a>(&'a self, token: &'a str) -> impl Iterator<Item = usize> + 'a {
        let visible = token.chars().filter(|&c| c != '*').count();
        self.masked.iter().copied().filter(move |&index| {
            let word = &self.entries[index].words[0];
            visible >= 2
                && word.chars().count() == token.chars().count()
                && token.chars().next() == word.chars().next()
                && token
                    .chars()
                    .zip(word.chars())
                    .all(|(t, w)| t == '*' || t == w)
        })
    }
}

/// Whether one context of a term found at tokens `first..=last` holds.
fn holds(c: &Context, classes: &[u64], everywhere: u64, first: usize, last: usize) -> bool {
    let before = first.saturating_sub(c.window)..first;
    let after = (last + 1).min(classes.len())..(last + 1 + c.window).min(classes.len());
    let any = |range: std::ops::Range<usize>| classes[range].iter().any(|m| m & c.mask != 0);
    match c.need {
        Need::Around => any(before) || any(after),
        Need::After => any(after),
        Need::Before => any(before),
        Need::Anywhere => everywhere & c.mask != 0,
        Need::NotAround => !(any(before) || any(after)),
        Need::NotAnywhere => everywhere & c.mask == 0,
    }
}
