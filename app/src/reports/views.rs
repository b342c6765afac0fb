//! `/{lang}/staff/reports`: the impact-review report for a period (a GET form with shortcuts
//! for the last month, quarter and year), shown on the page (`super::body::ReportBody`) and
//! offered as a PDF and a standalone HTML file.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::body::ReportBody;
use super::{Period, Preset, Shown, report_for_period, reports_path};
use crate::page_state::FormFeedback;
use crate::shell::forms::{ErrorSummary, TextField};
use crate::shell::use_locale;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let (from, to, pdf_failed) = use_query_map().with_untracked(|q| {
        (
            q.get("from"),
            q.get("to"),
            q.get("pdf").as_deref() == Some("failed"),
        )
    });
    let asked = (from.clone(), to.clone());
    let shown = Resource::new(
        move || asked.clone(),
        |(from, to)| report_for_period(from, to),
    );
    let title = t("reports.title");
    view! {
        <Title text=title.clone()/>
        <div class="no-print">
            <h1>{title}</h1>
            <p class="lead">{t("reports.lead")}</p>
            <p><a href=super::periodic::periodic_path(locale)>{t("reports.periodic_link")}</a></p>
            {pdf_failed.then(|| view! { <p class="notice notice-warning" role="alert">{t("reports.pdf_unavailable")}</p> })}
        </div>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(Shown::Form(period)) => view! {
                    <PeriodForm from=period.from.to_string() to=period.to.to_string() feedback=FormFeedback::default()/>
                }.into_any(),
                Ok(Shown::Invalid(problems)) => {
                    let feedback = FormFeedback { errors: problems, ..FormFeedback::default() };
                    view! {
                        <ErrorSummary feedback=feedback.clone()/>
                        <PeriodForm from=from.clone().unwrap_or_default() to=to.clone().unwrap_or_default() feedback/>
                    }.into_any()
                }
                Ok(Shown::Report(report)) => {
                    let period = report.period;
                    view! {
                        <PeriodForm from=period.from.to_string() to=period.to.to_string() feedback=FormFeedback::default()/>
                        <Downloads period/>
                        <ReportBody report=*report locale base=String::new()/>
                    }.into_any()
                }
                Err(_) => view! { <p class="error-message">{t("reports.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// The period form, with links to the last complete month, quarter and year.
#[component]
fn PeriodForm(from: String, to: String, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let today = crate::dates::in_uae(chrono::Utc::now()).date_naive();
    let presets = Preset::ALL
        .iter()
        .map(|preset| {
            let p = preset.before(today);
            let href = format!("{}?from={}&to={}", reports_path(locale), p.from, p.to);
            view! { <li><a href=href>{t(&format!("reports.preset.{}", preset.code()))}</a></li> }
        })
        .collect_view();
    view! {
        <form method="get" action=reports_path(locale) class="filter-form no-print" aria-labelledby="period-title">
            <h2 id="period-title" class="visually-hidden">{t("reports.period_title")}</h2>
            <TextField name="from" kind="date" label=t("reports.field.from") hint=t("reports.hint.day") value=from feedback=feedback.clone()/>
            <TextField name="to" kind="date" label=t("reports.field.to") hint=t("reports.hint.day") value=to feedback/>
            <button type="submit" class="button">{t("reports.make")}</button>
        </form>
        <nav class="no-print" aria-label=t("reports.presets_label")>
            <ul class="inline-list">{presets}</ul>
        </nav>
    }
}

/// Links to the same report as a PDF and as an HTML file.
#[component]
fn Downloads(period: Period) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let href = |format: &str| {
        format!(
            "{}/impact.{format}?from={}&to={}",
            reports_path(locale),
            period.from,
            period.to
        )
    };
    view! {
        <ul class="export-links no-print">
            <li><a href=href("pdf") download="">{t("reports.download_pdf")}</a></li>
            <li><a href=href("html") download="">{t("reports.download_html")}</a></li>
        </ul>
    }
}
