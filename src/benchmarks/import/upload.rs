//! The uploaded file: received, kept unconfirmed for its preview, read back, or dropped.

use chrono::{TimeDelta, Utc};
use diesel::prelude::*;

use crate::audit::Actor;
use crate::benchmarks::parse::Tool;
use crate::db::schema::benchmark_uploads;
use crate::db::{self, DbConnection};
use crate::web::error::FieldError;
use crate::web::form::Fields;
use crate::web::upload::{FILE_FIELD, FileField};

use super::settings::SETTINGS_FIELDS;

/// The uploaded file: its name (without the client's folders) and its bytes, or why there
/// is none to read.
pub fn received(file: FileField) -> Result<(String, Vec<u8>), FieldError> {
    match file {
        FileField::Missing => Err(FieldError::new(
            FILE_FIELD,
            "is required: choose the file the tool wrote",
        )),
        FileField::TooLarge(limit) => Err(FieldError::new(
            FILE_FIELD,
            format!(
                "is larger than the upload limit of {} (VERDICT_UPLOAD_LIMIT_MB)",
                limit.describe()
            ),
        )),
        FileField::Received { name, bytes } => Ok((clean_filename(&name), bytes)),
    }
}

/// The file's name without the client's folders, as a label.
fn clean_filename(name: &str) -> String {
    let name = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    if name.is_empty() {
        "upload".to_owned()
    } else {
        name
    }
}

/// Keeps an upload, unconfirmed, for its preview; sweeps those left unconfirmed for a day.
pub fn stage(
    conn: &mut DbConnection,
    actor: &Actor,
    tool: Tool,
    filename: &str,
    content: &str,
    settings: &Fields,
) -> QueryResult<i32> {
    let now = Utc::now().naive_utc();
    db::write(conn, |conn| {
        diesel::delete(
            benchmark_uploads::table
                .filter(benchmark_uploads::imported_at.is_null())
                .filter(benchmark_uploads::uploaded_at.lt(now - TimeDelta::days(1))),
        )
        .execute(conn)?;
        diesel::insert_into(benchmark_uploads::table)
            .values((
                benchmark_uploads::tool.eq(tool.as_str()),
                benchmark_uploads::filename.eq(filename),
                benchmark_uploads::content.eq(content),
                benchmark_uploads::settings.eq(settings.to_json().to_string()),
                benchmark_uploads::uploaded_by.eq(actor.user_id),
                benchmark_uploads::uploaded_at.eq(now),
            ))
            .returning(benchmark_uploads::id)
            .get_result(conn)
    })
}

/// An upload not yet confirmed: its file and the choices made with it.
pub struct Staged {
    pub filename: String,
    pub content: String,
    pub settings: Fields,
}

pub fn staged(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Staged>> {
    let row: Option<(String, String, String)> = benchmark_uploads::table
        .find(id)
        .filter(benchmark_uploads::imported_at.is_null())
        .select((
            benchmark_uploads::filename,
            benchmark_uploads::content,
            benchmark_uploads::settings,
        ))
        .first(conn)
        .optional()?;
    let Some((filename, content, settings)) = row else {
        return Ok(None);
    };
    let corrupt = |e: String| diesel::result::Error::DeserializationError(e.into());
    let settings: serde_json::Value =
        serde_json::from_str(&settings).map_err(|e| corrupt(e.to_string()))?;
    Ok(Some(Staged {
        filename,
        content,
        settings: Fields::from_json(&settings, SETTINGS_FIELDS)
            .map_err(|_| corrupt("stored upload settings".to_owned()))?,
    }))
}

/// Drops an upload that was never confirmed.
pub fn cancel(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::delete(
        benchmark_uploads::table
            .find(id)
            .filter(benchmark_uploads::imported_at.is_null()),
    )
    .execute(conn)?;
    Ok(())
}
