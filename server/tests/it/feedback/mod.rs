//! Feedback over HTTP and in the domain (issue 16): intake on every channel (the public form,
//! staff recording, the API), the case's life (take, note, ask and wait, reply, rate, reopen,
//! close), the reply clock's reminders and escalations with a clock the test controls (once
//! each, even with two servers), emails through a real SMTP server, webhook replies to a local
//! listener with their signature checked, and the figures. Every check runs on SQLite and
//! PostgreSQL.

use app::accounts::{CurrentUser, Role};
use app::audit::Actor;
use app::feedback::actions::{self, Desk, Intake};
use app::feedback::rules::{CaseInput, check};
use app::feedback::{Channel, db as feedback_db};
use app::store::Db;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use server::testing::{Client, staff_user};
use uuid::Uuid;

use crate::support::staff;

mod api;
mod clock;
mod intake;
mod list;
mod mail;
mod work;

/// A team, with a lead and a member (responders); returns (team, lead, member).
async fn team(db: &Db, name: &str) -> (Uuid, Uuid, Uuid) {
    let team = Uuid::now_v7();
    let lead = staff_user(
        db,
        &format!("lead-{name}@ministry.example"),
        &[Role::Responder],
    )
    .await;
    let member = staff_user(
        db,
        &format!("member-{name}@ministry.example"),
        &[Role::Responder],
    )
    .await;
    app::on_db!(db, |pool| async {
        sqlx::query("INSERT INTO teams (id, name_ar, name_en, created_at) VALUES ($1, $2, $3, $4)")
            .bind(team)
            .bind(format!("فريق {name}"))
            .bind(format!("Team {name}"))
            .bind(Utc::now())
            .execute(pool)
            .await?;
        for (user, lead) in [(lead, true), (member, false)] {
            sqlx::query("INSERT INTO team_members (team_id, user_id, lead) VALUES ($1, $2, $3)")
                .bind(team)
                .bind(user)
                .bind(lead)
                .execute(pool)
                .await?;
        }
        Ok::<_, sqlx::Error>(())
    }
    .await)
    .expect("team");
    (team, lead, member)
}

/// Routes `topic` to `team` with this service level.
async fn route(
    db: &Db,
    topic: &str,
    team: Uuid,
    amount: u32,
    counting: app::feedback::clock::Counting,
) {
    let route = app::feedback::TopicRoute {
        topic: topic.to_owned(),
        team: Some(team),
        level: app::feedback::clock::ServiceLevel { amount, counting },
    };
    feedback_db::set_route(db, &route, Utc::now())
        .await
        .expect("route");
}

/// The actor a user is, as the domain actions take them.
async fn actor(db: &Db, user: Uuid) -> Actor {
    let user: CurrentUser = app::accounts::db::load_active_user(db, user)
        .await
        .expect("load")
        .expect("active");
    Actor {
        user,
        address: None,
    }
}

/// A case from the public form, received at `at`; answers (id, tracking token).
async fn web_case(db: &Db, topic: &str, email: Option<&str>, at: DateTime<Utc>) -> (Uuid, String) {
    let input = CaseInput {
        topic: topic.to_owned(),
        message: "The community centre's opening hours are too short for working families.".into(),
        reply_by: if email.is_some() { "email" } else { "web" }.into(),
        email: email.unwrap_or_default().into(),
        ..CaseInput::default()
    };
    let intake = Intake {
        fields: check(&input, Channel::Web).expect("valid"),
        language: app::Locale::En,
        recorded_by: None,
        token_id: None,
        client_id: None,
        webhook_url: None,
        participant: None,
    };
    let received = actions::submit(db, &Desk::default(), intake, at)
        .await
        .expect("submit");
    (received.id, received.token.expect("a new case's token"))
}

/// How many messages wait in the outbox for `to`.
async fn mails_to(db: &Db, to: &str) -> i64 {
    let (n,): (i64,) = app::on_db!(db, |pool| {
        sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE to_address = $1")
            .bind(to)
            .fetch_one(pool)
            .await
    })
    .expect("count");
    n
}

/// The token in a link: what follows `marker` up to the next `?`, `"` or whitespace.
fn token_after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {text}"))
        + marker.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}
