//! The reply clock with a clock the test controls: the assignee is reminded at 75 % of the
//! service level, the team's lead and the admins are told at the due time, each exactly once
//! even when two servers run the round at the same moment; a working-hours topic waits for
//! working hours to remind.

use app::feedback::clock::Counting;

use super::*;

async fn reminders_and_escalations_come_once(db: Db) {
    let (team, lead, member) = team(&db, "social").await;
    staff_user(&db, "admin@ministry.example", &[Role::Admin]).await;
    route(&db, "social_services", team, 72, Counting::Elapsed).await;
    let desk = Desk::default();
    // Monday 2026-11-02 10:00 UAE.
    let start: DateTime<Utc> = "2026-11-02T06:00:00Z".parse().expect("time");
    let (id, _) = web_case(&db, "social_services", None, start).await;
    let member_actor = actor(&db, member).await;
    actions::assign(&db, &member_actor, id, member, start)
        .await
        .expect("take");

    let early = actions::escalate(&db, &desk, start + Duration::hours(50))
        .await
        .expect("round");
    assert_eq!(
        (early.reminded, early.escalated),
        (0, 0),
        "nothing before 75 %"
    );
    // Two servers at 75 % (54 h): one reminder between them.
    let at = start + Duration::hours(54);
    let (a, b) = tokio::join!(
        actions::escalate(&db, &desk, at),
        actions::escalate(&db, &desk, at)
    );
    let (a, b) = (a.expect("round"), b.expect("round"));
    assert_eq!(a.reminded + b.reminded, 1);
    assert_eq!(
        mails_to(&db, "member-social@ministry.example").await,
        1,
        "to the assignee"
    );
    let again = actions::escalate(&db, &desk, at + Duration::hours(1))
        .await
        .expect("round");
    assert_eq!(again.reminded, 0);

    // At the due time: the lead and the admin are told, once.
    let due = start + Duration::hours(72);
    let (a, b) = tokio::join!(
        actions::escalate(&db, &desk, due),
        actions::escalate(&db, &desk, due)
    );
    assert_eq!(a.expect("round").escalated + b.expect("round").escalated, 1);
    assert_eq!(mails_to(&db, "lead-social@ministry.example").await, 1);
    assert_eq!(mails_to(&db, "admin@ministry.example").await, 1);
    assert_eq!(
        mails_to(&db, "member-social@ministry.example").await,
        1,
        "no second mail"
    );
    let (subject,): (String,) = app::on_db!(&db, |pool| {
        sqlx::query_as(
            "SELECT subject FROM outbox WHERE to_address = 'lead-social@ministry.example'",
        )
        .fetch_one(pool)
        .await
    })
    .expect("mail");
    assert!(
        subject.contains("Overdue") && subject.contains("متأخرة"),
        "{subject}"
    );
    // The list shows it overdue.
    let mut lead_client = Client::with_session(
        &db,
        &server::testing::session_for(&db, lead, Utc::now(), Utc::now()).await,
    );
    let list = lead_client.get("/en/staff/feedback?due=overdue").await;
    assert!(
        list.body.contains("Cases found: 1") && list.body.contains("Overdue"),
        "{}",
        list.body
    );
}

async fn working_hours_topics_wait_for_working_hours(db: Db) {
    let (team, _, _) = team(&db, "digital").await;
    // 8 working hours; the UAE federal week: Mon–Thu 07:30–15:30, Fri 07:30–12:00.
    route(&db, "digital_services", team, 8, Counting::WorkingHours).await;
    let desk = Desk::default();
    // Thursday 2026-11-05 14:00 UAE.
    let start: DateTime<Utc> = "2026-11-05T10:00:00Z".parse().expect("time");
    let (id, _) = web_case(&db, "digital_services", None, start).await;
    let case = feedback_db::find(&db, id)
        .await
        .expect("find")
        .expect("case");
    // 1.5 h Thursday + 4.5 h Friday + 2 h Monday: Monday 09:30 UAE.
    assert_eq!(
        case.due_at,
        "2026-11-09T05:30:00Z"
            .parse::<DateTime<Utc>>()
            .expect("time")
    );
    // The reminder share (6 h of 8) falls on Friday 12:00, the end of Friday's hours; on
    // Saturday nothing is sent, on Monday morning it is.
    let saturday: DateTime<Utc> = "2026-11-07T08:00:00Z".parse().expect("time");
    let round = actions::escalate(&db, &desk, saturday)
        .await
        .expect("round");
    assert_eq!(round.reminded, 0, "not at the weekend");
    let monday: DateTime<Utc> = "2026-11-09T04:00:00Z".parse().expect("time");
    let round = actions::escalate(&db, &desk, monday).await.expect("round");
    assert_eq!(round.reminded, 1);
    // A holiday moves the due time of a new case.
    feedback_db::put_holiday(
        &db,
        &app::feedback::Holiday {
            day: "2026-11-12".parse().expect("date"),
            name_ar: "عطلة".into(),
            name_en: "Holiday".into(),
        },
    )
    .await
    .expect("holiday");
    // Wednesday 2026-11-11 14:00 UAE: 1.5 h Wed, Thursday off, 4.5 h Fri, 2 h Mon.
    let (id, _) = web_case(
        &db,
        "digital_services",
        None,
        "2026-11-11T10:00:00Z".parse().expect("time"),
    )
    .await;
    let case = feedback_db::find(&db, id)
        .await
        .expect("find")
        .expect("case");
    assert_eq!(
        case.due_at,
        "2026-11-16T05:30:00Z"
            .parse::<DateTime<Utc>>()
            .expect("time")
    );
}

server::on_both_backends!(
    reminders_and_escalations_come_once,
    working_hours_topics_wait_for_working_hours
);
