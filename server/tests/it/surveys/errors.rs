//! Refused forms come back with what was typed; titles in each language.

use super::*;

async fn a_refused_question_form_comes_back_with_what_was_typed(db: Db) {
    let mut client = author(&db).await;
    let id = create_survey(&mut client, "Mistakes").await;
    for code in ["multiple_choice", "number", "single_choice"] {
        add_question(&mut client, &db, id, code).await;
    }
    let before = stored(&db, id).await;
    let two = [("c1", "أ", "First"), ("c2", "ب", "Second")];

    // More choices required than there are.
    let form = Form::default()
        .with("text_ar", "اختر")
        .with("text_en", "Typed wording of the question")
        .rows("choice", &two)
        .with("min", "5")
        .with("max", "2");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("<title>Error:"), "the title says so");
    assert!(
        reply.body.contains("$.sections[0].questions[0].kind.min"),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains("The smallest value is above the largest")
    );
    assert!(
        reply.body.contains("Typed wording of the question"),
        "the wording is kept"
    );
    assert!(reply.body.contains(r#"value="5""#) && reply.body.contains(r#"value="Second""#));

    // Not a whole number of choices.
    let form = Form::default()
        .with("text_en", "Still typed")
        .rows("choice", &two)
        .with("min", "1.5");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Enter a whole number") && reply.body.contains("#field-min"));
    assert!(reply.body.contains(r#"value="1.5""#) && reply.body.contains("Still typed"));

    // Not a number at all.
    let form = Form::default()
        .with("text_en", "How many?")
        .with("min", "twelve")
        .with("max", "40");
    let reply = change(&mut client, &db, id, "/questions/q2", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Enter a number"), "{}", reply.body);
    assert!(reply.body.contains(r#"value="twelve""#) && reply.body.contains(r#"value="40""#));

    // Smallest above largest.
    let form = Form::default().with("min", "50").with("max", "40");
    let reply = change(&mut client, &db, id, "/questions/q2", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("$.sections[0].questions[1].kind.min"));

    // A rule about a later question.
    let form = Form::default()
        .with("text_en", "Pick one")
        .rows("choice", &two)
        .rule("q3", "equals", "c1", "", "");
    let reply = change(&mut client, &db, id, "/questions/q1", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("$.sections[0].questions[0].show_if.question"),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains("The rule uses “q3”, which is not a question asked before this one")
    );
    assert!(reply.body.contains("Pick one"));

    // A rule without the answer it compares with, and a range rule without a range.
    let form = Form::default()
        .rows("choice", &two)
        .rule("q1", "equals", "", "", "")
        .rule("q2", "in_range", "", "", "");
    let reply = change(&mut client, &db, id, "/questions/q3", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("Choose the answer each rule compares with")
    );
    assert!(
        reply
            .body
            .contains("Give a range rule a number to start from")
    );

    // A test that does not suit the question, and an answer the question does not offer.
    let form = Form::default()
        .rows("choice", &two)
        .rule("q2", "includes", "c1", "", "")
        .rule("q1", "equals", "c9", "", "");
    let reply = change(&mut client, &db, id, "/questions/q3", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("That test does not suit a question of type number")
    );
    assert!(reply.body.contains("“c9” is not one of that question"));

    // Too few choices once labels are cleared.
    let form = Form::default().rows("choice", &[("c1", "", ""), ("c2", "ب", "Second")]);
    let reply = change(&mut client, &db, id, "/questions/q3", form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("$.sections[0].questions[2].kind.choices")
    );
    assert!(reply.body.contains("Give at least 2 choices"));

    assert_eq!(stored(&db, id).await, before, "nothing was saved");
}

async fn a_survey_needs_its_title_in_each_of_its_languages(db: Db) {
    let mut client = author(&db).await;
    let form = Form::default()
        .with("title_ar", "")
        .with("title_en", "English title only")
        .with("languages", "both");
    let reply = post(&mut client, "/en/staff/surveys", &form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Enter the survey"), "{}", reply.body);
    assert!(reply.body.contains(r#"value="English title only""#));
    assert!(surveys_db::list(&db).await.expect("list").is_empty());
    let form = Form::default()
        .with("title_ar", "")
        .with("title_en", "English title only")
        .with("languages", "english_only");
    let reply = post(&mut client, "/en/staff/surveys", &form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
}

server::on_both_backends!(
    a_refused_question_form_comes_back_with_what_was_typed,
    a_survey_needs_its_title_in_each_of_its_languages,
);
