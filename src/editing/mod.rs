//! The editing layer, under every capability: how any kind of item is created, changed and
//! deleted, through admin forms and the JSON API alike.
//!
//! Each kind of item ([`Editable`]) says how its fields are validated, stored and deleted;
//! [`create`], [`update`] and [`delete`] add what every write needs: one transaction, a
//! refusal of stale edits (the item's `version`), an audit entry with the values before and
//! after, and a new content revision so that cached pages change at once. [`forms`] and
//! [`pages`] give a kind its admin pages, [`api`] its JSON resource, [`rules`] and
//! [`params`] what its fields and addresses must be.

pub mod api;
pub mod fields;
pub mod forms;
pub mod if_match;
pub mod json;
pub mod pages;
pub mod params;
pub mod rules;
mod slug;

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::audit::{self, Action, Actor, Change};
use crate::db::{self, DbConnection};
use crate::web::error::FieldError;
use crate::web::form::Fields;

pub use fields::{Entry, Field, Rule};
pub use slug::Slug;

/// An item as stored now: what identifies it, its version, and its values as form fields.
#[derive(Debug, Clone)]
pub struct Current {
    pub id: i32,
    /// How its address names it: a slug, or the id for a source.
    pub key: String,
    pub version: i32,
    /// How it is named to people, e.g. `Rust` or `Rust · Performance`.
    pub label: String,
    pub fields: Fields,
    /// The audit subject whose history shows changes to it, e.g. `technology:3` for a fact.
    pub subject: String,
}

impl Current {
    /// Item `id` of kind `T` at `version`, with `fields` as stored: its key is its
    /// [`Editable::UNIQUE_FIELD`] (a slug) and its label its `name`.
    pub fn named<T: Editable>(
        id: i32,
        version: i32,
        fields: impl IntoIterator<Item = (impl Into<String>, String)>,
    ) -> Self {
        let fields = Fields::new(fields);
        Current {
            id,
            key: fields.get(T::UNIQUE_FIELD).to_owned(),
            version,
            label: fields.get("name").to_owned(),
            fields,
            subject: audit::subject(T::KIND, id),
        }
    }
}

/// What depends on an item, said before it is deleted.
#[derive(Debug, Clone, Default)]
pub struct Dependents {
    /// What will be deleted with it, e.g. "its 9 facts".
    pub cascades: Vec<String>,
    /// Why it cannot be deleted, e.g. "Gin belongs to it".
    pub blockers: Vec<String>,
}

/// How a write ended. Anything but `Saved` and `Deleted` wrote nothing.
#[derive(Debug, Clone)]
pub enum Outcome {
    Saved(Current),
    Deleted,
    Invalid(Vec<FieldError>),
    /// The item changed since the version the editor had: here is how it stands now.
    Stale(Current),
    NotFound,
    Blocked(Vec<String>),
}

/// A kind of item that can be created, changed and deleted.
pub trait Editable: Sized + Send + 'static {
    /// The kind as the audit log names it.
    const KIND: &'static str;
    /// Every field the item has, declared once: what forms, JSON and the audit log name.
    const FIELDS: &'static [Field];
    /// The field that names a clash with an existing item (a taken slug).
    const UNIQUE_FIELD: &'static str;

    /// The id of the item its address names (a slug, or an id for a source).
    fn id_of(conn: &mut DbConnection, key: &str) -> QueryResult<Option<i32>>;

    fn load(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Current>>;

    fn find(conn: &mut DbConnection, key: &str) -> QueryResult<Option<Current>> {
        match Self::id_of(conn, key)? {
            Some(id) => Self::load(conn, id),
            None => Ok(None),
        }
    }

    /// Checks `fields` for an item that is new (`id` is `None`) or replaces item `id`.
    fn validate(
        conn: &mut DbConnection,
        fields: &Fields,
        id: Option<i32>,
    ) -> QueryResult<Result<Self, Vec<FieldError>>>;

    /// Stores a new item, which `actor` is creating.
    fn insert(&self, conn: &mut DbConnection, actor: &Actor) -> QueryResult<i32>;

    /// Stores the new values if the item is still at `version`; false when it is not.
    fn update(&self, conn: &mut DbConnection, id: i32, version: i32) -> QueryResult<bool>;

    fn dependents(conn: &mut DbConnection, current: &Current) -> QueryResult<Dependents>;

    /// Deletes the item and what cascades with it (the dependents said what).
    fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()>;

    /// What is deleted with the item and traced in the audit log one by one: each item's
    /// kind (as the audit log names it) and the item as it stands.
    fn cascading(_: &mut DbConnection, _id: i32) -> QueryResult<Vec<(&'static str, Current)>> {
        Ok(Vec::new())
    }
}

/// [`Editable::id_of`] for a kind whose address names it by the `slug` column of `$table`.
macro_rules! slug_key {
    ($table:ident) => {
        fn id_of(
            conn: &mut $crate::db::DbConnection,
            key: &str,
        ) -> diesel::QueryResult<Option<i32>> {
            $table::table
                .filter($table::slug.eq(key))
                .select($table::id)
                .first(conn)
                .optional()
        }
    };
}
pub(crate) use slug_key;

