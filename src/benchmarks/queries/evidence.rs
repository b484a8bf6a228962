//! Benchmark evidence on technologies: their results, and the best of each in a scenario.

use std::collections::HashMap;

use crate::db::{OneOf, one_of};
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
    let asked = Asked::find(conn, slugs)?;
    evidence_rows(conn, Rows::On(&asked.ids()))?
        .into_iter()
        .map(|row| {
            // A technology asked about is evidence on itself first, as the page about it
            // expects; its language comes second.
            let about = asked
                .about(row.5, row.6)
                .next()
                .unwrap_or_default()
                .to_owned();
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
    let asked = Asked::find(conn, slugs)?;
    if asked.0.is_empty() {
        return Ok(Vec::new());
    }
    let ids = asked.ids();
    // Only the figures first: the whole rows of the winners alone are loaded after.
    let mut query = benchmark_results::table
        .inner_join(benchmark_runs::table)
        .filter(on_technologies(&ids))
        .select((
            benchmark_results::id,
            benchmark_runs::scenario_id,
            benchmark_results::technology_id,
            benchmark_results::language_id,
        ))
        .order((
            benchmark_results::requests_per_sec.desc(),
            benchmark_results::id,
        ))
        .limit(MAX_CONSIDERED)
        .into_boxed();
    if let Some(scenarios) = scenarios {
        query = query.filter(one_of(benchmark_runs::scenario_id, scenarios));
    }
    let figures: Vec<(i32, i32, i32, Option<i32>)> = query.load(conn)?;
    // Fastest first, so the first result seen for a scenario and a technology asked about
    // is its best.
    let mut chosen: HashMap<(i32, &str), i32> = HashMap::new();
    for &(id, scenario, technology, language) in &figures {
        for about in asked.about(technology, language) {
            chosen.entry((scenario, about)).or_insert(id);
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

/// The technologies asked about that exist: their ids and slugs, in the order asked.
struct Asked(Vec<(i32, String)>);

impl Asked {
    fn find(conn: &mut DbConnection, slugs: &[String]) -> QueryResult<Self> {
        let mut found: Vec<(i32, String)> = technologies::table
            .filter(one_of(technologies::slug, slugs))
            .select((technologies::id, technologies::slug))
            .load(conn)?;
        found.sort_by_key(|(_, slug)| slugs.iter().position(|asked| asked == slug));
        Ok(Self(found))
    }

    fn ids(&self) -> Vec<i32> {
        self.0.iter().map(|(id, _)| *id).collect()
    }

    /// Whom a result on the technology `id` (of the language `language`) is evidence on:
    /// itself if asked, then its language if asked.
    fn about(&self, id: i32, language: Option<i32>) -> impl Iterator<Item = &str> {
        let slug_of = |wanted: i32| {
            self.0
                .iter()
                .find(|(asked, _)| *asked == wanted)
                .map(|(_, slug)| slug.as_str())
        };
        slug_of(id).into_iter().chain(language.and_then(slug_of))
    }
}

/// The results on the technologies with these ids, and on the frameworks and libraries of
/// those that are languages: each result carries its technology's language, and both are
/// indexed, so a language's evidence is never gathered over all of its members.
fn on_technologies(
    ids: &[i32],
) -> diesel::dsl::Or<
    OneOf<benchmark_results::technology_id, i32>,
    OneOf<benchmark_results::language_id, i32>,
> {
    one_of(benchmark_results::technology_id, ids.iter().copied())
        .or(one_of(benchmark_results::language_id, ids.iter().copied()))
}

/// Which results [`evidence_rows`] loads.
enum Rows<'a> {
    /// Those on the technologies with these ids (see [`on_technologies`]), at most
    /// [`EVIDENCE_LIMIT`].
    On(&'a [i32]),
    /// Those with these ids.
    Ids(&'a [i32]),
}

/// A result with its technology, its run, the run's environment and scenario, and the ids
/// of the technology measured and of its language.
type EvidenceRow = (
    ResultRow,
    (String, String, String),
    RunColumns,
    Option<(String, String)>,
    (String, String),
    i32,
    Option<i32>,
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
            benchmark_results::language_id,
        ))
        .order((
            benchmark_scenarios::position,
            benchmark_scenarios::id,
            benchmark_results::requests_per_sec.desc(),
            benchmark_results::id,
        ))
        .into_boxed();
    match rows {
        Rows::On(ids) => query
            .filter(on_technologies(ids))
            .limit(EVIDENCE_LIMIT)
            .load(conn),
        Rows::Ids(ids) => query.filter(one_of(benchmark_results::id, ids)).load(conn),
    }
}

fn to_evidence(
    (result, technology, run, environment, (slug, name), _, _): EvidenceRow,
    about: String,
) -> QueryResult<Evidence> {
    Ok(Evidence {
        scenario: ScenarioRef { slug, name },
        result: ranked(result, technology, run, environment)?,
        about,
    })
}
