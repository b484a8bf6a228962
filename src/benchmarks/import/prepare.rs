//! A file made ready to store: its choices checked, the file read and the import planned.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::benchmarks::parse::{self, Tool};
use crate::db::DbConnection;
use crate::web::error::FieldError;
use crate::web::form::Fields;
use crate::web::upload::FILE_FIELD;

use super::plan::Plan;
use super::planning::plan;
use super::settings::Settings;

/// A file made ready to store: the plan for it, and its text.
pub struct Prepared {
    pub plan: Plan,
    pub content: String,
}

/// The upload's choices (`fields`) checked and its `file` read as the chosen tool's output,
/// planned with `mapping`: what the form, the API, the preview and the demo dataset all do
/// with a file. The errors name each field at fault, the file's line or field among them.
pub fn prepare(
    conn: &mut DbConnection,
    fields: &Fields,
    file: Result<(String, Vec<u8>), FieldError>,
    mapping: &Fields,
    today: NaiveDate,
) -> QueryResult<Result<Prepared, Vec<FieldError>>> {
    // Before any lookup: PostgreSQL refuses a NUL even in what is only compared.
    let refused: Vec<FieldError> = fields
        .refused_characters()
        .into_iter()
        .chain(mapping.refused_characters())
        .collect();
    if !refused.is_empty() {
        return Ok(Err(refused));
    }
    let checked = Settings::check(conn, fields, today)?;
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    let read = match (Tool::parse(fields.get("tool")), file) {
        (Ok(tool), Ok((filename, bytes))) => match parse::parse(tool, &bytes) {
            Ok(parsed) => match String::from_utf8(bytes) {
                Ok(content) => Some((filename, content, parsed)),
                Err(_) => {
                    errors.push(FieldError::new(FILE_FIELD, "is not UTF-8 text"));
                    None
                }
            },
            Err(e) => {
                errors.push(FieldError::new(
                    FILE_FIELD,
                    format!("cannot be read as {tool} output: {e}"),
                ));
                None
            }
        },
        (Ok(_), Err(error)) => {
            errors.push(error);
            None
        }
        (Err(_), _) => None,
    };
    let (Ok(settings), Some((filename, content, parsed))) = (checked, read) else {
        return Ok(Err(errors));
    };
    Ok(plan(conn, &settings, &filename, parsed, mapping, today)?
        .map(|plan| Prepared { plan, content }))
}
