//! The audit log, filtered.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::support::{parse_day, show};
use crate::accounts::users::{self, User};
use crate::audit::{self, Entry, Filter};
use crate::db::Db;
use crate::web::auth::Admin;
use crate::web::error::FieldError;
use crate::web::params::{self, PageRequest};
use crate::web::{AppError, Layout, PageError, Params};

/// The most accounts the log's filter offers: there are only ever a few.
const MAX_FILTER_USERS: i64 = 500;

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    entries: Vec<Entry>,
    filter: Filter,
    users: Vec<User>,
    kinds: Vec<String>,
    page: u32,
    newer: Option<String>,
    older: Option<String>,
}

impl AuditPage {
    fn user_selected(&self, id: &i32) -> bool {
        self.filter.user_id == Some(*id)
    }

    fn kind_selected(&self, kind: &str) -> bool {
        self.filter.kind.as_deref() == Some(kind)
    }

    fn from(&self) -> String {
        self.filter.from.map(|d| d.to_string()).unwrap_or_default()
    }

    fn until(&self) -> String {
        self.filter.until.map(|d| d.to_string()).unwrap_or_default()
    }

    fn filtered(&self) -> bool {
        let f = &self.filter;
        f.user_id.is_some() || f.kind.is_some() || f.from.is_some() || f.until.is_some()
    }
}

/// A kind of item as the log names them: lowercase words.
fn parse_kind(value: &str) -> Result<String, String> {
    let plain = value.len() <= 40 && value.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    if plain {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "must be a kind of item, like `user`, not `{value}`"
        ))
    }
}

fn parse_user(value: &str) -> Result<i32, String> {
    value
        .parse()
        .ok()
        .filter(|&id| id > 0)
        .ok_or_else(|| format!("must be an account's number, not `{value}`"))
}

/// `?user=&kind=&from=&until=&page=&per_page=`.
fn audit_query(params: &Params) -> Result<(Filter, PageRequest), AppError> {
    let mut errors = Vec::new();
    let filter = Filter {
        user_id: params.parsed("user", &mut errors, parse_user),
        kind: params.parsed("kind", &mut errors, parse_kind),
        from: params.parsed("from", &mut errors, parse_day),
        until: params.parsed("until", &mut errors, parse_day),
    };
    if let (Some(from), Some(until)) = (filter.from, filter.until)
        && until < from
    {
        errors.push(FieldError::new(
            "until",
            format!("must not be before from ({from})"),
        ));
    }
    let page = params.page_request(&mut errors);
    params::check(errors)?;
    Ok((filter, page))
}

pub(super) async fn audit_page(
    _: Admin,
    layout: Layout,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let (filter, page) = audit_query(&params)?;
    let query = filter.clone();
    let (mut entries, users, kinds) = db
        .run(move |conn| {
            // One more than the page holds says whether there is an older page, without
            // counting a log that only grows.
            let entries = audit::list(conn, &query, page.offset(), page.limit() + 1)?;
            let users = users::list(conn, 0, MAX_FILTER_USERS)?;
            Ok((entries, users, audit::kinds(conn)?))
        })
        .await?;
    let more = entries.len() as i64 > page.limit();
    entries.truncate(page.per_page as usize);
    let page_number = page.page;
    let page = AuditPage {
        layout,
        entries,
        filter,
        users,
        kinds,
        page: page_number,
        newer: (page_number > 1).then(|| params.with_page("/admin/audit", page_number - 1)),
        older: more.then(|| params.with_page("/admin/audit", page_number + 1)),
    };
    show(&page, StatusCode::OK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(value: &str) -> NaiveDate {
        NaiveDate::parse_from_str(value, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn audit_filters_are_checked_by_name() {
        let (filter, page) = audit_query(&Params::parse(
            "user=2&kind=token&from=2026-11-01&until=2026-11-30&page=2",
        ))
        .expect("valid");
        assert_eq!(filter.user_id, Some(2));
        assert_eq!(filter.kind.as_deref(), Some("token"));
        assert_eq!(filter.from, Some(day("2026-11-01")));
        assert_eq!(page.page, 2);
        for (query, name) in [
            ("user=0", "user"),
            ("user=me", "user"),
            ("kind=Robert');DROP", "kind"),
            ("from=yesterday", "from"),
            ("from=2026-11-02&until=2026-11-01", "until"),
            ("page=0", "page"),
        ] {
            match audit_query(&Params::parse(query)) {
                Err(AppError::InvalidParameters(errors)) => {
                    assert_eq!(errors[0].name, name, "{query}")
                }
                other => panic!("{query}: {other:?}"),
            }
        }
    }
}
