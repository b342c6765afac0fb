//! The results bench's HTTP client: one GET over a fresh connection, and a download read
//! whole (decoded as it arrives when compressed), counting its lines and the bytes on the wire.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use http_body_util::{BodyExt, Empty};
use hyper::{Request, StatusCode, body::Bytes, header};

/// What Chromium sends in `Accept-Encoding`: a download as a person makes it.
pub const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

/// Sends one GET over a fresh connection; answers the response and when it was sent.
async fn send(
    addr: std::net::SocketAddr,
    path: &str,
    auth: (&str, &str),
) -> Result<(hyper::Response<hyper::body::Incoming>, Instant)> {
    send_with(addr, path, auth, None).await
}

/// [`send`], asking for these encodings when any.
async fn send_with(
    addr: std::net::SocketAddr,
    path: &str,
    auth: (&str, &str),
    accept_encoding: Option<&str>,
) -> Result<(hyper::Response<hyper::body::Incoming>, Instant)> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let mut request = Request::get(path)
        .header(header::HOST, addr.to_string())
        .header(auth.0, auth.1);
    if let Some(encodings) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encodings);
    }
    let request = request.body(Empty::<Bytes>::new())?;
    let began = Instant::now();
    Ok((sender.send_request(request).await?, began))
}

/// One GET, the body read whole; answers (status, body, elapsed).
pub async fn get(
    addr: std::net::SocketAddr,
    path: &str,
    auth: (&str, &str),
) -> Result<(StatusCode, Bytes, Duration)> {
    let (response, began) = send(addr, path, auth).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body, began.elapsed()))
}

/// Counts the lines of what is written to it.
#[derive(Default)]
struct LineCounter(u64);

impl std::io::Write for LineCounter {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        self.0 += buffer.iter().filter(|b| **b == b'\n').count() as u64;
        Ok(buffer.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A download as received: its status, lines (decoded), bytes on the wire, encoding and time.
pub struct Download {
    pub status: StatusCode,
    pub lines: u64,
    pub wire_bytes: u64,
    pub encoding: String,
    pub took: Duration,
}

/// Where a download's bytes go: straight to the line counter, or through a decoder first.
enum Sink {
    Plain(LineCounter),
    Gzip(Box<flate2::write::GzDecoder<LineCounter>>),
    Brotli(Box<brotli::DecompressorWriter<LineCounter>>),
}

impl Sink {
    fn new(encoding: &str) -> Result<Self> {
        Ok(match encoding {
            "" => Self::Plain(LineCounter::default()),
            "gzip" => Self::Gzip(Box::new(flate2::write::GzDecoder::new(
                LineCounter::default(),
            ))),
            "br" => Self::Brotli(Box::new(brotli::DecompressorWriter::new(
                LineCounter::default(),
                64 * 1024,
            ))),
            other => bail!("an encoding the bench did not ask for: {other}"),
        })
    }

    fn write(&mut self, data: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        match self {
            Self::Plain(sink) => sink.write_all(data),
            Self::Gzip(sink) => sink.write_all(data),
            Self::Brotli(sink) => sink.write_all(data),
        }
    }

    /// The lines counted; a compressed stream cut short is an error.
    fn finish(self) -> Result<u64> {
        Ok(match self {
            Self::Plain(sink) => sink.0,
            Self::Gzip(sink) => sink.finish()?.0,
            Self::Brotli(sink) => {
                sink.into_inner()
                    .map_err(|_| anyhow::anyhow!("the brotli stream was cut short"))?
                    .0
            }
        })
    }
}

/// One GET, the body streamed, decoded as it arrives (gzip or brotli, as a browser would) and
/// only its lines counted, as a client saving a download would, without holding it in memory.
pub async fn get_lines(
    addr: std::net::SocketAddr,
    path: &str,
    auth: (&str, &str),
    accept_encoding: Option<&str>,
) -> Result<Download> {
    let (response, began) = send_with(addr, path, auth, accept_encoding).await?;
    let status = response.status();
    let encoding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut sink = Sink::new(&encoding)?;
    let (mut body, mut wire_bytes) = (response.into_body(), 0u64);
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            wire_bytes += data.len() as u64;
            sink.write(&data)?;
        }
    }
    Ok(Download {
        status,
        lines: sink.finish()?,
        wire_bytes,
        encoding,
        took: began.elapsed(),
    })
}
