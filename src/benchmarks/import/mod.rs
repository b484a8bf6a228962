//! Importing a load tool's output. The upload's choices are checked ([`Settings`]) and its
//! file read; the file is kept as an unconfirmed upload, and what would be stored is laid
//! out as a [`Plan`] for the preview. On confirmation, the plan is stored in one
//! transaction: the runs, their results, and the technologies and scenarios it creates.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, TimeDelta, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, Action, Actor, Change};
use crate::benchmarks::model::{EnvironmentRef, Measured, Run, ScenarioRef};
use crate::benchmarks::parse::{self, Check, Measurement, Parsed, Threshold, Tool};
use crate::benchmarks::scenarios::Scenario;
use crate::catalog::edit::Technology;
use crate::catalog::model::{Kind, SourceRef, TechnologyRef};
use crate::catalog::queries::technology_ref;
use crate::db::schema::{
    benchmark_environments, benchmark_results, benchmark_runs, benchmark_scenarios,
    benchmark_uploads, sources, technologies,
};
use crate::db::{self, DbConnection};
use crate::editing::Slug;
use crate::editing::rules::{self, Check as Rules};
use crate::editing::{self, Editable, Outcome};
use crate::web::error::FieldError;
use crate::web::form::Fields;
use crate::web::upload::{FILE_FIELD, FileField};

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

/// The uploaded file: its name (without the client's folders) and its bytes, or why there
/// is none to read.
pub fn received(file: FileField) -> Result<(String, Vec<u8>), FieldError> {
    match file {
        FileField::Missing => Err(FieldError::new(
            FILE_FIELD,
            "is required: choose the file the tool wrote",
        )),
        FileField::TooLarge(limit) => Err(FieldError::new(
            FILE_FIELD,
            format!(
                "is larger than the upload limit of {} (VERDICT_UPLOAD_LIMIT_MB)",
                limit.describe()
            ),
        )),
        FileField::Received { name, bytes } => Ok((clean_filename(&name), bytes)),
    }
}

/// A file made ready to store: the plan for it, and its text.
pub struct Prepared {
    pub plan: Plan,
    pub content: String,
}

/// The upload's choices (`fields`) checked and its `file` read as the chosen tool's output,
/// planned with `mapping`: what the form, the API, the preview and the demo dataset all do
/// with a file. The errors name each field at fault, the file's line or field among them.
pub fn prepare(
    conn: &mut DbConnection,
    fields: &Fields,
    file: Result<(String, Vec<u8>), FieldError>,
    mapping: &Fields,
    today: NaiveDate,
) -> QueryResult<Result<Prepared, Vec<FieldError>>> {
    // Before any lookup: PostgreSQL refuses a NUL even in what is only compared.
    let refused: Vec<FieldError> = fields
        .refused_characters()
        .into_iter()
        .chain(mapping.refused_characters())
        .collect();
    if !refused.is_empty() {
        return Ok(Err(refused));
    }
    let checked = Settings::check(conn, fields, today)?;
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    let read = match (Tool::parse(fields.get("tool")), file) {
        (Ok(tool), Ok((filename, bytes))) => match parse::parse(tool, &bytes) {
            Ok(parsed) => match String::from_utf8(bytes) {
                Ok(content) => Some((filename, content, parsed)),
                Err(_) => {
                    errors.push(FieldError::new(FILE_FIELD, "is not UTF-8 text"));
                    None
                }
            },
            Err(e) => {
                errors.push(FieldError::new(
                    FILE_FIELD,
                    format!("cannot be read as {tool} output: {e}"),
                ));
                None
            }
        },
        (Ok(_), Err(error)) => {
            errors.push(error);
            None
        }
        (Err(_), _) => None,
    };
    let (Ok(settings), Some((filename, content, parsed))) = (checked, read) else {
        return Ok(Err(errors));
    };
    Ok(plan(conn, &settings, &filename, parsed, mapping, today)?
        .map(|plan| Prepared { plan, content }))
}

/// The file's name without the client's folders, as a label.
fn clean_filename(name: &str) -> String {
    let name = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    if name.is_empty() {
        "upload".to_owned()
    } else {
        name
    }
}

