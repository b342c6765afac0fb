//! Personal data in a comment: phone numbers (UAE first), emails, Emirates ID numbers and
//! street addresses; plus links and @handles, which are not personal data but tell the word
//! lists that a comment carries a contact channel (spam, sales).
//!
//! Numbers are read from the normalised units, so Arabic-Indic and Persian digits count, and
//! digit groups may be split by spaces, dashes, dots or parentheses (`(055) 234-5566`,
//! `+971 (0)50 123 4567`). A number glued to a code (`SHK-2026-000123`) is a reference, not a
//! phone.

use super::PersonalData;
use super::text::{Token, Unit};

pub(super) const PHONE: u8 = 1;
pub(super) const EMAIL: u8 = 1 << 1;
pub(super) const EMIRATES_ID: u8 = 1 << 2;
pub(super) const ADDRESS: u8 = 1 << 3;
pub(super) const URL: u8 = 1 << 4;
pub(super) const HANDLE: u8 = 1 << 5;

/// The tags `words.txt` may list in a context class (`@contact<TAB>#url`).
pub(super) fn tag_bits(name: &str) -> Option<u8> {
    Some(match name {
        "#phone" => PHONE,
        "#email" => EMAIL,
        "#eid" => EMIRATES_ID,
        "#address" => ADDRESS,
        "#url" => URL,
        "#handle" => HANDLE,
        "#pdata" => PHONE | EMAIL | EMIRATES_ID | ADDRESS,
        _ => return None,
    })
}

/// Something found in the text, as a byte range of the original.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub tag: u8,
    pub start: usize,
    pub end: usize,
    pub rule: &'static str,
}

impl Span {
    pub(super) fn personal_data(&self) -> Option<PersonalData> {
        match self.tag {
            PHONE => Some(PersonalData::Phone),
            EMAIL => Some(PersonalData::Email),
            EMIRATES_ID => Some(PersonalData::EmiratesId),
            ADDRESS => Some(PersonalData::Address),
            _ => None,
        }
    }
}

/// Phones, Emirates IDs, emails, links and handles, in no particular order.
pub(super) fn scan(units: &[Unit]) -> Vec<Span> {
    let mut spans = numbers(units);
    spans.extend(emails_and_handles(units));
    spans.extend(links(units));
    spans
}

/// For each token, the tags of the spans it overlaps.
pub(super) fn tag_tokens(tokens: &[Token], spans: &[Span]) -> Vec<u8> {
    tokens
        .iter()
        .map(|t| {
            let overlapping = spans.iter().filter(|s| s.start < t.end && t.start < s.end);
            overlapping.fold(0, |tags, s| tags | s.tag)
        })
        .collect()
}

/// A run of digits, in ASCII, with the unit indices it spans.
struct Group {
    digits: String,
    plus: bool,
    first: usize,
    last: usize,
}

fn is_number_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')')
}

/// Phone numbers and Emirates ID numbers.
fn numbers(units: &[Unit]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < units.len() {
        let starts = units[i].c.is_ascii_digit()
            || matches!(units[i].c, '+' | '(')
                && units.get(i + 1).is_some_and(|u| u.c.is_ascii_digit());
        if !starts {
            i += 1;
            continue;
        }
        let (groups, next) = digit_groups(units, i);
        if !glued_to_code(units, i, next) {
            spans.extend(numbers_in(&groups, units));
        }
        i = next.max(i + 1);
    }
    spans
}

/// Digit groups from `start`, separated by at most three separator units. Returns the groups
/// and the unit index after the last one.
fn digit_groups(units: &[Unit], start: usize) -> (Vec<Group>, usize) {
    let mut groups: Vec<Group> = Vec::new();
    let mut i = start;
    loop {
        let first = i;
        let plus = groups.is_empty() && units[i].c == '+';
        while i < units.len() && !units[i].c.is_ascii_digit() {
            i += 1; // the '+' or '(' that opened the run
        }
        let mut digits = String::new();
        while i < units.len() && units[i].c.is_ascii_digit() && digits.len() < 20 {
            digits.push(units[i].c);
            i += 1;
        }
        groups.push(Group {
            digits,
            plus,
            first,
            last: i - 1,
        });
        let mut j = i;
        while j < units.len() && j - i < 3 && is_number_separator(units[j].c) {
            j += 1;
        }
        if j == i || j >= units.len() || !units[j].c.is_ascii_digit() || groups.len() == 12 {
            return (groups, i);
        }
        i = j;
    }
}

/// `SHK-2026-000123`, `v3.2`, `A55`: digits attached to letters are codes, not numbers.
fn glued_to_code(units: &[Unit], start: usize, end: usize) -> bool {
    let ascii_alnum = |k: usize| units.get(k).is_some_and(|u| u.c.is_ascii_alphanumeric());
    let before = start.checked_sub(1).is_some_and(|k| {
        ascii_alnum(k) || matches!(units[k].c, '-' | '/' | '_') && k > 0 && ascii_alnum(k - 1)
    });
    let after = units.get(end).is_some_and(|u| u.c.is_ascii_alphabetic());
    before || after
}

/// The longest phone or ID number starting at each group, left to right.
fn numbers_in(groups: &[Group], units: &[Unit]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut k = 0;
    while k < groups.len() {
        let mut best = None;
        let mut digits = String::new();
        for (m, group) in groups.iter().enumerate().skip(k) {
            digits.push_str(&group.digits);
            if digits.len() > 15 {
                break;
            }
            if let Some(found) = classify(&digits, groups[k].plus, m - k + 1) {
                best = Some((m, found));
            }
        }
        match best {
            Some((m, (tag, rule))) => {
                let (start, end) = (units[groups[k].first].start, units[groups[m].last].end);
                spans.push(Span {
                    tag,
                    start,
                    end,
                    rule,
                });
                k = m + 1;
            }
            None => k += 1,
        }
    }
    spans
}

