//! Response exports for staff: every response of a survey as CSV, XLSX or JSON, and the
//! codebook that explains the columns (`app::results::export` decides the columns and values).
//!
//! Invariants: responses are read a page at a time (`raw_page`, in id order), so memory stays
//! constant whatever the number of responses: CSV and JSON are streamed a page per chunk, and
//! XLSX is written by a constant-memory worksheet to a private temporary file that is deleted
//! as soon as it is opened for sending. CSV and JSON are compressed here, a page at a time and
//! flushed (`encoding`), when the client accepts brotli or gzip; XLSX is a zip already and is
//! sent as it is. Every string cell is neutralised against formula
//! injection. Every download is an attachment marked `no-store` (it holds personal answers).
//! Permissions are checked by the access middleware; an unknown survey is a 404.

use std::fmt::Display;
use std::io::{self, BufWriter};
use std::path::Path as FsPath;
use std::sync::Arc;

use app::results::db::{RawResponse, raw_page};
use app::results::export::{self, Column, neutralize};
use app::store::Db;
use app::surveys::Definition;
use app::surveys::conditions::Answers;
use app::surveys::db as surveys_db;
use axum::{
    body::{Body, Bytes},
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::{Stream, StreamExt, stream};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde::Serialize;
use uuid::Uuid;

use super::encoding::{Encoder, encode};
use crate::AppState;

/// Responses read from the database at a time.
const PAGE: i64 = 1000;
/// Pages read and being rendered ahead of the one being sent.
const AHEAD: usize = 2;
/// The size of the chunks an XLSX file is sent in.
const CHUNK: usize = 64 * 1024;
/// The UTF-8 byte order mark: spreadsheet programs read the CSV as UTF-8 (Arabic) with it.
const BOM: &[u8] = b"\xEF\xBB\xBF";

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn failed(error: impl Display) -> Response {
    tracing::error!(%error, "results export");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// The survey's definition, or the response to give instead (404 or 500).
async fn definition(state: &AppState, id: Uuid) -> Result<Definition, Response> {
    match surveys_db::get(&state.db, id).await {
        Ok(Some(survey)) => Ok(survey.definition),
        Ok(None) => Err((StatusCode::NOT_FOUND, "survey not found").into_response()),
        Err(error) => Err(failed(error)),
    }
}

/// A download: the body as an attachment named `filename`, never cached.
fn download(content_type: &'static str, filename: String, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// A download whose body this handler encoded itself (`encoding`), page by page.
fn encoded_download(
    content_type: &'static str,
    filename: String,
    encoding: Option<&'static str>,
    body: Body,
) -> Response {
    let mut response = download(content_type, filename, body);
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

fn answers(raw: &RawResponse) -> Result<Answers, String> {
    serde_json::from_str(&raw.answers).map_err(|e| format!("response {}: {e}", raw.id))
}

/// A response's answers read for a table export, borrowed from the stored JSON.
fn stored_answers(raw: &RawResponse) -> Result<export::StoredAnswers<'_>, String> {
    export::parse(&raw.answers).map_err(|e| format!("response {}: {e}", raw.id))
}

/// Renders a page of responses as a chunk of the download; told whether it is the first page.
type Render = Arc<dyn Fn(&[RawResponse], bool) -> Result<Vec<u8>, String> + Send + Sync>;

/// A page being rendered, or why the pages stopped.
type Pending = Result<tokio::task::JoinHandle<Result<Vec<u8>, String>>, String>;

/// Streams a survey's responses as a body: `head`, a chunk per page, `tail`. A reader task
/// reads the pages in order and hands each to a rendering task of its own, so pages render
/// on every core while the next one is read; at most [`AHEAD`] pages wait to be sent, so
/// memory stays at a few pages. A failure mid-way is logged and ends the body with an error,
/// so the client sees a broken download rather than a short one; a client that leaves stops
/// the reading.
fn paged(
    db: Db,
    survey: Uuid,
    head: Vec<u8>,
    tail: Option<Vec<u8>>,
    render: Render,
    encoder: Encoder,
) -> Body {
    let (pages, receiver) = tokio::sync::mpsc::channel::<Pending>(AHEAD);
    tokio::spawn(async move {
        let (mut after, mut first) = (Uuid::nil(), true);
        loop {
            let page = match raw_page(&db, survey, after, PAGE).await {
                Ok(page) => page,
                Err(error) => {
                    let _ = pages.send(Err(error.to_string())).await;
                    return;
                }
            };
            let Some(last) = page.last() else { return };
            after = last.id;
            let (render, is_first) = (render.clone(), std::mem::take(&mut first));
            let job = tokio::task::spawn_blocking(move || render(&page, is_first));
            if pages.send(Ok(job)).await.is_err() {
                return;
            }
        }
    });
    let chunks = stream::unfold(
        (Some(head), Some(receiver), tail),
        move |(head, receiver, tail)| async move {
            if let Some(head) = head {
                return Some((Ok(Bytes::from(head)), (None, receiver, tail)));
            }
            let mut receiver = receiver?;
            let rendered = match receiver.recv().await {
                None => return tail.map(|tail| (Ok(Bytes::from(tail)), (None, None, None))),
                Some(Ok(job)) => job.await.unwrap_or_else(|e| Err(e.to_string())),
                Some(Err(error)) => Err(error),
            };
            match rendered {
                Ok(chunk) => Some((Ok(Bytes::from(chunk)), (None, Some(receiver), tail))),
                Err(error) => {
                    tracing::error!(%error, %survey, "results export stopped");
                    Some((Err(io::Error::other(error)), (None, None, None)))
                }
            }
        },
    );
    streamed(encode(chunks, encoder))
}

/// A body from a stream of chunks, fused: a body may be polled again after it ended (the
/// compression layer does, to look for trailers), and `stream::unfold` panics when it is,
/// which cut every compressed download off after its first chunk.
fn streamed<S>(chunks: S) -> Body
where
    S: Stream<Item = io::Result<Bytes>> + Send + 'static,
{
    Body::from_stream(chunks.fuse())
}

/// A CSV writer (RFC 4180: CRLF line ends, quoted where needed) appending to `out`.
fn csv_writer(out: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(out)
}

/// Rows as CSV, every cell neutralised.
fn csv_rows<R, S>(prefix: &[u8], rows: impl IntoIterator<Item = R>) -> Result<Vec<u8>, String>
where
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut writer = csv_writer(prefix.to_vec());
    for row in rows {
        for cell in row {
            writer
                .write_field(neutralize(cell.as_ref()).as_bytes())
                .map_err(|e| e.to_string())?;
        }
        writer
            .write_record(None::<&[u8]>)
            .map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

fn names(columns: &[Column]) -> Vec<&str> {
    columns.iter().map(|c| c.name.as_str()).collect()
}

/// Every response as CSV, with a BOM and a header row, streamed a page at a time.
pub async fn csv(
    State(state): State<AppState>,
    Path((_lang, id)): Path<(String, Uuid)>,
    request: HeaderMap,
) -> Response {
    let definition = match definition(&state, id).await {
        Ok(definition) => definition,
        Err(response) => return response,
    };
    let columns = export::columns(&definition);
    let head = match csv_rows(BOM, [names(&columns)]) {
        Ok(head) => head,
        Err(error) => return failed(error),
    };
    // Each cell goes straight from the stored JSON into the CSV writer.
    let render: Render = Arc::new(move |page: &[RawResponse], _first: bool| {
        let mut writer = csv_writer(Vec::with_capacity(page.len() * 512));
        for raw in page {
            let answers = stored_answers(raw)?;
            export::each_value(&columns, raw, &answers, |cell| {
                writer
                    .write_field(neutralize(cell).as_bytes())
                    .map_err(|e| e.to_string())
            })?;
            writer
                .write_record(None::<&[u8]>)
                .map_err(|e| e.to_string())?;
        }
        writer.into_inner().map_err(|e| e.to_string())
    });
    let (filename, encoder) = (
        format!("survey-{id}-responses.csv"),
        Encoder::for_request(&request),
    );
    encoded_download(
        "text/csv; charset=utf-8",
        filename,
        encoder.name(),
        paged(state.db.clone(), id, head, None, render, encoder),
    )
}

/// A response as the JSON export gives it.
#[derive(Serialize)]
struct JsonResponse<'a> {
    id: Uuid,
    submitted_at: String,
    wave: i32,
    stakeholder_group: &'a str,
    channel: &'a str,
    source: Option<&'a str>,
    duration_s: Option<i64>,
    answers: Answers,
}

/// A page of responses as JSON array elements, a comma before each but the very first (of
/// the first page).
fn json_page(page: &[RawResponse], first_page: bool) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for (i, raw) in page.iter().enumerate() {
        if i > 0 || !first_page {
            out.push(b',');
        }
        let response = JsonResponse {
            id: raw.id,
            submitted_at: raw
                .submitted_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            wave: raw.wave,
            stakeholder_group: &raw.group,
            channel: &raw.channel,
            source: raw.source.as_deref(),
            duration_s: raw.duration,
            answers: answers(raw)?,
        };
        serde_json::to_writer(&mut out, &response).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Every response as one JSON document, streamed a page at a time.
pub async fn json(
    State(state): State<AppState>,
    Path((_lang, id)): Path<(String, Uuid)>,
    request: HeaderMap,
) -> Response {
    let definition = match definition(&state, id).await {
        Ok(definition) => definition,
        Err(response) => return response,
    };
    let columns = export::columns(&definition);
    let head = serde_json::to_string(&names(&columns)).map(|columns| {
        format!(r#"{{"survey":"{id}","columns":{columns},"responses":["#).into_bytes()
    });
    let head = match head {
        Ok(head) => head,
        Err(error) => return failed(error),
    };
    let render: Render = Arc::new(json_page);
    let (filename, encoder) = (
        format!("survey-{id}-responses.json"),
        Encoder::for_request(&request),
    );
    encoded_download(
        "application/json",
        filename,
        encoder.name(),
        paged(
            state.db.clone(),
            id,
            head,
            Some(b"]}".to_vec()),
            render,
            encoder,
        ),
    )
}

/// The codebook as CSV, with a BOM (its first row is the header).
pub async fn codebook(
    State(state): State<AppState>,
    Path((_lang, id)): Path<(String, Uuid)>,
) -> Response {
    let definition = match definition(&state, id).await {
        Ok(definition) => definition,
        Err(response) => return response,
    };
    match csv_rows(BOM, export::codebook(&definition)) {
        Ok(body) => download(
            "text/csv; charset=utf-8",
            format!("survey-{id}-codebook.csv"),
            Body::from(body),
        ),
        Err(error) => failed(error),
    }
}

/// One row of the sheet: numbers in numeric columns as numbers, everything else as
/// neutralised text; empty values leave the cell empty.
fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    columns: &[Column],
    values: &[String],
) -> Result<(), BoxError> {
    for (i, (column, value)) in columns.iter().zip(values).enumerate() {
        let col = u16::try_from(i)?;
        if value.is_empty() {
            continue;
        }
        match value.parse::<f64>() {
            Ok(n) if column.numeric && n.is_finite() => sheet.write_number(row, col, n)?,
            _ => sheet.write_string(row, col, neutralize(value))?,
        };
    }
    Ok(())
}

/// The sheet's header row, in bold, frozen at the top.
fn write_header(sheet: &mut Worksheet, columns: &[Column]) -> Result<(), BoxError> {
    let bold = Format::new().set_bold();
    for (i, column) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(i)?, neutralize(&column.name), &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Builds the workbook (on a blocking thread: it reads pages through `handle`) and saves it
/// to `path`, a new file only its owner can read.
fn build_xlsx(
    handle: &tokio::runtime::Handle,
    db: &Db,
    survey: Uuid,
    definition: &Definition,
    rtl: bool,
    path: &FsPath,
) -> Result<(), BoxError> {
    let columns = export::columns(definition);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    let locale = if rtl {
        app::Locale::Ar
    } else {
        app::Locale::En
    };
    sheet.set_name(locale.t("results.codebook.sheet"))?;
    sheet.set_right_to_left(rtl);
    write_header(sheet, &columns)?;
    let (mut row, mut after) = (1u32, Uuid::nil());
    loop {
        let page = handle.block_on(raw_page(db, survey, after, PAGE))?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for raw in &page {
            write_row(
                sheet,
                row,
                &columns,
                &export::values(&columns, raw, &stored_answers(raw)?),
            )?;
            row += 1;
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    workbook.save_to_writer(BufWriter::new(options.open(path)?))?;
    Ok(())
}

/// Sends a file in chunks of [`CHUNK`] bytes.
fn file_body(file: tokio::fs::File) -> Body {
    use tokio::io::AsyncReadExt;
    let chunks = stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buffer = vec![0; CHUNK];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok(Bytes::from(buffer)), Some(file)))
            }
            Err(error) => {
                tracing::error!(%error, "results export: reading the XLSX file");
                Some((Err(error), None))
            }
        }
    });
    streamed(chunks)
}

/// Every response as an XLSX workbook (right to left for Arabic), built on a blocking thread
/// in constant memory, then sent from a temporary file that is deleted once opened.
pub async fn xlsx(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, Uuid)>,
) -> Response {
    let definition = match definition(&state, id).await {
        Ok(definition) => definition,
        Err(response) => return response,
    };
    let path = std::env::temp_dir().join(format!("sharek-export-{}.xlsx", Uuid::new_v4()));
    let (db, handle, target) = (
        state.db.clone(),
        tokio::runtime::Handle::current(),
        path.clone(),
    );
    let built = tokio::task::spawn_blocking(move || {
        build_xlsx(&handle, &db, id, &definition, lang == "ar", &target).map_err(|e| e.to_string())
    })
    .await;
    let opened = match built {
        Ok(Ok(())) => tokio::fs::File::open(&path)
            .await
            .map_err(|e| e.to_string()),
        Ok(Err(error)) => Err(error),
        Err(error) => Err(error.to_string()),
    };
    // Open (or failed): the file is no longer needed by name either way.
    if let Err(error) = tokio::fs::remove_file(&path).await
        && error.kind() != io::ErrorKind::NotFound
    {
        tracing::warn!(%error, path = %path.display(), "results export: removing the XLSX file");
    }
    match opened {
        Ok(file) => download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("survey-{id}-responses.xlsx"),
            file_body(file),
        ),
        Err(error) => failed(error),
    }
}

#[cfg(test)]
mod tests {
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
        let chunks = stream::iter([Ok(Bytes::from("a,b\r\n".repeat(2_000)))]).chain(stream::once(
            async move {
                let waiting = waiting.lock().ok().and_then(|mut w| w.take());
                if let Some(waiting) = waiting {
                    let _ = waiting.await;
                }
                Ok::<_, io::Error>(Bytes::from("c,d\r\n"))
            },
        ));
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
}
