//! The catalog: technologies, comparison dimensions, sources, and the assessments that tie
//! them together, as pages and as JSON.

pub mod api;
pub mod model;
pub mod pages;
pub mod queries;

use actix_web::web;

use crate::catalog::model::{Kind, Slug};
use crate::catalog::queries::TechnologyFilter;
use crate::web::AppError;
use crate::web::params::{self, PageRequest, Params};

pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(pages::home))
        .route("/technologies", web::get().to(pages::technologies))
        .route("/technologies/{slug}", web::get().to(pages::technology))
        .route("/dimensions", web::get().to(pages::dimensions))
        .route("/dimensions/{slug}", web::get().to(pages::dimension))
        .route("/sources", web::get().to(pages::sources))
        .route("/sources/{id}", web::get().to(pages::source));
}

pub fn api(cfg: &mut web::ServiceConfig) {
    cfg.route("/technologies", web::get().to(api::technologies))
        .route("/technologies/{slug}", web::get().to(api::technology))
        .route("/dimensions", web::get().to(api::dimensions))
        .route("/dimensions/{slug}", web::get().to(api::dimension))
        .route("/sources", web::get().to(api::sources))
        .route("/sources/{id}", web::get().to(api::source));
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
fn page_query(params: &Params) -> Result<PageRequest, AppError> {
    let mut errors = Vec::new();
    let page = params.page_request(&mut errors);
    params::check(errors)?;
    Ok(page)
}

/// A slug from the path; one that cannot exist is simply not found.
fn slug(path: &str) -> Result<Slug, AppError> {
    Slug::parse(path).map_err(|_| AppError::NotFound)
}

/// A source id from the path.
fn source_id(path: &str) -> Result<i32, AppError> {
    path.parse().map_err(|_| AppError::NotFound)
}
