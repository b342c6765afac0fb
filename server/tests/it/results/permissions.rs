//! Who may read results and who may change what.

use super::*;

async fn store_small(db: &Db, id: Uuid, n: usize) {
    let at = Utc::now() - Duration::hours(1);
    let batch: Vec<Submission> = (0..n)
        .map(|i| {
            let a = answers(vec![
                ("pick", Answer::choice(SINGLE[i % 3].0)),
                (
                    "agree",
                    Answer::choice(if i % 2 == 0 { "yes" } else { "no" }),
                ),
            ]);
            submission(id, GROUPS[i % 2], Channel::Web, a, at, Some(60))
        })
        .collect();
    store_all(db, &batch).await;
}

async fn an_analyst_reads_results_but_changes_nothing(db: Db) {
    let id = make_survey(&db, &small_survey(), "analysed").await;
    store_small(&db, id, 9).await;
    let base = dashboard(id);

    let (_, mut analyst) = staff(&db, "analyst@ministry.example", &[Role::Analyst]).await;
    let page = analyst.get(&base).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Which colour?"), "{}", page.body);
    assert!(
        !page.body.contains("Results settings"),
        "no settings form for an analyst"
    );
    for export in ["export.csv", "export.xlsx", "export.json", "codebook.csv"] {
        let reply = analyst.get(&format!("{base}/{export}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{export}: {}", reply.body);
    }
    // The charts, under the page's filter.
    let chart = analyst.get(&format!("{base}/charts/pick.svg")).await;
    assert_eq!(chart.status, StatusCode::OK, "{}", chart.body);
    assert!(chart.header("content-type").starts_with("image/svg+xml"));
    assert!(
        chart.body.contains("(3)"),
        "three of each colour: {}",
        chart.body
    );
    let filtered = analyst
        .get(&format!("{base}/charts/pick.svg?group=citizen"))
        .await;
    assert_eq!(filtered.status, StatusCode::OK, "{}", filtered.body);
    assert_ne!(filtered.body, chart.body, "the filter applies to the chart");
    for missing in ["nope.svg", "pick.png"] {
        let reply = analyst.get(&format!("{base}/charts/{missing}")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{missing}");
    }
    let token = api_token(&db, "analyst-api@ministry.example", Role::Analyst).await;
    let api = api_get(
        &db,
        &format!("/api/v1/surveys/{id}/results?lang=en"),
        &token,
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let json = api.json();
    assert_eq!(json["responses"], 9, "{json}");
    let questions = json["questions"].as_array().expect("questions");
    assert_eq!(questions.len(), 2, "{json}");
    assert_eq!(questions[0]["key"], "pick");
    assert_eq!(questions[0]["text"], "Which colour?");
    assert!(
        questions.iter().all(|q| q.get("chart").is_none()),
        "no SVG in the API"
    );
    let crosstab = api_get(
        &db,
        &format!("/api/v1/surveys/{id}/results/crosstab?rows=pick&columns=agree"),
        &token,
    )
    .await;
    assert_eq!(crosstab.status, StatusCode::OK, "{}", crosstab.body);
    assert!(crosstab.json()["rows"].is_array(), "{}", crosstab.body);
    let nowhere = api_get(
        &db,
        &format!("/api/v1/surveys/{}/results", Uuid::new_v4()),
        &token,
    )
    .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    let bad = api_get(
        &db,
        &format!("/api/v1/surveys/{id}/results?from=yesterday"),
        &token,
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);

    // The analyst changes nothing.
    let refused = analyst
        .post(
            &settings_path(id),
            &[("public", "1"), ("target_citizen", "50")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(
        results_db::settings(&db, id).await.expect("settings"),
        (false, BTreeMap::new()),
        "nothing saved"
    );

    // Others read nothing.
    let (_, mut responder) = staff(&db, "responder@ministry.example", &[Role::Responder]).await;
    let denied = responder.get(&base).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN, "{}", denied.body);
    assert!(
        denied.body.contains("You do not have access"),
        "{}",
        denied.body
    );
    assert!(!denied.body.contains("Which colour?"));
    let denied = responder.get(&format!("{base}/export.csv")).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let responder_token = api_token(&db, "responder-api@ministry.example", Role::Responder).await;
    let denied = api_get(
        &db,
        &format!("/api/v1/surveys/{id}/results"),
        &responder_token,
    )
    .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    let mut visitor = Client::new(&db);
    let sent_away = visitor.get(&base).await;
    assert_eq!(sent_away.status, StatusCode::SEE_OTHER);
    assert!(
        sent_away.location.starts_with("/en/login?next="),
        "{}",
        sent_away.location
    );
    for export in [
        "export.csv",
        "export.xlsx",
        "export.json",
        "codebook.csv",
        "charts/pick.svg",
    ] {
        let reply = visitor.get(&format!("{base}/{export}")).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{export}");
        assert!(!reply.body.contains("Red"), "{export}: {}", reply.body);
    }
    let reply = visitor.get(&format!("/api/v1/surveys/{id}/results")).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let reply = visitor.post(&settings_path(id), &[("public", "1")]).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);

    // An author without the form's CSRF token is refused too.
    let (_, mut author) = staff(&db, "author@ministry.example", &[Role::Author]).await;
    author.csrf().await;
    let forged = author
        .send(Method::POST, &settings_path(id), &[("public", "1")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    let forged = author
        .send(
            Method::POST,
            &settings_path(id),
            &[("csrf", "not-the-token"), ("public", "1")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    assert!(!results_db::settings(&db, id).await.expect("settings").0);
    // With it, the same form is saved: the refusals are about the token.
    let saved = author.post(&settings_path(id), &[("public", "1")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(results_db::settings(&db, id).await.expect("settings").0);
}

server::on_both_backends!(an_analyst_reads_results_but_changes_nothing);
