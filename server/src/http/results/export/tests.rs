//! The exports over a real socket, through the router's compression layer: a failure mid-stream
//! never looks like a whole file, and a compressed export is sent page by page.

use super::*;
use axum::{Router, routing::get};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What a client receives, byte for byte, for a streamed download of 10,000 bytes that
/// fails after them when `fails`, through the router's compression layer.
async fn download_over_a_socket(fails: bool, accept_encoding: &str) -> Vec<u8> {
    let app = Router::new()
        .route(
            "/",
            get(move || async move {
                // The failure comes a moment after the first chunk, once it is on the wire.
                let failure = stream::once(async move {
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    Err(io::Error::other("the database went away"))
                })
                .filter(move |_| std::future::ready(fails));
                let chunks = stream::iter([Ok(Bytes::from(vec![b'x'; 10_000]))]).chain(failure);
                download("text/csv", "x.csv".into(), streamed(chunks))
            }),
        )
        .layer(crate::http::compression());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "GET / HTTP/1.1\r\nhost: x\r\naccept-encoding: {accept_encoding}\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("request");
    let mut received = Vec::new();
    // The server ends the connection either way; a reset is an error here, and also fine.
    let _ = stream.read_to_end(&mut received).await;
    received
}

/// A download that fails half way must never look complete: the chunked body never gets
/// its closing zero-length chunk, so browsers and curl report a failed download instead
/// of saving a short file. The same download without the failure does end with it.
#[tokio::test]
async fn a_failure_mid_stream_never_looks_like_a_whole_file() {
    for encoding in ["identity", "gzip", "br"] {
        let whole = download_over_a_socket(false, encoding).await;
        assert!(
            whole.ends_with(b"0\r\n\r\n"),
            "{encoding}: a whole body ends"
        );
        let cut = download_over_a_socket(true, encoding).await;
        let head = String::from_utf8_lossy(&cut[..cut.len().min(300)]).into_owned();
        assert!(head.starts_with("HTTP/1.1 200"), "{encoding}: {head}");
        assert!(
            head.contains("transfer-encoding: chunked"),
            "{encoding}: {head}"
        );
        assert!(
            !cut.ends_with(b"0\r\n\r\n"),
            "{encoding}: a failed body must not be terminated cleanly"
        );
    }
}

/// A compressed page goes out as soon as it is rendered, while the next is still being
/// read: the first page decodes whole before the second exists (and the router's
/// compression layer leaves the encoded body alone).
#[tokio::test]
async fn a_compressed_export_is_sent_page_by_page() {
    use http_body_util::BodyExt;
    use std::io::Write;
    let (next_page, waiting) = tokio::sync::oneshot::channel::<()>();
    let waiting = std::sync::Mutex::new(Some(waiting));
    let chunks =
        stream::iter([Ok(Bytes::from("a,b\r\n".repeat(2_000)))]).chain(stream::once(async move {
            let waiting = waiting.lock().ok().and_then(|mut w| w.take());
            if let Some(waiting) = waiting {
                let _ = waiting.await;
            }
            Ok::<_, io::Error>(Bytes::from("c,d\r\n"))
        }));
    let mut accept = HeaderMap::new();
    accept.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
    let mut body = Some(streamed(encode(chunks, Encoder::for_request(&accept))));
    let app = tower::Layer::layer(
        &crate::http::compression(),
        tower::service_fn(move |_: axum::http::Request<Body>| {
            let body = body.take().unwrap_or_default();
            async move {
                let response = encoded_download("text/csv", "x.csv".into(), Some("gzip"), body);
                Ok::<_, std::convert::Infallible>(response)
            }
        }),
    );
    let response = tower::ServiceExt::oneshot(
        app,
        axum::http::Request::get("/")
            .header("accept-encoding", "gzip")
            .body(Body::empty())
            .expect("request"),
    )
    .await
    .expect("response");
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let mut body = response.into_body();
    let mut decoder = flate2::write::GzDecoder::new(Vec::new());
    while decoder.get_ref().len() < 10_000 {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(10), body.frame())
            .await
            .expect("the first page arrives before the second is ready")
            .expect("a frame")
            .expect("data");
        if let Ok(data) = frame.into_data() {
            decoder.write_all(&data).expect("gzip");
            decoder.flush().expect("gzip");
        }
    }
    assert_eq!(decoder.get_ref().len(), 10_000, "exactly the first page");
    let _ = next_page.send(());
    let rest = body.collect().await.expect("the rest").to_bytes();
    decoder.write_all(&rest).expect("gzip");
    assert!(
        decoder
            .finish()
            .expect("a whole stream")
            .ends_with(b"c,d\r\n")
    );
}
