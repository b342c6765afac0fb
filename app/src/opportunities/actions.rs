//! What staff do to opportunities, each written once for every door it comes through (the
//! staff form, the JSON API): adding and changing a consultation, workshop or event. Each
//! action checks the actor's permission, the rules (`rules::check`), writes, and records its
//! audit entry; the adapters only read their input and map the outcome.
//!
//! Survey opportunities are refused: they belong to their survey and change with it.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rules::{OpportunityInput, Problems, check};
use super::{OpportunityKind, db};
use crate::accounts::Permission;
use crate::audit::Actor;
use crate::store::{Db, StoreError};

/// Why an action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum OpportunityError {
    #[error("the actor may not author opportunities")]
    Forbidden,
    #[error("no such opportunity")]
    NotFound,
    #[error("survey opportunities change with their survey")]
    SurveyOwned,
    /// Fields that break the rules: each a field name and a catalogue key.
    #[error("fields that break the rules: {0:?}")]
    Invalid(Problems),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn may_author(actor: &Actor) -> Result<(), OpportunityError> {
    if actor.user.can(Permission::AuthorSurveys) {
        Ok(())
    } else {
        Err(OpportunityError::Forbidden)
    }
}

/// Adds a consultation, workshop or event; answers its id.
pub async fn create(
    db: &Db,
    actor: &Actor,
    input: &OpportunityInput,
    now: DateTime<Utc>,
) -> Result<Uuid, OpportunityError> {
    may_author(actor)?;
    let fields = check(input).map_err(OpportunityError::Invalid)?;
    let id = db::create(db, &fields, now).await?;
    actor
        .audit(
            db,
            "opportunity.create",
            id.to_string(),
            Some(fields.title_en),
        )
        .await;
    Ok(id)
}

/// Changes a consultation, workshop or event: every field is replaced.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    input: &OpportunityInput,
    now: DateTime<Utc>,
) -> Result<(), OpportunityError> {
    may_author(actor)?;
    match db::find(db, id).await? {
        None => return Err(OpportunityError::NotFound),
        Some(found) if found.kind == OpportunityKind::Survey => {
            return Err(OpportunityError::SurveyOwned);
        }
        Some(_) => {}
    }
    let fields = check(input).map_err(OpportunityError::Invalid)?;
    if !db::update(db, id, &fields, now).await? {
        return Err(OpportunityError::NotFound);
    }
    actor
        .audit(
            db,
            "opportunity.update",
            id.to_string(),
            Some(fields.title_en),
        )
        .await;
    Ok(())
}
