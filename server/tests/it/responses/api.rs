//! Partner apps posting responses through the JSON API.

use super::*;

/// Posts JSON with a bearer token; returns the status and the JSON body.
async fn api_post(
    db: &Db,
    path: &str,
    token: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let response = Client::new(db)
        .app
        .oneshot(request)
        .await
        .expect("response");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

fn api_response(submission: Uuid, pick: &str) -> serde_json::Value {
    serde_json::json!({
        "submission_id": submission,
        "stakeholder_group": "citizen",
        "answers": {"pick": {"type": "choice", "value": {"key": pick, "other": null}}},
        "channel": "partner",
        "source": "KSU",
    })
}

async fn partner_apps_post_responses_through_the_api(db: Db) {
    let id = make_survey(&db, one_page(), "api").await;
    let path = format!("/api/v1/surveys/{id}/responses");
    let admin = api_token(&db, "admin@ministry.example", Role::Admin).await;
    let submission = Uuid::new_v4();
    let (status, body) = api_post(&db, &path, &admin, api_response(submission, "c1")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "stored");
    let row = response(&db, id, &submission.to_string()).await;
    assert_eq!(
        (row.channel.as_str(), row.source.as_deref()),
        ("partner", Some("ksu"))
    );
    let (status, body) = api_post(&db, &path, &admin, api_response(submission, "c1")).await;
    assert_eq!(
        (status, &body["status"]),
        (StatusCode::OK, &"already_stored".into())
    );
    assert_eq!(count_rows(&db, id).await, 1);

    let (status, body) = api_post(&db, &path, &admin, api_response(Uuid::new_v4(), "c9")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["problems"][0]["field"], "answers.pick");
    assert_eq!(body["problems"][0]["code"], "unknown_choice");

    for role in [Role::Author, Role::Responder] {
        let token = api_token(&db, &format!("{}@ministry.example", role.code()), role).await;
        let (status, body) = api_post(&db, &path, &token, api_response(Uuid::new_v4(), "c2")).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {body}", role.code());
    }
    for role in [Role::Analyst, Role::Moderator] {
        let token = api_token(&db, &format!("{}@ministry.example", role.code()), role).await;
        let (status, _) = api_post(&db, &path, &token, api_response(Uuid::new_v4(), "c2")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", role.code());
    }
    assert_eq!(count_rows(&db, id).await, 3);
    let nowhere = format!("/api/v1/surveys/{}/responses", Uuid::new_v4());
    let (status, _) = api_post(&db, &nowhere, &admin, api_response(Uuid::new_v4(), "c1")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Invitation mode: the token is needed, and gives one response.
    let now = Utc::now();
    responses_db::save_collection_settings(&db, id, Some("api"), IdentityMode::Invitation, now)
        .await
        .expect("invitation mode");
    let made = responses_db::invite(&db, id, &["guest@example.org".to_owned()], now)
        .await
        .expect("invite");
    let (status, body) = api_post(&db, &path, &admin, api_response(Uuid::new_v4(), "c1")).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::CONFLICT, &"invitation_needed".into())
    );
    let mut invited = api_response(Uuid::new_v4(), "c1");
    invited["invitation"] = made[0].1.clone().into();
    let (status, body) = api_post(&db, &path, &admin, invited.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    invited["submission_id"] = Uuid::new_v4().to_string().into();
    let (status, body) = api_post(&db, &path, &admin, invited).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::CONFLICT, &"invitation_used".into())
    );

    close(&db, id).await;
    let (status, body) = api_post(&db, &path, &admin, api_response(Uuid::new_v4(), "c1")).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::CONFLICT, &"closed".into())
    );
    assert_eq!(count_rows(&db, id).await, 4);

    let document = Client::new(&db).get("/api/v1/openapi.json").await.json();
    let documented = &document["paths"]["/api/v1/surveys/{id}/responses"]["post"];
    assert!(documented.is_object(), "the endpoint is documented");
    for status in ["201", "200", "403", "409", "422"] {
        assert!(
            documented["responses"][status].is_object(),
            "{status} is documented"
        );
    }
}

server::on_both_backends!(partner_apps_post_responses_through_the_api);
