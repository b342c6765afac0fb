//! What several concerns share: the `sharek` binary and the URL it reaches a test database by,
//! signed-in staff and API tokens, surveys built in code, requests over a real socket
//! (`wire`), and a real SMTP server that keeps what it receives (`smtp`).

pub mod smtp;
pub mod wire;

use app::accounts::Role;
use app::store::Db;
use app::surveys::model::{Definition, Kind, Question, Section, Text};
use axum::http::Method;
use chrono::Utc;
use server::testing::{Client, Reply, api_token_for, session_for, staff_user};
use uuid::Uuid;

/// The `sharek` binary cargo built for these tests.
pub const SHAREK: &str = env!("CARGO_BIN_EXE_sharek");

/// The URL the `sharek` binary reaches a test database by.
pub fn url_of(db: &Db) -> String {
    match db {
        Db::Sqlite(pool) => {
            let options = pool.connect_options();
            format!("sqlite://{}", options.get_filename().display())
        }
        Db::Postgres(pool) => {
            let options = pool.connect_options();
            format!(
                "postgres://{}@{}:{}/{}",
                options.get_username(),
                options.get_host(),
                options.get_port(),
                options.get_database().unwrap_or_default()
            )
        }
    }
}

/// A staff user with these roles, and a client signed in as them.
pub async fn staff(db: &Db, email: &str, roles: &[Role]) -> (Uuid, Client) {
    let id = staff_user(db, email, roles).await;
    let token = session_for(db, id, Utc::now(), Utc::now()).await;
    (id, Client::with_session(db, &token))
}

/// An API token of a new staff user with this role.
pub async fn api_token(db: &Db, email: &str, role: Role) -> String {
    let user = staff_user(db, email, &[role]).await;
    api_token_for(db, user, None).await
}

/// A GET with a bearer token.
pub async fn api_get(db: &Db, path: &str, token: &str) -> Reply {
    let bearer = format!("Bearer {token}");
    Client::new(db)
        .request(
            Method::GET,
            path,
            &[("authorization", bearer.as_str())],
            &[],
        )
        .await
}

/// A survey in both languages with these sections.
pub fn survey(title: &str, sections: Vec<Section>) -> Definition {
    Definition {
        title: Text::new(format!("استبيان {title}"), title),
        sections,
        ..Definition::default()
    }
}

/// An optional question in both languages.
pub fn question(key: &str, en: &str, kind: Kind) -> Question {
    Question {
        key: key.to_owned(),
        text: Text::new(format!("سؤال {key}"), en),
        help: Text::default(),
        required: false,
        show_if: None,
        kind,
    }
}
