//! `verdict seed --synthetic N`: a large catalog anyone can make, to measure Verdict at
//! scale. What it holds is in `generate` (pure functions of the numbers); this part writes
//! it, in the caller's transaction, with multi-row INSERTs and ids read back per
//! statement, and tells a database holding only the demo dataset from one holding more.
//!
//! Adding is idempotent in the demo dataset's way: a technology whose slug exists is left
//! as it is, facts included; a source whose title and publisher exist is cited, not added
//! again; a run whose report some run cites already is not added again. So seeding N again
//! adds nothing, and seeding a larger N adds what the larger N has beyond the smaller.

mod generate;
mod words;

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{NaiveDateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::catalog::model::Kind;
use crate::db::DbConnection;
use crate::db::schema::{
    assessment_sources, assessments, benchmark_environments, benchmark_results, benchmark_runs,
    benchmark_scenarios, benchmark_uploads, decisions, dimensions, requirements, sources,
    technologies,
};
pub use generate::{Anchors, BIG_LANGUAGES};
use generate::{ENVIRONMENT, SCENARIOS, Sizes};

/// Multi-row INSERTs are not among the statements the `DbConnection` enum can build, but
/// each backend's connection builds them: `$body` runs on the one `$conn` holds.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            DbConnection::Postgres($c) => $body,
            DbConnection::Sqlite($c) => $body,
        }
    };
}

/// Values one statement may bind: SQLite's limit (PostgreSQL's is 65,535).
const BINDS_PER_STATEMENT: usize = 32_766;

/// How many rows of `columns` values one INSERT takes.
const fn rows_per_statement(columns: usize) -> usize {
    BINDS_PER_STATEMENT / columns
}

/// How many technologies are written (with their facts) at a time.
const TECHNOLOGIES_PER_CHUNK: usize = rows_per_statement(7);

/// What the demo dataset holds, each item by what identifies it.
#[derive(Debug, Clone, Default)]
pub struct DemoItems {
    pub technologies: Vec<String>,
    pub dimensions: Vec<String>,
    /// By title and publisher.
    pub sources: Vec<(String, String)>,
    /// By technology and dimension.
    pub facts: Vec<(String, String)>,
    pub requirements: Vec<String>,
    pub scenarios: Vec<String>,
    pub environments: Vec<String>,
    /// The sources its runs without a file cite, by title and publisher.
    pub run_sources: Vec<(String, String)>,
    /// The files its other runs were imported from.
    pub files: Vec<String>,
}

/// What a database holds beyond the demo dataset, kind by kind.
#[derive(Debug, Default)]
pub struct Beyond(Vec<Found>);

#[derive(Debug)]
struct Found {
    /// What one is called, and what several are.
    kind: (&'static str, &'static str),
    count: usize,
    example: Option<String>,
}

impl Beyond {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn note(&mut self, kind: (&'static str, &'static str), count: usize, example: Option<String>) {
        if count > 0 {
            self.0.push(Found {
                kind,
                count,
                example,
            });
        }
    }
}

impl fmt::Display for Beyond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, found) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(", ")?;
            }
            let (one, many) = found.kind;
            let kind = if found.count == 1 { one } else { many };
            write!(f, "{} {kind}", found.count)?;
            if let Some(example) = &found.example {
                write!(f, " (such as {example})")?;
            }
        }
        Ok(())
    }
}

