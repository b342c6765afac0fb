//! Feedback SQL, on both backends. Enums are stored as their codes; a row with a code this
//! version does not know (impossible short of a newer schema: the tables CHECK them) is skipped.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::clock::{Counting, ServiceLevel};
use super::{
    About, CaseFilter, CaseRow, CaseState, Channel, Entry, EntryKind, Holiday, MAX_PAGES,
    PAGE_SIZE, PublicReply, Rating, RatingTarget, ReplyBy, StakeholderGroup, TOPICS, TeamName,
    TopicRoute, Tracked,
};
use crate::on_db;
use crate::store::{Db, StoreError};

fn level(amount: i32, counting: &str) -> ServiceLevel {
    ServiceLevel {
        amount: u32::try_from(amount).unwrap_or(72),
        counting: Counting::from_code(counting).unwrap_or(Counting::Elapsed),
    }
}

fn team(id: Option<Uuid>, ar: Option<String>, en: Option<String>) -> Option<TeamName> {
    Some(TeamName {
        id: id?,
        name_ar: ar?,
        name_en: en?,
    })
}

// ---- Settings: topic routes and holidays -------------------------------------------------

/// Each topic's route (a topic without a row: no team, the default service level).
pub async fn routes(db: &Db) -> Result<Vec<TopicRoute>, StoreError> {
    let rows: Vec<(String, Option<Uuid>, i32, String)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT topic, team_id, sla_amount, sla_counting FROM feedback_topics")
            .fetch_all(pool)
            .await
    })?;
    Ok(TOPICS
        .iter()
        .map(|topic| {
            rows.iter()
                .find(|(t, ..)| t == topic)
                .map(|(_, team, amount, counting)| TopicRoute {
                    topic: (*topic).to_owned(),
                    team: *team,
                    level: level(*amount, counting),
                })
                .unwrap_or_else(|| TopicRoute {
                    topic: (*topic).to_owned(),
                    team: None,
                    level: ServiceLevel::default(),
                })
        })
        .collect())
}

/// One topic's route.
pub async fn route(db: &Db, topic: &str) -> Result<TopicRoute, StoreError> {
    Ok(routes(db)
        .await?
        .into_iter()
        .find(|r| r.topic == topic)
        .unwrap_or_else(|| TopicRoute {
            topic: topic.to_owned(),
            team: None,
            level: ServiceLevel::default(),
        }))
}

pub async fn set_route(db: &Db, route: &TopicRoute, now: DateTime<Utc>) -> Result<(), StoreError> {
    let amount = i32::try_from(route.level.amount).unwrap_or(i32::MAX);
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO feedback_topics (topic, team_id, sla_amount, sla_counting, updated_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (topic) DO UPDATE SET team_id = excluded.team_id,
                 sla_amount = excluded.sla_amount, sla_counting = excluded.sla_counting,
                 updated_at = excluded.updated_at",
        )
        .bind(&route.topic)
        .bind(route.team)
        .bind(amount)
        .bind(route.level.counting.code())
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn holidays(db: &Db) -> Result<Vec<Holiday>, StoreError> {
    let rows: Vec<(NaiveDate, String, String)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT day, name_ar, name_en FROM holidays ORDER BY day")
            .fetch_all(pool)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(day, name_ar, name_en)| Holiday {
            day,
            name_ar,
            name_en,
        })
        .collect())
}

/// The holidays as the clock takes them.
pub async fn holiday_set(db: &Db) -> Result<BTreeSet<NaiveDate>, StoreError> {
    Ok(holidays(db).await?.into_iter().map(|h| h.day).collect())
}

/// Adds a holiday, or renames the one on that day.
pub async fn put_holiday(db: &Db, holiday: &Holiday) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO holidays (day, name_ar, name_en) VALUES ($1, $2, $3)
             ON CONFLICT (day) DO UPDATE SET name_ar = excluded.name_ar, name_en = excluded.name_en",
        )
        .bind(holiday.day)
        .bind(&holiday.name_ar)
        .bind(&holiday.name_en)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// Removes a holiday; answers whether there was one.
