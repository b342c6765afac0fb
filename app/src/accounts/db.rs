//! Accounts SQL: users, roles and sessions, on both backends.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rules::FailureCount;
use super::{CurrentUser, Role, UserSummary};
use crate::on_db;
use crate::store::{Db, StoreError};

/// What sign-in needs to know about an email address.
#[derive(Debug, sqlx::FromRow)]
pub struct LoginRecord {
    pub id: Uuid,
    pub password_hash: String,
    pub active: bool,
}

#[derive(Debug, sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    email: String,
    display_name: String,
    active: bool,
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub roles: &'a [Role],
}

/// Creates a user with their roles; `StoreError::Conflict` when the email is taken.
pub async fn create_user(db: &Db, user: NewUser<'_>) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let now = Utc::now();
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO users (id, email, display_name, password_hash, active, created_at)
             VALUES ($1, $2, $3, $4, TRUE, $5)",
        )
        .bind(id)
        .bind(user.email)
        .bind(user.display_name)
        .bind(user.password_hash)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from_unique)?;
        for role in user.roles {
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(id)
                .bind(role.code())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, StoreError>(())
    })?;
    Ok(id)
}

pub async fn find_login(db: &Db, email: &str) -> Result<Option<LoginRecord>, StoreError> {
    let record = on_db!(db, |pool| {
        sqlx::query_as("SELECT id, password_hash, active FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(pool)
            .await
    })?;
    Ok(record)
}

async fn roles_of(db: &Db, id: Uuid) -> Result<Vec<Role>, StoreError> {
    let codes: Vec<(String,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(id)
            .fetch_all(pool)
            .await
    })?;
    Ok(codes
        .iter()
        .filter_map(|(code,)| Role::from_code(code))
        .collect())
}

/// The active user with this id, with their roles.
pub async fn load_active_user(db: &Db, id: Uuid) -> Result<Option<CurrentUser>, StoreError> {
    let row: Option<UserRow> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, email, display_name, active FROM users WHERE id = $1 AND active = TRUE",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    let Some(row) = row else { return Ok(None) };
    let roles = roles_of(db, row.id).await?;
    Ok(Some(CurrentUser {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        roles,
    }))
}

pub async fn list_users(db: &Db) -> Result<Vec<UserSummary>, StoreError> {
    let rows: Vec<UserRow> = on_db!(db, |pool| {
        sqlx::query_as("SELECT id, email, display_name, active FROM users ORDER BY email")
            .fetch_all(pool)
            .await
    })?;
    let mut users = Vec::with_capacity(rows.len());
    for row in rows {
        let roles = roles_of(db, row.id).await?;
        users.push(UserSummary {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            roles,
            active: row.active,
        });
    }
    Ok(users)
}

pub async fn count_users(db: &Db) -> Result<i64, StoreError> {
    let (count,): (i64,) = on_db!(db, |pool| {
        sqlx::query_as("SELECT COUNT(*) FROM users")
            .fetch_one(pool)
            .await
    })?;
    Ok(count)
}

/// Deactivates a user and ends all their sessions at once, in one transaction.
/// Returns the user's id, or `None` when no user has that email.
pub async fn deactivate_user(db: &Db, email: &str) -> Result<Option<Uuid>, StoreError> {
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let id: Option<(Uuid,)> =
            sqlx::query_as("UPDATE users SET active = FALSE WHERE email = $1 RETURNING id")
                .bind(email)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((id,)) = id {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id.map(|(id,)| id))
    })
}

pub async fn set_password_hash(db: &Db, id: Uuid, password_hash: &str) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct SessionRecord {
    pub user_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

pub async fn create_session(
    db: &Db,
    token_hash: &str,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)")
            .bind(token_hash)
            .bind(user_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

pub async fn find_session(db: &Db, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
    let record = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT user_id, created_at, last_seen_at FROM sessions WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await
    })?;
    Ok(record)
}

pub async fn touch_session(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// Ends every session of a user except, optionally, one (after a password change).
pub async fn delete_other_sessions(
    db: &Db,
    user_id: Uuid,
    keep: Option<&str>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(keep.unwrap_or(""))
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// Remembers a failed sign-in, and forgets those older than a day.
pub async fn record_login_failure(
    db: &Db,
    email: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let day_ago = now - chrono::Duration::days(1);
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(day_ago)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO login_failures (at, email, address) VALUES ($1, $2, $3)")
            .bind(now)
            .bind(email)
            .bind(address)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })?;
    Ok(())
}

