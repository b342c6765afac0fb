//! Properties of survey rules and imports, over generated inputs: show-if conditions combine as
//! logic says and never show what their rule hides; importing never panics on any input, and
//! what it accepts is well formed and survives export and import unchanged.

use std::collections::{BTreeMap, BTreeSet};

use app::surveys::StakeholderGroup;
use app::surveys::conditions::{Answer, Answers, Condition, STAKEHOLDER_QUESTION, visibility};
use app::surveys::model::{Choice, Definition, Kind, Languages, Question, Section, Text};
use app::surveys::validate::{import, structure};
use chrono::NaiveDate;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::Value;

/// 256 cases each keeps the suite quick; failures are shrunk and printed, not saved to files.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Generated answers and conditions

/// Question keys the generated conditions and answers share, so rules often meet answers.
const KEYS: [&str; 7] = ["q1", "q2", "q3", "q4", "q5", "q6", STAKEHOLDER_QUESTION];
/// Values they compare: choice keys, yes/no, group codes, numbers, a date, a text.
const VALUES: [&str; 12] = [
    "c1",
    "c2",
    "c3",
    "other",
    "yes",
    "no",
    "citizen",
    "expert",
    "1",
    "7.5",
    "2026-01-01",
    "none",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![4 => select(KEYS.to_vec()).prop_map(str::to_owned), 1 => "\\PC{0,6}"]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![4 => select(VALUES.to_vec()).prop_map(str::to_owned), 1 => "(?s).{0,6}"]
}

/// Mostly small whole numbers, sometimes any float at all (NaN and infinities included).
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![4 => (-3i32..12).prop_map(f64::from), 1 => any::<f64>()]
}

fn answer() -> impl Strategy<Value = Answer> {
    let keys = || vec(value(), 0..4);
    prop_oneof![
        (value(), option::of("\\PC{0,6}")).prop_map(|(key, other)| Answer::Choice { key, other }),
        (keys(), option::of("\\PC{0,6}")).prop_map(|(keys, other)| Answer::Choices { keys, other }),
        keys().prop_map(Answer::Ranking),
        btree_map(value(), value(), 0..3).prop_map(Answer::Matrix),
        number().prop_map(Answer::Number),
        value().prop_map(Answer::Text),
        (2020i32..2030, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| {
            Answer::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
        }),
    ]
}

fn answers() -> impl Strategy<Value = Answers> {
    btree_map(key(), answer(), 0..7)
}

fn atom() -> impl Strategy<Value = Condition> {
    prop_oneof![
        (key(), value()).prop_map(|(question, value)| Condition::Equals { question, value }),
        (key(), value()).prop_map(|(question, value)| Condition::Includes { question, value }),
        (key(), option::of(number()), option::of(number()))
            .prop_map(|(question, min, max)| Condition::InRange { question, min, max }),
    ]
}

fn condition() -> impl Strategy<Value = Condition> {
    atom().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(|conditions| Condition::All { conditions }),
            vec(inner, 0..4).prop_map(|conditions| Condition::Any { conditions }),
        ]
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn all_or_any_of_one_condition_is_that_condition(c in condition(), a in answers()) {
        let alone = c.holds(&a);
        prop_assert_eq!(Condition::All { conditions: vec![c.clone()] }.holds(&a), alone);
        prop_assert_eq!(Condition::Any { conditions: vec![c] }.holds(&a), alone);
    }

    #[test]
    fn all_is_a_conjunction_and_any_a_disjunction(c in condition(), d in condition(), a in answers()) {
        let (left, right) = (c.holds(&a), d.holds(&a));
        let both = vec![c, d];
        prop_assert_eq!(Condition::All { conditions: both.clone() }.holds(&a), left && right);
        prop_assert_eq!(Condition::Any { conditions: both }.holds(&a), left || right);
    }

    #[test]
    fn conditions_never_panic_on_any_answers(
        c in condition(),
        a in btree_map("\\PC{0,8}", answer(), 0..5),
    ) {
        let _ = c.holds(&a);
        prop_assert!(c.depth() >= 1);
        let atoms = c.questions();
        if !matches!(c, Condition::All { .. } | Condition::Any { .. }) {
            prop_assert_eq!(atoms.len(), 1);
        }
    }

    #[test]
    fn a_rule_about_an_unanswered_question_does_not_hold(c in atom(), a in answers()) {
        let question = c.questions()[0].to_owned();
        let mut a = a;
        a.remove(&question);
        prop_assert!(!c.holds(&a));
    }
}

// ---------------------------------------------------------------------------------------------
// Visibility

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

