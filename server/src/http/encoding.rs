//! Content encoding for streamed downloads, flushed chunk by chunk. The router's compression
//! layer compresses everything else, but its encoder keeps what it has until a block fills:
//! a streamed export would reach the browser in uneven bursts, and a slow page would hold back
//! the one before it. Here each chunk (a page of an export) is compressed and flushed, so what
//! the client has decodes to whole pages, and memory stays at one page whatever the export's
//! size. A response that carries `Content-Encoding` is left alone by the layer.

use std::io::{self, Write};

use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use futures_util::{Stream, StreamExt, stream};

/// Brotli's quality and window, as the compression layer and NGINX use on the fly.
const BROTLI_QUALITY: u32 = 4;
const BROTLI_WINDOW: u32 = 22;

/// The encoder of one response.
pub enum Encoder {
    Identity,
    Gzip(Box<flate2::write::GzEncoder<Vec<u8>>>),
    Brotli(Box<brotli::CompressorWriter<Vec<u8>>>),
}

impl Encoder {
    /// Brotli when the client accepts it, else gzip, else none (`q=0` refuses a coding).
    pub fn for_request(headers: &HeaderMap) -> Self {
        let accepted = |coding: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .any(|item| {
                    let mut parts = item.split(';');
                    let name = parts.next().unwrap_or_default().trim();
                    let weight = parts
                        .find_map(|p| p.trim().strip_prefix("q="))
                        .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok());
                    name.eq_ignore_ascii_case(coding) && weight.is_some_and(|q| q > 0.0)
                })
        };
        if accepted("br") {
            Self::Brotli(Box::new(brotli::CompressorWriter::new(
                Vec::new(),
                64 * 1024,
                BROTLI_QUALITY,
                BROTLI_WINDOW,
            )))
        } else if accepted("gzip") {
            Self::Gzip(Box::new(flate2::write::GzEncoder::new(
                Vec::new(),
                flate2::Compression::default(),
            )))
        } else {
            Self::Identity
        }
    }

    /// The `Content-Encoding` header's value, if the body is encoded.
    pub fn name(&self) -> Option<&'static str> {
        match self {
            Self::Identity => None,
            Self::Gzip(_) => Some("gzip"),
            Self::Brotli(_) => Some("br"),
        }
    }

    /// A chunk, encoded and flushed: everything sent so far decodes to everything given.
    fn chunk(&mut self, bytes: Bytes) -> io::Result<Bytes> {
        match self {
            Self::Identity => Ok(bytes),
            Self::Gzip(encoder) => {
                encoder.write_all(&bytes)?;
                encoder.flush()?;
                Ok(Bytes::from(std::mem::take(encoder.get_mut())))
            }
            Self::Brotli(encoder) => {
                encoder.write_all(&bytes)?;
                encoder.flush()?;
                Ok(Bytes::from(std::mem::take(encoder.get_mut())))
            }
        }
    }

    /// The end of the encoded stream.
    fn finish(self) -> io::Result<Bytes> {
        match self {
            Self::Identity => Ok(Bytes::new()),
            Self::Gzip(encoder) => encoder.finish().map(Bytes::from),
            Self::Brotli(encoder) => Ok(Bytes::from(encoder.into_inner())),
        }
    }
}

/// The chunks encoded one by one and flushed, then the stream's end. An error ends the stream
/// without it (the download must fail visibly, not look whole).
pub fn encode<S>(chunks: S, encoder: Encoder) -> impl Stream<Item = io::Result<Bytes>> + Send
where
    S: Stream<Item = io::Result<Bytes>> + Send + 'static,
{
    stream::unfold(
        (chunks.boxed(), Some(encoder)),
        |(mut chunks, encoder)| async move {
            let mut encoder = encoder?;
            let next = match chunks.next().await {
                Some(Ok(bytes)) => encoder.chunk(bytes).map(|out| (out, Some(encoder))),
                Some(Err(error)) => Err(error),
                None => encoder.finish().map(|out| (out, None)),
            };
            Some(match next {
                Ok((out, encoder)) => (Ok(out), (chunks, encoder)),
                Err(error) => (Err(error), (chunks, None)),
            })
        },
    )
    // An empty chunk would read as the end of a chunked body.
    .filter(|chunk| std::future::ready(!matches!(chunk, Ok(bytes) if bytes.is_empty())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn headers(accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, accept.parse().expect("a header"));
        headers
    }

    #[test]
    fn the_client_s_accepted_codings_choose_the_encoder() {
        let name = |accept| Encoder::for_request(&headers(accept)).name();
        assert_eq!(name("gzip, deflate, br, zstd"), Some("br"));
        assert_eq!(name("gzip"), Some("gzip"));
        assert_eq!(name("br;q=0, gzip;q=0.5"), Some("gzip"));
        assert_eq!(name("identity"), None);
        assert_eq!(name("GZIP"), Some("gzip"));
        assert_eq!(Encoder::for_request(&HeaderMap::new()).name(), None);
    }

    /// Each chunk decodes whole as soon as it is sent, and the whole stream decodes to all.
    #[tokio::test]
    async fn every_chunk_is_flushed_and_the_end_closes_the_stream() {
        for accept in ["gzip", "br"] {
            let pages: Vec<io::Result<Bytes>> = (0..3)
                .map(|i| Ok(Bytes::from(format!("page {i}\r\n").repeat(500))))
                .collect();
            let encoded: Vec<Bytes> =
                encode(stream::iter(pages), Encoder::for_request(&headers(accept)))
                    .map(|chunk| chunk.expect("encoded"))
                    .collect()
                    .await;
            let first = &encoded[0];
            let mut partial = Vec::new();
            match accept {
                "gzip" => {
                    let mut decoder = flate2::write::GzDecoder::new(&mut partial);
                    decoder.write_all(first).expect("gzip");
                    decoder.flush().expect("gzip");
                }
                _ => {
                    let mut decoder = brotli::Decompressor::new(first.as_ref(), 4096);
                    let mut buffer = [0u8; 8192];
                    // A flushed brotli stream yields its data, then waits for more input.
                    while let Ok(n) = decoder.read(&mut buffer) {
                        if n == 0 {
                            break;
                        }
                        partial.extend_from_slice(&buffer[..n]);
                    }
                }
            }
            assert_eq!(partial, "page 0\r\n".repeat(500).as_bytes(), "{accept}");
            let all: Vec<u8> = encoded.concat();
            let mut whole = Vec::new();
            match accept {
                "gzip" => flate2::read::GzDecoder::new(all.as_slice())
                    .read_to_end(&mut whole)
                    .map(|_| ()),
                _ => brotli::Decompressor::new(all.as_slice(), 4096)
                    .read_to_end(&mut whole)
                    .map(|_| ()),
            }
            .expect("a whole stream");
            assert_eq!(whole.len(), 3 * 500 * 8, "{accept}");
        }
    }
}
