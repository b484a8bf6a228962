//! Storing a confirmed import in one transaction, or the demo dataset's runs.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, Action, Actor, Change};
use crate::benchmarks::scenarios::Scenario;
use crate::catalog::edit::Technology;
use crate::catalog::model::Kind;
use crate::db::schema::{
    benchmark_results, benchmark_runs, benchmark_scenarios, benchmark_uploads, technologies,
};
use crate::db::{self, DbConnection};
use crate::editing::{self, Editable, Outcome};
use crate::web::error::FieldError;
use crate::web::form::Fields;

use super::plan::{Plan, PlannedResult};

/// Why a confirmation stored nothing.
#[derive(Debug)]
pub enum Refused {
    /// The upload was confirmed already, or swept.
    Gone,
    /// The choices or the mapping do not hold, or a technology or scenario the import
    /// would create is not valid (a slug taken since the preview).
    Invalid(Vec<FieldError>),
}

/// Why the import's transaction was rolled back.
enum Abort {
    Refused(Refused),
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for Abort {
    fn from(error: diesel::result::Error) -> Self {
        Abort::Database(error)
    }
}

impl From<Refused> for Abort {
    fn from(refused: Refused) -> Self {
        Abort::Refused(refused)
    }
}

/// What an import stored.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    pub upload: Option<i32>,
    pub runs: Vec<i32>,
    pub results: usize,
}

/// Stores `plan` in one transaction, confirming the upload `upload` (`None` for runs that
/// come without a file, as the demo dataset's).
pub fn store(
    conn: &mut DbConnection,
    actor: &Actor,
    upload: Option<i32>,
    plan: &Plan,
) -> QueryResult<Result<Imported, Refused>> {
    match db::write(conn, |conn| store_in(conn, actor, upload, plan)) {
        Ok(imported) => Ok(Ok(imported)),
        Err(Abort::Refused(refused)) => Ok(Err(refused)),
        Err(Abort::Database(e)) => Err(e),
    }
}

fn store_in(
    conn: &mut DbConnection,
    actor: &Actor,
    upload: Option<i32>,
    plan: &Plan,
) -> Result<Imported, Abort> {
    for target in plan.targets.iter().filter(|t| t.new) {
        let fields = Fields::new(vec![
            ("slug", target.technology.slug.clone()),
            ("name", target.technology.name.clone()),
            ("kind", Kind::Framework.as_str().into()),
            (
                "summary",
                format!(
                    "Created by importing {} ({} output).",
                    plan.filename, plan.tool
                ),
            ),
        ]);
        created::<Technology>(conn, actor, &fields, &target.field)?;
    }
    let mut created_scenarios: Vec<&str> = Vec::new();
    for scenario in plan.runs.iter().map(|run| &run.scenario) {
        if scenario.exists || created_scenarios.contains(&scenario.slug.as_str()) {
            continue;
        }
        let fields = Fields::new(vec![
            ("slug", scenario.slug.clone()),
            ("name", scenario.name.clone()),
            ("description", scenario.description.to_owned()),
            ("position", "100".to_owned()),
        ]);
        created::<Scenario>(conn, actor, &fields, "scenario")?;
        created_scenarios.push(&scenario.slug);
    }
    let imported = insert_runs(conn, actor.user_id, upload, plan)?;
    let label = match upload {
        Some(_) => plan.filename.clone(),
        None => format!("{} runs without a file", plan.runs.len()),
    };
    let change = Change::of(
        Action::Create,
        "benchmark import",
        upload
            .or(imported.runs.first().copied())
            .unwrap_or_default(),
        label,
    )
    .after(&serde_json::json!({
        "tool": plan.tool,
        "file": plan.filename,
        "runs": imported.runs,
        "results": imported.results,
        "scenarios": plan.runs.iter().map(|r| &r.scenario.slug).collect::<Vec<_>>(),
    }));
    audit::record(conn, actor, change)?;
    db::bump_content_revision(conn)?;
    Ok(imported)
}

