//! Accepting a response, written once for every door it comes through: the participant's
//! form (page by page, with a draft kept on the server), staff entering a response taken by
//! phone, on paper or in person, and the JSON API (partner apps, kiosks).
//!
//! Accepting is two steps, so a door may put its own gate between them (the public form
//! counts submissions per address only once the answers hold):
//! - [`check`]: the survey is open, an invitation-only survey has its invitation, the whole
//!   response keeps the survey's rules (hidden questions' answers dropped), and whoever enters
//!   it on someone's behalf may do so;
//! - [`store`]: hand it to the writer (the server's group commit) and, for a response entered
//!   by staff, append the audit entry once it is stored.
//!
//! The public form's pages go through [`take_page`], which keeps the draft and answers what
//! to show next; on the last page it answers the checked response to store.

use std::future::Future;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::check::{AnswerError, Scope, check_complete, fields_from_answers, read_page};
use super::views::pages_for;
use super::{Channel, Draft, IdentityMode, Outcome, PublicSurvey, Submission, db};
use crate::accounts::Permission;
use crate::audit::Actor;
use crate::store::{Db, StoreError};
use crate::surveys::conditions::{Answer, Answers, STAKEHOLDER_QUESTION};

/// Where checked responses are written: the server's group-commit writer, or the store
/// itself (`db::store`) where nothing batches.
pub trait Writer {
    type Error: std::fmt::Display;
    fn write(
        &self,
        submission: Submission,
    ) -> impl Future<Output = Result<Outcome, Self::Error>> + Send;
}

/// The door a response came through, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// A page of the site: the participant's form, or staff's assisted entry.
    Form,
    /// `POST /api/v1/surveys/{id}/responses`.
    Api,
}

/// A whole response as a door received it.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Chosen with the form (or by the API caller): a retry stores nothing new.
    pub submission: Uuid,
    /// The answers as read, the stakeholder group among them; checked here.
    pub answers: Answers,
    pub channel: Channel,
    pub source: Option<String>,
    /// The SHA-256 of the invitation link (`invitation_hash`), never the link itself.
    pub invitation: Option<String>,
    /// When the participant opened the form, if known: the response's duration.
    pub started_at: Option<DateTime<Utc>>,
    pub door: Door,
}

/// A response that holds, ready to store.
#[derive(Debug, Clone)]
pub struct Checked {
    submission: Submission,
    by: Option<Actor>,
    door: Door,
}

impl Checked {
    pub fn id(&self) -> Uuid {
        self.submission.id
    }
}

/// What storing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    Stored,
    /// The same submission id was stored before (a double click, a retry).
    AlreadyStored,
}

/// Why a response was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    #[error("the survey is not open")]
    Closed,
    /// It closed between checking and storing.
    #[error("the survey closed while the response was being stored")]
    ClosedNow,
    #[error("the survey takes invited participants only")]
    InvitationNeeded,
    #[error("the invitation was used by another response, or does not exist")]
    InvitationUsed,
    #[error("only staff who collect responses may enter one on someone's behalf")]
    Forbidden,
    /// Answers that break the survey's rules, with the answers as they were read (cleaned).
    #[error("{} answers break the survey's rules", errors.len())]
    Invalid {
        answers: Answers,
        errors: Vec<AnswerError>,
    },
    #[error("storing failed: {0}")]
    Write(String),
}

fn stakeholder(answers: &Answers) -> String {
    match answers.get(STAKEHOLDER_QUESTION) {
        Some(Answer::Choice { key, .. }) => key.clone(),
        _ => String::new(),
    }
}

/// Checks a whole response against its survey; `by` is the staff member entering it on
/// someone's behalf (required for the assisted channel).
pub fn check(
    survey: &PublicSurvey,
    incoming: Incoming,
    by: Option<Actor>,
    now: DateTime<Utc>,
) -> Result<Checked, AcceptError> {
    if !survey.open {
        return Err(AcceptError::Closed);
    }
    let assisted = incoming.channel == Channel::Assisted;
    match &by {
        Some(actor) if !actor.user.can(Permission::CollectResponses) => {
            return Err(AcceptError::Forbidden);
        }
        None if assisted => return Err(AcceptError::Forbidden),
        _ => {}
    }
    // Staff entering a response vouch for the participant; everyone else brings the link.
    if survey.identity_mode == IdentityMode::Invitation
        && incoming.invitation.is_none()
        && by.is_none()
    {
        return Err(AcceptError::InvitationNeeded);
    }
    let (answers, errors) = check_complete(&survey.definition, &incoming.answers);
    if !errors.is_empty() {
        return Err(AcceptError::Invalid { answers, errors });
    }
    let submission = Submission {
        id: incoming.submission,
        survey: survey.id,
        wave: survey.wave,
        survey_version: survey.version,
        stakeholder_group: stakeholder(&answers),
        channel: incoming.channel,
        source: incoming.source,
        answers,
        entered_by: by.as_ref().map(|actor| actor.user.id),
        invitation: incoming.invitation,
        submitted_at: now,
        duration: incoming.started_at.map(|s| (now - s).num_seconds()),
    };
    Ok(Checked {
        submission,
        by,
        door: incoming.door,
    })
}

