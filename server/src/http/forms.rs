//! Plain HTML form handling: read the posted fields, and on a problem render the same page
//! again with the errors and everything the person typed (GOV.UK pattern), so forms work
//! the same with and without JavaScript.

use std::{future::Future, pin::Pin, sync::Arc};

use app::audit::{AuditEntry, ClientAddress};
use app::page_state::{FormFeedback, ServerFailure};
use axum::{
    body::{Body, to_bytes},
    http::{Method, Request, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};

type Render = dyn Fn(Request<Body>) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync;

/// Renders the Leptos app for a request; shared by the fallback and the form handlers.
#[derive(Clone)]
pub struct Pages(pub Arc<Render>);

impl Pages {
    /// Renders the page at the posted URL again, with the form's feedback.
    pub async fn show_again(&self, parts: &Parts, feedback: FormFeedback) -> Response {
        self.show(parts, feedback, StatusCode::UNPROCESSABLE_ENTITY)
            .await
    }

    /// Renders the page at the posted URL with the form's outcome and the given status.
    pub async fn show(
        &self,
        parts: &Parts,
        feedback: FormFeedback,
        status: StatusCode,
    ) -> Response {
        let mut request = Request::builder()
            .method(Method::GET)
            .uri(parts.uri.clone())
            .body(Body::empty())
            .unwrap_or_default();
        *request.headers_mut() = parts.headers.clone();
        *request.extensions_mut() = parts.extensions.clone();
        request.extensions_mut().insert(feedback);
        let mut response = (self.0)(request).await;
        *response.status_mut() = status;
        response
    }

    /// Renders the page at `path` (not the URL posted to) with the form's feedback.
    pub async fn show_at(&self, parts: Parts, path: &str, feedback: FormFeedback) -> Response {
        let mut parts = parts;
        parts.uri = path.parse().unwrap_or_default();
        self.show_again(&parts, feedback).await
    }

    /// Renders the page at `path` again with everything typed and one problem per
    /// `(field, key)` ("" for the form as a whole), with `status`.
    pub async fn show_typed<F: AsRef<str>>(
        &self,
        parts: &Parts,
        path: &str,
        fields: &Fields,
        problems: &[(F, &str)],
        status: StatusCode,
    ) -> Response {
        let mut feedback = Feedback::default().keep_all(fields);
        for (field, key) in problems {
            feedback.error(field.as_ref(), key);
        }
        let mut parts = parts.clone();
        parts.uri = path.parse().unwrap_or_default();
        self.show(&parts, feedback.into_inner(), status).await
    }

    /// Renders the page at `path` with one problem for the form as a whole.
    pub async fn show_with_error(&self, parts: Parts, path: &str, key: &str) -> Response {
        let mut feedback = FormFeedback::default();
        feedback.errors.push((String::new(), key.to_owned()));
        let mut parts = parts;
        parts.uri = path.parse().unwrap_or_default();
        self.show_again(&parts, feedback).await
    }
}

/// A posted form: the request's parts (who posted it, where) and its fields. As an
/// extractor it answers 413 to a body larger than any form of ours.
pub struct Posted {
    pub parts: Parts,
    pub fields: Fields,
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for Posted {
    type Rejection = StatusCode;

    async fn from_request(request: Request<Body>, _state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let bytes = to_bytes(body, 1 << 20)
            .await
            .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE)?;
        let fields = url::form_urlencoded::parse(&bytes).into_owned().collect();
        Ok(Posted { parts, fields })
    }
}

pub use app::posted::Fields;

/// Collects a form's problems and the values to show again.
#[derive(Default)]
pub struct Feedback(FormFeedback);

impl Feedback {
    pub fn keep(mut self, field: &str, value: impl Into<String>) -> Self {
        self.0.values.push((field.to_owned(), value.into()));
        self
    }

    /// Keeps every posted field (repeated ones in order) to show the form again.
    pub fn keep_all(mut self, fields: &Fields) -> Self {
        self.0.values.extend(fields.pairs().cloned());
        self
    }

    pub fn problems(&mut self, problems: Vec<app::surveys::validate::Problem>) {
        self.0.problems.extend(problems);
    }

    pub fn error(&mut self, field: &str, key: &str) {
        self.0.errors.push((field.to_owned(), key.to_owned()));
    }

    pub fn has_errors(&self) -> bool {
        self.0.has_errors()
    }

    /// The feedback itself, for a form contract that reads fields and names their problems
    /// (`surveys::editor::question_form`).
    pub fn inner_mut(&mut self) -> &mut FormFeedback {
        &mut self.0
    }

    pub fn into_inner(self) -> FormFeedback {
        self.0
    }
}

/// The client's address (see [`super::client::client_address`]), for the audit log and throttling.
pub fn client_address(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ClientAddress>()
        .map(|address| address.0.clone())
}

/// The signed-in staff member behind a form, as domain actions take them (with the client
/// address for the audit log); `None` for a visitor.
pub fn actor(parts: &Parts) -> Option<app::audit::Actor> {
    let user = parts
        .extensions
        .get::<app::accounts::CurrentUser>()?
        .clone();
    Some(app::audit::Actor {
        user,
        address: client_address(parts),
    })
}

/// Appends to the audit log what a staff member just changed. The actor is the signed-in user
/// unless given (sign-in itself).
pub async fn record_audit(
    state: &crate::AppState,
    parts: &Parts,
    actor: Option<uuid::Uuid>,
    action: &str,
    entity_id: String,
    details: Option<String>,
) {
    let actor = actor.or_else(|| {
        parts
            .extensions
            .get::<app::accounts::CurrentUser>()
            .map(|u| u.id)
    });
    let entry = AuditEntry::new(actor, action, entity_id, client_address(parts), details);
    if let Err(error) = app::audit::db::append(&state.db, &entry).await {
        tracing::error!(%error, ?entry, "could not write the audit log");
    }
}

/// A failure that is ours, not the visitor's: logged here with its cause; the visitor gets
/// the page they came from with an apology ([`apologise`]), status 500.
pub fn server_error(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "form handler");
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(ServerFailure);
    response
}