/// [`Editable::insert`] and [`Editable::update`] for a kind whose checked fields are its row
/// (`Insertable` and `AsChangeset` on `$table`): inserted with its timestamps, and updated
/// only while still at the version the editor saw, which it then moves on.
macro_rules! row_writes {
    ($table:ident) => {
        fn insert(
            &self,
            conn: &mut $crate::db::DbConnection,
            _: &$crate::audit::Actor,
        ) -> diesel::QueryResult<i32> {
            let now = chrono::Utc::now().naive_utc();
            diesel::insert_into($table::table)
                .values((self, $table::created_at.eq(now), $table::updated_at.eq(now)))
                .returning($table::id)
                .get_result(conn)
        }

        fn update(
            &self,
            conn: &mut $crate::db::DbConnection,
            id: i32,
            version: i32,
        ) -> diesel::QueryResult<bool> {
            let updated = diesel::update(
                $table::table
                    .filter($table::id.eq(id))
                    .filter($table::version.eq(version)),
            )
            .set((
                self,
                $table::updated_at.eq(chrono::Utc::now().naive_utc()),
                $table::version.eq(version + 1),
            ))
            .execute(conn)?;
            Ok(updated == 1)
        }
    };
}
pub(crate) use row_writes;

/// Runs one write in a transaction, turning a uniqueness race lost to another writer into
/// a field error rather than a failure.
fn in_transaction<T: Editable>(
    conn: &mut DbConnection,
    write: impl FnOnce(&mut DbConnection) -> QueryResult<Outcome>,
) -> QueryResult<Outcome> {
    match db::write(conn, write) {
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(
            Outcome::Invalid(vec![FieldError::new(T::UNIQUE_FIELD, "is already taken")]),
        ),
        other => other,
    }
}

/// The item with `id`, which the transaction has just written.
fn written<T: Editable>(conn: &mut DbConnection, id: i32) -> QueryResult<Current> {
    T::load(conn, id)?.ok_or(DieselError::NotFound)
}

/// Creates an item from `fields`.
pub fn create<T: Editable>(
    conn: &mut DbConnection,
    actor: &Actor,
    fields: &Fields,
) -> QueryResult<Outcome> {
    in_transaction::<T>(conn, |conn| {
        let item = match T::validate(conn, fields, None)? {
            Ok(item) => item,
            Err(errors) => return Ok(Outcome::Invalid(errors)),
        };
        let id = item.insert(conn, actor)?;
        let created = written::<T>(conn, id)?;
        record::<T>(conn, actor, Action::Create, None, Some(&created))?;
        Ok(Outcome::Saved(created))
    })
}

/// Replaces the item `key` with `fields` if it is still at `version` (`None`: whatever it
/// is at). With `partial`, fields not given keep their current values.
pub fn update<T: Editable>(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &str,
    version: Option<i32>,
    fields: Fields,
    partial: bool,
) -> QueryResult<Outcome> {
    in_transaction::<T>(conn, |conn| {
        let Some(before) = T::find(conn, key)? else {
            return Ok(Outcome::NotFound);
        };
        if version.is_some_and(|v| v != before.version) {
            return Ok(Outcome::Stale(before));
        }
        let fields = if partial {
            fields.over(before.fields.clone())
        } else {
            fields
        };
        let item = match T::validate(conn, &fields, Some(before.id))? {
            Ok(item) => item,
            Err(errors) => return Ok(Outcome::Invalid(errors)),
        };
        if !item.update(conn, before.id, before.version)? {
            return Ok(Outcome::Stale(written::<T>(conn, before.id)?));
        }
        let after = written::<T>(conn, before.id)?;
        if after.fields != before.fields {
            record::<T>(conn, actor, Action::Update, Some(&before), Some(&after))?;
        } else {
            // Nothing to audit, but the version (and `updated_at`) moved: cached copies of
            // the item, and the ETags they carry, must not outlive it.
            db::bump_content_revision(conn)?;
        }
        Ok(Outcome::Saved(after))
    })
}

/// Deletes the item `key` if it is still at `version` and nothing blocks it. The facts that
/// go with it get audit entries of their own, so that each can be traced and restored.
pub fn delete<T: Editable>(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &str,
    version: Option<i32>,
) -> QueryResult<Outcome> {
    in_transaction::<T>(conn, |conn| {
        let Some(before) = T::find(conn, key)? else {
            return Ok(Outcome::NotFound);
        };
        if version.is_some_and(|v| v != before.version) {
            return Ok(Outcome::Stale(before));
        }
        let dependents = T::dependents(conn, &before)?;
        if !dependents.blockers.is_empty() {
            return Ok(Outcome::Blocked(dependents.blockers));
        }
        for (kind, item) in T::cascading(conn, before.id)? {
            record_as(conn, actor, kind, Action::Delete, Some(&item), None)?;
        }
        T::delete(conn, before.id)?;
        record::<T>(conn, actor, Action::Delete, Some(&before), None)?;
        Ok(Outcome::Deleted)
    })
}

/// What depends on the item `key`, for the page that asks to confirm a deletion.
pub fn dependents<T: Editable>(
    conn: &mut DbConnection,
    key: &str,
) -> QueryResult<Option<(Current, Dependents)>> {
    let Some(current) = T::find(conn, key)? else {
        return Ok(None);
    };
    let dependents = T::dependents(conn, &current)?;
    Ok(Some((current, dependents)))
}

/// An audit entry for a change to an item, and a new content revision.
pub fn record<T: Editable>(
    conn: &mut DbConnection,
    actor: &Actor,
    action: Action,
    before: Option<&Current>,
    after: Option<&Current>,
) -> QueryResult<()> {
    record_as(conn, actor, T::KIND, action, before, after)
}

/// [`record`] for an item of `kind`.
fn record_as(
    conn: &mut DbConnection,
    actor: &Actor,
    kind: &'static str,
    action: Action,
    before: Option<&Current>,
    after: Option<&Current>,
) -> QueryResult<()> {
    let Some(item) = after.or(before) else {
        return Ok(());
    };
    let mut change = Change::of(action, kind, item.id, &item.label).under(item.subject.clone());
    change.before = before.map(|c| c.fields.to_json());
    change.after = after.map(|c| c.fields.to_json());
    audit::record(conn, actor, change)?;
    db::bump_content_revision(conn)?;
    Ok(())
}
