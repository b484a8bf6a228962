//! The advisor: the reader marks how much each curated requirement matters, and Verdict
//! ranks the candidates and says why. Requirements are curated in `/admin/requirements`.

pub mod advice;
pub mod api;
pub mod pages;
pub mod query;
pub mod requirements;
pub mod score;

use actix_web::web;

pub use advice::{Advice, Evidence, Marked, advise};
pub use query::Query;
pub use score::{Contribution, Excluded, Flip, Importance, Ranked, Ranking, TradeOff};

use crate::web::{api as resource, api_action, page};

pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/advisor", pages::advisor));
}

/// The requirements' forms, under `/admin`.
pub fn admin(cfg: &mut web::ServiceConfig) {
    crate::editing::pages::kind::<requirements::Requirement>(cfg);
}

pub fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/requirements", api::requirements))
        .service(api_action("/advice", api::advice));
}
