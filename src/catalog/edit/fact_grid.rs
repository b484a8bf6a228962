//! A technology's facts saved as one grid: a row a dimension, in one transaction.

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use super::fact::{Of, known_sources, load_facts, touch_technology};
use super::fact_rules::{Fact, Found, parse};
use crate::audit::{Action, Actor};
use crate::db::schema::{assessments, dimensions, technologies};
use crate::db::{self, DbConnection};
use crate::editing::{Current, Editable, record};
use crate::web::error::FieldError;
use crate::web::form::Fields;

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
            let row = grid_row(fields, technology, &dimension, today);
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
fn grid_row(fields: &Fields, technology: &str, dimension: &str, today: NaiveDate) -> Fields {
    let named = |name: &str| format!("{name}.{dimension}");
    let mut row = vec![
        ("technology", technology.to_owned()),
        ("dimension", dimension.to_owned()),
    ];
    for name in ["score", "text", "as_of", "confidence"] {
        let value = match (name, fields.get(&named(name))) {
            // A new row's date is left empty in the grid, lest it look saved: empty is today.
            ("as_of", "") => today.to_string(),
            (_, given) => given.to_owned(),
        };
        row.push((name, value));
    }
    // Ordered as a stored fact's are, by id; anything else is kept for the check to name.
    let sources = named("sources");
    let mut cited: Vec<&str> = fields.all(&sources).collect();
    cited.sort_by_key(|value| (value.parse::<i64>().ok(), value.to_string()));
    cited.dedup();
    if cited.is_empty() {
        row.push(("sources[]", String::new()));
    }
    row.extend(cited.iter().map(|id| ("sources", (*id).to_owned())));
    Fields::new(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields::new(pairs.iter().copied())
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
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).expect("a date");
        let row = grid_row(&grid, "rust", "performance", today);
        assert_eq!(row.get("text"), "Fast.");
        assert_eq!(row.all("sources").collect::<Vec<_>>(), ["2", "10"]);
        assert_eq!(row.get("dimension"), "performance");
        assert_eq!(row.get("as_of"), "2026-11-21", "empty: today");
        let empty = grid_row(&grid, "rust", "concurrency", today);
        assert!(empty.has("sources"));
        assert_eq!(empty.all("sources").count(), 0);
        let dated = fields(&[("as_of.steward", "2025-01-02")]);
        assert_eq!(
            grid_row(&dated, "rust", "steward", today).get("as_of"),
            "2025-01-02"
        );
    }
}
