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

mod conditions;
mod import;
mod visibility;

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
