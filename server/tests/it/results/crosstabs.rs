//! Crosstabs: pairs of answers counted, and equal to a recomputation on every path.

use super::*;

fn crosstab_survey() -> Definition {
    one_section(
        "Crosstab survey",
        vec![
            question(
                "pick",
                "Which colour?",
                Kind::SingleChoice {
                    choices: choices(&SINGLE[..2]),
                    other: false,
                },
            ),
            question(
                "uses",
                "Which services do you use?",
                Kind::MultipleChoice {
                    choices: choices(&MULTI[..3]),
                    other: false,
                    min: None,
                    max: None,
                },
            ),
            question("agree", "Do you agree?", Kind::YesNo),
            question(
                "note",
                "Anything else?",
                Kind::ShortText {
                    max_length: Some(200),
                },
            ),
        ],
    )
}

/// A crosstab from the API as (row label, counts, total).
fn crosstab_rows(json: &serde_json::Value) -> Vec<(String, Vec<i64>, i64)> {
    serde_json::from_value(json["rows"].clone()).unwrap_or_else(|e| panic!("rows ({e}): {json}"))
}

fn counts(label: &str, counts: &[i64]) -> (String, Vec<i64>, i64) {
    (label.to_owned(), counts.to_vec(), counts.iter().sum())
}

async fn crosstab_counts_pairs_of_answers(db: Db) {
    let id = make_survey(&db, &crosstab_survey(), "crosstab").await;
    let at = Utc::now() - Duration::hours(1);
    let responses = [
        ("citizen", "c1", &["m1", "m2"][..], Some("yes")),
        ("citizen", "c1", &["m1"][..], Some("no")),
        ("resident", "c2", &["m2", "m3"][..], Some("yes")),
        ("citizen", "c2", &["m3"][..], Some("yes")),
        ("ngo", "c1", &[][..], Some("yes")),
        ("resident", "c2", &["m1", "m3"][..], None),
    ];
    let batch: Vec<Submission> = responses
        .iter()
        .map(|(group, pick, uses, agree)| {
            let mut a = answers(vec![("pick", Answer::choice(pick)), ("note", text("x"))]);
            if !uses.is_empty() {
                a.insert("uses".into(), keys(uses));
            }
            if let Some(agree) = agree {
                a.insert("agree".into(), Answer::choice(agree));
            }
            submission(id, group, Channel::Web, a, at, None)
        })
        .collect();
    store_all(&db, &batch).await;
    let token = api_token(&db, "analyst@ministry.example", Role::Analyst).await;
    let crosstab = |query: String| {
        let (db, token) = (db.clone(), token.clone());
        async move {
            let path = format!("/api/v1/surveys/{id}/results/crosstab?lang=en&{query}");
            api_get(&db, &path, &token).await
        }
    };

    let reply = crosstab("rows=pick&columns=agree".into()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["row_title"], "Which colour?");
    assert_eq!(json["column_title"], "Do you agree?");
    assert_eq!(json["columns"], serde_json::json!(["Yes", "No"]));
    assert_eq!(
        crosstab_rows(&json),
        vec![counts("Red", &[2, 1]), counts("Blue", &[2, 0])]
    );

    // A multiple-choice answer counts once under each choice.
    let json = crosstab("rows=pick&columns=uses".into()).await.json();
    assert_eq!(
        json["columns"],
        serde_json::json!(["Parks", "Roads", "Schools"])
    );
    assert_eq!(
        crosstab_rows(&json),
        vec![counts("Red", &[2, 1, 0]), counts("Blue", &[1, 1, 3])]
    );

    // Groups as rows: every group, in order.
    let json = crosstab("rows=group&columns=agree".into()).await.json();
    let expected: Vec<(String, Vec<i64>, i64)> = StakeholderGroup::ALL
        .iter()
        .map(|g| {
            let n: &[i64] = match g.code() {
                "citizen" => &[2, 1],
                "resident" | "ngo" => &[1, 0],
                _ => &[0, 0],
            };
            counts(&group_label(g.code()), n)
        })
        .collect();
    assert_eq!(crosstab_rows(&json), expected);

    // Under a filter.
    let json = crosstab("rows=pick&columns=agree&group=citizen".into())
        .await
        .json();
    assert_eq!(
        crosstab_rows(&json),
        vec![counts("Red", &[1, 1]), counts("Blue", &[1, 0])]
    );
    let json = crosstab("rows=pick&columns=agree&question=uses&value=m3".into())
        .await
        .json();
    assert_eq!(
        crosstab_rows(&json),
        vec![counts("Red", &[0, 0]), counts("Blue", &[2, 0])]
    );

    for query in [
        "rows=nope&columns=agree",
        "rows=note&columns=agree",
        "rows=pick",
        "columns=pick",
        "rows=pick&columns=agree&from=03/01/2026",
    ] {
        let reply = crosstab(query.into()).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            reply.body
        );
        assert!(reply.json()["error"].is_string(), "{query}: {}", reply.body);
    }

    // The dashboard shows the same table.
    let (_, mut analyst) = staff(&db, "analyst-page@ministry.example", &[Role::Analyst]).await;
    let page = analyst
        .get(&format!("{}?row=pick&col=agree", dashboard(id)))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"crosstab-table\""), "{}", page.body);
    assert!(
        page.body
            .contains("Which colour? by Do you agree?: responses (row percent)"),
        "{}",
        main_text(&page.body)
    );
    let table = from(&page.body, "id=\"crosstab-table\"");
    assert_eq!(row_of(table, "Red"), ["Red", "2 (66.7%)", "1 (33.3%)", "3"]);
    assert_eq!(row_of(table, "Blue"), ["Blue", "2 (100%)", "0 (0%)", "2"]);
    let none = analyst
        .get(&format!("{}?row=nope&col=agree", dashboard(id)))
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(!none.body.contains("id=\"crosstab-table\""));
}

