//! Edits once answers exist: answered questions and choices stay, wording may change.

use super::*;

/// Stores a response the way the demo does (`insert_responses`: the row and its running
/// counts, which the edit checks and the overview read).
pub(super) async fn insert_response(db: &Db, survey: Uuid, version: u32, answers: &Answers) {
    let response = surveys_db::NewResponse {
        survey,
        wave: None,
        survey_version: version,
        stakeholder_group: "citizen",
        channel: "web",
        answers,
        submitted_at: Utc::now(),
        duration: None,
    };
    surveys_db::insert_responses(db, &[response])
        .await
        .expect("insert a response");
}

fn colour_rows(labels: [(&'static str, &'static str); 3]) -> Form {
    let [a, b, c] = labels;
    Form::default().rows(
        "choice",
        &[("c1", a.0, a.1), ("c2", b.0, b.1), ("c3", c.0, c.1)],
    )
}

async fn answered_questions_and_choices_cannot_be_removed_but_wording_can_change(db: Db) {
    let mut client = author(&db).await;
    let id = import_survey(&mut client, &four_questions()).await;
    assert_eq!(
        set_move(&mut client, id, "publish").await.status,
        StatusCode::SEE_OTHER
    );
    let mut answers = Answers::new();
    answers.insert(STAKEHOLDER_QUESTION.into(), Answer::choice("citizen"));
    answers.insert("q1".into(), Answer::choice("c1"));
    answers.insert("q2".into(), Answer::choice("yes"));
    answers.insert(
        "q4".into(),
        Answer::Matrix(BTreeMap::from([("r1".to_owned(), "2".to_owned())])),
    );
    insert_response(&db, id, 1, &answers).await;
    let before = stored(&db, id).await;
    assert!(before.has_responses);
    assert!(client.get(&page(id)).await.body.contains("has responses"));

    let answered = surveys_db::answered(&db, id).await.expect("answered");
    assert_eq!(
        answered
            .get("q1")
            .map(|k| k.iter().cloned().collect::<Vec<_>>()),
        Some(vec!["c1".to_owned()])
    );
    assert_eq!(
        answered
            .get("q4")
            .map(|k| k.iter().cloned().collect::<Vec<_>>()),
        Some(vec!["2".to_owned(), "r1".to_owned()])
    );

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
            .contains("Question “q1” has answers and cannot be removed"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("$.sections[0].questions[0]"));

    let form = colour_rows([("", ""), ("أزرق", "Blue"), ("أخضر", "Green")])
        .with("text_en", "Which colour?");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("The choice “c1” has answers and cannot be removed"),
        "{}",
        reply.body
    );

    let points = [
        ("1", "ضعيف", "Weak"),
        ("2", "مقبول", "Fair"),
        ("3", "جيد", "Good"),
    ];
    let form = Form::default()
        .rows("row", &[("r1", "", ""), ("r2", "الانتظار", "Waiting")])
        .rows("point", &points);
    let reply = change(&mut client, &db, id, "/questions/q4", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("The choice “r1” has answers"),
        "{}",
        reply.body
    );
    let form = Form::default()
        .rows(
            "row",
            &[
                ("r1", "الاستقبال", "Reception"),
                ("r2", "الانتظار", "Waiting"),
            ],
        )
        .rows(
            "point",
            &[("1", "ضعيف", "Weak"), ("2", "", ""), ("3", "جيد", "Good")],
        );
    let reply = change(&mut client, &db, id, "/questions/q4", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("The choice “2” has answers"),
        "{}",
        reply.body
    );

    // The editor offers no way to change a question's type; the check behind every edit refuses it.
    let mut retyped = before.definition.clone();
    if let Some(q2) = retyped.question_mut("q2") {
        q2.kind = Kind::new_of("single_choice").expect("a type");
    }
    let problems = validate::check_edit(&before.definition, &retyped, &answered);
    assert_eq!(
        problems
            .iter()
            .map(|p| (p.path.as_str(), p.code.as_str(), p.detail.as_str()))
            .collect::<Vec<_>>(),
        vec![(
            "$.sections[0].questions[1].kind",
            "answered_type_changed",
            "q2"
        )]
    );
    assert_eq!(stored(&db, id).await, before, "nothing was saved");

    let reply = set_move(&mut client, id, "unpublish").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "answers keep it published"
    );

    // A wording fix is staged, then published as a new version; the old one is kept.
    let form = colour_rows([("أحمر", "Red"), ("أزرق", "Blue"), ("أخضر", "Green")])
        .with("text_ar", "ما لونك المفضل؟")
        .with("text_en", "Which colour do you prefer?");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(stored(&db, id).await.version, before.version, "staged");
    let reply = change(
        &mut client,
        &db,
        id,
        "/changes",
        Form::default().with("do", "publish"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let after = stored(&db, id).await;
    assert_eq!(after.version, before.version + 1);
    assert_eq!(
        after.definition.question("q1").map(|q| q.text.en.as_str()),
        Some("Which colour do you prefer?")
    );
    assert_eq!(
        version_saved(&db, id, before.version).await,
        before.definition
    );
    assert_eq!(
        version_saved(&db, id, after.version).await,
        after.definition
    );

    // What has no answers can still go.
    let form = colour_rows([("أحمر", "Red"), ("أزرق", "Blue"), ("", "")])
        .with("text_en", "Which colour do you prefer?");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "an unused choice: {}",
        reply.body
    );
    let reply = change(
        &mut client,
        &db,
        id,
        "/questions/q3/delete",
        Form::default(),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "an unanswered question: {}",
        reply.body
    );
    let keys: Vec<String> = stored(&db, id)
        .await
        .draft
        .expect("the staged changes")
        .questions()
        .map(|(_, q)| q.key.clone())
        .collect();
    assert_eq!(keys, ["q1", "q2", "q4"]);
}

server::on_both_backends!(answered_questions_and_choices_cannot_be_removed_but_wording_can_change);
