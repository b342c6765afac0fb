//! Personal API tokens and the JSON API under /api/v1: tokens are shown once, act with their
//! owner's current roles, stop at revocation, expiry and deactivation; errors are JSON; cookie
//! sessions need the CSRF header for changes while bearer tokens do not; the permission
//! matrix holds for token holders too. Every check runs on SQLite and PostgreSQL.

use std::net::SocketAddr;

use app::accounts::{Role, db as accounts_db, token_db};
use app::audit::db as audit_db;
use app::store::Db;
use axum::{
    extract::ConnectInfo,
    http::{Method, StatusCode, header},
};
use chrono::{Duration, Utc};
use server::http::access::rules;
use server::testing::{Client, api_token_for, session_for, staff_user, state_for};

use crate::support::api_get;

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// The token shown on the page after making one.
fn revealed_token(body: &str) -> String {
    let start = body.find("value=\"shk_").expect("the new token is shown") + "value=\"".len();
    body[start..start + 68].to_owned()
}

async fn a_token_is_shown_once_and_works_until_revoked(db: Db) {
    let id = staff_user(&db, "huda@ministry.example", &[Role::Admin]).await;
    let mut staff = Client::with_session(&db, &session_for(&db, id, Utc::now(), Utc::now()).await);
    let page = staff.get("/en/staff/tokens").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("You have no API tokens."));

    let reply = staff
        .post("/en/staff/tokens", &[("name", " "), ("lifetime", "7")])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Enter a name for the token"));
    assert!(reply.body.contains("Choose when the token expires"));

    let reply = staff
        .post(
            "/en/staff/tokens",
            &[("name", "Quarterly report"), ("lifetime", "30")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.header(header::CACHE_CONTROL), "private, no-store");
    let token = revealed_token(&reply.body);
    assert!(token.starts_with("shk_"));

    let page = staff.get("/en/staff/tokens").await;
    assert!(!page.body.contains(&token), "a token is shown only once");
    assert!(page.body.contains(&token[..12]), "its start identifies it");
    assert!(page.body.contains("Quarterly report"));

    let me = api_get(&db, "/api/v1/me", &token).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.json()["email"], "huda@ministry.example");
    assert_eq!(me.json()["roles"], serde_json::json!(["admin"]));
    assert!(me.set_cookies.is_empty(), "API calls set no cookies");
    assert_eq!(me.header(header::CACHE_CONTROL), "private, no-store");
    let users = api_get(&db, "/api/v1/users", &token).await;
    assert_eq!(users.json().as_array().expect("a list").len(), 1);

    let listed = token_db::list(&db, id).await.expect("tokens");
    assert_eq!(listed.len(), 1);
    assert!(listed[0].last_used_at.is_some(), "use is recorded");
    assert_eq!(
        listed[0].expires_at.map(|at| (at - Utc::now()).num_days()),
        Some(29)
    );

    // Revoking is a server function: it needs the CSRF token like any form.
    let target = listed[0].id.to_string();
    let refused = staff
        .send(
            Method::POST,
            "/api/accounts/tokens/revoke",
            &[("id", target.as_str())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        api_get(&db, "/api/v1/me", &token).await.status,
        StatusCode::OK
    );
    // Without JavaScript the form posts straight to the function, which sends the browser back.
    let csrf = staff.csrf().await;
    let done = staff
        .request(
            Method::POST,
            "/api/accounts/tokens/revoke",
            &[("accept", "text/html"), ("referer", "/en/staff/tokens")],
            &[("csrf", &csrf), ("id", &target)],
        )
        .await;
    assert!(
        done.status.is_redirection(),
        "{} {}",
        done.status,
        done.body
    );
    assert_eq!(done.location, "/en/staff/tokens");

    let gone = api_get(&db, "/api/v1/me", &token).await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
    assert_eq!(gone.json()["error"], "invalid_token");
    assert!(
        gone.header(header::WWW_AUTHENTICATE)
            .contains("invalid_token")
    );
    assert!(staff.get("/en/staff/tokens").await.body.contains("Revoked"));

    let log = audit_db::recent(&db, 10).await.expect("audit log");
    for action in ["token.create", "token.revoke"] {
        let entry = log
            .iter()
            .find(|(_, e)| e.action == action)
            .unwrap_or_else(|| panic!("{action} is audited"));
        assert_eq!(entry.1.actor, Some(id));
        assert_eq!(entry.1.entity_id, target);
    }
}

