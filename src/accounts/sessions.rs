//! Signed-in sessions as the server keeps them: a row per session, named by the SHA-256 of a
//! random token that only the session's (encrypted) cookie holds. Deleting the row ends the
//! session on every instance, whoever still has a copy of the cookie. A session also ends
//! when it has gone unused for the idle timeout, or has lasted its lifetime.

use chrono::{NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;

use crate::accounts::tokens;
use crate::accounts::users::User;
use crate::audit::{self, Action, Actor, Change};
use crate::db::schema::{user_sessions, users};
use crate::db::{self, DbConnection};

/// A session's last use is written at most this often, not on every request.
const LAST_SEEN_PRECISION: TimeDelta = TimeDelta::minutes(1);

/// What is kept of a browser's `User-Agent`: enough to recognise it by.
const USER_AGENT_CHARS: usize = 256;

/// How long a session may last: unused, and in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub idle: TimeDelta,
    pub lifetime: TimeDelta,
}

impl Limits {
    pub fn new(idle_minutes: u32, lifetime_hours: u32) -> Self {
        Self {
            idle: TimeDelta::minutes(idle_minutes.into()),
            lifetime: TimeDelta::hours(lifetime_hours.into()),
        }
    }

    /// Whether a session started at `created` and last used at `last_seen` is alive at `now`.
    pub fn alive(
        &self,
        created: NaiveDateTime,
        last_seen: NaiveDateTime,
        now: NaiveDateTime,
    ) -> bool {
        now < last_seen + self.idle && now < created + self.lifetime
    }
}

/// A session as its owner's list shows it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = user_sessions)]
pub struct Session {
    pub id: i32,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub user_agent: String,
    pub address: String,
}

/// A session found alive, and its account.
#[derive(Debug, Clone)]
pub struct Active {
    /// The session's row.
    pub id: i32,
    pub user: User,
}

/// A session about to start: its token (only its hash is stored) and where it comes from.
pub struct NewSession<'a> {
    pub user_id: i32,
    pub token: &'a str,
    pub user_agent: &'a str,
    pub address: &'a str,
}

/// Stores a new session, and deletes every session that has expired, anyone's, meanwhile.
pub fn start(conn: &mut DbConnection, new: &NewSession, limits: &Limits) -> QueryResult<i32> {
    let now = Utc::now().naive_utc();
    let user_agent: String = new.user_agent.chars().take(USER_AGENT_CHARS).collect();
    db::write(conn, |conn| {
        diesel::delete(
            user_sessions::table.filter(
                user_sessions::last_seen_at
                    .le(now - limits.idle)
                    .or(user_sessions::created_at.le(now - limits.lifetime)),
            ),
        )
        .execute(conn)?;
        diesel::insert_into(user_sessions::table)
            .values((
                user_sessions::token_hash.eq(tokens::digest(new.token)),
                user_sessions::user_id.eq(new.user_id),
                user_sessions::created_at.eq(now),
                user_sessions::last_seen_at.eq(now),
                user_sessions::user_agent.eq(&user_agent),
                user_sessions::address.eq(new.address),
            ))
            .returning(user_sessions::id)
            .get_result(conn)
    })
}

/// The live session `token` names, with its account (one query), or `None`. A session found
/// expired, or whose account is disabled, is deleted; a live one's last use is brought up to
/// date when it is more than [`LAST_SEEN_PRECISION`] old.
pub fn check(conn: &mut DbConnection, token: &str, limits: &Limits) -> QueryResult<Option<Active>> {
    let now = Utc::now().naive_utc();
    let found: Option<(Session, User)> = user_sessions::table
        .inner_join(users::table)
        .filter(user_sessions::token_hash.eq(tokens::digest(token)))
        .select((Session::as_select(), User::as_select()))
        .first(conn)
        .optional()?;
    let Some((session, user)) = found else {
        return Ok(None);
    };
    // Disabling deletes an account's sessions, but one may have started meanwhile.
    if user.disabled || !limits.alive(session.created_at, session.last_seen_at, now) {
        diesel::delete(user_sessions::table.find(session.id)).execute(conn)?;
        return Ok(None);
    }
    if now - session.last_seen_at >= LAST_SEEN_PRECISION {
        diesel::update(user_sessions::table.find(session.id))
            .set(user_sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some(Active {
        id: session.id,
        user,
    }))
}

/// The account's live sessions, the most recently used first.
pub fn of_user(
    conn: &mut DbConnection,
    user_id: i32,
    limits: &Limits,
) -> QueryResult<Vec<Session>> {
    let now = Utc::now().naive_utc();
    user_sessions::table
        .filter(user_sessions::user_id.eq(user_id))
        .filter(user_sessions::last_seen_at.gt(now - limits.idle))
        .filter(user_sessions::created_at.gt(now - limits.lifetime))
        .select(Session::as_select())
        .order((user_sessions::last_seen_at.desc(), user_sessions::id.desc()))
        .load(conn)
}

/// Ends the session `token` names (signing out).
pub fn end(conn: &mut DbConnection, token: &str) -> QueryResult<()> {
    diesel::delete(
        user_sessions::table.filter(user_sessions::token_hash.eq(tokens::digest(token))),
    )
    .execute(conn)?;
    Ok(())
}

/// Ends every session of an account but `keep`; how many ended. For a change that already
/// has its own entry in the audit log (a new password, disabling).
pub fn end_all(conn: &mut DbConnection, user_id: i32, keep: Option<i32>) -> QueryResult<usize> {
    let sessions = user_sessions::table.filter(user_sessions::user_id.eq(user_id));
    match keep {
        Some(keep) => diesel::delete(sessions.filter(user_sessions::id.ne(keep))).execute(conn),
        None => diesel::delete(sessions).execute(conn),
    }
}

/// Ends every session of `user` but `keep`, at `actor`'s request, and records it in the
/// account's history; how many ended.
pub fn sign_out_everywhere(
    conn: &mut DbConnection,
    actor: &Actor,
    user: &User,
    keep: Option<i32>,
) -> QueryResult<usize> {
    db::write(conn, |conn| {
        let ended = end_all(conn, user.id, keep)?;
        if ended > 0 {
            let kept = usize::from(keep.is_some());
            audit::record(
                conn,
                actor,
                Change::of(Action::Update, "user", user.id, &user.email)
                    .before(&serde_json::json!({ "sessions": ended + kept }))
                    .after(&serde_json::json!({ "sessions": kept })),
            )?;
        }
        Ok(ended)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + minutes * 60, 0)
            .expect("a valid time")
            .naive_utc()
    }

    #[test]
    fn a_session_lives_while_used_and_no_longer_than_its_lifetime() {
        let limits = Limits::new(120, 12);
        assert!(limits.alive(at(0), at(0), at(119)));
        assert!(!limits.alive(at(0), at(0), at(120)), "idle for two hours");
        assert!(limits.alive(at(0), at(600), at(719)));
        assert!(
            !limits.alive(at(0), at(700), at(720)),
            "twelve hours in all, however busy"
        );
    }

    #[test]
    fn limits_are_read_in_minutes_and_hours() {
        assert_eq!(
            Limits::new(30, 2),
            Limits {
                idle: TimeDelta::minutes(30),
                lifetime: TimeDelta::hours(2)
            }
        );
    }
}
