//! Staff-assisted entry: a responder enters a response taken by phone.

use super::*;

async fn a_responder_enters_a_response_taken_by_phone(db: Db) {
    let id = make_survey(&db, two_pages(), "assisted").await;
    let (responder, mut desk) = staff(&db, "rana@ministry.example", &[Role::Responder]).await;
    let path = format!("/en/staff/surveys/{id}/enter");
    let page = desk.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for name in ["mode", "stakeholder_group", "q.pick", "q.agree"] {
        assert!(
            field(&page.body, name).is_some(),
            "every section on one page: {name}"
        );
    }
    let submission = Uuid::new_v4().to_string();
    let answers = Form::default()
        .with("submission", &submission)
        .with("stakeholder_group", "resident")
        .with("q.pick", "c1")
        .with("q.agree", "no");

    let no_mode = desk.post(&path, &answers.pairs()).await;
    assert_eq!(
        no_mode.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        no_mode.body
    );
    assert!(no_mode.body.contains("Select how the response was taken"));
    assert!(
        checked(&no_mode.body, "q.agree", "no"),
        "what was typed is kept"
    );
    assert_eq!(count_rows(&db, id).await, 0);

    let by_phone = answers.with("mode", "phone");
    let saved = desk.post(&path, &by_phone.pairs()).await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    assert!(saved.body.contains("The response was saved."));
    // A double click stores nothing more.
    assert_eq!(
        desk.post(&path, &by_phone.pairs()).await.status,
        StatusCode::CREATED
    );
    let row = response(&db, id, &submission).await;
    assert_eq!(
        (row.channel.as_str(), row.source.as_deref()),
        ("assisted", Some("phone"))
    );
    assert_eq!(
        (row.entered_by, row.group.as_str()),
        (Some(responder), "resident")
    );
    assert_eq!(answer(&row, "agree"), "no");
    assert_eq!(count_rows(&db, id).await, 1);
    let log = audit_db::recent(&db, 20).await.expect("audit log");
    let entries: Vec<_> = log
        .iter()
        .filter(|(_, e)| e.action == "response.assisted")
        .collect();
    assert_eq!(entries.len(), 1, "{log:?}");
    assert_eq!(entries[0].1.actor, Some(responder));
    assert_eq!(entries[0].1.entity_id, id.to_string());

    let (_, mut analyst) = staff(&db, "sara@ministry.example", &[Role::Analyst]).await;
    assert_eq!(analyst.get(&path).await.status, StatusCode::FORBIDDEN);
    let other = by_phone.set("submission", Uuid::new_v4());
    assert_eq!(
        analyst.post(&path, &other.pairs()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(count_rows(&db, id).await, 1);
}

server::on_both_backends!(a_responder_enters_a_response_taken_by_phone);
