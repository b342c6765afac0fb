//! `sharek-bench comments`: screening and the comment pages at scale (issue 15).
//!
//! - **Screening**, in this process on one thread: the repository's labelled examples (Arabic
//!   and English, held and published) screened over and over for `--seconds`: comments per
//!   second; then 2,000-character comments (examples joined until that long, in both
//!   languages) one by one: p50 and p99 per comment.
//! - **Comment pages**, for each backend: a fresh database with one open consultation of three
//!   sections and `--comments` comments (10,000 by default; one in ten with two replies, one in
//!   fifty hidden), written in bulk; the release `sharek` server started on it; then the first
//!   page, a page deep in the list, a section's page and a thread, each one warm-up then ten
//!   times over a fresh connection: the median and the slowest.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use app::store::Db;
use chrono::{DateTime, Utc};
use hyper::StatusCode;
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::Backend;
use super::servers::{PgAdmin, ServerProcess, free_port, ms, percentile, timed_get};

/// The labelled examples the screening is evaluated on
/// (`categories<TAB>personal_data<TAB>lang<TAB>text` lines).
const EXAMPLES: &str = include_str!("../../../../app/src/moderation/examples.tsv");

/// Screening on one thread.
pub struct Screening {
    pub texts: usize,
    pub per_s: f64,
    pub long_p50_ms: f64,
    pub long_p99_ms: f64,
}

/// One backend's comment pages.
pub struct Pages {
    pub backend: Backend,
    pub comments: u64,
    /// Each page with its median and slowest time, in ms.
    pub pages: Vec<(&'static str, f64, f64)>,
}

/// The examples' texts with their language ("ar" or "en").
fn examples() -> Vec<(String, String)> {
    EXAMPLES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut parts = l.split('\t');
            let lang = parts.nth(2)?;
            Some((lang.to_owned(), parts.next()?.to_owned()))
        })
        .collect()
}

fn texts() -> Vec<String> {
    examples().into_iter().map(|(_, text)| text).collect()
}

/// Screens the examples for `seconds`, then 2,000-character comments.
pub fn screening(seconds: u64) -> Screening {
    let texts = texts();
    let until = Instant::now() + Duration::from_secs(seconds);
    let began = Instant::now();
    let mut done = 0usize;
    while Instant::now() < until {
        for text in &texts {
            std::hint::black_box(app::moderation::screen::screen(text, None));
        }
        done += texts.len();
    }
    let per_s = done as f64 / began.elapsed().as_secs_f64();
    // Long comments: 200 per language, examples of that language joined from a different
    // starting point each until 2,000 characters.
    let examples = examples();
    let mut long = Vec::new();
    for lang in ["ar", "en"] {
        let of_lang: Vec<&str> = examples
            .iter()
            .filter(|(l, _)| l == lang)
            .map(|(_, t)| t.as_str())
            .collect();
        for start in 0..200 {
            let mut text = String::new();
            for t in of_lang.iter().cycle().skip(start % of_lang.len().max(1)) {
                if text.chars().count() >= 2000 {
                    break;
                }
                text.push_str(t);
                text.push(' ');
            }
            long.push(text.chars().take(2000).collect::<String>());
        }
    }
    let mut times = Vec::new();
    for _ in 0..5 {
        for text in &long {
            let began = Instant::now();
            std::hint::black_box(app::moderation::screen::screen(text, None));
            times.push(ms(began.elapsed()));
        }
    }
    times.sort_by(f64::total_cmp);
    Screening {
        texts: texts.len(),
        per_s,
        long_p50_ms: percentile(&times, 0.5),
        long_p99_ms: percentile(&times, 0.99),
    }
}