pub async fn remove_holiday(db: &Db, day: NaiveDate) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| {
        sqlx::query("DELETE FROM holidays WHERE day = $1")
            .bind(day)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

// ---- Teams --------------------------------------------------------------------------------

pub async fn team_names(db: &Db) -> Result<Vec<TeamName>, StoreError> {
    let rows: Vec<(Uuid, String, String)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT id, name_ar, name_en FROM teams ORDER BY name_en")
            .fetch_all(pool)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, name_ar, name_en)| TeamName {
            id,
            name_ar,
            name_en,
        })
        .collect())
}

/// A team's active members (id, name), leads first.
pub async fn members(db: &Db, team: Uuid) -> Result<Vec<(Uuid, String)>, StoreError> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT u.id, u.display_name FROM team_members m JOIN users u ON u.id = m.user_id
             WHERE m.team_id = $1 AND u.active = TRUE ORDER BY m.lead DESC, u.display_name",
        )
        .bind(team)
        .fetch_all(pool)
        .await
    })
    .map_err(StoreError::from)
}

/// Whether a user is on a team: `None` if not, `Some(lead)` if so.
pub async fn membership(db: &Db, team: Uuid, user: Uuid) -> Result<Option<bool>, StoreError> {
    let row: Option<(bool,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT lead FROM team_members WHERE team_id = $1 AND user_id = $2")
            .bind(team)
            .bind(user)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|(lead,)| lead))
}

/// Email addresses (with their language: staff read both, so English) of a team's leads and
/// of every active admin: who is told when a case is overdue.
pub async fn escalation_addresses(db: &Db, team: Option<Uuid>) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String,)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT DISTINCT u.email FROM users u
             LEFT JOIN team_members m ON m.user_id = u.id AND m.team_id = $1 AND m.lead = TRUE
             LEFT JOIN user_roles r ON r.user_id = u.id AND r.role = 'admin'
             WHERE u.active = TRUE AND (m.user_id IS NOT NULL OR r.user_id IS NOT NULL)
             ORDER BY u.email",
        )
        .bind(team)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows.into_iter().map(|(email,)| email).collect())
}

pub async fn user_email(db: &Db, user: Uuid) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT email FROM users WHERE id = $1 AND active = TRUE")
            .bind(user)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|(email,)| email))
}

// ---- Cases --------------------------------------------------------------------------------

/// A case to store.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    pub id: Uuid,
    pub tracking_hash: &'a str,
    pub fields: &'a super::rules::CaseFields,
    pub language: crate::Locale,
    pub token_id: Option<Uuid>,
    pub client_id: Option<&'a str>,
    pub webhook_url: Option<&'a str>,
    pub recorded_by: Option<Uuid>,
    /// The signed-in participant who sent it, if any.
    pub participant: Option<Uuid>,
    pub team: Option<Uuid>,
    pub level: ServiceLevel,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub remind_at: DateTime<Utc>,
}

/// Stores a case under the next number; answers its reference. The number is taken in the
/// insert itself: on SQLite `MAX(number) + 1` (one writer at a time, so never twice), on
/// PostgreSQL from a sequence (concurrent intakes never collide).
pub async fn insert(db: &Db, case: &NewCase<'_>) -> Result<String, StoreError> {
    use chrono::Datelike;
    let year = crate::dates::in_uae(case.received_at).year();
    let f = case.fields;
    let amount = i32::try_from(case.level.amount).unwrap_or(i32::MAX);
    // Unique until the real reference replaces it, in the same transaction.
    let placeholder = case.id.to_string();
    let next = match db {
        Db::Sqlite(_) => "(SELECT COALESCE(MAX(number), 0) + 1 FROM feedback_cases)",
        Db::Postgres(_) => "nextval('feedback_case_numbers')",
    };
    let sql = format!(
        "INSERT INTO feedback_cases (id, number, reference, tracking_hash, topic,
             opportunity_id, message, language, stakeholder_group, channel, reply_by,
             name, email, phone, token_id, client_id, webhook_url, recorded_by, team_id,
             state, sla_amount, sla_counting, received_at, due_at, remind_at, updated_at,
             participant_id)
         VALUES ($1, {next}, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
             $17, $18, 'new', $19, $20, $21, $22, $23, $21, $24)
         RETURNING number"
    );
    for _ in 0..20 {
        let inserted = on_db!(db, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let (number,): (i64,) = sqlx::query_as(&sql)
                    .bind(case.id)
                    .bind(&placeholder)
                    .bind(case.tracking_hash)
                    .bind(&f.topic)
                    .bind(f.about)
                    .bind(&f.message)
                    .bind(case.language.code())
                    .bind(f.group.map(StakeholderGroup::code))
                    .bind(f.channel.code())
                    .bind(f.reply_by.code())
                    .bind(&f.name)
                    .bind(&f.email)
                    .bind(&f.phone)
                    .bind(case.token_id)
                    .bind(case.client_id)
                    .bind(case.webhook_url)
                    .bind(case.recorded_by)
                    .bind(case.team)
                    .bind(amount)
                    .bind(case.level.counting.code())
                    .bind(case.received_at)
                    .bind(case.due_at)
                    .bind(case.remind_at)
                    .bind(case.participant)
                    .fetch_one(&mut *tx)
                    .await?;
                let reference = super::reference(year, number);
                sqlx::query("UPDATE feedback_cases SET reference = $1 WHERE id = $2")
                    .bind(&reference)
                    .bind(case.id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>(reference)
            }
            .await
        });
        match inserted.map_err(StoreError::from_unique) {
            Ok(reference) => return Ok(reference),
            // The number was taken meanwhile (or the client id was: the caller checks first).
            Err(StoreError::Conflict) if !client_id_taken(db, case).await? => continue,
            Err(error) => return Err(error),
        }
    }
    Err(StoreError::Conflict)
}

