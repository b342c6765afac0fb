//! Crash safety: acknowledged responses survive the real server killed in the middle of a
//! burst.

use super::*;
use crate::support::{SHAREK, url_of};

/// A running `sharek serve`, killed (if still running) when dropped, even by a failing test.
struct Sharek {
    child: std::process::Child,
    port: u16,
}

impl Drop for Sharek {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `sharek serve` on a free port, with no submission limit.
async fn start_sharek(url: &str) -> Sharek {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = std::process::Command::new(SHAREK)
        .args(["serve", "--database-url", url])
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .env("SHAREK_SUBMIT_LIMIT", "0")
        .env(
            "SHAREK_SITE_ROOT",
            std::env::temp_dir().join("sharek-no-site"),
        )
        .env_remove("SHAREK_DEMO")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start sharek");
    let sharek = Sharek { child, port };
    // A guard against a server that never starts, not a measurement.
    for _ in 0..600 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return sharek;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("sharek did not start listening");
}

/// Posts a complete response over a fresh connection with a minimal HTTP/1.1 client; returns
/// the status and `Location`, or `None` when the server is gone.
async fn raw_submit(port: u16, submission: Uuid) -> Option<(u16, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = format!(
        "submission={submission}&page=0&ch=web&stakeholder_group=citizen&q.pick=c1&action=submit"
    );
    let request = format!(
        "POST /en/s/crash HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&head);
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let location = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("location: ")
                .or_else(|| l.strip_prefix("Location: "))
        })
        .unwrap_or_default()
        .to_owned();
    Some((status, location))
}

/// What a burst of submissions got back.
#[derive(Default)]
struct Burst {
    acknowledged: Vec<Uuid>,
    /// Answers other than 303 to the thank-you page, while the server was up.
    unexpected: Vec<(u16, String)>,
}

/// Clients send submissions one after another until the server is gone; the server is killed
/// with SIGKILL once `kill_after` were acknowledged, so the burst is cut off in the middle.
async fn burst_until_killed(sharek: &mut Sharek, kill_after: usize) -> Burst {
    const CLIENTS: usize = 32;
    const MOST_EACH: usize = 100;
    let burst = Arc::new(Mutex::new(Burst::default()));
    // Rung after every answer, and when a client gives up.
    let news = Arc::new(tokio::sync::Notify::new());
    let killed = Arc::new(AtomicBool::new(false));
    let mut clients = tokio::task::JoinSet::new();
    let port = sharek.port;
    for _ in 0..CLIENTS {
        let (burst, news, killed) = (burst.clone(), news.clone(), killed.clone());
        clients.spawn(async move {
            for _ in 0..MOST_EACH {
                let submission = Uuid::new_v4();
                let Some((status, location)) = raw_submit(port, submission).await else {
                    break;
                };
                let mut got = burst.lock().expect("burst");
                if status == 303 && location == "/en/s/crash/thanks" {
                    got.acknowledged.push(submission);
                } else if !killed.load(Ordering::SeqCst) {
                    got.unexpected.push((status, location));
                }
                drop(got);
                news.notify_one();
            }
            news.notify_one();
        });
    }
    while burst.lock().expect("burst").acknowledged.len() < kill_after && !clients.is_empty() {
        tokio::select! {
            () = news.notified() => {}
            Some(done) = clients.join_next() => done.expect("a client"),
        }
    }
    killed.store(true, Ordering::SeqCst);
    sharek.child.kill().expect("SIGKILL the server");
    let status = sharek.child.wait().expect("the server stops");
    assert!(
        !status.success(),
        "the server was killed, not stopped: {status}"
    );
    while let Some(done) = clients.join_next().await {
        done.expect("a client");
    }
    Arc::try_unwrap(burst)
        .ok()
        .expect("clients are done")
        .into_inner()
        .expect("burst")
}

/// A 303 to the thank-you page is a promise: SIGKILL (a process crash; power loss is out of
/// reach of a test) in the middle of a burst loses none of the acknowledged responses. Runs on
/// both backends: the server is started on the test's own database.
async fn acknowledged_responses_survive_a_crash(db: Db) {
    let id = make_survey(&db, one_page(), "crash").await;
    let url = url_of(&db);
    db.close().await;
    let mut sharek = start_sharek(&url).await;
    let burst = burst_until_killed(&mut sharek, 250).await;
    assert!(burst.unexpected.is_empty(), "{:?}", burst.unexpected);
    assert!(
        burst.acknowledged.len() >= 250,
        "{} acknowledged",
        burst.acknowledged.len()
    );

    // Opened afresh (SQLite recovers its write-ahead log), every acknowledged response is there.
    let reopened = Db::connect(&url).await.expect("reopen the database");
    let rows = stored(&reopened, id).await;
    let kept: std::collections::BTreeSet<Uuid> = rows.iter().filter_map(|r| r.submission).collect();
    let lost: Vec<&Uuid> = burst
        .acknowledged
        .iter()
        .filter(|s| !kept.contains(s))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged responses lost",
        lost.len(),
        burst.acknowledged.len()
    );

    // Restarted, the server takes a retried submission as the one it already stored.
    let sharek = start_sharek(&url).await;
    let retried = raw_submit(sharek.port, burst.acknowledged[0]).await;
    let fresh = raw_submit(sharek.port, Uuid::new_v4()).await;
    drop(sharek);
    let thanks = Some((303, "/en/s/crash/thanks".to_owned()));
    assert_eq!((retried, fresh), (thanks.clone(), thanks));
    assert_eq!(
        count_rows(&reopened, id).await,
        i64::try_from(rows.len()).expect("few") + 1
    );
    reopened.close().await;
}

server::on_both_backends!(acknowledged_responses_survive_a_crash);