/// What the database holds that the demo dataset does not: technologies, dimensions,
/// sources, facts, requirements, decisions, benchmark scenarios, environments and runs
/// (synthetic ones included). Accounts, tokens and the audit log are not content, and
/// demo items edited or deleted are still the demo's.
pub fn beyond_demo(conn: &mut DbConnection, demo: &DemoItems) -> QueryResult<Beyond> {
    let mut beyond = Beyond::default();

    let others = technologies::table.filter(technologies::slug.ne_all(&demo.technologies));
    let count: i64 = others.clone().count().get_result(conn)?;
    let example = others
        .select(technologies::slug)
        .order(technologies::id)
        .first::<String>(conn)
        .optional()?
        .map(|slug| format!("`{slug}`"));
    beyond.note(("technology", "technologies"), count as usize, example);

    let others = dimensions::table.filter(dimensions::slug.ne_all(&demo.dimensions));
    let count: i64 = others.clone().count().get_result(conn)?;
    let example = others
        .select(dimensions::slug)
        .order(dimensions::id)
        .first::<String>(conn)
        .optional()?
        .map(|slug| format!("`{slug}`"));
    beyond.note(("dimension", "dimensions"), count as usize, example);

    let demo_sources: HashSet<&(String, String)> = demo.sources.iter().collect();
    let others: Vec<(String, String)> = sources::table
        .select((sources::title, sources::publisher))
        .order(sources::id)
        .load::<(String, String)>(conn)?
        .into_iter()
        .filter(|source| !demo_sources.contains(source))
        .collect();
    let example = others
        .first()
        .map(|(title, publisher)| format!("\"{title}\" by {publisher}"));
    beyond.note(("source", "sources"), others.len(), example);

    // Facts of other technologies, and facts of the demo's that it does not have.
    let of_others: i64 = assessments::table
        .inner_join(technologies::table)
        .filter(technologies::slug.ne_all(&demo.technologies))
        .count()
        .get_result(conn)?;
    let demo_facts: HashSet<&(String, String)> = demo.facts.iter().collect();
    let of_demo = assessments::table
        .inner_join(technologies::table)
        .inner_join(dimensions::table)
        .filter(technologies::slug.eq_any(&demo.technologies))
        .select((technologies::slug, dimensions::slug))
        .load::<(String, String)>(conn)?
        .into_iter()
        .filter(|fact| !demo_facts.contains(fact))
        .count();
    beyond.note(("fact", "facts"), of_others as usize + of_demo, None);

    let others = requirements::table.filter(requirements::slug.ne_all(&demo.requirements));
    let count: i64 = others.clone().count().get_result(conn)?;
    let example = others
        .select(requirements::slug)
        .order(requirements::id)
        .first::<String>(conn)
        .optional()?
        .map(|slug| format!("`{slug}`"));
    beyond.note(("requirement", "requirements"), count as usize, example);

    let count: i64 = decisions::table.count().get_result(conn)?;
    let example = decisions::table
        .select(decisions::title)
        .order(decisions::id)
        .first::<String>(conn)
        .optional()?
        .map(|title| format!("\"{title}\""));
    beyond.note(("decision", "decisions"), count as usize, example);

    let others =
        benchmark_scenarios::table.filter(benchmark_scenarios::slug.ne_all(&demo.scenarios));
    let count: i64 = others.clone().count().get_result(conn)?;
    let example = others
        .select(benchmark_scenarios::slug)
        .order(benchmark_scenarios::id)
        .first::<String>(conn)
        .optional()?
        .map(|slug| format!("`{slug}`"));
    beyond.note(
        ("benchmark scenario", "benchmark scenarios"),
        count as usize,
        example,
    );

    let others = benchmark_environments::table
        .filter(benchmark_environments::slug.ne_all(&demo.environments));
    let count: i64 = others.clone().count().get_result(conn)?;
    let example = others
        .select(benchmark_environments::slug)
        .order(benchmark_environments::id)
        .first::<String>(conn)
        .optional()?
        .map(|slug| format!("`{slug}`"));
    beyond.note(
        ("benchmark environment", "benchmark environments"),
        count as usize,
        example,
    );

    // The demo's runs: those without a file that cite its sources, and those of its files.
    let run_sources: HashSet<&(String, String)> = demo.run_sources.iter().collect();
    let others: Vec<i32> = benchmark_runs::table
        .left_join(sources::table)
        .left_join(benchmark_uploads::table)
        .select((
            benchmark_runs::id,
            (sources::title, sources::publisher).nullable(),
            benchmark_uploads::filename.nullable(),
        ))
        .order(benchmark_runs::id)
        .load::<(i32, Option<(String, String)>, Option<String>)>(conn)?
        .into_iter()
        .filter(|(_, source, file)| match (source, file) {
            (Some(source), None) => !run_sources.contains(source),
            (_, Some(file)) => !demo.files.contains(file),
            (None, None) => true,
        })
        .map(|(id, _, _)| id)
        .collect();
    let example = others.first().map(|id| format!("run {id}"));
    beyond.note(("benchmark run", "benchmark runs"), others.len(), example);
    Ok(beyond)
}

/// What `add` wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    pub languages: usize,
    pub frameworks: usize,
    pub libraries: usize,
    pub facts: usize,
    /// Facts' citations of sources.
    pub citations: usize,
    pub sources: usize,
    pub scenarios: usize,
    pub environments: usize,
    pub runs: usize,
    pub results: usize,
}

impl Added {
    pub fn technologies(&self) -> usize {
        self.languages + self.frameworks + self.libraries
    }
}

