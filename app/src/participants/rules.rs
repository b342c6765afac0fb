//! What a participant types, checked: the email they sign in with, the code from the email,
//! their profile, and where to go once signed in. Pure; the messages are catalogue keys.

use crate::Locale;
use crate::groups::StakeholderGroup;

/// Field name and catalogue key of each problem, in the form's order.
pub type Problems = Vec<(&'static str, &'static str)>;

/// The longest display name.
pub const NAME_MAX: usize = 60;
/// How long a sign-in link or code is good for.
pub const SIGN_IN_MINUTES: i64 = 15;
/// Wrong codes allowed per sign-in before it is spent.
pub const CODE_ATTEMPTS: i32 = 5;
/// Sign-in emails one address may be sent per hour.
pub const SIGN_INS_PER_HOUR: i64 = 5;
/// A participant's session ends after this many days without a visit…
pub const SESSION_IDLE_DAYS: i64 = 30;
/// …and after this many days whatever happens.
pub const SESSION_MAX_DAYS: i64 = 180;

/// The address to send a sign-in to, lower-cased, or the problem's key.
pub fn check_email(email: &str) -> Result<String, &'static str> {
    if email.trim().is_empty() {
        return Err("participants.error.email_missing");
    }
    crate::accounts::rules::normalize_email(email).ok_or("participants.error.email")
}

/// The six digits of a sign-in code as typed (Arabic-Indic or Persian digits, spaces and
/// dashes allowed), or `None`.
pub fn normalize_code(typed: &str) -> Option<String> {
    let mut code = String::with_capacity(6);
    for c in typed.chars() {
        match c {
            '0'..='9' => code.push(c),
            '٠'..='٩' => code.push(char::from(b'0' + (c as u32 - '٠' as u32) as u8)),
            '۰'..='۹' => code.push(char::from(b'0' + (c as u32 - '۰' as u32) as u8)),
            ' ' | '-' | '\u{a0}' => {}
            _ => return None,
        }
    }
    (code.len() == 6).then_some(code)
}

/// A path on this site to return to after signing in: `/` then anything but a second slash
/// or a backslash (which would leave the site), no control characters, not too long.
pub fn safe_next(path: &str) -> Option<String> {
    let path = path.trim();
    let leaves = path.starts_with("//") || path.starts_with("/\\") || path.contains('\\');
    let fine = path.starts_with('/')
        && !leaves
        && path.len() <= 500
        && !path.chars().any(char::is_control);
    fine.then(|| path.to_owned())
}

/// A profile as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileInput {
    pub display_name: String,
    pub language: String,
    pub group: String,
}

/// A checked profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub display_name: String,
    pub language: Locale,
    pub group: Option<StakeholderGroup>,
}

/// Checks a profile: a display name of 2 to [`NAME_MAX`] characters that is not an email
/// address or a phone number (it is shown publicly), a language, and a known group or none.
pub fn check_profile(input: &ProfileInput) -> Result<Profile, Problems> {
    let mut problems = Problems::new();
    let name = input
        .display_name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let length = name.chars().count();
    if length == 0 {
        problems.push(("display_name", "participants.error.name_missing"));
    } else if !(2..=NAME_MAX).contains(&length) {
        problems.push(("display_name", "participants.error.name_length"));
    } else if looks_like_contact(&name) {
        problems.push(("display_name", "participants.error.name_contact"));
    }
    let language = Locale::from_code(input.language.trim());
    if language.is_none() {
        problems.push(("language", "participants.error.language"));
    }
    let group = match input.group.trim() {
        "" => None,
        code => match StakeholderGroup::from_code(code) {
            Some(group) => Some(group),
            None => {
                problems.push(("group", "participants.error.group"));
                None
            }
        },
    };
    match language {
        Some(language) if problems.is_empty() => Ok(Profile {
            display_name: name,
            language,
            group,
        }),
        _ => Err(problems),
    }
}

/// An email address, or seven or more digits in any digit set: contact details, not a name.
fn looks_like_contact(name: &str) -> bool {
    name.contains('@') || name.chars().filter(|c| c.is_numeric()).count() >= 7
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str, language: &str, group: &str) -> Result<Profile, Problems> {
        check_profile(&ProfileInput {
            display_name: name.into(),
            language: language.into(),
            group: group.into(),
        })
    }

    #[test]
    fn codes_are_six_digits_in_any_digit_set() {
        assert_eq!(normalize_code(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(normalize_code("١٢٣-٤٥٦").as_deref(), Some("123456"));
        assert_eq!(normalize_code("۱۲۳۴۵۶").as_deref(), Some("123456"));
        assert_eq!(normalize_code("12345"), None);
        assert_eq!(normalize_code("1234567"), None);
        assert_eq!(normalize_code("12a456"), None);
        assert_eq!(normalize_code(""), None);
    }

    #[test]
    fn next_paths_stay_on_the_site() {
        assert_eq!(safe_next("/ar/account").as_deref(), Some("/ar/account"));
        assert_eq!(
            safe_next("/en/opportunities/x?y=1").as_deref(),
            Some("/en/opportunities/x?y=1")
        );
        for away in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "en/account",
            "/a\nb",
            "",
        ] {
            assert_eq!(safe_next(away), None, "{away:?}");
        }
    }

    #[test]
    fn emails_are_checked_and_lower_cased() {
        assert_eq!(
            check_email(" Mona@Example.AE "),
            Ok("mona@example.ae".into())
        );
        assert_eq!(check_email(""), Err("participants.error.email_missing"));
        assert_eq!(check_email("mona"), Err("participants.error.email"));
    }

    #[test]
    fn profiles_refuse_contact_details_as_names() {
        let ok = profile("  منى   سالم ", "ar", "citizen").expect("valid");
        assert_eq!(ok.display_name, "منى سالم");
        assert_eq!(ok.group, Some(StakeholderGroup::Citizen));
        assert_eq!(profile("Mona", "en", "").expect("valid").group, None);
        assert_eq!(
            profile("", "en", "").expect_err("refused"),
            vec![("display_name", "participants.error.name_missing")]
        );
        assert_eq!(
            profile("M", "en", "").expect_err("refused"),
            vec![("display_name", "participants.error.name_length")]
        );
        assert_eq!(
            profile(&"x".repeat(NAME_MAX + 1), "en", "").expect_err("refused"),
            vec![("display_name", "participants.error.name_length")]
        );
        for contact in ["mona@example.ae", "050 123 4567", "٠٥٠١٢٣٤٥٦٧"] {
            assert_eq!(
                profile(contact, "en", "").expect_err("refused"),
                vec![("display_name", "participants.error.name_contact")],
                "{contact}"
            );
        }
        assert_eq!(
            profile("Mona", "fr", "martian").expect_err("refused"),
            vec![
                ("language", "participants.error.language"),
                ("group", "participants.error.group")
            ]
        );
    }
}
