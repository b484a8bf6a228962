//! Reading benchmark evidence: a few queries per page whatever the number of runs, each on
//! an index.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use crate::benchmarks::model::{
    EnvironmentItem, EnvironmentRef, FileRef, Measured, Run, RunDetail, ScenarioItem, ScenarioRef,
    ScenarioSummary,
};
use crate::benchmarks::parse::{Check, Latency, Threshold, Tool};
use crate::catalog::model::{DimensionRef, SourceRef};
use crate::catalog::queries::technology_ref;
use crate::db::DbConnection;
use crate::db::schema::{
    benchmark_environments, benchmark_results, benchmark_runs, benchmark_scenarios,
    benchmark_uploads, dimensions, sources, technologies,
};
use crate::web::params::{PageRequest, Paginated};

type Backend = <DbConnection as Connection>::Backend;

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

pub fn environment(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<EnvironmentItem>> {
    let one = PageRequest {
        page: 1,
        per_page: 1,
    };
    Ok(environments_where(conn, Some(slug), one)?.pop())
}

/// The first environments by name, for the pages: there are a handful, not thousands.
pub fn environments(conn: &mut DbConnection) -> QueryResult<Vec<EnvironmentItem>> {
    let first = PageRequest {
        page: 1,
        per_page: 200,
    };
    environments_where(conn, None, first)
}

/// A page of the environments, for the API.
pub fn environments_page(
    conn: &mut DbConnection,
    page: PageRequest,
) -> QueryResult<Paginated<EnvironmentItem>> {
    let items = environments_where(conn, None, page)?;
    page.of(items, || {
        benchmark_environments::table.count().get_result(conn)
    })
}

fn environments_where(
    conn: &mut DbConnection,
    slug: Option<&str>,
    page: PageRequest,
) -> QueryResult<Vec<EnvironmentItem>> {
    let mut query = benchmark_environments::table
        .select((
            benchmark_environments::slug,
            benchmark_environments::name,
            benchmark_environments::hardware,
            benchmark_environments::os,
            benchmark_environments::notes,
        ))
        .order((benchmark_environments::name, benchmark_environments::id))
        .limit(page.limit())
        .offset(page.offset())
        .into_boxed();
    if let Some(slug) = slug {
        query = query.filter(benchmark_environments::slug.eq(slug.to_owned()));
    }
    Ok(query
        .load::<(String, String, String, String, String)>(conn)?
        .into_iter()
        .map(|(slug, name, hardware, os, notes)| EnvironmentItem {
            slug,
            name,
            hardware,
            os,
            notes,
        })
        .collect())
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
fn filtered_runs<'a>(filter: &'a RunFilter) -> benchmark_runs::BoxedQuery<'a, Backend> {
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
        .filter(benchmark_runs::id.eq_any(ids))
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

#[derive(Queryable, Selectable)]
#[diesel(table_name = benchmark_results)]
struct ResultRow {
    id: i32,
    run_id: i32,
    label: String,
    requests_per_sec: f64,
    total_requests: Option<i64>,
    latency_avg_ms: Option<f64>,
    latency_stdev_ms: Option<f64>,
    latency_max_ms: Option<f64>,
    p50_ms: Option<f64>,
    p75_ms: Option<f64>,
    p90_ms: Option<f64>,
    p95_ms: Option<f64>,
    p99_ms: Option<f64>,
    p999_ms: Option<f64>,
    errors: i64,
    non_2xx: i64,
    status_codes: String,
    error_kinds: String,
    memory_mib: Option<f64>,
}

type MeasuredRow = (ResultRow, (String, String, String));

fn measured((row, technology): MeasuredRow) -> QueryResult<Measured> {
    Ok(Measured {
        id: row.id,
        run_id: row.run_id,
        technology: technology_ref(technology)?,
        label: row.label,
        requests_per_sec: row.requests_per_sec,
        total_requests: row.total_requests,
        latency: Latency {
            avg_ms: row.latency_avg_ms,
            stdev_ms: row.latency_stdev_ms,
            max_ms: row.latency_max_ms,
            p50_ms: row.p50_ms,
            p75_ms: row.p75_ms,
            p90_ms: row.p90_ms,
            p95_ms: row.p95_ms,
            p99_ms: row.p99_ms,
            p999_ms: row.p999_ms,
        },
        errors: row.errors,
        non_2xx: row.non_2xx,
        status_codes: from_json::<BTreeMap<String, i64>>(&row.status_codes)?,
        error_kinds: from_json::<BTreeMap<String, i64>>(&row.error_kinds)?,
        memory_mib: row.memory_mib,
    })
}

/// The results of the runs `ids` with their technologies, by run, fastest first.
fn results_query(ids: &[i32]) -> MeasuredQuery<'_> {
    benchmark_results::table
        .inner_join(technologies::table)
        .filter(benchmark_results::run_id.eq_any(ids))
        .select((
            ResultRow::as_select(),
            (technologies::slug, technologies::name, technologies::kind),
        ))
        .order((
            benchmark_results::run_id,
            benchmark_results::requests_per_sec.desc(),
            benchmark_results::position,
            benchmark_results::id,
        ))
        .into_boxed()
}

