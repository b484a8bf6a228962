//! Benchmark evidence: scenarios (what was measured), environments (where), runs imported
//! from load tools' output and their results per technology, ranked and drawn as charts.
//! Editors import files at `/admin/benchmarks/import`, tools at
//! `POST /api/v1/benchmarks/imports`; both preview what will be stored.

pub mod admin;
pub mod api;
pub mod chart;
pub mod environments;
pub mod import;
pub mod model;
pub mod pages;
pub mod params;
pub mod parse;
pub mod queries;
pub mod scenarios;

use actix_web::web;

use crate::benchmarks::environments::Environment;
use crate::benchmarks::scenarios::Scenario;
use crate::editing::api::{create, delete, patch, replace};
use crate::editing::pages::kind;
use crate::web::{action, api as resource, page};

pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/benchmarks", pages::list))
        .service(page(r"/benchmarks/runs/{id:\d+}", pages::run))
        .service(page("/benchmarks/{scenario}", pages::scenario));
}

/// The original files. Mounted outside the response cache, which keeps only a response's
/// type and ETag: a cached copy would lose its `Content-Disposition`.
pub fn downloads(cfg: &mut web::ServiceConfig) {
    cfg.service(page(r"/benchmarks/runs/{id:\d+}/original", pages::original));
}

/// The import and the scenarios' and environments' forms, under `/admin`.
pub fn admin(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/benchmarks/import", admin::import_form).post(admin::upload))
        .service(page(r"/benchmarks/imports/{id:\d+}", admin::preview).post(admin::confirm))
        .service(action(
            r"/benchmarks/imports/{id:\d+}/cancel",
            admin::cancel,
        ))
        .service(
            page(r"/benchmarks/runs/{id:\d+}/delete", admin::delete_form).post(admin::delete_run),
        );
    kind::<Scenario>(cfg);
    kind::<Environment>(cfg);
}

pub fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/benchmarks/scenarios", api::scenarios).post(create::<Scenario>))
        .service(
            resource("/benchmarks/scenarios/{slug}", api::scenario)
                .put(replace::<Scenario>)
                .patch(patch::<Scenario>)
                .delete(delete::<Scenario>),
        )
        .service(
            resource("/benchmarks/environments", api::environments).post(create::<Environment>),
        )
        .service(
            resource("/benchmarks/environments/{slug}", api::environment)
                .put(replace::<Environment>)
                .patch(patch::<Environment>)
                .delete(delete::<Environment>),
        )
        .service(resource("/benchmarks/runs", api::runs))
        .service(resource("/benchmarks/runs/{id}", api::run))
        .service(crate::web::api_action("/benchmarks/imports", api::import));
}