async fn client_id_taken(db: &Db, case: &NewCase<'_>) -> Result<bool, StoreError> {
    match (case.token_id, case.client_id) {
        (Some(token), Some(client)) => Ok(by_client_id(db, token, client).await?.is_some()),
        _ => Ok(false),
    }
}

/// The case an integration already sent with this client id: (id, reference, due).
pub async fn by_client_id(
    db: &Db,
    token: Uuid,
    client_id: &str,
) -> Result<Option<(Uuid, String, DateTime<Utc>)>, StoreError> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, reference, due_at FROM feedback_cases WHERE token_id = $1 AND client_id = $2",
        )
        .bind(token)
        .bind(client_id)
        .fetch_optional(pool)
        .await
    })
    .map_err(StoreError::from)
}

/// A case's stored fields, as the actions read them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRecord {
    pub id: Uuid,
    pub reference: String,
    pub topic: String,
    pub opportunity_id: Option<Uuid>,
    pub message: String,
    pub language: String,
    pub stakeholder_group: Option<String>,
    pub channel: String,
    pub reply_by: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub webhook_url: Option<String>,
    pub team_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub state: String,
    pub sla_amount: i32,
    pub sla_counting: String,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub remind_at: DateTime<Utc>,
    pub paused_at: Option<DateTime<Utc>>,
    pub first_reply_at: Option<DateTime<Utc>>,
}

impl CaseRecord {
    pub fn state(&self) -> CaseState {
        CaseState::from_code(&self.state).unwrap_or(CaseState::New)
    }

    pub fn level(&self) -> ServiceLevel {
        level(self.sla_amount, &self.sla_counting)
    }

    pub fn language(&self) -> crate::Locale {
        crate::Locale::from_code(&self.language).unwrap_or_default()
    }

    pub fn reply_by(&self) -> ReplyBy {
        ReplyBy::from_code(&self.reply_by).unwrap_or(ReplyBy::Web)
    }

    pub fn channel(&self) -> Channel {
        Channel::from_code(&self.channel).unwrap_or(Channel::Web)
    }
}

const RECORD: &str = "id, reference, topic, opportunity_id, message, language, stakeholder_group, \
     channel, reply_by, name, email, phone, webhook_url, team_id, assignee_id, state, sla_amount, \
     sla_counting, received_at, due_at, remind_at, paused_at, first_reply_at";

pub async fn find(db: &Db, id: Uuid) -> Result<Option<CaseRecord>, StoreError> {
    let sql = format!("SELECT {RECORD} FROM feedback_cases WHERE id = $1");
    on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
    })
    .map_err(StoreError::from)
}

/// The case a tracking link's hash names.
pub async fn find_by_tracking(db: &Db, hash: &str) -> Result<Option<CaseRecord>, StoreError> {
    let sql = format!("SELECT {RECORD} FROM feedback_cases WHERE tracking_hash = $1");
    on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(hash).fetch_optional(pool).await
    })
    .map_err(StoreError::from)
}

