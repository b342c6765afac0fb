//! From counts to what a results page says: the right summary per question type, the
//! one-sentence text alternative of each chart, representativeness against targets, trends
//! across waves. Pure, so the dashboard, the public page and the API say the same thing.
//!
//! Invariant: on public pages (`public`) no count below [`SMALL_CELL`] is shown, nor one that
//! would let it be worked out; means and medians are shown only when at least that many
//! answered.

use std::collections::BTreeMap;

use super::rules::{RESPONSE, SMALL_CELL, Tally, median, nps, percent, suppress};
use super::{GroupShare, NpsScore, QuestionResult, Share, Shown, Summary, Trend};
use crate::Locale;
use crate::surveys::StakeholderGroup;
use crate::surveys::model::{Choice, Definition, Kind, OTHER, Question};

/// Shows counts (hiding small ones when public).
fn shown(counts: &[i64], public: bool) -> Vec<Shown> {
    if public {
        suppress(counts)
    } else {
        counts.iter().copied().map(Some).collect()
    }
}

/// A figure to one decimal place, without a trailing ".0"; a negative one reads left to right
/// in Arabic too (`numbers::ltr_number`).
pub fn figure(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    let text = if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    };
    crate::numbers::ltr_number(text)
}

fn shares(keys: &[(String, String)], counts: &[i64], whole: i64, public: bool) -> Vec<Share> {
    keys.iter()
        .zip(shown(counts, public))
        .map(|((key, label), n)| Share {
            key: key.clone(),
            label: label.clone(),
            n,
            percent: n.map(|n| percent(n, whole)),
        })
        .collect()
}

fn choice_keys(choices: &[Choice], other: bool, locale: Locale) -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = choices
        .iter()
        .map(|c| (c.key.clone(), c.label.get(locale).to_owned()))
        .collect();
    if other {
        keys.push((OTHER.to_owned(), locale.t("results.other")));
    }
    keys
}

/// The numeric values answered to a question, as (value, count).
fn histogram(tally: &Tally, key: &str) -> Vec<(f64, i64)> {
    tally
        .values(key, "")
        .filter_map(|(v, c)| v.parse::<f64>().ok().map(|x| (x, c.n)))
        .collect()
}

fn mean_of(tally: &Tally, key: &str, item: &str) -> Option<f64> {
    let (n, total) = tally
        .values(key, item)
        .fold((0, 0.0), |(n, t), (_, c)| (n + c.n, t + c.total));
    (n > 0).then(|| total / n as f64)
}

/// Bins for a numeric question: one per value when there are few, else ten equal ranges.
fn numeric_bins(values: &[(f64, i64)]) -> Vec<(String, String, i64)> {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    if sorted.len() <= 12 {
        return sorted
            .into_iter()
            .map(|(x, n)| (super::rules::number_value(x), figure(x), n))
            .collect();
    }
    let (lo, hi) = (sorted[0].0, sorted[sorted.len() - 1].0);
    let width = (hi - lo) / 10.0;
    let mut bins: Vec<(String, String, i64)> = (0..10)
        .map(|i| {
            let a = lo + width * f64::from(i);
            let b = if i == 9 { hi } else { a + width };
            (
                format!("{}..{}", figure(a), figure(b)),
                format!("{}–{}", figure(a), figure(b)),
                0,
            )
        })
        .collect();
    for (x, n) in sorted {
        let index = (((x - lo) / width) as usize).min(9);
        bins[index].2 += n;
    }
    bins
}

