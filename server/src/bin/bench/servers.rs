//! What the bench runs against: the server subprocesses (health, peak memory, a clean stop),
//! HTTP/1.1 connections to them, free ports, the rows a run left, and the PostgreSQL databases
//! created and dropped for the run.

use std::{
    net::SocketAddr,
    process::Child,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use app::store::Db;
use http_body_util::{Empty, Full};
use hyper::{
    Request, StatusCode,
    body::Bytes,
    client::conn::http1::{self, SendRequest},
    header,
};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

pub async fn count_rows(url: &str, server: &str) -> Result<i64> {
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

pub fn free_port() -> Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?)
}

/// A server subprocess; killed if dropped while still running (e.g. on an error).
pub struct ServerProcess {
    pub child: Child,
}

impl ServerProcess {
    /// Starts the release server on `url` at `addr` with the site at `site` and these extra
    /// environment variables, and waits until it answers `/healthz`.
    pub async fn serve(
        sharek: &std::path::Path,
        url: &str,
        addr: SocketAddr,
        site: &std::path::Path,
        env: &[(&str, &str)],
    ) -> Result<Self> {
        let mut command = std::process::Command::new(sharek);
        command
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("SHAREK_ADDR", addr.to_string())
            .env("SHAREK_BASE_URL", format!("http://{addr}"))
            .env("SHAREK_SITE_ROOT", site)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit());
        let mut process = ServerProcess {
            child: command.spawn().context("cannot start the server")?,
        };
        process.wait_healthy(addr).await?;
        Ok(process)
    }

    pub async fn wait_healthy(&mut self, addr: SocketAddr) -> Result<()> {
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
    pub fn peak_rss_kb(&self) -> Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .context("cannot read the server's /proc status")?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .context("no VmHWM in the server's /proc status")
    }

    /// SIGTERM, then up to 15 s for a graceful exit, then SIGKILL.
    pub async fn stop(&mut self) -> Result<()> {
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

pub async fn connect(addr: SocketAddr) -> Result<SendRequest<Full<Bytes>>> {
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
/// One GET (with a cookie, if any) over a fresh connection; answers (status, elapsed).
pub async fn timed_get(
    addr: SocketAddr,
    path: &str,
    cookie: Option<&str>,
) -> Result<(StatusCode, Duration)> {
    use http_body_util::BodyExt;
    let mut sender = connect(addr).await?;
    let mut request = Request::get(path).header(header::HOST, addr.to_string());
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let request = request.body(Full::new(Bytes::new()))?;
    let began = Instant::now();
    let response = sender.send_request(request).await?;
    let status = response.status();
    response.into_body().collect().await?;
    Ok((status, began.elapsed()))
}

/// A duration in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `q` quantile (nearest rank) of sorted milliseconds; 0 when there are none.
pub fn percentile(sorted_ms: &[f64], q: f64) -> f64 {
    if sorted_ms.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted_ms.len() as f64).ceil() as usize;
    sorted_ms[rank.clamp(1, sorted_ms.len()) - 1]
}

/// Creates and drops the bench databases on PostgreSQL.
pub struct PgAdmin {
    url: url::Url,
    pool: sqlx::PgPool,
}

impl PgAdmin {
    pub async fn connect(admin_url: &str) -> Result<Self> {
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
    pub async fn create(&self, name: &str) -> Result<String> {
        self.drop(name).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&self.pool)
            .await
            .with_context(|| format!("cannot create the database {name}"))?;
        let mut url = self.url.clone();
        url.set_path(&format!("/{name}"));
        Ok(url.to_string())
    }

    pub async fn drop(&self, name: &str) -> Result<()> {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
