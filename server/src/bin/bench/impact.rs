//! `sharek-bench impact`: the quarterly impact-review report at scale (issue 17).
//!
//! For each backend it fills a fresh database through the other benches' own loaders, spread
//! evenly over the last complete quarter (UAE days) before today:
//! - `--responses` responses (1,000,000 by default) to the results bench's 20-question survey,
//!   stored through the write path and folded (`results::fill_and_fold`);
//! - `--feedback` feedback cases (100,000) over states, teams, topics and channels
//!   (`feedback::fill`);
//! - a consultation with `--comments` comments (100,000; one in ten also has two replies, one
//!   in fifty is hidden: `comments::fill`).
//!
//! Then it runs the release `sharek report impact --lang ar` over that quarter as a child
//! process, `--runs` times (3) per format: HTML, then PDF, which sharek prints with headless
//! Chromium (its own processes, whose time counts in the PDF's). Each run is timed from start
//! to exit, and sharek's peak RSS (`VmHWM`) is read every 10 ms until it exits (the last value
//! read is kept). Reported per format: the median and slowest time, sharek's peak RSS (the
//! largest of the runs) and the file's size. Targets: HTML < 5 s, PDF < 15 s, RSS < 300 MB.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use app::reports::{Period, Preset};
use app::store::Db;

use super::servers::PgAdmin;
use super::{Backend, comments, feedback, results};

/// Targets of issue 17's benchmark.
const TARGET_HTML_S: f64 = 5.0;
const TARGET_PDF_S: f64 = 15.0;
const TARGET_RSS_MB: f64 = 300.0;

/// How much to fill the database with.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub responses: u64,
    pub feedback: u64,
    pub comments: u64,
    pub runs: usize,
}

/// One format's runs.
pub struct Runs {
    pub format: &'static str,
    /// Wall time of each run, in seconds.
    pub seconds: Vec<f64>,
    /// sharek's peak RSS, the largest of the runs, in MB.
    pub peak_rss_mb: f64,
    pub bytes: u64,
}

impl Runs {
    fn median(&self) -> f64 {
        let mut sorted = self.seconds.clone();
        sorted.sort_by(f64::total_cmp);
        sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
    }

    fn max(&self) -> f64 {
        self.seconds.iter().copied().fold(0.0, f64::max)
    }
}

/// What one backend measured.
pub struct Figures {
    pub backend: Backend,
    pub period: Period,
    /// Rows in the quarter: responses, feedback cases, comments (replies included).
    pub rows: (i64, i64, i64),
    pub html: Runs,
    pub pdf: Runs,
}

/// The last complete quarter before today (UAE days), as the report page offers it.
pub fn quarter() -> Period {
    let today = app::dates::in_uae(chrono::Utc::now()).date_naive();
    Preset::Quarter.before(today)
}

/// Fills `db` over `period`; answers the rows in it the report counts.
async fn fill(db: &Db, backend: Backend, sizes: Sizes, period: Period) -> Result<(i64, i64, i64)> {
    let (from, to) = period.bounds();
    results::fill_and_fold(db, backend, sizes.responses, from, to - from).await?;
    // Feedback and comments end a minute before the quarter does (the consultation must be
    // created in it) and start a minute after it began.
    let last = to - chrono::Duration::minutes(1);
    let span = to - from - chrono::Duration::minutes(2);
    eprintln!("  writing {} feedback cases", sizes.feedback);
    let team = feedback::team(db, last).await?;
    feedback::fill(db, sizes.feedback, team, last, span).await?;
    eprintln!("  writing {} comments", sizes.comments);
    comments::fill(db, sizes.comments, last, span).await?;
    if let Db::Postgres(pool) = db {
        sqlx::query("VACUUM ANALYZE").execute(pool).await?;
    }
    let count = |table: &'static str, column: &'static str| async move {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE {column} >= $1 AND {column} < $2");
        let (n,): (i64,) = app::on_db!(db, |pool| {
            sqlx::query_as(&sql)
                .bind(from)
                .bind(to)
                .fetch_one(pool)
                .await
        })?;
        anyhow::Ok(n)
    };
    Ok((
        count("responses", "submitted_at").await?,
        count("feedback_cases", "received_at").await?,
        count("comments", "created_at").await?,
    ))
}

