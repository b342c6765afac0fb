//! What is refused: closed, unknown and robot submissions, the per-address limit; and a
//! contact address kept apart from the answers.

use super::*;

async fn closed_unknown_and_robot_submissions_store_nothing(db: Db) {
    let id = make_survey(&db, one_page(), "closing").await;
    let mut visitor = Client::new(&db);
    // Robots fill in the hidden field: they are thanked, and nothing is stored.
    let robot = submit(
        &mut visitor,
        "closing",
        &complete(Uuid::new_v4()).with("website", "http://spam.example"),
    )
    .await;
    assert_eq!(robot.status, StatusCode::SEE_OTHER);
    assert_eq!(robot.location, "/en/s/closing/thanks");
    assert_eq!(count_rows(&db, id).await, 0);

    let unknown = submit(&mut visitor, "no-such-survey", &complete(Uuid::new_v4())).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        visitor.get("/en/s/no-such-survey").await.status,
        StatusCode::NOT_FOUND
    );
    let by_id = visitor.get(&format!("/en/s/{id}")).await;
    assert!(
        field(&by_id.body, "submission").is_some(),
        "a survey is reached by its id too"
    );

    close(&db, id).await;
    let late = visitor
        .send(
            Method::POST,
            "/ar/s/closing",
            &complete(Uuid::new_v4()).pairs(),
        )
        .await;
    assert_eq!(late.status, StatusCode::GONE, "{}", late.body);
    assert!(
        late.body.contains("هذا الاستبيان مغلق"),
        "in Arabic: {}",
        late.body
    );
    let page = visitor.get("/en/s/closing").await;
    assert!(page.body.contains("This survey is closed"), "{}", page.body);
    assert_eq!(count_rows(&db, id).await, 0);
}

async fn the_submission_limit_refuses_with_what_was_typed_kept(db: Db) {
    let id = make_survey(&db, one_page(), "limited").await;
    let mut state = state_for(db.clone());
    state.collection = server::collect::Collection::new(db.clone(), 2);
    let mut visitor = Client::over(server::app(state));
    for _ in 0..2 {
        let sent = submit(&mut visitor, "limited", &complete(Uuid::new_v4())).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    }
    let third = complete(Uuid::new_v4())
        .set("q.pick", "c2")
        .with("q.note", "kept words");
    let refused = submit(&mut visitor, "limited", &third).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Please wait ten minutes"),
        "{}",
        refused.body
    );
    assert!(checked(&refused.body, "q.pick", "c2"));
    assert_eq!(
        field(&refused.body, "q.note").as_deref(),
        Some("kept words")
    );
    assert_eq!(
        field(&refused.body, "submission"),
        third.get("submission").map(str::to_owned)
    );
    assert_eq!(count_rows(&db, id).await, 2);
}

async fn a_contact_address_is_kept_apart_from_the_answers(db: Db) {
    let id = make_survey(&db, one_page(), "contact").await;
    let mut visitor = Client::new(&db);
    let bad = visitor
        .send(
            Method::POST,
            "/en/s/contact/contact",
            &[("email", "not an address")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body
            .contains("Enter an email address in the right format")
    );
    let good = visitor
        .send(
            Method::POST,
            "/en/s/contact/contact",
            &[("email", "Hala@Example.org")],
        )
        .await;
    assert_eq!(good.status, StatusCode::CREATED, "{}", good.body);
    assert!(good.body.contains("We will write to you"));
    assert_eq!(responses_db::contacts(&db, id).await.expect("contacts"), 1);
    assert_eq!(count_rows(&db, id).await, 0);
}

server::on_both_backends!(
    closed_unknown_and_robot_submissions_store_nothing,
    the_submission_limit_refuses_with_what_was_typed_kept,
    a_contact_address_is_kept_apart_from_the_answers,
);
