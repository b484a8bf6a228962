//! Pages that compose several capabilities, above all of them: the home page, a
//! technology's page with its benchmark evidence, and the admin dashboard.

pub mod dashboard;
pub mod home;
pub mod technology;

use actix_web::web;

use crate::web::page;

pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/", home::home))
        .service(page("/technologies/{slug}", technology::technology));
}

/// The dashboard, at the root of the `/admin` scope.
pub fn admin(cfg: &mut web::ServiceConfig) {
    cfg.service(page("", dashboard::dashboard));
}
