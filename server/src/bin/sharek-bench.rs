//! `sharek-bench`: response collection throughput over HTTP (issue 5).
//!
//! For each backend (SQLite, PostgreSQL) it prepares a fresh database holding one open survey
//! with a public address (`/en/s/bench`) and six questions of mixed types, starts the release
//! `sharek` server on a free port, and has `--clients` concurrent clients (64 by default; each
//! a Tokio task with its own keep-alive HTTP/1.1 connection) post complete responses to it as
//! fast as they can: a warm-up, then `--seconds` of measurement. Only `303 See Other` to the
//! thank-you page counts as acknowledged; anything else is an error and flags the run.
//!
//! In the same run it measures a **baseline**: a minimal axum server (this binary's hidden
//! `baseline-server` subcommand) that inserts one row per request in its own transaction,
//! with the same durability (the same connection settings as Sharek's: SQLite in WAL mode
//! with `synchronous=FULL` and 8 connections; PostgreSQL's defaults with 16), driven by the
//! same clients with the same request bodies.
//!
//! Reported for each: acknowledged responses per second, p50 and p99 latency (of the
//! acknowledged requests that started after the warm-up), the server's peak RSS (`VmHWM`) and
//! the error count; then Sharek's ratio to the baseline and whether the targets hold (on
//! SQLite: ≥ 3,000 responses/s, ≥ 2× the baseline, p99 ≤ 50 ms). After each server stops, the
//! rows in the database are counted and compared with the acknowledgements: a durable
//! acknowledgement means every acknowledged response is there.
//!
//! Run it from the workspace root:
//!
//! ```text
//! cargo build --release -p server --features bench && target/release/sharek-bench
//! target/release/sharek-bench --backend sqlite --clients 64 --seconds 10 --warmup 2
//! ```
//!
//! PostgreSQL is reached through `--pg-url` (an administrator's URL: the bench creates
//! `sharek_bench_<pid>` and `sharek_bench_<pid>_baseline` and drops them at the end). The
//! SQLite files live in a fresh folder under `--dir` (the system temporary folder by default;
//! it should be on the disk being measured, not a tmpfs). The exit status is 1 when a run had
//! errors or lost acknowledged responses.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, ExitCode, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use app::store::Db;
use clap::{Parser, Subcommand, ValueEnum};
use http_body_util::{BodyExt, Empty, Full};
use hyper::{
    Request, StatusCode,
    body::Bytes,
    client::conn::http1::{self, SendRequest},
    header,
};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use uuid::Uuid;

#[derive(Debug, Parser)]
#[command(
    name = "sharek-bench",
    about = "Response collection throughput over HTTP: Sharek against a minimal baseline"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Internal>,
    /// Which database backends to measure.
    #[arg(long, value_enum, default_value_t = Which::Both)]
    backend: Which,
    /// Concurrent clients, each with its own keep-alive connection.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=4096))]
    clients: u32,
    /// Seconds measured, after the warm-up.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    seconds: u64,
    /// Seconds of warm-up (posted, acknowledged and verified, but not measured).
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// The sharek server binary (default: `sharek` beside this binary, i.e.
    /// target/release/sharek).
    #[arg(long)]
    server: Option<PathBuf>,
    /// An administrator's PostgreSQL URL, used to create and drop the bench databases.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    pg_url: String,
    /// Where the SQLite files go (a fresh folder inside it, removed at the end).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// The baseline's connection pool size (default: Sharek's, 8 on SQLite and 16 on
    /// PostgreSQL). On SQLite, fewer connections means less lock contention between writers.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=256))]
    baseline_pool: Option<u32>,
}

