//! The audit log: every change, by whom, when, through what, with the item's values before
//! and after. Every write calls [`record`] inside its own transaction, so a change and its
//! entry are stored together or not at all.

use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::db::DbConnection;
use crate::db::schema::audit_log;

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The account acting (for an API token: the admin who created it).
    pub user_id: Option<i32>,
    /// How the change is shown: an email, or a token's name.
    pub name: String,
    pub via: Via,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    Form,
    Api,
    Cli,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Form => "form",
            Via::Api => "api",
            Via::Cli => "cli",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Update,
    Delete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// One change to one item.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: Action,
    /// What sort of item: `technology`, `assessment`, `user`, ….
    pub kind: &'static str,
    pub id: i32,
    /// How the item is named in the log, e.g. `Rust · Performance`.
    pub label: String,
    /// The item whose history shows this change, e.g. `technology:3` for one of its facts.
    pub subject: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The subject of an item's own history: `kind:id`.
pub fn subject(kind: &str, id: i32) -> String {
    format!("{kind}:{id}")
}

impl Change {
    /// A change shown in the item's own history.
    pub fn of(action: Action, kind: &'static str, id: i32, label: impl Into<String>) -> Self {
        Self {
            action,
            kind,
            id,
            label: label.into(),
            subject: subject(kind, id),
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, value: &impl Serialize) -> Self {
        self.before = serde_json::to_value(value).ok();
        self
    }

    pub fn after(mut self, value: &impl Serialize) -> Self {
        self.after = serde_json::to_value(value).ok();
        self
    }

    /// Shown in the history of `subject` rather than the item's own.
    pub fn under(mut self, subject: String) -> Self {
        self.subject = subject;
        self
    }
}

/// Records `change` by `actor`. Call it in the transaction that makes the change.
pub fn record(conn: &mut DbConnection, actor: &Actor, change: Change) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(Utc::now().naive_utc()),
            audit_log::user_id.eq(actor.user_id),
            audit_log::actor.eq(&actor.name),
            audit_log::via.eq(actor.via.as_str()),
            audit_log::action.eq(change.action.as_str()),
            audit_log::item_kind.eq(change.kind),
            audit_log::item_id.eq(change.id),
            audit_log::item_label.eq(&change.label),
            audit_log::subject.eq(&change.subject),
            audit_log::before.eq(change.before.map(|v| v.to_string())),
            audit_log::after.eq(change.after.map(|v| v.to_string())),
        ))
        .execute(conn)?;
    Ok(())
}

/// An entry as the pages and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: i32,
    pub at: NaiveDateTime,
    pub user_id: Option<i32>,
    pub actor: String,
    pub via: String,
    pub action: String,
    pub item_kind: String,
    pub item_id: i32,
    pub item_label: String,
    pub subject: String,
    /// The fields that differ between before and after, in order.
    pub fields: Vec<FieldChange>,
}

/// One field of an item, before and after a change (`None`: the item did not exist).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub name: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// An entry as stored: its values before and after are JSON text.
#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_log)]
struct Row {
    id: i32,
    at: NaiveDateTime,
    user_id: Option<i32>,
    actor: String,
    via: String,
    action: String,
    item_kind: String,
    item_id: i32,
    item_label: String,
    subject: String,
    before: Option<String>,
    after: Option<String>,
}

fn entry(row: Row) -> Entry {
    let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    Entry {
        fields: diff(parse(row.before).as_ref(), parse(row.after).as_ref()),
        id: row.id,
        at: row.at,
        user_id: row.user_id,
        actor: row.actor,
        via: row.via,
        action: row.action,
        item_kind: row.item_kind,
        item_id: row.item_id,
        item_label: row.item_label,
        subject: row.subject,
    }
}

/// The fields of two JSON objects that differ, in the order they first appear.
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut names: Vec<&String> = b.keys().collect();
    names.extend(a.keys().filter(|k| !b.contains_key(*k)));
    names
        .into_iter()
        .filter(|name| b.get(*name) != a.get(*name))
        .map(|name| FieldChange {
            name: name.clone(),
            before: before.and(b.get(name)).map(|v| show_field(name, v)),
            after: after.and(a.get(name)).map(|v| show_field(name, v)),
        })
        .collect()
}

