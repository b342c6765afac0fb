//! The HTTP surface of the walking skeleton, driven through the real router.

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use server::testing::TestDb;
use tower::ServiceExt;

use crate::support::wire;

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

async fn get(app: &Router, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn sqlite_app() -> (TestDb, Router) {
    let test = TestDb::sqlite().await;
    let app = server::app(test.state());
    (test, app)
}

#[tokio::test]
async fn root_redirects_to_arabic_by_default() {
    let (_db, app) = sqlite_app().await;
    let reply = get(&app, "/", &[]).await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    assert_eq!(reply.headers[header::LOCATION], "/ar");
}

#[tokio::test]
async fn root_follows_accept_language_then_the_cookie() {
    let (_db, app) = sqlite_app().await;
    let reply = get(&app, "/", &[("accept-language", "en-GB,en;q=0.9")]).await;
    assert_eq!(reply.headers[header::LOCATION], "/en");
    let reply = get(
        &app,
        "/",
        &[("accept-language", "en"), ("cookie", "x=1; sharek_lang=ar")],
    )
    .await;
    assert_eq!(reply.headers[header::LOCATION], "/ar");
    assert!(
        reply.headers[header::VARY]
            .to_str()
            .expect("ascii")
            .contains("Accept-Language")
    );
}

#[tokio::test]
async fn pages_carry_their_language_and_direction() {
    let (_db, app) = sqlite_app().await;
    for (path, lang, dir, title) in [
        ("/ar", "ar", "rtl", "شارك برأيك"),
        ("/en", "en", "ltr", "Have your say"),
        ("/ar/policy", "ar", "rtl", "سياسة المشاركة الرقمية"),
        ("/en/policy", "en", "ltr", "Digital Participation Policy"),
        ("/ar/accessibility", "ar", "rtl", "إمكانية الوصول"),
        ("/en/accessibility", "en", "ltr", "Accessibility"),
    ] {
        let reply = get(&app, path, &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(
            reply.body.contains(&format!("lang=\"{lang}\"")),
            "{path}: no lang={lang}"
        );
        assert!(
            reply.body.contains(&format!("dir=\"{dir}\"")),
            "{path}: no dir={dir}"
        );
        assert!(reply.body.contains(title), "{path}: no {title:?}");
        assert!(
            reply.body.contains("href=\"#main\""),
            "{path}: no skip link"
        );
        assert!(
            reply.body.contains("<main id=\"main\""),
            "{path}: no main landmark"
        );
    }
}

#[tokio::test]
async fn the_language_switch_keeps_the_current_page() {
    let (_db, app) = sqlite_app().await;
    let reply = get(&app, "/ar/policy", &[]).await;
    assert!(
        reply.body.contains("href=\"/en/policy\""),
        "Arabic policy page links to the English one"
    );
    let reply = get(&app, "/en/accessibility", &[]).await;
    assert!(reply.body.contains("href=\"/ar/accessibility\""));
}

#[tokio::test]
async fn footer_links_to_the_accessibility_statement_and_the_policy() {
    let (_db, app) = sqlite_app().await;
    let reply = get(&app, "/en", &[]).await;
    assert!(reply.body.contains("href=\"/en/accessibility\""));
    assert!(reply.body.contains("href=\"/en/policy\""));
}

/// The page without its `<script>` elements (Leptos' own scripts say `document.body`).
fn without_scripts(html: &str) -> String {
    let mut rest = html;
    let mut kept = String::with_capacity(html.len());
    while let Some(start) = rest.find("<script") {
        kept.push_str(&rest[..start]);
        match rest[start..].find("</script>") {
            Some(end) => rest = &rest[start + end + "</script>".len()..],
            None => return kept,
        }
    }
    kept.push_str(rest);
    kept
}

#[tokio::test]
async fn no_page_shows_a_raw_catalogue_key() {
    let (_db, app) = sqlite_app().await;
    let prefixes = [
        "site.",
        "shell.",
        "nav.",
        "footer.",
        "home.",
        "document.",
        "notfound.",
        "policy.",
        "accessibility.",
    ];
    for path in [
        "/ar",
        "/en",
        "/ar/policy",
        "/en/policy",
        "/ar/accessibility",
        "/en/accessibility",
        "/en/missing",
    ] {
        let body = without_scripts(&get(&app, path, &[]).await.body);
        for prefix in prefixes {
            for (at, _) in body.match_indices(prefix) {
                let before = body[..at].chars().last().unwrap_or(' ');
                let after = body[at + prefix.len()..].chars().next().unwrap_or(' ');
                // A raw key looks like `home.title` between markup, not part of a URL or a word.
                assert!(
                    before.is_alphanumeric() || before == '/' || !after.is_ascii_lowercase(),
                    "{path} shows a raw key near {:?}",
                    &body[at.saturating_sub(20)..(at + 40).min(body.len())]
                );
            }
        }
    }
}

#[tokio::test]
async fn unknown_pages_are_404_in_the_right_language() {
    let (_db, app) = sqlite_app().await;
    let reply = get(&app, "/en/no-such-page", &[]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("Page not found"));
    assert!(reply.body.contains("lang=\"en\""));
    let reply = get(&app, "/ar/no-such-page", &[]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("الصفحة غير موجودة"));
    let reply = get(&app, "/xx", &[]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(
        reply.body.contains("lang=\"ar\""),
        "an unknown locale falls back to Arabic"
    );
}

#[tokio::test]
async fn visiting_a_page_remembers_its_language() {
    let (_db, app) = sqlite_app().await;
    let lang_cookie = |reply: &Reply| {
        reply
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().expect("ascii").to_owned())
            .find(|c| c.starts_with("sharek_lang="))
    };
    let reply = get(&app, "/en/policy", &[]).await;
    let cookie = lang_cookie(&reply).expect("the language is remembered");
    assert!(cookie.starts_with("sharek_lang=en;"), "{cookie}");
    assert!(
        cookie.contains("SameSite=Lax") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let reply = get(&app, "/en/policy", &[("cookie", "sharek_lang=en")]).await;
    assert!(
        lang_cookie(&reply).is_none(),
        "unchanged language sets no cookie"
    );
}

#[tokio::test]
async fn healthz_answers_200_when_the_database_answers_and_503_when_not() {
    let (test, app) = sqlite_app().await;
    let reply = get(&app, "/healthz", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    test.db.close().await;
    let reply = get(&app, "/healthz", &[]).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn healthz_answers_on_postgres() {
    let test = TestDb::postgres().await;
    let app = server::app(test.state());
    assert_eq!(get(&app, "/healthz", &[]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn pages_render_on_postgres() {
    let test = TestDb::postgres().await;
    let app = server::app(test.state());
    let reply = get(&app, "/en/policy", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("Digital Participation Policy"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (_db, app) = sqlite_app().await;
    for path in ["/ar", "/healthz", "/en/missing", "/"] {
        let reply = get(&app, path, &[]).await;
        assert_eq!(
            reply.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{path}"
        );
        assert!(
            reply.headers.contains_key(header::REFERRER_POLICY),
            "{path}"
        );
        assert!(reply.headers.contains_key("permissions-policy"), "{path}");
        let csp = reply.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("ascii");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
    }
}

#[tokio::test]
async fn the_hydration_script_carries_the_nonce_of_the_page_policy() {
    let (_db, app) = sqlite_app().await;
    let reply = get(&app, "/en", &[]).await;
    let csp = reply.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ascii");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the page policy names a nonce");
    assert!(nonce.len() >= 16, "nonce {nonce:?}");
    assert!(
        reply.body.contains(&format!("nonce=\"{nonce}\"")),
        "the inline script carries the nonce"
    );
    let other = get(&app, "/en", &[]).await;
    assert!(
        !other.body.contains(&format!("nonce=\"{nonce}\"")),
        "every response has a new nonce"
    );
}

#[tokio::test]
async fn pages_are_compressed_when_the_client_accepts_it() {
    let (_db, app) = sqlite_app().await;
    let reply = get(&app, "/ar/policy", &[("accept-encoding", "gzip")]).await;
    assert_eq!(reply.headers[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year_and_missing_ones_are_not() {
    let test = TestDb::sqlite().await;
    let mut state = test.state();
    let site = std::env::temp_dir().join(format!("sharek-site-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(site.join("pkg/abc123")).expect("site folder");
    std::fs::write(site.join("pkg/abc123/sharek.css"), "body{}").expect("css");
    std::fs::write(site.join("favicon.svg"), "<svg/>").expect("favicon");
    state.settings = std::sync::Arc::new(server::Settings::new(
        url::Url::parse("http://127.0.0.1:3000").expect("url"),
        site.clone(),
    ));
    let app = server::app(state);
    let reply = get(&app, "/pkg/abc123/sharek.css", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let reply = get(&app, "/pkg/abc123/missing.js", &[]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(
        reply.headers.get(header::CACHE_CONTROL).is_none(),
        "a 404 must not be cached for a year"
    );
    let reply = get(&app, "/favicon.svg", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    for path in ["/pkg/abc123/sharek.css", "/favicon.svg"] {
        let reply = get(&app, path, &[]).await;
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(
            reply.headers.contains_key(header::REFERRER_POLICY),
            "{path}"
        );
        assert!(reply.headers.contains_key("permissions-policy"), "{path}");
        let csp = reply.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("ascii");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
    std::fs::remove_dir_all(site).expect("clean up");
}

#[tokio::test]
async fn refused_server_function_calls_get_json_with_the_security_headers() {
    let (_db, app) = sqlite_app().await;
    let request = Request::post("/api/accounts/users")
        .body(Body::empty())
        .expect("request");
    let response = app.oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let headers = response.headers().clone();
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("ascii")
            .contains("frame-ancestors 'none'")
    );
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON body");
    assert_eq!(body["error"], "unauthorized");
}

/// Everything a person can reach by following links, fetched over a real connection with the
/// browser's `Accept-Encoding`: pages, feeds, chart downloads and every export, public and as
/// an administrator over the demo content. Each must arrive whole and decode; pages must end
/// with `</body></html>`. (Exports were cut off after their first chunk once the body was compressed;
/// nothing fetched them that way.)
#[test]
fn everything_linked_arrives_whole_when_compressed() {
    // Pages render deep: on a thread with the server's stack size, as in production.
    server::testing::on_server_stack(crawl_compressed);
}

async fn crawl_compressed() {
    let test = TestDb::sqlite().await;
    let state = test.state();
    server::demo::ensure_demo_admin(&state)
        .await
        .expect("admin");
    server::demo::ensure_demo_content(&state)
        .await
        .expect("demo content");
    let admin = server::testing::staff_user(
        &test.db,
        "crawler@ministry.example",
        &[app::accounts::Role::Admin],
    )
    .await;
    let now = chrono::Utc::now();
    let cookie = format!(
        "sharek_session={}",
        server::testing::session_for(&test.db, admin, now, now).await
    );
    let addr = wire::serve(server::app(state)).await;

    let mut queue: std::collections::VecDeque<String> = ["/ar", "/en", "/ar/staff", "/en/staff"]
        .map(String::from)
        .into();
    let mut seen: std::collections::HashSet<String> = queue.iter().cloned().collect();
    let (mut fetched, mut compressed) = (0, 0);
    while let Some(path) = queue.pop_front() {
        let reply = wire::get(
            addr,
            &path,
            &[
                ("cookie", &cookie),
                ("accept-encoding", wire::BROWSER_ENCODINGS),
            ],
        )
        .await;
        assert!(
            reply.status.is_success() || reply.status.is_redirection(),
            "{path}: {}",
            reply.status
        );
        fetched += 1;
        if !reply.header("content-encoding").is_empty() {
            compressed += 1;
        }
        let body = reply.decoded();
        if !reply.header("content-type").starts_with("text/html") {
            continue;
        }
        let html = String::from_utf8(body).expect("UTF-8 pages");
        // Leptos adds its resource scripts after `</html>`.
        assert!(html.contains("</body></html>"), "{path} ends whole");
        for (at, _) in html.match_indices("href=\"/") {
            let rest = &html[at + 6..];
            let link = &rest[..rest.find('"').unwrap_or(0)];
            let link = link
                .split('#')
                .next()
                .unwrap_or_default()
                .replace("&amp;", "&");
            // Signing out ends the session the crawl needs; assets are files of a built site, which
            // tests do not have.
            if link.is_empty()
                || link.contains("logout")
                || link.starts_with("/pkg/")
                || link.starts_with("/favicon")
                || link.starts_with("//")
            {
                continue;
            }
            if seen.len() < 400 && seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    assert!(
        fetched > 60,
        "the crawl reached the site: {fetched} responses"
    );
    assert!(
        compressed > 40,
        "and most were compressed: {compressed} of {fetched}"
    );
    for expected in [
        "export.csv",
        "export.json",
        "export.xlsx",
        "codebook.csv",
        "feed.atom",
        "calendar.ics",
        "/charts/",
    ] {
        assert!(
            seen.iter().any(|link| link.contains(expected)),
            "the crawl fetched a {expected}: {seen:?}"
        );
    }
}
