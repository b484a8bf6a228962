//! What the forms offer to narrow a scenario's results to.

use diesel::prelude::*;

use super::rows::stored_tool;
use crate::benchmarks::model::EnvironmentRef;
use crate::benchmarks::parse::Tool;
use crate::db::DbConnection;
use crate::db::schema::{benchmark_environments, benchmark_runs};

/// What a scenario's results can be narrowed to: the environments, tools and concurrency
/// levels of its runs.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub environments: Vec<EnvironmentRef>,
    pub tools: Vec<Tool>,
    pub concurrencies: Vec<i32>,
}

pub fn choices(conn: &mut DbConnection, scenario_id: i32) -> QueryResult<Choices> {
    let environments: Vec<(String, String)> = benchmark_runs::table
        .inner_join(benchmark_environments::table)
        .filter(benchmark_runs::scenario_id.eq(scenario_id))
        .select((benchmark_environments::slug, benchmark_environments::name))
        .distinct()
        .order(benchmark_environments::name)
        .load(conn)?;
    let tools: Vec<String> = benchmark_runs::table
        .filter(benchmark_runs::scenario_id.eq(scenario_id))
        .select(benchmark_runs::tool)
        .distinct()
        .order(benchmark_runs::tool)
        .load(conn)?;
    let concurrencies: Vec<Option<i32>> = benchmark_runs::table
        .filter(benchmark_runs::scenario_id.eq(scenario_id))
        .select(benchmark_runs::concurrency)
        .distinct()
        .order(benchmark_runs::concurrency)
        .load(conn)?;
    Ok(Choices {
        environments: environments
            .into_iter()
            .map(|(slug, name)| EnvironmentRef { slug, name })
            .collect(),
        tools: tools
            .iter()
            .map(|tool| stored_tool(tool))
            .collect::<QueryResult<_>>()?,
        concurrencies: concurrencies.into_iter().flatten().collect(),
    })
}
