//! The quick start's demo content: seeded once into an empty database, on both backends.

use app::store::Db;
use app::surveys::{Status, db as surveys_db};
use chrono::Utc;
use server::testing::state_for;

async fn demo_content_is_seeded_once_and_is_realistic(db: Db) {
    let state = state_for(db.clone());
    server::demo::ensure_demo_admin(&state)
        .await
        .expect("admin");
    server::demo::ensure_demo_content(&state)
        .await
        .expect("demo content");
    let surveys = surveys_db::list(&db).await.expect("surveys");
    assert_eq!(surveys.len(), 3);
    assert!(
        surveys
            .iter()
            .any(|s| s.status == Status::Open && s.questions >= 14)
    );
    assert!(surveys.iter().any(|s| s.status == Status::Closed));
    let pulse = surveys
        .iter()
        .find(|s| s.recurrence.is_some())
        .expect("a periodic survey");
    let waves = surveys_db::waves(&db, pulse.id).await.expect("waves");
    assert_eq!(waves.len(), 3, "three waves so far");
    assert!(waves.iter().all(|w| w.closes_at < Utc::now()), "all closed");
    // Its results are public: the page a visitor reads them on answers.
    let public = server::testing::Client::new(&db)
        .get(&format!("/en/results/{}", pulse.id))
        .await;
    assert_eq!(public.status, axum::http::StatusCode::OK, "{}", public.body);
    assert!(public.body.contains("Survey results"));
    // Its dashboard opens with the summary: each trend's latest figure, named by its quarter,
    // with its change since the quarter before in words; the filters wait, folded.
    let (_, mut analyst) =
        crate::support::staff(&db, "analyst@example.ae", &[app::accounts::Role::Analyst]).await;
    let dashboard = analyst
        .get(&format!("/en/staff/surveys/{}/results", pulse.id))
        .await;
    let body = &dashboard.body;
    let brief = body.find("id=\"brief-title\"").expect("the summary");
    assert!(
        brief < body.find("id=\"trends\"").expect("trends"),
        "summary first"
    );
    assert!(
        brief
            < body
                .find("<details class=\"filters")
                .expect("folded filters")
    );
    assert!(
        !body.contains("<details class=\"filters no-print\" open"),
        "folded"
    );
    let changes = body.matches("class=\"change\"").count();
    assert!(changes >= 3, "{body}");
    assert!(
        ["▲ up ", "▼ down ", "= unchanged "]
            .iter()
            .any(|c| body.contains(c))
            && body.contains(" since 20"),
        "{body}"
    );
    let answered = surveys_db::answered(&db, pulse.id).await.expect("answers");
    assert!(answered.contains_key("trust") && answered.contains_key("focus"));
    let counted: Vec<(i64,)> = app::on_db!(&db, |pool| {
        sqlx::query_as("SELECT COUNT(*) FROM responses GROUP BY wave_id ORDER BY wave_id")
            .fetch_all(pool)
            .await
    })
    .expect("count");
    assert_eq!(counted.len(), 3);
    assert!(
        counted.iter().all(|(n,)| (180..260).contains(n)),
        "{counted:?}"
    );
    // A quarterly report is scheduled and owes the last quarter: the archive has one to show.
    let schedules = app::reports::periodic::db::active(&db)
        .await
        .expect("schedules");
    assert_eq!(schedules.len(), 1);
    let owed =
        app::reports::periodic::owed(schedules[0].cadence, schedules[0].created_at, Utc::now());
    assert_eq!(
        owed,
        [app::reports::Preset::Quarter.before(app::dates::in_uae(Utc::now()).date_naive())]
    );
    // Running again (every start with --demo) adds nothing.
    server::demo::ensure_demo_content(&state)
        .await
        .expect("again");
    assert_eq!(surveys_db::list(&db).await.expect("surveys").len(), 3);
}

server::on_both_backends!(demo_content_is_seeded_once_and_is_realistic);