/// An axis' values in a response, as the crosstab counts them.
fn axis_values(row: &Row, axis: &str) -> Vec<String> {
    match axis {
        "group" => vec![row.group.clone()],
        "channel" => vec![row.channel.clone()],
        q => match row.answers.get(q) {
            Some(Answer::Choice { key, .. }) => vec![key.clone()],
            Some(Answer::Choices { keys, .. }) => keys.clone(),
            Some(Answer::Number(x)) => vec![app::results::rules::number_value(*x)],
            _ => vec![],
        },
    }
}

/// An axis' (value, English label) in the order a crosstab lists them.
fn axis_labels(definition: &Definition, axis: &str) -> Vec<(String, String)> {
    match axis {
        "group" => StakeholderGroup::ALL
            .iter()
            .map(|g| (g.code().to_owned(), group_label(g.code())))
            .collect(),
        "channel" => Channel::ALL
            .iter()
            .map(|c| (c.code().to_owned(), Locale::En.t(&c.label_key())))
            .collect(),
        q => app::results::summary::value_labels(
            &definition.question(q).expect("a question").kind,
            Locale::En,
        ),
    }
}

/// Every crosstab of the choice questions, groups and channels, under several filters, equals
/// one counted from the raw answers; `context` says what state the pair counts are in.
async fn check_crosstabs(db: &Db, id: Uuid, definition: &Definition, context: &str) {
    let rows = rows_of(db, id).await;
    let day = |n: i64| (first_day() + Duration::days(n)).date_naive();
    let filters = [
        Filter::default(),
        Filter {
            wave: Some(0),
            ..Filter::default()
        },
        Filter {
            groups: vec!["citizen".into(), "ngo".into()],
            ..Filter::default()
        },
        Filter {
            from: Some(day(2)),
            to: Some(day(6)),
            ..Filter::default()
        },
        Filter {
            question: Some("yn".into()),
            value: Some("yes".into()),
            ..Filter::default()
        },
    ];
    let axes = [
        "single", "multi", "drop", "yn", "rate", "nps", "group", "channel",
    ];
    let axis = |name: &str| build::Axis::parse(name, definition).expect("an axis");
    for filter in &filters {
        let kept: Vec<&Row> = rows.iter().filter(|r| r.matches(filter)).collect();
        for r in axes {
            for c in axes {
                if r == c && !matches!(r, "single" | "multi") {
                    continue;
                }
                let table =
                    build::crosstab(db, id, definition, filter, &axis(r), &axis(c), Locale::En)
                        .await
                        .expect("crosstab");
                let mut expected: HashMap<(String, String), i64> = HashMap::new();
                for row in &kept {
                    for x in axis_values(row, r) {
                        for y in axis_values(row, c) {
                            *expected.entry((x.clone(), y)).or_default() += 1;
                        }
                    }
                }
                let (row_labels, column_labels) =
                    (axis_labels(definition, r), axis_labels(definition, c));
                let want: Vec<(String, Vec<i64>, i64)> = row_labels
                    .iter()
                    .map(|(x, label)| {
                        let n: Vec<i64> = column_labels
                            .iter()
                            .map(|(y, _)| {
                                expected.get(&(x.clone(), y.clone())).copied().unwrap_or(0)
                            })
                            .collect();
                        counts(label, &n)
                    })
                    .collect();
                let labels: Vec<String> = column_labels.into_iter().map(|(_, l)| l).collect();
                assert_eq!(
                    table.columns, labels,
                    "{context}: {r} by {c} under {filter:?}"
                );
                assert_eq!(table.rows, want, "{context}: {r} by {c} under {filter:?}");
            }
        }
    }
}

