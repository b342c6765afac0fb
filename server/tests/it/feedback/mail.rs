//! Emails to the participant through a real SMTP server (aiosmtpd, started by the test): the
//! confirmation with the reference, the due time and the private link; the reply with its
//! rating links, which open the rating page.

use std::time::Duration as Wait;

use crate::support::smtp::MailCatcher;

use super::*;

async fn the_participant_hears_back_by_email(db: Db) {
    let catcher = MailCatcher::start().await;
    let mailer = server::mail::Mailer::new(&catcher.url(), "Sharek <no-reply@sharek.example>")
        .expect("mailer");
    let (team, lead, _) = team(&db, "social").await;
    route(
        &db,
        "social_services",
        team,
        72,
        app::feedback::clock::Counting::Elapsed,
    )
    .await;
    let (id, _) = web_case(&db, "social_services", Some("sara@example.ae"), Utc::now()).await;
    assert_eq!(
        server::mail::deliver(&db, &mailer, std::time::Duration::from_secs(60))
            .await
            .expect("deliver"),
        1
    );
    let received = catcher.wait_for(1, Wait::from_secs(20)).await;
    let confirmation = &received[0];
    assert!(confirmation.to.contains("sara@example.ae"));
    assert!(
        confirmation
            .subject
            .contains("We received your message (SHK-"),
        "{}",
        confirmation.subject
    );
    assert!(
        confirmation.body.contains("UAE time") || confirmation.body.contains("(UAE"),
        "{}",
        confirmation.body
    );
    let tracking = token_after(&confirmation.body, "/en/feedback/track/");
    assert_eq!(tracking.len(), 64, "the private link");

    let lead = actor(&db, lead).await;
    actions::reply(
        &db,
        &Desk::default(),
        &lead,
        id,
        "The centre now opens until 9 pm.",
        false,
        Utc::now(),
    )
    .await
    .expect("reply");
    assert_eq!(
        server::mail::deliver(&db, &mailer, std::time::Duration::from_secs(60))
            .await
            .expect("deliver"),
        1
    );
    let received = catcher.wait_for(2, Wait::from_secs(20)).await;
    let reply = &received[1];
    assert!(
        reply.subject.contains("Our reply to your message"),
        "{}",
        reply.subject
    );
    assert!(
        reply.body.contains("The centre now opens until 9 pm.")
            && reply.body.contains("Team social")
    );
    let rating = token_after(&reply.body, "/en/feedback/rate/");
    assert!(
        reply
            .body
            .contains(&format!("/en/feedback/rate/{rating}?score=5"))
    );
    assert!(
        reply
            .body
            .contains(&format!("/en/feedback/rate/{rating}?not_answered=1"))
    );

    // The link opens the rating page with the score chosen; nothing is recorded until it is sent.
    let mut participant = Client::new(&db);
    let page = participant
        .get(&format!("/en/feedback/rate/{rating}?score=5"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"value="5" checked"#), "preselected");
    assert!(
        feedback_db::entries(&db, id)
            .await
            .expect("entries")
            .iter()
            .all(|e| e.rating.is_none())
    );
    let sent = participant
        .send(
            axum::http::Method::POST,
            &format!("/en/feedback/rate/{rating}"),
            &[("score", "5"), ("comment", "")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let page = participant.get(&sent.location).await;
    assert!(
        page.body.contains("Thank you: your rating has been saved.")
            && page.body.contains("You rated this reply 5 of 5")
    );
}

server::on_both_backends!(the_participant_hears_back_by_email);
