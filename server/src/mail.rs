//! Sending the outbox (`app::store::outbox`) through an SMTP relay: `--smtp-url
//! smtp://[user:password@]host[:port]`. Sharek speaks plain SMTP to a relay the ministry runs
//! (which handles TLS onwards), so no TLS stack is compiled in. Without a relay nothing is
//! queued: staff see the invitation links and send them themselves.

use std::time::Duration;

use anyhow::{Context, bail};
use app::store::{Db, outbox};
use lettre::{
    Message,
    message::{
        Attachment, Mailbox, MultiPart, SinglePart,
        header::{ContentType, HeaderName, HeaderValue},
    },
    transport::smtp::{
        authentication::{Credentials, DEFAULT_MECHANISMS},
        client::AsyncSmtpConnection,
        extension::ClientId,
    },
};

/// How often the sender looks at the outbox.
const EVERY: Duration = Duration::from_secs(15);

/// How long connecting to the relay may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

/// How long one message's whole exchange with the relay may take.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(20);

/// The relay and the sender's address.
#[derive(Clone)]
pub struct Mailer {
    host: String,
    port: u16,
    credentials: Option<Credentials>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

impl Mailer {
    /// A mailer for `smtp://[user:password@]host[:port]` sending as `from`.
    pub fn new(url: &url::Url, from: &str) -> anyhow::Result<Self> {
        if url.scheme() != "smtp" {
            bail!("the SMTP URL must start with smtp:// (a relay that handles TLS onwards)");
        }
        let host = url.host_str().context("the SMTP URL names no host")?;
        let credentials = (!url.username().is_empty()).then(|| {
            Credentials::new(
                url.username().to_owned(),
                url.password().unwrap_or_default().to_owned(),
            )
        });
        let from = from
            .parse()
            .with_context(|| format!("{from:?} is not an email address"))?;
        Ok(Self {
            host: host.to_owned(),
            port: url.port().unwrap_or(25),
            credentials,
            from,
        })
    }

    /// A connection to the relay, greeted and signed in, with Nagle's algorithm off. lettre
    /// (0.11.23) writes a message's closing `<CRLF>.<CRLF>` apart from its body; with Nagle on,
    /// that write waits for the relay's delayed acknowledgement of the body (40 ms on Linux,
    /// up to 200 ms elsewhere) before the relay can answer: 21 messages/s at most. lettre's own
    /// transport gives no way to set `TCP_NODELAY` (lettre/lettre#1159 adds it upstream).
    async fn connect(&self) -> anyhow::Result<AsyncSmtpConnection> {
        let address = (self.host.as_str(), self.port);
        let stream = tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(address))
            .await
            .context("connecting to the relay timed out")?
            .context("cannot connect to the relay")?;
        stream.set_nodelay(true)?;
        let mut connection =
            AsyncSmtpConnection::connect_with_transport(Box::new(stream), &ClientId::default())
                .await?;
        if let Some(credentials) = &self.credentials {
            connection.auth(DEFAULT_MECHANISMS, credentials).await?;
        }
        Ok(connection)
    }

    /// Sends one message; `attachment` is the file it carries, if any.
    async fn send(
        &self,
        mail: &outbox::Mail,
        attachment: Option<outbox::Attachment>,
    ) -> anyhow::Result<()> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(mail.to.parse().context("recipient")?)
            .subject(mail.subject.clone());
        if let Some(url) = &mail.unsubscribe {
            // RFC 8058: mail programs show an "Unsubscribe" button that POSTs this body.
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let message = match attachment {
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body.clone()),
            Some(file) => builder.multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(mail.body.clone()))
                    .singlepart(
                        Attachment::new(file.file_name).body(
                            file.content,
                            ContentType::parse(&file.content_type)
                                .context("the attachment's content type")?,
                        ),
                    ),
            ),
        }
        .context("building the message")?;
        // A relay that stops answering must not hold the sender forever (the claim would
        // expire and another server would send the rest, but this one would stay stuck).
        let exchange = async {
            let mut connection = self.connect().await?;
            let sent = connection
                .send(message.envelope(), &message.formatted())
                .await;
            // QUIT, whatever the answer (as lettre's transport does).
            connection.abort().await;
            sent.context("the relay refused").map(|_| ())
        };
        tokio::time::timeout(EXCHANGE_TIMEOUT, exchange)
            .await
            .context("the relay did not answer in time")?
    }
}

/// How many messages a sender claims at once. A claim lasts `--mail-lease-seconds`; a sender
/// stops early when less than a quarter of it (at most the relay's timeout) is left.
const BATCH: i64 = 100;

