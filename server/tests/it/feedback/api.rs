//! The API door: partner and call-centre systems post cases (idempotent with their client id),
//! read them back, and receive replies as signed webhooks, checked here by a local listener.

use axum::{Router, body::Bytes, http::HeaderMap, routing::post};
use tokio::sync::mpsc;

use super::*;

fn body(client_id: &str, extra: serde_json::Value) -> String {
    let mut body = serde_json::json!({
        "client_id": client_id,
        "channel": "partner",
        "topic": "social_services",
        "message": "Forwarded from the call centre: a question about the family grant.",
        "language": "ar",
        "reply_by": "web",
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    body.to_string()
}

/// POSTs a JSON body to `/api/v1/feedback` with a bearer token: the status and the JSON body.
async fn post_json(app: &Router, token: &str, json: &str) -> (StatusCode, serde_json::Value) {
    use tower::ServiceExt;
    let request = axum::http::Request::post("/api/v1/feedback")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(json.to_owned()))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

async fn integrations_post_cases_and_get_signed_replies(db: Db) {
    let (team, lead, _) = team(&db, "social").await;
    route(
        &db,
        "social_services",
        team,
        72,
        app::feedback::clock::Counting::Elapsed,
    )
    .await;
    let token = crate::support::api_token(&db, "partner@ministry.example", Role::Responder).await;
    let mut state = server::testing::state_for(db.clone());
    let mut settings = (*state.settings).clone();
    settings.webhook_secret = Some("shared secret".into());
    state.settings = std::sync::Arc::new(settings);
    let app = server::app(state);

    let (status, json) = post_json(&app, &token, &body("call-1", serde_json::json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let reference = json["reference"].as_str().expect("reference").to_owned();
    assert!(
        json["tracking_url"]
            .as_str()
            .expect("tracking")
            .contains("/ar/feedback/track/")
    );
    let (status, again) = post_json(&app, &token, &body("call-1", serde_json::json!({}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["reference"], reference.as_str(), "the same case");
    assert!(again.get("tracking_url").is_none());

    let (status, bad) = post_json(
        &app,
        &token,
        &body(
            "call-2",
            serde_json::json!({"topic": "x", "language": "fr"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    let (status, bad) = post_json(
        &app,
        &token,
        &body("call-2", serde_json::json!({"reply_by": "webhook"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad.to_string().contains("reply_webhook"), "{bad}");
    let analyst = crate::support::api_token(&db, "analyst@ministry.example", Role::Analyst).await;
    let (status, _) = post_json(&app, &analyst, &body("call-3", serde_json::json!({}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A listener that keeps what it receives.
    let (sent, mut received) = mpsc::unbounded_channel::<(HeaderMap, Bytes)>();
    let listener = Router::new().route(
        "/hooks",
        post(move |headers: HeaderMap, body: Bytes| {
            let sent = sent.clone();
            async move {
                let _ = sent.send((headers, body));
                StatusCode::NO_CONTENT
            }
        }),
    );
    let address = crate::support::wire::serve(listener).await;
    let hook = format!("http://{address}/hooks");
    let (status, created) = post_json(
        &app,
        &token,
        &body(
            "call-4",
            serde_json::json!({"reply_by": "webhook", "reply_webhook": hook}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id: Uuid = created["id"].as_str().expect("id").parse().expect("uuid");
    let lead = actor(&db, lead).await;
    actions::reply(
        &db,
        &Desk::default(),
        &lead,
        id,
        "تم تمديد موعد التقديم.",
        false,
        Utc::now(),
    )
    .await
    .expect("reply");
    let delivered = server::webhooks::deliver(&db, "shared secret", Utc::now())
        .await
        .expect("deliver");
    assert_eq!(delivered, 1);
    let (headers, payload) = received.recv().await.expect("a delivery");
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let timestamp: i64 = header("x-sharek-timestamp").parse().expect("timestamp");
    assert_eq!(
        header("x-sharek-signature"),
        format!(
            "sha256={}",
            server::webhooks::signature("shared secret", timestamp, &payload)
        )
    );
    assert!(!header("x-sharek-delivery").is_empty());
    let payload: serde_json::Value = serde_json::from_slice(&payload).expect("json");
    assert_eq!(payload["text"], "تم تمديد موعد التقديم.");
    assert_eq!(
        server::webhooks::deliver(&db, "shared secret", Utc::now())
            .await
            .expect("again"),
        0,
        "once"
    );

    // The integration reads the case back.
    let case = crate::support::api_get(
        &db,
        &format!(
            "/api/v1/feedback/{}",
            payload["case"].as_str().expect("ref")
        ),
        &token,
    )
    .await;
    assert_eq!(case.status, StatusCode::OK);
    assert_eq!(case.json()["state"], "answered");
    assert_eq!(case.json()["replies"][0]["text"], "تم تمديد موعد التقديم.");
}

async fn failed_deliveries_are_retried_later(db: Db) {
    let (team, lead, _) = team(&db, "social").await;
    route(
        &db,
        "social_services",
        team,
        72,
        app::feedback::clock::Counting::Elapsed,
    )
    .await;
    let (id, _) = web_case(&db, "social_services", None, Utc::now()).await;
    // Nothing listens on port 9 of localhost.
    app::on_db!(&db, |pool| {
        sqlx::query("UPDATE feedback_cases SET reply_by = 'webhook', webhook_url = 'http://127.0.0.1:9/x' WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })
    .expect("update");
    let lead = actor(&db, lead).await;
    actions::reply(
        &db,
        &Desk::default(),
        &lead,
        id,
        "A reply.",
        false,
        Utc::now(),
    )
    .await
    .expect("reply");
    let now = Utc::now();
    assert_eq!(
        server::webhooks::deliver(&db, "s", now)
            .await
            .expect("deliver"),
        0
    );
    let (attempts, next): (i32, DateTime<Utc>) = app::on_db!(&db, |pool| {
        sqlx::query_as("SELECT attempts, next_attempt_at FROM webhook_deliveries")
            .fetch_one(pool)
            .await
    })
    .expect("delivery");
    assert_eq!(attempts, 1);
    assert!(next > now + Duration::seconds(30), "backed off: {next}");
    assert_eq!(
        server::webhooks::deliver(&db, "s", now)
            .await
            .expect("deliver"),
        0,
        "not before"
    );
}

server::on_both_backends!(
    integrations_post_cases_and_get_signed_replies,
    failed_deliveries_are_retried_later
);
