//! Gathering an impact report's figures: one grouped pass over the period's responses, the
//! opportunities open in it, the feedback figures (`feedback::figures`), comments and their
//! moderation, and the published outcomes.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    ImpactReport, Moderation, OpportunityLine, OutcomeLine, Period, SurveyLine, TargetLine,
};
use crate::feedback::figures::{self, Dimension};
use crate::groups::StakeholderGroup;
use crate::on_db;
use crate::store::{Db, StoreError};
use crate::text::Text;

/// The report over `period`, as of `now`.
pub async fn gather(
    db: &Db,
    period: Period,
    now: DateTime<Utc>,
) -> Result<ImpactReport, StoreError> {
    let (from, to) = period.bounds();
    let participation = participation(db, from, to).await?;
    let facts = crate::feedback::db::facts(db, from, to).await?;
    let all: Vec<&figures::CaseFacts> = facts.iter().collect();
    let feedback = figures::figures(&all, now);
    let feedback_topics = figures::breakdown(&facts, Dimension::Topic, now);
    Ok(ImpactReport {
        period,
        generated_at: now,
        responses: participation.total,
        groups: participation.groups,
        channels: participation.channels,
        targets: targets(db, &participation.by_survey).await?,
        surveys: participation.surveys,
        opportunities: opportunities(db, from, to).await?,
        feedback,
        feedback_topics,
        moderation: moderation(db, from, to).await?,
        outcomes: outcomes(db, to).await?,
    })
}

struct Participation {
    total: i64,
    groups: Vec<(String, i64)>,
    channels: Vec<(String, i64)>,
    surveys: Vec<SurveyLine>,
    /// Per survey: responses per stakeholder group, for the targets.
    by_survey: BTreeMap<Uuid, (Text, BTreeMap<String, i64>)>,
}

/// One grouped pass over the period's responses.
async fn participation(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Participation, StoreError> {
    let rows: Vec<(Uuid, Option<i32>, String, String, i64)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT r.survey_id, w.number, r.stakeholder_group, r.channel, COUNT(*)
             FROM responses r LEFT JOIN survey_waves w ON w.id = r.wave_id
             WHERE r.submitted_at >= $1 AND r.submitted_at < $2
             GROUP BY r.survey_id, w.number, r.stakeholder_group, r.channel",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await
    })?;
    let mut total = 0;
    let mut groups: BTreeMap<String, i64> = StakeholderGroup::ALL
        .iter()
        .map(|g| (g.code().to_owned(), 0))
        .collect();
    let mut channels: BTreeMap<String, i64> = BTreeMap::new();
    let mut waves: BTreeMap<(Uuid, Option<i32>), i64> = BTreeMap::new();
    let mut by_group: BTreeMap<Uuid, BTreeMap<String, i64>> = BTreeMap::new();
    for (survey, wave, group, channel, n) in rows {
        total += n;
        *groups.entry(group.clone()).or_default() += n;
        *channels.entry(channel).or_default() += n;
        *waves.entry((survey, wave)).or_default() += n;
        *by_group
            .entry(survey)
            .or_default()
            .entry(group)
            .or_default() += n;
    }
    let mut titles = BTreeMap::new();
    for survey in by_group.keys() {
        titles.insert(*survey, survey_title(db, *survey).await?);
    }
    let title = |survey: &Uuid| titles.get(survey).cloned().unwrap_or_default();
    let mut surveys: Vec<SurveyLine> = waves
        .into_iter()
        .map(|((survey, wave), responses)| SurveyLine {
            survey,
            title: title(&survey),
            wave,
            responses,
        })
        .collect();
    surveys.sort_by(|a, b| {
        b.responses
            .cmp(&a.responses)
            .then_with(|| a.survey.cmp(&b.survey))
            .then_with(|| a.wave.cmp(&b.wave))
    });
    // The policy's groups in its order, then anything else recorded.
    let order = |code: &str| {
        StakeholderGroup::ALL
            .iter()
            .position(|g| g.code() == code)
            .unwrap_or(usize::MAX)
    };
    let mut groups: Vec<(String, i64)> = groups.into_iter().collect();
    groups.sort_by_key(|(code, _)| order(code));
    let mut channels: Vec<(String, i64)> = channels.into_iter().collect();
    channels.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(Participation {
        total,
        groups,
        channels,
        surveys,
        by_survey: by_group
            .into_iter()
            .map(|(survey, counts)| (survey, (title(&survey), counts)))
            .collect(),
    })
}

