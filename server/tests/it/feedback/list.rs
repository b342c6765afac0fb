//! The staff list on a busy desk: more cases than its pages hold. The count stops one past the
//! last page and says so, pages past the last one show the last, filters count exactly below
//! the cap, and "overdue" lists the cases owed a reply, most overdue first.

use sqlx::QueryBuilder;

use super::*;

const CASES: i64 = 2_600;
const CHANNELS: [&str; 4] = ["web", "phone", "social_media", "partner"];
const STATES: [&str; 6] = [
    "new", "assigned", "waiting", "answered", "closed", "reopened",
];
const GROUPS: [&str; 3] = ["citizen", "resident", "ngo"];

/// Writes `CASES` cases in bulk: the i-th received i minutes before `now`, due 24 hours later,
/// its channel, state and group cycling.
async fn fill(db: &Db, team: Uuid, now: DateTime<Utc>) {
    for start in (0..CASES).step_by(500) {
        let rows: Vec<i64> = (start..(start + 500).min(CASES)).collect();
        app::on_db!(db, |pool| {
            let mut q = QueryBuilder::new(
                "INSERT INTO feedback_cases (id, number, reference, tracking_hash, topic, message,
                 language, stakeholder_group, channel, reply_by, name, team_id, state,
                 sla_amount, sla_counting, received_at, due_at, remind_at, updated_at) ",
            );
            q.push_values(&rows, |mut row, &i| {
                let received = now - Duration::minutes(i);
                let pick = |n: usize| usize::try_from(i).expect("small") % n;
                row.push_bind(Uuid::now_v7())
                    .push_bind(i + 1)
                    .push_bind(format!("SHK-2026-{:06}", i + 1))
                    .push_bind(format!("{i:064x}"))
                    .push_bind("social_services")
                    .push_bind("A question about the ministry's services.")
                    .push_bind("en")
                    .push_bind(GROUPS[pick(3)])
                    .push_bind(CHANNELS[pick(4)])
                    .push_bind("web")
                    .push_bind("")
                    .push_bind(team)
                    .push_bind(STATES[pick(6)])
                    .push_bind(24i32)
                    .push_bind("elapsed")
                    .push_bind(received)
                    .push_bind(received + Duration::hours(24))
                    .push_bind(received + Duration::hours(18))
                    .push_bind(received);
            });
            q.build().execute(pool).await.map(|_| ())
        })
        .expect("fill");
    }
}

/// The references in a list page, in order.
fn references(body: &str) -> Vec<String> {
    body.match_indices("SHK-2026-")
        .map(|(at, _)| body[at..at + 15].to_owned())
        .collect()
}

async fn a_busy_desk_pages_and_counts(db: Db) {
    let (team, _, _) = team(&db, "busy").await;
    let admin = staff_user(&db, "admin@ministry.example", &[Role::Admin]).await;
    let now = Utc::now();
    fill(&db, team, now).await;
    let mut client = Client::with_session(
        &db,
        &server::testing::session_for(&db, admin, now, now).await,
    );

    // Unfiltered: more than the 50 pages of 50 hold.
    let all = client.get("/en/staff/feedback").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(
        all.body
            .contains("More than 2500 cases match: narrow the filters"),
        "{}",
        all.body
    );
    assert!(all.body.contains("page=50\"") && !all.body.contains("page=51\""));
    let arabic = client.get("/ar/staff/feedback").await;
    assert!(arabic.body.contains("تطابق أكثر من 2500 حالة"));

    // A page past the last shows the last.
    let last = client.get("/en/staff/feedback?page=51").await;
    assert_eq!(last.status, StatusCode::OK);
    assert!(last.body.contains("page=50\" aria-current=\"page\""));
    assert_eq!(references(&last.body).len(), 50);

    // Below the cap a filter counts exactly: phone (i % 4 == 1) and citizens (i % 3 == 0).
    let phone_citizens = (0..CASES).filter(|i| i % 4 == 1 && i % 3 == 0).count();
    let filtered = client
        .get("/en/staff/feedback?channel=phone&group=citizen")
        .await;
    assert!(
        filtered
            .body
            .contains(&format!("Cases found: {phone_citizens}")),
        "{}",
        filtered.body
    );
    assert!(filtered.body.contains("page=5\"") && !filtered.body.contains("page=6\""));

    // Overdue: owed a reply (new, assigned, reopened) and past due, i.e. received 24 hours
    // (1,440 minutes) ago or earlier.
    let overdue = client.get("/en/staff/feedback?due=overdue").await;
    let owed = (1_440..CASES)
        .filter(|i| [0, 1, 5].contains(&(i % 6)))
        .count();
    assert!(
        overdue.body.contains(&format!("Cases found: {owed}")),
        "{}",
        overdue.body
    );
    // Most overdue first: the oldest case owed a reply (the highest i with i % 6 in 0, 1, 5).
    let oldest = (0..CASES)
        .rev()
        .find(|i| [0, 1, 5].contains(&(i % 6)))
        .expect("one");
    assert_eq!(
        references(&overdue.body).first().map(String::as_str),
        Some(format!("SHK-2026-{:06}", oldest + 1).as_str())
    );
}

server::on_both_backends!(a_busy_desk_pages_and_counts);
