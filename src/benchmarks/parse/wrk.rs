//! Placeholder until the reader is written.

use super::{ParseError, Parsed};

pub(super) fn parse(_: &[u8]) -> Result<Parsed, ParseError> {
    Err(ParseError {
        at: "file".to_owned(),
        message: "this format cannot be read yet".to_owned(),
    })
}
