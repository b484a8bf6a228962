//! Who is acting, once the accounts module has checked them: a signed-in user for the admin
//! pages, or an API token for the JSON API. Handlers ask for the right they need by
//! extractor ([`Editor`], [`Admin`], [`ApiWriter`]); the check itself happens in the
//! middleware that inserted the [`Principal`] (see `accounts`).

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::audit::{Actor, Via};
use crate::web::error::{ApiError, AppError, PageError};
use crate::web::session::Role;

/// A checked user or token, kept in the request's extensions.
#[derive(Debug, Clone)]
pub struct Principal {
    pub actor: Actor,
    pub role: Role,
    /// False for a read-only API token.
    pub can_write: bool,
}

impl Principal {
    pub fn of(req: &HttpRequest) -> Option<Principal> {
        req.extensions().get::<Principal>().cloned()
    }
}

/// A signed-in editor or admin, through the forms.
#[derive(Debug, Clone)]
pub struct Editor(pub Principal);

/// A signed-in admin, through the forms.
#[derive(Debug, Clone)]
pub struct Admin(pub Principal);

/// An API client whose token may write.
#[derive(Debug, Clone)]
pub struct ApiWriter(pub Actor);

impl Editor {
    pub fn actor(&self) -> &Actor {
        &self.0.actor
    }
}

impl Admin {
    pub fn actor(&self) -> &Actor {
        &self.0.actor
    }
}

fn signed_in(req: &HttpRequest) -> Result<Principal, AppError> {
    Principal::of(req)
        .filter(|p| p.actor.via == Via::Form)
        .ok_or_else(|| AppError::sign_in_required(req))
}

impl FromRequest for Editor {
    type Error = PageError;
    type Future = Ready<Result<Self, PageError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(signed_in(req).map(Editor).map_err(PageError::from))
    }
}

impl FromRequest for Admin {
    type Error = PageError;
    type Future = Ready<Result<Self, PageError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            signed_in(req)
                .map_err(PageError::from)
                .and_then(|p| match p.role {
                    Role::Admin => Ok(Admin(p)),
                    Role::Editor => {
                        Err(AppError::Forbidden("Only an administrator can do this.").into())
                    }
                }),
        )
    }
}

impl FromRequest for ApiWriter {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let principal = Principal::of(req).filter(|p| p.actor.via == Via::Api);
        ready(match principal {
            None => Err(AppError::Unauthorized.into()),
            Some(p) if p.can_write => Ok(ApiWriter(p.actor)),
            Some(_) => Err(AppError::Forbidden("This API token may only read.").into()),
        })
    }
}
