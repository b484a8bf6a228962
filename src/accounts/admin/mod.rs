//! The admin pages of accounts: inviting people and changing what they may do, API tokens,
//! and the audit log of every change. Admins only.

mod account_pages;
mod audit_log;
mod support;
mod token_pages;

use actix_web::web;

use crate::web::{action, page};

/// `/admin/users`, `/admin/tokens` and `/admin/audit`, inside the `/admin` scope.
pub fn pages(cfg: &mut web::ServiceConfig) {
    use account_pages::{end_sessions, invite, reset_password, update_user, user_page, users_page};
    use token_pages::{create_token, revoke_token, token_page, tokens_page};
    cfg.service(page("/users", users_page).post(invite))
        .service(page("/users/{id}", user_page).post(update_user))
        .service(action("/users/{id}/password", reset_password))
        .service(action("/users/{id}/sessions", end_sessions))
        .service(page("/tokens", tokens_page).post(create_token))
        .service(page("/tokens/{id}", token_page))
        .service(action("/tokens/{id}/revoke", revoke_token))
        .service(page("/audit", audit_log::audit_page));
}