impl fmt::Display for Added {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counted = |n: usize, one: &str, many: &str| match n {
            1 => format!("1 {one}"),
            n => format!("{n} {many}"),
        };
        write!(
            f,
            "{} ({}, {}, {}), {} citing sources {} times, {}, {}, {}, {} with {} added",
            counted(self.technologies(), "technology", "technologies"),
            counted(self.languages, "language", "languages"),
            counted(self.frameworks, "framework", "frameworks"),
            counted(self.libraries, "library", "libraries"),
            counted(self.facts, "fact", "facts"),
            self.citations,
            counted(self.sources, "source", "sources"),
            counted(self.scenarios, "benchmark scenario", "benchmark scenarios"),
            counted(self.environments, "environment", "environments"),
            counted(self.runs, "run", "runs"),
            counted(self.results, "result", "results"),
        )
    }
}

/// SQLite's page cache while adding, in KiB: technologies go into the indexes by name in
/// no order, and with the default 2 MiB most of those inserts would read their page back
/// from the file. (A connection's default, restored afterwards.)
const SQLITE_CACHE_KIB: (i64, i64) = (64 * 1024, 2_000);

/// Adds the first `n` synthetic technologies (with their facts, sources and runs) that the
/// database lacks, attached to `anchors`, which must exist: in the caller's transaction,
/// bumping the content revision once if anything was added.
pub fn add(conn: &mut DbConnection, n: u64, anchors: &Anchors) -> QueryResult<Added> {
    let (adding, usual) = SQLITE_CACHE_KIB;
    sqlite_cache(conn, adding)?;
    let added = add_all(conn, n, anchors);
    sqlite_cache(conn, usual)?;
    added
}

fn sqlite_cache(conn: &mut DbConnection, kib: i64) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(sqlite) => {
            sqlite.batch_execute(&format!("PRAGMA cache_size = -{kib}"))
        }
        DbConnection::Postgres(_) => Ok(()),
    }
}

fn add_all(conn: &mut DbConnection, n: u64, anchors: &Anchors) -> QueryResult<Added> {
    let now = Utc::now().naive_utc();
    let sizes = Sizes::of(n);
    let mut added = Added::default();
    let dimension_ids = dimension_ids(conn, &anchors.dimensions)?;
    let source_ids = add_sources(conn, sizes.sources, now, &mut added)?;
    let mut technology_ids: HashMap<String, i32> = technologies::table
        .select((technologies::slug, technologies::id))
        .load(conn)?
        .into_iter()
        .collect();
    let mut writer = Technologies {
        ids: &mut technology_ids,
        dimension_ids: &dimension_ids,
        source_ids: &source_ids,
        now,
        added: &mut added,
    };
    // Languages first: the others refer to them.
    let languages = (0..n).step_by(generate::PER_LANGUAGE as usize);
    writer.add(conn, languages)?;
    let others = (0..n).filter(|i| !i.is_multiple_of(generate::PER_LANGUAGE));
    writer.add(conn, others)?;
    add_runs(
        conn,
        n,
        anchors,
        &technology_ids,
        &source_ids,
        now,
        &mut added,
    )?;
    if added != Added::default() {
        crate::db::bump_content_revision(conn)?;
    }
    Ok(added)
}

/// The ids of the dimensions `slugs`, in their order.
fn dimension_ids(conn: &mut DbConnection, slugs: &[String]) -> QueryResult<Vec<i32>> {
    let ids: HashMap<String, i32> = dimensions::table
        .filter(dimensions::slug.eq_any(slugs))
        .select((dimensions::slug, dimensions::id))
        .load(conn)?
        .into_iter()
        .collect();
    slugs
        .iter()
        .map(|slug| {
            ids.get(slug)
                .copied()
                .ok_or_else(|| missing(format!("the dimension `{slug}`")))
        })
        .collect()
}