/// A change to a case, made only if it is still in one of `from` (compare-and-set: two staff
/// acting at once cannot both move it). Answers whether it was made.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub state: Option<CaseState>,
    pub team: Option<Option<Uuid>>,
    pub assignee: Option<Option<Uuid>>,
    pub due_at: Option<DateTime<Utc>>,
    pub remind_at: Option<DateTime<Utc>>,
    pub paused_at: Option<Option<DateTime<Utc>>>,
    pub first_reply_at: Option<DateTime<Utc>>,
    pub closed_at: Option<Option<DateTime<Utc>>>,
    /// Clears the reminder and escalation marks (a reopened case gets its own).
    pub rearm: bool,
}

pub async fn change(
    db: &Db,
    id: Uuid,
    from: &[CaseState],
    change: &Change,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| {
        let mut q = QueryBuilder::new("UPDATE feedback_cases SET updated_at = ");
        q.push_bind(now);
        if let Some(state) = change.state {
            q.push(", state = ").push_bind(state.code());
        }
        if let Some(team) = change.team {
            q.push(", team_id = ").push_bind(team);
        }
        if let Some(assignee) = change.assignee {
            q.push(", assignee_id = ").push_bind(assignee);
        }
        if let Some(due) = change.due_at {
            q.push(", due_at = ").push_bind(due);
        }
        if let Some(remind) = change.remind_at {
            q.push(", remind_at = ").push_bind(remind);
        }
        if let Some(paused) = change.paused_at {
            q.push(", paused_at = ").push_bind(paused);
        }
        if let Some(first) = change.first_reply_at {
            q.push(", first_reply_at = COALESCE(first_reply_at, ")
                .push_bind(first)
                .push(")");
        }
        if let Some(closed) = change.closed_at {
            q.push(", closed_at = ").push_bind(closed);
        }
        if change.rearm {
            q.push(", reminded_at = NULL, escalated_at = NULL");
        }
        q.push(" WHERE id = ").push_bind(id).push(" AND state IN (");
        let mut states = q.separated(", ");
        for state in from {
            states.push_bind(state.code());
        }
        q.push(")");
        q.build().execute(pool).await.map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

// ---- History ------------------------------------------------------------------------------

/// An entry to append to a case's history.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub case_id: Uuid,
    pub kind: EntryKind,
    pub author: Option<Uuid>,
    pub team: Option<Uuid>,
    pub body: &'a str,
    pub rating_hash: Option<&'a str>,
    pub at: DateTime<Utc>,
}

pub async fn add_entry(db: &Db, entry: &NewEntry<'_>) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO feedback_entries (id, case_id, kind, author_id, team_id, body, rating_hash, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(entry.case_id)
        .bind(entry.kind.code())
        .bind(entry.author)
        .bind(entry.team)
        .bind(entry.body)
        .bind(entry.rating_hash)
        .bind(entry.at)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(id)
}

/// Marks a phone reply as read to the participant.
pub async fn phoned(
    db: &Db,
    case: Uuid,
    entry: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE feedback_entries SET done_at = $1
             WHERE id = $2 AND case_id = $3 AND kind = 'reply' AND done_at IS NULL",
        )
        .bind(now)
        .bind(entry)
        .bind(case)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: Uuid,
    kind: String,
    author: Option<String>,
    team_id: Option<Uuid>,
    name_ar: Option<String>,
    name_en: Option<String>,
    body: String,
    at: DateTime<Utc>,
    done_at: Option<DateTime<Utc>>,
    score: Option<i32>,
    comment: Option<String>,
    not_answered: Option<bool>,
    rated_at: Option<DateTime<Utc>>,
}

impl EntryRow {
    fn into_entry(self) -> Option<Entry> {
        let rating = match (self.score, self.rated_at) {
            (Some(score), Some(rated_at)) => Some(Rating {
                score: u8::try_from(score).ok()?,
                comment: self.comment.unwrap_or_default(),
                not_answered: self.not_answered.unwrap_or(false),
                rated_at,
            }),
            _ => None,
        };
        Some(Entry {
            id: self.id,
            kind: EntryKind::from_code(&self.kind)?,
            author: self.author,
            team: team(self.team_id, self.name_ar, self.name_en),
            body: self.body,
            at: self.at,
            done_at: self.done_at,
            rating,
        })
    }
}

