//! Runs: a page of them, one with a page of its results, its original file, and each with
//! its count of results and its fastest.

use std::collections::HashMap;

use crate::db::one_of;
use chrono::NaiveDate;
use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use super::filter::{RunFilter, filtered_runs};
use super::results::{MeasuredRow, measured, results_query};
use super::rows::{from_json, stored_tool};
use crate::benchmarks::model::{EnvironmentRef, FileRef, Measured, Run, RunDetail, ScenarioRef};
use crate::benchmarks::parse::{Check, Threshold};
use crate::catalog::model::SourceRef;
use crate::db::DbConnection;
use crate::db::schema::{
    benchmark_environments, benchmark_results, benchmark_runs, benchmark_scenarios,
    benchmark_uploads, sources,
};
use crate::web::params::{PageRequest, Paginated};

/// A page of the runs `filter` lets through, newest first, each with its count of results
/// and its fastest.
pub fn runs(
    conn: &mut DbConnection,
    filter: &RunFilter,
    page: PageRequest,
) -> QueryResult<Paginated<Run>> {
    let ids: Vec<i32> = filtered_runs(filter)
        .select(benchmark_runs::id)
        .order((benchmark_runs::ran_on.desc(), benchmark_runs::id.desc()))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let mut runs = runs_by_ids(conn, &ids)?;
    runs.sort_by_key(|run| ids.iter().position(|id| *id == run.id));
    page.of(runs, || filtered_runs(filter).count().get_result(conn))
}

/// The run `id` with `page` of its results, fastest first: five queries.
pub fn run(conn: &mut DbConnection, id: i32, page: PageRequest) -> QueryResult<Option<RunDetail>> {
    let Some(run) = runs_by_ids(conn, &[id])?.pop() else {
        return Ok(None);
    };
    let items: Vec<Measured> = results_query(&[id])
        .limit(page.limit())
        .offset(page.offset())
        .load::<MeasuredRow>(conn)?
        .into_iter()
        .map(measured)
        .collect::<QueryResult<_>>()?;
    let results = Paginated {
        items,
        page: page.page,
        per_page: page.per_page,
        total: run.result_count,
    };
    let (checks, thresholds, file): (String, String, Option<(i32, String, i64)>) =
        benchmark_runs::table
            .left_join(benchmark_uploads::table)
            .filter(benchmark_runs::id.eq(id))
            .select((
                benchmark_runs::checks,
                benchmark_runs::thresholds,
                (
                    benchmark_uploads::id,
                    benchmark_uploads::filename,
                    diesel::dsl::sql::<diesel::sql_types::BigInt>(
                        "CAST(LENGTH(benchmark_uploads.content) AS BIGINT)",
                    ),
                )
                    .nullable(),
            ))
            .first(conn)?;
    Ok(Some(RunDetail {
        run,
        results,
        checks: from_json::<Vec<Check>>(&checks)?,
        thresholds: from_json::<Vec<Threshold>>(&thresholds)?,
        file: file.map(|(upload_id, filename, size_bytes)| FileRef {
            upload_id,
            filename,
            size_bytes,
        }),
    }))
}

/// The file the run `id` was imported from: its name and content.
pub fn original_file(conn: &mut DbConnection, id: i32) -> QueryResult<Option<(String, String)>> {
    benchmark_runs::table
        .inner_join(benchmark_uploads::table)
        .filter(benchmark_runs::id.eq(id))
        .select((benchmark_uploads::filename, benchmark_uploads::content))
        .first(conn)
        .optional()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = benchmark_runs)]
struct RunRow {
    id: i32,
    upload_id: Option<i32>,
    tool: String,
    tool_version: String,
    ran_on: NaiveDate,
    concurrency: Option<i32>,
    threads: Option<i32>,
    duration_secs: Option<f64>,
    notes: String,
}

