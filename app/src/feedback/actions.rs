//! What happens to a case, each written once for every door it comes through (the public form,
//! staff recording a call or a letter, the API): intake, taking and assigning, notes, replies,
//! waiting for the participant, closing and reopening, ratings, and the clock's reminder and
//! escalation round. Each checks who may act, moves the case with compare-and-set (two staff
//! acting at once: one wins, the other is told), appends to the case's history, queues what
//! must be sent, and records staff actions in the audit log.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::clock::{self, Counting, ServiceLevel, WorkingWeek};
use super::db::{self, Change, NewCase, NewEntry};
use super::rules::{self, CaseFields, Move, Problems};
use super::{CaseState, CaseView, EntryKind, Rating, ReplyBy, TOPICS, TopicRoute, mail};
use crate::Locale;
use crate::accounts::{CurrentUser, Permission, Role, secrets};
use crate::audit::Actor;
use crate::store::{Db, StoreError, outbox};

/// The service's feedback settings, from configuration.
#[derive(Debug, Clone)]
pub struct Desk {
    pub week: WorkingWeek,
    /// The share of the service level (per mille) at which the assignee is reminded.
    pub remind_permille: u32,
    /// The public address links in emails start with (no trailing slash).
    pub base_url: String,
}

impl Default for Desk {
    fn default() -> Self {
        Desk {
            week: WorkingWeek::uae_federal(),
            remind_permille: 750,
            base_url: "http://127.0.0.1:3000".to_owned(),
        }
    }
}

impl Desk {
    fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.trim_end_matches('/'))
    }
}

/// Why an action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum FeedbackError {
    #[error("the actor may not do this to this case")]
    Forbidden,
    #[error("no such case")]
    NotFound,
    /// Fields that break the rules: each a field name and a catalogue key.
    #[error("fields that break the rules: {0:?}")]
    Invalid(Problems),
    /// The case's state does not allow it (e.g. replying to a closed case).
    #[error("the case's state does not allow this")]
    NotNow,
    /// Someone else moved the case first.
    #[error("the case changed meanwhile")]
    Conflict,
    /// A rating link older than the rating window.
    #[error("the rating can no longer be changed")]
    Expired,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(field: &'static str, key: &'static str) -> FeedbackError {
    FeedbackError::Invalid(vec![(field, key)])
}

/// A case as it comes in, from whichever door.
#[derive(Debug, Clone)]
pub struct Intake<'a> {
    pub fields: CaseFields,
    /// The language of the page or the request: the reply is written in it.
    pub language: Locale,
    /// The staff member who recorded it (phone, in person, paper, social media).
    pub recorded_by: Option<&'a Actor>,
    /// The integration that sent it (an API token), its idempotency key and reply address.
    pub token_id: Option<Uuid>,
    pub client_id: Option<&'a str>,
    pub webhook_url: Option<&'a str>,
    /// The signed-in participant who sent it (their account lists it).
    pub participant: Option<Uuid>,
}

/// A case just received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub id: Uuid,
    pub reference: String,
    /// The private tracking link's token; `None` when an integration repeats a client id
    /// (the first answer had it).
    pub token: Option<String>,
    pub due_at: DateTime<Utc>,
    /// Whether this intake repeated an earlier one (same integration, same client id).
    pub repeated: bool,
}

/// The path of a case's tracking page.
pub fn tracking_path(locale: Locale, token: &str) -> String {
    format!("/{}/feedback/track/{token}", locale.code())
}

/// The path of a reply's rating page.
pub fn rating_path(locale: Locale, token: &str) -> String {
    format!("/{}/feedback/rate/{token}", locale.code())
}