// ---------------------------------------------------------------------------------------------
// Valid definitions, of every question type, with rules that look back

/// Choices keyed `{prefix}1`, `{prefix}2`… with any labels.
fn labelled(
    prefix: &'static str,
    count: std::ops::Range<usize>,
) -> impl Strategy<Value = Vec<Choice>> {
    vec(text(), count).prop_map(move |labels| {
        labels
            .into_iter()
            .enumerate()
            .map(|(i, label)| Choice {
                key: format!("{prefix}{}", i + 1),
                label,
            })
            .collect()
    })
}

/// Any text, control characters and quotes included, in either language or both.
fn text() -> impl Strategy<Value = Text> {
    ("(?s).{0,12}", "(?s).{0,12}").prop_map(|(ar, en)| Text { ar, en })
}

/// Any finite float: the import format must carry every one exactly.
fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-1000i32..1000).prop_map(f64::from),
        prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
    ]
}

fn range() -> impl Strategy<Value = (Option<f64>, Option<f64>)> {
    (option::of(finite()), option::of(finite())).prop_map(|(a, b)| match (a, b) {
        (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
        other => other,
    })
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        (labelled("c", 2..5), any::<bool>())
            .prop_map(|(choices, other)| Kind::SingleChoice { choices, other }),
        (
            labelled("c", 2..5),
            any::<bool>(),
            any::<u32>(),
            any::<u32>(),
            any::<(bool, bool)>()
        )
            .prop_map(|(choices, other, a, b, (with_min, with_max))| {
                let offered = u32::try_from(choices.len()).unwrap_or(2) + u32::from(other);
                let min = a % (offered + 1);
                let max = min.max(1) + b % (offered + 1 - min.max(1));
                Kind::MultipleChoice {
                    choices,
                    other,
                    min: with_min.then_some(min),
                    max: with_max.then_some(max),
                }
            }),
        (labelled("c", 2..5), any::<bool>())
            .prop_map(|(choices, other)| Kind::Dropdown { choices, other }),
        Just(Kind::YesNo),
        (-10i32..10, 1i32..=10, text(), text()).prop_map(|(min, steps, min_label, max_label)| {
            Kind::Rating {
                min,
                max: (min + steps).min(10),
                min_label,
                max_label,
            }
        }),
        Just(Kind::Nps),
        (labelled("r", 1..4), labelled("p", 2..6))
            .prop_map(|(rows, scale)| Kind::Matrix { rows, scale }),
        labelled("c", 2..5).prop_map(|choices| Kind::Ranking { choices }),
        option::of(1u32..=500).prop_map(|max_length| Kind::ShortText { max_length }),
        (1u32..=20_000).prop_map(|max_length| Kind::LongText { max_length }),
        (any::<bool>(), range()).prop_map(|(decimal, (min, max))| Kind::Number {
            decimal,
            min,
            max
        }),
        Just(Kind::Date),
        Just(Kind::Email),
        Just(Kind::Phone),
    ]
}

/// The raw material of a rule: which earlier question (by index), which test, which answer,
/// and a range; turned into a valid atom for whatever that question is.
type Seed = (Index, Index, (Option<f64>, Option<f64>), bool);

fn valid_atom(seed: &Seed, earlier: &[Question]) -> Condition {
    let (target, pick, (min, max), includes) = seed;
    let usable: Vec<&Question> = earlier
        .iter()
        .filter(|q| !matches!(q.kind, Kind::Matrix { .. } | Kind::Ranking { .. }))
        .collect();
    let Some(question) = (!usable.is_empty()).then(|| usable[target.index(usable.len())]) else {
        let group = StakeholderGroup::ALL[pick.index(StakeholderGroup::ALL.len())];
        return Condition::Equals {
            question: STAKEHOLDER_QUESTION.to_owned(),
            value: group.code().to_owned(),
        };
    };
    let key = question.key.clone();
    let choices = question.kind.answer_keys();
    if !choices.is_empty() {
        let value = choices[pick.index(choices.len())].to_owned();
        return if *includes {
            Condition::Includes {
                question: key,
                value,
            }
        } else {
            Condition::Equals {
                question: key,
                value,
            }
        };
    }
    match question.kind.numeric_range() {
        Some(_) => Condition::InRange {
            question: key,
            min: *min,
            max: *max,
        },
        // A date question compares with a date; text questions with any text.
        None if matches!(question.kind, Kind::Date) => Condition::Equals {
            question: key,
            value: format!("2026-{:02}-{:02}", 1 + pick.index(12), 1 + pick.index(28)),
        },
        None => Condition::Equals {
            question: key,
            value: format!("answer {}", pick.index(100)),
        },
    }
}

