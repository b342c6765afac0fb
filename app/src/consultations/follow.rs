//! Following a consultation (issue 15 §1): a signed-in participant follows a published
//! consultation from its comments page, and hears, once per change and in their language,
//! when an outcome of it is published or its status changes (`outcomes::notify`, issue 17 §2).
//! Following needs no comment and stays possible after commenting closes (the outcome comes
//! later); it ends with "Stop following", with the account, or with the consultation.

use leptos::prelude::*;
use uuid::Uuid;

use crate::shell::forms::CsrfField;
use crate::shell::use_locale;

pub fn follow_path(locale: crate::Locale, opportunity: Uuid) -> String {
    format!("/{}/opportunities/{opportunity}/follow", locale.code())
}

/// "Follow this consultation" or "Stop following", for a signed-in participant.
#[component]
pub fn FollowForm(opportunity: Uuid, following: bool) -> impl IntoView {
    let locale = use_locale();
    let t = move |key: &str| locale.t(key);
    let (hint, button, value) = if following {
        (
            "consultations.follow.following",
            "consultations.follow.stop",
            "off",
        )
    } else {
        (
            "consultations.follow.hint",
            "consultations.follow.start",
            "on",
        )
    };
    view! {
        <form method="post" action=follow_path(locale, opportunity) class="follow-form">
            <CsrfField/>
            <input type="hidden" name="follow" value=value/>
            <p class="hint">{t(hint)}</p>
            <button type="submit" class="button button-secondary">{t(button)}</button>
        </form>
    }
}

#[cfg(feature = "ssr")]
pub use store::{follow, is_following};

#[cfg(feature = "ssr")]
mod store {
    use chrono::{DateTime, Utc};
    use uuid::Uuid;

    use crate::on_db;
    use crate::participants::Participant;
    use crate::store::{Db, StoreError};

    /// Whether the participant follows the consultation.
    pub async fn is_following(
        db: &Db,
        opportunity: Uuid,
        participant: Uuid,
    ) -> Result<bool, StoreError> {
        let row: Option<(i32,)> = on_db!(db, |pool| {
            sqlx::query_as(
                "SELECT 1 FROM consultation_followers \
                 WHERE opportunity_id = $1 AND participant_id = $2",
            )
            .bind(opportunity)
            .bind(participant)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.is_some())
    }

    /// Follows (`on`) or stops following a published consultation; answers false when there
    /// is no such consultation. Doing it twice changes nothing.
    pub async fn follow(
        db: &Db,
        me: &Participant,
        opportunity: Uuid,
        on: bool,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let exists = crate::opportunities::db::find(db, opportunity)
            .await?
            .is_some_and(|o| {
                o.published && o.kind == crate::opportunities::OpportunityKind::Consultation
            });
        if !exists {
            return Ok(false);
        }
        on_db!(db, |pool| {
            if on {
                sqlx::query(
                    "INSERT INTO consultation_followers (opportunity_id, participant_id, created_at) \
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(opportunity)
                .bind(me.id)
                .bind(now)
                .execute(pool)
                .await
                .map(|_| ())
            } else {
                sqlx::query(
                    "DELETE FROM consultation_followers \
                     WHERE opportunity_id = $1 AND participant_id = $2",
                )
                .bind(opportunity)
                .bind(me.id)
                .execute(pool)
                .await
                .map(|_| ())
            }
        })?;
        Ok(true)
    }
}
