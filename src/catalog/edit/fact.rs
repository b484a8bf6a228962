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

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use crate::audit::{self, Action, Actor};
use crate::catalog::model::{self, Confidence};
use crate::db::schema::{assessment_sources, assessments, dimensions, sources, technologies};
use crate::db::{self, DbConnection};
use crate::editing::rules::{self, Check};
use crate::editing::{Current, Dependents, Editable, Entry, Field, Rule, record};
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

impl Resource for Fact {
    type Path = (String, String);
    type Body = model::Fact;

    fn key((technology, dimension): &(String, String)) -> Result<String, AppError> {
        Ok(key(slug(technology)?.as_str(), slug(dimension)?.as_str()))
    }

    fn location(key: &str) -> String {
        // A fact's key is `technology/dimension`; its address is the technology's assessments.
        format!(
            "{ROOT}/technologies/{}",
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
        Fields::new(vec![
            ("technology".into(), technology.into()),
            ("dimension".into(), dimension.into()),
        ])
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
        .filter(assessment_sources::assessment_id.eq_any(&ids))
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
fn known_sources(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<BTreeSet<i32>> {
    Ok(sources::table
        .filter(sources::id.eq_any(ids))
        .select(sources::id)
        .load::<i32>(conn)?
        .into_iter()
        .collect())
}

/// What the database says about a fact's fields, looked up before they are checked.
struct Found<'a> {
    technology: Option<i32>,
    /// The dimension's id, and its scale (`None`: descriptive).
    dimension: Option<(i32, Option<String>)>,
    /// For a fact being replaced: its technology and dimension.
    was: Option<(i32, i32)>,
    /// Which of the cited source ids exist.
    known_sources: &'a BTreeSet<i32>,
    today: NaiveDate,
}

/// Checks a fact's fields against what was found: a pure function.
fn parse(fields: &Fields, found: &Found) -> Result<Fact, Vec<FieldError>> {
    let mut check = Check::default();
    let technology = match (fields.get("technology"), found.technology) {
        ("", _) => {
            check.fail("technology", "is required");
            None
        }
        (slug, None) => {
            check.fail("technology", format!("there is no technology `{slug}`"));
            None
        }
        (_, id) => id,
    };
    let dimension = match (fields.get("dimension"), &found.dimension) {
        ("", _) => {
            check.fail("dimension", "is required");
            None
        }
        (slug, None) => {
            check.fail("dimension", format!("there is no dimension `{slug}`"));
            None
        }
        (_, Some(dimension)) => Some(dimension),
    };
    if let (Some(was), Some(technology), Some((dimension, _))) = (found.was, technology, dimension)
        && was != (technology, *dimension)
    {
        check.fail(
            "dimension",
            "cannot change: delete this fact and add one for the other technology or dimension",
        );
    }
    let scored = dimension.is_some_and(|(_, scale)| scale.is_some());
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
    let as_of = check.field("as_of", rules::past_date(fields.get("as_of"), found.today));
    let confidence = match fields.get("confidence") {
        "" => {
            check.fail("confidence", "is required");
            None
        }
        value => check.field("confidence", Confidence::parse(value)),
    };
    let sources = cited_sources(&mut check, fields, found.known_sources);
    let fact = (|| {
        Some(Fact {
            technology_id: technology?,
            dimension_id: dimension?.0,
            score: score?,
            text: text?,
            as_of: as_of?,
            confidence: confidence?,
            sources: sources?,
        })
    })();
    check.finish(fact)
}

/// The sources a fact cites, by id: each must be known.
fn cited_sources(
    check: &mut Check,
    fields: &Fields,
    known: &BTreeSet<i32>,
) -> Option<BTreeSet<i32>> {
    let mut ids = BTreeSet::new();
    for value in fields.all("sources") {
        match value.parse::<i32>() {
            Ok(id) => {
                ids.insert(id);
            }
            Err(_) => {
                check.fail("sources", format!("must be source ids, not `{value}`"));
                return None;
            }
        }
    }
    let unknown: Vec<String> = ids.difference(known).map(i32::to_string).collect();
    if unknown.is_empty() {
        Some(ids)
    } else {
        check.fail(
            "sources",
            format!("there is no source {}", unknown.join(", ")),
        );
        None
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
    db::write(conn, |conn| {
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
        // Everything the rows are checked against, looked up once for the whole grid.
        let all_dimensions: Vec<(i32, String, Option<String>)> = dimensions::table
            .select((dimensions::id, dimensions::slug, dimensions::scale))
            .order((dimensions::position, dimensions::id))
            .load(conn)?;
        let mut existing = load_facts(conn, Of::Technology(technology_id))?;
        let cited: Vec<i32> = fields
            .pairs()
            .iter()
            .filter(|(name, _)| name.starts_with("sources."))
            .filter_map(|(_, value)| value.trim().parse().ok())
            .collect();
        let known = known_sources(conn, &cited)?;
        let today = Utc::now().date_naive();

        let mut errors = Vec::new();
        let mut changes = Vec::new();
        for (dimension_id, dimension, scale) in all_dimensions {
            let row = grid_row(fields, technology, &dimension);
            let current = existing
                .iter()
                .position(|fact| fact.fields.get("dimension") == dimension)
                .map(|at| existing.swap_remove(at));
            let blank = row.get("text").is_empty() && row.get("score").is_empty();
            let found = Found {
                technology: Some(technology_id),
                dimension: Some((dimension_id, scale)),
                was: current.as_ref().map(|_| (technology_id, dimension_id)),
                known_sources: &known,
                today,
            };
            match current {
                Some(current) if !fields.get(&format!("remove.{dimension}")).is_empty() => {
                    changes.push(RowChange::Remove(current));
                }
                None if blank => {}
                current => match parse(&row, &found) {
                    Ok(fact) => match current {
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
    // Ordered as a stored fact's are, by id; anything else is kept for the check to name.
    let sources = named("sources");
    let mut cited: Vec<&str> = fields.all(&sources).collect();
    cited.sort_by_key(|value| (value.parse::<i64>().ok(), value.to_string()));
    cited.dedup();
    if cited.is_empty() {
        row.push(("sources[]".into(), String::new()));
    }
    row.extend(cited.iter().map(|id| ("sources".into(), (*id).to_owned())));
    Fields::new(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields::new(
            pairs
                .iter()
                .map(|(n, v)| ((*n).into(), (*v).into()))
                .collect(),
        )
    }

    fn found<'a>(scale: Option<&str>, known: &'a BTreeSet<i32>) -> Found<'a> {
        Found {
            technology: Some(1),
            dimension: Some((7, scale.map(String::from))),
            was: None,
            known_sources: known,
            today: NaiveDate::from_ymd_opt(2026, 11, 21).expect("a date"),
        }
    }

    const GOOD: &[(&str, &str)] = &[
        ("technology", "rust"),
        ("dimension", "performance"),
        ("score", "5"),
        ("text", "Fast."),
        ("as_of", "2026-11-01"),
        ("confidence", "high"),
        ("sources", "2"),
        ("sources", "1"),
    ];

    fn errors(pairs: &[(&str, &str)], found: &Found) -> Vec<String> {
        match parse(&fields(pairs), found) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .into_iter()
                .map(|e| format!("{} {}", e.name, e.detail))
                .collect(),
        }
    }

    #[test]
    fn a_complete_fact_parses() {
        let known = BTreeSet::from([1, 2]);
        let fact = parse(&fields(GOOD), &found(Some("1 = slow"), &known)).expect("valid");
        assert_eq!(fact.score, Some(5));
        assert_eq!(fact.sources, BTreeSet::from([1, 2]));
        assert_eq!((fact.technology_id, fact.dimension_id), (1, 7));
    }

    #[test]
    fn scores_follow_the_dimension() {
        let known = BTreeSet::from([1, 2]);
        let mut unscored = GOOD.to_vec();
        unscored[2] = ("score", "");
        assert_eq!(
            errors(&unscored, &found(Some("1 = slow"), &known)),
            ["score is required: this dimension is scored from 1 to 5"]
        );
        assert!(errors(&unscored, &found(None, &known)).is_empty());
        assert_eq!(
            errors(GOOD, &found(None, &known)),
            ["score must be empty: this dimension is descriptive, not scored"]
        );
        let mut high = GOOD.to_vec();
        high[2] = ("score", "6");
        assert_eq!(errors(&high, &found(Some("s"), &known)).len(), 1);
    }

    #[test]
    fn every_field_is_checked_at_once() {
        let known = BTreeSet::from([1]);
        let bad = [
            ("technology", "rust"),
            ("dimension", "performance"),
            ("score", "x"),
            ("text", ""),
            ("as_of", "2027-01-01"),
            ("confidence", "certain"),
            ("sources", "1"),
            ("sources", "9"),
        ];
        let names: Vec<String> = errors(&bad, &found(Some("s"), &known))
            .into_iter()
            .map(|e| e.split(' ').next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(names, ["score", "text", "as_of", "confidence", "sources"]);
    }

    #[test]
    fn a_fact_cannot_move_to_another_dimension() {
        let known = BTreeSet::from([1, 2]);
        let mut moved = found(Some("s"), &known);
        moved.was = Some((1, 8));
        assert_eq!(errors(GOOD, &moved).len(), 1);
        moved.was = Some((1, 7));
        assert!(errors(GOOD, &moved).is_empty());
    }

    #[test]
    fn grid_rows_become_facts_fields_in_stored_order() {
        let grid = fields(&[
            ("score.performance", "4"),
            ("text.performance", " Fast. "),
            ("sources.performance", "10"),
            ("sources.performance", "2"),
            ("sources.performance", "2"),
            ("text.steward", "Other row"),
        ]);
        let row = grid_row(&grid, "rust", "performance");
        assert_eq!(row.get("text"), "Fast.");
        assert_eq!(row.all("sources").collect::<Vec<_>>(), ["2", "10"]);
        assert_eq!(row.get("dimension"), "performance");
        let empty = grid_row(&grid, "rust", "concurrency");
        assert!(empty.has("sources"));
        assert_eq!(empty.all("sources").count(), 0);
    }
}
