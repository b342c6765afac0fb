//! The permission matrix: every access rule × anonymous and every role, and a rule for every
//! page and server function.

use super::*;

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

/// A visitor: anonymous, a staff member with one role, or a signed-in participant.
#[derive(Debug, Clone, Copy)]
enum Visitor {
    Anonymous,
    Staff(Role),
    Participant,
}

fn expected(access: Access, visitor: Visitor) -> Outcome {
    let role = match visitor {
        Visitor::Staff(role) => Some(role),
        _ => None,
    };
    let user = role.map(|role| app::accounts::CurrentUser {
        id: uuid::Uuid::nil(),
        email: String::new(),
        display_name: String::new(),
        roles: vec![role],
    });
    let participant = matches!(visitor, Visitor::Participant);
    match (
        server::http::access::allows(access, user.as_ref(), participant),
        role,
    ) {
        (true, _) => Outcome::Allowed,
        // Participants' pages send anyone without a participant session to sign in as one.
        (false, _) if access == Access::Participant => Outcome::SignIn,
        (false, None) => Outcome::SignIn,
        (false, Some(_)) => Outcome::Refused,
    }
}

fn observed(kind: Kind, reply: &Reply) -> Outcome {
    let sign_in = reply.location.contains("/login?next=")
        || reply.location.contains("/account/sign-in?next=")
        || reply.status == StatusCode::UNAUTHORIZED;
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
        .replace("{token}", "unknown-token")
        .replace("{reply}", &uuid::Uuid::nil().to_string())
        .replace("{action}", "note")
        .replace("{reference}", "SHK-2026-000001")
        .replace("{comment}", &uuid::Uuid::nil().to_string())
        .replace("{section}", &uuid::Uuid::nil().to_string())
        .replace("{what}", "helpful")
        .replace("{ban}", &uuid::Uuid::nil().to_string())
}

/// Every rule × anonymous, every role and a participant: the server allows exactly what the
/// rule says, and a participant session reaches no staff page, action or query.
async fn the_permission_matrix_holds(db: Db) {
    let mut visitors = vec![(Visitor::Anonymous, uuid::Uuid::nil())];
    for role in Role::ALL {
        let id = staff_user(&db, &format!("{}@ministry.example", role.code()), &[role]).await;
        visitors.push((Visitor::Staff(role), id));
    }
    visitors.push((Visitor::Participant, uuid::Uuid::nil()));
    for rule in rules() {
        let path = sample_path(rule.path);
        for &(visitor, id) in &visitors {
            let mut client = match visitor {
                Visitor::Staff(_) => {
                    Client::with_session(&db, &session_for(&db, id, Utc::now(), Utc::now()).await)
                }
                // A new session each time: the rules include signing out and deleting.
                Visitor::Participant => {
                    let (_, token) =
                        server::testing::participant_session(&db, "participant@example.ae").await;
                    Client::as_participant(&db, &token)
                }
                Visitor::Anonymous => Client::new(&db),
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
                expected(rule.access, visitor),
                "{} {} as {visitor:?}: {} {}",
                rule.method,
                rule.path,
                reply.status,
                reply.location
            );
        }
    }
}

server::on_both_backends!(the_permission_matrix_holds);
