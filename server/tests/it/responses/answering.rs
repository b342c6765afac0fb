//! A participant answers a two-page survey with a mistake, a saved draft and a step back;
//! numbers in Arabic-Indic digits; a submission sent many times at once is stored once;
//! links record their channel.

use super::*;

// ---------------------------------------------------------------------------------------------
// A two-page survey, answered over HTTP

const SERVICES: &str = "services-2026";

async fn a_two_page_survey_is_answered_with_a_mistake_a_draft_and_a_step_back(db: Db) {
    let id = make_survey(&db, two_pages(), SERVICES).await;
    let mut visitor = Client::new(&db);
    let (first, hidden) = open_form(&mut visitor, &form_path(SERVICES)).await;
    assert!(first.body.contains("Page 1 of 2"), "{}", first.body);
    assert_eq!(
        (hidden.get("page"), hidden.get("ch")),
        (Some("0"), Some("web"))
    );
    assert_eq!(hidden.get("draft"), None);
    let submission = hidden.get("submission").expect("submission").to_owned();

    // A mistake: no colour chosen and an age out of range. Everything typed comes back.
    let mistake = hidden
        .clone()
        .with("stakeholder_group", "citizen")
        .with("q.age", "17")
        .with("action", "next");
    let wrong = submit(&mut visitor, SERVICES, &mistake).await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("There is a problem"));
    assert!(
        title(&wrong.body).starts_with("Error:"),
        "{}",
        title(&wrong.body)
    );
    assert!(wrong.body.contains("Select an answer"));
    assert!(wrong.body.contains("Enter a number from 18 to 99"));
    assert_eq!(field(&wrong.body, "q.age").as_deref(), Some("17"));
    assert!(checked(&wrong.body, "stakeholder_group", "citizen"));
    assert_eq!(field(&wrong.body, "submission"), Some(submission.clone()));
    assert!(!has_draft(&db, &submission).await);

    // Corrected (the age in Arabic-Indic digits): on to page 2, with a draft on the server.
    let fixed = mistake.with("q.pick", "c1").set("q.age", "٢٠");
    let next = submit(&mut visitor, SERVICES, &fixed).await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    let resume = format!("/en/s/{SERVICES}?r={submission}&page=1");
    assert_eq!(next.location, resume);
    assert!(has_draft(&db, &submission).await);
    let (second, hidden) = open_form(&mut visitor, &resume).await;
    assert!(second.body.contains("Page 2 of 2"), "{}", second.body);
    assert_eq!(hidden.get("submission"), Some(submission.as_str()));
    assert_eq!(
        (hidden.get("page"), hidden.get("draft")),
        (Some("1"), Some("1"))
    );
    assert!(
        field(&second.body, "q.pick").is_none(),
        "page 2 shows only section 2"
    );

    // Back keeps what was typed on page 2 and shows page 1 as it was answered.
    let back = submit(
        &mut visitor,
        SERVICES,
        &hidden.with("q.agree", "no").with("action", "back"),
    )
    .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    assert_eq!(
        back.location,
        format!("/en/s/{SERVICES}?r={submission}&page=0")
    );
    let (again, hidden) = open_form(&mut visitor, &back.location).await;
    assert!(again.body.contains("Page 1 of 2"));
    assert!(checked(&again.body, "q.pick", "c1") && !checked(&again.body, "q.pick", "c2"));
    assert!(checked(&again.body, "stakeholder_group", "citizen"));
    assert_eq!(field(&again.body, "q.age").as_deref(), Some("20"));
    let page_one = hidden
        .with("stakeholder_group", "citizen")
        .with("q.pick", "c1")
        .with("q.age", "20")
        .with("action", "next");
    let next = submit(&mut visitor, SERVICES, &page_one).await;
    assert_eq!(next.location, resume, "{}", next.body);
    let (second, hidden) = open_form(&mut visitor, &resume).await;
    assert!(
        checked(&second.body, "q.agree", "no"),
        "page 2 remembers its answer"
    );

    // Sent, with an answer to the question its rule hides (a browser without JavaScript
    // shows every question): that answer is dropped.
    let last = hidden
        .with("q.agree", "yes")
        .with("q.why", "not for my eyes")
        .with("action", "submit");
    let sent = submit(&mut visitor, SERVICES, &last).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.location, format!("/en/s/{SERVICES}/thanks"));
    let thanks = visitor.get(&sent.location).await;
    assert_eq!(thanks.status, StatusCode::OK);
    assert!(thanks.body.contains("Thank you: your answers were sent"));

    let rows = stored(&db, id).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(
        (row.group.as_str(), row.channel.as_str()),
        ("citizen", "web")
    );
    assert_eq!(row.submission, submission.parse().ok());
    assert_eq!((row.source.as_deref(), row.entered_by), (None, None));
    assert_eq!(answer(row, "pick"), "c1");
    assert_eq!(answer(row, "age"), 20.0);
    assert_eq!(answer(row, "agree"), "yes");
    assert_eq!(answer(row, "stakeholder_group"), "citizen");
    assert!(row.answers.get("why").is_none(), "{}", row.raw);
    assert!(!row.raw.contains("not for my eyes"));
    assert!(
        !has_draft(&db, &submission).await,
        "the draft is gone once sent"
    );
    let done = visitor.get(&resume).await;
    assert!(done.body.contains("already sent"), "{}", done.body);
}