/// Fields that hold other items' ids, and what each id names: shown as "source 6" and
/// "run 7", never as a bare number that reads like a count.
const REFERENCES: [(&str, &str); 2] = [("sources", "source"), ("runs", "run")];

fn show_field(name: &str, value: &Value) -> String {
    match (REFERENCES.iter().find(|(field, _)| *field == name), value) {
        (Some((_, item)), Value::Array(ids)) => ids
            .iter()
            .map(|id| format!("{item} {}", show(id)))
            .collect::<Vec<_>>()
            .join(", "),
        _ => show(value),
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Which entries to list.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub user_id: Option<i32>,
    pub kind: Option<String>,
    /// From this day on (UTC), inclusive.
    pub from: Option<NaiveDate>,
    /// Up to this day (UTC), inclusive.
    pub until: Option<NaiveDate>,
}

/// One page of entries, newest first. Ask for one more than the page holds to learn whether
/// there are more: the log only grows, so it is not counted.
pub fn list(
    conn: &mut DbConnection,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Entry>> {
    let mut query = audit_log::table.select(Row::as_select()).into_boxed();
    if let Some(user_id) = filter.user_id {
        query = query.filter(audit_log::user_id.eq(user_id));
    }
    if let Some(kind) = &filter.kind {
        query = query.filter(audit_log::item_kind.eq(kind.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::at.ge(from.and_time(chrono::NaiveTime::MIN)));
    }
    if let Some(day) = filter.until.and_then(|until| until.succ_opt()) {
        query = query.filter(audit_log::at.lt(day.and_time(chrono::NaiveTime::MIN)));
    }
    let rows: Vec<Row> = query
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    Ok(rows.into_iter().map(entry).collect())
}

/// The latest changes shown in the history of `subject`, newest first.
pub fn history(conn: &mut DbConnection, subject: &str, limit: i64) -> QueryResult<Vec<Entry>> {
    let rows: Vec<Row> = audit_log::table
        .select(Row::as_select())
        .filter(audit_log::subject.eq(subject))
        .order(audit_log::id.desc())
        .limit(limit)
        .load(conn)?;
    Ok(rows.into_iter().map(entry).collect())
}

/// The kinds of item the log has entries for, for the list's filter.
pub fn kinds(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    audit_log::table
        .select(audit_log::item_kind)
        .distinct()
        .order(audit_log::item_kind)
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_diff_lists_only_what_changed_in_order() {
        let before = json!({"name": "Rust", "kind": "language", "summary": "old"});
        let after = json!({"name": "Rust", "kind": "language", "summary": "new", "slug": "rust"});
        let fields = diff(Some(&before), Some(&after));
        assert_eq!(
            fields,
            vec![
                FieldChange {
                    name: "summary".into(),
                    before: Some("old".into()),
                    after: Some("new".into())
                },
                FieldChange {
                    name: "slug".into(),
                    before: None,
                    after: Some("rust".into())
                },
            ]
        );
    }

    #[test]
    fn a_creation_shows_every_field_as_new() {
        let after = json!({"score": 4, "tags": ["fast", "safe"], "scale": null});
        let fields = diff(None, Some(&after));
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[0].after.as_deref(), Some("4"));
        assert_eq!(fields[1].after.as_deref(), Some("fast, safe"));
        assert!(fields.iter().all(|f| f.before.is_none()));
    }

    #[test]
    fn ids_of_other_items_say_what_they_name() {
        let after = json!({"sources": ["6", "2"], "runs": [7], "results": 1});
        let fields = diff(None, Some(&after));
        let shown: Vec<Option<&str>> = fields.iter().map(|f| f.after.as_deref()).collect();
        assert_eq!(
            shown,
            [Some("source 6, source 2"), Some("run 7"), Some("1")]
        );
    }
}
