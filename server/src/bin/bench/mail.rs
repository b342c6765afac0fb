//! `sharek-bench mail` (also the end of `sharek-bench impact`): the notification sender's
//! throughput to a local SMTP server (issue 17).
//!
//! It starts Debian's aiosmtpd on a free port (`python3 -m aiosmtpd -n -c
//! aiosmtpd.handlers.Sink`: it accepts every message and keeps none), then for each backend
//! queues `--messages` notifications (2,000 by default; Arabic and English, with a one-click
//! unsubscribe address) in a fresh database with `outbox::enqueue_stoppable`, and times the
//! server's own sender (`server::mail::deliver`, called again until the outbox is empty) from
//! the first claim to the last message marked sent. Each message must then be marked sent once.
//! Target: at least 200 messages per second.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use app::store::{Db, outbox};

use super::Backend;
use super::servers::{PgAdmin, ServerProcess, free_port};

const TARGET_PER_S: f64 = 200.0;

/// What the sender did on one backend.
pub struct Throughput {
    pub backend: Backend,
    pub messages: u64,
    pub seconds: f64,
}

impl Throughput {
    fn per_s(&self) -> f64 {
        self.messages as f64 / self.seconds.max(1e-9)
    }
}

/// Starts aiosmtpd on a free port and waits until it accepts connections.
async fn smtp_server() -> Result<(SocketAddr, ServerProcess)> {
    let addr = free_port()?;
    let child = std::process::Command::new("/usr/bin/python3")
        .args(["-m", "aiosmtpd", "-n", "-l", &addr.to_string()])
        .args(["-c", "aiosmtpd.handlers.Sink"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .context("cannot start aiosmtpd (apt-get install python3-aiosmtpd)")?;
    let mut process = ServerProcess { child };
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        if let Some(status) = process.child.try_wait()? {
            bail!("aiosmtpd exited before it listened ({status})");
        }
        if Instant::now() > deadline {
            bail!("aiosmtpd did not listen on {addr} within 20 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok((addr, process))
}

async fn count_sent(db: &Db) -> Result<i64> {
    let (n,): (i64,) = app::on_db!(db, |pool| {
        sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")
            .fetch_one(pool)
            .await
    })?;
    Ok(n)
}

async fn measure(backend: Backend, url: &str, n: u64, smtp: SocketAddr) -> Result<Throughput> {
    let db = server::connect(url).await?;
    eprintln!("{}: queueing {n} messages", backend.name());
    let now = chrono::Utc::now();
    for i in 0..n {
        let body = format!(
            "مرحباً،\nنُشرت نتائج الاستشارة التي شاركت فيها: https://sharek.example/ar/outcomes/{i}\n\n\
             Hello,\nThe results of the consultation you took part in are out: \
             https://sharek.example/en/outcomes/{i}\n"
        );
        let stop = format!("https://sharek.example/unsubscribe/{i:08x}");
        outbox::enqueue_stoppable(
            &db,
            &format!("participant{i}@bench.example"),
            "نتائج الاستشارة / Consultation results",
            &body,
            Some(&stop),
            now,
        )
        .await?;
    }
    let smtp_url = url::Url::parse(&format!("smtp://{smtp}"))?;
    let mailer = server::mail::Mailer::new(&smtp_url, "Sharek <no-reply@bench.example>")?;
    let lease = Duration::from_secs(300);
    let began = Instant::now();
    let mut sent = 0u64;
    while sent < n {
        let now_sent = server::mail::deliver(&db, &mailer, lease).await?;
        if now_sent == 0 {
            bail!("the sender stopped after {sent} of {n} messages");
        }
        sent += now_sent as u64;
    }
    let seconds = began.elapsed().as_secs_f64();
    let marked = count_sent(&db).await?;
    if sent != n || marked != i64::try_from(n)? {
        bail!("{n} messages queued, {sent} sent, {marked} marked sent");
    }
    db.close().await;
    eprintln!("  sent {n} in {seconds:.2} s ({:.0}/s)", n as f64 / seconds);
    Ok(Throughput {
        backend,
        messages: n,
        seconds,
    })
}

/// Measures the sender on each backend against one aiosmtpd.
pub async fn run(
    backends: &[Backend],
    n: u64,
    pg_url: &str,
    work: &Path,
) -> Result<Vec<Throughput>> {
    let (smtp, server) = smtp_server().await?;
    let mut figures = Vec::new();
    for &backend in backends {
        let measured = match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", work.join("mail.db").display());
                measure(backend, &url, n, smtp).await
            }
            Backend::Postgres => {
                let name = format!("sharek_mail_{}", std::process::id());
                let admin = PgAdmin::connect(pg_url).await?;
                let outcome = async {
                    let url = admin.create(&name).await?;
                    measure(backend, &url, n, smtp).await
                }
                .await;
                if let Err(error) = admin.drop(&name).await {
                    eprintln!("could not drop the database {name}: {error:#}");
                }
                outcome
            }
        };
        match measured {
            Ok(f) => figures.push(f),
            Err(error) => eprintln!("{} mail failed: {error:#}", backend.name()),
        }
    }
    // Killed: it keeps nothing to flush.
    drop(server);
    Ok(figures)
}

/// Prints the table with the target; answers whether it holds on every backend measured.
pub fn report(figures: &[Throughput]) -> bool {
    println!("| backend | messages | seconds | messages/s |");
    println!("|---|---:|---:|---:|");
    let mut held = !figures.is_empty();
    for f in figures {
        held &= f.per_s() >= TARGET_PER_S;
        println!(
            "| {} | {} | {:.2} | {:.0} |",
            f.backend.name(),
            f.messages,
            f.seconds,
            f.per_s()
        );
    }
    println!(
        "Target (the sender, ≥ {TARGET_PER_S} messages/s to a local SMTP server): {}",
        if held { "held" } else { "NOT held" }
    );
    held
}
