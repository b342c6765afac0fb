//! The opportunities JSON API.

use super::*;

async fn the_api_lists_reads_and_changes_opportunities(db: Db) {
    let [open, _, _, _, draft] = a_catalogue(&db).await;
    let (status, _, list) = json(&db, Method::GET, "/api/v1/opportunities", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let list = list.as_array().expect("a list").clone();
    assert_eq!(list.len(), 4);
    assert_eq!(list[0]["title_en"], "Open health consultation");
    assert_eq!(list[0]["status"], "open");
    assert_eq!(list.last().expect("one")["status"], "closed");
    let (_, _, ngos) = json(
        &db,
        Method::GET,
        "/api/v1/opportunities?group=ngo&topic=health",
        None,
        None,
    )
    .await;
    assert_eq!(ngos.as_array().expect("list").len(), 2);
    let (status, _, error) = json(
        &db,
        Method::GET,
        "/api/v1/opportunities?status=soon",
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );

    let (status, _, one) = json(
        &db,
        Method::GET,
        &format!("/api/v1/opportunities/{open}"),
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, one["id"].as_str()),
        (StatusCode::OK, Some(open.to_string().as_str()))
    );
    let draft_path = format!("/api/v1/opportunities/{draft}");
    assert_eq!(
        json(&db, Method::GET, &draft_path, None, None).await.0,
        StatusCode::NOT_FOUND
    );
    let analyst = api_token_for(
        &db,
        staff_user(&db, "sara@ministry.example", &[Role::Analyst]).await,
        None,
    )
    .await;
    assert_eq!(
        json(&db, Method::GET, &draft_path, Some(&analyst), None)
            .await
            .0,
        StatusCode::OK,
        "staff read drafts"
    );

    let author = api_token_for(
        &db,
        staff_user(&db, "omar@ministry.example", &[Role::Author]).await,
        None,
    )
    .await;
    let body = serde_json::json!({
        "kind": "event", "title_ar": "لقاء مفتوح", "title_en": "Open meeting", "topic": "economy",
        "groups": ["private_company"], "starts_at": "2030-05-01T10:00:00Z", "ends_at": "2030-05-01T12:00:00Z",
        "location": "Abu Dhabi", "published": true
    });
    let (status, _, _) = json(
        &db,
        Method::POST,
        "/api/v1/opportunities",
        Some(&analyst),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, headers, made) = json(
        &db,
        Method::POST,
        "/api/v1/opportunities",
        Some(&author),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["id"].as_str().expect("an id").to_owned();
    assert_eq!(
        headers[header::LOCATION],
        format!("/api/v1/opportunities/{id}").as_str()
    );
    assert_eq!(
        (made["status"].as_str(), made["groups"].clone()),
        (Some("upcoming"), serde_json::json!(["private_company"]))
    );

    let mut bad = body.clone();
    bad["title_ar"] = "".into();
    bad["link"] = "javascript:alert(1)".into();
    let (status, _, error) = json(
        &db,
        Method::POST,
        "/api/v1/opportunities",
        Some(&author),
        Some(bad),
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid"))
    );
    assert_eq!(error["problems"][0]["field"], "title_ar");
    assert_eq!(error["problems"][0]["message"], "Enter the title in Arabic");
    assert_eq!(
        error["problems"][1]["code"],
        "opportunities.error.link_invalid"
    );
    let (status, _, error) = json(
        &db,
        Method::POST,
        "/api/v1/opportunities",
        Some(&author),
        Some(serde_json::json!({"groups": "x"})),
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );

    let mut changed = body.clone();
    changed["title_en"] = "Open meeting, moved".into();
    let path = format!("/api/v1/opportunities/{id}");
    let (status, _, after) = json(
        &db,
        Method::PUT,
        &path,
        Some(&author),
        Some(changed.clone()),
    )
    .await;
    assert_eq!(
        (status, after["title_en"].as_str()),
        (StatusCode::OK, Some("Open meeting, moved"))
    );
    let unknown = format!("/api/v1/opportunities/{}", Uuid::nil());
    assert_eq!(
        json(&db, Method::PUT, &unknown, Some(&author), Some(changed))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let log = audit_db::recent(&db, 10).await.expect("audit log");
    assert!(
        log.iter()
            .any(|(_, e)| e.action == "opportunity.update" && e.entity_id == id)
    );
}

server::on_both_backends!(the_api_lists_reads_and_changes_opportunities);
