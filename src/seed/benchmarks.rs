//! The demo dataset's benchmark evidence (`benchmarks.toml`): its scenarios and
//! environment, the published table of measured runs (source S6), and load tools' files,
//! read by the same importer as an upload.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::{Actor, Via};
use crate::benchmarks::import::{self, Prepared, Settings};
use crate::benchmarks::model::{EnvironmentRef, ScenarioRef};
use crate::benchmarks::parse::{Group, Latency, Measurement, Parsed, Tool};
use crate::catalog::model::SourceRef;
use crate::db::DbConnection;
use crate::db::schema::{
    benchmark_environments, benchmark_runs, benchmark_scenarios, benchmark_uploads, sources,
};
use crate::web::form::Fields;

const BENCHMARKS: &str = include_str!("benchmarks.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchmarkSeeds {
    scenarios: Vec<ScenarioSeed>,
    environments: Vec<EnvironmentSeed>,
    runs: Vec<RunSeed>,
    files: Vec<FileSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioSeed {
    slug: String,
    name: String,
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvironmentSeed {
    slug: String,
    name: String,
    hardware: String,
    os: String,
    notes: String,
}

/// A run of the published table: figures without a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunSeed {
    scenario: String,
    environment: String,
    source: String,
    tool: String,
    tool_version: String,
    ran_on: NaiveDate,
    concurrency: i32,
    threads: i32,
    duration_secs: f64,
    notes: String,
    results: Vec<ResultSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResultSeed {
    technology: String,
    label: String,
    requests_per_sec: f64,
    p50_ms: Option<f64>,
    p99_ms: Option<f64>,
    memory_mib: Option<f64>,
}

/// A load tool's file, imported as an upload would be.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSeed {
    /// One of [`FILES`].
    file: String,
    tool: String,
    scenario: String,
    technology: String,
    environment: String,
    tool_version: String,
    ran_on: NaiveDate,
    /// Where the file does not say (oha).
    concurrency: Option<i32>,
    memory_mib: Option<f64>,
    notes: String,
}

/// The files `benchmarks.toml` imports, embedded in the binary.
const FILES: &[(&str, &str)] = &[
    (
        "verdict-technologies.wrk.txt",
        include_str!("benchmarks/verdict-technologies.wrk.txt"),
    ),
    (
        "verdict-api-technologies.oha.json",
        include_str!("benchmarks/verdict-api-technologies.oha.json"),
    ),
];

impl BenchmarkSeeds {
    pub fn demo() -> Result<Self, toml::de::Error> {
        toml::from_str(BENCHMARKS)
    }

    /// The scenarios' and the environments' slugs.
    pub fn slugs(&self) -> (Vec<String>, Vec<String>) {
        (
            self.scenarios.iter().map(|s| s.slug.clone()).collect(),
            self.environments.iter().map(|e| e.slug.clone()).collect(),
        )
    }

    /// The published runs' scenarios (each once, in order), environment and sources' keys.
    pub fn published(&self) -> (Vec<String>, Option<String>, Vec<String>) {
        let mut scenarios: Vec<String> = Vec::new();
        let mut sources: Vec<String> = Vec::new();
        for run in &self.runs {
            if !scenarios.contains(&run.scenario) {
                scenarios.push(run.scenario.clone());
            }
            if !sources.contains(&run.source) {
                sources.push(run.source.clone());
            }
        }
        let environment = self.runs.first().map(|run| run.environment.clone());
        (scenarios, environment, sources)
    }

    /// The names of the files imported.
    pub fn file_names(&self) -> Vec<String> {
        self.files.iter().map(|f| f.file.clone()).collect()
    }

    /// Checks what the seeds refer to among themselves and in the catalog's seeds.
    pub fn check(&self, technologies: &[&str], sources: &[&str]) -> Result<(), String> {
        for run in &self.runs {
            let at = format!("run of `{}`", run.scenario);
            if !self.scenarios.iter().any(|s| s.slug == run.scenario) {
                return Err(format!("{at}: no scenario `{}`", run.scenario));
            }
            if !self.environments.iter().any(|e| e.slug == run.environment) {
                return Err(format!("{at}: no environment `{}`", run.environment));
            }
            if !sources.contains(&run.source.as_str()) {
                return Err(format!("{at}: no source `{}`", run.source));
            }
            Tool::parse(&run.tool).map_err(|e| format!("{at}: tool {e}"))?;
            if let Some(result) = run
                .results
                .iter()
                .find(|r| !technologies.contains(&r.technology.as_str()))
            {
                return Err(format!("{at}: no technology `{}`", result.technology));
            }
        }
        for file in &self.files {
            let at = format!("file `{}`", file.file);
            let Some((_, content)) = FILES.iter().find(|(name, _)| *name == file.file) else {
                return Err(format!("{at}: not among the embedded files"));
            };
            let tool = Tool::parse(&file.tool).map_err(|e| format!("{at}: tool {e}"))?;
            crate::benchmarks::parse::parse(tool, content.as_bytes())
                .map_err(|e| format!("{at}: {e}"))?;
            if !self.scenarios.iter().any(|s| s.slug == file.scenario) {
                return Err(format!("{at}: no scenario `{}`", file.scenario));
            }
            if !self.environments.iter().any(|e| e.slug == file.environment) {
                return Err(format!("{at}: no environment `{}`", file.environment));
            }
            if !technologies.contains(&file.technology.as_str()) {
                return Err(format!("{at}: no technology `{}`", file.technology));
            }
        }
        Ok(())
    }
}

/// Loads what is missing: scenarios and environments by slug; the published runs unless
/// runs citing their source exist. Answers how many runs it added.
pub fn load(
    conn: &mut DbConnection,
    seeds: &BenchmarkSeeds,
    source_ids: &HashMap<String, i32>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let mut scenarios: HashMap<String, String> = benchmark_scenarios::table
        .select((benchmark_scenarios::slug, benchmark_scenarios::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    for (position, scenario) in (10..).step_by(10).zip(&seeds.scenarios) {
        if scenarios.contains_key(&scenario.slug) {
            continue;
        }
        diesel::insert_into(benchmark_scenarios::table)
            .values((
                benchmark_scenarios::slug.eq(&scenario.slug),
                benchmark_scenarios::name.eq(&scenario.name),
                benchmark_scenarios::description.eq(&scenario.description),
                benchmark_scenarios::position.eq(position),
                benchmark_scenarios::created_at.eq(now),
                benchmark_scenarios::updated_at.eq(now),
            ))
            .execute(conn)?;
        scenarios.insert(scenario.slug.clone(), scenario.name.clone());
    }
    let mut environments: HashMap<String, (i32, String)> = benchmark_environments::table
        .select((
            benchmark_environments::slug,
            benchmark_environments::id,
            benchmark_environments::name,
        ))
        .load::<(String, i32, String)>(conn)?
        .into_iter()
        .map(|(slug, id, name)| (slug, (id, name)))
        .collect();
    for environment in &seeds.environments {
        if environments.contains_key(&environment.slug) {
            continue;
        }
        let id: i32 = diesel::insert_into(benchmark_environments::table)
            .values((
                benchmark_environments::slug.eq(&environment.slug),
                benchmark_environments::name.eq(&environment.name),
                benchmark_environments::hardware.eq(&environment.hardware),
                benchmark_environments::os.eq(&environment.os),
                benchmark_environments::notes.eq(&environment.notes),
                benchmark_environments::created_at.eq(now),
                benchmark_environments::updated_at.eq(now),
            ))
            .returning(benchmark_environments::id)
            .get_result(conn)?;
        environments.insert(environment.slug.clone(), (id, environment.name.clone()));
    }

    let seeded_ids: Vec<i32> = seeds
        .runs
        .iter()
        .map(|run| source_ids[&run.source])
        .collect();
    let cited: Vec<Option<i32>> = benchmark_runs::table
        .filter(benchmark_runs::source_id.eq_any(&seeded_ids))
        .select(benchmark_runs::source_id)
        .distinct()
        .load(conn)?;
    let mut added = 0;
    for run in &seeds.runs {
        let source_id = source_ids[&run.source];
        if cited.contains(&Some(source_id)) {
            continue;
        }
        let source: SourceRef = sources::table
            .find(source_id)
            .select(SourceRef::as_select())
            .first(conn)?;
        let (environment_id, environment_name) = environments[&run.environment].clone();
        let settings = Settings {
            tool: Tool::parse(&run.tool).map_err(corrupt)?,
            scenario: Some(ScenarioRef {
                slug: run.scenario.clone(),
                name: scenarios[&run.scenario].clone(),
            }),
            environment: Some((
                environment_id,
                EnvironmentRef {
                    slug: run.environment.clone(),
                    name: environment_name,
                },
            )),
            technology: None,
            source: Some(source),
            ran_on: Some(run.ran_on),
            tool_version: run.tool_version.clone(),
            concurrency: Some(run.concurrency),
            duration_secs: Some(run.duration_secs),
            memory_mib: None,
            notes: run.notes.clone(),
        };
        let parsed = Parsed {
            tool: settings.tool,
            tool_version: None,
            ran_on: None,
            threads: Some(run.threads),
            groups: vec![Group {
                test_type: None,
                queries: None,
                concurrency: Some(run.concurrency),
                duration_secs: Some(run.duration_secs),
                measurements: run.results.iter().map(measurement).collect(),
            }],
            checks: Vec::new(),
            thresholds: Vec::new(),
        };
        let mapping = Fields::new(
            run.results
                .iter()
                .map(|r| (format!("map.{}", r.label), r.technology.clone())),
        );
        let mut plan = import::plan(conn, &settings, "", parsed, &mapping, run.ran_on)?
            .map_err(|errors| corrupt(format!("{errors:?}")))?;
        for planned in plan.runs.iter_mut() {
            for (result, seed) in planned.results.iter_mut().zip(&run.results) {
                result.memory_mib = seed.memory_mib;
            }
        }
        added += import::store_seeded(conn, None, &plan)?.runs.len();
    }

    let names: Vec<&str> = seeds.files.iter().map(|f| f.file.as_str()).collect();
    let uploaded: Vec<String> = benchmark_uploads::table
        .filter(benchmark_uploads::filename.eq_any(&names))
        .select(benchmark_uploads::filename)
        .load(conn)?;
    // The files go through the same checks and planning as an upload.
    let seeder = Actor {
        user_id: None,
        name: "demo dataset".to_owned(),
        via: Via::Cli,
    };
    for file in seeds.files.iter().filter(|f| !uploaded.contains(&f.file)) {
        let content = FILES
            .iter()
            .find(|(name, _)| *name == file.file)
            .map(|(_, content)| *content)
            .ok_or_else(|| corrupt(format!("no embedded file `{}`", file.file)))?;
        let mut fields = vec![
            ("tool", file.tool.clone()),
            ("scenario", file.scenario.clone()),
            ("technology", file.technology.clone()),
            ("environment", file.environment.clone()),
            ("ran_on", file.ran_on.to_string()),
            ("tool_version", file.tool_version.clone()),
            ("notes", file.notes.clone()),
        ];
        fields.extend(file.concurrency.map(|c| ("concurrency", c.to_string())));
        fields.extend(file.memory_mib.map(|m| ("memory_mib", m.to_string())));
        let fields = Fields::new(fields);
        let read = Ok((file.file.clone(), content.as_bytes().to_vec()));
        // The dataset's own dates are taken as they are, whatever this machine's clock says.
        let today = now.date().max(file.ran_on);
        let Prepared { plan, content } =
            import::prepare(conn, &fields, read, &Fields::default(), today)?
                .map_err(|errors| corrupt(format!("{errors:?}")))?;
        let upload = import::stage(conn, &seeder, plan.tool, &plan.filename, &content, &fields)?;
        added += import::store_seeded(conn, Some(upload), &plan)?.runs.len();
    }
    Ok(added)
}

fn measurement(seed: &ResultSeed) -> Measurement {
    Measurement {
        target: seed.label.clone(),
        requests_per_sec: seed.requests_per_sec,
        total_requests: None,
        latency: Latency {
            p50_ms: seed.p50_ms,
            p99_ms: seed.p99_ms,
            ..Latency::default()
        },
        errors: 0,
        non_2xx: 0,
        status_codes: Vec::new(),
        error_kinds: Vec::new(),
    }
}

fn corrupt(message: String) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(
        format!("the demo dataset's benchmarks: {message}").into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_runs_and_files_refer_to_what_exists() {
        let seeds = BenchmarkSeeds::demo().expect("valid TOML");
        assert_eq!(seeds.runs.len(), 4);
        assert_eq!(seeds.files.len(), 2);
        seeds
            .check(&["actix-web", "fasthttp"], &["S6"])
            .expect("consistent");
        assert_eq!(
            seeds.check(&["actix-web"], &["S6"]),
            Err("run of `fortunes`: no technology `fasthttp`".to_owned())
        );
        assert_eq!(
            seeds.check(&["actix-web", "fasthttp"], &["S1"]),
            Err("run of `fortunes`: no source `S6`".to_owned())
        );
    }

    #[test]
    fn a_file_that_is_not_embedded_or_not_the_tools_output_is_refused() {
        let mut seeds = BenchmarkSeeds::demo().expect("valid TOML");
        seeds.files[0].file = "missing.txt".to_owned();
        let refused = seeds.check(&["actix-web", "fasthttp"], &["S6"]);
        assert_eq!(
            refused,
            Err("file `missing.txt`: not among the embedded files".to_owned())
        );
        let mut seeds = BenchmarkSeeds::demo().expect("valid TOML");
        seeds.files[1].tool = "wrk".to_owned();
        let refused = seeds
            .check(&["actix-web", "fasthttp"], &["S6"])
            .expect_err("oha's JSON is not wrk's text");
        assert!(
            refused.starts_with("file `verdict-api-technologies.oha.json`: no line of wrk"),
            "{refused}"
        );
    }
}
