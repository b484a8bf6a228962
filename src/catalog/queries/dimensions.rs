//! Comparison dimensions: the list, and one with a page of its facts.

use diesel::prelude::*;

use super::facts::dimension_facts;
use super::rows::dimension_ref;
use crate::catalog::model::{DimensionItem, DimensionRef, Fact};
use crate::db::DbConnection;
use crate::db::schema::{dimensions, fact_counts};
use crate::web::params::{PageRequest, Paginated};
use crate::web::slice::{Slice, SliceRequest};

#[derive(Queryable, Selectable)]
#[diesel(table_name = dimensions)]
struct DimensionRow {
    id: i32,
    slug: String,
    name: String,
    description: String,
    scale: Option<String>,
    position: i32,
}

fn dimension_item(row: DimensionRow, assessments: i64) -> DimensionItem {
    DimensionItem {
        slug: row.slug,
        name: row.name,
        description: row.description,
        scale: row.scale,
        position: row.position,
        assessments,
    }
}

pub fn list_dimensions(
    conn: &mut DbConnection,
    page: PageRequest,
) -> QueryResult<Paginated<DimensionItem>> {
    let rows: Vec<(DimensionRow, Option<i64>)> = dimensions::table
        .left_join(fact_counts::table)
        .select((DimensionRow::as_select(), fact_counts::count.nullable()))
        .order((dimensions::position, dimensions::id))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(row, n)| dimension_item(row, n.unwrap_or(0)))
        .collect();
    page.of(items, || dimensions::table.count().get_result(conn))
}

/// A dimension and one page of the facts recorded on it.
pub fn dimension(
    conn: &mut DbConnection,
    slug: &str,
    request: &SliceRequest,
) -> QueryResult<Option<(DimensionItem, Slice<Fact>)>> {
    let Some(row) = dimensions::table
        .filter(dimensions::slug.eq(slug))
        .select(DimensionRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let facts = dimension_facts(conn, row.id, request)?;
    let item = dimension_item(row, facts.total);
    Ok(Some((item, facts)))
}

/// Every dimension in list order: the rows of a technology's fact grid. There are a few
/// dozen at most, by the nature of a comparison.
pub fn all_dimensions(conn: &mut DbConnection) -> QueryResult<Vec<DimensionRef>> {
    let rows: Vec<(String, String, Option<String>)> = dimensions::table
        .select((dimensions::slug, dimensions::name, dimensions::scale))
        .order((dimensions::position, dimensions::id))
        .load(conn)?;
    Ok(rows.into_iter().map(dimension_ref).collect())
}

/// Every scored dimension, (id, slug, name) in list order: what requirements weigh and
/// benchmark scenarios stand for.
pub fn scored_dimensions(conn: &mut DbConnection) -> QueryResult<Vec<(i32, String, String)>> {
    dimensions::table
        .filter(dimensions::scale.is_not_null())
        .select((dimensions::id, dimensions::slug, dimensions::name))
        .order((dimensions::position, dimensions::id))
        .load(conn)
}

/// How many dimensions there are: the rows of a comparison.
pub fn dimension_count(conn: &mut DbConnection) -> QueryResult<i64> {
    dimensions::table.count().get_result(conn)
}
