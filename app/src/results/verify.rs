//! `sharek results verify`: recomputes a survey's running counts, coded rows and crosstab
//! pair counts from the raw answers and reports every difference, so a bug or a hand edit can
//! never silently skew a report. Reads the responses a page at a time; memory grows with the
//! number of distinct counts, not with the number of responses.

use uuid::Uuid;

use super::db::{self, RawResponse};
use super::rules::{Cell, RESPONSE, Tally, cells, choices, encode, pairs};
use super::summary::crosstab_question;
use crate::store::{Db, StoreError};
use crate::surveys::conditions::Answers;

/// What verifying one survey found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub survey: Uuid,
    pub responses: u64,
    /// Counts that differ: (wave|day|group|channel|question — or wave|question for the
    /// totals, or wave|a|b for the pair counts —, item or x, value or y, stored, recomputed).
    pub counts: Vec<(String, String, String, i64, i64)>,
    /// Responses whose coded row (codes or choices) is missing or differs.
    pub codes: u64,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.counts.is_empty() && self.codes == 0
    }
}

/// Adds a response to the recomputed counts (every dimension) and totals (by wave).
fn add(counts: &mut Tally, totals: &mut Tally, r: &RawResponse, cells: &[Cell]) {
    let dims = format!(
        "{}|{}|{}|{}|",
        r.wave,
        db::day_of(r.submitted_at),
        r.group,
        r.channel
    );
    counts.add(&format!("{dims}{RESPONSE}"), "", "", 1, 0.0);
    totals.add(&format!("{}|{RESPONSE}", r.wave), "", "", 1, 0.0);
    totals.add(
        &format!("{}|{RESPONSE}", r.wave),
        db::GROUP,
        &r.group,
        1,
        0.0,
    );
    totals.add(
        &format!("{}|{RESPONSE}", r.wave),
        db::CHANNEL,
        &r.channel,
        1,
        0.0,
    );
    for c in cells {
        counts.add(
            &format!("{dims}{}", c.question),
            &c.item,
            &c.value,
            1,
            c.total,
        );
        totals.add(
            &format!("{}|{}", r.wave, c.question),
            &c.item,
            &c.value,
            1,
            c.total,
        );
    }
}

/// Recomputes one survey's counts and codes and compares them with the stored ones.
pub async fn verify(db: &Db, survey: Uuid) -> Result<Report, StoreError> {
    let definition = crate::surveys::db::get(db, survey)
        .await?
        .map(|s| s.definition)
        .unwrap_or_default();
    let keep = |key: &str| {
        definition
            .question(key)
            .is_some_and(|q| crosstab_question(&q.kind))
    };
    let mut recomputed = Tally::default();
    let mut totals = Tally::default();
    let mut paired = Tally::default();
    let mut report = Report {
        survey,
        ..Report::default()
    };
    let mut after = Uuid::nil();
    loop {
        let page = db::raw_page(db, survey, after, 2000).await?;
        let (Some(first), Some(last)) = (page.first(), page.last()) else {
            break;
        };
        let stored = db::stored_codes(db, survey, first.id, last.id).await?;
        after = last.id;
        for r in &page {
            let answers: Answers = serde_json::from_str(&r.answers)
                .map_err(|e| StoreError::Corrupt(format!("answers of {}: {e}", r.id)))?;
            let cells = cells(&answers, r.duration);
            add(&mut recomputed, &mut totals, r, &cells);
            let (codes, choices) = (encode(&cells), choices(&answers));
            match stored.get(&r.id) {
                Some(row) if row.codes == codes && row.choices == choices => {
                    // Folded rows are in the pair counts; the others are read as they are.
                    if row.folded {
                        let wave = r.wave;
                        pairs(&choices, &keep, |a, x, b, y| {
                            paired.add(&format!("{wave}|{a}|{b}"), x, y, 1, 0.0);
                        });
                    }
                }
                _ => report.codes += 1,
            }
            report.responses += 1;
        }
    }
    let stored = db::stored_counts(db, survey).await?;
    let stored_totals = db::stored_totals(db, survey).await?;
    let stored_pairs = db::stored_pairs(db, survey).await?;
    report.counts = stored
        .differences(&recomputed)
        .into_iter()
        .chain(stored_totals.differences(&totals))
        .chain(stored_pairs.differences(&paired))
        .map(|((q, item, value), a, b)| (q, item, value, a.n, b.n))
        .collect();
    Ok(report)
}
