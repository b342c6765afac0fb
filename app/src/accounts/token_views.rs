//! The API tokens page: a staff member makes personal tokens for `/api/v1`, sees each new one
//! once, and revokes them. Making a token is a plain form (handled in
//! `server/src/http/accounts/tokens.rs`); revoking is a server function behind an `ActionForm`, which
//! posts like a plain form without JavaScript and, with it, updates the table in place (the
//! table is an island).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;

use super::tokens::{ApiToken, DEFAULT_LIFETIME, LIFETIMES, RevokeToken, TokenStatus, list_tokens};
use crate::page_state::use_page_state;
use crate::shell::forms::{CsrfField, ErrorSummary, TextField, title_with_errors};
use crate::shell::use_locale;

#[component]
pub fn TokensPage() -> impl IntoView {
    let locale = use_locale();
    let state = use_page_state();
    let feedback = state.feedback.clone();
    let csrf = state.csrf.clone();
    let tokens = Resource::new(|| (), |_| list_tokens());
    let t = move |key: &str| locale.t(key);
    let title = t("tokens.title");
    let revealed = feedback.revealed.clone();
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <h1>{title}</h1>
        <p>{t("tokens.lead")}</p>
        {revealed.map(|secret| view! { <NewToken secret/> })}
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || tokens.get().map(|result| match result {
                Ok(tokens) if tokens.is_empty() => view! { <p>{t("tokens.none")}</p> }.into_any(),
                Ok(tokens) => view! { <TokenTable tokens csrf=csrf.clone() locale/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("tokens.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
        <h2 id="new-token-title">{t("tokens.add_title")}</h2>
        <form method="post" action=format!("/{}/staff/tokens", locale.code()) novalidate class="narrow">
            <CsrfField/>
            <TextField name="name" label=t("tokens.name") hint=t("tokens.name_hint")
                autocomplete="off" required=true feedback=feedback.clone()/>
            <LifetimeChoice chosen=feedback.value("lifetime")/>
            <button type="submit" class="button">{t("tokens.add_submit")}</button>
        </form>
    }
}

/// The new token, shown once, in a read-only field that is easy to select and copy.
#[component]
fn NewToken(secret: String) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    view! {
        <section class="notice" role="status" aria-labelledby="made-token-title">
            <h2 id="made-token-title">{t("tokens.made_title")}</h2>
            <p>{t("tokens.made_lead")}</p>
            <div class="field">
                <label for="made-token">{t("tokens.made_label")}</label>
                <input id="made-token" class="token-value" type="text" readonly dir="ltr"
                    spellcheck="false" autocomplete="off" value=secret/>
            </div>
            <p class="hint">{t("tokens.made_usage")}</p>
        </section>
    }
}

#[component]
fn LifetimeChoice(chosen: String) -> impl IntoView {
    let locale = use_locale();
    let chosen = if chosen.is_empty() {
        DEFAULT_LIFETIME.to_owned()
    } else {
        chosen
    };
    view! {
        <div class="field">
            <label for="field-lifetime">{locale.t("tokens.lifetime")}</label>
            <select id="field-lifetime" name="lifetime">
                {LIFETIMES.iter().map(|(code, _)| {
                    let selected = chosen == *code;
                    view! {
                        <option value=*code selected=selected>{locale.t(&format!("tokens.lifetime_{code}"))}</option>
                    }
                }).collect_view()}
            </select>
        </div>
    }
}

fn day(at: DateTime<Utc>) -> String {
    crate::dates::in_uae(at).format("%Y-%m-%d").to_string()
}

/// The tokens with their revoke buttons. An island: revoking updates the row in place.
#[island]
fn TokenTable(tokens: Vec<ApiToken>, csrf: String, locale: crate::Locale) -> impl IntoView {
    // Islands do not see the page's context in the browser: what they need comes as props.
    provide_context(locale);
    let t = move |key: &str| locale.t(key);
    let now = Utc::now();
    // The outcome of the latest revocation, announced in the status line.
    let outcome = RwSignal::new(None::<bool>);
    view! {
        <div role="status" class="status-line">
            {move || match outcome.get() {
                Some(true) => t("tokens.revoked"),
                Some(false) => t("tokens.revoke_failed"),
                None => String::new(),
            }}
        </div>
        <table class="table">
            <caption class="visually-hidden">{t("tokens.title")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t("tokens.name")}</th>
                    <th scope="col">{t("tokens.starts_with")}</th>
                    <th scope="col">{t("tokens.created")}</th>
                    <th scope="col">{t("tokens.expires")}</th>
                    <th scope="col">{t("tokens.last_used")}</th>
                    <th scope="col">{t("tokens.status")}</th>
                    <th scope="col"><span class="visually-hidden">{t("tokens.actions")}</span></th>
                </tr>
            </thead>
            <tbody>
                {tokens.into_iter().map(|token| {
                    let status = token.status(now);
                    let label = locale.t_with("tokens.revoke_named", &[("name", &token.name)]);
                    let csrf = csrf.clone();
                    let name = token.name.clone();
                    let revoke = ServerAction::<RevokeToken>::new();
                    let done = move || revoke.value().get().is_some_and(|r| r.is_ok());
                    Effect::new(move |_| {
                        if let Some(result) = revoke.value().get() {
                            outcome.set(Some(result.is_ok()));
                        }
                    });
                    view! {
                        <tr>
                            <td>{name}</td>
                            <td dir="ltr"><code>{format!("{}…", token.prefix)}</code></td>
                            <td dir="ltr">{day(token.created_at)}</td>
                            <td dir="ltr">{token.expires_at.map(day).unwrap_or_else(|| t("tokens.never"))}</td>
                            <td dir="ltr">{token.last_used_at.map(day).unwrap_or_else(|| t("tokens.not_used"))}</td>
                            <td>{move || if done() { t(TokenStatus::Revoked.label_key()) } else { t(status.label_key()) }}</td>
                            <td>
                                {move || (status == TokenStatus::Active && !done()).then(|| {
                                    let (csrf, label, id) = (csrf.clone(), label.clone(), token.id.to_string());
                                    view! {
                                        <ActionForm action=revoke attr:class="inline-form">
                                            <input type="hidden" name="csrf" value=csrf/>
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" class="button button-secondary" aria-label=label>
                                                {t("tokens.revoke")}
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                            </td>
                        </tr>
                    }
                }).collect::<Vec<_>>()}
            </tbody>
        </table>
    }
}
