//! Street addresses: two or more address parts close together, at least one of them numbered
//! ("Villa 12, Street 5", "شارع الوصل فيلا رقم ٢٣", "Flat 1203, Building 7"). One part alone
//! ("the lift in building 12") is too common in complaints to count as personal data.
//!
//! The words come from `words.txt` classes: `addr_unit` (villa, flat, فيلا, شقه…),
//! `addr_street` (street, sikka, شارع, سكه…), `addr_no` (no, number, رقم) and `stop`.

use super::lexicon::Lexicon;
use super::personal::{ADDRESS, Span};
use super::text::Token;

/// Parts of one address are at most this many tokens apart.
const MAX_GAP: usize = 6;

/// A part of an address at tokens `first..=last`.
#[derive(Debug, Clone, Copy)]
struct Part {
    first: usize,
    last: usize,
    numbered: bool,
}

pub(super) fn find(tokens: &[Token], classes: &[u64], lex: &Lexicon) -> Vec<Span> {
    let unit = lex.class_bit("addr_unit");
    let street = lex.class_bit("addr_street");
    let number_word = lex.class_bit("addr_no");
    let stop = lex.class_bit("stop");
    if unit == 0 || street == 0 {
        return Vec::new();
    }
    let is_number = |k: usize| {
        tokens.get(k).is_some_and(|t| {
            let digits = t.text.chars().take_while(char::is_ascii_digit).count();
            (1..=5).contains(&digits) && t.text.chars().count() <= digits + 1
        })
    };
    let is_name = |k: usize| {
        tokens.get(k).is_some_and(|t| {
            t.text.chars().next().is_some_and(char::is_alphabetic)
                && classes[k] & (stop | unit | street | number_word) == 0
        })
    };
    let mut parts = Vec::new();
    for i in 0..tokens.len() {
        if classes[i] & (unit | street) == 0 {
            continue;
        }
        // The number may follow a "no."/"رقم": "villa no. 12", "فيلا رقم ٢٣".
        let mut j = i + 1;
        while j < tokens.len() && j <= i + 2 && classes[j] & number_word != 0 {
            j += 1;
        }
        if is_number(j) {
            parts.push(Part {
                first: i,
                last: j,
                numbered: true,
            });
        } else if classes[i] & street != 0 && is_name(i + 1) {
            parts.push(Part {
                first: i,
                last: i + 1,
                numbered: false,
            });
        } else if classes[i] & street != 0 && i > 0 && is_name(i - 1) {
            parts.push(Part {
                first: i - 1,
                last: i,
                numbered: false,
            });
        }
    }
    clusters(&parts)
        .into_iter()
        .map(|(first, last)| Span {
            tag: ADDRESS,
            start: tokens[first].start,
            end: tokens[last].end,
            rule: "street address (house or building and street)",
        })
        .collect()
}

/// Token ranges of groups of two or more nearby parts with at least one numbered part.
fn clusters(parts: &[Part]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < parts.len() {
        let mut m = k;
        while m + 1 < parts.len() && parts[m + 1].first <= parts[m].last + MAX_GAP {
            m += 1;
        }
        let group = &parts[k..=m];
        if group.len() >= 2 && group.iter().any(|p| p.numbered) {
            out.push((
                group[0].first,
                group.iter().map(|p| p.last).max().unwrap_or(group[0].last),
            ));
        }
        k = m + 1;
    }
    out
}
