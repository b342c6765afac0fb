//! Scores the screener on labelled comments: precision and recall per category and per kind
//! of personal data, exact-match accuracy, and false holds.
//!
//! `examples.tsv` is the tuning set; the first hold-out set (`holdout.tsv`) has been merged
//! into it and retired. `holdout2.tsv` is the blind set: written apart from tuning, never
//! tuned on, and only reported by `second_holdout_report`.

use super::super::*;

/// Floors on the tuning set.
const MIN_PRECISION: f64 = 0.85;
const MIN_RECALL: f64 = 0.80;
const MIN_ACCURACY: f64 = 0.85;
const MAX_FALSE_HOLD_RATE: f64 = 0.03;

/// Floors on the blind set, a little under what was measured (2026-12-06: accuracy 0.705,
/// false holds 2.5 %, every category's precision at least 0.80, personal data found every
/// time). What matters most holds there too: legitimate comments publish, and what screening
/// flags is rightly flagged; abuse it misses is left to flags and moderators.
const BLIND_MIN_ACCURACY: f64 = 0.68;
const BLIND_MAX_FALSE_HOLD_RATE: f64 = 0.05;
const BLIND_MIN_PRECISION: f64 = 0.75;
const BLIND_MIN_PERSONAL_RECALL: f64 = 0.95;

struct Example {
    line: usize,
    categories: Vec<Category>,
    personal_data: Vec<PersonalData>,
    lang: Lang,
    text: String,
}

fn keys(field: &str) -> Vec<&str> {
    if field == "-" {
        Vec::new()
    } else {
        field.split(',').collect()
    }
}

fn parse(source: &str) -> Vec<Example> {
    let mut out = Vec::new();
    for (n, line) in source.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 4, "line {}: {line}", n + 1);
        let mut categories: Vec<Category> = keys(fields[0])
            .into_iter()
            .map(|k| Category::from_key(k).expect(k))
            .collect();
        let mut personal_data: Vec<PersonalData> = keys(fields[1])
            .into_iter()
            .map(|k| PersonalData::from_key(k).expect(k))
            .collect();
        categories.sort();
        personal_data.sort();
        let lang = match fields[2] {
            "ar" => Lang::Ar,
            "en" => Lang::En,
            other => panic!("line {}: language {other}", n + 1),
        };
        out.push(Example {
            line: n + 1,
            categories,
            personal_data,
            lang,
            text: fields[3].into(),
        });
    }
    out
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, expected: bool, got: bool) {
        match (expected, got) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }
    fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

struct Report {
    rows: Vec<(&'static str, Counts)>,
    total: usize,
    exact: usize,
    negatives: usize,
    false_holds: usize,
    lang_right: usize,
}

fn evaluate(name: &str, source: &str) -> Report {
    let examples = parse(source);
    let mut cats = [Counts::default(); 9];
    let mut pds = [Counts::default(); 4];
    let (mut exact, mut negatives, mut false_holds, mut lang_right) = (0, 0, 0, 0);
    for ex in &examples {
        let s = screen(&ex.text, None);
        for (k, c) in Category::ALL.into_iter().enumerate() {
            cats[k].add(ex.categories.contains(&c), s.categories.contains(&c));
        }
        for (k, p) in PersonalData::ALL.into_iter().enumerate() {
            pds[k].add(ex.personal_data.contains(&p), s.personal_data.contains(&p));
        }
        let right = s.categories == ex.categories && s.personal_data == ex.personal_data;
        exact += usize::from(right);
        lang_right += usize::from(s.lang == ex.lang);
        if ex.categories.is_empty() && ex.personal_data.is_empty() {
            negatives += 1;
            false_holds += usize::from(s.decision == Decision::Hold);
        }
        if !right {
            let why: Vec<String> = s
                .reasons
                .iter()
                .map(|r| format!("{:?} {:?} ({})", r.finding, r.matched, r.rule))
                .collect();
            eprintln!(
                "{name}:{} expected {:?} {:?}, got {:?} {:?}\n    {}\n    {}",
                ex.line,
                ex.categories,
                ex.personal_data,
                s.categories,
                s.personal_data,
                ex.text,
                why.join("; ")
            );
        }
    }
    let mut rows: Vec<(&'static str, Counts)> = Category::ALL
        .into_iter()
        .zip(cats)
        .map(|(c, n)| (c.key(), n))
        .collect();
    rows.extend(
        PersonalData::ALL
            .into_iter()
            .zip(pds)
            .map(|(p, n)| (p.key(), n)),
    );
    let report = Report {
        rows,
        total: examples.len(),
        exact,
        negatives,
        false_holds,
        lang_right,
    };
    print_table(name, &report);
    report
}

fn print_table(name: &str, r: &Report) {
    eprintln!("\n{name}: {} comments", r.total);
    eprintln!(
        "{:<16} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "", "tp", "fp", "fn", "precision", "recall"
    );
    for (key, c) in &r.rows {
        eprintln!(
            "{key:<16} {:>4} {:>4} {:>4} {:>9.2} {:>7.2}",
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall()
        );
    }
    eprintln!(
        "exact-match accuracy {:.3} ({}/{}); false holds {}/{} = {:.3}; language {:.3}\n",
        ratio(r.exact, r.total),
        r.exact,
        r.total,
        r.false_holds,
        r.negatives,
        ratio(r.false_holds, r.negatives),
        ratio(r.lang_right, r.total)
    );
}

#[test]
fn examples_meet_the_declared_floors() {
    let report = evaluate("examples.tsv", include_str!("../examples.tsv"));
    assert!(report.total >= 320, "too few examples");
    for (key, c) in &report.rows {
        assert!(
            c.precision() >= MIN_PRECISION,
            "{key} precision {:.2}",
            c.precision()
        );
        assert!(c.recall() >= MIN_RECALL, "{key} recall {:.2}", c.recall());
    }
    assert!(ratio(report.exact, report.total) >= MIN_ACCURACY);
    assert!(ratio(report.false_holds, report.negatives) <= MAX_FALSE_HOLD_RATE);
}

#[test]
fn second_holdout_report() {
    let report = evaluate("holdout2.tsv", include_str!("../holdout2.tsv"));
    assert!(report.total >= 200, "too few examples");
    assert!(ratio(report.exact, report.total) >= BLIND_MIN_ACCURACY);
    assert!(ratio(report.false_holds, report.negatives) <= BLIND_MAX_FALSE_HOLD_RATE);
    for (key, c) in &report.rows {
        assert!(
            c.precision() >= BLIND_MIN_PRECISION,
            "{key} precision {:.2}",
            c.precision()
        );
        if PersonalData::ALL.iter().any(|p| p.key() == *key) {
            assert!(
                c.recall() >= BLIND_MIN_PERSONAL_RECALL,
                "{key} recall {:.2}",
                c.recall()
            );
        }
    }
}
