//! Emails to participants about moderation, in their language: a held comment published, a
//! comment hidden (citing the policy's category) or restored, a ban (why, until when, how to
//! appeal) and the appeal's outcome.

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

/// A moderator's decision on the participant's comment: `state` is where it now stands;
/// `restored` when it was hidden before. `link` opens its thread.
pub fn decided(
    locale: Locale,
    state: crate::consultations::CommentState,
    restored: bool,
    category: Option<&str>,
    link: &str,
    policy: &str,
) -> Letter {
    use crate::consultations::CommentState;
    let key = match state {
        CommentState::Published if restored => "restored",
        CommentState::Published | CommentState::Held => "published",
        CommentState::Hidden => "hidden",
    };
    let category = locale.t(&crate::consultations::category_label_key(
        category.unwrap_or_default(),
    ));
    Letter {
        subject: locale.t(&format!("moderation.mail.{key}_subject")),
        body: locale.t_with(
            &format!("moderation.mail.{key}_body"),
            &[("category", &category), ("link", link), ("policy", policy)],
        ),
    }
}
