//! The admin pages of accounts: inviting people and changing what they may do, API tokens,
//! and the audit log of every change. Admins only.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::accounts::password;
use crate::accounts::tokens::{self, NewToken, Scope, Token};
use crate::accounts::users::{self, NewUser, Updated, User, UserUpdate};
use crate::audit::{self, Actor, Entry, Filter};
use crate::db::{Db, DbConnection};
use crate::web::auth::Admin;
use crate::web::error::FieldError;
use crate::web::form::{Fields, Form, FormState};
use crate::web::params::{self, PageRequest, Pager};
use crate::web::session::{self, Role};
use crate::web::{AppError, Layout, PageError, Paginated, Params, action, page, render, see_other};

/// `/admin/users`, `/admin/tokens` and `/admin/audit`, inside the `/admin` scope.
pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/users", users_page).post(invite))
        .service(page("/users/{id}", user_page).post(update_user))
        .service(action("/users/{id}/password", reset_password))
        .service(page("/tokens", tokens_page).post(create_token))
        .service(page("/tokens/{id}", token_page))
        .service(action("/tokens/{id}/revoke", revoke_token))
        .service(page("/audit", audit_page));
}

/// How many changes an account's or a token's page shows.
const HISTORY: i64 = 20;

/// The most accounts the log's filter offers: there are only ever a few.
const MAX_FILTER_USERS: i64 = 500;

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

/// A one-time password from random hex digits, in groups of four so that it can be read out
/// or typed without losing one's place.
fn one_time_password(hex: &str) -> String {
    hex.as_bytes()
        .chunks(4)
        .map(|group| String::from_utf8_lossy(group))
        .collect::<Vec<_>>()
        .join("-")
}

/// A new one-time password: 80 random bits.
fn new_one_time_password() -> Result<String, AppError> {
    Ok(one_time_password(&random_hex(10)?))
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

// ---------------------------------------------------------------------------------------
// Accounts

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    csrf: String,
    list: Paginated<User>,
    pager: Pager,
    form: FormState,
    roles: [Role; 2],
}

/// An invitation as the form gives it.
#[derive(Debug, PartialEq)]
struct Invitation {
    email: String,
    role: Role,
}

impl Invitation {
    fn parse(fields: &Fields) -> Result<Self, Vec<FieldError>> {
        let email = users::normalise_email(fields.get("email"));
        let role = Role::parse(fields.get("role"));
        match (email, role) {
            (Ok(email), Ok(role)) => Ok(Self { email, role }),
            (email, role) => Err([("email", email.err()), ("role", role.err())]
                .into_iter()
                .filter_map(|(name, error)| Some(FieldError::new(name, error?)))
                .collect()),
        }
    }
}

async fn show_users(
    req: &HttpRequest,
    db: &Db,
    params: &Params,
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let page = page_request(params)?;
    let list = db
        .run(move |conn| {
            let items = users::list(conn, page.offset(), page.limit())?;
            page.of(items, || users::count(conn))
        })
        .await?;
    let pager = list.pager("/admin/users", params);
    let page = UsersPage {
        layout: Layout::of(req),
        csrf: session::form_token(req)?,
        list,
        pager,
        form,
        roles: Role::ALL,
    };
    show(&page, status)
}

async fn users_page(
    _: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    // The lesser role unless the admin chooses otherwise.
    let form = FormState::new(Fields::new(vec![("role".into(), "editor".into())]));
    show_users(&req, &db, &params, form, StatusCode::OK).await
}

