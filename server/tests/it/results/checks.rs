//! The recomputation: every figure of the results (counts, percents, means, medians, NPS,
//! completion times) counted again from the raw rows and compared.

use super::*;

pub(super) fn median_of(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

pub(super) fn mean_of(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The histogram bar a completion time falls in (its lower bound), as the results promise:
/// 5 s steps in the first minute, 30 s up to ten minutes, 5 min up to an hour, then hours;
/// longer than a day or negative: not counted.
pub(super) fn bucket(seconds: i64) -> Option<f64> {
    if !(0..=24 * 3600).contains(&seconds) {
        return None;
    }
    let step = match seconds {
        0..60 => 5,
        60..600 => 30,
        600..3600 => 300,
        _ => 3600,
    };
    Some((seconds / step * step) as f64)
}

pub(super) fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

pub(super) fn result<'a>(results: &'a Results, key: &str) -> &'a QuestionResult {
    results
        .questions
        .iter()
        .find(|q| q.key == key)
        .unwrap_or_else(|| panic!("a result for {key}"))
}

/// Checks one choice-like question: every option's count and percent, and how many answered.
pub(super) fn check_options(
    context: &str,
    q: &QuestionResult,
    expected: &[(String, usize)],
    answered: usize,
    multiple: bool,
) {
    assert_eq!(q.answered, Some(answered as i64), "{context}: answered");
    let Summary::Choices {
        options,
        multiple: is_multiple,
    } = &q.summary
    else {
        panic!("{context}: choices, not {:?}", q.summary);
    };
    assert_eq!(*is_multiple, multiple, "{context}: multiple");
    let got: Vec<(String, Option<i64>)> = options.iter().map(|o| (o.key.clone(), o.n)).collect();
    let want: Vec<(String, Option<i64>)> = expected
        .iter()
        .map(|(k, n)| (k.clone(), Some(*n as i64)))
        .collect();
    assert_eq!(got, want, "{context}: counts per option");
    for (option, (_, n)) in options.iter().zip(expected) {
        assert!(
            close_opt(option.percent, Some(percent(*n, answered))),
            "{context}: percent of {}: {:?}, expected {}",
            option.key,
            option.percent,
            percent(*n, answered)
        );
    }
}

/// Checks a scale (rating or NPS): counts per point, mean, median and the NPS parts.
pub(super) fn check_scale(
    context: &str,
    q: &QuestionResult,
    values: &[f64],
    range: std::ops::RangeInclusive<i32>,
    is_nps: bool,
) {
    assert_eq!(q.answered, Some(values.len() as i64), "{context}: answered");
    let Summary::Scale {
        points,
        mean,
        median,
        nps,
    } = &q.summary
    else {
        panic!("{context}: a scale, not {:?}", q.summary);
    };
    let got: Vec<(String, Option<i64>)> = points.iter().map(|p| (p.key.clone(), p.n)).collect();
    let want: Vec<(String, Option<i64>)> = range
        .map(|p| {
            let n = values.iter().filter(|x| **x == f64::from(p)).count();
            (p.to_string(), Some(n as i64))
        })
        .collect();
    assert_eq!(got, want, "{context}: counts per point");
    assert!(
        close_opt(*mean, mean_of(values)),
        "{context}: mean {mean:?}, expected {:?}",
        mean_of(values)
    );
    let expected_median = median_of(&mut values.to_vec());
    assert!(
        close_opt(*median, expected_median),
        "{context}: median {median:?}, expected {expected_median:?}"
    );
    if is_nps {
        let nps = nps.as_ref().expect("an NPS");
        let promoters = values.iter().filter(|x| **x >= 9.0).count();
        let passives = values.iter().filter(|x| (7.0..9.0).contains(*x)).count();
        let detractors = values.len() - promoters - passives;
        assert_eq!(
            (nps.promoters, nps.passives, nps.detractors),
            (
                Some(promoters as i64),
                Some(passives as i64),
                Some(detractors as i64)
            ),
            "{context}: NPS parts"
        );
        let score = if values.is_empty() {
            0.0
        } else {
            (promoters as f64 - detractors as f64) * 100.0 / values.len() as f64
        };
        assert!(
            close(nps.score, score),
            "{context}: NPS {}, expected {score}",
            nps.score
        );
    } else {
        assert_eq!(*nps, None, "{context}: no NPS on a rating");
    }
}

