//! The inputs of the scale types: rating, NPS and matrix.

use leptos::prelude::*;

use super::question::{Field, join_ids, required_mark};
use super::{is_checked, value_of};
use crate::Locale;
use crate::surveys::conditions::{Answer, Answers};
use crate::surveys::model::{Choice, Text};

/// A rating scale between the author's two ends.
pub(super) fn rating<H, E, S>(
    field: Field<H, E, S>,
    min: i32,
    max: i32,
    min_label: Text,
    max_label: Text,
) -> AnyView
where
    H: IntoView + 'static,
    E: IntoView + 'static,
    S: Fn(Option<Answer>) + Clone + 'static,
{
    let Field {
        locale,
        filled,
        id,
        name,
        text,
        required,
        help,
        error,
        described,
        has_error,
        set,
        ..
    } = field;
    let ends = ScaleEnds {
        low: &min_label,
        high: &max_label,
    };
    let picked = value_of(&filled, &name);
    view! {
        <div class="field-wrap" class:field-error=has_error>
            {scale(locale, text, help, error, described, required, &id, &name, min..=max, ends, picked, set)}
        </div>
    }
    .into_any()
}

/// The 0–10 "how likely are you to recommend" scale.
pub(super) fn nps<H, E, S>(field: Field<H, E, S>) -> AnyView
where
    H: IntoView + 'static,
    E: IntoView + 'static,
    S: Fn(Option<Answer>) + Clone + 'static,
{
    let Field {
        locale,
        filled,
        id,
        name,
        text,
        required,
        help,
        error,
        described,
        has_error,
        set,
        ..
    } = field;
    let (low, high) = crate::surveys::model::nps_ends();
    let picked = value_of(&filled, &name);
    view! {
        <div class="field-wrap" class:field-error=has_error>
            {scale(locale, text, help, error, described, required, &id, &name, 0..=10, ScaleEnds { low: &low, high: &high }, picked, set)}
        </div>
    }
    .into_any()
}

/// A table: one row of radio buttons per statement, one column per scale point.
pub(super) fn matrix<H, E, S>(
    field: Field<H, E, S>,
    rows: Vec<Choice>,
    scale: Vec<Choice>,
) -> AnyView
where
    H: IntoView + 'static,
    E: IntoView + 'static,
    S: Fn(Option<Answer>) + Clone + 'static,
{
    let Field {
        locale,
        filled,
        key,
        id,
        name,
        text,
        required,
        help,
        error,
        described,
        has_error,
        answers,
        ..
    } = field;
    let caption_id = format!("{id}-caption");
    view! {
        <div class="field" class:field-error=has_error>
            {error}
            <table class="table matrix" aria-describedby=described>
                <caption id=caption_id>{text} " " {required_mark(locale, required)}</caption>
                <thead>
                    <tr>
                        <td></td>
                        {scale.iter().map(|point| view! {
                            <th scope="col" id=format!("{id}-col-{}", point.key)>{point.label.get(locale).to_owned()}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let row_id = format!("{id}-row-{}", row.key);
                        let row_name = format!("{name}.{}", row.key);
                        let question_key = key.clone();
                        view! {
                            <tr>
                                <th scope="row" id=row_id.clone()>{row.label.get(locale).to_owned()}</th>
                                {scale.iter().map(|point| {
                                    let labelled = format!("{row_id} {id}-col-{}", point.key);
                                    let (row_key, point_key, question_key) = (row.key.clone(), point.key.clone(), question_key.clone());
                                    view! {
                                        <td>
                                            <input type="radio" id=format!("{id}-{}-{}", row.key, point.key) name=row_name.clone()
                                                value=point.key.clone() aria-labelledby=labelled required=required
                                                checked=is_checked(&filled, &row_name, &point.key)
                                                on:change=move |_| {
                                                    let (row_key, point_key, question_key) = (row_key.clone(), point_key.clone(), question_key.clone());
                                                    answers.update(move |a| matrix_set(a, question_key, row_key, point_key));
                                                }/>
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {help}
        </div>
    }
    .into_any()
}

struct ScaleEnds<'a> {
    low: &'a Text,
    high: &'a Text,
}

#[allow(clippy::too_many_arguments)]
fn scale(
    locale: Locale,
    text: String,
    help: Option<impl IntoView + 'static>,
    error: Option<impl IntoView + 'static>,
    described: Option<String>,
    required: bool,
    id: &str,
    name: &str,
    points: std::ops::RangeInclusive<i32>,
    ends: ScaleEnds<'_>,
    picked: Option<String>,
    set: impl Fn(Option<Answer>) + Clone + 'static,
) -> impl IntoView {
    // "1 = Very dissatisfied, 5 = Very satisfied", leaving out an end without a label (and
    // the hint altogether when neither has one).
    let labelled: Vec<String> = [(points.start(), ends.low), (points.end(), ends.high)]
        .into_iter()
        .filter(|(_, label)| !label.get(locale).trim().is_empty())
        .map(|(point, label)| format!("{point} = {}", label.get(locale).trim()))
        .collect();
    let ends_id = format!("{id}-ends");
    let ends = (!labelled.is_empty()).then(|| locale.list(&labelled));
    let described = join_ids(&[described, ends.as_ref().map(|_| ends_id.clone())]);
    view! {
        <fieldset class="field scale" aria-describedby=described>
            <legend>{text} " " {required_mark(locale, required)}</legend>
            {help}
            {ends.map(|ends| view! { <p class="hint" id=ends_id>{ends}</p> })}
            {error}
            <div class="scale-points">
                {points.map(|point| {
                    let point_id = format!("{id}-{point}");
                    let set = set.clone();
                    let checked = picked.as_deref() == Some(point.to_string().as_str());
                    view! {
                        <div class="scale-point">
                            <input type="radio" id=point_id.clone() name=name.to_owned() value=point.to_string() required=required
                                checked=checked
                                on:change=move |_| set(Some(Answer::Number(f64::from(point))))/>
                            <label for=point_id>{point.to_string()}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

fn matrix_set(answers: &mut Answers, question: String, row: String, point: String) {
    let entry = answers
        .entry(question)
        .or_insert(Answer::Matrix(Default::default()));
    if let Answer::Matrix(rows) = entry {
        rows.insert(row, point);
    }
}
