//! A survey's page (details, lifecycle, waves, sections and their questions) and its preview.

use leptos::prelude::*;
use leptos_meta::Title;

use super::details::DetailsForm;
use super::{EditorData, can_edit, date_value, survey_resource};
use crate::page_state::use_page_state;
use crate::shell::forms::{CsrfField, ErrorSummary, title_with_errors};
use crate::shell::use_locale;
use crate::surveys::Wave;
use crate::surveys::lifecycle::{Move, Recurrence, Status};
use crate::surveys::model::{Definition, KIND_CODES, Question};

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
    let version = survey.seen().to_string();
    let shown_version = survey.version.to_string();
    view! {
        <Title text=title_with_errors(locale, name.clone(), &feedback)/>
        <ErrorSummary feedback=feedback.clone()/>
        <p><a href=format!("/{}/staff/surveys", locale.code())>{t("surveys.back_to_list")}</a></p>
        <h1>{name}</h1>
        <p>
            <span class=format!("status status-{}", survey.status.code())>{t(&survey.status.label_key())}</span>
            " · " {locale.t_with("surveys.version", &[("version", &shown_version)])}
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
        {survey.status.is_public().then(|| view! { <PublicAddress key=data.public_key.clone() collect=format!("{base}/collect")/> })}
        <IdentifyingNote definition=definition.clone()/>
        {(editable && survey.is_live()).then(|| view! { <Staged data=data.clone() base=base.clone()/> })}
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

/// A published survey's public address, whole (to copy) and as a link, with the way to the
/// channel links on the collect page.
#[component]
fn PublicAddress(key: String, collect: String) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let base = use_page_state().base_url;
    let path = crate::responses::views::form_path(locale, &key);
    let whole = format!("{}{path}", base.trim_end_matches('/'));
    view! {
        <div class="public-address">
            <label for="public-address">{t("surveys.public_address")}</label>
            <input id="public-address" type="text" readonly value=whole.clone() dir="ltr" class="share-field"/>
            <p>
                <a href=path dir="ltr" class="share-link">{whole}</a>
                " · " <a href=collect>{t("surveys.public_channels")}</a>
            </p>
        </div>
    }
}

/// Warns the author when the survey asks for what identifies a person, and points to the
/// thank-you page's separate outcome address, which needs no question.
#[component]
fn IdentifyingNote(definition: crate::surveys::model::Definition) -> impl IntoView {
    let locale = use_locale();
    let asked: Vec<String> = definition
        .identifying()
        .into_iter()
        .map(|what| locale.t(&what.staff_label_key()))
        .collect();
    (!asked.is_empty()).then(|| {
        view! {
            <div class="notice notice-warning identifying-note" role="note">
                <p>{locale.t_with("surveys.identifying_warning", &[("what", &locale.and_list(&asked))])}</p>
                <p>{locale.t("surveys.identifying_outcome")}</p>
            </div>
        }
    })
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
            crate::surveys::lifecycle::can_move(
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
    let version = survey.seen().to_string();
    view! {
        <section class="card" aria-labelledby="lifecycle-title">
            <h2 id="lifecycle-title">{t("surveys.lifecycle")}</h2>
            <p>{t(&format!("surveys.status_help.{}", survey.status.code()))}</p>
            {(survey.status == Status::Draft && !can_publish).then(|| view! {
                <p>{t("surveys.cannot_publish_yet")}</p>
                <ul class="problems">
                    {problems.iter().map(|p| view! { <li>{problem_text(p, &survey.definition, locale)}</li> }).collect_view()}
                </ul>
            })}
            {editable.then(|| {
                // Closing, archiving and unpublishing stop participants: they look different
                // and sit apart from the everyday moves.
                let (dangerous, everyday): (Vec<Move>, Vec<Move>) = moves
                    .into_iter()
                    .partition(|m| matches!(m, Move::CloseNow | Move::Archive | Move::BackToDraft));
                let form = move |action: Move, class: &'static str| {
                    let disabled = action == Move::Publish && !can_publish;
                    view! {
                        <form method="post" action=format!("{base}/status") class="inline-form">
                            <CsrfField/>
                            <input type="hidden" name="version" value=version.clone()/>
                            <input type="hidden" name="move" value=action.code()/>
                            <button type="submit" class=class disabled=disabled>
                                {t(&format!("surveys.move.{}", action.code()))}
                            </button>
                        </form>
                    }
                };
                let form_too = form.clone();
                view! {
                    {(!everyday.is_empty()).then(|| view! {
                        <div class="actions">
                            {everyday.into_iter().map(|action| form(action, "button")).collect_view()}
                        </div>
                    })}
                    {(!dangerous.is_empty()).then(|| view! {
                        <div class="actions actions-danger">
                            {dangerous.into_iter().map(|action| form_too(action, "button button-danger-quiet")).collect_view()}
                        </div>
                    })}
                }
            })}
        </section>
    }
    .into_any()
}

