//! The data layer. Each `on_both_backends!` check is one body run on SQLite and on PostgreSQL.

use app::store::{Db, get_meta, set_meta};
use server::testing::TestDb;

async fn meta_round_trips_and_upserts(db: Db) {
    assert_eq!(get_meta(&db, "seeded").await.expect("read"), None);
    set_meta(&db, "seeded", "2026-11-28").await.expect("insert");
    set_meta(&db, "seeded", "2026-11-29").await.expect("upsert");
    assert_eq!(
        get_meta(&db, "seeded").await.expect("read").as_deref(),
        Some("2026-11-29")
    );
    set_meta(&db, "greeting", "مرحباً")
        .await
        .expect("insert Arabic");
    assert_eq!(
        get_meta(&db, "greeting").await.expect("read").as_deref(),
        Some("مرحباً")
    );
}

async fn migrations_are_idempotent(db: Db) {
    db.migrate().await.expect("second migration run is a no-op");
    db.ping().await.expect("database answers");
}

server::on_both_backends!(meta_round_trips_and_upserts, migrations_are_idempotent);

/// The durability settings issue #2 asks for: WAL, synchronous=FULL (2), foreign keys, busy timeout.
#[tokio::test]
async fn sqlite_is_durable_and_enforces_foreign_keys() {
    let test = TestDb::sqlite().await;
    let Db::Sqlite(pool) = &test.db else {
        panic!("SQLite expected")
    };
    let mut conn = pool.acquire().await.expect("connection");
    let journal: (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await
        .expect("pragma");
    let synchronous: (i64,) = sqlx::query_as("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await
        .expect("pragma");
    let foreign_keys: (i64,) = sqlx::query_as("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .expect("pragma");
    let busy: (i64,) = sqlx::query_as("PRAGMA busy_timeout")
        .fetch_one(&mut *conn)
        .await
        .expect("pragma");
    assert_eq!(journal.0.to_lowercase(), "wal");
    assert_eq!(synchronous.0, 2, "synchronous=FULL");
    assert_eq!(foreign_keys.0, 1);
    assert!(busy.0 >= 1000, "busy timeout {}", busy.0);
}

#[tokio::test]
async fn sqlite_file_and_folder_are_created_on_first_start() {
    let dir = std::env::temp_dir().join(format!("sharek-fresh-{}", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}/nested/sharek.db", dir.display());
    let db = server::connect(&url).await.expect("fresh database");
    db.ping().await.expect("answers");
    db.close().await;
    assert!(dir.join("nested/sharek.db").exists());
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[tokio::test]
async fn an_unsupported_database_url_is_refused() {
    let error = Db::connect("mysql://localhost/x")
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("sqlite://"), "{error}");
}

/// One batch of submissions (what the group-commit writer stores in one transaction): each
/// gets its own outcome. A submission id repeated in the batch or sent before is stored once;
/// a closed survey stores nothing; an invitation gives one response, in the same transaction.
async fn a_batch_of_submissions_gets_one_outcome_each(db: Db) {
    use app::responses::{Channel, Outcome, Submission, db as responses};
    use app::surveys::{Definition, Status, conditions::Answers, db as surveys};
    use chrono::Utc;
    use uuid::Uuid;

    let now = Utc::now();
    let open = surveys::create(&db, &Definition::default(), None, now)
        .await
        .expect("survey");
    surveys::set_status(&db, open, Status::Draft, Status::Open, now)
        .await
        .expect("open");
    let draft = surveys::create(&db, &Definition::default(), None, now)
        .await
        .expect("survey");
    let made = responses::invite(&db, open, &["a@example.org".to_owned()], now)
        .await
        .expect("invite");
    let token = made[0].1.clone();
    let submission = |survey: Uuid, id: Uuid, invitation: Option<&str>| Submission {
        id,
        survey,
        wave: None,
        survey_version: 1,
        stakeholder_group: "citizen".into(),
        channel: Channel::Web,
        source: None,
        answers: Answers::new(),
        entered_by: None,
        invitation: invitation.map(app::responses::invitation_hash),
        submitted_at: now,
        duration: None,
    };
    let (a, b, c, d) = (
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
    );
    let batch = vec![
        submission(open, a, None),
        submission(open, a, None),
        submission(draft, b, None),
        submission(open, c, Some(&token)),
        submission(open, d, Some(&token)),
    ];
    let outcomes = responses::store(&db, &batch).await.expect("store");
    assert_eq!(
        outcomes,
        vec![
            Outcome::Stored,
            Outcome::AlreadyStored,
            Outcome::Closed,
            Outcome::Stored,
            Outcome::InvitationUsed
        ]
    );
    // Sent again (a retry after a lost answer): nothing new, and the invitation's own retry
    // is recognised as the same response.
    let again = responses::store(
        &db,
        &[submission(open, a, None), submission(open, c, Some(&token))],
    )
    .await
    .expect("store again");
    assert_eq!(again, vec![Outcome::AlreadyStored, Outcome::AlreadyStored]);
    assert_eq!(responses::count(&db, open).await.expect("count"), 2);
    assert_eq!(responses::count(&db, draft).await.expect("count"), 0);
    let invited = responses::invitations(&db, open)
        .await
        .expect("invitations");
    assert_eq!(invited[0].used_on, Some(app::results::db::day_of(now)));
}

server::on_both_backends!(a_batch_of_submissions_gets_one_outcome_each);
