//! `sharek-bench results`: results at scale (issue 6).
//!
//! For each backend it fills a fresh database with one open survey of 20 questions of mixed
//! types and `--responses` generated responses (1,000,000 by default), stored through the
//! real write path (`responses::db::store`, which keeps the running counts in the same
//! transaction), then starts the release `sharek` server and measures over HTTP:
//! - the staff dashboard page (`/en/staff/surveys/{id}/results`, every question's summary and
//!   chart, representativeness, trends): median and slowest of 10 after one warm-up;
//! - one crosstab of two questions (`/api/v1/surveys/{id}/results/crosstab`), median of 3;
//! - the CSV export, streamed whole, twice: without compression and with the `Accept-Encoding`
//!   Chromium sends (decoded as it arrives): rows per second and bytes on the wire each, and
//!   the server's peak RSS (`VmHWM`).
//!
//! In the same run, the naive way: one `GROUP BY` per question over the raw answers' JSON
//! (`json_extract` on SQLite, `jsonb` on PostgreSQL), and a naive crosstab over two of them.
//!
//! The data it fills the database with is in `results/data.rs`, its HTTP client in
//! `results/client.rs`.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use app::store::Db;
use chrono::{DateTime, Utc};
use hyper::StatusCode;
use uuid::Uuid;

use super::Backend;
use super::servers::{PgAdmin, ServerProcess, free_port};

#[path = "results/client.rs"]
mod client;
#[path = "results/data.rs"]
mod data;

use client::{BROWSER_ENCODINGS, Download, get, get_lines};
use data::fill;

/// What one backend measured.
pub struct Figures {
    pub backend: Backend,
    pub responses: u64,
    pub load_rate: f64,
    pub dashboard_ms: (f64, f64),
    pub fold_rate: f64,
    pub crosstab_ms: f64,
    pub filtered_crosstab_ms: f64,
    pub csv_rows_per_s: f64,
    /// The same export asked for as a browser does (`Accept-Encoding: gzip, deflate, br,
    /// zstd`), decoded as it arrives.
    pub csv_compressed_rows_per_s: f64,
    pub csv_mb: f64,
    pub csv_compressed_mb: f64,
    pub csv_encoding: String,
    pub csv_rows: u64,
    pub peak_rss_mb: f64,
    pub naive_dashboard_ms: f64,
    pub naive_crosstab_ms: f64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(0.0)
}

/// The naive way: one GROUP BY per question over the raw JSON, and a crosstab of two.
async fn naive(db: &Db, survey: Uuid) -> Result<(f64, f64)> {
    let (extract, pair) = match db {
        Db::Sqlite(_) => (
            "SELECT json_extract(answers, '$.{q}'), COUNT(*) FROM responses WHERE survey_id = $1 GROUP BY 1",
            "SELECT json_extract(answers, '$.q1.value.key'), json_extract(answers, '$.q2.value.key'), COUNT(*) \
             FROM responses WHERE survey_id = $1 GROUP BY 1, 2",
        ),
        Db::Postgres(_) => (
            "SELECT CAST(answers AS jsonb) -> '{q}', COUNT(*) FROM responses WHERE survey_id = $1 GROUP BY 1",
            "SELECT CAST(answers AS jsonb) #>> '{{q1,value,key}}', CAST(answers AS jsonb) #>> '{{q2,value,key}}', COUNT(*) \
             FROM responses WHERE survey_id = $1 GROUP BY 1, 2",
        ),
    };
    let began = Instant::now();
    for i in 1..=20 {
        let sql = extract.replace("{q}", &format!("q{i}"));
        let rows = match db {
            Db::Sqlite(pool) => sqlx::query(&sql).bind(survey).fetch_all(pool).await?.len(),
            Db::Postgres(pool) => sqlx::query(&sql).bind(survey).fetch_all(pool).await?.len(),
        };
        if rows == 0 {
            bail!("the naive GROUP BY found nothing for q{i}");
        }
    }
    let dashboard = ms(began.elapsed());
    let pair = pair.replace("{{", "{").replace("}}", "}");
    let began = Instant::now();
    match db {
        Db::Sqlite(pool) => sqlx::query(&pair).bind(survey).fetch_all(pool).await?.len(),
        Db::Postgres(pool) => sqlx::query(&pair).bind(survey).fetch_all(pool).await?.len(),
    };
    Ok((dashboard, ms(began.elapsed())))
}

