//! The report itself: its figures, charts with a sentence and a table each, and the outcomes.
//! One component for the staff page (`super::views`) and the standalone document
//! (`super::document`), so the PDF says what the page says.

use leptos::prelude::*;

use super::ImpactReport;
use crate::Locale;
use crate::groups::StakeholderGroup;
use crate::numbers::ltr_number;
use crate::outcomes::{OutcomeStatus, outcome_path};
use crate::shell::use_locale;

fn percent(value: f64) -> String {
    format!("{value:.0}%")
}

fn share(part: i64, whole: i64) -> String {
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    if whole > 0 {
        percent(part as f64 * 100.0 / whole as f64)
    } else {
        "—".to_owned()
    }
}

fn count(n: i64) -> String {
    ltr_number(n.to_string())
}

/// A bar chart of counts, as SVG. Drawn on the server only: the report is never rendered in
/// the browser (the page has no island), so the browser's bundle carries no chart code.
#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn bar_chart(rows: &[(String, i64)], total: i64, locale: Locale) -> String {
    #[cfg(feature = "ssr")]
    {
        use crate::results::charts::{Bar, bars};
        let rows: Vec<Bar> = rows
            .iter()
            .map(|(label, n)| Bar {
                label: label.clone(),
                value: *n as f64,
                display: format!("{} ({})", count(*n), share(*n, total)),
            })
            .collect();
        bars(&rows, None, locale)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (rows, total, locale);
        String::new()
    }
}

/// The most common of `rows` in a sentence ("Most came from citizens: 620 of 1,000 (62%).").
fn top_sentence(locale: Locale, key: &str, rows: &[(String, i64)], total: i64) -> String {
    match rows.iter().max_by_key(|(_, n)| *n) {
        Some((label, n)) if *n > 0 => locale.t_with(
            key,
            &[
                ("label", label),
                ("count", &count(*n)),
                ("total", &count(total)),
                ("share", &share(*n, total)),
            ],
        ),
        _ => locale.t("reports.no_responses"),
    }
}

