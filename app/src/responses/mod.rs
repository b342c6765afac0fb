//! Collecting responses (MISSION §1, §5, §6.4): the public survey form, one section per page
//! with drafts kept on the server; where a response came from (its [`Channel`]); how a survey
//! knows its participants ([`IdentityMode`]); single-use invitations; contact addresses kept
//! apart from the answers; staff-assisted entry.
//!
//! Reading and checking answers is pure and shared with the browser (`check`); storing is
//! `db` (many submissions in one transaction: the server's group commit); the pages are
//! `views`.

#[cfg(feature = "ssr")]
pub mod actions;
pub mod check;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod rounds;
pub mod views;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::surveys::conditions::Answers;
use crate::surveys::model::Definition;

/// How a response reached the ministry (issue 5 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The website (the default).
    Web,
    /// The installed app.
    Mobile,
    /// A link shared on social media (`?ch=social` or `utm_source`).
    Social,
    /// A partner's link (`?p=<code>`): universities, schools, community organisations.
    Partner,
    /// A single-use email invitation.
    Email,
    /// The form embedded in another site.
    Widget,
    /// Entered by staff on someone's behalf (phone, paper, in person).
    Assisted,
}

impl Channel {
    pub const ALL: [Channel; 7] = [
        Channel::Web,
        Channel::Mobile,
        Channel::Social,
        Channel::Partner,
        Channel::Email,
        Channel::Widget,
        Channel::Assisted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Mobile => "mobile",
            Channel::Social => "social",
            Channel::Partner => "partner",
            Channel::Email => "email",
            Channel::Widget => "widget",
            Channel::Assisted => "assisted",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("responses.channel.{}", self.code())
    }
}

/// A partner code, social source or similar tag from a link: 1–40 letters, digits, `-`, `_`
/// or `.`, lower-cased. Anything else is dropped rather than stored.
pub fn clean_source(raw: &str) -> Option<String> {
    let tag = raw.trim().to_ascii_lowercase();
    (!tag.is_empty()
        && tag.len() <= 40
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    .then_some(tag)
}

/// The channel (and its detail) a survey link's query names: an invitation is email; `p` a
/// partner; `ch` mobile, widget or social; `utm_source` social; anything else the web.
pub fn channel_from_link(
    ch: Option<&str>,
    partner: Option<&str>,
    utm_source: Option<&str>,
    invited: bool,
) -> (Channel, Option<String>) {
    if invited {
        return (Channel::Email, None);
    }
    if let Some(code) = partner.and_then(clean_source) {
        return (Channel::Partner, Some(code));
    }
    match ch.map(str::trim) {
        Some("mobile") => return (Channel::Mobile, None),
        Some("widget") => return (Channel::Widget, None),
        Some("social") => return (Channel::Social, utm_source.and_then(clean_source)),
        _ => {}
    }
    match utm_source.and_then(clean_source) {
        Some(source) => (Channel::Social, Some(source)),
        None => (Channel::Web, None),
    }
}

/// How staff took down an assisted response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssistedMode {
    Phone,
    Paper,
    InPerson,
}

impl AssistedMode {
    pub const ALL: [AssistedMode; 3] = [
        AssistedMode::Phone,
        AssistedMode::Paper,
        AssistedMode::InPerson,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AssistedMode::Phone => "phone",
            AssistedMode::Paper => "paper",
            AssistedMode::InPerson => "in_person",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("responses.assisted_mode.{}", self.code())
    }
}

/// How a survey knows who answers (issue 5 §5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdentityMode {
    /// Nothing that identifies a participant is stored with the answers.
    #[default]
    Anonymous,
    /// One response per single-use invitation link; the link is not stored with the answers.
    Invitation,
}

impl IdentityMode {
    pub const ALL: [IdentityMode; 2] = [IdentityMode::Anonymous, IdentityMode::Invitation];

