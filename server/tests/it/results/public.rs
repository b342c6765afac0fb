//! Public results, with small counts hidden.

use super::*;

const DISTINCTIVE: &str = "zq-4471 a distinctive written answer";

async fn public_results_hide_small_counts(db: Db) {
    let definition = one_section(
        "Public results",
        vec![
            question(
                "pick",
                "Which colour?",
                Kind::SingleChoice {
                    choices: choices(&SINGLE),
                    other: false,
                },
            ),
            question(
                "note",
                "Anything else?",
                Kind::ShortText {
                    max_length: Some(200),
                },
            ),
        ],
    );
    let id = make_survey(&db, &definition, "public-results").await;
    let at = Utc::now() - Duration::hours(2);
    // 12 citizens and 3 residents; Red 8, Blue 5, Green 2.
    let picks = ["c1"; 8].into_iter().chain(["c2"; 5]).chain(["c3"; 2]);
    let batch: Vec<Submission> = picks
        .enumerate()
        .map(|(i, pick)| {
            let group = if i % 5 == 4 { "resident" } else { "citizen" };
            let mut a = answers(vec![("pick", Answer::choice(pick))]);
            if i < 2 {
                a.insert("note".into(), text(DISTINCTIVE));
            }
            submission(id, group, Channel::Web, a, at, Some(90))
        })
        .collect();
    assert_eq!(
        batch
            .iter()
            .filter(|s| s.stakeholder_group == "resident")
            .count(),
        3
    );
    store_all(&db, &batch).await;

    let public = format!("/en/results/{id}");
    let chart = format!("{public}/charts/pick.svg");
    let mut visitor = Client::new(&db);
    let hidden = visitor.get(&public).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "not public yet");
    assert_eq!(visitor.get(&chart).await.status, StatusCode::NOT_FOUND);

    let (_, mut author) = staff(&db, "author@ministry.example", &[Role::Author]).await;
    // Staff see every count.
    let staff_page = author.get(&dashboard(id)).await;
    assert_eq!(staff_page.status, StatusCode::OK, "{}", staff_page.body);
    let resident = group_label("resident");
    assert_eq!(
        row_of(&staff_page.body, &resident)[1],
        "3",
        "staff see the small count"
    );
    let saved = author.post(&settings_path(id), &[("public", "1")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, format!("{}#settings", dashboard(id)));
    assert!(results_db::settings(&db, id).await.expect("settings").0);

    for key in [id.to_string(), "public-results".to_owned()] {
        let page = visitor.get(&format!("/en/results/{key}")).await;
        assert_eq!(page.status, StatusCode::OK, "{key}: {}", page.body);
    }
    let page = visitor.get(&public).await;
    let body = &page.body;
    assert!(body.contains("Survey results"), "{body}");
    // The groups: 12 citizens shown, the 3 residents hidden.
    assert_eq!(row_of(body, &group_label("citizen"))[1], "12");
    let row = row_of(body, &resident);
    assert_eq!(row[1], "fewer than 5", "{row:?}");
    assert!(!row.iter().any(|c| c.contains('3')), "{row:?}");
    // The choices: Red 8 shown; Green (2) hidden, and Blue (5) with it so that Green cannot be
    // worked out from the total.
    let choices_table = from(body, "Which colour?");
    assert_eq!(row_of(choices_table, "Red")[1], "8");
    let green = row_of(choices_table, "Green");
    assert_eq!(green[1], "fewer than 5", "{green:?}");
    assert!(!green.iter().any(|c| c.contains('2')), "{green:?}");
    assert_eq!(row_of(choices_table, "Blue")[1], "fewer than 5");
    let figures = text_of(from(body, "<dl class=\"figures\""));
    assert!(
        figures.starts_with("Responses 15 "),
        "the number of responses is shown: {figures}"
    );
    // What is for staff stays with staff: completion, time taken, the groups' targets.
    for internal in [
        "Completion rate",
        "Median time to complete",
        ">Target<",
        ">Status<",
    ] {
        assert!(!body.contains(internal), "{internal} on the public page");
        assert!(
            staff_page.body.contains(internal),
            "{internal} missing for staff"
        );
    }
    // No written answers, nor a way to them.
    assert!(
        !body.contains("zq-4471"),
        "a written answer on the public page"
    );
    assert!(
        !body.contains("/results/text/"),
        "a link to written answers"
    );

    let svg = visitor.get(&chart).await;
    assert_eq!(svg.status, StatusCode::OK, "{}", svg.body);
    assert!(
        svg.header("content-type").starts_with("image/svg+xml"),
        "{:?}",
        svg.headers
    );
    assert!(svg.body.contains("<svg"), "{}", svg.body);
    assert!(svg.body.contains("(8)"), "the shown count: {}", svg.body);
    assert!(
        !svg.body.contains("(2)") && !svg.body.contains("(5)"),
        "the chart hides the small counts: {}",
        svg.body
    );
    let text_chart = visitor.get(&format!("{public}/charts/note.svg")).await;
    assert_eq!(text_chart.status, StatusCode::NOT_FOUND);
    assert!(!text_chart.body.contains("zq-4471"));
    let unknown = visitor.get(&format!("{public}/charts/nope.svg")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // Unpublished again: gone.
    let saved = author.post(&settings_path(id), &[]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(visitor.get(&public).await.status, StatusCode::NOT_FOUND);
    assert_eq!(visitor.get(&chart).await.status, StatusCode::NOT_FOUND);
}

server::on_both_backends!(public_results_hide_small_counts);
