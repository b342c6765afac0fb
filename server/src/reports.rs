//! Impact reports as files (`app::reports`): the standalone HTML document, and the PDF that
//! headless Chromium prints from it. Chromium shapes Arabic (HarfBuzz), lays out right to left
//! and mixed runs by the Unicode bidi algorithm, embeds subsets of the fonts it used and tags
//! the PDF; the PDF therefore holds exactly the text of the HTML. Used by the staff download
//! (`http::reports`) and by `sharek report impact`.

use std::path::PathBuf;
use std::time::Duration;

use app::Locale;
use app::reports::{ImpactReport, Period};
use app::store::{Db, StoreError};
use chrono::{DateTime, Utc};

/// How long Chromium may take to print one report.
const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

/// A report file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Html,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot print the PDF with {program:?}: {reason}")]
    Print { program: String, reason: String },
}

/// The report over `period` in `locale`, as a file of `format`. `base` is the site's address
/// (the report links to public outcome pages).
pub async fn render(
    db: &Db,
    period: Period,
    locale: Locale,
    format: Format,
    base: &str,
    chromium: &str,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ReportError> {
    let report = app::reports::db::gather(db, period, now).await?;
    file(&report, locale, format, base, chromium).await
}

/// An already gathered report as a file of `format`.
pub async fn file(
    report: &ImpactReport,
    locale: Locale,
    format: Format,
    base: &str,
    chromium: &str,
) -> Result<Vec<u8>, ReportError> {
    let html = app::reports::document(report, locale, base);
    match format {
        Format::Html => Ok(html.into_bytes()),
        Format::Pdf => print(&html, chromium).await,
    }
}

/// The file name a download suggests: `impact-review-2026-07-01_2026-09-30-ar.pdf`.
pub fn file_name(period: Period, locale: Locale, format: Format) -> String {
    format!(
        "impact-review-{}-{}.{}",
        period.slug(),
        locale.code(),
        format.extension()
    )
}

/// Makes the reports the schedules owe (`app::reports::periodic`): each is gathered, printed
/// (the HTML is sent instead if Chromium fails), kept in the archive and emailed to its
/// recipients, once per schedule and period however many servers do this at the same time.
/// Answers the (schedule, period) of each report this call kept.
pub async fn make_due(
    db: &Db,
    base: &str,
    chromium: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(uuid::Uuid, Period)>, ReportError> {
    use app::reports::periodic::{self, db as periodic_db};
    let mut kept = Vec::new();
    for schedule in periodic_db::active(db).await? {
        let reported = periodic_db::reported(db, schedule.id).await?;
        for period in periodic::owed(schedule.cadence, schedule.created_at, now) {
            if reported.contains(&period.from) {
                continue;
            }
            let locale = schedule.locale;
            let report = app::reports::db::gather(db, period, now).await?;
            let html = app::reports::document(&report, locale, base);
            let pdf = match print(&html, chromium).await {
                Ok(pdf) => Some(pdf),
                Err(error) => {
                    tracing::error!(%error, "a scheduled report is sent as HTML: it could not be printed");
                    None
                }
            };
            let format = if pdf.is_some() {
                Format::Pdf
            } else {
                Format::Html
            };
            let link = format!(
                "{}{}",
                base.trim_end_matches('/'),
                periodic::periodic_path(locale)
            );
            let letter = periodic::letter(locale, period, &link);
            let made = periodic_db::Made {
                schedule: schedule.id,
                period,
                locale,
                html,
                pdf,
                recipients: schedule.recipients.clone(),
                subject: letter.subject,
                body: letter.body,
                file_name: file_name(period, locale, format),
                content_type: format.content_type().to_owned(),
            };
            if periodic_db::keep(db, &made, now).await? {
                tracing::info!(schedule = %schedule.id, from = %period.from, to = %period.to, "a scheduled impact report was made and queued");
                kept.push((schedule.id, period));
            }
        }
    }
    Ok(kept)
}

/// A folder of its own for one print, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Prints `html` to PDF with headless Chromium: the document is written to a private folder
/// with a fresh browser profile beside it, and nothing is fetched from the network (the
/// document holds its styles and charts).
pub async fn print(html: &str, chromium: &str) -> Result<Vec<u8>, ReportError> {
    let failed = |reason: String| ReportError::Print {
        program: chromium.to_owned(),
        reason,
    };
    let scratch = Scratch(
        std::env::temp_dir().join(format!("sharek-report-{}", uuid::Uuid::new_v4().simple())),
    );
    let (page, pdf) = (scratch.0.join("report.html"), scratch.0.join("report.pdf"));
    tokio::fs::create_dir_all(&scratch.0)
        .await
        .map_err(|e| failed(e.to_string()))?;
    tokio::fs::write(&page, html)
        .await
        .map_err(|e| failed(e.to_string()))?;
    let mut command = tokio::process::Command::new(chromium);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--mute-audio",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.0.join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    let child = command.spawn().map_err(|e| failed(e.to_string()))?;
    let output = tokio::time::timeout(PRINT_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| failed("timed out".to_owned()))?
        .map_err(|e| failed(e.to_string()))?;
    match tokio::fs::read(&pdf).await {
        Ok(bytes) if bytes.starts_with(b"%PDF") => Ok(bytes),
        _ => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let last = stderr.lines().rev().take(3).collect::<Vec<_>>().join(" | ");
            Err(failed(format!("{} ({last})", output.status)))
        }
    }
}