    pub fn code(self) -> &'static str {
        match self {
            IdentityMode::Anonymous => "anonymous",
            IdentityMode::Invitation => "invitation",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// A survey as its public form needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicSurvey {
    pub id: Uuid,
    /// The address segment (`/{lang}/s/{key}`): the slug, or the id when there is none.
    pub key: String,
    pub open: bool,
    pub identity_mode: IdentityMode,
    pub definition: Definition,
    pub version: u32,
    /// The wave open now, for a periodic survey.
    pub wave: Option<Uuid>,
    pub closes_at: Option<DateTime<Utc>>,
    /// When a scheduled survey opens (`None` once published or closed).
    pub opens_later: Option<DateTime<Utc>>,
    /// Between two rounds of an open periodic survey: when the next opens.
    pub next_round: Option<DateTime<Utc>>,
    /// Between rounds: the number of the last round that opened.
    pub last_round: Option<i32>,
    pub recurrence: Option<crate::surveys::lifecycle::Recurrence>,
}

/// A slug as authors may set it: 3–60 small letters, digits and dashes, not a UUID-like
/// string, not starting or ending with a dash.
pub fn valid_slug(slug: &str) -> bool {
    (3..=60).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && Uuid::parse_str(slug).is_err()
}

/// One response to store, as the form, staff-assisted entry or the API hand it over.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// Generated with the form (or by the API caller): storing it twice stores it once.
    pub id: Uuid,
    pub survey: Uuid,
    pub wave: Option<Uuid>,
    pub survey_version: u32,
    pub stakeholder_group: String,
    pub channel: Channel,
    pub source: Option<String>,
    /// Checked answers, hidden questions' answers dropped.
    pub answers: Answers,
    /// The staff member who entered it on someone's behalf.
    pub entered_by: Option<Uuid>,
    /// The SHA-256 of the invitation link it answers (invitation mode); never stored with it.
    pub invitation: Option<String>,
    pub submitted_at: DateTime<Utc>,
    /// Seconds from the form's first page to sending, when known.
    pub duration: Option<i64>,
}

/// What storing a submission did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Stored,
    /// The same submission id was stored before (a double click or a retry).
    AlreadyStored,
    /// The survey is not open (any more).
    Closed,
    /// The invitation was used by another submission, or does not exist.
    InvitationUsed,
}

/// An unfinished response kept after each page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub id: Uuid,
    pub survey: Uuid,
    pub answers: Answers,
    /// The furthest page (section index) reached.
    pub reached: usize,
    pub channel: Channel,
    pub source: Option<String>,
    /// The SHA-256 of the invitation link it answers (invitation mode).
    pub invitation: Option<String>,
    /// When the participant opened the form: the start of the completion time.
    pub started_at: DateTime<Utc>,
}

/// The SHA-256 of an invitation token, as stored.
#[cfg(feature = "ssr")]
pub fn invitation_hash(token: &str) -> String {
    crate::accounts::secrets::token_hash(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_their_channel() {
        assert_eq!(
            channel_from_link(None, None, None, false),
            (Channel::Web, None)
        );
        assert_eq!(
            channel_from_link(Some("social"), None, Some("X"), false),
            (Channel::Social, Some("x".into()))
        );
        assert_eq!(
            channel_from_link(None, None, Some("facebook"), false),
            (Channel::Social, Some("facebook".into()))
        );
        assert_eq!(
            channel_from_link(Some("mobile"), Some("ksu"), None, false),
            (Channel::Partner, Some("ksu".into()))
        );
        assert_eq!(
            channel_from_link(None, Some("<script>"), None, false),
            (Channel::Web, None)
        );
        assert_eq!(
            channel_from_link(Some("widget"), None, None, false).0,
            Channel::Widget
        );
        assert_eq!(
            channel_from_link(None, Some("ksu"), None, true).0,
            Channel::Email
        );
    }

    #[test]
    fn slugs() {
        assert!(valid_slug("services-2026"));
        assert!(!valid_slug("ab") && !valid_slug("-ab-") && !valid_slug("Has Caps"));
        assert!(!valid_slug("0192d1f2-7b3c-7d4e-8f00-112233445566"));
    }
}