/// Keeps an upload, unconfirmed, for its preview; sweeps those left unconfirmed for a day.
pub fn stage(
    conn: &mut DbConnection,
    actor: &Actor,
    tool: Tool,
    filename: &str,
    content: &str,
    settings: &Fields,
) -> QueryResult<i32> {
    let now = Utc::now().naive_utc();
    db::write(conn, |conn| {
        diesel::delete(
            benchmark_uploads::table
                .filter(benchmark_uploads::imported_at.is_null())
                .filter(benchmark_uploads::uploaded_at.lt(now - TimeDelta::days(1))),
        )
        .execute(conn)?;
        diesel::insert_into(benchmark_uploads::table)
            .values((
                benchmark_uploads::tool.eq(tool.as_str()),
                benchmark_uploads::filename.eq(filename),
                benchmark_uploads::content.eq(content),
                benchmark_uploads::settings.eq(settings.to_json().to_string()),
                benchmark_uploads::uploaded_by.eq(actor.user_id),
                benchmark_uploads::uploaded_at.eq(now),
            ))
            .returning(benchmark_uploads::id)
            .get_result(conn)
    })
}

/// An upload not yet confirmed: its file and the choices made with it.
pub struct Staged {
    pub filename: String,
    pub content: String,
    pub settings: Fields,
}

pub fn staged(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Staged>> {
    let row: Option<(String, String, String)> = benchmark_uploads::table
        .find(id)
        .filter(benchmark_uploads::imported_at.is_null())
        .select((
            benchmark_uploads::filename,
            benchmark_uploads::content,
            benchmark_uploads::settings,
        ))
        .first(conn)
        .optional()?;
    let Some((filename, content, settings)) = row else {
        return Ok(None);
    };
    let corrupt = |e: String| diesel::result::Error::DeserializationError(e.into());
    let settings: serde_json::Value =
        serde_json::from_str(&settings).map_err(|e| corrupt(e.to_string()))?;
    Ok(Some(Staged {
        filename,
        content,
        settings: Fields::from_json(&settings, SETTINGS_FIELDS)
            .map_err(|_| corrupt("stored upload settings".to_owned()))?,
    }))
}

/// What an import will store.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub tool: Tool,
    pub filename: String,
    pub ran_on: NaiveDate,
    pub tool_version: String,
    pub environment: Option<EnvironmentRef>,
    pub source: Option<SourceRef>,
    pub notes: String,
    pub runs: Vec<PlannedRun>,
    /// Each target in the file and the technology it is stored as.
    pub targets: Vec<Target>,
    pub checks: Vec<Check>,
    pub thresholds: Vec<Threshold>,
    /// The environment's id.
    #[serde(skip)]
    environment_id: Option<i32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedRun {
    pub scenario: PlannedScenario,
    pub concurrency: Option<i32>,
    pub threads: Option<i32>,
    pub duration_secs: Option<f64>,
    pub results: Vec<PlannedResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedResult {
    /// Its `target` names one of the plan's targets.
    #[serde(flatten)]
    pub measurement: Measurement,
    /// Peak memory of the server under test, which no load tool measures.
    pub memory_mib: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedScenario {
    pub slug: String,
    pub name: String,
    /// Created with the import when it does not exist yet.
    pub exists: bool,
    #[serde(skip)]
    description: &'static str,
}

/// A target in the file and the technology its results are stored as.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub name: String,
    /// The field that chooses its technology: `map.<name>`.
    pub field: String,
    pub technology: TechnologyRef,
    /// Created with the import.
    pub new: bool,
}

/// The value of a `map.<target>` field that creates a technology for the target.
pub const NEW_TECHNOLOGY: &str = "new";

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

/// The technologies whose slug or name a target's name is, and those `chosen` by slug: by
/// lowercase name and by slug.
fn known_technologies(
    conn: &mut DbConnection,
    names: &[&str],
    chosen: &[&str],
) -> QueryResult<HashMap<String, TechnologyRef>> {
    let mut slugs: Vec<String> = names.iter().map(|name| slugify(name)).collect();
    slugs.extend(chosen.iter().map(|slug| (*slug).to_owned()));
    let lower: Vec<String> = names.iter().map(|name| name.to_lowercase()).collect();
    let rows: Vec<(String, String, String)> = technologies::table
        .filter(
            technologies::slug
                .eq_any(&slugs)
                .or(crate::catalog::queries::lower(technologies::name).eq_any(&lower)),
        )
        .select((technologies::slug, technologies::name, technologies::kind))
        .limit(10_000)
        .load(conn)?;
    let mut known = HashMap::new();
    for row in rows {
        let technology = technology_ref(row)?;
        known.insert(technology.name.to_lowercase(), technology.clone());
        known.insert(technology.slug.clone(), technology);
    }
    Ok(known)
}

/// The technology a target is stored as: the one its field names, or a new one; without a
/// choice, the one of the same slug or name, or else a new framework.
fn map_target(
    name: &str,
    choice: &str,
    known: &HashMap<String, TechnologyRef>,
) -> Result<(TechnologyRef, bool), String> {
    let new = || TechnologyRef {
        slug: slugify(name),
        name: name.to_owned(),
        kind: Kind::Framework,
    };
    let same = known
        .get(&slugify(name))
        .or_else(|| known.get(&name.to_lowercase()));
    match choice {
        "" => Ok(match same {
            Some(technology) => (technology.clone(), false),
            None => (new(), true),
        }),
        NEW_TECHNOLOGY => match same {
            Some(technology) => Err(format!(
                "cannot be a new technology: {} already has its name or slug",
                technology.name
            )),
            None => Ok((new(), true)),
        },
        slug => known
            .get(slug)
            .filter(|t| t.slug == slug)
            .map(|t| (t.clone(), false))
            .ok_or_else(|| format!("names no technology: `{slug}`")),
    }
}

/// A name as a slug: lowercase letters and digits joined by single hyphens.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    match Slug::parse(slug) {
        Ok(slug) => slug.into(),
        Err(_) => "imported".to_owned(),
    }
}

