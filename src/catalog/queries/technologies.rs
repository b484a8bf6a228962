//! Technologies: the filtered list, one with everything known about it, and the counts
//! the home page shows.

use std::collections::HashMap;

use crate::db::one_of;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_source::AliasedField;

use super::facts::technology_facts;
use super::rows::{Backend, kind, lower, technology_ref};
use crate::catalog::model::{Kind, TechnologyDetail, TechnologyItem, TechnologyRef};
use crate::db::DbConnection;
use crate::db::keyset::beyond;
use crate::db::schema::{technologies, technology_counts};
use crate::editing::Slug;
use crate::web::params::{PageRequest, Paginated};
use crate::web::slice::{Slice, SliceRequest};

/// How many of a language's frameworks its page lists before linking to the rest.
const FRAMEWORKS_SHOWN: i64 = 24;

// A technology's language, and a technology named in a subquery (a cursor, a filter).
diesel::alias!(
    technologies as languages: LanguagesAlias,
    technologies as named: NamedAlias
);

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

/// Technologies with their language, filtered, as one boxed query. The language is named
/// by a subquery, so the index on the language's technologies serves the list.
fn filtered_technologies(
    filter: &TechnologyFilter,
) -> technologies_with_language::BoxedQuery<'static, Backend> {
    let mut query = technologies_with_language::query().into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(technologies::kind.eq(kind.as_str()));
    }
    if let Some(language) = &filter.language {
        query = query.filter(technologies::language_id.eq(id_of(language.as_str())));
    }
    query
}

/// The id of the technology `slug` names, as a subquery (on an alias of the table, as a
/// query over technologies needs).
fn id_of(slug: &str) -> diesel::dsl::SingleValue<IdOf> {
    named
        .filter(named.field(technologies::slug).eq(slug.to_owned()))
        .select(named.field(technologies::id))
        .single_value()
}

type IdOf = diesel::dsl::Select<
    diesel::dsl::Filter<
        diesel::query_source::Alias<NamedAlias>,
        diesel::dsl::Eq<AliasedField<NamedAlias, technologies::slug>, String>,
    >,
    AliasedField<NamedAlias, technologies::id>,
>;

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

/// A page of the technologies `filter` lets through, by name: one query for the page,
/// served by an index whichever page it is, and one for the total, read from the counts
/// the database keeps.
pub fn list_technologies(
    conn: &mut DbConnection,
    filter: &TechnologyFilter,
    request: &SliceRequest,
) -> QueryResult<Slice<TechnologyItem>> {
    let by_name = (lower(technologies::name), technologies::id);
    let mut query = filtered_technologies(filter).select(technology_columns());
    if let Some((side, slug)) = request.cursor() {
        let cursor = named
            .filter(named.field(technologies::slug).eq(slug.to_owned()))
            .select((
                lower(named.field(technologies::name)),
                named.field(technologies::id),
            ));
        query = query.filter(beyond(by_name, side, cursor));
    }
    query = if request.backwards() {
        query.order((by_name.0.desc(), by_name.1.desc()))
    } else {
        query.order(by_name)
    };
    let rows: Vec<TechnologyRow> = query.limit(request.limit()).load(conn)?;
    let items = rows
        .into_iter()
        .map(technology_item)
        .collect::<QueryResult<_>>()?;
    Ok(request.slice(items, technology_count(conn, filter)?))
}

/// A numbered page of every technology, for the editors' list: `OFFSET` paging, whose
/// later pages cost more, but only editors page through it.
pub fn technologies_page(
    conn: &mut DbConnection,
    page: PageRequest,
) -> QueryResult<Paginated<TechnologyItem>> {
    let all = TechnologyFilter::default();
    let rows: Vec<TechnologyRow> = filtered_technologies(&all)
        .select(technology_columns())
        .order((lower(technologies::name), technologies::id))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(technology_item)
        .collect::<QueryResult<_>>()?;
    page.of(items, || technology_count(conn, &all))
}

/// How many technologies `filter` lets through: one row of the counts the database keeps
/// by kind and language (`''` every kind, `-1` every language).
fn technology_count(conn: &mut DbConnection, filter: &TechnologyFilter) -> QueryResult<i64> {
    let kind = filter.kind.map_or("", |kind| kind.as_str());
    let query = technology_counts::table
        .filter(technology_counts::kind.eq(kind))
        .select(technology_counts::count)
        .into_boxed();
    let query = match &filter.language {
        Some(language) => query.filter(
            technology_counts::language_id
                .nullable()
                .eq(id_of(language.as_str())),
        ),
        None => query.filter(technology_counts::language_id.eq(EVERY_LANGUAGE)),
    };
    Ok(query.first(conn).optional()?.unwrap_or(0))
}

/// The counts' `language_id` of the total over every language.
const EVERY_LANGUAGE: i32 = -1;

/// How many technologies there are of each kind, in the order of [`Kind::ALL`].
pub fn kind_counts(conn: &mut DbConnection) -> QueryResult<Vec<(Kind, i64)>> {
    let counts: HashMap<String, i64> = technology_counts::table
        .filter(technology_counts::language_id.eq(EVERY_LANGUAGE))
        .select((technology_counts::kind, technology_counts::count))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(Kind::ALL
        .into_iter()
        .filter_map(|kind| counts.get(kind.as_str()).map(|&n| (kind, n)))
        .filter(|&(_, n)| n > 0)
        .collect())
}

/// Every language, by name: the choices of the technology form's language.
pub fn languages_list(conn: &mut DbConnection) -> QueryResult<Vec<TechnologyRef>> {
    technology_refs(conn, Some(Kind::Language))
}

/// The most technologies a reader's form lists to choose from: beyond them, the form asks
/// for a technology's slug instead, so that the page stays small whatever the catalog's size.
pub const LISTED: i64 = 250;

/// Every technology (of `kind`), by name, while there are at most `most` of them; `None`
/// beyond, having read one row of the counts.
pub fn listed_technologies(
    conn: &mut DbConnection,
    kind: Option<Kind>,
    most: i64,
) -> QueryResult<Option<Vec<TechnologyRef>>> {
    let filter = TechnologyFilter {
        kind,
        language: None,
    };
    if technology_count(conn, &filter)? > most {
        return Ok(None);
    }
    technology_refs(conn, kind).map(Some)
}

/// Every technology (of `kind`) as a link, by name.
fn technology_refs(conn: &mut DbConnection, kind: Option<Kind>) -> QueryResult<Vec<TechnologyRef>> {
    let mut query = technologies::table
        .select((technologies::slug, technologies::name, technologies::kind))
        .order((lower(technologies::name), technologies::id))
        .into_boxed();
    if let Some(kind) = kind {
        query = query.filter(technologies::kind.eq(kind.as_str()));
    }
    query.load(conn)?.into_iter().map(technology_ref).collect()
}

/// The technologies with these slugs, those that exist, in no particular order: one query.
pub fn technologies_by_slugs(
    conn: &mut DbConnection,
    slugs: &[String],
) -> QueryResult<Vec<TechnologyItem>> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<TechnologyRow> = technologies_with_language::query()
        .filter(one_of(technologies::slug, slugs))
        .select(technology_columns())
        .load(conn)?;
    rows.into_iter().map(technology_item).collect()
}

/// Every technology as a link, by name: the choices of the editors' forms.
pub fn all_technology_refs(conn: &mut DbConnection) -> QueryResult<Vec<TechnologyRef>> {
    technology_refs(conn, None)
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
