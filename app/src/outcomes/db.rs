//! Outcomes SQL, on both backends: outcomes and their timelines, the people linked to one,
//! who was told of what, and who asked never to hear again.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::rules::{Link, OutcomeFields};
use super::{Choices, ClosingLoop, Filter, Outcome, OutcomeStatus, Shown, Snapshot, Update};
use crate::on_db;
use crate::store::{Db, StoreError};
use crate::text::Text;

const COLUMNS: &str = "id, opportunity_id, feedback_topic, topic, title_ar, title_en, said_ar, \
     said_en, did_ar, did_en, body_ar, body_en, status, reason_ar, reason_en, due_on, indicator, \
     snapshot, published_at, version, created_at, updated_at";

#[derive(Debug, sqlx::FromRow)]
struct Row {
    id: Uuid,
    opportunity_id: Option<Uuid>,
    feedback_topic: Option<String>,
    topic: String,
    title_ar: String,
    title_en: String,
    said_ar: String,
    said_en: String,
    did_ar: String,
    did_en: String,
    body_ar: String,
    body_en: String,
    status: String,
    reason_ar: String,
    reason_en: String,
    due_on: Option<NaiveDate>,
    indicator: Option<String>,
    snapshot: String,
    published_at: Option<DateTime<Utc>>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for Outcome {
    type Error = StoreError;

    fn try_from(row: Row) -> Result<Self, StoreError> {
        let status = OutcomeStatus::from_code(&row.status)
            .ok_or_else(|| StoreError::Corrupt(format!("outcome status {:?}", row.status)))?;
        let snapshot = if row.snapshot.is_empty() {
            None
        } else {
            Some(
                serde_json::from_str::<Snapshot>(&row.snapshot)
                    .map_err(|e| StoreError::Corrupt(format!("outcome snapshot: {e}")))?,
            )
        };
        Ok(Outcome {
            id: row.id,
            opportunity_id: row.opportunity_id,
            feedback_topic: row.feedback_topic,
            topic: row.topic,
            title: Text::new(row.title_ar, row.title_en),
            said: Text::new(row.said_ar, row.said_en),
            did: Text::new(row.did_ar, row.did_en),
            responsible: Text::new(row.body_ar, row.body_en),
            status,
            reason: Text::new(row.reason_ar, row.reason_en),
            due_on: row.due_on,
            indicator: row.indicator,
            snapshot,
            published_at: row.published_at,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

fn outcomes(rows: Vec<Row>) -> Result<Vec<Outcome>, StoreError> {
    rows.into_iter().map(Outcome::try_from).collect()
}

/// The opportunity it answers, or `None` for a feedback topic.
fn opportunity_of(fields: &OutcomeFields) -> (Option<Uuid>, Option<&str>) {
    match &fields.link {
        Link::Opportunity(id) => (Some(*id), None),
        Link::Topic(topic) => (None, Some(topic.as_str())),
    }
}

/// Adds a draft outcome listed under `topic`; answers its id.
pub async fn create(
    db: &Db,
    fields: &OutcomeFields,
    topic: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let (opportunity, feedback_topic) = opportunity_of(fields);
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO outcomes (id, opportunity_id, feedback_topic, topic, title_ar, title_en,
                 said_ar, said_en, did_ar, did_en, body_ar, body_en, status, reason_ar, reason_en,
                 due_on, indicator, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $18, $18)",
        )
        .bind(id)
        .bind(opportunity)
        .bind(feedback_topic)
        .bind(topic)
        .bind(&fields.title.ar)
        .bind(&fields.title.en)
        .bind(&fields.said.ar)
        .bind(&fields.said.en)
        .bind(&fields.did.ar)
        .bind(&fields.did.en)
        .bind(&fields.responsible.ar)
        .bind(&fields.responsible.en)
        .bind(fields.status.code())
        .bind(&fields.reason.ar)
        .bind(&fields.reason.en)
        .bind(fields.due_on)
        .bind(&fields.indicator)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(id)
}

/// Replaces an outcome's fields if it is still at `version`; answers whether it was.
pub async fn update(
    db: &Db,
    id: Uuid,
    version: i32,
    fields: &OutcomeFields,
    topic: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let (opportunity, feedback_topic) = opportunity_of(fields);
    let done = on_db!(db, |pool| {
        sqlx::query(
            "UPDATE outcomes SET opportunity_id = $1, feedback_topic = $2, topic = $3,
                 title_ar = $4, title_en = $5, said_ar = $6, said_en = $7, did_ar = $8,
                 did_en = $9, body_ar = $10, body_en = $11, status = $12, reason_ar = $13,
                 reason_en = $14, due_on = $15, indicator = $16, updated_at = $17,
                 version = version + 1
             WHERE id = $18 AND version = $19",
        )
        .bind(opportunity)
        .bind(feedback_topic)
        .bind(topic)
        .bind(&fields.title.ar)
        .bind(&fields.title.en)
        .bind(&fields.said.ar)
        .bind(&fields.said.en)
        .bind(&fields.did.ar)
        .bind(&fields.did.en)
        .bind(&fields.responsible.ar)
        .bind(&fields.responsible.en)
        .bind(fields.status.code())
        .bind(&fields.reason.ar)
        .bind(&fields.reason.en)
        .bind(fields.due_on)
        .bind(&fields.indicator)
        .bind(now)
        .bind(id)
        .bind(version)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

pub async fn find(db: &Db, id: Uuid) -> Result<Option<Outcome>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM outcomes WHERE id = $1");
    let row: Option<Row> = on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
    })?;
    row.map(Outcome::try_from).transpose()
}

/// An outcome with its timeline, what it answers and how many people were told of it.
pub async fn shown(db: &Db, id: Uuid) -> Result<Option<Shown>, StoreError> {
    let Some(outcome) = find(db, id).await? else {
        return Ok(None);
    };
    let rows: Vec<(Uuid, String, String, String, bool, DateTime<Utc>)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, status, note_ar, note_en, notified, created_at FROM outcome_updates
             WHERE outcome_id = $1 ORDER BY created_at, id",
        )
        .bind(id)
        .fetch_all(pool)
        .await
    })?;
    let updates = rows
        .into_iter()
        .map(|(id, status, ar, en, notified, created_at)| {
            Ok(Update {
                id,
                status: OutcomeStatus::from_code(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("update status {status:?}")))?,
                note: Text::new(ar, en),
                notified,
                created_at,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let opportunity = match outcome.opportunity_id {
        Some(opportunity) => {
            let row: Option<(String, String)> = on_db!(db, |pool| {
                sqlx::query_as("SELECT title_ar, title_en FROM opportunities WHERE id = $1")
                    .bind(opportunity)
                    .fetch_optional(pool)
                    .await
            })?;
            row.map(|(ar, en)| Text::new(ar, en))
        }
        None => None,
    };
    let (notified,): (i64,) = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*) FROM outcome_notices n JOIN outcome_updates u ON u.id = n.update_id
             WHERE u.outcome_id = $1",
        )
        .bind(id)
        .fetch_one(pool)
        .await
    })?;
    Ok(Some(Shown {
        outcome,
        updates,
        opportunity,
        notified,
    }))
}

