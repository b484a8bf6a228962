//! Accounts: the model and its queries.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::sessions;
use crate::audit::{self, Action, Actor, Change, Via};
use crate::db::schema::users;
use crate::db::{self, DbConnection};
use crate::web::session::{Role, SignedIn};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub email: String,
    pub role: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub disabled: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What the audit log keeps of an account: never the password hash.
#[derive(Debug, Serialize)]
pub struct Audited<'a> {
    pub email: &'a str,
    pub role: &'a str,
    pub disabled: bool,
    pub must_change_password: bool,
}

impl User {
    /// The role; the database allows only the two, so anything else is the lesser one.
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Editor)
    }

    /// The account as a session that `token` names remembers it.
    pub fn signed_in(&self, token: String) -> SignedIn {
        SignedIn {
            user_id: self.id,
            email: self.email.clone(),
            role: self.role(),
            token,
        }
    }

    /// The account as the audit log names it when it acts through the forms.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.id),
            name: self.email.clone(),
            via: Via::Form,
        }
    }

    pub fn audited(&self) -> Audited<'_> {
        Audited {
            email: &self.email,
            role: &self.role,
            disabled: self.disabled,
            must_change_password: self.must_change_password,
        }
    }
}

/// An email as accounts are keyed: trimmed and lowercased, and roughly the shape of one.
pub fn normalise_email(value: &str) -> Result<String, String> {
    let email = value.trim().to_lowercase();
    let well_formed = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@')
        });
    if well_formed {
        Ok(email)
    } else {
        Err("must be an email address, like name@example.com".into())
    }
}

pub fn by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConnection, id: i32) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Everyone, by email: the number of accounts stays small.
pub fn list(conn: &mut DbConnection, offset: i64, limit: i64) -> QueryResult<Vec<User>> {
    users::table
        .select(User::as_select())
        .order(users::email)
        .offset(offset)
        .limit(limit)
        .load(conn)
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// A new account. `must_change_password` for an invitation's one-time password.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

/// Creates an account and records it; `None` when the email is taken.
pub fn create(conn: &mut DbConnection, actor: &Actor, new: &NewUser) -> QueryResult<Option<User>> {
    db::write(conn, |conn| {
        if by_email(conn, new.email)?.is_some() {
            return Ok(None);
        }
        let now = Utc::now().naive_utc();
        let id: i32 = diesel::insert_into(users::table)
            .values((
                users::email.eq(new.email),
                users::role.eq(new.role.as_str()),
                users::password_hash.eq(new.password_hash),
                users::must_change_password.eq(new.must_change_password),
                users::disabled.eq(false),
                users::created_at.eq(now),
                users::updated_at.eq(now),
            ))
            .returning(users::id)
            .get_result(conn)?;
        let user = by_id(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
        audit::record(
            conn,
            actor,
            Change::of(Action::Create, "user", user.id, &user.email).after(&user.audited()),
        )?;
        Ok(Some(user))
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_keyed_lowercase() {
        assert_eq!(
            normalise_email("  Ada@Example.COM "),
            Ok("ada@example.com".into())
        );
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "a b@example.com",
            "a@b@c",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
    }
}
