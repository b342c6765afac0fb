//! The audit log page: administrators browse the newest entries and filter them by action.
//! The filter is a GET form, so it works without JavaScript and the URL can be shared.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{ACTIONS, AuditRow, audit_entries};
use crate::shell::use_locale;

#[component]
pub fn AuditPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let query = use_query_map();
    let action = Memo::new(move |_| {
        query
            .read()
            .get("action")
            .filter(|a| ACTIONS.contains(&a.as_str()))
    });
    let entries = Resource::new(move || action.get(), audit_entries);
    view! {
        <Title text=t("audit.title")/>
        <h1>{t("audit.title")}</h1>
        <p>{t("audit.lead")}</p>
        <form method="get" class="filter-form">
            <div class="field">
                <label for="audit-action">{t("audit.filter_action")}</label>
                <select id="audit-action" name="action">
                    <option value="">{t("audit.all_actions")}</option>
                    {ACTIONS.iter().map(|a| {
                        let selected = action.get_untracked().as_deref() == Some(*a);
                        view! { <option value=*a selected=selected>{locale.t(&format!("audit.action.{a}"))}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t("audit.apply")}</button>
        </form>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || entries.get().map(|result| match result {
                Ok(rows) if rows.is_empty() => view! { <p>{t("audit.empty")}</p> }.into_any(),
                Ok(rows) => view! { <AuditTable rows/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("audit.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AuditTable(rows: Vec<AuditRow>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    view! {
        <table class="table">
            <caption class="visually-hidden">{t("audit.title")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t("audit.when")}</th>
                    <th scope="col">{t("audit.who")}</th>
                    <th scope="col">{t("audit.what")}</th>
                    <th scope="col">{t("audit.entity")}</th>
                    <th scope="col">{t("audit.address")}</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr>
                        <td dir="ltr"><time datetime=crate::dates::in_uae(row.at).to_rfc3339()>{crate::dates::in_uae(row.at).format("%Y-%m-%d %H:%M").to_string()}</time></td>
                        <td dir="ltr">{row.actor.unwrap_or_else(|| t("audit.no_actor"))}</td>
                        <td>{locale.t(&format!("audit.action.{}", row.action))}</td>
                        <td dir="ltr"><code>{row.entity_id}</code></td>
                        <td dir="ltr">{row.address.unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