/// One `sharek report impact` run: its wall time in seconds and sharek's peak RSS in KiB.
async fn run_once(
    sharek: &Path,
    url: &str,
    period: Period,
    format: &str,
    out: &Path,
) -> Result<(f64, u64)> {
    let began = Instant::now();
    let mut child = std::process::Command::new(sharek)
        .args(["report", "impact", "--database-url", url, "--lang", "ar"])
        .args([
            "--from",
            &period.from.to_string(),
            "--to",
            &period.to.to_string(),
        ])
        .args(["--format", format, "--out"])
        .arg(out)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .context("cannot start sharek report impact")?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let status = loop {
        // Read before asking whether it exited: once reaped, its /proc entry is gone.
        if let Some(kb) = std::fs::read_to_string(&status_path)
            .ok()
            .as_deref()
            .and_then(vm_hwm_kb)
        {
            peak_kb = kb;
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let took = began.elapsed().as_secs_f64();
    if !status.success() {
        bail!("sharek report impact --format {format} exited with {status}");
    }
    Ok((took, peak_kb))
}

/// `VmHWM` from a `/proc/<pid>/status`, in KiB.
fn vm_hwm_kb(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// `runs` reports of `format`, each checked to be one.
async fn time_format(
    sharek: &Path,
    url: &str,
    period: Period,
    format: &'static str,
    runs: usize,
    work: &Path,
) -> Result<Runs> {
    let out = work.join(format!("impact.{format}"));
    let mut figures = Runs {
        format,
        seconds: Vec::new(),
        peak_rss_mb: 0.0,
        bytes: 0,
    };
    for run in 1..=runs {
        let _ = std::fs::remove_file(&out);
        let (took, peak_kb) = run_once(sharek, url, period, format, &out).await?;
        let bytes = std::fs::read(&out).with_context(|| format!("no {}", out.display()))?;
        let end = bytes.trim_ascii_end();
        let whole = match format {
            "pdf" => bytes.starts_with(b"%PDF") && end.ends_with(b"%%EOF"),
            _ => end.ends_with(b"</html>"),
        };
        if !whole {
            bail!("the {format} report is not a whole {format} file");
        }
        eprintln!(
            "  {format} run {run}: {took:.2} s, peak RSS {:.1} MB, {} bytes",
            peak_kb as f64 / 1024.0,
            bytes.len()
        );
        figures.seconds.push(took);
        figures.peak_rss_mb = figures.peak_rss_mb.max(peak_kb as f64 / 1024.0);
        figures.bytes = bytes.len() as u64;
    }
    Ok(figures)
}

async fn measure(
    backend: Backend,
    url: &str,
    sizes: Sizes,
    sharek: &Path,
    work: &Path,
) -> Result<Figures> {
    let period = quarter();
    let db = server::connect(url).await?;
    let rows = fill(&db, backend, sizes, period).await?;
    db.close().await;
    eprintln!(
        "{}: the report over {} – {}",
        backend.name(),
        period.from,
        period.to
    );
    let html = time_format(sharek, url, period, "html", sizes.runs, work).await?;
    let pdf = time_format(sharek, url, period, "pdf", sizes.runs, work).await?;
    Ok(Figures {
        backend,
        period,
        rows,
        html,
        pdf,
    })
}

/// Runs the impact bench on one backend.
pub async fn run(
    backend: Backend,
    sizes: Sizes,
    pg_url: &str,
    sharek: &Path,
    work: &Path,
) -> Result<Figures> {
    match backend {
        Backend::Sqlite => {
            let url = format!("sqlite://{}", work.join("impact.db").display());
            measure(backend, &url, sizes, sharek, work).await
        }
        Backend::Postgres => {
            let name = format!("sharek_impact_{}", std::process::id());
            let admin = PgAdmin::connect(pg_url).await?;
            let outcome = async {
                let url = admin.create(&name).await?;
                measure(backend, &url, sizes, sharek, work).await
            }
            .await;
            if let Err(error) = admin.drop(&name).await {
                eprintln!("could not drop the database {name}: {error:#}");
            }
            outcome
        }
    }
}

/// Prints the figures as a Markdown table with the targets; answers whether they hold.
pub fn report(figures: &[Figures]) -> bool {
    for f in figures {
        println!(
            "{}: quarter {} – {} holding {} responses, {} feedback cases, {} comments (replies included)",
            f.backend.name(),
            f.period.from,
            f.period.to,
            f.rows.0,
            f.rows.1,
            f.rows.2
        );
    }
    println!("| backend | format | runs | median s | max s | sharek peak RSS MB | file KB |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    let mut held = true;
    for f in figures {
        for (runs, target) in [(&f.html, TARGET_HTML_S), (&f.pdf, TARGET_PDF_S)] {
            held &= runs.max() < target && runs.peak_rss_mb < TARGET_RSS_MB;
            println!(
                "| {} | {} | {} | {:.2} | {:.2} | {:.1} | {:.1} |",
                f.backend.name(),
                runs.format,
                runs.seconds.len(),
                runs.median(),
                runs.max(),
                runs.peak_rss_mb,
                runs.bytes as f64 / 1024.0
            );
        }
    }
    println!(
        "Targets (every run: HTML < {TARGET_HTML_S} s, PDF < {TARGET_PDF_S} s with Chromium, sharek's peak RSS < {TARGET_RSS_MB} MB): {}",
        if held { "held" } else { "NOT held" }
    );
    held
}