/// Writes the consultation (open from 30 days before `now` to 30 days after), its sections,
/// participants and `n` comments written evenly over `span` up to `now`; answers (the
/// consultation, a section, a comment with replies).
pub(super) async fn fill(
    db: &Db,
    n: u64,
    now: DateTime<Utc>,
    span: chrono::Duration,
) -> Result<(Uuid, Uuid, Uuid)> {
    let fields = app::opportunities::rules::OpportunityFields {
        kind: app::opportunities::OpportunityKind::Consultation,
        title_ar: "استشارة".into(),
        title_en: "Consultation".into(),
        summary_ar: "ملخص".into(),
        summary_en: "Summary".into(),
        body_ar: String::new(),
        body_en: String::new(),
        topic: "social_services".into(),
        groups: Vec::new(),
        starts_at: Some(now - chrono::Duration::days(30)),
        ends_at: Some(now + chrono::Duration::days(30)),
        location: String::new(),
        link: String::new(),
        published: true,
    };
    let opportunity = app::opportunities::db::create(db, &fields, now).await?;
    let mut sections = Vec::new();
    for n in 1..=3 {
        let input = app::consultations::rules::SectionInput {
            heading_ar: format!("القسم {n}"),
            heading_en: format!("Section {n}"),
            body_ar: "نص القسم".into(),
            body_en: "The section's text".into(),
        };
        sections.push(app::consultations::db::insert_section(db, opportunity, &input, now).await?);
    }
    let mut participants = Vec::new();
    for p in 0..100 {
        let (participant, _) = app::participants::db::find_or_create(
            db,
            &format!("p{p}@bench.example"),
            app::Locale::Ar,
            now,
        )
        .await?;
        participants.push(participant.id);
    }
    let began = Instant::now();
    let texts = texts();
    let mut with_replies = None;
    let mut written = 0u64;
    while written < n {
        let chunk = (n - written).min(500);
        // (id, parent, section, participant, text, state, created)
        let mut rows = Vec::new();
        for i in written..written + chunk {
            let id = Uuid::now_v7();
            let before = i64::try_from(n - i).unwrap_or(0) * span.num_seconds();
            let created = now - chrono::Duration::seconds(before / i64::try_from(n).unwrap_or(1));
            let section = match i % 4 {
                0 => None,
                k => Some(sections[(k - 1) as usize]),
            };
            let state = if i % 50 == 0 { "hidden" } else { "published" };
            let text = &texts[(i as usize) % texts.len()];
            let who = participants[(i as usize) % participants.len()];
            rows.push((id, None, section, who, text.clone(), state, created));
            if i % 10 == 5 {
                for r in 0..2 {
                    let reply = participants[(i as usize + r + 1) % participants.len()];
                    let at = created + chrono::Duration::seconds(10 * (r as i64 + 1));
                    rows.push((
                        Uuid::now_v7(),
                        Some(id),
                        section,
                        reply,
                        "I agree.".to_owned(),
                        "published",
                        at,
                    ));
                }
                with_replies.get_or_insert(id);
            }
        }
        app::on_db!(db, |pool| {
            let mut q = QueryBuilder::new(
                "INSERT INTO comments (id, opportunity_id, section_id, parent_id, participant_id,
                 body, lang, state, hidden_category, screening, helpful, created_at) ",
            );
            q.push_values(
                &rows,
                |mut row, (id, parent, section, who, text, state, at)| {
                    row.push_bind(*id)
                        .push_bind(opportunity)
                        .push_bind(*section)
                        .push_bind(*parent)
                        .push_bind(*who)
                        .push_bind(text.as_str())
                        .push_bind("ar")
                        .push_bind(*state)
                        .push_bind((*state == "hidden").then_some("language"))
                        .push_bind("")
                        .push_bind(i64::from(id.as_bytes()[15] % 7))
                        .push_bind(*at);
                },
            );
            q.build().execute(pool).await.map(|_| ())
        })?;
        written += chunk;
    }
    eprintln!(
        "  wrote {n} comments in {:.1} s",
        began.elapsed().as_secs_f64()
    );
    let thread = with_replies.context("no comment with replies")?;
    Ok((opportunity, sections[0], thread))
}

