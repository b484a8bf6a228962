//! Why a file cannot be read, and where.

use std::fmt;

/// Why a file cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// `line 7`, or `field rawData.json.actix[2].totalRequests`.
    pub at: String,
    pub message: String,
}

/// Where an error about the file as a whole is: said by the message alone.
const WHOLE_FILE: &str = "file";

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at.as_str() {
            WHOLE_FILE => f.write_str(&self.message),
            at => write!(f, "{at}: {}", self.message),
        }
    }
}

impl std::error::Error for ParseError {}

#[cfg(test)]
mod tests {
    use super::ParseError;

    fn error(at: &str) -> String {
        ParseError {
            at: at.to_owned(),
            message: "no line of wrk's output is in this file".to_owned(),
        }
        .to_string()
    }

    #[test]
    fn a_place_is_named_unless_it_is_the_whole_file() {
        assert_eq!(
            error("line 7"),
            "line 7: no line of wrk's output is in this file"
        );
        assert_eq!(error("file"), "no line of wrk's output is in this file");
    }
}
