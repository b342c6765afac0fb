//! Who may do what with surveys.

use super::*;

/// Every form of the editor, for survey `id`, with fields enough to change something.
fn every_form(id: Uuid) -> Vec<(String, Form)> {
    let at = |path: &str| format!("{}{path}", page(id));
    let v = || Form::default().with("version", "1");
    vec![
        (
            "/en/staff/surveys".to_owned(),
            Form::default()
                .with("title_ar", "ع")
                .with("title_en", "E")
                .with("languages", "both"),
        ),
        (
            "/en/staff/surveys/import".to_owned(),
            Form::default().with("json", four_questions().to_json()),
        ),
        (
            at("/details"),
            details(None, None, "", "").with("version", "1"),
        ),
        (at("/sections"), v()),
        (at("/sections/s1"), v().with("title_en", "Renamed")),
        (
            at("/questions"),
            v().with("section", "s1").with("type", "nps"),
        ),
        (at("/questions/q2"), v().with("text_en", "Changed")),
        (at("/questions/q1/move"), v().with("direction", "down")),
        (at("/questions/q1/delete"), v()),
        (at("/status"), Form::default().with("move", "archive")),
    ]
}

async fn analysts_read_surveys_and_change_nothing(db: Db) {
    let id = surveys_db::create(&db, &four_questions(), None, Utc::now())
        .await
        .expect("create");
    let before = stored(&db, id).await;
    let mut analyst = staff(&db, "analyst@ministry.example", &[Role::Analyst]).await;
    for path in [
        "/en/staff/surveys".to_owned(),
        page(id),
        format!("{}/preview", page(id)),
        format!("{}/questions/q1", page(id)),
    ] {
        let reply = analyst.get(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(
            reply.body.contains("Your view matters") || reply.body.contains("Which colour?"),
            "{path}"
        );
        assert!(!reply.body.contains("You do not have access"), "{path}");
    }
    assert!(
        !analyst
            .get("/en/staff/surveys")
            .await
            .body
            .contains("Create survey"),
        "no forms to change"
    );
    assert!(
        !analyst
            .get(&page(id))
            .await
            .body
            .contains(&format!("{}/status", page(id)))
    );
    let export = analyst.get(&format!("{}/export.json", page(id))).await;
    assert_eq!(validate::import(&export.body), Ok(four_questions()));
    for (path, form) in every_form(id) {
        let reply = post(&mut analyst, &path, &form).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(stored(&db, id).await, before);
    assert_eq!(surveys_db::list(&db).await.expect("list").len(), 1);

    let mut responder = staff(&db, "responder@ministry.example", &[Role::Responder]).await;
    let reply = responder.get(&page(id)).await;
    assert!(
        reply.body.contains("You do not have access"),
        "responders do not read surveys"
    );
}

async fn signed_out_visitors_are_sent_to_sign_in(db: Db) {
    let id = surveys_db::create(&db, &four_questions(), None, Utc::now())
        .await
        .expect("create");
    let before = stored(&db, id).await;
    let mut visitor = Client::new(&db);
    let reply = visitor.get(&page(id)).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(
        reply.location.starts_with("/en/login?next="),
        "{}",
        reply.location
    );
    let reply = visitor.get(&format!("{}/export.json", page(id))).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    for (path, form) in every_form(id) {
        let reply = post(&mut visitor, &path, &form).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    assert_eq!(stored(&db, id).await, before);
}

async fn an_author_changes_what_an_analyst_may_not(db: Db) {
    // The same forms as the analyst's, accepted for an author: the refusals above are about roles.
    let id = surveys_db::create(&db, &four_questions(), None, Utc::now())
        .await
        .expect("create");
    let mut client = author(&db).await;
    for (path, form) in every_form(id) {
        let fresh = stored(&db, id).await.version.to_string();
        let form = Form(
            form.0
                .into_iter()
                .map(|(k, v)| {
                    if k == "version" {
                        (k, fresh.clone())
                    } else {
                        (k, v)
                    }
                })
                .collect(),
        );
        let reply = post(&mut client, &path, &form).await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{path}: {}",
            reply.body
        );
    }
    assert_eq!(stored(&db, id).await.status, Status::Archived);
}

server::on_both_backends!(
    analysts_read_surveys_and_change_nothing,
    signed_out_visitors_are_sent_to_sign_in,
    an_author_changes_what_an_analyst_may_not,
);
