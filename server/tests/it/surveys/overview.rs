//! The staff home's overview for decision-makers (issue 21 §5) and the survey list's response
//! counts: figures first, each linked to where it is acted on, and only what the reader may act
//! on (overdue feedback for responders, held comments for moderators).

use super::answered::insert_response;
use super::*;

async fn the_staff_home_opens_with_figures(db: Db) {
    let mut author_client = author(&db).await;
    let id = ready_survey(&mut author_client, &db, "Overview").await;
    let reply = set_move(&mut author_client, id, "publish").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let mut answers = Answers::new();
    answers.insert(STAKEHOLDER_QUESTION.into(), Answer::choice("citizen"));
    answers.insert("q1".into(), Answer::choice("yes"));
    for _ in 0..3 {
        insert_response(&db, id, stored(&db, id).await.version, &answers).await;
    }

    let mut analyst = staff(&db, "reader@example.ae", &[Role::Analyst]).await;
    let home = analyst.get("/en/staff").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("At a glance"), "{}", home.body);
    let figure = |body: &str, label: &str| -> Option<String> {
        let after = body.split(&format!("<dt>{label}</dt>")).nth(1)?;
        let value = after.split("</a>").next()?.rsplit('>').next()?;
        Some(value.to_owned())
    };
    assert_eq!(figure(&home.body, "Open surveys").as_deref(), Some("1"));
    assert_eq!(
        figure(&home.body, "Responses in the last 7 days").as_deref(),
        Some("3")
    );
    // An analyst neither answers feedback nor moderates: those figures are not theirs.
    assert!(figure(&home.body, "Feedback past its reply deadline").is_none());
    assert!(figure(&home.body, "Comments waiting for a moderator").is_none());
    let mut admin = staff(&db, "boss@example.ae", &[Role::Admin]).await;
    let home = admin.get("/ar/staff").await;
    assert!(home.body.contains("نظرة سريعة"));
    assert_eq!(
        figure(&home.body, "تعليقات بانتظار المشرف").as_deref(),
        Some("0")
    );

    // Closed with responses and results not public: listed to publish, linked to its results.
    let reply = set_move(&mut author_client, id, "close").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let home = analyst.get("/en/staff").await;
    assert_eq!(
        figure(&home.body, "Closed, results not published").as_deref(),
        Some("1")
    );
    assert!(
        home.body
            .contains(&format!("/en/staff/surveys/{id}/results"))
    );

    // The survey list counts responses and links to the results.
    let list = analyst.get("/en/staff/surveys").await;
    assert!(
        list.body
            .contains(&format!("/en/staff/surveys/{id}/results\">3<")),
        "{}",
        list.body
    );
}

server::on_both_backends!(the_staff_home_opens_with_figures,);
