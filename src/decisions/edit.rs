//! Recording and changing decisions through the catalog's write path ([`edit`]): one
//! transaction, the version check, an audit entry (kind `decision`, so every status change
//! is in the log with its before and after) and a new content revision. Creating one takes
//! the snapshot of its options' facts, in the same transaction; no edit ever touches it.

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use crate::advisor::{Advice, Query, advise};
use crate::audit::{self, Actor};
use crate::db::DbConnection;
use crate::db::schema::{decisions, technologies};
use crate::decisions::queries::{self, KIND, current_options};
use crate::decisions::rules::{self, Checked, Known, Recorded, option_slugs};
use crate::decisions::snapshot::{OptionRef, Snapshot};
use crate::editing::{Current, Dependents, Editable, Field};
use crate::web::Params;
use crate::web::error::FieldError;
use crate::web::form::Fields;

/// A decision's fields, checked, and for a new one the advisor's result it came from.
pub struct Decision {
    checked: Checked,
    advice: Option<Advice>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = decisions)]
struct Row {
    title: String,
    context: String,
    drivers: String,
    options: String,
    chosen: String,
    rationale: String,
    consequences: String,
    status: String,
    superseded_by_id: Option<i32>,
    decided_on: NaiveDate,
    revisit_by: Option<NaiveDate>,
    links: String,
    advisor_query: String,
    version: i32,
}

/// The columns a decision's form sets, on creation and on every edit alike. The options
/// and the snapshot are set once, on creation.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = decisions, treat_none_as_null = true)]
struct Columns<'a> {
    title: &'a str,
    context: &'a str,
    drivers: &'a str,
    chosen: &'a str,
    rationale: &'a str,
    consequences: &'a str,
    status: &'a str,
    superseded_by_id: Option<i32>,
    revisit_by: Option<NaiveDate>,
    links: &'a str,
    decided_on: NaiveDate,
    advisor_query: &'a str,
}

impl<'a> Columns<'a> {
    fn of(checked: &'a Checked) -> Self {
        Self {
            title: &checked.title,
            context: &checked.context,
            drivers: &checked.drivers,
            chosen: &checked.chosen,
            rationale: &checked.rationale,
            consequences: &checked.consequences,
            status: checked.status.as_str(),
            superseded_by_id: checked.superseded_by_id,
            revisit_by: checked.revisit_by,
            links: &checked.links,
            decided_on: checked.decided_on,
            advisor_query: &checked.advisor_query,
        }
    }
}

fn exists(conn: &mut DbConnection, id: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(decisions::table.find(id))).get_result(conn)
}

impl Editable for Decision {
    const KIND: &'static str = KIND;
    const FIELDS: &'static [Field] = rules::FIELDS;
    // Decisions have no unique field; a clash is never reported.
    const UNIQUE_FIELD: &'static str = "title";

    fn id_of(conn: &mut DbConnection, key: &str) -> QueryResult<Option<i32>> {
        match key.parse::<i32>() {
            Ok(id) if exists(conn, id)? => Ok(Some(id)),
            _ => Ok(None),
        }
    }