/// A problem as an author reads it: where it is, in words, then what it is.
fn problem_text(
    problem: &crate::surveys::validate::Problem,
    definition: &Definition,
    locale: crate::Locale,
) -> String {
    match problem.place(definition, locale) {
        Some(place) => format!("{place}: {}", problem.message(locale)),
        None => problem.message(locale),
    }
}

/// On a survey participants can see: that changes are staged, and — when some are — the
/// preview, publishing them in one step, or discarding them (set apart, as a danger).
#[component]
fn Staged(data: EditorData, base: String) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let done = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("changes"));
    let done = done
        .filter(|d| d == "published" || d == "discarded")
        .map(|d| {
            view! { <p class="notice" role="status">{t(&format!("surveys.changes.done_{d}"))}</p> }
        });
    let version = data.survey.seen().to_string();
    let live = data.survey.version.to_string();
    if !data.staged {
        return view! {
            {done}
            <p class="notice staged-note">{t("surveys.changes.none")}</p>
        }
        .into_any();
    }
    let problems = data.publish_problems;
    let ready = problems.is_empty();
    view! {
        {done}
        <section class="card staged" aria-labelledby="staged-title">
            <h2 id="staged-title">{t("surveys.changes.title")}</h2>
            <p>{locale.t_with("surveys.changes.lead", &[("version", &live)])}</p>
            {(!ready).then(|| view! {
                <p>{t("surveys.changes.not_ready")}</p>
                <ul class="problems">
                    {problems.iter().map(|p| view! { <li>{problem_text(p, &data.survey.definition, locale)}</li> }).collect_view()}
                </ul>
            })}
            <div class="actions">
                <a class="button button-secondary" href=format!("{base}/preview")>{t("surveys.changes.preview")}</a>
                <form method="post" action=format!("{base}/changes") class="inline-form">
                    <CsrfField/>
                    <input type="hidden" name="version" value=version.clone()/>
                    <input type="hidden" name="do" value="publish"/>
                    <button type="submit" class="button" disabled=!ready>{t("surveys.changes.publish")}</button>
                </form>
            </div>
            <div class="danger-zone">
                <form method="post" action=format!("{base}/changes") class="inline-form">
                    <CsrfField/>
                    <input type="hidden" name="version" value=version/>
                    <input type="hidden" name="do" value="discard"/>
                    <button type="submit" class="button danger">{t("surveys.changes.discard")}</button>
                </form>
                <p class="note">{t("surveys.changes.discard_note")}</p>
            </div>
        </section>
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
                            <td dir="ltr">{recurrence.map(|r| crate::surveys::lifecycle::wave_label(r, wave.opens_at)).unwrap_or_else(|| wave.number.to_string())}</td>
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
        .map(|c| crate::surveys::render::describe(c, &definition, locale));
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
                    <form method="post" action=format!("{path}/delete") class="inline-form apart">
                        <CsrfField/>
                        <input type="hidden" name="version" value=version.clone()/>
                        <button type="submit" class="button button-danger-quiet" aria-label=delete>{t("surveys.delete")}</button>
                    </form>
                </div>
            })}
        </li>
    }
    .into_any()
}

#[component]
fn SectionForms(
    section: crate::surveys::model::Section,
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
                    " " <button type="submit" name="delete" value="1" class="button button-danger-quiet apart">{t("surveys.delete_section")}</button>
                })}
            </form>
        </details>
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
                    let staged = data.staged;
                    view! {
                        <Title text=title/>
                        <p><a href=back>{t("surveys.back_to_survey")}</a></p>
                        {staged.then(|| view! { <p class="notice staged-preview" role="status">{t("surveys.changes.previewing")}</p> })}
                        <crate::surveys::render::SurveyForm definition preview=true locale/>
                    }.into_any()
                }
                Ok(None) => view! { <crate::shell::NotFound/> }.into_any(),
                Err(_) => view! { <p class="error-message">{t("surveys.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
}
