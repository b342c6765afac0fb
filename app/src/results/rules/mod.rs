//! Pure results logic, shared by the writer (which keeps the running counts), the dashboard,
//! the public page and `sharek results verify` (which recomputes them from the raw answers).
//!
//! A response is counted as **cells**: `(question, item, value)` with a count of one and a
//! numeric `total`.
//! - `("", "", "")`: the response itself; `("", "duration", bucket)`: how long it took,
//!   `total` the exact seconds; `("", "started", "")`: a response begun (a saved first page).
//! - A choice (single, dropdown, yes/no, date by month, a number or scale point): `(q, "",
//!   value)`.
//! - Multiple choice: `(q, "", key)` per key chosen, plus `(q, "", "")` once (respondents).
//! - Matrix: `(q, row, point)` per row answered, plus `(q, "", "")`.
//! - Ranking: `(q, choice, rank)` per choice, plus `(q, "", "")`.
//! - Text (short, long, email, phone): `(q, "", "")` only; the words are never counted.
//!
//! Invariant: `total` is the value read as a number (0 when it is not one), except for the
//! duration, whose bucket keeps the exact seconds in `total`. [`encode`] writes a response's
//! cells compactly (`q.item=value;`); [`Tally::add_codes`] reads them back to the same cells.

use std::collections::HashMap;

use chrono::Datelike;

use crate::surveys::conditions::{Answer, Answers, STAKEHOLDER_QUESTION};

#[cfg(test)]
mod tests;

/// The question of the per-response cells.
pub const RESPONSE: &str = "";
pub const DURATION: &str = "duration";
pub const STARTED: &str = "started";
/// The longest completion time counted (a day): a form left open longer says nothing.
pub const MAX_DURATION_S: i64 = 24 * 60 * 60;
/// Public results hide any count below this (MISSION §6.4: no one is identifiable).
pub const SMALL_CELL: i64 = 5;

/// One counted fact of a response.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub question: String,
    pub item: String,
    pub value: String,
    pub total: f64,
}

impl Cell {
    fn new(question: &str, item: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        let total = value
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .unwrap_or(0.0);
        Self {
            question: question.to_owned(),
            item: item.to_owned(),
            value,
            total,
        }
    }
}