async fn tokens_stop_at_expiry_and_when_their_owner_goes(db: Db) {
    let id = staff_user(&db, "omar@ministry.example", &[Role::Author]).await;
    let expired = api_token_for(&db, id, Some(Utc::now() - Duration::seconds(1))).await;
    assert_eq!(
        api_get(&db, "/api/v1/me", &expired).await.status,
        StatusCode::UNAUTHORIZED
    );
    let live = api_token_for(&db, id, Some(Utc::now() + Duration::days(1))).await;
    assert_eq!(
        api_get(&db, "/api/v1/me", &live).await.status,
        StatusCode::OK
    );
    let forever = api_token_for(&db, id, None).await;
    assert_eq!(
        api_get(&db, "/api/v1/me", &forever).await.status,
        StatusCode::OK
    );
    accounts_db::deactivate_user(&db, "omar@ministry.example")
        .await
        .expect("deactivate");
    for token in [&live, &forever] {
        assert_eq!(
            api_get(&db, "/api/v1/me", token).await.status,
            StatusCode::UNAUTHORIZED,
            "a deactivated owner's tokens stop at once"
        );
    }
}

async fn api_errors_are_json(db: Db) {
    let analyst = staff_user(&db, "sara@ministry.example", &[Role::Analyst]).await;
    let token = api_token_for(&db, analyst, None).await;
    let mut anonymous = Client::new(&db);
    let reply = anonymous.get("/api/v1/me").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.json()["error"], "unauthorized");
    assert!(reply.header(header::WWW_AUTHENTICATE).starts_with("Bearer"));
    let reply = anonymous
        .request(
            Method::GET,
            "/api/v1/me",
            &[("authorization", "Bearer shk_nonsense")],
            &[],
        )
        .await;
    assert_eq!(reply.json()["error"], "invalid_token");

    let reply = api_get(&db, "/api/v1/users", &token).await;
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "the owner's roles apply"
    );
    assert_eq!(reply.json()["error"], "forbidden");
    assert!(
        reply
            .header(header::CONTENT_TYPE)
            .starts_with("application/json")
    );
    let reply = api_get(&db, "/api/v1/no-such-thing", &token).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json()["error"], "not_found");
    let reply = api_get(&db, "/api/v1/me", &token).await;
    assert_eq!(reply.json()["roles"], serde_json::json!(["analyst"]));

    let admin = staff_user(&db, "huda@ministry.example", &[Role::Admin]).await;
    let admin_token = api_token_for(&db, admin, None).await;
    for bad in [
        "/api/v1/audit?limit=abc",
        "/api/v1/audit?limit=0",
        "/api/v1/audit?action=drop",
    ] {
        let reply = api_get(&db, bad, &admin_token).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(reply.json()["error"], "bad_request", "{bad}");
    }
    let reply = api_get(
        &db,
        "/api/v1/audit?action=user.create&limit=5",
        &admin_token,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = Client::new(&db)
        .request(
            Method::DELETE,
            "/api/v1/tokens/not-a-uuid",
            &[("authorization", &bearer(&admin_token))],
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

async fn cookie_sessions_need_the_csrf_header_and_bearer_tokens_do_not(db: Db) {
    let id = staff_user(&db, "huda@ministry.example", &[Role::Moderator]).await;
    let other = staff_user(&db, "omar@ministry.example", &[Role::Moderator]).await;
    let first = api_token_for(&db, id, None).await;
    let second = api_token_for(&db, id, None).await;
    let theirs = api_token_for(&db, other, None).await;
    let listed = token_db::list(&db, id).await.expect("tokens");
    let id_of = |token: &str| {
        listed
            .iter()
            .find(|t| token.starts_with(&t.prefix))
            .expect("listed")
            .id
            .to_string()
    };
    let ids = [id_of(&first), id_of(&second)];
    let their_id = token_db::list(&db, other).await.expect("tokens")[0]
        .id
        .to_string();

    let mut staff = Client::with_session(&db, &session_for(&db, id, Utc::now(), Utc::now()).await);
    let path = format!("/api/v1/tokens/{}", ids[0]);
    assert_eq!(
        staff.send(Method::DELETE, &path, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let forged = staff
        .request(
            Method::DELETE,
            &path,
            &[("x-csrf-token", &"0".repeat(64))],
            &[],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let csrf = staff.csrf().await;
    let reply = staff
        .request(Method::DELETE, &path, &[("x-csrf-token", &csrf)], &[])
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);

    // A bearer caller needs no CSRF token, and can only revoke its owner's tokens.
    let mut program = Client::new(&db);
    let auth = [("authorization", bearer(&first))];
    let auth: Vec<(&str, &str)> = auth.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = program
        .request(
            Method::DELETE,
            &format!("/api/v1/tokens/{their_id}"),
            &auth,
            &[],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNAUTHORIZED,
        "the first token was revoked"
    );
    let auth = [("authorization", bearer(&second))];
    let auth: Vec<(&str, &str)> = auth.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = program
        .request(
            Method::DELETE,
            &format!("/api/v1/tokens/{their_id}"),
            &auth,
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "not theirs to revoke");
    assert_eq!(
        api_get(&db, "/api/v1/me", &theirs).await.status,
        StatusCode::OK
    );
    let reply = program
        .request(
            Method::DELETE,
            &format!("/api/v1/tokens/{}", ids[1]),
            &auth,
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(
        api_get(&db, "/api/v1/me", &second).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// The API rules × every role, authenticating with tokens instead of sessions.
async fn the_permission_matrix_holds_for_api_tokens(db: Db) {
    let mut callers = vec![(None, None)];
    for role in Role::ALL {
        let id = staff_user(&db, &format!("{}@ministry.example", role.code()), &[role]).await;
        callers.push((Some(role), Some(api_token_for(&db, id, None).await)));
    }
    let api_rules = rules().filter(|r| r.path.starts_with("/api/v1/"));
    for rule in api_rules {
        let path = rule
            .path
            .replace("{id}", &uuid::Uuid::nil().to_string())
            .replace("{*rest}", "nothing-here");
        for (role, token) in &callers {
            let header = token.as_deref().map(bearer);
            let headers: Vec<(&str, &str)> = header
                .iter()
                .map(|h| ("authorization", h.as_str()))
                .collect();
            let reply = Client::new(&db)
                .request(rule.method.clone(), &path, &headers, &[])
                .await;
            let user = role.map(|role| app::accounts::CurrentUser {
                id: uuid::Uuid::nil(),
                email: String::new(),
                display_name: String::new(),
                roles: vec![role],
            });
            let allowed = server::http::access::allows(rule.access, user.as_ref(), false);
            let expected = match (allowed, role) {
                (true, _) => "allowed",
                (false, None) => "401",
                (false, Some(_)) => "403",
            };
            let observed = match reply.status {
                StatusCode::UNAUTHORIZED => "401",
                StatusCode::FORBIDDEN => "403",
                _ => "allowed",
            };
            assert_eq!(
                observed, expected,
                "{} {path} as {role:?}: {}",
                rule.method, reply.body
            );
            assert!(
                reply
                    .header(header::CONTENT_TYPE)
                    .starts_with("application/json"),
                "{} {path} as {role:?} answers JSON",
                rule.method
            );
        }
    }
}

server::on_both_backends!(
    a_token_is_shown_once_and_works_until_revoked,
    tokens_stop_at_expiry_and_when_their_owner_goes,
    api_errors_are_json,
    cookie_sessions_need_the_csrf_header_and_bearer_tokens_do_not,
    the_permission_matrix_holds_for_api_tokens,
);

#[tokio::test]
async fn the_openapi_document_is_served_with_the_security_headers() {
    let test = server::testing::TestDb::sqlite().await;
    let mut client = Client::new(&test.db);
    let reply = client.get("/api/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["info"]["title"], "Sharek API");
    assert!(reply.json()["paths"]["/api/v1/me"]["get"].is_object());
    for response in [reply, client.get("/api/v1/me").await] {
        assert_eq!(response.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert!(!response.header(header::REFERRER_POLICY).is_empty());
        assert!(!response.header("permissions-policy").is_empty());
        let csp = response.header(header::CONTENT_SECURITY_POLICY);
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
    }
}

/// The audit log's address: the connection's, unless it comes through a trusted proxy.
#[tokio::test]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    let test = server::testing::TestDb::sqlite().await;
    staff_user(&test.db, "huda@ministry.example", &[Role::Admin]).await;
    let mut state = state_for(test.db.clone());
    let mut settings = (*state.settings).clone();
    settings.trusted_proxies = vec!["10.0.0.0/8".parse().expect("network")];
    state.settings = std::sync::Arc::new(settings);
    for (peer, expected) in [
        ("10.1.2.3:5000", "198.51.100.7"),
        ("203.0.113.9:5000", "203.0.113.9"),
    ] {
        let peer: SocketAddr = peer.parse().expect("address");
        let app = server::app(state.clone()).layer(axum::Extension(ConnectInfo(peer)));
        let mut client = Client::over(app);
        let csrf = client.csrf().await;
        let reply = client
            .request(
                Method::POST,
                "/en/login",
                &[("x-forwarded-for", "198.51.100.7")],
                &[
                    ("csrf", &csrf),
                    ("email", "huda@ministry.example"),
                    ("password", server::testing::TEST_PASSWORD),
                    ("next", ""),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        let log = audit_db::recent(&test.db, 1).await.expect("audit log");
        assert_eq!(log[0].1.address.as_deref(), Some(expected), "peer {peer}");
    }
}