/// The ids of sources `0..count`, adding those missing by title and publisher.
fn add_sources(
    conn: &mut DbConnection,
    count: u64,
    now: NaiveDateTime,
    added: &mut Added,
) -> QueryResult<Vec<i32>> {
    let mut ids: HashMap<(String, String), i32> = sources::table
        .select((sources::title, sources::publisher, sources::id))
        .load::<(String, String, i32)>(conn)?
        .into_iter()
        .map(|(title, publisher, id)| ((title, publisher), id))
        .collect();
    let all: Vec<generate::Source> = (0..count).map(generate::source).collect();
    let missing: Vec<&generate::Source> = all
        .iter()
        .filter(|s| !ids.contains_key(&(s.title.clone(), s.publisher.clone())))
        .collect();
    for chunk in missing.chunks(rows_per_statement(7)) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|s| {
                (
                    sources::title.eq(&s.title),
                    sources::publisher.eq(&s.publisher),
                    sources::published_on.eq(s.published_on),
                    sources::url.eq(&s.url),
                    sources::notes.eq("Synthetic: made by `verdict seed --synthetic`."),
                    sources::created_at.eq(now),
                    sources::updated_at.eq(now),
                )
            })
            .collect();
        let inserted: Vec<(String, String, i32)> = on_backend!(conn, |c| {
            diesel::insert_into(sources::table)
                .values(rows)
                .returning((sources::title, sources::publisher, sources::id))
                .get_results(c)
        })?;
        added.sources += inserted.len();
        ids.extend(inserted.into_iter().map(|(t, p, id)| ((t, p), id)));
    }
    Ok(all
        .into_iter()
        .map(|s| ids[&(s.title, s.publisher)])
        .collect())
}

/// Writes technologies and their facts, a chunk at a time.
struct Technologies<'a> {
    /// Every technology's id by slug, the written ones included.
    ids: &'a mut HashMap<String, i32>,
    dimension_ids: &'a [i32],
    source_ids: &'a [i32],
    now: NaiveDateTime,
    added: &'a mut Added,
}

impl Technologies<'_> {
    /// Adds the technologies numbered `numbers` that are missing by slug, with their facts.
    fn add(
        &mut self,
        conn: &mut DbConnection,
        numbers: impl Iterator<Item = u64>,
    ) -> QueryResult<()> {
        let mut chunk = Vec::with_capacity(TECHNOLOGIES_PER_CHUNK);
        for i in numbers {
            let technology = generate::technology(i);
            if self.ids.contains_key(&technology.slug) {
                continue;
            }
            chunk.push((i, technology));
            if chunk.len() == TECHNOLOGIES_PER_CHUNK {
                self.write(conn, &chunk)?;
                chunk.clear();
            }
        }
        if !chunk.is_empty() {
            self.write(conn, &chunk)?;
        }
        Ok(())
    }

    fn write(
        &mut self,
        conn: &mut DbConnection,
        chunk: &[(u64, generate::Technology)],
    ) -> QueryResult<()> {
        let now = self.now;
        let mut rows = Vec::with_capacity(chunk.len());
        for (_, t) in chunk {
            let language_id = match &t.language {
                Some(slug) => Some(
                    self.ids
                        .get(slug)
                        .copied()
                        .ok_or_else(|| missing(format!("the language `{slug}`")))?,
                ),
                None => None,
            };
            rows.push((
                technologies::slug.eq(&t.slug),
                technologies::name.eq(&t.name),
                technologies::kind.eq(t.kind.as_str()),
                technologies::language_id.eq(language_id),
                technologies::summary.eq(&t.summary),
                technologies::created_at.eq(now),
                technologies::updated_at.eq(now),
            ));
        }
        let inserted: Vec<(String, i32)> = on_backend!(conn, |c| {
            diesel::insert_into(technologies::table)
                .values(rows)
                .returning((technologies::slug, technologies::id))
                .get_results(c)
        })?;
        self.ids.extend(inserted);
        for (_, t) in chunk {
            match t.kind {
                Kind::Language => self.added.languages += 1,
                Kind::Framework => self.added.frameworks += 1,
                _ => self.added.libraries += 1,
            }
        }

        let mut facts = Vec::with_capacity(chunk.len() * generate::FACTS_PER_TECHNOLOGY);
        for (i, t) in chunk {
            let technology_id = self.ids[&t.slug];
            for fact in generate::facts(*i, t, self.dimension_ids.len()) {
                facts.push((technology_id, self.dimension_ids[fact.dimension], fact));
            }
        }
        let mut citations = Vec::new();
        for statement in facts.chunks(rows_per_statement(8)) {
            let rows: Vec<_> = statement
                .iter()
                .map(|(technology_id, dimension_id, fact)| {
                    (
                        assessments::technology_id.eq(*technology_id),
                        assessments::dimension_id.eq(*dimension_id),
                        assessments::score.eq(Some(fact.score)),
                        assessments::body.eq(&fact.body),
                        assessments::as_of.eq(fact.as_of),
                        assessments::confidence.eq(fact.confidence.as_str()),
                        assessments::created_at.eq(now),
                        assessments::updated_at.eq(now),
                    )
                })
                .collect();
            let inserted: Vec<(i32, i32, i32)> = on_backend!(conn, |c| {
                diesel::insert_into(assessments::table)
                    .values(rows)
                    .returning((
                        assessments::technology_id,
                        assessments::dimension_id,
                        assessments::id,
                    ))
                    .get_results(c)
            })?;
            let ids: HashMap<(i32, i32), i32> = inserted
                .into_iter()
                .map(|(technology, dimension, id)| ((technology, dimension), id))
                .collect();
            for (technology_id, dimension_id, fact) in statement {
                let id = ids[&(*technology_id, *dimension_id)];
                citations.extend(
                    fact.sources
                        .iter()
                        .map(|&k| (id, self.source_ids[k as usize])),
                );
            }
            self.added.facts += statement.len();
        }
        for statement in citations.chunks(rows_per_statement(2)) {
            let rows: Vec<_> = statement
                .iter()
                .map(|&(assessment_id, source_id)| {
                    (
                        assessment_sources::assessment_id.eq(assessment_id),
                        assessment_sources::source_id.eq(source_id),
                    )
                })
                .collect();
            self.added.citations += on_backend!(conn, |c| {
                diesel::insert_into(assessment_sources::table)
                    .values(rows)
                    .execute(c)
            })?;
        }
        Ok(())
    }
}

