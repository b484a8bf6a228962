//! Throttling of failed sign-ins, per account and per client address. The counts live in the
//! database so that every instance sees the same ones; a success clears them.

use chrono::{NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use crate::db::schema::login_failures;
use crate::db::{self, DbConnection};

/// Failures are counted in windows of this length from the first one.
pub const WINDOW: TimeDelta = TimeDelta::minutes(15);
/// Failed sign-ins allowed per account in a window.
pub const PER_ACCOUNT: i32 = 5;
/// Failed sign-ins allowed per client address in a window (several people may share one).
pub const PER_ADDRESS: i32 = 20;

pub fn account_key(email: &str) -> String {
    format!("account:{email}")
}

pub fn address_key(address: &str) -> String {
    format!("address:{address}")
}

/// Seconds to wait before another attempt, when `failures` since `started` reach `limit`.
pub fn retry_after(
    failures: i32,
    started: NaiveDateTime,
    now: NaiveDateTime,
    limit: i32,
) -> Option<u64> {
    let ends = started + WINDOW;
    (failures >= limit && now < ends).then(|| (ends - now).num_seconds().max(1).unsigned_abs())
}

/// The longest wait among `keys` (each with its limit), if any of them is throttled.
pub fn check(conn: &mut DbConnection, keys: &[(&str, i32)]) -> QueryResult<Option<u64>> {
    let now = Utc::now().naive_utc();
    let names: Vec<&str> = keys.iter().map(|(key, _)| *key).collect();
    let rows: Vec<(String, i32, NaiveDateTime)> = login_failures::table
        .filter(login_failures::key.eq_any(&names))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(key, failures, started)| {
            let limit = keys.iter().find(|(k, _)| *k == key)?.1;
            retry_after(failures, started, now, limit)
        })
        .max())
}

/// Counts one failure against each key: an upsert, so that concurrent failures all count.
/// A window that has ended starts again at one.
pub fn fail(conn: &mut DbConnection, keys: &[&str]) -> QueryResult<()> {
    let now = Utc::now().naive_utc();
    let window_start = now - WINDOW;
    // The same statement on both backends but for the placeholders' spelling.
    let sql = match conn {
        DbConnection::Postgres(_) => format_upsert(["$1", "$2", "$3", "$4"]),
        DbConnection::Sqlite(_) => format_upsert(["?1", "?2", "?3", "?4"]),
    };
    db::write(conn, |conn| {
        for key in keys {
            diesel::sql_query(&sql)
                .bind::<Text, _>(key)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(window_start)
                .bind::<Integer, _>(1)
                .execute(conn)?;
        }
        Ok(())
    })
}

/// Key, now, the start of a window still running, one.
fn format_upsert([key, now, running, one]: [&str; 4]) -> String {
    format!(
        "INSERT INTO login_failures (key, failures, window_started_at) VALUES ({key}, {one}, {now}) \
         ON CONFLICT (key) DO UPDATE SET \
         failures = CASE WHEN login_failures.window_started_at > {running} \
                    THEN login_failures.failures + {one} ELSE {one} END, \
         window_started_at = CASE WHEN login_failures.window_started_at > {running} \
                    THEN login_failures.window_started_at ELSE {now} END"
    )
}

/// Forgets the failures counted against `keys`.
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
    fn under_the_limit_nothing_waits() {
        assert_eq!(
            retry_after(PER_ACCOUNT - 1, at(0), at(1), PER_ACCOUNT),
            None
        );
    }

    #[test]
    fn at_the_limit_the_wait_is_the_rest_of_the_window() {
        assert_eq!(
            retry_after(PER_ACCOUNT, at(0), at(5), PER_ACCOUNT),
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
