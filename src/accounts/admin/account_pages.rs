//! Accounts: inviting people, and changing what they may do.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::support::{HISTORY, random_hex, show};
use crate::accounts::guards::session_limits;
use crate::accounts::password;
use crate::accounts::sessions::{self, Limits, Session};
use crate::accounts::user_updates::{self, Updated, UserUpdate};
use crate::accounts::users::{self, NewUser, User};
use crate::audit::{self, Actor, Entry};
use crate::db::{Db, DbConnection};
use crate::editing::params::{id as path_id, page_query as page_request};
use crate::web::auth::Admin;
use crate::web::error::FieldError;
use crate::web::form::{Fields, Form, FormState};
use crate::web::params::Pager;
use crate::web::session::{self, Role};
use crate::web::{AppError, Layout, PageError, Paginated, Params, see_other};

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

/// The invitation form's fields as it labels them, in its order: its error summary names them so.
const INVITE_LABELS: [(&str, &str); 2] = [("email", "Email"), ("role", "Role")];
/// The same for an account's form.
const ACCOUNT_LABELS: [(&str, &str); 2] = [("role", "Role"), ("disabled", "Disabled")];

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
    let pager = list.pager("/admin/users", params)?;
    let page = UsersPage {
        layout: Layout::of(req),
        csrf: session::form_token(req)?,
        list,
        pager,
        form: form.labelled(INVITE_LABELS),
        roles: Role::ALL,
    };
    show(&page, status)
}

pub(super) async fn users_page(
    _: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    params: Params,
) -> Result<HttpResponse, PageError> {
    // The lesser role unless the admin chooses otherwise.
    let form = FormState::new(Fields::new(vec![("role", "editor")]));
    show_users(&req, &db, &params, form, StatusCode::OK).await
}

pub(super) async fn invite(
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
    let actor = admin.actor().clone();
    let Invitation { email, role } = invitation;
    let created = db
        .run(move |conn| {
            let new = NewUser {
                email: &email,
                role,
                password_hash: &hash,
                must_change_password: true,
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
    /// Where the account is signed in.
    sessions: Vec<Session>,
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

async fn account(
    db: &Db,
    id: i32,
    limits: Limits,
) -> Result<(User, Vec<Entry>, Vec<Session>), AppError> {
    let subject = audit::subject("user", id);
    db.run(move |conn| {
        let Some(user) = users::by_id(conn, id)? else {
            return Ok(None);
        };
        let history = audit::history(conn, &subject, HISTORY)?;
        Ok(Some((user, history, sessions::of_user(conn, id, &limits)?)))
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
    let (user, history, sessions) = account(db, id, session_limits(req)?).await?;
    let stale = status == StatusCode::CONFLICT;
    let form = match form {
        // The admin's choices, to be saved over the account as it now is.
        Some(form) if stale => FormState::with_errors(
            Fields::new(vec![("version", user.version.to_string())]).over(form.fields),
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
        sessions,
        form: form.labelled(ACCOUNT_LABELS),
        roles: Role::ALL,
        stale,
    };
    show(&page, status)
}

pub(super) async fn user_page(
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
    let updated = user_updates::update(conn, actor, id, Some(change.version), &update)?;
    Ok((updated, users::by_id(conn, id)?))
}

pub(super) async fn update_user(
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
    let actor = admin.actor().clone();
    let saved = db
        .run(move |conn| save_account(conn, &actor, id, &change))
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

/// The id of the account `path` names, unless it is the admin's own: what is done to
/// someone else's account from here, the admin does to their own elsewhere, as `elsewhere`
/// says.
fn someone_else(admin: &Admin, path: &str, elsewhere: &'static str) -> Result<i32, AppError> {
    let id = path_id(path)?;
    if admin.actor().user_id == Some(id) {
        return Err(AppError::Forbidden(elsewhere));
    }
    Ok(id)
}

/// Gives an account a new one-time password, for someone who lost theirs: their sessions end
/// and they must choose a new password when they next sign in.
pub(super) async fn reset_password(
    admin: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
    _: Form,
) -> Result<HttpResponse, PageError> {
    let id = someone_else(
        &admin,
        &path,
        "Change your own password on the “Change your password” page: it asks for the \
         current one.",
    )?;
    let secret = new_one_time_password()?;
    let hash = password::hash_blocking(secret.clone()).await?;
    let actor = admin.actor().clone();
    let user = db
        .run(move |conn| {
            let change = UserUpdate {
                password: Some((&hash, true)),
                ..UserUpdate::default()
            };
            match user_updates::update(conn, &actor, id, None, &change)? {
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

/// Signs an account out everywhere, e.g. when its owner lost a device. Admins end their own
/// other sessions on `/account/sessions`, which keeps the one they are using.
pub(super) async fn end_sessions(
    admin: Admin,
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
    _: Form,
) -> Result<HttpResponse, PageError> {
    let id = someone_else(
        &admin,
        &path,
        "End your own other sessions on the “Your sessions” page: it keeps the one you are \
         using.",
    )?;
    let actor = admin.actor().clone();
    let (user, ended) = db
        .run(move |conn| {
            let Some(user) = users::by_id(conn, id)? else {
                return Ok(None);
            };
            let ended = sessions::sign_out_everywhere(conn, &actor, &user, None)?;
            Ok(Some((user, ended)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let message = match ended {
        0 => format!("{} was not signed in anywhere.", user.email),
        1 => format!("{} has been signed out of their session.", user.email),
        n => format!("{} has been signed out of {n} sessions.", user.email),
    };
    session::flash_next(&req, message)?;
    Ok(see_other(&format!("/admin/users/{id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
