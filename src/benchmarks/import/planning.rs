//! Planning an import: a read file and its choices laid out as a plan, each target mapped.

use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::benchmarks::parse::Parsed;
use crate::db::DbConnection;
use crate::db::schema::benchmark_scenarios;
use crate::web::error::FieldError;
use crate::web::form::Fields;
use crate::web::upload::FILE_FIELD;

use super::matching::{NEW_TECHNOLOGY, known_technologies, map_target};
use super::plan::{Plan, PlannedResult, PlannedRun, PlannedScenario, Target};
use super::settings::Settings;
use super::techempower::techempower_scenario;

/// The plan for `parsed`, with each TechEmpower framework mapped by its `map.<name>` field,
/// or else to the technology of the same slug or name, or else to a new framework.
pub fn plan(
    conn: &mut DbConnection,
    settings: &Settings,
    filename: &str,
    parsed: Parsed,
    mapping: &Fields,
    today: NaiveDate,
) -> QueryResult<Result<Plan, Vec<FieldError>>> {
    let mut errors = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    match &settings.technology {
        Some(technology) if !settings.tool.has_many_targets() => {
            let mut seen = HashSet::new();
            for measurement in parsed.groups.iter().flat_map(|g| &g.measurements) {
                if seen.insert(measurement.target.as_str()) {
                    targets.push(Target {
                        name: measurement.target.clone(),
                        field: "technology".to_owned(),
                        technology: technology.clone(),
                        new: false,
                    });
                }
            }
        }
        _ => {
            let mut seen = HashSet::new();
            let names: Vec<&str> = parsed
                .groups
                .iter()
                .flat_map(|g| &g.measurements)
                .map(|m| m.target.as_str())
                .filter(|name| seen.insert(*name))
                .collect();
            let chosen: Vec<&str> = names
                .iter()
                .map(|name| mapping.get(&format!("map.{name}")))
                .filter(|choice| !choice.is_empty() && *choice != NEW_TECHNOLOGY)
                .collect();
            let known = known_technologies(conn, &names, &chosen)?;
            for name in names {
                let field = format!("map.{name}");
                match map_target(name, mapping.get(&field), &known) {
                    Ok((technology, new)) => targets.push(Target {
                        name: name.to_owned(),
                        field,
                        technology,
                        new,
                    }),
                    Err(detail) => errors.push(FieldError::new(field, detail)),
                }
            }
        }
    }

    // The scenarios a TechEmpower file names that exist already: one query.
    let named: Vec<String> = parsed
        .groups
        .iter()
        .filter_map(|g| Some(techempower_scenario(g.test_type.as_deref()?, g.queries).slug))
        .collect();
    let existing: HashSet<String> = match (&settings.scenario, named.is_empty()) {
        (None, false) => benchmark_scenarios::table
            .filter(benchmark_scenarios::slug.eq_any(&named))
            .select(benchmark_scenarios::slug)
            .load::<String>(conn)?
            .into_iter()
            .collect(),
        _ => HashSet::new(),
    };
    let mut runs = Vec::new();
    for group in parsed.groups {
        let scenario = match (&settings.scenario, &group.test_type) {
            (Some(chosen), _) => PlannedScenario {
                slug: chosen.slug.clone(),
                name: chosen.name.clone(),
                exists: true,
                description: "",
            },
            (None, Some(test_type)) => {
                let mut scenario = techempower_scenario(test_type, group.queries);
                scenario.exists = existing.contains(&scenario.slug);
                scenario
            }
            (None, None) => {
                errors.push(FieldError::new("scenario", "is required"));
                continue;
            }
        };
        runs.push(PlannedRun {
            scenario,
            concurrency: settings.concurrency.or(group.concurrency),
            threads: parsed.threads,
            duration_secs: settings.duration_secs.or(group.duration_secs),
            results: group
                .measurements
                .into_iter()
                .map(|measurement| PlannedResult {
                    measurement,
                    memory_mib: settings.memory_mib,
                })
                .collect(),
        });
    }
    if runs.iter().all(|run| run.results.is_empty()) {
        errors.push(FieldError::new(FILE_FIELD, "holds no results"));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(Plan {
        tool: settings.tool,
        filename: filename.to_owned(),
        ran_on: settings.ran_on.or(parsed.ran_on).unwrap_or(today),
        tool_version: match settings.tool_version.as_str() {
            "" => parsed.tool_version.unwrap_or_default(),
            given => given.to_owned(),
        },
        environment: settings.environment.as_ref().map(|(_, e)| e.clone()),
        source: settings.source.clone(),
        notes: settings.notes.clone(),
        runs,
        targets,
        checks: parsed.checks,
        thresholds: parsed.thresholds,
        environment_id: settings.environment.as_ref().map(|(id, _)| *id),
    }))
}
