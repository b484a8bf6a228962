//! A scenario's ranking: the results the filter lets through, fastest first, each with its run.

use crate::db::one_of;
use chrono::NaiveDate;
use diesel::prelude::*;

use super::filter::{RunFilter, filtered_runs};
use super::results::{ResultRow, measured};
use super::rows::stored_tool;
use crate::benchmarks::model::{EnvironmentRef, Measured};
use crate::benchmarks::parse::Tool;
use crate::db::DbConnection;
use crate::db::schema::{benchmark_environments, benchmark_results, benchmark_runs, technologies};
use crate::web::params::{PageRequest, Paginated};

/// A result in a scenario's ranking, with the run it comes from.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RankedResult {
    #[serde(flatten)]
    pub result: Measured,
    pub run: RunRef,
}

/// What a ranking says of a result's run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunRef {
    pub id: i32,
    pub tool: Tool,
    pub ran_on: NaiveDate,
    pub concurrency: Option<i32>,
    pub environment: Option<EnvironmentRef>,
}

/// The most runs one ranking takes results from, newest first.
pub const MAX_RANKED_RUNS: i64 = 10_000;

/// What a ranking or evidence row reads of a result's run.
#[derive(Queryable, Selectable)]
#[diesel(table_name = benchmark_runs)]
pub(super) struct RunColumns {
    id: i32,
    tool: String,
    ran_on: NaiveDate,
    concurrency: Option<i32>,
}

pub(super) fn ranked(
    result: ResultRow,
    technology: (String, String, String),
    run: RunColumns,
    environment: Option<(String, String)>,
) -> QueryResult<RankedResult> {
    Ok(RankedResult {
        result: measured((result, technology))?,
        run: RunRef {
            id: run.id,
            tool: stored_tool(&run.tool)?,
            ran_on: run.ran_on,
            concurrency: run.concurrency,
            environment: environment.map(|(slug, name)| EnvironmentRef { slug, name }),
        },
    })
}

/// A page of the results `filter` lets through, fastest first: three queries.
pub fn ranking(
    conn: &mut DbConnection,
    filter: &RunFilter,
    page: PageRequest,
) -> QueryResult<Paginated<RankedResult>> {
    // The runs first: a scenario has far fewer runs than results.
    let run_ids: Vec<i32> = filtered_runs(filter)
        .select(benchmark_runs::id)
        .order(benchmark_runs::id.desc())
        .limit(MAX_RANKED_RUNS)
        .load(conn)?;
    type Row = (
        ResultRow,
        (String, String, String),
        RunColumns,
        Option<(String, String)>,
    );
    let rows: Vec<Row> = benchmark_results::table
        .inner_join(technologies::table)
        .inner_join(benchmark_runs::table.left_join(benchmark_environments::table))
        .filter(one_of(benchmark_results::run_id, &run_ids))
        .select((
            ResultRow::as_select(),
            (technologies::slug, technologies::name, technologies::kind),
            RunColumns::as_select(),
            (benchmark_environments::slug, benchmark_environments::name).nullable(),
        ))
        .order((
            benchmark_results::requests_per_sec.desc(),
            benchmark_results::id,
        ))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(result, technology, run, environment)| ranked(result, technology, run, environment))
        .collect::<QueryResult<Vec<_>>>()?;
    page.of(items, || {
        benchmark_results::table
            .filter(one_of(benchmark_results::run_id, &run_ids))
            .count()
            .get_result(conn)
    })
}
