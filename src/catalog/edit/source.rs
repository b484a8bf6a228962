//! Sources: title, publisher, publication date, URL (optional) and notes.

use crate::catalog::model::{SourceItem, WithFacts};
use crate::catalog::queries;
use crate::editing::api::Resource;
use crate::editing::forms::{AdminKind, Row};
use crate::editing::params::id;
use crate::web::AppError;
use crate::web::params::{PageRequest, Paginated};
use crate::web::words::counted;
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use super::technology::some_names;
use crate::audit;
use crate::db::DbConnection;
use crate::db::schema::{assessment_sources, assessments, dimensions, sources, technologies};
use crate::editing::fields::Checked;
use crate::editing::rules;
use crate::editing::{Current, Dependents, Editable, Entry, Field, Rule, row_writes};
use crate::web::error::FieldError;
use crate::web::form::Fields;

/// A source's fields, checked: also what is stored.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = sources, treat_none_as_null = true)]
pub struct Source {
    title: String,
    publisher: String,
    published_on: Option<NaiveDate>,
    url: Option<String>,
    notes: String,
}

impl Editable for Source {
    const KIND: &'static str = "source";
    const FIELDS: &'static [Field] = &[
        Field::new("title", "Title", Entry::Text, Rule::Required(300)),
        Field::new("publisher", "Publisher", Entry::Text, Rule::Required(200)),
        Field::new("published_on", "Published on", Entry::Date, Rule::ByKind).hint("Optional."),
        Field::new("url", "URL", Entry::Url, Rule::ByKind).hint("Optional: https://…"),
        Field::new("notes", "Notes", Entry::Textarea, Rule::Optional(2000))
            .hint("Optional: what it shows, and how."),
    ];
    const UNIQUE_FIELD: &'static str = "title";

    fn id_of(conn: &mut DbConnection, key: &str) -> QueryResult<Option<i32>> {
        let Ok(id) = key.parse::<i32>() else {
            return Ok(None);
        };
        sources::table
            .find(id)
            .select(sources::id)
            .first(conn)
            .optional()
    }

    fn load(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Current>> {
        type Row = (
            String,
            String,
            Option<NaiveDate>,
            Option<String>,
            String,
            i32,
        );
        let row: Option<Row> = sources::table
            .find(id)
            .select((
                sources::title,
                sources::publisher,
                sources::published_on,
                sources::url,
                sources::notes,
                sources::version,
            ))
            .first(conn)
            .optional()?;
        Ok(row.map(
            |(title, publisher, published_on, url, notes, version)| Current {
                id,
                subject: audit::subject(Self::KIND, id),
                key: id.to_string(),
                version,
                label: title.clone(),
                fields: Fields::new(vec![
                    ("title", title),
                    ("publisher", publisher),
                    (
                        "published_on",
                        published_on.map(|d| d.to_string()).unwrap_or_default(),
                    ),
                    ("url", url.unwrap_or_default()),
                    ("notes", notes),
                ]),
            },
        ))
    }

    fn validate(
        conn: &mut DbConnection,
        fields: &Fields,
        id: Option<i32>,
    ) -> QueryResult<Result<Self, Vec<FieldError>>> {
        let mut check = Checked::of(fields, Self::FIELDS);
        if let (Some(title), Some(publisher)) = (check.text("title"), check.text("publisher")) {
            let owner: Option<i32> = sources::table
                .filter(sources::title.eq(title))
                .filter(sources::publisher.eq(publisher))
                .select(sources::id)
                .first(conn)
                .optional()?;
            if owner.is_some() && owner != id {
                check.fail(
                    "title",
                    "is already used by another source from this publisher",
                );
            }
        }
        let today = Utc::now().date_naive();
        let published_on = match fields.get("published_on") {
            "" => Some(None),
            value => check
                .check
                .field("published_on", rules::past_date(value, today))
                .map(Some),
        };
        let url = match fields.get("url") {
            "" => Some(None),
            value => check.check.field("url", rules::url(value)).map(Some),
        };
        Ok(check.finish(|v| {
            Some(Source {
                title: v.text("title")?,
                publisher: v.text("publisher")?,
                published_on: published_on?,
                url: url?,
                notes: v.text("notes")?,
            })
        }))
    }

    row_writes!(sources);

    fn dependents(conn: &mut DbConnection, current: &Current) -> QueryResult<Dependents> {
        let citing = assessment_sources::table
            .filter(assessment_sources::source_id.eq(current.id))
            .inner_join(
                assessments::table
                    .inner_join(technologies::table)
                    .inner_join(dimensions::table),
            );
        let total: i64 = citing.count().get_result(conn)?;
        let mut dependents = Dependents::default();
        if total > 0 {
            let facts: Vec<(String, String)> = citing
                .select((technologies::name, dimensions::name))
                .order((technologies::name, dimensions::position))
                .limit(5)
                .load(conn)?;
            let names: Vec<String> = facts
                .into_iter()
                .map(|(technology, dimension)| format!("{technology} · {dimension}"))
                .collect();
            dependents.blockers.push(format!(
                "{} cite{} it: remove the citation{} first, so that no fact loses its evidence unseen",
                some_names(&names, total),
                if total == 1 { "s" } else { "" },
                if total == 1 { "" } else { "s" },
            ));
        }
        Ok(dependents)
    }

    fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
        diesel::delete(sources::table.find(id)).execute(conn)?;
        Ok(())
    }
}

impl AdminKind for Source {
    const PATH: &'static str = "sources";
    const NOUN: &'static str = "source";
    const TITLE: &'static str = "Sources";

    fn rows(conn: &mut DbConnection, page: PageRequest) -> diesel::QueryResult<Paginated<Row>> {
        let list = queries::list_sources(conn, page)?;
        Ok(list.map(|s| Row {
            key: s.source.id.to_string(),
            label: s.source.title,
            note: format!(
                "{}, cited by {}",
                s.source.publisher,
                counted(s.citations, "fact")
            ),
        }))
    }
}

impl Resource for Source {
    type Path = String;
    type Body = WithFacts<SourceItem>;
    type Page = PageRequest;

    fn key(path: &String) -> Result<String, AppError> {
        Ok(id(path)?.to_string())
    }

    const COLLECTION: &'static str = "sources";

    fn body(
        conn: &mut DbConnection,
        key: &str,
        page: PageRequest,
    ) -> QueryResult<Option<Self::Body>> {
        let Ok(id) = key.parse() else {
            return Ok(None);
        };
        Ok(queries::source(conn, id, page)?.map(|(item, facts)| WithFacts { item, facts }))
    }
}