/// Failed sign-ins since `since`: for this account from this address, from this address, and
/// for this account.
pub async fn login_failures(
    db: &Db,
    email: &str,
    address: &str,
    since: DateTime<Utc>,
) -> Result<[FailureCount; 3], StoreError> {
    type Row = (i64, Option<DateTime<Utc>>);
    let count = |(count, oldest): Row| FailureCount { count, oldest };
    let pair: Row = on_db!(db, |pool| {
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM login_failures WHERE email = $1 AND address = $2 AND at > $3")
            .bind(email)
            .bind(address)
            .bind(since)
            .fetch_one(pool)
            .await
    })?;
    let by_address: Row = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*), MIN(at) FROM login_failures WHERE address = $1 AND at > $2",
        )
        .bind(address)
        .bind(since)
        .fetch_one(pool)
        .await
    })?;
    let by_account: Row = on_db!(db, |pool| {
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM login_failures WHERE email = $1 AND at > $2")
            .bind(email)
            .bind(since)
            .fetch_one(pool)
            .await
    })?;
    Ok([count(pair), count(by_address), count(by_account)])
}

/// A successful sign-in forgets this address's failures for the account.
pub async fn clear_login_failures(db: &Db, email: &str, address: &str) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM login_failures WHERE email = $1 AND address = $2")
            .bind(email)
            .bind(address)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// Creates a team; `StoreError::Conflict` when either name is taken.
pub async fn create_team(db: &Db, name_ar: &str, name_en: &str) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    on_db!(db, |pool| {
        sqlx::query("INSERT INTO teams (id, name_ar, name_en, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(name_ar)
            .bind(name_en)
            .bind(Utc::now())
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(StoreError::from_unique)
    })?;
    Ok(id)
}

pub async fn list_teams(db: &Db) -> Result<Vec<super::Team>, StoreError> {
    let teams: Vec<(Uuid, String, String)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT id, name_ar, name_en FROM teams ORDER BY name_en")
            .fetch_all(pool)
            .await
    })?;
    let members: Vec<(Uuid, Uuid, String, String, bool)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT m.team_id, u.id, u.display_name, u.email, m.lead
             FROM team_members m JOIN users u ON u.id = m.user_id ORDER BY u.display_name",
        )
        .fetch_all(pool)
        .await
    })?;
    Ok(teams
        .into_iter()
        .map(|(id, name_ar, name_en)| super::Team {
            id,
            name_ar,
            name_en,
            members: members
                .iter()
                .filter(|(team, ..)| *team == id)
                .map(|(_, user, name, email, lead)| super::Member {
                    id: *user,
                    display_name: name.clone(),
                    email: email.clone(),
                    lead: *lead,
                })
                .collect(),
        })
        .collect())
}

/// Active users holding the responder role: the people who may join a team.
pub async fn active_responders(db: &Db) -> Result<Vec<super::Member>, StoreError> {
    let rows: Vec<(Uuid, String, String)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT u.id, u.display_name, u.email FROM users u
             JOIN user_roles r ON r.user_id = u.id AND r.role = 'responder'
             WHERE u.active = TRUE ORDER BY u.display_name",
        )
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, display_name, email)| super::Member {
            id,
            display_name,
            email,
            lead: false,
        })
        .collect())
}

/// Adds a member; adding someone already in the team changes nothing.
pub async fn add_team_member(db: &Db, team: Uuid, user: Uuid) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(team)
        .bind(user)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn remove_team_member(db: &Db, team: Uuid, user: Uuid) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2")
            .bind(team)
            .bind(user)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// Makes a member a team's lead or not; answers whether they are a member.
pub async fn set_team_lead(
    db: &Db,
    team: Uuid,
    user: Uuid,
    lead: bool,
) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| {
        sqlx::query("UPDATE team_members SET lead = $1 WHERE team_id = $2 AND user_id = $3")
            .bind(lead)
            .bind(team)
            .bind(user)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}
