//! The emails a case sends, in the participant's language (or, to staff, in both: staff read
//! both). Texts come from the catalogues; links are absolute, from the service's base URL.

use chrono::{DateTime, Utc};

use crate::Locale;
use crate::dates::when_text;

/// A message for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub body: String,
}

/// To the participant when a case comes in: its reference, when to expect a reply, and the
/// private tracking link.
pub fn received(locale: Locale, reference: &str, due: DateTime<Utc>, tracking: &str) -> Letter {
    Letter {
        subject: locale.t_with(
            "feedback.mail.received_subject",
            &[("reference", reference)],
        ),
        body: locale.t_with(
            "feedback.mail.received_body",
            &[
                ("reference", reference),
                ("due", &when_text(locale, due)),
                ("link", tracking),
            ],
        ),
    }
}

/// To the participant with a reply: the text, the one-click rating links and the tracking link.
pub fn reply(
    locale: Locale,
    reference: &str,
    text: &str,
    team: &str,
    rating: &str,
    tracking: &str,
) -> Letter {
    let scores = (1..=5)
        .rev()
        .map(|score| {
            format!(
                "  {} — {rating}?score={score}",
                locale.t(&format!("feedback.score.s{score}"))
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    Letter {
        subject: locale.t_with("feedback.mail.reply_subject", &[("reference", reference)]),
        body: locale.t_with(
            "feedback.mail.reply_body",
            &[
                ("reference", reference),
                ("reply", text),
                ("team", team),
                ("scores", &scores),
                ("not_answered", &format!("{rating}?not_answered=1")),
                ("link", tracking),
            ],
        ),
    }
}

/// To staff, in both languages: `key` is `reminder` (to the assignee, at the reminder share of
/// the service level) or `escalation` (to the team's leads and the admins, at the due time).
pub fn to_staff(key: &str, reference: &str, due: DateTime<Utc>, link: &str) -> Letter {
    let both = |what: &str| {
        [Locale::Ar, Locale::En]
            .into_iter()
            .map(|locale| {
                locale.t_with(
                    &format!("feedback.mail.{key}_{what}"),
                    &[
                        ("reference", reference),
                        ("due", &when_text(locale, due)),
                        ("link", link),
                    ],
                )
            })
            .collect::<Vec<_>>()
    };
    Letter {
        subject: both("subject").join(" / "),
        body: both("body").join("\n\n———\n\n"),
    }
}
