//! Single-use invitations: links shown once, one response each keeping no address, mistakes
//! that keep the form, pages that carry no link, emails through the relay; and a survey that
//! opens later.

use super::*;

const MEMBERS: &str = "members";

const INVITED: [&str; 2] = ["amal@example.org", "badr@example.org"];

/// An author's session, after setting invitation mode (and the address `members`) through
/// the staff form.
async fn invitation_mode(db: &Db, id: Uuid) -> Client {
    let (_, mut author) = staff(db, "author@ministry.example", &[Role::Author]).await;
    let settings = format!("/en/staff/surveys/{id}/collect");
    let bad = author
        .post(
            &settings,
            &[("slug", "Not A Slug"), ("identity_mode", "invitation")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body
            .contains("Enter a web address of 3 to 60 small letters")
    );
    let saved = author
        .post(
            &settings,
            &[("slug", MEMBERS), ("identity_mode", "invitation")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location, settings);
    author
}

/// Invites two addresses in storage; returns (address, token) for each.
async fn invite_two(db: &Db, id: Uuid) -> Vec<(String, String)> {
    let emails = INVITED.map(str::to_owned);
    responses_db::invite(db, id, &emails, Utc::now())
        .await
        .expect("invite")
}

/// The (address, token) pairs of the links a page shows once.
fn links_shown(page: &str) -> Vec<(String, String)> {
    let Some(start) = page.find("invitation-links\">") else {
        return Vec::new();
    };
    let shown = &page[start + "invitation-links\">".len()..];
    let shown = &shown[..shown.find("</pre>").expect("the end of the links")];
    shown
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(email, link)| {
            let (path, token) = link.split_once("?inv=").expect("an invitation link");
            assert!(path.ends_with(&form_path(MEMBERS)), "{link}");
            (email.to_owned(), token.to_owned())
        })
        .collect()
}

async fn authors_create_invitation_links_shown_once(db: Db) {
    let id = make_survey(&db, one_page(), "open-first").await;
    let mut author = invitation_mode(&db, id).await;
    let path = format!("/en/staff/surveys/{id}/invitations");
    let wrong = author
        .post(&path, &[("emails", "amal@example.org\nnot-an-address")])
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(
        wrong
            .body
            .contains("Some addresses are not in the right format"),
        "{}",
        wrong.body
    );
    assert!(
        wrong.body.contains("not-an-address"),
        "what was typed is kept"
    );
    assert!(
        responses_db::invitations(&db, id)
            .await
            .expect("invitations")
            .is_empty()
    );

    let emails = "Amal@Example.org\nbadr@example.org, amal@example.org";
    let made = author.post(&path, &[("emails", emails)]).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let stored = responses_db::invitations(&db, id)
        .await
        .expect("invitations");
    let stored: Vec<&str> = stored.iter().map(|i| i.email.as_str()).collect();
    assert_eq!(stored, INVITED);
    let links = links_shown(&made.body);
    let shown: Vec<&str> = links.iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(shown, INVITED, "the new links are shown: {}", made.body);
    let mut visitor = Client::new(&db);
    open_form(&mut visitor, &format!("/en/s/{MEMBERS}?inv={}", links[0].1)).await;
    // Asked again, nobody is invited twice.
    let again = author.post(&path, &[("emails", "badr@example.org")]).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert!(links_shown(&again.body).is_empty());
    assert_eq!(
        responses_db::invitations(&db, id)
            .await
            .expect("invitations")
            .len(),
        2
    );
}

async fn an_invitation_gives_one_response_which_keeps_no_address(db: Db) {
    let id = make_survey(&db, one_page(), "open-first").await;
    invitation_mode(&db, id).await;
    let links = invite_two(&db, id).await;
    let mut visitor = Client::new(&db);
    let bare = visitor.get(&form_path(MEMBERS)).await;
    assert!(bare.body.contains("by invitation only"), "{}", bare.body);
    assert!(field(&bare.body, "submission").is_none());
    let posted = submit(&mut visitor, MEMBERS, &complete(Uuid::new_v4())).await;
    assert_eq!(
        posted.status,
        StatusCode::FORBIDDEN,
        "no invitation, no response"
    );

    let (email, token) = &links[0];
    let link = format!("/en/s/{MEMBERS}?inv={token}");
    let (_, hidden) = open_form(&mut visitor, &link).await;
    assert_eq!(
        (hidden.get("ch"), hidden.get("inv")),
        (Some("email"), Some(token.as_str()))
    );
    let answers = hidden
        .clone()
        .with("stakeholder_group", "expert")
        .with("q.pick", "c1")
        .with("action", "submit");
    let sent = submit(&mut visitor, MEMBERS, &answers).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let submission = hidden.get("submission").expect("id");
    let row = response(&db, id, submission).await;
    assert_eq!(
        (row.channel.as_str(), row.source.as_deref()),
        ("email", None)
    );
    for text in [
        row.raw.as_str(),
        row.group.as_str(),
        row.source.as_deref().unwrap_or_default(),
    ] {
        assert!(
            !text.contains('@') && !text.contains(token.as_str()),
            "{row:?}"
        );
    }
    assert!(!text_of_row_mentions(&db, id, email, token).await);

    // The link is spent: the page says so, and another response through it is refused.
    let used = visitor.get(&link).await;
    assert!(used.body.contains("already been used"), "{}", used.body);
    let another = answers.clone().set("submission", Uuid::new_v4());
    let refused = submit(&mut visitor, MEMBERS, &another).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    // The same response sent again (a retry) is thanked, and stored once.
    let retried = submit(&mut visitor, MEMBERS, &answers).await;
    assert_eq!(
        retried.location,
        format!("/en/s/{MEMBERS}/thanks"),
        "{}",
        retried.body
    );
    assert_eq!(count_rows(&db, id).await, 1);

    let invitations = responses_db::invitations(&db, id)
        .await
        .expect("invitations");
    let used_on: Vec<(&str, bool)> = invitations
        .iter()
        .map(|i| (i.email.as_str(), i.used_on.is_some()))
        .collect();
    assert_eq!(used_on, [(INVITED[0], true), (INVITED[1], false)]);
    let day = invitations[0].used_on.as_deref().unwrap_or_default();
    assert!(
        day.parse::<chrono::NaiveDate>().is_ok(),
        "only the day is kept: {day}"
    );

    // The other invitation still works.
    let (_, hidden) = open_form(&mut visitor, &format!("/en/s/{MEMBERS}?inv={}", links[1].1)).await;
    let other = hidden
        .with("stakeholder_group", "citizen")
        .with("q.pick", "c2")
        .with("action", "submit");
    assert_eq!(
        submit(&mut visitor, MEMBERS, &other).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(count_rows(&db, id).await, 2);
}

/// Whether any text column of the survey's responses holds the address or the token.
async fn text_of_row_mentions(db: &Db, survey: Uuid, email: &str, token: &str) -> bool {
    let rows: Vec<(String,)> = app::on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT stakeholder_group || '|' || channel || '|' || answers || '|' \
             || COALESCE(source, '') FROM responses WHERE survey_id = $1",
        )
        .bind(survey)
        .fetch_all(pool)
        .await
        .expect("read responses")
    });
    rows.iter()
        .any(|(text,)| text.contains(email) || text.contains(token))
}