/// Published outcomes under a filter, most recently changed first.
pub async fn list_published(db: &Db, filter: &Filter) -> Result<Vec<Outcome>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM outcomes WHERE published_at IS NOT NULL
             AND ($1 IS NULL OR topic = $1) AND ($2 IS NULL OR status = $2)
         ORDER BY updated_at DESC, id LIMIT 500"
    );
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(&sql)
            .bind(filter.topic.as_deref())
            .bind(filter.status.map(OutcomeStatus::code))
            .fetch_all(pool)
            .await
    })?;
    outcomes(rows)
}

/// Every outcome, drafts first, then most recently changed.
pub async fn list_all(db: &Db) -> Result<Vec<Outcome>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM outcomes
         ORDER BY CASE WHEN published_at IS NULL THEN 0 ELSE 1 END, updated_at DESC, id"
    );
    let rows: Vec<Row> = on_db!(db, |pool| { sqlx::query_as(&sql).fetch_all(pool).await })?;
    outcomes(rows)
}

/// An opportunity's public results (when public) and published outcomes.
pub async fn closing_loop(db: &Db, opportunity: Uuid) -> Result<ClosingLoop, StoreError> {
    let results: Option<(Option<String>, Uuid)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT s.slug, s.id FROM opportunities o JOIN surveys s ON s.id = o.survey_id
             WHERE o.id = $1 AND s.results_public",
        )
        .bind(opportunity)
        .fetch_optional(pool)
        .await
    })?;
    let sql = format!(
        "SELECT {COLUMNS} FROM outcomes WHERE opportunity_id = $1 AND published_at IS NOT NULL
         ORDER BY updated_at DESC, id"
    );
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(opportunity).fetch_all(pool).await
    })?;
    Ok(ClosingLoop {
        results_key: results.map(|(slug, id)| slug.unwrap_or_else(|| id.to_string())),
        outcomes: outcomes(rows)?,
    })
}