/// Fills a database at `url` (or, with `fill` false, finds the survey an earlier run left
/// there), then measures the server `sharek` over it.
async fn measure(
    backend: Backend,
    url: &str,
    n: u64,
    sharek: &Path,
    site: &Path,
    fill_it: bool,
) -> Result<Figures> {
    let db = server::connect(url).await?;
    let (survey, n, load_rate, fold_rate) = if fill_it {
        // Submitted over the last 30 days.
        let days = chrono::Duration::days(30);
        fill_and_fold(&db, backend, n, Utc::now() - days, days).await?
    } else {
        find_and_fold(&db).await?
    };
    // A new analyst each run, so a database is measured again without clashing.
    let email = format!("analyst-{}@bench.example", Uuid::new_v4().simple());
    let analyst = server::testing::staff_user(&db, &email, &[app::accounts::Role::Analyst]).await;
    let session = server::testing::session_for(&db, analyst, Utc::now(), Utc::now()).await;
    let token = server::testing::api_token_for(&db, analyst, None).await;
    let (addr, mut process) = start_server(url, sharek, site).await?;
    let cookie = format!("sharek_session={session}");
    let dashboard_ms = time_dashboard(addr, survey, &cookie).await?;
    let bearer = format!("Bearer {token}");
    let crosstab = format!("/api/v1/surveys/{survey}/results/crosstab?rows=q1&columns=q3");
    let crosstabs = time_crosstab(addr, &crosstab, &bearer, "the crosstab").await?;
    // The same under a group filter: counted over the coded rows.
    let filtered = format!("{crosstab}&group=citizen");
    let filtered_crosstabs =
        time_crosstab(addr, &filtered, &bearer, "the filtered crosstab").await?;
    let [plain, browser] = download_csv(addr, survey, &cookie, n).await?;
    let csv_rows = plain.lines.saturating_sub(1);
    let peak_rss_mb = process.peak_rss_kb()? as f64 / 1024.0;
    process.stop().await?;
    let (naive_dashboard_ms, naive_crosstab_ms) = if fill_it {
        naive(&db, survey).await?
    } else {
        (0.0, 0.0)
    };
    db.close().await;
    Ok(Figures {
        backend,
        responses: n,
        load_rate,
        dashboard_ms,
        fold_rate,
        crosstab_ms: median(crosstabs),
        filtered_crosstab_ms: median(filtered_crosstabs),
        csv_rows_per_s: csv_rows as f64 / plain.took.as_secs_f64(),
        csv_compressed_rows_per_s: csv_rows as f64 / browser.took.as_secs_f64(),
        csv_mb: plain.wire_bytes as f64 / 1e6,
        csv_compressed_mb: browser.wire_bytes as f64 / 1e6,
        csv_encoding: browser.encoding,
        csv_rows,
        peak_rss_mb,
        naive_dashboard_ms,
        naive_crosstab_ms,
    })
}

/// Stores `n` responses submitted over `span` from `start` through the write path, then folds
/// them all at once (what the server's folder does every two seconds); answers the survey,
/// `n`, and both rates.
pub(super) async fn fill_and_fold(
    db: &Db,
    backend: Backend,
    n: u64,
    start: DateTime<Utc>,
    span: chrono::Duration,
) -> Result<(Uuid, u64, f64, f64)> {
    eprintln!(
        "{}: storing {n} responses through the write path",
        backend.name()
    );
    let (survey, load_rate) = fill(db, n, start, span).await?;
    // What the server's folder does every two seconds, all at once after the bulk load.
    let began = Instant::now();
    let folded = app::results::build::fold_all(db).await?;
    if folded != n {
        bail!("folded {folded} responses, not {n}");
    }
    let fold_rate = n as f64 / began.elapsed().as_secs_f64();
    eprintln!("  folded {n} responses into the crosstab counts ({fold_rate:.0}/s)");
    Ok((survey, n, load_rate, fold_rate))
}

/// Finds the survey an earlier run left and folds what is still waiting; answers the survey,
/// its number of responses, no load rate, and the fold rate.
async fn find_and_fold(db: &Db) -> Result<(Uuid, u64, f64, f64)> {
    let found = app::surveys::db::list(db).await?;
    let Some(survey) = found.first().map(|s| s.id) else {
        bail!("no survey in the database to measure");
    };
    let n = app::responses::db::count(db, survey).await? as u64;
    let began = Instant::now();
    let folded = app::results::build::fold_all(db).await?;
    let fold_rate = folded as f64 / began.elapsed().as_secs_f64();
    eprintln!("  folded {folded} waiting responses ({fold_rate:.0}/s)");
    Ok((survey, n, 0.0, fold_rate))
}

/// Starts the release server over `url` on a free port and waits until it is healthy.
async fn start_server(
    url: &str,
    sharek: &Path,
    site: &Path,
) -> Result<(SocketAddr, ServerProcess)> {
    let addr = free_port()?;
    let mut command = std::process::Command::new(sharek);
    command
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("SHAREK_ADDR", addr.to_string())
        .env("SHAREK_BASE_URL", format!("http://{addr}"))
        .env("SHAREK_SITE_ROOT", site)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit());
    let mut process = ServerProcess {
        child: command.spawn().context("cannot start the server")?,
    };
    process.wait_healthy(addr).await?;
    Ok((addr, process))
}

