//! Impact-review reports (issue 17 §4, §5): the figures over the demo content, the staff page
//! and its downloads with their permission and bad-input handling, an empty period said so,
//! and the PDF printed by headless Chromium read back with poppler (`pdftotext`, `pdffonts`):
//! the Arabic comes out in logical order and every font is embedded. Both databases.

use app::Locale;
use app::accounts::Role;
use app::reports::Period;
use app::store::Db;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use server::reports::Format;
use server::testing::{Client, state_for};

use crate::support::staff;

/// Runs a poppler tool on `pdf` and answers what it printed (`after`: arguments after the
/// file, such as `-` for standard output).
fn poppler(tool: &str, pdf: &std::path::Path, args: &[&str], after: &[&str]) -> String {
    let output = std::process::Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(after)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils, installed by ./x.sh test): {e}"));
    assert!(
        output.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn reports_over_demo_content(db: Db) {
    server::demo::ensure_demo_content(&state_for(db.clone()))
        .await
        .expect("demo content");
    let today = app::dates::in_uae(Utc::now()).date_naive();
    let from = (today - Duration::days(3000)).to_string();
    let to = (today + Duration::days(1)).to_string();
    let period = Period::parse(&from, &to).expect("period");

    // The figures add up.
    let report = app::reports::db::gather(&db, period, Utc::now())
        .await
        .expect("report");
    assert!(report.responses > 0, "the demo has responses");
    assert_eq!(
        report.groups.iter().map(|(_, n)| n).sum::<i64>(),
        report.responses
    );
    assert_eq!(
        report.channels.iter().map(|(_, n)| n).sum::<i64>(),
        report.responses
    );
    assert_eq!(
        report.surveys.iter().map(|s| s.responses).sum::<i64>(),
        report.responses
    );
    assert!(!report.opportunities.is_empty());
    assert!(!report.outcomes.is_empty(), "the demo publishes outcomes");
    assert!(report.feedback.cases > 0, "the demo has feedback");

    // Analysts make reports; a visitor is sent to sign in, a participant is not let in.
    let page = format!("/ar/staff/reports?from={from}&to={to}");
    let visitor = Client::new(&db).get(&page).await;
    assert_ne!(visitor.status, StatusCode::OK);
    let (_, mut analyst) = staff(&db, "analyst@example.ae", &[Role::Analyst]).await;
    let shown = analyst.get(&page).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains("مراجعة الأثر"), "{}", shown.body);
    assert!(shown.body.contains("من شارك"));
    assert!(shown.body.contains("<svg"), "charts drawn");
    assert!(shown.body.contains("impact.pdf?from="));

    // Bad days: said per field, what was typed kept; the downloads send the person back.
    let bad = analyst.get("/en/staff/reports?from=2026-13-01&to=").await;
    assert!(bad.body.contains("Enter the first day as"), "{}", bad.body);
    assert!(bad.body.contains("Enter the last day of the period."));
    assert!(bad.body.contains("value=\"2026-13-01\""));
    let back = analyst
        .get("/en/staff/reports/impact.pdf?from=2026-10-01&to=2026-09-30")
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert!(
        back.location
            .starts_with("/en/staff/reports?from=2026-10-01"),
        "{}",
        back.location
    );

    // The HTML file.
    let file = analyst
        .get(&format!(
            "/ar/staff/reports/impact.html?from={from}&to={to}"
        ))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(
        file.header("content-disposition")
            .starts_with("attachment; filename=\"impact-review-")
    );
    assert!(
        file.body.contains("<html lang=\"ar\" dir=\"rtl\""),
        "{}",
        &file.body[..200.min(file.body.len())]
    );
    assert!(file.body.contains("وزارة تمكين المجتمع"));

    // A period with nothing in it says so.
    let empty = analyst
        .get("/en/staff/reports?from=2001-01-01&to=2001-03-31")
        .await;
    assert!(
        empty.body.contains("Nothing was recorded in this period"),
        "{}",
        empty.body
    );

    // The PDF, in Arabic: its text read back in logical order, its fonts embedded.
    let pdf = server::reports::file(
        &report,
        Locale::Ar,
        Format::Pdf,
        "http://127.0.0.1:3000",
        "chromium",
    )
    .await
    .expect("the PDF (Chromium, installed by ./x.sh test)");
    let path =
        std::env::temp_dir().join(format!("sharek-report-test-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, &pdf).expect("write the PDF");
    let text = poppler("pdftotext", &path, &["-enc", "UTF-8"], &["-"]);
    let fonts = poppler("pdffonts", &path, &[], &[]);
    let _ = std::fs::remove_file(&path);
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Words read back whole and in logical order. (Poppler extracts the lam-alef ligature as
    // alef-lam and splits letters from a shadda, so the words chosen have neither.)
    let html = app::reports::document(&report, Locale::Ar, "http://127.0.0.1:3000");
    for words in [
        "وزارة تمكين المجتمع",
        "من شارك",
        "الردود حسب القناة",
        "نبض الرأي العام الربعي",
    ] {
        assert!(html.contains(words), "{words:?} not in the HTML");
        assert!(
            collapsed.contains(words),
            "{words:?} not in the PDF's text:\n{collapsed}"
        );
    }
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in &rows {
        // name, type, encoding, emb, sub, uni, object ID: "emb" is the fourth from the end.
        let columns: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            columns[columns.len() - 5],
            "yes",
            "a font not embedded: {row}"
        );
    }
    assert!(fonts.contains("Arabic"), "an Arabic font: {fonts}");
}

server::on_both_backends!(reports_over_demo_content);

/// The file part of a multipart message as Python's Maildir keeps it: its headers (up to the
/// blank line) and its base64 content decoded.
fn attachment(body: &str) -> (String, Vec<u8>) {
    use base64::Engine;
    let start = body
        .find("Content-Disposition: attachment")
        .unwrap_or_else(|| panic!("no attachment in:\n{}", &body[..body.len().min(2000)]));
    let part = &body[start..];
    let (head, rest) = part.split_once("\n\n").expect("the part's blank line");
    let content: String = rest
        .lines()
        .take_while(|line| !line.starts_with("--"))
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content.trim())
        .expect("base64");
    (head.to_owned(), bytes)
}

/// Periodic reports (issue 17 §4): administrators schedule them (analysts only download);
/// after the period the report is made once however many servers try at the same moment,
/// kept in the archive and emailed with the file to each address through a real SMTP server;
/// a stopped schedule makes no more.
async fn periodic_reports_are_made_once_kept_and_emailed(db: Db) {
    use app::reports::{Preset, periodic};
    let page = "/en/staff/reports/periodic";
    let (_, mut analyst) = staff(&db, "analyst@example.ae", &[Role::Analyst]).await;
    let shown = analyst.get(page).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains("No reports are scheduled."));
    assert!(
        !shown.body.contains("Schedule the report"),
        "analysts do not schedule"
    );
    let refused = analyst
        .post(
            page,
            &[
                ("cadence", "month"),
                ("lang", "ar"),
                ("recipients", "a@b.ae"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // An administrator: a bad address is named and what was typed kept.
    let (_, mut admin) = staff(&db, "admin@example.ae", &[Role::Admin]).await;
    let bad = admin
        .post(
            "/ar/staff/reports/periodic",
            &[
                ("cadence", "month"),
                ("lang", "ar"),
                ("recipients", "board@ministry.ae\nboard"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("أدخل عناوين بريد إلكتروني"),
        "{}",
        bad.body
    );
    assert!(
        bad.body.contains("board@ministry.ae\nboard</textarea>"),
        "{}",
        bad.body
    );
    let made = admin
        .post(
            page,
            &[
                ("cadence", "month"),
                ("lang", "ar"),
                (
                    "recipients",
                    "Board@Ministry.ae\nboard@ministry.ae, audit@gov.ae",
                ),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    assert_eq!(made.location, "/en/staff/reports/periodic?done=scheduled");
    let listed = admin.get(&made.location).await;
    assert!(listed.body.contains("The report is scheduled."));
    assert!(listed.body.contains("audit@gov.ae"));

    // Nothing is owed while the first month runs; after it, two servers at once make one.
    let now = Utc::now();
    let base = "http://127.0.0.1:3000";
    assert!(
        server::reports::make_due(&db, base, "chromium", now)
            .await
            .expect("due")
            .is_empty()
    );
    let later = now + Duration::days(40);
    let owed = periodic::owed(Preset::Month, now, later);
    assert_eq!(owed.len(), 1);
    let (a, b) = tokio::join!(
        server::reports::make_due(&db, base, "chromium", later),
        server::reports::make_due(&db, base, "chromium", later),
    );
    let kept = a.expect("one server").len() + b.expect("another").len();
    assert_eq!(kept, 1, "one report for the period");
    assert!(
        server::reports::make_due(&db, base, "chromium", later)
            .await
            .expect("again")
            .is_empty()
    );

    // Kept in the archive, both files downloadable by analysts.
    let archive = periodic::db::archive(&db, 10).await.expect("archive");
    assert_eq!(archive.len(), 1);
    assert_eq!(archive[0].period, owed[0]);
    assert!(archive[0].has_pdf, "printed with Chromium");
    let listed = analyst.get(page).await;
    assert!(
        listed
            .body
            .contains(&periodic::archived_path(Locale::En, archive[0].id, "pdf"))
    );
    let pdf = analyst
        .get(&periodic::archived_path(Locale::En, archive[0].id, "pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    let name = format!("impact-review-{}-ar.pdf", owed[0].slug());
    assert!(pdf.header("content-disposition").contains(&name));
    let html = analyst
        .get(&periodic::archived_path(Locale::En, archive[0].id, "html"))
        .await;
    assert!(html.body.contains("<html lang=\"ar\" dir=\"rtl\""));
    for missing in [
        periodic::archived_path(Locale::En, uuid::Uuid::new_v4(), "pdf"),
        format!("{page}/{}/docx", archive[0].id),
        format!("{page}/not-an-id/pdf"),
    ] {
        assert_eq!(
            analyst.get(&missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    assert_ne!(
        Client::new(&db)
            .get(&periodic::archived_path(Locale::En, archive[0].id, "pdf"))
            .await
            .status,
        StatusCode::OK,
        "visitors download nothing"
    );

    // Emailed once to each address, in Arabic, with the PDF attached.
    let catcher = crate::support::smtp::MailCatcher::start().await;
    let mailer = server::mail::Mailer::new(&catcher.url(), "Sharek <no-reply@ministry.example>")
        .expect("mailer");
    let sent = server::mail::deliver(&db, &mailer, std::time::Duration::from_secs(60))
        .await
        .expect("deliver");
    assert_eq!(sent, 2);
    let received = catcher
        .wait_for(2, std::time::Duration::from_secs(20))
        .await;
    let mut to: Vec<&str> = received.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(to, ["audit@gov.ae", "board@ministry.ae"]);
    for message in &received {
        assert!(
            message.subject.starts_with("مراجعة الأثر"),
            "{}",
            message.subject
        );
        let (head, file) = attachment(&message.body);
        assert!(head.contains(&name), "{head}");
        assert!(file.starts_with(b"%PDF"), "the PDF itself");
    }

    // Stopped: no more reports; the archive stays.
    let schedule = periodic::db::active(&db).await.expect("active")[0].id;
    let stopped = admin
        .post(
            &format!("{page}/stop"),
            &[("schedule", &schedule.to_string())],
        )
        .await;
    assert_eq!(stopped.location, "/en/staff/reports/periodic?done=stopped");
    let again = admin
        .post(
            &format!("{page}/stop"),
            &[("schedule", &schedule.to_string())],
        )
        .await;
    assert!(
        again.body.contains("That schedule no longer runs."),
        "{}",
        again.body
    );
    let much_later = now + Duration::days(100);
    assert!(
        server::reports::make_due(&db, base, "chromium", much_later)
            .await
            .expect("due")
            .is_empty()
    );
    assert_eq!(
        periodic::db::archive(&db, 10).await.expect("archive").len(),
        1
    );
}

server::on_both_backends!(periodic_reports_are_made_once_kept_and_emailed);
