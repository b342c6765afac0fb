//! A periodic survey between two rounds (issue 21 §2): its address says when the next round
//! opens (UAE time), links the last round's published results, takes an address to tell once,
//! and the scheduler tells each address once, in its language, when the round opens; its
//! opportunity page does not offer "Take part" meanwhile. A survey closed for good says what
//! happens next.

use super::*;
use app::surveys::lifecycle::Recurrence;
use chrono::Duration;

async fn between_rounds(db: Db) {
    let now = Utc::now();
    // Monthly rounds open 14 days each; the first opened 20 days ago and has closed.
    let first = now - Duration::days(20);
    let id = make_survey(&db, one_page(), "monthly-pulse").await;
    let settings = surveys_db::Settings {
        opens_at: Some(first),
        closes_at: None,
        recurrence: Some(Recurrence::Monthly),
        wave_days: Some(14),
        topic: app::opportunities::TOPICS[0].to_owned(),
        groups: Vec::new(),
    };
    surveys_db::save_settings(&db, id, &settings, now)
        .await
        .expect("settings");
    surveys_db::tick(&db, now).await.expect("tick");
    let next = app::surveys::lifecycle::next_wave(Recurrence::Monthly, first, 14, now)
        .expect("a next round");

    // The address says when the next round opens, and offers to tell; no results yet.
    let mut visitor = Client::new(&db);
    let page = visitor.get("/en/s/monthly-pulse").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("This survey runs every month"),
        "{}",
        page.body
    );
    let when = app::dates::when_text(app::Locale::En, next.opens_at);
    assert!(
        page.body
            .contains(&format!("The next round opens on {when}.")),
        "{when}: {}",
        page.body
    );
    assert!(page.body.contains("UAE time"));
    assert!(page.body.contains("/en/s/monthly-pulse/notify"));
    assert!(!page.body.contains("Results of the last round"));
    assert!(
        !page.body.contains("name=\"submission\""),
        "no form to answer"
    );
    app::results::db::save_settings(&db, id, true, &Default::default())
        .await
        .expect("publish results");
    let page = visitor.get("/ar/s/monthly-pulse").await;
    assert!(
        page.body.contains("تُفتح الدورة التالية في"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("/ar/results/monthly-pulse?wave=1"),
        "{}",
        page.body
    );

    // A mistake keeps what was typed; then each address is kept once.
    let notify = "/en/s/monthly-pulse/notify";
    let bad = visitor.post(notify, &[("email", "mona at example")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("mona at example"));
    assert!(bad.body.contains("href=\"#field-email\""), "{}", bad.body);
    for _ in 0..2 {
        let kept = visitor.post(notify, &[("email", "Mona@Example.ae ")]).await;
        assert_eq!(kept.status, StatusCode::CREATED, "{}", kept.body);
        assert!(kept.body.contains("we will email you once"));
    }
    let kept = visitor
        .post(
            "/ar/s/monthly-pulse/notify",
            &[("email", "omar@example.ae")],
        )
        .await;
    assert_eq!(kept.status, StatusCode::CREATED, "{}", kept.body);

    // The opportunity page waits with it rather than offering "Take part".
    let opportunity: Uuid = app::on_db!(&db, |pool| {
        sqlx::query_scalar("SELECT id FROM opportunities WHERE survey_id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
    })
    .expect("opportunity");
    let detail = visitor
        .get(&format!("/en/opportunities/{opportunity}"))
        .await;
    assert!(
        detail
            .body
            .contains("Between rounds: the next round opens on"),
        "{}",
        detail.body
    );
    assert!(
        !detail.body.contains("class=\"button\" href=\"/en/s/"),
        "no Take part button"
    );

    // Nobody is told before the round opens; when it opens, each once, in their language.
    let base = "https://sharek.example.ae";
    let told = app::responses::rounds::announce_open_rounds(&db, base, now)
        .await
        .expect("announce");
    assert_eq!(told, 0);
    surveys_db::tick(&db, next.opens_at).await.expect("tick");
    let told = app::responses::rounds::announce_open_rounds(&db, base, next.opens_at)
        .await
        .expect("announce");
    assert_eq!(told, 2);
    let again = app::responses::rounds::announce_open_rounds(&db, base, next.opens_at)
        .await
        .expect("announce");
    assert_eq!(again, 0, "told once");
    let mails: Vec<(String, String, String)> = app::on_db!(&db, |pool| {
        sqlx::query_as("SELECT to_address, subject, body FROM outbox ORDER BY to_address")
            .fetch_all(pool)
            .await
    })
    .expect("outbox");
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert_eq!(mails[0].0, "mona@example.ae");
    assert!(mails[0].1.starts_with("A new round of"), "{mails:?}");
    assert!(
        mails[0]
            .2
            .contains("https://sharek.example.ae/en/s/monthly-pulse")
    );
    assert_eq!(mails[1].0, "omar@example.ae");
    assert!(mails[1].1.starts_with("فُتحت دورة جديدة"), "{mails:?}");
    assert!(
        mails[1]
            .2
            .contains("https://sharek.example.ae/ar/s/monthly-pulse")
    );
    let left: i64 = app::on_db!(&db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM wave_watchers")
            .fetch_one(pool)
            .await
    })
    .expect("count");
    assert_eq!(left, 0, "the addresses are forgotten");
}

async fn a_closed_survey_says_what_happens_next(db: Db) {
    let id = make_survey(&db, one_page(), "closed-one").await;
    close(&db, id).await;
    let mut visitor = Client::new(&db);
    let page = visitor.get("/en/s/closed-one").await;
    assert!(page.body.contains("This survey is closed"), "{}", page.body);
    assert!(page.body.contains("The ministry is studying the answers."));
    assert!(page.body.contains("href=\"/en/outcomes\""), "{}", page.body);
    assert!(!page.body.contains("/en/results/closed-one"));
    assert_eq!(
        visitor
            .post("/en/s/closed-one/notify", &[("email", "a@example.ae")])
            .await
            .status,
        StatusCode::NOT_FOUND,
        "only between rounds"
    );
    app::results::db::save_settings(&db, id, true, &Default::default())
        .await
        .expect("publish results");
    let page = visitor.get("/en/s/closed-one").await;
    assert!(page.body.contains("href=\"/en/results/closed-one\""));
}

server::on_both_backends!(between_rounds, a_closed_survey_says_what_happens_next);