const ENTRY_SELECT: &str = "SELECT e.id, e.kind, u.display_name AS author, e.team_id, t.name_ar, \
     t.name_en, e.body, e.at, e.done_at, r.score, r.comment, r.not_answered, r.rated_at \
     FROM feedback_entries e LEFT JOIN users u ON u.id = e.author_id \
     LEFT JOIN teams t ON t.id = e.team_id LEFT JOIN feedback_ratings r ON r.entry_id = e.id";

/// A case's history, oldest first.
pub async fn entries(db: &Db, case: Uuid) -> Result<Vec<Entry>, StoreError> {
    let sql = format!("{ENTRY_SELECT} WHERE e.case_id = $1 ORDER BY e.at, e.id");
    let rows: Vec<EntryRow> = on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(case).fetch_all(pool).await
    })?;
    Ok(rows.into_iter().filter_map(EntryRow::into_entry).collect())
}

fn public_reply(entry: Entry) -> PublicReply {
    PublicReply {
        id: entry.id,
        mine: entry.kind == EntryKind::Message,
        team: entry.team,
        body: entry.body,
        at: entry.at,
        rating: entry.rating,
    }
}

/// What the participant's tracking page shows.
pub async fn tracked(
    db: &Db,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Tracked>, StoreError> {
    match find_by_tracking(db, hash).await? {
        Some(case) => tracked_case(db, case, now).await.map(Some),
        None => Ok(None),
    }
}

/// What a signed-in participant's page of one of their cases shows; `None` when the case is
/// not theirs.
pub async fn tracked_for_participant(
    db: &Db,
    participant: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Tracked>, StoreError> {
    match find_for_participant(db, participant, id).await? {
        Some(case) => tracked_case(db, case, now).await.map(Some),
        None => Ok(None),
    }
}

/// A case if it is this participant's.
pub async fn find_for_participant(
    db: &Db,
    participant: Uuid,
    id: Uuid,
) -> Result<Option<CaseRecord>, StoreError> {
    let sql = format!("SELECT {RECORD} FROM feedback_cases WHERE id = $1 AND participant_id = $2");
    on_db!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(id)
            .bind(participant)
            .fetch_optional(pool)
            .await
    })
    .map_err(StoreError::from)
}

async fn tracked_case(
    db: &Db,
    case: CaseRecord,
    now: DateTime<Utc>,
) -> Result<Tracked, StoreError> {
    let replies = entries(db, case.id)
        .await?
        .into_iter()
        .filter(|e| matches!(e.kind, EntryKind::Reply | EntryKind::Message))
        .map(public_reply)
        .collect();
    Ok(Tracked {
        state: case.state(),
        reference: case.reference,
        topic: case.topic,
        message: case.message,
        received_at: case.received_at,
        due_at: case.due_at,
        replies,
        now,
    })
}

