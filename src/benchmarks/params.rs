//! What the benchmark lists' addresses ask for.

use crate::benchmarks::parse::Tool;
use crate::benchmarks::queries::RunFilter;
use crate::web::AppError;
use crate::web::params::{self, PageRequest, Params};

/// `?scenario=&environment=&tool=&concurrency=&technology=&page=&per_page=`, for the pages
/// and the API alike.
pub fn run_query(params: &Params) -> Result<(RunFilter, PageRequest), AppError> {
    let mut errors = Vec::new();
    let text = |name| {
        params
            .get(name)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let filter = RunFilter {
        scenario: text("scenario"),
        environment: text("environment"),
        tool: params.parsed("tool", &mut errors, Tool::parse),
        concurrency: params.parsed("concurrency", &mut errors, |value| {
            value
                .parse::<i32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| "must be a whole number above 0".to_owned())
        }),
        technology: text("technology"),
    };
    let page = params.page_request(&mut errors);
    params::check(errors)?;
    Ok((filter, page))
}
