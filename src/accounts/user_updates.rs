//! Changing an account: its role, whether it is disabled, its password. A new password or
//! disabling ends the account's sessions in the same transaction.

use chrono::Utc;
use diesel::prelude::*;

use crate::accounts::sessions;
use crate::accounts::users::by_id;
use crate::audit::{self, Action, Actor, Change};
use crate::db::schema::users;
use crate::db::{self, DbConnection};
use crate::web::session::Role;

/// What an update to an account changes; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct UserUpdate<'a> {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    /// A new password hash, with whether it must be changed at next sign-in.
    pub password: Option<(&'a str, bool)>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Updated {
    Done(i32),
    NotFound,
    /// The account changed since `version` was read.
    Stale,
}

/// Updates an account if it is still at `version` (any version when `None`), and records it.
/// A new password or disabling also ends the account's sessions, everywhere.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i32,
    version: Option<i32>,
    change: &UserUpdate,
) -> QueryResult<Updated> {
    db::write(conn, |conn| {
        let Some(before) = by_id(conn, id)? else {
            return Ok(Updated::NotFound);
        };
        if version.is_some_and(|v| v != before.version) {
            return Ok(Updated::Stale);
        }
        let disabling = change.disabled == Some(true) && !before.disabled;
        let ends_sessions = disabling || change.password.is_some();
        let (hash, must_change) = change
            .password
            .unwrap_or((&before.password_hash, before.must_change_password));
        diesel::update(users::table.find(id))
            .set((
                users::role.eq(change
                    .role
                    .map_or(before.role.clone(), |r| r.as_str().to_owned())),
                users::disabled.eq(change.disabled.unwrap_or(before.disabled)),
                users::password_hash.eq(hash),
                users::must_change_password.eq(must_change),
                users::version.eq(before.version + 1),
                users::updated_at.eq(Utc::now().naive_utc()),
            ))
            .execute(conn)?;
        if ends_sessions {
            sessions::end_all(conn, id, None)?;
        }
        let after = by_id(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
        let mut shown_after = serde_json::to_value(after.audited()).unwrap_or_default();
        if change.password.is_some() {
            shown_after["password"] = "changed".into();
        }
        audit::record(
            conn,
            actor,
            Change::of(Action::Update, "user", id, &after.email)
                .before(&before.audited())
                .after(&shown_after),
        )?;
        Ok(Updated::Done(after.version))
    })
}
