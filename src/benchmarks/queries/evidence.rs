//! Benchmark evidence on technologies: their results, and the best of each in a scenario.

use std::collections::HashMap;

use diesel::prelude::*;

use super::ranking::{RankedResult, RunColumns, ranked};
use super::results::ResultRow;
use crate::benchmarks::model::ScenarioRef;
use crate::db::DbConnection;
use crate::db::schema::{
    benchmark_environments, benchmark_results, benchmark_runs, benchmark_scenarios, technologies,
};

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
            RunColumns::as_select(),
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
