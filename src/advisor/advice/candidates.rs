//! The candidates the reader's inputs name, loaded from the catalog.

use crate::db::one_of;
use diesel::prelude::*;

use crate::advisor::query::Query;
use crate::catalog::model::{Kind, TechnologyRef};
use crate::catalog::queries::{lower, technology_ref};
use crate::db::DbConnection;
use crate::db::schema::technologies;
use crate::web::error::FieldError;

/// The most candidates one ranking takes.
pub const MAX_CANDIDATES: usize = 12;

pub(super) struct CandidateRow {
    pub(super) reference: TechnologyRef,
    pub(super) language_id: Option<i32>,
}

/// The candidates the inputs name: the technologies given, the frameworks and libraries of
/// the languages given, or else every language.
pub(super) fn candidates(
    conn: &mut DbConnection,
    query: &Query,
) -> QueryResult<Result<Vec<CandidateRow>, Vec<FieldError>>> {
    type Row = (i32, String, String, String, Option<i32>);
    let columns = (
        technologies::id,
        technologies::slug,
        technologies::name,
        technologies::kind,
        technologies::language_id,
    );
    let mut errors = Vec::new();
    let mut rows: Vec<Row> = technologies::table
        .filter(one_of(technologies::slug, &query.candidates))
        .select(columns)
        .load(conn)?;
    for slug in &query.candidates {
        if !rows.iter().any(|row| &row.1 == slug) {
            errors.push(FieldError::new(
                "t",
                format!("names no technology: `{slug}`"),
            ));
        }
    }
    if !query.frameworks_of.is_empty() {
        let languages: Vec<(i32, String)> = technologies::table
            .filter(one_of(technologies::slug, &query.frameworks_of))
            .filter(technologies::kind.eq(Kind::Language.as_str()))
            .select((technologies::id, technologies::slug))
            .load(conn)?;
        for slug in &query.frameworks_of {
            if !languages.iter().any(|(_, s)| s == slug) {
                errors.push(FieldError::new(
                    "of",
                    format!("names no language: `{slug}`"),
                ));
            }
        }
        // A language at a time, in the order of its index, and only until there are too
        // many: a large language's members are never all read.
        for (id, _) in &languages {
            if rows.len() > MAX_CANDIDATES {
                break;
            }
            rows.extend(
                technologies::table
                    .filter(technologies::language_id.eq(id))
                    .select(columns)
                    .order((lower(technologies::name), technologies::id))
                    .limit(MAX_CANDIDATES as i64 + 1)
                    .load::<Row>(conn)?,
            );
        }
    }
    if query.candidates.is_empty() && query.frameworks_of.is_empty() {
        rows = technologies::table
            .filter(technologies::kind.eq(Kind::Language.as_str()))
            .select(columns)
            .order((lower(technologies::name), technologies::id))
            .limit(MAX_CANDIDATES as i64)
            .load(conn)?;
    }
    rows.sort_by(|a, b| {
        a.2.to_lowercase()
            .cmp(&b.2.to_lowercase())
            .then(a.0.cmp(&b.0))
    });
    rows.dedup_by_key(|row| row.0);
    if errors.is_empty() && rows.len() < 2 {
        errors.push(FieldError::new(
            "t",
            format!(
                "needs at least two candidates to rank; these choices give {}",
                rows.len()
            ),
        ));
    }
    if rows.len() > MAX_CANDIDATES {
        errors.push(FieldError::new(
            "t",
            format!("takes at most {MAX_CANDIDATES} candidates at once"),
        ));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    rows.into_iter()
        .map(|(_, slug, name, kind, language_id)| {
            Ok(CandidateRow {
                reference: technology_ref((slug, name, kind))?,
                language_id,
            })
        })
        .collect::<QueryResult<_>>()
        .map(Ok)
}
