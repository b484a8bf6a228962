//! The scenarios TechEmpower's test types are stored under.

use super::plan::PlannedScenario;
use super::slug::slugify;

/// The scenario a TechEmpower test type is stored under. The query tests make one
/// scenario per number of queries: 1 and 20 queries per request are different workloads.
pub(super) fn techempower_scenario(test_type: &str, queries: Option<i32>) -> PlannedScenario {
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