async fn crosstabs_equal_a_recomputation_on_every_path(db: Db) {
    let definition = every_kind();
    let id = make_survey(&db, &definition, "crosstab-paths").await;
    let mut rng = Rng::new(0x5eed_2026_1128);
    let mut batch =
        |n: usize| -> Vec<Submission> { (0..n).map(|_| random_submission(&mut rng, id)).collect() };
    // Nothing folded yet: the pair counts are empty, every row is read.
    store_all(&db, &batch(150)).await;
    check_crosstabs(&db, id, &definition, "none folded").await;
    // Folded, then more stored: counts plus the rows not folded.
    assert_eq!(build::fold_all(&db).await.expect("fold"), 150);
    store_all(&db, &batch(130)).await;
    check_crosstabs(&db, id, &definition, "some folded").await;
    assert_eq!(build::fold_all(&db).await.expect("fold"), 130);
    assert_eq!(
        build::fold_all(&db).await.expect("fold"),
        0,
        "nothing is folded twice"
    );
    check_crosstabs(&db, id, &definition, "all folded").await;

    // verify recomputes the pair counts too, and finds one changed by hand.
    let report = verify::verify(&db, id).await.expect("verify");
    assert!(report.ok(), "verify finds no difference: {report:?}");
    let bumped = match &db {
        Db::Sqlite(pool) => sqlx::query(
            "UPDATE result_pairs SET n = n + 1 WHERE survey_id = $1 AND a = 'single' AND b = 'yn' AND x = 'c1' AND y = 'yes'",
        )
        .bind(id)
        .execute(pool)
        .await
        .expect("bump")
        .rows_affected(),
        Db::Postgres(pool) => sqlx::query(
            "UPDATE result_pairs SET n = n + 1 WHERE survey_id = $1 AND a = 'single' AND b = 'yn' AND x = 'c1' AND y = 'yes'",
        )
        .bind(id)
        .execute(pool)
        .await
        .expect("bump")
        .rows_affected(),
    };
    assert_eq!(bumped, 1, "the pair count exists");
    let report = verify::verify(&db, id).await.expect("verify");
    assert_eq!(report.codes, 0);
    assert_eq!(report.counts.len(), 1, "{report:?}");
    let (key, x, y, stored, recomputed) = &report.counts[0];
    assert_eq!(
        (key.as_str(), x.as_str(), y.as_str()),
        ("0|single|yn", "c1", "yes")
    );
    assert_eq!(*stored, *recomputed + 1);
    // Repair recounts from the raw answers; the rows are folded again.
    results_db::rebuild(&db, id).await.expect("rebuild");
    assert_eq!(build::fold_all(&db).await.expect("fold"), 280);
    assert!(verify::verify(&db, id).await.expect("verify").ok());
    check_crosstabs(&db, id, &definition, "rebuilt").await;
}

server::on_both_backends!(
    crosstab_counts_pairs_of_answers,
    crosstabs_equal_a_recomputation_on_every_path,
);
