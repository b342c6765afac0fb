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

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use app::responses::{Channel, Submission};
use app::store::Db;
use app::surveys::StakeholderGroup;
use app::surveys::conditions::{Answer, Answers};
use app::surveys::model::{Choice, Definition, Kind, Question, Section, Text};
use chrono::{DateTime, Utc};
use http_body_util::{BodyExt, Empty};
use hyper::{Request, StatusCode, body::Bytes, header};
use uuid::Uuid;

use super::{Backend, PgAdmin, ServerProcess, free_port};

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

/// A small deterministic generator (xorshift), so every run measures the same data.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides.max(1)
    }

    fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut pick = self.roll(weights.iter().sum());
        for (i, w) in weights.iter().enumerate() {
            if pick < *w {
                return i;
            }
            pick -= w;
        }
        0
    }
}

fn choices(n: usize) -> Vec<Choice> {
    (1..=n)
        .map(|i| {
            Choice::new(
                &format!("c{i}"),
                &format!("الخيار {i}"),
                &format!("Option {i}"),
            )
        })
        .collect()
}

fn question(key: &str, kind: Kind) -> Question {
    Question {
        key: key.to_owned(),
        text: Text::new(format!("السؤال {key}"), format!("Question {key}")),
        help: Text::default(),
        required: false,
        show_if: None,
        kind,
    }
}

/// Twenty questions: choices of every sort, scales, a matrix, a ranking, numbers, texts, a date.
fn definition() -> Definition {
    let kinds = vec![
        Kind::SingleChoice {
            choices: choices(5),
            other: true,
        },
        Kind::SingleChoice {
            choices: choices(3),
            other: false,
        },
        Kind::MultipleChoice {
            choices: choices(6),
            other: false,
            min: None,
            max: None,
        },
        Kind::Dropdown {
            choices: choices(12),
            other: false,
        },
        Kind::YesNo,
        Kind::Rating {
            min: 1,
            max: 5,
            min_label: Text::default(),
            max_label: Text::default(),
        },
        Kind::Rating {
            min: 1,
            max: 7,
            min_label: Text::default(),
            max_label: Text::default(),
        },
        Kind::Nps,
        Kind::Matrix {
            rows: choices(4),
            scale: (1..=5)
                .map(|i| Choice::new(&i.to_string(), &i.to_string(), &i.to_string()))
                .collect(),
        },
        Kind::Ranking {
            choices: choices(4),
        },
        Kind::Number {
            decimal: false,
            min: Some(0.0),
            max: Some(120.0),
        },
        Kind::Number {
            decimal: true,
            min: Some(0.0),
            max: Some(100.0),
        },
        Kind::ShortText {
            max_length: Some(200),
        },
        Kind::LongText { max_length: 2000 },
        Kind::Date,
        Kind::YesNo,
        Kind::SingleChoice {
            choices: choices(4),
            other: false,
        },
        Kind::MultipleChoice {
            choices: choices(8),
            other: true,
            min: None,
            max: None,
        },
        Kind::Rating {
            min: 1,
            max: 10,
            min_label: Text::default(),
            max_label: Text::default(),
        },
        Kind::Email,
    ];
    let mut section = Section::new("s1");
    section.questions = kinds
        .into_iter()
        .enumerate()
        .map(|(i, kind)| question(&format!("q{}", i + 1), kind))
        .collect();
    Definition {
        title: Text::new("استبيان قياس النتائج", "Results benchmark survey"),
        sections: vec![section],
        ..Definition::default()
    }
}

fn key(dice: &mut Dice, n: u64) -> String {
    format!("c{}", 1 + dice.roll(n))
}

