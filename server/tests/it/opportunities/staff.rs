//! Staff adding and changing opportunities (errors shown with everything typed), and who may.

use super::*;

async fn staff_add_and_change_opportunities_and_see_their_mistakes(db: Db) {
    let author = staff_user(&db, "omar@ministry.example", &[Role::Author]).await;
    let mut staff =
        Client::with_session(&db, &session_for(&db, author, Utc::now(), Utc::now()).await);
    let page = staff.get("/en/staff/opportunities").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("There are no opportunities yet.")
            && page.body.contains("Add an opportunity")
    );

    let mistakes = form(
        "",
        &[
            ("topic", "space"),
            ("ends_at", "2030-02-01T09:00"),
            ("link", "ftp://x"),
            ("groups", "ngo"),
            ("location", "Hall <b>9</b>"),
        ],
    );
    let reply = staff.post("/en/staff/opportunities", &mistakes).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("<title>Error: Opportunities | Sharek</title>")
    );
    for message in [
        "Enter the title in English",
        "Choose a topic from the list",
        "The deadline must be the same as or after the start",
        "Enter a web address that starts with https:// or http://",
    ] {
        assert!(reply.body.contains(message), "{message}");
    }
    assert!(
        reply.body.contains(r##"href="#field-title_en""##),
        "the summary links to the field"
    );
    assert!(
        reply.body.contains(r#"value="ورشة تصميم الخدمات""#),
        "what was typed is kept"
    );
    assert!(
        reply.body.contains(r#"value="Hall &lt;b&gt;9&lt;/b&gt;""#),
        "and never rendered as HTML"
    );
    assert!(
        reply
            .body
            .contains(r#"id="groups-ngo" name="groups" value="ngo" checked"#)
    );
    assert!(
        !reply
            .body
            .contains(r#"id="groups-citizen" name="groups" value="citizen" checked"#)
    );
    assert!(
        reply
            .body
            .contains(r#"id="kind-workshop" name="kind" value="workshop" checked"#)
    );
    let reply = staff
        .post(
            "/ar/staff/opportunities",
            &form("x", &[("starts_at", "tomorrow"), ("kind", "survey")]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("أدخل تاريخ البدء ووقته") && reply.body.contains("اختر نوع الفرصة"),
        "in Arabic"
    );

    let reply = staff
        .post(
            "/en/staff/opportunities",
            &form("Service design workshop", &[]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location, "/en/staff/opportunities?created=1");
    let all = db::list_all(&db).await.expect("list");
    let made = all
        .iter()
        .find(|o| o.title_en == "Service design workshop")
        .expect("stored");
    assert_eq!(
        made.groups,
        vec![StakeholderGroup::Citizen, StakeholderGroup::Academic]
    );
    assert_eq!(
        made.starts_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2030-03-01T05:00:00+00:00")
    );
    assert!(made.published);
    let list = staff.get("/en/staff/opportunities?created=1").await;
    assert!(list.body.contains("The opportunity was added.") && list.body.contains("Upcoming"));

    let edit = format!("/en/staff/opportunities/{}", made.id);
    let page = staff.get(&edit).await;
    assert!(
        page.body.contains(r#"value="2030-03-01T09:00""#)
            && page.body.contains(r#"value="https://events.example/join""#)
    );
    let reply = staff
        .post(
            &edit,
            &form(
                "Service design workshop",
                &[("title_ar", " "), ("published", "")],
            ),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Enter the title in Arabic"));
    assert!(
        !reply
            .body
            .contains(r#"name="published" value="on" checked"#),
        "the unticked box stays unticked"
    );
    let reply = staff
        .post(
            &edit,
            &form("Service design workshop, second run", &[("published", "")]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location, format!("{edit}?saved=1"));
    let changed = db::find(&db, made.id)
        .await
        .expect("find")
        .expect("still there");
    assert_eq!(changed.title_en, "Service design workshop, second run");
    assert!(!changed.published);
    assert!(
        staff
            .get(&format!("{edit}?saved=1"))
            .await
            .body
            .contains("Your changes were saved.")
    );
    let reply = staff
        .post(
            &format!("/en/staff/opportunities/{}", Uuid::nil()),
            &form("x", &[]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    let log = audit_db::recent(&db, 10).await.expect("audit log");
    for action in ["opportunity.create", "opportunity.update"] {
        let entry = log
            .iter()
            .find(|(_, e)| e.action == action)
            .unwrap_or_else(|| panic!("{action} is audited"));
        assert_eq!(entry.1.actor, Some(author));
        assert_eq!(entry.1.entity_id, made.id.to_string());
    }
}

async fn analysts_read_and_only_authors_change(db: Db) {
    let [open, ..] = a_catalogue(&db).await;
    let analyst = staff_user(&db, "sara@ministry.example", &[Role::Analyst]).await;
    let mut reader = Client::with_session(
        &db,
        &session_for(&db, analyst, Utc::now(), Utc::now()).await,
    );
    let page = reader.get("/en/staff/opportunities").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Unpublished draft") && page.body.contains("Not published"));
    assert!(
        !page.body.contains("Add an opportunity"),
        "no form for readers"
    );
    let page = reader.get(&format!("/en/staff/opportunities/{open}")).await;
    assert!(
        page.body.contains("changing it needs the author role")
            && !page
                .body
                .contains("<form method=\"post\" action=\"/en/staff/opportunities/")
    );
    let reply = reader
        .post(
            &format!("/en/staff/opportunities/{open}"),
            &form("Changed", &[]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        db::find(&db, open)
            .await
            .expect("find")
            .expect("there")
            .title_en,
        "Open health consultation"
    );

    let responder = staff_user(&db, "ali@ministry.example", &[Role::Responder]).await;
    let mut other = Client::with_session(
        &db,
        &session_for(&db, responder, Utc::now(), Utc::now()).await,
    );
    assert!(
        other
            .get("/en/staff/opportunities")
            .await
            .body
            .contains("You do not have access")
    );
    assert!(
        Client::new(&db)
            .get("/en/staff/opportunities")
            .await
            .location
            .starts_with("/en/login")
    );
}

server::on_both_backends!(
    staff_add_and_change_opportunities_and_see_their_mistakes,
    analysts_read_and_only_authors_change,
);
