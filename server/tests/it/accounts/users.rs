//! User administration: adding users, and teams of responders.

use super::*;

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
    // The team's lead assigns its feedback cases and is told when one is overdue.
    let reply = client
        .post(
            "/en/staff/teams/members/lead",
            &[
                ("team", &team),
                ("user", &responder.to_string()),
                ("lead", "on"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(accounts_db::list_teams(&db).await.expect("teams")[0].members[0].lead);
    let page = client.get("/en/staff/teams").await;
    assert!(page.body.contains("No longer lead"));
    let reply = client
        .post(
            "/en/staff/teams/members/lead",
            &[
                ("team", &team),
                ("user", &author.to_string()),
                ("lead", "on"),
            ],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not a member"
    );
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
    // Feedback cases refer to the token that brought them in: PostgreSQL drops that reference
    // only when told to (SQLite does not check references when a table is dropped).
    let drop = match &db {
        Db::Postgres(_) => "DROP TABLE api_tokens CASCADE",
        Db::Sqlite(_) => "DROP TABLE api_tokens",
    };
    let dropped: Result<(), sqlx::Error> = app::on_db!(&db, |pool| {
        sqlx::query(drop).execute(pool).await.map(|_| ())
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
    adding_a_user_validates_and_keeps_what_was_typed,
);
