//! Side-by-side comparison of 2 to 4 technologies on every dimension: the page at its one
//! canonical address (`/compare/go-vs-rust`), the form that picks them, and the same grid
//! as JSON. It reads the catalog; it writes nothing.

pub mod api;
pub mod comparison;
pub mod featured;
pub mod grid;
pub mod pages;
pub mod selection;

use actix_web::web;

use crate::web::{api as resource, page};

pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/compare", pages::form))
        .service(page("/compare/{slugs}", pages::comparison));
}

pub fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/compare", api::compare));
}
