//! `GET /api/v1/compare?t=go&t=rust[&only=differences]`: the comparison grid as JSON.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use crate::benchmarks::queries::ScenarioComparison;
use crate::compare::comparison::{load, only_differences};
use crate::compare::grid::Grid;
use crate::compare::selection::{MAX, MIN, Selection, SelectionError};
use crate::db::Db;
use crate::web::error::FieldError;
use crate::web::form::Fields;
use crate::web::{ApiError, AppError, Params};

pub async fn compare(
    db: web::Data<Db>,
    req: HttpRequest,
    params: Params,
) -> Result<HttpResponse, ApiError> {
    // `Params` keeps the first value of a name; the technologies are every `t`.
    let fields = Fields::parse(req.query_string().as_bytes());
    let mut errors = Vec::new();
    let selection = Selection::parse(fields.all("t"))
        .map_err(|e| errors.push(t_problem(e)))
        .ok();
    let only = only_differences(&params, &mut errors);
    let selection = match selection {
        Some(selection) if errors.is_empty() => selection,
        _ => return Err(AppError::InvalidParameters(errors).into()),
    };
    let (mut grid, benchmarks) =
        db.run(move |conn| load(conn, &selection))
            .await?
            .map_err(|unknown| {
                let errors = unknown
                    .into_iter()
                    .map(|slug| t_problem(SelectionError::NotASlug(slug)))
                    .collect();
                AppError::InvalidParameters(errors)
            })?;
    if only {
        grid.retain_differences();
    }
    Ok(HttpResponse::Ok().json(Comparison { grid, benchmarks }))
}

/// The grid with the benchmark evidence on its technologies beside it.
#[derive(Serialize)]
struct Comparison {
    #[serde(flatten)]
    grid: Grid,
    /// One per scenario in which one of the technologies has a result: each one's fastest
    /// result there, and its ratio to the slowest of them.
    benchmarks: Vec<ScenarioComparison>,
}

/// What is wrong with the `t` parameters, in the API's terms.
fn t_problem(error: SelectionError) -> FieldError {
    let detail = match error {
        SelectionError::NotASlug(slug) => format!("there is no technology `{slug}` in the catalog"),
        SelectionError::TooFew => {
            format!("must name {MIN} to {MAX} different technologies, as in `?t=go&t=rust`")
        }
        SelectionError::TooMany(n) => {
            format!("must name {MIN} to {MAX} different technologies, not {n}")
        }
    };
    FieldError::new("t", detail)
}