async fn invite(
    admin: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    params: Params,
    Form(fields): Form,
) -> Result<HttpResponse, PageError> {
    let invitation = match Invitation::parse(&fields) {
        Ok(invitation) => invitation,
        Err(errors) => {
            let form = FormState::with_errors(fields, errors);
            return show_users(&req, &db, &params, form, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let secret = new_one_time_password()?;
    let hash = password::hash_blocking(secret.clone()).await?;
    let stamp = random_hex(16)?;
    let actor = admin.actor().clone();
    let Invitation { email, role } = invitation;
    let created = db
        .run(move |conn| {
            let new = NewUser {
                email: &email,
                role,
                password_hash: &hash,
                must_change_password: true,
                stamp: &stamp,
            };
            users::create(conn, &actor, &new)
        })
        .await?;
    let Some(user) = created else {
        let errors = vec![FieldError::new("email", "already has an account")];
        let form = FormState::with_errors(fields, errors);
        return show_users(&req, &db, &params, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    // The flash is the only place the password is kept, so it is shown exactly once.
    session::flash_next(
        &req,
        format!(
            "Invited {} as {}. Their one-time password is {secret} — pass it on by a safe \
             channel. It is shown only this once; they choose their own password when they \
             first sign in.",
            user.email,
            user.role()
        ),
    )?;
    Ok(see_other(&format!("/admin/users/{}", user.id)))
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    layout: Layout,
    csrf: String,
    user: User,
    history: Vec<Entry>,
    form: FormState,
    roles: [Role; 2],
    /// The admin is looking at their own account.
    is_self: bool,
    /// The account changed while the admin was editing it.
    stale: bool,
}

impl UserPage {
    fn disabled_checked(&self) -> bool {
        self.form.has_value("disabled", "on")
    }
}

/// The form as the account stands.
fn account_form(user: &User) -> FormState {
    let mut pairs = vec![
        ("role".to_owned(), user.role.clone()),
        ("version".to_owned(), user.version.to_string()),
    ];
    if user.disabled {
        pairs.push(("disabled".to_owned(), "on".to_owned()));
    }
    FormState::new(Fields::new(pairs))
}

async fn account(db: &Db, id: i32) -> Result<(User, Vec<Entry>), AppError> {
    let subject = audit::subject("user", id);
    db.run(move |conn| {
        let Some(user) = users::by_id(conn, id)? else {
            return Ok(None);
        };
        Ok(Some((user, audit::history(conn, &subject, HISTORY)?)))
    })
    .await?
    .ok_or(AppError::NotFound)
}

/// Shows an account's page with `form`, or the account's values when `None`. A 409 puts the
/// form's choices over the account as it now is (its current version), to be saved again.
async fn show_user(
    req: &HttpRequest,
    db: &Db,
    admin: &Admin,
    id: i32,
    form: Option<FormState>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let (user, history) = account(db, id).await?;
    let stale = status == StatusCode::CONFLICT;
    let form = match form {
        // The admin's choices, to be saved over the account as it now is.
        Some(form) if stale => FormState::with_errors(
            Fields::new(vec![("version".into(), user.version.to_string())]).over(form.fields),
            form.errors,
        ),
        Some(form) => form,
        None => account_form(&user),
    };
    let page = UserPage {
        layout: Layout::of(req),
        csrf: session::form_token(req)?,
        is_self: admin.actor().user_id == Some(user.id),
        user,
        history,
        form,
        roles: Role::ALL,
        stale,
    };
    show(&page, status)
}

async fn user_page(
    admin: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = path_id(&path)?;
    show_user(&req, &db, &admin, id, None, StatusCode::OK).await
}

/// A change to an account as the form gives it.
#[derive(Debug, PartialEq)]
struct AccountChange {
    version: i32,
    role: Role,
    disabled: bool,
}

impl AccountChange {
    /// `own` when admins are changing their own account: they may neither disable it nor
    /// give up their role, so that there is always an admin who can undo a mistake.
    fn parse(fields: &Fields, own: bool) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let version = fields.get("version").parse().unwrap_or_else(|_| {
            errors.push(FieldError::new(
                "version",
                "is missing: reload the page and try again",
            ));
            0
        });
        let role = Role::parse(fields.get("role")).unwrap_or_else(|e| {
            errors.push(FieldError::new("role", e));
            Role::Editor
        });
        let disabled = fields.get("disabled") == "on";
        if own && role != Role::Admin && !errors.iter().any(|e| e.name == "role") {
            errors.push(FieldError::new(
                "role",
                "stays admin on your own account: another admin can change it",
            ));
        }
        if own && disabled {
            errors.push(FieldError::new(
                "disabled",
                "cannot be set on your own account: another admin can do it",
            ));
        }
        if errors.is_empty() {
            Ok(Self {
                version,
                role,
                disabled,
            })
        } else {
            Err(errors)
        }
    }
}

/// Saves `change` unless the account moved on from its version; a change to nothing is not
/// written (nor logged).
fn save_account(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i32,
    change: &AccountChange,
    stamp: &str,
) -> diesel::QueryResult<(Updated, Option<User>)> {
    let Some(current) = users::by_id(conn, id)? else {
        return Ok((Updated::NotFound, None));
    };
    if current.version != change.version {
        return Ok((Updated::Stale, None));
    }
    if current.role() == change.role && current.disabled == change.disabled {
        return Ok((Updated::Done(current.version), Some(current)));
    }
    let update = UserUpdate {
        role: Some(change.role),
        disabled: Some(change.disabled),
        password: None,
    };
    let updated = users::update(conn, actor, id, Some(change.version), &update, stamp)?;
    Ok((updated, users::by_id(conn, id)?))
}

async fn update_user(
    admin: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
    Form(fields): Form,
) -> Result<HttpResponse, PageError> {
    let id = path_id(&path)?;
    let own = admin.actor().user_id == Some(id);
    let change = match AccountChange::parse(&fields, own) {
        Ok(change) => change,
        Err(errors) => {
            let form = FormState::with_errors(fields, errors);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return show_user(&req, &db, &admin, id, Some(form), status).await;
        }
    };
    let stamp = random_hex(16)?;
    let actor = admin.actor().clone();
    let saved = db
        .run(move |conn| save_account(conn, &actor, id, &change, &stamp))
        .await?;
    match saved {
        (Updated::Done(_), Some(user)) => {
            let message = if user.disabled {
                format!(
                    "Saved: {} is disabled, signed out everywhere, and their API tokens no \
                     longer work.",
                    user.email
                )
            } else {
                format!("Saved: {} is an active {}.", user.email, user.role())
            };
            session::flash_next(&req, message)?;
            Ok(see_other(&format!("/admin/users/{id}")))
        }
        (Updated::Stale, _) => {
            let form = FormState::new(fields);
            show_user(&req, &db, &admin, id, Some(form), StatusCode::CONFLICT).await
        }
        (Updated::NotFound | Updated::Done(_), _) => Err(AppError::NotFound.into()),
    }
}

/// Gives an account a new one-time password, for someone who lost theirs: their sessions end
/// and they must choose a new password when they next sign in.
async fn reset_password(
    admin: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
    _: Form,
) -> Result<HttpResponse, PageError> {
    let id = path_id(&path)?;
    if admin.actor().user_id == Some(id) {
        return Err(AppError::Forbidden(
            "Change your own password on the “Change your password” page: it asks for the \
             current one.",
        )
        .into());
    }
    let secret = new_one_time_password()?;
    let hash = password::hash_blocking(secret.clone()).await?;
    let stamp = random_hex(16)?;
    let actor = admin.actor().clone();
    let user = db
        .run(move |conn| {
            let change = UserUpdate {
                password: Some((&hash, true)),
                ..UserUpdate::default()
            };
            match users::update(conn, &actor, id, None, &change, &stamp)? {
                Updated::Done(_) => users::by_id(conn, id),
                Updated::NotFound | Updated::Stale => Ok(None),
            }
        })
        .await?
        .ok_or(AppError::NotFound)?;
    session::flash_next(
        &req,
        format!(
            "{} has a new one-time password: {secret} — pass it on by a safe channel. It is \
             shown only this once. Their sessions have ended, and they choose their own \
             password when they next sign in.",
            user.email
        ),
    )?;
    Ok(see_other(&format!("/admin/users/{id}")))
}

// ---------------------------------------------------------------------------------------
// API tokens

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
    let pager = list.pager("/admin/tokens", params);
    let now = Utc::now().naive_utc();
    let page = TokensPage {
        layout: Layout::of(req),
        csrf: session::form_token(req)?,
        list,
        pager,
        form,
        scopes: Scope::ALL,
        now,
        today: now.date(),
    };
    show(&page, status)
}

async fn tokens_page(
    _: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    // Read-only unless the admin chooses otherwise.
    let form = FormState::new(Fields::new(vec![("scope".into(), "read".into())]));
    show_tokens(&req, &db, &params, form, StatusCode::OK).await
}

async fn create_token(
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

async fn token_page(
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

async fn revoke_token(
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

// ---------------------------------------------------------------------------------------
// The audit log

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

async fn audit_page(
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
    fn one_time_passwords_are_grouped() {
        assert_eq!(
            one_time_password("0123456789abcdef0123"),
            "0123-4567-89ab-cdef-0123"
        );
        let fresh = new_one_time_password().expect("random bytes");
        assert_eq!(fresh.len(), 24);
        assert!(password::check_new(&fresh).is_ok());
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

    #[test]
    fn admins_keep_their_own_role_and_access() {
        let fields = Fields::parse(b"version=3&role=editor&disabled=on");
        assert_eq!(
            AccountChange::parse(&fields, false),
            Ok(AccountChange {
                version: 3,
                role: Role::Editor,
                disabled: true
            })
        );
        let errors = AccountChange::parse(&fields, true).expect_err("own account");
        let names: Vec<_> = errors.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["role", "disabled"]);
        let errors =
            AccountChange::parse(&Fields::parse(b"role=owner"), false).expect_err("bad role");
        let names: Vec<_> = errors.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["version", "role"]);
    }

    #[test]
    fn invitations_need_an_email_and_a_role() {
        assert_eq!(
            Invitation::parse(&Fields::parse(b"email=Bob%40Example.com&role=editor")),
            Ok(Invitation {
                email: "bob@example.com".into(),
                role: Role::Editor
            })
        );
        let errors = Invitation::parse(&Fields::parse(b"email=bob&role=")).expect_err("bad");
        let names: Vec<_> = errors.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["email", "role"]);
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
