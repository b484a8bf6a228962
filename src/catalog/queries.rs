//! The catalog's queries: plain functions over a connection, shared by pages and API.
//! Each list is one page of rows, plus a count when the page is full; facts and their
//! sources are two queries whatever their number (no N+1).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count;
use diesel::prelude::*;
use diesel::query_source::AliasedField;
use diesel::result::Error::DeserializationError;

use crate::catalog::model::{
    Confidence, DimensionItem, DimensionRef, Fact, Kind, Slug, SourceItem, SourceRef,
    TechnologyDetail, TechnologyItem, TechnologyRef,
};
use crate::db::DbConnection;
use crate::db::schema::{assessment_sources, assessments, dimensions, sources, technologies};
use crate::web::params::{PageRequest, Paginated};

type Backend = <DbConnection as Connection>::Backend;

/// How many of a language's frameworks its page lists before linking to the rest.
pub const FRAMEWORKS_SHOWN: i64 = 24;

diesel::alias!(technologies as languages: LanguagesAlias);

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

/// Filters for the technology list.
#[derive(Debug, Clone, Default)]
pub struct TechnologyFilter {
    pub kind: Option<Kind>,
    /// Only the frameworks and libraries of this language.
    pub language: Option<Slug>,
}

impl TechnologyFilter {
    pub fn has_kind(&self, kind: &Kind) -> bool {
        self.kind.as_ref() == Some(kind)
    }

    pub fn has_language(&self, slug: &str) -> bool {
        self.language
            .as_ref()
            .is_some_and(|language| language.as_str() == slug)
    }
}

type LanguageColumns = (
    AliasedField<LanguagesAlias, technologies::slug>,
    AliasedField<LanguagesAlias, technologies::name>,
    AliasedField<LanguagesAlias, technologies::kind>,
);

/// What a [`TechnologyRow`] is selected from, on [`technologies_with_language`].
fn technology_columns() -> (
    technologies::slug,
    technologies::name,
    technologies::kind,
    technologies::summary,
    diesel::dsl::Nullable<LanguageColumns>,
) {
    (
        technologies::slug,
        technologies::name,
        technologies::kind,
        technologies::summary,
        languages
            .fields((technologies::slug, technologies::name, technologies::kind))
            .nullable(),
    )
}

type TechnologyRow = (
    String,
    String,
    String,
    String,
    Option<(String, String, String)>,
);

fn technology_item(row: TechnologyRow) -> QueryResult<TechnologyItem> {
    let (slug, name, kind_value, summary, language) = row;
    Ok(TechnologyItem {
        slug,
        name,
        kind: kind(&kind_value)?,
        language: language.map(technology_ref).transpose()?,
        summary,
    })
}

fn technology_ref(
    (slug, name, kind_value): (String, String, String),
) -> QueryResult<TechnologyRef> {
    Ok(TechnologyRef {
        slug,
        name,
        kind: kind(&kind_value)?,
    })
}

/// Technologies with their language, filtered, as one boxed query to page or count.
fn filtered_technologies(
    filter: &TechnologyFilter,
) -> technologies_with_language::BoxedQuery<'static, Backend> {
    let mut query = technologies_with_language::query().into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(technologies::kind.eq(kind.as_str()));
    }
    if let Some(language) = &filter.language {
        query = query.filter(
            languages
                .field(technologies::slug)
                .nullable()
                .eq(language.as_str().to_owned()),
        );
    }
    query
}

mod technologies_with_language {
    use super::*;

    pub type Query = diesel::dsl::LeftJoinOn<
        technologies::table,
        diesel::query_source::Alias<LanguagesAlias>,
        diesel::dsl::Eq<
            technologies::language_id,
            diesel::dsl::Nullable<AliasedField<LanguagesAlias, technologies::id>>,
        >,
    >;
    pub type BoxedQuery<'a, DB> = diesel::dsl::IntoBoxed<'a, Query, DB>;

    pub fn query() -> Query {
        technologies::table.left_join(
            languages
                .on(technologies::language_id.eq(languages.field(technologies::id).nullable())),
        )
    }
}

