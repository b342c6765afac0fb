//! Sign-in and sessions: returning to the page asked for, wrong passwords, no off-site
//! redirects, CSRF, expiry, deactivation, password changes, throttling, secure cookies.

use super::*;

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

server::on_both_backends!(
    repeated_failures_are_throttled_without_locking_out_other_accounts,
    signing_in_starts_a_session_and_returns_to_the_page_asked_for,
    a_wrong_password_is_refused_with_the_email_kept,
    sign_in_never_redirects_off_site,
    forms_without_the_csrf_token_are_refused,
    idle_and_old_sessions_expire,
    deactivating_a_user_ends_their_sessions_at_once,
    changing_the_password_needs_the_old_one_and_ends_other_sessions,
);
