//! The staff side of opportunities: the list of every opportunity with its status, the form
//! to add one, and the page to change one. Forms are plain HTML posts handled in
//! `server/src/http/opportunities/forms.rs`; on a problem the page comes back with the errors and
//! everything typed. Analysts (who read but change nothing) and survey rows (changed with
//! their survey) get the details without a form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::rules::form_time;
use super::views::{Facts, When};
use super::{
    Opportunity, OpportunityKind, StakeholderGroup, TOPICS, staff_opportunities, staff_opportunity,
    topic_label_key,
};
use crate::Locale;
use crate::accounts::Permission;
use crate::page_state::{FormFeedback, use_page_state};
use crate::shell::forms::{CsrfField, ErrorSummary, TextField, textarea_text, title_with_errors};
use crate::shell::{NotFound, use_locale};

/// Whether the signed-in visitor may add and change opportunities.
fn can_author() -> bool {
    use_page_state()
        .user
        .is_some_and(|u| u.can(Permission::AuthorSurveys))
}

#[component]
pub fn StaffOpportunitiesPage() -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let listing = Resource::new(|| (), |_| staff_opportunities());
    let created = use_query_map().with_untracked(|q| q.get("created").is_some());
    let title = t("opportunities.staff_title");
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <h1>{title}</h1>
        <p>{t("opportunities.staff_lead")}</p>
        {created.then(|| view! { <div class="notice" role="status">{t("opportunities.created")}</div> })}
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || listing.get().map(|result| match result {
                Ok(listing) if listing.items.is_empty() => view! { <p>{t("opportunities.staff_none")}</p> }.into_any(),
                Ok(listing) => view! { <StaffTable items=listing.items now=listing.now/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("opportunities.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
        {can_author().then(|| view! {
            <h2 id="new-opportunity">{t("opportunities.add_title")}</h2>
            <OpportunityForm action=format!("/{}/staff/opportunities", locale.code())
                feedback=feedback.clone() submit=t("opportunities.add_submit")/>
        })}
    }
    .into_any()
}

#[component]
fn StaffTable(items: Vec<Opportunity>, now: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    view! {
        <table class="table">
            <caption class="visually-hidden">{t("opportunities.staff_title")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t("opportunities.field.title")}</th>
                    <th scope="col">{t("opportunities.field.kind")}</th>
                    <th scope="col">{t("opportunities.topic_label")}</th>
                    <th scope="col">{t("opportunities.status_label")}</th>
                    <th scope="col">{t("opportunities.visibility")}</th>
                    <th scope="col">{t("opportunities.deadline")}</th>
                </tr>
            </thead>
            <tbody>
                {items.into_iter().map(|o| {
                    let status = o.status(now);
                    let href = format!("/{}/staff/opportunities/{}", locale.code(), o.id);
                    let visibility = if o.published { t("opportunities.published") } else { t("opportunities.unpublished") };
                    view! {
                        <tr>
                            <td><a href=href>{o.title(locale).to_owned()}</a></td>
                            <td>{locale.t(&o.kind.label_key())}</td>
                            <td>{locale.t(&topic_label_key(&o.topic))}</td>
                            <td>{locale.t(&status.label_key())}</td>
                            <td>{visibility}</td>
                            <td>{o.ends_at.map(|at| view! { <When at/> })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn StaffOpportunityPage() -> impl IntoView {
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let Some(id) = id else {
        return view! { <NotFound/> }.into_any();
    };
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let shown = Resource::new(move || id, staff_opportunity);
    view! {
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || shown.get().map(|result| match result {
                Ok(shown) => match shown.opportunity {
                    Some(opportunity) => view! { <EditOpportunity opportunity/> }.into_any(),
                    None => view! { <NotFound/> }.into_any(),
                },
                Err(_) => view! { <p class="error-message">{t("opportunities.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn EditOpportunity(opportunity: Opportunity) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let feedback = use_page_state().feedback;
    let saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    let title = opportunity.title(locale).to_owned();
    let editable = opportunity.kind != OpportunityKind::Survey && can_author();
    let note = if opportunity.kind == OpportunityKind::Survey {
        Some(t("opportunities.survey_note"))
    } else {
        (!editable).then(|| t("opportunities.read_only_note"))
    };
    // What the form shows: what was just typed, else what is stored.
    let values = if feedback.values.is_empty() {
        FormFeedback {
            values: stored_values(&opportunity),
            ..feedback.clone()
        }
    } else {
        feedback.clone()
    };
    let public = opportunity.published.then(|| opportunity.path(locale));
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <p><a href=format!("/{}/staff/opportunities", locale.code())>{t("opportunities.staff_back")}</a></p>
        <h1>{title}</h1>
        {saved.then(|| view! { <div class="notice" role="status">{t("opportunities.saved")}</div> })}
        {public.map(|href| view! { <p><a href=href>{t("opportunities.view_public")}</a></p> })}
        {note.map(|note| view! { <p class="note">{note}</p> })}
        {(opportunity.kind == OpportunityKind::Consultation).then(|| view! {
            <ul class="links">
                <li><a href=crate::consultations::staff_views::document_path(locale, opportunity.id)>{t("consultations.editor_link")}</a></li>
                <li><a href=crate::consultations::staff_views::staff_comments_path(locale, opportunity.id)>{t("consultations.staff_comments_link")}</a></li>
            </ul>
        })}
        {if editable {
            view! {
                <OpportunityForm action=format!("/{}/staff/opportunities/{}", locale.code(), opportunity.id)
                    feedback=values submit=t("opportunities.save_submit")/>
            }.into_any()
        } else {
            view! { <Facts opportunity/> }.into_any()
        }}
    }
    .into_any()
}

/// A stored opportunity as the form's fields.
fn stored_values(o: &Opportunity) -> Vec<(String, String)> {
    let groups = o
        .groups
        .iter()
        .map(|g| g.code())
        .collect::<Vec<_>>()
        .join(",");
    [
        ("kind", o.kind.code().to_owned()),
        ("title_ar", o.title_ar.clone()),
        ("title_en", o.title_en.clone()),
        ("summary_ar", o.summary_ar.clone()),
        ("summary_en", o.summary_en.clone()),
        ("body_ar", o.body_ar.clone()),
        ("body_en", o.body_en.clone()),
        ("topic", o.topic.clone()),
        ("groups", groups),
        ("starts_at", form_time(o.starts_at)),
        ("ends_at", form_time(o.ends_at)),
        ("location", o.location.clone()),
        ("link", o.link.clone()),
        ("published", if o.published { "on" } else { "" }.to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The add and change form. `feedback` carries the values to show and any errors.
#[component]
fn OpportunityForm(action: String, feedback: FormFeedback, submit: String) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let f = feedback;
    let label = move |key: &str| t(&format!("opportunities.field.{key}"));
    // Each field is boxed (`into_any`): one large view type made the render's stack frames
    // big enough to overflow a 2 MiB thread stack in debug builds.
    let fields: Vec<AnyView> = vec![
        view! { <KindChoice feedback=f.clone()/> }.into_any(),
        view! { <Field name="title_ar" label=label("title_ar") lang=Locale::Ar required=true feedback=f.clone()/> }.into_any(),
        view! { <Field name="title_en" label=label("title_en") lang=Locale::En required=true feedback=f.clone()/> }.into_any(),
        view! { <Field name="summary_ar" label=label("summary_ar") lang=Locale::Ar rows=3 hint=t("opportunities.hint.summary") feedback=f.clone()/> }.into_any(),
        view! { <Field name="summary_en" label=label("summary_en") lang=Locale::En rows=3 hint=t("opportunities.hint.summary") feedback=f.clone()/> }.into_any(),
        view! { <Field name="body_ar" label=label("body_ar") lang=Locale::Ar rows=8 hint=t("opportunities.hint.body") feedback=f.clone()/> }.into_any(),
        view! { <Field name="body_en" label=label("body_en") lang=Locale::En rows=8 hint=t("opportunities.hint.body") feedback=f.clone()/> }.into_any(),
        view! { <TopicChoice feedback=f.clone()/> }.into_any(),
        view! { <GroupChoices feedback=f.clone()/> }.into_any(),
        view! { <TextField name="starts_at" kind="datetime-local" label=label("starts_at") hint=t("opportunities.hint.starts_at") feedback=f.clone()/> }.into_any(),
        view! { <TextField name="ends_at" kind="datetime-local" label=label("ends_at") hint=t("opportunities.hint.ends_at") feedback=f.clone()/> }.into_any(),
        view! { <TextField name="location" label=label("location") hint=t("opportunities.hint.location") feedback=f.clone()/> }.into_any(),
        view! { <TextField name="link" kind="url" label=label("link") hint=t("opportunities.hint.link") autocomplete="off" feedback=f.clone()/> }.into_any(),
        view! {
            <div class="field choice">
                <input type="checkbox" id="field-published" name="published" value="on" checked=f.value("published") == "on"/>
                <label for="field-published">{label("published")}</label>
            </div>
        }.into_any(),
    ];
    view! {
        <form method="post" action=action novalidate class="narrow opportunity-form">
            <CsrfField/>
            {fields}
            <button type="submit" class="button">{submit}</button>
        </form>
    }
    .into_any()
}

/// The error message of a field, tied to it by `aria-describedby`.
#[component]
fn ErrorMessage(id: String, message: String) -> impl IntoView {
    let locale = use_locale();
    view! {
        <p class="error-message" id=id>
            <span class="visually-hidden">{locale.t("form.error_prefix")}</span>
            {message}
        </p>
    }
}

/// A labelled text input or (with `rows`) text area, in the language of its content.
#[component]
fn Field(
    name: &'static str,
    label: String,
    lang: Locale,
    #[prop(optional)] rows: Option<u32>,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] required: bool,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("field-{name}");
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let error = feedback.error(name).map(|key| locale.t(&key));
    let error_id = error.as_ref().map(|_| format!("{id}-error"));
    let described_by = [hint_id.clone(), error_id.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let described_by = (!described_by.is_empty()).then_some(described_by);
    let invalid = error.as_ref().map(|_| "true");
    let value = feedback.value(name);
    let has_error = error.is_some();
    let control = match rows {
        Some(rows) => view! {
            <textarea id=id.clone() name=name rows=rows lang=lang.code() dir=lang.dir()
                aria-invalid=invalid aria-describedby=described_by>{textarea_text(&value)}</textarea>
        }
        .into_any(),
        None => view! {
            <input id=id.clone() name=name type="text" value=value lang=lang.code() dir=lang.dir()
                required=required aria-invalid=invalid aria-describedby=described_by/>
        }
        .into_any(),
    };
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {error.zip(error_id).map(|(message, id)| view! { <ErrorMessage id message/> })}
            {control}
        </div>
    }
    .into_any()
}

/// A group of radios or checkboxes: a fieldset with a legend, its hint and error.
#[component]
fn ChoiceGroup(
    name: &'static str,
    legend: String,
    #[prop(optional)] hint: Option<String>,
    feedback: FormFeedback,
    children: Children,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("field-{name}");
    let error = feedback.error(name).map(|key| locale.t(&key));
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let error_id = error.as_ref().map(|_| format!("{id}-error"));
    let described_by = [hint_id.clone(), error_id.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let has_error = error.is_some();
    view! {
        <fieldset id=id class="field" class:field-error=has_error
            aria-describedby=(!described_by.is_empty()).then_some(described_by)>
            <legend>{legend}</legend>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {error.zip(error_id).map(|(message, id)| view! { <ErrorMessage id message/> })}
            {children()}
        </fieldset>
    }
    .into_any()
}

/// One radio or checkbox with its label.
fn choice(
    kind: &'static str,
    name: &'static str,
    value: &'static str,
    label: String,
    checked: bool,
) -> impl IntoView {
    let id = format!("{name}-{value}");
    view! {
        <div class="choice">
            <input type=kind id=id.clone() name=name value=value checked=checked/>
            <label for=id>{label}</label>
        </div>
    }
}

#[component]
fn KindChoice(feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let chosen = feedback.value("kind");
    view! {
        <ChoiceGroup name="kind" legend=locale.t("opportunities.field.kind") feedback>
            {OpportunityKind::EDITABLE.iter().map(|k| choice("radio", "kind", k.code(), locale.t(&k.label_key()), chosen == k.code())).collect_view()}
        </ChoiceGroup>
    }
    .into_any()
}

#[component]
fn GroupChoices(feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let chosen = feedback.value("groups");
    view! {
        <ChoiceGroup name="groups" legend=locale.t("opportunities.field.groups") hint=locale.t("opportunities.hint.groups") feedback>
            {StakeholderGroup::ALL.iter().map(|g| {
                let checked = chosen.split(',').any(|c| c == g.code());
                choice("checkbox", "groups", g.code(), locale.t(&g.label_key()), checked)
            }).collect_view()}
        </ChoiceGroup>
    }
    .into_any()
}

#[component]
fn TopicChoice(feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let chosen = feedback.value("topic");
    let error = feedback.error("topic").map(|key| locale.t(&key));
    let has_error = error.is_some();
    view! {
        <div class="field" class:field-error=has_error>
            <label for="field-topic">{locale.t("opportunities.topic_label")}</label>
            {error.map(|message| view! { <ErrorMessage id="field-topic-error".to_owned() message/> })}
            <select id="field-topic" name="topic" aria-invalid=has_error.then_some("true")
                aria-describedby=has_error.then_some("field-topic-error")>
                <option value="">{locale.t("opportunities.choose_topic")}</option>
                {TOPICS.iter().map(|topic| view! {
                    <option value=*topic selected=chosen == *topic>{locale.t(&topic_label_key(topic))}</option>
                }).collect_view()}
            </select>
        </div>
    }
    .into_any()
}
