//! Results: what the responses say, for the staff dashboard, the public results page, the
//! exports and the results API (MISSION §7.3: impact review and periodic reports build on
//! them).
//!
//! Counting happens as responses are stored: the writer adds each response's cells to running
//! counts in the same transaction ([`db::record`]), so a dashboard adds up a few thousand
//! counts instead of reading every response. Filters by wave, stakeholder group, channel and
//! date range are served by the counts; a filter by an answer reads the narrow coded rows
//! instead. A crosstab of two questions adds up answer-pair counts that the server folds in
//! every two seconds ([`db::fold`]) plus the few responses not folded yet; under a filter it
//! reads the coded rows. `sharek results verify` recomputes everything from the raw answers.

#[cfg(feature = "ssr")]
pub mod build;
#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
pub mod rules;
pub mod staff_views;
pub mod summary;
#[cfg(feature = "ssr")]
pub mod verify;
pub mod views;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a dashboard (or an export of counts) is restricted to. Empty lists mean all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct Filter {
    /// A wave's number (periodic surveys).
    #[serde(default)]
    pub wave: Option<i32>,
    /// Stakeholder group codes.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Channel codes.
    #[serde(default)]
    pub channels: Vec<String>,
    /// First day (UAE calendar), inclusive.
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// Last day (UAE calendar), inclusive.
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// Only responses that gave `value` to the choice question `question`.
    #[serde(default)]
    pub question: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
}

impl Filter {
    /// Whether the filter needs the coded rows (an answer filter) rather than the counts.
    pub fn by_answer(&self) -> Option<(&str, &str)> {
        match (self.question.as_deref(), self.value.as_deref()) {
            (Some(q), Some(v)) if !q.is_empty() && !v.is_empty() => Some((q, v)),
            _ => None,
        }
    }

    /// Whether the filter keeps every day, group and channel: the totals answer it (an
    /// answer filter aside).
    pub fn whole_days(&self) -> bool {
        self.groups.is_empty()
            && self.channels.is_empty()
            && self.from.is_none()
            && self.to.is_none()
    }

    /// Reads a filter from a query string's pairs (repeated `group` and `channel` allowed).
    /// Unreadable values are dropped and reported by name, so the page can say so.
    pub fn from_pairs<'a>(
        pairs: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> (Filter, Vec<String>) {
        let mut filter = Filter::default();
        let mut bad = Vec::new();
        let day = |v: &str| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok();
        for (name, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match name {
                "wave" => match value.parse() {
                    Ok(w) => filter.wave = Some(w),
                    Err(_) => bad.push(name.to_owned()),
                },
                "group" => filter.groups.push(value.to_owned()),
                "channel" => filter.channels.push(value.to_owned()),
                "from" => match day(value) {
                    Some(d) => filter.from = Some(d),
                    None => bad.push(name.to_owned()),
                },
                "to" => match day(value) {
                    Some(d) => filter.to = Some(d),
                    None => bad.push(name.to_owned()),
                },
                "question" => filter.question = Some(value.to_owned()),
                "value" => filter.value = Some(value.to_owned()),
                // One select names both: `question=value`.
                "qv" => match value.split_once('=') {
                    Some((q, v)) if !q.is_empty() && !v.is_empty() => {
                        filter.question = Some(q.to_owned());
                        filter.value = Some(v.to_owned());
                    }
                    _ => bad.push(name.to_owned()),
                },
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from > to
        {
            bad.push("to".to_owned());
            filter.to = None;
        }
        (filter, bad)
    }
}

/// A dimension responses are broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Group,
    Channel,
    Wave,
    Day,
}

impl Dimension {
    pub fn column(self) -> &'static str {
        match self {
            Dimension::Group => "stakeholder_group",
            Dimension::Channel => "channel",
            Dimension::Wave => "wave",
            Dimension::Day => "day",
        }
    }
}

/// A count as shown: `None` when hidden because it is small (public pages only).
pub type Shown = Option<i64>;

/// One bar of a distribution: a choice, a scale point, a value range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Share {
    /// The choice key, scale point or range, as stored.
    pub key: String,
    pub label: String,
    pub n: Shown,
    /// Percent of those who answered the question (`None` when `n` is hidden).
    pub percent: Option<f64>,
}

/// Net Promoter Score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NpsScore {
    pub promoters: Shown,
    pub passives: Shown,
    pub detractors: Shown,
    /// Percent promoters minus percent detractors, −100 to 100.
    pub score: f64,
}

/// The right summary for each question type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Summary {
    /// Single, multiple, dropdown, yes/no; dates by month.
    Choices { options: Vec<Share>, multiple: bool },
    /// Rating and NPS: the distribution over the scale, mean and median.
    Scale {
        points: Vec<Share>,
        mean: Option<f64>,
        median: Option<f64>,
        nps: Option<NpsScore>,
    },
    /// A row per matrix row, a count per scale point.
    Matrix {
        scale: Vec<String>,
        rows: Vec<(String, Vec<Shown>)>,
    },
    /// Each choice's mean rank (1 = first), best first.
    Ranking { items: Vec<(String, Option<f64>)> },
    Numeric {
        mean: Option<f64>,
        median: Option<f64>,
        min: Option<f64>,
        max: Option<f64>,
        bins: Vec<Share>,
    },
    /// Free text: only how many answered; staff read the answers on their own page.
    Text { listable: bool },
}

