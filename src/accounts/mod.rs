//! Accounts: signing in and out, passwords, roles, API tokens, and the checks that put a
//! [`Principal`](crate::web::auth::Principal) on every admin request and every API request
//! that carries a token ([`guards`]).

pub mod admin;
pub mod cli;
pub mod guards;
mod login;
pub mod password;
mod session_pages;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod user_updates;
pub mod users;

use actix_web::web;

use crate::web::{action, page};

/// `/login`, `/logout`, `/account/password` and `/account/sessions`, outside `/admin`.
pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/login", login::form).post(login::submit))
        .service(action("/logout", login::logout))
        .service(page("/account/password", login::password_form).post(login::change_password))
        .service(
            page("/account/sessions", session_pages::sessions_page)
                .post(session_pages::end_other_sessions),
        );
}
