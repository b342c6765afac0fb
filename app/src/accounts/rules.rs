//! Pure account rules, shared by server and browser: what each role may do, password and
//! email checks, and session expiry.

use chrono::{DateTime, Duration, Utc};

use super::{Permission, Role};

impl Role {
    /// The permission table. Analysts read and change nothing in the accounts domain.
    pub fn allows(self, permission: Permission) -> bool {
        match permission {
            Permission::EnterStaffArea => true,
            Permission::ManageUsers | Permission::ScheduleReports => self == Role::Admin,
            Permission::AuthorSurveys => matches!(self, Role::Admin | Role::Author),
            Permission::ReadSurveys => {
                matches!(self, Role::Admin | Role::Author | Role::Analyst)
            }
            Permission::CollectResponses => {
                matches!(self, Role::Admin | Role::Author | Role::Responder)
            }
            Permission::ReadResults => matches!(self, Role::Admin | Role::Author | Role::Analyst),
            Permission::HandleFeedback => matches!(self, Role::Admin | Role::Responder),
            Permission::ReadFeedbackFigures => {
                matches!(self, Role::Admin | Role::Responder | Role::Analyst)
            }
            Permission::Moderate => matches!(self, Role::Admin | Role::Moderator),
            Permission::AnswerComments => {
                matches!(self, Role::Admin | Role::Author | Role::Moderator)
            }
        }
    }
}

pub const MIN_PASSWORD_LENGTH: usize = 12;

/// Passwords long enough to pass the length rule yet among the most commonly used ones
/// (from public breach corpora); compared case-insensitively.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "111111111111",
    "000000000000",
    "123123123123",
    "qwertyuiopas",
    "qwertyuiop12",
    "qwertyuiop123",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "iloveyou1234",
    "abcdefghijkl",
    "abcd12345678",
    "abc123456789",
    "administrator",
    "admin1234567",
    "adminadminadmin",
    "welcome12345",
    "welcome123456",
    "letmein12345",
    "changeme1234",
    "trustno1trustno1",
    "football1234",
    "baseball1234",
    "princess1234",
    "sunshine1234",
    "superman1234",
    "starwars1234",
    "monkey123456",
    "dragon123456",
    "michael12345",
    "jennifer1234",
    "computer1234",
    "internet1234",
    "p@ssw0rd1234",
    "p@ssword1234",
    "passw0rd1234",
    "qwerty123456",
    "qwertyqwerty",
    "asdfghjkl123",
    "zxcvbnm12345",
    "987654321098",
    "147258369147",
    "google123456",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooCommon,
}

impl PasswordProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password.too_short",
            PasswordProblem::TooCommon => "password.too_common",
        }
    }
}

/// Checks a new password: at least [`MIN_PASSWORD_LENGTH`] characters and not a common one
/// (nor one character repeated).
pub fn check_new_password(password: &str) -> Result<(), PasswordProblem> {
    if password.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(PasswordProblem::TooShort);
    }
    let lower = password.to_lowercase();
    let mut chars = lower.chars();
    let first = chars.next();
    if COMMON_PASSWORDS.contains(&lower.as_str()) || chars.all(|c| Some(c) == first) {
        return Err(PasswordProblem::TooCommon);
    }
    Ok(())
}

/// Normalises an email address for storage and look-up, or `None` when it is not one.
pub fn normalize_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let valid = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
        && email.len() <= 254;
    valid.then_some(email)
}

/// How long a session lives: it ends after `idle` without a request, and after `absolute`
/// whatever happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
        }
    }
}

impl SessionPolicy {
    pub fn is_live(
        &self,
        created_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        now - last_seen_at < self.idle && now - created_at < self.absolute
    }
}

