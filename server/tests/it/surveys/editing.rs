//! Editing: changes from an older version refused, two authors saving at once, questions moved
//! only where their rules still look back.

use super::*;

async fn a_change_from_an_older_version_is_refused(db: Db) {
    let mut client = author(&db).await;
    let id = create_survey(&mut client, "Two authors").await;
    add_question(&mut client, &db, id, "yes_no").await;
    let before = stored(&db, id).await;
    let old = (before.version - 1).to_string();
    let form = Form::default()
        .with("version", &old)
        .with("text_ar", "نص")
        .with("text_en", "Overwritten text");
    let reply = post(&mut client, &format!("{}/questions/q1", page(id)), &form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("Someone else changed this survey"),
        "{}",
        reply.body
    );
    let form = Form::default()
        .with("version", &old)
        .with("section", "s1")
        .with("type", "nps");
    let reply = post(&mut client, &format!("{}/questions", page(id)), &form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Someone else changed this survey"));
    let reply = post(
        &mut client,
        &format!("{}/sections", page(id)),
        &Form::default(),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no version at all"
    );
    assert_eq!(stored(&db, id).await, before, "nothing was saved");
}

async fn two_authors_saving_at_once_cannot_both_win(db: Db) {
    let id = surveys_db::create(&db, &four_questions(), None, Utc::now())
        .await
        .expect("create");
    let mut first = four_questions();
    first.title.en = "First author's title".into();
    let mut second = four_questions();
    second.title.en = "Second author's title".into();
    let now = Utc::now();
    let (a, b) = tokio::join!(
        surveys_db::save_definition(&db, id, &first, 1, None, None, now),
        surveys_db::save_definition(&db, id, &second, 1, None, None, now),
    );
    let saved: Vec<&Definition> = [(&a, &first), (&b, &second)]
        .into_iter()
        .filter_map(|(result, definition)| result.is_ok().then_some(definition))
        .collect();
    assert_eq!(saved.len(), 1, "{a:?} {b:?}");
    assert!(
        matches!(
            (&a, &b),
            (Ok(2), Err(app::store::StoreError::Conflict))
                | (Err(app::store::StoreError::Conflict), Ok(2))
        ),
        "{a:?} {b:?}"
    );
    let survey = stored(&db, id).await;
    assert_eq!((&survey.definition, survey.version), (saved[0], 2));
    assert_eq!(&version_saved(&db, id, 2).await, saved[0]);
    assert_eq!(version_saved(&db, id, 1).await, four_questions());
}

async fn questions_move_and_go_only_where_the_rules_still_look_back(db: Db) {
    let mut client = author(&db).await;
    let mut definition = four_questions();
    definition.sections[0].questions[1].show_if = Some(equals("q1", "c2"));
    definition.sections.push(Section {
        questions: vec![question(
            "q5",
            "Anything else?",
            Kind::LongText { max_length: 500 },
        )],
        ..Section::new("s2")
    });
    let id = import_survey(&mut client, &definition).await;
    let order = |survey: &Survey| -> Vec<Vec<String>> {
        survey
            .definition
            .sections
            .iter()
            .map(|s| s.questions.iter().map(|q| q.key.clone()).collect())
            .collect()
    };
    let direction = |way: &str| Form::default().with("direction", way);

    // q2 asks only when q1 is answered "c2": it cannot come first, and q1 cannot go.
    let reply = change(&mut client, &db, id, "/questions/q2/move", direction("up")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("$.sections[0].questions[0].show_if.question"),
        "{}",
        reply.body
    );
    let reply = change(
        &mut client,
        &db,
        id,
        "/questions/q1/move",
        direction("down"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = change(
        &mut client,
        &db,
        id,
        "/questions/q1/delete",
        Form::default(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("The rule uses “q1”, which is not a question asked before this one")
    );
    let reply = change(&mut client, &db, id, "/questions/q1/move", direction("up")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("The question cannot move further that way")
    );
    assert_eq!(
        order(&stored(&db, id).await),
        [vec!["q1", "q2", "q3", "q4"], vec!["q5"]]
    );

    // Across the edge of a section, both ways.
    let reply = change(
        &mut client,
        &db,
        id,
        "/questions/q4/move",
        direction("down"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        order(&stored(&db, id).await),
        [vec!["q1", "q2", "q3"], vec!["q4", "q5"]]
    );
    let reply = change(&mut client, &db, id, "/questions/q3/move", direction("up")).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        order(&stored(&db, id).await),
        [vec!["q1", "q3", "q2"], vec!["q4", "q5"]]
    );

    // A section with questions stays; an empty one can go, but never the last.
    let reply = change(
        &mut client,
        &db,
        id,
        "/sections/s2",
        Form::default().with("delete", "1"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Only an empty section can be deleted"));
    let reply = change(&mut client, &db, id, "/sections", Form::default()).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let added = stored(&db, id)
        .await
        .definition
        .sections
        .last()
        .map(|s| s.key.clone());
    assert_eq!(added.as_deref(), Some("s3"));
    let form = Form::default()
        .with("title_ar", " الخاتمة ")
        .with("title_en", " Closing ");
    let reply = change(&mut client, &db, id, "/sections/s3", form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        stored(&db, id).await.definition.sections[2].title,
        Text::new("الخاتمة", "Closing")
    );
    let reply = change(
        &mut client,
        &db,
        id,
        "/sections/s3",
        Form::default().with("delete", "1"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(stored(&db, id).await.definition.sections.len(), 2);
    let reply = change(
        &mut client,
        &db,
        id,
        "/sections/s9",
        Form::default().with("title_en", "x"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("That section or question no longer exists")
    );
}

async fn examples_are_placeholders_never_saved_values(db: Db) {
    let mut client = author(&db).await;
    let id = create_survey(&mut client, "Placeholders").await;
    let key = add_question(&mut client, &db, id, "single_choice").await;
    let question = stored(&db, id).await.definition.question(&key).cloned();
    let Some(Question {
        kind: Kind::SingleChoice { choices, .. },
        ..
    }) = question
    else {
        panic!("a single choice question: {question:?}");
    };
    assert_eq!(choices.len(), 2);
    assert!(choices.iter().all(|c| c.label.is_empty()), "{choices:?}");
    // The editor shows examples while the labels are empty.
    let editor = client.get(&format!("{}/questions/{key}", page(id))).await;
    assert!(
        editor.body.contains(r#"placeholder="First choice""#),
        "{}",
        editor.body
    );
    assert!(editor.body.contains(r#"placeholder="الخيار الأول""#));
    assert!(!editor.body.contains(r#"value="First choice""#));
    // Saving the wording without choices asks for them; nothing unwritten is published.
    let form = Form::default()
        .with("text_ar", "اختر")
        .with("text_en", "Choose");
    let reply = change(&mut client, &db, id, &format!("/questions/{key}"), form).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let refused = set_move(&mut client, id, "publish").await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Missing text in the language"),
        "{}",
        refused.body
    );
    assert_eq!(stored(&db, id).await.status, Status::Draft);
}

server::on_both_backends!(
    examples_are_placeholders_never_saved_values,
    a_change_from_an_older_version_is_refused,
    two_authors_saving_at_once_cannot_both_win,
    questions_move_and_go_only_where_the_rules_still_look_back,
);
