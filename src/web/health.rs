//! `/healthz`: the process is up. `/readyz`: the database answers and is fully migrated.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::db::{Db, Readiness};

/// Seconds a load balancer or client should wait before asking again.
pub const RETRY_AFTER_S: u32 = 2;

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// 200 `ready`, or 503 saying why not: the database is unreachable (with the driver's
/// reason) or its migrations are pending. It answers within about a second either way.
pub async fn readyz(db: web::Data<Db>) -> HttpResponse {
    let unready = |reason: String| {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .insert_header((header::RETRY_AFTER, RETRY_AFTER_S))
            .body(reason)
    };
    match db.readiness().await {
        Readiness::Ready => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Readiness::MigrationsPending => unready("database migrations pending".into()),
        Readiness::Unreachable(reason) => {
            log::warn!("readiness check failed: the database is unreachable: {reason}");
            unready(format!("database unreachable: {reason}"))
        }
    }
}
