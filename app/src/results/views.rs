//! Results pages: the public results page, and the pieces it shares with the staff dashboard
//! (the overview, representativeness, every question's summary with its chart, data table and
//! sentence, trends). The staff pages (the dashboard with its filters, crosstab, exports and
//! settings, and the written answers with search) are in `staff_views`, re-exported here.
//! Server-rendered: charts are SVG drawn on the server, the forms are GET forms, so everything
//! works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::summary::figure;
use super::{
    GroupShare, QuestionResult, Results, Share, Shown, Summary, Trend, load_public_results,
};
use crate::Locale;
use crate::shell::{NotFound, use_locale};

pub use super::staff_views::{ResultsPage, TextAnswersPage};

fn count(n: Shown, locale: Locale) -> String {
    n.map(|n| n.to_string())
        .unwrap_or_else(|| locale.t("results.suppressed"))
}

pub(super) fn pct(p: Option<f64>) -> String {
    p.map(|p| format!("{}%", figure(p)))
        .unwrap_or_else(|| "–".to_owned())
}

/// The headline figures. `public`: responses and channels only (completion and time taken are
/// for staff).
#[component]
pub(super) fn Overview(results: Results, #[prop(optional)] public: bool) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let minutes = results.median_seconds.map(|s| {
        let s = s.round() as i64;
        locale.t_with(
            "results.duration",
            &[("m", &(s / 60).to_string()), ("s", &(s % 60).to_string())],
        )
    });
    view! {
        <dl class="figures">
            <div><dt>{t("results.responses")}</dt><dd>{count(results.responses, locale)}</dd></div>
            {(!public).then(|| view! {
                <div><dt>{t("results.completion")}</dt><dd>{pct(results.completion)}</dd></div>
                <div><dt>{t("results.median_time")}</dt><dd>{minutes.unwrap_or_else(|| "–".to_owned())}</dd></div>
            })}
        </dl>
        {(!results.channels.is_empty()).then(|| view! {
            <table class="table">
                <caption>{t("results.by_channel")}</caption>
                <thead><tr><th scope="col">{t("results.channel")}</th><th scope="col">{t("results.count")}</th></tr></thead>
                <tbody>
                    {results.channels.iter().map(|(_, label, n)| view! {
                        <tr><th scope="row">{label.clone()}</th><td>{count(*n, locale)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}

/// The summary a decision-maker reads first, and prints as a brief: the responses, each
/// trend's latest figure with its change since the round before (an arrow and words), and
/// each question's sentence.
#[component]
pub(super) fn Brief(results: Results) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let figures: Vec<(String, String, Option<String>, String)> = results
        .trends
        .iter()
        .filter_map(|trend| {
            let shown: Vec<(usize, f64)> = trend
                .values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i, v)))
                .collect();
            let &(at, last) = shown.last()?;
            let name =
                |i: usize| super::wave_name(&trend.waves, &trend.labels, trend.waves[i], locale);
            let change = shown.len().checked_sub(2).map(|k| {
                let (before_at, before) = shown[k];
                let delta = last - before;
                let key = if figure(delta.abs()) == figure(0.0) {
                    "results.change_same"
                } else if delta > 0.0 {
                    "results.change_up"
                } else {
                    "results.change_down"
                };
                locale.t_with(
                    key,
                    &[
                        ("by", &crate::numbers::ltr_number(figure(delta.abs()))),
                        ("since", &name(before_at)),
                    ],
                )
            });
            Some((
                format!("{} – {}", trend.text, trend.measure),
                crate::numbers::ltr_number(figure(last)),
                change,
                name(at),
            ))
        })
        .collect();
    view! {
        <section class="brief" aria-labelledby="brief-title">
            <h2 id="brief-title">{t("results.brief_title")}</h2>
            <dl class="figures brief-figures">
                <div><dt>{t("results.responses")}</dt><dd>{count(results.responses, locale)}</dd></div>
                {figures.into_iter().map(|(label, value, change, round)| view! {
                    <div>
                        <dt>{label}</dt>
                        <dd>{value} " " <span class="round">{round}</span></dd>
                        {change.map(|change| view! { <dd class="change">{change}</dd> })}
                    </div>
                }).collect_view()}
            </dl>
            <ul class="sentences">
                {results.questions.iter().filter(|q| !q.sentence.is_empty()).map(|q| view! {
                    <li><strong>{q.text.clone()}</strong> " " {q.sentence.clone()}</li>
                }).collect_view()}
            </ul>
            <p class="hint no-print">{t("results.brief_print")}</p>
        </section>
    }
}

/// Responses by stakeholder group against the targets, with under-represented groups flagged
/// in words (not colour alone). `public`: the groups and their shares only (targets are
/// internal).
#[component]
pub(super) fn Representation(
    groups: Vec<GroupShare>,
    #[prop(optional)] public: bool,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let under: Vec<String> = groups
        .iter()
        .filter(|g| g.under)
        .map(|g| g.label.clone())
        .collect();
    view! {
        <h2 id="representation">{t("results.representation")}</h2>
        {(!under.is_empty()).then(|| view! {
            <div class="notice notice-warning" role="status">
                <p>{locale.t_with("results.under_note", &[("groups", &locale.list(&under))])}</p>
            </div>
        })}
        <table class="table">
            <caption class="visually-hidden">{t("results.representation")}</caption>
            <thead><tr>
                <th scope="col">{t("results.group")}</th>
                <th scope="col">{t("results.count")}</th>
                <th scope="col">{t("results.share")}</th>
                {(!public).then(|| view! {
                    <th scope="col">{t("results.target")}</th>
                    <th scope="col">{t("results.status")}</th>
                })}
            </tr></thead>
            <tbody>
                {groups.into_iter().map(|g| view! {
                    <tr class:under=g.under>
                        <th scope="row">{g.label.clone()}</th>
                        <td>{count(g.n, locale)}</td>
                        <td>{pct(g.percent)}</td>
                        {(!public).then(|| view! {
                            <td>{g.target.map(|x| format!("{}%", figure(x))).unwrap_or_else(|| "–".to_owned())}</td>
                            <td>{if g.under { t("results.under") } else if g.target.is_some() { t("results.on_target") } else { String::new() }}</td>
                        })}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A question's result: heading, chart with its sentence as the text alternative, the data
/// table, and the SVG download.
#[component]
pub fn QuestionView(
    q: QuestionResult,
    download: Option<String>,
    text_link: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let heading = format!("result-{}", q.key);
    let labelled = heading.clone();
    let sentence_id = format!("sentence-{}", q.key);
    let has_chart = !q.chart.is_empty();
    view! {
        <section class="result" aria-labelledby=labelled>
            <h3 id=heading>{q.text.clone()}</h3>
            <p class="result-meta">{locale.t_with("results.answered", &[("n", &count(q.answered, locale))])}</p>
            <figure class="chart-figure">
                {has_chart.then(|| view! { <div class="chart" tabindex="0" role="img" aria-labelledby=sentence_id.clone() inner_html=q.chart.clone()></div> })}
                <figcaption id=sentence_id.clone()>{q.sentence.clone()}</figcaption>
            </figure>
            <SummaryTable summary=q.summary.clone() caption=q.text.clone()/>
            {has_chart.then(|| download.map(|href| view! {
                <p><a href=href download>{t("results.download_svg")}</a></p>
            }))}
            {text_link.map(|href| view! { <p><a href=href>{t("results.read_answers")}</a></p> })}
        </section>
    }
}

#[component]
fn SummaryTable(summary: Summary, caption: String) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let shares_caption = caption.clone();
    let shares = move |rows: Vec<Share>, head: String| {
        view! {
            <details class="data-table">
                <summary>{t("results.data_table")}</summary>
                <table class="table">
                    <caption class="visually-hidden">{shares_caption.clone()}</caption>
                    <thead><tr><th scope="col">{head}</th><th scope="col">{t("results.count")}</th><th scope="col">{t("results.percent")}</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|s| view! {
                            <tr><th scope="row">{s.label}</th><td>{count(s.n, locale)}</td><td>{pct(s.percent)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        }
    };
    let stat = |key: &str, x: Option<f64>| view! { <div><dt>{locale.t(key)}</dt><dd>{x.map(figure).unwrap_or_else(|| "–".into())}</dd></div> };
    match summary {
        Summary::Choices { options, .. } => shares(options, t("results.answer")).into_any(),
        Summary::Scale { points, mean, median, nps } => view! {
            <dl class="figures">
                {stat("results.mean", mean)}
                {stat("results.median", median)}
                {nps.map(|n| view! {
                    {stat("results.nps", Some(n.score))}
                    <div><dt>{t("results.promoters")}</dt><dd>{count(n.promoters, locale)}</dd></div>
                    <div><dt>{t("results.passives")}</dt><dd>{count(n.passives, locale)}</dd></div>
                    <div><dt>{t("results.detractors")}</dt><dd>{count(n.detractors, locale)}</dd></div>
                })}
            </dl>
            {shares(points, t("results.point"))}
        }
        .into_any(),
        Summary::Numeric { mean, median, min, max, bins } => view! {
            <dl class="figures">
                {stat("results.mean", mean)}
                {stat("results.median", median)}
                {stat("results.min", min)}
                {stat("results.max", max)}
            </dl>
            {shares(bins, t("results.range"))}
        }
        .into_any(),
        Summary::Matrix { scale, rows } => view! {
            <details class="data-table">
                <summary>{t("results.data_table")}</summary>
                <table class="table">
                    <caption class="visually-hidden">{caption.clone()}</caption>
                    <thead><tr><td></td>{scale.iter().map(|p| view! { <th scope="col">{p.clone()}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(label, counts)| view! {
                            <tr><th scope="row">{label}</th>{counts.into_iter().map(|n| view! { <td>{count(n, locale)}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        }
        .into_any(),
        Summary::Ranking { items } => view! {
            <details class="data-table">
                <summary>{t("results.data_table")}</summary>
                <table class="table">
                    <caption class="visually-hidden">{caption.clone()}</caption>
                    <thead><tr><th scope="col">{t("results.answer")}</th><th scope="col">{t("results.mean_rank")}</th></tr></thead>
                    <tbody>
                        {items.into_iter().map(|(label, mean)| view! {
                            <tr><th scope="row">{label}</th><td>{mean.map(figure).unwrap_or_else(|| "–".into())}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        }
        .into_any(),
        Summary::Text { .. } => ().into_any(),
    }
}

#[component]
pub(super) fn Trends(trends: Vec<Trend>) -> impl IntoView {
    let locale = use_locale();
    (!trends.is_empty()).then(|| {
        view! {
            <h2 id="trends">{locale.t("results.trends")}</h2>
            {trends.into_iter().map(|trend| view! { <TrendResult trend/> }).collect_view()}
        }
    })
}

/// One question's key figure per wave: its chart, the sentence saying what it shows, and the
/// figures as a table (outcome pages show their frozen indicator with it too).
#[component]
pub fn TrendResult(trend: Trend) -> impl IntoView {
    let locale = use_locale();
    let id = format!("trend-{}", trend.key);
    view! {
        <section class="result" aria-labelledby=format!("{id}-title")>
            <h3 id=format!("{id}-title")>{trend.text.clone()} " – " {trend.measure.clone()}</h3>
            <figure class="chart-figure">
                <div class="chart" tabindex="0" role="img" aria-labelledby=id.clone() inner_html=trend.chart.clone()></div>
                <figcaption id=id.clone()>{trend.sentence.clone()}</figcaption>
            </figure>
            <details class="data-table">
                <summary>{locale.t("results.data_table")}</summary>
                <table class="table">
                    <caption class="visually-hidden">{trend.text.clone()}</caption>
                    <thead><tr><th scope="col">{locale.t("results.wave")}</th><th scope="col">{trend.measure.clone()}</th></tr></thead>
                    <tbody>
                        {trend.waves.iter().zip(&trend.values).map(|(w, v)| view! {
                            <tr><th scope="row">{super::wave_name(&trend.waves, &trend.labels, *w, locale)}</th><td>{v.map(figure).unwrap_or_else(|| "–".into())}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </section>
    }
    .into_any()
}

/// `/{lang}/results/{key}`: a survey's public results, when its author publishes them.
#[component]
pub fn PublicResultsPage() -> impl IntoView {
    let locale = use_locale();
    let key = use_params_map().with_untracked(|p| p.get("key").unwrap_or_default());
    let wave =
        use_query_map().with_untracked(|q| q.get("wave").and_then(|w| w.parse::<i32>().ok()));
    let results = Resource::new(move || (), {
        let key = key.clone();
        move |_| load_public_results(key.clone(), locale, wave)
    });
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || {
                let key = key.clone();
                results.get().map(move |result| match result {
                    Ok(Some(r)) => view! { <PublicView r key wave/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <p class="error-message">{locale.t("results.load_failed")}</p> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn PublicView(r: Results, key: String, wave: Option<i32>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let base = format!("/{}/results/{key}", locale.code());
    let query = wave.map(|w| format!("?wave={w}")).unwrap_or_default();
    view! {
        <Title text=format!("{} – {}", t("results.public_title"), r.title)/>
        <h1>{t("results.public_title")} <span class="subtitle">{r.title.clone()}</span></h1>
        <p class="lead">{t("results.public_lead")}</p>
        {(!r.waves.is_empty()).then(|| view! {
            <form method="get" class="filter-form">
                <div class="field">
                    <label for="public-wave">{t("results.wave")}</label>
                    <select id="public-wave" name="wave">
                        <option value="">{t("results.all_waves")}</option>
                        {r.waves.iter().map(|w| view! {
                            <option value=w.to_string() selected=wave == Some(*w)>{super::wave_name(&r.waves, &r.wave_labels, *w, locale)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button">{t("results.apply")}</button>
            </form>
        })}
        <Overview results=r.clone() public=true/>
        <Representation groups=r.groups.clone() public=true/>
        <h2>{t("results.questions")}</h2>
        {r.questions.iter().filter(|q| !matches!(q.summary, Summary::Text { .. })).map(|q| view! {
            <QuestionView q=q.clone() download=Some(format!("{base}/charts/{}.svg{query}", q.key)) text_link=None/>
        }).collect_view()}
        <Trends trends=r.trends.clone()/>
        <p class="hint">{locale.t_with("results.suppression_note", &[("n", &super::rules::SMALL_CELL.to_string())])}</p>
        <p><a href=crate::outcomes::list_path(locale)>{t("results.outcomes_link")}</a></p>
    }
}
