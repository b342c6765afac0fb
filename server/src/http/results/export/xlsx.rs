//! The XLSX export: a constant-memory worksheet written on a blocking thread to a private
//! temporary file (right to left for Arabic), sent in chunks and deleted as soon as it is
//! opened for sending.

use std::io::{self, BufWriter};
use std::path::Path as FsPath;

use app::results::db::raw_page;
use app::results::export::{self, Column, neutralize};
use app::store::Db;
use app::surveys::Definition;
use axum::{
    body::{Body, Bytes},
    extract::{Path, State},
    response::Response,
};
use futures_util::stream;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use uuid::Uuid;

use super::{BoxError, CHUNK, PAGE, definition, download, failed, stored_answers, streamed};
use crate::AppState;

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
    let (definition, stem) = match definition(&state, id).await {
        Ok(found) => found,
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
            format!("{stem}-responses.xlsx"),
            file_body(file),
        ),
        Err(error) => failed(error),
    }
}
