//! A case's life: a team member takes it, notes, asks the participant (the clock pauses),
//! the participant answers (the due time moves by the pause), the reply, the rating, "not
//! answered" reopening it, and closing; who may do what, and two staff at once.

use app::feedback::actions::{CaseKey, FeedbackError, RatingKey};
use app::feedback::{CaseState, clock::Counting};

use super::*;

async fn a_case_from_question_to_rating(db: Db) {
    let (team, lead, member) = team(&db, "social").await;
    route(&db, "social_services", team, 72, Counting::Elapsed).await;
    let desk = Desk::default();
    let start: DateTime<Utc> = "2026-11-02T06:00:00Z".parse().expect("time");
    let (id, tracking) = web_case(&db, "social_services", None, start).await;
    let record = feedback_db::find(&db, id)
        .await
        .expect("find")
        .expect("case");
    assert_eq!(record.team_id, Some(team), "routed by topic");
    assert_eq!(record.due_at, start + Duration::hours(72));

    let member = actor(&db, member).await;
    actions::assign(&db, &member, id, member.user.id, start + Duration::hours(1))
        .await
        .expect("take");
    actions::note(
        &db,
        &member,
        id,
        "Check with the centre's manager.",
        start + Duration::hours(2),
    )
    .await
    .expect("note");
    actions::reply(
        &db,
        &desk,
        &member,
        id,
        "Which centre do you mean?",
        true,
        start + Duration::hours(3),
    )
    .await
    .expect("ask");
    let waiting = feedback_db::find(&db, id)
        .await
        .expect("find")
        .expect("case");
    assert_eq!(waiting.state(), CaseState::Waiting);
    // The participant answers ten hours later: the due time moves ten hours.
    actions::participant_message(
        &db,
        &desk,
        CaseKey::Tracking(&tracking),
        "The one in Al Ain.",
        start + Duration::hours(13),
    )
    .await
    .expect("answer");
    let resumed = feedback_db::find(&db, id)
        .await
        .expect("find")
        .expect("case");
    assert_eq!(resumed.state(), CaseState::Assigned);
    assert_eq!(resumed.due_at, start + Duration::hours(82));

    let answered_at = start + Duration::hours(20);
    actions::reply(
        &db,
        &desk,
        &member,
        id,
        "The Al Ain centre now opens until 9 pm.",
        false,
        answered_at,
    )
    .await
    .expect("reply");
    let tracked = feedback_db::tracked(
        &db,
        &app::accounts::secrets::token_hash(&tracking),
        answered_at,
    )
    .await
    .expect("tracked")
    .expect("case");
    assert_eq!(tracked.state, CaseState::Answered);
    let replies: Vec<_> = tracked.replies.iter().filter(|r| !r.mine).collect();
    assert_eq!(replies.len(), 2, "the question and the answer");
    let answer = replies[1].id;
    // Notes never reach the participant.
    assert!(tracked.replies.iter().all(|r| !r.body.contains("manager")));

    let key = RatingKey::Case {
        case: CaseKey::Tracking(&tracking),
        reply: answer,
    };
    let rated_at = answered_at + Duration::hours(1);
    let bad = actions::rate(&db, &desk, key, "9", "", false, rated_at).await;
    assert!(matches!(bad, Err(FeedbackError::Invalid(_))), "{bad:?}");
    actions::rate(&db, &desk, key, "4", "Clear, thank you", false, rated_at)
        .await
        .expect("rate");
    // Changed within 14 days: one rating per reply, the latest counts.
    actions::rate(&db, &desk, key, "2", "", true, rated_at + Duration::days(2))
        .await
        .expect("change");
    let reopened = feedback_db::find(&db, id)
        .await
        .expect("find")
        .expect("case");
    assert_eq!(
        reopened.state(),
        CaseState::Reopened,
        "not answered reopens"
    );
    assert_eq!(
        reopened.due_at,
        rated_at + Duration::days(2) + Duration::hours(72)
    );
    let late = actions::rate(
        &db,
        &desk,
        key,
        "5",
        "",
        false,
        answered_at + Duration::days(15),
    )
    .await;
    assert!(matches!(late, Err(FeedbackError::Expired)), "{late:?}");
    let entries = feedback_db::entries(&db, id).await.expect("entries");
    let rating = entries
        .iter()
        .find(|e| e.id == answer)
        .and_then(|e| e.rating.clone())
        .expect("rated");
    assert_eq!((rating.score, rating.not_answered), (2, true));

    // The lead sees the case with its contact section and its history; a stranger does not act.
    let mut lead_client = Client::with_session(
        &db,
        &server::testing::session_for(&db, lead, Utc::now(), Utc::now()).await,
    );
    let page = lead_client.get(&format!("/en/staff/feedback/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Check with the centre's manager.",
        "The one in Al Ain.",
        "Reopened",
        "Clear, thank you",
    ] {
        if text == "Clear, thank you" {
            assert!(
                !page.body.contains(text),
                "a changed rating replaces the old one"
            );
        } else {
            assert!(page.body.contains(text), "{text}");
        }
    }
    let (_, mut stranger) = staff(&db, "other@ministry.example", &[Role::Responder]).await;
    let page = stranger.get(&format!("/en/staff/feedback/{id}")).await;
    assert!(
        page.body
            .contains("Contact details are shown only to the case's team")
    );
    let refused = stranger
        .post(&format!("/en/staff/feedback/{id}/note"), &[("note", "hi")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Over HTTP: an empty reply keeps the page with its error; closing works once.
    let empty = lead_client
        .post(
            &format!("/en/staff/feedback/{id}/reply"),
            &[("reply", "  ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Write the text"));
    let closed = lead_client
        .post(&format!("/ar/staff/feedback/{id}/close"), &[])
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    assert!(closed.location.ends_with("?done=close"));
    let again = lead_client
        .post(&format!("/ar/staff/feedback/{id}/close"), &[])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("لا يمكن تنفيذ ذلك في الحالة الحالية"));
}

async fn two_staff_at_once_one_wins(db: Db) {
    let (team, lead, member) = team(&db, "social").await;
    route(&db, "social_services", team, 72, Counting::Elapsed).await;
    let (lead, member) = (actor(&db, lead).await, actor(&db, member).await);
    let now = Utc::now();
    // Two closes at once: exactly one wins.
    let (id, _) = web_case(&db, "social_services", None, Utc::now()).await;
    let (a, b) = tokio::join!(
        actions::close(&db, &lead, id, now),
        actions::close(&db, &member, id, now)
    );
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "{a:?} {b:?}"
    );
}

async fn leads_assign_members_take_and_admins_see_every_open_case(db: Db) {
    let (team, lead, member) = team(&db, "social").await;
    route(&db, "social_services", team, 72, Counting::Elapsed).await;
    let (id, _) = web_case(&db, "social_services", None, Utc::now()).await;
    let session = |user| server::testing::session_for(&db, user, Utc::now(), Utc::now());
    let mut lead_client = Client::with_session(&db, &session(lead).await);
    let mut member_client = Client::with_session(&db, &session(member).await);
    let path = format!("/en/staff/feedback/{id}/assign");
    let refused = member_client
        .post(&path, &[("to", &lead.to_string())])
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "only the lead assigns others"
    );
    let outsider = staff_user(&db, "outsider@ministry.example", &[Role::Responder]).await;
    let wrong = lead_client
        .post(&path, &[("to", &outsider.to_string())])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Choose a member of the case"));
    let assigned = lead_client
        .post(&path, &[("to", &member.to_string())])
        .await;
    assert_eq!(assigned.status, StatusCode::SEE_OTHER);
    let case = feedback_db::find(&db, id)
        .await
        .expect("find")
        .expect("case");
    assert_eq!(
        (case.assignee_id, case.state()),
        (Some(member), CaseState::Assigned)
    );
    // The member's home lists it first; an admin's home lists every open case.
    let home = member_client.get("/en/staff").await;
    assert!(
        home.body.contains("Your teams&#x27; open feedback")
            || home.body.contains("Your teams' open feedback")
    );
    assert!(home.body.contains(&case.reference));
    let (_, mut admin) = staff(&db, "admin@ministry.example", &[Role::Admin]).await;
    let home = admin.get("/ar/staff").await;
    assert!(
        home.body.contains(&case.reference),
        "an admin sees every open case"
    );
    let (_, mut analyst) = staff(&db, "analyst@ministry.example", &[Role::Analyst]).await;
    let home = analyst.get("/en/staff").await;
    assert!(!home.body.contains(&case.reference) && home.body.contains("Reply figures"));
}

server::on_both_backends!(
    a_case_from_question_to_rating,
    two_staff_at_once_one_wins,
    leads_assign_members_take_and_admins_see_every_open_case,
);
