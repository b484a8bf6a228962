//! Where handlers are mounted: pages, form actions and API resources, each refusing the
//! methods it does not take with a 405 that lists those it does.

use std::marker::PhantomData;

use actix_web::dev::HttpServiceFactory;
use actix_web::{FromRequest, Handler, HttpResponse, Responder, ResponseError, guard, web};

use crate::web::error::{ApiError, AppError, PageError};

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