/// Adds runs `0..⌈n/1000⌉` unless some run cites their report already, with the scenarios
/// and environment they need; a result whose technology is gone is left out.
fn add_runs(
    conn: &mut DbConnection,
    n: u64,
    anchors: &Anchors,
    technology_ids: &HashMap<String, i32>,
    source_ids: &[i32],
    now: NaiveDateTime,
    added: &mut Added,
) -> QueryResult<()> {
    let cited: HashSet<Option<i32>> = benchmark_runs::table
        .select(benchmark_runs::source_id)
        .distinct()
        .load(conn)?
        .into_iter()
        .collect();
    let runs: Vec<generate::Run> = (0..Sizes::of(n).runs)
        .map(|r| generate::run(r, n, anchors))
        .filter(|run| !cited.contains(&Some(source_ids[run.source as usize])))
        .collect();
    if runs.is_empty() {
        return Ok(());
    }
    let scenario_ids = add_scenarios(conn, &runs, now, added)?;
    let environment_ids = add_environment(conn, &runs, now, added)?;
    let mut results = Vec::new();
    for statement in runs.chunks(rows_per_statement(13)) {
        let rows: Vec<_> = statement
            .iter()
            .map(|run| {
                (
                    benchmark_runs::scenario_id.eq(scenario_ids[&run.scenario]),
                    benchmark_runs::environment_id
                        .eq(environment_ids.get(&run.environment).copied()),
                    benchmark_runs::source_id.eq(Some(source_ids[run.source as usize])),
                    benchmark_runs::tool.eq(run.tool.as_str()),
                    benchmark_runs::tool_version.eq(&run.tool_version),
                    benchmark_runs::ran_on.eq(run.ran_on),
                    benchmark_runs::concurrency.eq(Some(run.concurrency)),
                    benchmark_runs::threads.eq(Some(run.threads)),
                    benchmark_runs::duration_secs.eq(Some(run.duration_secs)),
                    benchmark_runs::notes.eq(&run.notes),
                    benchmark_runs::checks.eq("[]"),
                    benchmark_runs::thresholds.eq("[]"),
                    benchmark_runs::created_at.eq(now),
                )
            })
            .collect();
        let inserted: Vec<(Option<i32>, i32)> = on_backend!(conn, |c| {
            diesel::insert_into(benchmark_runs::table)
                .values(rows)
                .returning((benchmark_runs::source_id, benchmark_runs::id))
                .get_results(c)
        })?;
        let ids: HashMap<Option<i32>, i32> = inserted.into_iter().collect();
        for run in statement {
            let run_id = ids[&Some(source_ids[run.source as usize])];
            let measured = run
                .results
                .iter()
                .filter_map(|result| Some((technology_ids.get(&result.technology)?, result)));
            for (position, (&technology_id, result)) in measured.enumerate() {
                results.push((run_id, technology_id, position as i32, result));
            }
        }
        added.runs += statement.len();
    }
    for statement in results.chunks(rows_per_statement(16)) {
        let rows: Vec<_> = statement
            .iter()
            .map(|&(run_id, technology_id, position, result)| {
                (
                    benchmark_results::run_id.eq(run_id),
                    benchmark_results::technology_id.eq(technology_id),
                    benchmark_results::label.eq(&result.label),
                    benchmark_results::requests_per_sec.eq(result.requests_per_sec),
                    benchmark_results::total_requests.eq(Some(result.total_requests)),
                    benchmark_results::latency_avg_ms.eq(Some(result.latency_avg_ms)),
                    benchmark_results::latency_max_ms.eq(Some(result.latency_max_ms)),
                    benchmark_results::p50_ms.eq(Some(result.p50_ms)),
                    benchmark_results::p90_ms.eq(Some(result.p90_ms)),
                    benchmark_results::p99_ms.eq(Some(result.p99_ms)),
                    benchmark_results::errors.eq(0_i64),
                    benchmark_results::non_2xx.eq(0_i64),
                    benchmark_results::status_codes.eq("{}"),
                    benchmark_results::error_kinds.eq("{}"),
                    benchmark_results::memory_mib.eq(Some(result.memory_mib)),
                    benchmark_results::position.eq(position),
                )
            })
            .collect();
        added.results += on_backend!(conn, |c| {
            diesel::insert_into(benchmark_results::table)
                .values(rows)
                .execute(c)
        })?;
    }
    Ok(())
}

