//! Scenarios: one by its slug, and a page of them each with its latest and its fastest run.

use std::collections::HashMap;

use crate::db::one_of;
use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use super::runs::runs_by_ids;
use crate::benchmarks::model::{Run, ScenarioItem, ScenarioSummary};
use crate::catalog::model::DimensionRef;
use crate::db::DbConnection;
use crate::db::schema::{benchmark_results, benchmark_runs, benchmark_scenarios, dimensions};
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

/// A page of scenarios, each with its latest run and the run holding its fastest result, as
/// summaries: nine queries.
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
        .filter(one_of(benchmark_runs::scenario_id, &ids))
        .group_by(benchmark_runs::scenario_id)
        .select((
            benchmark_runs::scenario_id,
            count_star(),
            max(benchmark_runs::id),
        ))
        .load(conn)?;
    let fastest = fastest_runs(conn, &ids)?;
    let mut run_ids: Vec<i32> = counts.iter().filter_map(|(_, _, id)| *id).collect();
    run_ids.extend(fastest.values());
    run_ids.sort_unstable();
    run_ids.dedup();
    let by_id: HashMap<i32, Run> = runs_by_ids(conn, &run_ids)?
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
                latest: latest_id.and_then(|id| by_id.get(&id).cloned()),
                fastest: fastest.get(&id).and_then(|id| by_id.get(id).cloned()),
            }
        })
        .collect();
    page.of(items, || {
        benchmark_scenarios::table.count().get_result(conn)
    })
}

/// For each of the scenarios `ids`, the run that holds its fastest result (by requests per
/// second; the newest such run on a tie): scenario id to run id.
fn fastest_runs(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<HashMap<i32, i32>> {
    let tops: Vec<(i32, Option<f64>)> = benchmark_results::table
        .inner_join(benchmark_runs::table)
        .filter(one_of(benchmark_runs::scenario_id, ids))
        .group_by(benchmark_runs::scenario_id)
        .select((
            benchmark_runs::scenario_id,
            max(benchmark_results::requests_per_sec),
        ))
        .load(conn)?;
    let fastest: Vec<f64> = tops.iter().filter_map(|(_, top)| *top).collect();
    let holders: Vec<(i32, i32, f64)> = benchmark_results::table
        .inner_join(benchmark_runs::table)
        .filter(one_of(benchmark_runs::scenario_id, ids))
        .filter(one_of(benchmark_results::requests_per_sec, &fastest))
        .select((
            benchmark_runs::scenario_id,
            benchmark_runs::id,
            benchmark_results::requests_per_sec,
        ))
        .order(benchmark_runs::id.desc())
        .load(conn)?;
    Ok(tops
        .into_iter()
        .filter_map(|(scenario, top)| {
            let (_, run, _) = holders
                .iter()
                .find(|(of, _, rps)| *of == scenario && Some(*rps) == top)?;
            Some((scenario, *run))
        })
        .collect())
}
