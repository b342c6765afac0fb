//! What the server knows about the request that pages need to render the same on the server
//! and in the browser: who is signed in, the CSRF token for forms, whether access was denied,
//! and the outcome of a form that was posted. Built from the request on the server and
//! carried to the browser with the page (a `SharedValue`), so hydration sees the same state.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::CurrentUser;

/// The CSRF token of this visitor, as the request's extensions carry it on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsrfToken(pub String);

/// Set on the request when the visitor may not see the page: the page renders the 403 page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessDenied;

/// Set on the request when a form handler failed on our side: the page shows an apology
/// above its content (the cause is in the server's log, never on the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerFailure;

/// The outcome of a posted form that is shown again: the values typed and the errors found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFeedback {
    /// Field name → the value the person typed (never passwords).
    pub values: Vec<(String, String)>,
    /// Field name (or "" for the form as a whole) → catalogue key of the message.
    pub errors: Vec<(String, String)>,
    /// A secret the form just made, shown this once (a new API token). Never in a URL.
    pub revealed: Option<String>,
    /// Problems found in a survey definition (editing, publishing, importing), by JSON path.
    pub problems: Vec<crate::problems::Problem>,
    /// Problems with a participant's answers (the response form shows them at each question).
    pub answer_errors: Vec<crate::problems::AnswerError>,
}

impl FormFeedback {
    pub fn value(&self, field: &str) -> String {
        self.values
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, key)| key.clone())
    }

    /// The value kept for a field, if the form was posted with it.
    pub fn kept(&self, field: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || !self.problems.is_empty() || !self.answer_errors.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageState {
    pub user: Option<CurrentUser>,
    /// A participant is signed in (their details stay with the server functions that need them).
    #[serde(default)]
    pub participant: bool,
    pub csrf: String,
    /// The path whose page was refused (the 403 page shows there, and only there).
    pub denied_path: Option<String>,
    /// A form handler failed on our side: the page apologises.
    #[serde(default)]
    pub failed: bool,
    pub feedback: FormFeedback,
    /// The site's public base URL (`--base-url`), for absolute links such as `og:url`; empty
    /// when the server did not provide it.
    pub base_url: String,
}

/// The configured public base URL, provided by the server to every render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrl(pub String);

/// Provides the page state for the whole app: computed from the request on the server,
/// read back from the page in the browser.
pub fn provide_page_state() {
    let state = SharedValue::new(from_request).into_inner();
    provide_context(state);
}

pub fn use_page_state() -> PageState {
    use_context::<PageState>().unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn from_request() -> PageState {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return PageState::default();
    };
    let extensions = &parts.extensions;
    PageState {
        user: extensions.get::<CurrentUser>().cloned(),
        participant: extensions
            .get::<crate::participants::CurrentParticipant>()
            .is_some(),
        csrf: extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default(),
        denied_path: extensions
            .get::<AccessDenied>()
            .map(|_| parts.uri.path().to_owned()),
        failed: extensions.get::<ServerFailure>().is_some(),
        feedback: extensions
            .get::<FormFeedback>()
            .cloned()
            .unwrap_or_default(),
        base_url: use_context::<SiteUrl>().map(|u| u.0).unwrap_or_default(),
    }
}

#[cfg(not(feature = "ssr"))]
fn from_request() -> PageState {
    // Only reached on client-side navigation without a server render; hydration reads the
    // value the server sent.
    PageState::default()
}
