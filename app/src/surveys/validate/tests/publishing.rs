//! What publishing needs beyond the structure.

use super::*;

#[test]
fn publishing_needs_every_text_in_each_language_offered() {
    let mut definition = survey(vec![vec![
        question("q1", single(&["c1", "c2"])),
        question(
            "q2",
            Kind::Matrix {
                rows: choices(&["r1"]),
                scale: choices(&["1", "2"]),
            },
        ),
        question(
            "q3",
            Kind::Rating {
                min: 1,
                max: 5,
                min_label: Text::new("سيئ", "Bad"),
                max_label: Text::default(),
            },
        ),
    ]]);
    assert!(
        for_publishing(&definition).is_empty(),
        "{:?}",
        for_publishing(&definition)
    );
    definition.title.ar.clear();
    definition.description.en = "Only in English".into();
    definition.sections[0].title = Text::new("القسم", "");
    definition.sections[0].questions[0].text.en = "  ".into();
    definition.sections[0].questions[0].help.ar = "مساعدة".into();
    if let Kind::SingleChoice { choices, .. } = &mut definition.sections[0].questions[0].kind {
        choices[1].label.ar.clear();
    }
    if let Kind::Matrix { scale, .. } = &mut definition.sections[0].questions[1].kind {
        scale[0].label = Text::default();
    }
    if let Kind::Rating { min_label, .. } = &mut definition.sections[0].questions[2].kind {
        min_label.ar.clear();
    }
    let problems = for_publishing(&definition);
    let details: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.path.as_str(), p.detail.as_str()))
        .collect();
    assert_eq!(
        details,
        vec![
            ("$.title", "ar"),
            ("$.description", "ar"),
            ("$.sections[0].title", "en"),
            ("$.sections[0].questions[0].text", "en"),
            ("$.sections[0].questions[0].help", "en"),
            ("$.sections[0].questions[0].kind.choices[1].label", "ar"),
            ("$.sections[0].questions[1].kind.scale[0].label", "ar"),
            ("$.sections[0].questions[1].kind.scale[0].label", "en"),
            ("$.sections[0].questions[2].kind.min_label", "ar"),
        ]
    );
    assert!(problems.iter().all(|p| p.code == "missing_text"));
    // A survey in English only needs only the English texts.
    definition.languages = Languages::EnglishOnly;
    let english = for_publishing(&definition);
    assert_eq!(english.len(), 4, "{english:?}");
    assert!(english.iter().all(|p| p.detail == "en"), "{english:?}");
}

#[test]
fn publishing_needs_a_question() {
    let definition = survey(vec![Vec::new()]);
    assert_eq!(
        found(&for_publishing(&definition)),
        vec![("$.sections", "no_questions")]
    );
}