/// No rule, one atom, or all/any of some, nested at most twice.
fn valid_condition(seeds: &[Seed], shape: u8, earlier: &[Question]) -> Option<Condition> {
    let atoms: Vec<Condition> = seeds.iter().map(|s| valid_atom(s, earlier)).collect();
    match (shape % 5, atoms.len()) {
        (0, _) | (_, 0) => None,
        (1, _) => atoms.into_iter().next(),
        (2, _) => Some(Condition::All { conditions: atoms }),
        (3, _) => Some(Condition::Any { conditions: atoms }),
        _ => Some(Condition::Any {
            conditions: vec![
                Condition::All { conditions: atoms },
                Condition::All {
                    conditions: Vec::new(),
                },
            ],
        }),
    }
}

type QuestionParts = (Kind, Text, Text, bool, u8, Vec<Seed>);

fn seeds() -> impl Strategy<Value = Vec<Seed>> {
    vec(
        (any::<Index>(), any::<Index>(), range(), any::<bool>()),
        0..3,
    )
}

fn question_parts() -> impl Strategy<Value = QuestionParts> {
    (kind(), text(), text(), any::<bool>(), any::<u8>(), seeds())
}

/// A definition `validate::structure` accepts, using every feature of the format.
fn valid_definition() -> impl Strategy<Value = Definition> {
    (
        text(),
        text(),
        select(Languages::ALL.to_vec()),
        vec((text(), text(), any::<u8>(), seeds()), 1..4),
        vec(question_parts(), 0..10),
    )
        .prop_map(
            |(title, description, languages, section_parts, question_parts)| {
                let mut sections: Vec<Section> = Vec::new();
                let mut earlier: Vec<Question> = Vec::new();
                let count = section_parts.len();
                let mut questions = question_parts.into_iter();
                for (s, (title, description, shape, seeds)) in section_parts.into_iter().enumerate()
                {
                    let show_if = valid_condition(&seeds, shape, &earlier);
                    let mut section = Section {
                        key: format!("s{}", s + 1),
                        title,
                        description,
                        show_if,
                        questions: Vec::new(),
                    };
                    // Spread the questions over the sections; the last takes the rest.
                    let take = if s + 1 == count { usize::MAX } else { 3 };
                    for (kind, text, help, required, shape, seeds) in questions.by_ref().take(take)
                    {
                        let question = Question {
                            key: format!("q{}", earlier.len() + 1),
                            text,
                            help,
                            required,
                            show_if: valid_condition(&seeds, shape, &earlier),
                            kind,
                        };
                        earlier.push(question.clone());
                        section.questions.push(question);
                    }
                    sections.push(section);
                }
                Definition {
                    format: app::surveys::model::FORMAT.to_owned(),
                    title,
                    description,
                    languages,
                    sections,
                }
            },
        )
}

// ---------------------------------------------------------------------------------------------
// Import fuzzing

/// Any JSON value, its object keys often the format's own field names.
fn json() -> impl Strategy<Value = Value> {
    const FIELDS: [&str; 16] = [
        "format",
        "title",
        "description",
        "languages",
        "sections",
        "key",
        "questions",
        "text",
        "kind",
        "type",
        "choices",
        "label",
        "show_if",
        "op",
        "conditions",
        "ar",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        finite().prop_map(Value::from),
        prop_oneof![
            select(FIELDS.to_vec()).prop_map(str::to_owned),
            select(app::surveys::model::KIND_CODES.to_vec()).prop_map(str::to_owned),
            Just("sharek-survey/1".to_owned()),
            "(?s).{0,8}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        let field = prop_oneof![select(FIELDS.to_vec()).prop_map(str::to_owned), "\\PC{0,6}"];
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            btree_map(field, inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// One step on the way to a place in a JSON document.
#[derive(Debug, Clone)]
enum Step {
    Field(String),
    Item(usize),
}

/// The path to every value in a document, the root first.
fn places(value: &Value) -> Vec<Vec<Step>> {
    let mut all = vec![Vec::new()];
    let mut i = 0;
    while i < all.len() {
        let path = all[i].clone();
        if let Some(found) = at(value, &path) {
            match found {
                Value::Object(map) => {
                    all.extend(map.keys().map(|k| with_step(&path, Step::Field(k.clone()))))
                }
                Value::Array(items) => {
                    all.extend((0..items.len()).map(|n| with_step(&path, Step::Item(n))))
                }
                _ => {}
            }
        }
        i += 1;
    }
    all
}

fn with_step(path: &[Step], step: Step) -> Vec<Step> {
    let mut longer = path.to_vec();
    longer.push(step);
    longer
}

fn at<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Field(k) => v.get(k),
        Step::Item(n) => v.get(n),
    })
}

fn at_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Field(k) => v.get_mut(k),
        Step::Item(n) => v.get_mut(n),
    })
}

