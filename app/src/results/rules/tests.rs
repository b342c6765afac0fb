//! The results rules' tests: cells, codes, pairs, durations, medians, NPS, small-cell
//! suppression and Arabic folding, with property tests that codes read back to the same counts.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn sample() -> Answers {
    let mut a = Answers::new();
    a.insert("stakeholder_group".into(), Answer::choice("citizen"));
    a.insert("q1".into(), Answer::choice("c2"));
    a.insert(
        "q2".into(),
        Answer::Choices {
            keys: vec!["a".into(), "b".into()],
            other: Some("x".into()),
        },
    );
    a.insert("q3".into(), Answer::Number(4.5));
    a.insert("q4".into(), Answer::Ranking(vec!["b".into(), "a".into()]));
    a.insert(
        "q5".into(),
        Answer::Matrix(BTreeMap::from([("r1".into(), "2".into())])),
    );
    a.insert("q6".into(), Answer::Text("secret words".into()));
    a.insert(
        "q7".into(),
        Answer::Date(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap_or_default()),
    );
    a
}

#[test]
fn a_response_is_counted_without_its_words_or_group() {
    let codes = encode(&cells(&sample(), Some(75)));
    assert_eq!(
        codes,
        ".duration=60;q1=c2;q2=;q2=a;q2=b;q3=4.5;q4=;q4.b=1;q4.a=2;q5=;q5.r1=2;q6=;q7=2026-03;"
    );
    assert!(!codes.contains("secret") && !codes.contains("citizen"));
}

#[test]
fn choices_hold_one_token_per_countable_question() {
    assert_eq!(choices(&sample()), ";q1=c2;q2=a,b;q3=4.5;");
    assert_eq!(choices(&Answers::new()), ";");
}

#[test]
fn pairs_cross_every_kept_answer_once() {
    let mut seen = Vec::new();
    pairs(
        ";q1=c2;q2=a,b;q3=4.5;q9=;",
        &|q: &str| q != "q3",
        |a, x, b, y| seen.push(format!("{a}={x} {b}={y}")),
    );
    assert_eq!(seen, ["q1=c2 q2=a", "q1=c2 q2=b"]);
    // Out of key order, a question first only when its key sorts first.
    let mut seen = Vec::new();
    pairs(";b=1;a=x,y;", &|_: &str| true, |a, x, b, y| {
        seen.push(format!("{a}={x} {b}={y}"))
    });
    assert_eq!(seen, ["a=x b=1", "a=y b=1"]);
    let mut none = 0;
    pairs(";q1=c2;", &|_: &str| true, |_, _, _, _| none += 1);
    pairs(";", &|_: &str| true, |_, _, _, _| none += 1);
    assert_eq!(none, 0);
}

#[test]
fn codes_read_back_to_the_same_counts() {
    let answers = sample();
    let mut direct = Tally::default();
    direct.add_response(&cells(&answers, None));
    let mut read = Tally::default();
    read.add_codes(&encode(&cells(&answers, None)));
    assert_eq!(direct.differences(&read), vec![]);
    assert_eq!(read.get("q4", "a", "2").total, 2.0);
}

#[test]
fn durations_fall_in_buckets_and_absurd_ones_are_dropped() {
    assert_eq!(duration_bucket(3), 0);
    assert_eq!(duration_bucket(59), 55);
    assert_eq!(duration_bucket(95), 90);
    assert_eq!(duration_bucket(700), 600);
    assert_eq!(duration_bucket(7300), 7200);
    assert!(cells(&Answers::new(), Some(MAX_DURATION_S + 1)).is_empty());
    assert!(cells(&Answers::new(), Some(-1)).is_empty());
}

#[test]
fn medians_of_odd_and_even_counts() {
    assert_eq!(median(&[]), None);
    assert_eq!(median(&[(1.0, 1), (2.0, 1), (9.0, 1)]), Some(2.0));
    assert_eq!(median(&[(4.0, 2), (1.0, 2)]), Some(2.5));
    assert_eq!(median(&[(3.0, 10), (5.0, 0)]), Some(3.0));
}

#[test]
fn nps_counts_promoters_passives_and_detractors() {
    let (p, m, d, score) = nps(&[(10.0, 3), (9.0, 1), (8.0, 2), (6.0, 2), (0.0, 2)]);
    assert_eq!((p, m, d), (4, 2, 4));
    assert_eq!(score, 0.0);
}

#[test]
fn small_cells_are_hidden_and_cannot_be_worked_back() {
    assert_eq!(suppress(&[10, 4, 7]), vec![Some(10), None, None]);
    assert_eq!(suppress(&[10, 4, 3]), vec![Some(10), None, None]);
    assert_eq!(suppress(&[10, 20]), vec![Some(10), Some(20)]);
    assert_eq!(suppress(&[0, 5]), vec![None, None]);
}

#[test]
fn folding_ignores_arabic_diacritics_and_letter_variants() {
    assert_eq!(fold("الخِدْمَاتُ"), fold("الخدمات"));
    assert_eq!(fold("إستبانة"), fold("استبانه"));
    assert_eq!(fold("مستشفى"), fold("مستشفي"));
    assert_eq!(fold("Hello"), "hello");
}

fn answer() -> impl Strategy<Value = Answer> {
    let key = "[a-c][0-9]";
    prop_oneof![
        key.prop_map(|k| Answer::choice(&k)),
        proptest::collection::vec(key, 0..3).prop_map(|keys| Answer::Choices { keys, other: None }),
        proptest::collection::vec(key, 1..3).prop_map(Answer::Ranking),
        proptest::collection::btree_map(key, "[1-5]", 0..3).prop_map(Answer::Matrix),
        (-1000i32..1000).prop_map(|x| Answer::Number(f64::from(x) / 4.0)),
        ".{0,8}".prop_map(Answer::Text),
    ]
}

proptest! {
    /// Adding responses one by one, in any grouping, equals adding their codes.
    #[test]
    fn tallies_of_cells_and_of_codes_agree(
        responses in proptest::collection::vec(
            (proptest::collection::btree_map("q[0-4]", answer(), 0..5), proptest::option::of(0i64..5000)),
            0..30,
        )
    ) {
        let mut direct = Tally::default();
        let mut read = Tally::default();
        for (answers, duration) in &responses {
            let c = cells(answers, *duration);
            direct.add_response(&c);
            let mut coded = cells(answers, *duration);
            // Codes keep the bucket, not the exact seconds.
            for cell in &mut coded {
                if cell.item == DURATION { cell.total = cell.value.parse().unwrap_or(0.0); }
            }
            let mut expected = Tally::default();
            expected.add_response(&coded);
            let mut got = Tally::default();
            got.add_codes(&encode(&c));
            prop_assert_eq!(expected.differences(&got), vec![]);
            read.add_codes(&encode(&c));
        }
        prop_assert_eq!(direct.n(RESPONSE, "", ""), responses.len() as i64);
        prop_assert_eq!(read.n(RESPONSE, "", ""), responses.len() as i64);
    }
}