/// Stores a checked response; a response entered by staff is audited once stored.
pub async fn store<W: Writer>(
    writer: &W,
    db: &Db,
    checked: Checked,
) -> Result<Accepted, AcceptError> {
    let Checked {
        submission,
        by,
        door,
    } = checked;
    let (id, survey) = (submission.id, submission.survey);
    let details = format!(
        "source={} submission={id}",
        submission.source.as_deref().unwrap_or("")
    );
    let outcome = writer.write(submission).await.map_err(|error| {
        tracing::error!(%error, "storing a response");
        AcceptError::Write(error.to_string())
    })?;
    match outcome {
        Outcome::Stored => {
            if let Some(actor) = by {
                let action = match door {
                    Door::Form => "response.assisted",
                    Door::Api => "response.api",
                };
                actor
                    .audit(db, action, survey.to_string(), Some(details))
                    .await;
            }
            Ok(Accepted::Stored)
        }
        Outcome::AlreadyStored => Ok(Accepted::AlreadyStored),
        Outcome::Closed => Err(AcceptError::ClosedNow),
        Outcome::InvitationUsed => Err(AcceptError::InvitationUsed),
    }
}

/// Checks and stores in one step, for doors with nothing to do in between.
pub async fn accept<W: Writer>(
    writer: &W,
    db: &Db,
    survey: &PublicSurvey,
    incoming: Incoming,
    by: Option<Actor>,
    now: DateTime<Utc>,
) -> Result<Accepted, AcceptError> {
    store(writer, db, check(survey, incoming, by, now)?).await
}

/// One page of the public form as it was posted.
#[derive(Debug, Clone, Default)]
pub struct PagePost {
    /// The form's submission id (a new one when missing or malformed).
    pub submission: Option<Uuid>,
    /// The form says a draft exists for it (every page after the first).
    pub resuming: bool,
    /// The invitation's hash from the link, before the draft keeps it.
    pub invitation: Option<String>,
    /// The channel and its detail from the link (`?ch=`, `?p=`), before the draft keeps them.
    pub channel: Option<Channel>,
    pub source: Option<String>,
    /// The page (section index) the form showed.
    pub page: Option<usize>,
    /// When the first page was opened (seconds since the epoch; sent by the browser).
    pub started: Option<i64>,
    /// The participant pressed "Back".
    pub back: bool,
    /// Everything typed, by field name.
    pub fields: Vec<(String, String)>,
}

/// What the form shows after a page.
#[derive(Debug)]
pub enum PageStep {
    /// Page `page` of the saved draft `submission`.
    Resume { submission: Uuid, page: usize },
    /// The thank-you page: this response was stored before.
    Thanks,
    /// This page again, with what was typed and these errors.
    Again(Vec<AnswerError>),
    /// An earlier page (its rules changed since): shown with the draft's answers as fields.
    Earlier {
        page: usize,
        values: Vec<(String, String)>,
        errors: Vec<AnswerError>,
    },
    /// The last page holds, and so does the whole response: store it.
    Complete(Box<Checked>),
}

/// Why a page was refused.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("the survey is not open")]
    Closed,
    #[error("the survey takes invited participants only")]
    InvitationNeeded,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a page carries over from the draft (or, on the first page, from the link): the
/// invitation, the channel and its detail, when the form was opened, the answers so far and
/// the furthest page reached.
struct Carried {
    invitation: Option<String>,
    channel: Channel,
    source: Option<String>,
    started_at: Option<DateTime<Utc>>,
    known: Answers,
    reached: usize,
}

impl Carried {
    fn new(draft: Option<Draft>, post: &PagePost, now: DateTime<Utc>) -> Self {
        match draft {
            Some(d) => Carried {
                invitation: d.invitation,
                channel: d.channel,
                source: d.source,
                started_at: Some(d.started_at),
                known: d.answers,
                reached: d.reached,
            },
            None => Carried {
                invitation: post.invitation.clone(),
                channel: post
                    .channel
                    .filter(|c| *c != Channel::Assisted)
                    .unwrap_or(Channel::Web),
                source: post.source.clone(),
                // Sent by the browser: clamped to the last day.
                started_at: post
                    .started
                    .and_then(|s| DateTime::from_timestamp(s, 0))
                    .filter(|s| *s <= now && now - *s <= Duration::days(1)),
                known: Answers::new(),
                reached: 0,
            },
        }
    }

