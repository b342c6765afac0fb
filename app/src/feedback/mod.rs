//! Feedback and enquiries (MISSION.md §7.1–7.2): a case from any channel, answered within its
//! topic's service level by the competent team, on the channel the participant used, and rated
//! by the participant.
//!
//! Invariants: a case's due time is computed once at intake (`clock::due`) and moves only by a
//! recorded pause while the case waits for the participant; its reference (`SHK-2026-000123`)
//! and its private tracking link never change, and only the link's SHA-256 is stored; each
//! reply has its own rating link (hashed too), one rating per reply, changeable for
//! [`RATING_DAYS`]; contact details are shown only to the case's team and admins; each case is
//! reminded and escalated at most once ([`actions::escalate`] claims the row).
//! Pure rules (input checks, states) are in `rules`, the reply clock in `clock`, SQL in `db`,
//! the use cases in `actions`, the public pages in `views`, the staff pages in `staff_views`.

#[cfg(feature = "ssr")]
pub mod actions;
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod figures;
pub mod figures_views;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod rules;
pub mod staff_views;
pub mod views;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Locale;
pub use crate::groups::StakeholderGroup;
pub use crate::opportunities::TOPICS;
use clock::ServiceLevel;

/// How long a participant may change the rating of a reply.
pub const RATING_DAYS: i64 = 14;

/// Cases per page of the staff list.
pub const PAGE_SIZE: i64 = 50;

/// Pages the staff list goes to: beyond them, staff narrow the filters (the list counts matching
/// cases only this far, so a broad filter never counts every case).
pub const MAX_PAGES: i64 = 50;

/// How a case reached the ministry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The public form.
    Web,
    Phone,
    InPerson,
    Paper,
    SocialMedia,
    /// A partner's or the call centre's system, through the API.
    Partner,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Web,
        Channel::Phone,
        Channel::InPerson,
        Channel::Paper,
        Channel::SocialMedia,
        Channel::Partner,
    ];

    /// The channels staff record by hand.
    pub const RECORDED: [Channel; 4] = [
        Channel::Phone,
        Channel::InPerson,
        Channel::Paper,
        Channel::SocialMedia,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Phone => "phone",
            Channel::InPerson => "in_person",
            Channel::Paper => "paper",
            Channel::SocialMedia => "social_media",
            Channel::Partner => "partner",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("feedback.channel.{}", self.code())
    }
}

/// How the participant is answered (besides the tracking page, which always shows the reply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReplyBy {
    Email,
    /// The tracking page only (an anonymous case).
    Web,
    /// Staff phone back and read the reply.
    Phone,
    /// A signed POST to the integration that brought the case in.
    Webhook,
}

impl ReplyBy {
    pub const ALL: [ReplyBy; 4] = [
        ReplyBy::Email,
        ReplyBy::Web,
        ReplyBy::Phone,
        ReplyBy::Webhook,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReplyBy::Email => "email",
            ReplyBy::Web => "web",
            ReplyBy::Phone => "phone",
            ReplyBy::Webhook => "webhook",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("feedback.reply_by.{}", self.code())
    }
}

/// Where a case is: new → assigned → waiting for the participant → answered → closed, and
/// reopened (by the participant's "not answered", or by staff).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    New,
    Assigned,
    Waiting,
    Answered,
    Closed,
    Reopened,
}

impl CaseState {
    pub const ALL: [CaseState; 6] = [
        CaseState::New,
        CaseState::Assigned,
        CaseState::Waiting,
        CaseState::Answered,
        CaseState::Closed,
        CaseState::Reopened,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseState::New => "new",
            CaseState::Assigned => "assigned",
            CaseState::Waiting => "waiting",
            CaseState::Answered => "answered",
            CaseState::Closed => "closed",
            CaseState::Reopened => "reopened",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("feedback.state.{}", self.code())
    }

    /// Whether the ministry still owes an answer (the clock runs, or is paused while waiting).
    pub fn awaits_reply(self) -> bool {
        matches!(
            self,
            CaseState::New | CaseState::Assigned | CaseState::Waiting | CaseState::Reopened
        )
    }
}

/// A case's reference as people quote it: `SHK-2026-000123`.
pub fn reference(year: i32, number: i64) -> String {
    format!("SHK-{year}-{number:06}")
}