/// Surveys whose results are public and whose opportunity is published: (key, title).
pub async fn published_results(db: &Db) -> Result<Vec<(String, Text)>, StoreError> {
    let rows: Vec<(Option<String>, Uuid, String, String)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT s.slug, s.id, o.title_ar, o.title_en FROM surveys s
             JOIN opportunities o ON o.survey_id = s.id
             WHERE s.results_public AND o.published
             ORDER BY o.ends_at DESC, o.id LIMIT 200",
        )
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(slug, id, ar, en)| (slug.unwrap_or_else(|| id.to_string()), Text::new(ar, en)))
        .collect())
}

/// The published outcomes of the consultations a participant commented on and the topics
/// of the feedback they sent.
pub async fn for_participant(db: &Db, participant: Uuid) -> Result<Vec<Outcome>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM outcomes WHERE published_at IS NOT NULL AND (
             opportunity_id IN (SELECT opportunity_id FROM comments WHERE participant_id = $1)
             OR opportunity_id IN (SELECT opportunity_id FROM feedback_cases
                                   WHERE participant_id = $1 AND opportunity_id IS NOT NULL)
             OR feedback_topic IN (SELECT topic FROM feedback_cases WHERE participant_id = $1))
         ORDER BY updated_at DESC, id LIMIT 100"
    );
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(&sql).bind(participant).fetch_all(pool).await
    })?;
    outcomes(rows)
}

/// What the staff form offers: surveys and consultations, and their questions with a figure
/// per wave.
pub async fn choices(db: &Db) -> Result<Choices, StoreError> {
    let rows: Vec<(Uuid, String, String, Option<Uuid>)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, title_ar, title_en, survey_id FROM opportunities
             WHERE kind IN ('survey', 'consultation') ORDER BY created_at DESC, id",
        )
        .fetch_all(pool)
        .await
    })?;
    let mut choices = Choices::default();
    for (id, ar, en, survey) in rows {
        let title = Text::new(ar, en);
        // A before/after figure needs waves: only periodic surveys offer indicators.
        if let Some(survey) = survey
            && let Some(survey) = crate::surveys::db::get(db, survey).await?
            && survey.recurrence.is_some()
        {
            for (_, q) in survey.definition.questions() {
                if crate::results::summary::has_trend(&q.kind) {
                    choices.indicators.push((
                        id,
                        q.key.clone(),
                        Text::new(
                            format!("{} — {}", title.ar, q.text.ar),
                            format!("{} — {}", title.en, q.text.en),
                        ),
                    ));
                }
            }
        }
        choices.opportunities.push((id, title));
    }
    Ok(choices)
}

