//! The staff home's overview for decision-makers (issue 21 §5): figures first — open surveys,
//! responses in the last seven days, surveys closing within a week, closed surveys whose
//! results are not published yet — and, for those who handle them, overdue feedback and
//! comments held for a moderator. Each figure links to where it is acted on.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::shell::{When, use_locale};
use crate::text::Text;

/// How far ahead "closing soon" looks, and how far back "recent responses" count, in days.
pub const WINDOW_DAYS: i64 = 7;

/// A survey the overview names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: Uuid,
    pub title: Text,
    /// When it closes (closing soon) or closed (results waiting).
    pub at: Option<DateTime<Utc>>,
}

/// What the overview shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub open_surveys: i64,
    pub recent_responses: i64,
    pub closing_soon: Vec<Named>,
    /// Closed surveys with responses whose results are not public.
    pub results_waiting: Vec<Named>,
    /// Cases owed a reply past their deadline; `None` for those who do not handle feedback.
    pub overdue_feedback: Option<i64>,
    /// Comments held for a moderator; `None` for those who do not moderate.
    pub held_comments: Option<i64>,
}

/// The overview for the signed-in staff member (those who may read surveys).
#[leptos::server(endpoint = "pages/overview")]
pub async fn staff_overview() -> Result<Overview, ServerFnError> {
    use crate::accounts::Permission;
    let (db, user) = crate::server_fns::authorized_user(Permission::ReadSurveys)?;
    db::overview(
        &db,
        user.can(Permission::HandleFeedback),
        user.can(Permission::Moderate),
        Utc::now(),
    )
    .await
    .map_err(crate::server_fns::storage_failure(
        "reading the staff overview",
    ))
}

#[cfg(feature = "ssr")]
mod db {
    use chrono::{DateTime, Duration, Utc};
    use uuid::Uuid;

    use super::{Named, Overview, WINDOW_DAYS};
    use crate::on_db;
    use crate::store::{Db, StoreError};
    use crate::text::Text;

    type NamedRow = (Uuid, String, String, Option<DateTime<Utc>>);

    fn named(rows: Vec<NamedRow>) -> Vec<Named> {
        rows.into_iter()
            .map(|(id, ar, en, at)| Named {
                id,
                title: Text::new(ar, en),
                at,
            })
            .collect()
    }

    async fn count(db: &Db, sql: &str, at: Option<DateTime<Utc>>) -> Result<i64, StoreError> {
        let n: Option<i64> = on_db!(db, |pool| {
            let query = sqlx::query_scalar(sql);
            match at {
                Some(at) => query.bind(at).fetch_one(pool).await,
                None => query.fetch_one(pool).await,
            }
        })?;
        Ok(n.unwrap_or(0))
    }

    pub async fn overview(
        db: &Db,
        feedback: bool,
        moderation: bool,
        now: DateTime<Utc>,
    ) -> Result<Overview, StoreError> {
        let open_surveys = count(
            db,
            "SELECT COUNT(*) FROM surveys WHERE status = 'open'",
            None,
        )
        .await?;
        // The running counts keep one row per UAE day: the last seven days, today included.
        let since = crate::results::db::day_of(now - Duration::days(WINDOW_DAYS - 1));
        let recent: Option<i64> = on_db!(db, |pool| {
            sqlx::query_scalar(
                "SELECT CAST(SUM(n) AS BIGINT) FROM result_counts
                 WHERE question = '' AND item = '' AND value = '' AND day >= $1",
            )
            .bind(&since)
            .fetch_one(pool)
            .await
        })?;
        let closing: Vec<NamedRow> = on_db!(db, |pool| {
            sqlx::query_as(
                "SELECT s.id, o.title_ar, o.title_en, s.closes_at
                 FROM surveys s JOIN opportunities o ON o.survey_id = s.id
                 WHERE s.status = 'open' AND s.closes_at IS NOT NULL AND s.closes_at <= $1
                 ORDER BY s.closes_at LIMIT 10",
            )
            .bind(now + Duration::days(WINDOW_DAYS))
            .fetch_all(pool)
            .await
        })?;
        let waiting: Vec<NamedRow> = on_db!(db, |pool| {
            sqlx::query_as(
                "SELECT s.id, o.title_ar, o.title_en, s.closes_at
                 FROM surveys s JOIN opportunities o ON o.survey_id = s.id
                 WHERE s.status = 'closed' AND NOT s.results_public
                   AND EXISTS (SELECT 1 FROM result_totals t WHERE t.survey_id = s.id)
                 ORDER BY s.closes_at DESC LIMIT 10",
            )
            .fetch_all(pool)
            .await
        })?;
        let overdue_feedback = if feedback {
            // Owed a reply (queue 0) past the deadline, as the list's "overdue" filter reads.
            let sql = "SELECT COUNT(*) FROM feedback_cases WHERE queue = 0 AND due_at <= $1";
            Some(count(db, sql, Some(now)).await?)
        } else {
            None
        };
        let held_comments = if moderation {
            let sql = "SELECT COUNT(*) FROM comments WHERE state = 'held'";
            Some(count(db, sql, None).await?)
        } else {
            None
        };
        Ok(Overview {
            open_surveys,
            recent_responses: recent.unwrap_or(0),
            closing_soon: named(closing),
            results_waiting: named(waiting),
            overdue_feedback,
            held_comments,
        })
    }
}

