//! The sign-in email, in the language of the page it was asked from. A transactional message:
//! no unsubscribe headers.

use crate::Locale;
use crate::feedback::mail::Letter;

/// The link, the code, and how long both are good for.
pub fn sign_in(locale: Locale, link: &str, code: &str) -> Letter {
    Letter {
        subject: locale.t_with("participants.mail.subject", &[("code", code)]),
        body: locale.t_with(
            "participants.mail.body",
            &[
                ("link", link),
                ("code", code),
                ("minutes", &super::rules::SIGN_IN_MINUTES.to_string()),
            ],
        ),
    }
}
