//! Intake: the public form (mistakes shown with everything typed, in both languages; the
//! tracking page as confirmation; the per-address limit), and staff recording a phone call.

use super::*;

fn public_form<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("topic", "social_services"),
        ("about", ""),
        (
            "message",
            "Please extend the family centre's hours into the evening.",
        ),
        ("group", "resident"),
        ("reply_by", "web"),
        ("name", ""),
        ("email", ""),
    ];
    for (name, value) in extra {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

async fn the_public_form_checks_confirms_and_tracks(db: Db) {
    let mut visitor = Client::new(&db);
    let page = visitor.get("/ar/feedback").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("أرسل ملاحظة أو استفساراً") && page.body.contains("72"));

    let mistakes = public_form(&[
        ("topic", "weather"),
        ("message", "<b>x"),
        ("reply_by", "email"),
    ]);
    let reply = visitor
        .send(axum::http::Method::POST, "/en/feedback", &mistakes)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Choose a topic",
        "Write your message, at least 10 characters",
        "Enter your email address, or choose to follow the reply on a private page",
    ] {
        assert!(reply.body.contains(message), "{message}");
    }
    assert!(
        reply.body.contains(">&lt;b>x</textarea>"),
        "what was typed is kept, as text"
    );
    let reply = visitor
        .send(
            axum::http::Method::POST,
            "/ar/feedback",
            &public_form(&[
                ("email", "not-an-address"),
                ("message", "</textarea><i>long enough"),
            ]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("أدخل بريداً إلكترونياً مثل name@example.ae")
    );
    assert!(
        reply
            .body
            .contains(">&lt;/textarea>&lt;i>long enough</textarea>"),
        "a typed </textarea> never ends the text box"
    );

    // No CSRF token needed: a participant's submission.
    let sent = visitor
        .send(axum::http::Method::POST, "/ar/feedback", &public_form(&[]))
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(sent.location.starts_with("/ar/feedback/track/") && sent.location.ends_with("?new=1"));
    let page = visitor.get(&sent.location).await;
    assert_eq!(page.status, StatusCode::OK);
    let year = app::dates::in_uae(Utc::now()).format("%Y").to_string();
    assert!(
        page.body.contains(&format!("SHK-{year}-000001")),
        "the reference"
    );
    assert!(
        page.body.contains("تسلّمنا رسالتك") && page.body.contains("+04:00"),
        "due in UAE time"
    );
    assert!(
        page.body
            .contains(r#"<meta name="referrer" content="no-referrer""#)
    );
    // The second case gets the next number; an unknown link is a 404.
    let second = visitor
        .send(axum::http::Method::POST, "/en/feedback", &public_form(&[]))
        .await;
    let page = visitor.get(&second.location).await;
    assert!(page.body.contains(&format!("SHK-{year}-000002")));
    let unknown = visitor.get("/en/feedback/track/0123456789abcdef").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // The participant adds information.
    let track = sent.location.trim_end_matches("?new=1").to_owned();
    let added = visitor
        .send(
            axum::http::Method::POST,
            &track,
            &[("message", "It is the centre in Al Ain.")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let page = visitor.get(&track).await;
    assert!(page.body.contains("It is the centre in Al Ain."));
}

async fn a_flood_gets_429_and_keeps_the_text(db: Db) {
    let mut state = server::testing::state_for(db.clone());
    state.collection = server::collect::Collection::new(db.clone(), 1);
    let mut visitor = Client::over(server::app(state));
    let first = visitor
        .send(axum::http::Method::POST, "/en/feedback", &public_form(&[]))
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let text = "A second message, typed with care, must not be lost.";
    let flood = visitor
        .send(
            axum::http::Method::POST,
            "/en/feedback",
            &public_form(&[("message", text)]),
        )
        .await;
    assert_eq!(flood.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(flood.body.contains("Wait ten minutes") && flood.body.contains(text));
}

async fn staff_record_a_phone_call(db: Db) {
    let (team, lead, _) = team(&db, "social").await;
    route(
        &db,
        "social_services",
        team,
        72,
        app::feedback::clock::Counting::Elapsed,
    )
    .await;
    let mut responder = Client::with_session(
        &db,
        &server::testing::session_for(&db, lead, Utc::now(), Utc::now()).await,
    );
    let page = responder.get("/en/staff/feedback/new").await;
    assert_eq!(page.status, StatusCode::OK);
    let call = [
        ("channel", "phone"),
        ("topic", "social_services"),
        (
            "message",
            "Caller asks when the marriage grant applications reopen.",
        ),
        ("language", "ar"),
        ("group", "citizen"),
        ("reply_by", "phone"),
        ("name", "Mariam"),
        ("phone", ""),
        ("email", ""),
    ];
    let reply = responder.post("/en/staff/feedback/new", &call).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Enter the phone number to call back"));
    assert!(reply.body.contains("marriage grant"), "kept");
    let mut call = call.to_vec();
    call.retain(|(n, _)| *n != "phone");
    call.push(("phone", "+971 50 123 4567"));
    let reply = responder.post("/en/staff/feedback/new", &call).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("Recorded as SHK-") && reply.body.contains("/ar/feedback/track/"));
    // It went to the topic's team, and the list shows it.
    let list = responder
        .get("/en/staff/feedback?team=".to_owned().as_str())
        .await;
    assert!(list.body.contains("Team social") && list.body.contains("Phone"));
    let entries = app::audit::db::search(&db, Some("feedback.record"), 10)
        .await
        .expect("audit");
    assert_eq!(entries.len(), 1);
}

server::on_both_backends!(
    the_public_form_checks_confirms_and_tracks,
    a_flood_gets_429_and_keeps_the_text,
    staff_record_a_phone_call,
);
