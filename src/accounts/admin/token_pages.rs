//! API tokens: made, shown once, revoked.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::support::{HISTORY, parse_day, show};
use crate::accounts::tokens::{self, NewToken, Scope, Token};
use crate::audit::{self, Entry};
use crate::db::Db;
use crate::editing::params::{id as path_id, page_query as page_request};
use crate::web::auth::Admin;
use crate::web::error::FieldError;
use crate::web::form::{Fields, Form, FormState};
use crate::web::params::Pager;
use crate::web::session::{self};
use crate::web::{AppError, Layout, PageError, Paginated, Params, see_other};

/// The longest name a token may have.
const MAX_TOKEN_NAME: usize = 100;

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    layout: Layout,
    csrf: String,
    list: Paginated<Token>,
    pager: Pager,
    form: FormState,
    scopes: [Scope; 2],
    now: NaiveDateTime,
    /// The earliest expiry date, for the date input.
    today: NaiveDate,
}

impl TokensPage {
    fn status(&self, token: &Token) -> &'static str {
        status(token, self.now)
    }
}

/// Whether a token works: `active`, `revoked` or `expired`.
fn status(token: &Token, now: NaiveDateTime) -> &'static str {
    if token.revoked_at.is_some() {
        "revoked"
    } else if token.is_active(now) {
        "active"
    } else {
        "expired"
    }
}

/// A new token as the form gives it.
#[derive(Debug, PartialEq)]
struct TokenRequest {
    name: String,
    scope: Scope,
    expires_at: Option<NaiveDateTime>,
}

impl TokenRequest {
    fn parse(fields: &Fields, today: NaiveDate) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = fields.get("name");
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                "is needed: say who or what will use the token",
            ));
        } else if name.chars().count() > MAX_TOKEN_NAME {
            errors.push(FieldError::new(
                "name",
                format!("must be at most {MAX_TOKEN_NAME} characters"),
            ));
        }
        let scope =
            Scope::parse(fields.get("scope")).map_err(|e| errors.push(FieldError::new("scope", e)));
        let expires_at = expiry(fields.get("expires"), today)
            .map_err(|e| errors.push(FieldError::new("expires", e)));
        match (scope, expires_at) {
            (Ok(scope), Ok(expires_at)) if errors.is_empty() => Ok(Self {
                name: name.to_owned(),
                scope,
                expires_at,
            }),
            _ => Err(errors),
        }
    }
}

const END_OF_DAY: NaiveTime = NaiveTime::from_hms_opt(23, 59, 59).expect("a time of day");

/// The end (UTC) of the day given as `YYYY-MM-DD`, today or later; none for an empty value.
fn expiry(value: &str, today: NaiveDate) -> Result<Option<NaiveDateTime>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let day = parse_day(value)?;
    if day < today {
        return Err(format!("must be today ({today}) or later"));
    }
    Ok(Some(day.and_time(END_OF_DAY)))
}

/// The token form's fields as it labels them, in its order: its error summary names them so.
const TOKEN_LABELS: [(&str, &str); 3] =
    [("name", "Name"), ("scope", "Scope"), ("expires", "Expires")];

async fn show_tokens(
    req: &HttpRequest,
    db: &Db,
    params: &Params,
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let page = page_request(params)?;
    let list = db
        .run(move |conn| {
            let items = tokens::list(conn, page.offset(), page.limit())?;
            page.of(items, || tokens::count(conn))
        })
        .await?;
    let pager = list.pager("/admin/tokens", params)?;
    let now = Utc::now().naive_utc();
    let page = TokensPage {
        layout: Layout::of(req),
        csrf: session::form_token(req)?,
        list,
        pager,
        form: form.labelled(TOKEN_LABELS),
        scopes: Scope::ALL,
        now,
        today: now.date(),
    };
    show(&page, status)
}

pub(super) async fn tokens_page(
    _: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    // Read-only unless the admin chooses otherwise.
    let form = FormState::new(Fields::new(vec![("scope", "read")]));
    show_tokens(&req, &db, &params, form, StatusCode::OK).await
}

