//! Sessions in signed, encrypted cookies (any instance can serve any request), the
//! signed-in user as the session remembers them, and the synchronizer CSRF token. A signed-in
//! session also has a row in the database, named by a token the cookie holds, so that it can
//! be ended on the server (see `accounts::sessions`).

use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::storage::CookieSessionStore;
use actix_session::{Session, SessionExt, SessionMiddleware};
use actix_web::HttpRequest;
use actix_web::cookie::{Key, SameSite};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// The session cookie. A request carrying it may see per-user pages, so it is never
/// answered from the response cache.
pub const SESSION_COOKIE: &str = "verdict_session";

const USER: &str = "user";
const CSRF: &str = "csrf";
const FLASH: &str = "flash";

pub fn middleware(key: Key, secure: bool) -> SessionMiddleware<CookieSessionStore> {
    SessionMiddleware::builder(CookieSessionStore::default(), key)
        .cookie_name(SESSION_COOKIE.to_owned())
        .cookie_content_security(CookieContentSecurity::Private)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_secure(secure)
        .session_lifecycle(BrowserSession::default())
        .build()
}

/// What someone signed in may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including accounts and API tokens.
    Admin,
    /// The content.
    Editor,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Admin, Role::Editor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
        }
    }

    pub fn parse(value: &str) -> Result<Self, String> {
        match value {
            "admin" => Ok(Role::Admin),
            "editor" => Ok(Role::Editor),
            _ => Err(format!("must be admin or editor, not `{value}`")),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The signed-in user as the session holds them. Enough for the layout; whether the session
/// is still alive (and the account still active) is checked against the database wherever
/// the user acts.
#[derive(Clone, Serialize, Deserialize)]
pub struct SignedIn {
    pub user_id: i32,
    pub email: String,
    pub role: Role,
    /// The random token whose SHA-256 names the session's row in the database. Only the
    /// (encrypted) cookie holds it.
    pub token: String,
}

/// Everything but the token, which must never reach a log.
impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn")
            .field("user_id", &self.user_id)
            .field("email", &self.email)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

pub fn signed_in(session: &Session) -> Option<SignedIn> {
    session.get(USER).ok().flatten()
}

/// Starts a new session for `user`: a fresh cookie and a fresh CSRF token.
pub fn sign_in(session: &Session, user: &SignedIn) -> anyhow::Result<()> {
    session.renew();
    session.clear();
    session.insert(USER, user)?;
    session.insert(CSRF, random_token(32)?)?;
    Ok(())
}

pub fn sign_out(session: &Session) {
    session.purge();
}

/// The session's CSRF token, made on first use.
pub fn csrf_token(session: &Session) -> anyhow::Result<String> {
    if let Some(token) = session.get::<String>(CSRF).ok().flatten() {
        return Ok(token);
    }
    let token = random_token(32)?;
    session.insert(CSRF, &token)?;
    Ok(token)
}

/// The CSRF token for a form on the page answering `req`.
pub fn form_token(req: &HttpRequest) -> anyhow::Result<String> {
    csrf_token(&req.get_session())
}

/// Leaves a message for the page that the browser is sent to next.
pub fn flash_next(req: &HttpRequest, message: impl Into<String>) -> anyhow::Result<()> {
    flash(&req.get_session(), message)
}

/// The session's CSRF token if it has one: for the layout, which must not start a session.
pub fn existing_csrf_token(session: &Session) -> Option<String> {
    session.get(CSRF).ok().flatten()
}

/// Whether `submitted` is the session's CSRF token, compared in constant time.
pub fn csrf_matches(session: &Session, submitted: &str) -> bool {
    existing_csrf_token(session)
        .is_some_and(|token| bool::from(token.as_bytes().ct_eq(submitted.as_bytes())))
}

/// Leaves a message for the next page the user sees (after a redirect).
pub fn flash(session: &Session, message: impl Into<String>) -> anyhow::Result<()> {
    session.insert(FLASH, message.into())?;
    Ok(())
}

/// The message left for this page, if any; it is shown once.
pub fn take_flash(session: &Session) -> Option<String> {
    session
        .contains_key(FLASH)
        .then(|| session.remove_as(FLASH).and_then(Result::ok))
        .flatten()
}

/// Whether the request carries a session cookie at all.
pub fn has_session_cookie(req: &HttpRequest) -> bool {
    req.cookie(SESSION_COOKIE).is_some()
}

/// `bytes` random bytes from the operating system, as lowercase hex.
pub fn random_token(bytes: usize) -> Result<String, NoRandomness> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(NoRandomness)?;
    Ok(hex(&buffer))
}

#[derive(Debug, thiserror::Error)]
#[error("the operating system gave no random bytes: {0}")]
pub struct NoRandomness(getrandom::Error);

impl actix_web::ResponseError for NoRandomness {}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_of_the_asked_length() {
        let a = random_token(32).expect("random bytes");
        let b = random_token(32).expect("random bytes");
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn hex_is_lowercase_and_zero_padded() {
        assert_eq!(hex(&[0, 9, 171, 255]), "0009abff");
    }

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("reader").is_err());
    }
}