/// The reply a rating link's hash names, with its case's id.
pub async fn reply_by_rating(db: &Db, hash: &str) -> Result<Option<(Uuid, Entry)>, StoreError> {
    let sql = format!("{ENTRY_SELECT} WHERE e.rating_hash = $1 AND e.kind = 'reply'");
    let row: Option<EntryRow> = on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(hash).fetch_optional(pool).await
    })?;
    let Some(entry) = row.and_then(EntryRow::into_entry) else {
        return Ok(None);
    };
    let case: Option<(Uuid,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT case_id FROM feedback_entries WHERE id = $1")
            .bind(entry.id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(case.map(|(case,)| (case, entry)))
}

/// A reply of the case a tracking link's hash names, with the case's id.
pub async fn reply_in_case(
    db: &Db,
    case: Option<CaseRecord>,
    reply: Uuid,
) -> Result<Option<(Uuid, Entry)>, StoreError> {
    let Some(case) = case else {
        return Ok(None);
    };
    Ok(entries(db, case.id)
        .await?
        .into_iter()
        .find(|e| e.id == reply && e.kind == EntryKind::Reply)
        .map(|e| (case.id, e)))
}

/// What a rating link's page shows.
pub async fn rating_target(
    db: &Db,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<RatingTarget>, StoreError> {
    let Some((case, entry)) = reply_by_rating(db, hash).await? else {
        return Ok(None);
    };
    let Some(case) = find(db, case).await? else {
        return Ok(None);
    };
    Ok(Some(RatingTarget {
        reference: case.reference,
        reply: public_reply(entry),
        now,
    }))
}

/// Records or replaces the rating of a reply.
pub async fn rate(
    db: &Db,
    case: Uuid,
    entry: Uuid,
    rating: &Rating,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO feedback_ratings (entry_id, case_id, score, comment, not_answered, rated_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)
             ON CONFLICT (entry_id) DO UPDATE SET score = excluded.score, comment = excluded.comment,
                 not_answered = excluded.not_answered, updated_at = excluded.updated_at",
        )
        .bind(entry)
        .bind(case)
        .bind(i32::from(rating.score))
        .bind(&rating.comment)
        .bind(rating.not_answered)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

// ---- The staff list -----------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct ListRow {
    id: Uuid,
    reference: String,
    topic: String,
    state: String,
    channel: String,
    stakeholder_group: Option<String>,
    team_id: Option<Uuid>,
    name_ar: Option<String>,
    name_en: Option<String>,
    assignee: Option<String>,
    received_at: DateTime<Utc>,
    due_at: DateTime<Utc>,
}

/// The end of today in UAE time.
fn end_of_today(now: DateTime<Utc>) -> DateTime<Utc> {
    let local = crate::dates::in_uae(now).date_naive();
    local
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(crate::dates::from_uae)
        .unwrap_or(now)
}

/// A page of cases matching `filter`, those owed a reply first (due soonest), and how many
/// match in all.
pub async fn list(
    db: &Db,
    filter: &CaseFilter,
    user: Uuid,
    now: DateTime<Utc>,
) -> Result<(Vec<CaseRow>, i64), StoreError> {
    // The conditions, pushed onto whichever query builder the backend needs.
    macro_rules! filtered {
        ($q:expr) => {{
            let q = $q;
            q.push(" WHERE 1 = 1");
            if let Some(team) = filter.team {
                q.push(" AND c.team_id = ").push_bind(team);
            }
            if let Some(state) = filter.state {
                q.push(" AND c.state = ").push_bind(state.code());
            }
            if let Some(channel) = filter.channel {
                q.push(" AND c.channel = ").push_bind(channel.code());
            }
            if let Some(group) = filter.group {
                q.push(" AND c.stakeholder_group = ")
                    .push_bind(group.code());
            }
            if let Some(topic) = &filter.topic {
                q.push(" AND c.topic = ").push_bind(topic.clone());
            }
            if filter.mine {
                q.push(" AND c.assignee_id = ").push_bind(user);
            }
            let until = match filter.due.as_deref() {
                Some("overdue") => Some(now),
                Some("today") => Some(end_of_today(now)),
                Some("soon") => Some(now + chrono::Duration::hours(24)),
                _ => None,
            };
            if let Some(until) = until {
                // Owed a reply (queue 0: new, assigned, reopened), so the queue's indexes serve.
                q.push(" AND c.queue = 0 AND c.due_at <= ").push_bind(until);
            }
        }};
    }
    let offset = (filter.page.clamp(1, MAX_PAGES) - 1) * PAGE_SIZE;
    let (rows, total): (Vec<ListRow>, i64) = on_db!(db, |pool| {
        let mut q = QueryBuilder::new(
            "SELECT c.id, c.reference, c.topic, c.state, c.channel, c.stakeholder_group, c.team_id,
                 t.name_ar, t.name_en, u.display_name AS assignee, c.received_at, c.due_at
             FROM feedback_cases c LEFT JOIN teams t ON t.id = c.team_id
             LEFT JOIN users u ON u.id = c.assignee_id",
        );
        filtered!(&mut q);
        q.push(" ORDER BY c.queue, c.due_at, c.id LIMIT ")
            .push_bind(PAGE_SIZE)
            .push(" OFFSET ")
            .push_bind(offset);
        let rows = q.build_query_as().fetch_all(pool).await?;
        // Counted up to one past what the pages show: a broad filter stops early.
        let mut q = QueryBuilder::new("SELECT COUNT(*) FROM (SELECT 1 FROM feedback_cases c");
        filtered!(&mut q);
        q.push(" LIMIT ")
            .push_bind(MAX_PAGES * PAGE_SIZE + 1)
            .push(") AS matching");
        let (total,): (i64,) = q.build_query_as().fetch_one(pool).await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    let rows = rows
        .into_iter()
        .filter_map(|r| {
            Some(CaseRow {
                id: r.id,
                reference: r.reference,
                topic: r.topic,
                state: CaseState::from_code(&r.state)?,
                channel: Channel::from_code(&r.channel)?,
                group: r
                    .stakeholder_group
                    .as_deref()
                    .and_then(StakeholderGroup::from_code),
                team: team(r.team_id, r.name_ar, r.name_en),
                assignee: r.assignee,
                received_at: r.received_at,
                due_at: r.due_at,
            })
        })
        .collect();
    Ok((rows, total))
}

/// Cases still owed a reply, due soonest first (the staff home): a responder's teams' and
/// their own; every case for an admin (`all`).
pub async fn open_for_user(
    db: &Db,
    user: Uuid,
    all: bool,
    limit: i64,
) -> Result<Vec<(Uuid, String, String, DateTime<Utc>)>, StoreError> {
    on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT c.id, c.reference, c.topic, c.due_at FROM feedback_cases c
             WHERE c.queue IN (0, 1)
               AND ($2 OR c.assignee_id = $1
                    OR c.team_id IN (SELECT team_id FROM team_members WHERE user_id = $1))
             ORDER BY c.queue, c.due_at, c.id LIMIT $3",
        )
        .bind(user)
        .bind(all)
        .bind(limit)
        .fetch_all(pool)
        .await
    })
    .map_err(StoreError::from)
}

