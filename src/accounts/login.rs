//! Signing in and out, and changing one's own password.

use actix_session::SessionExt;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use url::Url;

use crate::accounts::guards::{session_limits, signed_in_user};
use crate::accounts::sessions::{self, NewSession};
use crate::accounts::user_updates::{self, Updated, UserUpdate};
use crate::accounts::users;
use crate::accounts::{password, throttle};
use crate::db::{self, Db};
use crate::web::error::{AppError, FieldError, PageError};
use crate::web::form::{Fields, Form, FormState};
use crate::web::session::{self, random_token};
use crate::web::words::counted;
use crate::web::{Layout, Params, see_other};

/// A session about to start for the browser that sent a request: its token (for the cookie)
/// and what its owner will recognise it by.
struct Starting {
    token: String,
    user_agent: String,
    address: String,
}

impl Starting {
    fn of(req: &HttpRequest) -> Result<Self, AppError> {
        Ok(Self {
            token: random_token(32).map_err(|e| AppError::Internal(e.into()))?,
            user_agent: req
                .headers()
                .get(header::USER_AGENT)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
            address: client_address(req),
        })
    }

    fn for_user(&self, user_id: i32) -> NewSession<'_> {
        NewSession {
            user_id,
            token: &self.token,
            user_agent: &self.user_agent,
            address: &self.address,
        }
    }
}

/// The address a request comes from, as throttling counts it and the list of sessions shows it.
fn client_address(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|addr| addr.ip().to_string())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    layout: Layout,
    form: FormState,
    csrf: String,
    /// Why the form is shown again, said at its top.
    problem: Option<String>,
}

/// Where to go after signing in: a path on this site, or the admin dashboard.
///
/// Our own links to the login page carry a plain path; anything else is not followed, nor is
/// anything a browser would read otherwise than it is written (it drops tabs and newlines,
/// and reads `\\` as `/`). What is left is resolved as a browser resolves a `Location`
/// (WHATWG URL parsing) and followed only when it stays on this site, as its path and query:
/// the parser has percent-encoded them, so they always make a valid header.
fn next_path(next: &str) -> String {
    const DASHBOARD: &str = "/admin";
    /// Longer than any address of this site; beyond it, a `next` is not worth following.
    const LONGEST: usize = 2048;
    let plain = next.starts_with('/') && !next.chars().any(|c| c.is_control() || c == '\\');
    let Ok(site) = Url::parse("http://verdict.invalid/") else {
        return DASHBOARD.into();
    };
    let target = match site.join(next) {
        Ok(target) if plain && target.origin() == site.origin() => target,
        _ => return DASHBOARD.into(),
    };
    let path = match target.query() {
        Some(query) => format!("{}?{query}", target.path()),
        None => target.path().to_owned(),
    };
    // `/..//host` resolves to the path `//host`, which a browser would take for another site.
    if path.starts_with("//") || path.len() > LONGEST {
        return DASHBOARD.into();
    }
    path
}

pub async fn form(req: HttpRequest, params: Params) -> Result<HttpResponse, PageError> {
    let session = req.get_session();
    if session::signed_in(&session).is_some() {
        return Ok(see_other("/admin"));
    }
    let csrf = session::csrf_token(&session)?;
    let next = params.get("next").unwrap_or_default();
    let page = LoginPage {
        layout: Layout::of(&req),
        form: FormState::new(Fields::new(vec![("next", next.to_owned())])),
        csrf,
        problem: None,
    };
    render_with(&page, StatusCode::OK)
}

fn render_with(page: &impl Template, status: StatusCode) -> Result<HttpResponse, PageError> {
    Ok(crate::web::render_with(status, page)?)
}

