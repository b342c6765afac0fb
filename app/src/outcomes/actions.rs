//! What staff do to outcomes, written once for every door: adding and changing a draft,
//! publishing it (freezing its linked results and telling the people linked), and adding
//! progress to its timeline (telling them again when the status changes). Each action checks
//! the actor's permission and the rules, writes compare-and-set, and records its audit entry.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rules::{Link, OutcomeFields, OutcomeInput, Problems, check, check_update};
use super::{Outcome, Snapshot, Update, db, notify};
use crate::Locale;
use crate::accounts::Permission;
use crate::audit::Actor;
use crate::results::{Filter, build};
use crate::store::{Db, StoreError};
use crate::text::Text;

/// Why an action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum OutcomeError {
    #[error("the actor may not author outcomes")]
    Forbidden,
    #[error("no such outcome")]
    NotFound,
    /// Someone else changed it since the form was shown.
    #[error("changed meanwhile")]
    Stale,
    /// Fields that break the rules: each a field name and a catalogue key.
    #[error("fields that break the rules: {0:?}")]
    Invalid(Problems),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn may_author(actor: &Actor) -> Result<(), OutcomeError> {
    if actor.user.can(Permission::AuthorSurveys) {
        Ok(())
    } else {
        Err(OutcomeError::Forbidden)
    }
}

/// The question key of the indicator chosen, `None` for none. A value naming an opportunity
/// other than the linked one names no question of the linked survey: answered as given, so
/// the check below refuses it.
fn indicator_key(value: &str, link: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.split_once(':') {
        Some((opportunity, key)) if matches!(Link::parse(link), Some(Link::Opportunity(id)) if id.to_string() == opportunity) => {
            Some(key.to_owned())
        }
        _ => Some(value.to_owned()),
    }
}

/// Checks the input and what it links to; answers the fields and the topic to list it under.
async fn checked(db: &Db, input: &OutcomeInput) -> Result<(OutcomeFields, String), OutcomeError> {
    let fields = check(input);
    let mut problems = fields.as_ref().err().cloned().unwrap_or_default();
    let mut topic = None;
    let mut survey = None;
    match Link::parse(&input.link) {
        Some(Link::Opportunity(id)) => match db::opportunity(db, id).await? {
            Some((found, linked)) => {
                topic = Some(found);
                survey = linked;
            }
            None => problems.push(("link", "outcomes.error.link")),
        },
        Some(Link::Topic(code)) => topic = Some(code),
        None => {}
    }
    // The form sends `{opportunity}:{key}`; the API may send the bare key.
    let indicator = indicator_key(&input.indicator, &input.link);
    if let Some(indicator) = indicator.as_deref() {
        let known = match survey {
            Some(survey) => crate::surveys::db::get(db, survey)
                .await?
                .and_then(|s| {
                    s.definition
                        .question(indicator)
                        .map(|q| crate::results::summary::has_trend(&q.kind))
                })
                .unwrap_or(false),
            None => false,
        };
        if !known {
            problems.push(("indicator", "outcomes.error.indicator"));
        }
    }
    match (fields, topic) {
        (Ok(mut fields), Some(topic)) if problems.is_empty() => {
            fields.indicator = indicator;
            Ok((fields, topic))
        }
        _ => Err(OutcomeError::Invalid(super::rules::in_page_order(problems))),
    }
}

/// Adds a draft outcome; answers its id.
pub async fn create(
    db: &Db,
    actor: &Actor,
    input: &OutcomeInput,
    now: DateTime<Utc>,
) -> Result<Uuid, OutcomeError> {
    may_author(actor)?;
    let (fields, topic) = checked(db, input).await?;
    let id = db::create(db, &fields, &topic, now).await?;
    actor
        .audit(db, "outcome.create", id.to_string(), Some(fields.title.en))
        .await;
    Ok(id)
}

/// Changes an outcome's texts and links, if it is still at `version`. On a published outcome
/// the status changes only through progress ([`progress`]), so people are told.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: i32,
    input: &OutcomeInput,
    now: DateTime<Utc>,
) -> Result<(), OutcomeError> {
    may_author(actor)?;
    let found = db::find(db, id).await?.ok_or(OutcomeError::NotFound)?;
    let (mut fields, topic) = checked(db, input).await?;
    if found.published_at.is_some() {
        fields.status = found.status;
        fields.reason = found.reason.clone();
    }
    if !db::update(db, id, version, &fields, &topic, now).await? {
        return Err(OutcomeError::Stale);
    }
    actor
        .audit(db, "outcome.update", id.to_string(), Some(fields.title.en))
        .await;
    Ok(())
}