/// Takes a case in: checks what it is about, routes it by topic, computes its due time, stores
/// it, and tells the participant (by email when they gave one) its reference and when to
/// expect a reply.
pub async fn submit(
    db: &Db,
    desk: &Desk,
    intake: Intake<'_>,
    now: DateTime<Utc>,
) -> Result<Received, FeedbackError> {
    if let Some(actor) = intake.recorded_by
        && !actor.user.can(Permission::HandleFeedback)
    {
        return Err(FeedbackError::Forbidden);
    }
    if let (Some(token), Some(client)) = (intake.token_id, intake.client_id)
        && let Some((id, reference, due_at)) = db::by_client_id(db, token, client).await?
    {
        return Ok(Received {
            id,
            reference,
            token: None,
            due_at,
            repeated: true,
        });
    }
    let fields = &intake.fields;
    if let Some(about) = fields.about
        && db::about(db, about).await?.is_none()
    {
        return Err(invalid("about", "feedback.error.about"));
    }
    let TopicRoute { team, level, .. } = db::route(db, &fields.topic).await?;
    let holidays = db::holiday_set(db).await?;
    let due_at = clock::due(now, level, &desk.week, &holidays);
    let remind_at = clock::at_share(
        now,
        due_at,
        level.counting,
        desk.remind_permille,
        &desk.week,
        &holidays,
    );
    let token = secrets::new_token();
    let id = Uuid::now_v7();
    let reference = db::insert(
        db,
        &NewCase {
            id,
            tracking_hash: &secrets::token_hash(&token),
            fields,
            language: intake.language,
            token_id: intake.token_id,
            client_id: intake.client_id,
            webhook_url: intake.webhook_url,
            recorded_by: intake.recorded_by.map(|a| a.user.id),
            participant: intake.participant,
            team,
            level,
            received_at: now,
            due_at,
            remind_at,
        },
    )
    .await?;
    event(
        db,
        id,
        intake.recorded_by.map(|a| a.user.id),
        team,
        "received",
        fields.channel.code(),
        now,
    )
    .await?;
    if let Some(email) = &fields.email {
        let tracking = desk.link(&tracking_path(intake.language, &token));
        let letter = mail::received(intake.language, &reference, due_at, &tracking);
        outbox::enqueue(db, email, &letter.subject, &letter.body, now).await?;
    }
    if let Some(actor) = intake.recorded_by {
        actor
            .audit(
                db,
                "feedback.record",
                id.to_string(),
                Some(reference.clone()),
            )
            .await;
    }
    Ok(Received {
        id,
        reference,
        token: Some(token),
        due_at,
        repeated: false,
    })
}

/// Appends an event (`feedback.event.<what>` with one value) to a case's history.
async fn event(
    db: &Db,
    case: Uuid,
    author: Option<Uuid>,
    team: Option<Uuid>,
    what: &str,
    value: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let body = format!("{what}|{value}");
    db::add_entry(
        db,
        &NewEntry {
            case_id: case,
            kind: EntryKind::Event,
            author,
            team,
            body: &body,
            rating_hash: None,
            at,
        },
    )
    .await
    .map(|_| ())
}

fn is_admin(user: &CurrentUser) -> bool {
    user.roles.contains(&Role::Admin)
}

/// What `user` may do on a case: (act on it, assign it to others).
async fn rights(
    db: &Db,
    user: &CurrentUser,
    case: &db::CaseRecord,
) -> Result<(bool, bool), StoreError> {
    if !user.can(Permission::HandleFeedback) {
        return Ok((false, false));
    }
    if is_admin(user) {
        return Ok((true, true));
    }
    let Some(team) = case.team_id else {
        // Not routed to a team yet: any responder may take it.
        return Ok((true, false));
    };
    let membership = db::membership(db, team, user.id).await?;
    let assignee = case.assignee_id == Some(user.id);
    Ok((membership.is_some() || assignee, membership == Some(true)))
}