/// The runs with `ids`, in no particular order, each with its count of results and its
/// fastest: four queries, whatever the number of results.
pub fn runs_by_ids(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<Run>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    type Source = (i32, String, String, Option<NaiveDate>, Option<String>);
    type Row = (
        RunRow,
        (String, String),
        Option<(String, String)>,
        Option<Source>,
    );
    let rows: Vec<Row> = benchmark_runs::table
        .inner_join(benchmark_scenarios::table)
        .left_join(benchmark_environments::table)
        .left_join(sources::table)
        .filter(one_of(benchmark_runs::id, ids))
        .select((
            RunRow::as_select(),
            (benchmark_scenarios::slug, benchmark_scenarios::name),
            (benchmark_environments::slug, benchmark_environments::name).nullable(),
            (
                sources::id,
                sources::title,
                sources::publisher,
                sources::published_on,
                sources::url,
            )
                .nullable(),
        ))
        .load(conn)?;
    let mut summaries = summaries(conn, ids)?;
    rows.into_iter()
        .map(|(run, (slug, name), environment, source)| {
            Ok(Run {
                id: run.id,
                scenario: ScenarioRef { slug, name },
                environment: environment.map(|(slug, name)| EnvironmentRef { slug, name }),
                source: source.map(|(id, title, publisher, published_on, url)| SourceRef {
                    id,
                    title,
                    publisher,
                    published_on,
                    url,
                }),
                tool: stored_tool(&run.tool)?,
                tool_version: run.tool_version,
                ran_on: run.ran_on,
                concurrency: run.concurrency,
                threads: run.threads,
                duration_secs: run.duration_secs,
                notes: run.notes,
                upload_id: run.upload_id,
                result_count: summaries.get(&run.id).map_or(0, |(count, _)| *count),
                best: summaries.remove(&run.id).and_then(|(_, best)| best),
            })
        })
        .collect()
}

/// Each of the runs `ids` with a result: its count of results and its fastest. One grouped
/// query on the index of results by run and requests per second, and one for the fastest.
fn summaries(
    conn: &mut DbConnection,
    ids: &[i32],
) -> QueryResult<HashMap<i32, (i64, Option<Measured>)>> {
    let grouped: Vec<(i32, i64, Option<f64>)> = benchmark_results::table
        .filter(one_of(benchmark_results::run_id, ids))
        .group_by(benchmark_results::run_id)
        .select((
            benchmark_results::run_id,
            count_star(),
            max(benchmark_results::requests_per_sec),
        ))
        .load(conn)?;
    let fastest: Vec<f64> = grouped.iter().filter_map(|(_, _, rps)| *rps).collect();
    let mut summaries: HashMap<i32, (i64, Option<Measured>)> = grouped
        .iter()
        .map(|(run, count, _)| (*run, (*count, None)))
        .collect();
    // A run's fastest figure may be another's slower one: those rows are passed over.
    let candidates: Vec<MeasuredRow> = results_query(ids)
        .filter(one_of(benchmark_results::requests_per_sec, fastest))
        .load(conn)?;
    for row in candidates {
        let best = grouped
            .iter()
            .find(|(run, _, _)| *run == row.0.run_id)
            .and_then(|(_, _, rps)| *rps);
        if best == Some(row.0.requests_per_sec)
            && let Some((_, found @ None)) = summaries.get_mut(&row.0.run_id)
        {
            *found = Some(measured(row)?);
        }
    }
    Ok(summaries)
}

/// The run `id` with every one of its results, fastest first: what the audit log keeps of
/// a run deleted.
pub fn run_with_results(
    conn: &mut DbConnection,
    id: i32,
) -> QueryResult<Option<(Run, Vec<Measured>)>> {
    let Some(run) = runs_by_ids(conn, &[id])?.pop() else {
        return Ok(None);
    };
    let results = results_query(&[id])
        .load::<MeasuredRow>(conn)?
        .into_iter()
        .map(measured)
        .collect::<QueryResult<_>>()?;
    Ok(Some((run, results)))
}
