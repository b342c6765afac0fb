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

//!
//! The parts: the load generator (`bench/load.rs`), the server processes and the PostgreSQL
//! databases under test (`bench/servers.rs`), the baseline server (`bench/baseline.rs`), the
//! report (`bench/report.rs`), the results bench (`bench/results.rs`), the feedback bench
//! (`bench/feedback.rs`), the comments bench (`bench/comments.rs`), the impact-report bench
//! (`bench/impact.rs`) and the notification sender's bench (`bench/mail.rs`).

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

#[path = "bench/baseline.rs"]
mod baseline;
#[path = "bench/comments.rs"]
mod comments;
#[path = "bench/feedback.rs"]
mod feedback;
#[path = "bench/impact.rs"]
mod impact;
#[path = "bench/load.rs"]
mod load;
#[path = "bench/mail.rs"]
mod mail;
#[path = "bench/report.rs"]
mod report;
#[path = "bench/results.rs"]
mod results;
#[path = "bench/servers.rs"]
mod servers;

use load::{Form, measure};
use report::{print_host, print_machine, report};
use servers::PgAdmin;

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
    /// Feedback at scale (issue 16): the staff case list over `--cases` cases, and intake over
    /// the public form and the API with `--clients` connections for `--seconds`.
    Feedback {
        /// How many cases to write before measuring the list.
        #[arg(long, default_value_t = 100_000)]
        cases: u64,
    },
    /// Comments (issue 15): screening throughput on one thread, and pages of comments over a
    /// consultation with `--comments` comments.
    Comments {
        /// How many top-level comments to write.
        #[arg(long, default_value_t = 10_000)]
        comments: u64,
    },
    /// Impact reports (issue 17): the quarterly report as HTML and PDF over a quarter's
    /// responses, feedback and comments, then the notification sender's throughput.
    Impact {
        /// How many survey responses to store in the quarter.
        #[arg(long, default_value_t = 1_000_000)]
        responses: u64,
        /// How many feedback cases to write in the quarter.
        #[arg(long, default_value_t = 100_000)]
        feedback: u64,
        /// How many comments to write in the quarter (one in ten also gets two replies).
        #[arg(long, default_value_t = 100_000)]
        comments: u64,
        /// Runs of `sharek report impact` per format.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=100))]
        runs: u64,
        /// Messages the sender delivers to a local SMTP server afterwards (0: none).
        #[arg(long, default_value_t = 2_000)]
        messages: u64,
    },
    /// The notification sender alone (issue 17): `--messages` to a local SMTP server.
    Mail {
        #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..))]
        messages: u64,
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

impl Which {
    fn backends(self) -> &'static [Backend] {
        match self {
            Which::Sqlite => &[Backend::Sqlite],
            Which::Postgres => &[Backend::Postgres],
            Which::Both => &[Backend::Sqlite, Backend::Postgres],
        }
    }
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
    if let Some(Internal::Feedback { cases }) = &cli.command {
        return feedback_bench(&cli, *cases, &sharek, &work).await;
    }
    if let Some(Internal::Comments { comments }) = &cli.command {
        return comments_bench(&cli, *comments, &sharek, &work).await;
    }
    if let Some(Internal::Impact {
        responses,
        feedback,
        comments,
        runs,
        messages,
    }) = &cli.command
    {
        let sizes = impact::Sizes {
            responses: *responses,
            feedback: *feedback,
            comments: *comments,
            runs: usize::try_from(*runs)?,
        };
        return impact_bench(&cli, Some(sizes), *messages, &sharek, &work).await;
    }
    if let Some(Internal::Mail { messages }) = &cli.command {
        return impact_bench(&cli, None, *messages, &sharek, &work).await;
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

/// `sharek-bench impact` (the reports, with `sizes`, then the sender unless `messages` is 0)
/// and `sharek-bench mail` (the sender alone): each backend in turn, then the tables.
async fn impact_bench(
    cli: &Cli,
    sizes: Option<impact::Sizes>,
    messages: u64,
    sharek: &Path,
    work: &Path,
) -> Result<ExitCode> {
    print_host(work);
    let chromium = std::process::Command::new("chromium")
        .arg("--version")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_else(|error| format!("no chromium ({error})"));
    if let Some(s) = sizes {
        println!(
            "{chromium}; {} responses, {} feedback cases, {} comments, {} runs per format",
            s.responses, s.feedback, s.comments, s.runs
        );
    }
    println!("Sender: {messages} messages to aiosmtpd (Sink) on 127.0.0.1\n");
    let backends = cli.backend.backends();
    let mut held = true;
    let mut figures = Vec::new();
    for &backend in backends {
        let Some(sizes) = sizes else { break };
        match impact::run(backend, sizes, &cli.pg_url, sharek, work).await {
            Ok(f) => figures.push(f),
            Err(error) => {
                eprintln!("{} failed: {error:#}", backend.name());
                held = false;
            }
        }
    }
    let mut sent = Vec::new();
    if messages > 0 {
        sent = mail::run(backends, messages, &cli.pg_url, work).await?;
        held &= sent.len() == backends.len();
    }
    if let Err(error) = std::fs::remove_dir_all(work) {
        eprintln!("could not remove {}: {error}", work.display());
    }
    if sizes.is_some() {
        held &= impact::report(&figures);
        println!();
    }
    if messages > 0 {
        held &= mail::report(&sent);
    }
    Ok(if held {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `sharek-bench comments`: each backend in turn, then the tables.
async fn comments_bench(cli: &Cli, n: u64, sharek: &Path, work: &Path) -> Result<ExitCode> {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "Machine: {cpus} CPUs (nproc); screening for {} s",
        cli.seconds
    );
    let screening = comments::screening(cli.seconds);
    let backends: &[Backend] = match cli.backend {
        Which::Sqlite => &[Backend::Sqlite],
        Which::Postgres => &[Backend::Postgres],
        Which::Both => &[Backend::Sqlite, Backend::Postgres],
    };
    let mut pages = Vec::new();
    let mut failed = false;
    for &backend in backends {
        match comments::run(backend, n, &cli.pg_url, sharek, work).await {
            Ok(p) => pages.push(p),
            Err(error) => {
                eprintln!("{} failed: {error:#}", backend.name());
                failed = true;
            }
        }
    }
    if let Err(error) = std::fs::remove_dir_all(work) {
        eprintln!("could not remove {}: {error}", work.display());
    }
    let held = comments::report(&screening, &pages);
    Ok(if held && !failed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn feedback_bench(cli: &Cli, cases: u64, sharek: &Path, work: &Path) -> Result<ExitCode> {
    let backends: &[Backend] = match cli.backend {
        Which::Sqlite => &[Backend::Sqlite],
        Which::Postgres => &[Backend::Postgres],
        Which::Both => &[Backend::Sqlite, Backend::Postgres],
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "Machine: {cpus} CPUs (nproc); {} clients, {} s per door",
        cli.clients, cli.seconds
    );
    let mut figures = Vec::new();
    let mut failed = false;
    for &backend in backends {
        match feedback::run(
            backend,
            cases,
            cli.clients,
            cli.seconds,
            &cli.pg_url,
            sharek,
            work,
        )
        .await
        {
            Ok(f) => figures.push(f),
            Err(error) => {
                eprintln!("{} failed: {error:#}", backend.name());
                failed = true;
            }
        }
    }
    if let Err(error) = std::fs::remove_dir_all(work) {
        eprintln!("could not remove {}: {error}", work.display());
    }
    let held = feedback::report(&figures);
    Ok(if held && !failed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

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
