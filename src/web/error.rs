//! Errors at the HTTP edge. Handlers fail with an [`AppError`]; pages wrap it in
//! [`PageError`] (an error page in the site's layout) and the API in [`ApiError`]
//! (`application/problem+json`, RFC 9457). Readers see a helpful message; the log sees
//! the cause chain; nobody sees SQL or a stack trace.

use std::fmt;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use serde::Serialize;

use crate::db::{Constraint, DbError};
use crate::web::health::RETRY_AFTER_S;
use crate::web::layout::Layout;

/// A problem with one named input: a query parameter now, a form field later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub name: String,
    pub detail: String,
}

impl FieldError {
    pub fn new(name: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            detail: detail.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// A page of a list beyond its last: what to say, and the address of the last page.
    #[error("page past the end")]
    PastTheEnd { detail: String, last: String },
    /// The methods the address takes, for the `Allow` header.
    #[error("method not allowed")]
    MethodNotAllowed(String),
    #[error("invalid query parameters")]
    InvalidParameters(Vec<FieldError>),
    /// An address holding what none of ours holds: a control character.
    #[error("invalid path")]
    InvalidPath,
    /// A submitted body (JSON) whose fields are not valid.
    #[error("invalid fields")]
    InvalidFields(Vec<FieldError>),
    #[error("malformed body: {0}")]
    MalformedBody(String),
    #[error("body too large")]
    BodyTooLarge,
    /// A body of a type the address does not take; the detail says which it does.
    #[error("unsupported media type")]
    UnsupportedMediaType(&'static str),
    /// A page needs someone signed in: they are sent to the login page, then back to `next`.
    #[error("sign-in required")]
    SignInRequired { next: String },
    /// The signed-in user must choose a new password before anything else.
    #[error("password change required")]
    PasswordChangeRequired,
    /// The API needs a valid token.
    #[error("authentication required")]
    Unauthorized,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The item changed since the client read it (`If-Match`).
    #[error("precondition failed")]
    PreconditionFailed,
    /// The request cannot be done as the item stands, e.g. deleting what others depend on.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("page rendering failed")]
    Render(#[from] askama::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// The login page's answer to a request that needs someone signed in.
    pub fn sign_in_required(req: &actix_web::HttpRequest) -> Self {
        let next = match req.query_string() {
            "" => req.path().to_owned(),
            query => format!("{}?{query}", req.path()),
        };
        Self::SignInRequired { next }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound | Self::PastTheEnd { .. } => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::InvalidParameters(_) | Self::InvalidPath | Self::MalformedBody(_) => {
                StatusCode::BAD_REQUEST
            }
            Self::InvalidFields(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::SignInRequired { .. } | Self::PasswordChangeRequired => StatusCode::SEE_OTHER,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Database(error) if error.is_unavailable() => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(error) if error.constraint().is_some() => StatusCode::CONFLICT,
            Self::Database(_) | Self::Render(_) | Self::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// What a reader is told; never the internal cause.
    fn detail(&self) -> &str {
        match self {
            Self::NotFound => "There is nothing at this address.",
            Self::PastTheEnd { detail, .. } => detail,
            Self::MethodNotAllowed(_) => "This address does not take this method.",
            Self::InvalidParameters(_) => "Some query parameters are not valid.",
            Self::InvalidPath => {
                "This address holds a control character, which no address here has."
            }
            Self::InvalidFields(_) => "Some fields are not valid.",
            Self::MalformedBody(reason) => reason,
            Self::BodyTooLarge => "The request body is too large.",
            Self::UnsupportedMediaType(detail) => detail,
            Self::SignInRequired { .. } | Self::PasswordChangeRequired => {
                "Please sign in to continue."
            }
            Self::Unauthorized => {
                "This needs a valid API token: send it as `Authorization: Bearer <token>`."
            }
            Self::Forbidden(reason) => reason,
            Self::PreconditionFailed => {
                "The item has changed since you read it (If-Match does not match its ETag). \
                 Read it again and reapply your change."
            }
            Self::Conflict(reason) => reason,
            Self::TooManyRequests { .. } => {
                "Too many failed attempts. Please wait a little before trying again."
            }
            Self::Database(error) if error.is_unavailable() => {
                "The database is unreachable or too busy at the moment. Please try again in a few seconds."
            }
            Self::Database(error) => match error.constraint() {
                Some(Constraint::Unique) => {
                    "Something with the same name or address was saved at the same moment. \
                     Reload, check what is there now, and try again."
                }
                Some(Constraint::Reference) => {
                    "Something this refers to (or that refers to it) was changed at the same \
                     moment. Reload, check what is there now, and try again."
                }
                Some(Constraint::Check) => {
                    "This no longer fits what was saved at the same moment. Reload, check \
                     what is there now, and try again."
                }
                None => "Something went wrong on our side. It has been logged; please try again.",
            },
            Self::Render(_) | Self::Internal(_) => {
                "Something went wrong on our side. It has been logged; please try again."
            }
        }
    }

    fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::InvalidParameters(errors) | Self::InvalidFields(errors) => errors,
            _ => &[],
        }
    }

    /// Headers the status calls for: `Allow` on a 405, `Retry-After` on a 429, where to go
    /// for a redirect, and the scheme on a 401.
    fn headers(&self, response: &mut HttpResponse) {
        let headers = response.headers_mut();
        let mut set = |name, value: String| {
            if let Ok(value) = HeaderValue::try_from(value) {
                headers.insert(name, value);
            }
        };
        match self {
            Self::MethodNotAllowed(allow) => set(header::ALLOW, allow.clone()),
            Self::TooManyRequests { retry_after } => {
                set(header::RETRY_AFTER, retry_after.to_string())
            }
            Self::Database(error) if error.is_unavailable() => {
                set(header::RETRY_AFTER, RETRY_AFTER_S.to_string())
            }
            Self::SignInRequired { next } => set(
                header::LOCATION,
                format!(
                    "/login?{}",
                    form_urlencoded::Serializer::new(String::new())
                        .append_pair("next", next)
                        .finish()
                ),
            ),
            Self::PasswordChangeRequired => set(header::LOCATION, "/account/password".into()),
            Self::Unauthorized => set(header::WWW_AUTHENTICATE, "Bearer".into()),
            _ => {}
        }
    }

    fn log(&self) {
        match self {
            // An outage, or a write that lost a race: expected, and answered as such.
            Self::Database(error) if error.is_unavailable() || error.constraint().is_some() => {
                log::warn!("{}", CauseChain(self));
            }
            _ if self.status().is_server_error() => log::error!("{}", CauseChain(self)),
            _ => {}
        }
    }
}

/// Prints an error with every cause behind it, for the log.
struct CauseChain<'a>(&'a dyn std::error::Error);

impl fmt::Display for CauseChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

/// An error answered as a page. Its response is plain text until [`render_error_pages`],
/// which can see the request and so build the layout, replaces it with a page.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct PageError(AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(error: E) -> Self {
        Self(error.into())
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.log();
        let mut response = HttpResponse::build(self.status_code())
            .content_type(ContentType::plaintext())
            .body(self.0.detail().to_owned());
        self.0.headers(&mut response);
        response
    }
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    status: StatusCode,
    detail: &'a str,
    errors: &'a [FieldError],
    /// Where the reader may have meant to go: a list's last page.
    instead: Option<&'a str>,
}