/// The name of a topic in `locale` (topics share the opportunities' catalogue).
pub fn topic_label_key(topic: &str) -> String {
    crate::opportunities::topic_label_key(topic)
}

/// A team, as lists and selects show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamName {
    pub id: Uuid,
    pub name_ar: String,
    pub name_en: String,
}

impl TeamName {
    pub fn name(&self, locale: Locale) -> &str {
        match locale {
            Locale::Ar => &self.name_ar,
            Locale::En => &self.name_en,
        }
    }
}

/// A case as the staff list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    pub id: Uuid,
    pub reference: String,
    pub topic: String,
    pub state: CaseState,
    pub channel: Channel,
    pub group: Option<StakeholderGroup>,
    pub team: Option<TeamName>,
    pub assignee: Option<String>,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
}

impl CaseRow {
    /// Past its due time with no answer yet (a paused case is not overdue).
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        self.state.awaits_reply() && self.state != CaseState::Waiting && self.due_at <= now
    }
}

/// The staff list's filters, as the GET form sends them (`?team=…&state=…`). Unknown values are
/// ignored rather than refused: a stale bookmark still lists something.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFilter {
    pub team: Option<Uuid>,
    pub state: Option<CaseState>,
    /// `overdue`, `today` (due before the end of today, UAE time) or `soon` (within 24 hours).
    pub due: Option<String>,
    pub channel: Option<Channel>,
    pub group: Option<StakeholderGroup>,
    pub topic: Option<String>,
    /// Only cases assigned to the asking staff member.
    pub mine: bool,
    pub page: i64,
}

impl CaseFilter {
    /// Reads the filters from the query's values.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let some = |key: &str| get(key).filter(|v| !v.is_empty());
        CaseFilter {
            team: some("team").and_then(|v| v.parse().ok()),
            state: some("state").and_then(|v| CaseState::from_code(&v)),
            due: some("due").filter(|v| ["overdue", "today", "soon"].contains(&v.as_str())),
            channel: some("channel").and_then(|v| Channel::from_code(&v)),
            group: some("group").and_then(|v| StakeholderGroup::from_code(&v)),
            topic: some("topic").filter(|v| TOPICS.contains(&v.as_str())),
            mine: some("mine").is_some(),
            page: some("page")
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(1)
                .clamp(1, MAX_PAGES),
        }
    }
}

/// A page of the staff list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePage {
    pub rows: Vec<CaseRow>,
    /// Matching cases, counted up to one more than `MAX_PAGES` pages hold.
    pub total: i64,
    pub teams: Vec<TeamName>,
    pub now: DateTime<Utc>,
}

/// What happened on a case: a note (staff only), a reply (the participant sees it), a message
/// from the participant (an answer while the case waits for them), or an event (assignment,
/// state change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Note,
    Reply,
    Message,
    Event,
}

impl EntryKind {
    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Note => "note",
            EntryKind::Reply => "reply",
            EntryKind::Message => "message",
            EntryKind::Event => "event",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            EntryKind::Note,
            EntryKind::Reply,
            EntryKind::Message,
            EntryKind::Event,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// A participant's rating of one reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Rating {
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub score: u8,
    pub comment: String,
    /// "My question was not answered": reopens the case.
    pub not_answered: bool,
    pub rated_at: DateTime<Utc>,
}

/// One entry of a case's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: Uuid,
    pub kind: EntryKind,
    /// Who wrote it (staff); `None` for the participant or the system.
    pub author: Option<String>,
    pub team: Option<TeamName>,
    /// A note's or reply's text; an event's catalogue key and its values (`key|value|…`).
    pub body: String,
    pub at: DateTime<Utc>,
    /// For a reply by phone: when staff phoned back.
    pub done_at: Option<DateTime<Utc>>,
    pub rating: Option<Rating>,
}

