//! Edits to a survey that already has answers: what may not change, so collected results
//! stay readable (wording may; removing answered questions or used choices may not).

use std::collections::HashSet;

use super::Problem;
use crate::surveys::model::{Definition, Kind};

/// Edits that would corrupt collected results, given the answered question keys and, for each,
/// the choice (or matrix row and scale) keys its answers use: removing an answered question or
/// a used choice, or changing an answered question's type. Wording changes stay allowed.
pub fn check_edit(
    old: &Definition,
    new: &Definition,
    answered: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Vec<Problem> {
    let path_of = |definition: &Definition, key: &str| {
        definition
            .sections
            .iter()
            .enumerate()
            .find_map(|(s, section)| {
                section
                    .questions
                    .iter()
                    .position(|q| q.key == key)
                    .map(|q| format!("$.sections[{s}].questions[{q}]"))
            })
    };
    let mut problems = Vec::new();
    for (key, used) in answered {
        let Some(before) = old.question(key) else {
            continue;
        };
        let Some(after) = new.question(key) else {
            let path = path_of(old, key).unwrap_or_else(|| "$".to_owned());
            problems.push(Problem::with(path, "answered_removed", key));
            continue;
        };
        let path = path_of(new, key).unwrap_or_else(|| "$".to_owned());
        if before.kind.code() != after.kind.code() {
            problems.push(Problem::with(
                format!("{path}.kind"),
                "answered_type_changed",
                key,
            ));
            continue;
        }
        let keys_of = |kind: &Kind| -> HashSet<String> {
            match kind {
                Kind::Matrix { rows, scale } => {
                    rows.iter().chain(scale).map(|c| c.key.clone()).collect()
                }
                kind => kind.answer_keys().into_iter().map(str::to_owned).collect(),
            }
        };
        let kept = keys_of(&after.kind);
        let had = keys_of(&before.kind);
        for choice in used {
            if had.contains(choice) && !kept.contains(choice) {
                problems.push(Problem::with(
                    format!("{path}.kind"),
                    "answered_choice_removed",
                    choice,
                ));
            }
        }
    }
    problems
}
