//! Facts (assessments): a technology on a dimension, with a score where the dimension has a
//! scale, a text, an as-of date, a confidence and the sources cited. A fact is part of its
//! technology: every change to one moves the technology's version on, so that an editor of
//! the technology's facts never overwrites a change they have not seen.

use std::collections::BTreeSet;

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use super::rules::{self, Check};
use super::{Current, Dependents, Editable, record};
use crate::audit::{self, Action, Actor};
use crate::catalog::model::Confidence;
use crate::db::DbConnection;
use crate::db::schema::{assessment_sources, assessments, dimensions, sources, technologies};
use crate::web::error::FieldError;
use crate::web::form::Fields;

pub struct Fact {
    technology_id: i32,
    dimension_id: i32,
    score: Option<i32>,
    text: String,
    as_of: NaiveDate,
    confidence: Confidence,
    sources: BTreeSet<i32>,
}

/// The address of a fact: `technology/dimension`, both slugs.
pub fn key(technology: &str, dimension: &str) -> String {
    format!("{technology}/{dimension}")
}

fn technology_id(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<i32>> {
    technologies::table
        .filter(technologies::slug.eq(slug))
        .select(technologies::id)
        .first(conn)
        .optional()
}

/// The technology moved on: one of its facts changed.
fn touch_technology(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
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
    const FIELDS: &'static [&'static str] = &[
        "technology",
        "dimension",
        "score",
        "text",
        "as_of",
        "confidence",
        "sources",
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
        type Row = (
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
        let row: Option<Row> = assessments::table
            .find(id)
            .inner_join(technologies::table)
            .inner_join(dimensions::table)
            .select((
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
            .first(conn)
            .optional()?;
        let Some((
            technology_id,
            technology,
            technology_name,
            dimension,
            dimension_name,
            score,
            text,
            as_of,
            confidence,
            version,
        )) = row
        else {
            return Ok(None);
        };
        let cited: Vec<i32> = assessment_sources::table
            .filter(assessment_sources::assessment_id.eq(id))
            .select(assessment_sources::source_id)
            .order(assessment_sources::source_id)
            .load(conn)?;
        let mut fields = vec![
            ("technology".into(), technology.clone()),
            ("dimension".into(), dimension.clone()),
            (
                "score".into(),
                score.map(|s| s.to_string()).unwrap_or_default(),
            ),
            ("text".into(), text),
            ("as_of".into(), as_of.to_string()),
            ("confidence".into(), confidence),
        ];
        if cited.is_empty() {
            fields.push(("sources[]".into(), String::new()));
        }
        fields.extend(cited.iter().map(|id| ("sources".into(), id.to_string())));
        Ok(Some(Current {
            id,
            key: key(&technology, &dimension),
            version,
            label: format!("{technology_name} · {dimension_name}"),
            fields: Fields::new(fields),
            subject: audit::subject("technology", technology_id),
        }))
    }

    fn validate(
        conn: &mut DbConnection,
        fields: &Fields,
        id: Option<i32>,
    ) -> QueryResult<Result<Self, Vec<FieldError>>> {
        let mut check = Check::default();
        let technology = match fields.get("technology") {
            "" => {
                check.fail("technology", "is required");
                None
            }
            slug => {
                let found = technology_id(conn, slug)?;
                if found.is_none() {
                    check.fail("technology", format!("there is no technology `{slug}`"));
                }
                found
            }
        };
        let dimension: Option<(i32, Option<String>)> = match fields.get("dimension") {
            "" => {
                check.fail("dimension", "is required");
                None
            }
            slug => {
                let found = dimensions::table
                    .filter(dimensions::slug.eq(slug))
                    .select((dimensions::id, dimensions::scale))
                    .first(conn)
                    .optional()?;
                if found.is_none() {
                    check.fail("dimension", format!("there is no dimension `{slug}`"));
                }
                found
            }
        };
        if let (Some(id), Some(technology_id), Some((dimension_id, _))) =
            (id, technology, &dimension)
        {
            let (was_technology, was_dimension): (i32, i32) = assessments::table
                .find(id)
                .select((assessments::technology_id, assessments::dimension_id))
                .first(conn)?;
            if (was_technology, was_dimension) != (technology_id, *dimension_id) {
                check.fail(
                    "dimension",
                    "cannot change: delete this fact and add one for the other technology or dimension",
                );
            }
        }
        let scored = dimension.as_ref().is_some_and(|(_, scale)| scale.is_some());
        let score = match (fields.get("score"), scored) {
            ("", false) => Some(None),
            ("", true) => {
                check.fail("score", "is required: this dimension is scored from 1 to 5");
                None
            }
            (_, false) if dimension.is_some() => {
                check.fail(
                    "score",
                    "must be empty: this dimension is descriptive, not scored",
                );
                None
            }
            (value, _) => check.field("score", rules::number(value, 1, 5)).map(Some),
        };
        let text = check.field("text", rules::required(fields.get("text"), 4000));
        let today = Utc::now().date_naive();
        let as_of = check.field("as_of", rules::past_date(fields.get("as_of"), today));
        let confidence = match fields.get("confidence") {
            "" => {
                check.fail("confidence", "is required");
                None
            }
            value => check.field("confidence", Confidence::parse(value)),
        };
        let cited = cited_sources(conn, &mut check, fields)?;
        let item = (|| {
            Some(Fact {
                technology_id: technology?,
                dimension_id: dimension?.0,
                score: score?,
                text: text?,
                as_of: as_of?,
                confidence: confidence?,
                sources: cited?,
            })
        })();
        Ok(check.finish(item))
    }

    fn insert(&self, conn: &mut DbConnection) -> QueryResult<i32> {
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
    fn insert_row(&self, conn: &mut DbConnection) -> QueryResult<i32> {
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

    fn update_row(&self, conn: &mut DbConnection, id: i32, version: i32) -> QueryResult<bool> {
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

/// The sources a fact cites, by id: each must exist.
fn cited_sources(
    conn: &mut DbConnection,
    check: &mut Check,
    fields: &Fields,
) -> QueryResult<Option<BTreeSet<i32>>> {
    let mut ids = BTreeSet::new();
    for value in fields.all("sources") {
        match value.parse::<i32>() {
            Ok(id) => {
                ids.insert(id);
            }
            Err(_) => {
                check.fail("sources", format!("must be source ids, not `{value}`"));
                return Ok(None);
            }
        }
    }
    let wanted: Vec<i32> = ids.iter().copied().collect();
    let known: BTreeSet<i32> = sources::table
        .filter(sources::id.eq_any(&wanted))
        .select(sources::id)
        .load::<i32>(conn)?
        .into_iter()
        .collect();
    let unknown: Vec<String> = ids.difference(&known).map(i32::to_string).collect();
    if unknown.is_empty() {
        Ok(Some(ids))
    } else {
        check.fail(
            "sources",
            format!("there is no source {}", unknown.join(", ")),
        );
        Ok(None)
    }
}

/// How saving a technology's facts as a grid ended. Anything but `Saved` wrote nothing.
#[derive(Debug)]
pub enum GridOutcome {
    /// How many facts were added, changed or removed.
    Saved(usize),
    /// Errors are named `field.dimension`, e.g. `score.performance`.
    Invalid(Vec<FieldError>),
    /// The technology (or one of its facts) changed since `version`.
    Stale,
    NotFound,
}

enum RowChange {
    Add(Fact),
    Change(Current, Fact),
    Remove(Current),
}

/// Saves every row of a technology's fact grid in one transaction, if the technology is
/// still at `version`. Row fields are named `field.dimension`; a row with `remove.dimension`
/// set deletes that fact; an empty row with no fact is left alone.
pub fn save_grid(
    conn: &mut DbConnection,
    actor: &Actor,
    technology: &str,
    version: i32,
    fields: &Fields,
) -> QueryResult<GridOutcome> {
    conn.transaction(|conn| {
        let Some((technology_id, current_version)) = technologies::table
            .filter(technologies::slug.eq(technology))
            .select((technologies::id, technologies::version))
            .first::<(i32, i32)>(conn)
            .optional()?
        else {
            return Ok(GridOutcome::NotFound);
        };
        if current_version != version {
            return Ok(GridOutcome::Stale);
        }
        let dimension_slugs: Vec<String> = dimensions::table
            .select(dimensions::slug)
            .order((dimensions::position, dimensions::id))
            .load(conn)?;
        let mut errors = Vec::new();
        let mut changes = Vec::new();
        for dimension in &dimension_slugs {
            let row = grid_row(fields, technology, dimension);
            let existing = Fact::find(conn, &key(technology, dimension))?;
            let blank = row.get("text").is_empty() && row.get("score").is_empty();
            match existing {
                Some(current) if !fields.get(&format!("remove.{dimension}")).is_empty() => {
                    changes.push(RowChange::Remove(current));
                }
                None if blank => {}
                existing => match Fact::validate(conn, &row, existing.as_ref().map(|c| c.id))? {
                    Ok(fact) => match existing {
                        None => changes.push(RowChange::Add(fact)),
                        Some(current) if current.fields != row => {
                            changes.push(RowChange::Change(current, fact));
                        }
                        Some(_) => {}
                    },
                    Err(row_errors) => errors.extend(row_errors.into_iter().map(|e| {
                        let detail = if blank && e.name == "text" {
                            "is required; tick Remove to delete this fact".into()
                        } else {
                            e.detail
                        };
                        FieldError::new(format!("{}.{dimension}", e.name), detail)
                    })),
                },
            }
        }
        if !errors.is_empty() {
            return Ok(GridOutcome::Invalid(errors));
        }
        let count = changes.len();
        for change in changes {
            let written = match change {
                RowChange::Add(fact) => {
                    let id = fact.insert_row(conn)?;
                    let after = Fact::load(conn, id)?;
                    record::<Fact>(conn, actor, Action::Create, None, after.as_ref())?;
                    true
                }
                RowChange::Change(before, fact) => {
                    let updated = fact.update_row(conn, before.id, before.version)?;
                    let after = Fact::load(conn, before.id)?;
                    record::<Fact>(conn, actor, Action::Update, Some(&before), after.as_ref())?;
                    updated
                }
                RowChange::Remove(before) => {
                    diesel::delete(assessments::table.find(before.id)).execute(conn)?;
                    record::<Fact>(conn, actor, Action::Delete, Some(&before), None)?;
                    true
                }
            };
            if !written {
                // A fact changed under us after the technology's version was read: undo all.
                return Err(diesel::result::Error::RollbackTransaction);
            }
        }
        if count > 0 {
            touch_technology(conn, technology_id)?;
        }
        Ok(GridOutcome::Saved(count))
    })
    .or_else(|e| match e {
        diesel::result::Error::RollbackTransaction => Ok(GridOutcome::Stale),
        e => Err(e),
    })
}

/// One row of the grid as the fields of a single fact, in the order a stored fact has them.
fn grid_row(fields: &Fields, technology: &str, dimension: &str) -> Fields {
    let named = |name: &str| format!("{name}.{dimension}");
    let mut row = vec![
        ("technology".into(), technology.to_owned()),
        ("dimension".into(), dimension.to_owned()),
    ];
    for name in ["score", "text", "as_of", "confidence"] {
        row.push((name.into(), fields.get(&named(name)).to_owned()));
    }
    let mut cited: Vec<i32> = fields
        .all(&named("sources"))
        .filter_map(|v| v.parse().ok())
        .collect();
    cited.sort_unstable();
    cited.dedup();
    if cited.is_empty() {
        row.push(("sources[]".into(), String::new()));
    }
    row.extend(cited.iter().map(|id| ("sources".into(), id.to_string())));
    Fields::new(row)
}