/// The summary of one question from the counts.
pub fn question(q: &Question, tally: &Tally, locale: Locale, public: bool) -> QuestionResult {
    let key = q.key.as_str();
    let sum_of_values = || tally.values(key, "").map(|(_, c)| c.n).sum::<i64>();
    let answered = match &q.kind {
        Kind::MultipleChoice { .. }
        | Kind::Matrix { .. }
        | Kind::Ranking { .. }
        | Kind::ShortText { .. }
        | Kind::LongText { .. }
        | Kind::Email
        | Kind::Phone => tally.n(key, "", ""),
        _ => sum_of_values(),
    };
    let enough = !public || answered >= SMALL_CELL;
    let t = |k: &str, args: &[(&str, &str)]| locale.t_with(&format!("results.sentence.{k}"), args);
    let n_text = answered.to_string();
    let summary = match &q.kind {
        Kind::SingleChoice { choices, other }
        | Kind::Dropdown { choices, other }
        | Kind::MultipleChoice { choices, other, .. } => {
            let keys = choice_keys(choices, *other, locale);
            let counts: Vec<i64> = keys.iter().map(|(k, _)| tally.n(key, "", k)).collect();
            Summary::Choices {
                options: shares(&keys, &counts, answered, public),
                multiple: matches!(q.kind, Kind::MultipleChoice { .. }),
            }
        }
        Kind::YesNo => {
            let keys = vec![
                ("yes".to_owned(), locale.t("render.answer_yes")),
                ("no".to_owned(), locale.t("render.answer_no")),
            ];
            let counts: Vec<i64> = keys.iter().map(|(k, _)| tally.n(key, "", k)).collect();
            Summary::Choices {
                options: shares(&keys, &counts, answered, public),
                multiple: false,
            }
        }
        Kind::Date => {
            let mut months: Vec<(String, String)> = tally
                .values(key, "")
                .map(|(v, _)| (v.to_owned(), v.to_owned()))
                .collect();
            months.sort();
            let counts: Vec<i64> = months.iter().map(|(k, _)| tally.n(key, "", k)).collect();
            Summary::Choices {
                options: shares(&months, &counts, answered, public),
                multiple: false,
            }
        }
        Kind::Rating {
            min,
            max,
            min_label,
            max_label,
        } => scale(
            tally,
            key,
            *min..=*max,
            (min_label.get(locale), max_label.get(locale)),
            answered,
            public,
            false,
        ),
        Kind::Nps => {
            let (low, high) = crate::surveys::model::nps_ends();
            scale(
                tally,
                key,
                0..=10,
                (low.get(locale), high.get(locale)),
                answered,
                public,
                true,
            )
        }
        Kind::Matrix { rows, scale } => {
            let rows = rows
                .iter()
                .map(|row| {
                    let counts: Vec<i64> = scale
                        .iter()
                        .map(|p| tally.n(key, &row.key, &p.key))
                        .collect();
                    (row.label.get(locale).to_owned(), shown(&counts, public))
                })
                .collect();
            Summary::Matrix {
                scale: scale
                    .iter()
                    .map(|p| p.label.get(locale).to_owned())
                    .collect(),
                rows,
            }
        }
        Kind::Ranking { choices } => {
            let mut items: Vec<(String, Option<f64>)> = choices
                .iter()
                .map(|c| {
                    (
                        c.label.get(locale).to_owned(),
                        mean_of(tally, key, &c.key).filter(|_| enough),
                    )
                })
                .collect();
            items.sort_by(|a, b| a.1.unwrap_or(f64::MAX).total_cmp(&b.1.unwrap_or(f64::MAX)));
            Summary::Ranking { items }
        }
        Kind::Number { .. } => {
            let values = histogram(tally, key);
            let bins = numeric_bins(&values);
            let keys: Vec<(String, String)> = bins
                .iter()
                .map(|(k, l, _)| (k.clone(), l.clone()))
                .collect();
            let counts: Vec<i64> = bins.iter().map(|b| b.2).collect();
            let extreme = |max: bool| {
                values
                    .iter()
                    .map(|v| v.0)
                    .reduce(|a, b| if (b > a) == max { b } else { a })
                    .filter(|_| !public)
            };
            Summary::Numeric {
                mean: mean_of(tally, key, "").filter(|_| enough),
                median: median(&values).filter(|_| enough),
                min: extreme(false),
                max: extreme(true),
                bins: shares(&keys, &counts, answered, public),
            }
        }
        Kind::ShortText { .. } | Kind::LongText { .. } => Summary::Text { listable: !public },
        Kind::Email | Kind::Phone => Summary::Text { listable: false },
    };
    let sentence = if answered == 0 {
        t("none", &[])
    } else if !enough {
        t("too_few", &[("n", &SMALL_CELL.to_string())])
    } else {
        sentence(&summary, &n_text, &t)
    };
    QuestionResult {
        key: key.to_owned(),
        text: q.text.get(locale).to_owned(),
        kind: q.kind.code().to_owned(),
        answered: if enough { Some(answered) } else { None },
        summary,
        sentence,
        chart: String::new(),
    }
}