/// What a number is, from its digits: an Emirates ID (15 digits from 784, with the Luhn check
/// digit judged), a UAE mobile or landline, or an international number.
fn classify(digits: &str, plus: bool, groups: usize) -> Option<(u8, &'static str)> {
    if !plus && digits.len() == 15 && digits.starts_with("784") {
        return Some(if luhn_valid(digits) {
            (EMIRATES_ID, "Emirates ID number (valid check digit)")
        } else {
            (EMIRATES_ID, "Emirates ID-like number (invalid check digit)")
        });
    }
    let international = match digits.strip_prefix("00") {
        _ if plus => Some(digits),
        Some(rest) => Some(rest),
        None => None,
    };
    if let Some(number) = international {
        if let Some(national) = number.strip_prefix("971") {
            let national = national.strip_prefix('0').unwrap_or(national);
            return uae_national(national).then_some((PHONE, "UAE phone number (+971)"));
        }
        let plausible = (8..=15).contains(&number.len()) && !number.starts_with('0');
        return plausible.then_some((PHONE, "international phone number"));
    }
    if let Some(national) = digits.strip_prefix("971").filter(|n| uae_mobile(n)) {
        return uae_mobile(national).then_some((PHONE, "UAE mobile number (971)"));
    }
    if let Some(national) = digits.strip_prefix('0') {
        if uae_mobile(national) {
            return Some((PHONE, "UAE mobile number"));
        }
        if uae_landline(national) {
            return Some((PHONE, "UAE landline number"));
        }
    }
    // "50 123 4567" without the leading 0; one unbroken 9-digit run is more likely an amount.
    (groups > 1 && uae_mobile(digits)).then_some((PHONE, "UAE mobile number"))
}

fn uae_national(national: &str) -> bool {
    uae_mobile(national) || uae_landline(national)
}

/// 5x xxx xxxx: 9 digits after the trunk 0.
fn uae_mobile(national: &str) -> bool {
    national.len() == 9 && national.starts_with('5')
}

/// Area codes 2 (Abu Dhabi), 3 (Al Ain), 4 (Dubai), 6 (Sharjah, Ajman, UAQ), 7 (RAK),
/// 9 (Fujairah), then 7 digits.
fn uae_landline(national: &str) -> bool {
    national.len() == 8 && national.starts_with(['2', '3', '4', '6', '7', '9'])
}

/// The Luhn check used by Emirates ID numbers: the last digit makes the weighted sum a
/// multiple of 10.
pub(super) fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0;
    for (k, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else {
            return false;
        };
        if k % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum % 10 == 0
}

fn is_email_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_host(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

/// `name@host.tld` emails, and `@handle` mentions (a contact channel for spam).
fn emails_and_handles(units: &[Unit]) -> Vec<Span> {
    let mut spans = Vec::new();
    for (at, u) in units.iter().enumerate().filter(|(_, u)| u.c == '@') {
        let mut left = at;
        while left > 0 && is_email_local(units[left - 1].c) {
            left -= 1;
        }
        while left < at && matches!(units[left].c, '.' | '-' | '+') {
            left += 1;
        }
        let mut right = at + 1;
        while right < units.len() && is_host(units[right].c) {
            right += 1;
        }
        while right > at + 1 && matches!(units[right - 1].c, '.' | '-') {
            right -= 1;
        }
        let host: String = units[at + 1..right].iter().map(|u| u.c).collect();
        if left < at && is_domain(&host) {
            let (start, end) = (units[left].start, units[right - 1].end);
            spans.push(Span {
                tag: EMAIL,
                start,
                end,
                rule: "email address",
            });
        } else if left == at && right - at > 3 && (at == 0 || !units[at - 1].c.is_alphanumeric()) {
            let mut end = right;
            while end < units.len() && (units[end].c.is_ascii_alphanumeric() || units[end].c == '_')
            {
                end += 1;
            }
            let (start, end) = (u.start, units[end - 1].end);
            spans.push(Span {
                tag: HANDLE,
                start,
                end,
                rule: "social media handle",
            });
        }
    }
    spans
}

/// Top-level domains common in links posted in the UAE.
const TLDS: [&str; 24] = [
    "com", "net", "org", "ae", "io", "ly", "me", "co", "info", "biz", "shop", "store", "online",
    "site", "app", "xyz", "link", "gov", "edu", "tv", "gg", "to", "uk", "sa",
];

/// `host.tld`: two or more labels of letters, digits and dashes, ending in a known TLD.
fn is_domain(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| TLDS.contains(tld))
}

fn is_link_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

/// Links: `http(s)://…`, `www.…`, or a bare `host.tld/path` (`bit.ly/x`, `t.me/x`).
fn links(units: &[Unit]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < units.len() {
        if !is_link_char(units[i].c) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < units.len() && is_link_char(units[j].c) {
            j += 1;
        }
        let mut end = j;
        while end > i && ".,!?;:)'".contains(units[end - 1].c) {
            end -= 1;
        }
        let chunk: String = units[i..end].iter().map(|u| u.c).collect();
        let host = chunk.split(['/', '?', '#']).next().unwrap_or_default();
        let link = chunk.starts_with("http://")
            || chunk.starts_with("https://")
            || chunk.starts_with("www.")
            || !host.contains('@') && is_domain(host);
        if link && end > i {
            let (start, end) = (units[i].start, units[end - 1].end);
            spans.push(Span {
                tag: URL,
                start,
                end,
                rule: "link",
            });
        }
        i = j;
    }
    spans
}
