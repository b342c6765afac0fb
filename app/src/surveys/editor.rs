//! The staff survey editor: the list of surveys (with create and import), one survey's page
//! (details and schedule, lifecycle, sections and their questions), a question's page, and
//! the preview. Every change is a plain HTML form posting to the page's own family of URLs
//! (handled in `server/src/http/surveys.rs`), carrying the survey's version so two authors
//! never overwrite each other silently.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::conditions::{Condition, STAKEHOLDER_QUESTION};
use super::lifecycle::{Move, Recurrence, Status};
use super::model::{Choice, Definition, KIND_CODES, Kind, Languages, Question};
use super::validate::Problem;
use super::{StakeholderGroup, Survey, SurveySummary, Wave};
use crate::accounts::Permission;
use crate::page_state::{FormFeedback, use_page_state};
use crate::shell::forms::{CsrfField, ErrorSummary, TextField, title_with_errors};
use crate::shell::use_locale;

/// What the survey page needs.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EditorData {
    pub survey: Survey,
    pub topic: String,
    pub groups: Vec<String>,
    pub waves: Vec<Wave>,
    /// What stands in the way of publishing (empty: it can be published).
    pub publish_problems: Vec<Problem>,
}

/// Every survey, for the staff list.
#[leptos::server(endpoint = "surveys/list")]
pub async fn list_surveys() -> Result<Vec<SurveySummary>, ServerFnError> {
    use crate::accounts::{authorize, storage_failure};
    let db = authorize(Permission::ReadSurveys)?;
    super::db::list(&db)
        .await
        .map_err(storage_failure("listing surveys"))
}

/// One survey with what its editor shows; `None` when there is no such survey.
#[leptos::server(endpoint = "surveys/load")]
pub async fn load_survey(id: Uuid) -> Result<Option<EditorData>, ServerFnError> {
    use crate::accounts::{authorize, storage_failure};
    let db = authorize(Permission::ReadSurveys)?;
    let failed = storage_failure("loading a survey");
    let Some(survey) = super::db::get(&db, id).await.map_err(&failed)? else {
        return Ok(None);
    };
    let (topic, groups) = super::db::catalogue_settings(&db, id)
        .await
        .map_err(&failed)?;
    let waves = super::db::waves(&db, id).await.map_err(&failed)?;
    let publish_problems = survey.publishing_problems();
    Ok(Some(EditorData {
        survey,
        topic,
        groups,
        waves,
        publish_problems,
    }))
}

/// The survey that the page's `{id}` names, loaded for its editor (none for a malformed id).
fn survey_resource() -> Resource<Result<Option<EditorData>, ServerFnError>> {
    let id = survey_id();
    Resource::new(
        move || id,
        |id| async move {
            match id {
                Some(id) => load_survey(id).await,
                None => Ok(None),
            }
        },
    )
}

fn survey_id() -> Option<Uuid> {
    use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse().ok()))
}

