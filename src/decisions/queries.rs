//! Decisions' queries: plain functions over a connection, shared by pages, the Markdown
//! export and the API. A list is one query for the page and one count; a decision is its
//! row, its neighbours in the chain of superseding, and its options' facts now (to say what
//! has changed since it was recorded).

use crate::db::one_of;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::case_when;
use diesel::prelude::*;
use diesel::result::Error::DeserializationError;
use diesel::sql_types::Integer;

use crate::audit;
use crate::catalog::model::{Kind, TechnologyRef, by_kind};
use crate::catalog::queries as catalog;
use crate::db::DbConnection;
use crate::db::schema::decisions;
use crate::decisions::changes::changes_since;
use crate::decisions::model::{DecisionDetail, DecisionItem, DecisionRef, Status, StatusChange};
use crate::decisions::snapshot::{OptionRef, OptionSnapshot, Snapshot};
use crate::web::params::{PageRequest, Paginated};

type Backend = <DbConnection as Connection>::Backend;

/// The audit log's name for a decision.
pub const KIND: &str = "decision";

/// How many other decisions a form offers at most, to supersede one.
const CHOICES: i64 = 500;

/// How far back a decision's status history reaches, in audit entries.
const HISTORY: i64 = 500;

/// Which decisions a list shows.
#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    pub status: Option<Status>,
}

impl DecisionFilter {
    pub fn has_status(&self, status: &Status) -> bool {
        self.status.as_ref() == Some(status)
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = decisions)]
struct ItemRow {
    id: i32,
    title: String,
    status: String,
    decided_on: NaiveDate,
    revisit_by: Option<NaiveDate>,
    options: String,
    chosen: String,
    superseded_by_id: Option<i32>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = decisions)]
struct DetailRow {
    #[diesel(embed)]
    item: ItemRow,
    context: String,
    drivers: String,
    rationale: String,
    consequences: String,
    links: String,
    advisor_query: String,
    snapshot: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

pub fn status(value: &str) -> QueryResult<Status> {
    Status::parse(value).map_err(|e| DeserializationError(e.into()))
}

/// The options column: the options as recorded, JSON.
pub fn options(value: &str) -> QueryResult<Vec<OptionRef>> {
    serde_json::from_str(value).map_err(|e| DeserializationError(e.into()))
}

fn snapshot(value: &str) -> QueryResult<Snapshot> {
    serde_json::from_str(value).map_err(|e| DeserializationError(e.into()))
}

fn item(row: ItemRow, today: NaiveDate) -> QueryResult<DecisionItem> {
    let status = status(&row.status)?;
    let options = options(&row.options)?;
    let chosen = options.iter().find(|o| o.slug == row.chosen).cloned();
    Ok(DecisionItem {
        id: row.id,
        title: row.title,
        status,
        decided_on: row.decided_on,
        revisit_by: row.revisit_by,
        due_for_review: status.is_due(row.revisit_by, today),
        options,
        chosen,
        superseded_by: row.superseded_by_id,
    })
}

fn filtered(filter: &DecisionFilter) -> decisions::BoxedQuery<'static, Backend> {
    let mut query = decisions::table.into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(decisions::status.eq(status.as_str()));
    }
    query
}

/// A page of decisions: those due for review on `today` first, then the latest decided.
pub fn list(
    conn: &mut DbConnection,
    filter: &DecisionFilter,
    page: PageRequest,
    today: NaiveDate,
) -> QueryResult<Paginated<DecisionItem>> {
    let reviewable = Status::REVIEWABLE.map(Status::as_str);
    let due_first = case_when(
        decisions::revisit_by
            .lt(today)
            .and(one_of(decisions::status, reviewable)),
        0.into_sql::<Integer>(),
    )
    .otherwise(1.into_sql::<Integer>());
    let rows: Vec<ItemRow> = filtered(filter)
        .select(ItemRow::as_select())
        .order((
            due_first,
            decisions::decided_on.desc(),
            decisions::id.desc(),
        ))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|row| item(row, today))
        .collect::<QueryResult<_>>()?;
    page.of(items, || filtered(filter).count().get_result(conn))
}

/// How many decisions there are.
pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    decisions::table.count().get_result(conn)
}

fn decision_ref(conn: &mut DbConnection, id: i32) -> QueryResult<Option<DecisionRef>> {
    decisions::table
        .find(id)
        .select(DecisionRef::as_select())
        .first(conn)
        .optional()
}

