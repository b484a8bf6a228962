//! The choices made with an upload, besides its file, checked against the catalog.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::benchmarks::model::{EnvironmentRef, ScenarioRef};
use crate::benchmarks::parse::Tool;
use crate::catalog::model::{SourceRef, TechnologyRef};
use crate::catalog::queries::technology_ref;
use crate::db::DbConnection;
use crate::db::schema::{benchmark_environments, benchmark_scenarios, sources, technologies};
use crate::editing::rules::{self, Check as Rules};
use crate::web::error::FieldError;
use crate::web::form::Fields;

/// The upload form's fields besides the file.
pub const SETTINGS_FIELDS: &[&str] = &[
    "tool",
    "scenario",
    "environment",
    "technology",
    "source",
    "ran_on",
    "tool_version",
    "concurrency",
    "duration_secs",
    "memory_mib",
    "notes",
];

/// The choices made with an upload, checked against the catalog.
#[derive(Debug, Clone)]
pub struct Settings {
    pub tool: Tool,
    /// Required unless the file names its scenarios (TechEmpower).
    pub scenario: Option<ScenarioRef>,
    pub environment: Option<(i32, EnvironmentRef)>,
    /// Required unless each target is mapped at the preview (TechEmpower).
    pub technology: Option<TechnologyRef>,
    pub source: Option<SourceRef>,
    /// `None`: the file's date, or today.
    pub ran_on: Option<NaiveDate>,
    pub tool_version: String,
    /// Where the file does not say (oha), or to correct it.
    pub concurrency: Option<i32>,
    pub duration_secs: Option<f64>,
    /// Peak memory of the server under test, which no load tool measures.
    pub memory_mib: Option<f64>,
    pub notes: String,
}

impl Settings {
    pub fn check(
        conn: &mut DbConnection,
        fields: &Fields,
        today: NaiveDate,
    ) -> QueryResult<Result<Settings, Vec<FieldError>>> {
        let mut check = Rules::default();
        let tool = match fields.get("tool") {
            "" => {
                check.fail("tool", "is required");
                None
            }
            value => check.field("tool", Tool::parse(value)),
        };
        let many = tool.is_some_and(Tool::has_many_targets);

        let scenario = match (fields.get("scenario"), many) {
            ("", true) => Some(None),
            (_, true) => {
                check.fail(
                    "scenario",
                    "must be left empty for TechEmpower: each test type in the file is its own scenario",
                );
                None
            }
            ("", false) => {
                check.fail("scenario", "is required: what did the run measure?");
                None
            }
            (slug, _) => {
                let found: Option<(String, String)> = benchmark_scenarios::table
                    .filter(benchmark_scenarios::slug.eq(slug))
                    .select((benchmark_scenarios::slug, benchmark_scenarios::name))
                    .first(conn)
                    .optional()?;
                if found.is_none() {
                    check.fail("scenario", format!("names no scenario: `{slug}`"));
                }
                found.map(|(slug, name)| Some(ScenarioRef { slug, name }))
            }
        };
        let environment = match fields.get("environment") {
            "" => Some(None),
            slug => {
                let found: Option<(i32, String, String)> = benchmark_environments::table
                    .filter(benchmark_environments::slug.eq(slug))
                    .select((
                        benchmark_environments::id,
                        benchmark_environments::slug,
                        benchmark_environments::name,
                    ))
                    .first(conn)
                    .optional()?;
                if found.is_none() {
                    check.fail("environment", format!("names no environment: `{slug}`"));
                }
                found.map(|(id, slug, name)| Some((id, EnvironmentRef { slug, name })))
            }
        };
        let technology = match (fields.get("technology"), many) {
            ("", true) => Some(None),
            (_, true) => {
                check.fail(
                    "technology",
                    "must be left empty for TechEmpower: each framework is mapped on the next page",
                );
                None
            }
            ("", false) => {
                check.fail("technology", "is required: which technology was measured?");
                None
            }
            (slug, _) => {
                let found = technology_by_slug(conn, slug)?;
                if found.is_none() {
                    check.fail("technology", format!("names no technology: `{slug}`"));
                }
                found.map(Some)
            }
        };
        let source = match fields.get("source") {
            "" => Some(None),
            value => match value.parse::<i32>() {
                Ok(id) => {
                    let found: Option<SourceRef> = sources::table
                        .find(id)
                        .select(SourceRef::as_select())
                        .first(conn)
                        .optional()?;
                    if found.is_none() {
                        check.fail("source", format!("names no source: `{value}`"));
                    }
                    found.map(Some)
                }
                Err(_) => {
                    check.fail("source", "must be a source's number");
                    None
                }
            },
        };
        let ran_on = match fields.get("ran_on") {
            "" => Some(None),
            value => check
                .field("ran_on", rules::past_date(value, today))
                .map(Some),
        };
        let tool_version = check.field(
            "tool_version",
            rules::optional(fields.get("tool_version"), 100),
        );
        let concurrency = optional(&mut check, fields, "concurrency", |value| {
            rules::number(value, 1, 10_000_000)
        });
        let duration_secs = optional(&mut check, fields, "duration_secs", |value| {
            positive(value, 31_536_000.0)
        });
        let memory_mib = optional(&mut check, fields, "memory_mib", |value| {
            positive(value, 16_777_216.0)
        });
        if memory_mib.flatten().is_some() && many {
            check.fail(
                "memory_mib",
                "is for a file with one target: a TechEmpower file has many",
            );
        }
        let notes = check.field("notes", rules::optional(fields.get("notes"), 4000));
        let settings = (|| {
            Some(Settings {
                tool: tool?,
                scenario: scenario?,
                environment: environment?,
                technology: technology?,
                source: source?,
                ran_on: ran_on?,
                tool_version: tool_version?,
                concurrency: concurrency?,
                duration_secs: duration_secs?,
                memory_mib: memory_mib?,
                notes: notes?,
            })
        })();
        Ok(check.finish(settings))
    }
}

/// An optional field: `Some(None)` when empty, `None` when it fails its rule.
fn optional<T>(
    check: &mut Rules,
    fields: &Fields,
    name: &str,
    rule: impl FnOnce(&str) -> Result<T, String>,
) -> Option<Option<T>> {
    match fields.get(name) {
        "" => Some(None),
        value => check.field(name, rule(value)).map(Some),
    }
}

fn positive(value: &str, max: f64) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(number) if number > 0.0 && number <= max => Ok(number),
        Ok(_) => Err(format!("must be above 0 and at most {max}")),
        Err(_) => Err("must be a number, such as 12.5".to_owned()),
    }
}

fn technology_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<TechnologyRef>> {
    technologies::table
        .filter(technologies::slug.eq(slug))
        .select((technologies::slug, technologies::name, technologies::kind))
        .first::<(String, String, String)>(conn)
        .optional()?
        .map(technology_ref)
        .transpose()
}
