//! The text of a file, as every reader takes it.

use crate::web::params::{code_point, is_refused};

use super::error::ParseError;

/// The file as text, refused when it is empty, not UTF-8 (a binary or a UTF-16 export), or
/// holds a control character other than tab, CR and LF.
pub(super) fn text_of(input: &[u8]) -> Result<&str, ParseError> {
    // Windows tools save UTF-8 with a byte-order mark, which no JSON reader accepts.
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let text = std::str::from_utf8(input).map_err(|error| {
        let before = input.get(..error.valid_up_to()).unwrap_or_default();
        let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
        ParseError {
            at: format!("line {line}"),
            message: format!(
                "the file is not UTF-8 text (byte {} is not): upload the tool's text or JSON output",
                error.valid_up_to() + 1
            ),
        }
    })?;
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| is_refused(c)) {
        let before = text.get(..at).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        return Err(ParseError {
            at: format!("line {line}, column {column}"),
            message: format!(
                "the file holds a control character ({}): only tab, carriage return and line feed may appear in a load tool's output",
                code_point(c)
            ),
        });
    }
    if text.trim().is_empty() {
        return Err(ParseError {
            at: "file".to_owned(),
            message: "the file is empty".to_owned(),
        });
    }
    Ok(text)
}