/// A question's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuestionResult {
    pub key: String,
    pub text: String,
    /// The question type's code.
    pub kind: String,
    pub answered: Shown,
    pub summary: Summary,
    /// One sentence saying what the chart shows (the chart's text alternative).
    pub sentence: String,
    /// The chart, as SVG (empty for questions without one).
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub chart: String,
}

/// Responses from one stakeholder group against the author's target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupShare {
    pub group: String,
    pub label: String,
    pub n: Shown,
    pub percent: Option<f64>,
    pub target: Option<f64>,
    /// Under-represented: its share is below the target by more than a fifth of the target.
    pub under: bool,
}

/// A crosstab of two questions (or a question and a dimension).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Crosstab {
    pub row_title: String,
    pub column_title: String,
    pub columns: Vec<String>,
    /// (row label, counts per column, row total).
    pub rows: Vec<(String, Vec<i64>, i64)>,
}

/// A question's key figure per wave (trends of a periodic survey).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Trend {
    pub key: String,
    pub text: String,
    /// What the figure is ("mean", "NPS", "% choosing …").
    pub measure: String,
    /// The wave numbers, one per value.
    pub waves: Vec<i32>,
    /// The waves' names, one per value ("2026-Q3" for a quarterly survey); empty in trends
    /// stored before waves had names (then "Wave n").
    #[serde(default)]
    pub labels: Vec<String>,
    pub values: Vec<Option<f64>>,
    pub sentence: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub chart: String,
}

/// Everything a results page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Results {
    pub survey: Uuid,
    pub title: String,
    /// Responses under the filter.
    pub responses: Shown,
    /// Percent of responses begun (a first page saved) that were sent.
    pub completion: Option<f64>,
    /// Median time from the first page to sending, in seconds.
    pub median_seconds: Option<f64>,
    pub groups: Vec<GroupShare>,
    pub channels: Vec<(String, String, Shown)>,
    /// Wave numbers with responses (periodic surveys).
    pub waves: Vec<i32>,
    /// Their names, one per wave ("2026-Q3").
    #[serde(default)]
    pub wave_labels: Vec<String>,
    pub questions: Vec<QuestionResult>,
    pub trends: Vec<Trend>,
    pub public: bool,
}

/// The name of wave `w` among `waves` named `labels` (parallel), or "Wave n".
pub fn wave_name(waves: &[i32], labels: &[String], w: i32, locale: crate::Locale) -> String {
    waves
        .iter()
        .position(|x| *x == w)
        .and_then(|i| labels.get(i))
        .cloned()
        .unwrap_or_else(|| locale.t_with("results.wave_n", &[("n", &w.to_string())]))
}

/// A choice question offered as a filter or crosstab axis: key, text, (value, label) pairs.
pub type ChoiceQuestion = (String, String, Vec<(String, String)>);

/// The staff dashboard: the results under the filter, and what the filter and crosstab forms
/// offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub results: Results,
    pub filter: Filter,
    /// Filter fields that could not be read (their names), to say so on the page.
    pub bad: Vec<String>,
    pub choice_questions: Vec<ChoiceQuestion>,
    /// The crosstab asked for (`row`, `col`), when both are valid.
    pub crosstab: Option<Crosstab>,
    pub row: String,
    pub col: String,
    /// The public address' key (slug or id), for the public page's link.
    pub key: String,
    pub may_author: bool,
}

/// The staff dashboard of a survey under a filter given as query pairs; `None` when there is
/// no such survey.
#[leptos::server(endpoint = "results/dashboard")]
pub async fn load_dashboard(
    id: Uuid,
    locale: crate::Locale,
    query: Vec<(String, String)>,
) -> Result<Option<Dashboard>, leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorized_user, storage_failure};
    let (db, user) = authorized_user(Permission::ReadResults)?;
    let failed = storage_failure("loading results");
    let Some(survey) = crate::surveys::db::get(&db, id).await.map_err(&failed)? else {
        return Ok(None);
    };
    let pairs = || query.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let (mut filter, mut bad) = Filter::from_pairs(pairs());
    let definition = &survey.definition;
    if let Some((q, _)) = filter.by_answer()
        && !definition
            .question(q)
            .is_some_and(|q| summary::crosstab_question(&q.kind))
    {
        bad.push("qv".to_owned());
        filter.question = None;
        filter.value = None;
    }
    let get = |name: &str| {
        pairs()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
            .unwrap_or_default()
    };
    let (row, col) = (get("row"), get("col"));
    let results = build::results(&db, id, definition, &filter, locale, build::Audience::Staff)
        .await
        .map_err(&failed)?;
    let crosstab = match (
        build::Axis::parse(&row, definition),
        build::Axis::parse(&col, definition),
    ) {
        (Some(r), Some(c)) => Some(
            build::crosstab(&db, id, definition, &filter, &r, &c, locale)
                .await
                .map_err(&failed)?,
        ),
        _ => None,
    };
    let (slug, _) = crate::responses::db::collection_settings(&db, id)
        .await
        .map_err(&failed)?
        .unwrap_or_default();
    Ok(Some(Dashboard {
        results,
        filter,
        bad,
        choice_questions: choice_questions(definition, locale),
        crosstab,
        row,
        col,
        key: slug.unwrap_or_else(|| id.to_string()),
        may_author: user.can(Permission::AuthorSurveys),
    }))
}

