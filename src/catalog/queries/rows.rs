//! How stored rows become the catalog's values: kinds, confidence, references.

use diesel::prelude::*;
use diesel::result::Error::DeserializationError;

use crate::catalog::model::{Confidence, DimensionRef, Kind, TechnologyRef};
use crate::db::DbConnection;

pub type Backend = <DbConnection as Connection>::Backend;

diesel::define_sql_function! {
    /// Names sort without regard to case (`fasthttp` between `Echo` and `Gin`).
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

pub fn kind(value: &str) -> QueryResult<Kind> {
    Kind::parse(value).map_err(|e| DeserializationError(e.into()))
}

pub fn confidence(value: &str) -> QueryResult<Confidence> {
    Confidence::parse(value).map_err(|e| DeserializationError(e.into()))
}

/// A technology as a link, from its slug, name and kind as stored.
pub fn technology_ref(
    (slug, name, kind_value): (String, String, String),
) -> QueryResult<TechnologyRef> {
    Ok(TechnologyRef {
        slug,
        name,
        kind: kind(&kind_value)?,
    })
}

pub fn dimension_ref((slug, name, scale): (String, String, Option<String>)) -> DimensionRef {
    DimensionRef { slug, name, scale }
}
