//! Reading JSON into typed structs, so that a bad value is refused with its field's path.

use super::error::ParseError;
use super::text::text_of;

/// Reads JSON into `T`, streaming (no tree of the whole file is built), and names the field
/// of a value that does not fit: `field rawData.json.actix[2].totalRequests`. `what` names
/// the expected output for files that are not it at all.
pub(super) fn read_json<T: serde::de::DeserializeOwned>(
    input: &[u8],
    what: &str,
) -> Result<T, ParseError> {
    let text = text_of(input)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        json_error(error.inner(), &path, what)
    })?;
    deserializer
        .end()
        .map_err(|error| json_error(&error, ".", what))?;
    Ok(value)
}

fn json_error(error: &serde_json::Error, path: &str, what: &str) -> ParseError {
    use serde_json::error::Category;

    let position = format!("line {}, column {}", error.line(), error.column());
    let full = error.to_string();
    // serde_json ends its messages with the position, which `at` already gives.
    let message = full
        .strip_suffix(&format!(
            " at line {} column {}",
            error.line(),
            error.column()
        ))
        .unwrap_or(&full);
    match error.classify() {
        Category::Eof => ParseError {
            at: position,
            message: "the file ends in the middle of the JSON: is it cut short?".to_owned(),
        },
        Category::Data if path != "." => ParseError {
            at: format!("field {path}"),
            message: format!("{message} ({position})"),
        },
        Category::Data => ParseError {
            at: position,
            message: format!("{message}: is this {what}?"),
        },
        Category::Syntax | Category::Io => ParseError {
            at: position,
            message: format!("this is not valid JSON: {message}"),
        },
    }
}