/// The overview, figures first.
#[component]
pub fn StaffOverview() -> impl IntoView {
    let locale = use_locale();
    let shown = Resource::new(|| (), |_| staff_overview());
    view! {
        <Suspense fallback=|| ()>
            {move || shown.get().map(|result| match result {
                Ok(overview) => view! { <OverviewView overview/> }.into_any(),
                Err(_) => view! { <p class="error-message">{locale.t("overview.load_failed")}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn OverviewView(overview: Overview) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let lang = locale.code();
    let surveys = format!("/{lang}/staff/surveys");
    let figure = move |label: String, value: i64, href: String| {
        view! {
            <div>
                <dt>{label}</dt>
                <dd><a href=href>{crate::numbers::ltr_number(value.to_string())}</a></dd>
            </div>
        }
    };
    let closing = overview.closing_soon.len() as i64;
    let waiting = overview.results_waiting.len() as i64;
    view! {
        <section class="overview" aria-labelledby="overview-title">
            <h2 id="overview-title">{t("overview.title")}</h2>
            <dl class="figures overview-figures">
                {figure(t("overview.open_surveys"), overview.open_surveys, surveys.clone())}
                {figure(t("overview.recent_responses"), overview.recent_responses, surveys.clone())}
                {figure(t("overview.closing_soon"), closing, "#closing-soon".to_owned())}
                {figure(t("overview.results_waiting"), waiting, "#results-waiting".to_owned())}
                {overview.overdue_feedback.map(|n| figure(t("overview.overdue_feedback"), n, format!("/{lang}/staff/feedback?due=overdue")))}
                {overview.held_comments.map(|n| figure(t("overview.held_comments"), n, format!("/{lang}/staff/moderation")))}
            </dl>
            <div class="overview-lists">
                <NamedList id="closing-soon" title=t("overview.closing_soon_title") empty=t("overview.none_closing")
                    items=overview.closing_soon suffix=""/>
                <NamedList id="results-waiting" title=t("overview.results_waiting_title") empty=t("overview.none_waiting")
                    items=overview.results_waiting suffix="/results"/>
            </div>
        </section>
    }
}

/// Surveys, each linked to its page (or, with `suffix`, a page under it) with its date.
#[component]
fn NamedList(
    id: &'static str,
    title: String,
    empty: String,
    items: Vec<Named>,
    suffix: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let heading = format!("{id}-title");
    let labelled = heading.clone();
    view! {
        <section id=id aria-labelledby=labelled>
            <h3 id=heading>{title}</h3>
            {if items.is_empty() {
                view! { <p>{empty}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {items.into_iter().map(|item| {
                            let href = format!("/{}/staff/surveys/{}{suffix}", locale.code(), item.id);
                            let name = item.title.get(locale).to_owned();
                            view! {
                                <li>
                                    <a href=href>{name}</a>
                                    {item.at.map(|at| view! { " — " <When at/> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
