//! What an address names: a page of a list, an item by its slug or by its id. An address
//! that no item can have is simply not found.

use crate::editing::Slug;
use crate::web::AppError;
use crate::web::params::{self, PageRequest, Params};
use crate::web::slice::SliceRequest;

/// `?page=&per_page=` alone.
pub fn page_query(params: &Params) -> Result<PageRequest, AppError> {
    let mut errors = Vec::new();
    let page = params.page_request(&mut errors);
    params::check(errors)?;
    Ok(page)
}

/// `after`, `before`, `page=last` and `per_page` for a list paged by keyset.
pub fn slice_query(params: &Params) -> Result<SliceRequest, AppError> {
    let mut errors = Vec::new();
    let request = SliceRequest::parse(params, &mut errors);
    params::check(errors)?;
    Ok(request)
}

/// A slug from the path.
pub fn slug(path: &str) -> Result<Slug, AppError> {
    Slug::parse(path).map_err(|_| AppError::NotFound)
}

/// An id from the path.
pub fn id(path: &str) -> Result<i32, AppError> {
    path.parse().map_err(|_| AppError::NotFound)
}