#[derive(Debug, Subcommand)]
enum Internal {
    /// Results at scale (issue 6): dashboard, crosstab and CSV export over generated
    /// responses, next to the naive GROUP BY over the raw answers.
    Results {
        /// How many responses to generate.
        #[arg(long, default_value_t = 1_000_000)]
        responses: u64,
        /// Measure the server over a database an earlier run filled (its URL), with
        /// `--backend` naming its kind: no loading, folding or naive figures (for trying a
        /// change quickly).
        #[arg(long)]
        reuse: Option<String>,
        /// Keep the filled SQLite database afterwards (its path is printed), to measure it
        /// again with `--reuse` or to try it in a browser.
        #[arg(long)]
        keep: bool,
    },
    /// The baseline server the bench starts (not meant to be run by hand).
    #[command(hide = true)]
    BaselineServer {
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        addr: SocketAddr,
        #[arg(long)]
        pool: Option<u32>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Which {
    Sqlite,
    Postgres,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Targets of issue 5 (on SQLite; shown for PostgreSQL for information).
const TARGET_RATE: f64 = 3000.0;
const TARGET_RATIO: f64 = 2.0;
const TARGET_P99_MS: f64 = 50.0;

/// The survey's public address and where a stored response is sent.
const SURVEY_PATH: &str = "/en/s/bench";
const THANKS_PATH: &str = "/en/s/bench/thanks";
const BASELINE_PATH: &str = "/r";
/// The CSRF cookie a browser would carry when the participant form needs one.
const CSRF_COOKIE: &str = "sharek_csrf";

#[tokio::main]
async fn main() -> Result<ExitCode> {
    let cli = Cli::parse();
    if let Some(Internal::BaselineServer {
        database_url,
        addr,
        pool,
    }) = &cli.command
    {
        baseline::serve(database_url, *addr, *pool).await?;
        return Ok(ExitCode::SUCCESS);
    }
    let sharek_path = match &cli.server {
        Some(path) => path.clone(),
        None => std::env::current_exe()
            .context("cannot find this binary's path")?
            .with_file_name("sharek"),
    };
    if !sharek_path.is_file() {
        bail!(
            "no sharek server binary at {} (build it with `cargo build --release -p server`, or pass --server)",
            sharek_path.display()
        );
    }
    let sharek = sharek_path;
    let root = cli.dir.clone().unwrap_or_else(std::env::temp_dir);
    let work = root.join(format!("sharek-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work)
        .with_context(|| format!("cannot create the folder {}", work.display()))?;

    if let Some(Internal::Results {
        responses,
        reuse,
        keep,
    }) = &cli.command
    {
        return results_bench(&cli, *responses, reuse.as_deref(), *keep, &sharek, &work).await;
    }
    print_machine(&cli, &work);
    let backends: &[Backend] = match cli.backend {
        Which::Sqlite => &[Backend::Sqlite],
        Which::Postgres => &[Backend::Postgres],
        Which::Both => &[Backend::Sqlite, Backend::Postgres],
    };
    let mut results = Vec::new();
    let mut failures = Vec::new();
    for &backend in backends {
        eprintln!("== {} ==", backend.name());
        match bench_backend(backend, &cli, &sharek, &work).await {
            Ok(pair) => results.push((backend, pair)),
            Err(error) => {
                eprintln!("{} failed: {error:#}", backend.name());
                failures.push((backend, format!("{error:#}")));
            }
        }
    }
    if let Err(error) = std::fs::remove_dir_all(&work) {
        eprintln!("could not remove {}: {error}", work.display());
    }

    let flawed = report(&results, &failures);
    Ok(if flawed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[path = "bench/results.rs"]
mod results;

/// `sharek-bench results`: each backend in turn, then the table.
async fn results_bench(
    cli: &Cli,
    responses: u64,
    reuse: Option<&str>,
    keep: bool,
    sharek: &Path,
    work: &Path,
) -> Result<ExitCode> {
    let backends: &[Backend] = match cli.backend {
        Which::Sqlite => &[Backend::Sqlite],
        Which::Postgres => &[Backend::Postgres],
        Which::Both => &[Backend::Sqlite, Backend::Postgres],
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "Machine: {cpus} CPUs (nproc); SQLite files in {}",
        work.display()
    );
    let mut figures = Vec::new();
    let mut failed = false;
    for &backend in backends {
        let run = match reuse {
            Some(url) => results::remeasure(backend, url, sharek, work).await,
            None => results::run(backend, responses, &cli.pg_url, sharek, work).await,
        };
        match run {
            Ok(f) => figures.push(f),
            Err(error) => {
                eprintln!("{} failed: {error:#}", backend.name());
                failed = true;
            }
        }
    }
    if keep {
        println!("Kept: sqlite://{}", work.join("results.db").display());
    } else if let Err(error) = std::fs::remove_dir_all(work) {
        eprintln!("could not remove {}: {error}", work.display());
    }
    let held = results::report(&figures);
    Ok(if held && !failed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// One server's figures.
#[derive(Debug)]
struct Measured {
    server: &'static str,
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
    peak_rss_mb: f64,
    errors: u64,
    /// Acknowledged over the whole run, warm-up included.
    acked: u64,
    /// Rows found after the server stopped.
    rows: i64,
    first_error: Option<String>,
}

impl Measured {
    /// Every acknowledged response was found, and nothing failed.
    fn clean(&self) -> bool {
        self.errors == 0 && self.rows == i64::try_from(self.acked).unwrap_or(i64::MAX)
    }
}

struct Pair {
    sharek: Measured,
    baseline: Measured,
}

async fn bench_backend(backend: Backend, cli: &Cli, sharek: &Path, work: &Path) -> Result<Pair> {
    match backend {
        Backend::Sqlite => {
            let dir = work.join("sqlite");
            std::fs::create_dir_all(&dir)?;
            let sharek_url = format!("sqlite://{}", dir.join("sharek.db").display());
            let baseline_url = format!("sqlite://{}", dir.join("baseline.db").display());
            run_pair(cli, sharek, work, &sharek_url, &baseline_url).await
        }
        Backend::Postgres => {
            let name = format!("sharek_bench_{}", std::process::id());
            let base_name = format!("{name}_baseline");
            let admin = PgAdmin::connect(&cli.pg_url).await?;
            let outcome = async {
                let sharek_url = admin.create(&name).await?;
                let baseline_url = admin.create(&base_name).await?;
                run_pair(cli, sharek, work, &sharek_url, &baseline_url).await
            }
            .await;
            // Dropped whatever happened above.
            for db in [&name, &base_name] {
                if let Err(error) = admin.drop(db).await {
                    eprintln!("could not drop the database {db}: {error:#}");
                }
            }
            outcome
        }
    }
}

async fn run_pair(
    cli: &Cli,
    sharek: &Path,
    work: &Path,
    sharek_url: &str,
    baseline_url: &str,
) -> Result<Pair> {
    let site_root = work.join("site");
    std::fs::create_dir_all(&site_root)?;
    let form = Form::new();

    // The baseline: its table, then its server.
    baseline::prepare(baseline_url).await?;
    let exe = std::env::current_exe().context("cannot find this binary's path")?;
    let baseline = measure(
        cli,
        "baseline",
        &form,
        BASELINE_PATH,
        baseline_url,
        |addr| {
            let mut command = std::process::Command::new(&exe);
            command
                .arg("baseline-server")
                .arg("--database-url")
                .arg(baseline_url)
                .arg("--addr")
                .arg(addr.to_string());
            if let Some(pool) = cli.baseline_pool {
                command.arg("--pool").arg(pool.to_string());
            }
            command
        },
    )
    .await
    .context("the baseline")?;

    // Sharek: the survey, then the server.
    prepare_survey(sharek_url).await?;
    let sharek = measure(cli, "sharek", &form, SURVEY_PATH, sharek_url, |addr| {
        let mut command = std::process::Command::new(sharek);
        command
            .arg("serve")
            .env("DATABASE_URL", sharek_url)
            .env("SHAREK_ADDR", addr.to_string())
            .env("SHAREK_BASE_URL", format!("http://{addr}"))
            .env("SHAREK_SITE_ROOT", &site_root)
            .env("SHAREK_SUBMIT_LIMIT", "0")
            .env("SHAREK_LOG_FORMAT", "text");
        command
    })
    .await
    .context("sharek")?;
    Ok(Pair { sharek, baseline })
}

/// Creates the open survey `bench` with six questions of mixed types.
async fn prepare_survey(url: &str) -> Result<()> {
    use app::surveys::model::{Definition, Kind, Question, Section, Text};
    let db = server::connect(url).await?;
    let question = |key: &str, code: &str, en: &str, ar: &str| -> Result<Question> {
        Ok(Question {
            key: key.to_owned(),
            text: Text::new(ar, en),
            help: Text::default(),
            required: true,
            show_if: None,
            kind: Kind::new_of(code).with_context(|| format!("no question type {code}"))?,
        })
    };
    let mut section = Section::new("s1");
    section.questions = vec![
        question("q1", "single_choice", "Which applies?", "أيّها ينطبق؟")?,
        question("q2", "multiple_choice", "Which apply?", "أيّها تنطبق؟")?,
        question("q3", "rating", "How satisfied are you?", "ما مدى رضاك؟")?,
        question("q4", "nps", "Would you recommend it?", "هل توصي به؟")?,
        question("q5", "number", "How many times?", "كم مرة؟")?,
        question("q6", "short_text", "In a few words?", "بكلمات قليلة؟")?,
    ];
    let definition = Definition {
        title: Text::new("استبيان القياس", "Benchmark survey"),
        sections: vec![section],
        ..Definition::default()
    };
    let problems = app::surveys::validate::for_publishing(&definition);
    if !problems.is_empty() {
        bail!("the bench survey is not publishable: {problems:?}");
    }
    let now = chrono::Utc::now();
    let id = app::surveys::db::create(&db, &definition, None, now).await?;
    let opened = app::surveys::db::set_status(
        &db,
        id,
        app::surveys::Status::Draft,
        app::surveys::Status::Open,
        now,
    )
    .await?;
    if !opened {
        bail!("could not open the bench survey");
    }
    app::responses::db::save_collection_settings(
        &db,
        id,
        Some("bench"),
        app::responses::IdentityMode::Anonymous,
        now,
    )
    .await?;
    db.close().await;
    Ok(())
}

/// The request body of a complete response, minus its fresh submission id.
#[derive(Debug, Clone)]
struct Form {
    /// `csrf=…&page=0&…&q.q6=…`
    tail: String,
    csrf: String,
}

impl Form {
    fn new() -> Self {
        // A token of the shape the server issues (64 hex digits), sent as cookie and field,
        // as a browser does; harmless where no token is checked.
        let csrf = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
        let tail = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("csrf", &csrf)
            .append_pair("page", "0")
            .append_pair("stakeholder_group", "citizen")
            .append_pair("action", "submit")
            .append_pair("q.q1", "c1")
            .append_pair("q.q2", "c1")
            .append_pair("q.q2", "c2")
            .append_pair("q.q3", "4")
            .append_pair("q.q4", "9")
            .append_pair("q.q5", "4")
            .append_pair("q.q6", "Better opening hours, please")
            .finish();
        Self { tail, csrf }
    }

    fn body(&self) -> String {
        format!("submission={}&{}", Uuid::new_v4(), self.tail)
    }
}

/// Starts a server with `command`, drives it, stops it and checks its rows.
async fn measure(
    cli: &Cli,
    server: &'static str,
    form: &Form,
    path: &str,
    database_url: &str,
    command: impl FnOnce(SocketAddr) -> std::process::Command,
) -> Result<Measured> {
    let addr = free_port()?;
    let mut command = command(addr);
    command
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let mut process = ServerProcess {
        child: command.spawn().context("cannot start the server")?,
    };
    process.wait_healthy(addr).await?;
    eprintln!(
        "{server}: listening on {addr}; {} clients, {} s warm-up, {} s measured",
        cli.clients, cli.warmup, cli.seconds
    );

    let mut connections = Vec::new();
    for _ in 0..cli.clients {
        connections.push(connect(addr).await?);
    }
    let start = Instant::now();
    let plan = Arc::new(Plan {
        addr,
        path: path.to_owned(),
        form: form.clone(),
        measure_from: start + Duration::from_secs(cli.warmup),
        until: start + Duration::from_secs(cli.warmup + cli.seconds),
    });
    let tasks: Vec<_> = connections
        .into_iter()
        .map(|sender| tokio::spawn(client(plan.clone(), sender)))
        .collect();
    let mut total = Tally::default();
    for task in tasks {
        total.merge(task.await.context("a client task failed")?);
    }

    let peak_rss_mb = process.peak_rss_kb()? as f64 / 1024.0;
    process.stop().await?;
    let rows = count_rows(database_url, server).await?;

    let elapsed = total
        .last_finish
        .map(|t| t.duration_since(plan.measure_from).as_secs_f64())
        .unwrap_or_default();
    let mut latencies = std::mem::take(&mut total.latencies_us);
    latencies.sort_unstable();
    let measured = Measured {
        server,
        rate: if elapsed > 0.0 {
            latencies.len() as f64 / elapsed
        } else {
            0.0
        },
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        peak_rss_mb,
        errors: total.errors,
        acked: total.acked,
        rows,
        first_error: total.first_error,
    };
    eprintln!(
        "{server}: {:.0} responses/s, p50 {:.1} ms, p99 {:.1} ms, peak RSS {:.1} MB, {} errors; {} acknowledged, {} rows",
        measured.rate,
        measured.p50_ms,
        measured.p99_ms,
        measured.peak_rss_mb,
        measured.errors,
        measured.acked,
        measured.rows
    );
    if let Some(error) = &measured.first_error {
        eprintln!("{server}: first error: {error}");
    }
    Ok(measured)
}

/// The latency at quantile `q`, in milliseconds (nearest rank).
fn percentile(sorted_us: &[u32], q: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted_us.len() as f64).ceil() as usize;
    let index = rank.clamp(1, sorted_us.len()) - 1;
    f64::from(sorted_us[index]) / 1000.0
}

async fn count_rows(url: &str, server: &str) -> Result<i64> {
    let table = if server == "sharek" {
        "responses"
    } else {
        "baseline"
    };
    let db = Db::connect(url).await?;
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let rows: i64 = match &db {
        Db::Sqlite(pool) => sqlx::query_scalar(&sql).fetch_one(pool).await?,
        Db::Postgres(pool) => sqlx::query_scalar(&sql).fetch_one(pool).await?,
    };
    db.close().await;
    Ok(rows)
}

fn free_port() -> Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?)
}

/// A server subprocess; killed if dropped while still running (e.g. on an error).
struct ServerProcess {
    child: Child,
}

impl ServerProcess {
    async fn wait_healthy(&mut self, addr: SocketAddr) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("the server exited before it was ready ({status})");
            }
            if healthz(addr).await.unwrap_or(false) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("the server did not answer /healthz within 60 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The peak resident set size so far (`VmHWM`), in KiB.
    fn peak_rss_kb(&self) -> Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .context("cannot read the server's /proc status")?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .context("no VmHWM in the server's /proc status")
    }

    /// SIGTERM, then up to 15 s for a graceful exit, then SIGKILL.
    async fn stop(&mut self) -> Result<()> {
        let sent = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .context("cannot run kill")?;
        if sent.success() {
            let deadline = Instant::now() + Duration::from_secs(15);
            while Instant::now() < deadline {
                if let Some(status) = self.child.try_wait()? {
                    if !status.success() {
                        eprintln!("the server exited with {status}");
                    }
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            eprintln!("the server did not stop within 15 s of SIGTERM: killing it");
        }
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

async fn healthz(addr: SocketAddr) -> Result<bool> {
    let stream = TcpStream::connect(addr).await?;
    let (mut sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let request = Request::get("/healthz")
        .header(header::HOST, addr.to_string())
        .body(Empty::<Bytes>::new())?;
    let response = sender.send_request(request).await?;
    Ok(response.status() == StatusCode::OK)
}

async fn connect(addr: SocketAddr) -> Result<SendRequest<Full<Bytes>>> {
    let stream = TcpStream::connect(addr)
        .await
        .with_context(|| format!("cannot connect to {addr}"))?;
    stream.set_nodelay(true)?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

/// What every client does.
#[derive(Debug, Clone)]
struct Plan {
    addr: SocketAddr,
    path: String,
    form: Form,
    /// Requests started from here on are measured.
    measure_from: Instant,
    /// No request starts after this.
    until: Instant,
}

#[derive(Debug, Default)]
struct Tally {
    /// Latencies of the measured acknowledged requests, in microseconds.
    latencies_us: Vec<u32>,
    /// Acknowledged, warm-up included.
    acked: u64,
    errors: u64,
    first_error: Option<String>,
    last_finish: Option<Instant>,
}

impl Tally {
    fn error(&mut self, error: String) {
        self.errors += 1;
        self.first_error.get_or_insert(error);
    }

    fn merge(&mut self, other: Tally) {
        self.latencies_us.extend(other.latencies_us);
        self.acked += other.acked;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        self.last_finish = self.last_finish.max(other.last_finish);
    }
}

/// One client: posts complete responses on its connection until the plan's end.
async fn client(plan: Arc<Plan>, sender: SendRequest<Full<Bytes>>) -> Tally {
    let mut tally = Tally {
        latencies_us: Vec::with_capacity(16 * 1024),
        ..Tally::default()
    };
    let mut sender = Some(sender);
    while Instant::now() < plan.until {
        // A connection the server closed is replaced; a failed reconnect is an error.
        let live = match sender.take().filter(|s| !s.is_closed()) {
            Some(live) => live,
            None => match connect(plan.addr).await {
                Ok(fresh) => fresh,
                Err(error) => {
                    tally.error(format!("{error:#}"));
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let sender = sender.insert(live);
        let started = Instant::now();
        match post(sender, &plan).await {
            Ok(Ok(())) => {
                let done = Instant::now();
                tally.acked += 1;
                if started >= plan.measure_from {
                    let us = done.duration_since(started).as_micros();
                    tally
                        .latencies_us
                        .push(u32::try_from(us).unwrap_or(u32::MAX));
                    tally.last_finish = tally.last_finish.max(Some(done));
                }
            }
            Ok(Err(refused)) => tally.error(refused),
            Err(error) => {
                tally.error(format!("{error:#}"));
                *sender = match connect(plan.addr).await {
                    Ok(fresh) => fresh,
                    Err(_) => continue,
                };
            }
        }
    }
    tally
}

/// Posts one response: `Ok(Ok(()))` when acknowledged, `Ok(Err(why))` when the server
/// answered otherwise, `Err` when the connection failed.
async fn post(
    sender: &mut SendRequest<Full<Bytes>>,
    plan: &Plan,
) -> Result<std::result::Result<(), String>> {
    sender.ready().await?;
    let request = Request::post(plan.path.as_str())
        .header(header::HOST, plan.addr.to_string())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("{CSRF_COOKIE}={}", plan.form.csrf))
        .body(Full::new(Bytes::from(plan.form.body())))?;
    let response = sender.send_request(request).await?;
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    // Read the whole body, so the connection can carry the next request.
    let body = response.into_body().collect().await?.to_bytes();
    let acknowledged = status == StatusCode::SEE_OTHER
        && location
            .as_deref()
            .is_some_and(|l| l == THANKS_PATH || l.starts_with(&format!("{THANKS_PATH}?")));
    if acknowledged {
        return Ok(Ok(()));
    }
    let snippet: String = String::from_utf8_lossy(&body).chars().take(200).collect();
    Ok(Err(format!(
        "{status} (Location: {}) {snippet}",
        location.as_deref().unwrap_or("none")
    )))
}

/// Creates and drops the bench databases on PostgreSQL.
struct PgAdmin {
    url: url::Url,
    pool: sqlx::PgPool,
}

impl PgAdmin {
    async fn connect(admin_url: &str) -> Result<Self> {
        let url = url::Url::parse(admin_url).context("--pg-url is not a URL")?;
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(5))
            .connect(admin_url)
            .await
            .context("cannot connect to PostgreSQL (is it running?)")?;
        Ok(Self { url, pool })
    }

    /// Creates a fresh database and answers its URL.
    async fn create(&self, name: &str) -> Result<String> {
        self.drop(name).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&self.pool)
            .await
            .with_context(|| format!("cannot create the database {name}"))?;
        let mut url = self.url.clone();
        url.set_path(&format!("/{name}"));
        Ok(url.to_string())
    }

    async fn drop(&self, name: &str) -> Result<()> {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

fn print_machine(cli: &Cli, work: &Path) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown", |(_, model)| model.trim());
    println!("Machine: {cpus} CPUs (nproc), {model}");
    let fs = filesystem(work).unwrap_or_else(|| "unknown".to_owned());
    println!("SQLite files in {} (file system: {fs})", work.display());
    if fs == "tmpfs" || fs == "ramfs" {
        println!("WARNING: {fs} does not flush to disk; SQLite figures will not be durable ones.");
    }
    println!(
        "{} clients, {} s warm-up, {} s measured per server",
        cli.clients, cli.warmup, cli.seconds
    );
    println!();
}

/// The type of the file system holding `path` (the longest matching mount point).
fn filesystem(path: &Path) -> Option<String> {
    let path = path.canonicalize().ok()?;
    let mounts = std::fs::read_to_string("/proc/mounts").ok()?;
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let _device = fields.next()?;
            let point = fields.next()?;
            let kind = fields.next()?;
            path.starts_with(point)
                .then(|| (point.len(), kind.to_owned()))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, kind)| kind)
}

/// Prints the table and verdicts; answers whether any run was flawed.
fn report(results: &[(Backend, Pair)], failures: &[(Backend, String)]) -> bool {
    println!("| backend | server | responses/s | p50 ms | p99 ms | peak RSS MB | errors |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for (backend, pair) in results {
        for m in [&pair.sharek, &pair.baseline] {
            println!(
                "| {} | {} | {} | {:.1} | {:.1} | {:.1} | {} |",
                backend.name(),
                m.server,
                thousands(m.rate),
                m.p50_ms,
                m.p99_ms,
                m.peak_rss_mb,
                m.errors
            );
        }
    }
    println!();
    let mut flawed = !failures.is_empty();
    for (backend, pair) in results {
        let (s, b) = (&pair.sharek, &pair.baseline);
        let ratio = if b.rate > 0.0 { s.rate / b.rate } else { 0.0 };
        let mark = |ok: bool| if ok { "yes" } else { "NO" };
        let note = match backend {
            Backend::Sqlite => "",
            Backend::Postgres => " (the targets are SQLite's; shown for information)",
        };
        println!(
            "{}: sharek/baseline = {ratio:.2}×; ≥ {} responses/s: {}; ≥ {TARGET_RATIO}× baseline: {}; p99 ≤ {TARGET_P99_MS} ms: {}{note}",
            backend.name(),
            thousands(TARGET_RATE),
            mark(s.rate >= TARGET_RATE),
            mark(ratio >= TARGET_RATIO),
            mark(s.p99_ms <= TARGET_P99_MS),
        );
        for m in [s, b] {
            if m.rows != i64::try_from(m.acked).unwrap_or(i64::MAX) {
                println!(
                    "!! {} {}: {} responses acknowledged but {} rows stored{}",
                    backend.name(),
                    m.server,
                    m.acked,
                    m.rows,
                    if m.rows > 0 && m.errors > 0 {
                        " (requests that failed on the client's side may still have been stored)"
                    } else {
                        ""
                    }
                );
            } else {
                println!(
                    "{} {}: durable check passed ({} acknowledged = {} rows)",
                    backend.name(),
                    m.server,
                    m.acked,
                    m.rows
                );
            }
            if m.errors > 0 {
                println!(
                    "!! {} {}: {} errors; first: {}",
                    backend.name(),
                    m.server,
                    m.errors,
                    m.first_error.as_deref().unwrap_or("?")
                );
            }
            flawed |= !m.clean();
        }
    }
    for (backend, error) in failures {
        println!("!! {}: not measured: {error}", backend.name());
    }
    if flawed {
        println!("\nFLAGGED: this run had errors or lost acknowledged responses.");
    }
    flawed
}

/// 12345.6 → "12,346".
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The minimal server the bench compares Sharek with: one row per request, in its own
/// transaction, with Sharek's connection settings (so the same durability).
mod baseline {
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
            sqlite::{
                SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
            },
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
}
