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
//!
//! CSV, JSON, the codebook and the paging and streaming they share are here; the XLSX
//! workbook in `xlsx`; the tests over a real socket in `tests`.

use std::fmt::Display;
use std::io;
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
use serde::Serialize;
use uuid::Uuid;

use crate::AppState;
use crate::http::encoding::{Encoder, encode};

#[cfg(test)]
mod tests;
mod xlsx;

pub use xlsx::xlsx;

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
/// The survey's definition and the stem of its download names: its public address (slug)
/// and today's UAE date, e.g. `digital-services-2026-12-06` (`survey-<id>-…` without a slug).
async fn definition(state: &AppState, id: Uuid) -> Result<(Definition, String), Response> {
    let definition = match surveys_db::get(&state.db, id).await {
        Ok(Some(survey)) => survey.definition,
        Ok(None) => return Err((StatusCode::NOT_FOUND, "survey not found").into_response()),
        Err(error) => return Err(failed(error)),
    };
    let slug = match app::responses::db::collection_settings(&state.db, id).await {
        Ok(settings) => settings.and_then(|(slug, _)| slug),
        Err(error) => return Err(failed(error)),
    };
    let name = slug.unwrap_or_else(|| format!("survey-{id}"));
    let today = app::dates::in_uae(chrono::Utc::now()).format("%Y-%m-%d");
    Ok((definition, format!("{name}-{today}")))
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
    let (definition, stem) = match definition(&state, id).await {
        Ok(found) => found,
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
        format!("{stem}-responses.csv"),
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
    /// The same moment in UAE time (+04:00).
    submitted_at_uae: String,
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
            submitted_at_uae: app::dates::in_uae(raw.submitted_at)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
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
    let (definition, stem) = match definition(&state, id).await {
        Ok(found) => found,
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
        format!("{stem}-responses.json"),
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
    let (definition, stem) = match definition(&state, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match csv_rows(BOM, export::codebook(&definition)) {
        Ok(body) => download(
            "text/csv; charset=utf-8",
            format!("{stem}-codebook.csv"),
            Body::from(body),
        ),
        Err(error) => failed(error),
    }
}
