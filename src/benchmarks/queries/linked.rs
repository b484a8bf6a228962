//! The scenarios editors have linked to scored dimensions, for the advisor.

use diesel::prelude::*;

use crate::benchmarks::model::ScenarioRef;
use crate::db::DbConnection;
use crate::db::schema::{benchmark_scenarios, dimensions};

/// A scenario an editor has linked to a scored dimension: the advisor scores that
/// dimension from the scenario's results.
#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    pub id: i32,
    pub scenario: ScenarioRef,
    /// The dimension's slug.
    pub dimension: String,
}

/// Every scenario linked to a dimension, in the scenarios' order.
pub fn linked_scenarios(conn: &mut DbConnection) -> QueryResult<Vec<Linked>> {
    let rows: Vec<(i32, String, String, String)> = benchmark_scenarios::table
        .inner_join(dimensions::table)
        .select((
            benchmark_scenarios::id,
            benchmark_scenarios::slug,
            benchmark_scenarios::name,
            dimensions::slug,
        ))
        .order((benchmark_scenarios::position, benchmark_scenarios::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, name, dimension)| Linked {
            id,
            scenario: ScenarioRef { slug, name },
            dimension,
        })
        .collect())
}
