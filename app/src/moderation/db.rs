//! SQL for bans, appeals and the moderation figures. Both backends run the same statements.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::CATEGORIES;
use super::bans::{Appeal, Ban, DecidedAppeal, Figures};
use crate::on_db;
use crate::store::{Db, StoreError};

type BanRow = (
    Uuid,
    String,
    String,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<String>,
);

const BAN_COLUMNS: &str = "b.id, b.category, b.note, b.ends_at, b.created_at, b.lifted_at, \
     b.appeal_text, b.appealed_at, b.appeal_decision, b.appeal_note";

fn ban(row: BanRow) -> Ban {
    let (
        id,
        category,
        note,
        ends_at,
        created_at,
        lifted_at,
        appeal_text,
        appealed_at,
        appeal_decision,
        appeal_note,
    ) = row;
    Ban {
        id,
        category,
        note,
        ends_at,
        created_at,
        lifted_at,
        appeal_text,
        appealed_at,
        appeal_decision,
        appeal_note,
    }
}

/// The ban in the first ten columns of a row selected with [`BAN_COLUMNS`] (either backend's
/// row type).
fn ban_of<R>(r: &R) -> Result<Ban, sqlx::Error>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> Uuid: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> DateTime<Utc>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(ban((
        r.try_get(0)?,
        r.try_get(1)?,
        r.try_get(2)?,
        r.try_get(3)?,
        r.try_get(4)?,
        r.try_get(5)?,
        r.try_get(6)?,
        r.try_get(7)?,
        r.try_get(8)?,
        r.try_get(9)?,
    )))
}

/// A new ban.
pub struct NewBan<'a> {
    pub participant: Uuid,
    pub category: &'a str,
    pub note: &'a str,
    pub ends_at: Option<DateTime<Utc>>,
    pub by: Uuid,
    pub now: DateTime<Utc>,
}

pub async fn insert_ban(db: &Db, new: &NewBan<'_>) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO participant_bans
                 (id, participant_id, category, note, ends_at, banned_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(new.participant)
        .bind(new.category)
        .bind(new.note)
        .bind(new.ends_at)
        .bind(new.by)
        .bind(new.now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(id)
}

/// The participant's newest ban (active or not).
pub async fn latest_ban(db: &Db, participant: Uuid) -> Result<Option<Ban>, StoreError> {
    let sql = format!(
        "SELECT {BAN_COLUMNS} FROM participant_bans b WHERE b.participant_id = $1
         ORDER BY b.created_at DESC, b.id DESC LIMIT 1"
    );
    let row: Option<BanRow> = on_db!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(participant)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(ban))
}

/// The ban that stops the participant commenting at `now`, if any.
pub async fn active_ban(
    db: &Db,
    participant: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Ban>, StoreError> {
    let sql = format!(
        "SELECT {BAN_COLUMNS} FROM participant_bans b
         WHERE b.participant_id = $1 AND b.lifted_at IS NULL
           AND (b.ends_at IS NULL OR b.ends_at > $2)
         ORDER BY b.created_at DESC, b.id DESC LIMIT 1"
    );
    let row: Option<BanRow> = on_db!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(participant)
            .bind(now)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(ban))
}

/// Records an appeal, once; false when the ban was already appealed or is not theirs.
pub async fn appeal(
    db: &Db,
    ban: Uuid,
    participant: Uuid,
    text: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE participant_bans SET appeal_text = $1, appealed_at = $2
             WHERE id = $3 AND participant_id = $4 AND appealed_at IS NULL",
        )
        .bind(text)
        .bind(now)
        .bind(ban)
        .bind(participant)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(changed == 1)
}

/// A ban with who it belongs to, for deciding its appeal.
pub struct BanFor {
    pub participant: Uuid,
    pub banned_by: Uuid,
    pub decided: bool,
    pub appealed: bool,
}

pub async fn ban_for(db: &Db, id: Uuid) -> Result<Option<BanFor>, StoreError> {
    type Row = (Uuid, Uuid, Option<String>, Option<DateTime<Utc>>);
    let row: Option<Row> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT participant_id, banned_by, appeal_decision, appealed_at
             FROM participant_bans WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(
        row.map(|(participant, banned_by, decision, appealed)| BanFor {
            participant,
            banned_by,
            decided: decision.is_some(),
            appealed: appealed.is_some(),
        }),
    )
}

