//! Facts (assessments): a technology on a dimension, with a score where the dimension has a
//! scale, a text, an as-of date, a confidence and the sources cited. A fact is part of its
//! technology: every change to one moves the technology's version on, so that an editor of
//! the technology's facts never overwrites a change they have not seen.

use crate::catalog::queries;
use crate::editing::api::{ROOT, Resource};
use crate::editing::params::slug;
use crate::web::AppError;
use crate::web::params::PageRequest;
use std::collections::BTreeSet;

use crate::db::one_of;
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use super::fact_rules::{Fact, Found, parse};
use crate::audit::{self, Actor};
use crate::catalog::model;
use crate::db::DbConnection;
use crate::db::schema::{assessment_sources, assessments, dimensions, sources, technologies};
use crate::editing::{Current, Dependents, Editable, Entry, Field, Rule};
use crate::web::error::FieldError;
use crate::web::form::Fields;

/// The address of a fact: `technology/dimension`, both slugs.
pub fn key(technology: &str, dimension: &str) -> String {
    format!("{technology}/{dimension}")
}

pub(super) fn technology_id(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<i32>> {
    technologies::table
        .filter(technologies::slug.eq(slug))
        .select(technologies::id)
        .first(conn)
        .optional()
}

/// The technology moved on: one of its facts changed.
pub(super) fn touch_technology(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::update(technologies::table.find(id))
        .set((
            technologies::version.eq(technologies::version + 1),
            technologies::updated_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

impl Editable for Fact {
    const KIND: &'static str = "assessment";
    /// Checked together by [`parse`], which the grid shares.
    const FIELDS: &'static [Field] = &[
        Field::new("technology", "Technology", Entry::Choice, Rule::ByKind),
        Field::new("dimension", "Dimension", Entry::Choice, Rule::ByKind),
        Field::new("score", "Score", Entry::Number, Rule::ByKind),
        Field::new("text", "Assessment", Entry::Textarea, Rule::ByKind),
        Field::new("as_of", "As of", Entry::Date, Rule::ByKind),
        Field::new("confidence", "Confidence", Entry::Choice, Rule::ByKind),
        Field::new("sources", "Sources", Entry::Choice, Rule::ByKind),
    ];
    const UNIQUE_FIELD: &'static str = "dimension";

    fn id_of(conn: &mut DbConnection, key: &str) -> QueryResult<Option<i32>> {
        let Some((technology, dimension)) = key.split_once('/') else {
            return Ok(None);
        };
        assessments::table
            .inner_join(technologies::table)
            .inner_join(dimensions::table)
            .filter(technologies::slug.eq(technology))
            .filter(dimensions::slug.eq(dimension))
            .select(assessments::id)
            .first(conn)
            .optional()
    }

    fn load(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Current>> {
        Ok(load_facts(conn, Of::Fact(id))?.pop())
    }

    fn validate(
        conn: &mut DbConnection,
        fields: &Fields,
        id: Option<i32>,
    ) -> QueryResult<Result<Self, Vec<FieldError>>> {
        let technology = technology_id(conn, fields.get("technology"))?;
        let dimension = dimensions::table
            .filter(dimensions::slug.eq(fields.get("dimension")))
            .select((dimensions::id, dimensions::scale))
            .first(conn)
            .optional()?;
        let was = match id {
            Some(id) => Some(
                assessments::table
                    .find(id)
                    .select((assessments::technology_id, assessments::dimension_id))
                    .first(conn)?,
            ),
            None => None,
        };
        let cited: Vec<i32> = fields
            .all("sources")
            .filter_map(|v| v.parse().ok())
            .collect();
        let known = known_sources(conn, &cited)?;
        let found = Found {
            technology,
            dimension,
            was,
            known_sources: &known,
            today: Utc::now().date_naive(),
        };
        Ok(parse(fields, &found))
    }

    fn insert(&self, conn: &mut DbConnection, _: &Actor) -> QueryResult<i32> {
        let id = self.insert_row(conn)?;
        touch_technology(conn, self.technology_id)?;
        Ok(id)
    }

    fn update(&self, conn: &mut DbConnection, id: i32, version: i32) -> QueryResult<bool> {
        let updated = self.update_row(conn, id, version)?;
        if updated {
            touch_technology(conn, self.technology_id)?;
        }
        Ok(updated)
    }

    fn dependents(_: &mut DbConnection, _: &Current) -> QueryResult<Dependents> {
        Ok(Dependents::default())
    }

    fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
        let technology_id: i32 = assessments::table
            .find(id)
            .select(assessments::technology_id)
            .first(conn)?;
        diesel::delete(assessments::table.find(id)).execute(conn)?;
        touch_technology(conn, technology_id)
    }
}

impl Fact {
    pub(super) fn insert_row(&self, conn: &mut DbConnection) -> QueryResult<i32> {
        let now = Utc::now().naive_utc();
        let id = diesel::insert_into(assessments::table)
            .values((
                assessments::technology_id.eq(self.technology_id),
                assessments::dimension_id.eq(self.dimension_id),
                assessments::score.eq(self.score),
                assessments::body.eq(&self.text),
                assessments::as_of.eq(self.as_of),
                assessments::confidence.eq(self.confidence.as_str()),
                assessments::created_at.eq(now),
                assessments::updated_at.eq(now),
            ))
            .returning(assessments::id)
            .get_result(conn)?;
        self.cite(conn, id)?;
        Ok(id)
    }

    pub(super) fn update_row(
        &self,
        conn: &mut DbConnection,
        id: i32,
        version: i32,
    ) -> QueryResult<bool> {
        let updated = diesel::update(
            assessments::table
                .filter(assessments::id.eq(id))
                .filter(assessments::version.eq(version)),
        )
        .set((
            assessments::score.eq(self.score),
            assessments::body.eq(&self.text),
            assessments::as_of.eq(self.as_of),
            assessments::confidence.eq(self.confidence.as_str()),
            assessments::updated_at.eq(Utc::now().naive_utc()),
            assessments::version.eq(version + 1),
        ))
        .execute(conn)?;
        if updated == 1 {
            diesel::delete(
                assessment_sources::table.filter(assessment_sources::assessment_id.eq(id)),
            )
            .execute(conn)?;
            self.cite(conn, id)?;
        }
        Ok(updated == 1)
    }

    fn cite(&self, conn: &mut DbConnection, id: i32) -> QueryResult<()> {
        // One row at a time: a multi-row insert is not available across both backends.
        for source in &self.sources {
            diesel::insert_into(assessment_sources::table)
                .values((
                    assessment_sources::assessment_id.eq(id),
                    assessment_sources::source_id.eq(*source),
                ))
                .execute(conn)?;
        }
        Ok(())
    }
}

impl Resource for Fact {
    type Path = (String, String);
    type Body = model::Fact;
    type Page = PageRequest;

    fn key((technology, dimension): &(String, String)) -> Result<String, AppError> {
        Ok(key(slug(technology)?.as_str(), slug(dimension)?.as_str()))
    }

    const COLLECTION: &'static str = "technologies";

    fn location(key: &str) -> String {
        // A fact's key is `technology/dimension`; its address is the technology's assessments.
        format!(
            "{ROOT}/{}/{}",
            Self::COLLECTION,
            key.replacen('/', "/assessments/", 1)
        )
    }

    fn body(
        conn: &mut DbConnection,
        key: &str,
        _: PageRequest,
    ) -> QueryResult<Option<model::Fact>> {
        let Some((technology, dimension)) = key.split_once('/') else {
            return Ok(None);
        };
        Ok(queries::technology(conn, technology)?.and_then(|detail| {
            detail
                .assessments
                .into_iter()
                .find(|fact| fact.dimension.slug == dimension)
        }))
    }

    fn given(key: &str) -> Fields {
        let (technology, dimension) = key.split_once('/').unwrap_or((key, ""));
        Fields::new(vec![("technology", technology), ("dimension", dimension)])
    }
}

/// Whose facts to load.
pub(super) enum Of {
    Fact(i32),
    Technology(i32),
    Dimension(i32),
}

/// The facts of a technology or a dimension, as [`Editable::cascading`] names them.
pub(super) fn facts_of(
    conn: &mut DbConnection,
    of: Of,
) -> QueryResult<Vec<(&'static str, Current)>> {
    let facts = load_facts(conn, of)?;
    Ok(facts.into_iter().map(|fact| (Fact::KIND, fact)).collect())
}

/// Facts as stored now, with their sources: two queries whatever their number.
pub(super) fn load_facts(conn: &mut DbConnection, of: Of) -> QueryResult<Vec<Current>> {
    type Row = (
        i32,
        i32,
        String,
        String,
        String,
        String,
        Option<i32>,
        String,
        NaiveDate,
        String,
        i32,
    );
    let mut query = assessments::table
        .inner_join(technologies::table)
        .inner_join(dimensions::table)
        .select((
            assessments::id,
            technologies::id,
            technologies::slug,
            technologies::name,
            dimensions::slug,
            dimensions::name,
            assessments::score,
            assessments::body,
            assessments::as_of,
            assessments::confidence,
            assessments::version,
        ))
        .into_boxed();
    query = match of {
        Of::Fact(id) => query.filter(assessments::id.eq(id)),
        Of::Technology(id) => query.filter(assessments::technology_id.eq(id)),
        Of::Dimension(id) => query.filter(assessments::dimension_id.eq(id)),
    };
    let rows: Vec<Row> = query.load(conn)?;
    let ids: Vec<i32> = rows.iter().map(|row| row.0).collect();
    let citations: Vec<(i32, i32)> = assessment_sources::table
        .filter(one_of(assessment_sources::assessment_id, &ids))
        .select((
            assessment_sources::assessment_id,
            assessment_sources::source_id,
        ))
        .order((
            assessment_sources::assessment_id,
            assessment_sources::source_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let (id, technology_id, technology, technology_name, dimension, dimension_name) =
                (row.0, row.1, row.2, row.3, row.4, row.5);
            let (score, text, as_of, confidence, version) = (row.6, row.7, row.8, row.9, row.10);
            let cited: Vec<i32> = citations
                .iter()
                .filter(|(fact, _)| *fact == id)
                .map(|(_, source)| *source)
                .collect();
            let mut fields = vec![
                ("technology", technology.clone()),
                ("dimension", dimension.clone()),
                ("score", score.map(|s| s.to_string()).unwrap_or_default()),
                ("text", text),
                ("as_of", as_of.to_string()),
                ("confidence", confidence),
            ];
            if cited.is_empty() {
                fields.push(("sources[]", String::new()));
            }
            fields.extend(cited.iter().map(|id| ("sources", id.to_string())));
            Current {
                id,
                key: key(&technology, &dimension),
                version,
                label: format!("{technology_name} · {dimension_name}"),
                fields: Fields::new(fields),
                subject: audit::subject("technology", technology_id),
            }
        })
        .collect())
}

/// Which of `ids` name sources.
pub(super) fn known_sources(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<BTreeSet<i32>> {
    Ok(sources::table
        .filter(one_of(sources::id, ids))
        .select(sources::id)
        .load::<i32>(conn)?
        .into_iter()
        .collect())
}