pub fn list_technologies(
    conn: &mut DbConnection,
    filter: &TechnologyFilter,
    page: PageRequest,
) -> QueryResult<Paginated<TechnologyItem>> {
    let rows: Vec<TechnologyRow> = filtered_technologies(filter)
        .select(technology_columns())
        .order((lower(technologies::name), technologies::id))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(technology_item)
        .collect::<QueryResult<_>>()?;
    page.of(items, || {
        filtered_technologies(filter).count().get_result(conn)
    })
}

/// How many technologies there are of each kind, in the order of [`Kind::ALL`].
pub fn kind_counts(conn: &mut DbConnection) -> QueryResult<Vec<(Kind, i64)>> {
    let counts: HashMap<String, i64> = technologies::table
        .group_by(technologies::kind)
        .select((technologies::kind, count(technologies::id)))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(Kind::ALL
        .into_iter()
        .filter_map(|kind| counts.get(kind.as_str()).map(|&n| (kind, n)))
        .collect())
}

/// Every language, for the language filter.
pub fn languages_list(conn: &mut DbConnection) -> QueryResult<Vec<TechnologyRef>> {
    technologies::table
        .filter(technologies::kind.eq(Kind::Language.as_str()))
        .select((technologies::slug, technologies::name, technologies::kind))
        .order((lower(technologies::name), technologies::id))
        .load(conn)?
        .into_iter()
        .map(technology_ref)
        .collect()
}

