//! Telling the people linked to an outcome that it was published or its status changed
//! (MISSION.md §7.4: through the channel they used): an email in their language with a
//! one-click unsubscribe, or a signed webhook to the system that brought their feedback in.
//!
//! Invariants: each person hears of each change once (a notice is claimed per entry and
//! address before anything is queued, so running this twice, or on two servers, sends
//! nothing twice); an address that opted out is never written to; once an outcome is final,
//! the addresses kept only to hear back from its survey are deleted.

use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

use super::db::{self, Recipient};
use super::{Outcome, Update};
use crate::Locale;
use crate::accounts::secrets::{new_token, token_hash};
use crate::store::{Db, StoreError, outbox};

/// The path of an unsubscribe link.
pub fn unsubscribe_path(locale: Locale, token: &str) -> String {
    format!("/{}/outcomes/unsubscribe/{token}", locale.code())
}

/// What was sent for one change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Told {
    pub emails: usize,
    pub webhooks: usize,
    /// Addresses kept to hear back that were deleted because the outcome is final.
    pub forgotten: u64,
}

/// The email for one change, in `locale`.
pub fn letter(
    locale: Locale,
    outcome: &Outcome,
    update: &Update,
    first: bool,
    link: &str,
    unsubscribe: &str,
) -> crate::feedback::mail::Letter {
    let status = locale.t(&update.status.label_key());
    let title = outcome.title.get(locale);
    let key = if first { "published" } else { "changed" };
    crate::feedback::mail::Letter {
        subject: locale.t_with(
            &format!("outcomes.mail.{key}_subject"),
            &[("title", title), ("status", &status)],
        ),
        body: locale.t_with(
            &format!("outcomes.mail.{key}_body"),
            &[
                ("title", title),
                ("said", outcome.said.get(locale)),
                ("did", outcome.did.get(locale)),
                ("status", &status),
                ("note", update.note.get(locale)),
                ("link", link),
                ("unsubscribe", unsubscribe),
            ],
        ),
    }
}

/// Tells everyone linked to `outcome` of the timeline entry `update` (`first`: its
/// publication), once each. `site` is the service's base URL, for absolute links.
pub async fn tell(
    db: &Db,
    outcome: &Outcome,
    update: &Update,
    first: bool,
    site: &str,
    now: DateTime<Utc>,
) -> Result<Told, StoreError> {
    let site = site.trim_end_matches('/');
    let mut told = Told::default();
    let mut seen = BTreeSet::new();
    for recipient in db::recipients(db, outcome).await? {
        match recipient {
            Recipient::Email { address, language } => {
                let address = address.trim().to_lowercase();
                if !seen.insert(address.clone()) || db::opted_out(db, &address).await? {
                    continue;
                }
                if !db::claim_notice(db, update.id, &format!("email:{address}"), now).await? {
                    continue;
                }
                let locale = Locale::from_code(&language).unwrap_or_default();
                let token = new_token();
                db::save_unsubscribe(db, &token_hash(&token), &address, now).await?;
                let unsubscribe = format!("{site}{}", unsubscribe_path(locale, &token));
                let link = format!("{site}{}", outcome.path(locale));
                let letter = letter(locale, outcome, update, first, &link, &unsubscribe);
                outbox::enqueue_stoppable(
                    db,
                    &address,
                    &letter.subject,
                    &letter.body,
                    Some(&unsubscribe),
                    now,
                )
                .await?;
                told.emails += 1;
            }
            Recipient::Webhook {
                case,
                reference,
                url,
                language,
            } => {
                if !db::claim_notice(db, update.id, &format!("case:{case}"), now).await? {
                    continue;
                }
                let locale = Locale::from_code(&language).unwrap_or_default();
                let payload = serde_json::json!({
                    "type": if first { "outcome.published" } else { "outcome.changed" },
                    "case": reference,
                    "outcome_id": outcome.id,
                    "language": locale.code(),
                    "title": outcome.title.get(locale),
                    "you_said": outcome.said.get(locale),
                    "we_did": outcome.did.get(locale),
                    "status": update.status.code(),
                    "note": update.note.get(locale),
                    "url": format!("{site}{}", outcome.path(locale)),
                    "at": now,
                });
                crate::feedback::db::queue_delivery(db, case, &url, &payload.to_string(), now)
                    .await?;
                told.webhooks += 1;
            }
        }
    }
    db::mark_notified(db, update.id).await?;
    if update.status.is_final()
        && let Some(opportunity) = outcome.opportunity_id
        && let Some((_, Some(survey))) = db::opportunity(db, opportunity).await?
    {
        told.forgotten = db::forget_contacts(db, survey).await?;
    }
    Ok(told)
}

/// Opts the address an unsubscribe token was sent to out of outcome messages; answers the
/// address, or `None` for an unknown token.
pub async fn unsubscribe(
    db: &Db,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, StoreError> {
    let Some(address) = db::unsubscribe_address(db, &token_hash(token)).await? else {
        return Ok(None);
    };
    db::opt_out(db, &address, now).await?;
    Ok(Some(address))
}
