//! The admin pages of accounts: inviting people and changing what they may do, API tokens,
//! and the audit log of every change. Admins only.

mod account_pages;
mod audit_log;
mod token_pages;

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;

use crate::web::params::{self, PageRequest};
use crate::web::session::{self};
use crate::web::{AppError, PageError, Params, action, page, render};

/// `/admin/users`, `/admin/tokens` and `/admin/audit`, inside the `/admin` scope.
pub fn pages(cfg: &mut web::ServiceConfig) {
    use account_pages::{end_sessions, invite, reset_password, update_user, user_page, users_page};
    use token_pages::{create_token, revoke_token, token_page, tokens_page};
    cfg.service(page("/users", users_page).post(invite))
        .service(page("/users/{id}", user_page).post(update_user))
        .service(action("/users/{id}/password", reset_password))
        .service(action("/users/{id}/sessions", end_sessions))
        .service(page("/tokens", tokens_page).post(create_token))
        .service(page("/tokens/{id}", token_page))
        .service(action("/tokens/{id}/revoke", revoke_token))
        .service(page("/audit", audit_log::audit_page));
}

/// How many changes an account's or a token's page shows.
const HISTORY: i64 = 20;

/// Renders one of these pages. They may carry a one-time password or a token's secret (in
/// the flash), so no browser history or proxy may keep them.
fn show(page: &impl Template, status: StatusCode) -> Result<HttpResponse, PageError> {
    let mut response = render(page)?;
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn page_request(params: &Params) -> Result<PageRequest, AppError> {
    let mut errors = Vec::new();
    let page = params.page_request(&mut errors);
    params::check(errors)?;
    Ok(page)
}

/// An id from the path; one that cannot exist is simply not found.
fn path_id(path: &str) -> Result<i32, AppError> {
    path.parse().map_err(|_| AppError::NotFound)
}

fn random_hex(bytes: usize) -> Result<String, AppError> {
    session::random_token(bytes).map_err(|e| AppError::Internal(e.into()))
}

/// A day as `YYYY-MM-DD`, exactly: what a date input sends.
fn parse_day(value: &str) -> Result<NaiveDate, String> {
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
