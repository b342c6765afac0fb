//! Importing never panics on any input; what it accepts is well formed and survives export and
//! import unchanged; damaged and cut exports fail cleanly.

use super::*;

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
