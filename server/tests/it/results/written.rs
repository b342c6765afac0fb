//! The search of written answers, which ignores diacritics.

use super::*;

async fn text_answers_search_ignores_diacritics(db: Db) {
    let definition = one_section(
        "Text survey",
        vec![
            question(
                "comment",
                "Your comment",
                Kind::LongText { max_length: 2000 },
            ),
            question("mail", "Your email", Kind::Email),
        ],
    );
    let id = make_survey(&db, &definition, "texts").await;
    let at = Utc::now() - Duration::hours(1);
    let batch: Vec<Submission> = [
        ("الخِدْمَات ممتازة", "first@example.org"),
        ("بطيئة", "second@example.org"),
    ]
    .iter()
    .map(|(comment, mail)| {
        let a = answers(vec![("comment", text(comment)), ("mail", text(mail))]);
        submission(id, "citizen", Channel::Web, a, at, None)
    })
    .collect();
    store_all(&db, &batch).await;
    let (_, mut analyst) = staff(&db, "analyst@ministry.example", &[Role::Analyst]).await;
    let base = format!("{}/text", dashboard(id));

    let all = analyst.get(&format!("{base}/comment")).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert!(
        all.body.contains("الخِدْمَات ممتازة") && all.body.contains("بطيئة"),
        "{}",
        all.body
    );
    assert!(!all.body.contains("@example.org"), "no email addresses");

    let found = analyst
        .get(&format!("{base}/comment?search={}", encode("الخدمات")))
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert!(
        found.body.contains("الخِدْمَات ممتازة"),
        "{}",
        main_text(&found.body)
    );
    assert!(!found.body.contains("بطيئة"), "{}", main_text(&found.body));
    let none = analyst
        .get(&format!("{base}/comment?search={}", encode("سريعة")))
        .await;
    assert!(
        none.body.contains("No written answers match."),
        "{}",
        main_text(&none.body)
    );
    assert!(!none.body.contains("بطيئة") && !none.body.contains("الخِدْمَات"));

    for question in ["mail", "nope"] {
        let reply = analyst.get(&format!("{base}/{question}")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{question}");
        assert!(!reply.body.contains("@example.org"), "{question}");
    }
    // The dashboard links to the comments' page, not to the addresses'.
    let page = analyst.get(&dashboard(id)).await;
    assert!(
        page.body.contains(&format!("{base}/comment")),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&format!("{base}/mail")));
}

server::on_both_backends!(text_answers_search_ignores_diacritics);