/// Middleware: turns a form handler's failure ([`server_error`]) into a page in the visitor's
/// language. The page is the one the form was on (the `Referer`, when it is one of ours) or
/// else the address posted to, rendered with an apology above its content.
pub async fn apologise(
    axum::extract::State(pages): axum::extract::State<Pages>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let mut shown = Request::builder()
        .uri(parts.uri.clone())
        .body(())
        .unwrap_or_default()
        .into_parts()
        .0;
    shown.headers = parts.headers.clone();
    shown.extensions = parts.extensions.clone();
    let response = next.run(Request::from_parts(parts, body)).await;
    if response.extensions().get::<ServerFailure>().is_none() {
        return response;
    }
    if let Some(from) = same_site_referer(&shown) {
        shown.uri = from;
    }
    shown.extensions.insert(ServerFailure);
    pages
        .show(
            &shown,
            FormFeedback::default(),
            StatusCode::INTERNAL_SERVER_ERROR,
        )
        .await
}

/// The path (and query) of the page a request came from, when it came from this site.
fn same_site_referer(parts: &Parts) -> Option<axum::http::Uri> {
    let referer: axum::http::Uri = parts
        .headers
        .get(header::REFERER)?
        .to_str()
        .ok()?
        .parse()
        .ok()?;
    let host = parts.headers.get(header::HOST)?.to_str().ok()?;
    if referer.authority().map(|a| a.as_str()) != Some(host) {
        return None;
    }
    let path = referer.path_and_query()?.as_str();
    // Only pages in a language: never an asset, a feed or the API.
    app::Locale::from_path(path)?;
    path.parse().ok()
}
