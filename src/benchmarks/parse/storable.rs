//! Which texts of a file can be stored: no control character, and not too long.

use crate::web::params::{code_point, first_refused};

use super::error::ParseError;
use super::model::Parsed;
use super::tool::Tool;

/// The most characters a name in a file (a target, a check, a threshold, an error kind)
/// may have: pages list many of them.
pub const MAX_TEXT: usize = 500;

/// Why `text` cannot be stored, if it cannot: a control character, or its length.
pub fn unstorable(text: &str) -> Option<String> {
    if let Some(c) = first_refused(text) {
        return Some(format!(
            "holds a control character ({}): only tab, carriage return and line feed may appear",
            code_point(c)
        ));
    }
    let length = text.chars().count();
    (length > MAX_TEXT).then(|| format!("is {length} characters long: at most {MAX_TEXT} may be"))
}

/// Refuses a text of `parsed` that cannot be stored, naming it. JSON can spell any
/// character as an escape (`"\u0000"`), so reading the file as text is not enough.
pub(super) fn storable(parsed: &Parsed) -> Result<(), ParseError> {
    let target = match parsed.tool {
        Tool::TechEmpower => "framework",
        _ => "target",
    };
    let mut texts: Vec<(&str, &str)> = Vec::new();
    if let Some(version) = &parsed.tool_version {
        texts.push(("tool version", version));
    }
    for group in &parsed.groups {
        if let Some(test_type) = &group.test_type {
            texts.push(("test type", test_type));
        }
        for measurement in &group.measurements {
            texts.push((target, &measurement.target));
            texts.extend(
                measurement
                    .status_codes
                    .iter()
                    .map(|(code, _)| ("status code", code.as_str())),
            );
            texts.extend(
                measurement
                    .error_kinds
                    .iter()
                    .map(|(kind, _)| ("error kind", kind.as_str())),
            );
        }
    }
    texts.extend(
        parsed
            .checks
            .iter()
            .map(|check| ("check", check.name.as_str())),
    );
    for threshold in &parsed.thresholds {
        texts.push(("threshold's metric", &threshold.metric));
        texts.push(("threshold", &threshold.expression));
    }
    for (what, text) in texts {
        if let Some(problem) = unstorable(text) {
            let shown: String = text.chars().take(60).collect();
            return Err(ParseError {
                at: format!("{what} {shown:?}"),
                message: problem,
            });
        }
    }
    Ok(())
}
