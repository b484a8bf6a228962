//! What every page's layout needs to know, taken from the request.

use std::future::{Ready, ready};
use std::sync::Arc;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::web::assets::Assets;

/// The site-wide parts of a page: the navigation's current section and asset links.
#[derive(Debug, Clone)]
pub struct Layout {
    path: String,
    assets: Arc<Assets>,
}

impl Layout {
    pub fn of(req: &HttpRequest) -> Self {
        let assets = req
            .app_data::<web::Data<Assets>>()
            .map(|data| data.clone().into_inner())
            .unwrap_or_default();
        Self {
            path: req.path().to_owned(),
            assets,
        }
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
