//! The specialist teams (MISSION §7.1: replies come from the competent team): an
//! administrator creates them and adds and removes their responders.

use uuid::Uuid;

use super::{AccountError, AccountResult};
use crate::accounts::{Permission, Role, db as accounts_db};
use crate::audit::Actor;
use crate::store::{Db, StoreError};

fn may_manage(actor: &Actor) -> AccountResult<()> {
    if actor.user.can(Permission::ManageUsers) {
        Ok(())
    } else {
        Err(AccountError::Forbidden)
    }
}

/// Creates a team named in both languages; answers its id.
pub async fn create_team(
    db: &Db,
    actor: &Actor,
    name_ar: &str,
    name_en: &str,
) -> AccountResult<Uuid> {
    may_manage(actor)?;
    let (name_ar, name_en) = (name_ar.trim(), name_en.trim());
    let mut problems = Vec::new();
    if name_ar.is_empty() {
        problems.push(("name_ar", "teams.name_ar_required"));
    }
    if name_en.is_empty() {
        problems.push(("name_en", "teams.name_en_required"));
    }
    if !problems.is_empty() {
        return Err(AccountError::Invalid(problems));
    }
    let id = match accounts_db::create_team(db, name_ar, name_en).await {
        Ok(id) => id,
        Err(StoreError::Conflict) => {
            return Err(AccountError::Invalid(vec![("name_en", "teams.name_taken")]));
        }
        Err(error) => return Err(error.into()),
    };
    actor
        .audit(db, "team.create", id.to_string(), Some(name_en.to_owned()))
        .await;
    Ok(id)
}

/// Adds a responder to a team (members are responders: checked here, not only in the list
/// the page offers).
pub async fn add_member(db: &Db, actor: &Actor, team: Uuid, user: Uuid) -> AccountResult<()> {
    may_manage(actor)?;
    let is_responder = accounts_db::load_active_user(db, user)
        .await?
        .is_some_and(|u| u.roles.contains(&Role::Responder));
    if !is_responder {
        return Err(AccountError::Refused("teams.not_responder"));
    }
    if !accounts_db::list_teams(db)
        .await?
        .iter()
        .any(|t| t.id == team)
    {
        return Err(AccountError::NotFound);
    }
    accounts_db::add_team_member(db, team, user).await?;
    actor
        .audit(
            db,
            "team.member_add",
            team.to_string(),
            Some(user.to_string()),
        )
        .await;
    Ok(())
}

/// Removes a member from a team.
pub async fn remove_member(db: &Db, actor: &Actor, team: Uuid, user: Uuid) -> AccountResult<()> {
    may_manage(actor)?;
    accounts_db::remove_team_member(db, team, user).await?;
    actor
        .audit(
            db,
            "team.member_remove",
            team.to_string(),
            Some(user.to_string()),
        )
        .await;
    Ok(())
}

/// Makes a member their team's lead (who assigns its feedback cases and is told when one is
/// overdue), or no longer.
pub async fn set_lead(
    db: &Db,
    actor: &Actor,
    team: Uuid,
    user: Uuid,
    lead: bool,
) -> AccountResult<()> {
    may_manage(actor)?;
    if !accounts_db::set_team_lead(db, team, user, lead).await? {
        return Err(AccountError::NotFound);
    }
    actor
        .audit(
            db,
            if lead { "team.lead" } else { "team.lead_end" },
            team.to_string(),
            Some(user.to_string()),
        )
        .await;
    Ok(())
}
