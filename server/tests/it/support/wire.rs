//! Requests over a real socket, as a browser sends them: the router served by hyper on a free
//! local port, `Accept-Encoding` as Chromium asks (`gzip, deflate, br, zstd`), the body read
//! frame by frame and decoded. An in-process `oneshot` skips hyper's framing, where a body
//! that ends early turns into a download that fails; this does not.

use std::io::Read;

use axum::{Router, body::Body, http::HeaderMap};
use http_body_util::BodyExt;
use hyper::{Request, StatusCode, client::conn::http1};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

/// What Chromium sends in `Accept-Encoding`.
pub const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

/// A response read over the wire.
pub struct WireReply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as sent (still encoded), or why it did not arrive whole.
    pub body: Result<Vec<u8>, String>,
}

impl WireReply {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The body decoded by its `Content-Encoding`; panics (failing the test) when it was cut
    /// off or does not decode whole.
    pub fn decoded(&self) -> Vec<u8> {
        let raw = match &self.body {
            Ok(raw) => raw.as_slice(),
            Err(error) => panic!("the body did not arrive whole: {error}"),
        };
        let mut out = Vec::new();
        match self.header("content-encoding") {
            "" => out.extend_from_slice(raw),
            "gzip" => {
                flate2::read::GzDecoder::new(raw)
                    .read_to_end(&mut out)
                    .expect("a whole gzip stream");
            }
            "br" => {
                brotli::Decompressor::new(raw, 4096)
                    .read_to_end(&mut out)
                    .expect("a whole brotli stream");
            }
            other => panic!("an encoding the client did not ask for: {other}"),
        }
        out
    }
}

/// Serves `app` on a free local port for as long as the test runs; returns its address.
pub async fn serve(app: Router) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .expect("serve");
    });
    addr
}

/// GETs `path` with these headers on a new connection and reads the body frame by frame.
pub async fn get(addr: std::net::SocketAddr, path: &str, headers: &[(&str, &str)]) -> WireReply {
    let stream = TcpStream::connect(addr).await.expect("connect");
    let (mut sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    let connection = tokio::spawn(connection);
    let mut request = Request::get(path).header("host", addr.to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = sender
        .send_request(request.body(Body::empty()).expect("request"))
        .await
        .expect("response head");
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response
        .into_body()
        .collect()
        .await
        .map(|body| body.to_bytes().to_vec())
        .map_err(|error| error.to_string());
    drop(sender);
    let _ = connection.await;
    WireReply {
        status,
        headers,
        body,
    }
}