    fn load(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Current>> {
        let row: Option<Row> = decisions::table
            .find(id)
            .select(Row::as_select())
            .first(conn)
            .optional()?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut fields = vec![
            ("title".to_owned(), row.title.clone()),
            ("context".to_owned(), row.context),
            ("drivers".to_owned(), row.drivers),
        ];
        fields.extend(
            queries::options(&row.options)?
                .into_iter()
                .map(|option| ("options".to_owned(), option.slug)),
        );
        fields.extend([
            ("chosen".to_owned(), row.chosen),
            ("rationale".to_owned(), row.rationale),
            ("consequences".to_owned(), row.consequences),
            ("status".to_owned(), row.status),
            (
                "superseded_by".to_owned(),
                row.superseded_by_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
            ("decided_on".to_owned(), row.decided_on.to_string()),
            (
                "revisit_by".to_owned(),
                row.revisit_by.map(|d| d.to_string()).unwrap_or_default(),
            ),
            ("links".to_owned(), row.links),
            ("advisor_query".to_owned(), row.advisor_query),
        ]);
        Ok(Some(Current {
            id,
            key: id.to_string(),
            version: row.version,
            label: row.title,
            fields: Fields::new(fields),
            subject: audit::subject(KIND, id),
        }))
    }

    fn validate(
        conn: &mut DbConnection,
        fields: &Fields,
        id: Option<i32>,
    ) -> QueryResult<Result<Self, Vec<FieldError>>> {
        let (technologies, existing) = match id {
            None => {
                let found: Vec<(String, String)> = technologies::table
                    .filter(technologies::slug.eq_any(option_slugs(fields)))
                    .select((technologies::slug, technologies::name))
                    .load(conn)?;
                let found = found
                    .into_iter()
                    .map(|(slug, name)| OptionRef { slug, name })
                    .collect();
                (found, None)
            }
            Some(id) => {
                let (options, advisor_query) = queries::recorded(conn, id)?;
                let recorded = Recorded {
                    id,
                    options,
                    advisor_query,
                };
                (Vec::new(), Some(recorded))
            }
        };
        let superseding_exists = match fields.get("superseded_by").parse::<i32>() {
            Ok(by) => exists(conn, by)?,
            Err(_) => false,
        };
        let known = Known {
            technologies,
            existing,
            superseding_exists,
            today: Utc::now().date_naive(),
        };
        // A new decision from an advisor result keeps that result, as the advisor gives it
        // now, in the same transaction as the facts.
        let advice = match (id, fields.get("advisor_query")) {
            (None, query) if !query.is_empty() => Some(advice(conn, query)?),
            _ => None,
        };
        Ok(match (rules::check(fields, &known), advice) {
            (Ok(mut checked), Some(Ok(advice))) => {
                checked.advisor_query.clone_from(&advice.query);
                Ok(Decision {
                    checked,
                    advice: Some(advice),
                })
            }
            (Ok(checked), None) => Ok(Decision {
                checked,
                advice: None,
            }),
            (Ok(_), Some(Err(error))) => Err(vec![error]),
            (Err(mut errors), Some(Err(error))) => {
                errors.push(error);
                Err(errors)
            }
            (Err(errors), Some(Ok(_))) => Err(errors),
            (Err(errors), None) => Err(errors),
        })
    }

    fn insert(&self, conn: &mut DbConnection, actor: &Actor) -> QueryResult<i32> {
        let checked = &self.checked;
        let now = Utc::now();
        let slugs: Vec<String> = checked.options.iter().map(|o| o.slug.clone()).collect();
        let snapshot = Snapshot {
            taken_at: now,
            options: current_options(conn, &slugs)?,
            advice: self
                .advice
                .as_ref()
                .map(serde_json::to_value)
                .transpose()
                .map_err(|e| diesel::result::Error::SerializationError(e.into()))?,
        };
        let now = now.naive_utc();
        diesel::insert_into(decisions::table)
            .values((
                Columns::of(checked),
                decisions::options.eq(to_json(&checked.options)?),
                decisions::snapshot.eq(to_json(&snapshot)?),
                decisions::created_by.eq(actor.user_id),
                decisions::created_at.eq(now),
                decisions::updated_at.eq(now),
            ))
            .returning(decisions::id)
            .get_result(conn)
    }

    fn update(&self, conn: &mut DbConnection, id: i32, version: i32) -> QueryResult<bool> {
        let checked = &self.checked;
        // The options and the snapshot stay as recorded.
        let updated = diesel::update(
            decisions::table
                .filter(decisions::id.eq(id))
                .filter(decisions::version.eq(version)),
        )
        .set((
            Columns::of(checked),
            decisions::updated_at.eq(Utc::now().naive_utc()),
            decisions::version.eq(version + 1),
        ))
        .execute(conn)?;
        Ok(updated == 1)
    }

    fn dependents(conn: &mut DbConnection, current: &Current) -> QueryResult<Dependents> {
        let superseded: Vec<(i32, String)> = decisions::table
            .filter(decisions::superseded_by_id.eq(current.id))
            .select((decisions::id, decisions::title))
            .order(decisions::id)
            .load(conn)?;
        let mut dependents = Dependents::default();
        for (id, title) in superseded {
            dependents.cascades.push(format!(
                "“{title}” (#{id}) stays superseded but no longer names the decision that replaced it"
            ));
        }
        if let Ok(by) = current.fields.get("superseded_by").parse::<i32>() {
            dependents
                .cascades
                .push(format!("decision #{by} no longer lists it as superseded"));
        }
        Ok(dependents)
    }

    fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
        // What this one replaced loses the link (as the foreign key would), and moves on a
        // version: what clients read of it has changed.
        diesel::update(decisions::table.filter(decisions::superseded_by_id.eq(id)))
            .set((
                decisions::superseded_by_id.eq(None::<i32>),
                decisions::version.eq(decisions::version + 1),
                decisions::updated_at.eq(Utc::now().naive_utc()),
            ))
            .execute(conn)?;
        diesel::delete(decisions::table.find(id)).execute(conn)?;
        Ok(())
    }
}

/// The advisor's result for `query` (an advisor address's query string), or what is wrong
/// with it.
fn advice(conn: &mut DbConnection, query: &str) -> QueryResult<Result<Advice, FieldError>> {
    let problem = |errors: Vec<FieldError>| {
        let named: Vec<String> = errors
            .iter()
            .map(|e| format!("{} {}", e.name, e.detail))
            .collect();
        FieldError::new(
            "advisor_query",
            format!(
                "is not a query the advisor can answer: {}",
                named.join("; ")
            ),
        )
    };
    let parsed = match Query::from_params(&Params::parse(query)) {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(Err(problem(errors))),
    };
    Ok(advise(conn, &parsed)?.map_err(problem))
}

/// JSON for the text columns that hold it.
fn to_json(value: &impl serde::Serialize) -> QueryResult<String> {
    serde_json::to_string(value).map_err(|e| diesel::result::Error::SerializationError(e.into()))
}
