//! The catalog's queries: plain functions over a connection, shared by pages and API.
//! Each list is one page of rows, plus a count when the page is full; facts and their
//! sources are two queries whatever their number (no N+1).

mod dimensions;
mod facts;
mod sources;
mod technologies;

use diesel::prelude::*;
use diesel::result::Error::DeserializationError;

use crate::catalog::model::{Confidence, DimensionRef, Kind, TechnologyRef};
use crate::db::DbConnection;

pub use dimensions::{all_dimensions, dimension, list_dimensions};
pub use facts::facts_of_technologies;
pub use sources::{all_sources, list_sources, source};
pub use technologies::{
    TechnologyFilter, all_technology_refs, kind_counts, languages_list, list_technologies,
    technologies_by_slugs, technology,
};

type Backend = <DbConnection as Connection>::Backend;

diesel::define_sql_function! {
    /// Names sort without regard to case (`fasthttp` between `Echo` and `Gin`).
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

fn kind(value: &str) -> QueryResult<Kind> {
    Kind::parse(value).map_err(|e| DeserializationError(e.into()))
}

fn confidence(value: &str) -> QueryResult<Confidence> {
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

fn dimension_ref((slug, name, scale): (String, String, Option<String>)) -> DimensionRef {
    DimensionRef { slug, name, scale }
}
