//! Exports: formulas neutralised, every response streamed across pages, and every export
//! downloaded whole over a real socket, compressed or not.

use super::*;

const TRICKY: [&str; 6] = [
    "=HYPERLINK(\"http://x\")",
    "+1",
    "-2",
    "@SUM(A1)",
    "\t=1",
    "الخدمات ممتازة، شكرًا",
];

async fn exports_neutralise_formulas_and_stream_every_response(db: Db) {
    let definition = one_section(
        "Exports",
        vec![
            question(
                "pick",
                "Which colour?",
                Kind::SingleChoice {
                    choices: choices(&SINGLE),
                    other: false,
                },
            ),
            question(
                "note",
                "Anything else?",
                Kind::ShortText {
                    max_length: Some(200),
                },
            ),
        ],
    );
    let id = make_survey(&db, &definition, "exports").await;
    let at = Utc::now() - Duration::hours(1);
    let mut batch: Vec<Submission> = TRICKY
        .iter()
        .map(|t| {
            let a = answers(vec![("pick", Answer::choice("c1")), ("note", text(t))]);
            submission(id, "citizen", Channel::Web, a, at, Some(30))
        })
        .collect();
    // More than a page of the export (a thousand responses) behind them.
    batch.extend((0..1100).map(|i| {
        let a = answers(vec![(
            "pick",
            Answer::choice(if i % 2 == 0 { "c2" } else { "c3" }),
        )]);
        submission(id, "resident", Channel::Mobile, a, at, None)
    }));
    store_all(&db, &batch).await;
    let total = batch.len();

    let (_, mut analyst) = staff(&db, "analyst@ministry.example", &[Role::Analyst]).await;
    let base = dashboard(id);

    let csv = analyst.get(&format!("{base}/export.csv")).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(
        csv.header("content-type").starts_with("text/csv"),
        "{:?}",
        csv.headers
    );
    assert_eq!(csv.header("cache-control"), "no-store");
    assert!(
        csv.header("content-disposition").starts_with("attachment"),
        "{:?}",
        csv.headers
    );
    let body = csv
        .body
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("the CSV starts with a BOM: {:?}", &csv.body[..20]));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_owned)
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("a column {name} in {header:?}"))
    };
    let (note, pick, group) = (column("note"), column("pick"), column("stakeholder_group"));
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("well-formed CSV");
    assert_eq!(records.len(), total, "one row per response");
    assert!(
        records.iter().all(|r| r.len() == header.len()),
        "every row has every column"
    );
    let ids: BTreeSet<&str> = records.iter().map(|r| &r[0]).collect();
    assert_eq!(ids.len(), total, "each response once");
    let notes: BTreeSet<&str> = records
        .iter()
        .map(|r| &r[note])
        .filter(|n| !n.is_empty())
        .collect();
    let expected: BTreeSet<&str> = [
        "'=HYPERLINK(\"http://x\")",
        "+1",
        "-2",
        "'@SUM(A1)",
        "'\t=1",
        "الخدمات ممتازة، شكرًا",
    ]
    .into_iter()
    .collect();
    assert_eq!(
        notes, expected,
        "formulas get an apostrophe, plain numbers and Arabic stay"
    );
    let picks = records.iter().filter(|r| &r[pick] == "c2").count();
    assert_eq!(picks, 550);
    assert_eq!(
        records.iter().filter(|r| &r[group] == "citizen").count(),
        TRICKY.len()
    );

    let xlsx = analyst.get(&format!("{base}/export.xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK, "{}", xlsx.body);
    assert_eq!(
        xlsx.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(xlsx.header("cache-control"), "no-store");
    assert!(xlsx.body.starts_with("PK"), "a zip file");
    assert!(xlsx.body.len() > 10_000, "{} bytes", xlsx.body.len());

    let json = analyst.get(&format!("{base}/export.json")).await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    assert!(json.header("content-type").starts_with("application/json"));
    assert_eq!(json.header("cache-control"), "no-store");
    let document = json.json();
    assert_eq!(document["survey"], id.to_string());
    let responses = document["responses"]
        .as_array()
        .expect("a list of responses");
    assert_eq!(responses.len(), total, "every response, across pages");
    let ids: BTreeSet<&str> = responses.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids.len(), total, "each response once");
    let texts: BTreeSet<&str> = responses
        .iter()
        .filter_map(|r| r["answers"]["note"]["value"].as_str())
        .collect();
    assert_eq!(
        texts,
        TRICKY.into_iter().collect(),
        "JSON keeps the answers as typed"
    );

    let codebook = analyst.get(&format!("{base}/codebook.csv")).await;
    assert_eq!(codebook.status, StatusCode::OK, "{}", codebook.body);
    assert!(codebook.header("content-type").starts_with("text/csv"));
    assert_eq!(codebook.header("cache-control"), "no-store");
    assert!(codebook.body.starts_with('\u{feff}'), "a BOM");
    for expected in [
        "question_ar",
        "question_en",
        "سؤال note",
        "Anything else?",
        "خيار c1",
        "Red",
    ] {
        assert!(
            codebook.body.contains(expected),
            "the codebook has {expected:?}: {}",
            codebook.body
        );
    }

    let nowhere = analyst
        .get(&format!("{}/export.csv", dashboard(Uuid::new_v4())))
        .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
}

/// Every export arrives whole over a real connection, whatever encoding the client accepts:
/// none, gzip, brotli, or what Chromium asks for. Compressed CSV and JSON decode to exactly the
/// uncompressed bytes; XLSX (a zip already) is sent as it is.
async fn exports_download_whole_with_compression(db: Db) {
    let definition = one_section(
        "Compressed exports",
        vec![question(
            "pick",
            "Which colour?",
            Kind::SingleChoice {
                choices: choices(&SINGLE),
                other: false,
            },
        )],
    );
    let id = make_survey(&db, &definition, "compressed-exports").await;
    let at = Utc::now() - Duration::hours(1);
    // Three pages of the export, so the body is several chunks.
    let total = 2_500;
    let batch: Vec<Submission> = (0..total)
        .map(|i| {
            let a = answers(vec![("pick", Answer::choice(SINGLE[i % 3].0))]);
            submission(id, "citizen", Channel::Web, a, at, Some(40))
        })
        .collect();
    store_all(&db, &batch).await;
    let user = staff_user(&db, "wire-analyst@ministry.example", &[Role::Analyst]).await;
    let cookie = format!(
        "sharek_session={}",
        session_for(&db, user, Utc::now(), Utc::now()).await
    );
    let addr = wire::serve(server::app(server::testing::state_for(db.clone()))).await;

    for lang in ["ar", "en"] {
        let base = format!("/{lang}/staff/surveys/{id}/results");
        for file in ["export.csv", "export.json", "export.xlsx", "codebook.csv"] {
            let path = format!("{base}/{file}");
            let plain = wire::get(addr, &path, &[("cookie", &cookie)]).await;
            assert_eq!(plain.status, StatusCode::OK, "{path}");
            let plain = plain.decoded();
            for accept in ["gzip", "br", wire::BROWSER_ENCODINGS] {
                let reply = wire::get(
                    addr,
                    &path,
                    &[("cookie", &cookie), ("accept-encoding", accept)],
                )
                .await;
                assert_eq!(reply.status, StatusCode::OK, "{path} ({accept})");
                let encoding = reply.header("content-encoding").to_owned();
                if file.ends_with(".xlsx") {
                    assert_eq!(encoding, "", "a zip is not compressed again");
                } else {
                    let expected = if accept == "gzip" { "gzip" } else { "br" };
                    assert_eq!(encoding, expected, "{path} ({accept})");
                }
                let body = reply.decoded();
                // XLSX files are built anew each time (their timestamps may differ).
                if !file.ends_with(".xlsx") {
                    assert!(
                        body == plain,
                        "{path} ({accept}) decodes to the plain bytes"
                    );
                }
                match file {
                    "export.csv" => {
                        let text = std::str::from_utf8(&body).expect("UTF-8");
                        let text = text.strip_prefix('\u{feff}').expect("a BOM");
                        let rows = csv::Reader::from_reader(text.as_bytes())
                            .records()
                            .collect::<Result<Vec<_>, _>>()
                            .expect("well-formed CSV");
                        assert_eq!(rows.len(), total, "{path} ({accept}): every response");
                    }
                    "export.json" => {
                        let json: serde_json::Value =
                            serde_json::from_slice(&body).expect("the JSON parses");
                        let responses = json["responses"].as_array().expect("responses");
                        assert_eq!(responses.len(), total, "{path} ({accept})");
                    }
                    "export.xlsx" => {
                        assert!(body.starts_with(b"PK"), "a zip file");
                        assert!(body.len() > 20_000, "{} bytes", body.len());
                    }
                    _ => assert!(body.starts_with("\u{feff}".as_bytes()), "a BOM"),
                }
            }
        }
    }
}

server::on_both_backends!(
    exports_neutralise_formulas_and_stream_every_response,
    exports_download_whole_with_compression,
);
