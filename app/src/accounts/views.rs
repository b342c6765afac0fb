//! Sign-in, the staff dashboard, user administration, password change and the 403 page.
//! Every form is a plain HTML form posting to the page's own URL (handled in
//! `server/src/http/accounts/forms.rs`), so it works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{Permission, Role, list_users};
use crate::page_state::use_page_state;
use crate::shell::forms::{CsrfField, ErrorSummary, TextField, title_with_errors};
use crate::shell::use_locale;

#[component]
pub fn LoginPage() -> impl IntoView {
    let locale = use_locale();
    let feedback = use_page_state().feedback;
    let next = use_query_map()
        .with_untracked(|q| q.get("next"))
        .unwrap_or_default();
    let next = if feedback.value("next").is_empty() {
        next
    } else {
        feedback.value("next")
    };
    let title = locale.t("login.title");
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <div class="narrow">
            <ErrorSummary feedback=feedback.clone()/>
            <h1>{title}</h1>
            <form method="post" action=format!("/{}/login", locale.code()) novalidate>
                <CsrfField/>
                <input type="hidden" name="next" value=next/>
                <TextField name="email" kind="email" label=locale.t("login.email")
                    autocomplete="username" required=true feedback=feedback.clone()/>
                <TextField name="password" kind="password" label=locale.t("login.password")
                    autocomplete="current-password" required=true feedback=feedback.clone()/>
                <button type="submit" class="button">{locale.t("login.submit")}</button>
            </form>
        </div>
    }
}

/// The 403 page: shown in place of a page the visitor's roles do not open.
#[component]
pub fn Forbidden() -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <Title text=locale.t("forbidden.title")/>
        <h1>{locale.t("forbidden.title")}</h1>
        <p>{locale.t("forbidden.lead")}</p>
        <p><a href=format!("/{}/staff", locale.code())>{locale.t("forbidden.back")}</a></p>
    }
}

#[component]
pub fn StaffDashboard(
    /// What the visitor's roles work on first, above the cards (`pages::staff_home`).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let locale = use_locale();
    let user = use_page_state().user;
    let t = move |key: &str| locale.t(key);
    view! {
        <Title text=t("staff.title")/>
        <h1>{t("staff.title")}</h1>
        {user.map(move |user| {
            let roles = locale.list(user.roles.iter().map(|r| locale.t(&r.label_key())));
            let admin = user.can(Permission::ManageUsers);
            let reads_opportunities = user.can(Permission::ReadSurveys);
            let handles_feedback = user.can(Permission::HandleFeedback);
            let reads_figures = user.can(Permission::ReadFeedbackFigures);
            let reads_results = user.can(Permission::ReadResults);
            let enters_responses = user.can(Permission::CollectResponses);
            let moderates = user.can(Permission::Moderate);
            view! {
                <p>{locale.t_with("staff.signed_in_as", &[("name", &user.display_name), ("email", &user.email)])}</p>
                <p>{t("staff.your_roles")} " " {roles}</p>
                {children.map(|children| children())}
                <ul class="cards">
                    {handles_feedback.then(|| view! {
                        <li class="card">
                            <h2><a href=format!("/{}/staff/feedback", locale.code())>{t("feedback.staff_title")}</a></h2>
                            <p>{t("staff.feedback_blurb")}</p>
                        </li>
                    })}
                    {moderates.then(|| view! {
                        <li class="card">
                            <h2><a href=crate::moderation::queue_path(locale)>{t("moderation.title")}</a></h2>
                            <p>{t("staff.moderation_blurb")}</p>
                        </li>
                    })}
                    {enters_responses.then(|| view! {
                        <li class="card">
                            <h2><a href=format!("/{}/staff/enter", locale.code())>{t("responses.enter_list_title")}</a></h2>
                            <p>{t("staff.enter_blurb")}</p>
                        </li>
                    })}
                    {reads_figures.then(|| view! {
                        <li class="card">
                            <h2><a href=format!("/{}/staff/feedback/figures", locale.code())>{t("feedback.figures_title")}</a></h2>
                            <p>{t("staff.figures_blurb")}</p>
                        </li>
                    })}
                    {admin.then(|| view! {
                        <li class="card">
                            <h2><a href=format!("/{}/staff/users", locale.code())>{t("users.title")}</a></h2>
                            <p>{t("staff.users_blurb")}</p>
                        </li>
                        <li class="card">
                            <h2><a href=format!("/{}/staff/teams", locale.code())>{t("teams.title")}</a></h2>
                            <p>{t("staff.teams_blurb")}</p>
                        </li>
                        <li class="card">
                            <h2><a href=format!("/{}/staff/audit", locale.code())>{t("audit.title")}</a></h2>
                            <p>{t("staff.audit_blurb")}</p>
                        </li>
                    })}
                    {reads_opportunities.then(|| view! {
                        <li class="card">
                            <h2><a href=format!("/{}/staff/surveys", locale.code())>{t("surveys.title")}</a></h2>
                            <p>{t("staff.surveys_blurb")}</p>
                        </li>
                        <li class="card">
                            <h2><a href=format!("/{}/staff/opportunities", locale.code())>{t("opportunities.staff_title")}</a></h2>
                            <p>{t("opportunities.staff_blurb")}</p>
                        </li>
                        <li class="card">
                            <h2><a href=format!("/{}/staff/outcomes", locale.code())>{t("outcomes.staff_title")}</a></h2>
                            <p>{t("outcomes.staff_blurb")}</p>
                        </li>
                    })}
                    {reads_results.then(|| view! {
                        <li class="card">
                            <h2><a href=crate::reports::reports_path(locale)>{t("reports.title")}</a></h2>
                            <p>{t("reports.staff_blurb")}</p>
                        </li>
                    })}
                    <li class="card">
                        <h2><a href=format!("/{}/staff/password", locale.code())>{t("password.title")}</a></h2>
                        <p>{t("staff.password_blurb")}</p>
                    </li>
                    <li class="card">
                        <h2><a href=format!("/{}/staff/tokens", locale.code())>{t("tokens.title")}</a></h2>
                        <p>{t("staff.tokens_blurb")}</p>
                    </li>
                </ul>
            }
        })}
    }
}

