//! How stored rows become benchmark values: the backend, and the tools and JSON kept as text.

use diesel::prelude::*;

use crate::benchmarks::parse::Tool;
use crate::db::DbConnection;

pub(super) type Backend = <DbConnection as Connection>::Backend;

pub(super) fn stored_tool(value: &str) -> QueryResult<Tool> {
    Tool::parse(value).map_err(|e| corrupt(format!("benchmark tool `{value}` {e}")))
}

pub(super) fn from_json<T: serde::de::DeserializeOwned>(value: &str) -> QueryResult<T> {
    serde_json::from_str(value).map_err(|e| corrupt(format!("stored benchmark JSON: {e}")))
}

fn corrupt(message: String) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(message.into())
}