pub async fn submit(
    req: HttpRequest,
    db: web::Data<Db>,
    Form(fields): Form,
) -> Result<HttpResponse, PageError> {
    let email = fields.get("email").to_lowercase();
    let secret = fields.raw("password").to_owned();
    let address = client_address(&req);
    let keys = [
        throttle::account_key(&email),
        throttle::address_key(&address),
    ];

    // The attempt is counted before its password is checked, so that a burst of them gets
    // no more checks than the limit.
    let lookup = (email.clone(), keys.clone());
    let (wait, user) = db
        .run(move |conn| {
            let (email, [account, address]) = lookup;
            let wait = throttle::attempt(
                conn,
                &[
                    (&account, throttle::PER_ACCOUNT),
                    (&address, throttle::PER_ADDRESS),
                ],
            )?;
            let user = match wait {
                Some(_) => None,
                None => users::by_email(conn, &email)?,
            };
            Ok((wait, user))
        })
        .await?;
    let session = req.get_session();
    let csrf = session::csrf_token(&session)?;
    // The form is shown again with what was typed, the password excepted.
    let shown = Fields::new(
        fields
            .pairs()
            .iter()
            .filter(|(name, _)| name != "password")
            .cloned(),
    );
    if let Some(seconds) = wait {
        let minutes = seconds.div_ceil(60);
        let page = LoginPage {
            layout: Layout::of(&req),
            form: FormState::new(shown),
            csrf,
            problem: Some(format!(
                "Too many failed sign-ins for this account or from your address. \
                 Please try again in {}.",
                counted(minutes, "minute")
            )),
        };
        let mut response = render_with(&page, StatusCode::TOO_MANY_REQUESTS)?;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        return Ok(response);
    }

    let stored = user
        .as_ref()
        .filter(|u| !u.disabled)
        .map(|u| u.password_hash.clone());
    let matches = web::block(move || password::verify(&secret, stored.as_deref()))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;

    let [account, address] = keys;
    match user.filter(|_| matches) {
        Some(user) => {
            let starting = Starting::of(&req)?;
            let limits = session_limits(&req)?;
            let user_id = user.id;
            let starting = db
                .run(move |conn| {
                    throttle::clear(conn, &[&account, &address])?;
                    sessions::start(conn, &starting.for_user(user_id), &limits)?;
                    Ok(starting)
                })
                .await?;
            session::sign_in(&session, &user.signed_in(starting.token))?;
            if user.must_change_password {
                return Ok(see_other("/account/password"));
            }
            session::flash(&session, format!("Signed in as {}.", user.email))?;
            Ok(see_other(&next_path(fields.get("next"))))
        }
        None => {
            let page = LoginPage {
                layout: Layout::of(&req),
                form: FormState::new(shown),
                csrf,
                problem: Some("That email and password do not match an active account.".into()),
            };
            render_with(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Signs out: the session's row goes, so a copy of its cookie signs no one in anywhere.
pub async fn logout(
    req: HttpRequest,
    db: web::Data<Db>,
    _: Form,
) -> Result<HttpResponse, PageError> {
    let session = req.get_session();
    let signed_in = session::signed_in(&session);
    session::sign_out(&session);
    if let Some(signed_in) = signed_in {
        db.run(move |conn| sessions::end(conn, &signed_in.token))
            .await?;
    }
    Ok(see_other("/"))
}

#[derive(Template)]
#[template(path = "accounts/password.html")]
struct PasswordPage {
    layout: Layout,
    form: FormState,
    csrf: String,
    must_change: bool,
}

pub async fn password_form(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let user = signed_in_user(&req, true).await?.user;
    let page = PasswordPage {
        csrf: session::csrf_token(&req.get_session())?,
        layout: Layout::of(&req),
        form: FormState::default(),
        must_change: user.must_change_password,
    };
    render_with(&page, StatusCode::OK)
}

pub async fn change_password(
    req: HttpRequest,
    db: web::Data<Db>,
    Form(fields): Form,
) -> Result<HttpResponse, PageError> {
    let user = signed_in_user(&req, true).await?.user;
    let user_id = user.id;

    let current = fields.raw("current_password").to_owned();
    let new = fields.raw("new_password").to_owned();
    let mut errors = Vec::new();
    if let Err(e) = password::check_new(&new) {
        errors.push(FieldError::new("new_password", e));
    } else if new == current {
        errors.push(FieldError::new(
            "new_password",
            "must differ from the current one",
        ));
    }
    if fields.raw("confirm_password") != new {
        errors.push(FieldError::new(
            "confirm_password",
            "does not match the new password",
        ));
    }
    let stored = user.password_hash.clone();
    let checked = current.clone();
    let current_ok = web::block(move || password::verify(&checked, Some(&stored)))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    if !current_ok {
        errors.insert(
            0,
            FieldError::new("current_password", "is not your current password"),
        );
    }
    if !errors.is_empty() {
        let page = PasswordPage {
            csrf: session::csrf_token(&req.get_session())?,
            layout: Layout::of(&req),
            form: FormState::with_errors(Fields::default(), errors).labelled([
                ("current_password", "Current password"),
                ("new_password", "New password"),
                ("confirm_password", "New password, again"),
            ]),
            must_change: user.must_change_password,
        };
        return render_with(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }

    let hash = password::hash_blocking(new).await?;
    let starting = Starting::of(&req)?;
    let limits = session_limits(&req)?;
    let actor = user.actor();
    let version = user.version;
    // The new password ends every session of the account, this one too; this browser goes on
    // in a new one.
    let (updated, starting) = db
        .run(move |conn| {
            db::write(conn, |conn| {
                let change = UserUpdate {
                    password: Some((&hash, false)),
                    ..UserUpdate::default()
                };
                let updated = user_updates::update(conn, &actor, user_id, Some(version), &change)?;
                let user = users::by_id(conn, user_id)?;
                if let (Updated::Done(_), Some(user)) = (&updated, &user) {
                    sessions::start(conn, &starting.for_user(user.id), &limits)?;
                }
                Ok(((updated, user), starting))
            })
        })
        .await?;
    match updated {
        (Updated::Done(_), Some(user)) => {
            let session = req.get_session();
            session::sign_in(&session, &user.signed_in(starting.token))?;
            session::flash(
                &session,
                "Your password has been changed, and your other sessions have been signed out.",
            )?;
            Ok(see_other("/admin"))
        }
        (Updated::Stale, _) => Err(AppError::Conflict(
            "Your account changed while you were typing (perhaps in another window). \
             Please try again."
                .into(),
        )
        .into()),
        _ => Err(AppError::sign_in_required(&req).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::next_path;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            next_path("/admin/technologies?page=2"),
            "/admin/technologies?page=2"
        );
        assert_eq!(next_path("/admin/users/3"), "/admin/users/3");
        assert_eq!(next_path("/admin/../compare"), "/compare");
        assert_eq!(next_path("/caf\u{e9} au lait"), "/caf%C3%A9%20au%20lait");
        assert_eq!(next_path("/admin%0a"), "/admin%0a");
        assert_eq!(next_path(""), "/admin");
        assert_eq!(next_path("admin"), "/admin");
    }

    #[test]
    fn nothing_hostile_is_followed() {
        for next in [
            "https://evil.example/",
            "//evil.example/",
            "///evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            "/\x0b/evil.example",
            "\x0b//evil.example",
            " //evil.example",
            "/..//evil.example",
            "/./..//evil.example",
            "/admin/../..//evil.example",
            "/%2e%2e//evil.example",
            "https:evil.example",
            "https:/evil.example",
            "http:evil.example",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "http://verdict.invalid@evil.example/",
            "ftp://evil.example/",
            "/admin\n",
            "/adm\x0bin",
            "/admin?q=\r\nSet-Cookie:x",
            "/\u{0}",
            "/\u{85}",
        ] {
            assert_eq!(next_path(next), "/admin", "{next:?}");
        }
    }

    #[test]
    fn what_is_followed_is_always_a_valid_location_on_this_site() {
        for next in [
            "/admin%0d%0aSet-Cookie:%20x=1",
            "/a b",
            "/\u{2028}x",
            "/\u{fe0f}",
            "/%2F%2Fevil.example",
            "/?next=//evil.example",
        ] {
            let path = next_path(next);
            assert!(
                actix_web::http::header::HeaderValue::from_str(&path).is_ok()
                    && path.starts_with('/')
                    && !path.starts_with("//")
                    && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\'),
                "{next:?} gave {path:?}"
            );
        }
    }

    #[test]
    fn a_very_long_next_goes_to_the_dashboard() {
        let long = format!("/admin?q={}", "a".repeat(10_000));
        assert_eq!(next_path(&long), "/admin");
    }
}
