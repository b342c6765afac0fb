//! The locale redirect at `/` and the cookie that remembers the visitor's language.

use app::i18n::{LANG_COOKIE, Locale};
use axum::{
    body::Body,
    extract::State,
    http::{HeaderMap, HeaderValue, Request, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};

use crate::AppState;

/// `/` → `/ar` or `/en`: the language cookie, then `Accept-Language`, then Arabic.
pub async fn root_redirect(headers: HeaderMap) -> Response {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let locale = Locale::negotiate(cookie(&headers, LANG_COOKIE).as_deref(), accept);
    let mut response = Redirect::to(&format!("/{}", locale.code())).into_response();
    response.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    response
}

/// On pages under `/ar` or `/en`, remembers the language in a cookie when it changed.
pub async fn remember_language(
    State(state): State<AppState>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let locale = Locale::from_path(request.uri().path());
    let current = cookie(request.headers(), LANG_COOKIE);
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if let Some(locale) = locale.filter(|l| is_page && current.as_deref() != Some(l.code())) {
        let secure = if state.settings.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let value = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
            locale.code()
        );
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The value of one cookie from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}