/// The case page for `user`: `None` when there is no such case. Contact details are left out
/// unless the viewer may act on the case.
pub async fn view(
    db: &Db,
    user: &CurrentUser,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<CaseView>, StoreError> {
    let Some(case) = db::find(db, id).await? else {
        return Ok(None);
    };
    let (may_act, may_assign) = rights(db, user, &case).await?;
    let teams = db::team_names(db).await?;
    let members = match case.team_id {
        Some(team) => db::members(db, team).await?,
        None => Vec::new(),
    };
    let assignee = match case.assignee_id {
        Some(id) => {
            let name = db::user_name(db, id).await?;
            name.map(|n| (id, n))
        }
        None => None,
    };
    let about = match case.opportunity_id {
        Some(id) => db::about(db, id).await?,
        None => None,
    };
    let language = case.language();
    let templates = templates(language);
    Ok(Some(CaseView {
        case: super::CaseDetail {
            id: case.id,
            reference: case.reference.clone(),
            topic: case.topic.clone(),
            about,
            message: case.message.clone(),
            language,
            group: case
                .stakeholder_group
                .as_deref()
                .and_then(super::StakeholderGroup::from_code),
            channel: case.channel(),
            reply_by: case.reply_by(),
            contact: may_act.then(|| super::Contact {
                name: case.name.clone(),
                email: case.email.clone(),
                phone: case.phone.clone(),
            }),
            team: case
                .team_id
                .and_then(|t| teams.iter().find(|n| n.id == t).cloned()),
            assignee,
            state: case.state(),
            level: case.level(),
            received_at: case.received_at,
            due_at: case.due_at,
            paused_at: case.paused_at,
            first_reply_at: case.first_reply_at,
            entries: db::entries(db, case.id).await?,
            screening: crate::moderation::screen_text(&case.message, Some(language.code())).reasons,
        },
        teams,
        members,
        may_act,
        may_assign,
        templates,
        now,
    }))
}

/// The saved replies in `locale`, from the catalogues.
fn templates(locale: Locale) -> Vec<super::Template> {
    ["thanks", "more_information", "forwarded"]
        .into_iter()
        .map(|key| super::Template {
            title: locale.t(&format!("feedback.template.{key}.title")),
            body: locale.t(&format!("feedback.template.{key}.body")),
        })
        .collect()
}

/// Reads a case and checks that `actor` may act on it (and assign it, when `assigning`).
async fn acting_on(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    assigning: bool,
) -> Result<db::CaseRecord, FeedbackError> {
    if !actor.user.can(Permission::HandleFeedback) {
        return Err(FeedbackError::Forbidden);
    }
    let case = db::find(db, id).await?.ok_or(FeedbackError::NotFound)?;
    let (may_act, may_assign) = rights(db, &actor.user, &case).await?;
    if !may_act || (assigning && !may_assign) {
        return Err(FeedbackError::Forbidden);
    }
    Ok(case)
}

fn allowed(case: &db::CaseRecord, to_do: Move) -> Result<CaseState, FeedbackError> {
    let state = case.state();
    if state.allows(to_do) {
        Ok(state)
    } else {
        Err(FeedbackError::NotNow)
    }
}

fn moved(done: bool) -> Result<(), FeedbackError> {
    if done {
        Ok(())
    } else {
        Err(FeedbackError::Conflict)
    }
}

/// Assigns a case to `to` (oneself: "take it"; someone else on the team: the team's lead or
/// an admin only).
pub async fn assign(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    to: Uuid,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let taking = to == actor.user.id;
    let case = acting_on(db, actor, id, !taking).await?;
    let state = allowed(&case, Move::Assign)?;
    if !taking {
        let on_team = match case.team_id {
            Some(team) => db::membership(db, team, to).await?.is_some(),
            None => false,
        };
        if !on_team {
            return Err(invalid("assignee", "feedback.error.assignee"));
        }
    }
    let next = match state {
        CaseState::New => CaseState::Assigned,
        other => other,
    };
    moved(
        db::change(
            db,
            id,
            &[state],
            &Change {
                state: Some(next),
                assignee: Some(Some(to)),
                ..Change::default()
            },
            now,
        )
        .await?,
    )?;
    let name = db::user_name(db, to).await?.unwrap_or_default();
    event(
        db,
        id,
        Some(actor.user.id),
        case.team_id,
        "assigned",
        &name,
        now,
    )
    .await?;
    actor
        .audit(db, "feedback.assign", id.to_string(), Some(name))
        .await;
    Ok(())
}

/// Sends a case to another team (the competent one); it waits there to be taken.
pub async fn route_to(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    team: Uuid,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let case = acting_on(db, actor, id, false).await?;
    let state = allowed(&case, Move::Assign)?;
    let teams = db::team_names(db).await?;
    let Some(name) = teams.iter().find(|t| t.id == team) else {
        return Err(invalid("team", "feedback.error.team"));
    };
    let next = match state {
        CaseState::Assigned => CaseState::New,
        other => other,
    };
    moved(
        db::change(
            db,
            id,
            &[state],
            &Change {
                state: Some(next),
                team: Some(Some(team)),
                assignee: Some(None),
                ..Change::default()
            },
            now,
        )
        .await?,
    )?;
    event(
        db,
        id,
        Some(actor.user.id),
        Some(team),
        "routed",
        &name.name_en,
        now,
    )
    .await?;
    actor
        .audit(
            db,
            "feedback.route",
            id.to_string(),
            Some(name.name_en.clone()),
        )
        .await;
    Ok(())
}

/// Adds an internal note (never shown to the participant).
pub async fn note(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let case = acting_on(db, actor, id, false).await?;
    let text = rules::check_text(text).map_err(|key| invalid("note", key))?;
    db::add_entry(
        db,
        &NewEntry {
            case_id: id,
            kind: EntryKind::Note,
            author: Some(actor.user.id),
            team: case.team_id,
            body: &text,
            rating_hash: None,
            at: now,
        },
    )
    .await?;
    actor.audit(db, "feedback.note", id.to_string(), None).await;
    Ok(())
}

/// Replies to the participant, or (`waiting`) asks them something and pauses the clock until
/// they answer. The reply goes out on the channel they used: email through the outbox, a
/// signed webhook to the integration, or a task to phone them; the tracking page shows it
/// always. Each reply carries its own rating link.
pub async fn reply(
    db: &Db,
    desk: &Desk,
    actor: &Actor,
    id: Uuid,
    text: &str,
    waiting: bool,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let case = acting_on(db, actor, id, false).await?;
    let state = allowed(&case, if waiting { Move::Wait } else { Move::Reply })?;
    let text = rules::check_text(text).map_err(|key| invalid("reply", key))?;
    let change = if waiting {
        Change {
            state: Some(CaseState::Waiting),
            paused_at: Some(Some(now)),
            first_reply_at: Some(now),
            ..Change::default()
        }
    } else {
        let mut change = Change {
            state: Some(CaseState::Answered),
            paused_at: Some(None),
            first_reply_at: Some(now),
            ..Change::default()
        };
        if let Some(paused) = case.paused_at.filter(|_| state == CaseState::Waiting) {
            let holidays = db::holiday_set(db).await?;
            change.due_at = Some(clock::shift(
                case.due_at,
                paused,
                now,
                case.level().counting,
                &desk.week,
                &holidays,
            ));
        }
        change
    };
    moved(db::change(db, id, &[state], &change, now).await?)?;
    let token = secrets::new_token();
    let entry = db::add_entry(
        db,
        &NewEntry {
            case_id: id,
            kind: EntryKind::Reply,
            author: Some(actor.user.id),
            team: case.team_id,
            body: &text,
            rating_hash: Some(&secrets::token_hash(&token)),
            at: now,
        },
    )
    .await?;
    let language = case.language();
    let team = match case.team_id {
        Some(team) => db::team_names(db)
            .await?
            .into_iter()
            .find(|t| t.id == team)
            .map(|t| t.name(language).to_owned()),
        None => None,
    }
    .unwrap_or_else(|| language.t("feedback.the_ministry"));
    // The tracking link was shown once and only its hash kept, so emails carry the rating link,
    // which also shows the whole reply.
    let rating = desk.link(&rating_path(language, &token));
    match case.reply_by() {
        ReplyBy::Email => {
            if let Some(email) = &case.email {
                let letter = mail::reply(language, &case.reference, &text, &team, &rating, &rating);
                outbox::enqueue(db, email, &letter.subject, &letter.body, now).await?;
            }
        }
        ReplyBy::Webhook => {
            if let Some(url) = &case.webhook_url {
                let payload = serde_json::json!({
                    "type": "feedback.reply",
                    "case": case.reference,
                    "reply_id": entry,
                    "language": language.code(),
                    "team": team,
                    "text": text,
                    "waiting_for_you": waiting,
                    "rating_url": rating,
                    "at": now,
                });
                db::queue_delivery(db, id, url, &payload.to_string(), now).await?;
            }
        }
        // A task on the case page until staff mark it phoned; the tracking page always.
        ReplyBy::Phone | ReplyBy::Web => {}
    }
    actor
        .audit(
            db,
            if waiting {
                "feedback.ask"
            } else {
                "feedback.reply"
            },
            id.to_string(),
            Some(case.reference),
        )
        .await;
    Ok(())
}

/// Marks a reply by phone as read to the participant.
pub async fn phoned(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    entry: Uuid,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    acting_on(db, actor, id, false).await?;
    moved(db::phoned(db, id, entry, now).await?)?;
    actor
        .audit(db, "feedback.phoned", id.to_string(), None)
        .await;
    Ok(())
}

/// The participant answers on their tracking page: the message joins the case and, if the
/// case was waiting for them, the clock runs again (its due time moves by the pause).
pub async fn participant_message(
    db: &Db,
    desk: &Desk,
    key: CaseKey<'_>,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let case = key.find(db).await?.ok_or(FeedbackError::NotFound)?;
    let text = rules::check_text(text).map_err(|key| invalid("message", key))?;
    if text.chars().count() > rules::MESSAGE_MAX {
        return Err(invalid("message", "feedback.error.message_long"));
    }
    let state = case.state();
    if state == CaseState::Closed {
        return Err(FeedbackError::NotNow);
    }
    if state == CaseState::Waiting {
        resume_clock(db, desk, &case, now).await?;
    }
    db::add_entry(
        db,
        &NewEntry {
            case_id: case.id,
            kind: EntryKind::Message,
            author: None,
            team: None,
            body: &text,
            rating_hash: None,
            at: now,
        },
    )
    .await?;
    Ok(())
}

/// Ends a pause: the due time moves later by the paused time, as the service level counts it.
async fn resume_clock(
    db: &Db,
    desk: &Desk,
    case: &db::CaseRecord,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let holidays = db::holiday_set(db).await?;
    let counting = case.level().counting;
    let paused = case.paused_at.unwrap_or(now);
    let due_at = clock::shift(case.due_at, paused, now, counting, &desk.week, &holidays);
    let remind_at = clock::at_share(
        case.received_at,
        due_at,
        counting,
        desk.remind_permille,
        &desk.week,
        &holidays,
    );
    let next = if case.assignee_id.is_some() {
        CaseState::Assigned
    } else {
        CaseState::New
    };
    moved(
        db::change(
            db,
            case.id,
            &[CaseState::Waiting],
            &Change {
                state: Some(next),
                paused_at: Some(None),
                due_at: Some(due_at),
                remind_at: Some(remind_at),
                ..Change::default()
            },
            now,
        )
        .await?,
    )?;
    event(db, case.id, None, case.team_id, "resumed", "", now).await?;
    Ok(())
}

/// Staff end a pause themselves (the participant answered by phone, say).
pub async fn resume(
    db: &Db,
    desk: &Desk,
    actor: &Actor,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let case = acting_on(db, actor, id, false).await?;
    allowed(&case, Move::Resume)?;
    resume_clock(db, desk, &case, now).await?;
    actor
        .audit(db, "feedback.resume", id.to_string(), None)
        .await;
    Ok(())
}

/// Closes a case.
pub async fn close(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let case = acting_on(db, actor, id, false).await?;
    let state = allowed(&case, Move::Close)?;
    moved(
        db::change(
            db,
            id,
            &[state],
            &Change {
                state: Some(CaseState::Closed),
                paused_at: Some(None),
                closed_at: Some(Some(now)),
                ..Change::default()
            },
            now,
        )
        .await?,
    )?;
    event(db, id, Some(actor.user.id), case.team_id, "closed", "", now).await?;
    actor
        .audit(db, "feedback.close", id.to_string(), None)
        .await;
    Ok(())
}

/// Reopens an answered or closed case: it is owed a reply again, within a fresh service level
/// counted from now, with its own reminder and escalation.
async fn reopen_case(
    db: &Db,
    desk: &Desk,
    case: &db::CaseRecord,
    author: Option<Uuid>,
    why: &str,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let state = allowed(case, Move::Reopen)?;
    let holidays = db::holiday_set(db).await?;
    let level = case.level();
    let due_at = clock::due(now, level, &desk.week, &holidays);
    let remind_at = clock::at_share(
        now,
        due_at,
        level.counting,
        desk.remind_permille,
        &desk.week,
        &holidays,
    );
    moved(
        db::change(
            db,
            case.id,
            &[state],
            &Change {
                state: Some(CaseState::Reopened),
                due_at: Some(due_at),
                remind_at: Some(remind_at),
                closed_at: Some(None),
                rearm: true,
                ..Change::default()
            },
            now,
        )
        .await?,
    )?;
    event(db, case.id, author, case.team_id, "reopened", why, now).await?;
    Ok(())
}

/// Staff reopen a case.
pub async fn reopen(
    db: &Db,
    desk: &Desk,
    actor: &Actor,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let case = acting_on(db, actor, id, false).await?;
    reopen_case(db, desk, &case, Some(actor.user.id), "staff", now).await?;
    actor
        .audit(db, "feedback.reopen", id.to_string(), None)
        .await;
    Ok(())
}

/// What a rating names its reply by: the reply's own link (from the email), or the case's
/// tracking link and the reply's id (from the tracking page). No sign-in: the link is the key.
#[derive(Debug, Clone, Copy)]
pub enum RatingKey<'a> {
    Link(&'a str),
    Case { case: CaseKey<'a>, reply: Uuid },
}

/// How a participant names their case: its private tracking link's token, or their account
/// (signed in, the case theirs).
#[derive(Debug, Clone, Copy)]
pub enum CaseKey<'a> {
    Tracking(&'a str),
    Owner { participant: Uuid, case: Uuid },
}

impl CaseKey<'_> {
    async fn find(self, db: &Db) -> Result<Option<db::CaseRecord>, StoreError> {
        match self {
            CaseKey::Tracking(token) => db::find_by_tracking(db, &secrets::token_hash(token)).await,
            CaseKey::Owner { participant, case } => {
                db::find_for_participant(db, participant, case).await
            }
        }
    }
}

/// A participant rates a reply: a score, an optional comment, and "my question was not
/// answered", which reopens the case. One rating per reply, changeable for
/// [`super::RATING_DAYS`].
pub async fn rate(
    db: &Db,
    desk: &Desk,
    key: RatingKey<'_>,
    score: &str,
    comment: &str,
    not_answered: bool,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    let found = match key {
        RatingKey::Link(token) => db::reply_by_rating(db, &secrets::token_hash(token)).await?,
        RatingKey::Case { case, reply } => {
            db::reply_in_case(db, case.find(db).await?, reply).await?
        }
    };
    let (case_id, entry) = found.ok_or(FeedbackError::NotFound)?;
    if now >= entry.at + chrono::Duration::days(super::RATING_DAYS) {
        return Err(FeedbackError::Expired);
    }
    let (score, comment) =
        rules::check_rating(score, comment).map_err(|key| invalid("score", key))?;
    let rating = Rating {
        score,
        comment,
        not_answered,
        rated_at: now,
    };
    db::rate(db, case_id, entry.id, &rating, now).await?;
    if not_answered {
        let case = db::find(db, case_id)
            .await?
            .ok_or(FeedbackError::NotFound)?;
        if case.state().allows(Move::Reopen) {
            reopen_case(db, desk, &case, None, "not_answered", now).await?;
        }
    }
    Ok(())
}

/// Sets a topic's team and service level. Admins only.
pub async fn set_route(
    db: &Db,
    actor: &Actor,
    topic: &str,
    team: Option<Uuid>,
    amount: &str,
    counting: &str,
    now: DateTime<Utc>,
) -> Result<(), FeedbackError> {
    if !actor.user.can(Permission::ManageUsers) {
        return Err(FeedbackError::Forbidden);
    }
    if !TOPICS.contains(&topic) {
        return Err(invalid("topic", "feedback.error.topic"));
    }
    if let Some(team) = team
        && !db::team_names(db).await?.iter().any(|t| t.id == team)
    {
        return Err(invalid("team", "feedback.error.team"));
    }
    let counting = Counting::from_code(counting)
        .ok_or_else(|| invalid("counting", "feedback.error.counting"))?;
    let amount = crate::numbers::parse_number(amount)
        .filter(|a| {
            a.fract() == 0.0 && *a >= 1.0 && *a <= f64::from(ServiceLevel::max_amount(counting))
        })
        .ok_or_else(|| invalid("amount", "feedback.error.sla_amount"))?;
    // The filter above keeps whole numbers within the maximum only.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let level = ServiceLevel {
        amount: amount as u32,
        counting,
    };
    let route = TopicRoute {
        topic: topic.to_owned(),
        team,
        level,
    };
    db::set_route(db, &route, now).await?;
    actor
        .audit(
            db,
            "feedback.settings",
            topic.to_owned(),
            Some(format!("{} {}", level.amount, level.counting.code())),
        )
        .await;
    Ok(())
}

