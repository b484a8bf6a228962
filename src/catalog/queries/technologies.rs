//! Technologies: the filtered list, one with everything known about it, and the counts
//! the home page shows.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::count;
use diesel::prelude::*;
use diesel::query_source::AliasedField;

use super::facts::technology_facts;
use super::rows::{Backend, kind, lower, technology_ref};
use crate::catalog::model::{Kind, TechnologyDetail, TechnologyItem, TechnologyRef};
use crate::db::DbConnection;
use crate::db::schema::technologies;
use crate::editing::Slug;
use crate::web::params::{PageRequest, Paginated};

/// How many of a language's frameworks its page lists before linking to the rest.
const FRAMEWORKS_SHOWN: i64 = 24;

diesel::alias!(technologies as languages: LanguagesAlias);

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

/// The technologies with these slugs, those that exist, in no particular order: one query.
pub fn technologies_by_slugs(
    conn: &mut DbConnection,
    slugs: &[String],
) -> QueryResult<Vec<TechnologyItem>> {
    let rows: Vec<TechnologyRow> = technologies_with_language::query()
        .filter(technologies::slug.eq_any(slugs))
        .select(technology_columns())
        .load(conn)?;
    rows.into_iter().map(technology_item).collect()
}

/// Every technology as a link, by name: the choices of the comparison form.
pub fn all_technology_refs(conn: &mut DbConnection) -> QueryResult<Vec<TechnologyRef>> {
    technologies::table
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