/// A case as staff see it on its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub id: Uuid,
    pub reference: String,
    pub topic: String,
    pub about: Option<About>,
    pub message: String,
    pub language: Locale,
    pub group: Option<StakeholderGroup>,
    pub channel: Channel,
    pub reply_by: ReplyBy,
    /// Contact details: `None` unless the viewer is on the case's team or an admin.
    pub contact: Option<Contact>,
    pub team: Option<TeamName>,
    pub assignee: Option<(Uuid, String)>,
    pub state: CaseState,
    pub level: ServiceLevel,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub paused_at: Option<DateTime<Utc>>,
    pub first_reply_at: Option<DateTime<Utc>>,
    pub entries: Vec<Entry>,
    /// What screening found in the message (policy §3 categories and personal data); feedback
    /// is never held for it, but whoever answers should know.
    pub screening: Vec<crate::moderation::ReasonReport>,
}

/// How to reach the participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// The opportunity (or survey) a case is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct About {
    pub id: Uuid,
    pub title_ar: String,
    pub title_en: String,
}

impl About {
    pub fn title(&self, locale: Locale) -> &str {
        match locale {
            Locale::Ar if !self.title_ar.is_empty() => &self.title_ar,
            _ if !self.title_en.is_empty() => &self.title_en,
            _ => &self.title_ar,
        }
    }
}

/// A case page with what the viewer may do on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub case: CaseDetail,
    /// Every team, for reassigning.
    pub teams: Vec<TeamName>,
    /// The members of the case's team, for assigning.
    pub members: Vec<(Uuid, String)>,
    /// Whether the viewer may act on the case (a member of its team, or an admin).
    pub may_act: bool,
    /// Whether the viewer may assign it to someone else (the team's lead, or an admin).
    pub may_assign: bool,
    /// Saved reply templates in the case's language.
    pub templates: Vec<Template>,
    pub now: DateTime<Utc>,
}

/// A saved reply, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub title: String,
    pub body: String,
}

/// What the participant sees on their tracking page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracked {
    pub reference: String,
    pub topic: String,
    pub message: String,
    pub state: CaseState,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// The replies and the participant's own messages, oldest first.
    pub replies: Vec<PublicReply>,
    pub now: DateTime<Utc>,
}

/// A reply as the participant sees it, with its rating (or the participant's own message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicReply {
    pub id: Uuid,
    /// The participant's own message, not a reply.
    pub mine: bool,
    pub team: Option<TeamName>,
    pub body: String,
    pub at: DateTime<Utc>,
    pub rating: Option<Rating>,
}

impl PublicReply {
    /// Whether its rating may still be given or changed.
    pub fn rateable(&self, now: DateTime<Utc>) -> bool {
        now < self.at + chrono::Duration::days(RATING_DAYS)
    }
}

/// The reply a rating link names, and its case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingTarget {
    pub reference: String,
    pub reply: PublicReply,
    pub now: DateTime<Utc>,
}

/// A topic's routing and service level, as the settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicRoute {
    pub topic: String,
    pub team: Option<Uuid>,
    pub level: ServiceLevel,
}

/// A public holiday (a UAE local date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub day: chrono::NaiveDate,
    pub name_ar: String,
    pub name_en: String,
}

/// The settings page: each topic's route, the holidays, the teams, and the working week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub routes: Vec<TopicRoute>,
    pub holidays: Vec<Holiday>,
    pub teams: Vec<TeamName>,
    pub week: String,
}

/// The public form's choices: published opportunities a case may be about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormChoices {
    pub about: Vec<About>,
    /// The default service level in hours (what the form promises).
    pub hours: u32,
    /// The signed-in participant's display name and email, offered in the form.
    pub me: Option<(String, String)>,
}

#[cfg(feature = "ssr")]
pub use crate::server_fns::{authorize, authorized_user, storage_failure};

#[cfg(feature = "ssr")]
fn public_db() -> Result<crate::store::Db, leptos::prelude::ServerFnError> {
    leptos::prelude::use_context::<crate::store::Db>()
        .ok_or_else(|| leptos::prelude::ServerFnError::new("no database"))
}

/// What the public form offers. Public.
#[leptos::server(endpoint = "feedback/choices")]
pub async fn feedback_form_choices() -> Result<FormChoices, leptos::prelude::ServerFnError> {
    let db = public_db()?;
    let about = db::published_about(&db)
        .await
        .map_err(storage_failure("listing what feedback may be about"))?;
    let me = leptos::prelude::use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .extensions
            .get::<crate::participants::CurrentParticipant>()
            .map(|p| (p.0.display_name.clone(), p.0.email.clone()))
    });
    Ok(FormChoices {
        about,
        hours: ServiceLevel::default().amount,
        me,
    })
}

