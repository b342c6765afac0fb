//! Test support: throwaway databases on both backends and a router over them.
//! PostgreSQL tests create their own database and drop it afterwards (even when the test
//! panics); the server is found through `SHAREK_TEST_PG` (default: the local trust-auth
//! server at 127.0.0.1:5432).

use std::{collections::HashMap, path::PathBuf, sync::Arc};

use app::accounts::{
    Role,
    db::{self as accounts_db, NewUser},
    secrets,
};
use app::store::{Backend, Db};
use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use chrono::{DateTime, Utc};
use tower::ServiceExt;
use uuid::Uuid;

use crate::{AppState, Settings, leptos_options};

const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A migrated, empty database that disappears when dropped.
pub struct TestDb {
    pub db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::sqlite().await,
            Backend::Postgres => Self::postgres().await,
        }
    }

    pub async fn sqlite() -> Self {
        let path =
            std::env::temp_dir().join(format!("sharek-test-{}.db", uuid::Uuid::new_v4().simple()));
        let db = Db::connect(&format!("sqlite://{}", path.display()))
            .await
            .expect("open test SQLite");
        db.migrate().await.expect("migrate test SQLite");
        Self {
            db,
            cleanup: Cleanup::File(path),
        }
    }

    pub async fn postgres() -> Self {
        let admin_url = std::env::var("SHAREK_TEST_PG").unwrap_or_else(|_| DEFAULT_PG.to_owned());
        let name = format!("sharek_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Db::connect(&admin_url)
            .await
            .expect("reach the test PostgreSQL server");
        if let Db::Postgres(pool) = &admin {
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(pool)
                .await
                .expect("create test database");
        }
        admin.close().await;
        let url = database_url(&admin_url, &name);
        let db = Db::connect(&url).await.expect("open test database");
        db.migrate().await.expect("migrate test database");
        Self {
            db,
            cleanup: Cleanup::Database { admin_url, name },
        }
    }

    /// Application state over this database, with no built site.
    pub fn state(&self) -> AppState {
        state_for(self.db.clone())
    }
}

/// Application state over a database, with no built site and default settings.
pub fn state_for(db: Db) -> AppState {
    let site_root = std::env::temp_dir().join("sharek-no-site");
    AppState {
        collection: crate::collect::Collection::new(db.clone(), 0),
        db,
        leptos: Arc::new(leptos_options(&site_root, ([127, 0, 0, 1], 0).into())),
        settings: Arc::new(Settings::new(
            url::Url::parse("http://127.0.0.1:3000").expect("valid URL"),
            site_root,
        )),
    }
}

/// The password every test user gets.
pub const TEST_PASSWORD: &str = "a long test password";

/// Creates an active staff user with these roles.
pub async fn staff_user(db: &Db, email: &str, roles: &[Role]) -> Uuid {
    let hash = secrets::hash_password(TEST_PASSWORD).expect("hash");
    let new = NewUser {
        email,
        display_name: email,
        password_hash: &hash,
        roles,
    };
    accounts_db::create_user(db, new)
        .await
        .expect("create test user")
}

/// A session for a user, as if they signed in at `created` and were last seen at `last_seen`;
/// returns the cookie token.
pub async fn session_for(
    db: &Db,
    user: Uuid,
    created: DateTime<Utc>,
    last_seen: DateTime<Utc>,
) -> String {
    let token = secrets::new_token();
    let hash = secrets::token_hash(&token);
    accounts_db::create_session(db, &hash, user, created)
        .await
        .expect("create session");
    accounts_db::touch_session(db, &hash, last_seen)
        .await
        .expect("touch session");
    token
}

/// A participant with this address (and a display name), signed in: returns (id, the
/// participant cookie's token).
pub async fn participant_session(db: &Db, email: &str) -> (Uuid, String) {
    use app::participants::db as participants_db;
    let now = Utc::now();
    let (participant, _) = participants_db::find_or_create(db, email, app::Locale::En, now)
        .await
        .expect("create participant");
    let profile = app::participants::rules::Profile {
        display_name: "Test Participant".into(),
        language: app::Locale::En,
        group: None,
    };
    participants_db::update_profile(db, participant.id, &profile)
        .await
        .expect("profile");
    let token = secrets::new_token();
    participants_db::insert_session(db, &secrets::token_hash(&token), participant.id, now)
        .await
        .expect("create participant session");
    (participant.id, token)
}

/// An API token for a user, expiring at `expires_at` (if ever); returns the token.
pub async fn api_token_for(db: &Db, user: Uuid, expires_at: Option<DateTime<Utc>>) -> String {
    use app::accounts::{token_db, tokens};
    let token = format!("{}{}", tokens::TOKEN_PREFIX, secrets::new_token());
    let new = token_db::NewToken {
        user_id: user,
        name: "test",
        token_hash: &secrets::token_hash(&token),
        prefix: &token[..tokens::SHOWN_PREFIX_LEN],
        expires_at,
    };
    token_db::create(db, new, Utc::now())
        .await
        .expect("create API token");
    token
}

