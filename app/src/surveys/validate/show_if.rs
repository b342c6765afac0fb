//! Show-if rules: they nest only so deep, look back only at earlier questions, and compare
//! with answers those questions can have (a choice that exists, a number or a date).

use super::*;

pub(super) fn condition_problems(
    path: &str,
    condition: &Condition,
    earlier: &[&Question],
    problems: &mut Vec<Problem>,
) {
    if condition.depth() > MAX_CONDITION_DEPTH {
        problems.push(Problem::with(path, "too_deep", MAX_CONDITION_DEPTH));
        return;
    }
    let find = |key: &str| earlier.iter().find(|q| q.key == key);
    match condition {
        Condition::All { conditions } | Condition::Any { conditions } => {
            for (i, inner) in conditions.iter().enumerate() {
                condition_problems(&format!("{path}.conditions[{i}]"), inner, earlier, problems);
            }
        }
        Condition::Equals { question, value } | Condition::Includes { question, value } => {
            let includes = matches!(condition, Condition::Includes { .. });
            if question == STAKEHOLDER_QUESTION {
                if crate::surveys::StakeholderGroup::from_code(value).is_none() {
                    problems.push(Problem::with(
                        format!("{path}.value"),
                        "unknown_choice",
                        value,
                    ));
                }
                return;
            }
            let Some(target) = find(question) else {
                problems.push(Problem::with(
                    format!("{path}.question"),
                    "not_earlier",
                    question,
                ));
                return;
            };
            let keys = target.kind.answer_keys();
            let choice_like = !keys.is_empty();
            if includes && !choice_like {
                problems.push(Problem::with(
                    format!("{path}.op"),
                    "wrong_op",
                    target.kind.code(),
                ));
            } else if choice_like && !keys.contains(&value.as_str()) {
                problems.push(Problem::with(
                    format!("{path}.value"),
                    "unknown_choice",
                    value,
                ));
            } else if matches!(target.kind, Kind::Matrix { .. } | Kind::Ranking { .. }) {
                problems.push(Problem::with(
                    format!("{path}.op"),
                    "wrong_op",
                    target.kind.code(),
                ));
            } else if target.kind.numeric_range().is_some()
                && crate::numbers::parse_number(value).is_none()
            {
                problems.push(Problem::new(format!("{path}.value"), "not_a_number"));
            } else if matches!(target.kind, Kind::Date)
                && value.trim().parse::<chrono::NaiveDate>().is_err()
            {
                problems.push(Problem::with(format!("{path}.value"), "bad_date", value));
            }
        }
        Condition::InRange { question, min, max } => {
            let Some(target) = find(question) else {
                problems.push(Problem::with(
                    format!("{path}.question"),
                    "not_earlier",
                    question,
                ));
                return;
            };
            if target.kind.numeric_range().is_none() {
                problems.push(Problem::with(
                    format!("{path}.op"),
                    "wrong_op",
                    target.kind.code(),
                ));
            }
            if min.is_some_and(|m| !m.is_finite()) || max.is_some_and(|m| !m.is_finite()) {
                problems.push(Problem::new(format!("{path}.min"), "not_a_number"));
            } else if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                problems.push(Problem::new(format!("{path}.min"), "min_above_max"));
            }
        }
    }
}
