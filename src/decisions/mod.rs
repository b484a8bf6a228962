//! Decision records: what was decided among which technologies, why, and on what facts. A
//! decision keeps a snapshot of its options' facts as they stood when it was recorded, so
//! that later edits to the catalog never rewrite it; its page says what has changed since.
//! Pages, a Markdown export in the MADR layout, admin forms and the JSON API.

pub mod admin;
pub mod advice;
pub mod api;
pub mod changes;
pub mod edit;
pub mod markdown;
pub mod model;
pub mod pages;
pub mod params;
pub mod queries;
pub mod rules;
pub mod snapshot;

use actix_web::web;

use crate::decisions::edit::Decision;
use crate::editing::api::{create, delete, patch, replace};
use crate::editing::pages::forms;
use crate::web::{api as resource, page};

pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/decisions", pages::list))
        .service(page(r"/decisions/{id:\d+}", pages::decision));
}

/// The Markdown download. Mounted outside the response cache, which keeps only a
/// response's type and ETag: a cached copy would lose its `Content-Disposition`.
pub fn downloads(cfg: &mut web::ServiceConfig) {
    cfg.service(page(r"/decisions/{id:\d+}.md", pages::markdown));
}

/// The forms, under `/admin`.
pub fn admin(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/decisions", admin::list));
    forms::<Decision>(cfg);
}

pub fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/decisions", api::decisions).post(create::<Decision>))
        .service(
            resource("/decisions/{id}", api::decision)
                .put(replace::<Decision>)
                .patch(patch::<Decision>)
                .delete(delete::<Decision>),
        );
}
