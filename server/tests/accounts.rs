//! Staff accounts over HTTP: sign-in, sessions and their expiry, CSRF, deactivation,
//! password changes, user administration and the permission matrix. Every check runs on
//! SQLite and PostgreSQL.

use app::accounts::{Role, db as accounts_db};
use app::audit::db as audit_db;
use app::store::Db;
use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use chrono::{Duration, Utc};
use server::http::access::{Access, Kind, rules};
use server::testing::{Client, Reply, TEST_PASSWORD, session_for, staff_user};
use tower::ServiceExt;

async fn signing_in_starts_a_session_and_returns_to_the_page_asked_for(db: Db) {
    staff_user(&db, "huda@ministry.example", &[Role::Admin]).await;
    let mut client = Client::new(&db);
    let reply = client.get("/en/staff/users").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location, "/en/login?next=%2Fen%2Fstaff%2Fusers");
    let reply = client
        .post(
            "/en/login",
            &[
                ("email", " Huda@Ministry.example "),
                ("password", TEST_PASSWORD),
                ("next", "/en/staff/users"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location, "/en/staff/users");
    let session = reply
        .set_cookies
        .iter()
        .find(|c| c.starts_with("sharek_session="))
        .expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    let reply = client.get("/en/staff/users").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("huda@ministry.example"));
    // Sign out ends the session on the server, not just in the browser.
    let reply = client.post("/en/logout", &[]).await;
    assert_eq!(reply.location, "/en");
    assert!(
        client
            .get("/en/staff")
            .await
            .location
            .starts_with("/en/login")
    );
}