/// The case a tracking link names; `None` for an unknown link. Public (the link is the key).
#[leptos::server(endpoint = "feedback/track")]
pub async fn tracked_case(
    token: String,
) -> Result<Option<Tracked>, leptos::prelude::ServerFnError> {
    let db = public_db()?;
    db::tracked(
        &db,
        &crate::accounts::secrets::token_hash(&token),
        Utc::now(),
    )
    .await
    .map_err(storage_failure("reading a tracked case"))
}

/// The reply a rating link names; `None` for an unknown link. Public (the link is the key).
#[leptos::server(endpoint = "feedback/rating")]
pub async fn rated_reply(
    token: String,
) -> Result<Option<RatingTarget>, leptos::prelude::ServerFnError> {
    let db = public_db()?;
    db::rating_target(
        &db,
        &crate::accounts::secrets::token_hash(&token),
        Utc::now(),
    )
    .await
    .map_err(storage_failure("reading a rating link"))
}

/// A page of cases for responders and admins.
#[leptos::server(endpoint = "feedback/staff/list")]
pub async fn staff_cases(filter: CaseFilter) -> Result<CasePage, leptos::prelude::ServerFnError> {
    use crate::accounts::Permission;
    let (db, user) = authorized_user(Permission::HandleFeedback)?;
    let now = Utc::now();
    let failed = storage_failure("listing feedback cases");
    let (rows, total) = db::list(&db, &filter, user.id, now)
        .await
        .map_err(&failed)?;
    Ok(CasePage {
        rows,
        total,
        teams: db::team_names(&db).await.map_err(&failed)?,
        now,
    })
}

/// One case with what the viewer may do on it.
#[leptos::server(endpoint = "feedback/staff/get")]
pub async fn staff_case(id: Uuid) -> Result<Option<CaseView>, leptos::prelude::ServerFnError> {
    use crate::accounts::Permission;
    let (db, user) = authorized_user(Permission::HandleFeedback)?;
    actions::view(&db, &user, id, Utc::now())
        .await
        .map_err(storage_failure("reading a feedback case"))
}

/// Topic routes and holidays, for admins.
#[leptos::server(endpoint = "feedback/settings")]
pub async fn feedback_settings() -> Result<SettingsView, leptos::prelude::ServerFnError> {
    use crate::accounts::Permission;
    let db = authorize(Permission::ManageUsers)?;
    let week = leptos::prelude::use_context::<actions::Desk>()
        .map(|desk| desk.week.describe())
        .unwrap_or_default();
    let failed = storage_failure("reading feedback settings");
    Ok(SettingsView {
        routes: db::routes(&db).await.map_err(&failed)?,
        holidays: db::holidays(&db).await.map_err(&failed)?,
        teams: db::team_names(&db).await.map_err(&failed)?,
        week,
    })
}

/// A case owed a reply, as the responder's home lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCase {
    pub id: Uuid,
    pub reference: String,
    pub topic: String,
    pub due_at: DateTime<Utc>,
}

/// The open cases of the signed-in responder's teams (and those assigned to them; every open
/// case for an admin), due soonest first.
#[leptos::server(endpoint = "feedback/mine")]
pub async fn my_open_cases()
-> Result<(Vec<OpenCase>, DateTime<Utc>), leptos::prelude::ServerFnError> {
    use crate::accounts::Permission;
    let (db, user) = authorized_user(Permission::HandleFeedback)?;
    let all = user.roles.contains(&crate::accounts::Role::Admin);
    let rows = db::open_for_user(&db, user.id, all, 10)
        .await
        .map_err(storage_failure("listing a responder's open cases"))?;
    Ok((
        rows.into_iter()
            .map(|(id, reference, topic, due_at)| OpenCase {
                id,
                reference,
                topic,
                due_at,
            })
            .collect(),
        Utc::now(),
    ))
}

/// The figures page's choices, as its GET form sends them. Dates are UAE calendar days; the
/// default period is the last 90 days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiguresQuery {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub team: Option<Uuid>,
    pub topic: Option<String>,
    pub channel: Option<Channel>,
    pub group: Option<StakeholderGroup>,
    pub by: Option<figures::Dimension>,
}

