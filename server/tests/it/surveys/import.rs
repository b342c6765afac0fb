//! Strict imports: checked in full, problems named by their path.

use super::*;

/// Posts a file to the import form, expects it refused, and returns the page.
async fn refused_import(client: &mut Client, json: &str) -> Reply {
    let form = Form::default().with("json", json);
    let reply = post(client, "/en/staff/surveys/import", &form).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{json}\n{}",
        reply.body
    );
    assert!(reply.body.contains("<title>Error:"), "{}", reply.body);
    reply
}

fn with(definition: &Definition, change: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(&definition.to_json()).expect("JSON");
    change(&mut value);
    serde_json::to_string_pretty(&value).expect("JSON")
}

async fn imports_are_checked_in_full_and_problems_named_by_path(db: Db) {
    let mut client = author(&db).await;
    let good = four_questions();
    let json = good.to_json();

    let reply = refused_import(&mut client, &json[..json.len() / 2]).await;
    assert!(
        reply.body.contains("This is not a valid survey file"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("EOF while parsing"), "{}", reply.body);
    assert!(
        reply.body.contains("Your view matters"),
        "what was pasted is kept"
    );

    let reply = refused_import(
        &mut client,
        &with(&good, |v| {
            v["sections"][0]["questions"][1]["required"] = "no".into()
        }),
    )
    .await;
    assert!(
        reply.body.contains("$.sections[0].questions[1].required"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("invalid type: string"));

    let reply = refused_import(
        &mut client,
        &with(&good, |v| {
            v["sections"][0]["questions"][3]["kind"]["rows"][1]["label"]["en"] = 7.into()
        }),
    )
    .await;
    assert!(
        reply.body.contains("$.sections[0].questions[3].kind"),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("invalid type: integer `7`"),
        "{}",
        reply.body
    );

    let reply = refused_import(
        &mut client,
        &with(&good, |v| {
            v["sections"][0]["questions"][0]["colour"] = "red".into()
        }),
    )
    .await;
    assert!(
        reply.body.contains("$.sections[0].questions[0]"),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("unknown field `colour`"),
        "{}",
        reply.body
    );

    let reply = refused_import(
        &mut client,
        &with(&good, |v| {
            v["sections"][0]["questions"][0]["show_if"] =
                serde_json::json!({"op": "equals", "question": "q2", "value": "yes"});
        }),
    )
    .await;
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
            .contains("The rule uses “q2”, which is not a question asked before this one")
    );

    let reply = refused_import(
        &mut client,
        &with(&good, |v| {
            v["sections"][0]["questions"][1]["key"] = "q1".into();
            v["sections"][0]["questions"][0]["kind"]["choices"][2]["key"] = "c1".into();
        }),
    )
    .await;
    assert!(
        reply.body.contains("$.sections[0].questions[1].key"),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains("$.sections[0].questions[0].kind.choices[2].key"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("The key “q1” is used twice"));
    assert!(reply.body.contains("The key “c1” is used twice"));

    let reply = refused_import(
        &mut client,
        &with(&good, |v| {
            v["sections"][0]["questions"][1]["kind"]["choices"] = serde_json::json!([]);
        }),
    )
    .await;
    assert!(
        reply
            .body
            .contains("$.sections[0].questions[1].kind.choices"),
        "settings a type does not have are not dropped silently: {}",
        reply.body
    );
    assert!(reply.body.contains("unknown field `choices`"));

    let twice = json.replacen(
        "\"format\"",
        "\"format\": \"sharek-survey/1\", \"format\"",
        1,
    );
    let reply = refused_import(&mut client, &twice).await;
    assert!(
        reply.body.contains("duplicate field `format`"),
        "{}",
        reply.body
    );

    let reply = refused_import(
        &mut client,
        &with(&good, |v| v["format"] = "sharek-survey/9".into()),
    )
    .await;
    assert!(
        reply.body.contains("$.format")
            && reply
                .body
                .contains("Unknown format: expected sharek-survey/1")
    );
    let reply = refused_import(&mut client, &format!("{json} {{}}")).await;
    assert!(reply.body.contains("trailing characters"), "{}", reply.body);

    assert!(
        surveys_db::list(&db).await.expect("list").is_empty(),
        "nothing was created"
    );

    let id = import_survey(&mut client, &good).await;
    let survey = stored(&db, id).await;
    assert_eq!(survey.definition, good);
    assert_eq!((survey.status, survey.version), (Status::Draft, 1));
    assert!(!published_in_catalogue(&db, id).await);
    let listed = surveys_db::list(&db).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].title_en.as_str(), listed[0].questions),
        ("Your view matters", 4)
    );
}

server::on_both_backends!(imports_are_checked_in_full_and_problems_named_by_path);
