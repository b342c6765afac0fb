//! Checking a case as it comes in (the public form, staff recording one, the API) and what each
//! state allows. Pure, so the form's rules are the API's rules.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CaseState, Channel, ReplyBy, StakeholderGroup, TOPICS};
use crate::responses::check::{is_email, is_phone};

/// Field name and catalogue key of each problem, in the form's order.
pub type Problems = Vec<(&'static str, &'static str)>;

pub const MESSAGE_MIN: usize = 10;
pub const MESSAGE_MAX: usize = 5000;
pub const NAME_MAX: usize = 200;
pub const REPLY_MAX: usize = 10_000;
pub const COMMENT_MAX: usize = 2000;
pub const CLIENT_ID_MAX: usize = 100;

/// A case as typed or posted, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseInput {
    pub topic: String,
    /// An opportunity's id, or empty.
    pub about: String,
    pub message: String,
    /// A stakeholder group's code, or empty.
    pub group: String,
    /// A [`ReplyBy`] code.
    pub reply_by: String,
    pub name: String,
    pub email: String,
    pub phone: String,
}

/// A checked case, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFields {
    pub topic: String,
    pub about: Option<Uuid>,
    pub message: String,
    pub group: Option<StakeholderGroup>,
    pub channel: Channel,
    pub reply_by: ReplyBy,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// The ways to be answered a channel offers: the public form offers email or the web page;
/// staff recording a call or a letter may also phone back; integrations may ask for a webhook.
pub fn reply_options(channel: Channel) -> &'static [ReplyBy] {
    match channel {
        Channel::Web => &[ReplyBy::Email, ReplyBy::Web],
        Channel::Partner => &[ReplyBy::Webhook, ReplyBy::Email, ReplyBy::Web],
        Channel::Phone | Channel::InPerson | Channel::Paper | Channel::SocialMedia => {
            &[ReplyBy::Phone, ReplyBy::Email, ReplyBy::Web]
        }
    }
}

/// Checks a case arriving on `channel`; every problem is named at once.
pub fn check(input: &CaseInput, channel: Channel) -> Result<CaseFields, Problems> {
    let mut problems = Problems::new();
    let topic = input.topic.trim();
    if !TOPICS.contains(&topic) {
        problems.push(("topic", "feedback.error.topic"));
    }
    let about = match input.about.trim() {
        "" => None,
        id => match id.parse::<Uuid>() {
            Ok(id) => Some(id),
            Err(_) => {
                problems.push(("about", "feedback.error.about"));
                None
            }
        },
    };
    let message = input.message.trim();
    let length = message.chars().count();
    if length < MESSAGE_MIN {
        problems.push(("message", "feedback.error.message_short"));
    } else if length > MESSAGE_MAX {
        problems.push(("message", "feedback.error.message_long"));
    }
    let group = match input.group.trim() {
        "" => None,
        code => {
            let group = StakeholderGroup::from_code(code);
            if group.is_none() {
                problems.push(("group", "feedback.error.group"));
            }
            group
        }
    };
    let name = input.name.trim();
    if name.chars().count() > NAME_MAX {
        problems.push(("name", "feedback.error.name_long"));
    }
    let email = Some(input.email.trim()).filter(|e| !e.is_empty());
    if email.is_some_and(|e| !is_email(e)) {
        problems.push(("email", "feedback.error.email"));
    }
    let phone = Some(input.phone.trim()).filter(|p| !p.is_empty());
    if phone.is_some_and(|p| !is_phone(p)) {
        problems.push(("phone", "feedback.error.phone"));
    }
    let reply_by =
        ReplyBy::from_code(input.reply_by.trim()).filter(|r| reply_options(channel).contains(r));
    match reply_by {
        None => problems.push(("reply_by", "feedback.error.reply_by")),
        Some(ReplyBy::Email) if email.is_none() => {
            problems.push(("email", "feedback.error.email_needed"));
        }
        Some(ReplyBy::Phone) if phone.is_none() => {
            problems.push(("phone", "feedback.error.phone_needed"));
        }
        Some(_) => {}
    }
    match reply_by {
        Some(reply_by) if problems.is_empty() => Ok(CaseFields {
            topic: topic.to_owned(),
            about,
            message: message.to_owned(),
            group,
            channel,
            reply_by,
            name: name.to_owned(),
            email: email.map(str::to_owned),
            phone: phone.map(str::to_owned),
        }),
        _ => Err(problems),
    }
}

/// Checks a reply's or a note's text.
pub fn check_text(text: &str) -> Result<String, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        Err("feedback.error.text_empty")
    } else if text.chars().count() > REPLY_MAX {
        Err("feedback.error.text_long")
    } else {
        Ok(text.to_owned())
    }
}

