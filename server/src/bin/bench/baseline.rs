//! The minimal server the bench compares Sharek with: one row per request, in its own
//! transaction, with Sharek's connection settings (so the same durability).

use std::{net::SocketAddr, str::FromStr, time::Duration};

use anyhow::{Context, Result};
use app::store::{Backend, Db};
use axum::{
    Router,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::post,
};
use uuid::Uuid;

/// Creates the baseline's table.
pub async fn prepare(url: &str) -> Result<()> {
    let db = Db::connect(url).await?;
    match &db {
        Db::Sqlite(pool) => {
            sqlx::query(
                "CREATE TABLE IF NOT EXISTS baseline \
                 (id BLOB PRIMARY KEY NOT NULL, body TEXT NOT NULL, at TEXT NOT NULL)",
            )
            .execute(pool)
            .await?;
        }
        Db::Postgres(pool) => {
            sqlx::query(
                "CREATE TABLE IF NOT EXISTS baseline \
                 (id UUID PRIMARY KEY, body TEXT NOT NULL, at TEXT NOT NULL)",
            )
            .execute(pool)
            .await?;
        }
    }
    db.close().await;
    Ok(())
}

/// Serves `POST /r` until SIGTERM.
pub async fn serve(url: &str, addr: SocketAddr, pool: Option<u32>) -> Result<()> {
    let db = connect(url, pool)
        .await
        .context("cannot open the database")?;
    let app = Router::new()
        .route(super::BASELINE_PATH, post(insert))
        .route("/healthz", axum::routing::get(|| async { StatusCode::OK }))
        .with_state(db.clone());
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            if let Ok(mut term) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            {
                term.recv().await;
            }
        })
        .await?;
    db.close().await;
    Ok(())
}

/// Sharek's durability settings (see `app::store`): SQLite in WAL mode with
/// `synchronous=FULL` (a commit is flushed before it returns) and 8 connections;
/// PostgreSQL's defaults (`synchronous_commit=on`) with 16. `pool` overrides the size.
async fn connect(url: &str, pool: Option<u32>) -> Result<Db> {
    use sqlx::{
        postgres::PgPoolOptions,
        sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    };
    let timeout = Duration::from_secs(5);
    Ok(match Backend::from_url(url) {
        Some(Backend::Sqlite) => {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(timeout);
            Db::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(pool.unwrap_or(8))
                    .acquire_timeout(timeout)
                    .connect_with(options)
                    .await?,
            )
        }
        Some(Backend::Postgres) => Db::Postgres(
            PgPoolOptions::new()
                .max_connections(pool.unwrap_or(16))
                .acquire_timeout(timeout)
                .connect(url)
                .await?,
        ),
        None => anyhow::bail!("unsupported database URL {url}"),
    })
}

async fn insert(State(db): State<Db>, body: String) -> Response {
    let id = Uuid::new_v4();
    let at = chrono::Utc::now().to_rfc3339();
    let sql = "INSERT INTO baseline (id, body, at) VALUES ($1, $2, $3)";
    let done = match &db {
        Db::Sqlite(pool) => sqlx::query(sql)
            .bind(id)
            .bind(body)
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ()),
        Db::Postgres(pool) => sqlx::query(sql)
            .bind(id)
            .bind(body)
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ()),
    };
    match done {
        Ok(()) => Redirect::to(super::THANKS_PATH).into_response(),
        Err(error) => {
            eprintln!("baseline insert failed: {error}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