/// A number as a cell value: integers without a decimal point, others in their shortest
/// exact form (so reading it back gives the same number).
pub fn number_value(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The histogram bucket (lower bound, seconds) of a completion time: 5 s steps in the first
/// minute, 30 s up to ten minutes, 5 min up to an hour, then hours.
pub fn duration_bucket(seconds: i64) -> i64 {
    let s = seconds.clamp(0, MAX_DURATION_S);
    let step = match s {
        0..60 => 5,
        60..600 => 30,
        600..3600 => 300,
        _ => 3600,
    };
    s / step * step
}

/// The cells of one response (not counting the response cell itself).
pub fn cells(answers: &Answers, duration: Option<i64>) -> Vec<Cell> {
    let mut out = Vec::with_capacity(answers.len() + 2);
    if let Some(seconds) = duration.filter(|s| (0..=MAX_DURATION_S).contains(s)) {
        let mut cell = Cell::new(RESPONSE, DURATION, duration_bucket(seconds).to_string());
        cell.total = seconds as f64;
        out.push(cell);
    }
    for (question, answer) in answers {
        if question == STAKEHOLDER_QUESTION {
            continue;
        }
        let q = question.as_str();
        match answer {
            Answer::Choice { key, .. } => out.push(Cell::new(q, "", key.as_str())),
            Answer::Choices { keys, .. } => {
                out.push(Cell::new(q, "", ""));
                out.extend(keys.iter().map(|k| Cell::new(q, "", k.as_str())));
            }
            Answer::Ranking(keys) => {
                out.push(Cell::new(q, "", ""));
                out.extend(
                    keys.iter()
                        .enumerate()
                        .map(|(rank, k)| Cell::new(q, k, (rank + 1).to_string())),
                );
            }
            Answer::Matrix(rows) => {
                out.push(Cell::new(q, "", ""));
                out.extend(
                    rows.iter()
                        .map(|(row, point)| Cell::new(q, row, point.as_str())),
                );
            }
            Answer::Number(x) if x.is_finite() => out.push(Cell::new(q, "", number_value(*x))),
            Answer::Number(_) => {}
            Answer::Text(_) => out.push(Cell::new(q, "", "")),
            Answer::Date(d) => out.push(Cell::new(
                q,
                "",
                format!("{:04}-{:02}", d.year(), d.month()),
            )),
        }
    }
    out
}

/// A response's cells as one compact string: `q.item=value;` per cell (`.item` left out when
/// empty). Keys never hold `.`, `=` or `;` (validate::is_key), nor do values.
pub fn encode(cells: &[Cell]) -> String {
    let mut out = String::new();
    for cell in cells {
        out.push_str(&cell.question);
        if !cell.item.is_empty() {
            out.push('.');
            out.push_str(&cell.item);
        }
        out.push('=');
        out.push_str(&cell.value);
        out.push(';');
    }
    out
}

/// A response's single-valued and multiple-choice answers in the form crosstabs read:
/// `;q=value;` per question (`;q=a,b;` for several choices), numbers included, nothing else.
/// Shorter than the codes, so the database picks answers out of a million of them quickly.
pub fn choices(answers: &Answers) -> String {
    let mut out = String::from(";");
    for (question, answer) in answers {
        let value = match answer {
            _ if question == STAKEHOLDER_QUESTION => continue,
            Answer::Choice { key, .. } => key.clone(),
            Answer::Choices { keys, .. } => keys.join(","),
            Answer::Number(x) if x.is_finite() => number_value(*x),
            _ => continue,
        };
        out.push_str(question);
        out.push('=');
        out.push_str(&value);
        out.push(';');
    }
    out
}

/// Every pair of answers in a response's [`choices`] to the questions `keep` accepts, as
/// `(a, x, b, y)` with question `a` before question `b`: what the crosstab counts add up. A
/// multiple-choice answer pairs each choice picked; a question with no answer pairs nothing.
pub fn pairs<'c>(
    choices: &'c str,
    keep: &(impl Fn(&str) -> bool + ?Sized),
    mut add: impl FnMut(&'c str, &'c str, &'c str, &'c str),
) {
    let mut answers: Vec<(&'c str, &'c str)> = choices
        .split(';')
        .filter_map(|token| token.split_once('='))
        .filter(|(question, value)| !value.is_empty() && keep(question))
        .collect();
    // Written in key order; sorted anyway, so `a < b` whatever wrote them.
    answers.sort_unstable();
    for (i, (a, xs)) in answers.iter().enumerate() {
        for (b, ys) in &answers[i + 1..] {
            for x in xs.split(',').filter(|x| !x.is_empty()) {
                for y in ys.split(',').filter(|y| !y.is_empty()) {
                    add(a, x, b, y);
                }
            }
        }
    }
}

/// The cells [`encode`] wrote, as (question, item, value).
pub fn decode(codes: &str) -> impl Iterator<Item = (&str, &str, &str)> {
    codes.split(';').filter_map(|token| {
        let (left, value) = token.split_once('=')?;
        let (question, item) = left.split_once('.').unwrap_or((left, ""));
        Some((question, item, value))
    })
}

/// A count and the sum of its numeric values.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Count {
    pub n: i64,
    pub total: f64,
}

/// Cells added up: the counts a dashboard is built from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub cells: HashMap<(String, String, String), Count>,
}

impl Tally {
    pub fn add(&mut self, question: &str, item: &str, value: &str, n: i64, total: f64) {
        let count = self
            .cells
            .entry((question.to_owned(), item.to_owned(), value.to_owned()))
            .or_default();
        count.n += n;
        count.total += total;
    }

    /// Counts one response: its response cell and its cells.
    pub fn add_response(&mut self, cells: &[Cell]) {
        self.add(RESPONSE, "", "", 1, 0.0);
        for c in cells {
            self.add(&c.question, &c.item, &c.value, 1, c.total);
        }
    }

    /// Counts one response from its codes (the same cells as [`Tally::add_response`], the
    /// duration's total read as its bucket).
    pub fn add_codes(&mut self, codes: &str) {
        self.add(RESPONSE, "", "", 1, 0.0);
        for (question, item, value) in decode(codes) {
            let total = value
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .unwrap_or(0.0);
            self.add(question, item, value, 1, total);
        }
    }

