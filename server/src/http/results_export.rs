//! Response exports for staff: every response of a survey as CSV, XLSX or JSON, and the
//! codebook that explains the columns (`app::results::export` decides the columns and values).
//!
//! Invariants: responses are read a page at a time (`raw_page`, in id order), so memory stays
//! constant whatever the number of responses: CSV and JSON are streamed a page per chunk, and
//! XLSX is written by a constant-memory worksheet to a private temporary file that is deleted
//! as soon as it is opened for sending. Every string cell is neutralised against formula
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
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::stream;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde::Serialize;
use uuid::Uuid;

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
fn paged(db: Db, survey: Uuid, head: Vec<u8>, tail: Option<Vec<u8>>, render: Render) -> Body {
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
    Body::from_stream(chunks)
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
    let filename = format!("survey-{id}-responses.csv");
    download(
        "text/csv; charset=utf-8",
        filename,
        paged(state.db.clone(), id, head, None, render),
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
    let filename = format!("survey-{id}-responses.json");
    download(
        "application/json",
        filename,
        paged(state.db.clone(), id, head, Some(b"]}".to_vec()), render),
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
    Body::from_stream(chunks)
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
