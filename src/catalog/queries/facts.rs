//! Facts (assessments) with the sources they cite: all of a technology's, or a page of a
//! dimension's or a source's.

use std::collections::HashMap;

use crate::db::one_of;
use chrono::NaiveDate;
use diesel::prelude::*;

use super::rows::{Backend, confidence, dimension_ref, lower, technology_ref};
use crate::catalog::model::{Fact, SourceRef};
use crate::db::DbConnection;
use crate::db::schema::{assessment_sources, assessments, dimensions, sources, technologies};
use crate::web::params::{PageRequest, Paginated};

/// An assessment with what names its technology and its dimension.
#[derive(Queryable, Selectable)]
#[diesel(table_name = assessments)]
struct FactRow {
    id: i32,
    #[diesel(embed)]
    technology: TechnologyName,
    #[diesel(embed)]
    dimension: DimensionName,
    score: Option<i32>,
    body: String,
    as_of: NaiveDate,
    confidence: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = technologies)]
struct TechnologyName {
    slug: String,
    name: String,
    kind: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = dimensions)]
struct DimensionName {
    slug: String,
    name: String,
    scale: Option<String>,
}

fn fact(row: FactRow, sources: Vec<SourceRef>) -> QueryResult<Fact> {
    let FactRow {
        technology,
        dimension,
        score,
        body,
        as_of,
        confidence: confidence_value,
        ..
    } = row;
    Ok(Fact {
        technology: technology_ref((technology.slug, technology.name, technology.kind))?,
        dimension: dimension_ref((dimension.slug, dimension.name, dimension.scale)),
        score,
        text: body,
        as_of,
        confidence: confidence(&confidence_value)?,
        sources,
    })
}

/// All of a technology's facts (one per dimension at most), each with its sources: two
/// queries, both prepared once per connection.
pub(super) fn technology_facts(
    conn: &mut DbConnection,
    technology_id: i32,
) -> QueryResult<Vec<Fact>> {
    let rows: Vec<FactRow> = assessments::table
        .inner_join(technologies::table)
        .inner_join(dimensions::table)
        .filter(assessments::technology_id.eq(technology_id))
        .select(FactRow::as_select())
        .order((dimensions::position, dimensions::id))
        .load(conn)?;
    let citations: Vec<(i32, SourceRef)> = assessment_sources::table
        .inner_join(sources::table)
        .inner_join(assessments::table)
        .filter(assessments::technology_id.eq(technology_id))
        .select((assessment_sources::assessment_id, SourceRef::as_select()))
        .order((sources::title, sources::id))
        .load(conn)?;
    with_sources(rows, citations)
}

/// All the facts of several technologies, named by slug, each with its sources: two
/// queries whatever their number.
pub fn facts_of_technologies(conn: &mut DbConnection, slugs: &[String]) -> QueryResult<Vec<Fact>> {
    let rows: Vec<FactRow> = assessments::table
        .inner_join(technologies::table)
        .inner_join(dimensions::table)
        .filter(one_of(technologies::slug, slugs))
        .select(FactRow::as_select())
        .order((dimensions::position, dimensions::id, technologies::id))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let citations = citations_of(conn, rows.iter().map(|row| row.id).collect())?;
    with_sources(rows, citations)
}

/// Facts from their rows and their citations (assessment id, source), sources in the
/// citations' order.
fn with_sources(rows: Vec<FactRow>, citations: Vec<(i32, SourceRef)>) -> QueryResult<Vec<Fact>> {
    let mut cited: HashMap<i32, Vec<SourceRef>> = HashMap::new();
    for (assessment_id, source) in citations {
        cited.entry(assessment_id).or_default().push(source);
    }
    rows.into_iter()
        .map(|row| {
            let sources = cited.remove(&row.id).unwrap_or_default();
            fact(row, sources)
        })
        .collect()
}

/// Whose facts a page lists, a page at a time.
#[derive(Debug, Clone, Copy)]
pub(super) enum FactsOf {
    Dimension(i32),
    Source(i32),
}

type FactsQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::InnerJoin<
        diesel::dsl::InnerJoin<assessments::table, technologies::table>,
        dimensions::table,
    >,
    Backend,
>;

/// The facts of a dimension or a source, unordered: to count, or to order and load.
fn facts_query(of: FactsOf) -> FactsQuery {
    let query = assessments::table
        .inner_join(technologies::table)
        .inner_join(dimensions::table)
        .into_boxed();
    match of {
        FactsOf::Dimension(id) => query.filter(assessments::dimension_id.eq(id)),
        FactsOf::Source(id) => query.filter(
            assessments::id.eq_any(
                assessment_sources::table
                    .filter(assessment_sources::source_id.eq(id))
                    .select(assessment_sources::assessment_id),
            ),
        ),
    }
}

/// One page of a dimension's facts (best score first) or a source's, each with its sources.
pub(super) fn fact_page(
    conn: &mut DbConnection,
    of: FactsOf,
    page: PageRequest,
) -> QueryResult<Paginated<Fact>> {
    let query = facts_query(of);
    let query = match of {
        FactsOf::Dimension(_) => query.order((
            assessments::score.is_null(),
            assessments::score.desc(),
            lower(technologies::name),
            technologies::id,
        )),
        FactsOf::Source(_) => query.order((
            lower(technologies::name),
            technologies::id,
            dimensions::position,
            dimensions::id,
        )),
    };
    let rows: Vec<FactRow> = query
        .select(FactRow::as_select())
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let citations = citations_of(conn, rows.iter().map(|row| row.id).collect())?;
    let items = with_sources(rows, citations)?;
    page.of(items, || facts_query(of).count().get_result(conn))
}

/// The citations of these facts, in one query. (Its `IN` list is as long as the page, so
/// it is prepared anew each time; a page is short.)
fn citations_of(
    conn: &mut DbConnection,
    assessment_ids: Vec<i32>,
) -> QueryResult<Vec<(i32, SourceRef)>> {
    assessment_sources::table
        .inner_join(sources::table)
        .filter(one_of(assessment_sources::assessment_id, assessment_ids))
        .select((assessment_sources::assessment_id, SourceRef::as_select()))
        .order((sources::title, sources::id))
        .load(conn)
}

/// How many facts each of the technologies `slugs` has, by slug; one without any is absent.
pub fn fact_counts(conn: &mut DbConnection, slugs: &[String]) -> QueryResult<HashMap<String, i64>> {
    Ok(assessments::table
        .inner_join(technologies::table)
        .filter(one_of(technologies::slug, slugs))
        .group_by(technologies::slug)
        .select((technologies::slug, diesel::dsl::count(assessments::id)))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect())
}