/// Checks a rating as posted: a score 1–5 and an optional comment.
pub fn check_rating(score: &str, comment: &str) -> Result<(u8, String), &'static str> {
    let score = crate::numbers::parse_number(score)
        .filter(|s| s.fract() == 0.0 && (1.0..=5.0).contains(s))
        .ok_or("feedback.error.score")?;
    let comment = comment.trim();
    if comment.chars().count() > COMMENT_MAX {
        return Err("feedback.error.comment_long");
    }
    // The filter above keeps 1.0 ..= 5.0 whole numbers only.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok((score as u8, comment.to_owned()))
}

/// What staff may do to a case in `state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Assign (to oneself or someone on the team).
    Assign,
    /// Send a reply to the participant.
    Reply,
    /// Ask the participant something and pause the clock.
    Wait,
    /// The participant answered: the clock runs again.
    Resume,
    Close,
    Reopen,
}

impl CaseState {
    /// Whether `to_do` is possible in this state.
    pub fn allows(self, to_do: Move) -> bool {
        use CaseState::*;
        match to_do {
            Move::Assign => !matches!(self, Closed),
            Move::Reply => !matches!(self, Closed),
            Move::Wait => matches!(self, New | Assigned | Reopened),
            Move::Resume => matches!(self, Waiting),
            Move::Close => !matches!(self, Closed),
            Move::Reopen => matches!(self, Answered | Closed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CaseInput {
        CaseInput {
            topic: "social_services".into(),
            message: "The family counselling centre's hours are too short.".into(),
            reply_by: "email".into(),
            email: "sara@example.ae".into(),
            ..CaseInput::default()
        }
    }

    #[test]
    fn a_good_case_passes_and_is_trimmed() {
        let fields = check(
            &CaseInput {
                name: "  Sara ".into(),
                ..input()
            },
            Channel::Web,
        )
        .expect("valid");
        assert_eq!(fields.name, "Sara");
        assert_eq!(fields.reply_by, ReplyBy::Email);
        assert_eq!(fields.email.as_deref(), Some("sara@example.ae"));
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let problems = check(
            &CaseInput {
                topic: "weather".into(),
                message: "short".into(),
                group: "aliens".into(),
                reply_by: "email".into(),
                email: String::new(),
                about: "not-an-id".into(),
                ..CaseInput::default()
            },
            Channel::Web,
        )
        .expect_err("invalid");
        let fields: Vec<_> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["topic", "about", "message", "group", "email"]);
    }

    #[test]
    fn anonymous_cases_are_answered_on_the_web_page() {
        let fields = check(
            &CaseInput {
                reply_by: "web".into(),
                email: String::new(),
                ..input()
            },
            Channel::Web,
        )
        .expect("valid");
        assert_eq!(fields.reply_by, ReplyBy::Web);
        assert_eq!(fields.email, None);
    }

    #[test]
    fn the_public_form_cannot_ask_for_a_phone_call_or_a_webhook() {
        for reply_by in ["phone", "webhook", "fax"] {
            let problems = check(
                &CaseInput {
                    reply_by: reply_by.into(),
                    phone: "+971 50 123 4567".into(),
                    ..input()
                },
                Channel::Web,
            )
            .expect_err("refused");
            assert_eq!(problems, [("reply_by", "feedback.error.reply_by")]);
        }
        let recorded = check(
            &CaseInput {
                reply_by: "phone".into(),
                phone: "٠٥٠ ١٢٣ ٤٥٦٧".into(),
                ..input()
            },
            Channel::Phone,
        );
        assert!(recorded.is_ok(), "{recorded:?}");
    }

    #[test]
    fn ratings_are_whole_scores_from_one_to_five() {
        assert_eq!(check_rating("4", " ok "), Ok((4, "ok".into())));
        assert_eq!(check_rating("٥", ""), Ok((5, String::new())));
        for bad in ["0", "6", "3.5", "", "x"] {
            assert_eq!(check_rating(bad, ""), Err("feedback.error.score"), "{bad}");
        }
    }

    #[test]
    fn a_closed_case_can_only_be_reopened() {
        for to_do in [
            Move::Assign,
            Move::Reply,
            Move::Wait,
            Move::Resume,
            Move::Close,
        ] {
            assert!(!CaseState::Closed.allows(to_do), "{to_do:?}");
        }
        assert!(CaseState::Closed.allows(Move::Reopen));
        assert!(CaseState::Waiting.allows(Move::Resume));
        assert!(!CaseState::New.allows(Move::Resume));
    }
}
