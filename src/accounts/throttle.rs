//! Throttling of sign-ins, per account and per client address. Every attempt is counted
//! before its password is checked, by one statement that adds it and reads the new count, so
//! that however many attempts arrive at once, on however many instances, no more than the
//! limit have their password checked in a window. The counts live in the database so that
//! every instance sees the same ones; a success clears them.

use chrono::{NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use crate::db::DbConnection;
use crate::db::schema::login_failures;

/// Attempts are counted in windows of this length from the first one.
pub const WINDOW: TimeDelta = TimeDelta::minutes(15);
/// Sign-ins that fail, or are still being checked, allowed per account in a window.
pub const PER_ACCOUNT: i32 = 5;
/// Likewise per client address (several people may share one).
pub const PER_ADDRESS: i32 = 20;

pub fn account_key(email: &str) -> String {
    format!("account:{email}")
}

pub fn address_key(address: &str) -> String {
    format!("address:{address}")
}

/// Seconds to wait before another attempt, when the `attempts` counted since `started` (the
/// one being made included) are more than `limit`.
pub fn retry_after(
    attempts: i32,
    started: NaiveDateTime,
    now: NaiveDateTime,
    limit: i32,
) -> Option<u64> {
    let ends = started + WINDOW;
    (attempts > limit && now < ends).then(|| (ends - now).num_seconds().max(1).unsigned_abs())
}

/// A key's count just after an attempt was added to it.
#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = Integer)]
    failures: i32,
    #[diesel(sql_type = Timestamp)]
    window_started_at: NaiveDateTime,
}

/// Counts one attempt against each of `keys` (each with its limit) and returns the longest
/// wait if any of them is now past its limit: the attempt is then refused, its password
/// unchecked. Each key's count is added to and read in one statement (an upsert returning
/// the new count), so concurrent attempts each see a different count. A window that has
/// ended starts again at one.
pub fn attempt(conn: &mut DbConnection, keys: &[(&str, i32)]) -> QueryResult<Option<u64>> {
    let now = Utc::now().naive_utc();
    // The same statement on both backends but for the placeholders' spelling.
    let sql = match conn {
        DbConnection::Postgres(_) => format_upsert(["$1", "$2", "$3", "$4"]),
        DbConnection::Sqlite(_) => format_upsert(["?1", "?2", "?3", "?4"]),
    };
    let mut wait = None;
    for &(key, limit) in keys {
        let counted: Counted = diesel::sql_query(&sql)
            .bind::<Text, _>(key)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(now - WINDOW)
            .bind::<Integer, _>(1)
            .get_result(conn)?;
        wait = wait.max(retry_after(
            counted.failures,
            counted.window_started_at,
            now,
            limit,
        ));
    }
    Ok(wait)
}

/// Key, now, the start of a window still running, one.
fn format_upsert([key, now, running, one]: [&str; 4]) -> String {
    format!(
        "INSERT INTO login_failures (key, failures, window_started_at) VALUES ({key}, {one}, {now}) \
         ON CONFLICT (key) DO UPDATE SET \
         failures = CASE WHEN login_failures.window_started_at > {running} \
                    THEN login_failures.failures + {one} ELSE {one} END, \
         window_started_at = CASE WHEN login_failures.window_started_at > {running} \
                    THEN login_failures.window_started_at ELSE {now} END \
         RETURNING failures, window_started_at"
    )
}

/// Forgets the attempts counted against `keys`.
pub fn clear(conn: &mut DbConnection, keys: &[&str]) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::key.eq_any(keys))).execute(conn)?;
    Ok(())
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
    fn up_to_the_limit_nothing_waits() {
        assert_eq!(retry_after(PER_ACCOUNT, at(0), at(1), PER_ACCOUNT), None);
    }

    #[test]
    fn past_the_limit_the_wait_is_the_rest_of_the_window() {
        assert_eq!(
            retry_after(PER_ACCOUNT + 1, at(0), at(5), PER_ACCOUNT),
            Some(10 * 60)
        );
    }

    #[test]
    fn a_finished_window_forgets() {
        assert_eq!(
            retry_after(PER_ACCOUNT + 10, at(0), at(15), PER_ACCOUNT),
            None
        );
    }
}
