//! Sources: the list, and one with a page of the facts citing it.

use diesel::prelude::*;

use super::facts::source_facts;
use super::rows::lower;
use crate::catalog::model::{Fact, SourceItem, SourceRef};
use crate::db::DbConnection;
use crate::db::schema::{assessment_sources, sources};
use crate::web::params::{PageRequest, Paginated};

fn source_item(source: SourceRef, notes: String, citations: i64) -> SourceItem {
    SourceItem {
        source,
        notes,
        citations,
    }
}

pub fn list_sources(
    conn: &mut DbConnection,
    page: PageRequest,
) -> QueryResult<Paginated<SourceItem>> {
    let rows: Vec<(SourceRef, String, Option<i64>)> = sources::table
        .select((
            SourceRef::as_select(),
            sources::notes,
            assessment_sources::table
                .filter(assessment_sources::source_id.eq(sources::id))
                .count()
                .single_value(),
        ))
        .order((lower(sources::title), sources::id))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(source, notes, n)| source_item(source, notes, n.unwrap_or(0)))
        .collect();
    page.of(items, || sources::table.count().get_result(conn))
}

/// A source and one page of the facts that cite it.
pub fn source(
    conn: &mut DbConnection,
    id: i32,
    page: PageRequest,
) -> QueryResult<Option<(SourceItem, Paginated<Fact>)>> {
    let Some((source, notes)) = sources::table
        .find(id)
        .select((SourceRef::as_select(), sources::notes))
        .first::<(SourceRef, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let facts = source_facts(conn, id, page)?;
    let item = source_item(source, notes, facts.total);
    Ok(Some((item, facts)))
}

/// Every source by title, for citing in the fact grid.
pub fn all_sources(conn: &mut DbConnection) -> QueryResult<Vec<SourceRef>> {
    sources::table
        .select(SourceRef::as_select())
        .order((lower(sources::title), sources::id))
        .load(conn)
}
