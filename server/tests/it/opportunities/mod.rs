//! Participation opportunities over HTTP: the public catalogue and its filters, the detail
//! page with its share previews, 404 for what is not published, staff adding and changing
//! opportunities (errors shown with everything typed), permissions, the JSON API and the
//! Atom and iCalendar feeds in both languages. Every check runs on SQLite and PostgreSQL.

use app::accounts::Role;
use app::audit::db as audit_db;
use app::opportunities::rules::OpportunityFields;
use app::opportunities::{OpportunityKind, StakeholderGroup, db};
use app::store::Db;
use axum::{
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use chrono::{Duration, Utc};
use icalendar::Component;
use server::testing::{Client, api_token_for, session_for, staff_user};
use tower::ServiceExt;
use uuid::Uuid;

mod api;
mod catalogue;
mod feeds;
mod staff;

/// A published consultation about health for everyone, open for ten more days.
fn consultation(title_en: &str) -> OpportunityFields {
    let now = Utc::now();
    OpportunityFields {
        kind: OpportunityKind::Consultation,
        title_ar: format!("استشارة {title_en}"),
        title_en: title_en.to_owned(),
        summary_ar: "ملخص الاستشارة".to_owned(),
        summary_en: format!("What {title_en} is about"),
        body_ar: "الفقرة الأولى.\n\nالفقرة الثانية.".to_owned(),
        body_en: "First paragraph.\n\nSecond paragraph.".to_owned(),
        topic: "health".to_owned(),
        groups: Vec::new(),
        starts_at: Some(now - Duration::days(1)),
        ends_at: Some(now + Duration::days(10)),
        location: String::new(),
        link: String::new(),
        published: true,
    }
}

async fn add(db: &Db, fields: OpportunityFields) -> Uuid {
    db::create(db, &fields, Utc::now())
        .await
        .expect("create opportunity")
}

/// Four published opportunities (open, upcoming, closed, open for NGOs) and one unpublished.
async fn a_catalogue(db: &Db) -> [Uuid; 5] {
    let now = Utc::now();
    let open = add(db, consultation("Open health consultation")).await;
    let upcoming = add(
        db,
        OpportunityFields {
            kind: OpportunityKind::Workshop,
            topic: "education".to_owned(),
            starts_at: Some(now + Duration::days(5)),
            ends_at: Some(now + Duration::days(5) + Duration::hours(3)),
            location: "Hall 2".to_owned(),
            ..consultation("Upcoming education workshop")
        },
    )
    .await;
    let closed = add(
        db,
        OpportunityFields {
            kind: OpportunityKind::Event,
            topic: "culture".to_owned(),
            starts_at: Some(now - Duration::days(20)),
            ends_at: Some(now - Duration::days(19)),
            ..consultation("Closed culture event")
        },
    )
    .await;
    let for_ngos = add(
        db,
        OpportunityFields {
            groups: vec![StakeholderGroup::Ngo, StakeholderGroup::Expert],
            ..consultation("Consultation for NGOs")
        },
    )
    .await;
    let draft = add(
        db,
        OpportunityFields {
            published: false,
            ..consultation("Unpublished draft")
        },
    )
    .await;
    [open, upcoming, closed, for_ngos, draft]
}

/// The fields of a valid staff form.
fn form<'a>(title_en: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("kind", "workshop"),
        ("title_ar", "ورشة تصميم الخدمات"),
        ("title_en", title_en),
        ("summary_ar", "ملخص"),
        ("summary_en", "A summary"),
        ("body_ar", ""),
        ("body_en", "Details"),
        ("topic", "digital_services"),
        ("groups", "citizen"),
        ("groups", "academic"),
        ("starts_at", "2030-03-01T09:00"),
        ("ends_at", "2030-03-01T12:30"),
        ("location", "Hall 1"),
        ("link", "https://events.example/join"),
        ("published", "on"),
    ];
    for (name, value) in extra {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

/// Sends a JSON request with a bearer token; returns the status, headers and JSON body.
async fn json(
    db: &Db,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (StatusCode, HeaderMap, serde_json::Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let body = body.map(|b| Body::from(b.to_string())).unwrap_or_default();
    let response = Client::new(db)
        .app
        .oneshot(request.body(body).expect("request"))
        .await
        .expect("response");
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let value = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, headers, value)
}
