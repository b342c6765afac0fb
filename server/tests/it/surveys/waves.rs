//! Periodic waves: the scheduler creates those due, once however many schedulers or app
//! servers run.

use super::*;

/// A published periodic survey stored directly (no HTTP), first opening `first`.
async fn periodic(db: &Db, recurrence: Recurrence, first: DateTime<Utc>, status: Status) -> Uuid {
    let definition = Definition {
        title: Text::new("استبيان دوري", "Periodic survey"),
        ..Definition::default()
    };
    let now = Utc::now();
    let id = surveys_db::create(db, &definition, None, now)
        .await
        .expect("create");
    let settings = surveys_db::Settings {
        opens_at: Some(first),
        closes_at: None,
        recurrence: Some(recurrence),
        wave_days: Some(14),
        topic: app::opportunities::TOPICS[0].to_owned(),
        groups: Vec::new(),
    };
    surveys_db::save_settings(db, id, &settings, now)
        .await
        .expect("settings");
    assert!(
        surveys_db::set_status(db, id, Status::Draft, status, now)
            .await
            .expect("status")
    );
    id
}

fn wave_numbers(waves: &[app::surveys::Wave]) -> Vec<u32> {
    waves.iter().map(|w| w.number).collect()
}

async fn the_scheduler_creates_the_waves_that_are_due(db: Db) {
    let mut client = author(&db).await;
    let id = ready_survey(&mut client, &db, "Quarterly pulse").await;
    let first = Utc::now().date_naive() - Duration::days(200);
    let reply = change(
        &mut client,
        &db,
        id,
        "/details",
        details(Some(first), None, "quarterly", "10"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let survey = stored(&db, id).await;
    assert_eq!(
        (survey.recurrence, survey.wave_days),
        (Some(Recurrence::Quarterly), Some(10))
    );
    assert_eq!(
        set_move(&mut client, id, "publish").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        stored(&db, id).await.status,
        Status::Open,
        "its first wave is already due"
    );

    // Publishing applied the schedule at once: the due waves exist, and the scheduler finds
    // nothing left to create.
    let now = Utc::now();
    let due = waves_due(Recurrence::Quarterly, start_of(first), 10, now);
    assert!(
        due.len() >= 3,
        "200 days hold three quarterly waves: {due:?}"
    );
    let ticked = surveys_db::tick(&db, now).await.expect("tick");
    assert_eq!(ticked.waves_created, 0);
    let waves = surveys_db::waves(&db, id).await.expect("waves");
    assert_eq!(
        waves
            .iter()
            .map(|w| (w.number, w.opens_at, w.closes_at))
            .collect::<Vec<_>>(),
        due.iter()
            .map(|w| (w.number, w.opens_at, w.closes_at))
            .collect::<Vec<_>>()
    );
    assert_eq!(waves[1].opens_at, start_of(first) + chrono::Months::new(3));
    assert_eq!(waves[0].closes_at, start_of(first) + Duration::days(10));
    assert_eq!(
        surveys_db::tick(&db, now)
            .await
            .expect("tick")
            .waves_created,
        0,
        "once only"
    );
    let editor = client.get(&page(id)).await;
    assert!(
        editor.body.contains("Waves"),
        "the survey page lists its waves"
    );

    // The next wave comes with its date, not before.
    let next = app::surveys::lifecycle::wave(
        Recurrence::Quarterly,
        start_of(first),
        10,
        due.len() as u32 + 1,
    )
    .expect("next wave");
    let ticked = surveys_db::tick(&db, next.opens_at - Duration::seconds(1))
        .await
        .expect("tick");
    assert_eq!(ticked.waves_created, 0);
    let ticked = surveys_db::tick(&db, next.opens_at).await.expect("tick");
    assert_eq!(ticked.waves_created, 1);
    assert_eq!(
        surveys_db::waves(&db, id).await.expect("waves").len(),
        due.len() + 1
    );
}

async fn racing_schedulers_create_each_wave_once(db: Db) {
    let now = Utc::now();
    let first = now - Duration::days(400);
    let id = periodic(&db, Recurrence::Monthly, first, Status::Open).await;
    let due = waves_due(Recurrence::Monthly, first, 14, now).len();
    assert!(due >= 13, "{due}");
    let (a, b) = tokio::join!(surveys_db::tick(&db, now), surveys_db::tick(&db, now));
    let (a, b) = (a.expect("tick"), b.expect("tick"));
    assert_eq!(
        (a.waves_created + b.waves_created) as usize,
        due,
        "{a:?} {b:?}"
    );
    let waves = surveys_db::waves(&db, id).await.expect("waves");
    assert_eq!(wave_numbers(&waves), (1..=due as u32).collect::<Vec<_>>());
}

/// Another pool on the same database: a second app server.
async fn second_server(db: &Db) -> Db {
    match db {
        Db::Sqlite(pool) => Db::Sqlite(
            sqlx::SqlitePool::connect_with((*pool.connect_options()).clone())
                .await
                .expect("second SQLite pool"),
        ),
        Db::Postgres(pool) => Db::Postgres(
            sqlx::PgPool::connect_with((*pool.connect_options()).clone())
                .await
                .expect("second PostgreSQL pool"),
        ),
    }
}

async fn two_app_servers_open_a_survey_and_create_its_waves_once(db: Db) {
    let now = Utc::now();
    let first = now - Duration::days(190);
    let id = periodic(&db, Recurrence::Quarterly, first, Status::Scheduled).await;
    let other = second_server(&db).await;
    let due = waves_due(Recurrence::Quarterly, first, 14, now).len();
    let (mut opened, mut created) = (0, 0);
    for _ in 0..3 {
        let (a, b) = tokio::join!(surveys_db::tick(&db, now), surveys_db::tick(&other, now));
        let (a, b) = (a.expect("tick"), b.expect("tick"));
        opened += a.opened + b.opened;
        created += a.waves_created + b.waves_created;
    }
    assert_eq!(opened, 1, "one of them opened it");
    assert_eq!(created as usize, due, "each wave created once");
    assert_eq!(stored(&db, id).await.status, Status::Open);
    let waves = surveys_db::waves(&other, id).await.expect("waves");
    assert_eq!(wave_numbers(&waves), (1..=due as u32).collect::<Vec<_>>());
    // A survey falling due while both run: one opens it and creates its first wave.
    let again = periodic(
        &db,
        Recurrence::Yearly,
        now - Duration::days(1),
        Status::Scheduled,
    )
    .await;
    let (a, b) = tokio::join!(surveys_db::tick(&db, now), surveys_db::tick(&other, now));
    let (a, b) = (a.expect("tick"), b.expect("tick"));
    assert_eq!(a.opened + b.opened, 1, "{a:?} {b:?}");
    assert_eq!(a.waves_created + b.waves_created, 1, "{a:?} {b:?}");
    assert_eq!(
        wave_numbers(&surveys_db::waves(&db, again).await.expect("waves")),
        vec![1]
    );
    other.close().await;
}

server::on_both_backends!(
    the_scheduler_creates_the_waves_that_are_due,
    racing_schedulers_create_each_wave_once,
    two_app_servers_open_a_survey_and_create_its_waves_once,
);
