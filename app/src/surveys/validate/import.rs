//! Importing an exported definition: strict parsing of untrusted JSON that names where a file
//! is malformed and refuses anything serde would quietly ignore, then the [`structure`] checks.

use super::{MAX_IMPORT_BYTES, Problem, structure};
use crate::surveys::model::Definition;

/// Parses and checks an exported definition.
pub fn import(json: &str) -> Result<Definition, Vec<Problem>> {
    if json.len() > MAX_IMPORT_BYTES {
        return Err(vec![Problem::with(
            "$",
            "too_large",
            MAX_IMPORT_BYTES / 1024,
        )]);
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let definition: Definition =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." {
                "$".to_owned()
            } else {
                format!("$.{path}")
            };
            vec![Problem::with(path, "malformed", e.into_inner())]
        })?;
    if let Err(e) = deserializer.end() {
        return Err(vec![Problem::with("$", "malformed", e)]);
    }
    // Serde quietly drops fields beside the `type` of a question type without settings
    // (`{"type": "nps", "min": 1}`) and reads lists as structs: compare what was read with what
    // was sent, so nothing in a file is ignored without a word.
    let mut problems = Vec::new();
    if let (Ok(sent), Ok(read)) = (
        serde_json::from_str::<serde_json::Value>(json),
        serde_json::to_value(&definition),
    ) {
        ignored("$", &sent, &read, &mut problems);
    }
    if problems.is_empty() {
        problems = structure(&definition);
    }
    if problems.is_empty() {
        Ok(definition)
    } else {
        Err(problems)
    }
}

/// Reports what in `sent` has no counterpart in `read` (a `null` may stand for "none").
fn ignored(
    path: &str,
    sent: &serde_json::Value,
    read: &serde_json::Value,
    problems: &mut Vec<Problem>,
) {
    use serde_json::Value;
    match (sent, read) {
        (Value::Object(sent), Value::Object(read)) => {
            for (field, value) in sent {
                let at = format!("{path}.{field}");
                match read.get(field) {
                    Some(kept) => ignored(&at, value, kept, problems),
                    None if value.is_null() => {}
                    None => problems.push(Problem::with(
                        at,
                        "malformed",
                        format!("unknown field `{field}`"),
                    )),
                }
            }
        }
        (Value::Array(sent), Value::Array(read)) => {
            for (i, (sent, read)) in sent.iter().zip(read).enumerate() {
                ignored(&format!("{path}[{i}]"), sent, read, problems);
            }
        }
        (Value::Array(_), Value::Object(_)) => problems.push(Problem::with(
            path,
            "malformed",
            "expected an object with named fields, found a list",
        )),
        _ => {}
    }
}
