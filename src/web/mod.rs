//! The ground every capability stands on: errors, query parameters and pagination, the
//! layout, static assets and health checks. Nothing here knows about a capability.

pub mod assets;
pub mod cache;
pub mod error;
pub mod health;
pub mod layout;
pub mod params;

use actix_web::dev::HttpServiceFactory;
use actix_web::http::header::ContentType;
use actix_web::{FromRequest, Handler, HttpResponse, Responder, ResponseError, guard, web};
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

/// A page at `path`: `handler` answers GET and HEAD, other methods get a 405 page.
pub fn page<F, Args>(path: &str, handler: F) -> impl HttpServiceFactory + use<F, Args>
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    read_only::<PageError, _, _>(path, handler)
}

/// An API resource at `path`: `handler` answers GET and HEAD, other methods get a 405 problem.
pub fn api<F, Args>(path: &str, handler: F) -> impl HttpServiceFactory + use<F, Args>
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    read_only::<ApiError, _, _>(path, handler)
}

/// A resource read with GET or HEAD; any other method is refused with a 405 as `E` shows it.
fn read_only<E, F, Args>(path: &str, handler: F) -> actix_web::Resource
where
    E: From<AppError> + ResponseError + 'static,
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    web::resource(path)
        .route(
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(handler),
        )
        .default_service(web::to(|| async {
            Err::<HttpResponse, E>(E::from(AppError::MethodNotAllowed))
        }))
}
