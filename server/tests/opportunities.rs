//! Participation opportunities over HTTP: the public catalogue and its filters, the detail
//! page with its share previews, 404 for what is not published, staff adding and changing
//! opportunities (errors shown with everything typed), permissions, the JSON API and the
//! Atom and iCalendar feeds in both languages. Every check runs on SQLite and PostgreSQL.

use app::accounts::Role;
use app::audit::db as audit_db;
use app::opportunities::rules::OpportunityFields;
use app::opportunities::{OpportunityKind, StakeholderGroup, db};
use app::store::Db;
use axum::{
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use chrono::{Duration, Utc};
use icalendar::Component;
use server::testing::{Client, api_token_for, session_for, staff_user};
use tower::ServiceExt;
use uuid::Uuid;

/// A published consultation about health for everyone, open for ten more days.
fn consultation(title_en: &str) -> OpportunityFields {
    let now = Utc::now();
    OpportunityFields {
        kind: OpportunityKind::Consultation,
        title_ar: format!("استشارة {title_en}"),
        title_en: title_en.to_owned(),
        summary_ar: "ملخص الاستشارة".to_owned(),
        summary_en: format!("What {title_en} is about"),
        body_ar: "الفقرة الأولى.\n\nالفقرة الثانية.".to_owned(),
        body_en: "First paragraph.\n\nSecond paragraph.".to_owned(),
        topic: "health".to_owned(),
        groups: Vec::new(),
        starts_at: Some(now - Duration::days(1)),
        ends_at: Some(now + Duration::days(10)),
        location: String::new(),
        link: String::new(),
        published: true,
    }
}

async fn add(db: &Db, fields: OpportunityFields) -> Uuid {
    db::create(db, &fields, Utc::now())
        .await
        .expect("create opportunity")
}

/// Four published opportunities (open, upcoming, closed, open for NGOs) and one unpublished.
async fn a_catalogue(db: &Db) -> [Uuid; 5] {
    let now = Utc::now();
    let open = add(db, consultation("Open health consultation")).await;
    let upcoming = add(
        db,
        OpportunityFields {
            kind: OpportunityKind::Workshop,
            topic: "education".to_owned(),
            starts_at: Some(now + Duration::days(5)),
            ends_at: Some(now + Duration::days(5) + Duration::hours(3)),
            location: "Hall 2".to_owned(),
            ..consultation("Upcoming education workshop")
        },
    )
    .await;
    let closed = add(
        db,
        OpportunityFields {
            kind: OpportunityKind::Event,
            topic: "culture".to_owned(),
            starts_at: Some(now - Duration::days(20)),
            ends_at: Some(now - Duration::days(19)),
            ..consultation("Closed culture event")
        },
    )
    .await;
    let for_ngos = add(
        db,
        OpportunityFields {
            groups: vec![StakeholderGroup::Ngo, StakeholderGroup::Expert],
            ..consultation("Consultation for NGOs")
        },
    )
    .await;
    let draft = add(
        db,
        OpportunityFields {
            published: false,
            ..consultation("Unpublished draft")
        },
    )
    .await;
    [open, upcoming, closed, for_ngos, draft]
}

async fn the_catalogue_shows_published_opportunities_and_filters_them(db: Db) {
    a_catalogue(&db).await;
    let mut visitor = Client::new(&db);
    let page = visitor.get("/en/opportunities").await;
    assert_eq!(page.status, StatusCode::OK);
    for title in [
        "Open health consultation",
        "Upcoming education workshop",
        "Closed culture event",
        "Consultation for NGOs",
    ] {
        assert!(page.body.contains(title), "{title} is listed");
    }
    assert!(!page.body.contains("Unpublished draft"));
    assert!(page.body.contains("Opportunities found: 4"));
    assert!(
        page.body
            .contains("Non-governmental organisation, Expert or specialist")
    );
    assert!(
        page.body.contains("<time datetime="),
        "dates are machine-readable"
    );
    // Open ones come first, closed ones last.
    let at = |title: &str| page.body.find(title).expect("listed");
    assert!(at("Open health consultation") < at("Upcoming education workshop"));
    assert!(at("Upcoming education workshop") < at("Closed culture event"));
    // Feeds are linked for browsers and feed readers, and visibly.
    for link in [
        r#"<link href="/en/opportunities/feed.atom" rel="alternate" title="Atom feed of opportunities" type="application/atom+xml">"#,
        r#"<link href="/en/opportunities/calendar.ics" rel="alternate" title="Calendar of opportunities (iCalendar)" type="text/calendar">"#,
        r#"<a href="/en/opportunities/feed.atom""#,
        r#"<a href="/en/opportunities/calendar.ics""#,
    ] {
        assert!(page.body.contains(link), "{link}");
    }

    let health = visitor.get("/en/opportunities?topic=health").await;
    assert!(
        health.body.contains("Open health consultation")
            && !health.body.contains("Upcoming education workshop")
    );
    assert!(
        health.body.contains(r#"<option value="health" selected"#),
        "the filter shows what was chosen"
    );
    let citizens = visitor.get("/en/opportunities?group=citizen").await;
    assert!(
        citizens.body.contains("Open health consultation"),
        "opportunities for everyone are for citizens too"
    );
    assert!(!citizens.body.contains("Consultation for NGOs"));
    let ngos = visitor.get("/en/opportunities?group=ngo&status=open").await;
    assert!(
        ngos.body.contains("Consultation for NGOs")
            && ngos.body.contains("Open health consultation")
    );
    assert!(!ngos.body.contains("Closed culture event"));
    let upcoming = visitor.get("/en/opportunities?status=upcoming").await;
    assert!(upcoming.body.contains("Opportunities found: 1") && upcoming.body.contains("Hall 2"));
    let nothing = visitor.get("/en/opportunities?topic=economy").await;
    assert!(
        nothing
            .body
            .contains("No opportunities match these filters")
    );
    let stale = visitor
        .get("/en/opportunities?topic=space&status=soon")
        .await;
    assert!(
        stale.body.contains("Opportunities found: 4"),
        "unknown filter values are ignored"
    );

    let arabic = visitor.get("/ar/opportunities?status=closed").await;
    assert_eq!(arabic.status, StatusCode::OK);
    assert!(arabic.body.contains("استشارة Closed culture event") && arabic.body.contains("مغلقة"));
    assert!(
        arabic
            .body
            .contains(r#"href="/ar/opportunities/feed.atom""#)
    );

    let home = visitor.get("/en").await;
    assert!(
        home.body.contains("Open health consultation")
            && home.body.contains("Consultation for NGOs")
    );
    assert!(
        !home.body.contains("Upcoming education workshop"),
        "the home page features open ones"
    );
    assert!(home.body.contains(r#"href="/en/opportunities""#));
}

async fn the_detail_page_has_share_previews_and_hides_what_is_not_published(db: Db) {
    let [open, _, _, _, draft] = a_catalogue(&db).await;
    let mut visitor = Client::new(&db);
    let page = visitor.get(&format!("/en/opportunities/{open}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for tag in [
        r#"<meta property="og:title" content="Open health consultation">"#.to_owned(),
        r#"<meta property="og:description" content="What Open health consultation is about">"#
            .to_owned(),
        r#"<meta property="og:type" content="website">"#.to_owned(),
        format!(
            r#"<meta property="og:url" content="http://127.0.0.1:3000/en/opportunities/{open}">"#
        ),
        r#"<meta property="og:locale" content="en_US">"#.to_owned(),
        r#"<meta name="twitter:card" content="summary">"#.to_owned(),
    ] {
        assert!(page.body.contains(&tag), "{tag} in {}", page.body);
    }
    assert!(
        page.body
            .contains("<title>Open health consultation | Sharek</title>")
    );
    assert!(
        page.body
            .contains("<p>First paragraph.</p><p>Second paragraph.</p>")
    );
    let arabic = visitor.get(&format!("/ar/opportunities/{open}")).await;
    assert!(
        arabic
            .body
            .contains(r#"<meta property="og:locale" content="ar_AR">"#)
    );
    assert!(
        arabic
            .body
            .contains(r#"<meta property="og:title" content="استشارة Open health consultation">"#)
    );

    for (path, title) in [
        (format!("/en/opportunities/{draft}"), "Page not found"),
        (format!("/ar/opportunities/{draft}"), "الصفحة غير موجودة"),
        (
            format!("/en/opportunities/{}", Uuid::nil()),
            "Page not found",
        ),
        ("/en/opportunities/not-an-id".to_owned(), "Page not found"),
    ] {
        let reply = visitor.get(&path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(reply.body.contains(title), "{path}");
    }

    // A survey's opportunity is made and kept in step by the survey itself.
    let now = Utc::now();
    let definition = app::surveys::Definition {
        title: app::surveys::model::Text::new("استبيان الرضا", "Satisfaction survey"),
        ..app::surveys::Definition::default()
    };
    let survey = app::surveys::db::create(&db, &definition, None, now)
        .await
        .expect("a survey");
    app::surveys::db::set_status(
        &db,
        survey,
        app::surveys::Status::Draft,
        app::surveys::Status::Open,
        now,
    )
    .await
    .expect("opened");
    let (id,): (Uuid,) = app::on_db!(&db, |pool| sqlx::query_as(
        "SELECT id FROM opportunities WHERE survey_id = $1"
    )
    .bind(survey)
    .fetch_one(pool)
    .await)
    .expect("the survey's opportunity");
    let page = visitor.get(&format!("/en/opportunities/{id}")).await;
    assert!(page.body.contains("Satisfaction survey"), "{}", page.body);
    assert!(
        !db::update(&db, id, &consultation("Hijacked"), now)
            .await
            .expect("update"),
        "survey rows change with their survey"
    );
    // Nor through the staff form or the API.
    let author = staff_user(&db, "omar@ministry.example", &[Role::Author]).await;
    let mut staff =
        Client::with_session(&db, &session_for(&db, author, Utc::now(), Utc::now()).await);
    let edit = format!("/en/staff/opportunities/{id}");
    assert!(
        staff
            .get(&edit)
            .await
            .body
            .contains("This opportunity announces a survey")
    );
    let reply = staff.post(&edit, &form("Hijacked", &[])).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("change it with the survey"));
    let token = api_token_for(&db, author, None).await;
    let body =
        serde_json::json!({"kind": "event", "title_ar": "x", "title_en": "x", "topic": "other"});
    let path = format!("/api/v1/opportunities/{id}");
    let (status, _, error) = json(&db, Method::PUT, &path, Some(&token), Some(body)).await;
    assert_eq!(
        (status, error["problems"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("kind"))
    );
    let stored = db::find(&db, id).await.expect("find").expect("there");
    assert_eq!(
        stored.title_en, "Satisfaction survey",
        "unchanged by the refused edits"
    );
}

/// The fields of a valid staff form.
fn form<'a>(title_en: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("kind", "workshop"),
        ("title_ar", "ورشة تصميم الخدمات"),
        ("title_en", title_en),
        ("summary_ar", "ملخص"),
        ("summary_en", "A summary"),
        ("body_ar", ""),
        ("body_en", "Details"),
        ("topic", "digital_services"),
        ("groups", "citizen"),
        ("groups", "academic"),
        ("starts_at", "2030-03-01T09:00"),
        ("ends_at", "2030-03-01T12:30"),
        ("location", "Hall 1"),
        ("link", "https://events.example/join"),
        ("published", "on"),
    ];
    for (name, value) in extra {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

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
        Some("2030-03-01T09:00:00+00:00")
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

/// Sends a JSON request with a bearer token; returns the status, headers and JSON body.
async fn json(
    db: &Db,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (StatusCode, HeaderMap, serde_json::Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let body = body.map(|b| Body::from(b.to_string())).unwrap_or_default();
    let response = Client::new(db)
        .app
        .oneshot(request.body(body).expect("request"))
        .await
        .expect("response");
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let value = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, headers, value)
}

async fn the_api_lists_reads_and_changes_opportunities(db: Db) {
    let [open, _, _, _, draft] = a_catalogue(&db).await;
    let (status, _, list) = json(&db, Method::GET, "/api/v1/opportunities", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let list = list.as_array().expect("a list").clone();
    assert_eq!(list.len(), 4);
    assert_eq!(list[0]["title_en"], "Open health consultation");
    assert_eq!(list[0]["status"], "open");
    assert_eq!(list.last().expect("one")["status"], "closed");
    let (_, _, ngos) = json(
        &db,
        Method::GET,
        "/api/v1/opportunities?group=ngo&topic=health",
        None,
        None,
    )
    .await;
    assert_eq!(ngos.as_array().expect("list").len(), 2);
    let (status, _, error) = json(
        &db,
        Method::GET,
        "/api/v1/opportunities?status=soon",
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );

    let (status, _, one) = json(
        &db,
        Method::GET,
        &format!("/api/v1/opportunities/{open}"),
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, one["id"].as_str()),
        (StatusCode::OK, Some(open.to_string().as_str()))
    );
    let draft_path = format!("/api/v1/opportunities/{draft}");
    assert_eq!(
        json(&db, Method::GET, &draft_path, None, None).await.0,
        StatusCode::NOT_FOUND
    );
    let analyst = api_token_for(
        &db,
        staff_user(&db, "sara@ministry.example", &[Role::Analyst]).await,
        None,
    )
    .await;
    assert_eq!(
        json(&db, Method::GET, &draft_path, Some(&analyst), None)
            .await
            .0,
        StatusCode::OK,
        "staff read drafts"
    );

    let author = api_token_for(
        &db,
        staff_user(&db, "omar@ministry.example", &[Role::Author]).await,
        None,
    )
    .await;
    let body = serde_json::json!({
        "kind": "event", "title_ar": "لقاء مفتوح", "title_en": "Open meeting", "topic": "economy",
        "groups": ["private_company"], "starts_at": "2030-05-01T10:00:00Z", "ends_at": "2030-05-01T12:00:00Z",
        "published": true
    });
    let (status, _, _) = json(
        &db,
        Method::POST,
        "/api/v1/opportunities",
        Some(&analyst),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, headers, made) = json(
        &db,
        Method::POST,
        "/api/v1/opportunities",
        Some(&author),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["id"].as_str().expect("an id").to_owned();
    assert_eq!(
        headers[header::LOCATION],
        format!("/api/v1/opportunities/{id}").as_str()
    );
    assert_eq!(
        (made["status"].as_str(), made["groups"].clone()),
        (Some("upcoming"), serde_json::json!(["private_company"]))
    );

    let mut bad = body.clone();
    bad["title_ar"] = "".into();
    bad["link"] = "javascript:alert(1)".into();
    let (status, _, error) = json(
        &db,
        Method::POST,
        "/api/v1/opportunities",
        Some(&author),
        Some(bad),
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid"))
    );
    assert_eq!(error["problems"][0]["field"], "title_ar");
    assert_eq!(error["problems"][0]["message"], "Enter the title in Arabic");
    assert_eq!(
        error["problems"][1]["code"],
        "opportunities.error.link_invalid"
    );
    let (status, _, error) = json(
        &db,
        Method::POST,
        "/api/v1/opportunities",
        Some(&author),
        Some(serde_json::json!({"groups": "x"})),
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );

    let mut changed = body.clone();
    changed["title_en"] = "Open meeting, moved".into();
    let path = format!("/api/v1/opportunities/{id}");
    let (status, _, after) = json(
        &db,
        Method::PUT,
        &path,
        Some(&author),
        Some(changed.clone()),
    )
    .await;
    assert_eq!(
        (status, after["title_en"].as_str()),
        (StatusCode::OK, Some("Open meeting, moved"))
    );
    let unknown = format!("/api/v1/opportunities/{}", Uuid::nil());
    assert_eq!(
        json(&db, Method::PUT, &unknown, Some(&author), Some(changed))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let log = audit_db::recent(&db, 10).await.expect("audit log");
    assert!(
        log.iter()
            .any(|(_, e)| e.action == "opportunity.update" && e.entity_id == id)
    );
}

/// Every content line of an iCalendar text: CRLF-terminated and at most 75 octets.
fn assert_well_formed_ics(text: &str) {
    assert!(text.ends_with("\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "only CRLF line ends"
    );
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "a line of {} octets: {line}", line.len());
    }
    assert_eq!(
        text.matches("BEGIN:VEVENT\r\n").count(),
        text.matches("END:VEVENT\r\n").count()
    );
}

async fn the_feeds_list_published_opportunities_in_each_language(db: Db) {
    let [open, upcoming, _, _, draft] = a_catalogue(&db).await;
    let long = "نرغب في معرفة آرائكم في الأهداف والمبادرات المقترحة لتشجيع العمل التطوعي في جميع أنحاء البلاد، وفي سبل تسهيله للشباب وكبار السن.";
    add(&db, OpportunityFields { summary_ar: long.to_owned(), summary_en: "x, y; z\\ and a very long English summary that needs folding more than once when written".to_owned(), ..consultation("Long text, with commas") }).await;
    let mut visitor = Client::new(&db);
    for (lang, title) in [
        ("en", "Open health consultation"),
        ("ar", "استشارة Open health consultation"),
    ] {
        let reply = visitor
            .get(&format!("/{lang}/opportunities/feed.atom"))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            reply
                .header(header::CONTENT_TYPE)
                .starts_with("application/atom+xml")
        );
        let feed =
            atom_syndication::Feed::read_from(reply.body.as_bytes()).expect("a valid Atom feed");
        assert_eq!(feed.lang.as_deref(), Some(lang));
        assert_eq!(feed.entries.len(), 5);
        let entry = feed
            .entries
            .iter()
            .find(|e| e.id == format!("urn:uuid:{open}"))
            .expect("the open one");
        assert_eq!(entry.title.value, title);
        assert_eq!(
            entry.links[0].href,
            format!("http://127.0.0.1:3000/{lang}/opportunities/{open}")
        );
        assert!(
            feed.entries
                .iter()
                .all(|e| e.id != format!("urn:uuid:{draft}"))
        );

        let reply = visitor
            .get(&format!("/{lang}/opportunities/calendar.ics"))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            reply
                .header(header::CONTENT_TYPE)
                .starts_with("text/calendar")
        );
        assert_well_formed_ics(&reply.body);
        let calendar: icalendar::Calendar = reply.body.parse().expect("a valid iCalendar text");
        let events: Vec<_> = calendar.events().collect();
        // Five with a start, plus the deadlines of the three consultations.
        assert_eq!(events.len(), 8);
        for event in &events {
            assert!(
                event
                    .get_uid()
                    .is_some_and(|uid| uid.starts_with("opportunity-"))
            );
            assert!(event.get_start().is_some());
        }
        let period = events
            .iter()
            .find(|e| e.get_uid() == Some(&format!("opportunity-{open}@127.0.0.1")))
            .expect("the open one");
        assert_eq!(period.get_summary(), Some(title));
        assert!(
            period
                .get_description()
                .is_some_and(|d| d.contains(&format!("/{lang}/opportunities/{open}")))
        );
        assert!(
            events
                .iter()
                .any(|e| e.get_uid() == Some(&format!("opportunity-{open}-deadline@127.0.0.1")))
        );
        assert!(!events.iter().any(|e| e.get_uid() == Some(&format!("opportunity-{upcoming}-deadline@127.0.0.1"))), "a workshop's end is no deadline");
        let long_title = if lang == "ar" {
            "استشارة Long text, with commas"
        } else {
            "Long text, with commas"
        };
        let long_one = events
            .iter()
            .find(|e| e.get_summary() == Some(long_title))
            .expect("commas survive");
        let expected = if lang == "ar" {
            long
        } else {
            "x, y; z\\ and a very long"
        };
        assert!(
            long_one
                .get_description()
                .is_some_and(|d| d.contains(expected)),
            "{:?}",
            long_one.get_description()
        );
    }
    assert_eq!(
        visitor.get("/xx/opportunities/feed.atom").await.status,
        StatusCode::NOT_FOUND
    );
}

server::on_both_backends!(
    the_catalogue_shows_published_opportunities_and_filters_them,
    the_detail_page_has_share_previews_and_hides_what_is_not_published,
    staff_add_and_change_opportunities_and_see_their_mistakes,
    analysts_read_and_only_authors_change,
    the_api_lists_reads_and_changes_opportunities,
    the_feeds_list_published_opportunities_in_each_language,
);
