//! The catalog's queries: plain functions over a connection, shared by pages and API.
//! Each list is one page of rows plus a count; facts and their sources are two queries
//! whatever their number (no N+1).

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
    let total = filtered_technologies(filter).count().get_result(conn)?;
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
    Ok(page.of(items, total))
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
    let mut frameworks = technologies::table
        .filter(technologies::language_id.eq(id))
        .select((technologies::slug, technologies::name, technologies::kind))
        .order((lower(technologies::name), technologies::id))
        .limit(FRAMEWORKS_SHOWN + 1)
        .load(conn)?
        .into_iter()
        .map(technology_ref)
        .collect::<QueryResult<Vec<_>>>()?;
    let more_frameworks = frameworks.len() as i64 > FRAMEWORKS_SHOWN;
    frameworks.truncate(FRAMEWORKS_SHOWN as usize);
    let assessments = facts(conn, FactsOf::Technology(id), None)?;
    Ok(Some(TechnologyDetail {
        technology: technology_item(row)?,
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
    let total = dimensions::table.count().get_result(conn)?;
    let rows: Vec<DimensionRow> = dimensions::table
        .select(DIMENSION_COLUMNS)
        .order((dimensions::position, dimensions::id))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let counts = assessment_counts(conn, rows.iter().map(|row| row.0).collect())?;
    let items = rows
        .into_iter()
        .map(|row| {
            let n = counts.get(&row.0).copied().unwrap_or(0);
            dimension_item(row, n)
        })
        .collect();
    Ok(page.of(items, total))
}

fn assessment_counts(
    conn: &mut DbConnection,
    dimension_ids: Vec<i32>,
) -> QueryResult<HashMap<i32, i64>> {
    Ok(assessments::table
        .filter(assessments::dimension_id.eq_any(dimension_ids))
        .group_by(assessments::dimension_id)
        .select((assessments::dimension_id, count(assessments::id)))
        .load::<(i32, i64)>(conn)?
        .into_iter()
        .collect())
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
    let total = sources::table.count().get_result(conn)?;
    let rows: Vec<SourceRow> = sources::table
        .select((SourceRef::as_select(), sources::notes))
        .order((lower(sources::title), sources::id))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let counts: HashMap<i32, i64> = assessment_sources::table
        .filter(
            assessment_sources::source_id
                .eq_any(rows.iter().map(|row| row.0.id).collect::<Vec<_>>()),
        )
        .group_by(assessment_sources::source_id)
        .select((
            assessment_sources::source_id,
            count(assessment_sources::assessment_id),
        ))
        .load::<(i32, i64)>(conn)?
        .into_iter()
        .collect();
    let items = rows
        .into_iter()
        .map(|row| {
            let n = counts.get(&row.0.id).copied().unwrap_or(0);
            source_item(row, n)
        })
        .collect();
    Ok(page.of(items, total))
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

/// Whose facts to load.
#[derive(Debug, Clone, Copy)]
enum FactsOf {
    Technology(i32),
    Dimension(i32),
    Source(i32),
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

/// The facts of one technology, dimension or source, unordered: to count, or to order and load.
fn facts_query(
    of: FactsOf,
) -> diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::InnerJoin<
        diesel::dsl::InnerJoin<assessments::table, technologies::table>,
        dimensions::table,
    >,
    Backend,
> {
    let query = assessments::table
        .inner_join(technologies::table)
        .inner_join(dimensions::table)
        .into_boxed();
    match of {
        FactsOf::Technology(id) => query.filter(assessments::technology_id.eq(id)),
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

/// One page of a dimension's or a source's facts.
fn fact_page(
    conn: &mut DbConnection,
    of: FactsOf,
    page: PageRequest,
) -> QueryResult<Paginated<Fact>> {
    let total = facts_query(of).count().get_result(conn)?;
    let items = facts(conn, of, Some(page))?;
    Ok(page.of(items, total))
}

/// Facts with their sources: all of them (a technology has one per dimension at most) or a page.
fn facts(
    conn: &mut DbConnection,
    of: FactsOf,
    page: Option<PageRequest>,
) -> QueryResult<Vec<Fact>> {
    let query = facts_query(of);
    let query = match of {
        FactsOf::Technology(_) => query.order((dimensions::position, dimensions::id)),
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
    let mut query = query.select((
        assessments::id,
        (technologies::slug, technologies::name, technologies::kind),
        (dimensions::slug, dimensions::name, dimensions::scale),
        assessments::score,
        assessments::body,
        assessments::as_of,
        assessments::confidence,
    ));
    if let Some(page) = page {
        query = query.limit(page.limit()).offset(page.offset());
    }
    let rows: Vec<FactRow> = query.load(conn)?;
    let mut cited = sources_of(conn, rows.iter().map(|row| row.0).collect())?;
    rows.into_iter()
        .map(
            |(id, technology, dimension, score, text, as_of, confidence_value)| {
                Ok(Fact {
                    technology: technology_ref(technology)?,
                    dimension: dimension_ref(dimension),
                    score,
                    text,
                    as_of,
                    confidence: confidence(&confidence_value)?,
                    sources: cited.remove(&id).unwrap_or_default(),
                })
            },
        )
        .collect()
}

/// The sources each assessment cites, by assessment id, in one query.
fn sources_of(
    conn: &mut DbConnection,
    assessment_ids: Vec<i32>,
) -> QueryResult<HashMap<i32, Vec<SourceRef>>> {
    let rows: Vec<(i32, SourceRef)> = assessment_sources::table
        .inner_join(sources::table)
        .filter(assessment_sources::assessment_id.eq_any(assessment_ids))
        .select((assessment_sources::assessment_id, SourceRef::as_select()))
        .order((
            assessment_sources::assessment_id,
            sources::title,
            sources::id,
        ))
        .load(conn)?;
    let mut by_assessment: HashMap<i32, Vec<SourceRef>> = HashMap::new();
    for (assessment_id, source) in rows {
        by_assessment.entry(assessment_id).or_default().push(source);
    }
    Ok(by_assessment)
}
