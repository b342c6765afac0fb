//! Sharek's HTTP server: configuration, start-up, and the routes that are not Leptos pages
//! (health check, the locale redirect at `/`, static assets). [`app`] builds the real router
//! so tests drive exactly what production serves.

pub mod cli;
pub mod collect;
pub mod config;
pub mod demo;
pub mod http;
pub mod mail;
pub mod reports;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod webhooks;

use std::{path::Path, sync::Arc, time::Duration};

use anyhow::Context;
use app::accounts::rules::SessionPolicy;
use app::store::Db;
use axum::{Router, extract::FromRef};
use leptos::config::LeptosOptions;
use tokio::net::TcpListener;

pub use config::{Cli, Command, ServeArgs};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Shared: the state is cloned for every request by each layer that takes it.
    pub leptos: Arc<LeptosOptions>,
    pub settings: Arc<Settings>,
    /// Response collection's writer, rate limit and form cache (`collect`).
    pub collection: Arc<collect::Collection>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        (*state.leptos).clone()
    }
}

/// Settings derived from configuration at start-up.
#[derive(Debug, Clone)]
pub struct Settings {
    pub base_url: url::Url,
    /// Cookies get `Secure` when Sharek is served over https.
    pub secure_cookies: bool,
    pub site_root: std::path::PathBuf,
    pub sessions: SessionPolicy,
    /// Proxies whose `X-Forwarded-For` names the client (see `http::client`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The SMTP relay, when one is configured (`mail`).
    pub mailer: Option<mail::Mailer>,
    /// The feedback desk: the working week, when to remind, the base of links in emails.
    pub desk: app::feedback::actions::Desk,
    /// The key replies to integrations are signed with (`webhooks`); without one, cases
    /// cannot ask for webhook replies.
    pub webhook_secret: Option<String>,
    /// Flags that hold a published comment again (`--flag-threshold`).
    pub flag_threshold: i64,
    /// The program that prints impact reports to PDF (`--chromium`).
    pub chromium: String,
}

impl Settings {
    pub fn new(base_url: url::Url, site_root: std::path::PathBuf) -> Self {
        let secure_cookies = base_url.scheme() == "https";
        Self {
            secure_cookies,
            site_root,
            sessions: SessionPolicy::default(),
            trusted_proxies: Vec::new(),
            mailer: None,
            webhook_secret: None,
            flag_threshold: app::consultations::rules::FLAG_THRESHOLD,
            chromium: "chromium".to_owned(),
            desk: app::feedback::actions::Desk {
                base_url: base_url.to_string(),
                ..Default::default()
            },
            base_url,
        }
    }
}

/// The build id names the folder of hashed assets (`pkg/<id>/`): the build helper writes it
/// to `<site_root>/build-id`. Without a built site (unit tests) the pages still render.
pub fn leptos_options(site_root: &Path, addr: std::net::SocketAddr) -> LeptosOptions {
    let build_id = std::fs::read_to_string(site_root.join("build-id"))
        .map(|id| id.trim().to_owned())
        .unwrap_or_else(|_| "unbuilt".to_owned());
    LeptosOptions::builder()
        .output_name("sharek")
        .site_root(site_root.display().to_string())
        .site_pkg_dir(format!("pkg/{build_id}"))
        .site_addr(addr)
        .build()
}

/// The whole application router.
pub fn app(state: AppState) -> Router {
    http::router(state)
}

/// Connects, migrates and serves until SIGTERM or Ctrl-C; in-flight requests finish first.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let db = connect(&args.db.database_url).await?;
    let mailer = args
        .smtp_url
        .as_ref()
        .map(|url| mail::Mailer::new(url, &args.mail_from))
        .transpose()
        .context("cannot use the SMTP relay")?;
    let desk = app::feedback::actions::Desk {
        week: args.working_week.clone(),
        remind_permille: args.reminder_share * 10,
        base_url: args.base_url.to_string(),
    };
    let state = AppState {
        collection: collect::Collection::new(db.clone(), args.submit_limit),
        db: db.clone(),
        leptos: Arc::new(leptos_options(&args.site_root, args.addr)),
        settings: Arc::new(Settings {
            sessions: SessionPolicy {
                idle: chrono::Duration::minutes(args.session_idle_minutes.into()),
                absolute: chrono::Duration::hours(args.session_absolute_hours.into()),
            },
            trusted_proxies: args.trusted_proxies.clone(),
            mailer: mailer.clone(),
            desk: desk.clone(),
            webhook_secret: args.webhook_secret.clone(),
            flag_threshold: i64::from(args.flag_threshold),
            chromium: args.chromium.clone(),
            ..Settings::new(args.base_url.clone(), args.site_root.clone())
        }),
    };
    // SIGTERM is caught from before the port answers: one sent as soon as the server
    // is reachable (while it still builds its routes) is a clean stop, not a kill.
    let shutdown = shutdown_signal();
    // Listen first: a demo password printed by a server that then fails to start would be lost.
    let listener = TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    if args.demo {
        demo::ensure_demo_admin(&state).await?;
        demo::ensure_demo_content(&state).await?;
    }
    tokio::spawn(run_scheduler(db.clone(), desk));
    tokio::spawn(run_folder(db.clone()));
    tokio::spawn(run_reports(
        db.clone(),
        args.base_url.to_string(),
        args.chromium.clone(),
    ));
    if let Some(mailer) = mailer {
        let lease = std::time::Duration::from_secs(args.mail_lease_seconds);
        tokio::spawn(mail::run(db.clone(), mailer, lease));
    }
    if let Some(secret) = args.webhook_secret.clone() {
        tokio::spawn(webhooks::run(db.clone(), secret));
    }
    tracing::info!(addr = %args.addr, base_url = %args.base_url, backend = ?db.backend(), "Sharek is listening");
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .context("server error")?;
    db.close().await;
    tracing::info!("Sharek stopped");
    Ok(())
}