/// A chart with its sentence (which labels it for screen readers) and its table.
#[component]
fn ChartBlock(
    id: &'static str,
    sentence: String,
    svg: String,
    caption: String,
    head: String,
    rows: Vec<(String, String)>,
) -> impl IntoView {
    let locale = use_locale();
    let sentence_id = format!("{id}-sentence");
    view! {
        <p id=sentence_id.clone()>{sentence}</p>
        <figure class="chart-figure">
            <div class="chart" tabindex="0" role="img" aria-labelledby=sentence_id inner_html=svg></div>
        </figure>
        <div class="table-scroll" tabindex="0">
            <table>
                <caption>{caption}</caption>
                <thead><tr><th scope="col">{head}</th><th scope="col">{locale.t("reports.count")}</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(label, value)| view! { <tr><th scope="row">{label}</th><td>{value}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The report: its figures, charts with a sentence and a table each, and the outcomes.
/// `base` prefixes the links to public pages (empty on the site, the site's address in a file).
#[component]
pub fn ReportBody(report: ImpactReport, locale: Locale, base: String) -> impl IntoView {
    provide_context(locale);
    let t = move |key: &str| locale.t(key);
    let title = report.title(locale);
    let generated = locale.t_with(
        "reports.generated",
        &[(
            "when",
            &crate::dates::when_text(locale, report.generated_at),
        )],
    );
    if report.is_empty() {
        return view! {
            <article class="report" aria-labelledby="report-title">
                <h2 id="report-title">{title}</h2>
                <p class="report-meta">{generated}</p>
                <p class="notice">{t("reports.empty")}</p>
            </article>
        }
        .into_any();
    }
    let f = &report.feedback;
    let rated: usize = f.ratings.iter().sum();
    let figures = vec![
        (t("reports.fig.responses"), count(report.responses)),
        (
            t("reports.fig.opportunities"),
            report.opportunities.len().to_string(),
        ),
        (t("reports.fig.feedback"), f.cases.to_string()),
        (
            t("reports.fig.within"),
            f.within_level
                .map_or_else(|| "—".to_owned(), |s| percent(s * 100.0)),
        ),
        (
            t("reports.fig.satisfaction"),
            f.satisfaction
                .map_or_else(|| "—".to_owned(), |s| format!("{s:.1} / 5")),
        ),
        (t("reports.fig.comments"), count(report.moderation.comments)),
        (t("reports.fig.outcomes"), report.outcomes.len().to_string()),
    ];
    view! {
        <article class="report" aria-labelledby="report-title">
            <h2 id="report-title">{title}</h2>
            <p class="report-meta">{generated}</p>
            <dl class="figures">
                {figures.into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
            </dl>
            <Participation report=report.clone() locale/>
            <Opportunities report=report.clone() locale/>
            <section aria-labelledby="feedback-title">
                <h3 id="feedback-title">{t("reports.feedback_title")}</h3>
                <p>{locale.t_with("reports.feedback_sentence", &[
                    ("cases", &f.cases.to_string()),
                    ("answered", &f.answered.to_string()),
                    ("within", &f.within_level.map_or_else(|| "—".to_owned(), |s| percent(s * 100.0))),
                    ("overdue", &f.overdue_now.to_string()),
                ])} " " {match f.satisfaction {
                    Some(mean) => locale.t_with("reports.satisfaction_sentence", &[("mean", &format!("{mean:.1}")), ("rated", &rated.to_string())]),
                    None => t("reports.no_ratings"),
                }}</p>
                {(!report.feedback_topics.is_empty()).then(|| view! {
                    <div class="table-scroll" tabindex="0">
                        <table>
                            <caption>{t("reports.feedback_by_topic")}</caption>
                            <thead><tr>
                                <th scope="col">{t("reports.topic")}</th>
                                <th scope="col">{t("reports.fig.feedback")}</th>
                                <th scope="col">{t("reports.fig.within")}</th>
                                <th scope="col">{t("reports.fig.satisfaction")}</th>
                            </tr></thead>
                            <tbody>
                                {report.feedback_topics.iter().map(|(topic, f)| view! {
                                    <tr>
                                        <th scope="row">{locale.t(&crate::opportunities::topic_label_key(topic))}</th>
                                        <td>{f.cases.to_string()}</td>
                                        <td>{f.within_level.map_or_else(|| "—".to_owned(), |s| percent(s * 100.0))}</td>
                                        <td>{f.satisfaction.map_or_else(|| "—".to_owned(), |s| format!("{s:.1}"))}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })}
            </section>
            <ModerationSection report=report.clone() locale/>
            <Outcomes report base locale/>
        </article>
    }
    .into_any()
}

#[component]
fn Participation(report: ImpactReport, locale: Locale) -> impl IntoView {
    let t = move |key: &str| locale.t(key);
    let group_label = |code: &str| {
        StakeholderGroup::from_code(code)
            .map(|g| locale.t(&g.label_key()))
            .unwrap_or_else(|| code.to_owned())
    };
    let channel_label = |code: &str| {
        crate::responses::Channel::from_code(code)
            .map(|c| locale.t(&c.label_key()))
            .unwrap_or_else(|| code.to_owned())
    };
    let groups: Vec<(String, i64)> = report
        .groups
        .iter()
        .map(|(code, n)| (group_label(code), *n))
        .collect();
    let channels: Vec<(String, i64)> = report
        .channels
        .iter()
        .map(|(code, n)| (channel_label(code), *n))
        .collect();
    let total = report.responses;
    let table_rows = |rows: &[(String, i64)]| {
        rows.iter()
            .map(|(label, n)| {
                (
                    label.clone(),
                    format!("{} ({})", count(*n), share(*n, total)),
                )
            })
            .collect::<Vec<_>>()
    };
    let wave = move |wave: Option<i32>| {
        wave.map_or_else(
            || "—".to_owned(),
            |n| locale.t_with("reports.wave", &[("n", &n.to_string())]),
        )
    };
    view! {
        <section aria-labelledby="participation-title">
            <h3 id="participation-title">{t("reports.participation_title")}</h3>
            {(total == 0).then(|| view! { <p>{t("reports.no_responses")}</p> })}
            {(total > 0).then(|| view! {
                <h4>{t("reports.by_group")}</h4>
                <ChartBlock id="groups" sentence=top_sentence(locale, "reports.group_sentence", &groups, total)
                    svg=bar_chart(&groups, total, locale) caption=t("reports.by_group")
                    head=t("reports.group") rows=table_rows(&groups)/>
                <h4>{t("reports.by_channel")}</h4>
                <ChartBlock id="channels" sentence=top_sentence(locale, "reports.channel_sentence", &channels, total)
                    svg=bar_chart(&channels, total, locale) caption=t("reports.by_channel")
                    head=t("reports.channel") rows=table_rows(&channels)/>
                <h4>{t("reports.by_survey")}</h4>
                <div class="table-scroll" tabindex="0">
                    <table>
                        <caption>{t("reports.by_survey")}</caption>
                        <thead><tr><th scope="col">{t("reports.survey")}</th><th scope="col">{t("reports.wave_column")}</th><th scope="col">{t("reports.count")}</th></tr></thead>
                        <tbody>
                            {report.surveys.iter().map(|line| view! {
                                <tr><th scope="row">{line.title.get(locale).to_owned()}</th><td>{wave(line.wave)}</td><td>{count(line.responses)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {(!report.targets.is_empty()).then(|| view! {
                <h4>{t("reports.targets_title")}</h4>
                <p>{t("reports.targets_lead")}</p>
                <div class="table-scroll" tabindex="0">
                    <table>
                        <caption>{t("reports.targets_title")}</caption>
                        <thead><tr>
                            <th scope="col">{t("reports.survey")}</th>
                            <th scope="col">{t("reports.group")}</th>
                            <th scope="col">{t("reports.target")}</th>
                            <th scope="col">{t("reports.actual")}</th>
                        </tr></thead>
                        <tbody>
                            {report.targets.iter().map(|line| {
                                let under = line.actual + 0.5 < line.target;
                                view! {
                                    <tr class:under=under>
                                        <th scope="row">{line.title.get(locale).to_owned()}</th>
                                        <td>{group_label(&line.group)}</td>
                                        <td>{percent(line.target)}</td>
                                        <td>{percent(line.actual)}{under.then(|| view! { " " <strong>{t("reports.under_target")}</strong> })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

#[component]
fn Opportunities(report: ImpactReport, locale: Locale) -> impl IntoView {
    let t = move |key: &str| locale.t(key);
    let day = move |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map_or_else(|| "—".to_owned(), |at| crate::dates::date_text(locale, at))
    };
    view! {
        <section aria-labelledby="opportunities-title">
            <h3 id="opportunities-title">{t("reports.opportunities_title")}</h3>
            {report.opportunities.is_empty().then(|| view! { <p>{t("reports.no_opportunities")}</p> })}
            {(!report.opportunities.is_empty()).then(|| view! {
                <div class="table-scroll" tabindex="0">
                    <table>
                        <caption>{t("reports.opportunities_title")}</caption>
                        <thead><tr>
                            <th scope="col">{t("reports.title_column")}</th>
                            <th scope="col">{t("reports.kind")}</th>
                            <th scope="col">{t("reports.opens")}</th>
                            <th scope="col">{t("reports.closes")}</th>
                            <th scope="col">{t("reports.fig.comments")}</th>
                        </tr></thead>
                        <tbody>
                            {report.opportunities.iter().map(|o| view! {
                                <tr>
                                    <th scope="row">{o.title.get(locale).to_owned()}</th>
                                    <td>{t(&format!("opportunities.kind.{}", o.kind))}</td>
                                    <td>{day(o.starts_at)}</td>
                                    <td>{day(o.ends_at)}</td>
                                    <td>{if o.kind == "consultation" { count(o.comments) } else { "—".to_owned() }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

#[component]
fn ModerationSection(report: ImpactReport, locale: Locale) -> impl IntoView {
    let t = move |key: &str| locale.t(key);
    let m = report.moderation;
    view! {
        <section aria-labelledby="moderation-title">
            <h3 id="moderation-title">{t("reports.moderation_title")}</h3>
            <p>{locale.t_with("reports.moderation_sentence", &[
                ("comments", &count(m.comments)),
                ("published", &count(m.published)),
                ("held", &count(m.held)),
                ("hidden", &count(m.hidden)),
            ])}</p>
            {(m.hidden > 0).then(|| view! {
                <div class="table-scroll" tabindex="0">
                    <table>
                        <caption>{t("reports.hidden_by_category")}</caption>
                        <thead><tr><th scope="col">{t("reports.category")}</th><th scope="col">{t("reports.count")}</th></tr></thead>
                        <tbody>
                            {m.hidden_by_category.iter().map(|(key, n)| view! {
                                <tr><th scope="row">{locale.t(&crate::consultations::category_label_key(key))}</th><td>{count(*n)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

#[component]
fn Outcomes(report: ImpactReport, base: String, locale: Locale) -> impl IntoView {
    let t = move |key: &str| locale.t(key);
    let outcomes = report.outcomes;
    let total = i64::try_from(outcomes.len()).unwrap_or(i64::MAX);
    let by_status: Vec<(String, i64)> = OutcomeStatus::ALL
        .iter()
        .map(|s| {
            let n = outcomes.iter().filter(|o| o.status == *s).count();
            (
                locale.t(&s.label_key()),
                i64::try_from(n).unwrap_or(i64::MAX),
            )
        })
        .collect();
    let figure = |n: Option<i64>| n.map_or_else(|| "—".to_owned(), count);
    view! {
        <section aria-labelledby="outcomes-title">
            <h3 id="outcomes-title">{t("reports.outcomes_title")}</h3>
            {outcomes.is_empty().then(|| view! { <p>{t("reports.no_outcomes")}</p> })}
            {(!outcomes.is_empty()).then(|| view! {
                <ChartBlock id="outcome-statuses"
                    sentence=locale.t_with("reports.outcomes_sentence", &[
                        ("total", &total.to_string()),
                        ("done", &by_status[2].1.to_string()),
                        ("in_progress", &by_status[1].1.to_string()),
                    ])
                    svg=bar_chart(&by_status, total, locale) caption=t("reports.outcomes_by_status")
                    head=t("reports.status") rows=by_status.iter().map(|(l, n)| (l.clone(), count(*n))).collect()/>
                <div class="table-scroll" tabindex="0">
                    <table>
                        <caption>{t("reports.outcomes_table")}</caption>
                        <thead><tr>
                            <th scope="col">{t("reports.outcome")}</th>
                            <th scope="col">{t("reports.status")}</th>
                            <th scope="col">{t("reports.published")}</th>
                            <th scope="col">{t("reports.fig.responses")}</th>
                            <th scope="col">{t("reports.fig.comments")}</th>
                            <th scope="col">{t("reports.fig.feedback")}</th>
                        </tr></thead>
                        <tbody>
                            {outcomes.iter().map(|o| view! {
                                <tr>
                                    <th scope="row">
                                        <a href=format!("{base}{}", outcome_path(locale, o.id))>{o.title.get(locale).to_owned()}</a>
                                        <p class="report-did">{o.did.get(locale).to_owned()}</p>
                                    </th>
                                    <td>{locale.t(&o.status.label_key())}</td>
                                    <td>{crate::dates::date_text(locale, o.published_at)}</td>
                                    <td>{figure(o.responses)}</td>
                                    <td>{figure(o.comments)}</td>
                                    <td>{figure(o.feedback)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}
