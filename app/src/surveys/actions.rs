//! What authors do to a survey, each written once for every door it comes through (the
//! editor's forms, the JSON API): saving a new version of its definition, and moving it
//! through its lifecycle (publish, close, reopen, archive, back to draft). Each action checks
//! the actor's permission and the rules, writes with compare-and-set (someone else may have
//! saved since), and records its audit entry; the adapters read their input and map the
//! outcome.

use std::convert::Infallible;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::lifecycle::{Move, Status, can_move};
use super::validate::{self, Problem};
use super::{Definition, Seen, Survey, db};
use crate::accounts::Permission;
use crate::audit::Actor;
use crate::store::{Db, StoreError};

/// Why an action did not happen. `E` is what a door's own change may refuse with (the
/// editor's form fields); doors that replace the whole definition have none.
#[derive(Debug, thiserror::Error)]
pub enum SurveyError<E = Infallible> {
    #[error("the actor may not author surveys")]
    Forbidden,
    #[error("no such survey")]
    NotFound,
    #[error("an archived survey cannot be changed")]
    Archived,
    /// Someone saved or moved it since the version the change was made from.
    #[error("changed since it was read")]
    Stale,
    /// The new definition breaks the rules, or would corrupt answers already collected.
    #[error("{} problems", .0.len())]
    Problems(Vec<Problem>),
    /// Not a move the survey's state allows; the state it is in.
    #[error("not a move a {} survey allows", .0.code())]
    NotAllowed(Status),
    /// Publishing, but the survey is not ready: every problem.
    #[error("not ready to publish: {} problems", .0.len())]
    NotReady(Vec<Problem>),
    /// The door's change refused (for example a form field that does not parse).
    #[error("the change was refused")]
    Change(E),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn may_author<E>(actor: &Actor) -> Result<(), SurveyError<E>> {
    if actor.user.can(Permission::AuthorSurveys) {
        Ok(())
    } else {
        Err(SurveyError::Forbidden)
    }
}

async fn load<E>(db: &Db, id: Uuid) -> Result<Survey, SurveyError<E>> {
    db::get(db, id).await?.ok_or(SurveyError::NotFound)
}

/// Starts a survey in draft from a definition (a title and its languages, from the editor).
pub async fn create(
    db: &Db,
    actor: &Actor,
    definition: &Definition,
    now: DateTime<Utc>,
) -> Result<Uuid, SurveyError> {
    may_author(actor)?;
    let id = db::create(db, definition, Some(actor.user.id), now).await?;
    actor.audit(db, "survey.create", id.to_string(), None).await;
    Ok(id)
}

/// Starts a survey in draft from an exported definition (JSON), checked whole: every problem
/// with its JSON path.
pub async fn import(
    db: &Db,
    actor: &Actor,
    json: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, SurveyError> {
    may_author(actor)?;
    let definition = validate::import(json).map_err(SurveyError::Problems)?;
    let id = db::create(db, &definition, Some(actor.user.id), now).await?;
    actor.audit(db, "survey.import", id.to_string(), None).await;
    Ok(id)
}

/// Changes a survey's definition from the editor: `change` edits a copy of what the editor
/// showed (made from `seen`, refused as stale otherwise), checked like any definition and,
/// once answers exist, against them. A draft survey is saved as a new version at once; on a
/// survey participants can see ([`Survey::is_live`]) the change is staged in its draft, which
/// [`publish_changes`] publishes. Audited either way. Answers what `change` answered.
pub async fn revise<T, E>(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    seen: Seen,
    now: DateTime<Utc>,
    change: impl FnOnce(&mut Definition) -> Result<T, E>,
) -> Result<T, SurveyError<E>> {
    may_author(actor)?;
    let survey = load(db, id).await?;
    if survey.status == Status::Archived {
        return Err(SurveyError::Archived);
    }
    if survey.seen() != seen {
        return Err(SurveyError::Stale);
    }
    let live = survey.is_live();
    let mut definition = if live {
        survey
            .draft
            .clone()
            .unwrap_or_else(|| survey.definition.clone())
    } else {
        survey.definition.clone()
    };
    let answer = change(&mut definition).map_err(SurveyError::Change)?;
    check(db, &survey, &definition, validate::structure(&definition)).await?;
    if live {
        match db::save_draft(db, id, &definition, seen.version, seen.draft_revision, now).await {
            Ok(_) => {}
            Err(StoreError::Conflict) => return Err(SurveyError::Stale),
            Err(error) => return Err(error.into()),
        }
        actor.audit(db, "survey.stage", id.to_string(), None).await;
    } else {
        save(db, actor, &survey, &definition, None, "survey.update", now).await?;
    }
    Ok(answer)
}

/// Replaces a survey's definition at once (the API's deliberate whole-definition save), made
/// from `version`: checked like any definition, against the answers collected, and — on a
/// survey participants can see — by the rules of publishing. Drops any staged draft.
/// Answers the new version.
pub async fn replace(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: u32,
    definition: Definition,
    now: DateTime<Utc>,
) -> Result<u32, SurveyError> {
    may_author(actor)?;
    let survey = load(db, id).await?;
    if survey.status == Status::Archived {
        return Err(SurveyError::Archived);
    }
    if survey.version != version {
        return Err(SurveyError::Stale);
    }
    let mut problems = validate::structure(&definition);
    if survey.is_live() {
        problems.extend(validate::for_publishing(&definition));
    }
    check(db, &survey, &definition, problems).await?;
    save(db, actor, &survey, &definition, None, "survey.update", now).await
}

/// Publishes a live survey's staged draft as its next version, made from `seen`: the draft
/// must pass the rules of first publishing and fit the answers already collected.
pub async fn publish_changes(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    seen: Seen,
    now: DateTime<Utc>,
) -> Result<u32, SurveyError> {
    may_author(actor)?;
    let survey = load(db, id).await?;
    if survey.seen() != seen {
        return Err(SurveyError::Stale);
    }
    let Some(draft) = survey.draft.clone() else {
        return Err(SurveyError::NotAllowed(survey.status));
    };
    let mut ready = survey.clone();
    ready.definition = draft.clone();
    match check(db, &survey, &draft, ready.publishing_problems()).await {
        Err(SurveyError::Problems(problems)) => return Err(SurveyError::NotReady(problems)),
        other => other?,
    }
    let draft_revision = Some(seen.draft_revision);
    save(
        db,
        actor,
        &survey,
        &draft,
        draft_revision,
        "survey.publish_changes",
        now,
    )
    .await
}

/// Drops a live survey's staged draft, made from `seen`.
pub async fn discard_changes(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    seen: Seen,
    now: DateTime<Utc>,
) -> Result<(), SurveyError> {
    may_author(actor)?;
    let survey = load(db, id).await?;
    if survey.seen() != seen || !db::discard_draft(db, id, seen.draft_revision, now).await? {
        return Err(SurveyError::Stale);
    }
    actor
        .audit(db, "survey.discard_changes", id.to_string(), None)
        .await;
    Ok(())
}

/// `problems` plus, once answers exist, what the new definition would break in them.
async fn check<E>(
    db: &Db,
    survey: &Survey,
    definition: &Definition,
    mut problems: Vec<Problem>,
) -> Result<(), SurveyError<E>> {
    if survey.has_responses {
        let answered = db::answered(db, survey.id).await?;
        problems.extend(validate::check_edit(
            &survey.definition,
            definition,
            &answered,
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SurveyError::Problems(problems))
    }
}

/// Saves `definition` as the survey's next version (compare and set) and audits it as
/// `action`.
async fn save<E>(
    db: &Db,
    actor: &Actor,
    survey: &Survey,
    definition: &Definition,
    draft: Option<u32>,
    action: &str,
    now: DateTime<Utc>,
) -> Result<u32, SurveyError<E>> {
    let saved = match db::save_definition(
        db,
        survey.id,
        definition,
        survey.version,
        draft,
        Some(actor.user.id),
        now,
    )
    .await
    {
        Ok(saved) => saved,
        Err(StoreError::Conflict) => return Err(SurveyError::Stale),
        Err(error) => return Err(error.into()),
    };
    actor
        .audit(
            db,
            action,
            survey.id.to_string(),
            Some(format!("version {saved}")),
        )
        .await;
    Ok(saved)
}

/// Moves a survey through its lifecycle: checks the move is allowed and, to publish, that the
/// survey is ready; sets the status unless someone else changed it first (compare and set);
/// applies the schedule at once (opening, closing, due waves) rather than at the scheduler's
/// next tick; audits the move. Answers the new status.
pub async fn move_survey(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    action: Move,
    now: DateTime<Utc>,
) -> Result<Status, SurveyError> {
    may_author(actor)?;
    let survey = load(db, id).await?;
    let to = can_move(
        survey.status,
        action,
        survey.opens_at,
        survey.closes_at,
        survey.has_responses,
        now,
    )
    .ok_or(SurveyError::NotAllowed(survey.status))?;
    if action == Move::Publish {
        let problems = survey.publishing_problems();
        if !problems.is_empty() {
            return Err(SurveyError::NotReady(problems));
        }
    }
    if !db::set_status(db, id, survey.status, to, now).await? {
        return Err(SurveyError::Stale);
    }
    // A failure here is left to the scheduler's next tick.
    if let Err(error) = db::tick(db, now).await {
        tracing::warn!(%error, "applying the schedule after a move; the scheduler will retry");
    }
    actor
        .audit(
            db,
            &format!("survey.{}", action.code()),
            id.to_string(),
            Some(to.code().to_owned()),
        )
        .await;
    Ok(to)
}
