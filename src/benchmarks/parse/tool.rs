//! The load tools whose output Verdict reads.

use std::fmt;

use serde::Serialize;

/// The load tools whose output Verdict reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tool {
    Wrk,
    Oha,
    K6,
    #[serde(rename = "techempower")]
    TechEmpower,
}

impl Tool {
    pub const ALL: [Tool; 4] = [Tool::Wrk, Tool::Oha, Tool::K6, Tool::TechEmpower];

    /// The name in forms, URLs, JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::Wrk => "wrk",
            Tool::Oha => "oha",
            Tool::K6 => "k6",
            Tool::TechEmpower => "techempower",
        }
    }

    /// The name readers know it by.
    pub fn label(self) -> &'static str {
        match self {
            Tool::Wrk => "wrk",
            Tool::Oha => "oha",
            Tool::K6 => "k6",
            Tool::TechEmpower => "TechEmpower",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        Tool::ALL
            .into_iter()
            .find(|tool| tool.as_str() == value)
            .ok_or_else(|| "must be one of wrk, oha, k6 and techempower".to_owned())
    }

    /// Whether one file holds several targets (TechEmpower's frameworks), each mapped to a
    /// technology at the preview, rather than the one target the upload form names.
    pub fn has_many_targets(self) -> bool {
        self == Tool::TechEmpower
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
