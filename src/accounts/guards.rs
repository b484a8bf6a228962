//! Who is asking: the signed-in user a session cookie names, and the holder of an API
//! token, each checked against the database and put on the request as its principal.

use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, web};

use crate::accounts::{sessions, tokens};
use crate::audit::{Actor, Via};
use crate::db::Db;
use crate::web::auth::Principal;
use crate::web::error::{ApiError, AppError, PageError};
use crate::web::refuse;
use crate::web::session::{self, Role};

/// How long sessions last, as configured.
pub fn session_limits(req: &HttpRequest) -> Result<sessions::Limits, AppError> {
    req.app_data::<web::Data<sessions::Limits>>()
        .map(|limits| *limits.get_ref())
        .ok_or_else(|| anyhow::anyhow!("no session limits in the application's data").into())
}

/// The session a request's cookie names, and its user, checked against the database: the
/// session's row exists and has neither gone unused nor lasted too long, and the account is
/// active. A session that fails is ended.
pub async fn signed_in_user(
    req: &HttpRequest,
    allow_password_change: bool,
) -> Result<sessions::Active, AppError> {
    let session = req.get_session();
    let Some(signed_in) = session::signed_in(&session) else {
        return Err(AppError::sign_in_required(req));
    };
    let db = req
        .app_data::<web::Data<Db>>()
        .ok_or_else(|| anyhow::anyhow!("no database in the application's data"))?;
    let limits = session_limits(req)?;
    let user_id = signed_in.user_id;
    let active = db
        .run(move |conn| sessions::check(conn, &signed_in.token, &limits))
        .await?;
    let Some(active) = active.filter(|active| active.user.id == user_id) else {
        session::sign_out(&session);
        return Err(AppError::sign_in_required(req));
    };
    if active.user.must_change_password && !allow_password_change {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(active)
}

/// Middleware for `/admin`: only a signed-in, active user gets through; anyone else is sent
/// to the login page (and back afterwards).
pub async fn require_user(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    match signed_in_user(req.request(), false).await {
        Ok(sessions::Active { user, .. }) => {
            req.extensions_mut().insert(Principal {
                actor: user.actor(),
                role: user.role(),
                can_write: true,
            });
            Ok(next.call(req).await?.map_into_left_body())
        }
        Err(error) => Ok(refuse(req, PageError::from(error))),
    }
}

/// Middleware for the API: a request with `Authorization: Bearer …` must carry a valid token,
/// which then acts for it. Reading needs no token.
pub async fn bearer_tokens(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let Some(authorization) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let secret = authorization
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| token.trim().to_owned())
        .filter(|token| !token.is_empty());
    let holder = match secret {
        None => None,
        Some(secret) => match req.app_data::<web::Data<Db>>() {
            None => {
                return Ok(refuse(
                    req,
                    ApiError::from(anyhow::anyhow!("no database in the application's data")),
                ));
            }
            Some(db) => match db
                .run(move |conn| tokens::authenticate(conn, &secret))
                .await
            {
                Ok(holder) => holder,
                Err(error) => return Ok(refuse(req, ApiError::from(error))),
            },
        },
    };
    let Some(holder) = holder else {
        return Ok(refuse(req, ApiError::from(AppError::Unauthorized)));
    };
    req.extensions_mut().insert(Principal {
        actor: Actor {
            user_id: Some(holder.user_id),
            name: format!("token “{}”", holder.token_name),
            via: Via::Api,
        },
        role: Role::parse(&holder.role).unwrap_or(Role::Editor),
        can_write: holder.scope == tokens::Scope::ReadWrite,
    });
    Ok(next.call(req).await?.map_into_left_body())
}
