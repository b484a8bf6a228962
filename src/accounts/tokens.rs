//! API tokens: shown once, stored as a SHA-256 hash, revocable, with an optional expiry and
//! the time of last use.

use chrono::{NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::{self, Action, Actor, Change};
use crate::db::schema::{api_tokens, users};
use crate::db::{self, DbConnection};
use crate::web::session::{self, NoRandomness};

/// Every token starts with this, so that it can be recognised (e.g. by secret scanners).
pub const PREFIX: &str = "vdt_";

/// The last use is written at most this often per token, not on every request.
const LAST_USED_PRECISION: TimeDelta = TimeDelta::minutes(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Scope {
    #[serde(rename = "read")]
    Read,
    #[serde(rename = "read-write")]
    ReadWrite,
}

impl Scope {
    pub const ALL: [Scope; 2] = [Scope::Read, Scope::ReadWrite];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::ReadWrite => "read-write",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        match value {
            "read" => Ok(Scope::Read),
            "read-write" => Ok(Scope::ReadWrite),
            _ => Err(format!("must be read or read-write, not `{value}`")),
        }
    }
}

/// A token as the admin list shows it.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = api_tokens)]
pub struct Token {
    pub id: i32,
    pub name: String,
    pub scope: String,
    pub prefix: String,
    /// The email of the admin who made it.
    #[diesel(select_expression = users::email, select_expression_type = users::email)]
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
}

impl Token {
    pub fn is_active(&self, now: NaiveDateTime) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|at| at > now)
    }
}

/// A new token's secret: `vdt_` and 64 hex digits.
pub fn generate() -> Result<String, NoRandomness> {
    Ok(format!("{PREFIX}{}", session::random_token(32)?))
}

pub fn digest(token: &str) -> String {
    session::hex(&Sha256::digest(token.as_bytes()))
}

/// What the list shows of a token: its first characters.
fn shown_prefix(token: &str) -> String {
    token.chars().take(PREFIX.len() + 6).collect()
}

pub struct NewToken<'a> {
    pub name: &'a str,
    pub scope: Scope,
    pub expires_at: Option<NaiveDateTime>,
}

/// Stores the hash of `secret` as a new token created by `actor`, and records it.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    new: &NewToken,
    secret: &str,
) -> QueryResult<i32> {
    let created_by = actor.user_id.ok_or(diesel::result::Error::NotFound)?;
    db::write(conn, |conn| {
        let id: i32 = diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::name.eq(new.name),
                api_tokens::scope.eq(new.scope.as_str()),
                api_tokens::token_hash.eq(digest(secret)),
                api_tokens::prefix.eq(shown_prefix(secret)),
                api_tokens::created_by.eq(created_by),
                api_tokens::created_at.eq(Utc::now().naive_utc()),
                api_tokens::expires_at.eq(new.expires_at),
            ))
            .returning(api_tokens::id)
            .get_result(conn)?;
        let shown = serde_json::json!({
            "name": new.name,
            "scope": new.scope.as_str(),
            "expires_at": new.expires_at,
        });
        audit::record(
            conn,
            actor,
            Change::of(Action::Create, "token", id, new.name).after(&shown),
        )?;
        Ok(id)
    })
}

/// One page of tokens, newest first.
pub fn list(conn: &mut DbConnection, offset: i64, limit: i64) -> QueryResult<Vec<Token>> {
    api_tokens::table
        .inner_join(users::table)
        .select(Token::as_select())
        .order((api_tokens::created_at.desc(), api_tokens::id.desc()))
        .offset(offset)
        .limit(limit)
        .load(conn)
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    api_tokens::table.count().get_result(conn)
}

pub fn by_id(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Token>> {
    api_tokens::table
        .inner_join(users::table)
        .select(Token::as_select())
        .filter(api_tokens::id.eq(id))
        .first(conn)
        .optional()
}

/// Revokes a token (once) and records it; false when there is no such active token.
pub fn revoke(conn: &mut DbConnection, actor: &Actor, id: i32) -> QueryResult<bool> {
    db::write(conn, |conn| {
        let Some(token) = by_id(conn, id)? else {
            return Ok(false);
        };
        if token.revoked_at.is_some() {
            return Ok(false);
        }
        let now = Utc::now().naive_utc();
        diesel::update(api_tokens::table.find(id))
            .set(api_tokens::revoked_at.eq(now))
            .execute(conn)?;
        let shown = now.format("%Y-%m-%d %H:%M:%S UTC").to_string();
        audit::record(
            conn,
            actor,
            Change::of(Action::Update, "token", id, &token.name)
                .before(&serde_json::json!({ "revoked_at": null }))
                .after(&serde_json::json!({ "revoked_at": shown })),
        )?;
        Ok(true)
    })
}

/// The holder of a token that may be used now.
#[derive(Debug, Clone)]
pub struct Holder {
    pub token_name: String,
    pub scope: Scope,
    pub user_id: i32,
    pub role: String,
}

/// The holder of `secret` if it names a token that is neither revoked nor expired, created
/// by an account that is not disabled; notes the use.
pub fn authenticate(conn: &mut DbConnection, secret: &str) -> QueryResult<Option<Holder>> {
    let now = Utc::now().naive_utc();
    let found: Option<(i32, String, String, i32, String, Option<NaiveDateTime>)> =
        api_tokens::table
            .inner_join(users::table)
            .filter(api_tokens::token_hash.eq(digest(secret)))
            .filter(api_tokens::revoked_at.is_null())
            .filter(
                api_tokens::expires_at
                    .is_null()
                    .or(api_tokens::expires_at.gt(now)),
            )
            .filter(users::disabled.eq(false))
            .select((
                api_tokens::id,
                api_tokens::name,
                api_tokens::scope,
                users::id,
                users::role,
                api_tokens::last_used_at,
            ))
            .first(conn)
            .optional()?;
    let Some((id, token_name, scope, user_id, role, last_used)) = found else {
        return Ok(None);
    };
    if last_used.is_none_or(|at| now - at >= LAST_USED_PRECISION) {
        diesel::update(api_tokens::table.find(id))
            .set(api_tokens::last_used_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some(Holder {
        token_name,
        scope: Scope::parse(&scope).unwrap_or(Scope::Read),
        user_id,
        role,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_and_digested() {
        let token = generate().expect("random bytes");
        assert!(token.starts_with(PREFIX));
        assert_eq!(token.len(), PREFIX.len() + 64);
        assert_eq!(digest(&token).len(), 64);
        assert_ne!(digest(&token), token);
        assert_eq!(shown_prefix(&token).len(), PREFIX.len() + 6);
    }

    #[test]
    fn expired_or_revoked_tokens_are_not_active() {
        let now = Utc::now().naive_utc();
        let token = |expires_at, revoked_at| Token {
            id: 1,
            name: "ci".into(),
            scope: "read".into(),
            prefix: "vdt_abcdef".into(),
            created_by: "a@b.c".into(),
            created_at: now,
            expires_at,
            revoked_at,
            last_used_at: None,
        };
        assert!(token(None, None).is_active(now));
        assert!(token(Some(now + TimeDelta::days(1)), None).is_active(now));
        assert!(!token(Some(now - TimeDelta::days(1)), None).is_active(now));
        assert!(!token(None, Some(now)).is_active(now));
    }

    #[test]
    fn scopes_round_trip() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Ok(scope));
        }
        assert!(Scope::parse("write").is_err());
    }
}
