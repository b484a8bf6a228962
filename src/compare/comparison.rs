//! A comparison as both the page and the API show it: its grid and its benchmark evidence.

use diesel::QueryResult;

use crate::benchmarks::queries::{self as benchmarks, ScenarioComparison};
use crate::catalog::queries;
use crate::compare::grid::{self, Grid};
use crate::compare::selection::Selection;
use crate::db::DbConnection;
use crate::web::error::FieldError;
use crate::web::params::Params;

/// A comparison's grid, and one row per scenario in which one of its technologies has a
/// benchmark result.
pub type Comparison = (Grid, Vec<ScenarioComparison>);

/// The grid of `selection` and the benchmark evidence on its technologies, or the slugs the
/// catalog has no technology for. Eight queries at most, whatever the number of
/// technologies, dimensions and results; when a technology is unknown, one.
pub fn load(
    conn: &mut DbConnection,
    selection: &Selection,
) -> QueryResult<Result<Comparison, Vec<String>>> {
    let slugs = selection.to_strings();
    let technologies = queries::technologies_by_slugs(conn, &slugs)?;
    if technologies.len() < slugs.len() {
        return Ok(grid::build(selection, technologies, Vec::new(), Vec::new())
            .map(|grid| (grid, Vec::new())));
    }
    // The dimension list is curated and short, so the grid shows all of it.
    let dimensions = queries::all_dimensions(conn)?;
    let facts = queries::facts_of_technologies(conn, &slugs)?;
    let benchmarks = benchmarks::comparison(conn, &slugs)?;
    Ok(grid::build(selection, technologies, dimensions, facts).map(|grid| (grid, benchmarks)))
}

/// `?only=differences`: whether to show only the rows that differ. Any other value is
/// noted in `errors`.
pub fn only_differences(params: &Params, errors: &mut Vec<FieldError>) -> bool {
    params
        .parsed("only", errors, |value| match value {
            "differences" => Ok(true),
            _ => Err(format!("must be `differences`, not `{value}`")),
        })
        .unwrap_or(false)
}