impl FiguresQuery {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let some = |key: &str| get(key).filter(|v| !v.trim().is_empty());
        let date = |key: &str| {
            some(key).and_then(|v| {
                chrono::NaiveDate::parse_from_str(
                    &crate::numbers::western_digits(v.trim()),
                    "%Y-%m-%d",
                )
                .ok()
            })
        };
        FiguresQuery {
            from: date("from"),
            to: date("to"),
            team: some("team").and_then(|v| v.parse().ok()),
            topic: some("topic").filter(|v| TOPICS.contains(&v.as_str())),
            channel: some("channel").and_then(|v| Channel::from_code(&v)),
            group: some("group").and_then(|v| StakeholderGroup::from_code(&v)),
            by: some("by").and_then(|v| figures::Dimension::from_code(&v)),
        }
    }

    /// The period asked for, as UTC moments: [the start of `from`, the end of `to`) in UAE time.
    pub fn period(&self, now: DateTime<Utc>) -> (chrono::NaiveDate, chrono::NaiveDate) {
        let today = crate::dates::in_uae(now).date_naive();
        let to = self.to.unwrap_or(today);
        let from = self.from.unwrap_or(to - chrono::Duration::days(89));
        if from <= to { (from, to) } else { (to, from) }
    }

    #[cfg(feature = "ssr")]
    fn keeps(&self, facts: &figures::CaseFacts) -> bool {
        self.team.is_none_or(|t| facts.team == Some(t))
            && self.topic.as_ref().is_none_or(|t| &facts.topic == t)
            && self.channel.is_none_or(|c| facts.channel == c)
            && self.group.is_none_or(|g| facts.group == Some(g))
    }
}

/// The figures page: the period, the overall figures, and the breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiguresView {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub by: figures::Dimension,
    pub overall: figures::Figures,
    pub rows: Vec<(String, figures::Figures)>,
    pub teams: Vec<TeamName>,
    /// The ratings' distribution as an SVG bar chart (its table and sentence are on the page).
    pub ratings_chart: String,
}

/// Computes the figures page for `query`.
#[cfg(feature = "ssr")]
pub async fn compute_figures(
    db: &crate::store::Db,
    query: &FiguresQuery,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<FiguresView, crate::store::StoreError> {
    let (from, to) = query.period(now);
    let start = crate::dates::from_uae(from.and_time(chrono::NaiveTime::MIN));
    let end =
        crate::dates::from_uae((to + chrono::Duration::days(1)).and_time(chrono::NaiveTime::MIN));
    let facts: Vec<figures::CaseFacts> = db::facts(db, start, end)
        .await?
        .into_iter()
        .filter(|f| query.keeps(f))
        .collect();
    let by = query.by.unwrap_or(figures::Dimension::Team);
    let all: Vec<&figures::CaseFacts> = facts.iter().collect();
    let overall = figures::figures(&all, now);
    let bars: Vec<crate::results::charts::Bar> = (1..=5u8)
        .rev()
        .zip(overall.ratings.iter().rev())
        .map(|(score, count)| crate::results::charts::Bar {
            label: format!(
                "{score} — {}",
                locale.t(&format!("feedback.score.s{score}"))
            ),
            #[allow(clippy::cast_precision_loss)]
            value: *count as f64,
            display: count.to_string(),
        })
        .collect();
    Ok(FiguresView {
        from,
        to,
        by,
        ratings_chart: crate::results::charts::bars(&bars, None, locale),
        overall,
        rows: figures::breakdown(&facts, by, now),
        teams: db::team_names(db).await?,
    })
}

/// The reply figures, for responders, analysts and admins.
#[leptos::server(endpoint = "feedback/figures")]
pub async fn feedback_figures(
    query: FiguresQuery,
    locale: Locale,
) -> Result<FiguresView, leptos::prelude::ServerFnError> {
    use crate::accounts::Permission;
    let db = authorize(Permission::ReadFeedbackFigures)?;
    compute_figures(&db, &query, locale, Utc::now())
        .await
        .map_err(storage_failure("computing feedback figures"))
}