pub fn technology(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<TechnologyDetail>> {
    let found: Option<(i32, NaiveDateTime, TechnologyRow)> = technologies_with_language::query()
        .filter(technologies::slug.eq(slug))
        .select((
            technologies::id,
            technologies::updated_at,
            technology_columns(),
        ))
        .first(conn)
        .optional()?;
    let Some((id, updated_at, row)) = found else {
        return Ok(None);
    };
    let technology = technology_item(row)?;
    // Only languages have frameworks.
    let mut frameworks = if technology.kind == Kind::Language {
        technologies::table
            .filter(technologies::language_id.eq(id))
            .select((technologies::slug, technologies::name, technologies::kind))
            .order((lower(technologies::name), technologies::id))
            .limit(FRAMEWORKS_SHOWN + 1)
            .load(conn)?
            .into_iter()
            .map(technology_ref)
            .collect::<QueryResult<Vec<_>>>()?
    } else {
        Vec::new()
    };
    let more_frameworks = frameworks.len() as i64 > FRAMEWORKS_SHOWN;
    frameworks.truncate(FRAMEWORKS_SHOWN as usize);
    let assessments = technology_facts(conn, id)?;
    Ok(Some(TechnologyDetail {
        technology,
        frameworks,
        more_frameworks,
        assessments,
        updated_at: updated_at.and_utc(),
    }))
}

fn dimension_ref((slug, name, scale): (String, String, Option<String>)) -> DimensionRef {
    DimensionRef { slug, name, scale }
}

type DimensionRow = (i32, String, String, String, Option<String>);

fn dimension_item(
    (_, slug, name, description, scale): DimensionRow,
    assessments: i64,
) -> DimensionItem {
    DimensionItem {
        slug,
        name,
        description,
        scale,
        assessments,
    }
}

const DIMENSION_COLUMNS: (
    dimensions::id,
    dimensions::slug,
    dimensions::name,
    dimensions::description,
    dimensions::scale,
) = (
    dimensions::id,
    dimensions::slug,
    dimensions::name,
    dimensions::description,
    dimensions::scale,
);

pub fn list_dimensions(
    conn: &mut DbConnection,
    page: PageRequest,
) -> QueryResult<Paginated<DimensionItem>> {
    let rows: Vec<(DimensionRow, Option<i64>)> = dimensions::table
        .select((
            DIMENSION_COLUMNS,
            assessments::table
                .filter(assessments::dimension_id.eq(dimensions::id))
                .count()
                .single_value(),
        ))
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
    page: PageRequest,
) -> QueryResult<Option<(DimensionItem, Paginated<Fact>)>> {
    let Some(row) = dimensions::table
        .filter(dimensions::slug.eq(slug))
        .select(DIMENSION_COLUMNS)
        .first::<DimensionRow>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let facts = fact_page(conn, FactsOf::Dimension(row.0), page)?;
    let item = dimension_item(row, facts.total);
    Ok(Some((item, facts)))
}

type SourceRow = (SourceRef, String);

fn source_item((source, notes): SourceRow, citations: i64) -> SourceItem {
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
        .map(|(source, notes, n)| source_item((source, notes), n.unwrap_or(0)))
        .collect();
    page.of(items, || sources::table.count().get_result(conn))
}

/// A source and one page of the facts that cite it.
pub fn source(
    conn: &mut DbConnection,
    id: i32,
    page: PageRequest,
) -> QueryResult<Option<(SourceItem, Paginated<Fact>)>> {
    let Some(row) = sources::table
        .find(id)
        .select((SourceRef::as_select(), sources::notes))
        .first::<SourceRow>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let facts = fact_page(conn, FactsOf::Source(id), page)?;
    let item = source_item(row, facts.total);
    Ok(Some((item, facts)))
}

type FactRow = (
    i32,
    (String, String, String),
    (String, String, Option<String>),
    Option<i32>,
    String,
    NaiveDate,
    String,
);

type FactColumns = (
    assessments::id,
    (technologies::slug, technologies::name, technologies::kind),
    (dimensions::slug, dimensions::name, dimensions::scale),
    assessments::score,
    assessments::body,
    assessments::as_of,
    assessments::confidence,
);

/// What a [`FactRow`] is selected from, on assessments joined to technologies and dimensions.
const FACT_COLUMNS: FactColumns = (
    assessments::id,
    (technologies::slug, technologies::name, technologies::kind),
    (dimensions::slug, dimensions::name, dimensions::scale),
    assessments::score,
    assessments::body,
    assessments::as_of,
    assessments::confidence,
);

fn fact(row: FactRow, sources: Vec<SourceRef>) -> QueryResult<Fact> {
    let (_, technology, dimension, score, text, as_of, confidence_value) = row;
    Ok(Fact {
        technology: technology_ref(technology)?,
        dimension: dimension_ref(dimension),
        score,
        text,
        as_of,
        confidence: confidence(&confidence_value)?,
        sources,
    })
}

/// All of a technology's facts (one per dimension at most), each with its sources: two
/// queries, both prepared once per connection.
fn technology_facts(conn: &mut DbConnection, technology_id: i32) -> QueryResult<Vec<Fact>> {
    let rows: Vec<FactRow> = assessments::table
        .inner_join(technologies::table)
        .inner_join(dimensions::table)
        .filter(assessments::technology_id.eq(technology_id))
        .select(FACT_COLUMNS)
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

/// Facts from their rows and their citations (assessment id, source), sources in the
/// citations' order.
fn with_sources(rows: Vec<FactRow>, citations: Vec<(i32, SourceRef)>) -> QueryResult<Vec<Fact>> {
    let mut cited: HashMap<i32, Vec<SourceRef>> = HashMap::new();
    for (assessment_id, source) in citations {
        cited.entry(assessment_id).or_default().push(source);
    }
    rows.into_iter()
        .map(|row| {
            let sources = cited.remove(&row.0).unwrap_or_default();
            fact(row, sources)
        })
        .collect()
}

/// Whose facts a page lists, a page at a time.
#[derive(Debug, Clone, Copy)]
enum FactsOf {
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
fn fact_page(
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
        .select(FACT_COLUMNS)
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let citations = citations_of(conn, rows.iter().map(|row| row.0).collect())?;
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
        .filter(assessment_sources::assessment_id.eq_any(assessment_ids))
        .select((assessment_sources::assessment_id, SourceRef::as_select()))
        .order((sources::title, sources::id))
        .load(conn)
}
