//! The settings of each question type: enough distinct choices with valid keys, ranges that
//! make sense, lengths within the limits.

use std::collections::HashSet;

use super::*;

fn choice_problems(
    path: &str,
    choices: &[Choice],
    least: usize,
    other: bool,
    problems: &mut Vec<Problem>,
) {
    if choices.len() < least {
        problems.push(Problem::with(path, "too_few_choices", least));
    }
    if choices.len() > MAX_CHOICES {
        problems.push(Problem::with(path, "too_many", MAX_CHOICES));
    }
    let mut keys = HashSet::new();
    for (c, choice) in choices.iter().enumerate() {
        let at = format!("{path}[{c}].key");
        if !is_key(&choice.key) {
            problems.push(Problem::with(&at, "bad_key", &choice.key));
        } else if !keys.insert(choice.key.as_str()) || (other && choice.key == OTHER) {
            problems.push(Problem::with(&at, "duplicate_key", &choice.key));
        }
        text_lengths(&format!("{path}[{c}].label"), &choice.label, problems);
    }
}

pub(super) fn kind_problems(path: &str, kind: &Kind, problems: &mut Vec<Problem>) {
    match kind {
        Kind::SingleChoice { choices, other } | Kind::Dropdown { choices, other } => {
            choice_problems(&format!("{path}.choices"), choices, 2, *other, problems);
        }
        Kind::MultipleChoice {
            choices,
            other,
            min,
            max,
        } => {
            choice_problems(&format!("{path}.choices"), choices, 2, *other, problems);
            let offered = choices.len() + usize::from(*other);
            let (low, high) = (min.unwrap_or(0) as usize, max.map(|m| m as usize));
            if high.is_some_and(|high| high == 0 || high > offered) {
                problems.push(Problem::with(
                    format!("{path}.max"),
                    "out_of_range",
                    offered,
                ));
            }
            if low > offered || high.is_some_and(|high| low > high) {
                problems.push(Problem::with(
                    format!("{path}.min"),
                    "min_above_max",
                    offered,
                ));
            }
        }
        Kind::Ranking { choices } => {
            choice_problems(&format!("{path}.choices"), choices, 2, false, problems);
        }
        Kind::Matrix { rows, scale } => {
            choice_problems(&format!("{path}.rows"), rows, 1, false, problems);
            choice_problems(&format!("{path}.scale"), scale, 2, false, problems);
            // Rows and points share one set of keys in `check_edit` (the keys answers use), so
            // a point keyed like a row would hide that row's removal.
            for (p, point) in scale.iter().enumerate() {
                if rows.iter().any(|row| row.key == point.key) {
                    problems.push(Problem::with(
                        format!("{path}.scale[{p}].key"),
                        "duplicate_key",
                        &point.key,
                    ));
                }
            }
        }
        Kind::Rating { min, max, .. } => {
            if !(-10..=10).contains(min)
                || !(-10..=10).contains(max)
                || max <= min
                || max - min > 10
            {
                problems.push(Problem::new(format!("{path}.max"), "bad_scale"));
            }
        }
        Kind::LongText { max_length } => {
            if !(1..=MAX_LONG_TEXT).contains(max_length) {
                problems.push(Problem::with(
                    format!("{path}.max_length"),
                    "out_of_range",
                    MAX_LONG_TEXT,
                ));
            }
        }
        Kind::ShortText { max_length } => {
            if max_length.is_some_and(|m| !(1..=500).contains(&m)) {
                problems.push(Problem::with(
                    format!("{path}.max_length"),
                    "out_of_range",
                    500,
                ));
            }
        }
        Kind::Number { min, max, .. } => {
            if min.is_some_and(|m| !m.is_finite()) || max.is_some_and(|m| !m.is_finite()) {
                problems.push(Problem::new(format!("{path}.min"), "not_a_number"));
            } else if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                problems.push(Problem::new(format!("{path}.min"), "min_above_max"));
            }
        }
        Kind::YesNo | Kind::Nps | Kind::Date | Kind::Email | Kind::Phone => {}
    }
}
