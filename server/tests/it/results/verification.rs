//! `verify` finds a difference injected into the stored counts, and its repair mends it, in
//! process and through the real `sharek results verify`.

use super::*;
use crate::support::{SHAREK, url_of};

/// Runs `sharek results verify …`; returns its exit code and its output.
fn sharek_verify(db: &Db, args: &[&str]) -> (Option<i32>, String) {
    let output = std::process::Command::new(SHAREK)
        .args(["results", "verify", "--database-url", &url_of(db)])
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run sharek");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

type CountKey = (i32, String, String, String, String, String, String);

/// One stored count of a question's answer, with its dimensions and `n`.
async fn a_count(db: &Db, survey: Uuid, question: &str) -> (CountKey, i64) {
    let row: (i32, String, String, String, String, String, String, i64) = app::on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT wave, day, stakeholder_group, channel, question, item, value, CAST(n AS BIGINT) \
             FROM result_counts WHERE survey_id = $1 AND question = $2 AND value <> '' \
             ORDER BY day, stakeholder_group, channel, item, value LIMIT 1",
        )
        .bind(survey)
        .bind(question)
        .fetch_one(pool)
        .await
        .expect("a stored count")
    });
    let (wave, day, group, channel, question, item, value, n) = row;
    ((wave, day, group, channel, question, item, value), n)
}

/// Adds one to a stored count.
async fn bump(db: &Db, survey: Uuid, key: &CountKey) {
    let (wave, day, group, channel, question, item, value) = key;
    let changed = app::on_db!(db, |pool| {
        sqlx::query(
            "UPDATE result_counts SET n = n + 1 WHERE survey_id = $1 AND wave = $2 AND day = $3 \
             AND stakeholder_group = $4 AND channel = $5 AND question = $6 AND item = $7 AND value = $8",
        )
        .bind(survey)
        .bind(*wave)
        .bind(day)
        .bind(group)
        .bind(channel)
        .bind(question)
        .bind(item)
        .bind(value)
        .execute(pool)
        .await
        .expect("change a count")
        .rows_affected()
    });
    assert_eq!(changed, 1, "one count changed");
}

/// Results with their means rounded: sums of decimals differ in the last bits with the order
/// they were added in.
fn rounded(mut results: Results) -> Results {
    let round = |x: &mut Option<f64>| {
        if let Some(v) = x {
            *v = (*v * 1e9).round() / 1e9;
        }
    };
    for q in &mut results.questions {
        match &mut q.summary {
            Summary::Scale { mean, .. } | Summary::Numeric { mean, .. } => round(mean),
            Summary::Ranking { items } => items.iter_mut().for_each(|(_, m)| round(m)),
            _ => {}
        }
    }
    results
}

async fn verify_finds_an_injected_difference_and_repair_fixes_it(db: Db) {
    let definition = every_kind();
    let id = make_survey(&db, &definition, "verified").await;
    let mut rng = Rng::new(42);
    let batch: Vec<Submission> = (0..60).map(|_| random_submission(&mut rng, id)).collect();
    store_all(&db, &batch).await;
    let report = verify::verify(&db, id).await.expect("verify");
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.responses, 60);
    // The changed count's group: a dashboard filtered by group reads the per-day counts (an
    // unfiltered one reads the totals, which stay right).
    let (key, n) = a_count(&db, id, "single").await;
    let by_group = Filter {
        groups: vec![key.2.clone()],
        ..Filter::default()
    };
    let before = build::results(&db, id, &definition, &by_group, Locale::En, Audience::Staff)
        .await
        .expect("results");

    // A count one too high.
    bump(&db, id, &key).await;
    let report = verify::verify(&db, id).await.expect("verify");
    assert!(!report.ok(), "a changed count is found");
    let (wave, day, group, channel, question, item, value) = key.clone();
    assert_eq!(
        report.counts,
        vec![(
            format!("{wave}|{day}|{group}|{channel}|{question}"),
            item,
            value,
            n + 1,
            n
        )],
        "exactly the changed count, stored and recomputed"
    );
    assert_eq!(report.codes, 0, "{report:?}");
    let skewed = build::results(&db, id, &definition, &by_group, Locale::En, Audience::Staff)
        .await
        .expect("results");
    assert_ne!(
        rounded(skewed).questions,
        rounded(before.clone()).questions,
        "the dashboard reads the counts"
    );
    assert_eq!(results_db::rebuild(&db, id).await.expect("rebuild"), 60);
    let report = verify::verify(&db, id).await.expect("verify");
    assert!(report.ok(), "repaired: {report:?}");
    let after = build::results(&db, id, &definition, &by_group, Locale::En, Audience::Staff)
        .await
        .expect("results");
    assert_eq!(
        rounded(after.clone()),
        rounded(before),
        "the rebuilt results are the ones before the change"
    );
    assert_eq!(
        after.completion,
        Some(100.0),
        "the starts survive a rebuild"
    );

    // A coded row gone.
    let first = raw_responses(&db, id).await[0].id;
    let gone = app::on_db!(&db, |pool| {
        sqlx::query("DELETE FROM result_rows WHERE response_id = $1")
            .bind(first)
            .execute(pool)
            .await
            .expect("delete a coded row")
            .rows_affected()
    });
    assert_eq!(gone, 1);
    let report = verify::verify(&db, id).await.expect("verify");
    assert!(!report.ok(), "a missing coded row is found");
    assert_eq!((report.codes, report.counts.len()), (1, 0), "{report:?}");
    results_db::rebuild(&db, id).await.expect("rebuild");
    let report = verify::verify(&db, id).await.expect("verify");
    assert!(report.ok(), "repaired: {report:?}");

    // The same through the real command.
    let (code, output) = sharek_verify(&db, &[]);
    assert_eq!(code, Some(0), "nothing to report: {output}");
    assert!(
        output.contains(&format!("{id}: ok, 60 responses")),
        "{output}"
    );
    bump(&db, id, &key).await;
    let (code, output) = sharek_verify(&db, &["--survey", &id.to_string()]);
    assert_eq!(code, Some(1), "a difference is a failure: {output}");
    assert!(output.contains("1 counts differ"), "{output}");
    assert!(
        output.contains(&format!("stored {}, recomputed {n}", n + 1)),
        "{output}"
    );
    assert!(output.contains("--repair"), "says how to repair: {output}");
    let (code, output) = sharek_verify(&db, &["--survey", &id.to_string(), "--repair"]);
    assert_eq!(code, Some(0), "repaired: {output}");
    assert!(output.contains("repaired from 60 responses"), "{output}");
    let (code, output) = sharek_verify(&db, &["--survey", &id.to_string()]);
    assert_eq!(code, Some(0), "{output}");
    assert!(verify::verify(&db, id).await.expect("verify").ok());
}

server::on_both_backends!(verify_finds_an_injected_difference_and_repair_fixes_it);
