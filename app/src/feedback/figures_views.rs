//! `/{lang}/staff/feedback/figures`: the reply figures for a period (MISSION.md §7.2), overall
//! with a sentence each, the ratings' chart with its table, and a breakdown by team, topic,
//! channel or stakeholder group; the same as CSV. Filters are a GET form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::figures::{Dimension, Figures};
use super::views::{group_options, topic_options};
use super::{
    Channel, FiguresQuery, FiguresView, StakeholderGroup, feedback_figures, topic_label_key,
};
use crate::Locale;
use crate::numbers::ltr_number;
use crate::page_state::FormFeedback;
use crate::shell::forms::{SelectField, TextField};
use crate::shell::use_locale;

#[component]
pub fn FiguresPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let query = use_query_map().with_untracked(|q| FiguresQuery::from_query(|key| q.get(key)));
    let shown = Resource::new(move || query.clone(), move |q| feedback_figures(q, locale));
    let title = t("feedback.figures_title");
    view! {
        <Title text=title.clone()/>
        <p><a href=format!("/{}/staff/feedback", locale.code())>{t("feedback.back")}</a></p>
        <h1>{title}</h1>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(view) => view! { <FiguresScreen view/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("feedback.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// A share as a percentage in words' digits ("87%").
fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{:.0}%", s * 100.0))
}

fn hours(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |h| format!("{h:.1}"))
}

/// The label of a breakdown key.
fn key_label(locale: Locale, by: Dimension, key: &str, view: &FiguresView) -> String {
    if key.is_empty() {
        return locale.t(match by {
            Dimension::Team => "feedback.no_team",
            _ => "feedback.group_unsaid",
        });
    }
    match by {
        Dimension::Team => view
            .teams
            .iter()
            .find(|t| t.id.to_string() == key)
            .map(|t| t.name(locale).to_owned())
            .unwrap_or_else(|| key.to_owned()),
        Dimension::Topic => locale.t(&topic_label_key(key)),
        Dimension::Channel => Channel::from_code(key)
            .map(|c| locale.t(&c.label_key()))
            .unwrap_or_default(),
        Dimension::Group => StakeholderGroup::from_code(key)
            .map(|g| locale.t(&g.label_key()))
            .unwrap_or_default(),
    }
}

#[component]
fn FiguresScreen(view: FiguresView) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let query = use_query_map().with_untracked(|q| FiguresQuery::from_query(|key| q.get(key)));
    let none = FormFeedback::default();
    let any = |first: &str| (String::new(), t(first));
    let team_options: Vec<(String, String)> = std::iter::once(any("feedback.any"))
        .chain(
            view.teams
                .iter()
                .map(|team| (team.id.to_string(), team.name(locale).to_owned())),
        )
        .collect();
    let channel_options: Vec<(String, String)> = std::iter::once(any("feedback.any"))
        .chain(
            Channel::ALL
                .iter()
                .map(|c| (c.code().to_owned(), locale.t(&c.label_key()))),
        )
        .collect();
    let by_options: Vec<(String, String)> = Dimension::ALL
        .iter()
        .map(|d| (d.code().to_owned(), t(&format!("feedback.by.{}", d.code()))))
        .collect();
    let f = &view.overall;
    let csv = format!(
        "/{}/staff/feedback/figures.csv?from={}&to={}&by={}{}{}{}{}",
        locale.code(),
        view.from,
        view.to,
        view.by.code(),
        query.team.map(|t| format!("&team={t}")).unwrap_or_default(),
        query
            .topic
            .as_ref()
            .map(|t| format!("&topic={t}"))
            .unwrap_or_default(),
        query
            .channel
            .map(|c| format!("&channel={}", c.code()))
            .unwrap_or_default(),
        query
            .group
            .map(|g| format!("&group={}", g.code()))
            .unwrap_or_default(),
    );
    let rated: usize = f.ratings.iter().sum();
    let satisfaction = f.satisfaction.map(|s| format!("{s:.1}"));
    let mut sentence = if f.answered == 0 {
        locale.t_with(
            "feedback.figures_sentence_unanswered",
            &[("cases", &ltr_number(f.cases.to_string()))],
        )
    } else {
        locale.t_with(
            "feedback.figures_sentence",
            &[
                ("cases", &ltr_number(f.cases.to_string())),
                ("within", &percent(f.within_level)),
                ("median", &hours(f.median_hours)),
            ],
        )
    };
    sentence.push(' ');
    let ratings_sentence = match &satisfaction {
        Some(mean) => locale.t_with(
            "feedback.figures_sentence_rated",
            &[("satisfaction", mean), ("rated", &rated.to_string())],
        ),
        None => locale.t("feedback.figures_sentence_unrated"),
    };
    sentence.push_str(&ratings_sentence);
    let rows = view.rows.clone();
    let by = view.by;
    let labels: Vec<String> = rows
        .iter()
        .map(|(k, _)| key_label(locale, by, k, &view))
        .collect();
    view! {
        <form method="get" action=format!("/{}/staff/feedback/figures", locale.code()) class="filter-form" role="search" aria-label=t("feedback.filters")>
            <TextField name="from" kind="date" label=t("feedback.field.from") value=view.from.to_string() feedback=none.clone()/>
            <TextField name="to" kind="date" label=t("feedback.field.to") value=view.to.to_string() feedback=none.clone()/>
            <SelectField name="team" label=t("feedback.field.team") options=team_options value=query.team.map(|t| t.to_string()).unwrap_or_default() feedback=none.clone()/>
            <SelectField name="topic" label=t("feedback.field.topic") options=topic_options(locale, "feedback.any") value=query.topic.clone().unwrap_or_default() feedback=none.clone()/>
            <SelectField name="channel" label=t("feedback.field.channel") options=channel_options value=query.channel.map(|c| c.code().to_owned()).unwrap_or_default() feedback=none.clone()/>
            <SelectField name="group" label=t("feedback.field.group") options=group_options(locale, "feedback.any") value=query.group.map(|g| g.code().to_owned()).unwrap_or_default() feedback=none.clone()/>
            <SelectField name="by" label=t("feedback.field.by") options=by_options value=by.code() feedback=none.clone()/>
            <button type="submit" class="button button-secondary">{t("feedback.filter_submit")}</button>
        </form>
        <p class="lead" id="figures-sentence">{sentence}</p>
        <dl class="figures">
            <Figure label=t("feedback.fig.cases") value=f.cases.to_string()/>
            <Figure label=t("feedback.fig.median") value=hours(f.median_hours)/>
            <Figure label=t("feedback.fig.p90") value=hours(f.p90_hours)/>
            <Figure label=t("feedback.fig.within") value=percent(f.within_level)/>
            <Figure label=t("feedback.fig.overdue") value=f.overdue_now.to_string()/>
            <Figure label=t("feedback.fig.reopen") value=percent(f.reopen_rate)/>
            <Figure label=t("feedback.fig.satisfaction") value=f.satisfaction.map_or_else(|| "—".to_owned(), |s| format!("{s:.1} / 5"))/>
        </dl>
        <h2 id="ratings-title">{t("feedback.ratings_title")}</h2>
        <p id="ratings-sentence">{ratings_sentence}</p>
        {(rated > 0).then(|| view! { <div class="chart" tabindex="0" role="img" aria-labelledby="ratings-sentence" inner_html=view.ratings_chart.clone()></div> })}
        <div class="table-scroll">
            <table class="table">
                <caption>{t("feedback.ratings_title")}</caption>
                <thead><tr><th scope="col">{t("feedback.fig.score")}</th><th scope="col">{t("feedback.fig.ratings")}</th></tr></thead>
                <tbody>
                    {(1..=5u8).rev().map(|score| {
                        let count = f.ratings.get(usize::from(score - 1)).copied().unwrap_or(0);
                        view! { <tr><th scope="row">{score.to_string()} " — " {t(&format!("feedback.score.s{score}"))}</th><td>{count.to_string()}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>{t(&format!("feedback.by_title.{}", by.code()))}</h2>
        {if rows.is_empty() {
            view! { <p>{t("feedback.figures_none")}</p> }.into_any()
        } else {
            view! { <Breakdown rows labels/> }.into_any()
        }}
        <p><a href=csv download="">{t("feedback.figures_csv")}</a></p>
    }
    .into_any()
}

#[component]
fn Figure(label: String, value: String) -> impl IntoView {
    view! { <div><dt>{label}</dt><dd dir="ltr">{value}</dd></div> }
}

#[component]
fn Breakdown(rows: Vec<(String, Figures)>, labels: Vec<String>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    view! {
        <div class="table-scroll">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t("feedback.fig.key")}</th>
                        <th scope="col">{t("feedback.fig.cases")}</th>
                        <th scope="col">{t("feedback.fig.median")}</th>
                        <th scope="col">{t("feedback.fig.p90")}</th>
                        <th scope="col">{t("feedback.fig.within")}</th>
                        <th scope="col">{t("feedback.fig.overdue")}</th>
                        <th scope="col">{t("feedback.fig.reopen")}</th>
                        <th scope="col">{t("feedback.fig.satisfaction")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().zip(labels).map(|((_, f), label)| view! {
                        <tr>
                            <th scope="row">{label}</th>
                            <td>{f.cases.to_string()}</td>
                            <td>{hours(f.median_hours)}</td>
                            <td>{hours(f.p90_hours)}</td>
                            <td>{percent(f.within_level)}</td>
                            <td>{f.overdue_now.to_string()}</td>
                            <td>{percent(f.reopen_rate)}</td>
                            <td>{f.satisfaction.map_or_else(|| "—".to_owned(), |s| format!("{s:.1}"))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
