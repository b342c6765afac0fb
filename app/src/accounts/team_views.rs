//! The teams page: administrators create specialist teams and choose their responders.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{Member, Team, list_teams};
use crate::page_state::use_page_state;
use crate::shell::forms::{CsrfField, ErrorSummary, TextField, title_with_errors};
use crate::shell::use_locale;

#[component]
pub fn TeamsPage() -> impl IntoView {
    let locale = use_locale();
    let feedback = use_page_state().feedback;
    let overview = Resource::new(|| (), |_| list_teams());
    let t = move |key: &str| locale.t(key);
    let title = t("teams.title");
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <h1>{title}</h1>
        <p>{t("teams.lead")}</p>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || overview.get().map(|result| match result {
                Ok(overview) if overview.teams.is_empty() => view! { <p>{t("teams.none")}</p> }.into_any(),
                Ok(overview) => overview.teams.into_iter().map(|team| {
                    view! { <TeamSection team responders=overview.responders.clone()/> }
                }).collect_view().into_any(),
                Err(_) => view! { <p class="error-message">{t("teams.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
        <h2 id="new-team">{t("teams.add_title")}</h2>
        <form method="post" action=format!("/{}/staff/teams", locale.code()) novalidate class="narrow">
            <CsrfField/>
            <TextField name="name_ar" label=t("teams.name_ar") required=true feedback=feedback.clone()/>
            <TextField name="name_en" label=t("teams.name_en") required=true feedback=feedback.clone()/>
            <button type="submit" class="button">{t("teams.add_submit")}</button>
        </form>
    }
}

#[component]
fn TeamSection(team: Team, responders: Vec<Member>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let name = team.name(locale).to_owned();
    let heading = format!("team-{}", team.id.simple());
    let labelled_by = heading.clone();
    let select_id = format!("add-{}", team.id.simple());
    let members_path = format!("/{}/staff/teams/members", locale.code());
    let candidates: Vec<Member> = responders
        .into_iter()
        .filter(|r| !team.members.iter().any(|m| m.id == r.id))
        .collect();
    view! {
        <section class="card team" aria-labelledby=labelled_by>
            <h2 id=heading>{name.clone()}</h2>
            {if team.members.is_empty() {
                view! { <p>{t("teams.no_members")}</p> }.into_any()
            } else {
                view! {
                    <ul class="members">
                        {team.members.iter().map(|member| {
                            let label = locale.t_with("teams.remove_named", &[("name", &member.display_name), ("team", &name)]);
                            let lead_label = locale.t_with(
                                if member.lead { "teams.unmake_lead_named" } else { "teams.make_lead_named" },
                                &[("name", &member.display_name), ("team", &name)],
                            );
                            view! {
                                <li>
                                    <span>{member.display_name.clone()}</span>
                                    {member.lead.then(|| view! { " " <span class="badge">{t("teams.lead_badge")}</span> })}
                                    <form method="post" action=format!("{members_path}/lead") class="inline-form">
                                        <CsrfField/>
                                        <input type="hidden" name="team" value=team.id.to_string()/>
                                        <input type="hidden" name="user" value=member.id.to_string()/>
                                        <input type="hidden" name="lead" value=if member.lead { "" } else { "on" }/>
                                        <button type="submit" class="button button-secondary" aria-label=lead_label>
                                            {if member.lead { t("teams.unmake_lead") } else { t("teams.make_lead") }}
                                        </button>
                                    </form>
                                    <form method="post" action=format!("{members_path}/remove") class="inline-form">
                                        <CsrfField/>
                                        <input type="hidden" name="team" value=team.id.to_string()/>
                                        <input type="hidden" name="user" value=member.id.to_string()/>
                                        <button type="submit" class="button button-secondary" aria-label=label>{t("teams.remove")}</button>
                                    </form>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!candidates.is_empty()).then(|| view! {
                <form method="post" action=members_path.clone() class="filter-form">
                    <CsrfField/>
                    <input type="hidden" name="team" value=team.id.to_string()/>
                    <div class="field">
                        <label for=select_id.clone()>{locale.t_with("teams.add_member_to", &[("team", &name)])}</label>
                        <select id=select_id name="user">
                            {candidates.iter().map(|c| view! {
                                <option value=c.id.to_string()>{format!("{} ({})", c.display_name, c.email)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button">{t("teams.add_member")}</button>
                </form>
            })}
        </section>
    }
}