    fn draft(
        &self,
        survey: &PublicSurvey,
        id: Uuid,
        answers: Answers,
        reached: usize,
        now: DateTime<Utc>,
    ) -> Draft {
        Draft {
            id,
            survey: survey.id,
            answers,
            reached: self.reached.max(reached),
            channel: self.channel,
            source: self.source.clone(),
            invitation: self.invitation.clone(),
            started_at: self.started_at.unwrap_or(now),
        }
    }
}

/// Reads one page of the public form, keeps the draft, and answers what to show next.
pub async fn take_page(
    db: &Db,
    survey: &PublicSurvey,
    post: PagePost,
    now: DateTime<Utc>,
) -> Result<PageStep, PageError> {
    if !survey.open {
        return Err(PageError::Closed);
    }
    let definition = &survey.definition;
    let submission = post.submission.unwrap_or_else(Uuid::new_v4);
    let draft = if post.resuming {
        match db::draft(db, submission).await? {
            Some(draft) if draft.survey == survey.id => Some(draft),
            // A page sent again after its response was stored: it is already in.
            _ if db::submitted(db, submission).await? => return Ok(PageStep::Thanks),
            _ => None,
        }
    } else {
        None
    };
    let carried = Carried::new(draft, &post, now);
    if survey.identity_mode == IdentityMode::Invitation && carried.invitation.is_none() {
        return Err(PageError::InvitationNeeded);
    }
    let before = pages_for(definition, &carried.known);
    let page = post
        .page
        .filter(|p| *p < definition.sections.len())
        .unwrap_or(before[0]);
    let scope = Scope::Section {
        index: page,
        first: page == before[0],
    };
    let (answers, errors) = read_page(definition, scope, &carried.known, &post.fields);
    if post.back {
        // Back keeps what could be read on this page and goes one page back.
        let previous = pages_for(definition, &answers)
            .into_iter()
            .filter(|p| *p < page)
            .max()
            .unwrap_or(page);
        db::save_draft(
            db,
            &carried.draft(survey, submission, answers, page, now),
            now,
        )
        .await?;
        return Ok(PageStep::Resume {
            submission,
            page: previous,
        });
    }
    if !errors.is_empty() {
        return Ok(PageStep::Again(errors));
    }
    let after = pages_for(definition, &answers);
    if let Some(next) = after.iter().copied().find(|p| *p > page) {
        db::save_draft(
            db,
            &carried.draft(survey, submission, answers, next, now),
            now,
        )
        .await?;
        return Ok(PageStep::Resume {
            submission,
            page: next,
        });
    }
    finish(
        db,
        survey,
        submission,
        carried,
        answers,
        (page, after[0]),
        now,
    )
    .await
}

/// The last page: the whole response must hold, earlier pages included. `pages` is this page
/// and the first one shown.
async fn finish(
    db: &Db,
    survey: &PublicSurvey,
    submission: Uuid,
    carried: Carried,
    answers: Answers,
    (page, first): (usize, usize),
    now: DateTime<Utc>,
) -> Result<PageStep, PageError> {
    let definition = &survey.definition;
    let incoming = Incoming {
        submission,
        answers,
        channel: carried.channel,
        source: carried.source.clone(),
        invitation: carried.invitation.clone(),
        started_at: carried.started_at,
        door: Door::Form,
    };
    match check(survey, incoming, None, now) {
        Ok(checked) => Ok(PageStep::Complete(Box::new(checked))),
        Err(AcceptError::Invalid { answers, errors }) => {
            let on_page = errors
                .first()
                .and_then(|first| {
                    definition
                        .sections
                        .iter()
                        .position(|s| s.questions.iter().any(|q| q.key == first.question))
                })
                .unwrap_or(first);
            if on_page == page {
                return Ok(PageStep::Again(errors));
            }
            // A page before this one is incomplete (its rules changed): show that page.
            let draft = carried.draft(survey, submission, answers.clone(), page, now);
            db::save_draft(db, &draft, now).await?;
            let mut values = vec![
                ("submission".to_owned(), submission.to_string()),
                ("page".to_owned(), on_page.to_string()),
                ("draft".to_owned(), "1".to_owned()),
            ];
            values.extend(fields_from_answers(definition, &answers));
            Ok(PageStep::Earlier {
                page: on_page,
                values,
                errors,
            })
        }
        Err(AcceptError::InvitationNeeded) => Err(PageError::InvitationNeeded),
        Err(_) => Err(PageError::Closed),
    }
}