/// What to do at a place: remove it, put another value there, or nudge what is there.
#[derive(Debug, Clone)]
enum Mutation {
    Delete,
    Replace(Value),
    Nudge,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Delete),
        json().prop_map(Mutation::Replace),
        Just(Mutation::Nudge)
    ]
}

fn mutate(document: &mut Value, place: &Index, mutation: &Mutation) {
    let all = places(document);
    let path = &all[place.index(all.len())];
    let Some((last, parent)) = path.split_last() else {
        if let Mutation::Replace(value) = mutation {
            *document = value.clone();
        }
        return;
    };
    let Some(parent) = at_mut(document, parent) else {
        return;
    };
    match (mutation, parent, last) {
        (Mutation::Delete, Value::Object(map), Step::Field(k)) => {
            map.remove(k);
        }
        (Mutation::Delete, Value::Array(items), Step::Item(n)) => {
            items.remove(*n);
        }
        (Mutation::Replace(value), parent, step) => {
            if let Some(slot) = at_mut(parent, std::slice::from_ref(step)) {
                *slot = value.clone();
            }
        }
        (Mutation::Nudge, parent, step) => {
            if let Some(slot) = at_mut(parent, std::slice::from_ref(step)) {
                *slot = match slot.take() {
                    Value::String(s) if s.is_empty() => Value::String("x".into()),
                    Value::String(mut s) => {
                        s.pop();
                        Value::String(s)
                    }
                    Value::Number(n) => Value::from(n.as_f64().map_or(0.0, |n| -n - 1.0)),
                    Value::Bool(b) => Value::Bool(!b),
                    Value::Array(mut items) => {
                        items.extend(items.first().cloned());
                        Value::Array(items)
                    }
                    other => other,
                };
            }
        }
        _ => {}
    }
}

/// What must hold of anything `import` accepts.
fn accepted_is_sound(json: &str) -> Result<(), TestCaseError> {
    if let Ok(definition) = import(json) {
        prop_assert_eq!(structure(&definition), Vec::new());
        prop_assert_eq!(import(&definition.to_json()), Ok(definition));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn import_never_panics_on_any_text(input in "(?s).{0,64}") {
        accepted_is_sound(&input)?;
    }

    #[test]
    fn import_never_panics_on_any_json(value in json()) {
        accepted_is_sound(&value.to_string())?;
    }

    #[test]
    fn generated_definitions_are_valid(definition in valid_definition()) {
        prop_assert_eq!(structure(&definition), Vec::new());
    }

    #[test]
    fn every_valid_definition_survives_export_and_import(definition in valid_definition()) {
        prop_assert_eq!(import(&definition.to_json()), Ok(definition));
    }

    #[test]
    fn import_of_a_damaged_export_fails_cleanly_or_is_sound(
        definition in valid_definition(),
        damage in vec((any::<Index>(), mutation()), 1..4),
    ) {
        let mut document = serde_json::to_value(&definition).expect("a definition is JSON");
        for (place, mutation) in &damage {
            mutate(&mut document, place, mutation);
        }
        accepted_is_sound(&document.to_string())?;
    }

    #[test]
    fn import_of_a_cut_export_fails_cleanly(definition in valid_definition(), cut in any::<Index>()) {
        let json = definition.to_json();
        let end = cut.index(json.len());
        let cut = json.get(..end).unwrap_or_default();
        prop_assert!(import(cut).is_err() || end == json.len());
    }
}

#[test]
fn the_generators_reach_every_question_type() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = BTreeMap::new();
    for _ in 0..400 {
        let definition = valid_definition()
            .new_tree(&mut runner)
            .expect("a definition")
            .current();
        for (_, question) in definition.questions() {
            *seen.entry(question.kind.code()).or_insert(0) += 1;
            if question.show_if.is_some() {
                *seen.entry("rule").or_insert(0) += 1;
            }
        }
    }
    for code in app::surveys::model::KIND_CODES.iter().chain(&["rule"]) {
        assert!(
            seen.get(code).copied().unwrap_or(0) > 0,
            "{code} never generated: {seen:?}"
        );
    }
}