/// A rating or NPS: the share per point (the ends labelled with the scale's end labels, e.g.
/// "1 – Poor"), the mean, the median, and for the NPS its score.
fn scale(
    tally: &Tally,
    key: &str,
    range: std::ops::RangeInclusive<i32>,
    (low, high): (&str, &str),
    answered: i64,
    public: bool,
    is_nps: bool,
) -> Summary {
    let (first, last) = (*range.start(), *range.end());
    let points: Vec<(String, String)> = range
        .map(|p| {
            let end = match p {
                p if p == first => low,
                p if p == last => high,
                _ => "",
            };
            let label = if end.trim().is_empty() {
                p.to_string()
            } else {
                format!("{p} – {}", end.trim())
            };
            (p.to_string(), label)
        })
        .collect();
    let counts: Vec<i64> = points.iter().map(|(k, _)| tally.n(key, "", k)).collect();
    let values = histogram(tally, key);
    let enough = !public || answered >= SMALL_CELL;
    let nps = is_nps.then(|| {
        let (p, m, d, score) = nps(&values);
        let parts = shown(&[p, m, d], public);
        NpsScore {
            promoters: parts[0],
            passives: parts[1],
            detractors: parts[2],
            score,
        }
    });
    Summary::Scale {
        points: shares(&points, &counts, answered, public),
        mean: mean_of(tally, key, "").filter(|_| enough),
        median: median(&values).filter(|_| enough),
        nps: nps.filter(|_| enough),
    }
}

/// A catalogue lookup with placeholders, under `results.sentence.`.
type Say<'a> = &'a dyn Fn(&str, &[(&str, &str)]) -> String;

fn sentence(summary: &Summary, n: &str, t: Say) -> String {
    let pct = |p: Option<f64>| p.map(figure).unwrap_or_default();
    match summary {
        Summary::Choices { options, .. } => {
            match options.iter().filter(|o| o.n.is_some()).max_by_key(|o| o.n) {
                Some(top) => t(
                    "choices",
                    &[
                        ("label", &top.label),
                        ("percent", &pct(top.percent)),
                        ("n", n),
                    ],
                ),
                None => t("hidden", &[]),
            }
        }
        Summary::Scale {
            nps: Some(score),
            points,
            ..
        } => {
            let total: i64 = points.iter().filter_map(|p| p.n).sum();
            let share = |x: Shown| {
                x.map(|x| figure(percent(x, total)))
                    .unwrap_or_else(|| "–".into())
            };
            t(
                "nps",
                &[
                    ("score", &figure(score.score)),
                    ("promoters", &share(score.promoters)),
                    ("detractors", &share(score.detractors)),
                    ("n", n),
                ],
            )
        }
        Summary::Scale {
            mean,
            median,
            points,
            ..
        } => t(
            "scale",
            &[
                ("mean", &mean.map(figure).unwrap_or_default()),
                ("median", &median.map(figure).unwrap_or_default()),
                ("min", points.first().map(|p| p.key.as_str()).unwrap_or("")),
                ("max", points.last().map(|p| p.key.as_str()).unwrap_or("")),
                ("n", n),
            ],
        ),
        Summary::Matrix { rows, .. } => t("matrix", &[("rows", &rows.len().to_string()), ("n", n)]),
        Summary::Ranking { items } => match items.first() {
            Some((label, Some(mean))) => t(
                "ranking",
                &[("label", label), ("mean", &figure(*mean)), ("n", n)],
            ),
            _ => t("hidden", &[]),
        },
        Summary::Numeric { mean, median, .. } => t(
            "numeric",
            &[
                ("mean", &mean.map(figure).unwrap_or_default()),
                ("median", &median.map(figure).unwrap_or_default()),
                ("n", n),
            ],
        ),
        Summary::Text { .. } => t("text", &[("n", n)]),
    }
}

/// Responses by stakeholder group against the author's targets (percent by group code).
/// A group is flagged under-represented when its share falls short of its target by more
/// than a fifth of the target (MISSION §6.4, fairness).
pub fn groups(
    counts: &BTreeMap<String, i64>,
    targets: &BTreeMap<String, f64>,
    locale: Locale,
    public: bool,
) -> Vec<GroupShare> {
    let total: i64 = counts.values().sum();
    let all: Vec<i64> = StakeholderGroup::ALL
        .iter()
        .map(|g| counts.get(g.code()).copied().unwrap_or(0))
        .collect();
    StakeholderGroup::ALL
        .iter()
        .zip(shown(&all, public))
        .zip(&all)
        .map(|((g, n), raw)| {
            let share = percent(*raw, total);
            // Targets are the ministry's internal aim: never shown publicly.
            let target = targets.get(g.code()).copied().filter(|_| !public);
            GroupShare {
                group: g.code().to_owned(),
                label: locale.t(&g.label_key()),
                n,
                percent: n.map(|_| share),
                target,
                under: target.is_some_and(|t| total > 0 && share < t * 0.8),
            }
        })
        .collect()
}