fn date_value(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(|at| at.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Whether the signed-in user may change surveys (analysts only read).
fn can_edit() -> bool {
    use_page_state()
        .user
        .is_some_and(|u| u.can(Permission::AuthorSurveys))
}

#[component]
pub fn SurveysPage() -> impl IntoView {
    let locale = use_locale();
    let feedback = use_page_state().feedback;
    let surveys = Resource::new(|| (), |_| list_surveys());
    let t = move |key: &str| locale.t(key);
    let title = t("surveys.title");
    let base = format!("/{}/staff/surveys", locale.code());
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <h1>{title}</h1>
        <p>{t("surveys.lead")}</p>
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || surveys.get().map(|result| match result {
                Ok(list) if list.is_empty() => view! { <p>{t("surveys.none")}</p> }.into_any(),
                Ok(list) => view! { <SurveyTable surveys=list/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("surveys.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
        {can_edit().then(|| view! {
            <h2 id="new-survey">{t("surveys.add_title")}</h2>
            <form method="post" action=base.clone() novalidate class="narrow">
                <CsrfField/>
                <TextField name="title_ar" label=t("surveys.title_ar") required=true feedback=feedback.clone()/>
                <TextField name="title_en" label=t("surveys.title_en") required=true feedback=feedback.clone()/>
                <LanguagesChoice chosen=feedback.kept("languages").unwrap_or_else(|| "both".into())/>
                <button type="submit" class="button">{t("surveys.add_submit")}</button>
            </form>
            <h2 id="import-survey">{t("surveys.import_title")}</h2>
            <form method="post" action=format!("{base}/import") novalidate class="narrow">
                <CsrfField/>
                <div class="field">
                    <label for="field-json">{t("surveys.import_label")}</label>
                    <p class="hint" id="field-json-hint">{t("surveys.import_hint")}</p>
                    <textarea id="field-json" name="json" rows="8" dir="ltr" aria-describedby="field-json-hint"
                        spellcheck="false">{feedback.value("json")}</textarea>
                </div>
                <button type="submit" class="button button-secondary">{t("surveys.import_submit")}</button>
            </form>
        })}
    }
}

#[component]
fn LanguagesChoice(chosen: String) -> impl IntoView {
    let locale = use_locale();
    view! {
        <fieldset class="field">
            <legend>{locale.t("surveys.languages")}</legend>
            {Languages::ALL.iter().map(|languages| {
                let id = format!("languages-{}", languages.code());
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name="languages" value=languages.code()
                            checked=chosen == languages.code()/>
                        <label for=id>{locale.t(&format!("surveys.languages_{}", languages.code()))}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

#[component]
fn SurveyTable(surveys: Vec<SurveySummary>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    view! {
        <table class="table">
            <caption class="visually-hidden">{t("surveys.title")}</caption>
            <thead>
                <tr>
                    <th scope="col">{t("surveys.name")}</th>
                    <th scope="col">{t("surveys.status_heading")}</th>
                    <th scope="col">{t("surveys.opens")}</th>
                    <th scope="col">{t("surveys.closes")}</th>
                    <th scope="col">{t("surveys.questions")}</th>
                </tr>
            </thead>
            <tbody>
                {surveys.into_iter().map(|survey| {
                    let title = match locale {
                        crate::Locale::Ar if !survey.title_ar.is_empty() => survey.title_ar.clone(),
                        _ if !survey.title_en.is_empty() => survey.title_en.clone(),
                        _ => survey.title_ar.clone(),
                    };
                    let periodic = survey.recurrence.map(|r| locale.t(&format!("surveys.recurrence_{}", r.code())));
                    view! {
                        <tr>
                            <td>
                                <a href=format!("/{}/staff/surveys/{}", locale.code(), survey.id)>{title}</a>
                                {periodic.map(|p| view! { " " <span class="tag">{p}</span> })}
                            </td>
                            <td><span class=format!("status status-{}", survey.status.code())>{t(&survey.status.label_key())}</span></td>
                            <td dir="ltr">{date_value(survey.opens_at)}</td>
                            <td dir="ltr">{date_value(survey.closes_at)}</td>
                            <td>{survey.questions}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A survey's page: details, lifecycle, sections and questions.
#[component]
pub fn SurveyPage() -> impl IntoView {
    let locale = use_locale();
    let data = survey_resource();
    let t = move |key: &str| locale.t(key);
    view! {
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || data.get().map(|result| match result {
                Ok(Some(data)) => view! { <SurveyEditor data/> }.into_any(),
                Ok(None) => view! { <crate::shell::NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("surveys.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn SurveyEditor(data: EditorData) -> impl IntoView {
    let locale = use_locale();
    let feedback = use_page_state().feedback;
    let t = move |key: &str| locale.t(key);
    let survey = data.survey.clone();
    let definition = survey.definition.clone();
    let base = format!("/{}/staff/surveys/{}", locale.code(), survey.id);
    let name = definition.title.get(locale).to_owned();
    let name = if name.is_empty() {
        t("surveys.untitled")
    } else {
        name
    };
    let editable = can_edit() && survey.status != Status::Archived;
    let version = survey.version.to_string();
    view! {
        <Title text=title_with_errors(locale, name.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <p><a href=format!("/{}/staff/surveys", locale.code())>{t("surveys.back_to_list")}</a></p>
        <h1>{name}</h1>
        <p>
            <span class=format!("status status-{}", survey.status.code())>{t(&survey.status.label_key())}</span>
            " · " {locale.t_with("surveys.version", &[("version", &version)])}
            {survey.has_responses.then(|| view! { " · " {t("surveys.has_responses")} })}
        </p>
        <p class="actions">
            <a class="button button-secondary" href=format!("{base}/preview")>{t("surveys.preview")}</a>
            " "
            <a class="button button-secondary" href=format!("{base}/export.json") download="survey.json">{t("surveys.export")}</a>
            " "
            <a class="button button-secondary" href=format!("{base}/collect")>{t("responses.collect_title")}</a>
            " "
            <a class="button button-secondary" href=format!("{base}/results")>{t("results.title")}</a>
        </p>
        <Lifecycle data=data.clone() base=base.clone() editable=can_edit()/>
        {editable.then(|| view! { <DetailsForm data=data.clone() base=base.clone() feedback=feedback.clone()/> })}
        {(!data.waves.is_empty()).then(|| view! { <WaveTable waves=data.waves.clone() recurrence=survey.recurrence/> })}
        <h2 id="sections">{t("surveys.sections")}</h2>
        {definition.sections.iter().enumerate().map(|(index, section)| {
            let heading = format!("section-{}", section.key);
            let labelled = heading.clone();
            let section_title = if section.title.is_empty() {
                locale.t_with("render.section_n", &[("n", &(index + 1).to_string())])
            } else {
                section.title.get(locale).to_owned()
            };
            let questions = section.questions.clone();
            let section_key = section.key.clone();
            view! {
                <section class="card editor-section" aria-labelledby=labelled>
                    <h3 id=heading>{section_title.clone()}</h3>
                    {if questions.is_empty() {
                        view! { <p>{t("surveys.no_questions")}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="question-list">
                                {questions.into_iter().map(|question| view! {
                                    <QuestionRow question definition=definition.clone() base=base.clone()
                                        version=version.clone() editable=editable/>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                    {editable.then(|| view! {
                        <SectionForms section=section.clone() base=base.clone() version=version.clone()
                            section_title=section_title.clone() section_key=section_key.clone()/>
                    })}
                </section>
            }
        }).collect_view()}
        {editable.then(|| view! {
            <form method="post" action=format!("{base}/sections") class="inline-form">
                <CsrfField/>
                <input type="hidden" name="version" value=version.clone()/>
                <button type="submit" class="button button-secondary">{t("surveys.add_section")}</button>
            </form>
        })}
    }
    .into_any()
}

#[component]
fn Lifecycle(data: EditorData, base: String, editable: bool) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let survey = data.survey;
    let now = chrono::Utc::now();
    let moves: Vec<Move> = Move::ALL
        .into_iter()
        .filter(|m| {
            super::lifecycle::can_move(
                survey.status,
                *m,
                survey.opens_at,
                survey.closes_at,
                survey.has_responses,
                now,
            )
            .is_some()
        })
        .collect();
    let problems = data.publish_problems;
    let can_publish = problems.is_empty();
    let version = survey.version.to_string();
    view! {
        <section class="card" aria-labelledby="lifecycle-title">
            <h2 id="lifecycle-title">{t("surveys.lifecycle")}</h2>
            <p>{t(&format!("surveys.status_help.{}", survey.status.code()))}</p>
            {(survey.status == Status::Draft && !can_publish).then(|| view! {
                <p>{t("surveys.cannot_publish_yet")}</p>
                <ul class="problems">
                    {problems.iter().map(|p| view! { <li><code dir="ltr">{p.path.clone()}</code> " " {p.message(locale)}</li> }).collect_view()}
                </ul>
            })}
            {editable.then(|| view! {
                <div class="actions">
                    {moves.into_iter().map(|action| {
                        let disabled = action == Move::Publish && !can_publish;
                        view! {
                            <form method="post" action=format!("{base}/status") class="inline-form">
                                <CsrfField/>
                                <input type="hidden" name="version" value=version.clone()/>
                                <input type="hidden" name="move" value=action.code()/>
                                <button type="submit" class="button" disabled=disabled>
                                    {t(&format!("surveys.move.{}", action.code()))}
                                </button>
                            </form>
                        }
                    }).collect_view()}
                </div>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn DetailsForm(data: EditorData, base: String, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let survey = data.survey;
    let definition = survey.definition;
    let kept = |field: &str, stored: String| feedback.kept(field).unwrap_or(stored);
    let recurrence = kept(
        "recurrence",
        survey
            .recurrence
            .map(|r| r.code().to_owned())
            .unwrap_or_default(),
    );
    let topic = kept("topic", data.topic.clone());
    let groups: Vec<String> = if feedback.kept("version").is_some() {
        feedback
            .values
            .iter()
            .filter(|(f, _)| f == "groups")
            .map(|(_, v)| v.clone())
            .collect()
    } else {
        data.groups.clone()
    };
    let languages = kept("languages", definition.languages.code().to_owned());
    view! {
        <section class="card" aria-labelledby="details-title">
            <h2 id="details-title">{t("surveys.details")}</h2>
            <form method="post" action=format!("{base}/details") novalidate>
                <CsrfField/>
                <input type="hidden" name="version" value=survey.version.to_string()/>
                <TextField name="title_ar" label=t("surveys.title_ar") value=definition.title.ar.clone() feedback=feedback.clone()/>
                <TextField name="title_en" label=t("surveys.title_en") value=definition.title.en.clone() feedback=feedback.clone()/>
                <TextArea name="description_ar" label=t("surveys.description_ar") value=definition.description.ar.clone() feedback=feedback.clone()/>
                <TextArea name="description_en" label=t("surveys.description_en") value=definition.description.en.clone() feedback=feedback.clone()/>
                <LanguagesChoice chosen=languages/>
                <div class="field-row">
                    <TextField name="opens_at" kind="date" label=t("surveys.opens") value=date_value(survey.opens_at) feedback=feedback.clone()/>
                    <TextField name="closes_at" kind="date" label=t("surveys.closes") value=date_value(survey.closes_at) feedback=feedback.clone()/>
                </div>
                <div class="field">
                    <label for="field-recurrence">{t("surveys.recurrence")}</label>
                    <p class="hint" id="field-recurrence-hint">{t("surveys.recurrence_hint")}</p>
                    <select id="field-recurrence" name="recurrence" aria-describedby="field-recurrence-hint">
                        <option value="" selected=recurrence.is_empty()>{t("surveys.recurrence_none")}</option>
                        {Recurrence::ALL.iter().map(|r| view! {
                            <option value=r.code() selected=recurrence == r.code()>{locale.t(&format!("surveys.recurrence_{}", r.code()))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextField name="wave_days" label=t("surveys.wave_days") hint=t("surveys.wave_days_hint")
                    value=survey.wave_days.map(|d| d.to_string()).unwrap_or_default() feedback=feedback.clone()/>
                <div class="field">
                    <label for="field-topic">{t("surveys.topic")}</label>
                    <select id="field-topic" name="topic">
                        {crate::opportunities::TOPICS.iter().map(|code| view! {
                            <option value=*code selected=topic == *code>{locale.t(&crate::opportunities::topic_label_key(code))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset class="field">
                    <legend>{t("surveys.target_groups")}</legend>
                    <p class="hint">{t("surveys.target_groups_hint")}</p>
                    {StakeholderGroup::ALL.iter().map(|group| {
                        let id = format!("group-{}", group.code());
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=id.clone() name="groups" value=group.code()
                                    checked=groups.iter().any(|g| g == group.code())/>
                                <label for=id>{locale.t(&group.label_key())}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button">{t("surveys.save")}</button>
            </form>
        </section>
    }
    .into_any()
}

/// A labelled multi-line text field, like [`TextField`].
#[component]
pub fn TextArea(
    name: &'static str,
    label: String,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] hint: Option<String>,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let id = format!("field-{name}");
    let error = feedback.error(name).map(|key| locale.t(&key));
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let error_id = error.as_ref().map(|_| format!("{id}-error"));
    let described = [hint_id.clone(), error_id.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let text = feedback.kept(name).or(value).unwrap_or_default();
    let has_error = error.is_some();
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {error.map(|message| view! {
                <p class="error-message" id=error_id.clone()>
                    <span class="visually-hidden">{locale.t("form.error_prefix")}</span>{message}
                </p>
            })}
            <textarea id=id name=name rows="3" aria-describedby=(!described.is_empty()).then_some(described)>{text}</textarea>
        </div>
    }
    .into_any()
}

#[component]
fn WaveTable(waves: Vec<Wave>, recurrence: Option<Recurrence>) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    view! {
        <section class="card" aria-labelledby="waves-title">
            <h2 id="waves-title">{t("surveys.waves")}</h2>
            <table class="table">
                <caption class="visually-hidden">{t("surveys.waves")}</caption>
                <thead><tr>
                    <th scope="col">{t("surveys.wave")}</th>
                    <th scope="col">{t("surveys.opens")}</th>
                    <th scope="col">{t("surveys.closes")}</th>
                </tr></thead>
                <tbody>
                    {waves.into_iter().map(|wave| view! {
                        <tr>
                            <td dir="ltr">{recurrence.map(|r| super::lifecycle::wave_label(r, wave.opens_at)).unwrap_or_else(|| wave.number.to_string())}</td>
                            <td dir="ltr">{date_value(Some(wave.opens_at))}</td>
                            <td dir="ltr">{date_value(Some(wave.closes_at))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

#[component]
fn QuestionRow(
    question: Question,
    definition: Definition,
    base: String,
    version: String,
    editable: bool,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let text = question.text.get(locale).to_owned();
    let text = if text.is_empty() {
        t("surveys.untitled_question")
    } else {
        text
    };
    let kind = t(&format!("surveys.kind.{}", question.kind.code()));
    let condition = question
        .show_if
        .as_ref()
        .map(|c| super::render::describe(c, &definition, locale));
    let path = format!("{base}/questions/{}", question.key);
    let named = |key: &str| locale.t_with(key, &[("question", &text)]);
    let (up, down, delete) = (
        named("surveys.move_up_named"),
        named("surveys.move_down_named"),
        named("surveys.delete_named"),
    );
    view! {
        <li class="question-row">
            <div>
                <a href=path.clone()>{text.clone()}</a>
                " " <span class="tag">{kind}</span>
                {question.required.then(|| view! { " " <span class="tag">{t("render.required")}</span> })}
                {condition.map(|c| view! { <p class="condition-note">{c}</p> })}
            </div>
            {editable.then(|| view! {
                <div class="row-actions">
                    <form method="post" action=format!("{path}/move") class="inline-form">
                        <CsrfField/>
                        <input type="hidden" name="version" value=version.clone()/>
                        <input type="hidden" name="direction" value="up"/>
                        <button type="submit" class="button button-secondary" aria-label=up>{t("surveys.move_up")}</button>
                    </form>
                    <form method="post" action=format!("{path}/move") class="inline-form">
                        <CsrfField/>
                        <input type="hidden" name="version" value=version.clone()/>
                        <input type="hidden" name="direction" value="down"/>
                        <button type="submit" class="button button-secondary" aria-label=down>{t("surveys.move_down")}</button>
                    </form>
                    <form method="post" action=format!("{path}/delete") class="inline-form">
                        <CsrfField/>
                        <input type="hidden" name="version" value=version.clone()/>
                        <button type="submit" class="button button-secondary" aria-label=delete>{t("surveys.delete")}</button>
                    </form>
                </div>
            })}
        </li>
    }
    .into_any()
}

#[component]
fn SectionForms(
    section: super::model::Section,
    base: String,
    version: String,
    section_title: String,
    section_key: String,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let type_id = format!("new-type-{section_key}");
    let title_ar_id = format!("section-{section_key}-title-ar");
    let title_en_id = format!("section-{section_key}-title-en");
    let add_label = locale.t_with("surveys.add_question_to", &[("section", &section_title)]);
    let details_label = locale.t_with("surveys.section_details", &[("section", &section_title)]);
    view! {
        <form method="post" action=format!("{base}/questions") class="filter-form">
            <CsrfField/>
            <input type="hidden" name="version" value=version.clone()/>
            <input type="hidden" name="section" value=section_key.clone()/>
            <div class="field">
                <label for=type_id.clone()>{add_label}</label>
                <select id=type_id name="type">
                    {KIND_CODES.iter().map(|code| view! {
                        <option value=*code>{locale.t(&format!("surveys.kind.{code}"))}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t("surveys.add_question")}</button>
        </form>
        <details>
            <summary>{details_label}</summary>
            <form method="post" action=format!("{base}/sections/{section_key}") class="narrow">
                <CsrfField/>
                <input type="hidden" name="version" value=version/>
                <div class="field">
                    <label for=title_ar_id.clone()>{t("surveys.section_title_ar")}</label>
                    <input type="text" id=title_ar_id name="title_ar" value=section.title.ar.clone()/>
                </div>
                <div class="field">
                    <label for=title_en_id.clone()>{t("surveys.section_title_en")}</label>
                    <input type="text" id=title_en_id name="title_en" value=section.title.en.clone()/>
                </div>
                <button type="submit" class="button">{t("surveys.save")}</button>
                {section.questions.is_empty().then(|| view! {
                    " " <button type="submit" name="delete" value="1" class="button button-secondary">{t("surveys.delete_section")}</button>
                })}
            </form>
        </details>
    }
    .into_any()
}

/// A question's page: wording, help, whether it is required, its type's settings and when it
/// is shown.
#[component]
pub fn QuestionPage() -> impl IntoView {
    let locale = use_locale();
    let key = use_params_map().with_untracked(|p| p.get("key").unwrap_or_default());
    let data = survey_resource();
    let t = move |key: &str| locale.t(key);
    view! {
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || data.get().map(|result| match result {
                Ok(Some(data)) => match data.survey.definition.question(&key).cloned() {
                    Some(question) => view! { <QuestionEditor data question/> }.into_any(),
                    None => view! { <crate::shell::NotFound/> }.into_any(),
                },
                Ok(None) => view! { <crate::shell::NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("surveys.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// How many empty rows choice tables offer for new choices.
pub const BLANK_CHOICES: usize = 3;
/// How many show-if rules the question form offers.
pub const RULE_ROWS: usize = 3;

#[component]
fn QuestionEditor(data: EditorData, question: Question) -> impl IntoView {
    let locale = use_locale();
    let feedback = use_page_state().feedback;
    let t = move |key: &str| locale.t(key);
    let survey = data.survey;
    let survey_base = format!("/{}/staff/surveys/{}", locale.code(), survey.id);
    let action = format!("{survey_base}/questions/{}", question.key);
    let title = locale.t_with(
        "surveys.edit_question",
        &[(
            "kind",
            &t(&format!("surveys.kind.{}", question.kind.code())),
        )],
    );
    let editable = can_edit() && survey.status != Status::Archived;
    // Questions before this one: what its rules may refer to.
    let earlier: Vec<Question> = survey
        .definition
        .questions()
        .map(|(_, q)| q.clone())
        .take_while(|q| q.key != question.key)
        .collect();
    let required = feedback
        .kept("version")
        .map(|_| feedback.kept("required").is_some())
        .unwrap_or(question.required);
    view! {
        <Title text=title_with_errors(locale, title.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <p><a href=survey_base.clone()>{t("surveys.back_to_survey")}</a></p>
        <h1>{title}</h1>
        {survey.has_responses.then(|| view! { <p class="notice" role="note">{t("surveys.answered_note")}</p> })}
        <form method="post" action=action novalidate>
            <CsrfField/>
            <input type="hidden" name="version" value=survey.version.to_string()/>
            <TextArea name="text_ar" label=t("surveys.question_ar") value=question.text.ar.clone() feedback=feedback.clone()/>
            <TextArea name="text_en" label=t("surveys.question_en") value=question.text.en.clone() feedback=feedback.clone()/>
            <TextField name="help_ar" label=t("surveys.help_ar") value=question.help.ar.clone() feedback=feedback.clone()/>
            <TextField name="help_en" label=t("surveys.help_en") value=question.help.en.clone() feedback=feedback.clone()/>
            <div class="field choice">
                <input type="checkbox" id="field-required" name="required" value="1" checked=required/>
                <label for="field-required">{t("surveys.required")}</label>
            </div>
            <KindSettings kind=question.kind.clone() feedback=feedback.clone()/>
            <RuleRows earlier show_if=question.show_if.clone() feedback=feedback.clone()/>
            {editable.then(|| view! { <button type="submit" class="button">{t("surveys.save")}</button> })}
        </form>
    }
    .into_any()
}

/// A table of choices (key hidden, a label per language) with blank rows to add more; a
/// choice whose labels are both cleared is removed.
#[component]
fn ChoiceRows(
    name: &'static str,
    legend: String,
    choices: Vec<Choice>,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let posted = feedback.kept("version").is_some();
    let column = |field: &str| -> Vec<String> {
        feedback
            .values
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let rows: Vec<(String, String, String)> = if posted {
        let (keys, ar, en) = (
            column(&format!("{name}_key")),
            column(&format!("{name}_ar")),
            column(&format!("{name}_en")),
        );
        keys.into_iter()
            .zip(ar)
            .zip(en)
            .map(|((k, a), e)| (k, a, e))
            .collect()
    } else {
        choices
            .into_iter()
            .map(|c| (c.key, c.label.ar, c.label.en))
            .chain((0..BLANK_CHOICES).map(|_| Default::default()))
            .collect()
    };
    view! {
        <fieldset class="field">
            <legend>{legend}</legend>
            <p class="hint">{locale.t("surveys.choices_hint")}</p>
            <table class="table choice-table">
                <thead><tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{locale.t("surveys.label_ar")}</th>
                    <th scope="col">{locale.t("surveys.label_en")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(i, (key, ar, en))| {
                        let n = (i + 1).to_string();
                        let ar_label = locale.t_with("surveys.choice_ar_n", &[("n", &n)]);
                        let en_label = locale.t_with("surveys.choice_en_n", &[("n", &n)]);
                        view! {
                            <tr>
                                <td>{n.clone()}<input type="hidden" name=format!("{name}_key") value=key/></td>
                                <td><input type="text" name=format!("{name}_ar") value=ar aria-label=ar_label dir="rtl"/></td>
                                <td><input type="text" name=format!("{name}_en") value=en aria-label=en_label dir="ltr"/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </fieldset>
    }
    .into_any()
}

#[component]
fn KindSettings(kind: Kind, feedback: FormFeedback) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let other_box = |other: bool| {
        let checked = feedback
            .kept("version")
            .map(|_| feedback.kept("other").is_some())
            .unwrap_or(other);
        view! {
            <div class="field choice">
                <input type="checkbox" id="field-other" name="other" value="1" checked=checked/>
                <label for="field-other">{t("surveys.offer_other")}</label>
            </div>
        }
    };
    match kind {
        Kind::SingleChoice { choices, other } | Kind::Dropdown { choices, other } => view! {
            <ChoiceRows name="choice" legend=t("surveys.choices") choices feedback=feedback.clone()/>
            {other_box(other)}
        }
        .into_any(),
        Kind::MultipleChoice { choices, other, min, max } => view! {
            <ChoiceRows name="choice" legend=t("surveys.choices") choices feedback=feedback.clone()/>
            {other_box(other)}
            <div class="field-row">
                <TextField name="min" label=t("surveys.min_choices") value=min.map(|m| m.to_string()).unwrap_or_default() feedback=feedback.clone()/>
                <TextField name="max" label=t("surveys.max_choices") value=max.map(|m| m.to_string()).unwrap_or_default() feedback=feedback.clone()/>
            </div>
        }
        .into_any(),
        Kind::Ranking { choices } => view! {
            <ChoiceRows name="choice" legend=t("surveys.choices") choices feedback=feedback.clone()/>
        }
        .into_any(),
        Kind::Matrix { rows, scale } => view! {
            <ChoiceRows name="row" legend=t("surveys.matrix_rows") choices=rows feedback=feedback.clone()/>
            <ChoiceRows name="point" legend=t("surveys.matrix_scale") choices=scale feedback=feedback.clone()/>
        }
        .into_any(),
        Kind::Rating { min, max, min_label, max_label } => view! {
            <div class="field-row">
                <TextField name="scale_min" label=t("surveys.scale_min") value=min.to_string() feedback=feedback.clone()/>
                <TextField name="scale_max" label=t("surveys.scale_max") value=max.to_string() feedback=feedback.clone()/>
            </div>
            <TextField name="min_label_ar" label=t("surveys.min_label_ar") value=min_label.ar feedback=feedback.clone()/>
            <TextField name="min_label_en" label=t("surveys.min_label_en") value=min_label.en feedback=feedback.clone()/>
            <TextField name="max_label_ar" label=t("surveys.max_label_ar") value=max_label.ar feedback=feedback.clone()/>
            <TextField name="max_label_en" label=t("surveys.max_label_en") value=max_label.en feedback=feedback.clone()/>
        }
        .into_any(),
        Kind::ShortText { max_length } => view! {
            <TextField name="max_length" label=t("surveys.max_length") value=max_length.map(|m| m.to_string()).unwrap_or_default() feedback=feedback.clone()/>
        }
        .into_any(),
        Kind::LongText { max_length } => view! {
            <TextField name="max_length" label=t("surveys.max_length") value=max_length.to_string() feedback=feedback.clone()/>
        }
        .into_any(),
        Kind::Number { decimal, min, max } => {
            let checked = feedback.kept("version").map(|_| feedback.kept("decimal").is_some()).unwrap_or(decimal);
            view! {
                <div class="field choice">
                    <input type="checkbox" id="field-decimal" name="decimal" value="1" checked=checked/>
                    <label for="field-decimal">{t("surveys.decimal")}</label>
                </div>
                <div class="field-row">
                    <TextField name="min" label=t("surveys.number_min") value=number(min) feedback=feedback.clone()/>
                    <TextField name="max" label=t("surveys.number_max") value=number(max) feedback=feedback.clone()/>
                </div>
            }
            .into_any()
        }
        Kind::YesNo | Kind::Nps | Kind::Date | Kind::Email | Kind::Phone => {
            view! { <p class="hint">{t("surveys.no_settings")}</p> }.into_any()
        }
    }
}

/// One row of the rules form: (question, op, value, min, max).
pub type RuleRow = (String, String, String, String, String);

/// The flat rules of a condition, and whether they are joined by "all". Nested rules are shown
/// as far as they are flat; the form edits one level of `all`/`any`.
pub fn flat_rules(condition: &Condition) -> (bool, Vec<RuleRow>) {
    let atom = |c: &Condition| match c {
        Condition::Equals { question, value } => Some((
            question.clone(),
            "equals".into(),
            value.clone(),
            String::new(),
            String::new(),
        )),
        Condition::Includes { question, value } => Some((
            question.clone(),
            "includes".into(),
            value.clone(),
            String::new(),
            String::new(),
        )),
        Condition::InRange { question, min, max } => Some((
            question.clone(),
            "in_range".into(),
            String::new(),
            min.map(|m| m.to_string()).unwrap_or_default(),
            max.map(|m| m.to_string()).unwrap_or_default(),
        )),
        _ => None,
    };
    match condition {
        Condition::All { conditions } => (true, conditions.iter().filter_map(atom).collect()),
        Condition::Any { conditions } => (false, conditions.iter().filter_map(atom).collect()),
        single => (true, atom(single).into_iter().collect()),
    }
}

#[component]
fn RuleRows(
    earlier: Vec<Question>,
    show_if: Option<Condition>,
    feedback: FormFeedback,
) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let posted = feedback.kept("version").is_some();
    let column = |field: &str| -> Vec<String> {
        feedback
            .values
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let (all, rows) = if posted {
        let rows = column("rule_question")
            .into_iter()
            .zip(column("rule_op"))
            .zip(column("rule_value"))
            .zip(column("rule_min"))
            .zip(column("rule_max"))
            .map(|((((q, o), v), a), b)| (q, o, v, a, b))
            .collect();
        (feedback.value("rule_join") != "any", rows)
    } else {
        show_if
            .as_ref()
            .map(flat_rules)
            .unwrap_or((true, Vec::new()))
    };
    let mut rows = rows;
    rows.resize(RULE_ROWS.max(rows.len()), Default::default());
    // Every value a rule can compare with: stakeholder groups and earlier questions' choices.
    let mut values: Vec<(String, Vec<(String, String)>)> = vec![(
        locale.t("render.stakeholder_short"),
        StakeholderGroup::ALL
            .iter()
            .map(|g| (g.code().to_owned(), locale.t(&g.label_key())))
            .collect(),
    )];
    for question in &earlier {
        let keys = question.kind.answer_keys();
        if keys.is_empty() {
            continue;
        }
        let label = |key: &str| match &question.kind {
            Kind::YesNo => locale.t(if key == "yes" {
                "render.answer_yes"
            } else {
                "render.answer_no"
            }),
            kind => kind
                .choices()
                .and_then(|c| c.iter().find(|c| c.key == key))
                .map(|c| c.label.get(locale).to_owned())
                .unwrap_or_else(|| locale.t("render.other")),
        };
        values.push((
            question.text.get(locale).to_owned(),
            keys.iter().map(|k| (k.to_string(), label(k))).collect(),
        ));
    }
    view! {
        <fieldset class="field rules">
            <legend>{t("surveys.show_if")}</legend>
            <p class="hint">{t("surveys.show_if_hint")}</p>
            <div class="inline-choices">
                <div class="choice">
                    <input type="radio" id="rule-join-all" name="rule_join" value="all" checked=all/>
                    <label for="rule-join-all">{t("surveys.rule_all")}</label>
                </div>
                <div class="choice">
                    <input type="radio" id="rule-join-any" name="rule_join" value="any" checked=!all/>
                    <label for="rule-join-any">{t("surveys.rule_any")}</label>
                </div>
            </div>
            {rows.into_iter().enumerate().map(|(i, (question, op, value, min, max))| {
                let n = (i + 1).to_string();
                let ids = ["question", "op", "value", "min", "max"].map(|f| format!("rule-{n}-{f}"));
                let values = values.clone();
                view! {
                    <div class="rule-row" role="group" aria-label=locale.t_with("surveys.rule_n", &[("n", &n)])>
                        <div class="field">
                            <label for=ids[0].clone()>{t("surveys.rule_question")}</label>
                            <select id=ids[0].clone() name="rule_question">
                                <option value="" selected=question.is_empty()>{t("surveys.rule_none")}</option>
                                <option value=STAKEHOLDER_QUESTION selected=question == STAKEHOLDER_QUESTION>{t("render.stakeholder_short")}</option>
                                {earlier.iter().map(|q| view! {
                                    <option value=q.key.clone() selected=question == q.key>{q.text.get(locale).to_owned()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=ids[1].clone()>{t("surveys.rule_op")}</label>
                            <select id=ids[1].clone() name="rule_op">
                                {["equals", "includes", "in_range"].map(|code| view! {
                                    <option value=code selected=op == code>{locale.t(&format!("surveys.op.{code}"))}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=ids[2].clone()>{t("surveys.rule_value")}</label>
                            <select id=ids[2].clone() name="rule_value">
                                <option value="" selected=value.is_empty()>"–"</option>
                                {values.into_iter().map(|(group, options)| view! {
                                    <optgroup label=group>
                                        {options.into_iter().map(|(key, label)| {
                                            let selected = key == value;
                                            view! { <option value=key selected=selected>{label}</option> }
                                        }).collect_view()}
                                    </optgroup>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=ids[3].clone()>{t("surveys.rule_min")}</label>
                            <input type="text" id=ids[3].clone() name="rule_min" value=min inputmode="decimal" class="input-short"/>
                        </div>
                        <div class="field">
                            <label for=ids[4].clone()>{t("surveys.rule_max")}</label>
                            <input type="text" id=ids[4].clone() name="rule_max" value=max inputmode="decimal" class="input-short"/>
                        </div>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

/// The preview: the survey as participants will see it, in any state.
#[component]
pub fn PreviewPage() -> impl IntoView {
    let locale = use_locale();
    let data = survey_resource();
    let t = move |key: &str| locale.t(key);
    view! {
        <Suspense fallback=move || view! { <p>{t("form.loading")}</p> }>
            {move || data.get().map(|result| match result {
                Ok(Some(data)) => {
                    let definition = data.survey.definition;
                    let back = format!("/{}/staff/surveys/{}", locale.code(), data.survey.id);
                    let title = locale.t_with("surveys.preview_of", &[("title", definition.title.get(locale))]);
                    view! {
                        <Title text=title/>
                        <p><a href=back>{t("surveys.back_to_survey")}</a></p>
                        <super::render::SurveyForm definition preview=true locale/>
                    }.into_any()
                }
                Ok(None) => view! { <crate::shell::NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("surveys.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
}
