//! Consultations with comments (issue 15 §2–§6, §9) over HTTP: a document in sections written
//! by staff; signed-in participants comment on a section or the whole document, reply one
//! level, mark helpful once, flag; screening holds abuse (and personal data) for a moderator
//! and publishes criticism; moderators publish, hide citing a category, restore, and of two at
//! once one wins; official replies; deleted accounts become "a former participant"; commenting
//! closes with the deadline; bad input and floods keep the text. Both databases.

use app::accounts::Role;
use app::opportunities::OpportunityKind;
use app::opportunities::rules::OpportunityFields;
use app::store::Db;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use server::testing::{Client, participant_session, session_for, staff_user};
use uuid::Uuid;

/// A published consultation, open unless `ends_in_hours` is negative.
async fn consultation(db: &Db, ends_in_hours: i64) -> Uuid {
    let now = Utc::now();
    let fields = OpportunityFields {
        kind: OpportunityKind::Consultation,
        title_ar: "مسودة سياسة المشاركة".into(),
        title_en: "Draft participation policy".into(),
        summary_ar: "ملخص".into(),
        summary_en: "Summary".into(),
        body_ar: String::new(),
        body_en: String::new(),
        topic: "social_services".into(),
        groups: Vec::new(),
        starts_at: Some(now - Duration::days(2)),
        ends_at: Some(now + Duration::hours(ends_in_hours)),
        location: String::new(),
        link: String::new(),
        published: true,
    };
    app::opportunities::db::create(db, &fields, now - Duration::days(3))
        .await
        .expect("consultation")
}

/// A staff client with these roles.
async fn staff(db: &Db, email: &str, roles: &[Role]) -> (Uuid, Client) {
    let user = staff_user(db, email, roles).await;
    let now = Utc::now();
    let token = session_for(db, user, now, now).await;
    (user, Client::with_session(db, &token))
}

/// A signed-in participant.
async fn participant(db: &Db, email: &str) -> (Uuid, Client) {
    let (id, token) = participant_session(db, email).await;
    (id, Client::as_participant(db, &token))
}

/// The id after `#comment-` in a redirect.
fn comment_in(location: &str) -> Uuid {
    location
        .split("#comment-")
        .nth(1)
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a comment id in {location}"))
}

