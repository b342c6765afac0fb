//! "You said, we did" (issue 17 §1, §2, §6) over HTTP: authors write an outcome for a survey
//! or a consultation, publish it (freezing the results it rests on) and record progress; the
//! people linked — addresses left to hear back, commenters, senders of related feedback — are
//! told once per change in their own language, with a one-click unsubscribe that is honoured;
//! addresses kept only to hear back go once the outcome is final; the public pages, the feed
//! and the opportunity page show it. Both databases.

use app::accounts::Role;
use app::opportunities::OpportunityKind;
use app::opportunities::rules::OpportunityFields;
use app::responses::IdentityMode;
use app::store::Db;
use app::surveys::Status;
use app::surveys::model::{Kind, Section};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use server::testing::{Client, participant_session};
use uuid::Uuid;

use crate::support::{question, staff, survey};

/// An open survey at `/s/{slug}` with a rating question; answers its id and its opportunity's.
async fn open_survey(db: &Db, slug: &str) -> (Uuid, Uuid) {
    let now = Utc::now();
    let rating = question(
        "satisfaction",
        "How satisfied are you?",
        Kind::Rating {
            min: 1,
            max: 5,
            min_label: Default::default(),
            max_label: Default::default(),
        },
    );
    let definition = survey(
        "Family centres",
        vec![Section {
            questions: vec![rating],
            ..Section::new("s1")
        }],
    );
    let id = app::surveys::db::create(db, &definition, None, now)
        .await
        .expect("survey");
    app::responses::db::save_collection_settings(db, id, Some(slug), IdentityMode::Anonymous, now)
        .await
        .expect("collection settings");
    assert!(
        app::surveys::db::set_status(db, id, Status::Draft, Status::Open, now)
            .await
            .expect("open")
    );
    let sql = "SELECT id FROM opportunities WHERE survey_id = $1";
    let opportunity: Uuid = match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).bind(id).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).bind(id).fetch_one(pool).await,
    }
    .expect("the survey's opportunity");
    (id, opportunity)
}

/// The outcome emails waiting: (to, subject, body, unsubscribe address), oldest first.
async fn outcome_mail(db: &Db) -> Vec<(String, String, String, String)> {
    let sql = "SELECT to_address, subject, body, unsubscribe_url FROM outbox
               WHERE unsubscribe_url IS NOT NULL ORDER BY id";
    match db {
        Db::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await,
    }
    .expect("outbox")
}

async fn contacts(db: &Db, survey: Uuid) -> i64 {
    app::responses::db::contacts(db, survey)
        .await
        .expect("contacts")
}

/// The outcome form, filled, for `link`.
fn filled(link: &str) -> Vec<(&'static str, String)> {
    vec![
        ("link", link.to_owned()),
        ("title_ar", "ساعات أطول لمراكز الأسرة".to_owned()),
        ("title_en", "Longer family-centre hours".to_owned()),
        ("said_ar", "قال كثيرون إن المراكز تغلق مبكراً.".to_owned()),
        (
            "said_en",
            "Many said the centres close too early.".to_owned(),
        ),
        ("did_ar", "تفتح المراكز حتى التاسعة مساءً.".to_owned()),
        ("did_en", "Centres now open until 9 pm.".to_owned()),
        ("responsible_ar", "إدارة مراكز الأسرة".to_owned()),
        ("responsible_en", "Family Centres Department".to_owned()),
        ("status", "planned".to_owned()),
        ("due_on", "2027-03-31".to_owned()),
        ("indicator", "satisfaction".to_owned()),
    ]
}

fn form<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The outcome's id after `/staff/outcomes/` in a redirect.
fn outcome_in(location: &str) -> Uuid {
    location
        .split("/staff/outcomes/")
        .nth(1)
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("an outcome id in {location}"))
}

