//! Emails to a banned participant: the ban (why, until when, how to appeal) and the appeal's
//! outcome, in their language.

use chrono::{DateTime, Utc};

use crate::Locale;
use crate::feedback::mail::Letter;

/// "You cannot comment until …, because …; you can appeal from your account."
pub fn banned(
    locale: Locale,
    category: &str,
    note: &str,
    ends_at: Option<DateTime<Utc>>,
) -> Letter {
    let until = match ends_at {
        Some(at) => locale.t_with(
            "moderation.mail.until",
            &[("when", &crate::dates::when_text(locale, at))],
        ),
        None => locale.t("moderation.mail.permanent"),
    };
    let category = locale.t(&crate::consultations::category_label_key(category));
    Letter {
        subject: locale.t("moderation.mail.banned_subject"),
        body: locale.t_with(
            "moderation.mail.banned_body",
            &[("category", &category), ("note", note), ("until", &until)],
        ),
    }
}

/// The appeal upheld or lifted, with the moderator's note.
pub fn appeal_decided(locale: Locale, lifted: bool, note: &str) -> Letter {
    let key = if lifted { "lifted" } else { "upheld" };
    Letter {
        subject: locale.t(&format!("moderation.mail.{key}_subject")),
        body: locale.t_with(&format!("moderation.mail.{key}_body"), &[("note", note)]),
    }
}
