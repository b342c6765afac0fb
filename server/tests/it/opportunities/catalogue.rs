//! The public catalogue and its filters; the detail page with its share previews; 404 for what
//! is not published.

use super::*;

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

server::on_both_backends!(
    the_catalogue_shows_published_opportunities_and_filters_them,
    the_detail_page_has_share_previews_and_hides_what_is_not_published,
);