/// A "sign out" button: a form, since signing out changes state.
#[component]
pub fn SignOutButton() -> impl IntoView {
    let locale = use_locale();
    view! {
        <form method="post" action=format!("/{}/logout", locale.code()) class="inline-form">
            <CsrfField/>
            <button type="submit" class="link-button">{locale.t("login.sign_out")}</button>
        </form>
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let locale = use_locale();
    let feedback = use_page_state().feedback;
    let users = Resource::new(|| (), |_| list_users());
    let t = move |key: &str| locale.t(key);
    let title = t("users.title");
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <h1>{title}</h1>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || users.get().map(|result| match result {
                Ok(users) => view! { <UserTable users/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("users.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
        <h2 id="add-user">{t("users.add_title")}</h2>
        <form method="post" action=format!("/{}/staff/users", locale.code()) novalidate class="narrow">
            <CsrfField/>
            <TextField name="email" kind="email" label=t("users.email") autocomplete="off"
                required=true feedback=feedback.clone()/>
            <TextField name="display_name" label=t("users.display_name") autocomplete="off"
                required=true feedback=feedback.clone()/>
            <TextField name="password" kind="password" label=t("users.initial_password")
                hint=t("password.rules") autocomplete="new-password" required=true feedback=feedback.clone()/>
            <RoleChoices feedback=feedback.clone()/>
            <button type="submit" class="button">{t("users.add_submit")}</button>
        </form>
    }
}

#[component]
fn RoleChoices(feedback: crate::page_state::FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let error = feedback.error("roles").map(|key| locale.t(&key));
    let chosen = feedback.value("roles");
    let has_error = error.is_some();
    view! {
        <fieldset id="field-roles" class="field" class:field-error=has_error
            aria-describedby=has_error.then_some("field-roles-error")>
            <legend>{locale.t("users.roles")}</legend>
            {error.map(|message| view! {
                <p class="error-message" id="field-roles-error">
                    <span class="visually-hidden">{locale.t("form.error_prefix")}</span>{message}
                </p>
            })}
            {Role::ALL.iter().map(|role| {
                let id = format!("role-{}", role.code());
                let checked = chosen.split(',').any(|c| c == role.code());
                view! {
                    <div class="choice">
                        <input type="checkbox" id=id.clone() name="roles" value=role.code() checked=checked/>
                        <label for=id>{locale.t(&role.label_key())}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn UserTable(users: Vec<super::UserSummary>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    view! {
        <table class="table">
            <caption class="visually-hidden">{t("users.title")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t("users.display_name")}</th>
                    <th scope="col">{t("users.email")}</th>
                    <th scope="col">{t("users.roles")}</th>
                    <th scope="col">{t("users.status")}</th>
                    <th scope="col"><span class="visually-hidden">{t("users.actions")}</span></th>
                </tr>
            </thead>
            <tbody>
                {users.into_iter().map(|user| {
                    let roles = locale.list(user.roles.iter().map(|r| locale.t(&r.label_key())));
                    let action = format!("/{}/staff/users/deactivate", locale.code());
                    let button_label = locale.t_with("users.deactivate_named", &[("name", &user.display_name)]);
                    view! {
                        <tr>
                            <td>{user.display_name.clone()}</td>
                            <td dir="ltr">{user.email.clone()}</td>
                            <td>{roles}</td>
                            <td>{if user.active { t("users.active") } else { t("users.inactive") }}</td>
                            <td>
                                {user.active.then(|| view! {
                                    <form method="post" action=action class="inline-form">
                                        <CsrfField/>
                                        <input type="hidden" name="email" value=user.email.clone()/>
                                        <button type="submit" class="button button-secondary" aria-label=button_label>
                                            {t("users.deactivate")}
                                        </button>
                                    </form>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let locale = use_locale();
    let feedback = use_page_state().feedback;
    let t = move |key: &str| locale.t(key);
    let title = t("password.title");
    let done = use_query_map().with_untracked(|q| q.get("changed").is_some());
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <div class="narrow">
            <ErrorSummary feedback=feedback.clone()/>
            {done.then(|| view! { <div class="notice" role="status">{t("password.changed")}</div> })}
            <h1>{title}</h1>
            <form method="post" action=format!("/{}/staff/password", locale.code()) novalidate>
                <CsrfField/>
                <TextField name="current" kind="password" label=t("password.current")
                    autocomplete="current-password" required=true feedback=feedback.clone()/>
                <TextField name="new" kind="password" label=t("password.new") hint=t("password.rules")
                    autocomplete="new-password" required=true feedback=feedback.clone()/>
                <TextField name="confirm" kind="password" label=t("password.confirm")
                    autocomplete="new-password" required=true feedback=feedback.clone()/>
                <button type="submit" class="button">{t("password.submit")}</button>
            </form>
        </div>
    }
}
