//! What every page's layout needs to know, taken from the request.

use std::future::{Ready, ready};
use std::sync::Arc;

use actix_session::SessionExt;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::web::assets::Assets;
use crate::web::session::{self, SignedIn};

/// The site-wide parts of a page: the navigation's current section, asset links, who is
/// signed in (with the CSRF token their sign-out button needs) and a message left by the
/// form that redirected here.
#[derive(Debug, Clone)]
pub struct Layout {
    path: String,
    assets: Arc<Assets>,
    pub user: Option<SignedIn>,
    pub csrf: String,
    pub flash: Option<String>,
}

impl Layout {
    pub fn of(req: &HttpRequest) -> Self {
        let assets = req
            .app_data::<web::Data<Assets>>()
            .map(|data| data.clone().into_inner())
            .unwrap_or_default();
        let (user, csrf, flash) = if session::has_session_cookie(req) {
            let session = req.get_session();
            (
                session::signed_in(&session),
                session::existing_csrf_token(&session).unwrap_or_default(),
                session::take_flash(&session),
            )
        } else {
            (None, String::new(), None)
        };
        Self {
            path: req.path().to_owned(),
            assets,
            user,
            csrf,
            flash,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|user| user.role == session::Role::Admin)
    }

    /// The fingerprinted URL of a file under `static/`.
    pub fn asset(&self, path: &str) -> String {
        self.assets.url(path)
    }

    /// Whether the navigation entry for `section` is where the reader is.
    pub fn is_current(&self, section: &str) -> bool {
        match section {
            "/" => self.path == "/",
            _ => {
                self.path == section
                    || self
                        .path
                        .strip_prefix(section)
                        .is_some_and(|rest| rest.starts_with('/'))
            }
        }
    }
}

impl FromRequest for Layout {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of(req)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(path: &str) -> Layout {
        Layout {
            path: path.to_owned(),
            assets: Arc::default(),
            user: None,
            csrf: String::new(),
            flash: None,
        }
    }

    #[test]
    fn the_current_section_is_the_path_or_below_it() {
        assert!(at("/").is_current("/"));
        assert!(!at("/technologies").is_current("/"));
        assert!(at("/technologies").is_current("/technologies"));
        assert!(at("/technologies/rust").is_current("/technologies"));
        assert!(!at("/technologiesx").is_current("/technologies"));
        assert!(!at("/sources/1").is_current("/technologies"));
    }
}
