//! What the catalog's addresses ask for beyond a page.

use crate::catalog::model::Kind;
use crate::catalog::queries::TechnologyFilter;
use crate::editing::Slug;
use crate::web::AppError;
use crate::web::params::{self, PageRequest, Params};

/// `?kind=&language=&page=&per_page=` for the technology list, page and API alike.
pub fn technology_query(params: &Params) -> Result<(TechnologyFilter, PageRequest), AppError> {
    let mut errors = Vec::new();
    let filter = TechnologyFilter {
        kind: params.parsed("kind", &mut errors, Kind::parse),
        language: params.parsed("language", &mut errors, Slug::parse),
    };
    let page = params.page_request(&mut errors);
    params::check(errors)?;
    Ok((filter, page))
}
