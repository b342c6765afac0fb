//! What response collection keeps in memory on each app server: the group-commit writer,
//! the per-address submission limit, and a short-lived cache of open surveys' forms.
//!
//! Group commit: handlers hand submissions to a writer task and wait for its answer. The writer
//! takes whatever has queued up and stores it in one transaction, so one disk flush (SQLite
//! `synchronous=FULL`, PostgreSQL's default) covers many responses. A submission is
//! acknowledged only after its transaction commits. SQLite gets one writer (it has one write
//! lock); PostgreSQL a few, so one batch's commit overlaps the next batch's work.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use app::responses::{Outcome, PublicSurvey, Submission};
use app::store::{Db, StoreError};
use tokio::sync::{mpsc, oneshot};

/// The most submissions one transaction stores.
const MAX_BATCH: usize = 512;
/// Writers on PostgreSQL (each holds one connection while it stores a batch).
const POSTGRES_WRITERS: usize = 4;
/// How many submissions may wait for the writer before handlers wait to queue.
const QUEUE: usize = 4096;

type Reply = oneshot::Sender<Result<Outcome, Arc<StoreError>>>;

/// The group-commit writer's mailbox. The writer task starts with the first submission (on
/// the runtime serving it).
pub struct Collector {
    db: Db,
    queue: std::sync::OnceLock<mpsc::Sender<(Submission, Reply)>>,
}

#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("storage failed: {0}")]
    Store(Arc<StoreError>),
    #[error("the writer has stopped")]
    Stopped,
}

impl Collector {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            queue: std::sync::OnceLock::new(),
        }
    }

    /// Stores a submission (with whatever else is waiting) and answers once it is committed.
    pub async fn submit(&self, submission: Submission) -> Result<Outcome, CollectError> {
        let (reply, answer) = oneshot::channel();
        let queue = self.queue.get_or_init(|| {
            let (queue, inbox) = mpsc::channel(QUEUE);
            let inbox = Arc::new(tokio::sync::Mutex::new(inbox));
            // SQLite has one writer at a time anyway; PostgreSQL flushes several transactions'
            // commits together, so a few writers overlap one batch's commit with the next.
            let writers = match self.db {
                Db::Sqlite(_) => 1,
                Db::Postgres(_) => POSTGRES_WRITERS,
            };
            for _ in 0..writers {
                tokio::spawn(write(self.db.clone(), inbox.clone()));
            }
            queue
        });
        queue
            .send((submission, reply))
            .await
            .map_err(|_| CollectError::Stopped)?;
        match answer.await {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(error)) => Err(CollectError::Store(error)),
            Err(_) => Err(CollectError::Stopped),
        }
    }
}

/// Accepting a response (`responses::actions`) writes through the group commit.
impl app::responses::actions::Writer for Collector {
    type Error = CollectError;
    async fn write(&self, submission: Submission) -> Result<Outcome, CollectError> {
        self.submit(submission).await
    }
}

type Inbox = Arc<tokio::sync::Mutex<mpsc::Receiver<(Submission, Reply)>>>;

/// One writer: takes what has queued up (waiting for at least one), stores it, answers.
async fn write(db: Db, inbox: Inbox) {
    loop {
        let mut waiting = Vec::with_capacity(MAX_BATCH);
        if inbox.lock().await.recv_many(&mut waiting, MAX_BATCH).await == 0 {
            return;
        }
        let (batch, replies): (Vec<Submission>, Vec<Reply>) = waiting.into_iter().unzip();
        match app::responses::db::store(&db, &batch).await {
            Ok(outcomes) => {
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    let _ = reply.send(Ok(outcome));
                }
            }
            Err(error) if batch.len() > 1 => {
                // One bad submission must not sink the others: store them one by one.
                tracing::warn!(%error, size = batch.len(), "group commit failed; storing one by one");
                for (submission, reply) in batch.into_iter().zip(replies) {
                    let outcome = app::responses::db::store(&db, std::slice::from_ref(&submission))
                        .await
                        .map(|o| o[0])
                        .map_err(Arc::new);
                    let _ = reply.send(outcome);
                }
            }
            Err(error) => {
                tracing::error!(%error, "storing a response failed");
                let error = Arc::new(error);
                for reply in replies {
                    let _ = reply.send(Err(error.clone()));
                }
            }
        }
    }
}

/// Counts submissions per client address in fixed windows. Only counts live in memory (never
/// stored), and only for the current window.
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    counts: Mutex<(Instant, HashMap<IpAddr, u32>)>,
}

impl RateLimiter {
    /// `limit` submissions per address per `window`; 0 means no limit.
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            counts: Mutex::new((Instant::now(), HashMap::new())),
        }
    }

    /// Counts one submission; `false` when the address is over its limit.
    pub fn allow(&self, address: IpAddr) -> bool {
        if self.limit == 0 {
            return true;
        }
        let mut guard = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let (started, counts) = &mut *guard;
        if started.elapsed() >= self.window {
            *started = Instant::now();
            counts.clear();
        }
        let count = counts.entry(address).or_insert(0);
        *count = count.saturating_add(1);
        *count <= self.limit
    }
}

/// Open surveys' forms for a few seconds, so a burst of submissions does not read and parse
/// the survey each time. Storing still checks, in its transaction, that the survey is open.
pub struct SurveyCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, Arc<PublicSurvey>)>>,
}

impl SurveyCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The survey an address names, from the cache when fresh.
    pub async fn get(&self, db: &Db, key: &str) -> Result<Option<Arc<PublicSurvey>>, StoreError> {
        if let Some((at, survey)) = self
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            && at.elapsed() < self.ttl
        {
            return Ok(Some(survey.clone()));
        }
        let Some(survey) = app::responses::db::public_survey(db, key, chrono::Utc::now()).await?
        else {
            return Ok(None);
        };
        let survey = Arc::new(survey);
        if survey.open {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if entries.len() > 1000 {
                entries.clear();
            }
            entries.insert(key.to_owned(), (Instant::now(), survey.clone()));
        }
        Ok(Some(survey))
    }
}

/// Everything collection keeps per app server.
pub struct Collection {
    pub collector: Collector,
    pub limiter: RateLimiter,
    /// The public feedback form's own limit (the same number per ten minutes), so a flood of
    /// feedback does not use up an office's survey submissions, nor the reverse.
    pub feedback: RateLimiter,
    /// Participants' sign-in requests and code attempts (the same number per ten minutes).
    pub sign_in: RateLimiter,
    pub surveys: SurveyCache,
}

impl Collection {
    /// `limit`: submissions per address per ten minutes (0: no limit).
    pub fn new(db: Db, limit: u32) -> Arc<Self> {
        Arc::new(Self {
            collector: Collector::new(db),
            limiter: RateLimiter::new(limit, Duration::from_secs(600)),
            feedback: RateLimiter::new(limit, Duration::from_secs(600)),
            sign_in: RateLimiter::new(limit, Duration::from_secs(600)),
            surveys: SurveyCache::new(Duration::from_secs(2)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_counts_per_address() {
        let limiter = RateLimiter::new(2, Duration::from_secs(600));
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        assert!(limiter.allow(a) && limiter.allow(a));
        assert!(!limiter.allow(a));
        assert!(limiter.allow(b));
        let open = RateLimiter::new(0, Duration::from_secs(1));
        assert!((0..1000).all(|_| open.allow(a)));
    }
}
