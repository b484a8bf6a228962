//! The ground every capability stands on: errors, query parameters and pagination, the
//! layout, static assets and health checks. Nothing here knows about a capability.

pub mod assets;
pub mod cache;
pub mod error;
pub mod health;
pub mod layout;
pub mod params;

use actix_web::HttpResponse;
use actix_web::http::header::ContentType;
use askama::Template;

pub use error::{ApiError, AppError, PageError};
pub use layout::Layout;
pub use params::{Paginated, Params};

/// Renders a page template into a 200 response.
pub fn render(page: &impl Template) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .content_type(ContentType::html())
        .body(page.render()?))
}
