//! The catalog: technologies, comparison dimensions, sources, and the assessments that tie
//! them together, as pages and as JSON. A technology's own page, which shows evidence from
//! other capabilities too, is composed above it ([`crate::site`]).

pub mod api;
pub mod edit;
pub mod fact_grid;
pub mod model;
pub mod pages;
pub mod params;
pub mod queries;

use actix_web::web;

use crate::catalog::edit::{Dimension, Fact, Source, Technology};
use crate::editing::api::{create, delete, patch, replace};
use crate::editing::pages::kind;
use crate::web::{api as resource, page};

pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/technologies", pages::technologies))
        .service(page("/dimensions", pages::dimensions))
        .service(page("/dimensions/{slug}", pages::dimension))
        .service(page("/sources", pages::sources))
        .service(page("/sources/{id}", pages::source));
}

/// The catalog's forms, under `/admin`.
pub fn admin(cfg: &mut web::ServiceConfig) {
    kind::<Technology>(cfg);
    cfg.service(page("/technologies/{key}/facts", fact_grid::grid).post(fact_grid::save));
    kind::<Dimension>(cfg);
    kind::<Source>(cfg);
}

pub fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/technologies", api::technologies).post(create::<Technology>))
        .service(
            resource("/technologies/{slug}", api::technology)
                .put(replace::<Technology>)
                .patch(patch::<Technology>)
                .delete(delete::<Technology>),
        )
        .service(
            resource("/technologies/{slug}/assessments", api::assessments)
                .post(api::create_assessment),
        )
        .service(
            resource(
                "/technologies/{slug}/assessments/{dimension}",
                api::assessment,
            )
            .put(api::put_assessment)
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