type MeasuredQuery<'a> = diesel::dsl::IntoBoxed<
    'a,
    diesel::dsl::Order<
        diesel::dsl::Select<
            diesel::dsl::Filter<
                diesel::dsl::InnerJoin<benchmark_results::table, technologies::table>,
                diesel::dsl::EqAny<benchmark_results::run_id, &'a [i32]>,
            >,
            (
                diesel::dsl::AsSelect<ResultRow, Backend>,
                (technologies::slug, technologies::name, technologies::kind),
            ),
        >,
        (
            benchmark_results::run_id,
            diesel::dsl::Desc<benchmark_results::requests_per_sec>,
            benchmark_results::position,
            benchmark_results::id,
        ),
    >,
    Backend,
>;

/// Each of the runs `ids` with a result: its count of results and its fastest. One grouped
/// query on the index of results by run and requests per second, and one for the fastest.
fn summaries(
    conn: &mut DbConnection,
    ids: &[i32],
) -> QueryResult<HashMap<i32, (i64, Option<Measured>)>> {
    let grouped: Vec<(i32, i64, Option<f64>)> = benchmark_results::table
        .filter(benchmark_results::run_id.eq_any(ids))
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
        .filter(benchmark_results::requests_per_sec.eq_any(fastest))
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

/// The first `n` results of each of the runs `ids`, fastest first: their ids from the
/// index of results by run, then those rows alone.
pub fn top_results(
    conn: &mut DbConnection,
    ids: &[i32],
    n: usize,
) -> QueryResult<HashMap<i32, Vec<Measured>>> {
    if ids.is_empty() || n == 0 {
        return Ok(HashMap::new());
    }
    let ranked: Vec<(i32, i32)> = benchmark_results::table
        .filter(benchmark_results::run_id.eq_any(ids))
        .select((benchmark_results::run_id, benchmark_results::id))
        .order((
            benchmark_results::run_id,
            benchmark_results::requests_per_sec.desc(),
            benchmark_results::position,
            benchmark_results::id,
        ))
        .load(conn)?;
    let mut taken: HashMap<i32, usize> = HashMap::new();
    let chosen: Vec<i32> = ranked
        .into_iter()
        .filter(|(run, _)| {
            let count = taken.entry(*run).or_default();
            *count += 1;
            *count <= n
        })
        .map(|(_, id)| id)
        .collect();
    let mut by_run: HashMap<i32, Vec<Measured>> = HashMap::new();
    let rows: Vec<MeasuredRow> = results_query(ids)
        .filter(benchmark_results::id.eq_any(chosen))
        .load(conn)?;
    for row in rows {
        let result = measured(row)?;
        by_run.entry(result.run_id).or_default().push(result);
    }
    Ok(by_run)
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

/// What a ranking or evidence row says of a result's run: id, tool, date, concurrency.
type RunColumns = (i32, String, NaiveDate, Option<i32>);

fn ranked(
    result: ResultRow,
    technology: (String, String, String),
    (id, tool, ran_on, concurrency): RunColumns,
    environment: Option<(String, String)>,
) -> QueryResult<RankedResult> {
    Ok(RankedResult {
        result: measured((result, technology))?,
        run: RunRef {
            id,
            tool: stored_tool(&tool)?,
            ran_on,
            concurrency,
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
        .filter(benchmark_results::run_id.eq_any(&run_ids))
        .select((
            ResultRow::as_select(),
            (technologies::slug, technologies::name, technologies::kind),
            (
                benchmark_runs::id,
                benchmark_runs::tool,
                benchmark_runs::ran_on,
                benchmark_runs::concurrency,
            ),
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
            .filter(benchmark_results::run_id.eq_any(&run_ids))
            .count()
            .get_result(conn)
    })
}

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

/// Benchmark evidence on technologies: each one's results, and those of the frameworks
/// and libraries of the languages among them, fastest first per scenario.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Evidence {
    pub scenario: ScenarioRef,
    #[serde(flatten)]
    pub result: RankedResult,
    /// The technology asked about that the result is evidence on: itself, or the language
    /// of the framework measured.
    pub about: String,
}

/// The most results one page shows as evidence.
pub const EVIDENCE_LIMIT: i64 = 50;

pub fn evidence(conn: &mut DbConnection, slugs: &[String]) -> QueryResult<Vec<Evidence>> {
    let members = evidence_members(conn, slugs)?;
    let member_ids: Vec<i32> = members.keys().copied().collect();
    evidence_rows(conn, Rows::Of(&member_ids))?
        .into_iter()
        .map(|row| {
            // A technology asked about is evidence on itself first, as the page about it
            // expects; its language comes second.
            let about = members
                .get(&row.5)
                .and_then(|about| about.first())
                .cloned()
                .unwrap_or_default();
            to_evidence(row, about)
        })
        .collect()
}

/// The most results [`best_evidence`] considers, fastest first: beyond them, a technology
/// is left without a best rather than a page loading every result ever imported.
pub const MAX_CONSIDERED: i64 = 10_000;

/// The fastest result of each technology `slugs` names in each scenario (those with the
/// ids `scenarios`, or all): its own, or for a language the fastest of its own and its
/// frameworks' and libraries'. A framework's result counts for both when it and its
/// language are asked. By scenario, then fastest first; four queries, whatever the number
/// of results.
pub fn best_evidence(
    conn: &mut DbConnection,
    slugs: &[String],
    scenarios: Option<&[i32]>,
) -> QueryResult<Vec<Evidence>> {
    let members = evidence_members(conn, slugs)?;
    if members.is_empty() {
        return Ok(Vec::new());
    }
    let member_ids: Vec<i32> = members.keys().copied().collect();
    // Only the figures first: the whole rows of the winners alone are loaded after.
    let mut query = benchmark_results::table
        .inner_join(benchmark_runs::table)
        .filter(benchmark_results::technology_id.eq_any(&member_ids))
        .select((
            benchmark_results::id,
            benchmark_runs::scenario_id,
            benchmark_results::technology_id,
        ))
        .order((
            benchmark_results::requests_per_sec.desc(),
            benchmark_results::id,
        ))
        .limit(MAX_CONSIDERED)
        .into_boxed();
    if let Some(scenarios) = scenarios {
        query = query.filter(benchmark_runs::scenario_id.eq_any(scenarios));
    }
    let figures: Vec<(i32, i32, i32)> = query.load(conn)?;
    // Fastest first, so the first result seen for a scenario and a technology asked about
    // is its best.
    let mut chosen: HashMap<(i32, &str), i32> = HashMap::new();
    for (id, scenario, technology) in &figures {
        for about in members.get(technology).into_iter().flatten() {
            chosen.entry((*scenario, about.as_str())).or_insert(*id);
        }
    }
    let mut ids: Vec<i32> = chosen.values().copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let mut evidence = Vec::new();
    for row in evidence_rows(conn, Rows::Ids(&ids))? {
        let id = row.0.id;
        let found = to_evidence(row, String::new())?;
        let mut abouts: Vec<&str> = chosen
            .iter()
            .filter(|(_, chosen)| **chosen == id)
            .map(|((_, about), _)| *about)
            .collect();
        // In the order asked, not the map's.
        abouts.sort_by_key(|about| slugs.iter().position(|slug| slug == about));
        for about in abouts {
            evidence.push(Evidence {
                about: about.to_owned(),
                ..found.clone()
            });
        }
    }
    Ok(evidence)
}

/// The technologies whose results are evidence on those `slugs` names, by id, each with
/// the slugs it is evidence on: its own if asked, then its language's if asked.
fn evidence_members(
    conn: &mut DbConnection,
    slugs: &[String],
) -> QueryResult<HashMap<i32, Vec<String>>> {
    let asked: Vec<(i32, String)> = technologies::table
        .filter(technologies::slug.eq_any(slugs))
        .select((technologies::id, technologies::slug))
        .load(conn)?;
    let ids: Vec<i32> = asked.iter().map(|(id, _)| *id).collect();
    let members: Vec<(i32, Option<i32>)> = technologies::table
        .filter(
            technologies::id
                .eq_any(&ids)
                .or(technologies::language_id.eq_any(&ids)),
        )
        .select((technologies::id, technologies::language_id))
        .load(conn)?;
    let slug_of = |id: i32| {
        asked
            .iter()
            .find(|(asked, _)| *asked == id)
            .map(|(_, slug)| slug.clone())
    };
    Ok(members
        .into_iter()
        .map(|(id, language)| {
            let about: Vec<String> = slug_of(id)
                .into_iter()
                .chain(language.and_then(slug_of))
                .collect();
            (id, about)
        })
        .filter(|(_, about)| !about.is_empty())
        .collect())
}

/// Which results [`evidence_rows`] loads.
enum Rows<'a> {
    /// Those of the technologies with these ids, at most [`EVIDENCE_LIMIT`].
    Of(&'a [i32]),
    /// Those with these ids.
    Ids(&'a [i32]),
}

/// A result with its technology, its run, the run's environment and scenario, and the id of
/// the technology measured.
type EvidenceRow = (
    ResultRow,
    (String, String, String),
    RunColumns,
    Option<(String, String)>,
    (String, String),
    i32,
);

/// The results `rows` names, by scenario, then fastest first.
fn evidence_rows(conn: &mut DbConnection, rows: Rows) -> QueryResult<Vec<EvidenceRow>> {
    let query = benchmark_results::table
        .inner_join(technologies::table)
        .inner_join(
            benchmark_runs::table
                .left_join(benchmark_environments::table)
                .inner_join(benchmark_scenarios::table),
        )
        .select((
            ResultRow::as_select(),
            (technologies::slug, technologies::name, technologies::kind),
            (
                benchmark_runs::id,
                benchmark_runs::tool,
                benchmark_runs::ran_on,
                benchmark_runs::concurrency,
            ),
            (benchmark_environments::slug, benchmark_environments::name).nullable(),
            (benchmark_scenarios::slug, benchmark_scenarios::name),
            benchmark_results::technology_id,
        ))
        .order((
            benchmark_scenarios::position,
            benchmark_scenarios::id,
            benchmark_results::requests_per_sec.desc(),
            benchmark_results::id,
        ))
        .into_boxed();
    match rows {
        Rows::Of(technologies) => query
            .filter(benchmark_results::technology_id.eq_any(technologies))
            .limit(EVIDENCE_LIMIT)
            .load(conn),
        Rows::Ids(ids) => query.filter(benchmark_results::id.eq_any(ids)).load(conn),
    }
}

fn to_evidence(
    (result, technology, run, environment, (slug, name), _): EvidenceRow,
    about: String,
) -> QueryResult<Evidence> {
    Ok(Evidence {
        scenario: ScenarioRef { slug, name },
        result: ranked(result, technology, run, environment)?,
        about,
    })
}

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

/// One scenario in a comparison: each compared technology's fastest result there.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScenarioComparison {
    pub scenario: ScenarioRef,
    /// One per technology compared, in the comparison's order.
    pub results: Vec<Compared>,
}

/// A compared technology's place in a scenario.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Compared {
    /// The technology compared, by slug.
    pub technology: String,
    /// Its fastest result here: its own, or for a language one of its frameworks'.
    pub best: Option<RankedResult>,
    /// Its requests per second as a multiple of the slowest compared technology's here;
    /// `None` without a result, or where fewer than two have one (a ratio to itself says
    /// nothing).
    pub ratio: Option<f64>,
}

impl Compared {
    /// "1.09×".
    pub fn times(&self) -> Option<String> {
        self.ratio.map(|ratio| format!("{ratio:.2}×"))
    }
}

/// The technologies `slugs` names side by side in each scenario where one of them has a
/// result: four queries.
pub fn comparison(
    conn: &mut DbConnection,
    slugs: &[String],
) -> QueryResult<Vec<ScenarioComparison>> {
    Ok(side_by_side(best_evidence(conn, slugs, None)?, slugs))
}

/// `best` (as [`best_evidence`] gives it) as one row per scenario, in its order, with a
/// place for each of `technologies` in theirs.
pub fn side_by_side(best: Vec<Evidence>, technologies: &[String]) -> Vec<ScenarioComparison> {
    let mut scenarios: Vec<(ScenarioRef, Vec<Evidence>)> = Vec::new();
    for evidence in best {
        match scenarios.iter_mut().find(|(s, _)| *s == evidence.scenario) {
            Some((_, found)) => found.push(evidence),
            None => scenarios.push((evidence.scenario.clone(), vec![evidence])),
        }
    }
    scenarios
        .into_iter()
        .map(|(scenario, mut found)| {
            let mut results: Vec<Compared> = technologies
                .iter()
                .map(|slug| Compared {
                    technology: slug.clone(),
                    best: found
                        .iter()
                        .position(|e| &e.about == slug)
                        .map(|at| found.swap_remove(at).result),
                    ratio: None,
                })
                .collect();
            let figures: Vec<f64> = results
                .iter()
                .filter_map(|c| Some(c.best.as_ref()?.result.requests_per_sec))
                .collect();
            let slowest = figures.iter().copied().fold(f64::INFINITY, f64::min);
            if figures.len() >= 2 && slowest > 0.0 {
                for compared in &mut results {
                    compared.ratio = compared
                        .best
                        .as_ref()
                        .map(|best| best.result.requests_per_sec / slowest);
                }
            }
            ScenarioComparison { scenario, results }
        })
        .collect()
}

fn stored_tool(value: &str) -> QueryResult<Tool> {
    Tool::parse(value).map_err(|e| corrupt(format!("benchmark tool `{value}` {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(value: &str) -> QueryResult<T> {
    serde_json::from_str(value).map_err(|e| corrupt(format!("stored benchmark JSON: {e}")))
}

fn corrupt(message: String) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(message.into())
}

/// Evidence made up for unit tests, here and in the advisor's.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::catalog::model::{Kind, TechnologyRef};

    /// `technology`'s result of `rps` in `scenario`, run `run`, as evidence on `about`.
    pub fn found(scenario: &str, about: &str, technology: &str, rps: f64, run: i32) -> Evidence {
        Evidence {
            scenario: ScenarioRef {
                slug: scenario.to_owned(),
                name: scenario.to_uppercase(),
            },
            result: RankedResult {
                result: Measured {
                    id: run * 10,
                    run_id: run,
                    technology: TechnologyRef {
                        slug: technology.to_owned(),
                        name: technology.to_uppercase(),
                        kind: Kind::Framework,
                    },
                    label: format!("{technology} with a database"),
                    requests_per_sec: rps,
                    total_requests: None,
                    latency: Latency::default(),
                    errors: 0,
                    non_2xx: 0,
                    status_codes: BTreeMap::new(),
                    error_kinds: BTreeMap::new(),
                    memory_mib: None,
                },
                run: RunRef {
                    id: run,
                    tool: Tool::Wrk,
                    ran_on: NaiveDate::from_ymd_opt(2026, 11, 21).expect("a date"),
                    concurrency: Some(64),
                    environment: None,
                },
            },
            about: about.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::found;
    use super::*;

    fn slugs(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn each_technology_has_its_place_and_its_ratio_to_the_slowest() {
        let best = vec![
            found("fortunes", "go", "fasthttp", 39_947.0, 3),
            found("fortunes", "rust", "actix-web", 36_735.0, 3),
            found("plaintext", "rust", "actix-web", 100_000.0, 4),
        ];
        let rows = side_by_side(best, &slugs(&["go", "rust", "python"]));
        assert_eq!(rows.len(), 2);
        let fortunes = &rows[0];
        assert_eq!(fortunes.scenario.slug, "fortunes");
        let places: Vec<_> = fortunes
            .results
            .iter()
            .map(|c| (c.technology.as_str(), c.times()))
            .collect();
        assert_eq!(
            places,
            [
                ("go", Some("1.09×".to_owned())),
                ("rust", Some("1.00×".to_owned())),
                ("python", None),
            ]
        );
        assert_eq!(
            fortunes.results[0]
                .best
                .as_ref()
                .map(|b| b.result.technology.slug.as_str()),
            Some("fasthttp")
        );
        assert!(fortunes.results[2].best.is_none());
        // Alone in a scenario: its result, but no ratio to itself.
        let plaintext = &rows[1];
        assert!(plaintext.results[1].best.is_some());
        assert!(plaintext.results.iter().all(|c| c.ratio.is_none()));
    }

    #[test]
    fn one_result_may_be_the_best_of_a_framework_and_of_its_language() {
        let best = vec![
            found("fortunes", "actix-web", "actix-web", 36_735.0, 3),
            found("fortunes", "rust", "actix-web", 36_735.0, 3),
        ];
        let rows = side_by_side(best, &slugs(&["actix-web", "rust"]));
        assert_eq!(rows.len(), 1);
        assert!(rows[0].results.iter().all(|c| c.best.is_some()));
        assert!(rows[0].results.iter().all(|c| c.ratio == Some(1.0)));
    }

    #[test]
    fn nothing_measured_is_no_row() {
        assert!(side_by_side(Vec::new(), &slugs(&["go", "rust"])).is_empty());
        // A slowest of nothing per second gives no ratios rather than infinite ones.
        let best = vec![
            found("fortunes", "go", "go", 0.0, 1),
            found("fortunes", "rust", "rust", 10.0, 1),
        ];
        let rows = side_by_side(best, &slugs(&["go", "rust"]));
        assert!(rows[0].results.iter().all(|c| c.ratio.is_none()));
    }
}
