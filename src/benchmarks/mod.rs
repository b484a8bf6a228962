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
pub mod parse;
pub mod queries;
pub mod scenarios;

use actix_web::web;

use crate::benchmarks::environments::Environment;
use crate::benchmarks::parse::Tool;
use crate::benchmarks::queries::RunFilter;
use crate::benchmarks::scenarios::Scenario;
use crate::catalog::admin::kind;
use crate::catalog::api_write::{create, delete, patch, replace};
use crate::web::params::{self, PageRequest, Params};
use crate::web::{AppError, action, api as resource, page};

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

/// `?scenario=&environment=&tool=&concurrency=&technology=&page=&per_page=`, for the pages
/// and the API alike.
fn run_query(params: &Params) -> Result<(RunFilter, PageRequest), AppError> {
    let mut errors = Vec::new();
    let text = |name| {
        params
            .get(name)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let filter = RunFilter {
        scenario: text("scenario"),
        environment: text("environment"),
        tool: params.parsed("tool", &mut errors, Tool::parse),
        concurrency: params.parsed("concurrency", &mut errors, |value| {
            value
                .parse::<i32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| "must be a whole number above 0".to_owned())
        }),
        technology: text("technology"),
    };
    let page = params.page_request(&mut errors);
    params::check(errors)?;
    Ok((filter, page))
}

/// A run's id from the path; one that cannot exist is simply not found.
fn id(path: &str) -> Result<i32, AppError> {
    path.parse().map_err(|_| AppError::NotFound)
}