/// Invited participants who make a mistake, or whose link was used meanwhile, see their form
/// again with the problem (not a page saying they have no invitation).
async fn an_invited_participants_mistake_keeps_their_form(db: Db) {
    let id = make_survey(&db, one_page(), "open-first").await;
    invitation_mode(&db, id).await;
    let links = invite_two(&db, id).await;
    let mut visitor = Client::new(&db);
    let (_, hidden) = open_form(&mut visitor, &format!("/en/s/{MEMBERS}?inv={}", links[0].1)).await;
    let typed = hidden
        .with("stakeholder_group", "expert")
        .with("q.note", "kept words")
        .with("action", "submit");
    let wrong = submit(&mut visitor, MEMBERS, &typed).await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(
        wrong.body.contains("Select an answer"),
        "the error is shown: {}",
        wrong.body
    );
    assert_eq!(field(&wrong.body, "q.note").as_deref(), Some("kept words"));
    assert_eq!(
        field(&wrong.body, "inv").as_deref(),
        Some(links[0].1.as_str())
    );

    let sent = submit(&mut visitor, MEMBERS, &typed.clone().with("q.pick", "c1")).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let reused = typed.set("submission", Uuid::new_v4()).with("q.pick", "c2");
    let refused = submit(&mut visitor, MEMBERS, &reused).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    // Either the form with the problem, or the page saying the link was used.
    let said = [
        "This invitation was used for another response",
        "already been used",
    ];
    assert!(
        said.iter().any(|s| refused.body.contains(s)),
        "{}",
        refused.body
    );
}

