//! What runs and results are narrowed to, and the runs it lets through.

use diesel::prelude::*;

use super::rows::Backend;
use crate::benchmarks::parse::Tool;
use crate::db::schema::{
    benchmark_environments, benchmark_results, benchmark_runs, benchmark_scenarios, technologies,
};

/// What runs and results are narrowed to; `None` is any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunFilter {
    pub scenario: Option<String>,
    pub environment: Option<String>,
    pub tool: Option<Tool>,
    pub concurrency: Option<i32>,
    /// Runs with a result for this technology.
    pub technology: Option<String>,
}

/// The runs `filter` lets through, as a boxed query (loaded on its own: a boxed query
/// cannot be a subquery in what both backends share).
pub(super) fn filtered_runs<'a>(filter: &'a RunFilter) -> benchmark_runs::BoxedQuery<'a, Backend> {
    let mut query = benchmark_runs::table.into_boxed();
    if let Some(scenario) = &filter.scenario {
        query = query.filter(
            benchmark_runs::scenario_id.eq_any(
                benchmark_scenarios::table
                    .filter(benchmark_scenarios::slug.eq(scenario))
                    .select(benchmark_scenarios::id),
            ),
        );
    }
    if let Some(environment) = &filter.environment {
        query = query.filter(
            benchmark_runs::environment_id.eq_any(
                benchmark_environments::table
                    .filter(benchmark_environments::slug.eq(environment))
                    .select(benchmark_environments::id.nullable()),
            ),
        );
    }
    if let Some(tool) = filter.tool {
        query = query.filter(benchmark_runs::tool.eq(tool.as_str()));
    }
    if let Some(concurrency) = filter.concurrency {
        query = query.filter(benchmark_runs::concurrency.eq(concurrency));
    }
    if let Some(technology) = &filter.technology {
        query = query.filter(
            benchmark_runs::id.eq_any(
                benchmark_results::table
                    .inner_join(technologies::table)
                    .filter(technologies::slug.eq(technology))
                    .select(benchmark_results::run_id),
            ),
        );
    }
    query
}
