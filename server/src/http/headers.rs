//! Security headers on every response. Pages set their own Content-Security-Policy with the
//! per-response nonce of Leptos' hydration script (see `app::shell`); everything else gets a
//! policy that allows nothing to run.

use axum::{
    body::Body,
    http::{HeaderValue, Request, header},
    middleware::Next,
    response::Response,
};

const FALLBACK_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Whether a path is a participant's survey page (`/{lang}/s/…`), which partners may embed in
/// their own sites (the widget channel). Those pages use no one's authority, so framing them
/// cannot be turned against a signed-in user.
fn embeddable(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    matches!(
        (segments.next(), segments.next(), segments.next()),
        (Some("ar" | "en"), Some("s"), Some(key)) if !key.is_empty()
    )
}

pub async fn security_headers(request: Request<Body>, next: Next) -> Response {
    let embed = embeddable(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if embed {
        if let Some(policy) = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.replace("frame-ancestors 'none'", "frame-ancestors *"))
            .and_then(|v| HeaderValue::from_str(&v).ok())
        {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        return finish(response, false);
    }
    finish(response, true)
}

fn finish(mut response: Response, deny_framing: bool) -> Response {
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(FALLBACK_CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    );
    if deny_framing {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_survey_forms_may_be_embedded() {
        assert!(super::embeddable("/ar/s/digital-services"));
        assert!(super::embeddable("/en/s/x/thanks"));
        assert!(!super::embeddable("/en/staff/surveys"));
        assert!(!super::embeddable("/en/s/"));
        assert!(!super::embeddable("/en/login"));
    }
}
