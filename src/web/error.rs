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

use crate::db::DbError;
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
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("invalid query parameters")]
    InvalidParameters(Vec<FieldError>),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("page rendering failed")]
    Render(#[from] askama::Error),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::InvalidParameters(_) => StatusCode::BAD_REQUEST,
            Self::Database(_) | Self::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What a reader is told; never the internal cause.
    fn detail(&self) -> &'static str {
        match self {
            Self::NotFound => "There is nothing at this address.",
            Self::MethodNotAllowed => "This address can only be read, with GET or HEAD.",
            Self::InvalidParameters(_) => "Some query parameters are not valid.",
            Self::Database(_) | Self::Render(_) => {
                "Something went wrong on our side. It has been logged; please try again."
            }
        }
    }

    fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::InvalidParameters(errors) => errors,
            _ => &[],
        }
    }

    fn log(&self) {
        if self.status().is_server_error() {
            log::error!("{}", CauseChain(self));
        }
    }
}

/// A 405 says which methods the address takes: every resource so far is read-only.
fn with_allow(mut response: HttpResponse) -> HttpResponse {
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    }
    response
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
        with_allow(
            HttpResponse::build(self.status_code())
                .content_type(ContentType::plaintext())
                .body(self.0.detail()),
        )
    }
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    status: StatusCode,
    detail: &'a str,
    errors: &'a [FieldError],
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
    let page = ErrorPage {
        layout: Layout::of(res.request()),
        status: error.status_code(),
        detail: error.0.detail(),
        errors: error.0.field_errors(),
    };
    match page.render() {
        Ok(body) => {
            let response = with_allow(
                HttpResponse::build(page.status)
                    .content_type(ContentType::html())
                    .body(body),
            );
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
        with_allow(problem(
            self.status_code(),
            self.0.detail(),
            self.0.field_errors(),
        ))
    }
}