/// A browser stand-in for tests: sends requests to the real router and keeps its cookies.
pub struct Client {
    pub app: Router,
    pub cookies: HashMap<String, String>,
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The `Location` header, or "".
    pub location: String,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl Reply {
    /// The body as JSON (panics, failing the test, when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: impl header::AsHeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl Client {
    pub fn new(db: &Db) -> Self {
        Self::over(crate::app(state_for(db.clone())))
    }

    pub fn over(app: Router) -> Self {
        Self {
            app,
            cookies: HashMap::new(),
        }
    }

    /// A client signed in with the session cookie `token`.
    pub fn with_session(db: &Db, token: &str) -> Self {
        let mut client = Self::new(db);
        client.cookies.insert("sharek_session".into(), token.into());
        client
    }

    /// A client signed in as a participant with the participant cookie `token`.
    pub fn as_participant(db: &Db, token: &str) -> Self {
        let mut client = Self::new(db);
        client
            .cookies
            .insert("sharek_participant".into(), token.into());
        client
    }

    /// Sends a request with these headers and form fields (as a form body when any).
    pub async fn request(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        form: &[(&str, &str)],
    ) -> Reply {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut request = Request::builder().method(method).uri(path);
        if !cookie.is_empty() {
            request = request.header(header::COOKIE, cookie);
        }
        if !form.is_empty() {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(Body::from(body)).expect("request");
        let response = self.app.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let location = headers
            .get(header::LOCATION)
            .map(|v| v.to_str().expect("ascii").to_owned())
            .unwrap_or_default();
        let set_cookies: Vec<String> = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().expect("ascii").to_owned())
            .collect();
        for cookie in &set_cookies {
            let pair = cookie.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if cookie.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        Reply {
            status,
            headers,
            location,
            set_cookies,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn send(&mut self, method: Method, path: &str, form: &[(&str, &str)]) -> Reply {
        self.request(method, path, &[], form).await
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(Method::GET, path, &[]).await
    }

    /// This visitor's CSRF token (read from a page first, as a browser would).
    pub async fn csrf(&mut self) -> String {
        if !self.cookies.contains_key("sharek_csrf") {
            self.get("/en/login").await;
        }
        self.cookies["sharek_csrf"].clone()
    }

    /// Posts a form with this visitor's CSRF token.
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Reply {
        let csrf = self.csrf().await;
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend_from_slice(form);
        self.send(Method::POST, path, &fields).await
    }

    pub async fn sign_in(&mut self, email: &str) -> Reply {
        self.post(
            "/en/login",
            &[("email", email), ("password", TEST_PASSWORD), ("next", "")],
        )
        .await
    }
}

/// The URL of database `name` on the server `admin_url` points at.
fn database_url(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("SHAREK_TEST_PG is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                // Drop runs inside the test's runtime: do the async work on a thread of its own.
                // FORCE ends the pool's open connections; closing the pool here could wait on the
                // test's runtime, which is busy running this drop.
                let (admin_url, target) = (admin_url.clone(), name.clone());
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    runtime.block_on(async move {
                        let admin = Db::connect(&admin_url).await?;
                        if let Db::Postgres(pool) = &admin {
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {target} WITH (FORCE)"))
                                .execute(pool)
                                .await?;
                        }
                        admin.close().await;
                        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
                    })?;
                    Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
                })
                .join();
                if !matches!(dropped, Ok(Ok(()))) {
                    eprintln!("warning: could not drop test database {name}");
                }
            }
        }
    }
}

/// The stack of a thread running a test: as big as the server's worker threads (`main.rs`),
/// since rendering a deep page in a debug build needs more than the test harness's 2 MiB.
pub const TEST_STACK_BYTES: usize = 8 * 1024 * 1024;

/// Runs an async test on a thread of its own with [`TEST_STACK_BYTES`] of stack, as the server
/// would run a request; a panic in the test is the test's failure.
pub fn on_server_stack<F, Fut>(test: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let thread = std::thread::Builder::new()
        .stack_size(TEST_STACK_BYTES)
        .spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("test runtime")
                .block_on(test())
        })
        .expect("test thread");
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
}

/// Runs one check on both backends: `on_both_backends!(check_x);` defines the tests
/// `check_x::sqlite` and `check_x::postgres`, each calling `check_x(db)` on a fresh database.
#[macro_export]
macro_rules! on_both_backends {
    ($($check:ident),+ $(,)?) => {$(
        mod $check {
            #[test]
            fn sqlite() {
                $crate::testing::on_server_stack(|| async {
                    let test = $crate::testing::TestDb::new(app::store::Backend::Sqlite).await;
                    super::$check(test.db.clone()).await;
                });
            }

            #[test]
            fn postgres() {
                $crate::testing::on_server_stack(|| async {
                    let test = $crate::testing::TestDb::new(app::store::Backend::Postgres).await;
                    super::$check(test.db.clone()).await;
                });
            }
        }
    )+};
}
