//! The ground every capability stands on: errors, query parameters and pagination, the
//! layout, sessions, CSRF-checked forms, who is acting, static assets and health checks.
//! Nothing here knows about a capability.

pub mod assets;
pub mod auth;
pub mod cache;
pub mod error;
pub mod form;
pub mod health;
pub mod layout;
pub mod params;
pub mod session;
pub mod upload;

use std::marker::PhantomData;

use actix_web::body::EitherBody;
use actix_web::dev::{HttpServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::{FromRequest, Handler, HttpResponse, Responder, ResponseError, guard, web};
use askama::Template;

pub use error::{ApiError, AppError, PageError};
pub use layout::Layout;
pub use params::{Paginated, Params};

/// Renders a page template into a 200 response.
pub fn render(page: &impl Template) -> Result<HttpResponse, AppError> {
    render_with(StatusCode::OK, page)
}

/// Renders a page template into a response with `status` (a form shown again: 422, 409…).
pub fn render_with(status: StatusCode, page: &impl Template) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type(ContentType::html())
        .body(page.render()?))
}

/// A middleware's refusal as a response rather than an error, so that the middleware
/// further out still see it: error pages get the layout, every response its headers.
pub fn refuse<B>(
    req: ServiceRequest,
    error: impl Into<actix_web::Error>,
) -> ServiceResponse<EitherBody<B>> {
    req.error_response(error).map_into_right_body()
}

/// A file to download: `content_type`, saved as `filename`; the caller adds the body.
pub fn attachment(content_type: &str, filename: String) -> actix_web::HttpResponseBuilder {
    use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
    let mut response = HttpResponse::Ok();
    response
        .insert_header((actix_web::http::header::CONTENT_TYPE, content_type))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        });
    response
}

/// POST-redirect-GET: a form's answer sends the browser to `location` with a GET.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

/// A page at `path`: `handler` answers GET and HEAD; add form handlers with
/// [`Endpoint::post`]. Other methods get a 405 page.
pub fn page<F, Args>(path: &str, handler: F) -> Endpoint<PageError>
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    Endpoint::new(path).get(handler)
}

/// A form's address that only takes POST (a button's action, such as signing out).
pub fn action<F, Args>(path: &str, handler: F) -> Endpoint<PageError>
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    Endpoint::new(path).post(handler)
}

/// An API resource at `path`: `handler` answers GET and HEAD; add writes with
/// [`Endpoint::post`], [`Endpoint::put`], …. Other methods get a 405 problem.
pub fn api<F, Args>(path: &str, handler: F) -> Endpoint<ApiError>
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    Endpoint::new(path).get(handler)
}

/// An API address that only takes POST: a computation rather than a resource.
pub fn api_action<F, Args>(path: &str, handler: F) -> Endpoint<ApiError>
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    Endpoint::new(path).post(handler)
}

/// A resource and the methods it takes; any other method is refused with a 405 (as `E`
/// shows it) that lists them in `Allow`.
pub struct Endpoint<E> {
    resource: actix_web::Resource,
    allow: Vec<&'static str>,
    error: PhantomData<E>,
}

impl<E> Endpoint<E>
where
    E: From<AppError> + ResponseError + 'static,
{
    fn new(path: &str) -> Self {
        Self {
            resource: web::resource(path),
            allow: Vec::new(),
            error: PhantomData,
        }
    }

    fn route<F, Args>(
        mut self,
        methods: &[&'static str],
        guard: impl guard::Guard + 'static,
        handler: F,
    ) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.allow.extend(methods);
        self.resource = self.resource.route(web::route().guard(guard).to(handler));
        self
    }

    pub fn get<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(
            &["GET", "HEAD"],
            guard::Any(guard::Get()).or(guard::Head()),
            handler,
        )
    }

    pub fn post<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(&["POST"], guard::Post(), handler)
    }

    pub fn put<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(&["PUT"], guard::Put(), handler)
    }

    pub fn patch<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(&["PATCH"], guard::Patch(), handler)
    }

    pub fn delete<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(&["DELETE"], guard::Delete(), handler)
    }
}

impl<E> HttpServiceFactory for Endpoint<E>
where
    E: From<AppError> + ResponseError + 'static,
{
    fn register(self, config: &mut actix_web::dev::AppService) {
        let allow = self.allow.join(", ");
        self.resource
            .default_service(web::to(move || {
                let allow = allow.clone();
                async move { Err::<HttpResponse, E>(E::from(AppError::MethodNotAllowed(allow))) }
            }))
            .register(config);
    }
}
