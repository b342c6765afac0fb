//! The running counts equal a recomputation from the raw answers, over random data and random
//! filters.

use super::*;

async fn counts_equal_a_recomputation_from_the_raw_answers(db: Db) {
    let definition = every_kind();
    let id = make_survey(&db, &definition, "every-kind").await;
    let mut rng = Rng::new(0x5eed_2026_0306);

    // A few hundred responses in random batches, some sent again (same id: stored once).
    let mut sent: Vec<Submission> = Vec::new();
    let mut seen: BTreeSet<Uuid> = BTreeSet::new();
    let mut repeats = 0;
    while seen.len() < 320 {
        let size = rng.below(49) + 1;
        let mut batch = Vec::new();
        for _ in 0..size {
            if !sent.is_empty() && rng.chance(8) {
                batch.push(rng.pick(&sent).clone());
            } else {
                let s = random_submission(&mut rng, id);
                if rng.chance(3) {
                    // A double click: the same submission twice in one batch.
                    batch.push(s.clone());
                }
                batch.push(s);
            }
        }
        let outcomes = responses_db::store(&db, &batch).await.expect("store");
        let mut in_batch = BTreeSet::new();
        for (s, outcome) in batch.iter().zip(&outcomes) {
            let first = !seen.contains(&s.id) && in_batch.insert(s.id);
            let expected = if first {
                Outcome::Stored
            } else {
                repeats += 1;
                Outcome::AlreadyStored
            };
            assert_eq!(*outcome, expected, "outcome of {}", s.id);
        }
        seen.extend(in_batch);
        sent.extend(batch);
    }
    assert!(repeats > 10, "the data holds repeats ({repeats})");
    assert_eq!(
        responses_db::count(&db, id).await.expect("count"),
        seen.len() as i64,
        "a repeated submission is stored once"
    );

    let report = verify::verify(&db, id).await.expect("verify");
    assert!(report.ok(), "verify finds no difference: {report:?}");
    assert_eq!(report.responses, seen.len() as u64);

    let rows = rows_of(&db, id).await;
    assert_eq!(rows.len(), seen.len(), "raw_page reads every response");

    // Filters: none, a few chosen by hand, then random ones.
    let day = |n: i64| (first_day() + Duration::days(n)).date_naive();
    let mut filters = vec![
        ("no filter".to_owned(), Filter::default()),
        (
            "one group".to_owned(),
            Filter {
                groups: vec!["citizen".into()],
                ..Filter::default()
            },
        ),
        (
            "a group nobody is in".to_owned(),
            Filter {
                groups: vec!["academic".into()],
                ..Filter::default()
            },
        ),
        (
            "one day".to_owned(),
            Filter {
                from: Some(day(3)),
                to: Some(day(3)),
                ..Filter::default()
            },
        ),
        (
            "other chosen".to_owned(),
            Filter {
                question: Some("single".into()),
                value: Some("other".into()),
                ..Filter::default()
            },
        ),
    ];
    let answer_filters: [(&str, &[&str]); 5] = [
        ("single", &["c1", "c2", "c3", "other"]),
        ("multi", &["m1", "m2", "m3", "m4"]),
        ("drop", &["d1", "d2", "d3"]),
        ("yn", &["yes", "no"]),
        ("rate", &["1", "2", "3", "4", "5"]),
    ];
    for i in 0..14 {
        let mut filter = Filter::default();
        if rng.chance(50) {
            let mut groups = rng.subset(&GROUPS.map(str::to_owned));
            if rng.chance(20) {
                groups.push("academic".into());
            }
            filter.groups = groups;
        }
        if rng.chance(50) {
            filter.channels = rng.subset(&CHANNELS.map(|c| c.code().to_owned()));
        }
        if rng.chance(50) {
            let a = rng.below(11) as i64;
            let b = rng.below(11) as i64;
            filter.from = Some(day(a.min(b)));
            filter.to = Some(day(a.max(b)));
        } else if rng.chance(30) {
            filter.from = Some(day(rng.below(11) as i64));
        }
        if rng.chance(50) {
            let (question, values) = rng.pick(&answer_filters);
            filter.question = Some((*question).to_owned());
            filter.value = Some((*rng.pick(values)).to_owned());
        }
        filters.push((format!("random filter {i}: {filter:?}"), filter));
    }
    // The filters narrow the responses in many ways (so the comparisons are not vacuous).
    let sizes: Vec<(usize, bool)> = filters
        .iter()
        .map(|(_, f)| {
            let n = rows.iter().filter(|r| r.matches(f)).count();
            (n, f.by_answer().is_some())
        })
        .collect();
    let partial = sizes
        .iter()
        .filter(|(n, _)| *n > 0 && *n < rows.len())
        .count();
    let by_answer = sizes.iter().filter(|(n, a)| *a && *n > 0).count();
    assert!(
        partial >= 10 && by_answer >= 4,
        "filters too alike: {sizes:?}"
    );
    for (name, filter) in &filters {
        let results = build::results(&db, id, &definition, filter, Locale::En, Audience::Staff)
            .await
            .expect("results");
        check_results(name, &results, &rows, filter);
    }
    // A filter read from a page's query, as the dashboard reads it.
    let (filter, bad) = Filter::from_pairs(
        [
            ("group", "citizen"),
            ("group", "ngo"),
            ("channel", "web"),
            ("from", "2026-03-02"),
            ("to", "2026-03-08"),
            ("qv", "yn=yes"),
        ]
        .into_iter(),
    );
    assert!(bad.is_empty(), "{bad:?}");
    let results = build::results(&db, id, &definition, &filter, Locale::En, Audience::Staff)
        .await
        .expect("results");
    check_results("a filter from a query", &results, &rows, &filter);
}

server::on_both_backends!(counts_equal_a_recomputation_from_the_raw_answers);