/// Adds (or renames) a public holiday. Admins only.
pub async fn put_holiday(
    db: &Db,
    actor: &Actor,
    day: &str,
    name_ar: &str,
    name_en: &str,
) -> Result<(), FeedbackError> {
    if !actor.user.can(Permission::ManageUsers) {
        return Err(FeedbackError::Forbidden);
    }
    let mut problems = Problems::new();
    let day =
        chrono::NaiveDate::parse_from_str(&crate::numbers::western_digits(day.trim()), "%Y-%m-%d");
    if day.is_err() {
        problems.push(("day", "feedback.error.day"));
    }
    let (name_ar, name_en) = (name_ar.trim(), name_en.trim());
    if name_ar.is_empty() && name_en.is_empty() {
        problems.push(("name_ar", "feedback.error.holiday_name"));
    }
    if name_ar.chars().count() > 200 || name_en.chars().count() > 200 {
        problems.push(("name_ar", "feedback.error.name_long"));
    }
    let Ok(day) = day else {
        return Err(FeedbackError::Invalid(problems));
    };
    if !problems.is_empty() {
        return Err(FeedbackError::Invalid(problems));
    }
    let holiday = super::Holiday {
        day,
        name_ar: name_ar.to_owned(),
        name_en: name_en.to_owned(),
    };
    db::put_holiday(db, &holiday).await?;
    actor
        .audit(
            db,
            "feedback.holiday",
            day.to_string(),
            Some(name_en.to_owned()),
        )
        .await;
    Ok(())
}