// ---------------------------------------------------------------------------------------------
// Reading and refusing answers

async fn numbers_in_arabic_digits_are_stored_and_bad_answers_refused(db: Db) {
    let id = make_survey(&db, one_page(), "digits").await;
    let mut visitor = Client::new(&db);
    let huge = "x".repeat(200_000);
    let refused = [
        ("q.age", "١٧", "Enter a number from 18 to 99"),
        ("q.age", "١٠٠", "Enter a number from 18 to 99"),
        ("q.age", "٤٢٫٥", "Enter a whole number"),
        ("q.age", "forty", "Enter a number"),
        ("q.pick", "c9", "Select one of the answers shown"),
        (
            "stakeholder_group",
            "martian",
            "Select one of the answers shown",
        ),
        (
            "q.note",
            "twenty-one characters",
            "must be 20 characters or fewer",
        ),
        ("q.note", huge.as_str(), "must be 20 characters or fewer"),
    ];
    for (name, value, message) in refused {
        let form = complete(Uuid::new_v4()).set(name, value);
        let reply = submit(&mut visitor, "digits", &form).await;
        let shown: String = value.chars().take(20).collect();
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}={shown}: {}",
            reply.body
        );
        assert!(reply.body.contains(message), "{name}={shown}: {message}");
    }
    assert_eq!(count_rows(&db, id).await, 0);

    let submission = Uuid::new_v4();
    let form = complete(submission)
        .set("q.age", "٤٢")
        .set("q.note", "  قصير  ");
    let sent = submit(&mut visitor, "digits", &form).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let row = response(&db, id, &submission.to_string()).await;
    assert_eq!(
        row.answers["age"],
        serde_json::json!({"type": "number", "value": 42.0})
    );
    assert_eq!(row.answers["note"]["value"], "قصير");
}

// ---------------------------------------------------------------------------------------------
// Exactly once

