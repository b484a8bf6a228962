//! Scenarios: one by its slug, and a page of them each with its latest run.

use std::collections::HashMap;

use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use super::runs::runs_by_ids;
use crate::benchmarks::model::{Run, ScenarioItem, ScenarioSummary};
use crate::catalog::model::DimensionRef;
use crate::db::DbConnection;
use crate::db::schema::{benchmark_runs, benchmark_scenarios, dimensions};
use crate::web::params::{PageRequest, Paginated};

pub fn scenario(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<ScenarioItem>> {
    Ok(scenario_row(conn, slug)?.map(|(_, item)| item))
}

/// A scenario with its id.
pub fn scenario_row(
    conn: &mut DbConnection,
    slug: &str,
) -> QueryResult<Option<(i32, ScenarioItem)>> {
    let row: Option<ScenarioRow> = benchmark_scenarios::table
        .left_join(dimensions::table)
        .filter(benchmark_scenarios::slug.eq(slug))
        .select(scenario_columns())
        .first(conn)
        .optional()?;
    Ok(row.map(scenario_item))
}

/// A scenario's columns, with those of the dimension it may be linked to.
type ScenarioColumns = (
    benchmark_scenarios::id,
    benchmark_scenarios::slug,
    benchmark_scenarios::name,
    benchmark_scenarios::description,
    diesel::dsl::Nullable<(dimensions::slug, dimensions::name, dimensions::scale)>,
);

type ScenarioRow = (
    i32,
    String,
    String,
    String,
    Option<(String, String, Option<String>)>,
);

fn scenario_columns() -> ScenarioColumns {
    (
        benchmark_scenarios::id,
        benchmark_scenarios::slug,
        benchmark_scenarios::name,
        benchmark_scenarios::description,
        (dimensions::slug, dimensions::name, dimensions::scale).nullable(),
    )
}

fn scenario_item((id, slug, name, description, dimension): ScenarioRow) -> (i32, ScenarioItem) {
    let dimension = dimension.map(|(slug, name, scale)| DimensionRef { slug, name, scale });
    (
        id,
        ScenarioItem {
            slug,
            name,
            description,
            dimension,
        },
    )
}

/// A page of scenarios, each with its latest run as a summary: seven queries.
pub fn scenarios(
    conn: &mut DbConnection,
    page: PageRequest,
) -> QueryResult<Paginated<ScenarioSummary>> {
    let rows: Vec<ScenarioRow> = benchmark_scenarios::table
        .left_join(dimensions::table)
        .select(scenario_columns())
        .order((benchmark_scenarios::position, benchmark_scenarios::id))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let ids: Vec<i32> = rows.iter().map(|row| row.0).collect();
    let counts: Vec<(i32, i64, Option<i32>)> = benchmark_runs::table
        .filter(benchmark_runs::scenario_id.eq_any(&ids))
        .group_by(benchmark_runs::scenario_id)
        .select((
            benchmark_runs::scenario_id,
            count_star(),
            max(benchmark_runs::id),
        ))
        .load(conn)?;
    let latest_ids: Vec<i32> = counts.iter().filter_map(|(_, _, id)| *id).collect();
    let mut latest: HashMap<i32, Run> = runs_by_ids(conn, &latest_ids)?
        .into_iter()
        .map(|run| (run.id, run))
        .collect();
    let items = rows
        .into_iter()
        .map(|row| {
            let (id, scenario) = scenario_item(row);
            let (runs, latest_id) = counts
                .iter()
                .find(|(scenario, _, _)| *scenario == id)
                .map_or((0, None), |(_, runs, latest)| (*runs, *latest));
            ScenarioSummary {
                scenario,
                runs,
                latest: latest_id.and_then(|id| latest.remove(&id)),
            }
        })
        .collect();
    page.of(items, || {
        benchmark_scenarios::table.count().get_result(conn)
    })
}
