//! What the accounts' admin pages share: how they are sent, and the values they make and read.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use askama::Template;
use chrono::NaiveDate;

use crate::web::session;
use crate::web::{AppError, PageError, render};

/// How many changes an account's or a token's page shows.
pub const HISTORY: i64 = 20;

/// Renders one of these pages. They may carry a one-time password or a token's secret (in
/// the flash), so no browser history or proxy may keep them.
pub fn show(page: &impl Template, status: StatusCode) -> Result<HttpResponse, PageError> {
    let mut response = render(page)?;
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub fn random_hex(bytes: usize) -> Result<String, AppError> {
    session::random_token(bytes).map_err(|e| AppError::Internal(e.into()))
}

/// A day as `YYYY-MM-DD`, exactly: what a date input sends.
pub fn parse_day(value: &str) -> Result<NaiveDate, String> {
    let shaped = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shaped
        .then(|| NaiveDate::parse_from_str(value, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| format!("must be a date as YYYY-MM-DD, not `{value}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(value: &str) -> NaiveDate {
        NaiveDate::parse_from_str(value, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn days_are_exactly_year_month_day() {
        assert_eq!(parse_day("2026-02-28"), Ok(day("2026-02-28")));
        for bad in [
            "2026-2-28",
            "2026-02-30",
            "28-02-2026",
            "2026/02/28",
            "+2026-02-2",
            "2026-02-28T00:00",
            "",
            "２０２６-02-28",
        ] {
            let error = parse_day(bad).expect_err(bad);
            assert!(error.contains("YYYY-MM-DD"), "{error}");
        }
    }
}