/// An invited participant answers two pages: the draft keeps the invitation's hash (never the
/// link), later pages carry no token, and the response uses up the invitation.
async fn an_invitation_carries_over_pages_without_keeping_the_link(db: Db) {
    let id = make_survey(&db, two_pages(), "two-invited").await;
    invitation_mode(&db, id).await;
    let links = invite_two(&db, id).await;
    let token = links[0].1.clone();
    let mut visitor = Client::new(&db);
    let (_, hidden) = open_form(&mut visitor, &format!("/en/s/{MEMBERS}?inv={token}")).await;
    let first = hidden
        .with("stakeholder_group", "resident")
        .with("q.pick", "c1")
        .with("action", "next");
    let next = submit(&mut visitor, MEMBERS, &first).await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    let submission = first.get("submission").expect("submission").to_owned();
    let (kept,): (Option<String>,) = match &db {
        Db::Sqlite(pool) => sqlx::query_as("SELECT invitation FROM response_drafts")
            .fetch_one(pool)
            .await
            .expect("draft"),
        Db::Postgres(pool) => sqlx::query_as("SELECT invitation FROM response_drafts")
            .fetch_one(pool)
            .await
            .expect("draft"),
    };
    assert_eq!(kept, Some(app::responses::invitation_hash(&token)));
    let (page, hidden) = open_form(&mut visitor, &next.location).await;
    assert!(page.body.contains("Page 2 of 2"), "{}", page.body);
    assert_eq!(hidden.get("inv"), None, "later pages carry no token");
    let last = hidden.with("q.agree", "yes").with("action", "submit");
    let sent = submit(&mut visitor, MEMBERS, &last).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(sent.location.ends_with("/thanks"), "{}", sent.location);
    assert_eq!(response(&db, id, &submission).await.channel, "email");
    let used = responses_db::invitations(&db, id)
        .await
        .expect("invitations");
    assert_eq!(used.iter().filter(|i| i.used_on.is_some()).count(), 1);
    // The link cannot start another response.
    let again = visitor.get(&format!("/en/s/{MEMBERS}?inv={token}")).await;
    assert!(again.body.contains("already been used"), "{}", again.body);
}

/// With an SMTP relay configured, each invited address is sent its link (in both languages);
/// the message waits in the outbox for the sender.
async fn invitations_are_emailed_when_a_relay_is_configured(db: Db) {
    let id = make_survey(&db, one_page(), "mailed").await;
    invitation_mode(&db, id).await;
    staff_user(&db, "mailing-author@ministry.example", &[Role::Author]).await;
    let mut state = server::testing::state_for(db.clone());
    let mut settings = (*state.settings).clone();
    let relay = url::Url::parse("smtp://127.0.0.1:9").expect("url");
    settings.mailer =
        Some(server::mail::Mailer::new(&relay, "no-reply@ministry.example").expect("mailer"));
    state.settings = std::sync::Arc::new(settings);
    let mut author = Client::over(server::app(state));
    author.sign_in("mailing-author@ministry.example").await;
    let path = format!("/en/staff/surveys/{id}/invitations");
    let made = author.post(&path, &[("emails", "amal@example.org")]).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert!(
        made.body.contains("sent its link by email"),
        "{}",
        made.body
    );
    let token = links_shown(&made.body)[0].1.clone();
    let waiting = app::store::outbox::pending(&db, 10).await.expect("outbox");
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].to, "amal@example.org");
    assert!(waiting[0].subject.contains("Invitation to take part"));
    for lang in ["ar", "en"] {
        let link = format!("/{lang}/s/{MEMBERS}?inv={token}");
        assert!(waiting[0].body.contains(&link), "{}", waiting[0].body);
    }
    // Without a relay nothing is queued: the page says to send the links.
    let (_, mut plain) = staff(&db, "plain-author@ministry.example", &[Role::Author]).await;
    let shown = plain.post(&path, &[("emails", "badr@example.org")]).await;
    assert_eq!(shown.status, StatusCode::CREATED, "{}", shown.body);
    assert!(!shown.body.contains("sent its link by email"));
    assert_eq!(
        app::store::outbox::pending(&db, 10)
            .await
            .expect("outbox")
            .len(),
        1
    );
}

/// A published survey that opens later says when, in the visitor's language, and takes nothing.
async fn a_survey_that_opens_later_says_when(db: Db) {
    let now = Utc::now();
    let id = surveys_db::create(&db, &one_page(), None, now)
        .await
        .expect("create survey");
    responses_db::save_collection_settings(&db, id, Some("soon"), IdentityMode::Anonymous, now)
        .await
        .expect("collection settings");
    let settings = surveys_db::Settings {
        opens_at: Some(now + chrono::Duration::days(10)),
        closes_at: None,
        recurrence: None,
        wave_days: None,
        topic: "other".into(),
        groups: Vec::new(),
    };
    surveys_db::save_settings(&db, id, &settings, now)
        .await
        .expect("settings");
    assert!(
        surveys_db::set_status(&db, id, Status::Draft, Status::Scheduled, now)
            .await
            .expect("schedule")
    );
    let mut visitor = Client::new(&db);
    let page = visitor.get("/en/s/soon").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("This survey opens on"), "{}", page.body);
    let arabic = visitor.get("/ar/s/soon").await;
    assert!(
        arabic.body.contains("يُفتح هذا الاستبيان في"),
        "{}",
        arabic.body
    );
    let sent = submit(&mut visitor, "soon", &complete(Uuid::new_v4())).await;
    assert_eq!(sent.status, StatusCode::GONE);
    assert_eq!(count_rows(&db, id).await, 0);
}

server::on_both_backends!(
    authors_create_invitation_links_shown_once,
    an_invitation_gives_one_response_which_keeps_no_address,
    an_invited_participants_mistake_keeps_their_form,
    an_invitation_carries_over_pages_without_keeping_the_link,
    invitations_are_emailed_when_a_relay_is_configured,
    a_survey_that_opens_later_says_when,
);