/// Middleware for the pages: a [`PageError`] becomes an error page in the site's layout.
pub async fn render_error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let res = next.call(req).await?;
    let Some(error) = res
        .response()
        .error()
        .and_then(|e| e.as_error::<PageError>())
    else {
        return Ok(res.map_into_left_body());
    };
    if error.status_code().is_redirection() {
        return Ok(res.map_into_left_body());
    }
    let page = ErrorPage {
        layout: Layout::of(res.request()),
        status: error.status_code(),
        detail: error.0.detail(),
        errors: error.0.field_errors(),
        instead: match &error.0 {
            AppError::PastTheEnd { last, .. } => Some(last),
            _ => None,
        },
    };
    match page.render() {
        Ok(body) => {
            let mut response = HttpResponse::build(page.status)
                .content_type(ContentType::html())
                .body(body);
            error.0.headers(&mut response);
            Ok(res.into_response(response).map_into_right_body())
        }
        Err(e) => {
            log::error!("error page rendering failed: {e}");
            Ok(res.map_into_left_body())
        }
    }
}

/// An error answered as `application/problem+json`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        Self(error.into())
    }
}

#[derive(Serialize)]
pub struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [FieldError],
}

pub const PROBLEM_JSON: &str = "application/problem+json";

pub fn problem(status: StatusCode, detail: &str, errors: &[FieldError]) -> HttpResponse {
    let body = Problem {
        kind: "about:blank",
        title: status.canonical_reason().unwrap_or("Error"),
        status: status.as_u16(),
        detail,
        errors,
    };
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
        .json(body)
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.log();
        let mut response = problem(self.status_code(), self.0.detail(), self.0.field_errors());
        self.0.headers(&mut response);
        response
    }
}