/// Checks every figure of `results` against the rows that pass `filter`.
pub(super) fn check_results(context: &str, results: &Results, all: &[Row], filter: &Filter) {
    let rows: Vec<&Row> = all.iter().filter(|r| r.matches(filter)).collect();
    let context = format!("{context} ({} responses)", rows.len());
    let context = context.as_str();
    assert_eq!(
        results.responses,
        Some(rows.len() as i64),
        "{context}: responses"
    );

    // Who took part.
    for group in &results.groups {
        let n = rows.iter().filter(|r| r.group == group.group).count();
        assert_eq!(group.n, Some(n as i64), "{context}: group {}", group.group);
    }
    let channels: Vec<(String, Option<i64>)> = results
        .channels
        .iter()
        .map(|(code, _, n)| (code.clone(), *n))
        .collect();
    let expected: Vec<(String, Option<i64>)> = Channel::ALL
        .iter()
        .map(|c| {
            let n = rows.iter().filter(|r| r.channel == c.code()).count();
            (c.code().to_owned(), Some(n as i64))
        })
        .filter(|(_, n)| *n != Some(0))
        .collect();
    assert_eq!(channels, expected, "{context}: channels");
    let mut durations: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.duration.and_then(bucket))
        .collect();
    let expected_median = median_of(&mut durations);
    assert!(
        close_opt(results.median_seconds, expected_median),
        "{context}: median time {:?}, expected {expected_median:?}",
        results.median_seconds
    );
    if filter.by_answer().is_none() {
        // Every response here was stored without a draft: each is a start, and each was sent.
        let completion = (!rows.is_empty()).then_some(100.0);
        assert_eq!(results.completion, completion, "{context}: completion");
    }

    // Choices.
    let options = |q: &str, keys: &[&str], multiple: bool| -> (Vec<(String, usize)>, usize) {
        let counts = keys
            .iter()
            .map(|k| {
                let n = rows
                    .iter()
                    .filter(|r| match (multiple, r.answers.get(q)) {
                        (false, Some(Answer::Choice { key, .. })) => key == k,
                        (true, Some(Answer::Choices { keys, .. })) => keys.iter().any(|x| x == k),
                        _ => false,
                    })
                    .count();
                ((*k).to_owned(), n)
            })
            .collect();
        let answered = rows
            .iter()
            .filter(|r| {
                if multiple {
                    r.chosen(q).is_some()
                } else {
                    r.choice(q).is_some()
                }
            })
            .count();
        (counts, answered)
    };
    let mut single_keys: Vec<&str> = SINGLE.iter().map(|(k, _)| *k).collect();
    single_keys.push("other");
    for (key, keys, multiple) in [
        ("single", single_keys, false),
        ("multi", MULTI.iter().map(|(k, _)| *k).collect(), true),
        ("drop", DROP.iter().map(|(k, _)| *k).collect(), false),
        ("yn", vec!["yes", "no"], false),
    ] {
        let (expected, answered) = options(key, &keys, multiple);
        check_options(
            &format!("{context}, {key}"),
            result(results, key),
            &expected,
            answered,
            multiple,
        );
    }

    // Scales.
    let numbers = |q: &str| -> Vec<f64> { rows.iter().filter_map(|r| r.number(q)).collect() };
    check_scale(
        &format!("{context}, rate"),
        result(results, "rate"),
        &numbers("rate"),
        1..=5,
        false,
    );
    check_scale(
        &format!("{context}, nps"),
        result(results, "nps"),
        &numbers("nps"),
        0..=10,
        true,
    );

    // The matrix: a count per row and scale point.
    let grid = result(results, "grid");
    let grids: Vec<&BTreeMap<String, String>> = rows
        .iter()
        .filter_map(|r| match r.answers.get("grid") {
            Some(Answer::Matrix(m)) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(
        grid.answered,
        Some(grids.len() as i64),
        "{context}: grid answered"
    );
    let Summary::Matrix { scale, rows: got } = &grid.summary else {
        panic!("{context}: a matrix, not {:?}", grid.summary);
    };
    assert_eq!(
        scale,
        &SCALE.map(|(_, l)| l.to_owned()).to_vec(),
        "{context}: scale"
    );
    let want: Vec<(String, Vec<Option<i64>>)> = ROWS
        .iter()
        .map(|(row, label)| {
            let counts = SCALE
                .iter()
                .map(|(point, _)| {
                    let n = grids
                        .iter()
                        .filter(|m| m.get(*row).map(String::as_str) == Some(*point))
                        .count();
                    Some(n as i64)
                })
                .collect();
            ((*label).to_owned(), counts)
        })
        .collect();
    assert_eq!(got, &want, "{context}: grid counts");

    // The ranking: each choice's mean rank, best first.
    let rank = result(results, "rank");
    let orders: Vec<&Vec<String>> = rows
        .iter()
        .filter_map(|r| match r.answers.get("rank") {
            Some(Answer::Ranking(order)) => Some(order),
            _ => None,
        })
        .collect();
    assert_eq!(
        rank.answered,
        Some(orders.len() as i64),
        "{context}: rank answered"
    );
    let Summary::Ranking { items } = &rank.summary else {
        panic!("{context}: a ranking, not {:?}", rank.summary);
    };
    let got: HashMap<&str, Option<f64>> = items.iter().map(|(l, m)| (l.as_str(), *m)).collect();
    for (choice, label) in RANK {
        let ranks: Vec<f64> = orders
            .iter()
            .filter_map(|o| o.iter().position(|k| k == choice).map(|i| (i + 1) as f64))
            .collect();
        let expected = mean_of(&ranks);
        let shown = got.get(label).copied().flatten();
        assert!(
            close_opt(shown, expected),
            "{context}: mean rank of {label}: {shown:?}, expected {expected:?}"
        );
    }
    let means: Vec<f64> = items.iter().filter_map(|(_, m)| *m).collect();
    assert!(
        means.windows(2).all(|w| w[0] <= w[1]),
        "{context}: ranking best first: {items:?}"
    );

    // The number: mean, median, extremes, and bins that hold every answer.
    let num = result(results, "num");
    let mut values = numbers("num");
    assert_eq!(
        num.answered,
        Some(values.len() as i64),
        "{context}: num answered"
    );
    let Summary::Numeric {
        mean,
        median,
        min,
        max,
        bins,
    } = &num.summary
    else {
        panic!("{context}: numeric, not {:?}", num.summary);
    };
    assert!(
        close_opt(*mean, mean_of(&values)),
        "{context}: num mean {mean:?}, expected {:?}",
        mean_of(&values)
    );
    let lowest = values.iter().copied().reduce(f64::min);
    let highest = values.iter().copied().reduce(f64::max);
    assert_eq!((*min, *max), (lowest, highest), "{context}: num extremes");
    let expected_median = median_of(&mut values);
    assert!(
        close_opt(*median, expected_median),
        "{context}: num median {median:?}, expected {expected_median:?}"
    );
    let binned: i64 = bins.iter().filter_map(|b| b.n).sum();
    assert_eq!(
        binned,
        values.len() as i64,
        "{context}: every number in a bin"
    );

    // Text: only how many answered.
    let note = result(results, "note");
    let written = rows
        .iter()
        .filter(|r| matches!(r.answers.get("note"), Some(Answer::Text(_))))
        .count();
    assert_eq!(
        note.answered,
        Some(written as i64),
        "{context}: note answered"
    );
    assert_eq!(
        note.summary,
        Summary::Text { listable: true },
        "{context}: note"
    );

    // Dates: by month.
    let mut months: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        if let Some(Answer::Date(d)) = r.answers.get("when") {
            *months.entry(d.format("%Y-%m").to_string()).or_default() += 1;
        }
    }
    let dated = months.values().sum();
    let expected: Vec<(String, usize)> = months.into_iter().collect();
    check_options(
        &format!("{context}, when"),
        result(results, "when"),
        &expected,
        dated,
        false,
    );
}