/// One random response to the twenty questions (some left unanswered).
fn answers(dice: &mut Dice) -> Answers {
    let mut a = Answers::new();
    let mut put = |k: &str, answer: Answer| {
        a.insert(k.to_owned(), answer);
    };
    put("q1", Answer::choice(&key(dice, 5)));
    put("q2", Answer::choice(&key(dice, 3)));
    let picked: Vec<String> = (1..=6)
        .filter(|_| dice.roll(3) == 0)
        .map(|i| format!("c{i}"))
        .collect();
    put(
        "q3",
        Answer::Choices {
            keys: picked,
            other: None,
        },
    );
    put("q4", Answer::choice(&key(dice, 12)));
    put(
        "q5",
        Answer::choice(if dice.roll(2) == 0 { "yes" } else { "no" }),
    );
    put("q6", Answer::Number((1 + dice.roll(5)) as f64));
    put("q7", Answer::Number((1 + dice.roll(7)) as f64));
    put("q8", Answer::Number(dice.roll(11) as f64));
    let rows = (1..=4)
        .map(|r| (format!("c{r}"), (1 + dice.roll(5)).to_string()))
        .collect();
    put("q9", Answer::Matrix(rows));
    let mut order: Vec<String> = (1..=4).map(|i| format!("c{i}")).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, dice.roll(i as u64 + 1) as usize);
    }
    put("q10", Answer::Ranking(order));
    put("q11", Answer::Number((16 + dice.roll(70)) as f64));
    put("q12", Answer::Number(dice.roll(1000) as f64 / 10.0));
    if dice.roll(3) == 0 {
        put("q13", Answer::Text("الخدمات الرقمية سهلة".into()));
    }
    if dice.roll(5) == 0 {
        put(
            "q14",
            Answer::Text("Faster appointments, please. =SUM(A1) is not a formula here.".into()),
        );
    }
    let day =
        chrono::NaiveDate::from_ymd_opt(2026, 1 + dice.roll(12) as u32, 1 + dice.roll(28) as u32);
    if let Some(day) = day {
        put("q15", Answer::Date(day));
    }
    put(
        "q16",
        Answer::choice(if dice.roll(4) == 0 { "yes" } else { "no" }),
    );
    put("q17", Answer::choice(&key(dice, 4)));
    let picked: Vec<String> = (1..=8)
        .filter(|_| dice.roll(4) == 0)
        .map(|i| format!("c{i}"))
        .collect();
    put(
        "q18",
        Answer::Choices {
            keys: picked,
            other: None,
        },
    );
    put("q19", Answer::Number((1 + dice.roll(10)) as f64));
    if dice.roll(10) == 0 {
        put("q20", Answer::Text("someone@example.org".into()));
    }
    a
}

/// Creates and opens the survey, then stores `n` responses over 30 days through the real
/// write path, 2,000 per transaction; answers the survey id and the load rate.
async fn fill(db: &Db, n: u64) -> Result<(Uuid, f64)> {
    let definition = definition();
    let problems = app::surveys::validate::for_publishing(&definition);
    if !problems.is_empty() {
        bail!("the bench survey is not publishable: {problems:?}");
    }
    let now = Utc::now();
    let id = app::surveys::db::create(db, &definition, None, now).await?;
    if !app::surveys::db::set_status(
        db,
        id,
        app::surveys::Status::Draft,
        app::surveys::Status::Open,
        now,
    )
    .await?
    {
        bail!("could not open the bench survey");
    }
    let mut dice = Dice(0x5eed_1234_abcd_ef01);
    let start: DateTime<Utc> = now - chrono::Duration::days(30);
    let began = Instant::now();
    let mut done = 0u64;
    while done < n {
        let size = (n - done).min(2000);
        let batch: Vec<Submission> = (0..size)
            .map(|i| {
                let offset = (done + i) * 30 * 86_400 / n.max(1);
                Submission {
                    id: Uuid::new_v4(),
                    survey: id,
                    wave: None,
                    survey_version: 1,
                    stakeholder_group: StakeholderGroup::ALL
                        [dice.weighted(&[40, 25, 8, 7, 8, 6, 6])]
                    .code()
                    .to_owned(),
                    channel: Channel::ALL[dice.weighted(&[55, 20, 10, 5, 4, 3, 3])],
                    source: None,
                    answers: answers(&mut dice),
                    entered_by: None,
                    invitation: None,
                    submitted_at: start + chrono::Duration::seconds(offset as i64),
                    duration: Some(60 + dice.roll(900) as i64),
                }
            })
            .collect();
        app::responses::db::store(db, &batch).await?;
        done += size;
        if done.is_multiple_of(100_000) || done == n {
            eprintln!(
                "  stored {done} responses ({:.0}/s)",
                done as f64 / began.elapsed().as_secs_f64()
            );
        }
    }
    Ok((id, n as f64 / began.elapsed().as_secs_f64()))
}

