//! Completion rate and median time, through the real response form.

use super::*;

fn two_pages() -> Definition {
    let first = Section {
        questions: vec![question(
            "pick",
            "Which colour?",
            Kind::SingleChoice {
                choices: choices(&SINGLE),
                other: false,
            },
        )],
        ..Section::new("s1")
    };
    let second = Section {
        questions: vec![question("agree", "Do you agree?", Kind::YesNo)],
        ..Section::new("s2")
    };
    survey("Two pages", vec![first, second])
}

/// The value of an attribute in a tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].replace("&amp;", "&"))
}

/// The hidden fields of a form page, as a browser sends them back.
fn hidden_fields(page: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<input") {
        let tag = &rest[start..];
        let end = tag.find('>').unwrap_or(tag.len());
        let input = &tag[..end];
        if attribute(input, "type").as_deref() == Some("hidden")
            && let Some(name) = attribute(input, "name")
            && name != "csrf"
        {
            fields.push((name, attribute(input, "value").unwrap_or_default()));
        }
        rest = &tag[end..];
    }
    fields
}

/// Posts a page of the public form with its hidden fields and these answers.
async fn answer_page(
    client: &mut Client,
    path: &str,
    hidden: &[(String, String)],
    typed: &[(&str, &str)],
) -> Reply {
    let mut form: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.extend_from_slice(typed);
    client.send(Method::POST, path, &form).await
}

async fn completion_rate_and_median_time(db: Db) {
    let id = make_survey(&db, &two_pages(), "two-pages").await;
    let path = "/en/s/two-pages";

    // One participant answers both pages, having opened the form five minutes ago.
    let mut finished = Client::new(&db);
    let form = finished.get(path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let mut hidden = hidden_fields(&form.body);
    let started = hidden
        .iter_mut()
        .find(|(k, _)| k == "started")
        .unwrap_or_else(|| {
            panic!(
                "a started field in {hidden:?}",
                hidden = hidden_fields(&form.body)
            )
        });
    let opened = Utc::now().timestamp() - 300;
    started.1 = opened.to_string();
    let next = answer_page(
        &mut finished,
        path,
        &hidden,
        &[
            ("stakeholder_group", "citizen"),
            ("q.pick", "c1"),
            ("action", "next"),
        ],
    )
    .await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    assert!(next.location.contains("page=1"), "{}", next.location);
    let second = finished.get(&next.location).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    let sent = answer_page(
        &mut finished,
        path,
        &hidden_fields(&second.body),
        &[("q.agree", "yes"), ("action", "submit")],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert!(sent.location.ends_with("/thanks"), "{}", sent.location);

    // Another leaves after the first page.
    let mut abandoned = Client::new(&db);
    let form = abandoned.get(path).await;
    let next = answer_page(
        &mut abandoned,
        path,
        &hidden_fields(&form.body),
        &[
            ("stakeholder_group", "resident"),
            ("q.pick", "c2"),
            ("action", "next"),
        ],
    )
    .await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    assert_eq!(responses_db::count(&db, id).await.expect("count"), 1);

    let token = api_token(&db, "analyst@ministry.example", Role::Analyst).await;
    let reply = api_get(&db, &format!("/api/v1/surveys/{id}/results"), &token).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["responses"], 1, "{json}");
    assert_eq!(
        json["completion"].as_f64(),
        Some(50.0),
        "one of two begun was sent: {json}"
    );
    let median = json["median_seconds"].as_f64().expect("a median time");
    assert!(
        (295.0..=310.0).contains(&median),
        "about five minutes from the first page: {median}"
    );

    let (_, mut analyst) = staff(&db, "analyst-page@ministry.example", &[Role::Analyst]).await;
    let page = analyst.get(&dashboard(id)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let figures = text_of(from(&page.body, "Completion rate"));
    assert!(figures.starts_with("Completion rate 50%"), "{figures}");
    assert!(
        figures.contains("Median time to complete 5 min 0 s"),
        "{figures}"
    );
}

server::on_both_backends!(completion_rate_and_median_time);
