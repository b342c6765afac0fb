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

mod permissions;
mod sign_in;
mod users;