/// The staff dashboard, one warm-up then ten times: the median and the slowest, in ms.
async fn time_dashboard(addr: SocketAddr, survey: Uuid, cookie: &str) -> Result<(f64, f64)> {
    let page = format!("/en/staff/surveys/{survey}/results");
    let mut times = Vec::new();
    for round in 0..11 {
        let (status, body, took) = get(addr, &page, ("cookie", cookie)).await?;
        if status != StatusCode::OK || !body.windows(10).any(|w| w == b"<svg width") {
            bail!("the dashboard answered {status} without charts");
        }
        if round > 0 {
            times.push(ms(took));
        }
    }
    Ok((
        median(times.clone()),
        times.iter().copied().fold(0.0, f64::max),
    ))
}

/// A crosstab asked for three times with the API token; its times in ms. `what` names it in
/// the error.
async fn time_crosstab(addr: SocketAddr, path: &str, bearer: &str, what: &str) -> Result<Vec<f64>> {
    let mut times = Vec::new();
    for _ in 0..3 {
        let (status, _, took) = get(addr, path, ("authorization", bearer)).await?;
        if status != StatusCode::OK {
            bail!("{what} answered {status}");
        }
        times.push(ms(took));
    }
    Ok(times)
}

/// The CSV export twice: without compression, then with what a browser asks for; each must
/// hold the `n` responses.
async fn download_csv(
    addr: SocketAddr,
    survey: Uuid,
    cookie: &str,
    n: u64,
) -> Result<[Download; 2]> {
    let export = format!("/en/staff/surveys/{survey}/results/export.csv");
    let mut downloads = Vec::new();
    for accept in [None, Some(BROWSER_ENCODINGS)] {
        let download = get_lines(addr, &export, ("cookie", cookie), accept).await?;
        if download.status != StatusCode::OK {
            bail!("the CSV export answered {}", download.status);
        }
        let rows = download.lines.saturating_sub(1);
        if rows != n {
            bail!("the CSV export ({accept:?}) has {rows} rows, not {n}");
        }
        downloads.push(download);
    }
    <[Download; 2]>::try_from(downloads).map_err(|_| anyhow::anyhow!("two downloads"))
}

/// Runs the results bench on one backend.
pub async fn run(
    backend: Backend,
    n: u64,
    pg_url: &str,
    sharek: &Path,
    work: &Path,
) -> Result<Figures> {
    let site = work.join("site");
    std::fs::create_dir_all(&site)?;
    match backend {
        Backend::Sqlite => {
            let url = format!("sqlite://{}", work.join("results.db").display());
            measure(backend, &url, n, sharek, &site, true).await
        }
        Backend::Postgres => {
            let name = format!("sharek_results_{}", std::process::id());
            let admin = PgAdmin::connect(pg_url).await?;
            let outcome = async {
                let url = admin.create(&name).await?;
                measure(backend, &url, n, sharek, &site, true).await
            }
            .await;
            if let Err(error) = admin.drop(&name).await {
                eprintln!("could not drop the database {name}: {error:#}");
            }
            outcome
        }
    }
}

/// Measures the server again over a database an earlier run filled (and kept).
pub async fn remeasure(backend: Backend, url: &str, sharek: &Path, work: &Path) -> Result<Figures> {
    let site = work.join("site");
    std::fs::create_dir_all(&site)?;
    measure(backend, url, 0, sharek, &site, false).await
}

/// Prints the figures as a Markdown table, with the targets; answers whether all hold.
pub fn report(figures: &[Figures]) -> bool {
    println!(
        "| backend | responses | stored/s | folded/s | dashboard median ms | dashboard max ms | crosstab ms | crosstab by group ms | CSV rows/s | CSV rows/s as a browser asks | CSV MB plain / on the wire | server peak RSS MB | naive GROUP BY dashboard ms | naive crosstab ms |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut ok = true;
    for f in figures {
        println!(
            "| {} | {} | {:.0} | {:.0} | {:.1} | {:.1} | {:.0} | {:.0} | {:.0} | {:.0} ({}) | {:.0} / {:.0} | {:.1} | {:.0} | {:.0} |",
            f.backend.name(),
            f.responses,
            f.load_rate,
            f.fold_rate,
            f.dashboard_ms.0,
            f.dashboard_ms.1,
            f.crosstab_ms,
            f.filtered_crosstab_ms,
            f.csv_rows_per_s,
            f.csv_compressed_rows_per_s,
            f.csv_encoding,
            f.csv_mb,
            f.csv_compressed_mb,
            f.peak_rss_mb,
            f.naive_dashboard_ms,
            f.naive_crosstab_ms
        );
        let holds = f.dashboard_ms.0 <= 100.0
            && f.crosstab_ms <= 1000.0
            && f.csv_rows_per_s >= 100_000.0
            && f.peak_rss_mb <= 150.0;
        println!(
            "{}: targets (dashboard ≤ 100 ms, crosstab ≤ 1 s, CSV ≥ 100,000 rows/s uncompressed, RSS ≤ 150 MB) {}; {} CSV rows",
            f.backend.name(),
            if holds { "hold" } else { "NOT MET" },
            f.csv_rows
        );
        ok &= holds;
    }
    ok
}
