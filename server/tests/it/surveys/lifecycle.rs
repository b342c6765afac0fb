//! The lifecycle of a survey and its listing in the catalogue.

use super::*;

async fn a_survey_moves_through_its_lifecycle(db: Db) {
    let mut client = author(&db).await;
    let id = create_survey(&mut client, "Lifecycle").await;

    // Nothing to answer yet, and then a question without its Arabic text.
    let reply = set_move(&mut client, id, "publish").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("A survey needs at least one question"),
        "{}",
        reply.body
    );
    add_question(&mut client, &db, id, "yes_no").await;
    let form = Form::default().with("text_en", "Have you used the service?");
    change(&mut client, &db, id, "/questions/q1", form).await;
    let reply = set_move(&mut client, id, "publish").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("$.sections[0].questions[0].text"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("Missing text in the language “ar”"));
    assert!(!reply.body.contains("Missing text in the language “en”"));
    let editor = client.get(&page(id)).await;
    assert!(
        editor.body.contains("Before it can be published:"),
        "the page lists the problems too"
    );
    assert_eq!(stored(&db, id).await.status, Status::Draft);
    assert!(!published_in_catalogue(&db, id).await);

    let form = Form::default()
        .with("text_ar", "هل استخدمت الخدمة؟")
        .with("text_en", "Have you used the service?");
    change(&mut client, &db, id, "/questions/q1", form).await;
    let today = Utc::now().date_naive();
    let (opens, closes) = (today + Duration::days(10), today + Duration::days(20));
    let reply = change(
        &mut client,
        &db,
        id,
        "/details",
        details(Some(opens), Some(closes), "", ""),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let survey = stored(&db, id).await;
    assert_eq!(
        (survey.opens_at, survey.closes_at),
        (Some(start_of(opens)), Some(start_of(closes)))
    );

    // Opening in the future: scheduled, and listed in the catalogue.
    let reply = set_move(&mut client, id, "publish").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(stored(&db, id).await.status, Status::Scheduled);
    assert!(published_in_catalogue(&db, id).await);
    // Its page shows the public address to copy (a draft's does not).
    let editor = client.get(&page(id)).await;
    assert!(
        editor.body.contains(&format!("/en/s/{id}\"")),
        "{}",
        editor.body
    );
    assert!(editor.body.contains(r#"id="public-address""#));
    // Back to draft, and published again.
    assert_eq!(
        set_move(&mut client, id, "unpublish").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stored(&db, id).await.status, Status::Draft);
    assert!(!published_in_catalogue(&db, id).await);
    let editor = client.get(&page(id)).await;
    assert!(!editor.body.contains(r#"id="public-address""#));
    assert_eq!(
        set_move(&mut client, id, "publish").await.status,
        StatusCode::SEE_OTHER
    );

    // The scheduler opens it on its date and closes it on its closing date.
    let opened_at = start_of(opens);
    let ticked = surveys_db::tick(&db, opened_at - Duration::minutes(1))
        .await
        .expect("tick");
    assert_eq!(ticked, surveys_db::Tick::default(), "not yet");
    let ticked = surveys_db::tick(&db, opened_at + Duration::hours(1))
        .await
        .expect("tick");
    assert_eq!((ticked.opened, ticked.closed), (1, 0));
    assert_eq!(stored(&db, id).await.status, Status::Open);
    let ticked = surveys_db::tick(&db, start_of(closes) + Duration::hours(1))
        .await
        .expect("tick");
    assert_eq!((ticked.opened, ticked.closed), (0, 1));
    assert_eq!(stored(&db, id).await.status, Status::Closed);
    assert!(
        published_in_catalogue(&db, id).await,
        "closed surveys stay listed"
    );
    assert_eq!(
        surveys_db::tick(&db, start_of(closes) + Duration::hours(2))
            .await
            .expect("tick"),
        surveys_db::Tick::default(),
        "nothing more to do"
    );

    // By hand, with dates around the real clock: reopen, close, archive.
    let reply = set_move(&mut client, id, "publish").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("That change is not possible"));
    let (yesterday, later) = (today - Duration::days(1), today + Duration::days(10));
    let reply = change(
        &mut client,
        &db,
        id,
        "/details",
        details(Some(yesterday), Some(later), "", ""),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        stored(&db, id).await.status,
        Status::Closed,
        "new dates do not reopen a closed survey"
    );
    assert_eq!(
        set_move(&mut client, id, "reopen").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stored(&db, id).await.status, Status::Open);
    assert_eq!(
        set_move(&mut client, id, "close").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stored(&db, id).await.status, Status::Closed);
    let reply = set_move(&mut client, id, "archive").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(stored(&db, id).await.status, Status::Archived);
    assert!(
        !published_in_catalogue(&db, id).await,
        "archived surveys leave the catalogue"
    );
    let reply = set_move(&mut client, id, "nonsense").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Archived: read-only.
    let before = stored(&db, id).await;
    let form = Form::default().with("text_en", "A late fix");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("An archived survey cannot be changed"),
        "{}",
        reply.body
    );
    let reply = change(
        &mut client,
        &db,
        id,
        "/details",
        details(None, None, "", ""),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = change(
        &mut client,
        &db,
        id,
        "/questions",
        Form::default().with("section", "s1").with("type", "nps"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        set_move(&mut client, id, "reopen").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(stored(&db, id).await, before);
}

async fn publishing_without_dates_opens_at_once_and_closing_early_ends_the_listing(db: Db) {
    let mut client = author(&db).await;
    let id = ready_survey(&mut client, &db, "Now").await;
    assert_eq!(
        set_move(&mut client, id, "publish").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stored(&db, id).await.status, Status::Open);
    assert!(published_in_catalogue(&db, id).await);
    assert_eq!(
        set_move(&mut client, id, "close").await.status,
        StatusCode::SEE_OTHER
    );
    let (ends_at,): (Option<DateTime<Utc>>,) = app::on_db!(&db, |pool| {
        sqlx::query_as("SELECT ends_at FROM opportunities WHERE survey_id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
            .expect("catalogue entry")
    });
    assert!(
        ends_at.is_some_and(|at| at <= Utc::now()),
        "the listing ends now: {ends_at:?}"
    );
    // No closing date: it can be reopened, and an open survey without answers can go back to draft.
    assert_eq!(
        set_move(&mut client, id, "reopen").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        set_move(&mut client, id, "unpublish").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stored(&db, id).await.status, Status::Draft);
    assert!(!published_in_catalogue(&db, id).await);
}

server::on_both_backends!(
    a_survey_moves_through_its_lifecycle,
    publishing_without_dates_opens_at_once_and_closing_early_ends_the_listing,
);