/// Inserts the plan's runs and results, whose scenarios and technologies exist, and
/// confirms the upload `upload` they come from.
fn insert_runs(
    conn: &mut DbConnection,
    imported_by: Option<i32>,
    upload: Option<i32>,
    plan: &Plan,
) -> Result<Imported, Abort> {
    let now = Utc::now().naive_utc();
    if let Some(id) = upload {
        let confirmed = diesel::update(
            benchmark_uploads::table
                .find(id)
                .filter(benchmark_uploads::imported_at.is_null()),
        )
        .set(benchmark_uploads::imported_at.eq(now))
        .execute(conn)?;
        if confirmed != 1 {
            return Err(Refused::Gone.into());
        }
    }
    let scenario_slugs: Vec<&str> = plan.runs.iter().map(|r| r.scenario.slug.as_str()).collect();
    let scenario_ids: HashMap<String, i32> = benchmark_scenarios::table
        .filter(benchmark_scenarios::slug.eq_any(&scenario_slugs))
        .select((benchmark_scenarios::slug, benchmark_scenarios::id))
        .load::<(String, i32)>(conn)?
        .into_iter()
        .collect();
    let slugs: Vec<&str> = plan
        .targets
        .iter()
        .map(|t| t.technology.slug.as_str())
        .collect();
    let technology_ids: HashMap<String, i32> = technologies::table
        .filter(technologies::slug.eq_any(&slugs))
        .select((technologies::slug, technologies::id))
        .load::<(String, i32)>(conn)?
        .into_iter()
        .collect();
    let technology_of: HashMap<&str, i32> = plan
        .targets
        .iter()
        .filter_map(|t| Some((t.name.as_str(), *technology_ids.get(&t.technology.slug)?)))
        .collect();

    let checks = json(&plan.checks)?;
    let thresholds = json(&plan.thresholds)?;
    let mut imported = Imported {
        upload,
        runs: Vec::new(),
        results: 0,
    };
    for run in &plan.runs {
        let Some(&scenario_id) = scenario_ids.get(&run.scenario.slug) else {
            return Err(Refused::Invalid(vec![FieldError::new(
                "scenario",
                format!("names no scenario: `{}`", run.scenario.slug),
            )])
            .into());
        };
        let run_id: i32 = diesel::insert_into(benchmark_runs::table)
            .values((
                benchmark_runs::upload_id.eq(upload),
                benchmark_runs::scenario_id.eq(scenario_id),
                benchmark_runs::environment_id.eq(plan.environment_id),
                benchmark_runs::source_id.eq(plan.source.as_ref().map(|s| s.id)),
                benchmark_runs::tool.eq(plan.tool.as_str()),
                benchmark_runs::tool_version.eq(&plan.tool_version),
                benchmark_runs::ran_on.eq(plan.ran_on),
                benchmark_runs::concurrency.eq(run.concurrency),
                benchmark_runs::threads.eq(run.threads),
                benchmark_runs::duration_secs.eq(run.duration_secs),
                benchmark_runs::notes.eq(&plan.notes),
                benchmark_runs::checks.eq(&checks),
                benchmark_runs::thresholds.eq(&thresholds),
                benchmark_runs::imported_by.eq(imported_by),
                benchmark_runs::created_at.eq(now),
            ))
            .returning(benchmark_runs::id)
            .get_result(conn)?;
        // One row at a time: batch inserts are not in what both backends share.
        for (position, result) in run.results.iter().enumerate() {
            let target = &result.measurement.target;
            let Some(&technology_id) = technology_of.get(target.as_str()) else {
                return Err(Refused::Invalid(vec![FieldError::new(
                    format!("map.{target}"),
                    "has no technology",
                )])
                .into());
            };
            insert_result(conn, run_id, technology_id, position, result)?;
            imported.results += 1;
        }
        imported.runs.push(run_id);
    }
    Ok(imported)
}

/// Stores the demo dataset's runs, whose scenarios and technologies exist and whose file,
/// if any, is the upload `upload`: in the caller's transaction and unaudited, as the rest
/// of the dataset.
pub fn store_seeded(
    conn: &mut DbConnection,
    upload: Option<i32>,
    plan: &Plan,
) -> QueryResult<Imported> {
    match insert_runs(conn, None, upload, plan) {
        Ok(imported) => Ok(imported),
        Err(Abort::Database(e)) => Err(e),
        Err(Abort::Refused(refused)) => Err(diesel::result::Error::DeserializationError(
            format!("the demo dataset's runs do not fit the catalog: {refused:?}").into(),
        )),
    }
}

/// Creates an item through the catalog's write path (audited, in a savepoint), answering
/// its id; its field errors are reported at `field` of the import.
fn created<T: Editable>(
    conn: &mut DbConnection,
    actor: &Actor,
    fields: &Fields,
    field: &str,
) -> Result<i32, Abort> {
    match editing::create::<T>(conn, actor, fields)? {
        Outcome::Saved(current) => Ok(current.id),
        Outcome::Invalid(errors) => Err(Refused::Invalid(
            errors
                .into_iter()
                .map(|e| FieldError::new(field, format!("{} {}: {}", T::KIND, e.name, e.detail)))
                .collect(),
        )
        .into()),
        // Creating has no other outcome.
        _ => Err(Abort::Database(diesel::result::Error::RollbackTransaction)),
    }
}

fn insert_result(
    conn: &mut DbConnection,
    run_id: i32,
    technology_id: i32,
    position: usize,
    planned: &PlannedResult,
) -> QueryResult<()> {
    let result = &planned.measurement;
    let latency = &result.latency;
    let counts = |pairs: &[(String, i64)]| json(&pairs.iter().cloned().collect::<BTreeMap<_, _>>());
    diesel::insert_into(benchmark_results::table)
        .values((
            benchmark_results::run_id.eq(run_id),
            benchmark_results::technology_id.eq(technology_id),
            benchmark_results::label.eq(&result.target),
            benchmark_results::requests_per_sec.eq(result.requests_per_sec),
            benchmark_results::total_requests.eq(result.total_requests),
            benchmark_results::latency_avg_ms.eq(latency.avg_ms),
            benchmark_results::latency_stdev_ms.eq(latency.stdev_ms),
            benchmark_results::latency_max_ms.eq(latency.max_ms),
            benchmark_results::p50_ms.eq(latency.p50_ms),
            benchmark_results::p75_ms.eq(latency.p75_ms),
            benchmark_results::p90_ms.eq(latency.p90_ms),
            benchmark_results::p95_ms.eq(latency.p95_ms),
            benchmark_results::p99_ms.eq(latency.p99_ms),
            benchmark_results::p999_ms.eq(latency.p999_ms),
            benchmark_results::errors.eq(result.errors),
            benchmark_results::non_2xx.eq(result.non_2xx),
            benchmark_results::status_codes.eq(counts(&result.status_codes)?),
            benchmark_results::error_kinds.eq(counts(&result.error_kinds)?),
            benchmark_results::memory_mib.eq(planned.memory_mib),
            benchmark_results::position.eq(i32::try_from(position).unwrap_or(i32::MAX)),
        ))
        .execute(conn)?;
    Ok(())
}

fn json(value: &impl Serialize) -> QueryResult<String> {
    serde_json::to_string(value).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
}