/// The questions that can filter or cross, with their values' labels.
pub fn choice_questions(
    definition: &crate::surveys::model::Definition,
    locale: crate::Locale,
) -> Vec<ChoiceQuestion> {
    definition
        .questions()
        .filter(|(_, q)| summary::crosstab_question(&q.kind))
        .map(|(_, q)| {
            let values = summary::value_labels(&q.kind, locale);
            (q.key.clone(), q.text.get(locale).to_owned(), values)
        })
        .collect()
}

/// A survey's public results: the same summaries with small counts hidden; `None` when the
/// survey does not exist or its results are not public.
#[leptos::server(endpoint = "results/public")]
pub async fn load_public_results(
    key: String,
    locale: crate::Locale,
    wave: Option<i32>,
) -> Result<Option<Results>, leptos::prelude::ServerFnError> {
    use leptos::prelude::*;
    let db = use_context::<crate::store::Db>().ok_or_else(|| ServerFnError::new("no database"))?;
    let failed = crate::accounts::storage_failure("loading public results");
    let Some(survey) = crate::responses::db::public_survey(&db, &key, chrono::Utc::now())
        .await
        .map_err(&failed)?
    else {
        return Ok(None);
    };
    let (public, _) = db::settings(&db, survey.id).await.map_err(&failed)?;
    if !public {
        return Ok(None);
    }
    let filter = Filter {
        wave,
        ..Filter::default()
    };
    let results = build::results(
        &db,
        survey.id,
        &survey.definition,
        &filter,
        locale,
        build::Audience::Public,
    )
    .await
    .map_err(&failed)?;
    Ok(Some(results))
}

/// Written answers to one question, oldest first, matching a search that ignores Arabic
/// diacritics and letter variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextAnswers {
    pub survey_title: String,
    pub question: String,
    pub search: String,
    /// (when, answer).
    pub answers: Vec<(String, String)>,
    /// More matches exist beyond this page.
    pub more: bool,
    pub page: usize,
}

/// The answers shown per page of the text listing.
pub const TEXT_PAGE: usize = 50;

#[leptos::server(endpoint = "results/text")]
pub async fn load_text_answers(
    id: Uuid,
    question: String,
    locale: crate::Locale,
    search: String,
    page: usize,
) -> Result<Option<TextAnswers>, leptos::prelude::ServerFnError> {
    use crate::accounts::{Permission, authorized_user, storage_failure};
    use crate::surveys::conditions::{Answer, Answers};
    use crate::surveys::model::Kind;
    let (db, _) = authorized_user(Permission::ReadResults)?;
    let failed = storage_failure("loading text answers");
    let Some(survey) = crate::surveys::db::get(&db, id).await.map_err(&failed)? else {
        return Ok(None);
    };
    // Only free-text questions: email addresses and phone numbers are personal data.
    let Some(q) = survey
        .definition
        .question(&question)
        .filter(|q| matches!(q.kind, Kind::ShortText { .. } | Kind::LongText { .. }))
    else {
        return Ok(None);
    };
    let needle = rules::fold(search.trim());
    let (skip, want) = (page * TEXT_PAGE, TEXT_PAGE + 1);
    let mut found = Vec::new();
    let mut after = Uuid::nil();
    'pages: loop {
        let rows = db::raw_page(&db, id, after, 2000).await.map_err(&failed)?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in rows {
            let Ok(answers) = serde_json::from_str::<Answers>(&row.answers) else {
                continue;
            };
            if let Some(Answer::Text(text)) = answers.get(&question)
                && (needle.is_empty() || rules::fold(text).contains(&needle))
            {
                found.push((
                    crate::dates::in_uae(row.submitted_at)
                        .format("%Y-%m-%d")
                        .to_string(),
                    text.clone(),
                ));
                if found.len() >= skip + want {
                    break 'pages;
                }
            }
        }
    }
    let more = found.len() > skip + TEXT_PAGE;
    let answers = found.into_iter().skip(skip).take(TEXT_PAGE).collect();
    Ok(Some(TextAnswers {
        survey_title: survey.definition.title.get(locale).to_owned(),
        question: q.text.get(locale).to_owned(),
        search,
        answers,
        more,
        page,
    }))
}
