//! The report as a standalone HTML document: the same [`ReportBody`] as the staff page, with
//! its own stylesheet inside (screen and print, A4), so the file reads the same anywhere and
//! headless Chromium prints it to the PDF. Arabic text is set in Noto (Naskh or Sans Arabic)
//! where installed; Chromium shapes it and embeds the fonts it used.

use leptos::prelude::*;

use super::ImpactReport;
use super::body::ReportBody;
use crate::Locale;

const STYLE: &str = r#"
@page { size: A4; margin: 18mm 16mm; }
html { font-family: "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans", "DejaVu Sans", sans-serif;
  color: #1f2933; line-height: 1.5; font-size: 11pt; }
body { margin: 0 auto; max-inline-size: 60rem; padding: 1rem; }
.masthead { border-block-end: 3px solid #0b5c4a; margin-block-end: 1rem; }
.masthead p { margin: 0 0 0.3rem; font-weight: 700; color: #0b5c4a; }
h2 { font-size: 1.6rem; margin-block: 0 0.25rem; }
h3 { font-size: 1.25rem; margin-block: 1.5rem 0.5rem; border-block-end: 1px solid #cbd2d9; }
h4 { font-size: 1.05rem; margin-block: 1rem 0.25rem; }
.report-meta, .report-did { color: #52606d; }
.report-did { margin: 0.2rem 0 0; font-weight: 400; }
.figures { display: flex; flex-wrap: wrap; gap: 0.75rem 2rem; margin-block: 1rem; }
.figures dt { font-size: 0.9rem; color: #52606d; }
.figures dd { margin: 0; font-size: 1.4rem; font-weight: 700; }
table { border-collapse: collapse; inline-size: 100%; margin-block: 0.5rem 1rem; }
caption { text-align: start; font-weight: 700; padding-block: 0.25rem; }
th, td { border-block-end: 1px solid #cbd2d9; padding: 0.3rem 0.5rem; text-align: start; vertical-align: top; }
thead th { border-block-end: 2px solid #52606d; }
tr.under td, tr.under th { background: #fff4e5; }
.chart svg { display: block; max-inline-size: 100%; block-size: auto; }
.chart-figure { margin: 0 0 0.5rem; }
.notice { border-inline-start: 4px solid #0b5c4a; padding: 0.5rem 1rem; background: #f0f4f8; }
a { color: #0b5c4a; }
section, table, figure { break-inside: avoid-page; }
h3, h4 { break-after: avoid-page; }
"#;

/// The report over `report.period` as a whole HTML document in `locale`. `base` is the site's
/// address, so links to public outcome pages work from the file.
pub fn document(report: &ImpactReport, locale: Locale, base: &str) -> String {
    let owner = Owner::new();
    owner.with(|| {
        let title = report.title(locale);
        let ministry = locale.t("reports.ministry");
        let report = report.clone();
        let base = base.trim_end_matches('/').to_owned();
        view! {
            <!DOCTYPE html>
            <html lang=locale.code() dir=locale.dir()>
                <head>
                    <meta charset="utf-8"/>
                    <meta name="viewport" content="width=device-width, initial-scale=1"/>
                    <title>{title}</title>
                    <style inner_html=STYLE></style>
                </head>
                <body>
                    <header class="masthead"><p>{ministry}</p></header>
                    <main>
                        <ReportBody report locale base/>
                    </main>
                </body>
            </html>
        }
        .to_html()
    })
}