/// How often the scheduler opens and closes surveys by their dates, creates due waves, and
/// looks at the feedback clock.
const SCHEDULER_EVERY: Duration = Duration::from_secs(60);

/// The background scheduler. Every app server runs one; the work is safe to repeat and to run
/// concurrently (compare-and-set status changes, unique wave numbers), so no leader is needed.
async fn run_scheduler(db: Db, desk: app::feedback::actions::Desk) {
    let mut ticks = tokio::time::interval(SCHEDULER_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let now = chrono::Utc::now();
        match app::surveys::db::tick(&db, now).await {
            Ok(done) if done != Default::default() => tracing::info!(?done, "scheduler"),
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "scheduler failed; retrying at the next tick"),
        }
        // Those who asked to hear when a periodic survey's next round opens, told once each.
        match app::responses::rounds::announce_open_rounds(&db, &desk.base_url, now).await {
            Ok(0) => {}
            Ok(told) => tracing::info!(told, "told that a round is open"),
            Err(error) => tracing::error!(%error, "telling of open rounds failed; retrying"),
        }
        // The reply clock: reminders and escalations, each sent once however many servers run.
        match app::feedback::actions::escalate(&db, &desk, now).await {
            Ok(round) if round != Default::default() => tracing::info!(?round, "feedback clock"),
            Ok(_) => {}
            Err(error) => {
                tracing::error!(%error, "the feedback clock failed; retrying at the next tick")
            }
        }
        // Unfinished responses are kept 30 days at most, and only while their survey is open.
        if let Err(error) =
            app::responses::db::prune_drafts(&db, now - chrono::Duration::days(30)).await
        {
            tracing::error!(%error, "pruning drafts failed; retrying at the next tick");
        }
        // Addresses left only to hear back are kept no longer than administrators chose.
        match app::outcomes::retention::prune(&db, now).await {
            Ok(0) => {}
            Ok(forgotten) => tracing::info!(forgotten, "addresses kept to hear back expired"),
            Err(error) => tracing::error!(%error, "pruning hear-back addresses failed; retrying"),
        }
        // Spent sign-ins hold an address: forgotten a day after they expire.
        if let Err(error) = app::participants::db::prune_sign_ins(&db, now).await {
            tracing::error!(%error, "pruning sign-ins failed; retrying at the next tick");
        }
    }
}

/// How often the scheduled reports are looked at (a period ends at midnight UAE time; its
/// report goes out within this long).
const REPORTS_EVERY: Duration = Duration::from_secs(300);

/// Makes the scheduled impact reports that are owed (`reports::make_due`). Every app server
/// runs one; each report is kept and sent once.
async fn run_reports(db: Db, base: String, chromium: String) {
    // The first look waits for the server to be up and serving.
    let first = tokio::time::Instant::now() + Duration::from_secs(5);
    let mut ticks = tokio::time::interval_at(first, REPORTS_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = reports::make_due(&db, &base, &chromium, chrono::Utc::now()).await {
            tracing::error!(%error, "making scheduled reports failed; retrying at the next tick");
        }
    }
}

/// How often new responses are folded into the crosstab counts.
const FOLD_EVERY: Duration = Duration::from_secs(2);

/// Folds new responses into the crosstab pair counts (`app::results::build::fold_all`), so a
/// crosstab adds up counts and reads only the last few seconds' responses. Every app server
/// runs one; a fold writes nothing when another fold took its responses first, so running
/// several at once is safe.
async fn run_folder(db: Db) {
    let mut ticks = tokio::time::interval(FOLD_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match app::results::build::fold_all(&db).await {
            Ok(0) => {}
            Ok(rows) => tracing::debug!(rows, "folded responses into the crosstab counts"),
            Err(error) => tracing::error!(%error, "folding crosstab counts failed; retrying"),
        }
    }
}

/// Connects and applies pending migrations.
pub async fn connect(database_url: &str) -> anyhow::Result<Db> {
    let db = Db::connect(database_url)
        .await
        .with_context(|| format!("cannot open the database at {}", redact(database_url)))?;
    db.migrate()
        .await
        .context("cannot apply database migrations")?;
    Ok(db)
}

/// Hides a password in a database URL before it reaches a log or an error message.
fn redact(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        _ => database_url.to_owned(),
    }
}

/// Resolves on Ctrl-C or SIGTERM. SIGTERM is caught from the call on, not from the first poll:
/// `serve` calls this before it listens.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    async move {
        let ctrl_c = async {
            if let Err(error) = tokio::signal::ctrl_c().await {
                tracing::error!(%error, "cannot listen for Ctrl-C");
                std::future::pending::<()>().await;
            }
        };
        #[cfg(unix)]
        let terminate = async {
            match sigterm {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(error) => {
                    tracing::error!(%error, "cannot listen for SIGTERM");
                    std::future::pending::<()>().await;
                }
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = terminate => {},
        }
        tracing::info!("shutting down: finishing in-flight requests");
    }
}

/// How long `/healthz` waits for the database before answering 503.
pub(crate) const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);