/// What Chromium sends in `Accept-Encoding`: a download as a person makes it.
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

/// Sends one GET over a fresh connection; answers the response and when it was sent.
async fn send(
    addr: std::net::SocketAddr,
    path: &str,
    auth: (&str, &str),
) -> Result<(hyper::Response<hyper::body::Incoming>, Instant)> {
    send_with(addr, path, auth, None).await
}

/// [`send`], asking for these encodings when any.
async fn send_with(
    addr: std::net::SocketAddr,
    path: &str,
    auth: (&str, &str),
    accept_encoding: Option<&str>,
) -> Result<(hyper::Response<hyper::body::Incoming>, Instant)> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let mut request = Request::get(path)
        .header(header::HOST, addr.to_string())
        .header(auth.0, auth.1);
    if let Some(encodings) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encodings);
    }
    let request = request.body(Empty::<Bytes>::new())?;
    let began = Instant::now();
    Ok((sender.send_request(request).await?, began))
}

/// One GET, the body read whole; answers (status, body, elapsed).
async fn get(
    addr: std::net::SocketAddr,
    path: &str,
    auth: (&str, &str),
) -> Result<(StatusCode, Bytes, Duration)> {
    let (response, began) = send(addr, path, auth).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body, began.elapsed()))
}

/// Counts the lines of what is written to it.
#[derive(Default)]
struct LineCounter(u64);

