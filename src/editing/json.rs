//! A JSON write's body, checked before any handler sees it.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use serde_json::Value;

use crate::web::form::{body_error, json_refused_characters};
use crate::web::{ApiError, AppError};

/// A request body that is JSON: `application/json` (otherwise 415), within the limit
/// (otherwise 413), decoded (otherwise 400), well formed (otherwise 400, saying where it
/// breaks), and with no control character but tab, CR and LF in any string (otherwise 422,
/// naming the member).
pub struct JsonBody(pub Value);

impl FromRequest for JsonBody {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .mime_type()
            .ok()
            .flatten()
            .is_some_and(|mime| mime.essence_str() == "application/json");
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::from(AppError::UnsupportedMediaType(
                    "The body must be JSON, sent with `Content-Type: application/json`.",
                ))
                .into());
            }
            // actix-web's default limit applies: 256 KiB.
            let body = body.await.map_err(|e| ApiError::from(body_error(e)))?;
            let value = serde_json::from_slice(&body).map_err(|e| {
                ApiError::from(AppError::MalformedBody(format!(
                    "The body is not valid JSON: {e}."
                )))
            })?;
            match json_refused_characters(&value) {
                errors if errors.is_empty() => Ok(JsonBody(value)),
                errors => Err(ApiError::from(AppError::InvalidFields(errors)).into()),
            }
        })
    }
}