/// The opportunity's topic and survey, if there is such an opportunity.
pub async fn opportunity(db: &Db, id: Uuid) -> Result<Option<(String, Option<Uuid>)>, StoreError> {
    on_db!(db, |pool| {
        sqlx::query_as("SELECT topic, survey_id FROM opportunities WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
    })
    .map_err(StoreError::from)
}

/// Publishes a draft still at `version`, freezing `snapshot` (JSON) and adding the first
/// timeline entry; answers the entry's id, or `None` when it changed or was published.
pub async fn publish(
    db: &Db,
    id: Uuid,
    version: i32,
    snapshot: &str,
    note: &Text,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, StoreError> {
    let entry = Uuid::now_v7();
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let done = sqlx::query(
            "UPDATE outcomes SET published_at = $1, snapshot = $2, updated_at = $1,
                 version = version + 1
             WHERE id = $3 AND version = $4 AND published_at IS NULL",
        )
        .bind(now)
        .bind(snapshot)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        sqlx::query(
            "INSERT INTO outcome_updates (id, outcome_id, status, note_ar, note_en, created_at,
                 created_by)
             SELECT $1, id, status, $2, $3, $4, $5 FROM outcomes WHERE id = $6",
        )
        .bind(entry)
        .bind(&note.ar)
        .bind(&note.en)
        .bind(now)
        .bind(by)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, StoreError>(Some(entry))
    })
}

/// Adds a timeline entry to a published outcome still at `version`, moving it to `status`;
/// answers the entry's id, or `None` when it changed meanwhile.
pub async fn add_update(
    db: &Db,
    id: Uuid,
    version: i32,
    status: OutcomeStatus,
    note: &Text,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, StoreError> {
    let entry = Uuid::now_v7();
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        let done = sqlx::query(
            "UPDATE outcomes SET status = $1, updated_at = $2, version = version + 1,
                 reason_ar = CASE WHEN $1 = 'not_adopted' THEN $3 ELSE reason_ar END,
                 reason_en = CASE WHEN $1 = 'not_adopted' THEN $4 ELSE reason_en END
             WHERE id = $5 AND version = $6 AND published_at IS NOT NULL",
        )
        .bind(status.code())
        .bind(now)
        .bind(&note.ar)
        .bind(&note.en)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        sqlx::query(
            "INSERT INTO outcome_updates (id, outcome_id, status, note_ar, note_en, created_at,
                 created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(entry)
        .bind(id)
        .bind(status.code())
        .bind(&note.ar)
        .bind(&note.en)
        .bind(now)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, StoreError>(Some(entry))
    })
}

/// Records that the people linked were told of an entry.
pub async fn mark_notified(db: &Db, update: Uuid) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query("UPDATE outcome_updates SET notified = TRUE WHERE id = $1")
            .bind(update)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A person to tell: where, in which language, and (for webhooks) the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    Email {
        address: String,
        language: String,
    },
    Webhook {
        case: Uuid,
        reference: String,
        url: String,
        language: String,
    },
}

