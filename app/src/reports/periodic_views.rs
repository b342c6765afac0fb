//! `/{lang}/staff/reports/periodic`: the reports sent to the concerned bodies every month,
//! quarter or year (administrators add and stop schedules), and the archive of every report
//! made, to download as a PDF or an HTML file.

use leptos::prelude::*;
use leptos_meta::Title;

use super::periodic::{Archived, Schedule, archived_path, periodic_path, periodic_reports};
use super::reports_path;
use crate::page_state::{FormFeedback, use_page_state};
use crate::shell::forms::{CsrfField, ErrorSummary, RadioGroup, TextArea, title_with_errors};
use crate::shell::use_locale;

#[component]
pub fn PeriodicReportsPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let periodic = Resource::new(|| (), |_| periodic_reports());
    // After a form: `?done=scheduled` or `?done=stopped`.
    let done = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("done"))
        .filter(|d| d == "scheduled" || d == "stopped");
    let title = t("reports.periodic.title");
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <h1>{title}</h1>
        <p class="lead">{t("reports.periodic.lead")}</p>
        {done.map(|done| view! { <div class="notice" role="status">{t(&format!("reports.periodic.{done}"))}</div> })}
        <p><a href=reports_path(locale)>{t("reports.periodic.any_period")}</a></p>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || periodic.get().map(|result| match result {
                Ok(periodic) => {
                    let may = periodic.may_schedule;
                    view! {
                        <Schedules schedules=periodic.schedules may_stop=may/>
                        {may.then(|| view! { <ScheduleForm feedback=feedback.clone()/> })}
                        <ArchiveList archive=periodic.archive/>
                    }.into_any()
                }
                Err(_) => view! { <p class="error-message">{t("reports.periodic.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
}

fn cadence_label(locale: crate::Locale, cadence: &str) -> String {
    locale.t(&format!("reports.periodic.cadence.{cadence}"))
}

fn language_label(locale: crate::Locale, lang: &str) -> String {
    locale.t(&format!("reports.periodic.language.{lang}"))
}

#[component]
fn Schedules(schedules: Vec<Schedule>, may_stop: bool) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    if schedules.is_empty() {
        return view! {
            <h2 id="schedules">{t("reports.periodic.schedules")}</h2>
            <p>{t("reports.periodic.none_scheduled")}</p>
        }
        .into_any();
    }
    let stop_path = format!("{}/stop", periodic_path(locale));
    let items = schedules
        .into_iter()
        .map(|schedule| {
            let cadence = cadence_label(locale, &schedule.cadence);
            let heading = locale.t_with(
                "reports.periodic.schedule_heading",
                &[("cadence", &cadence), ("language", &language_label(locale, &schedule.lang))],
            );
            let next = locale.t_with(
                "reports.periodic.next_line",
                &[
                    ("from", &crate::dates::day_text(locale, schedule.next.from)),
                    ("to", &crate::dates::day_text(locale, schedule.next.to)),
                    (
                        "made",
                        &crate::dates::day_text(locale, schedule.next.to + chrono::Duration::days(1)),
                    ),
                ],
            );
            let stop_label = locale.t_with("reports.periodic.stop_named", &[("cadence", &cadence)]);
            let heading_id = format!("schedule-{}", schedule.id.simple());
            view! {
                <li class="card">
                    <h3 id=heading_id>{heading}</h3>
                    <dl>
                        <dt>{t("reports.periodic.field.recipients")}</dt>
                        <dd><ul class="plain-list">{schedule.recipients.into_iter().map(|to| view! { <li dir="ltr" class="address">{to}</li> }).collect_view()}</ul></dd>
                        <dt>{t("reports.periodic.next")}</dt>
                        <dd>{next}</dd>
                    </dl>
                    {may_stop.then(|| view! {
                        <form method="post" action=stop_path.clone()>
                            <CsrfField/>
                            <input type="hidden" name="schedule" value=schedule.id.to_string()/>
                            <button type="submit" class="button button-danger-quiet" aria-label=stop_label>{t("reports.periodic.stop")}</button>
                        </form>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <h2 id="schedules">{t("reports.periodic.schedules")}</h2>
        <ul class="plain-list schedules" aria-labelledby="schedules">{items}</ul>
    }
    .into_any()
}

/// Administrators schedule a report: how often, in which language, to whom.
#[component]
fn ScheduleForm(feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let cadences = ["month", "quarter", "year"]
        .into_iter()
        .map(|c| (c.to_owned(), cadence_label(locale, c)))
        .collect();
    let languages = ["ar", "en"]
        .into_iter()
        .map(|l| (l.to_owned(), language_label(locale, l)))
        .collect();
    view! {
        <h2 id="new-schedule">{t("reports.periodic.add_title")}</h2>
        <form method="post" action=periodic_path(locale) novalidate class="narrow" aria-labelledby="new-schedule">
            <CsrfField/>
            <RadioGroup name="cadence" legend=t("reports.periodic.field.cadence") options=cadences value="quarter" feedback=feedback.clone()/>
            <RadioGroup name="lang" legend=t("reports.periodic.field.lang") options=languages value=locale.code() feedback=feedback.clone()/>
            <TextArea name="recipients" label=t("reports.periodic.field.recipients") hint=t("reports.periodic.hint.recipients") feedback/>
            <button type="submit" class="button">{t("reports.periodic.add")}</button>
        </form>
    }
}

#[component]
fn ArchiveList(archive: Vec<Archived>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    if archive.is_empty() {
        return view! {
            <h2 id="archive">{t("reports.periodic.archive")}</h2>
            <p>{t("reports.periodic.archive_empty")}</p>
        }
        .into_any();
    }
    let rows = archive
        .into_iter()
        .map(|report| {
            let period = locale.t_with(
                "reports.periodic.period_line",
                &[
                    ("from", &crate::dates::day_text(locale, report.period.from)),
                    ("to", &crate::dates::day_text(locale, report.period.to)),
                ],
            );
            let named = |key: &str| locale.t_with(key, &[("period", &period)]);
            let (pdf_label, html_label) = (
                named("reports.periodic.download_pdf_named"),
                named("reports.periodic.download_html_named"),
            );
            view! {
                <tr>
                    <th scope="row">{period.clone()}</th>
                    <td>{cadence_label(locale, &report.cadence)}</td>
                    <td>{language_label(locale, &report.lang)}</td>
                    <td>{crate::dates::when_text(locale, report.created_at)}</td>
                    <td>
                        <ul class="inline-list">
                            {report.has_pdf.then(|| view! {
                                <li><a href=archived_path(locale, report.id, "pdf") download="" aria-label=pdf_label>{t("reports.periodic.pdf")}</a></li>
                            })}
                            <li><a href=archived_path(locale, report.id, "html") download="" aria-label=html_label>{t("reports.periodic.html")}</a></li>
                        </ul>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 id="archive">{t("reports.periodic.archive")}</h2>
        <div class="table-scroll" tabindex="0">
            <table>
                <caption class="visually-hidden">{t("reports.periodic.archive")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("reports.periodic.period")}</th>
                        <th scope="col">{t("reports.periodic.field.cadence")}</th>
                        <th scope="col">{t("reports.periodic.field.lang")}</th>
                        <th scope="col">{t("reports.periodic.made_on")}</th>
                        <th scope="col">{t("reports.periodic.files")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
