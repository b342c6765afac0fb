//! The staff survey editor: the list of surveys (with create and import), one survey's page
//! (details and schedule, lifecycle, sections and their questions), a question's page, and
//! the preview. Every change is a plain HTML form posting to the page's own family of URLs
//! (handled in `server/src/http/surveys/forms.rs`), carrying the survey's version so two authors
//! never overwrite each other silently.
//!
//! One file per page family: `list` (the surveys list), `survey` (a survey's page and its
//! preview), `details` (the details and schedule form), `question` (a question's page and its
//! type's settings) and `show_if` (the question's show-if rules). `question_form` names the
//! question form's fields once, with the code that reads them back on the server.

mod details;
mod list;
mod question;
pub mod question_form;
mod show_if;
mod survey;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::validate::Problem;
use super::{Survey, SurveySummary, Wave};
use crate::accounts::Permission;
use crate::page_state::use_page_state;

pub use crate::shell::forms::TextArea;
pub use list::SurveysPage;
pub use question::{BLANK_CHOICES, QuestionPage, RULE_ROWS};
pub use show_if::{RuleRow, flat_rules};
pub use survey::{PreviewPage, SurveyPage};

/// What the survey page needs.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EditorData {
    pub survey: Survey,
    pub topic: String,
    pub groups: Vec<String>,
    pub waves: Vec<Wave>,
    /// What stands in the way of publishing (empty: it can be published) — on a live survey
    /// with staged changes, of publishing them.
    pub publish_problems: Vec<Problem>,
    /// The survey's `definition` is the draft of its next version: changes staged on a live
    /// survey, not yet seen by participants (who see version `survey.version`).
    pub staged: bool,
    /// The key of its public address (`/{lang}/s/{key}`): the slug, or the id.
    #[serde(default)]
    pub public_key: String,
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
    let Some(mut survey) = super::db::get(&db, id).await.map_err(&failed)? else {
        return Ok(None);
    };
    // On a live survey the editor and its preview show (and change) the staged draft, when
    // there is one. A survey taken back to draft edits its definition itself (the next save
    // drops a leftover draft), so the editor shows that.
    let draft = survey.draft.take();
    let staged = match draft.filter(|_| survey.is_live()) {
        Some(draft) => {
            survey.definition = draft;
            true
        }
        None => false,
    };
    let (topic, groups) = super::db::catalogue_settings(&db, id)
        .await
        .map_err(&failed)?;
    let waves = super::db::waves(&db, id).await.map_err(&failed)?;
    let publish_problems = survey.publishing_problems();
    let public_key = crate::responses::db::collection_settings(&db, id)
        .await
        .map_err(&failed)?
        .and_then(|(slug, _)| slug)
        .unwrap_or_else(|| id.to_string());
    Ok(Some(EditorData {
        survey,
        topic,
        groups,
        waves,
        publish_problems,
        staged,
        public_key,
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

/// A stored moment as the UAE calendar date a date field shows (and reads back: `start_of`).
fn date_value(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(|at| crate::dates::in_uae(at).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Whether the signed-in user may change surveys (analysts only read).
fn can_edit() -> bool {
    use_page_state()
        .user
        .is_some_and(|u| u.can(Permission::AuthorSurveys))
}