/// The scenario a TechEmpower test type is stored under. The query tests make one
/// scenario per number of queries: 1 and 20 queries per request are different workloads.
fn techempower_scenario(test_type: &str, queries: Option<i32>) -> PlannedScenario {
    let (slug, name, description) = match test_type {
        "json" => (
            "json-serialisation",
            "JSON serialisation",
            "Serialises a small object to JSON for every request; no database.",
        ),
        "plaintext" => (
            "plaintext",
            "Plaintext",
            "Answers \"Hello, World!\" as plain text, with HTTP pipelining.",
        ),
        "db" => (
            "single-query",
            "Single query",
            "Reads one random row from a database table and returns it as JSON.",
        ),
        "fortune" => (
            "fortunes",
            "Fortunes",
            "Reads every row of a table, adds one, sorts them and renders an HTML page from a template.",
        ),
        "query" => (
            "multiple-queries",
            "Multiple queries",
            "Reads several random rows, one query each, and returns them as JSON.",
        ),
        "update" => (
            "updates",
            "Database updates",
            "Reads several random rows, changes each and writes them back.",
        ),
        "cached_query" => (
            "cached-queries",
            "Cached queries",
            "Reads several random rows from an in-memory cache of the table.",
        ),
        other => (other, other, "A TechEmpower test type."),
    };
    let (slug, name) = match queries {
        Some(n) => (
            format!("{}-{n}", slugify(slug)),
            format!("{name} ({n} per request)"),
        ),
        None => (slugify(slug), name.to_owned()),
    };
    PlannedScenario {
        slug,
        name,
        exists: false,
        description,
    }
}

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
            ("slug".into(), target.technology.slug.clone()),
            ("name".into(), target.technology.name.clone()),
            ("kind".into(), Kind::Framework.as_str().into()),
            (
                "summary".into(),
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
            ("slug".into(), scenario.slug.clone()),
            ("name".into(), scenario.name.clone()),
            ("description".into(), scenario.description.to_owned()),
            ("position".into(), "100".into()),
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

/// A run as the audit log keeps it once deleted: with every one of its results.
#[derive(Serialize)]
struct DeletedRun<'a> {
    #[serde(flatten)]
    run: &'a Run,
    results: &'a [Measured],
}

/// Deletes the run `run` with its `results`, and its file when no other run came from it,
/// in one audited transaction; nothing when another request deleted it first.
pub fn delete_run(
    conn: &mut DbConnection,
    actor: &Actor,
    run: &Run,
    results: &[Measured],
) -> QueryResult<()> {
    db::write(conn, |conn| {
        if diesel::delete(benchmark_runs::table.find(run.id)).execute(conn)? != 1 {
            return Ok(());
        }
        if let Some(upload) = run.upload_id {
            let others: i64 = benchmark_runs::table
                .filter(benchmark_runs::upload_id.eq(upload))
                .count()
                .get_result(conn)?;
            if others == 0 {
                diesel::delete(benchmark_uploads::table.find(upload)).execute(conn)?;
            }
        }
        let change = Change::of(
            Action::Delete,
            "benchmark run",
            run.id,
            format!("{}, run {}", run.scenario.name, run.id),
        )
        .before(&DeletedRun { run, results });
        audit::record(conn, actor, change)?;
        db::bump_content_revision(conn)?;
        Ok(())
    })
}

/// Drops an upload that was never confirmed.
pub fn cancel(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::delete(
        benchmark_uploads::table
            .find(id)
            .filter(benchmark_uploads::imported_at.is_null()),
    )
    .execute(conn)?;
    Ok(())
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
