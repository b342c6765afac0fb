//! The results settings form: bad targets refused with what was typed kept, good ones saved and
//! compared with who took part.

use super::*;

/// The value of the input named `name` on a page.
fn input_value(page: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\"");
    let at = page.find(&needle)?;
    let start = page[..at].rfind("<input")?;
    let end = page[start..].find('>').map_or(page.len(), |i| start + i);
    let tag = &page[start..end];
    let value = tag.split("value=\"").nth(1)?;
    Some(value[..value.find('"')?].to_owned())
}

/// The settings form: bad targets refused (and, with `shown`, the form shown again with the
/// message and what was typed), good ones saved and compared with who took part.
async fn settings_scenario(db: Db, shown: bool) {
    let id = make_survey(&db, &small_survey(), "targets").await;
    let at = Utc::now() - Duration::hours(1);
    // 9 citizens and 1 resident.
    let batch: Vec<Submission> = (0..10)
        .map(|i| {
            let group = if i == 0 { "resident" } else { "citizen" };
            let a = answers(vec![("pick", Answer::choice("c1"))]);
            submission(id, group, Channel::Web, a, at, None)
        })
        .collect();
    store_all(&db, &batch).await;
    let (_, mut author) = staff(&db, "author@ministry.example", &[Role::Author]).await;
    let nothing = (false, BTreeMap::new());

    let wrong = author
        .post(
            &settings_path(id),
            &[
                ("public", "1"),
                ("target_citizen", "abc"),
                ("target_resident", "30"),
            ],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    if shown {
        assert!(
            wrong.body.contains("Enter a percentage from 0 to 100"),
            "the error is shown: {}",
            main_text(&wrong.body)
        );
        assert_eq!(
            input_value(&wrong.body, "target_citizen").as_deref(),
            Some("abc"),
            "what was typed is kept"
        );
        assert_eq!(
            input_value(&wrong.body, "target_resident").as_deref(),
            Some("30")
        );
    }
    assert_eq!(
        results_db::settings(&db, id).await.expect("settings"),
        nothing
    );

    let over = author
        .post(
            &settings_path(id),
            &[("target_citizen", "60"), ("target_resident", "50")],
        )
        .await;
    assert_eq!(
        over.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        over.body
    );
    if shown {
        assert!(
            over.body.contains("The targets add up to more than 100%"),
            "{}",
            main_text(&over.body)
        );
    }
    assert_eq!(
        results_db::settings(&db, id).await.expect("settings"),
        nothing
    );

    // Valid (one in Arabic-Indic digits): saved, and the dashboard compares the groups.
    let saved = author
        .post(
            &settings_path(id),
            &[("target_citizen", "٢٠"), ("target_resident", "70")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let targets = BTreeMap::from([("citizen".to_owned(), 20.0), ("resident".to_owned(), 70.0)]);
    assert_eq!(
        results_db::settings(&db, id).await.expect("settings"),
        (false, targets)
    );
    let page = author.get(&dashboard(id)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let representation = from(&page.body, "Who took part");
    let resident = row_of(representation, &group_label("resident"));
    assert_eq!(
        resident,
        ["Resident", "1", "10%", "70%", "Under-represented"],
        "10% of responses against a target of 70%"
    );
    let citizen = row_of(representation, &group_label("citizen"));
    assert_eq!(
        citizen,
        ["Citizen", "9", "90%", "20%", "Near or above target"]
    );
    assert!(
        page.body
            .contains("Under-represented against the targets: Resident"),
        "{}",
        main_text(&page.body)
    );
    assert_eq!(
        input_value(&page.body, "target_citizen").as_deref(),
        Some("20")
    );
    assert_eq!(
        input_value(&page.body, "target_resident").as_deref(),
        Some("70")
    );
}

async fn settings_refuse_bad_targets_and_flag_under_represented_groups(db: Db) {
    settings_scenario(db, false).await;
}

/// Bad targets shown again on the dashboard with the message and what was typed.
async fn settings_validate_targets_and_keep_what_was_typed(db: Db) {
    settings_scenario(db, true).await;
}

server::on_both_backends!(
    settings_refuse_bad_targets_and_flag_under_represented_groups,
    settings_validate_targets_and_keep_what_was_typed,
);