/// Claims what is waiting and sends it; returns how many were sent. With several servers,
/// each message is claimed by one (see `app::store::outbox::claim`).
pub async fn deliver(db: &Db, mailer: &Mailer, lease: Duration) -> anyhow::Result<usize> {
    let margin = chrono::Duration::from_std((lease / 4).min(Duration::from_secs(20)))?;
    let mut sent = 0;
    loop {
        let now = chrono::Utc::now();
        let until = now + chrono::Duration::from_std(lease)?;
        let batch = outbox::claim(db, BATCH, until, now).await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        let full = batch.len() as i64 == BATCH;
        for mail in batch {
            if chrono::Utc::now() + margin > until {
                // The rest goes back when the claim expires.
                return Ok(sent);
            }
            let attachment = match mail.attachment {
                Some(id) => outbox::attachment(db, id).await?,
                None => None,
            };
            match mailer.send(&mail, attachment).await {
                Ok(()) => {
                    outbox::sent(db, mail.id, chrono::Utc::now()).await?;
                    sent += 1;
                }
                Err(error) => {
                    tracing::warn!(error = %format!("{error:#}"), "sending an email failed; it will be retried");
                    outbox::failed(db, mail.id, &format!("{error:#}")).await?;
                }
            }
        }
        if !full {
            return Ok(sent);
        }
    }
}

/// The sender: every server runs one; each message is claimed by one of them.
pub async fn run(db: Db, mailer: Mailer, lease: Duration) {
    let mut ticks = tokio::time::interval(EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = deliver(&db, &mailer, lease).await {
            tracing::error!(error = %format!("{error:#}"), "the outbox could not be read");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    /// A relay that accepts one message and hands over what it received.
    async fn fake_relay() -> (u16, tokio::task::JoinHandle<String>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("listen");
        let port = listener.local_addr().expect("address").port();
        let relay = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.expect("accept");
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            let mut received = String::new();
            let mut in_data = false;
            write
                .write_all(b"220 relay ready\r\n")
                .await
                .expect("greet");
            while let Ok(Some(line)) = lines.next_line().await {
                if in_data {
                    if line == "." {
                        in_data = false;
                        write.write_all(b"250 queued\r\n").await.expect("reply");
                    } else {
                        received.push_str(&line);
                        received.push('\n');
                    }
                    continue;
                }
                let command = line.to_ascii_uppercase();
                let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                    b"250 relay\r\n"
                } else if command.starts_with("DATA") {
                    in_data = true;
                    b"354 go ahead\r\n"
                } else if command.starts_with("QUIT") {
                    write.write_all(b"221 bye\r\n").await.expect("reply");
                    break;
                } else {
                    b"250 ok\r\n"
                };
                write.write_all(reply).await.expect("reply");
            }
            received
        });
        (port, relay)
    }

    #[tokio::test]
    async fn waiting_mail_is_sent_through_the_relay_and_its_body_cleared() {
        let test = crate::testing::TestDb::sqlite().await;
        let db = &test.db;
        outbox::enqueue(
            db,
            "amal@example.org",
            "Invitation",
            "Your link: https://x.example/en/s/a?inv=secret",
            chrono::Utc::now(),
        )
        .await
        .expect("enqueue");
        let (port, relay) = fake_relay().await;
        let url = url::Url::parse(&format!("smtp://127.0.0.1:{port}")).expect("url");
        let mailer = Mailer::new(&url, "Sharek <no-reply@ministry.example>").expect("mailer");
        assert_eq!(
            deliver(db, &mailer, Duration::from_secs(60))
                .await
                .expect("deliver"),
            1
        );
        let received = relay.await.expect("relay");
        assert!(received.contains("To: amal@example.org"), "{received}");
        assert!(received.contains("inv=secret"), "{received}");
        assert!(outbox::pending(db, 10).await.expect("pending").is_empty());
        let (body,): (String,) = match db {
            Db::Sqlite(pool) => sqlx::query_as("SELECT body FROM outbox")
                .fetch_one(pool)
                .await
                .expect("row"),
            Db::Postgres(_) => unreachable!("SQLite test"),
        };
        assert_eq!(body, "", "a sent message keeps no secret");
    }

    #[tokio::test]
    async fn a_refused_message_is_kept_for_another_try() {
        let test = crate::testing::TestDb::sqlite().await;
        let db = &test.db;
        outbox::enqueue(
            db,
            "badr@example.org",
            "Invitation",
            "x",
            chrono::Utc::now(),
        )
        .await
        .expect("enqueue");
        // Nothing listens there.
        let url = url::Url::parse("smtp://127.0.0.1:9").expect("url");
        let mailer = Mailer::new(&url, "no-reply@ministry.example").expect("mailer");
        assert_eq!(
            deliver(db, &mailer, Duration::from_secs(60))
                .await
                .expect("deliver"),
            0
        );
        assert_eq!(outbox::pending(db, 10).await.expect("pending").len(), 1);
        assert!(Mailer::new(&url::Url::parse("smtps://h").expect("url"), "a@b.c").is_err());
    }
}
