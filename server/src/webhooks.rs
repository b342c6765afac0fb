//! Replies to the integrations that brought cases in (partner and call-centre systems): each
//! reply is a queued delivery (`app::feedback::db::queue_delivery`) POSTed as JSON to the
//! case's `reply_webhook`, signed, and retried with backoff until the receiver answers 2xx.
//!
//! The receiver checks, with the shared secret (`--webhook-secret`):
//! `X-Sharek-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` and
//! `X-Sharek-Timestamp` (seconds since 1970; refuse old ones); `X-Sharek-Delivery` is the
//! delivery's id, the same on every retry, so a receiver can ignore a repeat. Plain HTTP: the
//! ministry's integration gateway terminates TLS, as its relay does for email.
//!
//! Invariants: a delivery is claimed for a lease before it is sent, so two servers never send
//! it at once; it is tried at most [`MAX_ATTEMPTS`] times.

use std::time::Duration;

use anyhow::{Context, bail};
use app::feedback::db::{self, Delivery};
use app::store::Db;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use sha2::Sha256;

/// How often the sender looks for deliveries due.
const EVERY: Duration = Duration::from_secs(10);
/// After this many failed attempts a delivery stays undelivered (its last error is kept).
pub const MAX_ATTEMPTS: i32 = 12;
/// How long one attempt may take.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The signature of `body` sent at `timestamp`: hex HMAC-SHA256 over `"<timestamp>.<body>"`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes a key of any length, so `new_from_slice` cannot fail here.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// When to try again after `attempts` failures: 30 s, 1 min, 2 min, … at most 6 hours.
pub fn backoff(attempts: i32, now: DateTime<Utc>) -> DateTime<Utc> {
    let seconds = 30i64
        .saturating_mul(1i64 << attempts.clamp(0, 10))
        .min(6 * 3600);
    now + chrono::Duration::seconds(seconds)
}

/// POSTs one delivery; an error unless the receiver answered 2xx.
async fn post(delivery: &Delivery, secret: &str) -> anyhow::Result<()> {
    let url = url::Url::parse(&delivery.url).context("the webhook address")?;
    if url.scheme() != "http" {
        bail!("only http:// webhook addresses are supported");
    }
    let host = url
        .host_str()
        .context("the webhook address names no host")?;
    let port = url.port_or_known_default().unwrap_or(80);
    let stream = tokio::net::TcpStream::connect((host, port))
        .await
        .with_context(|| format!("connecting to {host}:{port}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .context("HTTP handshake")?;
    tokio::spawn(connection);
    let timestamp = Utc::now().timestamp();
    let body = delivery.payload.clone().into_bytes();
    let path = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let request = hyper::Request::post(path)
        .header(hyper::header::HOST, url.authority())
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header("X-Sharek-Delivery", delivery.id.to_string())
        .header("X-Sharek-Timestamp", timestamp.to_string())
        .header(
            "X-Sharek-Signature",
            format!("sha256={}", signature(secret, timestamp, &body)),
        )
        .body(Full::new(Bytes::from(body)))
        .context("building the request")?;
    let response = sender.send_request(request).await.context("sending")?;
    let status = response.status();
    // Read the body, so the connection ends cleanly; its content does not matter.
    let _ = response.into_body().collect().await;
    if !status.is_success() {
        bail!("the receiver answered {status}");
    }
    Ok(())
}

/// Sends the deliveries that are due; returns how many were delivered.
pub async fn deliver(db: &Db, secret: &str, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let lease = chrono::Duration::seconds(60);
    let mut delivered = 0;
    for delivery in db::claim_deliveries(db, now, lease, MAX_ATTEMPTS).await? {
        let sent = tokio::time::timeout(TIMEOUT, post(&delivery, secret))
            .await
            .unwrap_or_else(|_| Err(anyhow::anyhow!("no answer within {TIMEOUT:?}")));
        match sent {
            Ok(()) => {
                db::delivered(db, delivery.id, Utc::now()).await?;
                delivered += 1;
            }
            Err(error) => {
                let error = format!("{error:#}");
                tracing::warn!(%error, delivery = %delivery.id, "a webhook reply failed; it will be retried");
                let next = backoff(delivery.attempts + 1, Utc::now());
                db::delivery_failed(db, delivery.id, &error, next).await?;
            }
        }
    }
    Ok(delivered)
}

/// The sender: every server runs one when a secret is configured.
pub async fn run(db: Db, secret: String) {
    let mut ticks = tokio::time::interval(EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = deliver(&db, &secret, Utc::now()).await {
            tracing::error!(error = %format!("{error:#}"), "webhook deliveries could not be read");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // The signed text is "<timestamp>.<body>": sign it by hand and compare.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(b"Jefe") else {
            panic!("any key length is accepted")
        };
        mac.update(b"1700000000.{\"a\":1}");
        let by_hand: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(signature("Jefe", 1_700_000_000, b"{\"a\":1}"), by_hand);
        assert_ne!(signature("Jefe", 1, b"a"), signature("Jefe", 2, b"a"));
        assert_ne!(signature("Jefe", 1, b"a"), signature("other", 1, b"a"));
    }

    #[test]
    fn backoff_doubles_up_to_six_hours() {
        let now = Utc::now();
        assert_eq!(backoff(0, now) - now, chrono::Duration::seconds(30));
        assert_eq!(backoff(1, now) - now, chrono::Duration::seconds(60));
        assert_eq!(backoff(30, now) - now, chrono::Duration::hours(6));
    }
}
