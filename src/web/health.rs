//! `/healthz`: the process is up. `/readyz`: the database answers and is fully migrated.

use actix_web::{HttpResponse, web};

use crate::db::{self, Db};

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

pub async fn readyz(db: web::Data<Db>) -> HttpResponse {
    match db.run(|conn| Ok(db::is_migrated(conn))).await {
        Ok(true) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Ok(false) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database migrations pending"),
        Err(e) => {
            log::warn!("readiness check failed: {e}");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unreachable")
        }
    }
}
