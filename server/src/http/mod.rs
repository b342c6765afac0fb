//! The router: Leptos pages and the few plain axum routes beside them, wrapped in the
//! layers every response passes through (security headers, language cookie, compression,
//! tracing).

pub mod access;
mod accounts;
pub mod api;
mod assets;
pub mod client;
mod consultations;
pub(crate) mod encoding;
mod feedback;
mod forms;
mod headers;
mod locale;
mod moderation;
mod opportunities;
mod outcomes;
mod participants;
mod reports;
mod responses;
mod results;
mod session;
mod surveys;

pub use forms::Pages;

use std::sync::{Arc, OnceLock};

use axum::{
    Extension, Router,
    body::Body,
    extract::State,
    http::{Request, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower_http::{
    compression::{
        CompressionLayer,
        predicate::{DefaultPredicate, NotForContentType, Predicate},
    },
    trace::TraceLayer,
};

use crate::{AppState, HEALTH_TIMEOUT};

/// The app's page routes, generated once per process. Generating them renders the app with
/// resource loading suppressed process-wide, which would stall any page rendering at the same
/// moment (leptos issue #4773), so it must not happen again once requests are served.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let context = leptos_context(&state);
    let shell = {
        let options = (*state.leptos).clone();
        move || app::shell(options.clone())
    };
    // Pages shown again after a form post (and the 404 page) render whole before they are sent,
    // like the data pages' routes (SsrMode::Async): without JavaScript, a streamed page would
    // keep its loading placeholders.
    let render = leptos_axum::render_app_async_with_context(context.clone(), shell.clone());
    let pages = Pages(Arc::new(move |request| Box::pin(render(request))));
    let not_found = pages.clone();
    Router::new()
        .route("/", get(locale::root_redirect))
        .route("/healthz", get(healthz))
        .merge(assets::routes(&state))
        .merge(api::routes())
        .merge(accounts::routes())
        .merge(surveys::routes())
        .merge(responses::routes())
        .merge(opportunities::routes())
        .merge(results::routes())
        .merge(feedback::routes())
        .merge(participants::routes())
        .merge(consultations::routes())
        .merge(moderation::routes())
        .merge(outcomes::routes())
        .merge(reports::routes())
        // A form handler's own failure becomes a page with an apology (`forms::server_error`).
        .route_layer(middleware::from_fn_with_state(
            pages.clone(),
            forms::apologise,
        ))
        .leptos_routes_with_context(&state, routes, context, shell)
        // Unknown paths render the app too: its router shows the 404 page in the right language.
        .fallback(move |request: Request<Body>| (not_found.0)(request))
        // Outer to inner: where the request comes from, who the visitor is, what they may do.
        .layer(middleware::from_fn(access::enforce))
        .layer(middleware::from_fn_with_state(state.clone(), session::load))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            client::identify,
        ))
        .layer(Extension(pages))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            locale::remember_language,
        ))
        .layer(middleware::from_fn(headers::security_headers))
        .layer(compression())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// gzip or brotli (quality 4) for what gains from it: pages, CSV, JSON, SVG, feeds, streamed
/// or not. Not for what is compressed already: XLSX workbooks are zip files (compressing them
/// again costs CPU on both ends for nothing), and the assets carry their own gzip copies
/// (`assets`), which the layer leaves alone because they already have a `Content-Encoding`.
/// The tower-http defaults also skip images, gRPC, event streams and bodies under 32 bytes.
pub(crate) fn compression() -> CompressionLayer<impl Predicate> {
    const ZIPPED: NotForContentType =
        NotForContentType::const_new("application/vnd.openxmlformats-officedocument");
    CompressionLayer::new().compress_when(DefaultPredicate::new().and(ZIPPED))
}

/// What server functions and pages can reach through `use_context`.
fn leptos_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let db = state.db.clone();
    let site = app::page_state::SiteUrl(state.settings.base_url.to_string());
    let desk = state.settings.desk.clone();
    move || {
        leptos::prelude::provide_context(db.clone());
        leptos::prelude::provide_context(site.clone());
        leptos::prelude::provide_context(desk.clone());
    }
}

/// 200 when the database answers within the timeout, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(HEALTH_TIMEOUT, state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok").into_response(),
        Ok(Err(error)) => {
            tracing::warn!(%error, "health check: database error");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => {
            tracing::warn!("health check: database timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
