//! The catalog: technologies, comparison dimensions, sources, and the assessments that tie
//! them together, as pages and as JSON.

pub mod admin;
pub mod api;
pub mod api_write;
pub mod edit;
pub mod model;
pub mod pages;
pub mod queries;

use actix_web::web;

use crate::catalog::model::{Kind, Slug};
use crate::catalog::queries::TechnologyFilter;
use crate::web::params::{self, PageRequest, Params};
use crate::web::{AppError, api as resource, page};

pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/", pages::home))
        .service(page("/technologies", pages::technologies))
        .service(page("/technologies/{slug}", pages::technology))
        .service(page("/dimensions", pages::dimensions))
        .service(page("/dimensions/{slug}", pages::dimension))
        .service(page("/sources", pages::sources))
        .service(page("/sources/{id}", pages::source));
}

/// The catalog's forms, under `/admin`.
pub fn admin(cfg: &mut web::ServiceConfig) {
    admin::routes(cfg);
}

pub fn api(cfg: &mut web::ServiceConfig) {
    use api_write::{create, delete, patch, replace};
    use edit::{Dimension, Fact, Source, Technology};
    cfg.service(resource("/technologies", api::technologies).post(create::<Technology>))
        .service(
            resource("/technologies/{slug}", api::technology)
                .put(replace::<Technology>)
                .patch(patch::<Technology>)
                .delete(delete::<Technology>),
        )
        .service(
            resource("/technologies/{slug}/assessments", api::assessments)
                .post(api_write::create_assessment),
        )
        .service(
            resource(
                "/technologies/{slug}/assessments/{dimension}",
                api::assessment,
            )
            .put(api_write::put_assessment)
            .patch(patch::<Fact>)
            .delete(delete::<Fact>),
        )
        .service(resource("/dimensions", api::dimensions).post(create::<Dimension>))
        .service(
            resource("/dimensions/{slug}", api::dimension)
                .put(replace::<Dimension>)
                .patch(patch::<Dimension>)
                .delete(delete::<Dimension>),
        )
        .service(resource("/sources", api::sources).post(create::<Source>))
        .service(
            resource("/sources/{id}", api::source)
                .put(replace::<Source>)
                .patch(patch::<Source>)
                .delete(delete::<Source>),
        );
}

/// `?kind=&language=&page=&per_page=` for the technology list, page and API alike.
fn technology_query(params: &Params) -> Result<(TechnologyFilter, PageRequest), AppError> {
    let mut errors = Vec::new();
    let filter = TechnologyFilter {
        kind: params.parsed("kind", &mut errors, Kind::parse),
        language: params.parsed("language", &mut errors, Slug::parse),
    };
    let page = params.page_request(&mut errors);
    params::check(errors)?;
    Ok((filter, page))
}

/// `?page=&per_page=` alone.
pub fn page_query(params: &Params) -> Result<PageRequest, AppError> {
    let mut errors = Vec::new();
    let page = params.page_request(&mut errors);
    params::check(errors)?;
    Ok(page)
}

/// A slug from the path; one that cannot exist is simply not found.
pub fn slug(path: &str) -> Result<Slug, AppError> {
    Slug::parse(path).map_err(|_| AppError::NotFound)
}

/// A source id from the path.
fn source_id(path: &str) -> Result<i32, AppError> {
    path.parse().map_err(|_| AppError::NotFound)
}