impl std::io::Write for LineCounter {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        self.0 += buffer.iter().filter(|b| **b == b'\n').count() as u64;
        Ok(buffer.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A download as received: its status, lines (decoded), bytes on the wire, encoding and time.
pub struct Download {
    pub status: StatusCode,
    pub lines: u64,
    pub wire_bytes: u64,
    pub encoding: String,
    pub took: Duration,
}

/// Where a download's bytes go: straight to the line counter, or through a decoder first.
enum Sink {
    Plain(LineCounter),
    Gzip(Box<flate2::write::GzDecoder<LineCounter>>),
    Brotli(Box<brotli::DecompressorWriter<LineCounter>>),
}

impl Sink {
    fn new(encoding: &str) -> Result<Self> {
        Ok(match encoding {
            "" => Self::Plain(LineCounter::default()),
            "gzip" => Self::Gzip(Box::new(flate2::write::GzDecoder::new(
                LineCounter::default(),
            ))),
            "br" => Self::Brotli(Box::new(brotli::DecompressorWriter::new(
                LineCounter::default(),
                64 * 1024,
            ))),
            other => bail!("an encoding the bench did not ask for: {other}"),
        })
    }

    fn write(&mut self, data: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        match self {
            Self::Plain(sink) => sink.write_all(data),
            Self::Gzip(sink) => sink.write_all(data),
            Self::Brotli(sink) => sink.write_all(data),
        }
    }

    /// The lines counted; a compressed stream cut short is an error.
    fn finish(self) -> Result<u64> {
        Ok(match self {
            Self::Plain(sink) => sink.0,
            Self::Gzip(sink) => sink.finish()?.0,
            Self::Brotli(sink) => {
                sink.into_inner()
                    .map_err(|_| anyhow::anyhow!("the brotli stream was cut short"))?
                    .0
            }
        })
    }
}

/// One GET, the body streamed, decoded as it arrives (gzip or brotli, as a browser would) and
/// only its lines counted, as a client saving a download would, without holding it in memory.
async fn get_lines(
    addr: std::net::SocketAddr,
    path: &str,
    auth: (&str, &str),
    accept_encoding: Option<&str>,
) -> Result<Download> {
    let (response, began) = send_with(addr, path, auth, accept_encoding).await?;
    let status = response.status();
    let encoding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut sink = Sink::new(&encoding)?;
    let (mut body, mut wire_bytes) = (response.into_body(), 0u64);
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            wire_bytes += data.len() as u64;
            sink.write(&data)?;
        }
    }
    Ok(Download {
        status,
        lines: sink.finish()?,
        wire_bytes,
        encoding,
        took: began.elapsed(),
    })
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
        eprintln!(
            "{}: storing {n} responses through the write path",
            backend.name()
        );
        let (survey, load_rate) = fill(&db, n).await?;
        // What the server's folder does every two seconds, all at once after the bulk load.
        let began = Instant::now();
        let folded = app::results::build::fold_all(&db).await?;
        if folded != n {
            bail!("folded {folded} responses, not {n}");
        }
        let fold_rate = n as f64 / began.elapsed().as_secs_f64();
        eprintln!("  folded {n} responses into the crosstab counts ({fold_rate:.0}/s)");
        (survey, n, load_rate, fold_rate)
    } else {
        let found = app::surveys::db::list(&db).await?;
        let Some(survey) = found.first().map(|s| s.id) else {
            bail!("no survey in the database to measure");
        };
        let n = app::responses::db::count(&db, survey).await? as u64;
        let began = Instant::now();
        let folded = app::results::build::fold_all(&db).await?;
        let fold_rate = folded as f64 / began.elapsed().as_secs_f64();
        eprintln!("  folded {folded} waiting responses ({fold_rate:.0}/s)");
        (survey, n, 0.0, fold_rate)
    };
    // A new analyst each run, so a database is measured again without clashing.
    let email = format!("analyst-{}@bench.example", Uuid::new_v4().simple());
    let analyst = server::testing::staff_user(&db, &email, &[app::accounts::Role::Analyst]).await;
    let session = server::testing::session_for(&db, analyst, Utc::now(), Utc::now()).await;
    let token = server::testing::api_token_for(&db, analyst, None).await;
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
    let cookie = format!("sharek_session={session}");
    let page = format!("/en/staff/surveys/{survey}/results");
    let mut times = Vec::new();
    for round in 0..11 {
        let (status, body, took) = get(addr, &page, ("cookie", &cookie)).await?;
        if status != StatusCode::OK || !body.windows(10).any(|w| w == b"<svg width") {
            bail!("the dashboard answered {status} without charts");
        }
        if round > 0 {
            times.push(ms(took));
        }
    }
    let dashboard_ms = (
        median(times.clone()),
        times.iter().copied().fold(0.0, f64::max),
    );
    let bearer = format!("Bearer {token}");
    let crosstab = format!("/api/v1/surveys/{survey}/results/crosstab?rows=q1&columns=q3");
    let mut crosstabs = Vec::new();
    for _ in 0..3 {
        let (status, _, took) = get(addr, &crosstab, ("authorization", &bearer)).await?;
        if status != StatusCode::OK {
            bail!("the crosstab answered {status}");
        }
        crosstabs.push(ms(took));
    }
    // The same under a group filter: counted over the coded rows.
    let filtered = format!("{crosstab}&group=citizen");
    let mut filtered_crosstabs = Vec::new();
    for _ in 0..3 {
        let (status, _, took) = get(addr, &filtered, ("authorization", &bearer)).await?;
        if status != StatusCode::OK {
            bail!("the filtered crosstab answered {status}");
        }
        filtered_crosstabs.push(ms(took));
    }
    // The export twice: without compression, then with what a browser asks for.
    let export = format!("/en/staff/surveys/{survey}/results/export.csv");
    let mut downloads = Vec::new();
    for accept in [None, Some(BROWSER_ENCODINGS)] {
        let download = get_lines(addr, &export, ("cookie", &cookie), accept).await?;
        if download.status != StatusCode::OK {
            bail!("the CSV export answered {}", download.status);
        }
        let rows = download.lines.saturating_sub(1);
        if rows != n {
            bail!("the CSV export ({accept:?}) has {rows} rows, not {n}");
        }
        downloads.push(download);
    }
    let [plain, browser] =
        <[Download; 2]>::try_from(downloads).map_err(|_| anyhow::anyhow!("two downloads"))?;
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