/// A survey's title: its opportunity's, else its definition's.
async fn survey_title(db: &Db, survey: Uuid) -> Result<Text, StoreError> {
    let row: Option<(String, String)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT title_ar, title_en FROM opportunities WHERE survey_id = $1")
            .bind(survey)
            .fetch_optional(pool)
            .await
    })?;
    if let Some((ar, en)) = row {
        return Ok(Text::new(ar, en));
    }
    Ok(crate::surveys::db::get(db, survey)
        .await?
        .map(|s| s.definition.title)
        .unwrap_or_default())
}

/// Each survey's targets against its share of the period's responses.
async fn targets(
    db: &Db,
    by_survey: &BTreeMap<Uuid, (Text, BTreeMap<String, i64>)>,
) -> Result<Vec<TargetLine>, StoreError> {
    let mut lines = Vec::new();
    for (survey, (title, counts)) in by_survey {
        let (_, targets) = crate::results::db::settings(db, *survey).await?;
        let total: i64 = counts.values().sum();
        for group in StakeholderGroup::ALL {
            let Some(target) = targets.get(group.code()) else {
                continue;
            };
            let n = counts.get(group.code()).copied().unwrap_or(0);
            #[allow(clippy::cast_precision_loss)] // counts far below 2^52
            let actual = if total > 0 {
                n as f64 * 100.0 / total as f64
            } else {
                0.0
            };
            lines.push(TargetLine {
                title: title.clone(),
                group: group.code().to_owned(),
                target: *target,
                actual,
            });
        }
    }
    Ok(lines)
}

/// Surveys and consultations open at some time in the period, with the comments written on
/// them in it.
async fn opportunities(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<OpportunityLine>, StoreError> {
    type Row = (
        Uuid,
        String,
        String,
        String,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
        i64,
    );
    let rows: Vec<Row> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT o.id, o.kind, o.title_ar, o.title_en, o.starts_at, o.ends_at,
                 (SELECT COUNT(*) FROM comments c WHERE c.opportunity_id = o.id
                      AND c.created_at >= $1 AND c.created_at < $2 AND c.staff_id IS NULL)
             FROM opportunities o
             WHERE o.published AND o.kind IN ('survey', 'consultation')
               AND (o.starts_at IS NULL OR o.starts_at < $2)
               AND (o.ends_at IS NULL OR o.ends_at >= $1)
               AND o.created_at < $2
             ORDER BY o.starts_at, o.id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(id, kind, ar, en, starts_at, ends_at, comments)| OpportunityLine {
                id,
                kind,
                title: Text::new(ar, en),
                starts_at,
                ends_at,
                comments,
            },
        )
        .collect())
}

/// Participants' comments written in the period, by what moderation made of them.
async fn moderation(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Moderation, StoreError> {
    let rows: Vec<(String, Option<String>, i64)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT state, hidden_category, COUNT(*) FROM comments
             WHERE created_at >= $1 AND created_at < $2 AND staff_id IS NULL
             GROUP BY state, hidden_category",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await
    })?;
    let mut figures = Moderation::default();
    let mut hidden: BTreeMap<String, i64> = BTreeMap::new();
    for (state, category, n) in rows {
        figures.comments += n;
        match state.as_str() {
            "published" => figures.published += n,
            "held" => figures.held += n,
            _ => {
                figures.hidden += n;
                if let Some(category) = category {
                    *hidden.entry(category).or_default() += n;
                }
            }
        }
    }
    figures.hidden_by_category = crate::moderation::CATEGORIES
        .iter()
        .map(|key| ((*key).to_owned(), hidden.get(*key).copied().unwrap_or(0)))
        .collect();
    Ok(figures)
}

/// Outcomes published before the period's end, the latest first.
async fn outcomes(db: &Db, to: DateTime<Utc>) -> Result<Vec<OutcomeLine>, StoreError> {
    let published =
        crate::outcomes::db::list_published(db, &crate::outcomes::Filter::default()).await?;
    let mut lines: Vec<OutcomeLine> = published
        .into_iter()
        .filter_map(|o| {
            let published_at = o.published_at.filter(|at| *at < to)?;
            let snapshot = o.snapshot.as_ref();
            Some(OutcomeLine {
                id: o.id,
                title: o.title.clone(),
                did: o.did.clone(),
                status: o.status,
                published_at,
                responses: snapshot.and_then(|s| s.responses),
                comments: snapshot.and_then(|s| s.comments),
                feedback: snapshot.and_then(|s| s.feedback),
            })
        })
        .collect();
    lines.sort_by(|a, b| {
        b.published_at
            .cmp(&a.published_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(lines)
}