    pub fn get(&self, question: &str, item: &str, value: &str) -> Count {
        self.cells
            .get(&(question.to_owned(), item.to_owned(), value.to_owned()))
            .copied()
            .unwrap_or_default()
    }

    pub fn n(&self, question: &str, item: &str, value: &str) -> i64 {
        self.get(question, item, value).n
    }

    /// Every (value, count) of a question's item, in no particular order.
    pub fn values<'a>(
        &'a self,
        question: &'a str,
        item: &'a str,
    ) -> impl Iterator<Item = (&'a str, Count)> + 'a {
        self.cells
            .iter()
            .filter(move |((q, i, v), _)| q == question && i == item && !v.is_empty())
            .map(|((_, _, v), c)| (v.as_str(), *c))
    }

    /// Cells present in one tally and not the other, or counted differently: what `verify`
    /// reports. Totals are compared with a tolerance for floating-point sums.
    pub fn differences(&self, other: &Tally) -> Vec<((String, String, String), Count, Count)> {
        let mut keys: Vec<&(String, String, String)> =
            self.cells.keys().chain(other.cells.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .filter_map(|key| {
                let a = self.cells.get(key).copied().unwrap_or_default();
                let b = other.cells.get(key).copied().unwrap_or_default();
                let close =
                    (a.total - b.total).abs() <= 1e-6 * a.total.abs().max(b.total.abs()).max(1.0);
                (a.n != b.n || !close).then(|| (key.clone(), a, b))
            })
            .collect()
    }
}

/// The median of a histogram of numeric values (the mean of the two middle values when the
/// count is even); `None` when empty.
pub fn median(histogram: &[(f64, i64)]) -> Option<f64> {
    let mut sorted: Vec<(f64, i64)> = histogram.iter().copied().filter(|(_, n)| *n > 0).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n: i64 = sorted.iter().map(|(_, n)| n).sum();
    if n == 0 {
        return None;
    }
    // The values at (1-based) positions lo and hi.
    let (lo, hi) = ((n + 1) / 2, n / 2 + 1);
    let at = |position: i64| {
        let mut seen = 0;
        sorted.iter().find_map(|(x, k)| {
            seen += k;
            (seen >= position).then_some(*x)
        })
    };
    Some((at(lo)? + at(hi)?) / 2.0)
}

/// Net Promoter Score parts from a 0–10 histogram: (promoters, passives, detractors, score).
pub fn nps(histogram: &[(f64, i64)]) -> (i64, i64, i64, f64) {
    let (mut p, mut m, mut d) = (0, 0, 0);
    for (x, n) in histogram {
        match *x {
            x if x >= 9.0 => p += n,
            x if x >= 7.0 => m += n,
            _ => d += n,
        }
    }
    let all = p + m + d;
    let score = if all == 0 {
        0.0
    } else {
        (p - d) as f64 * 100.0 / all as f64
    };
    (p, m, d, score)
}

/// A percentage of `whole`, 0 when the whole is 0.
pub fn percent(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// Hides small counts on public pages: every count below [`SMALL_CELL`] becomes `None`, and
/// when exactly one count in a group is hidden, the next smallest is hidden too, so the hidden
/// one cannot be worked out from the total.
pub fn suppress(counts: &[i64]) -> Vec<Option<i64>> {
    let mut out: Vec<Option<i64>> = counts
        .iter()
        .map(|&n| (n >= SMALL_CELL).then_some(n))
        .collect();
    if out.iter().filter(|c| c.is_none()).count() == 1
        && let Some((index, _)) = out
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|n| (i, n)))
            .min_by_key(|(_, n)| *n)
    {
        out[index] = None;
    }
    out
}

/// Text folded for searching Arabic and English alike: diacritics and tatweel removed, alef,
/// yeh, teh marbuta, waw and yeh with hamza unified, Latin letters lower-cased.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ى' | 'ئ' => Some('ي'),
            'ة' => Some('ه'),
            'ؤ' => Some('و'),
            c => Some(c),
        })
        .flat_map(char::to_lowercase)
        .collect()
}
