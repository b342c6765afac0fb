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