/// The ids of the scenarios `runs` measure, adding the synthetic ones missing by slug.
fn add_scenarios(
    conn: &mut DbConnection,
    runs: &[generate::Run],
    now: NaiveDateTime,
    added: &mut Added,
) -> QueryResult<HashMap<String, i32>> {
    let mut ids: HashMap<String, i32> = benchmark_scenarios::table
        .select((benchmark_scenarios::slug, benchmark_scenarios::id))
        .load(conn)?
        .into_iter()
        .collect();
    let mut position: i32 = benchmark_scenarios::table
        .select(diesel::dsl::max(benchmark_scenarios::position))
        .first::<Option<i32>>(conn)?
        .unwrap_or(0);
    for (slug, name, description) in SCENARIOS {
        if ids.contains_key(slug) || !runs.iter().any(|run| run.scenario == slug) {
            continue;
        }
        position += 10;
        let id = diesel::insert_into(benchmark_scenarios::table)
            .values((
                benchmark_scenarios::slug.eq(slug),
                benchmark_scenarios::name.eq(name),
                benchmark_scenarios::description.eq(description),
                benchmark_scenarios::position.eq(position),
                benchmark_scenarios::created_at.eq(now),
                benchmark_scenarios::updated_at.eq(now),
            ))
            .returning(benchmark_scenarios::id)
            .get_result(conn)?;
        ids.insert(slug.to_owned(), id);
        added.scenarios += 1;
    }
    match runs.iter().find(|run| !ids.contains_key(&run.scenario)) {
        Some(run) => Err(missing(format!("the scenario `{}`", run.scenario))),
        None => Ok(ids),
    }
}

/// The environments' ids by slug, adding the synthetic one if `runs` need it. A run whose
/// environment (the demo's) is gone is stored without one, as after its deletion.
fn add_environment(
    conn: &mut DbConnection,
    runs: &[generate::Run],
    now: NaiveDateTime,
    added: &mut Added,
) -> QueryResult<HashMap<String, i32>> {
    let mut ids: HashMap<String, i32> = benchmark_environments::table
        .select((benchmark_environments::slug, benchmark_environments::id))
        .load(conn)?
        .into_iter()
        .collect();
    let (slug, name, hardware, os) = ENVIRONMENT;
    if !ids.contains_key(slug) && runs.iter().any(|run| run.environment == slug) {
        let id = diesel::insert_into(benchmark_environments::table)
            .values((
                benchmark_environments::slug.eq(slug),
                benchmark_environments::name.eq(name),
                benchmark_environments::hardware.eq(hardware),
                benchmark_environments::os.eq(os),
                benchmark_environments::notes.eq("Synthetic: made by `verdict seed --synthetic`."),
                benchmark_environments::created_at.eq(now),
                benchmark_environments::updated_at.eq(now),
            ))
            .returning(benchmark_environments::id)
            .get_result(conn)?;
        ids.insert(slug.to_owned(), id);
        added.environments += 1;
    }
    Ok(ids)
}

/// Has the planners count the tables again, so that they plan for their new sizes: outside
/// the transaction that filled them.
pub fn analyze(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Postgres(pg) => pg.batch_execute("ANALYZE"),
        DbConnection::Sqlite(sqlite) => sqlite.batch_execute("ANALYZE; PRAGMA optimize;"),
    }
}

fn missing(what: String) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(
        format!("{what}, which synthetic data attaches to, is missing").into(),
    )
}