async fn measure(backend: Backend, url: &str, n: u64, sharek: &Path, site: &Path) -> Result<Pages> {
    let db = server::connect(url).await?;
    let now = Utc::now();
    eprintln!("{}: writing {n} comments", backend.name());
    // One a minute up to now.
    let span = chrono::Duration::minutes(i64::try_from(n).unwrap_or(0));
    let (opportunity, section, thread) = fill(&db, n, now, span).await?;
    if let Db::Postgres(pool) = &db {
        sqlx::query("VACUUM ANALYZE comments").execute(pool).await?;
    }
    let addr = free_port()?;
    let mut process = ServerProcess::serve(sharek, url, addr, site, &[]).await?;
    let base = format!("/ar/opportunities/{opportunity}/comments");
    let deep = (n / 4 / 20).max(1);
    let paths: [(&'static str, String); 4] = [
        ("all comments, page 1", base.clone()),
        ("all comments, a deep page", format!("{base}?page={deep}")),
        ("one section, page 1", format!("{base}?section={section}")),
        ("a thread with its replies", format!("{base}/{thread}")),
    ];
    let mut pages = Vec::new();
    for (name, path) in &paths {
        let mut times = Vec::new();
        for round in 0..11 {
            let (status, took) = timed_get(addr, path, None).await?;
            if status != StatusCode::OK {
                bail!("{path} answered {status}");
            }
            if round > 0 {
                times.push(ms(took));
            }
        }
        times.sort_by(f64::total_cmp);
        pages.push((
            *name,
            percentile(&times, 0.5),
            times.last().copied().unwrap_or(0.0),
        ));
    }
    process.stop().await?;
    db.close().await;
    Ok(Pages {
        backend,
        comments: n,
        pages,
    })
}

/// Measures the comment pages on one backend.
pub async fn run(
    backend: Backend,
    n: u64,
    pg_url: &str,
    sharek: &Path,
    work: &Path,
) -> Result<Pages> {
    let site = work.join("site");
    std::fs::create_dir_all(&site)?;
    match backend {
        Backend::Sqlite => {
            let url = format!("sqlite://{}", work.join("comments.db").display());
            measure(backend, &url, n, sharek, &site).await
        }
        Backend::Postgres => {
            let name = format!("sharek_comments_{}", std::process::id());
            let admin = PgAdmin::connect(pg_url).await?;
            let outcome = async {
                let url = admin.create(&name).await?;
                measure(backend, &url, n, sharek, &site).await
            }
            .await;
            if let Err(error) = admin.drop(&name).await {
                eprintln!("could not drop the database {name}: {error:#}");
            }
            outcome
        }
    }
}

/// Prints the figures as Markdown tables with the targets; answers whether they hold
/// (≥ 5,000 comments/s, p99 under 5 ms for 2,000 characters, every page under 50 ms).
pub fn report(screening: &Screening, pages: &[Pages]) -> bool {
    let mut held = screening.per_s >= 5000.0 && screening.long_p99_ms < 5.0;
    println!("| screening (one thread) | value |");
    println!("|---|---:|");
    println!(
        "| comments/s ({} labelled examples, Arabic and English) | {:.0} |",
        screening.texts, screening.per_s
    );
    println!(
        "| 2,000-character comment, p50 ms | {:.2} |",
        screening.long_p50_ms
    );
    println!(
        "| 2,000-character comment, p99 ms | {:.2} |",
        screening.long_p99_ms
    );
    println!();
    println!("| backend | comments | page | median ms | slowest ms |");
    println!("|---|---:|---|---:|---:|");
    for p in pages {
        for (name, median, slowest) in &p.pages {
            held &= *slowest < 50.0;
            println!(
                "| {} | {} | {name} | {median:.1} | {slowest:.1} |",
                p.backend.name(),
                p.comments
            );
        }
    }
    println!(
        "\nTargets: ≥ 5,000 comments/s, p99 < 5 ms at 2,000 characters, a page of comments < 50 ms: {}",
        if held { "held" } else { "NOT held" }
    );
    held
}