/// The key figure of a question in one wave's counts: the mean of a scale or number, the NPS,
/// or the share choosing the first choice (yes, for yes/no). `None` for other types.
fn key_figure(q: &Question, tally: &Tally) -> Option<f64> {
    let key = q.key.as_str();
    match &q.kind {
        Kind::Rating { .. } | Kind::Number { .. } => mean_of(tally, key, ""),
        Kind::Nps => {
            let values = histogram(tally, key);
            (!values.is_empty()).then(|| nps(&values).3)
        }
        Kind::YesNo
        | Kind::SingleChoice { .. }
        | Kind::Dropdown { .. }
        | Kind::MultipleChoice { .. } => {
            let first = q.kind.answer_keys().first().map(|k| (*k).to_owned())?;
            let whole = if matches!(q.kind, Kind::MultipleChoice { .. }) {
                tally.n(key, "", "")
            } else {
                tally.values(key, "").map(|(_, c)| c.n).sum()
            };
            (whole > 0).then(|| percent(tally.n(key, "", &first), whole))
        }
        _ => None,
    }
}

/// Each question's key figure per wave, for the questions that have one.
/// Whether a question of this kind has a key figure per wave (a mean, an NPS, a share).
pub fn has_trend(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Rating { .. }
            | Kind::Number { .. }
            | Kind::Nps
            | Kind::YesNo
            | Kind::SingleChoice { .. }
            | Kind::Dropdown { .. }
            | Kind::MultipleChoice { .. }
    )
}

pub fn trends(
    definition: &Definition,
    waves: &BTreeMap<i32, Tally>,
    locale: Locale,
    public: bool,
) -> Vec<Trend> {
    definition
        .questions()
        .filter_map(|(_, q)| {
            has_trend(&q.kind).then_some(())?;
            let measure = match &q.kind {
                Kind::Rating { .. } | Kind::Number { .. } => locale.t("results.measure.mean"),
                Kind::Nps => locale.t("results.measure.nps"),
                Kind::YesNo => locale.t_with(
                    "results.measure.share",
                    &[("label", &locale.t("render.answer_yes"))],
                ),
                kind => {
                    let first = kind.choices()?.first()?;
                    locale.t_with(
                        "results.measure.share",
                        &[("label", first.label.get(locale))],
                    )
                }
            };
            let values: Vec<Option<f64>> = waves
                .values()
                .map(|tally| {
                    let small = public && tally.n(RESPONSE, "", "") < SMALL_CELL;
                    key_figure(q, tally).filter(|_| !small)
                })
                .collect();
            let last = values.iter().rev().flatten().next().copied();
            let first = values.iter().flatten().next().copied();
            let sentence = match (first, last) {
                (Some(a), Some(b)) if values.iter().flatten().count() > 1 => locale.t_with(
                    "results.sentence.trend",
                    &[
                        ("measure", &measure),
                        ("first", &figure(a)),
                        ("last", &figure(b)),
                        ("waves", &waves.len().to_string()),
                    ],
                ),
                _ => locale.t("results.sentence.trend_short"),
            };
            Some(Trend {
                key: q.key.clone(),
                text: q.text.get(locale).to_owned(),
                measure,
                waves: waves.keys().copied().collect(),
                labels: Vec::new(),
                values,
                sentence,
                chart: String::new(),
            })
        })
        .collect()
}

/// The range a trend of this question's key figure is drawn on: a rating's mean on the
/// scale's own range, shares from 0 to 100 %; the NPS (−100 to 100, but near 0 in practice)
/// and numbers on their data, from 0.
pub fn trend_range(kind: &Kind) -> Option<(f64, f64)> {
    match kind {
        Kind::Rating { min, max, .. } => Some((f64::from(*min), f64::from(*max))),
        Kind::Number { .. } | Kind::Nps => None,
        _ => Some((0.0, 100.0)),
    }
}

/// Whether a question can be a crosstab axis or an answer filter: one whose answers are
/// choices or scale points.
pub fn crosstab_question(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::SingleChoice { .. }
            | Kind::MultipleChoice { .. }
            | Kind::Dropdown { .. }
            | Kind::YesNo
            | Kind::Rating { .. }
            | Kind::Nps
    )
}

/// The answers such a question can have, as (stored value, label), "other" included.
pub fn value_labels(kind: &Kind, locale: Locale) -> Vec<(String, String)> {
    match kind {
        Kind::YesNo => vec![
            ("yes".to_owned(), locale.t("render.answer_yes")),
            ("no".to_owned(), locale.t("render.answer_no")),
        ],
        Kind::Rating { min, max, .. } => (*min..=*max)
            .map(|p| (p.to_string(), p.to_string()))
            .collect(),
        Kind::Nps => (0..=10).map(|p| (p.to_string(), p.to_string())).collect(),
        kind => choice_keys(kind.choices().unwrap_or_default(), kind.has_other(), locale),
    }
}
