//! What the catalog's addresses ask for beyond a page.

use crate::catalog::model::Kind;
use crate::catalog::queries::TechnologyFilter;
use crate::editing::Slug;
use crate::web::AppError;
use crate::web::params::{self, Params};
use crate::web::slice::SliceRequest;

/// `?kind=&language=` and where the page is (`after`, `before`, `page=last`, `per_page`) for
/// the technology list, page and API alike.
pub fn technology_query(params: &Params) -> Result<(TechnologyFilter, SliceRequest), AppError> {
    let mut errors = Vec::new();
    let filter = TechnologyFilter {
        kind: params.parsed("kind", &mut errors, Kind::parse),
        language: params.parsed("language", &mut errors, |value| {
            Slug::parse(&value.trim().to_lowercase())
        }),
    };
    let page = SliceRequest::parse(params, &mut errors);
    params::check(errors)?;
    Ok((filter, page))
}