pub(super) async fn create_token(
    admin: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    params: Params,
    Form(fields): Form,
) -> Result<HttpResponse, PageError> {
    let today = Utc::now().date_naive();
    let request = match TokenRequest::parse(&fields, today) {
        Ok(request) => request,
        Err(errors) => {
            let form = FormState::with_errors(fields, errors);
            return show_tokens(&req, &db, &params, form, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let secret = tokens::generate().map_err(|e| AppError::Internal(e.into()))?;
    let stored = secret.clone();
    let actor = admin.actor().clone();
    let name = request.name.clone();
    let id = db
        .run(move |conn| {
            let new = NewToken {
                name: &request.name,
                scope: request.scope,
                expires_at: request.expires_at,
            };
            tokens::create(conn, &actor, &new, &stored)
        })
        .await?;
    // Only a hash is stored: the flash is the one time the secret is shown.
    session::flash_next(
        &req,
        format!(
            "API token “{name}” created. Copy it now: Verdict keeps only a hash of it and \
             cannot show it again. {secret}"
        ),
    )?;
    Ok(see_other(&format!("/admin/tokens/{id}")))
}

#[derive(Template)]
#[template(path = "admin/token.html")]
struct TokenPage {
    layout: Layout,
    csrf: String,
    token: Token,
    history: Vec<Entry>,
    status: &'static str,
}

pub(super) async fn token_page(
    _: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = path_id(&path)?;
    let subject = audit::subject("token", id);
    let (token, history) = db
        .run(move |conn| {
            let Some(token) = tokens::by_id(conn, id)? else {
                return Ok(None);
            };
            Ok(Some((token, audit::history(conn, &subject, HISTORY)?)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let page = TokenPage {
        layout: Layout::of(&req),
        csrf: session::form_token(&req)?,
        status: status(&token, Utc::now().naive_utc()),
        token,
        history,
    };
    show(&page, StatusCode::OK)
}

pub(super) async fn revoke_token(
    admin: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
    _: Form,
) -> Result<HttpResponse, PageError> {
    let id = path_id(&path)?;
    let actor = admin.actor().clone();
    let (token, revoked) = db
        .run(move |conn| {
            let Some(token) = tokens::by_id(conn, id)? else {
                return Ok(None);
            };
            let revoked = tokens::revoke(conn, &actor, id)?;
            Ok(Some((token, revoked)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let message = if revoked {
        format!(
            "API token “{}” revoked: requests that use it are now refused.",
            token.name
        )
    } else {
        format!("API token “{}” was already revoked.", token.name)
    };
    session::flash_next(&req, message)?;
    Ok(see_other("/admin/tokens"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(value: &str) -> NaiveDate {
        NaiveDate::parse_from_str(value, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn a_token_expires_at_the_end_of_its_day() {
        let today = day("2026-11-21");
        assert_eq!(expiry("", today), Ok(None));
        assert_eq!(
            expiry("2026-11-21", today),
            Ok(Some(
                day("2026-11-21").and_hms_opt(23, 59, 59).expect("a time")
            ))
        );
        assert!(expiry("2027-01-01", today).is_ok());
        assert_eq!(
            expiry("2026-11-20", today),
            Err("must be today (2026-11-21) or later".into())
        );
        assert!(expiry("next week", today).is_err());
    }

    #[test]
    fn token_requests_name_each_problem() {
        let today = day("2026-11-21");
        let fields = Fields::parse(b"name=+CI+deploys+&scope=read-write&expires=2026-12-31");
        assert_eq!(
            TokenRequest::parse(&fields, today),
            Ok(TokenRequest {
                name: "CI deploys".into(),
                scope: Scope::ReadWrite,
                expires_at: day("2026-12-31").and_hms_opt(23, 59, 59),
            })
        );
        let long = format!("name={}&scope=write&expires=2026-01-01", "x".repeat(101));
        let errors = TokenRequest::parse(&Fields::parse(long.as_bytes()), today).expect_err("bad");
        let names: Vec<_> = errors.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["name", "scope", "expires"]);
        let errors =
            TokenRequest::parse(&Fields::parse(b"scope=read"), today).expect_err("no name");
        assert_eq!(errors[0].name, "name");
    }
}