/// The decisions that `id` superseded, oldest first.
fn supersedes(conn: &mut DbConnection, id: i32) -> QueryResult<Vec<DecisionRef>> {
    decisions::table
        .filter(decisions::superseded_by_id.eq(id))
        .select(DecisionRef::as_select())
        .order(decisions::id)
        .load(conn)
}

/// The technologies `slugs` name as the catalog has them now (those that still exist, in
/// the order of `slugs`), each with all its facts: three queries.
pub fn current_options(
    conn: &mut DbConnection,
    slugs: &[String],
) -> QueryResult<Vec<OptionSnapshot>> {
    let technologies = catalog::technologies_by_slugs(conn, slugs)?;
    let facts = catalog::facts_of_technologies(conn, slugs)?;
    Ok(slugs
        .iter()
        .filter_map(|slug| technologies.iter().find(|t| &t.slug == slug))
        .map(|technology| OptionSnapshot::of(technology, &facts))
        .collect())
}

/// The decision `id` with everything recorded about it, and what has changed in the
/// catalog since.
pub fn detail(
    conn: &mut DbConnection,
    id: i32,
    today: NaiveDate,
) -> QueryResult<Option<DecisionDetail>> {
    let row: Option<DetailRow> = decisions::table
        .find(id)
        .select(DetailRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let superseded_by = match row.item.superseded_by_id {
        Some(by) => decision_ref(conn, by)?,
        None => None,
    };
    let supersedes = supersedes(conn, id)?;
    let snapshot = snapshot(&row.snapshot)?;
    let slugs: Vec<String> = snapshot.options.iter().map(|o| o.slug.clone()).collect();
    let now = current_options(conn, &slugs)?;
    let changes_since = changes_since(&snapshot.options, &now);
    let item = item(row.item, today)?;
    let lines = |text: &str| text.lines().map(str::to_owned).collect::<Vec<_>>();
    Ok(Some(DecisionDetail {
        id: item.id,
        title: item.title,
        status: item.status,
        decided_on: item.decided_on,
        revisit_by: item.revisit_by,
        due_for_review: item.due_for_review,
        context: row.context,
        drivers: lines(&row.drivers),
        options: item.options,
        chosen: item.chosen,
        rationale: row.rationale,
        consequences: row.consequences,
        links: lines(&row.links),
        advisor_query: row.advisor_query,
        superseded_by,
        supersedes,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
        snapshot,
        changes_since,
    }))
}

/// What the decision `id` recorded and keeps: its options, with their names then, and the
/// advisor's query it came from.
pub fn recorded(conn: &mut DbConnection, id: i32) -> QueryResult<(Vec<OptionRef>, String)> {
    let (recorded, advisor_query): (String, String) = decisions::table
        .find(id)
        .select((decisions::options, decisions::advisor_query))
        .first(conn)?;
    Ok((options(&recorded)?, advisor_query))
}

/// The statuses the decision `id` has had, oldest first, from the audit log.
pub fn status_history(conn: &mut DbConnection, id: i32) -> QueryResult<Vec<StatusChange>> {
    let entries = audit::history(conn, &audit::subject(KIND, id), HISTORY)?;
    Ok(entries
        .into_iter()
        .rev()
        .filter_map(|entry| {
            let field = entry.fields.into_iter().find(|f| f.name == "status")?;
            Some(StatusChange {
                at: entry.at,
                from: field.before,
                to: field.after?,
            })
        })
        .collect())
}

/// What a decision's form offers to choose from.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// Technologies by kind, in the order of [`Kind::ALL`].
    pub technologies: Vec<(Kind, Vec<TechnologyRef>)>,
    /// The decisions a decision may be superseded by (all but itself), newest first.
    pub decisions: Vec<DecisionRef>,
}

pub fn choices(conn: &mut DbConnection, except: Option<i32>) -> QueryResult<Choices> {
    let technologies = by_kind(catalog::all_technology_refs(conn)?);
    let mut others = decisions::table
        .select(DecisionRef::as_select())
        .order(decisions::id.desc())
        .limit(CHOICES)
        .into_boxed();
    if let Some(id) = except {
        others = others.filter(decisions::id.ne(id));
    }
    let decisions = others.load(conn)?;
    Ok(Choices {
        technologies,
        decisions,
    })
}
