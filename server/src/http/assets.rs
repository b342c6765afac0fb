//! Static assets. Everything under `/pkg/<build-id>/` is named by the build's content hash,
//! so browsers may keep it for a year; the favicon gets a day. The build writes a gzip copy
//! of each asset beside it, served to clients that accept it.

use axum::{
    Router,
    http::{HeaderValue, Response, StatusCode, header},
    response::Redirect,
    routing::get,
};
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

const A_YEAR: &str = "public, max-age=31536000, immutable";
const A_DAY: &str = "public, max-age=86400";

pub fn routes(state: &AppState) -> Router<AppState> {
    let root = &state.settings.site_root;
    let pkg = ServeDir::new(root.join("pkg")).precompressed_gzip();
    Router::new()
        .nest_service(
            "/pkg",
            ServiceBuilder::new()
                .map_response(cache_when_found(A_YEAR))
                .service(pkg),
        )
        .route_service(
            "/favicon.svg",
            ServiceBuilder::new()
                .map_response(cache_when_found(A_DAY))
                .service(ServeFile::new(root.join("favicon.svg"))),
        )
        .route(
            "/favicon.ico",
            get(|| async { Redirect::permanent("/favicon.svg") }),
        )
}

/// Sets `Cache-Control` on found files only: a missing asset must not be cached for a year.
fn cache_when_found<B>(policy: &'static str) -> impl Fn(Response<B>) -> Response<B> + Clone {
    move |mut response| {
        if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        }
        response
    }
}
