//! Facts (assessments) with the sources they cite: all of a technology's, or a page of a
//! dimension's or a source's.

use std::collections::HashMap;

use crate::db::one_of;
use chrono::NaiveDate;
use diesel::prelude::*;

use super::rows::{Backend, confidence, dimension_ref, lower, technology_ref};
use crate::catalog::model::{Fact, SourceRef};
use crate::db::DbConnection;
use crate::db::expression_around;
use crate::db::keyset::beyond;
use crate::db::schema::{
    assessment_sources, assessments, dimensions, fact_counts, sources, technologies,
};
use crate::web::params::{PageRequest, Paginated};
use crate::web::slice::{Slice, SliceRequest};

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

type FactsQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::InnerJoin<
        diesel::dsl::InnerJoin<assessments::table, technologies::table>,
        dimensions::table,
    >,
    Backend,
>;

/// Facts with their technology and dimension, to filter, order and load.
fn facts_query() -> FactsQuery {
    assessments::table
        .inner_join(technologies::table)
        .inner_join(dimensions::table)
        .into_boxed()
}

/// A page of a dimension's facts, best score first (no score last), then by technology;
/// each with its sources. Keyset paging on the index that serves this order: the cursor is
/// the slug of a technology assessed on the dimension.
pub(super) fn dimension_facts(
    conn: &mut DbConnection,
    dimension_id: i32,
    request: &SliceRequest,
) -> QueryResult<Slice<Fact>> {
    let order = (Rank(assessments::score), assessments::technology_id);
    let mut query = facts_query().filter(assessments::dimension_id.eq(dimension_id));
    if let Some((side, slug)) = request.cursor() {
        let cursor = cursor_facts
            .filter(
                cursor_facts
                    .field(assessments::dimension_id)
                    .eq(dimension_id),
            )
            .filter(
                cursor_facts
                    .field(assessments::technology_id)
                    .nullable()
                    .eq(cursor_technologies
                        .filter(
                            cursor_technologies
                                .field(technologies::slug)
                                .eq(slug.to_owned()),
                        )
                        .select(cursor_technologies.field(technologies::id))
                        .single_value()),
            )
            .select((
                Rank(cursor_facts.field(assessments::score)),
                cursor_facts.field(assessments::technology_id),
            ));
        query = query.filter(beyond(order, side, cursor));
    }
    query = if request.backwards() {
        query.order((order.0.desc(), order.1.desc()))
    } else {
        query.order(order)
    };
    let rows: Vec<FactRow> = query
        .select(FactRow::as_select())
        .limit(request.limit())
        .load(conn)?;
    let citations = citations_of(conn, rows.iter().map(|row| row.id).collect())?;
    let total = fact_counts::table
        .find(dimension_id)
        .select(fact_counts::count)
        .first(conn)
        .optional()?
        .unwrap_or(0);
    Ok(request.slice(with_sources(rows, citations)?, total))
}

diesel::alias!(
    assessments as cursor_facts: CursorFacts,
    technologies as cursor_technologies: CursorTechnologies
);

/// Where a score ranks a fact: `coalesce(-score, 0)`, best first and no score last, as the
/// index `assessments_by_rank` has it (the expression must be written as the index writes it,
/// constants and all, for the database to use the index).
#[derive(Debug, Clone, Copy)]
struct Rank<S>(S);

expression_around!(Rank<S>: diesel::sql_types::Integer);

impl<S: diesel::query_builder::QueryFragment<Backend>> diesel::query_builder::QueryFragment<Backend>
    for Rank<S>
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, Backend>,
    ) -> QueryResult<()> {
        out.push_sql("coalesce(-");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(", 0)");
        Ok(())
    }
}

/// One page of the facts citing a source, by technology then dimension, each with its
/// sources.
pub(super) fn source_facts(
    conn: &mut DbConnection,
    source_id: i32,
    page: PageRequest,
) -> QueryResult<Paginated<Fact>> {
    let of_source = || {
        facts_query().filter(
            assessments::id.eq_any(
                assessment_sources::table
                    .filter(assessment_sources::source_id.eq(source_id))
                    .select(assessment_sources::assessment_id),
            ),
        )
    };
    let rows: Vec<FactRow> = of_source()
        .order((
            lower(technologies::name),
            technologies::id,
            dimensions::position,
            dimensions::id,
        ))
        .select(FactRow::as_select())
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let citations = citations_of(conn, rows.iter().map(|row| row.id).collect())?;
    let items = with_sources(rows, citations)?;
    page.of(items, || of_source().count().get_result(conn))
}

/// The citations of these facts, in one query.
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