async fn a_survey_outcome_tells_each_person_once_in_their_language(db: Db) {
    let (survey_id, opportunity) = open_survey(&db, "centres").await;
    // Two people leave an address to hear back, one in each language; one sends feedback
    // about the survey asking for an email reply.
    let mut visitor = Client::new(&db);
    for (path, email) in [
        ("/ar/s/centres/contact", "Huda@Example.ae"),
        ("/en/s/centres/contact", "sam@example.ae"),
    ] {
        let saved = visitor.send(Method::POST, path, &[("email", email)]).await;
        assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    }
    let about = opportunity.to_string();
    let sent = visitor
        .send(
            Method::POST,
            "/en/feedback",
            &[
                ("topic", "social_services"),
                ("about", &about),
                ("message", "Please open the centres in the evening."),
                ("group", "resident"),
                ("reply_by", "email"),
                ("name", "Omar"),
                ("email", "omar@example.ae"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    // An analyst reads outcomes but may not write one.
    let (_, mut analyst) = staff(&db, "analyst@example.ae", &[Role::Analyst]).await;
    let link = format!("opportunity:{opportunity}");
    let refused = analyst
        .post("/en/staff/outcomes", &form(&filled(&link)))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // An author's mistakes come back named, with what was typed.
    let (_, mut author) = staff(&db, "author@example.ae", &[Role::Author]).await;
    let mut wrong = filled(&link);
    wrong.retain(|(k, _)| !matches!(*k, "did_en" | "due_on"));
    wrong.push(("due_on", "31/03/2027".to_owned()));
    let reply = author.post("/ar/staff/outcomes", &form(&wrong)).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("اكتب هذا باللغتين"), "{}", reply.body);
    assert!(
        reply
            .body
            .contains("أدخل اليوم بالصيغة \u{2066}YYYY-MM-DD\u{2069}")
    );
    assert!(reply.body.contains("إدارة مراكز الأسرة"), "typed text kept");
    let created = author
        .post("/en/staff/outcomes", &form(&filled(&link)))
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = outcome_in(&created.location);

    // A draft is not public, and nobody has been written to.
    assert_eq!(
        visitor.get(&format!("/en/outcomes/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(outcome_mail(&db).await.is_empty());

    // Publishing tells the three people linked, each in their language, with an unsubscribe.
    let page = format!("/en/staff/outcomes/{id}");
    let published = author
        .post(&format!("{page}/publish"), &[("version", "0")])
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    assert!(
        published.location.contains("told=3"),
        "{}",
        published.location
    );
    let mail = outcome_mail(&db).await;
    let to: Vec<&str> = mail.iter().map(|m| m.0.as_str()).collect();
    assert_eq!(mail.len(), 3, "{to:?}");
    for address in ["huda@example.ae", "sam@example.ae", "omar@example.ae"] {
        assert!(to.contains(&address), "{address} in {to:?}");
    }
    let huda = mail
        .iter()
        .find(|m| m.0 == "huda@example.ae")
        .expect("huda");
    assert!(huda.1.starts_with("قلتم، فعلنا"), "{}", huda.1);
    assert!(huda.2.contains("تفتح المراكز حتى التاسعة مساءً"));
    assert!(huda.3.contains("/ar/outcomes/unsubscribe/"));
    let sam = mail.iter().find(|m| m.0 == "sam@example.ae").expect("sam");
    assert!(sam.1.starts_with("You said, we did"), "{}", sam.1);
    assert!(sam.2.contains(&format!("/en/outcomes/{id}")));

    // A second publish (a stale form, another server) writes to nobody.
    let again = author
        .post(&format!("{page}/publish"), &[("version", "0")])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("Someone else changed this outcome"));
    assert_eq!(outcome_mail(&db).await.len(), 3);

    // The public sees it: the page, the list, the feed, the opportunity and the thank-you page.
    let shown = visitor.get(&format!("/en/outcomes/{id}")).await;
    assert_eq!(shown.status, StatusCode::OK);
    for text in [
        "Longer family-centre hours",
        "You said",
        "Many said the centres close too early.",
        "We did",
        "Family Centres Department",
        "31 March 2027",
        "og:title",
    ] {
        assert!(shown.body.contains(text), "{text}");
    }
    let shown = visitor.get(&format!("/ar/outcomes/{id}")).await;
    assert!(shown.body.contains("قلتم") && shown.body.contains("فعلنا"));
    let list = visitor.get("/en/outcomes?status=planned").await;
    assert!(list.body.contains("Longer family-centre hours"));
    let list = visitor.get("/en/outcomes?status=done").await;
    assert!(!list.body.contains("Longer family-centre hours"));
    let feed = visitor.get("/en/outcomes/feed.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.body.contains(&format!("urn:uuid:{id}")));
    let shown = visitor
        .get(&format!("/en/opportunities/{opportunity}"))
        .await;
    assert!(shown.body.contains("Results and what changed"));
    assert!(shown.body.contains("Longer family-centre hours"));
    let thanks = visitor.get("/en/s/centres/thanks").await;
    assert!(thanks.body.contains("href=\"/en/outcomes\""));

    // Huda stops outcome emails with one click (no session, no token: as a mail program).
    let path = huda
        .3
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(&huda.3);
    let path = &path[path.find('/').expect("a path")..];
    let stopped = Client::new(&db)
        .send(Method::POST, path, &[("List-Unsubscribe", "One-Click")])
        .await;
    assert_eq!(stopped.status, StatusCode::SEE_OTHER, "{}", stopped.body);
    let unknown = Client::new(&db)
        .send(Method::POST, "/en/outcomes/unsubscribe/nope", &[])
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("This link is not valid"));

    // A note with the same status tells nobody; a new status tells the others once.
    let noted = author
        .post(
            &format!("{page}/progress"),
            &[
                ("version", "1"),
                ("status", "planned"),
                ("note_ar", "بدأ التوظيف."),
                ("note_en", "Hiring has started."),
            ],
        )
        .await;
    assert_eq!(noted.status, StatusCode::SEE_OTHER, "{}", noted.body);
    assert_eq!(outcome_mail(&db).await.len(), 3);
    let moved = author
        .post(
            &format!("{page}/progress"),
            &[
                ("version", "2"),
                ("status", "done"),
                ("note_ar", "تفتح المراكز مساءً منذ اليوم."),
                ("note_en", "Centres open in the evening from today."),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let mail = outcome_mail(&db).await;
    assert_eq!(
        mail.len(),
        5,
        "{:?}",
        mail.iter().map(|m| &m.0).collect::<Vec<_>>()
    );
    assert!(
        !mail[3..].iter().any(|m| m.0 == "huda@example.ae"),
        "an address that opted out is never written to again"
    );
    assert!(
        mail[3..].iter().any(|m| m.1.contains("is now “Done”")),
        "{:?}",
        mail.iter().map(|m| &m.1).collect::<Vec<_>>()
    );

    // Final: the addresses kept only to hear back are gone; the timeline shows the progress.
    assert_eq!(contacts(&db, survey_id).await, 0);
    let shown = visitor.get(&format!("/en/outcomes/{id}")).await;
    assert!(shown.body.contains("Hiring has started."));
    assert!(
        shown
            .body
            .contains("Centres open in the evening from today.")
    );
    assert!(shown.body.contains("Done on"));

    // Telling again about an entry already told sends nothing.
    let outcome = app::outcomes::db::shown(&db, id)
        .await
        .expect("read")
        .expect("outcome");
    let last = outcome.updates.last().expect("an entry").clone();
    let told = app::outcomes::notify::tell(
        &db,
        &outcome.outcome,
        &last,
        false,
        "http://127.0.0.1:3000",
        Utc::now(),
    )
    .await
    .expect("tell");
    assert_eq!(told.emails, 0);
    assert_eq!(outcome_mail(&db).await.len(), 5);

    // Unknown ids are 404 for staff and public alike.
    assert_eq!(
        author
            .get(&format!("/en/staff/outcomes/{}", Uuid::now_v7()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        visitor.get("/en/outcomes/not-an-id").await.status,
        StatusCode::NOT_FOUND
    );
}

/// A published consultation that closed yesterday.
async fn consultation(db: &Db) -> Uuid {
    let now = Utc::now();
    let fields = OpportunityFields {
        kind: OpportunityKind::Consultation,
        title_ar: "مسودة سياسة الأسرة".into(),
        title_en: "Draft family policy".into(),
        summary_ar: "ملخص".into(),
        summary_en: "Summary".into(),
        body_ar: String::new(),
        body_en: String::new(),
        topic: "social_services".into(),
        groups: Vec::new(),
        starts_at: Some(now - Duration::days(20)),
        ends_at: Some(now + Duration::days(2)),
        location: String::new(),
        link: String::new(),
        published: true,
    };
    app::opportunities::db::create(db, &fields, now - Duration::days(21))
        .await
        .expect("consultation")
}

async fn commenters_hear_in_their_language_and_see_it_in_their_account(db: Db) {
    let id = consultation(&db).await;
    let (layla_id, token) = participant_session(&db, "layla@example.ae").await;
    let profile = app::participants::rules::Profile {
        display_name: "ليلى".into(),
        language: app::Locale::Ar,
        group: None,
    };
    app::participants::db::update_profile(&db, layla_id, &profile)
        .await
        .expect("profile");
    let mut layla = Client::as_participant(&db, &token);
    let posted = layla
        .post(
            &format!("/ar/opportunities/{id}/comments"),
            &[
                ("section", "document"),
                ("body", "أقترح إجازة أطول للوالدين."),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);

    // Following: Layla (who commented) and Omar follow; Nadia follows, then stops; a visitor
    // cannot follow.
    let follow = format!("/ar/opportunities/{id}/follow");
    let comments = layla.get(&format!("/ar/opportunities/{id}/comments")).await;
    assert!(
        comments.body.contains("تابع هذه الاستشارة"),
        "{}",
        comments.body
    );
    let followed = layla.post(&follow, &[("follow", "on")]).await;
    assert_eq!(
        followed.location,
        format!("/ar/opportunities/{id}/comments?followed=1")
    );
    let shown = layla.get(&followed.location).await;
    assert!(
        shown.body.contains("أنت تتابع هذه الاستشارة"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("إيقاف المتابعة"));
    for (email, stays) in [("omar@example.ae", true), ("nadia@example.ae", false)] {
        let (_, token) = participant_session(&db, email).await;
        let mut person = Client::as_participant(&db, &token);
        let done = person.post(&follow, &[("follow", "on")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        // Twice changes nothing.
        person.post(&follow, &[("follow", "on")]).await;
        if !stays {
            let stopped = person.post(&follow, &[("follow", "off")]).await;
            assert!(
                stopped.location.ends_with("?unfollowed=1"),
                "{}",
                stopped.location
            );
        }
    }
    let visitor = Client::new(&db).post(&follow, &[("follow", "on")]).await;
    assert_ne!(
        visitor.status,
        StatusCode::SEE_OTHER,
        "{}",
        visitor.location
    );
    let unknown = layla
        .post(
            &format!("/ar/opportunities/{}/follow", Uuid::new_v4()),
            &[("follow", "on")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let (_, mut author) = staff(&db, "author@example.ae", &[Role::Author]).await;
    let mut fields = filled(&format!("opportunity:{id}"));
    fields.retain(|(k, _)| *k != "indicator");
    // An indicator needs a survey: a consultation has none.
    let mut with_indicator = fields.clone();
    with_indicator.push(("indicator", "satisfaction".to_owned()));
    let refused = author
        .post("/en/staff/outcomes", &form(&with_indicator))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Choose a question of the linked survey")
    );
    let created = author.post("/en/staff/outcomes", &form(&fields)).await;
    let outcome = outcome_in(&created.location);
    let published = author
        .post(
            &format!("/en/staff/outcomes/{outcome}/publish"),
            &[("version", "0")],
        )
        .await;
    assert!(
        published.location.contains("told=2"),
        "{}",
        published.location
    );
    // Layla once (she commented and follows), Omar (follows); not Nadia.
    let mail = outcome_mail(&db).await;
    let mut to: Vec<&str> = mail.iter().map(|m| m.0.as_str()).collect();
    to.sort();
    assert_eq!(to, ["layla@example.ae", "omar@example.ae"]);
    let layla_mail = mail
        .iter()
        .find(|m| m.0 == "layla@example.ae")
        .expect("Layla's");
    assert!(layla_mail.1.starts_with("قلتم، فعلنا"), "{}", layla_mail.1);

    let account = layla.get("/ar/account").await;
    assert!(account.body.contains("ما الذي تغيّر"));
    assert!(account.body.contains("ساعات أطول لمراكز الأسرة"));
    let shown = Client::new(&db)
        .get(&format!("/en/outcomes/{outcome}"))
        .await;
    assert!(shown.body.contains("1 published comments") || shown.body.contains("Based on"));
}

/// Addresses left to hear back are kept no longer than administrators chose (issue 17 §2):
/// 365 days until they choose; the thank-you page says how long; authors cannot change it;
/// a bad number is named with what was typed kept; older addresses are deleted by the
/// scheduler's pruning, newer ones stay.
async fn hear_back_addresses_expire_after_the_period_administrators_set(db: Db) {
    use app::outcomes::retention;
    let (survey_id, _) = open_survey(&db, "centres").await;
    let mut visitor = Client::new(&db);
    let saved = visitor
        .send(
            Method::POST,
            "/en/s/centres/contact",
            &[("email", "sam@example.ae")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    let thanks = visitor.get("/en/s/centres/thanks").await;
    assert!(
        thanks.body.contains("or after 365 days at most"),
        "{}",
        thanks.body
    );

    let (_, mut author) = staff(&db, "author@example.ae", &[Role::Author]).await;
    let page = author.get("/en/staff/outcomes").await;
    assert!(
        page.body
            .contains("Addresses are kept for at most 365 days.")
    );
    assert!(
        !page.body.contains("Save the period"),
        "authors do not set it"
    );
    let refused = author
        .post("/en/staff/contacts/retention", &[("days", "30")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let (_, mut admin) = staff(&db, "admin@example.ae", &[Role::Admin]).await;
    let bad = admin
        .post("/ar/staff/contacts/retention", &[("days", "7")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("أدخل عدداً صحيحاً من الأيام"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("value=\"7\""));
    let set = admin
        .post("/en/staff/contacts/retention", &[("days", "٣٠")])
        .await;
    assert_eq!(set.location, "/en/staff/outcomes?retention=saved");
    assert_eq!(retention::days(&db).await.expect("days"), 30);
    let thanks = visitor.get("/ar/s/centres/thanks").await;
    assert!(
        thanks.body.contains("أو بعد 30 يوماً على الأكثر"),
        "{}",
        thanks.body
    );

    // The address was left today: kept for now, gone once 30 days have passed.
    let now = Utc::now();
    assert_eq!(retention::prune(&db, now).await.expect("prune"), 0);
    assert_eq!(contacts(&db, survey_id).await, 1);
    assert_eq!(
        retention::prune(&db, now + Duration::days(31))
            .await
            .expect("prune"),
        1
    );
    assert_eq!(contacts(&db, survey_id).await, 0);
}

server::on_both_backends!(
    hear_back_addresses_expire_after_the_period_administrators_set,
    a_survey_outcome_tells_each_person_once_in_their_language,
    commenters_hear_in_their_language_and_see_it_in_their_account,
);