/// Removes a public holiday. Admins only.
pub async fn remove_holiday(db: &Db, actor: &Actor, day: &str) -> Result<(), FeedbackError> {
    if !actor.user.can(Permission::ManageUsers) {
        return Err(FeedbackError::Forbidden);
    }
    let day = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| FeedbackError::NotFound)?;
    if !db::remove_holiday(db, day).await? {
        return Err(FeedbackError::NotFound);
    }
    actor
        .audit(db, "feedback.holiday_remove", day.to_string(), None)
        .await;
    Ok(())
}

/// What one round of the clock did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub reminded: usize,
    pub escalated: usize,
}

/// One round of the reply clock, run by every server's scheduler: reminds the assignee (or the
/// team's leads and the admins, when nobody took the case) when the reminder share of the
/// service level has passed, and escalates to the team's leads and the admins at the due time.
/// Each case is claimed first, so it gets exactly one reminder and one escalation however many
/// servers look at once. When a service level counts working time, its reminders and
/// escalations wait for working hours.
pub async fn escalate(db: &Db, desk: &Desk, now: DateTime<Utc>) -> Result<Round, StoreError> {
    let holidays = db::holiday_set(db).await?;
    let working_now = clock::is_working(now, &desk.week, &holidays);
    let waits = |case: &db::CaseRecord| case.level().counting != Counting::Elapsed && !working_now;
    let mut round = Round::default();
    for case in db::due_escalations(db, now).await? {
        if waits(&case) || !db::claim(db, case.id, true, now).await? {
            continue;
        }
        let link = desk.link(&format!("/en/staff/feedback/{}", case.id));
        let letter = mail::to_staff("escalation", &case.reference, case.due_at, &link);
        for to in db::escalation_addresses(db, case.team_id).await? {
            outbox::enqueue(db, &to, &letter.subject, &letter.body, now).await?;
        }
        event(db, case.id, None, case.team_id, "escalated", "", now).await?;
        round.escalated += 1;
    }
    for case in db::due_reminders(db, now).await? {
        if waits(&case) || !db::claim(db, case.id, false, now).await? {
            continue;
        }
        let link = desk.link(&format!("/en/staff/feedback/{}", case.id));
        let letter = mail::to_staff("reminder", &case.reference, case.due_at, &link);
        let to = match case.assignee_id {
            Some(user) => db::user_email(db, user).await?.into_iter().collect(),
            None => db::escalation_addresses(db, case.team_id).await?,
        };
        for to in to {
            outbox::enqueue(db, &to, &letter.subject, &letter.body, now).await?;
        }
        event(db, case.id, None, case.team_id, "reminded", "", now).await?;
        round.reminded += 1;
    }
    Ok(round)
}