/// Decides an appeal once (`lifted` also lifts the ban); false when it was decided already.
pub async fn decide_appeal(
    db: &Db,
    id: Uuid,
    lifted: bool,
    note: &str,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE participant_bans SET appeal_decision = $1, appeal_note = $2,
                 appeal_decided_by = $3, appeal_decided_at = $4,
                 lifted_at = CASE WHEN $5 THEN $4 ELSE lifted_at END
             WHERE id = $6 AND appealed_at IS NOT NULL AND appeal_decision IS NULL",
        )
        .bind(if lifted { "lifted" } else { "upheld" })
        .bind(note)
        .bind(by)
        .bind(now)
        .bind(lifted)
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(changed == 1)
}

/// Appeals waiting for a decision, oldest first; `viewer` marks the ones they made.
pub async fn open_appeals(db: &Db, viewer: Uuid) -> Result<Vec<Appeal>, StoreError> {
    let sql = format!(
        "SELECT {BAN_COLUMNS}, p.display_name, u.display_name, b.banned_by
         FROM participant_bans b
         JOIN participants p ON p.id = b.participant_id
         JOIN users u ON u.id = b.banned_by
         WHERE b.appeal_decision IS NULL AND b.appealed_at IS NOT NULL
         ORDER BY b.appealed_at, b.id LIMIT 200"
    );
    let rows = on_db!(db, |pool| {
        sqlx::query(&sql).fetch_all(pool).await.map(|rows| {
            use sqlx::Row;
            rows.iter()
                .map(|r| -> Result<Appeal, sqlx::Error> {
                    let banned_by: Uuid = r.try_get(12)?;
                    Ok(Appeal {
                        ban: ban_of(r)?,
                        participant: r.try_get(10)?,
                        banned_by: r.try_get(11)?,
                        own: banned_by == viewer,
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })
    })?;
    Ok(rows?)
}

/// The latest `limit` decided appeals, newest first, with who banned and who decided.
pub async fn decided_appeals(db: &Db, limit: i64) -> Result<Vec<DecidedAppeal>, StoreError> {
    let sql = format!(
        "SELECT {BAN_COLUMNS}, p.display_name, u.display_name, d.display_name,
                b.appeal_decided_at
         FROM participant_bans b
         JOIN participants p ON p.id = b.participant_id
         JOIN users u ON u.id = b.banned_by
         JOIN users d ON d.id = b.appeal_decided_by
         WHERE b.appeal_decision IS NOT NULL AND b.appeal_decided_at IS NOT NULL
         ORDER BY b.appeal_decided_at DESC, b.id LIMIT $1"
    );
    let rows = on_db!(db, |pool| {
        sqlx::query(&sql)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map(|rows| {
                use sqlx::Row;
                rows.iter()
                    .map(|r| -> Result<DecidedAppeal, sqlx::Error> {
                        Ok(DecidedAppeal {
                            ban: ban_of(r)?,
                            participant: r.try_get(10)?,
                            banned_by: r.try_get(11)?,
                            decided_by: r.try_get(12)?,
                            decided_at: r.try_get(13)?,
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
    })?;
    Ok(rows?)
}

/// Held, published and hidden counts, the median time to a decision, open appeals.
pub async fn figures(db: &Db) -> Result<Figures, StoreError> {
    let states: Vec<(String, Option<String>, i64)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT state, hidden_category, COUNT(*) FROM comments
             GROUP BY state, hidden_category",
        )
        .fetch_all(pool)
        .await
    })?;
    let count = |state: &str| {
        states
            .iter()
            .filter(|(s, _, _)| s == state)
            .map(|(_, _, n)| n)
            .sum::<i64>()
    };
    let hidden = CATEGORIES
        .iter()
        .filter_map(|key| {
            let n: i64 = states
                .iter()
                .filter(|(s, c, _)| s == "hidden" && c.as_deref() == Some(*key))
                .map(|(_, _, n)| n)
                .sum();
            (n > 0).then(|| ((*key).to_owned(), n))
        })
        .collect();
    let decided: Vec<(DateTime<Utc>, DateTime<Utc>)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT created_at, decided_at FROM comments WHERE decided_at IS NOT NULL
             ORDER BY decided_at DESC LIMIT 1000",
        )
        .fetch_all(pool)
        .await
    })?;
    let mut minutes: Vec<i64> = decided
        .iter()
        .map(|(created, decided)| (*decided - *created).num_minutes().max(0))
        .collect();
    minutes.sort_unstable();
    let (open_appeals,): (i64,) = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*) FROM participant_bans
             WHERE appeal_decision IS NULL AND appealed_at IS NOT NULL",
        )
        .fetch_one(pool)
        .await
    })?;
    Ok(Figures {
        held: count("held"),
        published: count("published"),
        hidden,
        median_decision_minutes: minutes.get(minutes.len() / 2).copied(),
        open_appeals,
    })
}