async fn comments_on_a_document_in_sections(db: Db) {
    let id = consultation(&db, 48).await;
    let (_, mut author) = staff(&db, "author@example.ae", &[Role::Author]).await;
    let document = format!("/ar/staff/opportunities/{id}/document");

    // Staff write the document: a mistake comes back with what was typed, in Arabic.
    let reply = author
        .post(
            &document,
            &[
                ("section", "new"),
                ("heading_ar", ""),
                ("body_ar", "نص المادة"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("اكتب عنواناً للقسم"), "{}", reply.body);
    assert!(reply.body.contains("نص المادة"));
    assert!(reply.body.contains("href=\"#field-heading_ar-new\""));
    let reply = author
        .post(
            &document,
            &[
                ("section", "new"),
                ("heading_ar", "المادة الأولى: القنوات"),
                ("heading_en", "Article 1: Channels"),
                ("body_ar", "تتيح الوزارة قنوات رقمية للمشاركة."),
                ("body_en", "The ministry offers digital channels."),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let sections = app::consultations::db::sections(&db, id)
        .await
        .expect("sections");
    assert_eq!(sections.len(), 1);
    let section = sections[0].id;

    // Anyone reads; commenting needs a sign-in that comes back here.
    let mut visitor = Client::new(&db);
    let page = visitor.get(&format!("/en/opportunities/{id}")).await;
    assert!(page.body.contains("Article 1: Channels"), "{}", page.body);
    assert!(page.body.contains("Comments on this section: 0"));
    let list = format!("/en/opportunities/{id}/comments");
    let page = visitor.get(&format!("{list}?section={section}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("/en/account/sign-in?next=%2Fen%2Fopportunities%2F")
    );
    let refused = visitor
        .post(&list, &[("body", "hello"), ("section", "document")])
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

    // A participant comments on the section: plain text, published at once.
    let (_, mut mona) = participant(&db, "mona@example.ae").await;
    let text = "The service is slow and the forms are confusing <script>alert(1)</script> see https://example.com/x";
    let posted = mona
        .post(&list, &[("section", &section.to_string()), ("body", text)])
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    assert!(posted.location.contains("posted=1"), "{}", posted.location);
    let first = comment_in(&posted.location);
    let page = visitor.get(&format!("{list}?section={section}")).await;
    assert!(page.body.contains("The service is slow"));
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(!page.body.contains("href=\"https://example.com/x\""));
    let page = visitor.get(&format!("/en/opportunities/{id}")).await;
    assert!(
        page.body.contains("Comments on this section: 1"),
        "{}",
        page.body
    );

    // Bad input: the page comes back with the error in the page's language and the text.
    let long = "ب".repeat(2001);
    let reply = mona
        .post(
            &format!("/ar/opportunities/{id}/comments"),
            &[("section", "document"), ("body", &long)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("اختصر تعليقك"));
    assert!(reply.body.contains(&long));
    let reply = mona
        .post(&list, &[("section", "document"), ("body", "  ")])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Write your comment."));

    // Someone else replies (one level) and marks it helpful, once; the author cannot.
    let (_, mut omar) = participant(&db, "omar@example.ae").await;
    let thread = format!("{list}/{first}");
    let replied = omar
        .post(&thread, &[("body", "I agree, the forms need work.")])
        .await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
    let reply_id = comment_in(&replied.location);
    let nested = mona
        .post(
            &format!("{list}/{reply_id}"),
            &[("body", "A reply to a reply")],
        )
        .await;
    assert_eq!(nested.status, StatusCode::NOT_FOUND, "{}", nested.body);
    for _ in 0..2 {
        let marked = omar.post(&format!("{thread}/helpful"), &[]).await;
        assert_eq!(marked.status, StatusCode::SEE_OTHER);
    }
    let own = mona.post(&format!("{thread}/helpful"), &[]).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = visitor.get(&thread).await;
    assert!(page.body.contains("Found helpful by 1"), "{}", page.body);
    assert!(page.body.contains("I agree, the forms need work."));
    let page = omar.get(&thread).await;
    assert!(page.body.contains("You found this helpful."));

    // Staff answer as the ministry; deleting an account leaves "a former participant".
    let (_, mut moderator) = staff(&db, "moderator@example.ae", &[Role::Moderator]).await;
    let answer = format!("/en/staff/opportunities/{id}/comments/{first}/answer");
    let empty = moderator
        .post(&answer, &[("comment", &first.to_string()), ("body", "")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .body
            .contains(&format!("href=\"#field-answer-{first}\""))
    );
    let answered = moderator
        .post(
            &answer,
            &[
                ("comment", &first.to_string()),
                (
                    "body",
                    "Thank you: the forms are being simplified this quarter.",
                ),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    assert!(
        mona.post("/en/account/delete", &[])
            .await
            .status
            .is_redirection()
    );
    let page = visitor.get(&thread).await;
    assert!(page.body.contains("Official reply"));
    assert!(page.body.contains("being simplified"));
    assert!(page.body.contains("A former participant"), "{}", page.body);
    let audit: i64 = app::on_db!(&db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'comment.answer'")
            .fetch_one(pool)
            .await
    })
    .expect("audit");
    assert_eq!(audit, 1);

    // Removing a section asks first, saying how many published comments move; then the
    // comment is on the whole document.
    let editor = author.get(&document).await;
    assert!(
        editor
            .body
            .contains(&format!("?remove={section}#remove-{section}")),
        "{}",
        editor.body
    );
    assert!(!editor.body.contains(&format!("{section}/delete")));
    let confirm = author.get(&format!("{document}?remove={section}")).await;
    assert!(
        confirm.body.contains("أتحذف «1. المادة الأولى: القنوات»؟"),
        "{}",
        confirm.body
    );
    assert!(confirm.body.contains("التعليقات المنشورة عليه: 1."));
    assert!(
        confirm
            .body
            .contains(&format!("{document}/{section}/delete"))
    );
    let removed = author
        .post(&format!("{document}/{section}/delete"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert!(
        app::consultations::db::sections(&db, id)
            .await
            .expect("sections")
            .is_empty()
    );
    let page = visitor.get(&format!("{list}/{first}")).await;
    assert!(page.body.contains("The service is slow"));
}

async fn screening_holds_and_moderators_decide(db: Db) {
    let id = consultation(&db, 48).await;
    let list = format!("/ar/opportunities/{id}/comments");
    let (_, mut author) = participant(&db, "sara@example.ae").await;

    // Criticism publishes; an insult and a phone number are held, and the author is told.
    let fair = author
        .post(&list, &[("body", "هذا القرار فاشل والخدمة سيئة جداً")])
        .await;
    assert!(fair.location.contains("posted=1"), "{}", fair.location);
    let rude = author
        .post(&list, &[("body", "الموظف حمار ولا يفهم شيئاً")])
        .await;
    assert!(rude.location.contains("held=1"), "{}", rude.location);
    let held = comment_in(&rude.location);
    let phone = author
        .post(&list, &[("body", "call me on 050 123 4567 about this")])
        .await;
    assert!(phone.location.contains("held=1"), "{}", phone.location);
    let page = author.get(&format!("{list}?held=1")).await;
    assert!(page.body.contains("بانتظار المشرف"), "{}", page.body);
    assert!(page.body.contains("الموظف حمار"));
    let mut visitor = Client::new(&db);
    let page = visitor.get(&list).await;
    assert!(page.body.contains("هذا القرار فاشل"));
    assert!(!page.body.contains("الموظف حمار"));
    assert!(!page.body.contains("050 123 4567"));

    // Only moderators (and admins) see the queue; it marks what screening found.
    let (_, mut writer) = staff(&db, "writer@example.ae", &[Role::Author]).await;
    assert_eq!(
        writer.get("/ar/staff/moderation").await.status,
        StatusCode::FORBIDDEN
    );
    let (_, mut first) = staff(&db, "first@example.ae", &[Role::Moderator]).await;
    let (_, mut second) = staff(&db, "second@example.ae", &[Role::Admin]).await;
    let queue = first.get("/ar/staff/moderation").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains("<mark>حمار</mark>"), "{}", queue.body);
    assert!(queue.body.contains("بانتظار المراجعة: 2"));

    // Two moderators decide at once on the same version: one wins, the other is told.
    let decide = format!("/ar/staff/moderation/{held}");
    let hidden = first
        .post(
            &decide,
            &[
                ("version", "0"),
                ("from", "held"),
                ("decision", "hide"),
                ("category", "language"),
            ],
        )
        .await;
    assert!(
        hidden.location.ends_with("done=hidden"),
        "{}",
        hidden.location
    );
    let late = second
        .post(
            &decide,
            &[("version", "0"), ("from", "held"), ("decision", "publish")],
        )
        .await;
    assert!(late.location.ends_with("done=stale"), "{}", late.location);
    let page = visitor.get(&list).await;
    assert!(
        page.body.contains("أخفاه المشرف: يتضمن لغة غير لائقة"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("الموظف حمار"));

    // Hiding needs a category; restoring publishes again; all of it is in the audit log.
    let nothing = second
        .post(
            &decide,
            &[
                ("version", "1"),
                ("from", "held"),
                ("decision", "hide"),
                ("category", "rude"),
            ],
        )
        .await;
    assert!(
        nothing.location.ends_with("done=no_category"),
        "{}",
        nothing.location
    );
    let hidden_tab = second.get("/ar/staff/moderation?state=hidden").await;
    assert!(
        hidden_tab.body.contains("<mark>حمار</mark>"),
        "{}",
        hidden_tab.body
    );
    let restored = second
        .post(
            &decide,
            &[
                ("version", "1"),
                ("from", "hidden"),
                ("decision", "publish"),
            ],
        )
        .await;
    assert!(
        restored.location.ends_with("state=hidden&done=restored"),
        "{}",
        restored.location
    );
    let page = visitor.get(&list).await;
    assert!(page.body.contains("الموظف حمار"));
    let actions: Vec<String> = app::on_db!(&db, |pool| {
        sqlx::query_scalar("SELECT action FROM audit_log WHERE entity = 'comment' ORDER BY at")
            .fetch_all(pool)
            .await
    })
    .expect("audit");
    assert_eq!(actions, ["comment.hide", "comment.restore"]);

    // The author heard of each decision, in their language (English), with the thread's link.
    let mails: Vec<(String, String)> = app::on_db!(&db, |pool| {
        sqlx::query_as(
            "SELECT subject, body FROM outbox WHERE to_address = 'sara@example.ae'
             ORDER BY created_at",
        )
        .fetch_all(pool)
        .await
    })
    .expect("emails");
    let subjects: Vec<&str> = mails.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        subjects,
        ["Your comment was hidden", "Your comment is visible again"]
    );
    assert!(
        mails[0].1.contains("uses inappropriate language")
            && mails[0]
                .1
                .contains(&format!("/en/opportunities/{id}/comments/{held}")),
        "{}",
        mails[0].1
    );

    // Their account lists what they wrote and where each stands.
    let account = author.get("/en/account").await;
    assert!(account.body.contains("Your comments"), "{}", account.body);
    assert!(account.body.contains("call me on 050 123 4567"));
    assert!(account.body.contains("Waiting for a moderator"));
    assert!(
        account
            .body
            .contains(&format!("/en/opportunities/{id}/comments/{held}"))
    );
    assert_eq!(
        account
            .body
            .matches("badge comment-state-published")
            .count(),
        2
    );
}

async fn flags_hold_a_comment_again(db: Db) {
    let id = consultation(&db, 48).await;
    let list = format!("/en/opportunities/{id}/comments");
    let (_, mut author) = participant(&db, "author@example.ae").await;
    let posted = author
        .post(&list, &[("body", "Visit our shop for the best prices")])
        .await;
    assert!(posted.location.contains("posted=1"), "{}", posted.location);
    let comment = comment_in(&posted.location);
    let flag = format!("{list}/{comment}/flag");
    let own = author.post(&flag, &[("category", "spam")]).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    for n in 0..3 {
        let (_, mut reader) = participant(&db, &format!("reader{n}@example.ae")).await;
        let bad = reader.post(&flag, &[("category", "rude")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        for _ in 0..2 {
            let flagged = reader.post(&flag, &[("category", "spam")]).await;
            assert!(
                flagged.location.contains("flagged=1"),
                "{} {}",
                flagged.status,
                flagged.body
            );
        }
        let state: String = app::on_db!(&db, |pool| {
            sqlx::query_scalar("SELECT state FROM comments WHERE id = $1")
                .bind(comment)
                .fetch_one(pool)
                .await
        })
        .expect("state");
        // One flag per participant: held at the third participant, not the second's repeat.
        assert_eq!(state, if n < 2 { "published" } else { "held" }, "after {n}");
    }
    let (_, mut moderator) = staff(&db, "mod@example.ae", &[Role::Moderator]).await;
    let queue = moderator.get("/en/staff/moderation").await;
    assert!(
        queue
            .body
            .contains("Held because participants reported it.")
    );
    assert!(
        queue.body.contains("is spam or promotes a business: 3"),
        "{}",
        queue.body
    );
}

async fn commenting_closes_and_floods_keep_the_text(db: Db) {
    let closed = consultation(&db, -1).await;
    let (_, mut reader) = participant(&db, "late@example.ae").await;
    let list = format!("/en/opportunities/{closed}/comments");
    let page = reader.get(&list).await;
    assert!(
        page.body.contains("This consultation has closed"),
        "{}",
        page.body
    );
    let late = reader.post(&list, &[("body", "Too late, sadly")]).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body.contains("not open for comments"));

    let open = consultation(&db, 48).await;
    let list = format!("/en/opportunities/{open}/comments");
    for n in 0..app::consultations::rules::RATE_LIMIT {
        let posted = reader
            .post(&list, &[("body", &format!("Comment number {n}"))])
            .await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER, "{n}: {}", posted.body);
    }
    let flood = reader
        .post(&list, &[("body", "One comment too many")])
        .await;
    assert_eq!(flood.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        flood.body.contains("One comment too many"),
        "{}",
        flood.body
    );
    assert!(flood.body.contains("Please wait a few minutes"));

    let unknown = reader
        .get(&format!("/en/opportunities/{}/comments", Uuid::now_v7()))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

/// POSTs JSON to the screening API with a bearer token: the status and the JSON body.
async fn screen(db: &Db, token: &str, json: &str) -> (StatusCode, serde_json::Value) {
    use tower::ServiceExt;
    let request = axum::http::Request::post("/api/v1/moderation/screen")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(json.to_owned()))
        .expect("request");
    let app = server::app(server::testing::state_for(db.clone()));
    let response = app.oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

async fn the_screening_api_is_for_moderators(db: Db) {
    let later = Some(Utc::now() + Duration::days(1));
    let moderator = staff_user(&db, "screen@example.ae", &[Role::Moderator]).await;
    let author = staff_user(&db, "noscreen@example.ae", &[Role::Author]).await;
    let token = server::testing::api_token_for(&db, moderator, later).await;
    let other = server::testing::api_token_for(&db, author, later).await;
    let (status, report) = screen(&db, &token, r#"{"text": "اتصل على ٠٥٠١٢٣٤٥٦٧ يا غبي"}"#).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["decision"], "hold");
    assert_eq!(report["lang"], "ar");
    assert!(
        report["personal_data"]
            .as_array()
            .expect("list")
            .iter()
            .any(|p| p == "phone")
    );
    assert!(
        report["categories"]
            .as_array()
            .expect("list")
            .iter()
            .any(|c| c == "language")
    );
    let (status, report) = screen(
        &db,
        &token,
        r#"{"text": "The new service is far too slow", "lang": "en"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["decision"], "publish");
    let (status, _) = screen(&db, &other, r#"{"text": "fine"}"#).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = screen(&db, &token, r#"{"text": "fine", "lang": "fr"}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn bans_stop_commenting_and_appeals_go_to_another_moderator(db: Db) {
    let id = consultation(&db, 48).await;
    let list = format!("/en/opportunities/{id}/comments");
    let (participant, mut rude) = participant(&db, "rude@example.ae").await;
    let posted = rude.post(&list, &[("body", "You are all idiots")]).await;
    assert!(posted.location.contains("held=1"), "{}", posted.location);
    let comment = comment_in(&posted.location);
    let (_, mut first) = staff(&db, "ban1@example.ae", &[Role::Moderator]).await;
    let (_, mut second) = staff(&db, "ban2@example.ae", &[Role::Moderator]).await;

    // A ban needs a note; a mistake keeps what was typed.
    let ban = format!("/en/staff/moderation/{comment}/ban");
    let fields = [
        ("comment", comment.to_string()),
        ("category", "language".to_owned()),
        ("days", "7".to_owned()),
    ];
    let mut form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = first.post(&ban, &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Write a note explaining the decision.")
    );
    form.push(("note", "Insults are not allowed."));
    let banned = first.post(&ban, &form).await;
    assert!(
        banned.location.ends_with("done=banned"),
        "{}",
        banned.location
    );
    let mail: String = app::on_db!(&db, |pool| {
        sqlx::query_scalar("SELECT subject FROM outbox WHERE to_address = 'rude@example.ae'")
            .fetch_one(pool)
            .await
    })
    .expect("ban email");
    assert_eq!(mail, "You cannot comment on Sharek for now");

    // The participant cannot comment (the text is kept), sees why, and appeals once.
    let page = rude.get(&list).await;
    assert!(
        page.body
            .contains("A moderator has stopped you from commenting for now.")
    );
    let blocked = rude
        .post(&list, &[("body", "Let me say one more thing")])
        .await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    assert!(blocked.body.contains("Let me say one more thing"));
    let page = rude.get("/en/account/ban").await;
    assert!(
        page.body.contains("Insults are not allowed."),
        "{}",
        page.body
    );
    assert!(page.body.contains("uses inappropriate language"));
    let empty = rude.post("/en/account/ban", &[("appeal", "")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let appealed = rude
        .post(
            "/en/account/ban",
            &[("appeal", "I was angry; I apologise.")],
        )
        .await;
    assert!(
        appealed.location.ends_with("appealed=1"),
        "{}",
        appealed.location
    );

    // The moderator who banned cannot decide; another lifts the ban, and the participant hears.
    let appeals = first.get("/en/staff/moderation/appeals").await;
    assert!(appeals.body.contains("I was angry; I apologise."));
    assert!(appeals.body.contains("another moderator must decide"));
    let ban_id: Uuid = app::on_db!(&db, |pool| {
        sqlx::query_scalar("SELECT id FROM participant_bans WHERE participant_id = $1")
            .bind(participant)
            .fetch_one(pool)
            .await
    })
    .expect("ban");
    let decide = format!("/en/staff/moderation/appeals/{ban_id}");
    let own = first
        .post(&decide, &[("decision", "lift"), ("note", "ok")])
        .await;
    assert!(
        own.location.ends_with("done=same_moderator"),
        "{}",
        own.location
    );
    let lifted = second
        .post(
            &decide,
            &[("decision", "lift"), ("note", "Apology accepted.")],
        )
        .await;
    assert!(
        lifted.location.ends_with("done=lifted"),
        "{}",
        lifted.location
    );
    let again = rude
        .post(&list, &[("body", "Thank you for lifting the ban")])
        .await;
    assert!(again.location.contains("posted=1"), "{}", again.location);
    let subjects: Vec<String> = app::on_db!(&db, |pool| {
        sqlx::query_scalar(
            "SELECT subject FROM outbox WHERE to_address = 'rude@example.ae' ORDER BY created_at",
        )
        .fetch_all(pool)
        .await
    })
    .expect("emails");
    assert_eq!(
        subjects.last().map(String::as_str),
        Some("Your appeal: the ban was lifted")
    );

    // The decided appeal leaves the open ones and joins the history, with who decided and
    // the note the participant was sent.
    let appeals = first.get("/en/staff/moderation/appeals").await;
    assert!(
        appeals.body.contains("No appeals are waiting."),
        "{}",
        appeals.body
    );
    let history = appeals
        .body
        .split("Decided appeals")
        .nth(1)
        .expect("the history");
    assert!(history.contains("I was angry; I apologise."), "{history}");
    assert!(history.contains("Ban lifted"), "{history}");
    assert!(history.contains("Apology accepted."), "{history}");

    // The figures count what was decided and what waits.
    let staff_home = second.get("/en/staff").await;
    assert!(
        staff_home.body.contains("Moderation figures"),
        "{}",
        staff_home.body
    );
}

server::on_both_backends!(
    bans_stop_commenting_and_appeals_go_to_another_moderator,
    comments_on_a_document_in_sections,
    screening_holds_and_moderators_decide,
    flags_hold_a_comment_again,
    commenting_closes_and_floods_keep_the_text,
    the_screening_api_is_for_moderators
);
