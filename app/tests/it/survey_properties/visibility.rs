//! Only questions whose rules hold are shown, and answers to hidden questions change nothing.

use super::*;

/// A survey whose rules only look back, as `validate::structure` demands: generated rules are
/// pointed at earlier questions (or at the participant's group when they name anything else).
fn looking_back(condition: Condition, earlier: &BTreeSet<String>) -> Condition {
    let aim = |question: String| {
        if earlier.contains(&question) {
            question
        } else {
            STAKEHOLDER_QUESTION.to_owned()
        }
    };
    match condition {
        Condition::Equals { question, value } => Condition::Equals {
            question: aim(question),
            value,
        },
        Condition::Includes { question, value } => Condition::Includes {
            question: aim(question),
            value,
        },
        Condition::InRange { question, min, max } => Condition::InRange {
            question: aim(question),
            min,
            max,
        },
        Condition::All { conditions } => Condition::All {
            conditions: conditions
                .into_iter()
                .map(|c| looking_back(c, earlier))
                .collect(),
        },
        Condition::Any { conditions } => Condition::Any {
            conditions: conditions
                .into_iter()
                .map(|c| looking_back(c, earlier))
                .collect(),
        },
    }
}

/// Questions `q1`… (with or without a rule, some starting a new section with or without a rule).
fn branching_survey() -> impl Strategy<Value = Definition> {
    vec(
        (
            any::<bool>(),
            option::of(condition()),
            option::of(condition()),
        ),
        1..7,
    )
    .prop_map(|parts| {
        let mut sections: Vec<Section> = Vec::new();
        let mut earlier = BTreeSet::new();
        for (n, (new_section, section_rule, rule)) in parts.into_iter().enumerate() {
            if new_section || sections.is_empty() {
                let mut section = Section::new(&format!("s{}", sections.len() + 1));
                section.show_if = section_rule.map(|c| looking_back(c, &earlier));
                sections.push(section);
            }
            let key = format!("q{}", n + 1);
            let show_if = rule.map(|c| looking_back(c, &earlier));
            if let Some(section) = sections.last_mut() {
                section.questions.push(Question {
                    key: key.clone(),
                    text: Text::new("س", "Q"),
                    help: Text::default(),
                    required: false,
                    show_if,
                    kind: Kind::YesNo,
                });
            }
            earlier.insert(key);
        }
        Definition {
            sections,
            ..Definition::default()
        }
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn only_questions_whose_rules_hold_are_shown(definition in branching_survey(), a in answers()) {
        let seen = visibility(&definition, &a);
        for (index, section) in definition.sections.iter().enumerate() {
            let section_holds = section.show_if.as_ref().is_none_or(|c| c.holds(&seen.answers));
            prop_assert_eq!(seen.sections.contains(&index), section_holds, "section {}", index);
            for question in &section.questions {
                let holds = section_holds
                    && question.show_if.as_ref().is_none_or(|c| c.holds(&seen.answers));
                prop_assert_eq!(seen.questions.contains(&question.key), holds, "{}", question.key);
            }
        }
        for (key, answer) in &seen.answers {
            prop_assert!(key == STAKEHOLDER_QUESTION || seen.questions.contains(key), "{}", key);
            prop_assert_eq!(a.get(key), Some(answer), "answers that count are the ones given");
        }
    }

    #[test]
    fn answers_to_hidden_questions_change_nothing(
        definition in branching_survey(),
        a in answers(),
        extra in vec(answer(), 7),
    ) {
        let seen = visibility(&definition, &a);
        let mut more = a.clone();
        let hidden = definition
            .questions()
            .map(|(_, q)| q.key.clone())
            .filter(|key| !seen.questions.contains(key));
        for (key, answer) in hidden.zip(extra) {
            more.insert(key, answer);
        }
        prop_assert_eq!(visibility(&definition, &more), seen);
    }
}
