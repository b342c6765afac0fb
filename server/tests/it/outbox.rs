//! Email is sent once with several servers (issue 17 §3): three real `sharek serve` processes
//! on one PostgreSQL database send a queue of messages through a real SMTP server (aiosmtpd),
//! one of them is killed with SIGKILL in the middle of its batch, and every message arrives —
//! each exactly once, except at most the one that server had in flight when it died (sent to
//! the relay, not yet marked sent), which the README says.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use app::store::{Backend, Db, outbox};
use chrono::Utc;
use server::testing::TestDb;

use crate::support::smtp::MailCatcher;
use crate::support::{SHAREK, url_of};

/// How many messages wait when the servers start.
const MESSAGES: usize = 600;

/// A running `sharek serve`, killed (if still running) when dropped, even by a failing test.
struct Sharek(std::process::Child);

impl Drop for Sharek {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(url: &str, smtp: &url::Url) -> Sharek {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = std::process::Command::new(SHAREK)
        .args(["serve", "--database-url", url])
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--smtp-url", smtp.as_str()])
        // A short claim, so the messages a killed server held go out again within the test.
        .env("SHAREK_MAIL_LEASE_SECONDS", "10")
        .env(
            "SHAREK_SITE_ROOT",
            std::env::temp_dir().join("sharek-no-site"),
        )
        .env_remove("SHAREK_DEMO")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start sharek");
    Sharek(child)
}

async fn unsent(db: &Db) -> usize {
    outbox::pending(db, 10_000).await.expect("pending").len()
}

#[test]
fn three_servers_send_each_message_once_even_when_one_dies() {
    server::testing::on_server_stack(|| async {
        let test = TestDb::new(Backend::Postgres).await;
        let db = &test.db;
        let now = Utc::now();
        for i in 0..MESSAGES {
            outbox::enqueue(
                db,
                &format!("person{i}@example.ae"),
                &format!("message {i:04}"),
                "Hello",
                now,
            )
            .await
            .expect("enqueue");
        }
        let mail = MailCatcher::start().await;
        let url = url_of(db);
        let mut servers: Vec<Sharek> = (0..3).map(|_| start(&url, &mail.url())).collect();

        // Kill one server while the messages are going out.
        mail.wait_for(MESSAGES / 10, Duration::from_secs(60)).await;
        let victim = servers.remove(0);
        let pid = victim.0.id().to_string();
        let killed = std::process::Command::new("kill")
            .args(["-KILL", &pid])
            .status()
            .expect("kill");
        assert!(killed.success());
        drop(victim);

        // The others finish, taking over what it held once its claim runs out.
        let deadline = Instant::now() + Duration::from_secs(120);
        while unsent(db).await > 0 {
            assert!(Instant::now() < deadline, "{} unsent", unsent(db).await);
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        drop(servers);
        let arrived = mail.wait_for(MESSAGES, Duration::from_secs(30)).await;
        let mut times: BTreeMap<String, usize> = BTreeMap::new();
        for message in &arrived {
            *times.entry(message.subject.clone()).or_default() += 1;
        }
        assert_eq!(times.len(), MESSAGES, "every message arrived");
        let twice: Vec<_> = times.iter().filter(|(_, n)| **n > 1).collect();
        assert!(
            twice.len() <= 1 && twice.iter().all(|(_, n)| **n == 2),
            "only the message in flight at the crash may arrive twice: {twice:?}"
        );
    });
}