/// Everyone linked to an outcome: those who left an address to hear back from its survey,
/// the participants who commented on its consultation or follow it, and the senders of feedback on its
/// opportunity, survey or topic (by email, or by webhook for the systems that brought it).
pub async fn recipients(db: &Db, outcome: &Outcome) -> Result<Vec<Recipient>, StoreError> {
    let survey = match outcome.opportunity_id {
        Some(id) => opportunity(db, id).await?.and_then(|(_, survey)| survey),
        None => None,
    };
    let mut found = Vec::new();
    if let Some(survey) = survey {
        let rows: Vec<(String, String)> = on_db!(db, |pool| {
            sqlx::query_as("SELECT email, locale FROM survey_contacts WHERE survey_id = $1")
                .bind(survey)
                .fetch_all(pool)
                .await
        })?;
        found.extend(
            rows.into_iter()
                .map(|(address, language)| Recipient::Email { address, language }),
        );
    }
    if let Some(opportunity) = outcome.opportunity_id {
        let rows: Vec<(String, String)> = on_db!(db, |pool| {
            sqlx::query_as(
                "SELECT DISTINCT p.email, p.language FROM comments c
                 JOIN participants p ON p.id = c.participant_id
                 WHERE c.opportunity_id = $1 AND c.state = 'published'
                 UNION
                 SELECT p.email, p.language FROM consultation_followers f
                 JOIN participants p ON p.id = f.participant_id
                 WHERE f.opportunity_id = $1",
            )
            .bind(opportunity)
            .fetch_all(pool)
            .await
        })?;
        found.extend(
            rows.into_iter()
                .map(|(address, language)| Recipient::Email { address, language }),
        );
    }
    type CaseRow = (Uuid, String, String, String, Option<String>, Option<String>);
    let cases: Vec<CaseRow> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT id, reference, language, reply_by, email, webhook_url FROM feedback_cases
             WHERE ($1 IS NOT NULL AND opportunity_id = $1)
                OR ($2 IS NOT NULL AND survey_id = $2)
                OR ($3 IS NOT NULL AND topic = $3)",
        )
        .bind(outcome.opportunity_id)
        .bind(survey)
        .bind(outcome.feedback_topic.as_deref())
        .fetch_all(pool)
        .await
    })?;
    for (case, reference, language, reply_by, email, url) in cases {
        match (reply_by.as_str(), email, url) {
            ("webhook", _, Some(url)) => found.push(Recipient::Webhook {
                case,
                reference,
                url,
                language,
            }),
            (_, Some(address), _) if !address.is_empty() => {
                found.push(Recipient::Email { address, language })
            }
            _ => {}
        }
    }
    Ok(found)
}

/// Claims telling `recipient` of an entry: `true` the first time only.
pub async fn claim_notice(
    db: &Db,
    update: Uuid,
    recipient: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO outcome_notices (update_id, recipient, created_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(update)
        .bind(recipient)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(done == 1)
}

/// Whether an address asked never to hear about outcomes again.
pub async fn opted_out(db: &Db, email: &str) -> Result<bool, StoreError> {
    let row: Option<(String,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT email FROM outcome_optouts WHERE email = $1")
            .bind(email)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.is_some())
}

/// Keeps an unsubscribe link's token (hashed) for an address.
pub async fn save_unsubscribe(
    db: &Db,
    token_hash: &str,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO outcome_unsubscribes (token_hash, email, created_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(email)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The address an unsubscribe link's token was sent to.
pub async fn unsubscribe_address(db: &Db, token_hash: &str) -> Result<Option<String>, StoreError> {
    let row: Option<(String,)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT email FROM outcome_unsubscribes WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|(email,)| email))
}

/// Opts an address out of outcome messages (again is fine), and forgets the addresses it
/// left to hear back.
pub async fn opt_out(db: &Db, email: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO outcome_optouts (email, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(email)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM survey_contacts WHERE lower(email) = $1")
            .bind(email)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })?;
    Ok(())
}

/// Deletes the addresses kept only to hear back from a survey (its outcome is final).
pub async fn forget_contacts(db: &Db, survey: Uuid) -> Result<u64, StoreError> {
    let done = on_db!(db, |pool| {
        sqlx::query("DELETE FROM survey_contacts WHERE survey_id = $1")
            .bind(survey)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(done)
}

/// Counts behind a snapshot: published comments on the opportunity and feedback cases on it,
/// its survey or the topic.
pub async fn voices(
    db: &Db,
    opportunity: Option<Uuid>,
    survey: Option<Uuid>,
    topic: Option<&str>,
) -> Result<(i64, i64), StoreError> {
    let (comments,): (i64,) = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*) FROM comments WHERE opportunity_id = $1 AND state = 'published'
                 AND staff_id IS NULL",
        )
        .bind(opportunity)
        .fetch_one(pool)
        .await
    })?;
    let (feedback,): (i64,) = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*) FROM feedback_cases
             WHERE ($1 IS NOT NULL AND opportunity_id = $1)
                OR ($2 IS NOT NULL AND survey_id = $2)
                OR ($3 IS NOT NULL AND topic = $3)",
        )
        .bind(opportunity)
        .bind(survey)
        .bind(topic)
        .fetch_one(pool)
        .await
    })?;
    Ok((comments, feedback))
}
