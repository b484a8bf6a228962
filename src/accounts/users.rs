//! Accounts: the model and its queries.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

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
