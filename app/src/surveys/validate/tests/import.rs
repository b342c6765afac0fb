//! Importing files: malformed input named by path, nothing ignored, size limits.

use super::*;

#[test]
fn import_names_where_a_file_is_malformed() {
    let valid = survey(vec![vec![question("q1", single(&["c1", "c2"]))]]);
    assert_eq!(import(&valid.to_json()), Ok(valid.clone()));
    let problem = |json: &str| {
        let problems = import(json).expect_err("refused");
        assert_eq!(problems.len(), 1, "{problems:?}");
        problems[0].clone()
    };
    let broken = problem("{\"format\": ");
    assert_eq!(
        (broken.path.as_str(), broken.code.as_str()),
        ("$.format", "malformed")
    );
    assert!(broken.detail.contains("EOF"), "{}", broken.detail);
    assert_eq!(problem("[]").path, "$");
    assert_eq!(problem("").path, "$");
    let mut value = serde_json::to_value(&valid).expect("value");
    value["sections"][0]["questions"][0]["required"] = "yes".into();
    let wrong = problem(&value.to_string());
    assert_eq!(wrong.path, "$.sections[0].questions[0].required");
    assert!(wrong.detail.contains("invalid type"), "{}", wrong.detail);
    let mut value = serde_json::to_value(&valid).expect("value");
    value["sections"][0]["questions"][0]["text"]["fr"] = "Question".into();
    let unknown = problem(&value.to_string());
    assert_eq!(unknown.path, "$.sections[0].questions[0].text.fr");
    assert!(
        unknown.detail.contains("unknown field `fr`"),
        "{}",
        unknown.detail
    );
    let mut value = serde_json::to_value(&valid).expect("value");
    value["sections"][0]["questions"][0]["kind"]["type"] = "slider".into();
    let kind = problem(&value.to_string());
    assert!(
        kind.path.starts_with("$.sections[0].questions[0].kind"),
        "{}",
        kind.path
    );
    assert!(
        kind.detail.contains("unknown variant `slider`"),
        "{}",
        kind.detail
    );
    let trailing = problem(&format!("{} []", valid.to_json()));
    assert_eq!(
        (trailing.path.as_str(), trailing.code.as_str()),
        ("$", "malformed")
    );
    let twice = valid
        .to_json()
        .replacen('{', "{\"format\": \"sharek-survey/1\",", 1);
    assert!(problem(&twice).detail.contains("duplicate field `format`"));
}

#[test]
fn numbers_survive_export_and_import_exactly() {
    // Found by the property tests: without serde_json's `float_roundtrip` these came back
    // one bit off, so an exported survey was not the survey.
    let number = Kind::Number {
        decimal: true,
        min: Some(2.0938312965250245e76),
        max: None,
    };
    let range = Condition::InRange {
        question: "q1".into(),
        min: None,
        max: Some(8.024363343280204e-115),
    };
    let definition = survey(vec![vec![
        question("q1", number),
        rule("q2", range, Kind::Email),
    ]]);
    assert_eq!(import(&definition.to_json()), Ok(definition));
}

#[test]
fn import_ignores_nothing_that_was_sent() {
    let valid = survey(vec![vec![
        question("q1", Kind::Nps),
        question("q2", Kind::ShortText { max_length: None }),
    ]]);
    let mut value = serde_json::to_value(&valid).expect("value");
    value["sections"][0]["questions"][0]["kind"]["min"] = 1.into();
    value["sections"][0]["questions"][1]["kind"]["max_length"] = serde_json::Value::Null;
    value["sections"][0]["questions"][1]["show_if"] = serde_json::Value::Null;
    let problems = import(&value.to_string()).expect_err("refused");
    assert_eq!(
        found(&problems),
        vec![("$.sections[0].questions[0].kind.min", "malformed")],
        "a null stands for none"
    );
    assert!(problems[0].detail.contains("unknown field `min`"));
    let as_list = serde_json::json!([
        FORMAT,
        ["عنوان", "Title"],
        {},
        "both",
        [{"key": "s1", "questions": []}]
    ]);
    let problems = import(&as_list.to_string()).expect_err("refused");
    assert_eq!(found(&problems), vec![("$", "malformed")]);
    assert!(problems[0].detail.contains("found a list"));
}

#[test]
fn import_refuses_what_is_too_large_before_parsing() {
    let huge = format!("\"{}\"", "x".repeat(MAX_IMPORT_BYTES));
    assert_eq!(
        found(&import(&huge).expect_err("refused")),
        vec![("$", "too_large")]
    );
}

#[test]
fn import_checks_the_structure_of_what_parses() {
    let mut definition = survey(vec![vec![
        rule("q1", equals("q2", "c1"), single(&["c1", "c2"])),
        question("q2", single(&["c1", "c2"])),
    ]]);
    definition.format = "sharek-survey/2".into();
    assert_eq!(
        found(&import(&definition.to_json()).expect_err("refused")),
        vec![
            ("$.format", "format"),
            ("$.sections[0].questions[0].show_if.question", "not_earlier")
        ]
    );
}