// ---- The public form ----------------------------------------------------------------------

/// Published opportunities a case may be about, newest first.
pub async fn published_about(db: &Db) -> Result<Vec<About>, StoreError> {
    let rows: Vec<(Uuid, String, String)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, title_ar, title_en FROM opportunities WHERE published = TRUE
             ORDER BY created_at DESC LIMIT 200",
        )
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, title_ar, title_en)| About {
            id,
            title_ar,
            title_en,
        })
        .collect())
}

/// Whether a published opportunity has this id.
pub async fn about(db: &Db, id: Uuid) -> Result<Option<About>, StoreError> {
    let row: Option<(Uuid, String, String)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, title_ar, title_en FROM opportunities WHERE id = $1 AND published = TRUE",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(|(id, title_ar, title_en)| About {
        id,
        title_ar,
        title_en,
    }))
}

// ---- The clock's rounds -------------------------------------------------------------------

/// Cases owed a reply whose reminder time has come and that were not reminded yet.
pub async fn due_reminders(db: &Db, now: DateTime<Utc>) -> Result<Vec<CaseRecord>, StoreError> {
    let sql = format!(
        "SELECT {RECORD} FROM feedback_cases WHERE queue = 0
         AND reminded_at IS NULL AND remind_at <= $1 AND due_at > $1 ORDER BY remind_at LIMIT 200"
    );
    on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(now).fetch_all(pool).await
    })
    .map_err(StoreError::from)
}

/// Cases owed a reply past their due time that were not escalated yet.
pub async fn due_escalations(db: &Db, now: DateTime<Utc>) -> Result<Vec<CaseRecord>, StoreError> {
    let sql = format!(
        "SELECT {RECORD} FROM feedback_cases WHERE queue = 0
         AND escalated_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT 200"
    );
    on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(now).fetch_all(pool).await
    })
    .map_err(StoreError::from)
}

