//! Staff results pages: the dashboard (filters, representativeness, every question's summary,
//! trends, crosstab, exports, settings) and the written answers with search. The pieces the
//! public page shares are in `views`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::summary::figure;
use super::views::{Brief, Overview, QuestionView, Representation, Trends, pct};
use super::{Crosstab, Dashboard, Summary, TEXT_PAGE, load_dashboard, load_text_answers};
use crate::page_state::use_page_state;
use crate::responses::Channel;
use crate::shell::forms::{CsrfField, ErrorSummary};
use crate::shell::{NotFound, use_locale};
use crate::surveys::StakeholderGroup;

/// The query string of the current filter, to carry into chart downloads.
fn query_string(pairs: &[(String, String)]) -> String {
    let encoded: Vec<String> = pairs
        .iter()
        .filter(|(k, v)| !v.is_empty() && k != "row" && k != "col")
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::text::urlencode(k),
                crate::text::urlencode(v)
            )
        })
        .collect();
    if encoded.is_empty() {
        String::new()
    } else {
        format!("?{}", encoded.join("&"))
    }
}

/// `/{lang}/staff/surveys/{id}/results`: the dashboard.
#[component]
pub fn ResultsPage() -> impl IntoView {
    let locale = use_locale();
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let Some(id) = id else {
        return view! { <NotFound/> }.into_any();
    };
    let pairs: Vec<(String, String)> = use_query_map().with_untracked(|q| {
        ["wave", "group", "channel", "from", "to", "qv", "row", "col"]
            .iter()
            .flat_map(|name| {
                q.get_all(name)
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |v| ((*name).to_owned(), v))
            })
            .collect()
    });
    let query = pairs.clone();
    let dashboard = Resource::new(
        move || (),
        move |_| load_dashboard(id, locale, query.clone()),
    );
    view! {
        <Suspense fallback=move || view! { <p>{locale.t("form.loading")}</p> }>
            {move || {
                let pairs = pairs.clone();
                dashboard.get().map(move |result| match result {
                    Ok(Some(d)) => view! { <DashboardView d id pairs/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <p class="error-message">{locale.t("results.load_failed")}</p> }.into_any(),
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
fn DashboardView(d: Dashboard, id: Uuid, pairs: Vec<(String, String)>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let staff = format!("/{}/staff/surveys/{id}", locale.code());
    let results = d.results.clone();
    let title = format!("{} – {}", t("results.title"), results.title);
    let downloads = format!("{staff}/results/charts");
    let query = query_string(&pairs);
    let feedback = use_page_state().feedback;
    view! {
        <Title text=title/>
        <p><a href=staff.clone()>{t("responses.back_to_survey")}</a></p>
        <h1>{t("results.title")} <span class="subtitle">{results.title.clone()}</span></h1>
        <ErrorSummary feedback=feedback.clone()/>
        {(!d.bad.is_empty()).then(|| view! {
            <div class="notice" role="status"><p>{t("results.bad_filter")}</p></div>
        })}
        <Brief results=results.clone()/>
        <Trends trends=results.trends.clone()/>
        <details class="filters no-print" open=d.filter != Default::default() || !d.bad.is_empty()>
            <summary>{t("results.filter_title")}</summary>
            <FilterForm d=d.clone()/>
        </details>
        <div class="no-print">
        <Overview results=results.clone()/>
        <Representation groups=results.groups.clone()/>
        <h2 id="questions">{t("results.questions")}</h2>
        {results.questions.iter().map(|q| {
            let text_link = matches!(q.summary, Summary::Text { listable: true })
                .then(|| format!("{staff}/results/text/{}", q.key));
            view! { <QuestionView q=q.clone() download=Some(format!("{downloads}/{}.svg{query}", q.key)) text_link/> }
        }).collect_view()}
        <CrosstabForm d=d.clone()/>
        {d.crosstab.clone().map(|c| view! { <CrosstabTable c/> })}
        <h2>{t("results.exports")}</h2>
        <p>{t("results.exports_help")}</p>
        <ul class="export-links">
            <li><a href=format!("{staff}/results/export.csv") download>{t("results.export_csv")}</a></li>
            <li><a href=format!("{staff}/results/export.xlsx") download>{t("results.export_xlsx")}</a></li>
            <li><a href=format!("{staff}/results/export.json") download>{t("results.export_json")}</a></li>
            <li><a href=format!("{staff}/results/codebook.csv") download>{t("results.export_codebook")}</a></li>
        </ul>
        {results.public.then(|| view! {
            <p><a href=format!("/{}/results/{}", locale.code(), d.key)>{t("results.public_link")}</a></p>
        })}
        {d.may_author.then(|| view! { <SettingsForm d=d.clone() staff=staff.clone()/> })}
        </div>
    }
}

#[component]
fn FilterForm(d: Dashboard) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let f = d.filter.clone();
    let answer = f
        .question
        .clone()
        .zip(f.value.clone())
        .map(|(q, v)| format!("{q}={v}"));
    let day = |d: Option<chrono::NaiveDate>| {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    view! {
        <form method="get" class="filter-form results-filter" aria-labelledby="filter-title">
            <h2 id="filter-title" class="visually-hidden">{t("results.filter_title")}</h2>
            {(!d.results.waves.is_empty()).then(|| view! {
                <div class="field">
                    <label for="filter-wave">{t("results.wave")}</label>
                    <select id="filter-wave" name="wave">
                        <option value="">{t("results.all_waves")}</option>
                        {d.results.waves.iter().map(|w| {
                            let selected = f.wave == Some(*w);
                            let name = super::wave_name(&d.results.waves, &d.results.wave_labels, *w, locale);
                            view! { <option value=w.to_string() selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <fieldset class="field">
                <legend>{t("results.group")}</legend>
                {StakeholderGroup::ALL.iter().map(|g| {
                    let id = format!("filter-group-{}", g.code());
                    let checked = f.groups.iter().any(|x| x == g.code());
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=id.clone() name="group" value=g.code() checked=checked/>
                            <label for=id>{locale.t(&g.label_key())}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset class="field">
                <legend>{t("results.channel")}</legend>
                {Channel::ALL.iter().map(|c| {
                    let id = format!("filter-channel-{}", c.code());
                    let checked = f.channels.iter().any(|x| x == c.code());
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=id.clone() name="channel" value=c.code() checked=checked/>
                            <label for=id>{locale.t(&c.label_key())}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="filter-from">{t("results.from")}</label>
                <input type="date" id="filter-from" name="from" value=day(f.from)/>
            </div>
            <div class="field">
                <label for="filter-to">{t("results.to")}</label>
                <input type="date" id="filter-to" name="to" value=day(f.to)/>
            </div>
            <div class="field">
                <label for="filter-answer">{t("results.answer_filter")}</label>
                <select id="filter-answer" name="qv">
                    <option value="">{t("results.any_answer")}</option>
                    {d.choice_questions.iter().map(|(key, text, values)| view! {
                        <optgroup label=text.clone()>
                            {values.iter().map(|(value, label)| {
                                let code = format!("{key}={value}");
                                let selected = answer.as_deref() == Some(code.as_str());
                                view! { <option value=code selected=selected>{label.clone()}</option> }
                            }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t("results.apply")}</button>
            " "
            <a class="button button-secondary" href="?">{t("results.clear")}</a>
        </form>
    }
}

#[component]
fn CrosstabForm(d: Dashboard) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let options = move |selected: String| {
        let dims = [
            ("group", t("results.group")),
            ("channel", t("results.channel")),
            ("wave", t("results.wave")),
        ];
        view! {
            <option value="">{t("results.choose")}</option>
            {dims.into_iter().map(|(v, l)| view! { <option value=v selected=selected == v>{l}</option> }).collect_view()}
            {d.choice_questions.iter().map(|(key, text, _)| view! {
                <option value=key.clone() selected=selected == *key>{text.clone()}</option>
            }).collect_view()}
        }
    };
    let carried: Vec<(String, String)> = {
        let f = &d.filter;
        let mut out: Vec<(String, String)> = Vec::new();
        out.extend(f.wave.map(|w| ("wave".to_owned(), w.to_string())));
        out.extend(f.groups.iter().map(|g| ("group".to_owned(), g.clone())));
        out.extend(f.channels.iter().map(|c| ("channel".to_owned(), c.clone())));
        out.extend(f.from.map(|d| ("from".to_owned(), d.to_string())));
        out.extend(f.to.map(|d| ("to".to_owned(), d.to_string())));
        out.extend(
            f.question
                .clone()
                .zip(f.value.clone())
                .map(|(q, v)| ("qv".to_owned(), format!("{q}={v}"))),
        );
        out
    };
    view! {
        <h2 id="crosstab">{t("results.crosstab")}</h2>
        <form method="get" class="filter-form" action="#crosstab-table">
            {carried.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
            <div class="field">
                <label for="crosstab-row">{t("results.rows")}</label>
                <select id="crosstab-row" name="row">{options(d.row.clone())}</select>
            </div>
            <div class="field">
                <label for="crosstab-col">{t("results.columns")}</label>
                <select id="crosstab-col" name="col">{options(d.col.clone())}</select>
            </div>
            <button type="submit" class="button">{t("results.show_crosstab")}</button>
        </form>
    }
}

#[component]
fn CrosstabTable(c: Crosstab) -> impl IntoView {
    let locale = use_locale();
    let caption = locale.t_with(
        "results.crosstab_caption",
        &[("rows", &c.row_title), ("columns", &c.column_title)],
    );
    view! {
        <div class="table-scroll" id="crosstab-table" tabindex="0" role="region" aria-label=caption.clone()>
            <table class="table crosstab">
                <caption>{caption.clone()}</caption>
                <thead><tr>
                    <td></td>
                    {c.columns.iter().map(|l| view! { <th scope="col">{l.clone()}</th> }).collect_view()}
                    <th scope="col">{locale.t("results.total")}</th>
                </tr></thead>
                <tbody>
                    {c.rows.into_iter().map(|(label, counts, total)| view! {
                        <tr>
                            <th scope="row">{label}</th>
                            {counts.into_iter().map(|n| view! {
                                <td>{n} <span class="row-percent">" (" {pct(Some(super::rules::percent(n, total)))} ")"</span></td>
                            }).collect_view()}
                            <td>{total}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="hint">{locale.t("results.crosstab_help")}</p>
    }
}

#[component]
fn SettingsForm(d: Dashboard, staff: String) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    view! {
        <h2 id="settings">{t("results.settings")}</h2>
        <form method="post" action=format!("{staff}/results/settings") novalidate>
            <CsrfField/>
            <div class="choice field">
                <input type="checkbox" id="field-public" name="public" value="1" checked=d.results.public/>
                <label for="field-public">{t("results.public_label")}</label>
            </div>
            <p class="hint">{t("results.public_hint")}</p>
            <fieldset class="field">
                <legend>{t("results.targets")}</legend>
                <p class="hint" id="targets-hint">{t("results.targets_hint")}</p>
                {StakeholderGroup::ALL.iter().map(|g| {
                    let name = format!("target_{}", g.code());
                    let id = format!("field-{name}");
                    let error = feedback.error(&name).map(|key| locale.t(&key));
                    let error_id = format!("{id}-error");
                    let value = feedback.kept(&name).unwrap_or_else(|| {
                        d.results.groups.iter().find(|s| s.group == g.code()).and_then(|s| s.target).map(figure).unwrap_or_default()
                    });
                    let described = if error.is_some() { format!("targets-hint {error_id}") } else { "targets-hint".to_owned() };
                    view! {
                        <div class="field" class:field-error=error.is_some()>
                            <label for=id.clone()>{locale.t(&g.label_key())}</label>
                            {error.clone().map(|m| view! { <p class="error-message" id=error_id.clone()><span class="visually-hidden">{t("form.error_prefix")}</span>{m}</p> })}
                            <input type="text" inputmode="decimal" id=id name=name value=value class="input-short"
                                aria-invalid=error.as_ref().map(|_| "true") aria-describedby=described/>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" class="button">{t("results.save_settings")}</button>
        </form>
    }
}

/// `/{lang}/staff/surveys/{id}/results/text/{question}`: the written answers, with search.
#[component]
pub fn TextAnswersPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let params = use_params_map().get_untracked();
    let id = params.get("id").and_then(|id| id.parse::<Uuid>().ok());
    let question = params.get("question").unwrap_or_default();
    let query = use_query_map().get_untracked();
    let search = query.get("search").unwrap_or_default();
    let page = query
        .get("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(0)
        .min(10_000);
    let Some(id) = id else {
        return view! { <NotFound/> }.into_any();
    };
    let answers = Resource::new(move || (), {
        let (question, search) = (question.clone(), search.clone());
        move |_| load_text_answers(id, question.clone(), locale, search.clone(), page)
    });
    let back = format!("/{}/staff/surveys/{id}/results", locale.code());
    view! {
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || {
                let back = back.clone();
                answers.get().map(move |result| match result {
                    Ok(Some(a)) => {
                        let next = a.more.then(|| format!("?search={}&page={}", crate::text::urlencode(&a.search), a.page + 1));
                        let previous = (a.page > 0).then(|| format!("?search={}&page={}", crate::text::urlencode(&a.search), a.page - 1));
                        view! {
                            <Title text=format!("{} – {}", t("results.text_title"), a.question)/>
                            <p><a href=back.clone()>{t("results.back")}</a></p>
                            <h1>{t("results.text_title")} <span class="subtitle">{a.question.clone()}</span></h1>
                            <form method="get" class="filter-form" role="search">
                                <div class="field">
                                    <label for="text-search">{t("results.search")}</label>
                                    <p class="hint" id="text-search-hint">{t("results.search_hint")}</p>
                                    <input type="search" id="text-search" name="search" value=a.search.clone() aria-describedby="text-search-hint"/>
                                </div>
                                <button type="submit" class="button">{t("results.search_button")}</button>
                            </form>
                            {if a.answers.is_empty() {
                                view! { <p>{t("results.no_text")}</p> }.into_any()
                            } else {
                                view! {
                                    <ol class="text-answers" start=(a.page * TEXT_PAGE + 1).to_string()>
                                        {a.answers.iter().map(|(day, text)| view! {
                                            <li><p>{text.clone()}</p><p class="hint"><time datetime=day.clone()>{day.clone()}</time></p></li>
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                            <nav class="pager" aria-label=t("results.pages")>
                                {previous.map(|href| view! { <a href=href rel="prev">{t("results.previous")}</a> })}
                                " "
                                {next.map(|href| view! { <a href=href rel="next">{t("results.next")}</a> })}
                            </nav>
                        }.into_any()
                    }
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <p class="error-message">{t("results.load_failed")}</p> }.into_any(),
                })
            }}
        </Suspense>
    }
    .into_any()
}