async fn one_submission_sent_twenty_times_at_once_is_stored_once(db: Db) {
    let id = make_survey(&db, one_page(), "once").await;
    // Two app servers over one database: repeats meet in one batch and across transactions.
    let servers = [
        server::app(state_for(db.clone())),
        server::app(state_for(db.clone())),
    ];
    let submission = Uuid::new_v4();
    let mut sending = tokio::task::JoinSet::new();
    for n in 0..20 {
        let mut client = Client::over(servers[n % 2].clone());
        sending.spawn(async move { submit(&mut client, "once", &complete(submission)).await });
    }
    while let Some(reply) = sending.join_next().await {
        let reply = reply.expect("a sender");
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert_eq!(reply.location, "/en/s/once/thanks");
    }
    assert_eq!(count_rows(&db, id).await, 1);

    let mut visitor = Client::new(&db);
    for _ in 0..2 {
        let reply = submit(&mut visitor, "once", &complete(Uuid::new_v4())).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
    assert_eq!(count_rows(&db, id).await, 3);
}

/// Sends one participant's page: a complete response to `short`, or page 1 of `long` (which
/// saves a draft).
async fn one_page_or_draft(mut client: Client, draft: bool) -> (&'static str, Reply) {
    let (key, form) = if draft {
        ("long", complete(Uuid::new_v4()).set("action", "next"))
    } else {
        ("short", complete(Uuid::new_v4()))
    };
    (key, submit(&mut client, key, &form).await)
}

/// Participants saving drafts (page 1 of a longer survey) while others send complete
/// responses, on one app server: every one of them is saved, none is asked to try again.
async fn drafts_and_responses_saved_at_once_all_succeed(db: Db) {
    let long = make_survey(&db, two_pages(), "long").await;
    let short = make_survey(&db, one_page(), "short").await;
    let app = server::app(state_for(db.clone()));
    // A few rounds of 200, since writers meet by chance.
    for _ in 0..5 {
        let mut sending = tokio::task::JoinSet::new();
        for n in 0..200 {
            sending.spawn(one_page_or_draft(Client::over(app.clone()), n % 2 == 1));
        }
        while let Some(sent) = sending.join_next().await {
            let (key, reply) = sent.expect("a sender");
            let status = reply.status;
            assert_eq!(
                status,
                StatusCode::SEE_OTHER,
                "{key}: {}",
                title(&reply.body)
            );
        }
    }
    assert_eq!(count_rows(&db, short).await, 500);
    assert_eq!(count_rows(&db, long).await, 0);
}

// ---------------------------------------------------------------------------------------------
// Channels

async fn links_record_their_channel_and_source(db: Db) {
    let id = make_survey(&db, one_page(), "channels").await;
    let mut visitor = Client::new(&db);
    let links = [
        ("?p=KSU", "partner", Some("ksu")),
        ("?utm_source=twitter", "social", Some("twitter")),
        ("?ch=mobile", "mobile", None),
        ("?ch=widget", "widget", None),
        ("", "web", None),
    ];
    for (query, channel, source) in links {
        let (_, hidden) = open_form(&mut visitor, &format!("/en/s/channels{query}")).await;
        assert_eq!(hidden.get("ch"), Some(channel), "{query}");
        assert_eq!(hidden.get("src"), source, "{query}");
        let answers = hidden
            .clone()
            .with("stakeholder_group", "ngo")
            .with("q.pick", "c2")
            .with("action", "submit");
        let sent = submit(&mut visitor, "channels", &answers).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{query}: {}", sent.body);
        let row = response(&db, id, hidden.get("submission").expect("id")).await;
        assert_eq!(row.channel, channel, "{query}");
        assert_eq!(row.source.as_deref(), source, "{query}");
        assert_eq!(row.group, "ngo");
    }
    // A participant cannot pass answers off as staff-assisted, nor store any source text.
    let submission = Uuid::new_v4();
    let forged = complete(submission)
        .set("ch", "assisted")
        .with("src", "<b>bold</b>");
    let sent = submit(&mut visitor, "channels", &forged).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let row = response(&db, id, &submission.to_string()).await;
    assert_eq!((row.channel.as_str(), row.source), ("web", None));
}

server::on_both_backends!(
    a_two_page_survey_is_answered_with_a_mistake_a_draft_and_a_step_back,
    numbers_in_arabic_digits_are_stored_and_bad_answers_refused,
    one_submission_sent_twenty_times_at_once_is_stored_once,
    drafts_and_responses_saved_at_once_all_succeed,
    links_record_their_channel_and_source,
);