/// The linked results as they are now.
pub async fn snapshot(
    db: &Db,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> Result<Snapshot, StoreError> {
    let survey = match outcome.opportunity_id {
        Some(id) => db::opportunity(db, id).await?.and_then(|(_, s)| s),
        None => None,
    };
    let (comments, feedback) = db::voices(
        db,
        outcome.opportunity_id,
        survey,
        outcome.feedback_topic.as_deref(),
    )
    .await?;
    let mut snapshot = Snapshot {
        taken_at: now,
        responses: None,
        results_key: None,
        comments: (comments > 0).then_some(comments),
        feedback: (feedback > 0).then_some(feedback),
        indicator_ar: None,
        indicator_en: None,
    };
    let Some(survey) = survey else {
        return Ok(snapshot);
    };
    let Some(found) = crate::surveys::db::get(db, survey).await? else {
        return Ok(snapshot);
    };
    for locale in [Locale::Ar, Locale::En] {
        let results = build::results(
            db,
            survey,
            &found.definition,
            &Filter::default(),
            locale,
            build::Audience::Public,
        )
        .await?;
        snapshot.responses = results.responses;
        let indicator = outcome
            .indicator
            .as_deref()
            .and_then(|key| results.trends.into_iter().find(|t| t.key == key));
        match locale {
            Locale::Ar => snapshot.indicator_ar = indicator,
            Locale::En => snapshot.indicator_en = indicator,
        }
        if results.public {
            let (slug, _) = crate::responses::db::collection_settings(db, survey)
                .await?
                .unwrap_or_default();
            snapshot.results_key = Some(slug.unwrap_or_else(|| survey.to_string()));
        }
    }
    Ok(snapshot)
}

/// Publishes a draft still at `version`: freezes its linked results, starts its timeline with
/// `note`, and tells the people linked. `site` is the base URL for the emails' links.
pub async fn publish(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: i32,
    site: &str,
    now: DateTime<Utc>,
) -> Result<notify::Told, OutcomeError> {
    may_author(actor)?;
    let found = db::find(db, id).await?.ok_or(OutcomeError::NotFound)?;
    if found.published_at.is_some() || found.version != version {
        return Err(OutcomeError::Stale);
    }
    let snapshot = snapshot(db, &found, now).await?;
    let json = serde_json::to_string(&snapshot)
        .map_err(|e| StoreError::Corrupt(format!("outcome snapshot: {e}")))?;
    let note = Text::new(
        Locale::Ar.t("outcomes.published_note"),
        Locale::En.t("outcomes.published_note"),
    );
    let entry = db::publish(db, id, version, &json, &note, Some(actor.user.id), now)
        .await?
        .ok_or(OutcomeError::Stale)?;
    let published = db::find(db, id).await?.ok_or(OutcomeError::NotFound)?;
    let update = Update {
        id: entry,
        status: published.status,
        note,
        notified: false,
        created_at: now,
    };
    let told = notify::tell(db, &published, &update, true, site, now).await?;
    actor
        .audit(
            db,
            "outcome.publish",
            id.to_string(),
            Some(format!(
                "{}; {} emails, {} webhooks",
                published.title.en, told.emails, told.webhooks
            )),
        )
        .await;
    Ok(told)
}

/// A timeline entry as typed: a status code and a note in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgressInput {
    pub status: String,
    pub note_ar: String,
    pub note_en: String,
}

/// Adds progress to a published outcome still at `version`: a status and a note in both
/// languages (for "not adopted", the note is the reason). A change of status tells the people
/// linked; a note alone only shows on the timeline.
pub async fn progress(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: i32,
    entry: &ProgressInput,
    site: &str,
    now: DateTime<Utc>,
) -> Result<notify::Told, OutcomeError> {
    may_author(actor)?;
    let found = db::find(db, id).await?.ok_or(OutcomeError::NotFound)?;
    let (status, note) = check_update(&entry.status, &entry.note_ar, &entry.note_en)
        .map_err(OutcomeError::Invalid)?;
    if found.published_at.is_none() || found.version != version {
        return Err(OutcomeError::Stale);
    }
    let added = db::add_update(db, id, version, status, &note, Some(actor.user.id), now)
        .await?
        .ok_or(OutcomeError::Stale)?;
    let mut told = notify::Told::default();
    if status != found.status {
        let changed = db::find(db, id).await?.ok_or(OutcomeError::NotFound)?;
        let update = Update {
            id: added,
            status,
            note,
            notified: false,
            created_at: now,
        };
        told = notify::tell(db, &changed, &update, false, site, now).await?;
    }
    actor
        .audit(
            db,
            "outcome.progress",
            id.to_string(),
            Some(format!(
                "{} → {}; {} emails, {} webhooks",
                found.status.code(),
                status.code(),
                told.emails,
                told.webhooks
            )),
        )
        .await;
    Ok(told)
}