async fn a_wrong_password_is_refused_with_the_email_kept(db: Db) {
    staff_user(&db, "huda@ministry.example", &[Role::Admin]).await;
    let mut client = Client::new(&db);
    let reply = client
        .post(
            "/ar/login",
            &[
                ("email", "huda@ministry.example"),
                ("password", "wrong password!"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("يوجد خطأ"), "Arabic error summary");
    assert!(
        reply.body.contains("value=\"huda@ministry.example\""),
        "the email is kept"
    );
    assert!(
        reply.body.contains("<title>خطأ:"),
        "the title says there is an error"
    );
    assert!(
        !reply
            .set_cookies
            .iter()
            .any(|c| c.starts_with("sharek_session="))
    );
    let reply = client
        .post(
            "/en/login",
            &[
                ("email", "nobody@ministry.example"),
                ("password", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("The email address or password is not right")
    );
    let reply = client
        .post("/en/login", &[("email", ""), ("password", "")])
        .await;
    assert!(
        reply.body.contains("Enter your email address")
            && reply.body.contains("Enter your password")
    );
}

async fn sign_in_never_redirects_off_site(db: Db) {
    staff_user(&db, "huda@ministry.example", &[Role::Author]).await;
    let mut client = Client::new(&db);
    let reply = client
        .post(
            "/en/login",
            &[
                ("email", "huda@ministry.example"),
                ("password", TEST_PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(reply.location, "/en/staff");
}

async fn forms_without_the_csrf_token_are_refused(db: Db) {
    let id = staff_user(&db, "huda@ministry.example", &[Role::Admin]).await;
    let token = session_for(&db, id, Utc::now(), Utc::now()).await;
    let mut client = Client::with_session(&db, &token);
    client.get("/en/staff").await;
    let form = [
        ("email", "new@ministry.example"),
        ("display_name", "New"),
        ("password", TEST_PASSWORD),
        ("roles", "author"),
    ];
    let reply = client.send(Method::POST, "/en/staff/users", &form).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let mut forged = form.to_vec();
    forged.push((
        "csrf",
        "0000000000000000000000000000000000000000000000000000000000000000",
    ));
    assert_eq!(
        client
            .send(Method::POST, "/en/staff/users", &forged)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let reply = client.post("/en/staff/users", &form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(
        accounts_db::find_login(&db, "new@ministry.example")
            .await
            .expect("query")
            .is_some()
    );
    let reply = client
        .send(
            Method::POST,
            "/en/login",
            &[("email", "x@y.z"), ("password", "p")],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "the sign-in form needs the token too"
    );
}

async fn idle_and_old_sessions_expire(db: Db) {
    let id = staff_user(&db, "huda@ministry.example", &[Role::Admin]).await;
    let now = Utc::now();
    let idle = session_for(
        &db,
        id,
        now - Duration::hours(1),
        now - Duration::minutes(31),
    )
    .await;
    assert!(
        Client::with_session(&db, &idle)
            .get("/en/staff")
            .await
            .location
            .starts_with("/en/login")
    );
    let old = session_for(
        &db,
        id,
        now - Duration::hours(13),
        now - Duration::minutes(1),
    )
    .await;
    assert!(
        Client::with_session(&db, &old)
            .get("/en/staff")
            .await
            .location
            .starts_with("/en/login")
    );
    let fresh = session_for(
        &db,
        id,
        now - Duration::hours(11),
        now - Duration::minutes(29),
    )
    .await;
    assert_eq!(
        Client::with_session(&db, &fresh)
            .get("/en/staff")
            .await
            .status,
        StatusCode::OK
    );
}

async fn deactivating_a_user_ends_their_sessions_at_once(db: Db) {
    let admin = staff_user(&db, "admin@ministry.example", &[Role::Admin]).await;
    let author = staff_user(&db, "author@ministry.example", &[Role::Author]).await;
    let author_token = session_for(&db, author, Utc::now(), Utc::now()).await;
    let mut author_client = Client::with_session(&db, &author_token);
    assert_eq!(author_client.get("/en/staff").await.status, StatusCode::OK);
    let admin_token = session_for(&db, admin, Utc::now(), Utc::now()).await;
    let mut admin_client = Client::with_session(&db, &admin_token);
    let reply = admin_client
        .post(
            "/en/staff/users/deactivate",
            &[("email", "author@ministry.example")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert!(
        author_client
            .get("/en/staff")
            .await
            .location
            .starts_with("/en/login")
    );
    let reply = admin_client
        .post(
            "/en/staff/users/deactivate",
            &[("email", "admin@ministry.example")],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an admin cannot deactivate themselves"
    );
    let log = audit_db::recent(&db, 10).await.expect("audit log");
    let entry = log
        .iter()
        .find(|(_, e)| e.action == "user.deactivate")
        .expect("audited");
    assert_eq!(entry.1.actor, Some(admin));
    assert_eq!(entry.1.entity_id, author.to_string());
}

async fn changing_the_password_needs_the_old_one_and_ends_other_sessions(db: Db) {
    let id = staff_user(&db, "huda@ministry.example", &[Role::Analyst]).await;
    let other = session_for(&db, id, Utc::now(), Utc::now()).await;
    let mut client = Client::new(&db);
    client.sign_in("huda@ministry.example").await;
    let wrong = [
        ("current", "not my password"),
        ("new", "a brand new passphrase"),
        ("confirm", "a brand new passphrase"),
    ];
    let reply = client.post("/en/staff/password", &wrong).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Your current password is not right"));
    let short = [
        ("current", TEST_PASSWORD),
        ("new", "short"),
        ("confirm", "short"),
    ];
    assert!(
        client
            .post("/en/staff/password", &short)
            .await
            .body
            .contains("at least 12 characters")
    );
    let common = [
        ("current", TEST_PASSWORD),
        ("new", "password1234"),
        ("confirm", "password1234"),
    ];
    assert!(
        client
            .post("/en/staff/password", &common)
            .await
            .body
            .contains("too common")
    );
    let good = [
        ("current", TEST_PASSWORD),
        ("new", "a brand new passphrase"),
        ("confirm", "a brand new passphrase"),
    ];
    let reply = client.post("/en/staff/password", &good).await;
    assert_eq!(reply.location, "/en/staff/password?changed=1");
    assert_eq!(
        client.get("/en/staff").await.status,
        StatusCode::OK,
        "this session goes on"
    );
    assert!(
        Client::with_session(&db, &other)
            .get("/en/staff")
            .await
            .location
            .starts_with("/en/login")
    );
}

async fn adding_a_user_validates_and_keeps_what_was_typed(db: Db) {
    let admin = staff_user(&db, "admin@ministry.example", &[Role::Admin]).await;
    let token = session_for(&db, admin, Utc::now(), Utc::now()).await;
    let mut client = Client::with_session(&db, &token);
    let bad = [
        ("email", "not-an-email"),
        ("display_name", "Salem"),
        ("password", "short"),
        ("roles", "author"),
    ];
    let reply = client.post("/en/staff/users", &bad).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("value=\"not-an-email\"") && reply.body.contains("value=\"Salem\"")
    );
    assert!(
        reply.body.contains("href=\"#field-email\"")
            && reply.body.contains("href=\"#field-password\"")
    );
    assert!(
        reply.body.contains("checked"),
        "the chosen role stays chosen"
    );
    let taken = [
        ("email", "admin@ministry.example"),
        ("display_name", "Again"),
        ("password", TEST_PASSWORD),
        ("roles", "analyst"),
    ];
    assert!(
        client
            .post("/en/staff/users", &taken)
            .await
            .body
            .contains("already exists")
    );
    let none = [
        ("email", "salem@ministry.example"),
        ("display_name", "Salem"),
        ("password", TEST_PASSWORD),
    ];
    assert!(
        client
            .post("/en/staff/users", &none)
            .await
            .body
            .contains("Choose at least one role")
    );
    let good = [
        ("email", "salem@ministry.example"),
        ("display_name", "Salem"),
        ("password", TEST_PASSWORD),
        ("roles", "author"),
        ("roles", "moderator"),
    ];
    assert_eq!(
        client.post("/en/staff/users", &good).await.status,
        StatusCode::SEE_OTHER
    );
    let users = accounts_db::list_users(&db).await.expect("users");
    let salem = users
        .iter()
        .find(|u| u.email == "salem@ministry.example")
        .expect("added");
    assert_eq!(salem.roles, vec![Role::Author, Role::Moderator]);
    let log = audit_db::recent(&db, 10).await.expect("audit log");
    assert!(
        log.iter()
            .any(|(_, e)| e.action == "user.create" && e.actor == Some(admin))
    );
}

async fn repeated_failures_are_throttled_without_locking_out_other_accounts(db: Db) {
    staff_user(&db, "huda@ministry.example", &[Role::Admin]).await;
    staff_user(&db, "salem@ministry.example", &[Role::Author]).await;
    let mut client = Client::new(&db);
    for _ in 0..5 {
        let reply = client
            .post(
                "/en/login",
                &[
                    ("email", "huda@ministry.example"),
                    ("password", "wrong guess!!"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let reply = client
        .post(
            "/en/login",
            &[
                ("email", "huda@ministry.example"),
                ("password", TEST_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(reply.body.contains("Too many failed attempts"));
    let wait: i64 = reply.headers[header::RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&wait), "Retry-After {wait}");
    assert!(
        !reply
            .set_cookies
            .iter()
            .any(|c| c.starts_with("sharek_session="))
    );
    let reply = client.sign_in("salem@ministry.example").await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "another account from the same address still signs in"
    );
}

async fn admins_build_teams_of_responders(db: Db) {
    let admin = staff_user(&db, "admin@ministry.example", &[Role::Admin]).await;
    let responder = staff_user(&db, "rana@ministry.example", &[Role::Responder]).await;
    let author = staff_user(&db, "omar@ministry.example", &[Role::Author]).await;
    let token = session_for(&db, admin, Utc::now(), Utc::now()).await;
    let mut client = Client::with_session(&db, &token);
    let reply = client
        .post(
            "/en/staff/teams",
            &[("name_ar", ""), ("name_en", "Housing")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("Enter the team&#x27;s name in Arabic")
            || reply.body.contains("Enter the team's name in Arabic")
    );
    assert!(
        reply.body.contains("value=\"Housing\""),
        "what was typed is kept"
    );
    let reply = client
        .post(
            "/en/staff/teams",
            &[("name_ar", "الإسكان"), ("name_en", "Housing")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let again = client
        .post(
            "/en/staff/teams",
            &[("name_ar", "الإسكان"), ("name_en", "Housing")],
        )
        .await;
    assert!(again.body.contains("already exists"));
    let team = accounts_db::list_teams(&db).await.expect("teams")[0]
        .id
        .to_string();
    let reply = client
        .post(
            "/en/staff/teams/members",
            &[("team", &team), ("user", &responder.to_string())],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let reply = client
        .post(
            "/en/staff/teams/members",
            &[("team", &team), ("user", &author.to_string())],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an author is not a responder"
    );
    let reply = client
        .post(
            "/en/staff/teams/members",
            &[("team", "not-a-uuid"), ("user", "x")],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "malformed ids get a page, not a 500"
    );
    let teams = accounts_db::list_teams(&db).await.expect("teams");
    assert_eq!(
        teams[0].members.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![responder]
    );
    let page = client.get("/ar/staff/teams").await;
    assert!(page.body.contains("الإسكان") && page.body.contains("rana@ministry.example"));
    let reply = client
        .post(
            "/en/staff/teams/members/remove",
            &[("team", &team), ("user", &responder.to_string())],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(
        accounts_db::list_teams(&db).await.expect("teams")[0]
            .members
            .is_empty()
    );
    let log = audit_db::recent(&db, 20).await.expect("audit log");
    for action in ["team.create", "team.member_add", "team.member_remove"] {
        assert!(
            log.iter()
                .any(|(_, e)| e.action == action && e.actor == Some(admin)),
            "{action} audited"
        );
    }
}

/// Our own failure (here: the tokens table is gone) answers 500 with the page the form was on
/// and a translated apology, never a blank page.
async fn a_failure_on_our_side_shows_the_page_with_an_apology(db: Db) {
    let user = staff_user(&db, "huda@ministry.example", &[Role::Author]).await;
    let token = session_for(&db, user, Utc::now(), Utc::now()).await;
    let mut client = Client::with_session(&db, &token);
    let dropped: Result<(), sqlx::Error> = app::on_db!(&db, |pool| {
        sqlx::query("DROP TABLE api_tokens")
            .execute(pool)
            .await
            .map(|_| ())
    });
    dropped.expect("drop the tokens table");
    let form = [("name", "Reports"), ("lifetime", "30")];
    for (path, apology) in [
        ("/en/staff/tokens", "Something went wrong on our side"),
        ("/ar/staff/tokens", "حدث خطأ من جهتنا"),
    ] {
        let reply = client.post(path, &form).await;
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        assert!(reply.body.contains(apology), "{path}: {}", reply.body);
        assert!(reply.body.contains("role=\"alert\""), "{path}");
    }
}

server::on_both_backends!(
    a_failure_on_our_side_shows_the_page_with_an_apology,
    admins_build_teams_of_responders,
    repeated_failures_are_throttled_without_locking_out_other_accounts,
    signing_in_starts_a_session_and_returns_to_the_page_asked_for,
    a_wrong_password_is_refused_with_the_email_kept,
    sign_in_never_redirects_off_site,
    forms_without_the_csrf_token_are_refused,
    idle_and_old_sessions_expire,
    deactivating_a_user_ends_their_sessions_at_once,
    changing_the_password_needs_the_old_one_and_ends_other_sessions,
    adding_a_user_validates_and_keeps_what_was_typed,
);

/// Every Leptos page and server function has an access rule (one added without fails here).
#[test]
fn every_page_and_server_function_has_an_access_rule() {
    let pages = server::http::route_list().into_iter().flat_map(|route| {
        let methods: Vec<String> = route
            .methods()
            .map(|m| format!("{m:?}").to_uppercase())
            .collect();
        methods
            .into_iter()
            .map(move |m| (m, route.path().to_owned()))
    });
    let functions = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (method.to_string(), path.to_owned()));
    let all: Vec<(String, String)> = pages.chain(functions).collect();
    assert!(all.len() >= 8, "found too few routes: {all:?}");
    for (method, path) in all {
        let method = Method::from_bytes(method.as_bytes()).expect("an HTTP method");
        assert!(
            server::http::access::find(&method, &path).is_some(),
            "{method} {path} has no rule in server/src/http/access.rs"
        );
    }
}

/// What a visitor should see for a rule: allowed, sent to sign in, or refused.
#[derive(Debug, PartialEq)]
enum Outcome {
    Allowed,
    SignIn,
    Refused,
}

fn expected(access: Access, role: Option<Role>) -> Outcome {
    let user = role.map(|role| app::accounts::CurrentUser {
        id: uuid::Uuid::nil(),
        email: String::new(),
        display_name: String::new(),
        roles: vec![role],
    });
    match (server::http::access::allows(access, user.as_ref()), role) {
        (true, _) => Outcome::Allowed,
        (false, None) => Outcome::SignIn,
        (false, Some(_)) => Outcome::Refused,
    }
}

fn observed(kind: Kind, reply: &Reply) -> Outcome {
    let sign_in =
        reply.location.contains("/login?next=") || reply.status == StatusCode::UNAUTHORIZED;
    let refused = reply.status == StatusCode::FORBIDDEN;
    match (sign_in, refused) {
        (true, _) => Outcome::SignIn,
        (_, true) => Outcome::Refused,
        _ if kind == Kind::Page && reply.body.contains("You do not have access") => {
            Outcome::Refused
        }
        _ => Outcome::Allowed,
    }
}

/// A concrete path for a rule's pattern.
pub fn sample_path(pattern: &str) -> String {
    pattern
        .replace("{lang}", "en")
        .replace("{*path}", "none/x.css")
        .replace("{*rest}", "nothing-here")
        .replace("{id}", &uuid::Uuid::nil().to_string())
        .replace("{key}", "q1")
        .replace("{question}", "q1")
        .replace("{file}", "q1.svg")
}

/// Every rule × anonymous and every role: the server allows exactly what the rule says.
async fn the_permission_matrix_holds(db: Db) {
    let mut tokens = Vec::new();
    for role in Role::ALL {
        let id = staff_user(&db, &format!("{}@ministry.example", role.code()), &[role]).await;
        tokens.push((Some(role), id));
    }
    for rule in rules() {
        let path = sample_path(rule.path);
        for (role, id) in std::iter::once((None, uuid::Uuid::nil())).chain(tokens.iter().copied()) {
            let mut client = match role {
                Some(_) => {
                    Client::with_session(&db, &session_for(&db, id, Utc::now(), Utc::now()).await)
                }
                None => Client::new(&db),
            };
            let reply = match &rule.method {
                &Method::GET => client.get(&path).await,
                &Method::POST => client.post(&path, &[]).await,
                method => {
                    // Scripts send the CSRF token in a header.
                    let csrf = client.csrf().await;
                    client
                        .request(method.clone(), &path, &[("x-csrf-token", &csrf)], &[])
                        .await
                }
            };
            assert_eq!(
                observed(rule.kind, &reply),
                expected(rule.access, role),
                "{} {} as {role:?}: {} {}",
                rule.method,
                rule.path,
                reply.status,
                reply.location
            );
        }
    }
}

server::on_both_backends!(the_permission_matrix_holds);

#[tokio::test]
async fn cookies_are_secure_with_the_host_prefix_over_https() {
    let test = server::testing::TestDb::sqlite().await;
    let mut state = test.state();
    state.settings = std::sync::Arc::new(server::Settings::new(
        url::Url::parse("https://participate.ministry.example").expect("url"),
        std::env::temp_dir(),
    ));
    let app = server::app(state);
    let response = app
        .oneshot(
            Request::get("/en/login")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(cookie.starts_with("__Host-sharek_csrf="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
}
