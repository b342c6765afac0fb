//! The load generator: `--clients` keep-alive connections posting complete responses as fast
//! as they can, a warm-up, then the measured seconds; only a `303` to the thank-you page counts
//! as acknowledged, and the latencies of those begun after the warm-up are kept.

use std::{
    net::SocketAddr,
    process::Stdio,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, Result};
use http_body_util::{BodyExt, Full};
use hyper::{Request, StatusCode, body::Bytes, client::conn::http1::SendRequest, header};
use uuid::Uuid;

use super::servers::{ServerProcess, connect, count_rows, free_port};
use super::{CSRF_COOKIE, Cli, Measured, THANKS_PATH};

/// The request body of a complete response, minus its fresh submission id.
#[derive(Debug, Clone)]
pub struct Form {
    /// `csrf=…&page=0&…&q.q6=…`
    tail: String,
    csrf: String,
}

impl Form {
    pub fn new() -> Self {
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
pub async fn measure(
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
