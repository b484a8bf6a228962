//! What the decision lists' addresses ask for.

use crate::decisions::model::Status;
use crate::decisions::queries::DecisionFilter;
use crate::web::AppError;
use crate::web::params::{self, PageRequest, Params};

/// `?status=&page=&per_page=`, for the list page and the API alike.
pub fn list_query(params: &Params) -> Result<(DecisionFilter, PageRequest), AppError> {
    let mut errors = Vec::new();
    let filter = DecisionFilter {
        status: params.parsed("status", &mut errors, Status::parse),
    };
    let page = params.page_request(&mut errors);
    params::check(errors)?;
    Ok((filter, page))
}