/// Claims a case's reminder (`reminded_at`) or escalation (`escalated_at`): exactly one server
/// wins, however many look at once.
pub async fn claim(
    db: &Db,
    id: Uuid,
    escalation: bool,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let sql = if escalation {
        "UPDATE feedback_cases SET escalated_at = $1, reminded_at = COALESCE(reminded_at, $1)
         WHERE id = $2 AND escalated_at IS NULL"
    } else {
        "UPDATE feedback_cases SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL"
    };
    let done = on_db!(db, |pool| {
        sqlx::query(sql)
            .bind(now)
            .bind(id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

// ---- Webhooks -----------------------------------------------------------------------------

/// A reply owed to an integration.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Delivery {
    pub id: Uuid,
    pub url: String,
    pub payload: String,
    pub attempts: i32,
}

pub async fn queue_delivery(
    db: &Db,
    case: Uuid,
    url: &str,
    payload: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO webhook_deliveries (id, case_id, url, payload, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(id)
        .bind(case)
        .bind(url)
        .bind(payload)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(id)
}

/// Deliveries whose next attempt has come, and claims each for `lease` (so two servers do not
/// send one at once): answers the claimed ones.
pub async fn claim_deliveries(
    db: &Db,
    now: DateTime<Utc>,
    lease: chrono::Duration,
    max_attempts: i32,
) -> Result<Vec<Delivery>, StoreError> {
    let due: Vec<Delivery> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, url, payload, attempts FROM webhook_deliveries
             WHERE delivered_at IS NULL AND next_attempt_at <= $1 AND attempts < $2
             ORDER BY next_attempt_at LIMIT 50",
        )
        .bind(now)
        .bind(max_attempts)
        .fetch_all(pool)
        .await
    })?;
    let mut claimed = Vec::new();
    for delivery in due {
        let taken = on_db!(db, |pool| {
            sqlx::query(
                "UPDATE webhook_deliveries SET next_attempt_at = $1
                 WHERE id = $2 AND delivered_at IS NULL AND next_attempt_at <= $3",
            )
            .bind(now + lease)
            .bind(delivery.id)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        if taken == 1 {
            claimed.push(delivery);
        }
    }
    Ok(claimed)
}

pub async fn delivered(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE webhook_deliveries SET delivered_at = $1, attempts = attempts + 1, last_error = NULL
             WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

pub async fn delivery_failed(
    db: &Db,
    id: Uuid,
    error: &str,
    next: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2
             WHERE id = $3",
        )
        .bind(error)
        .bind(next)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}

/// A staff member's display name.
pub async fn user_name(db: &Db, user: Uuid) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT display_name FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|(name,)| name))
}

/// The case a reference names.
pub async fn find_by_reference(db: &Db, reference: &str) -> Result<Option<CaseRecord>, StoreError> {
    let sql = format!("SELECT {RECORD} FROM feedback_cases WHERE reference = $1");
    on_db!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(reference)
            .fetch_optional(pool)
            .await
    })
    .map_err(StoreError::from)
}

// ---- Figures ------------------------------------------------------------------------------

/// One fact row per case received in [from, to).
pub async fn facts(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<super::figures::CaseFacts>, StoreError> {
    type Row = (
        Uuid,
        Option<Uuid>,
        String,
        String,
        Option<String>,
        DateTime<Utc>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        String,
        bool,
    );
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT c.id, c.team_id, c.topic, c.channel, c.stakeholder_group, c.received_at,
                 c.due_at, c.first_reply_at, c.state,
                 EXISTS (SELECT 1 FROM feedback_entries e WHERE e.case_id = c.id
                         AND e.kind = 'event' AND e.body LIKE 'reopened|%') AS reopened
             FROM feedback_cases c WHERE c.received_at >= $1 AND c.received_at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await
    })?;
    let scores: Vec<(Uuid, i32)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT r.case_id, r.score FROM feedback_ratings r
             JOIN feedback_cases c ON c.id = r.case_id
             WHERE c.received_at >= $1 AND c.received_at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await
    })?;
    let mut by_case: std::collections::HashMap<Uuid, Vec<u8>> = std::collections::HashMap::new();
    for (case, score) in scores {
        if let Ok(score) = u8::try_from(score) {
            by_case.entry(case).or_default().push(score);
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(
            |(
                id,
                team,
                topic,
                channel,
                group,
                received_at,
                due_at,
                first_reply_at,
                state,
                reopened,
            )| {
                let state = CaseState::from_code(&state)?;
                Some(super::figures::CaseFacts {
                    team,
                    topic,
                    channel: Channel::from_code(&channel)?,
                    group: group.as_deref().and_then(StakeholderGroup::from_code),
                    received_at,
                    due_at,
                    first_reply_at,
                    owed: state.awaits_reply() && state != CaseState::Waiting,
                    reopened,
                    scores: by_case.remove(&id).unwrap_or_default(),
                })
            },
        )
        .collect())
}
