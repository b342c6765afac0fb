//! A periodic survey between two rounds (issue 21 §2): the address says when the next round
//! opens and links the last round's published results, and takes an email address to tell
//! once when it opens; the scheduler tells them ([`announce_open_rounds`]).

use chrono::{DateTime, Utc};

use super::db;
use crate::Locale;
use crate::store::{Db, StoreError};

/// The email telling someone the round they waited for is open.
pub fn letter(
    locale: Locale,
    title: &str,
    link: &str,
    closes_at: DateTime<Utc>,
) -> (String, String) {
    (
        locale.t_with("responses.round.subject", &[("title", title)]),
        locale.t_with(
            "responses.round.body",
            &[
                ("title", title),
                ("link", link),
                ("until", &crate::dates::when_text(locale, closes_at)),
            ],
        ),
    )
}

/// Tells everyone waiting on a round that is open now, once each (run by the scheduler on
/// every server: each address is emailed and forgotten in one transaction). `base`: the
/// public address links start with. Answers how many were told.
pub async fn announce_open_rounds(
    db: &Db,
    base: &str,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut told = 0;
    for round in db::open_rounds(db, now).await? {
        let Some(survey) = db::public_survey(db, &round.survey.to_string(), now).await? else {
            continue;
        };
        let letter = |code: &str| {
            let locale = Locale::from_code(code).unwrap_or_default();
            let link = format!(
                "{}{}",
                base.trim_end_matches('/'),
                super::views::form_path(locale, &survey.key)
            );
            letter(
                locale,
                survey.definition.title.get(locale),
                &link,
                round.closes_at,
            )
        };
        told += db::announce(db, survey.id, letter, now).await?;
    }
    Ok(told)
}