/// Only local paths may be a "return to" target after sign-in (no open redirects).
pub fn safe_return_path(next: &str) -> Option<&str> {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    (local && !next.chars().any(|c| c.is_control())).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_users_and_every_role_enters_the_staff_area() {
        for role in Role::ALL {
            assert!(role.allows(Permission::EnterStaffArea));
            assert_eq!(role.allows(Permission::ManageUsers), role == Role::Admin);
        }
    }

    #[test]
    fn passwords_must_be_long_and_uncommon() {
        assert_eq!(check_new_password("short"), Err(PasswordProblem::TooShort));
        assert_eq!(
            check_new_password("كلمة سر قصيرة"),
            Ok(()),
            "Arabic passwords count characters, not bytes"
        );
        assert_eq!(check_new_password("كلمةسر"), Err(PasswordProblem::TooShort));
        assert_eq!(
            check_new_password("Password1234"),
            Err(PasswordProblem::TooCommon)
        );
        assert_eq!(
            check_new_password("aaaaaaaaaaaaaaa"),
            Err(PasswordProblem::TooCommon)
        );
        assert_eq!(check_new_password("correct horse battery"), Ok(()));
    }

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(
            normalize_email("  Huda@Ministry.GOV.ae "),
            Some("huda@ministry.gov.ae".into())
        );
        assert_eq!(normalize_email("no-at-sign"), None);
        assert_eq!(normalize_email("a@b"), None);
        assert_eq!(normalize_email("a b@c.d"), None);
        assert_eq!(normalize_email("@c.de"), None);
    }

    #[test]
    fn sessions_end_when_idle_or_too_old() {
        let policy = SessionPolicy::default();
        let start = DateTime::parse_from_rfc3339("2026-11-28T08:00:00Z")
            .expect("date")
            .with_timezone(&Utc);
        assert!(policy.is_live(start, start, start + Duration::minutes(29)));
        assert!(!policy.is_live(start, start, start + Duration::minutes(30)));
        let active = start + Duration::hours(11) + Duration::minutes(50);
        assert!(policy.is_live(start, active, active + Duration::minutes(5)));
        assert!(!policy.is_live(start, active, start + Duration::hours(12)));
    }

    #[test]
    fn only_local_paths_are_return_targets() {
        assert_eq!(safe_return_path("/en/staff"), Some("/en/staff"));
        assert_eq!(safe_return_path("//evil.example"), None);
        assert_eq!(safe_return_path("/\\evil.example"), None);
        assert_eq!(safe_return_path("https://evil.example"), None);
        assert_eq!(safe_return_path("/en\n/x"), None);
    }
}

/// How many failed sign-ins are tolerated within the window, counted three ways. The tight
/// limit is per account *and* address, so an attacker elsewhere cannot lock a real user out;
/// the per-account limit is high and only bites under a distributed attack, and then for one
/// window at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub window: Duration,
    pub per_account_and_address: i64,
    pub per_address: i64,
    pub per_account: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            window: Duration::minutes(15),
            per_account_and_address: 5,
            per_address: 30,
            per_account: 100,
        }
    }
}

/// Failures within the window: how many, and when the oldest was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureCount {
    pub count: i64,
    pub oldest: Option<DateTime<Utc>>,
}

impl ThrottlePolicy {
    /// How long the visitor must wait before trying again, or `None` when they may try now.
    /// `counts` are for (account and address, address, account), in that order.
    pub fn retry_after(&self, counts: [FailureCount; 3], now: DateTime<Utc>) -> Option<Duration> {
        let limits = [
            self.per_account_and_address,
            self.per_address,
            self.per_account,
        ];
        counts
            .iter()
            .zip(limits)
            .filter(|(c, limit)| c.count >= *limit)
            .filter_map(|(c, _)| c.oldest.map(|oldest| oldest + self.window - now))
            .filter(|wait| *wait > Duration::zero())
            .max()
    }
}

#[cfg(test)]
mod throttle_tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-28T08:00:00Z")
            .expect("date")
            .with_timezone(&Utc)
            + Duration::minutes(minutes)
    }

    #[test]
    fn five_failures_from_one_address_make_that_address_wait_for_the_window() {
        let policy = ThrottlePolicy::default();
        let few = FailureCount {
            count: 4,
            oldest: Some(at(0)),
        };
        let none = FailureCount {
            count: 0,
            oldest: None,
        };
        assert_eq!(policy.retry_after([few, few, few], at(1)), None);
        let five = FailureCount {
            count: 5,
            oldest: Some(at(0)),
        };
        assert_eq!(
            policy.retry_after([five, five, five], at(5)),
            Some(Duration::minutes(10))
        );
        assert_eq!(
            policy.retry_after([five, five, five], at(15)),
            None,
            "the window has passed"
        );
        let busy_address = FailureCount {
            count: 30,
            oldest: Some(at(2)),
        };
        assert_eq!(
            policy.retry_after([none, busy_address, none], at(2)),
            Some(Duration::minutes(15))
        );
    }
}
