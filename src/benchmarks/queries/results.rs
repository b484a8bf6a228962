//! Results as stored and read back, and the first few of each run.

use std::collections::{BTreeMap, HashMap};

use crate::db::one_of;
use diesel::prelude::*;

use super::rows::{Backend, from_json};
use crate::benchmarks::model::Measured;
use crate::benchmarks::parse::Latency;
use crate::catalog::queries::technology_ref;
use crate::db::DbConnection;
use crate::db::schema::{benchmark_results, technologies};

#[derive(Queryable, Selectable)]
#[diesel(table_name = benchmark_results)]
pub(super) struct ResultRow {
    pub(super) id: i32,
    pub(super) run_id: i32,
    label: String,
    pub(super) requests_per_sec: f64,
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

pub(super) type MeasuredRow = (ResultRow, (String, String, String));

pub(super) fn measured((row, technology): MeasuredRow) -> QueryResult<Measured> {
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
pub(super) fn results_query(ids: &[i32]) -> MeasuredQuery<'_> {
    benchmark_results::table
        .inner_join(technologies::table)
        .filter(one_of(benchmark_results::run_id, ids))
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

pub(super) type MeasuredQuery<'a> = diesel::dsl::IntoBoxed<
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
        .filter(one_of(benchmark_results::run_id, ids))
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
        .filter(one_of(benchmark_results::id, chosen))
        .load(conn)?;
    for row in rows {
        let result = measured(row)?;
        by_run.entry(result.run_id).or_default().push(result);
    }
    Ok(by_run)
}
